"""HA504 ehcache-not-replicated: in a 6.x cluster, the effective multi-VM or Hibernate cache file does not replicate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
    Cache,
    Context,
    EhcacheConfig,
    Factory,
    Finding,
    Label,
    Node,
    OriginKind,
    Reference,
    Setting,
    get_boolean,
    label,
    liferay_default,
    rule,
)

# ----------------------------------------------------------------------------- ehcache model
# Shared by HA504, HA505, HA506 and HA507 (rules import nothing but ruleapi, so each carries a copy;
# keep the copies identical). It replays what Liferay 6.x does to a cache file before Ehcache sees it:
# 6.0 EhcachePortalCacheManager.getConfiguration, 6.1 and 6.2 EhcacheConfigurationUtil.getConfiguration
# (ehcache-jgroups-facts.md A.4, verified in the 6.0.11, 6.1.0 and 6.2.5 sources).

MULTI_VM = "ehcache.multi.vm.config.location"
SINGLE_VM = "ehcache.single.vm.config.location"
HIBERNATE = "net.sf.ehcache.configurationResourceName"
CLUSTER_LINK = "cluster.link.enabled"
FLAG = "ehcache.cluster.link.replication.enabled"
SECOND_LEVEL = "hibernate.cache.use_second_level_cache"
PROVIDER_DELEGATE = "ehcache.cache.manager.peer.provider.factory"
LISTENER_DELEGATE = "ehcache.cache.event.listener.factory"
LIFERAY_LISTENER = "com.liferay.portal.cache.ehcache.LiferayCacheEventListenerFactory"
LIFERAY_PROVIDERS = (
    "com.liferay.portal.cache.ehcache.LiferayCacheManagerPeerProviderFactory",
    "com.liferay.portal.cache.ehcache.RMICacheManagerPeerProviderFactory",
)
CLUSTER_REPLICATOR = "com.liferay.portal.cache.cluster.EhcachePortalCacheClusterReplicatorFactory"
RMI_PROVIDER = "net.sf.ehcache.distribution.RMICacheManagerPeerProviderFactory"
RMI_REPLICATOR = "net.sf.ehcache.distribution.RMICacheReplicatorFactory"
CACHE_MANAGERS = {
    MULTI_VM: "multi-VM (portal) cache",
    SINGLE_VM: "single-VM cache",
    HIBERNATE: "Hibernate second-level cache",
}


class Replicator(NamedTuple):
    class_name: str  # what replicates: the class written, or the delegate of LiferayCacheEventListenerFactory
    properties: dict[str, str]
    factory: Factory | None  # the element; None when Liferay injected the replicator


class CacheView(NamedTuple):
    name: str  # "defaultCache" for the default cache
    cache: Cache
    replicators: tuple[Replicator, ...]


class Provider(NamedTuple):
    class_name: str  # effective class: the delegate of Liferay's factory, or the class written
    factory: Factory
    properties: dict[str, str]  # effective properties: portalPropertyKey resolved
    source: Setting | None  # the portal property that holds the properties (portalPropertyKey)


class CacheFile(NamedTuple):
    key: str
    ref: Reference
    config: EhcacheConfig
    custom: bool  # not the version's default location (Liferay's "usingDefault" is false)
    cluster_link: bool  # Liferay replaced every replicator with its Cluster Link replicator
    cleared: bool  # Liferay removed the file's peer provider and listener factories
    providers: tuple[Provider, ...]
    listeners: tuple[Factory, ...]
    caches: tuple[CacheView, ...]  # defaultCache first


def setting_true(node: Node, key: str) -> bool:
    setting = node.setting(key)
    return get_boolean(setting.value if setting is not None else None)


def is_replicator(class_name: str | None) -> bool:
    return bool(class_name) and (class_name == LIFERAY_LISTENER or "Replicator" in str(class_name))


_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#039;": "'", "&amp;": "&"}


def _unescape(text: str) -> str:
    """HtmlUtil.unescape for the entities a property value may carry (&amp; last)."""
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


def liferay_properties(value: str) -> dict[str, str]:
    """A peerProviderProperties portal property as LiferayCacheManagerPeerProviderFactory reads it:
    PropsUtil.getArray (comma split, trimmed), each item split on '=', values HTML-unescaped."""
    out: dict[str, str] = {}
    for item in value.split(","):
        parts = item.strip().split("=")
        if len(parts) >= 2 and parts[0].strip():
            out[parts[0].strip()] = _unescape(parts[1].strip())
    return out


def _delegate(node: Node, key: str, default: str) -> str:
    setting = node.setting(key)
    return setting.value.strip() if setting is not None and setting.value.strip() else default


def _replicators(node: Node, cache: Cache) -> list[Replicator]:
    out = []
    for factory in cache.event_listeners:
        if not is_replicator(factory.class_name):
            continue
        name = str(factory.class_name)
        if name == LIFERAY_LISTENER:
            name = _delegate(node, LISTENER_DELEGATE, RMI_REPLICATOR)
        out.append(Replicator(name, {p.key: factory.get(p.key) or "" for p in factory.properties}, factory))
    return out


def _provider(node: Node, factory: Factory) -> Provider | None:
    if not factory.class_name:
        return None
    if factory.class_name in LIFERAY_PROVIDERS:
        source = None
        key = factory.get("portalPropertyKey")
        if key:
            source = node.setting(key)
        properties = liferay_properties(source.value) if source is not None else {}
        return Provider(_delegate(node, PROVIDER_DELEGATE, RMI_PROVIDER), factory, properties, source)
    return Provider(factory.class_name, factory, {p.key: factory.get(p.key) or "" for p in factory.properties}, None)


def _injected(cache: Cache, with_properties: bool) -> Replicator:
    properties: dict[str, str] = {}
    if with_properties:  # 6.1/6.2 copy the properties of the first Liferay or net.sf.ehcache.distribution listener
        for factory in cache.event_listeners:
            name = factory.class_name or ""
            if "LiferayCacheEventListenerFactory" in name or "net.sf.ehcache.distribution" in name:
                properties = {p.key: factory.get(p.key) or "" for p in factory.properties}
                break
    return Replicator(CLUSTER_REPLICATOR, properties, None)


def cache_file(node: Node, version: str, key: str) -> CacheFile | None:
    """The effective cache file behind ``key`` on a 6.x node, as Ehcache finally gets it; None when there
    is none to judge (not resolved, not Ehcache 2, or the Hibernate cache is off)."""
    ref = node.reference(key)
    if ref is None or ref.ehcache is None or ref.ehcache.is_ehcache3 or not version.startswith("6."):
        return None
    if key == HIBERNATE and not setting_true(node, SECOND_LEVEL):
        return None
    config = ref.ehcache
    default = liferay_default(version, key)
    custom = default is None or ref.setting.value.strip() != default.strip()
    cluster_link = setting_true(node, CLUSTER_LINK)
    flag = setting_true(node, FLAG)
    caches = [
        (name, cache, _replicators(node, cache))
        for name, cache in ([("defaultCache", config.default_cache)] if config.default_cache else [])
        + [(c.name or "", c) for c in config.caches]
    ]
    providers = [p for p in (_provider(node, f) for f in config.peer_providers) if p is not None]
    listeners = [f for f in config.peer_listeners if f.class_name]
    all_cluster_link = cleared = False
    if version == "6.0":
        if key in (MULTI_VM, SINGLE_VM) and flag:  # 6.0: the flag alone (EhcachePortalCacheManager)
            all_cluster_link = cleared = True
            caches = [(name, cache, [_injected(cache, False)]) for name, cache, _ in caches]
    elif key in (MULTI_VM, HIBERNATE):  # cluster-aware managers of 6.1/6.2
        replication = cluster_link and flag
        if not custom or replication:
            if version == "6.2":
                cleared = replication or (not custom and not cluster_link)
            else:
                cleared = not custom and (replication or not cluster_link)
            rebuilt = []
            for name, cache, replicators in caches:
                uses_liferay = any(f.class_name == LIFERAY_LISTENER for f in cache.event_listeners)
                if cleared or (custom and uses_liferay):
                    replicators = [_injected(cache, True)] if replication else []
                rebuilt.append((name, cache, replicators))
            caches = rebuilt
            all_cluster_link = replication and cleared
    if cleared:
        providers, listeners = [], []
    return CacheFile(
        key,
        ref,
        config,
        custom,
        all_cluster_link,
        cleared,
        tuple(providers),
        tuple(listeners),
        tuple(CacheView(name, cache, tuple(r)) for name, cache, r in caches),
    )


def cache_files(node: Node, version: str, keys: tuple[str, ...] = (MULTI_VM, HIBERNATE)) -> list[CacheFile]:
    return [f for f in (cache_file(node, version, key) for key in keys) if f is not None]


def file_label(node: Node, cache_file: CacheFile, line: int | None, column: int | None, text: str) -> Label:
    """A label in the node's own XML file (its root element when no line is given), or at the property that
    selects a built-in file."""
    ref = cache_file.ref
    root = cache_file.config.root
    if not line and root is not None:
        line, column = root.start_line, root.column
    if ref.kind == "file" and ref.origin.file and line:
        return Label(node=node.name, file=ref.origin.file, line=line, column=column or 1, text=text)
    return label(node, ref.setting, text)


def file_name(cache_file: CacheFile) -> str:
    ref = cache_file.ref
    if ref.kind == "file":
        return ref.origin.file.replace("\\", "/").rsplit("/", 1)[-1]
    return ref.setting.value.strip()


def describe_file(cache_file: CacheFile) -> str:
    ref = cache_file.ref
    if ref.kind == "builtin":
        if ref.setting.origin.kind is OriginKind.DEFAULT:
            return f"Liferay's built-in {ref.setting.value.strip()} (the {ref.setting.origin.detail.split(' (')[0]})"
        return f"Liferay's built-in {ref.setting.value.strip()}"
    return f"the custom file {ref.setting.value.strip()}"


def short_class(name: str) -> str:
    return name.rsplit(".", 1)[-1]


# ----------------------------------------------------------------------------- rule

CLUSTERED_FILES = {MULTI_VM: "/ehcache/liferay-multi-vm-clustered.xml", HIBERNATE: "/ehcache/hibernate-clustered.xml"}
MAX_LISTED = 5


def _names(views: list[CacheView]) -> str:
    shown = ", ".join(v.name for v in views[:MAX_LISTED])
    return shown + (f" and {len(views) - MAX_LISTED} more" if len(views) > MAX_LISTED else "")


def _count(views: list[CacheView]) -> str:
    return f"{len(views)} cache{'' if len(views) == 1 else 's'}"


def _verb(views: list[CacheView], one: str, many: str) -> str:
    return one if len(views) == 1 else many


def _usable(provider: Provider) -> bool:
    """Ehcache's RMI factory returns no provider for a peerDiscovery other than automatic/manual."""
    if provider.class_name != RMI_PROVIDER:
        return True
    return provider.properties.get("peerDiscovery", "automatic").strip().lower() in ("automatic", "manual")


