"""HA111 unicast-initial-hosts-incomplete: a node's TCPPING initial_hosts leaves out another node
of the cluster (its address and the port its channel binds)."""

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
    Label,
    Node,
    Reference,
    and_list,
    rule,
    stack_label,
)
from linter.ruleapi.cluster_link import (
    JGROUPS_3_FAMILIES,
    TCP_TRANSPORTS,
    ChannelValue,
    HostPort,
    channel_attribute,
    channel_stacks,
    cluster_link_enabled,
    parse_initial_hosts,
    port_number,
)

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "loopback"})


class _Channel(NamedTuple):
    """One TCP channel of one node: where it binds and whom its TCPPING probes."""

    node: Node
    name: str  # control, transport.0, ...
    ref: Reference
    address: ChannelValue | None
    port: int | None  # the port this channel binds (bind_port + its rank among channels sharing it)
    port_at: Label
    tcpping: bool  # discovery is TCPPING
    hosts: list[HostPort] | None  # None: no TCPPING, or its list is unknown here
    hosts_value: ChannelValue | None
    probe_range: int  # TCPPING.port_range


def _node_channels(node: Node, version: str) -> list[_Channel]:
    """The node's TCP channels in creation order (control, then transport.N). Channels of one
    node that bind the same address and bind_port take consecutive ports within TCP.port_range
    (JGroups TP tries bind_port..bind_port+port_range); on JGroups 3 (7.0, 7.1) channels whose
    TCP has the same singleton_name share one transport and its port."""
    out: list[_Channel] = []
    taken: dict[str, set[int]] = {}
    singletons: dict[str, int | None] = {}
    for name, ref, stack in channel_stacks(node):
        transport = stack.transport
        if transport is None or stack.transport_kind not in TCP_TRANSPORTS:
            continue
        address = channel_attribute(node, ref, transport, "bind_addr", "bind address", "jgroups.bind_addr")
        fallback = None if version in JGROUPS_3_FAMILIES else "jgroups.bind_port"
        bind = channel_attribute(node, ref, transport, "bind_port", "bind_port", fallback)
        bind_port = port_number(bind)
        span = port_number(channel_attribute(node, ref, transport, "port_range", "port_range", None))
        if span is None:
            span = 50 if version in JGROUPS_3_FAMILIES else 10
        port_at = bind.at if bind is not None else stack_label(node, ref, transport, None, "bind_port")
        port: int | None = None
        singleton = transport.get("singleton_name") if version in JGROUPS_3_FAMILIES else None
        if singleton and singleton.strip() in singletons:
            port = singletons[singleton.strip()]
        elif bind_port:
            key = (address.value or "").lower() if address is not None else ""
            used = taken.setdefault(key, set())
            port = next((p for p in range(bind_port, bind_port + span + 1) if p not in used), None)
            if port is not None:
                used.add(port)
        if singleton and singleton.strip() not in singletons:
            singletons[singleton.strip()] = port
        tcpping = next((p for p in stack.protocols if p.base == "TCPPING"), None)
        hosts: list[HostPort] | None = None
        hosts_value: ChannelValue | None = None
        probe = 1
        if tcpping is not None and tcpping.attr("initial_hosts_file") is None:
            hosts_value = channel_attribute(
                node, ref, tcpping, "initial_hosts", "initial_hosts", "jgroups.tcpping.initial_hosts"
            )
            if hosts_value is not None and hosts_value.value and hosts_value.confidence is not Confidence.UNRESOLVED:
                parsed = parse_initial_hosts(hosts_value.value)
                hosts = parsed if isinstance(parsed, list) else None
            probe_value = port_number(channel_attribute(node, ref, tcpping, "port_range", "port_range", None))
            probe = 1 if probe_value is None else probe_value
        out.append(_Channel(node, name, ref, address, port, port_at, tcpping is not None, hosts, hosts_value, probe))
    return out


def _routable(address: str) -> bool:
    """False for loopback and wildcard addresses: a node bound there cannot be listed usefully
    (HA113 reports loopback binds)."""
    text = address.strip().strip("[]").lower()
    if not text or text in _LOCAL_NAMES:
        return False
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return True
    return not (ip.is_loopback or ip.is_unspecified)


def _relative(node: Node, path: str) -> str:
    prefix = node.path.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _listed(hosts: list[HostPort], probe: int, names: set[str], port: int) -> bool:
    return any(
        h.host.strip().lower() in names and h.port is not None and h.port <= port <= h.port + probe for h in hosts
    )


def _unmapped(hosts: list[HostPort], known: set[str]) -> list[str]:
    """Entries naming a host that is no node's address or name (a DNS name, say): it may be one of
    the nodes, which this tool cannot tell without resolving names."""
    return [h.raw or h.host for h in hosts if h.host.strip().lower() not in known]


