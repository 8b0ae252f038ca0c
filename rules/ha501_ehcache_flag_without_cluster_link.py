"""HA501 ehcache-flag-without-cluster-link: ehcache.cluster.link.replication.enabled=true while Cluster Link is off."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, OriginKind, get_boolean, label, rule
from linter.ruleapi.cluster_link import CLUSTER_LINK_ENABLED
from linter.ruleapi.ehcache import EHCACHE_REPLICATION_FLAG


@rule(
    id="HA501",
    name="ehcache-flag-without-cluster-link",
    severity=WARNING,
    scope="node",
    versions="6.x",
    tags=("ehcache", "cache", "cluster-link"),
    summary="ehcache.cluster.link.replication.enabled=true on a 6.x node whose Cluster Link is off.",
    rationale=(
        "The flag asks Liferay to replicate its caches over Cluster Link instead of Ehcache's RMI. On 6.1/6.2 "
        "EhcacheConfigurationUtil only acts on it when cluster.link.enabled is also true, so with Cluster Link off "
        "the flag is ignored: the default clustered files lose their peer providers and replicate nothing, custom "
        "files keep their own RMI/JGroups settings. On 6.0 the flag alone replaces every portal cache's replicator "
        "with Liferay's Cluster Link replicator, which has no channel to send on while Cluster Link is off, so the "
        "portal caches do not replicate at all. Either way the configuration does not do what the flag says."
    ),
    fix="Set cluster.link.enabled=true on every node (the guide's scenario 1), or remove the flag if the cluster "
    "relies on the cache files' own replication.",
    # facts: ehcache-jgroups-facts.md A.4; liferay-ha-facts.md §6.2
    sources=(
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java (Cluster Link replication only when "
            "cluster.link.enabled and ehcache.cluster.link.replication.enabled are both true): https://github.com/"
            "liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/cache/ehcache/"
            "EhcacheConfigurationUtil.java"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (section 'Distributed "
            "Caching', scenarios 1 to 5): https://github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/"
            "chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay 6.0 portal.properties (ehcache.cluster.link.replication.enabled): https://docs.liferay.com/"
            "portal/6.0/propertiesdoc/portal.properties.html"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    flag = node.setting(EHCACHE_REPLICATION_FLAG)
    if flag is None or not get_boolean(flag.value):
        return
    cluster_link = node.setting(CLUSTER_LINK_ENABLED)
    if cluster_link is not None and get_boolean(cluster_link.value):
        return
    if cluster_link is None or cluster_link.origin.kind is OriginKind.DEFAULT:
        off = f"{CLUSTER_LINK_ENABLED} is not set (Liferay {ctx.version} default false)"
    else:
        off = f"{CLUSTER_LINK_ENABLED}={cluster_link.value.strip()}"
    if ctx.version == "6.0":
        effect = (
            "on 6.0 the flag alone replaces the portal caches' replicators with Liferay's Cluster Link replicator, "
            "which cannot send while Cluster Link is off, so the portal caches are not replicated at all"
        )
    else:
        effect = (
            f"Liferay {ctx.version} only honours the flag together with Cluster Link, so it is ignored: the default "
            "clustered cache files replicate nothing and custom files keep their own RMI/JGroups replication"
        )
    yield Finding(
        f"{EHCACHE_REPLICATION_FLAG}={flag.value.strip()} on {node.name} asks for cache replication over Cluster "
        f"Link, but {off}; {effect}",
        label(node, flag, "needs Cluster Link"),
        related=(label(node, cluster_link, "Cluster Link off", key=CLUSTER_LINK_ENABLED),),
        help=f"set {CLUSTER_LINK_ENABLED}=true on every node, or remove {EHCACHE_REPLICATION_FLAG}",
        confidence=flag.confidence,
        subject=EHCACHE_REPLICATION_FLAG,
    )
