"""HA107 port-out-of-range: a multicast, bind or RMI port that is not an integer in range."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from linter.ruleapi import ERROR, Context, Finding, Node, rule
from linter.ruleapi.addresses import address_declarations

_RANGES = {
    "port": (1, 65535, "an integer from 1 to 65535"),
    "any_port": (0, 65535, "an integer from 0 to 65535 (0 picks any free port)"),
    "range": (0, 2147483647, "an integer of 0 or more (the number of further ports to try)"),
}


def _problem(kind: str, value: str) -> str | None:
    low, high, expected = _RANGES[kind]
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        return f"is not an integer; it must be {expected}"
    number = int(text)
    if number < low or number > high:
        return f"is out of range; it must be {expected}"
    return None


@rule(
    id="HA107",
    name="port-out-of-range",
    severity=ERROR,
    scope="node",
    versions="all",
    tags=("cluster-link", "multicast", "ehcache"),
    summary="A multicast, JGroups bind or Ehcache RMI port is not an integer in range (port_range not >= 0).",
    rationale=(
        "A socket port is an unsigned 16-bit number: java.net.InetSocketAddress rejects anything outside "
        "0-65535 ('port out of range'), a non-numeric value makes the integer conversion fail, and a multicast "
        "group needs a real port (1-65535). Either way the JGroups channel or the Ehcache peer discovery does "
        'not start. Checked where the value is written: multicast.group.port["X"], ehcache.socket.start.port, '
        "mcast_port / bind_port / external_port / port_range of inline or XML stacks (a ${...} placeholder is "
        "checked at the property or flag it names, a JGroups ${name:default} default in the stack), "
        "-Djgroups.udp.mcast_port / -Djgroups.mping.mcast_port, cluster.link.channel.system.properties entries, "
        "multicastGroupPort in *.peerProviderProperties and Ehcache files, and the RMI listener's port and "
        "remoteObjectPort. bind_port, external_port and the RMI listener ports may be 0 (any free port); "
        "port_range counts further ports and must be 0 or more. Unresolved placeholders are skipped."
    ),
    fix="Use a port from 1 to 65535 (multicast: Liferay's defaults are 23301-23305; TCP bind_port: 7800 by "
    "convention) and a port_range of 0 or more.",
    # facts: liferay-ha-facts.md §2.3; ehcache-jgroups-facts.md A.3
    sources=(
        (
            "Java SE API, InetSocketAddress ('port out of range' unless 0 to 65535): https://docs.oracle.com/en/java/"
            "javase/17/docs/api/java.base/java/net/InetSocketAddress.html"
        ),
        (
            "JGroups manual, 'List of protocols' (mcast_port, bind_port, port_range): http://www.jgroups.org/manual4/"
            "index.html#protlist"
        ),
        (
            "Ehcache 2.8 documentation, 'RMI Replicated Caching' (multicastGroupPort, RMI listener port): https://"
            "www.ehcache.org/documentation/2.8/replication/rmi-replicated-caching.html"
        ),
        (
            "Liferay 6.2 portal.properties (ehcache.socket.start.port, multicast.group.port defaults 23301-23305): "
            "https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    for decl in address_declarations(node, ctx.version):
        if decl.kind not in _RANGES:
            continue
        problem = _problem(decl.kind, decl.value)
        if problem is None:
            continue
        value = decl.value.strip()
        yield Finding(
            f"{decl.what} is {value!r}, which {problem}",
            replace(decl.at, text=f"{node.name}: {value!r}"),
            help=f"use {_RANGES[decl.kind][2]}",
            confidence=decl.confidence,
            subject=decl.subject,
        )
