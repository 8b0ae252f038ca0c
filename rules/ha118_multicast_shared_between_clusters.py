"""HA118 multicast-shared-between-clusters: two clusters of one audit use the same multicast group."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from linter.ruleapi import (
    WARNING,
    Cluster,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    Protocol,
    Reference,
    Setting,
    get_boolean,
    label,
    label_at,
    liferay_default,
    rule,
    split_placeholder,
    stack_label,
)

# ----------------------------------------------------------------------------- multicast groups in use
# The same block is in ha104, ha105 and ha118 (rules import nothing but linter.ruleapi).

_ENABLED = "cluster.link.enabled"
_SYSTEM_PROPERTIES = "cluster.link.channel.system.properties"
_CHANNEL_PREFIX = "cluster.link.channel.properties."
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
_INLINE_PLACEHOLDER = r"(?:^|[(;])\s*{name}\s*=\s*(\$\{{[^}}]*\}})\s*(?=[;)]|$)"


class _Value(NamedTuple):
    """One resolved address or port: the text (None when unresolved), where it is set, and how
    an admin finds it (a property key, an attribute of a stack, a JVM flag)."""

    text: str | None
    at: Label
    source: str
    confidence: Confidence


class _Group(NamedTuple):
    node: Node
    slot: str  # what joins the group on this node: a channel key (+ " MPING") or a cache key
    identity: str  # the same for groups that may share a pair (MPING of every channel)
    purpose: str  # for messages
    name: str  # the multicast.group.*["name"] that Liferay's defaults use for this slot
    address: _Value
    port: _Value
    channel: Setting | None  # the property naming the stack or cache file


def _is_6x(family: str) -> bool:
    return family.startswith("6.")


def _cluster_link_on(node: Node) -> bool:
    setting = node.setting(_ENABLED)
    return get_boolean(setting.value if setting is not None else None)


def _norm_address(text: str) -> str:
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


def _norm_port(text: str) -> str:
    value = text.strip()
    return str(int(value)) if re.fullmatch(r"[+-]?\d{1,9}", value) else value


def _channel_purpose(key: str) -> tuple[str, str]:
    suffix = key[len(_CHANNEL_PREFIX) :]
    if suffix == "control":
        return f"the control channel ({key})", "cluster-link-control"
    number = suffix.rsplit(".", 1)[-1]
    return f"transport channel {number} ({key})", ("cluster-link-udp" if number == "0" else key)


def _stack_name(ref: Reference) -> str:
    if ref.kind == "inline":
        return f"the inline stack of {ref.key}"
    return ref.setting.value.strip()


def _system_properties(node: Node) -> dict[str, _Value]:
    """JVM system properties JGroups reads: -D flags, overridden by the entries of
    cluster.link.channel.system.properties, which Liferay sets with System.setProperty before it
    creates the channels (ClusterBase.initSystemProperties 6.2, JGroupsClusterChannelFactory 7.x)."""
    found: dict[str, _Value] = {}
    for flag in node.jvm_flags:
        if flag.is_system_property and flag.value is not None and not flag.unresolved:
            found[flag.name] = _Value(flag.value, label_at(node, flag.origin), f"-D{flag.name}", Confidence.EXPLICIT)
    setting = node.setting(_SYSTEM_PROPERTIES)
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
                found[name.strip()] = _Value(value.strip(), label(node, source), source.key, source.confidence)
            else:
                found[name.strip()] = _Value(
                    value.strip(), label(node, setting), f"{_SYSTEM_PROPERTIES} ({name.strip()})", setting.confidence
                )
    return found


def _placeholder_key(raw: str) -> str:
    split = split_placeholder(raw)
    return split[0] if split is not None and split[1] is None else "\x00"


def _resolve(node: Node, raw: str, at: Label, source: str, system: dict[str, _Value], family: str) -> _Value:
    """An attribute value as the channel sees it: Liferay 7.x first substitutes ${key} from the
    portal properties (JGroupsClusterChannelFactory._parseChannelProperties), then JGroups resolves
    ${name:default} from system properties and falls back to the default."""
    split = split_placeholder(raw)
    if split is None:
        if "${" in raw:
            return _Value(None, at, source, Confidence.UNRESOLVED)
        return _Value(raw.strip(), at, source, Confidence.EXPLICIT)
    name, default = split
    inner = name if default is None else f"{name}:{default}"
    setting = node.setting(inner) if not _is_6x(family) else None
    if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
        return _Value(setting.value.strip(), label(node, setting), setting.key, setting.confidence)
    if name in system:
        return system[name]
    if default is not None:
        return _Value(default.strip(), at, f"{source}, default of {raw.strip()}", Confidence.DEFAULT)
    return _Value(None, at, source, Confidence.UNRESOLVED)


def _attribute(
    node: Node,
    ref: Reference,
    protocol: Protocol,
    names: tuple[str, ...],
    system_name: str,
    overrides: bool,
    system: dict[str, _Value],
    family: str,
) -> _Value | None:
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
        return _Value(default, where, f"the JGroups default of UDP {names[0]} ({_stack_name(ref)})", Confidence.DEFAULT)
    at = stack_label(node, ref, protocol, attr)
    source = f"{attr.name} in {_stack_name(ref)}"
    if ref.kind == "inline":
        match = re.search(_INLINE_PLACEHOLDER.format(name=re.escape(attr.name)), ref.setting.raw)
        origin = node.setting(match.group(1)[2:-1]) if match else None
        if origin is not None:
            return _Value(attr.value.strip(), label(node, origin), origin.key, origin.confidence)
        return _Value(attr.value.strip(), at, source, ref.setting.confidence)
    return _resolve(node, attr.value, at, source, system, family)


def _stack_groups(node: Node, ref: Reference, system: dict[str, _Value], family: str) -> Iterator[_Group]:
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
                yield _Group(node, ref.key, ref.key, purpose, name, address, port, ref.setting)
    mping = stack.protocol("MPING")
    if mping is not None:
        address = _attribute(
            node, ref, mping, ("mcast_addr", "mcast_group_addr"), "jgroups.mping.mcast_addr", True, system, family
        )
        port = _attribute(node, ref, mping, ("mcast_port",), "jgroups.mping.mcast_port", False, system, family)
        if address is not None and port is not None:
            yield _Group(
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


def _ehcache_groups(node: Node, family: str) -> Iterator[_Group]:
    """6.x RMI multicast discovery of the clustered cache files. 6.1/6.2 drop the peer providers when
    Cluster Link replicates the caches (cluster.link.enabled and the replication flag) and when the
    default file is used with Cluster Link off (EhcacheConfigurationUtil 6.2); 6.0 uses the file as is."""
    link = _cluster_link_on(node)
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
                        found.append(_Value(text, label(node, origin), origin.key, origin.confidence))
                    elif text is not None and "${" not in text:
                        found.append(_Value(text, label(node, setting), f"{prop} in {setting.key}", setting.confidence))
                if len(found) == 2:
                    yield _Group(node, key, key, purpose + f" ({key})", name, found[0], found[1], ref.setting)
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
                    found.append(_Value(text, at, f"{prop} in {ref.setting.value.strip()}", Confidence.EXPLICIT))
                if len(found) == 2:
                    yield _Group(node, key, key, purpose + f" ({key})", name, found[0], found[1], ref.setting)


def _groups(node: Node, family: str, *, require_cluster_link: bool = True) -> list[_Group]:
    """The multicast groups a node joins: each UDP channel's group and MPING discovery (when
    Cluster Link is on, or always with ``require_cluster_link=False``), and on 6.x the Ehcache RMI
    discovery groups still in effect. Unresolved values are left out."""
    out: list[_Group] = []
    if _cluster_link_on(node) or not require_cluster_link:
        system = _system_properties(node)
        for ref in node.references:
            if ref.key.startswith(_CHANNEL_PREFIX):
                out.extend(_stack_groups(node, ref, system, family))
    if _is_6x(family):
        out.extend(_ehcache_groups(node, family))
    return [g for g in out if g.address.text is not None and g.port.text is not None]


# ----------------------------------------------------------------------------- the rule


def _pair(address: str, port: str) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _in_use(cluster: Cluster) -> dict[tuple[str, str], list[_Group]]:
    """Every multicast group some node of the cluster joins, by normalised address and port."""
    family = cluster.version or "7.4"
    out: dict[tuple[str, str], list[_Group]] = {}
    for node in cluster.nodes:
        for group in _groups(node, family):
            pair = (_norm_address(group.address.text or ""), _norm_port(group.port.text or ""))
            out.setdefault(pair, []).append(group)
    return out


def _what(groups: list[_Group]) -> str:
    purposes = list(dict.fromkeys(g.purpose for g in groups))
    nodes = list(dict.fromkeys(g.node.name for g in groups))
    shown = ", ".join(nodes[:3]) + (f" and {len(nodes) - 3} more" if len(nodes) > 3 else "")
    return f"{' and '.join(purposes)} on {shown}"


@rule(
    id="HA118",
    name="multicast-shared-between-clusters",
    severity=WARNING,
    scope="cluster",
    versions="all",
    tags=("cluster-link", "multicast", "audit"),
    summary="Two different clusters of one audit use the same multicast group (address and port).",
    rationale=(
        "Multicast reaches every host of the network: two clusters that join the same group (for example "
        "production and staging both left at Liferay's default 239.255.0.1:23301) receive each other's "
        "messages, including scheduler and cache traffic, unless the networks are separated. liferay-learn "
        "asks for a different multicast address and port set per cluster. Only groups a cluster actually "
        "uses are compared: the UDP channels and MPING discovery of nodes with Cluster Link on, and on 6.x "
        "the Ehcache RMI discovery groups still in effect; a TCP cluster's unused multicast.group.* defaults "
        "do not count. The clusters may sit on separate networks, which the linter cannot see, hence a "
        "warning. Each cluster that shares a group gets its own finding."
    ),
    fix='Give each cluster its own multicast.group.address["X"]/multicast.group.port["X"] set (e.g. '
    "239.255.10.x for production, 239.255.20.x for staging), or keep the clusters on separated networks.",
    sources=(
        "liferay-learn 'Configuring Cluster Link' (learn.liferay.com/dxp/7.x/en/installation-and-upgrades/"
        "setting-up-liferay/clustering-for-high-availability/configuring-cluster-link.html; petershin/liferay-learn "
        "mirror): clusters on one network "
        "must use different multicast address/port sets (liferay-ha-facts.md §2.3, ehcache-jgroups-facts A.6)",
        "portal.properties 'Multicast' section (6.0.11-7.4): each address and port pair is one conversation",
        "JBoss EWP 5 guide 'Isolating JGroups channels' (access.redhat.com/documentation/en-US/"
        "JBoss_Enterprise_Web_Platform/5/html/Administration_And_Configuration_Guide/"
        "clustering-jgroups-isolation.html): isolate clusters by group name, multicast address and port",
        "groups in use: see HA104 (JGroupsClusterChannelFactory, ClusterBase, EhcacheConfigurationUtil, read "
        "for these rules)",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    mine = _in_use(cluster)
    if not mine:
        return
    others = [
        (other, _in_use(other))
        for other in ctx.audit
        if other is not cluster and (other.name, other.path) != (cluster.name, cluster.path)
    ]
    for (address, port), groups in mine.items():
        sharing = [(other, used[(address, port)]) for other, used in others if (address, port) in used]
        if not sharing:
            continue
        first = groups[0]
        primary = replace(first.address.at, text=f"{first.node.name}: {_pair(address, port)}")
        related = tuple(
            replace(theirs[0].address.at, text=f"cluster {other.name}, {theirs[0].node.name}: {_pair(address, port)}")
            for other, theirs in sharing
        )
        against = "; ".join(f"cluster {other.name} ({_what(theirs)})" for other, theirs in sharing)
        yield Finding(
            f"Multicast group {_pair(address, port)} is used here by {_what(groups)} (address from "
            f"{first.address.source}) and also by {against}; clusters that share a group on one network receive "
            "each other's messages",
            primary,
            related,
            help="give this cluster its own multicast.group.address[...] / multicast.group.port[...] set",
            confidence=Confidence.DEFAULT
            if all(g.address.confidence is Confidence.DEFAULT for g in groups)
            else Confidence.EXPLICIT,
            subject=_pair(address, port),
        )
