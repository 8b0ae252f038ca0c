"""HA113 jgroups-bind-loopback: with address autodetection off, a Cluster Link channel binds a
loopback address, so no other node can reach it."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Iterator

from linter.ruleapi import (
    WARNING,
    Confidence,
    Context,
    Finding,
    Node,
    Reference,
    and_list,
    label,
    label_at,
    rule,
    stack_label,
)
from linter.ruleapi.cluster_link import (
    CHANNEL_PREFIX,
    CHANNEL_SYSTEM_PROPERTIES,
    ChannelValue,
    Protocol,
    channel_keys,
    cluster_link_enabled,
    jgroups_value,
    split_placeholder,
)
from linter.ruleapi.keys import commons_list

_AUTODETECT = "cluster.link.autodetect.address"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "loopback"})


def _is_null(value: str | None) -> bool:
    """Liferay's Validator.isNull: null, nothing but spaces, or the text ``null``."""
    return value is None or value.replace(" ", "").strip() in ("", "null")


def _is_loopback(value: str) -> bool:
    text = value.strip().strip("[]").lower()
    if text in _LOOPBACK_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def _from_setting(node: Node, raw: str, text: str) -> ChannelValue | None:
    """``${portal.property}`` in a value Liferay substituted: the property an admin edits."""
    placeholder = split_placeholder(raw)
    if placeholder is None:
        return None
    setting = node.setting(placeholder[0])
    if setting is None:
        return None
    return ChannelValue(setting.value.strip(), setting.confidence, label(node, setting, text), placeholder[0])


def _system_property(node: Node, name: str, text: str) -> ChannelValue | None:
    """A JGroups system property: Liferay sets the cluster.link.channel.system.properties entries
    with System.setProperty when Cluster Link starts (they win over -D flags)."""
    setting = node.setting(CHANNEL_SYSTEM_PROPERTIES)
    if setting is not None and setting.value.strip():
        raws = {e.partition(":")[0].strip(): e.partition(":")[2] for e in commons_list(setting.raw) if ":" in e}
        for entry in commons_list(setting.value):
            key, sep, value = entry.partition(":")
            if sep and key.strip() == name:
                via = _from_setting(node, raws.get(name, ""), text)
                if via is not None:
                    return via._replace(source=f"{via.source} via {CHANNEL_SYSTEM_PROPERTIES}")
                return ChannelValue(
                    value.strip(), setting.confidence, label(node, setting, text), CHANNEL_SYSTEM_PROPERTIES
                )
    flag = node.system_property(name)
    if flag is None:
        return None
    if flag.unresolved or flag.value is None:
        return ChannelValue(None, Confidence.UNRESOLVED, label_at(node, flag.origin, text), f"-D{name}")
    return ChannelValue(flag.value.strip(), Confidence.EXPLICIT, label_at(node, flag.origin, text), f"-D{name}")


def _inline_raw(ref: Reference, name: str) -> str | None:
    """The unsubstituted value of the transport's ``name=`` in an inline (6.x) stack string."""
    match = re.search(rf"(?:^|[(;])\s*{re.escape(name)}\s*=\s*(\$\{{[^}}]*\}})", ref.setting.raw)
    return match.group(1) if match else None


def _bind_address(node: Node, ref: Reference, transport: Protocol | None) -> ChannelValue | None:
    """The transport's bind address: its bind_addr attribute (``${...}`` read from system
    properties, then portal properties, then the default), else the jgroups.bind_addr system
    property (JGroups uses it only when the attribute is absent), else JGroups' own choice."""
    text = "binds loopback"
    attr = transport.attr("bind_addr") if transport is not None else None
    if transport is None or attr is None:
        return _system_property(node, "jgroups.bind_addr", text)
    raw = attr.value
    if ref.kind == "inline":
        raw = _inline_raw(ref, "bind_addr") or raw
    placeholder = split_placeholder(raw)
    if placeholder is None:
        confidence = Confidence.DEFAULT if ref.kind == "builtin" else Confidence.EXPLICIT
        where = f"<{transport.name}> bind_addr"
        return ChannelValue(attr.value.strip(), confidence, stack_label(node, ref, transport, attr, text), where)
    system = _system_property(node, placeholder[0], text)
    if system is not None:
        return system
    via = _from_setting(node, raw, text)
    if via is not None:
        return via
    value, confidence = jgroups_value(node, raw)
    at = stack_label(node, ref, transport, attr, text)
    return ChannelValue(None if value is None else value.strip(), confidence, at, f"the default of {raw.strip()}")


