"""HA103 transport-mode-mismatch: some nodes run a channel over UDP multicast, others over TCP unicast."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import (
    ERROR,
    Cluster,
    Confidence,
    Context,
    Finding,
    Node,
    Reference,
    label,
    node_names,
    outliers,
    rule,
    stack_label,
)
from linter.ruleapi.cluster_link import CHANNEL_PREFIX, cluster_link_enabled

# Stacks whose transport cannot be told (a ${...} value, a URL, a file that is not there) are skipped.
KNOWN_KINDS = ("inline", "file", "builtin", "jgroups-jar")


def _mode(ref: Reference) -> str | None:
    """The transport mode of a channel: UDP (IP multicast) or TCP (a mesh of unicast connections,
    TCP or TCP_NIO2); other transports (TUNNEL, ...) by name; None when unknown."""
    if ref.kind not in KNOWN_KINDS or ref.transport is None:
        return None
    base = ref.transport.rsplit(".", 1)[-1].upper()
    if base == "UDP":
        return "UDP multicast"
    if base in ("TCP", "TCP_NIO2"):
        return "TCP unicast"
    return base


def _stack(ref: Reference) -> str:
    """Where the channel's stack comes from, in the words an admin looks for."""
    value = ref.setting.value.strip()
    default = ref.setting.confidence is Confidence.DEFAULT
    if ref.kind == "inline":
        return "Liferay's default inline stack" if default else "an inline stack"
    if ref.kind == "builtin":
        return f"Liferay's built-in {value}" + (", the default" if default else "")
    if ref.kind == "jgroups-jar":
        return f"{value} from the JGroups jar"
    return value


def _channel(key: str) -> str:
    suffix = key[len(CHANNEL_PREFIX) :]
    if suffix == "control":
        return f"the control channel ({key})"
    return f"transport channel {suffix.rsplit('.', 1)[-1]} ({key})"


@rule(
    id="HA103",
    name="transport-mode-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("cluster-link", "jgroups", "drift"),
    summary="A Cluster Link channel uses UDP multicast on some nodes and TCP unicast on others.",
    rationale=(
        "A JGroups stack has exactly one transport. With UDP the members send to an IP multicast group and to "
        "each other's UDP sockets; with TCP (or TCP_NIO2) they open a mesh of TCP connections to the members "
        "their discovery protocol finds. A node on one transport never receives what a node on the other sends, "
        "so the cluster splits per channel although Cluster Link is on everywhere. The typical cause is a "
        "node that was switched to a tcp.xml (unicast) while the others kept Liferay's default UDP stacks "
        "(6.x inline strings, 7.x jgroups/*/udp_*.xml). The transport is read from the stack each node "
        "really uses: the inline string, the XML file found on the node, Liferay's built-in stack for the "
        "version, or a stock stack of the JGroups jar named by file (udp.xml, tcp.xml...). Nodes whose stack "
        "cannot be read (unresolved ${...}, URL, missing file: see HA003/HA004) and nodes with Cluster Link "
        "off (HA101/HA102) are left out rather than guessed."
    ),
    fix="Point cluster.link.channel.properties.control and .transport.N at the same kind of stack on every node: "
    "all nodes on the default UDP multicast stacks, or all on the same TCP unicast file (e.g. /jgroups/tcp.xml "
    "with TCPPING or JDBC_PING).",
    # facts: liferay-ha-facts.md §2.4, §2.2; read in: dinolupo/Liferay6.2-fixed, zoltantoth0409/liferay-portal
    sources=(
        (
            "Liferay 6.2 source, ClusterBase.java (each channel is created from its stack): https://github.com/"
            "liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/cluster/ClusterBase.java"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannel.java: https://github.com/liferay/liferay-portal/blob/"
            "7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/src/main/java/com/liferay/portal/cluster/"
            "multiple/internal/jgroups/JGroupsClusterChannel.java"
        ),
        (
            "Liferay's own test ClusterLinkTest.java: https://github.com/liferay/liferay-portal/blob/0a3dba9e/"
            "modules/apps/portal-cache/portal-cache-test/src/testIntegration/java/com/liferay/portal/cache/internal/"
            "test/ClusterLinkTest.java"
        ),
        (
            "JGroups wiki, 'TCP' (with TCP the members build a mesh of TCP connections instead of a multicast bus): "
            "https://developer.jboss.org/docs/DOC-10913"
        ),
        (
            "Liferay 6.2 portal.properties (inline UDP stacks): https://github.com/liferay/liferay-portal/blob/"
            "6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 built-in JGroups stacks (UDP stacks): https://github.com/liferay/liferay-portal/tree/"
            "7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/src/main/resources/jgroups"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    keys: list[str] = []
    for node in cluster.nodes:
        for each in node.references:
            if each.key.startswith(CHANNEL_PREFIX) and each.key not in keys:
                keys.append(each.key)
    for key in keys:
        groups: dict[str, list[tuple[Node, Reference]]] = {}
        for node in cluster.nodes:
            found = node.reference(key)
            if found is None or not cluster_link_enabled(node):
                continue
            mode = _mode(found)
            if mode is not None:
                groups.setdefault(mode, []).append((node, found))
        if len(groups) < 2:
            continue
        confidence = (
            Confidence.DEFAULT
            if all(r.setting.confidence is Confidence.DEFAULT for ms in groups.values() for _, r in ms)
            else Confidence.EXPLICIT
        )
        for mode, members, others, tie in outliers(groups, lambda member: member[0]):
            for node, ref in members:
                primary = label(node, ref.setting, f"{node.name}: {mode} ({_stack(ref)})", key=key)
                related = []
                transport = ref.jgroups.transport if ref.jgroups is not None else None
                if ref.kind == "file" and transport is not None:
                    related.append(stack_label(node, ref, transport, text=f"{node.name}: <{transport.name}>"))
                related += [
                    label(n, r.setting, f"{n.name}: {m} ({_stack(r)})", key=key) for m, ms in others for n, r in ms
                ]
                if tie:
                    against = "; ".join(f"{node_names([n for n, _ in ms])}: {m}" for m, ms in others)
                    message = (
                        f"The JGroups transport of {_channel(key)} differs between nodes (tie): {node.name} uses "
                        f"{mode} ({_stack(ref)}); {against}; nodes on different transports never exchange messages"
                    )
                else:
                    majority = others[0][1]
                    stacks = list(dict.fromkeys(_stack(r) for _, r in majority))
                    via = f" ({stacks[0]})" if len(stacks) == 1 else ""
                    message = (
                        f"The JGroups transport of {_channel(key)} differs between nodes: {node.name} uses "
                        f"{mode} ({_stack(ref)}), {node_names([n for n, _ in majority])} "
                        f"{'uses' if len(majority) == 1 else 'use'} {others[0][0]}{via}; nodes on different "
                        "transports never exchange messages"
                    )
                yield Finding(
                    message,
                    primary,
                    tuple(related),
                    help=f"use the same kind of stack for {key} on every node",
                    confidence=confidence,
                    subject=key,
                )
