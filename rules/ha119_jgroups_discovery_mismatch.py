"""HA119 jgroups-discovery-mismatch: the nodes of a cluster discover each other differently on one
Cluster Link channel (another discovery protocol, or another database, bucket or DNS query)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import NamedTuple, TypeVar

from linter.ruleapi import (
    ERROR,
    Cluster,
    Confidence,
    Context,
    Finding,
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
V = TypeVar("V")

# Stock stacks of the JGroups jar, known by name only (conf/*.xml at JGroups 3.6.20, 4.1.7, 5.4.12).
_JAR_DISCOVERY = {
    "tcp.xml": "TCPPING",
    "tcp-nio.xml": "TCPPING",
    "mping.xml": "MPING",
    "udp.xml": "PING",
    "fast.xml": "PING",
    "tcpgossip.xml": "TCPGOSSIP",
}
# What each discovery protocol meets the others in: (attribute, system property fallback).
_TARGETS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "JDBC_PING": (("datasource_jndi_name", None), ("connection_url", None)),
    "JDBC_PING2": (("datasource_jndi_name", None), ("connection_url", None)),
    "S3_PING": (("location", None),),
    "NATIVE_S3_PING": (("region_name", None), ("bucket_name", None), ("bucket_prefix", None)),
    "FILE_PING": (("location", None),),
    "GOOGLE_PING": (("location", None),),
    "GOOGLE_PING2": (("location", None),),
    "SWIFT_PING": (("container", None),),
    "RACKSPACE_PING": (("container", None),),
    "AZURE_PING": (("storage_account_name", None), ("container", None)),
    "DNS_PING": (("dns_query", None), ("dns_record_type", None)),
    "KUBE_PING": (("namespace", None), ("labels", None)),
    "TCPGOSSIP": (("initial_hosts", None),),
    "MPING": (("mcast_addr", "jgroups.mping.mcast_addr"), ("mcast_port", "jgroups.mping.mcast_port")),
}
_CASE_INSENSITIVE = frozenset({"dns_query", "dns_record_type", "mcast_addr", "region_name", "initial_hosts"})


class _Value(NamedTuple):
    value: str | None
    confidence: Confidence
    at: Label
    source: str


def _enabled(node: Node) -> bool:
    setting = node.setting("cluster.link.enabled")
    return get_boolean(setting.value if setting is not None else None)


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


class _Discovery(NamedTuple):
    node: Node
    ref: Reference
    transport: str | None
    protocol: Protocol | None  # None for JGroups' stock stacks, known by name only
    name: str  # base name: TCPPING, JDBC_PING, DNS_PING, ...
    at: Label


class _Target(NamedTuple):
    key: tuple[str, ...]  # compared
    shown: str  # safe to print (no credentials)
    at: Label
    confidence: Confidence


def _jdbc(url: str) -> str:
    """A JDBC URL reduced to what names the database: sub-protocol, host[:port] and database;
    user names, passwords and parameters are dropped (they may carry credentials)."""
    text = url.strip()
    sub = re.match(r"(?i)^jdbc:([a-z0-9]+)", text)
    kind = sub.group(1).lower() if sub else "jdbc"
    authority = re.search(r"//(?:[^/@?;]*@)?([^/?;]+)(/[^?;]*)?", text)
    if authority:
        database = (authority.group(2) or "").rstrip("/")
        if not database:
            name = re.search(r"(?i)[;?&](?:databaseName|database)=([^;&]+)", text)
            database = f"/{name.group(1)}" if name else ""
        return f"{kind}://{authority.group(1).lower()}{database}"
    at = text.rfind("@")
    if at >= 0:  # Oracle thin: jdbc:oracle:thin:user/password@host:port:SID
        return f"{kind}:@{text[at + 1 :].split('?')[0].lower()}"
    return f"{kind}:{re.split(r'[?;]', text.split(':', 2)[-1])[0]}"


def _discovery(node: Node, ref: Reference) -> _Discovery | None:
    if ref.kind == "jgroups-jar":
        name = ref.setting.value.strip().lstrip("/")
        found = _JAR_DISCOVERY.get(name)
        if found is None:
            return None
        return _Discovery(node, ref, ref.transport, None, found, label(node, ref.setting, f"JGroups' stock {name}"))
    stack = ref.jgroups
    if ref.kind not in ("file", "inline", "builtin") or stack is None:
        return None
    protocol = stack.discovery
    if protocol is None:
        return None
    at = stack_label(node, ref, protocol, None, protocol.base)
    return _Discovery(node, ref, stack.transport_kind, protocol, protocol.base, at)


def _target(discovery: _Discovery) -> _Target | None:
    """Where the discovery protocol meets the other members; None when it has no such target
    (TCPPING, PING: HA111 and HA104 compare those) or when a part of it is unresolved."""
    protocol = discovery.protocol
    wanted = _TARGETS.get(discovery.name)
    if protocol is None or wanted is None:
        return None
    node, ref = discovery.node, discovery.ref
    key: list[str] = []
    shown: list[str] = []
    at: Label | None = None
    confidence = Confidence.EXPLICIT
    for name, fallback in wanted:
        value = _attr(node, ref, protocol, name, "discovery target", fallback)
        if value is None:
            continue
        if value.value is None or value.confidence is Confidence.UNRESOLVED:
            return None
        text = value.value.strip()
        if name == "connection_url":
            text = _jdbc(text)
        elif name in _CASE_INSENSITIVE:
            text = text.lower()
        if name == "datasource_jndi_name" and text:
            key.append(f"jndi:{text}")
            shown.append(f"data source {text}")
            at = at or value.at
            break  # a data source wins over the connection_* attributes
        key.append(f"{name}={text}")
        shown.append(text if name in ("connection_url", "location", "dns_query", "container") else f"{name}={text}")
        at = at or value.at
        if value.confidence is Confidence.DEFAULT:
            confidence = Confidence.DEFAULT
    if not key or at is None:
        return None
    return _Target(tuple(key), ", ".join(shown), at, confidence)


def _split(groups: dict[V, list[Node]]) -> Iterator[tuple[V, list[Node], list[tuple[V, list[Node]]], bool]]:
    """Outlier groups against the majority (every group against the others on a tie)."""
    if len(groups) < 2:
        return
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[1][0].name))
    top = len(ordered[0][1])
    tie = sum(1 for _, nodes in ordered if len(nodes) == top) > 1
    for value, nodes in ordered:
        if not tie and value == ordered[0][0]:
            continue
        yield value, nodes, [(v, ns) for v, ns in ordered if v != value], tie


def _names(nodes: list[Node]) -> str:
    names = [n.name for n in nodes]
    return ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} and {len(names) - 3} more"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _verb(nodes: list[Node]) -> str:
    return "uses" if len(nodes) == 1 else "use"


@rule(
    id="HA119",
    name="jgroups-discovery-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("cluster-link", "jgroups", "drift"),
    summary="Nodes discover Cluster Link members with different protocols or different discovery targets.",
    rationale=(
        "Members of a JGroups channel find each other only through its discovery protocol: TCPPING's static "
        "list, PING/MPING multicast, JDBC_PING's table in one database, S3_PING's bucket, DNS_PING's DNS "
        "query. Nodes that use another protocol, or the same protocol against another database, bucket or "
        "query, never see each other and the cluster splits silently. Compared per channel between nodes with "
        "Cluster Link on and the same transport (a UDP/TCP difference is HA103); TCPPING host lists are HA111's "
        "and multicast groups HA104's. JDBC URLs are compared and shown as sub-protocol, host, port and "
        "database only: user names, passwords and parameters are never printed. Unresolved targets are skipped."
    ),
    fix=(
        "Deploy the same JGroups stack file to every node, with the same discovery protocol and the same "
        "discovery target (one JDBC_PING database and table, one S3 bucket, one DNS query) per channel."
    ),
    sources=(
        "liferay-learn 'Configuring Unicast over TCP' (petershin/liferay-learn @4081b956, read for this rule): "
        "TCPPING, JDBC_PING, S3_PING and other pings, 'a central database accessible by all the nodes'; "
        "liferay-ha-facts.md §2.4 (cross-node agreement marked INFERENCE there); ehcache-jgroups-facts.md B.3, "
        "B.4, B.5 ('JDBC_PING pointing at a different database per node')",
        "JGroups discovery attributes (JDBC_PING connection_url/datasource_jndi_name, S3_PING location, "
        "dns.DNS_PING dns_query, MPING mcast_addr/mcast_port with jgroups.mping.* system properties) and the "
        "stock conf/*.xml discovery protocols (belaban/JGroups at 3.6.20, 4.1.7, 5.4.12, read for this rule)",
        "Why another protocol never answers: Discovery.up reads the PingHeader under its own protocol id, and every "
        "discovery protocol has its own id (conf/jg-protocol-ids.xml: PING 5, MPING 6, S3_PING 7, FILE_PING 8, "
        "TCPPING 9, JDBC_PING 32, DNS_PING 61; belaban/JGroups JGroups-4.1.7.Final, read for this rule)",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    nodes = [n for n in cluster.nodes if _enabled(n)]
    if len(nodes) < 2:
        return
    keys = sorted({k for n in nodes for k in channel_keys(n.settings)}, key=lambda k: (not k.endswith("control"), k))
    merged: dict[tuple[str, str | None, int | None, str | None, str], tuple[Finding, list[str]]] = {}

    def add(node: Node, finding: Finding, channel: str, what: str) -> None:
        where = (node.name, finding.at.file, finding.at.line, finding.at.origin, what)
        if where in merged:
            merged[where][1].append(channel)
        else:
            merged[where] = (finding, [channel])

    for key in keys:
        channel = key[len(_PREFIX) :]
        found: dict[str, _Discovery] = {}
        for node in nodes:
            ref = node.reference(key)
            discovery = _discovery(node, ref) if ref is not None else None
            if discovery is not None:
                found[node.name] = discovery
        if len({d.transport for d in found.values()}) > 1:
            continue  # UDP against TCP: HA103 reports it
        protocols: dict[str, list[Node]] = {}
        for node in nodes:
            if node.name in found:
                protocols.setdefault(found[node.name].name, []).append(node)
        for name, members, others, tie in _split(protocols):
            against = "; ".join(f"{_names(ns)} {_verb(ns)} {v}" for v, ns in others)
            for node in members:
                mine = found[node.name]
                finding = Finding(
                    f"Cluster Link discovery differs between nodes{' (tie)' if tie else ''}: {node.name} finds "
                    f"members with {name}, {against}; nodes that discover differently never see each other",
                    dataclasses.replace(mine.at, text=f"{node.name}: {name}"),
                    tuple(dataclasses.replace(found[n.name].at, text=f"{n.name}: {v}") for v, ns in others for n in ns),
                    help="use the same discovery protocol on every node",
                    confidence=mine.ref.setting.confidence,
                    subject=f"{key}:discovery",
                )
                add(node, finding, channel, name)
        if len(protocols) != 1:
            continue
        (protocol_name,) = protocols
        targets: dict[str, _Target] = {}
        for node in nodes:
            if node.name in found:
                target = _target(found[node.name])
                if target is not None:
                    targets[node.name] = target
        by_target: dict[tuple[str, ...], list[Node]] = {}
        for node in nodes:
            if node.name in targets:
                by_target.setdefault(targets[node.name].key, []).append(node)
        for _value, members, differing, tie in _split(by_target):
            shown_others = "; ".join(f"{_names(ns)} {_verb(ns)} {targets[ns[0].name].shown}" for _, ns in differing)
            for node in members:
                mine_target = targets[node.name]
                finding = Finding(
                    f"Cluster Link {protocol_name} target differs between nodes{' (tie)' if tie else ''}: "
                    f"{node.name} uses {mine_target.shown}, {shown_others}; nodes that look for members in different "
                    "places never see each other",
                    dataclasses.replace(mine_target.at, text=f"{node.name}: {mine_target.shown}"),
                    tuple(
                        dataclasses.replace(targets[n.name].at, text=f"{n.name}: {targets[n.name].shown}")
                        for _, ns in differing
                        for n in ns
                    ),
                    help=f"point {protocol_name} at the same target on every node",
                    confidence=mine_target.confidence,
                    subject=f"{key}:discovery-target",
                )
                add(node, finding, channel, mine_target.shown)
    for finding, channels in merged.values():
        kind = "channels" if len(channels) > 1 else "channel"
        yield finding._replace(message=f"{finding.message} ({_and(channels)} {kind})")
