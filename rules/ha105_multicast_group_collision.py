"""HA105 multicast-group-collision: two channels or caches of one node share a multicast address and port."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from linter.ruleapi import ERROR, Confidence, Context, Finding, Label, Node, label, rule
from linter.ruleapi.multicast import MulticastGroup, group_text, multicast_groups, normal_address, normal_port


def _where(at: Label) -> tuple[object, ...]:
    return (at.node, at.file, at.line, at.column, at.origin)


@rule(
    id="HA105",
    name="multicast-group-collision",
    severity=ERROR,
    scope="node",
    versions="all",
    tags=("cluster-link", "multicast"),
    summary="Two channels (or a channel and a 6.x Ehcache discovery) of one node use the same multicast "
    "address and port.",
    rationale=(
        "Liferay's portal.properties (6.0 to 7.4) gives every channel its own multicast address and port and "
        "warns that pairs which are not unique cause unnecessary traffic and slow or inaccurate updates: a "
        "member bound to the pair receives the other channel's datagrams too. The check looks at the groups "
        "the node really joins while Cluster Link is on: each UDP channel's mcast_addr/mcast_port (resolved "
        'from multicast.group.*["..."], JGroups ${name:default} placeholders, system properties and '
        "cluster.link.channel.system.properties), MPING discovery (which all channels may share: its "
        "messages carry the cluster name) and, on 6.x, the Ehcache RMI discovery groups still in effect. "
        "Unused keys (a TCP stack's multicast.group.* defaults) and unresolved values are ignored. A common "
        "cause is pointing the control and the transport channel at the same UDP file."
    ),
    fix='Give each channel its own multicast.group.address["X"]/multicast.group.port["X"] pair (the '
    "defaults are 239.255.0.1:23301 for cluster-link-control, 239.255.0.2:23302 for cluster-link-udp), or "
    "point each channel at a stack file with its own mcast_addr/mcast_port.",
    # facts: liferay-ha-facts.md §2.3; ehcache-jgroups-facts.md B.2, B.3; read in: shared/corpus/liferay
    sources=(
        (
            "Liferay 7.4 portal.properties (section 'Multicast': pairs that are not unique cause unnecessary "
            "traffic): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/"
            "portal.properties"
        ),
        (
            "JBoss Enterprise Web Platform 5 guide, 'Isolating JGroups Channels': https://access.redhat.com/"
            "documentation/en-US/JBoss_Enterprise_Web_Platform/5/html/Administration_And_Configuration_Guide/"
            "clustering-jgroups-isolation.html"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannelFactory.java (which groups are in use): https://github.com/"
            "liferay/liferay-portal/blob/7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/src/main/java/"
            "com/liferay/portal/cluster/multiple/internal/jgroups/JGroupsClusterChannelFactory.java"
        ),
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java (which groups are in use): https://github.com/liferay/"
            "liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/cache/ehcache/"
            "EhcacheConfigurationUtil.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    by_pair: dict[tuple[str, str], list[MulticastGroup]] = {}
    for group in multicast_groups(node, ctx.version):
        pair = (normal_address(group.address.text or ""), normal_port(group.port.text or ""))
        by_pair.setdefault(pair, []).append(group)
    for (address, port), members in by_pair.items():
        distinct: list[MulticastGroup] = []
        for group in members:
            if all(group.identity != d.identity for d in distinct):
                distinct.append(group)
        if len(distinct) < 2:
            continue
        first = distinct[0]
        for other in distinct[1:]:
            at = other.address.at
            if _where(at) == _where(first.address.at):
                at = label(node, other.channel, key=other.slot)
            primary = replace(at, text=f"{node.name}: {other.purpose}")
            related = (replace(first.address.at, text=f"{node.name}: {first.purpose}"),)
            confidence = (
                Confidence.DEFAULT
                if all(v.confidence is Confidence.DEFAULT for v in (first.address, first.port, other.address))
                else Confidence.EXPLICIT
            )
            yield Finding(
                f"{other.purpose[0].upper()}{other.purpose[1:]} uses the multicast group {group_text(address, port)} "
                f"(address from {other.address.source}; port from {other.port.source}), which {first.purpose} "
                f"on {node.name} also uses; each channel needs its own address and port pair",
                primary,
                related,
                help="give each channel its own multicast.group.address[...] / multicast.group.port[...] pair",
                confidence=confidence,
                subject=f"{first.slot} / {other.slot}",
            )