def _help(cache_file: CacheFile, version: str) -> str:
    if cache_file.ref.kind == "builtin" and cache_file.key in CLUSTERED_FILES:
        return f"set {cache_file.key}={CLUSTERED_FILES[cache_file.key]} on every node"
    return "give every cache (and defaultCache) a replicating cacheEventListenerFactory and declare a peer provider"


def _findings(node: Node, version: str, cache_file: CacheFile, size: int) -> Iterator[Finding]:
    what = CACHE_MANAGERS[cache_file.key]
    where = f"on {node.name} ({size}-node cluster)"
    key = cache_file.key
    described = describe_file(cache_file)
    confidence = cache_file.ref.setting.confidence
    views = list(cache_file.caches)
    replicated = [v for v in views if v.replicators]
    if not replicated:
        providers = "no cacheManagerPeerProviderFactory" if not cache_file.providers else "a peer provider"
        default_note = ""
        if cache_file.ref.kind == "builtin" and version == "6.0":
            default_note = ", not a clustered file"
            if cache_file.key == MULTI_VM:
                default_note = ", whose caches 'can be clustered but are not configured to be clustered'"
        first = views[0] if views else None
        yield Finding(
            f"The {what} is not replicated {where}: {key} is {described}{default_note}; neither its defaultCache "
            f"nor any of its {len(cache_file.config.caches)} caches has a replicator (cacheEventListenerFactory) "
            f"and it has {providers}, so cache changes on one node never reach the others",
            file_label(
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
    remote = [v for v in replicated if any(r.class_name != CLUSTER_REPLICATOR for r in v.replicators)]
    usable = [p for p in cache_file.providers if _usable(p)]
    if remote and not usable:
        if cache_file.providers:
            bad = cache_file.providers[0]
            discovery = bad.properties.get("peerDiscovery", "")
            why = (
                f"its peer provider has peerDiscovery={discovery!r}, which Ehcache's RMI provider factory does not "
                "know (only automatic or manual), so no provider is created"
            )
            at = file_label(
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
            at = file_label(node, cache_file, None, None, "no peer provider")
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
    rmi = [p for p in usable if p.class_name == RMI_PROVIDER]
    if rmi and not cache_file.listeners:
        provider = rmi[0]
        yield Finding(
            f"The {what} only half replicates {where}: {key} is {described}; it has an RMI peer provider but no "
            "cacheManagerPeerListenerFactory, so this node sends changes but never receives the other nodes' changes",
            file_label(node, cache_file, provider.factory.line, provider.factory.column, "no RMI peer listener"),
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
            file_label(node, cache_file, v.cache.line, v.cache.column, "no replicator") for v in local[1:MAX_LISTED]
        )
        yield Finding(
            f"{_count(local)} of the {what} {_verb(local, 'is', 'are')} not replicated {where}: in {described} "
            f"({key}) {_names(local)} {_verb(local, 'has', 'have')} no replicating cacheEventListenerFactory{note}",
            file_label(node, cache_file, first.cache.line, first.cache.column, "no replicator"),
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
    sources=(
        "Liferay 6.0.11 EhcachePortalCacheManager.getConfiguration, 6.1.0 and 6.2.5 EhcacheConfigurationUtil "
        "(ambition-consulting/6.0.11, agmip/liferay-portal-impl, dinolupo/Liferay6.2-fixed; read through the code "
        "index): what Liferay removes and injects; 6.2 LiferayEhcacheRegionFactory and EhcachePortalCacheManager "
        "_DEFAULT_CLUSTERED_EHCACHE_CONFIG_FILE (usingDefault); 6.0 Hibernate uses net.sf.ehcache's EhCacheProvider",
        "portal.properties 6.0.11 (liferay-multi-vm.xml and hibernate.xml defaults, 'Uncomment the following in a "
        "clustered environment'), 6.1.0/6.2.5 defaults; hibernate.cache.use_second_level_cache true/true/false "
        "(liferay-ha-facts.md §6.1)",
        "Ehcache 2 RMICacheManagerPeerProviderFactory (peerDiscovery automatic/manual, otherwise no provider), "
        "ehcache.xsd (defaultCache listeners only for caches created from it): ehcache-jgroups-facts.md A.1, A.3, A.6",
        "Liferay built-in files: shared/corpus/liferay/ehcache (EH60, EH62)",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    cluster_link = setting_true(node, CLUSTER_LINK)
    for cache_file in cache_files(node, ctx.version):
        if cache_file.cluster_link:
            continue  # Cluster Link replication on every cache (HA501/HA502 cover its preconditions)
        if cache_file.cleared and not cluster_link:
            continue  # 6.1/6.2 default file with Cluster Link off: HA101
        yield from _findings(node, ctx.version, cache_file, len(ctx.cluster.nodes))
