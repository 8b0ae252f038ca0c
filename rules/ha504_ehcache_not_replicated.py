"""HA504 ehcache-not-replicated: in a 6.x cluster, the effective multi-VM or Hibernate cache file does not replicate."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Context, Finding, Node, label, rule
from linter.ruleapi.cluster_link import cluster_link_enabled
from linter.ruleapi.ehcache import (
    EHCACHE_CLUSTER_REPLICATOR,
    EHCACHE_HIBERNATE,
    EHCACHE_MANAGERS,
    EHCACHE_MULTI_VM,
    EHCACHE_RMI_PROVIDER,
    CacheFile,
    CacheView,
    PeerProvider,
    cache_file_label,
    cache_files,
    describe_cache_file,
    short_class,
)

CLUSTERED_FILES = {
    EHCACHE_MULTI_VM: "/ehcache/liferay-multi-vm-clustered.xml",
    EHCACHE_HIBERNATE: "/ehcache/hibernate-clustered.xml",
}
MAX_LISTED = 5


def _names(views: list[CacheView]) -> str:
    shown = ", ".join(v.name for v in views[:MAX_LISTED])
    return shown + (f" and {len(views) - MAX_LISTED} more" if len(views) > MAX_LISTED else "")


def _count(views: list[CacheView]) -> str:
    return f"{len(views)} cache{'' if len(views) == 1 else 's'}"


def _verb(views: list[CacheView], one: str, many: str) -> str:
    return one if len(views) == 1 else many


def _usable(provider: PeerProvider) -> bool:
    """Ehcache's RMI factory returns no provider for a peerDiscovery other than automatic/manual."""
    if provider.class_name != EHCACHE_RMI_PROVIDER:
        return True
    return provider.properties.get("peerDiscovery", "automatic").strip().lower() in ("automatic", "manual")


def _help(cache_file: CacheFile, version: str) -> str:
    if cache_file.ref.kind == "builtin" and cache_file.key in CLUSTERED_FILES:
        return f"set {cache_file.key}={CLUSTERED_FILES[cache_file.key]} on every node"
    return "give every cache (and defaultCache) a replicating cacheEventListenerFactory and declare a peer provider"


def _findings(node: Node, version: str, cache_file: CacheFile, size: int) -> Iterator[Finding]:
    what = EHCACHE_MANAGERS[cache_file.key]
    where = f"on {node.name} ({size}-node cluster)"
    key = cache_file.key
    described = describe_cache_file(cache_file)
    confidence = cache_file.ref.setting.confidence
    views = list(cache_file.caches)
    replicated = [v for v in views if v.replicators]
    if not replicated:
        providers = "no cacheManagerPeerProviderFactory" if not cache_file.providers else "a peer provider"
        default_note = ""
        if cache_file.ref.kind == "builtin" and version == "6.0":
            default_note = ", not a clustered file"
            if cache_file.key == EHCACHE_MULTI_VM:
                default_note = ", whose caches 'can be clustered but are not configured to be clustered'"
        first = views[0] if views else None
        yield Finding(
            f"The {what} is not replicated {where}: {key} is {described}{default_note}; neither its defaultCache "
            f"nor any of its {len(cache_file.config.caches)} caches has a replicator (cacheEventListenerFactory) "
            f"and it has {providers}, so cache changes on one node never reach the others",
            cache_file_label(
                node,
                cache_file,
                first.cache.line if first else None,
                first.cache.column if first else None,
                "no replicator",
            ),
            help=_help(cache_file, version),
            confidence=confidence,
            subject=f"{cache_file.key}:not-replicated",
        )
        return
    remote = [v for v in replicated if any(r.class_name != EHCACHE_CLUSTER_REPLICATOR for r in v.replicators)]
    usable = [p for p in cache_file.providers if _usable(p)]
    if remote and not usable:
        if cache_file.providers:
            bad = cache_file.providers[0]
            discovery = bad.properties.get("peerDiscovery", "")
            why = (
                f"its peer provider has peerDiscovery={discovery!r}, which Ehcache's RMI provider factory does not "
                "know (only automatic or manual), so no provider is created"
            )
            at = cache_file_label(
                node,
                cache_file,
                bad.factory.properties_line or bad.factory.line,
                bad.factory.properties_column or bad.factory.column,
                "no peer provider",
            )
            if bad.source is not None:
                at = label(node, bad.source, "unknown peerDiscovery")
        else:
            why = "it declares no cacheManagerPeerProviderFactory"
            at = cache_file_label(node, cache_file, None, None, "no peer provider")
        yield Finding(
            f"The {what} is not replicated {where}: {key} is {described}; {_count(remote)} "
            f"{_verb(remote, 'has', 'have')} replicators ({short_class(remote[0].replicators[0].class_name)}) but "
            f"{why}: the replicators have no peers to send to",
            at,
            help="declare a cacheManagerPeerProviderFactory (Liferay's files use "
            f"LiferayCacheManagerPeerProviderFactory with portalPropertyKey={cache_file.key}.peerProviderProperties)",
            confidence=confidence,
            subject=f"{cache_file.key}:no-provider",
        )
    rmi = [p for p in usable if p.class_name == EHCACHE_RMI_PROVIDER]
    if rmi and not cache_file.listeners:
        provider = rmi[0]
        yield Finding(
            f"The {what} only half replicates {where}: {key} is {described}; it has an RMI peer provider but no "
            "cacheManagerPeerListenerFactory, so this node sends changes but never receives the other nodes' changes",
            cache_file_label(node, cache_file, provider.factory.line, provider.factory.column, "no RMI peer listener"),
            help="add a cacheManagerPeerListenerFactory of class "
            "net.sf.ehcache.distribution.RMICacheManagerPeerListenerFactory",
            confidence=confidence,
            subject=f"{cache_file.key}:no-listener",
        )
    local = [v for v in views if not v.replicators]
    if local:
        first = local[0]
        default_first = first.name == "defaultCache"
        note = (
            "; caches that Liferay creates at run time from defaultCache are not replicated either"
            if default_first
            else ""
        )
        related = tuple(
            cache_file_label(node, cache_file, v.cache.line, v.cache.column, "no replicator")
            for v in local[1:MAX_LISTED]
        )
        yield Finding(
            f"{_count(local)} of the {what} {_verb(local, 'is', 'are')} not replicated {where}: in {described} "
            f"({key}) {_names(local)} {_verb(local, 'has', 'have')} no replicating cacheEventListenerFactory{note}",
            cache_file_label(node, cache_file, first.cache.line, first.cache.column, "no replicator"),
            related if cache_file.ref.kind == "file" else (),
            help="add the replicating cacheEventListenerFactory the other caches use",
            confidence=confidence,
            subject=f"{cache_file.key}:unreplicated-caches",
        )


