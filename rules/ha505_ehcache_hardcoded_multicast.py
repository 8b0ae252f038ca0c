"""HA505 ehcache-hardcoded-multicast: a custom 6.x cache file hard-codes its RMI multicast group, or the group
collides with a Cluster Link channel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import (
    WARNING,
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
    jgroups_value,
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

MPING = ('multicast.group.address["cluster-link-mping"]', 'multicast.group.port["cluster-link-mping"]')


def _cluster_link_groups(node: Node) -> dict[tuple[str, str], str]:
    """The multicast groups Cluster Link uses on this node: each UDP channel's mcast address and port, and
    the MPING discovery group (jgroups.mping.* from cluster.link.channel.system.properties)."""
    groups: dict[tuple[str, str], str] = {}
    for ref in node.references:
        stack = ref.jgroups
        if stack is None or not ref.key.startswith("cluster.link.channel.properties."):
            continue
        transport = stack.transport
        if transport is None or transport.base != "UDP":
            continue
        address, _ = jgroups_value(node, transport.get("mcast_addr", "mcast_group_addr"))
        port, _ = jgroups_value(node, transport.get("mcast_port"))
        if address and port:
            groups.setdefault((address.strip(), port.strip()), f"the Cluster Link channel {ref.key}")
    address_setting, port_setting = node.setting(MPING[0]), node.setting(MPING[1])
    if address_setting is not None and port_setting is not None:
        key = (address_setting.value.strip(), port_setting.value.strip())
        groups.setdefault(key, 'Cluster Link\'s MPING discovery group (multicast.group.*["cluster-link-mping"])')
    return groups


@rule(
    id="HA505",
    name="ehcache-hardcoded-multicast",
    severity=WARNING,
    scope="node",
    versions="6.x",
    tags=("ehcache", "cache", "multicast"),
    summary="A custom 6.x cache file hard-codes its RMI multicast group instead of portalPropertyKey, or its group "
    "collides with a Cluster Link group.",
    rationale=(
        "Liferay's clustered cache files do not name a multicast group: LiferayCacheManagerPeerProviderFactory takes "
        "its properties from the portal property named by portalPropertyKey "
        '(<key>.peerProviderProperties), which in turn uses multicast.group.address["multi-vm"] / ["hibernate"]. A '
        "custom file that writes multicastGroupAddress and multicastGroupPort itself escapes that single place: "
        "changing the portal's multicast groups (for example to separate two clusters on one network) no longer "
        "reaches the cache, and the file must be edited on every node. If the group equals one Cluster Link uses, "
        "RMI heartbeats and JGroups traffic share a 'conversation', which the portal.properties Multicast section "
        "warns causes unnecessary or inaccurate traffic. Files whose RMI factories Liferay replaces with Cluster "
        "Link replication are not checked."
    ),
    fix='Use class="com.liferay.portal.cache.ehcache.LiferayCacheManagerPeerProviderFactory" with '
    'properties="portalPropertyKey=<key>.peerProviderProperties" and set the group through the '
    "multicast.group.address[...] / multicast.group.port[...] portal properties, unique per channel.",
    sources=(
        "Liferay 6.0.11/6.2.5 clustered cache files (shared/corpus/liferay/ehcache) and "
        "LiferayCacheManagerPeerProviderFactory (portalPropertyKey); portal.properties Multicast section "
        "(liferay-ha-facts.md §2.3, §6.1; ehcache-jgroups-facts.md A.4)",
        "Ehcache 2 RMICacheManagerPeerProviderFactory properties (peerDiscovery, multicastGroupAddress, "
        "multicastGroupPort; ehcache-jgroups-facts.md A.3)",
        "6.x EhcacheConfigurationUtil / EhcachePortalCacheManager: RMI factories removed under Cluster Link "
        "replication (A.4)",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    groups = _cluster_link_groups(node)
    seen: set[tuple[str, int]] = set()
    for cache_file in cache_files(node, ctx.version, (MULTI_VM, HIBERNATE, SINGLE_VM)):
        for provider in cache_file.providers:
            if provider.class_name != RMI_PROVIDER:
                continue
            properties = provider.properties
            if properties.get("peerDiscovery", "automatic").strip().lower() != "automatic":
                continue
            address = properties.get("multicastGroupAddress", "").strip()
            port = properties.get("multicastGroupPort", "").strip()
            if not address or "${" in address + port:
                continue
            factory = provider.factory
            hard_coded = provider.source is None and cache_file.ref.kind == "file"
            place = (cache_file.ref.origin.file, factory.line)
            if place in seen:
                continue
            collision = groups.get((address, port))
            if provider.source is not None and collision is not None and "${multicast.group." in provider.source.raw:
                collision = None  # the portal properties themselves collide: HA105 reports it
            if not hard_coded and collision is None:
                continue
            seen.add(place)
            if hard_coded:
                at = file_label(
                    node,
                    cache_file,
                    factory.properties_line or factory.line,
                    factory.properties_column or factory.column,
                    "hard-coded multicast group",
                )
                message = (
                    f"{file_name(cache_file)} ({cache_file.key} on {node.name}) hard-codes the RMI discovery group "
                    f"multicastGroupAddress={address}, multicastGroupPort={port} instead of taking it from "
                    f"{cache_file.key}.peerProviderProperties through portalPropertyKey, so the portal's "
                    "multicast.group.* settings do not reach it"
                )
            else:
                assert provider.source is not None
                at = label(node, provider.source, "multicast group of the cache")
                message = (
                    f"{provider.source.key} on {node.name} gives the {CACHE_MANAGERS[cache_file.key]} the RMI "
                    f"discovery group {address}:{port}"
                )
            if collision is not None:
                message += f"; {address}:{port} is also {collision}, so cache heartbeats and Cluster Link share traffic"
            yield Finding(
                message,
                at,
                help="use LiferayCacheManagerPeerProviderFactory with portalPropertyKey and a multicast group of its "
                'own (multicast.group.address["multi-vm"] / ["hibernate"])',
                confidence=cache_file.ref.setting.confidence,
                subject=f"{cache_file.key}:multicastGroupAddress",
            )
