"""HA506 ehcache-config-mismatch: nodes replicate different caches, or with different settings."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
    Cache,
    Cluster,
    Confidence,
    Context,
    EhcacheConfig,
    Factory,
    Finding,
    Label,
    Node,
    Origin,
    OriginKind,
    Reference,
    Setting,
    agreement,
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

MAX_CACHES = 10  # per cache file: more differing caches are summarised in the last finding
REPLICATOR_DEFAULTS = {  # RMICacheReplicatorFactory defaults (the JGroups and Liferay replicators take the same keys)
    "replicatePuts": "true",
    "replicatePutsViaCopy": "true",
    "replicateUpdates": "true",
    "replicateUpdatesViaCopy": "true",
    "replicateRemovals": "true",
    "replicateAsynchronously": "true",
    "asynchronousReplicationIntervalMillis": "1000",
    "asynchronousReplicationMaximumBatchSize": "1000",
}
REPLICATOR_PREFIX = "ehcache.replicator.properties."


def _mode(node: Node, key: str, cache_file: CacheFile | None) -> str | None:
    if cache_file is None:
        if key == HIBERNATE and not setting_true(node, SECOND_LEVEL):
            return "none: the Hibernate second-level cache is off"
        return None  # no file to judge (unresolved, missing, Ehcache 3): HA003/HA508
    if cache_file.cluster_link:
        return "Cluster Link (Liferay's replicator on every cache)"
    classes = {r.class_name for v in cache_file.caches for r in v.replicators}
    if not classes:
        return "no replication"
    kinds = set()
    for name in classes:
        if name == CLUSTER_REPLICATOR:
            kinds.add("Cluster Link")
        elif "JGroups" in name:
            kinds.add("JGroups")
        elif "RMI" in name:
            kinds.add("RMI")
        else:
            kinds.add(short_class(name))
    return " + ".join(sorted(kinds)) + " replication from the cache file"


def _mode_setting(node: Node, key: str, cache_file: CacheFile | None) -> Setting | None:
    if cache_file is None:
        return node.setting(SECOND_LEVEL)
    if cache_file.cluster_link:
        return node.setting(FLAG)
    return node.setting(key)


def _signature(view: CacheView | None) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    if view is None:
        return ()
    out = []
    for replicator in view.replicators:
        settings = dict(REPLICATOR_DEFAULTS)
        settings.update(
            {
                k: v.strip().lower() if v.strip().lower() in ("true", "false") else v.strip()
                for k, v in replicator.properties.items()
            }
        )
        changed = tuple(sorted((k, v) for k, v in settings.items() if REPLICATOR_DEFAULTS.get(k) != v))
        out.append((replicator.class_name, changed))
    return tuple(sorted(out))


def _show_signature(value: Hashable) -> str:
    if not value:
        return "not replicated"
    assert isinstance(value, tuple)
    parts = []
    for class_name, changed in value:
        options = ", ".join(f"{k}={v}" for k, v in changed)
        parts.append(f"{short_class(class_name)}" + (f" ({options})" if options else " (defaults)"))
    return "replicated by " + " + ".join(parts)


def _view(cache_file: CacheFile, name: str) -> tuple[CacheView | None, bool]:
    """The cache as the node gets it: declared, or created at run time from defaultCache."""
    default = None
    for view in cache_file.caches:
        if view.name == name:
            return view, True
        if view.name == "defaultCache":
            default = view
    return default, False


def _cache_setting(node: Node, cache_file: CacheFile, name: str) -> Setting:
    view, declared = _view(cache_file, name)
    shown = _show_signature(_signature(view))
    ref = cache_file.ref
    if ref.kind == "file" and view is not None:
        # the declared cache, or the defaultCache it is created from at run time
        origin = Origin(ref.origin.file, view.cache.line, view.cache.column)
        return Setting(name, shown, shown, origin, Confidence.EXPLICIT if declared else Confidence.DEFAULT)
    return ref.setting


def _check_file(cluster: Cluster, version: str, key: str) -> Iterator[Finding]:
    files = {node.name: cache_file(node, version, key) for node in cluster.nodes}
    modes = {node.name: _mode(node, key, files[node.name]) for node in cluster.nodes}
    found = list(
        agreement(
            cluster,
            lambda n: modes[n.name],
            lambda n: _mode_setting(n, key, files[n.name]),
            what=f"How the {CACHE_MANAGERS[key]} replicates ({key})",
            subject=f"{key}:mode",
            help="use the same cache files and the same ehcache.cluster.link.replication.enabled on every node",
            skip=lambda n: modes[n.name] is None,
        )
    )
    if found:
        yield from found
        return
    present = {name: f for name, f in files.items() if f is not None and not f.cluster_link}
    if len(present) < 2:
        return
    names = sorted({v.name for f in present.values() for v in f.caches}, key=lambda n: (n != "defaultCache", n))
    differing = [n for n in names if len({_signature(_view(f, n)[0]) for f in present.values()}) > 1]
    for index, name in enumerate(differing[:MAX_CACHES]):
        more = len(differing) - MAX_CACHES
        suffix = f" (and {more} more caches differ)" if index == MAX_CACHES - 1 and more > 0 else ""
        yield from _check_cache(cluster, key, present, name, suffix)


def _check_cache(
    cluster: Cluster, key: str, present: dict[str, CacheFile], name: str, suffix: str
) -> Iterator[Finding]:
    def value_of(node: Node) -> Hashable:
        return _signature(_view(present[node.name], name)[0])

    def setting_of(node: Node) -> Setting | None:
        return _cache_setting(node, present[node.name], name)

    for finding in agreement(
        cluster,
        value_of,
        setting_of,
        what=f"Replication of cache {name} ({key})",
        show=_show_signature,
        subject=f"{key}:{name}",
        help="deploy the same cache file on every node",
        skip=lambda n: n.name not in present,
    ):
        yield finding._replace(message=finding.message + suffix)


def _replicator_value(node: Node, key: str) -> str:
    """The replicator properties as written (order and blanks ignored)."""
    setting = node.setting(key)
    if setting is None:
        return "not set (ehcache.replicator.properties.default applies)"
    value = ",".join(sorted(p.strip() for p in setting.value.split(",") if p.strip()))
    return value or "empty (the replicator's own defaults)"


def _check_7x(cluster: Cluster) -> Iterator[Finding]:
    def skip(node: Node) -> bool:
        return not setting_true(node, CLUSTER_LINK)

    keys = sorted({k for n in cluster.nodes if not skip(n) for k in n.settings if k.startswith(REPLICATOR_PREFIX)})
    for key in keys:
        yield from _agree_setting(cluster, key, skip)


def _agree_setting(cluster: Cluster, key: str, skip: Callable[[Node], bool]) -> Iterator[Finding]:
    def value_of(node: Node) -> Hashable:
        return _replicator_value(node, key)

    def setting_of(node: Node) -> Setting | None:
        return node.setting(key)

    yield from agreement(
        cluster,
        value_of,
        setting_of,
        what=f"Cache replication settings ({key})",
        subject=key,
        help=f"set the same {key} on every node",
        skip=skip,
    )


@rule(
    id="HA506",
    name="ehcache-config-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("ehcache", "cache", "drift"),
    summary="Nodes replicate their caches differently: another transport, other replicated caches, or other "
    "replication settings.",
    rationale=(
        "Cache replication only works between nodes that agree on it. On 6.x the effective cache files (after "
        "Liferay's Cluster Link takeover) must use the same transport on every node (RMI, JGroups or Cluster Link "
        "never talk to each other), replicate the same caches, and replicate each cache the same way "
        "(replicatePuts, replicateUpdatesViaCopy, ...): a cache that replicates on one node but is local on "
        "another silently diverges. On 7.x Liferay injects replication itself when Cluster Link is on, and the "
        "per-cache settings come from ehcache.replicator.properties.* (compared between nodes with Cluster Link "
        "on). Caches a file does not declare are compared as they are created at run time, from defaultCache."
    ),
    fix="Deploy the same cache files and the same ehcache.* properties on every node.",
    sources=(
        "ehcache-jgroups-facts.md A.5 (what must agree: replicated cache names, replicator class and mode, "
        "transport; 7.x ehcache.replicator.properties.*) and A.3 (RMICacheReplicatorFactory defaults)",
        "6.0.11 EhcachePortalCacheManager, 6.1.0/6.2.5 EhcacheConfigurationUtil (Cluster Link takeover), "
        "7.x MultiVMEhcachePortalCacheManagerConfigurator (S-7X-CFG)",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    if ctx.version.startswith("6."):
        for key in (MULTI_VM, HIBERNATE):
            yield from _check_file(cluster, ctx.version, key)
    else:
        yield from _check_7x(cluster)
