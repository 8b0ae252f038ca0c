"""HA507 ehcache-peer-discovery-mismatch: RMI peer discovery differs between 6.x nodes, or rmiUrls omit a peer."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import NamedTuple

from linter.ruleapi import ERROR, Cluster, Confidence, Context, Finding, Node, Origin, Setting, agreement, label, rule
from linter.ruleapi.ehcache import (
    EHCACHE_HIBERNATE,
    EHCACHE_MANAGERS,
    EHCACHE_MULTI_VM,
    EHCACHE_RMI_PROVIDER,
    CacheFile,
    PeerProvider,
    cache_file,
    cache_file_name,
)


class _Discovery(NamedTuple):
    cache_file: CacheFile
    provider: PeerProvider
    mode: str  # "automatic" or "manual" (anything else gives no provider: HA504)
    setting: Setting  # where the provider's properties are written

    def get(self, key: str, default: str = "") -> str:
        return self.provider.properties.get(key, default).strip()


def _discovery(node: Node, version: str, key: str) -> _Discovery | None:
    cache_file = _rmi_file(node, version, key)
    if cache_file is None:
        return None
    for provider in cache_file.providers:
        if provider.class_name != EHCACHE_RMI_PROVIDER:
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
            setting = Setting(f"{cache_file_name(cache_file)} properties", text, text, origin, Confidence.EXPLICIT)
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
                f"The manual RMI peer list (rmiUrls) of the {EHCACHE_MANAGERS[key]} on {node.name} omits {shown}: "
                "changes made on this node never reach that peer",
                at,
                help="list every other node's //host:port/cacheName in rmiUrls, for every replicated cache",
                subject=f"{key}:rmiUrls",
            )
            continue
        peers = {a for a in urls if a != own[node.name]}
        if len(peers) < size - 1:
            yield Finding(
                f"The manual RMI peer list (rmiUrls) of the {EHCACHE_MANAGERS[key]} on {node.name} names "
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
                    f"The manual RMI peer list (rmiUrls) of the {EHCACHE_MANAGERS[key]} on {node.name} names {address} "
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
    # facts: ehcache-jgroups-facts.md A.2, A.3, A.5; liferay-ha-facts.md §6.1
    sources=(
        (
            "Ehcache 2.8 documentation, 'RMI Replicated Caching' (peerDiscovery, multicastGroupAddress, "
            "multicastGroupPort, timeToLive, rmiUrls, the peer listener's hostName and port): https://"
            "www.ehcache.org/documentation/2.8/replication/rmi-replicated-caching.html"
        ),
        (
            "Liferay 6.2 source, LiferayCacheManagerPeerProviderFactory.java: https://github.com/liferay/"
            "liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/cache/ehcache/"
            "LiferayCacheManagerPeerProviderFactory.java"
        ),
        (
            "Liferay 6.2 portal.properties (the *.peerProviderProperties defaults): https://github.com/liferay/"
            "liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    for key in (EHCACHE_MULTI_VM, EHCACHE_HIBERNATE):
        found = {n.name: d for n in cluster.nodes if (d := _discovery(n, ctx.version, key)) is not None}
        if len(found) < 2:
            continue
        yield from _agree(cluster, found, key)


def _agree(cluster: Cluster, found: dict[str, _Discovery], key: str) -> Iterator[Finding]:
    def skip(node: Node) -> bool:
        return node.name not in found

    def setting_of(node: Node) -> Setting | None:
        return found[node.name].setting

    what = f"RMI peer discovery of the {EHCACHE_MANAGERS[key]} ({key})"
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
