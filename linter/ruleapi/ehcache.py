"""The Ehcache replication model of a 6.x node: each clustered cache file as Ehcache finally gets it.

It replays what Liferay 6.x does to a cache file before Ehcache sees it: 6.0
EhcachePortalCacheManager.getConfiguration, 6.1 and 6.2 EhcacheConfigurationUtil.getConfiguration
(ehcache-jgroups-facts.md A.4, verified in the 6.0.11, 6.1.0 and 6.2.5 sources): with Cluster Link
replication Liferay replaces every replicator with its Cluster Link replicator and removes the
file's peer provider and listener factories; LiferayCacheManagerPeerProviderFactory takes its
properties from the portal property named by portalPropertyKey, and LiferayCacheEventListenerFactory
delegates to the class named by ehcache.cache.event.listener.factory.

Shared by HA504, HA505, HA506 and HA507 through ``linter.ruleapi``; nothing here reads files or the
environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from linter.diagnostics import Label
from linter.liferay.defaults import liferay_default
from linter.liferay.ehcache_schema import BOOLEAN_PROPERTIES as BOOLEAN_PROPERTIES
from linter.liferay.ehcache_schema import KNOWN_PROPERTIES as KNOWN_PROPERTIES
from linter.liferay.ehcache_schema import ROOT_ORDER as ROOT_ORDER
from linter.liferay.ehcache_schema import SCHEMA as SCHEMA
from linter.liferay.getter import get_boolean
from linter.liferay.keys import CACHE_KEYS as CACHE_KEYS
from linter.origin import OriginKind, Setting
from linter.ruleapi.cluster_link import cluster_link_enabled
from linter.ruleapi.labels import label
from linter.sources.ehcache import Cache as Cache
from linter.sources.ehcache import EhcacheConfig as EhcacheConfig
from linter.sources.ehcache import Factory as Factory

if TYPE_CHECKING:
    from linter.model import Node, Reference

EHCACHE_MULTI_VM = "ehcache.multi.vm.config.location"
EHCACHE_SINGLE_VM = "ehcache.single.vm.config.location"
EHCACHE_HIBERNATE = "net.sf.ehcache.configurationResourceName"
EHCACHE_REPLICATION_FLAG = "ehcache.cluster.link.replication.enabled"
HIBERNATE_SECOND_LEVEL = "hibernate.cache.use_second_level_cache"
_PROVIDER_DELEGATE = "ehcache.cache.manager.peer.provider.factory"
_LISTENER_DELEGATE = "ehcache.cache.event.listener.factory"
_LIFERAY_LISTENER = "com.liferay.portal.cache.ehcache.LiferayCacheEventListenerFactory"
_LIFERAY_PROVIDERS = (
    "com.liferay.portal.cache.ehcache.LiferayCacheManagerPeerProviderFactory",
    "com.liferay.portal.cache.ehcache.RMICacheManagerPeerProviderFactory",
)
EHCACHE_CLUSTER_REPLICATOR = "com.liferay.portal.cache.cluster.EhcachePortalCacheClusterReplicatorFactory"
EHCACHE_RMI_PROVIDER = "net.sf.ehcache.distribution.RMICacheManagerPeerProviderFactory"
_RMI_REPLICATOR = "net.sf.ehcache.distribution.RMICacheReplicatorFactory"
EHCACHE_MANAGERS = {
    EHCACHE_MULTI_VM: "multi-VM (portal) cache",
    EHCACHE_SINGLE_VM: "single-VM cache",
    EHCACHE_HIBERNATE: "Hibernate second-level cache",
}


class Replicator(NamedTuple):
    class_name: str  # what replicates: the class written, or the delegate of LiferayCacheEventListenerFactory
    properties: dict[str, str]
    factory: Factory | None  # the element; None when Liferay injected the replicator


class CacheView(NamedTuple):
    name: str  # "defaultCache" for the default cache
    cache: Cache
    replicators: tuple[Replicator, ...]


class PeerProvider(NamedTuple):
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
    providers: tuple[PeerProvider, ...]
    listeners: tuple[Factory, ...]
    caches: tuple[CacheView, ...]  # defaultCache first


def setting_true(node: Node, key: str) -> bool:
    """A boolean portal property as Liferay reads it (``GetterUtil.getBoolean``, default false)."""
    setting = node.setting(key)
    return get_boolean(setting.value if setting is not None else None)


def is_replicator(class_name: str | None) -> bool:
    """An event listener factory that replicates: Liferay's listener factory or any *Replicator* class."""
    return bool(class_name) and (class_name == _LIFERAY_LISTENER or "Replicator" in str(class_name))


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
        if name == _LIFERAY_LISTENER:
            name = _delegate(node, _LISTENER_DELEGATE, _RMI_REPLICATOR)
        out.append(Replicator(name, {p.key: factory.get(p.key) or "" for p in factory.properties}, factory))
    return out