@rule(
    id="HA113",
    name="jgroups-bind-loopback",
    severity=WARNING,
    scope="node",
    versions="6.2+",
    tags=("cluster-link", "jgroups", "network"),
    summary="Address autodetection is off and a Cluster Link channel binds a loopback address.",
    rationale=(
        "When cluster.link.autodetect.address is set, Liferay finds the outgoing interface with a socket to "
        "that host and binds every channel there. When it is blank, the stacks bind whatever they are given: "
        'the built-in stacks use cluster.link.bind.addr["cluster-link-control"] / ["cluster-link-udp"], '
        "whose default is localhost; custom stacks use their bind_addr attribute or the jgroups.bind_addr "
        "system property (-Djgroups.bind_addr, or an entry of cluster.link.channel.system.properties, which "
        '6.2 sets from cluster.link.bind.addr["cluster-link-udp"]). A channel bound to localhost, 127.0.0.0/8 '
        "or ::1 is unreachable from other hosts, so the node silently forms a cluster of one. The guides also "
        "warn that the host name must not resolve to 127.0.0.1. Host names other than localhost are not "
        "resolved (no DNS lookups), so a name that maps to 127.0.0.1 in /etc/hosts is not caught."
    ),
    fix=(
        "Either set cluster.link.autodetect.address to a host:port every node can reach (the database, say), "
        'or set cluster.link.bind.addr["cluster-link-control"] and ["cluster-link-udp"] (or '
        "-Djgroups.bind_addr / the stack's bind_addr) to the node's own network address."
    ),
    # facts: liferay-ha-facts.md §2.2; ehcache-jgroups-facts.md B.1, B.5, B.2; read in: tylerbertrand/liferay-portal
    sources=(
        (
            "Liferay 7.4 portal.properties (cluster.link.bind.addr, used only when cluster.link.autodetect.address "
            "is blank): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/"
            "portal.properties"
        ),
        (
            "Liferay Learn, 'Configuring Cluster Link': https://learn.liferay.com/w/dxp/installation-and-upgrades/"
            "setting-up-liferay/clustering-for-high-availability/configuring-cluster-link"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannelFactory.java (a non-blank autodetect address sets the bind "
            "address; channel system properties): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/"
            "modules/apps/portal/portal-cluster-multiple/src/main/java/com/liferay/portal/cluster/multiple/internal/"
            "jgroups/JGroupsClusterChannelFactory.java"
        ),
        (
            "JGroups source, the jgroups.bind_addr system property is used only when the XML sets no bind_addr: "
            "https://github.com/belaban/JGroups/blob/JGroups-4.1.7.Final/src/org/jgroups/stack/Configurator.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered or not cluster_link_enabled(node):
        return
    autodetect = node.setting(_AUTODETECT)
    if autodetect is not None and not _is_null(autodetect.value):
        return
    found: dict[tuple[str | None, int | None, str | None], tuple[ChannelValue, list[str]]] = {}
    for key in channel_keys(node.settings):
        ref = node.reference(key)
        if ref is None or ref.kind not in ("file", "inline", "builtin", "jgroups-jar"):
            continue
        stack = ref.jgroups
        transport = stack.transport if stack is not None else None
        address = _bind_address(node, ref, transport)
        if address is None or address.value is None or not _is_loopback(address.value):
            continue
        where = (address.at.file, address.at.line, address.at.origin)
        found.setdefault(where, (address, []))[1].append(key[len(CHANNEL_PREFIX) :])
    if not found:
        return
    auto_at = label(node, autodetect, f"{_AUTODETECT} is blank", key=_AUTODETECT)
    flag = node.system_property("jgroups.bind_addr")
    for address, channels in found.values():
        plural = "channels bind" if len(channels) > 1 else "channel binds"
        edit = address.source.split(" via ")[0]
        if edit.startswith("the default of"):
            edit = "-Djgroups.bind_addr (or the stack's bind_addr)"
        related = [auto_at]
        note = ""
        if f"via {CHANNEL_SYSTEM_PROPERTIES}" in address.source and flag is not None:
            note = (
                f"; -Djgroups.bind_addr={flag.value} does not help: Liferay sets the jgroups.bind_addr system property "
                f"from {CHANNEL_SYSTEM_PROPERTIES} when Cluster Link starts"
            )
            related.append(label_at(node, flag.origin, "overridden at start-up"))
        yield Finding(
            f"{node.name}'s Cluster Link {and_list(channels)} {plural} the loopback address {address.value} "
            f"(from {address.source}) because {_AUTODETECT} is blank: the other nodes cannot reach it and it forms "
            f"a cluster of one{note}",
            dataclasses.replace(address.at, text=f"{address.value} is a loopback address"),
            tuple(related),
            help=f"set {edit} to this node's network address, or set {_AUTODETECT} to a host:port every node can reach",
            confidence=address.confidence,
            subject=edit,
        )
