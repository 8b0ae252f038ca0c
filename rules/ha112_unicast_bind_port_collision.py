"""HA112 unicast-bind-port-collision: two Cluster Link channels on one host need the same TCP port
and TCP.port_range leaves no other port to move to."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import ERROR, Cluster, Confidence, Context, Finding, Label, Node, rule
from linter.ruleapi.cluster_link import (
    JGROUPS_3_FAMILIES,
    TCP_TRANSPORTS,
    channel_attribute,
    channel_stacks,
    cluster_link_enabled,
    port_number,
)

_NOT_A_HOST = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "loopback"})


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
    for name, ref, stack in channel_stacks(node):
        transport = stack.transport
        if transport is None or stack.transport_kind not in TCP_TRANSPORTS:
            continue
        singleton = (transport.get("singleton_name") or "").strip() if version in JGROUPS_3_FAMILIES else ""
        if singleton and singleton in singletons:  # JGroups 3 shared transport: same socket
            index = singletons[singleton]
            out[index] = out[index]._replace(channels=(*out[index].channels, name))
            continue
        fallback = None if version in JGROUPS_3_FAMILIES else "jgroups.bind_port"
        bind = channel_attribute(node, ref, transport, "bind_port", "bind_port", fallback)
        bind_port = port_number(bind)
        if bind is None or bind_port is None or bind_port == 0 or bind.confidence is Confidence.UNRESOLVED:
            continue  # ephemeral or unknown port
        span = port_number(channel_attribute(node, ref, transport, "port_range", "port_range", None))
        if span is None:
            span = 50 if version in JGROUPS_3_FAMILIES else 10
        address = channel_attribute(node, ref, transport, "bind_addr", "bind address", "jgroups.bind_addr")
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
        "Give each channel on a host its own bind_port (Liferay's guide uses 7800/7801 for node 1, "
        "7802/7803 for node 2), or "
        'let the transport move with TCP port_range="1" or more, and list the resulting ports in TCPPING '
        "initial_hosts."
    ),
    # facts: liferay-ha-facts.md §2.4, §7.2; ehcache-jgroups-facts.md B.3; read in: petershin/liferay-learn
    sources=(
        (
            "Liferay Learn, 'Configuring Unicast over TCP' ('If you're vertically clustering ... every channel must "
            "use a unique unused bind port'): https://learn.liferay.com/w/dxp/installation-and-upgrades/"
            "setting-up-liferay/clustering-for-high-availability/configuring-unicast-over-tcp"
        ),
        (
            "JGroups source, TP.bind_port and port_range (default 10 from 4.1, 50 in 3.6): https://github.com/"
            "belaban/JGroups/blob/JGroups-4.1.7.Final/src/org/jgroups/protocols/TP.java"
        ),
        (
            "Liferay source, the JGroups bundled with 7.0 (3.6) and 7.4 (4.1), build.gradle of "
            "portal-cluster-multiple: https://github.com/liferay/liferay-portal/blob/7.0.6-ga7/modules/apps/portal/"
            "portal-cluster-multiple/build.gradle, https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/"
            "modules/apps/portal/portal-cluster-multiple/build.gradle"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    hosts: dict[str, list[_Socket]] = {}
    for order, node in enumerate(cluster.nodes):
        if not cluster_link_enabled(node):
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
