"""HA507 ehcache-peer-discovery-mismatch: RMI peer discovery differs between 6.x nodes, or rmiUrls omit a peer."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
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


class _Discovery(NamedTuple):
    cache_file: CacheFile
    provider: Provider
    mode: str  # "automatic" or "manual" (anything else gives no provider: HA504)
    setting: Setting  # where the provider's properties are written

    def get(self, key: str, default: str = "") -> str:
        return self.provider.properties.get(key, default).strip()


def _discovery(node: Node, version: str, key: str) -> _Discovery | None:
    cache_file = _rmi_file(node, version, key)
    if cache_file is None:
        return None
    for provider in cache_file.providers:
        if provider.class_name != RMI_PROVIDER:
            continue
        mode = provider.properties.get("peerDiscovery", "automatic").strip().lower() or "automatic"
        if mode not in ("automatic", "manual"):
            return None
        if provider.source is not None:
            setting = provider.source
        else:
            factory = provider.factory
            ref = cache_file.ref
            text = factory.properties_text or ""
            if ref.kind == "file":
                origin = Origin(
                    ref.origin.file,
                    factory.properties_line or factory.line,
                    factory.properties_column or factory.column,
                )
            else:
                origin = ref.setting.origin
            setting = Setting(f"{file_name(cache_file)} properties", text, text, origin, Confidence.EXPLICIT)
        return _Discovery(cache_file, provider, mode, setting)
    return None


def _rmi_file(node: Node, version: str, key: str) -> CacheFile | None:
    found = cache_file(node, version, key)
    if found is None or found.cluster_link or found.cleared:
        return None  # Liferay replaced or removed the RMI factories
    return found


def _listener_address(cache_file: CacheFile) -> str | None:
    """host:port the node's RMI peer listener advertises, when the file pins both."""
    for listener in cache_file.listeners:
        host = (listener.get("hostName") or "").strip()
        port = (listener.get("port") or "").strip()
        if host and port and port != "0" and "${" not in host + port:
            return f"{host.lower()}:{port}"
    return None


def _rmi_urls(value: str) -> dict[str, set[str]]:
    """//host:port/cacheName|... -> {host:port: {cacheName}}."""
    out: dict[str, set[str]] = {}
    for url in value.split("|"):
        url = url.strip()
        if not url.startswith("//") or "/" not in url[2:]:
            continue
        address, _, cache = url[2:].partition("/")
        out.setdefault(address.strip().lower(), set()).add(cache.strip())
    return out


def _replicated(cache_file: CacheFile) -> set[str]:
    return {v.name for v in cache_file.caches if v.name != "defaultCache" and v.replicators}


def _manual(cluster: Cluster, found: dict[str, _Discovery], key: str) -> Iterator[Finding]:
    nodes = [n for n in cluster.nodes if n.name in found]
    own = {n.name: _listener_address(found[n.name].cache_file) for n in nodes}
    size = len(cluster.nodes)
    for node in nodes:
        discovery = found[node.name]
        urls = _rmi_urls(discovery.get("rmiUrls"))
        at = label(node, discovery.setting, "rmiUrls")
        missing_peers = [
            (other.name, address)
            for other in nodes
            if other is not node and (address := own[other.name]) is not None and address not in urls
        ]
        if missing_peers:
            shown = ", ".join(f"{name} ({address})" for name, address in missing_peers)
            yield Finding(
                f"The manual RMI peer list (rmiUrls) of the {CACHE_MANAGERS[key]} on {node.name} omits {shown}: "
                "changes made on this node never reach that peer",
                at,
                help="list every other node's //host:port/cacheName in rmiUrls, for every replicated cache",
                subject=f"{key}:rmiUrls",
            )
            continue
        peers = {a for a in urls if a != own[node.name]}
        if len(peers) < size - 1:
            yield Finding(
                f"The manual RMI peer list (rmiUrls) of the {CACHE_MANAGERS[key]} on {node.name} names "
                f"{len(peers)} peer{'s' if len(peers) != 1 else ''} ({', '.join(sorted(peers)) or 'none'}) in a "
                f"{size}-node cluster: at least {size - 1 - len(peers)} other node(s) never receive this node's "
                "changes",
                at,
                help="list every other node's //host:port/cacheName in rmiUrls, for every replicated cache",
                subject=f"{key}:rmiUrls",
            )
            continue
        wanted = _replicated(discovery.cache_file)
        for address in sorted(peers):
            absent = sorted(wanted - urls[address])
            if absent:
                more = f" and {len(absent) - 3} more" if len(absent) > 3 else ""
                yield Finding(
                    f"The manual RMI peer list (rmiUrls) of the {CACHE_MANAGERS[key]} on {node.name} names {address} "
                    f"but not for every replicated cache: {', '.join(absent[:3])}{more} are never sent to it",
                    at,
                    help="rmiUrls needs one //host:port/cacheName entry per peer and replicated cache",
                    subject=f"{key}:rmiUrls:{address}",
                )


