"""Multicast groups in use: the address and port pairs a node really joins.

Each multicast address and port pair is one 'conversation' between the nodes (portal.properties
6.0-7.4, Multicast section). A node joins, while Cluster Link is on, each UDP channel's group and
MPING discovery's group, and on 6.x the Ehcache RMI discovery groups of the cache files still in
effect. Values are resolved as the channel sees them:

- 7.4 built-in ``jgroups/*/udp_*.xml`` take mcast_addr/mcast_port from ``${multicast.group.*[...]}``
  and Liferay substitutes portal properties in channel XML
  (``JGroupsClusterChannelFactory._parseChannelProperties``, liferay/liferay-portal @6cfe4873,
  modules/apps/portal/portal-cluster-multiple/.../jgroups/JGroupsClusterChannelFactory.java);
- ``cluster.link.channel.system.properties`` become System properties before the channels are
  created (``ClusterBase.initSystemProperties``, dinolupo/Liferay6.2-fixed @d87abb81,
  portal-impl/src/com/liferay/portal/cluster/ClusterBase.java; ``JGroupsClusterChannelFactory
  ._initSystemProperties``), overriding ``-D`` flags;
- JGroups system-property precedence for mcast_addr/mcast_port and the UDP defaults 228.8.8.8/7600
  (ehcache-jgroups-facts.md B.2, B.3; JGroups 3.6 Configurator, UDP.java);
- 6.1/6.2 drop the cache files' peer providers when Cluster Link replicates the caches, and for the
  default file with Cluster Link off (``EhcacheConfigurationUtil._processDefaultClusterLinkReplication``,
  dinolupo/Liferay6.2-fixed @d87abb81); 6.0 has no such processing (ambition-consulting/6.0.11).

Shared by HA104, HA105 and HA118 through ``linter.ruleapi``; nothing here reads files or the environment.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from linter.diagnostics import Label
from linter.liferay.defaults import liferay_default
from linter.liferay.getter import get_boolean
from linter.liferay.versions import is_6x
from linter.origin import Confidence, Setting
from linter.ruleapi.cluster_link import (
    CHANNEL_PREFIX,
    CHANNEL_SYSTEM_PROPERTIES,
    INLINE_PLACEHOLDER,
    cluster_link_enabled,
)
from linter.ruleapi.labels import label, label_at, stack_label
from linter.sources.jgroups import split_placeholder

if TYPE_CHECKING:
    from linter.model import Node, Reference
    from linter.sources.jgroups import Protocol

_REPLICATION_FLAG = "ehcache.cluster.link.replication.enabled"
_PEER_PROVIDER_CLASS = "ehcache.cache.manager.peer.provider.factory"
_RMI_PROVIDER = "net.sf.ehcache.distribution.RMICacheManagerPeerProviderFactory"
_LIFERAY_PROVIDERS = (
    "com.liferay.portal.cache.ehcache.LiferayCacheManagerPeerProviderFactory",
    "com.liferay.portal.cache.ehcache.RMICacheManagerPeerProviderFactory",
)
_CACHES = {
    "ehcache.multi.vm.config.location": ("multi-vm", "the multi-VM cache's RMI peer discovery"),
    "net.sf.ehcache.configurationResourceName": ("hibernate", "the Hibernate cache's RMI peer discovery"),
}
# JGroups UDP code defaults when the stack sets no mcast_addr / mcast_port (ehcache-jgroups-facts B.3).
_UDP_DEFAULTS = {"mcast_addr": "228.8.8.8", "mcast_port": "7600"}


class MulticastValue(NamedTuple):
    """One resolved address or port: the text (None when unresolved), where it is set, and how
    an admin finds it (a property key, an attribute of a stack, a JVM flag)."""

    text: str | None
    at: Label
    source: str
    confidence: Confidence


class MulticastGroup(NamedTuple):
    node: Node
    slot: str  # what joins the group on this node: a channel key (+ " MPING") or a cache key
    identity: str  # the same for groups that may share a pair (MPING of every channel)
    purpose: str  # for messages
    name: str  # the multicast.group.*["name"] that Liferay's defaults use for this slot
    address: MulticastValue
    port: MulticastValue
    channel: Setting | None  # the property naming the stack or cache file


def normal_address(text: str) -> str:
    """An address as compared between groups: dotted IPv4 without leading zeros, IPv6 compressed
    (brackets and zone dropped), a host name in lower case."""
    value = text.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    parts = value.split(".")
    if len(parts) == 4 and all(p.isascii() and p.isdigit() and len(p) <= 3 for p in parts):
        return ".".join(str(int(p)) for p in parts)
    try:
        return ipaddress.ip_address(value.split("%", 1)[0]).compressed
    except ValueError:
        return value.lower()


def normal_port(text: str) -> str:
    """A port as compared between groups: a number without sign or leading zeros, else the text."""
    value = text.strip()
    return str(int(value)) if re.fullmatch(r"[+-]?\d{1,9}", value) else value


def _channel_purpose(key: str) -> tuple[str, str]:
    suffix = key[len(CHANNEL_PREFIX) :]
    if suffix == "control":
        return f"the control channel ({key})", "cluster-link-control"
    number = suffix.rsplit(".", 1)[-1]
    return f"transport channel {number} ({key})", ("cluster-link-udp" if number == "0" else key)


def _stack_name(ref: Reference) -> str:
    if ref.kind == "inline":
        return f"the inline stack of {ref.key}"
    return ref.setting.value.strip()


def _system_properties(node: Node) -> dict[str, MulticastValue]:
    """JVM system properties JGroups reads: -D flags, overridden by the entries of
    cluster.link.channel.system.properties, which Liferay sets with System.setProperty before it
    creates the channels (ClusterBase.initSystemProperties 6.2, JGroupsClusterChannelFactory 7.x)."""
    found: dict[str, MulticastValue] = {}
    for flag in node.jvm_flags:
        if flag.is_system_property and flag.value is not None and not flag.unresolved:
            found[flag.name] = MulticastValue(
                flag.value, label_at(node, flag.origin), f"-D{flag.name}", Confidence.EXPLICIT
            )
    setting = node.setting(CHANNEL_SYSTEM_PROPERTIES)
    if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
        raw_entries = [e.strip() for e in setting.raw.split(",")]
        entries = [e.strip() for e in setting.value.split(",")]
        for index, entry in enumerate(entries):
            name, sep, value = entry.partition(":")
            if not sep or not name.strip():
                continue
            raw_value = raw_entries[index].partition(":")[2] if len(raw_entries) == len(entries) else ""
            source = node.setting(_placeholder_key(raw_value))
            if source is not None:
                found[name.strip()] = MulticastValue(value.strip(), label(node, source), source.key, source.confidence)
            else:
                found[name.strip()] = MulticastValue(
                    value.strip(),
                    label(node, setting),
                    f"{CHANNEL_SYSTEM_PROPERTIES} ({name.strip()})",
                    setting.confidence,
                )
    return found


def _placeholder_key(raw: str) -> str:
    split = split_placeholder(raw)
    return split[0] if split is not None and split[1] is None else "\x00"


def _resolve(
    node: Node, raw: str, at: Label, source: str, system: dict[str, MulticastValue], family: str
) -> MulticastValue:
    """An attribute value as the channel sees it: Liferay 7.x first substitutes ${key} from the
    portal properties (JGroupsClusterChannelFactory._parseChannelProperties), then JGroups resolves
    ${name:default} from system properties and falls back to the default."""
    split = split_placeholder(raw)
    if split is None:
        if "${" in raw:
            return MulticastValue(None, at, source, Confidence.UNRESOLVED)
        return MulticastValue(raw.strip(), at, source, Confidence.EXPLICIT)
    name, default = split
    inner = name if default is None else f"{name}:{default}"
    setting = node.setting(inner) if not is_6x(family) else None
    if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
        return MulticastValue(setting.value.strip(), label(node, setting), setting.key, setting.confidence)
    if name in system:
        return system[name]
    if default is not None:
        return MulticastValue(default.strip(), at, f"{source}, default of {raw.strip()}", Confidence.DEFAULT)
    return MulticastValue(None, at, source, Confidence.UNRESOLVED)


def _attribute(
    node: Node,
    ref: Reference,
    protocol: Protocol,
    names: tuple[str, ...],
    system_name: str,
    overrides: bool,
    system: dict[str, MulticastValue],
    family: str,
) -> MulticastValue | None:
    """``protocol.names[0]`` of a stack; ``overrides``: the system property beats the attribute (JGroups
    address properties), otherwise it only fills a missing attribute (facts B.2)."""
    if overrides and system_name in system:
        return system[system_name]
    attr = protocol.attr(*names)
    if attr is None:
        if system_name in system:
            return system[system_name]
        default = _UDP_DEFAULTS.get(names[0]) if protocol.base == "UDP" else None
        if default is None:
            return None
        where = stack_label(node, ref, protocol)
        return MulticastValue(
            default, where, f"the JGroups default of UDP {names[0]} ({_stack_name(ref)})", Confidence.DEFAULT
        )
    at = stack_label(node, ref, protocol, attr)
    source = f"{attr.name} in {_stack_name(ref)}"
    if ref.kind == "inline":
        match = re.search(INLINE_PLACEHOLDER.format(name=re.escape(attr.name)), ref.setting.raw)
        origin = node.setting(match.group(1)[2:-1]) if match else None
        if origin is not None:
            return MulticastValue(attr.value.strip(), label(node, origin), origin.key, origin.confidence)
        return MulticastValue(attr.value.strip(), at, source, ref.setting.confidence)
    return _resolve(node, attr.value, at, source, system, family)


def _stack_groups(
    node: Node, ref: Reference, system: dict[str, MulticastValue], family: str
) -> Iterator[MulticastGroup]:
    stack = ref.jgroups
    if stack is None or ref.kind not in ("inline", "file", "builtin") or not stack.protocols:
        return
    purpose, name = _channel_purpose(ref.key)
    transport = stack.protocols[0]
    if transport.base == "UDP":
        mcast = transport.get("ip_mcast")
        if mcast is None or mcast.strip().lower() != "false":
            address = _attribute(
                node, ref, transport, ("mcast_addr", "mcast_group_addr"), "jgroups.udp.mcast_addr", True, system, family
            )
            port = _attribute(node, ref, transport, ("mcast_port",), "jgroups.udp.mcast_port", False, system, family)
            if address is not None and port is not None:
                yield MulticastGroup(node, ref.key, ref.key, purpose, name, address, port, ref.setting)
    mping = stack.protocol("MPING")
    if mping is not None:
        address = _attribute(
            node, ref, mping, ("mcast_addr", "mcast_group_addr"), "jgroups.mping.mcast_addr", True, system, family
        )
        port = _attribute(node, ref, mping, ("mcast_port",), "jgroups.mping.mcast_port", False, system, family)
        if address is not None and port is not None:
            yield MulticastGroup(
                node,
                f"{ref.key} MPING",
                "MPING",
                f"MPING discovery of {purpose}",
                "cluster-link-mping",
                address,
                port,
                ref.setting,
            )


def _pairs(text: str) -> dict[str, str]:
    """``k=v,k=v`` as Liferay's LiferayCacheManagerPeerProviderFactory splits a portal property."""
    out: dict[str, str] = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _ehcache_groups(node: Node, family: str) -> Iterator[MulticastGroup]:
    """6.x RMI multicast discovery of the clustered cache files. 6.1/6.2 drop the peer providers when
    Cluster Link replicates the caches (cluster.link.enabled and the replication flag) and when the
    default file is used with Cluster Link off (EhcacheConfigurationUtil 6.2); 6.0 uses the file as is."""
    link = cluster_link_enabled(node)
    flag = node.setting(_REPLICATION_FLAG)
    for key, (name, purpose) in _CACHES.items():
        ref = node.reference(key)
        if ref is None or ref.ehcache is None:
            continue
        if family in ("6.1", "6.2"):
            if link and get_boolean(flag.value if flag is not None else None):
                continue
            default = liferay_default(family, key)
            if not link and default is not None and ref.setting.value.strip() == default.strip():
                continue
        for factory in ref.ehcache.peer_providers:
            cls = (factory.class_name or "").strip()
            if cls in _LIFERAY_PROVIDERS:
                delegate = node.setting(_PEER_PROVIDER_CLASS)
                props_key = factory.get("portalPropertyKey")
                setting = node.setting(props_key) if props_key else None
                if (
                    setting is None
                    or delegate is None
                    or not delegate.value.strip().endswith("RMICacheManagerPeerProviderFactory")
                ):
                    continue
                values, raws = _pairs(setting.value), _pairs(setting.raw)
                if values.get("peerDiscovery", "automatic").lower() != "automatic":
                    continue
                found = []
                for prop in ("multicastGroupAddress", "multicastGroupPort"):
                    text = values.get(prop)
                    origin = node.setting(_placeholder_key(raws.get(prop, "")))
                    if origin is not None:
                        found.append(MulticastValue(text, label(node, origin), origin.key, origin.confidence))
                    elif text is not None and "${" not in text:
                        found.append(
                            MulticastValue(text, label(node, setting), f"{prop} in {setting.key}", setting.confidence)
                        )
                if len(found) == 2:
                    yield MulticastGroup(node, key, key, purpose + f" ({key})", name, found[0], found[1], ref.setting)
            elif cls == _RMI_PROVIDER and (factory.get("peerDiscovery") or "automatic").lower() == "automatic":
                if ref.kind == "file" and ref.origin.file:
                    at = Label(
                        node=node.name,
                        file=ref.origin.file,
                        line=factory.properties_line or factory.line,
                        column=factory.properties_column or factory.column,
                    )
                else:
                    at = label_at(node, ref.origin)
                found = []
                for prop in ("multicastGroupAddress", "multicastGroupPort"):
                    text = factory.get(prop)
                    if text is None:
                        break
                    split = split_placeholder(text)
                    if split is not None:  # Ehcache substitutes ${name} from system properties
                        flag_value = node.system_property(split[0])
                        if flag_value is None or flag_value.value is None:
                            break
                        text = flag_value.value
                    elif "${" in text:
                        break
                    found.append(
                        MulticastValue(text, at, f"{prop} in {ref.setting.value.strip()}", Confidence.EXPLICIT)
                    )
                if len(found) == 2:
                    yield MulticastGroup(node, key, key, purpose + f" ({key})", name, found[0], found[1], ref.setting)


def multicast_groups(node: Node, family: str, *, require_cluster_link: bool = True) -> list[MulticastGroup]:
    """The multicast groups a node joins: each UDP channel's group and MPING discovery (when
    Cluster Link is on, or always with ``require_cluster_link=False``), and on 6.x the Ehcache RMI
    discovery groups still in effect. Unresolved values are left out."""
    out: list[MulticastGroup] = []
    if cluster_link_enabled(node) or not require_cluster_link:
        system = _system_properties(node)
        for ref in node.references:
            if ref.key.startswith(CHANNEL_PREFIX):
                out.extend(_stack_groups(node, ref, system, family))
    if is_6x(family):
        out.extend(_ehcache_groups(node, family))
    return [g for g in out if g.address.text is not None and g.port.text is not None]


def group_text(address: str, port: str) -> str:
    """A multicast group as ``address:port`` (an IPv6 address in brackets)."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
