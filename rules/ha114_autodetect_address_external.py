"""HA114 autodetect-address-external: cluster.link.autodetect.address left at www.google.com:80."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import INFO, Confidence, Context, Finding, Node, OriginKind, label, rule
from linter.ruleapi.cluster_link import cluster_link_enabled

KEY = "cluster.link.autodetect.address"
DEFAULT = "www.google.com:80"


@rule(
    id="HA114",
    name="autodetect-address-external",
    severity=INFO,
    scope="node",
    versions="all",
    tags=("cluster-link", "network"),
    summary="cluster.link.autodetect.address is www.google.com:80 (the default) while Cluster Link is on.",
    rationale=(
        "At start-up Liferay opens a socket to cluster.link.autodetect.address and binds JGroups to the local "
        "address and interface of that connection. With the default www.google.com:80 every node needs DNS and "
        "an outgoing route to the Internet: behind a firewall or proxy the detection fails (7.x then logs "
        "'Unable to detect bind address for JGroups, using loopback'; 6.x keeps the jgroups.bind_addr of "
        "cluster.link.channel.system.properties, localhost by default), and on a multi-homed host the "
        "Internet-facing interface may not be the cluster network. Liferay's docs suggest an address every node "
        "can reach, such as the database server, or an empty value with cluster.link.bind.addr[...] set per node."
    ),
    fix="Set cluster.link.autodetect.address to a host:port inside the cluster network that every node reaches "
    "(e.g. the database, db.internal:5432), or set it empty and give each node its "
    'cluster.link.bind.addr["cluster-link-control"] / ["cluster-link-udp"].',
    # facts: liferay-ha-facts.md §2.2; read in: shared/corpus/liferay, dinolupo/Liferay6.2-fixed
    sources=(
        (
            "Liferay 7.4 portal.properties (cluster.link.autodetect.address=www.google.com:80 'must point to an "
            "address that is accessible to the portal server'): https://github.com/liferay/liferay-portal/blob/"
            "7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 6.2 source, ClusterBase.java (initBindAddress): https://github.com/liferay/liferay-portal/blob/"
            "6.2.5-ga6/portal-impl/src/com/liferay/portal/cluster/ClusterBase.java"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannelFactory.java (_initBindAddress; falls back to the loopback "
            "address on failure): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/modules/apps/portal/"
            "portal-cluster-multiple/src/main/java/com/liferay/portal/cluster/multiple/internal/jgroups/"
            "JGroupsClusterChannelFactory.java"
        ),
        (
            "Liferay DXP 7.1 deployment guide, 'Enabling Cluster Link': https://github.com/liferay/liferay-docs/blob/"
            "1e017a67/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-portal-clustering/"
            "04-enabling-cluster-link.markdown"
        ),
        (
            "Liferay Learn, 'Configuring Cluster Link' (the default points at Google and may not work behind a "
            "firewall): https://learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/"
            "clustering-for-high-availability/configuring-cluster-link"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not cluster_link_enabled(node):
        return
    setting = node.setting(KEY)
    if setting is None or setting.value.strip().lower() != DEFAULT:
        return
    if setting.origin.kind is OriginKind.DEFAULT:
        why = f"{KEY} is not set, so the Liferay {ctx.version} default {DEFAULT} applies"
    else:
        why = f"{KEY} is set to {DEFAULT}"
    yield Finding(
        f"{why}: with Cluster Link on, {node.name} connects to {DEFAULT} at start-up to pick the interface "
        "JGroups binds to, which fails without Internet access (Liferay 7.x then binds to the loopback address)",
        label(node, setting, f"{node.name}: {DEFAULT}", key=KEY),
        help=f"set {KEY} to a host:port in the cluster network (e.g. the database) or leave it empty and set "
        'cluster.link.bind.addr["cluster-link-control"]',
        confidence=setting.confidence if setting.origin.kind is not OriginKind.DEFAULT else Confidence.DEFAULT,
        subject=KEY,
    )