@rule(
    id="HA507",
    name="ehcache-peer-discovery-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="6.x",
    tags=("ehcache", "cache", "multicast"),
    summary="RMI cache peer discovery differs between 6.x nodes (group, port, TTL, mode), or a manual rmiUrls list "
    "omits a peer.",
    rationale=(
        "With Ehcache's RMI replication the nodes find each other either by multicast heartbeats "
        "(peerDiscovery=automatic: multicastGroupAddress, multicastGroupPort, timeToLive) or from a fixed list "
        "(peerDiscovery=manual: rmiUrls=//host:port/cacheName|...). Nodes on different groups or ports never see "
        "each other, a TTL that differs hints that some nodes' heartbeats do not reach the others, and a manual "
        "list must name every other node for every replicated cache, otherwise that node's changes silently stay "
        "behind. Only nodes whose RMI factories are in effect are compared (Liferay removes them under Cluster Link "
        "replication). Groups that come from the multicast.group.* portal properties unchanged are left to HA104."
    ),
    fix="Use the same peerProviderProperties (or provider properties in the cache file) on every node; with manual "
    "discovery list all other nodes' //host:port/cacheName in each node's rmiUrls.",
    sources=(
        "Ehcache 2 RMICacheManagerPeerProviderFactory (peerDiscovery, multicastGroupAddress, multicastGroupPort, "
        "timeToLive default 1, rmiUrls '|'-separated), RMICacheManagerPeerListenerFactory (hostName, port): "
        "ehcache-jgroups-facts.md A.2, A.3, A.5 (verified in the ehcache2 sources)",
        "Liferay 6.x LiferayCacheManagerPeerProviderFactory portalPropertyKey, portal.properties "
        "*.peerProviderProperties defaults (A.4, liferay-ha-facts.md §6.1)",
        "INFERENCE: a node's RMI address is known only when its peer listener pins hostName and port; otherwise "
        "the rule counts the peers in rmiUrls against the number of nodes",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    for key in (MULTI_VM, HIBERNATE):
        found = {n.name: d for n in cluster.nodes if (d := _discovery(n, ctx.version, key)) is not None}
        if len(found) < 2:
            continue
        yield from _agree(cluster, found, key)


def _agree(cluster: Cluster, found: dict[str, _Discovery], key: str) -> Iterator[Finding]:
    def skip(node: Node) -> bool:
        return node.name not in found

    def setting_of(node: Node) -> Setting | None:
        return found[node.name].setting

    what = f"RMI peer discovery of the {CACHE_MANAGERS[key]} ({key})"
    modes = list(
        agreement(
            cluster,
            lambda n: found[n.name].mode,
            setting_of,
            what=f"{what}: peerDiscovery",
            subject=f"{key}:peerDiscovery",
            help="use the same peer discovery on every node",
            skip=skip,
        )
    )
    if modes:
        yield from modes
        return
    mode = next(iter(found.values())).mode
    if mode == "manual":
        yield from _manual(cluster, found, key)
        return
    raws = {d.setting.raw for d in found.values()}
    if len(raws) == 1 and "${multicast.group." in next(iter(raws)):
        return  # identical properties resolving portal multicast groups: HA104 compares those
    yield from agreement(
        cluster,
        lambda n: (found[n.name].get("multicastGroupAddress"), found[n.name].get("multicastGroupPort")),
        setting_of,
        what=f"{what}: multicast group",
        show=_group,
        subject=f"{key}:multicastGroup",
        help="use the same multicastGroupAddress and multicastGroupPort on every node",
        skip=skip,
    )
    yield from agreement(
        cluster,
        lambda n: found[n.name].get("timeToLive", "1") or "1",
        setting_of,
        what=f"{what}: timeToLive",
        subject=f"{key}:timeToLive",
        help="use the same timeToLive on every node, large enough for the network between them",
        skip=skip,
    )


def _group(value: Hashable) -> str:
    assert isinstance(value, tuple)
    address, port = value
    return f"{address or '(no address)'}:{port or '(no port)'}"