def _provider(node: Node, factory: Factory) -> PeerProvider | None:
    if not factory.class_name:
        return None
    if factory.class_name in _LIFERAY_PROVIDERS:
        source = None
        key = factory.get("portalPropertyKey")
        if key:
            source = node.setting(key)
        properties = liferay_properties(source.value) if source is not None else {}
        return PeerProvider(_delegate(node, _PROVIDER_DELEGATE, EHCACHE_RMI_PROVIDER), factory, properties, source)
    return PeerProvider(
        factory.class_name, factory, {p.key: factory.get(p.key) or "" for p in factory.properties}, None
    )


def _injected(cache: Cache, with_properties: bool) -> Replicator:
    properties: dict[str, str] = {}
    if with_properties:  # 6.1/6.2 copy the properties of the first Liferay or net.sf.ehcache.distribution listener
        for factory in cache.event_listeners:
            name = factory.class_name or ""
            if "LiferayCacheEventListenerFactory" in name or "net.sf.ehcache.distribution" in name:
                properties = {p.key: factory.get(p.key) or "" for p in factory.properties}
                break
    return Replicator(EHCACHE_CLUSTER_REPLICATOR, properties, None)


def cache_file(node: Node, version: str, key: str) -> CacheFile | None:
    """The effective cache file behind ``key`` on a 6.x node, as Ehcache finally gets it; None when there
    is none to judge (not resolved, not Ehcache 2, or the Hibernate cache is off)."""
    ref = node.reference(key)
    if ref is None or ref.ehcache is None or ref.ehcache.is_ehcache3 or not version.startswith("6."):
        return None
    if key == EHCACHE_HIBERNATE and not setting_true(node, HIBERNATE_SECOND_LEVEL):
        return None
    config = ref.ehcache
    default = liferay_default(version, key)
    custom = default is None or ref.setting.value.strip() != default.strip()
    cluster_link = cluster_link_enabled(node)
    flag = setting_true(node, EHCACHE_REPLICATION_FLAG)
    caches = [
        (name, cache, _replicators(node, cache))
        for name, cache in ([("defaultCache", config.default_cache)] if config.default_cache else [])
        + [(c.name or "", c) for c in config.caches]
    ]
    providers = [p for p in (_provider(node, f) for f in config.peer_providers) if p is not None]
    listeners = [f for f in config.peer_listeners if f.class_name]
    all_cluster_link = cleared = False
    if version == "6.0":
        if key in (EHCACHE_MULTI_VM, EHCACHE_SINGLE_VM) and flag:  # 6.0: the flag alone (EhcachePortalCacheManager)
            all_cluster_link = cleared = True
            caches = [(name, cache, [_injected(cache, False)]) for name, cache, _ in caches]
    elif key in (EHCACHE_MULTI_VM, EHCACHE_HIBERNATE):  # cluster-aware managers of 6.1/6.2
        replication = cluster_link and flag
        if not custom or replication:
            if version == "6.2":
                cleared = replication or (not custom and not cluster_link)
            else:
                cleared = not custom and (replication or not cluster_link)
            rebuilt = []
            for name, cache, replicators in caches:
                uses_liferay = any(f.class_name == _LIFERAY_LISTENER for f in cache.event_listeners)
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


def cache_files(
    node: Node, version: str, keys: tuple[str, ...] = (EHCACHE_MULTI_VM, EHCACHE_HIBERNATE)
) -> list[CacheFile]:
    """The effective cache files of the cluster-aware managers (multi-VM and Hibernate by default)."""
    return [f for f in (cache_file(node, version, key) for key in keys) if f is not None]


def cache_file_label(node: Node, cache_file: CacheFile, line: int | None, column: int | None, text: str) -> Label:
    """A label in the node's own XML file (its root element when no line is given), or at the property that
    selects a built-in file."""
    ref = cache_file.ref
    root = cache_file.config.root
    if not line and root is not None:
        line, column = root.start_line, root.column
    if ref.kind == "file" and ref.origin.file and line:
        return Label(node=node.name, file=ref.origin.file, line=line, column=column or 1, text=text)
    return label(node, ref.setting, text)


def cache_file_name(cache_file: CacheFile) -> str:
    """The file's name (a node's own file) or the built-in resource its property names."""
    ref = cache_file.ref
    if ref.kind == "file":
        return ref.origin.file.replace("\\", "/").rsplit("/", 1)[-1]
    return ref.setting.value.strip()


def describe_cache_file(cache_file: CacheFile) -> str:
    """The cache file for a message: Liferay's built-in file (and which default names it) or the custom file."""
    ref = cache_file.ref
    if ref.kind == "builtin":
        if ref.setting.origin.kind is OriginKind.DEFAULT:
            return f"Liferay's built-in {ref.setting.value.strip()} (the {ref.setting.origin.detail.split(' (')[0]})"
        return f"Liferay's built-in {ref.setting.value.strip()}"
    return f"the custom file {ref.setting.value.strip()}"


def short_class(name: str) -> str:
    """A class name without its package."""
    return name.rsplit(".", 1)[-1]
