"""HA503 ehcache-hybrid-config: custom cache files together with Cluster Link cache replication (scenario 4)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, label, rule
from linter.ruleapi.cluster_link import CLUSTER_LINK_ENABLED, cluster_link_enabled
from linter.ruleapi.ehcache import (
    EHCACHE_HIBERNATE,
    EHCACHE_MULTI_VM,
    EHCACHE_REPLICATION_FLAG,
    HIBERNATE_SECOND_LEVEL,
    setting_true,
)
from linter.ruleapi.keys import liferay_default

# The cluster-aware cache managers (EhcachePortalCacheManager for the multi-VM file, LiferayEhcacheRegionFactory
# for Hibernate); the single-VM manager is not cluster-aware, Liferay leaves its file alone.
KEYS = (EHCACHE_MULTI_VM, EHCACHE_HIBERNATE)


@rule(
    id="HA503",
    name="ehcache-hybrid-config",
    severity=WARNING,
    scope="node",
    versions="6.1-6.2",
    tags=("ehcache", "cache", "cluster-link"),
    summary="Custom Ehcache files are combined with ehcache.cluster.link.replication.enabled (the guide's scenario 4).",
    rationale=(
        "The 6.2 guide lists five replication scenarios; custom cache files with Cluster Link and the Cluster Link "
        "replication flag on (scenario 4) is 'not a recommended configuration for Liferay 6.1 or later'. What "
        "Liferay does to the custom file differs by release: 6.1 replaces the replicator of every cache that uses "
        "LiferayCacheEventListenerFactory with its Cluster Link replicator and keeps the file's peer provider and "
        "any other replicators (JGroups, RMI), so two replication paths run side by side; 6.2 strips the file's "
        "peer provider, peer listener and all cache replicators and puts Cluster Link replication on every cache, "
        "so the replication settings written in the custom file are silently discarded. Either way the file does "
        "not mean what it says."
    ),
    fix="Either keep the default cache files with Cluster Link replication (scenario 1, recommended), or keep the "
    "custom files and turn ehcache.cluster.link.replication.enabled off so their own replication applies "
    "(scenario 5).",
    # facts: liferay-ha-facts.md §6.2; ehcache-jgroups-facts.md A.4; read in: agmip/liferay-portal-impl,
    #   dinolupo/Liferay6.2-fixed
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (section 'Distributed "
            "Caching', scenarios 4 and 5): https://github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/"
            "chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java (what 6.2 removes from the cache files when Cluster "
            "Link replicates them): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/"
            "liferay/portal/cache/ehcache/EhcacheConfigurationUtil.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not (cluster_link_enabled(node) and setting_true(node, EHCACHE_REPLICATION_FLAG)):
        return
    flag = node.setting(EHCACHE_REPLICATION_FLAG)
    for key in KEYS:
        if key == KEYS[1] and not setting_true(node, HIBERNATE_SECOND_LEVEL):
            continue  # the Hibernate second-level cache is off: its file is not loaded
        setting = node.setting(key)
        default = liferay_default(ctx.version, key)
        if setting is None or default is None or setting.value.strip() == default.strip():
            continue
        if ctx.version == "6.1":
            effect = (
                "Liferay 6.1 moves only the caches that use LiferayCacheEventListenerFactory to Cluster Link and keeps "
                "the file's peer provider and other replicators: a hybrid of two replication paths"
            )
        else:
            effect = (
                "Liferay 6.2 removes the file's peer provider and listener and every cache replicator and replicates "
                "all its caches over Cluster Link, so the file's own replication settings are ignored"
            )
        yield Finding(
            f"{key}={setting.value.strip()} on {node.name} replaces Liferay's default {default.strip()} while "
            f"{EHCACHE_REPLICATION_FLAG} and {CLUSTER_LINK_ENABLED} are true (the guide's scenario 4, not "
            f"recommended): {effect}",
            label(node, setting, "custom cache file"),
            related=(label(node, flag, "Cluster Link replication on", key=EHCACHE_REPLICATION_FLAG),),
            help=f"use the default {key} with Cluster Link replication, or set {EHCACHE_REPLICATION_FLAG}=false to "
            "keep the custom file's own replication",
            confidence=setting.confidence,
            subject=key,
        )