@rule(
    id="HA111",
    name="unicast-initial-hosts-incomplete",
    severity=ERROR,
    scope="cluster",
    versions="7.x",
    tags=("cluster-link", "jgroups", "unicast"),
    summary="A node's TCPPING initial_hosts does not list another node's address and channel port.",
    rationale=(
        "TCPPING contacts only the host[port] entries of initial_hosts, each on port..port+port_range "
        "(TCPPING.port_range, default 1). A node that is not listed is not found when the others start or "
        "after a network split, so the cluster splits and caches go stale. A node counts as listed when an "
        "entry names its bind address (-Djgroups.bind_addr, TCP bind_addr) or its node name, compared as "
        "written (no DNS lookups), and the entry's probed ports include the port its channel binds: TCP "
        "bind_port, or bind_port+1 for the second channel sharing one tcp.xml (TCP.port_range lets it move; "
        "on JGroups 3 a common singleton_name makes the channels share one port). Nodes whose address or "
        "bind_port is unknown here, and lists that nothing resolves, are skipped; entries naming hosts that "
        "are no node's address lower the confidence. With cluster.link.autodetect.address set, Liferay rebinds "
        "the transport to the interface it detects; the -Djgroups.bind_addr or bind_addr given is assumed to name "
        "that interface (the unicast guide sets it on every node). Loopback binds are left to HA113."
    ),
    fix=(
        "Give every node the same complete list: every node's address with the port of each channel, e.g. "
        "-Djgroups.tcpping.initial_hosts=10.0.0.1[7800],10.0.0.2[7800] with TCPPING port_range=1 when one "
        "tcp.xml serves both channels (7800 and 7801)."
    ),
    # facts: liferay-ha-facts.md §2.4; ehcache-jgroups-facts.md B.3, B.4; read in: petershin/liferay-learn,
    #   zoltantoth0409/liferay-portal
    sources=(
        (
            "Liferay Learn, 'Configuring Unicast over TCP' ('Make sure the initial hosts value accounts for all your "
            "nodes'; port_range; bind ports on vertical clusters): https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "configuring-unicast-over-tcp"
        ),
        (
            "JGroups source, TCPPING.port_range, the number of additional ports probed: https://github.com/belaban/"
            "JGroups/blob/JGroups-4.1.7.Final/src/org/jgroups/protocols/TCPPING.java"
        ),
        (
            "JGroups source, TP.port_range default 50 in 3.6 (10 from 4.1): https://github.com/belaban/JGroups/blob/"
            "JGroups-3.6.20.Final/src/org/jgroups/protocols/TP.java"
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
    nodes = [n for n in cluster.nodes if cluster_link_enabled(n)]
    if len(nodes) < 2:
        return
    by_node = {n.name: _node_channels(n, ctx.version) for n in nodes}
    names_of: dict[str, set[str]] = {}
    for node in nodes:
        ids = {node.name.lower()}
        ids.update(c.address.value.lower() for c in by_node[node.name] if c.address is not None and c.address.value)
        names_of[node.name] = ids
    known = set().union(*names_of.values())
    for lister in nodes:
        # one finding per list (a JVM flag or one XML attribute usually serves every channel)
        per_list: dict[tuple[str | None, int | None, str], list[tuple[_Channel, _Channel]]] = {}
        lists: dict[tuple[str | None, int | None, str], _Channel] = {}
        for own in by_node[lister.name]:
            if own.hosts is None or own.hosts_value is None:
                continue
            where = (own.hosts_value.at.file, own.hosts_value.at.line, own.hosts_value.at.origin or "")
            lists.setdefault(where, own)
            for target in nodes:
                if target is lister:
                    continue
                other = next((c for c in by_node[target.name] if c.name == own.name), None)
                if other is None or other.port is None or not other.tcpping:
                    continue  # other discovery (HA119), other transport (HA103) or port unknown
                if _listed(own.hosts, own.probe_range, names_of[target.name], other.port):
                    continue
                if other.address is None or not other.address.value or not _routable(other.address.value):
                    continue  # address unknown here (or loopback, HA113): cannot tell, skipped
                per_list.setdefault(where, []).append((own, other))
        for where, misses in per_list.items():
            own = lists[where]
            assert own.hosts_value is not None and own.hosts is not None
            # per missing node: its address and the port of each channel the list leaves out
            missing: dict[str, tuple[_Channel, dict[int, list[str]]]] = {}
            for mine, other in misses:
                assert other.port is not None
                entry = missing.setdefault(other.node.name, (other, {}))
                entry[1].setdefault(other.port, []).append(mine.name)
            parts = []
            for other, ports in missing.values():
                addr = other.address.value if other.address is not None and other.address.value else other.node.name
                each = ", ".join(f"{p} ({and_list(chans)})" for p, chans in sorted(ports.items()))
                parts.append(f"{other.node.name} ({addr}, port{'s' if len(ports) > 1 else ''} {each})")
            channels = sorted({m.name for m, _ in misses}, key=lambda c: (c != "control", c))
            unmapped = _unmapped(own.hosts, known)
            confidence = own.hosts_value.confidence
            note = ""
            if unmapped:
                confidence = Confidence.UNRESOLVED
                which = "a host that is" if len(unmapped) == 1 else "hosts that are"
                note = (
                    f"; the list also names {', '.join(unmapped)}, {which} no node's address or name here: if one "
                    "resolves to a missing node, list that node's address instead"
                )
            related: list[Label] = []
            for other, _ports in missing.values():
                if other.address is not None and other.address.value:
                    text = f"{other.node.name} binds {other.address.value}"
                    related.append(dataclasses.replace(other.address.at, text=text))
                else:
                    related.append(other.port_at)
            source = own.hosts_value.source
            if source == "TCPPING.initial_hosts" and own.ref.kind == "file":
                source = _relative(lister, own.ref.origin.file)
            yield Finding(
                f"{lister.name}'s TCPPING initial_hosts ({source}) does not list "
                f"{and_list(parts)}: {lister.name} probes only {own.hosts_value.value} with TCPPING "
                f"port_range={own.probe_range}, so it cannot find {'that node' if len(missing) == 1 else 'those nodes'}"
                f" when the cluster starts or after a split{note}",
                dataclasses.replace(
                    own.hosts_value.at, text=f"does not list {and_list([o.node.name for o, _ in missing.values()])}"
                ),
                tuple(related),
                help="list every node's address and channel port in initial_hosts on every node",
                confidence=confidence,
                subject=f"TCPPING.initial_hosts[{','.join(channels)}]",
            )
