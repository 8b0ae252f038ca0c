"""HA110 unicast-initial-hosts-missing: a TCP stack discovers members with TCPPING but nothing
gives TCPPING its ``initial_hosts``, so the node only probes ``localhost``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from linter.ruleapi import ERROR, Confidence, Context, Finding, Node, Reference, and_list, label, rule, stack_label
from linter.ruleapi.cluster_link import (
    TCP_TRANSPORTS,
    ChannelValue,
    Protocol,
    channel_attribute,
    channel_stacks,
    cluster_link_enabled,
    split_placeholder,
)

_HOSTS_FLAG = "jgroups.tcpping.initial_hosts"


@rule(
    id="HA110",
    name="unicast-initial-hosts-missing",
    severity=ERROR,
    scope="node",
    versions="7.x",
    tags=("cluster-link", "jgroups", "unicast"),
    summary="A TCP Cluster Link stack uses TCPPING discovery but nothing sets its initial_hosts.",
    rationale=(
        "With unicast (TCP) Cluster Link, TCPPING finds the other members only through the static list in "
        "initial_hosts. Liferay's unicast guide: if initial_hosts is set neither in the TCP XML file nor with "
        "-Djgroups.tcpping.initial_hosts, localhost is the only initial host, so the node forms a cluster of "
        "one: caches are not invalidated across nodes and scheduled jobs run everywhere. JGroups reads the XML "
        "attribute first and uses the jgroups.tcpping.initial_hosts system property only when the attribute is "
        "absent or is a ${jgroups.tcpping.initial_hosts:...} placeholder. A placeholder that nothing resolves is "
        "left to HA004; an initial_hosts_file (JGroups 5) counts as set."
    ),
    fix=(
        "List every node in TCPPING initial_hosts, host[port] for each (e.g. "
        'initial_hosts="${jgroups.tcpping.initial_hosts:10.0.0.1[7800],10.0.0.2[7800]}"), or pass '
        "-Djgroups.tcpping.initial_hosts=10.0.0.1[7800],10.0.0.2[7800] to every node's JVM."
    ),
    # facts: liferay-ha-facts.md §2.4; ehcache-jgroups-facts.md B.2, B.3; read in: petershin/liferay-learn
    sources=(
        (
            "Liferay Learn, 'Configuring Unicast over TCP' ('If initial_hosts is not specified in a TCP XML file or "
            "in a JVM argument, localhost is the initial host'): https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "configuring-unicast-over-tcp"
        ),
        (
            "JGroups source, TCPPING.initial_hosts and the jgroups.tcpping.initial_hosts system property: https://"
            "github.com/belaban/JGroups/blob/JGroups-4.1.7.Final/src/org/jgroups/protocols/TCPPING.java"
        ),
        (
            "JGroups source, a system property is used only when the XML leaves the attribute unset: https://"
            "github.com/belaban/JGroups/blob/JGroups-4.1.7.Final/src/org/jgroups/stack/Configurator.java"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannelFactory.java (cluster.link.channel.system.properties set as "
            "system properties): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/modules/apps/portal/"
            "portal-cluster-multiple/src/main/java/com/liferay/portal/cluster/multiple/internal/jgroups/"
            "JGroupsClusterChannelFactory.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered or not cluster_link_enabled(node):
        return
    groups: dict[tuple[str, int], tuple[Reference, Protocol, ChannelValue | None, list[tuple[str, Reference]]]] = {}
    for channel, ref, stack in channel_stacks(node):
        if stack.transport_kind not in TCP_TRANSPORTS:
            continue
        tcpping = next((p for p in stack.protocols if p.base == "TCPPING"), None)
        if tcpping is None or tcpping.attr("initial_hosts_file") is not None:
            continue
        # JGroups takes the XML attribute when present and falls back to the jgroups.tcpping.initial_hosts
        # system property only when it is absent; a ${jgroups.tcpping.initial_hosts:default} placeholder
        # reads the property first.
        hosts = channel_attribute(
            node, ref, tcpping, "initial_hosts", "TCPPING has no initial hosts", _HOSTS_FLAG, "initial_hosts"
        )
        if hosts is not None and (hosts.confidence is Confidence.UNRESOLVED or (hosts.value or "").strip()):
            continue  # set (or depends on something this audit cannot see)
        where = (ref.origin.file or ref.setting.origin.describe(), tcpping.line)
        if where in groups:
            groups[where][3].append((channel, ref))
        else:
            groups[where] = (ref, tcpping, hosts, [(channel, ref)])
    others = len(ctx.cluster.nodes) - 1
    rest = "the other node" if others == 1 else f"the other {others} nodes"
    for ref, tcpping, hosts, users in groups.values():
        channels = [c for c, _ in users]
        names = and_list(channels)
        plural = "channels use" if len(channels) > 1 else "channel uses"
        attr = tcpping.attr("initial_hosts")
        if hosts is None:
            why = (
                f"the <{tcpping.name}> element has no initial_hosts attribute and -D{_HOSTS_FLAG} is not set on "
                "this node"
            )
            at = stack_label(node, ref, tcpping, None, "TCPPING without initial_hosts")
            confidence = Confidence.EXPLICIT
        elif attr is not None and hosts.source.startswith("the default of"):
            placeholder = split_placeholder(attr.value)
            prop = placeholder[0] if placeholder is not None else _HOSTS_FLAG
            why = (
                f'initial_hosts="{attr.value.strip()}" falls back to its empty default because -D{prop} is not set '
                "on this node"
            )
            at = dataclasses.replace(hosts.at, text="empty initial_hosts")
            confidence = hosts.confidence
        else:
            why = f"initial_hosts is empty ({hosts.source})"
            at = dataclasses.replace(hosts.at, text="empty initial_hosts")
            confidence = hosts.confidence
        related = [label(node, r.setting, f"{c} channel uses this stack") for c, r in users]
        yield Finding(
            f"{node.name}'s Cluster Link {names} {plural} TCPPING discovery without initial hosts: {why}, so "
            f"JGroups probes only localhost and this node never finds {rest}",
            at,
            tuple(r for r in related if (r.file, r.line) != (at.file, at.line)),
            help=f"list every node as host[port] in TCPPING initial_hosts or in -D{_HOSTS_FLAG} on every node",
            confidence=confidence,
            subject=f"TCPPING.initial_hosts[{','.join(channels)}]",
        )
