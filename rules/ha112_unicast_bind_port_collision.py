"""HA112 unicast-bind-port-collision: two Cluster Link channels on one host need the same TCP port
and TCP.port_range leaves no other port to move to."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
    Cluster,
    Confidence,
    Context,
    Finding,
    JGroupsStack,
    Label,
    Node,
    Protocol,
    Reference,
    channel_keys,
    commons_list,
    get_boolean,
    jgroups_value,
    label,
    label_at,
    rule,
    split_placeholder,
    stack_label,
)

_PREFIX = "cluster.link.channel.properties."
_SYSTEM_PROPERTIES = "cluster.link.channel.system.properties"
_TCP_TRANSPORTS = frozenset({"TCP", "TCP_NIO2", "TCP_NIO"})
_JGROUPS_3 = ("7.0", "7.1")  # JGroups 3.6: TP.port_range defaults to 50 and singleton_name exists
_NOT_A_HOST = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "loopback"})


class _Value(NamedTuple):
    value: str | None
    confidence: Confidence
    at: Label
    source: str


def _enabled(node: Node) -> bool:
    setting = node.setting("cluster.link.enabled")
    return get_boolean(setting.value if setting is not None else None)


def _stacks(node: Node) -> Iterator[tuple[str, Reference, JGroupsStack]]:
    for key in channel_keys(node.settings):
        ref = node.reference(key)
        if ref is None or ref.kind not in ("file", "inline") or ref.jgroups is None or not ref.jgroups.protocols:
            continue
        yield key[len(_PREFIX) :], ref, ref.jgroups


def _system_property(node: Node, name: str, text: str) -> _Value | None:
    """Liferay's cluster.link.channel.system.properties entries (System.setProperty at channel
    factory start) win over the JVM's -D flags."""
    setting = node.setting(_SYSTEM_PROPERTIES)
    if setting is not None and setting.value.strip():
        for entry in commons_list(setting.value):
            key, sep, value = entry.partition(":")
            if sep and key.strip() == name:
                return _Value(value, setting.confidence, label(node, setting, text), f"{_SYSTEM_PROPERTIES} ({name})")
    flag = node.system_property(name)
    if flag is None:
        return None
    if flag.unresolved or flag.value is None:
        return _Value(None, Confidence.UNRESOLVED, label_at(node, flag.origin, text), f"-D{name}")
    return _Value(flag.value, Confidence.EXPLICIT, label_at(node, flag.origin, text), f"-D{name}")


def _attr(node: Node, ref: Reference, protocol: Protocol, name: str, text: str, fallback: str | None) -> _Value | None:
    """An attribute as JGroups resolves it: the XML value (``${prop:default}`` read from system
    properties, then portal properties, then the default); the system property ``fallback`` only
    when the attribute is absent (Configurator.resolveAndAssignField)."""
    attr = protocol.attr(name)
    if attr is None:
        return _system_property(node, fallback, text) if fallback else None
    at = stack_label(node, ref, protocol, attr, text)
    placeholder = split_placeholder(attr.value)
    if placeholder is None:
        return _Value(attr.value.strip(), Confidence.EXPLICIT, at, f"{protocol.base}.{name}")
    prop, _default = placeholder
    system = _system_property(node, prop, text)
    if system is not None:
        return system
    value, confidence = jgroups_value(node, attr.value)
    setting = node.setting(prop)
    if value is not None and setting is not None and value == setting.value:
        return _Value(value.strip(), confidence, label(node, setting, text), prop)
    return _Value(None if value is None else value.strip(), confidence, at, f"the default of ${{{prop}:...}}")


def _int(value: _Value | None) -> int | None:
    if value is None or value.value is None:
        return None
    text = value.value.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


class _Socket(NamedTuple):
    """One TCP transport of one node: the channels it serves and the ports it may bind."""

    node: Node
    order: int
    channels: tuple[str, ...]
    address: str | None
    bind_port: int
    span: int  # TCP.port_range: the transport tries bind_port..bind_port+span
    at: Label


def _host_key(node: Node, address: str | None) -> str:
    """Sockets of different nodes are on one host when they bind the same address (as written, no
    DNS lookups); loopback, wildcard and unknown addresses say nothing about the host, so they
    only group the sockets of one node."""
    if address:
        text = address.strip().strip("[]").lower()
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            ip = None
        if text and text not in _NOT_A_HOST and (ip is None or not (ip.is_loopback or ip.is_unspecified)):
            return text
    return f"node {node.name}"


def _sockets(node: Node, order: int, version: str) -> list[_Socket]:
    out: list[_Socket] = []
    singletons: dict[str, int] = {}
    for name, ref, stack in _stacks(node):
        transport = stack.transport
        if transport is None or stack.transport_kind not in _TCP_TRANSPORTS:
            continue
        singleton = (transport.get("singleton_name") or "").strip() if version in _JGROUPS_3 else ""
        if singleton and singleton in singletons:  # JGroups 3 shared transport: same socket
            index = singletons[singleton]
            out[index] = out[index]._replace(channels=(*out[index].channels, name))
            continue
        fallback = None if version in _JGROUPS_3 else "jgroups.bind_port"
        bind = _attr(node, ref, transport, "bind_port", "bind_port", fallback)
        bind_port = _int(bind)
        if bind is None or bind_port is None or bind_port == 0 or bind.confidence is Confidence.UNRESOLVED:
            continue  # ephemeral or unknown port
        span = _int(_attr(node, ref, transport, "port_range", "port_range", None))
        if span is None:
            span = 50 if version in _JGROUPS_3 else 10
        address = _attr(node, ref, transport, "bind_addr", "bind address", "jgroups.bind_addr")
        if singleton:
            singletons[singleton] = len(out)
        out.append(
            _Socket(node, order, (name,), address.value if address is not None else None, bind_port, span, bind.at)
        )
    return out


