"""HA106 multicast-address-invalid: a multicast address that is not in 224.0.0.0/4 or ff00::/8."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import replace

from linter.ruleapi import ERROR, Context, Finding, Node, rule
from linter.ruleapi.addresses import address_declarations


def _problem(value: str) -> str | None:
    """Why a value cannot be a multicast group, or None. Host names other than localhost are
    resolved at start-up and are not judged here."""
    text = value.strip()
    if not text:
        return "is empty: Java resolves an empty host name to the loopback address, not to a multicast group"
    host = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    if host.lower() == "localhost":
        return "is the loopback host, not a multicast group"
    if re.fullmatch(r"[0-9.]+", host):
        parts = host.split(".")
        if len(parts) != 4 or any(not p or int(p) > 255 for p in parts):
            return "is not a valid IPv4 address (four numbers from 0 to 255)"
        if not 224 <= int(parts[0]) <= 239:
            return "is not an IPv4 multicast address (224.0.0.0/4; Liferay's defaults use 239.255.0.x)"
        return None
    if ":" in host:
        try:
            address = ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return "is not a valid IPv6 address"
        if not address.is_multicast:
            return "is not an IPv6 multicast address (ff00::/8; Liferay's samples use ff0e::8:8:x)"
    return None


@rule(
    id="HA106",
    name="multicast-address-invalid",
    severity=ERROR,
    scope="node",
    versions="all",
    tags=("cluster-link", "multicast", "ehcache"),
    summary="A multicast group address (portal property, JGroups stack, -D flag or Ehcache discovery) is not an "
    "IPv4 224.0.0.0/4 or IPv6 ff00::/8 address.",
    rationale=(
        "A multicast group must be a class D IPv4 address (224.0.0.0/4) or an IPv6 ff00::/8 address. JGroups "
        "refuses any other mcast_addr when it creates the multicast socket ('mcast_addr (...) is not a valid "
        "multicast address'), so the channel does not start; Ehcache's RMI discovery cannot join such a group. "
        'The value is checked where it is written: multicast.group.address["X"] properties, mcast_addr / '
        "mcast_group_addr of UDP and MPING in inline or XML stacks (a ${...} placeholder is checked at the "
        "property or flag it names, a JGroups ${name:default} default in the stack), -Djgroups.udp.mcast_addr / "
        "-Djgroups.mping.mcast_addr, cluster.link.channel.system.properties entries, *.peerProviderProperties "
        "and the multicastGroupAddress of Ehcache files. Unresolved placeholders and host names (resolved at "
        "start-up) are not judged; 'localhost' and empty values are."
    ),
    fix="Use an administratively scoped multicast address such as 239.255.x.y (IPv6: ff0e::...), the same on "
    "every node of the cluster and different for every channel.",
    # facts: liferay-ha-facts.md §2.3; ehcache-jgroups-facts.md A.6
    sources=(
        (
            "JGroups source, Util.createMulticastSocket rejects an address that is not a multicast address: https://"
            "github.com/belaban/JGroups/blob/JGroups-4.1.7.Final/src/org/jgroups/util/Util.java"
        ),
        "RFC 5771, IPv4 multicast addresses 224.0.0.0/4: https://www.rfc-editor.org/rfc/rfc5771",
        "RFC 4291, IPv6 multicast addresses ff00::/8: https://www.rfc-editor.org/rfc/rfc4291",
        (
            "Liferay 6.2 portal.properties (section 'Multicast': defaults 239.255.0.1-5, IPv6 samples "
            "ff0e::8:8:1-3): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/"
            "portal.properties"
        ),
        (
            "Liferay 7.4 portal.properties (section 'Multicast': defaults 239.255.0.1-5, IPv6 samples "
            "ff0e::8:8:1-3): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/"
            "portal.properties"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    for decl in address_declarations(node, ctx.version):
        if decl.kind != "address":
            continue
        problem = _problem(decl.value)
        if problem is None:
            continue
        value = decl.value.strip()
        yield Finding(
            f"{decl.what} is {value!r}, which {problem}",
            replace(decl.at, text=f"{node.name}: {value!r}"),
            help="use a multicast address such as 239.255.x.y",
            confidence=decl.confidence,
            subject=decl.subject,
        )
