"""HA505 ehcache-hardcoded-multicast: a custom 6.x cache file hard-codes its RMI multicast group, or the group
collides with a Cluster Link channel."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, label, rule
from linter.ruleapi.cluster_link import jgroups_value
from linter.ruleapi.ehcache import (
    EHCACHE_HIBERNATE,
    EHCACHE_MANAGERS,
    EHCACHE_MULTI_VM,
    EHCACHE_RMI_PROVIDER,
    EHCACHE_SINGLE_VM,
    cache_file_label,
    cache_file_name,
    cache_files,
)

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
    # facts: liferay-ha-facts.md §2.3, §6.1; ehcache-jgroups-facts.md A.4, A.3; read in:
    #   shared/corpus/liferay/ehcache
    sources=(
        (
            "Liferay 6.2 built-in cache files: https://github.com/liferay/liferay-portal/tree/6.2.5-ga6/portal-impl/"
            "src/ehcache"
        ),
        (
            "Liferay 6.2 source, LiferayCacheManagerPeerProviderFactory.java (peer provider properties read from "
            "portal properties): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/"
            "liferay/portal/cache/ehcache/LiferayCacheManagerPeerProviderFactory.java"
        ),
        (
            "Liferay 6.2 portal.properties (section 'Multicast'): https://github.com/liferay/liferay-portal/blob/"
            "6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Ehcache 2.8 documentation, 'RMI Replicated Caching' (peerDiscovery, multicastGroupAddress, "
            "multicastGroupPort): https://www.ehcache.org/documentation/2.8/replication/rmi-replicated-caching.html"
        ),
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java (RMI factories removed under Cluster Link "
            "replication): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/"
            "portal/cache/ehcache/EhcacheConfigurationUtil.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    groups = _cluster_link_groups(node)
    seen: set[tuple[str, int]] = set()
    for cache_file in cache_files(node, ctx.version, (EHCACHE_MULTI_VM, EHCACHE_HIBERNATE, EHCACHE_SINGLE_VM)):
        for provider in cache_file.providers:
            if provider.class_name != EHCACHE_RMI_PROVIDER:
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
                at = cache_file_label(
                    node,
                    cache_file,
                    factory.properties_line or factory.line,
                    factory.properties_column or factory.column,
                    "hard-coded multicast group",
                )
                message = (
                    f"{cache_file_name(cache_file)} ({cache_file.key} on {node.name}) hard-codes the RMI discovery "
                    f"group multicastGroupAddress={address}, multicastGroupPort={port} instead of taking it from "
                    f"{cache_file.key}.peerProviderProperties through portalPropertyKey, so the portal's "
                    "multicast.group.* settings do not reach it"
                )
            else:
                assert provider.source is not None
                at = label(node, provider.source, "multicast group of the cache")
                message = (
                    f"{provider.source.key} on {node.name} gives the {EHCACHE_MANAGERS[cache_file.key]} the RMI "
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
