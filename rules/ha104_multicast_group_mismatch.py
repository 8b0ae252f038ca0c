"""HA104 multicast-group-mismatch: nodes of one cluster use different multicast groups for a channel."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from linter.ruleapi import ERROR, Cluster, Confidence, Context, Finding, Node, node_names, outliers, rule
from linter.ruleapi.cluster_link import CHANNEL_PREFIX, cluster_link_enabled
from linter.ruleapi.multicast import MulticastGroup, MulticastValue, multicast_groups, normal_address, normal_port


def _confidence(values: list[MulticastValue]) -> Confidence:
    kinds = [v.confidence for v in values]
    if Confidence.UNRESOLVED in kinds:
        return Confidence.UNRESOLVED
    if kinds and all(k is Confidence.DEFAULT for k in kinds):
        return Confidence.DEFAULT
    return Confidence.EXPLICIT


def _disagreement(
    entries: list[tuple[Node, MulticastValue, str]], what: str, subject: str, help: str
) -> Iterator[Finding]:
    """Group the nodes by normalised value; report every outlier against the majority (on a tie,
    every side against the others), each node with its value and where it is set."""
    buckets: dict[str, list[tuple[Node, MulticastValue]]] = {}
    for node, value, key in entries:
        buckets.setdefault(key, []).append((node, value))
    confidence = _confidence([v for _, v, _ in entries])

    def shown(members: list[tuple[Node, MulticastValue]]) -> str:
        return (members[0][1].text or "").strip()

    for _key, members, others, tie in outliers(buckets, lambda member: member[0]):
        for node, value in members:
            text = (value.text or "").strip()
            primary = replace(value.at, text=f"{node.name}: {text}")
            related = tuple(replace(v.at, text=f"{n.name}: {(v.text or '').strip()}") for _, m in others for n, v in m)
            if tie:
                against = "; ".join(f"{node_names([n for n, _ in m])}: {shown(m)}" for _, m in others)
                message = f"{what} differs between nodes (tie): {node.name} has {text} (from {value.source}); {against}"
            else:
                majority = others[0][1]
                verb = "has" if len(majority) == 1 else "have"
                message = (
                    f"{what} differs between nodes: {node.name} has {text} (from {value.source}), "
                    f"{node_names([n for n, _ in majority])} {verb} {shown(majority)}"
                )
            yield Finding(message, primary, related, help=help, confidence=confidence, subject=subject)


@rule(
    id="HA104",
    name="multicast-group-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("cluster-link", "multicast", "drift"),
    summary="Nodes of one cluster use different multicast groups (address or port) for the same channel or cache.",
    rationale=(
        "Each multicast address and port pair is one 'conversation' between the nodes (portal.properties, "
        "Multicast section, 6.0 to 7.4): a node that joins another group than the others for the control "
        "channel, a transport channel, MPING discovery or (6.x) Ehcache RMI discovery never sees them there, "
        "so the cluster splits and caches diverge. The rule compares the group each node actually uses: the "
        "UDP transport's mcast_addr/mcast_port (6.x inline stacks, 7.x built-in or custom XML, with "
        '${multicast.group.address["X"]} placeholders resolved from the node\'s properties and JGroups '
        "${name:default} from system properties), MPING's group, and on 6.x the multicastGroupAddress/Port of "
        "the cache files' RMI discovery while it is in effect. Groups a node does not use (a TCP stack's unused "
        "multicast.group.* keys, 6.2 caches replicated by Cluster Link) are not compared; values that cannot "
        "be resolved are skipped. Nodes with Cluster Link off are compared too (HA101/HA102 report the switch; "
        "the group must agree once it is on), but only when Cluster Link is on somewhere in the cluster."
    ),
    fix='Give every node the same multicast.group.address["X"] and multicast.group.port["X"] (or the same '
    "mcast_addr/mcast_port in the stack file), e.g. in the portal-ext.properties shared by all nodes.",
    # facts: liferay-ha-facts.md §2.3; ehcache-jgroups-facts.md B.2, B.3; read in: shared/corpus/liferay,
    #   dinolupo/Liferay6.2-fixed, ambition-consulting/6.0.11
    sources=(
        (
            "Liferay 7.4 portal.properties (section 'Multicast': each address and port combination is a conversation "
            "between nodes): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/"
            "portal.properties"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannelFactory.java (portal properties substituted in the channel "
            "XML; cluster.link.channel.system.properties set as system properties): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/src/main/java/com/"
            "liferay/portal/cluster/multiple/internal/jgroups/JGroupsClusterChannelFactory.java"
        ),
        (
            "Liferay 6.2 source, ClusterBase.java (cluster.link.channel.system.properties become system properties): "
            "https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/cluster/"
            "ClusterBase.java"
        ),
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java (6.1/6.2 drop the cache files' peer providers when "
            "Cluster Link replicates the caches): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/"
            "portal-impl/src/com/liferay/portal/cache/ehcache/EhcacheConfigurationUtil.java"
        ),
        (
            "JGroups source, UDP defaults mcast_addr 228.8.8.8, mcast_port 7600: https://github.com/belaban/JGroups/"
            "blob/JGroups-3.6.20.Final/src/org/jgroups/protocols/UDP.java"
        ),
        (
            "JBoss Enterprise Web Platform 5 guide, 'Isolating JGroups Channels': https://access.redhat.com/"
            "documentation/en-US/JBoss_Enterprise_Web_Platform/5/html/Administration_And_Configuration_Guide/"
            "clustering-jgroups-isolation.html"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    if not any(cluster_link_enabled(node) for node in cluster.nodes):
        return
    by_slot: dict[str, list[MulticastGroup]] = {}
    for node in cluster.nodes:
        seen: set[str] = set()
        for group in multicast_groups(node, ctx.version, require_cluster_link=False):
            if group.slot not in seen:
                seen.add(group.slot)
                by_slot.setdefault(group.slot, []).append(group)
    for slot, groups in by_slot.items():
        if len(groups) < 2:
            continue
        first = groups[0]
        keyed = first.slot == first.identity and not first.name.startswith(CHANNEL_PREFIX)
        for part in ("address", "port"):
            subject = f'multicast.group.{part}["{first.name}"]' if keyed else f"{slot} mcast_{part[:4]}"
            how = (
                f"set {subject} to the same value on every node"
                if keyed
                else (f"use the same multicast {part} for {first.purpose} on every node")
            )
            entries = [
                (
                    g.node,
                    getattr(g, part),
                    normal_address(g.address.text or "") if part == "address" else normal_port(g.port.text or ""),
                )
                for g in groups
            ]
            yield from _disagreement(entries, f"The multicast {part} of {first.purpose}", subject, how)
