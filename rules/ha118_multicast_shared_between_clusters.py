"""HA118 multicast-shared-between-clusters: two clusters of one audit use the same multicast group."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from linter.ruleapi import WARNING, Cluster, Confidence, Context, Finding, rule
from linter.ruleapi.memo import per_run
from linter.ruleapi.multicast import MulticastGroup, group_text, multicast_groups, normal_address, normal_port


@per_run  # every cluster compares itself with every other: each cluster's groups are found once
def _in_use(cluster: Cluster) -> dict[tuple[str, str], list[MulticastGroup]]:
    """Every multicast group some node of the cluster joins, by normalised address and port (read-only)."""
    family = cluster.version or "7.4"
    out: dict[tuple[str, str], list[MulticastGroup]] = {}
    for node in cluster.nodes:
        for group in multicast_groups(node, family):
            pair = (normal_address(group.address.text or ""), normal_port(group.port.text or ""))
            out.setdefault(pair, []).append(group)
    return out


def _networks(cluster: Cluster) -> frozenset[str]:
    """The networks a cluster's multicast reaches (its nodes' together)."""
    return frozenset(net for node in cluster.nodes for net in node.networks)


def _what(groups: list[MulticastGroup]) -> str:
    purposes = list(dict.fromkeys(g.purpose for g in groups))
    nodes = list(dict.fromkeys(g.node.name for g in groups))
    shown = ", ".join(nodes[:3]) + (f" and {len(nodes) - 3} more" if len(nodes) > 3 else "")
    return f"{' and '.join(purposes)} on {shown}"


@rule(
    id="HA118",
    name="multicast-shared-between-clusters",
    severity=WARNING,
    scope="cluster",
    versions="all",
    tags=("cluster-link", "multicast", "audit"),
    summary="Two different clusters of one audit use the same multicast group (address and port).",
    rationale=(
        "Multicast reaches every host of the network: two clusters that join the same group (for example "
        "production and staging both left at Liferay's default 239.255.0.1:23301) receive each other's "
        "messages, including scheduler and cache traffic, unless the networks are separated. liferay-learn "
        "asks for a different multicast address and port set per cluster. Only groups a cluster actually "
        "uses are compared: the UDP channels and MPING discovery of nodes with Cluster Link on, and on 6.x "
        "the Ehcache RMI discovery groups still in effect; a TCP cluster's unused multicast.group.* defaults "
        "do not count. Only clusters that can share a network are compared: bundles and host-networked "
        "containers with each other, containers of one compose project or on one external compose network, "
        "pods of one Kubernetes namespace (each compose project gets a bridge network of its own, which "
        "multicast does not leave). Beyond that the clusters may still sit on separate networks, which the "
        "linter cannot see, hence a warning. Each cluster that shares a group gets its own finding."
    ),
    fix='Give each cluster its own multicast.group.address["X"]/multicast.group.port["X"] set (e.g. '
    "239.255.10.x for production, 239.255.20.x for staging), or keep the clusters on separated networks.",
    # facts: liferay-ha-facts.md §2.3; ehcache-jgroups-facts.md A.6; read in: petershin/liferay-learn
    sources=(
        (
            "Liferay Learn, 'Configuring Cluster Link' (clusters on one network must use different multicast address "
            "and port sets): https://learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/"
            "clustering-for-high-availability/configuring-cluster-link"
        ),
        (
            "Liferay 7.4 portal.properties (section 'Multicast': each address and port pair is one conversation): "
            "https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
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
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    mine = _in_use(cluster)
    if not mine:
        return
    networks = _networks(cluster)
    others = [
        (other, _in_use(other))
        for other in ctx.audit
        if other is not cluster
        and (other.name, other.path) != (cluster.name, cluster.path)
        and networks & _networks(other)
    ]
    for (address, port), groups in mine.items():
        sharing = [(other, used[(address, port)]) for other, used in others if (address, port) in used]
        if not sharing:
            continue
        first = groups[0]
        primary = replace(first.address.at, text=f"{first.node.name}: {group_text(address, port)}")
        related = tuple(
            replace(
                theirs[0].address.at, text=f"cluster {other.name}, {theirs[0].node.name}: {group_text(address, port)}"
            )
            for other, theirs in sharing
        )
        against = "; ".join(f"cluster {other.name} ({_what(theirs)})" for other, theirs in sharing)
        yield Finding(
            f"Multicast group {group_text(address, port)} is used here by {_what(groups)} (address from "
            f"{first.address.source}) and also by {against}; clusters that share a group on one network receive "
            "each other's messages",
            primary,
            related,
            help="give this cluster its own multicast.group.address[...] / multicast.group.port[...] set",
            confidence=Confidence.DEFAULT
            if all(g.address.confidence is Confidence.DEFAULT for g in groups)
            else Confidence.EXPLICIT,
            subject=group_text(address, port),
        )