@rule(
    id="HA504",
    name="ehcache-not-replicated",
    severity=ERROR,
    scope="node",
    versions="6.x",
    tags=("ehcache", "cache"),
    summary="In a 6.x cluster the effective multi-VM or Hibernate cache file does not replicate: no replicators, no "
    "peer provider, or caches left local.",
    rationale=(
        "Liferay 6.x replicates its caches through the Ehcache file each cache manager loads: "
        "ehcache.multi.vm.config.location for the portal caches and net.sf.ehcache.configurationResourceName for "
        "the Hibernate second-level cache (when hibernate.cache.use_second_level_cache is on). A cache replicates "
        "only if it has a replicating cacheEventListenerFactory and the file has a peer provider (and, for RMI, a "
        "peer listener); a cache without a replicator silently stays local, and defaultCache's listeners apply to "
        "the caches Liferay creates at run time. 6.0 defaults to the non-clustered liferay-multi-vm.xml and "
        "hibernate.xml. The rule judges the configuration Ehcache finally gets: with cluster.link.enabled and "
        "ehcache.cluster.link.replication.enabled Liferay puts its Cluster Link replicator on the caches (6.0: the "
        "flag alone, for the portal caches), and with Cluster Link off 6.1/6.2 strip replication from their default "
        "files (HA101 reports that). The single-VM file is local by design and not checked."
    ),
    fix="Use the clustered files (/ehcache/liferay-multi-vm-clustered.xml, /ehcache/hibernate-clustered.xml) or give "
    "every cache of a custom file a replicator and a peer provider; on 6.1/6.2 EE prefer Cluster Link replication "
    "(cluster.link.enabled and ehcache.cluster.link.replication.enabled with the Ehcache Cluster EE app).",
    # facts: liferay-ha-facts.md §6.1; ehcache-jgroups-facts.md A.1, A.3, A.6; read in: ambition-consulting/6.0.11,
    #   agmip/liferay-portal-impl, dinolupo/Liferay6.2-fixed, shared/corpus/liferay/ehcache
    sources=(
        (
            "Liferay 6.2 source, EhcachePortalCacheManager.java: https://github.com/liferay/liferay-portal/blob/"
            "6.2.5-ga6/portal-impl/src/com/liferay/portal/cache/ehcache/EhcachePortalCacheManager.java"
        ),
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java (what Liferay removes from and adds to the cache "
            "files): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/"
            "cache/ehcache/EhcacheConfigurationUtil.java"
        ),
        (
            "Liferay 6.0 portal.properties ('Uncomment the following in a clustered environment'): https://"
            "docs.liferay.com/portal/6.0/propertiesdoc/portal.properties.html"
        ),
        (
            "Liferay 6.2 portal.properties (cache file defaults): https://github.com/liferay/liferay-portal/blob/"
            "6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Ehcache 2.8 documentation, 'RMI Replicated Caching' (peerDiscovery automatic or manual; otherwise no "
            "peer provider): https://www.ehcache.org/documentation/2.8/replication/rmi-replicated-caching.html"
        ),
        (
            "Ehcache 2.8 documentation, 'Cache Configuration' (ehcache.xml and ehcache.xsd) (defaultCache listeners "
            "apply only to caches created from it): https://www.ehcache.org/documentation/2.8/configuration/"
            "configuration.html"
        ),
        (
            "Liferay 6.2 built-in cache files: https://github.com/liferay/liferay-portal/tree/6.2.5-ga6/portal-impl/"
            "src/ehcache"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    cluster_link = cluster_link_enabled(node)
    for cache_file in cache_files(node, ctx.version):
        if cache_file.cluster_link:
            continue  # Cluster Link replication on every cache (HA501/HA502 cover its preconditions)
        if cache_file.cleared and not cluster_link:
            continue  # 6.1/6.2 default file with Cluster Link off: HA101
        yield from _findings(node, ctx.version, cache_file, len(ctx.cluster.nodes))