def _describe(socket: _Socket) -> str:
    channels = "/".join(socket.channels)
    return f"{socket.node.name} {channels} (bind_port={socket.bind_port}, port_range={socket.span})"


@rule(
    id="HA112",
    name="unicast-bind-port-collision",
    severity=ERROR,
    scope="cluster",
    versions="7.x",
    tags=("cluster-link", "jgroups", "unicast"),
    summary="Cluster Link channels on one host need the same TCP port and port_range leaves no other port free.",
    rationale=(
        "A JGroups TCP transport binds bind_port or, when that port is taken, the next free port up to "
        "bind_port+port_range (TP.port_range, default 50 on JGroups 3.6 / Liferay 7.0-7.1, 10 from JGroups 4.1 "
        "/ 7.2). Every Cluster Link channel has its own transport (on JGroups 3 channels with the same "
        "singleton_name share one), so the control and transport channels of a node, and every channel of "
        "every node of a vertical cluster, need distinct ports on their host. When more channels want a port "
        "range than it has ports, whatever the start order, the last one fails with 'Address already in use' "
        "and that node never joins. Sockets count as one host when they belong to one node or bind the same "
        "address as written (no DNS lookups; loopback and wildcard addresses only group one node's channels). "
        "bind_port 0 (ephemeral) and unresolved ports are skipped; with cluster.link.autodetect.address set the "
        "address given is assumed to be the one Liferay detects."
    ),
    fix=(
        "Give each channel on a host its own bind_port (LL-TCP: 7800/7801 for node 1, 7802/7803 for node 2), or "
        'let the transport move with TCP port_range="1" or more, and list the resulting ports in TCPPING '
        "initial_hosts."
    ),
    sources=(
        "liferay-learn 'Configuring Unicast over TCP' (petershin/liferay-learn @4081b956, read for this rule): "
        "'If you're vertically clustering ... every channel must use a unique unused bind port'; liferay-ha-facts"
        ".md §2.4, §7.2",
        "JGroups TP.bind_port/port_range ('The range of valid ports: [bind_port .. bind_port+port_range]. 0 only "
        "binds to bind_port and fails if taken'), defaults 50 (3.6.20) and 10 (4.1.0+), singleton_name shared "
        "transports in 3.6 Configurator.createProtocols (belaban/JGroups, read for this rule); "
        "ehcache-jgroups-facts.md B.3",
        "JGroups 4.1.1 from Liferay 7.2 SP1/GA2 (liferay-learn note); 7.2 is used as the boundary",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    hosts: dict[str, list[_Socket]] = {}
    for order, node in enumerate(cluster.nodes):
        if not _enabled(node):
            continue
        for socket in _sockets(node, order, ctx.version):
            hosts.setdefault(_host_key(node, socket.address), []).append(socket)
    for host, sockets in hosts.items():
        if len(sockets) < 2:
            continue
        # Earliest-deadline-first gives every socket a port whenever some start order can: what is
        # left over fails in every order.
        taken: dict[int, _Socket] = {}
        failed: list[_Socket] = []
        for socket in sorted(sockets, key=lambda s: (s.bind_port + s.span, s.bind_port, s.order)):
            candidates = range(socket.bind_port, socket.bind_port + socket.span + 1)
            port = next((p for p in candidates if p not in taken), None)
            if port is None:
                failed.append(socket)
            else:
                taken[port] = socket
        if not failed:
            continue
        involved: list[_Socket] = list(failed)
        for socket in failed:
            for port in range(socket.bind_port, socket.bind_port + socket.span + 1):
                if port in taken and taken[port] not in involved:
                    involved.append(taken[port])
        involved.sort(key=lambda s: (s.order, s.bind_port, s.channels))
        low = min(s.bind_port for s in involved)
        high = max(s.bind_port + s.span for s in involved)
        free = high - low + 1
        ports = f"port {low}" if free == 1 else f"ports {low}-{high} ({free} ports)"
        where = f"on {host}" if not host.startswith("node ") else f"on {host[5:]}'s host"
        primary = failed[0]
        fail = (
            "one of them cannot bind and fails" if len(failed) == 1 else f"{len(failed)} of them cannot bind and fail"
        )
        yield Finding(
            f"{len(involved)} Cluster Link TCP transports {where} compete for {ports}: "
            f"{'; '.join(_describe(s) for s in involved)}. Whatever the start order, {fail} with 'Address already "
            "in use', and that node's channel never starts",
            dataclasses.replace(
                primary.at, text=f"{primary.node.name} {'/'.join(primary.channels)}: bind_port {primary.bind_port}"
            ),
            tuple(
                dataclasses.replace(s.at, text=f"{s.node.name} {'/'.join(s.channels)}: bind_port {s.bind_port}")
                for s in involved
                if s is not primary
            ),
            help="give every channel on a host its own bind_port, or a TCP port_range that leaves room",
            subject=f"TCP.bind_port@{host}:{low}",
        )
