"""HA502 ehcache-cluster-plugin-required: Cluster Link cache replication needs the Ehcache Cluster EE app."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import INFO, Context, Finding, Node, get_boolean, label, rule
from linter.ruleapi.cluster_link import CLUSTER_LINK_ENABLED
from linter.ruleapi.ehcache import EHCACHE_REPLICATION_FLAG


@rule(
    id="HA502",
    name="ehcache-cluster-plugin-required",
    severity=INFO,
    scope="node",
    versions="6.1-6.2",
    tags=("ehcache", "cache", "cluster-link"),
    summary="Cache replication over Cluster Link is on: the Ehcache Cluster EE app must be deployed on every node.",
    rationale=(
        "With cluster.link.enabled and ehcache.cluster.link.replication.enabled both true, Liferay 6.1/6.2 removes "
        "Ehcache's RMI peer providers and replicators and installs its Cluster Link replicator on every cache (the "
        "guide's scenario 1, recommended for 6.x EE). That replicator only works when the 'Ehcache Cluster EE' "
        "Marketplace app is installed on every node; without it caches are not replicated at all. Deployed apps "
        "are not visible in the portal properties, so this is a reminder to check."
    ),
    fix="Install the Ehcache Cluster EE app from Liferay Marketplace on every node (or turn the flag off to use the "
    "cache files' own RMI replication, the guide's scenario 2).",
    # facts: liferay-ha-facts.md §6.2
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (section 'Distributed "
            "Caching', scenario 1: only with the Ehcache Cluster EE app on every node): https://github.com/liferay/"
            "liferay-docs/blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java: https://github.com/liferay/liferay-portal/blob/"
            "6.2.5-ga6/portal-impl/src/com/liferay/portal/cache/ehcache/EhcacheConfigurationUtil.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    flag = node.setting(EHCACHE_REPLICATION_FLAG)
    cluster_link = node.setting(CLUSTER_LINK_ENABLED)
    if flag is None or not get_boolean(flag.value):
        return
    if cluster_link is None or not get_boolean(cluster_link.value):
        return  # HA501: the flag has no effect without Cluster Link
    yield Finding(
        f"{node.name} replicates its caches over Cluster Link ({EHCACHE_REPLICATION_FLAG}={flag.value.strip()} with "
        f"{CLUSTER_LINK_ENABLED}="
        f"{cluster_link.value.strip()}): this works only when the Ehcache Cluster EE app is deployed on every node; "
        "without it the caches are not replicated at all",
        label(node, flag, "needs the Ehcache Cluster EE app"),
        help="make sure the Ehcache Cluster EE app is installed on every node",
        confidence=flag.confidence,
        subject=EHCACHE_REPLICATION_FLAG,
    )
