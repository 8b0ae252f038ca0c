"""HA119 jgroups-discovery-mismatch: the nodes of a cluster discover each other differently on one
Cluster Link channel (another discovery protocol, or another database, bucket or DNS query)."""

from __future__ import annotations

import dataclasses
import re
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
    label,
    node_names,
    outliers,
    rule,
    stack_label,
)
from linter.ruleapi.cluster_link import (
    CHANNEL_PREFIX,
    Protocol,
    channel_attribute,
    cluster_channel_keys,
    cluster_link_enabled,
)

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
        value = channel_attribute(node, ref, protocol, name, "discovery target", fallback)
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
    # facts: liferay-ha-facts.md §2.4; ehcache-jgroups-facts.md B.3, B.4, B.5; read in: petershin/liferay-learn
    sources=(
        (
            "Liferay Learn, 'Configuring Unicast over TCP' (TCPPING, JDBC_PING, S3_PING and other discovery "
            "protocols; 'a central database accessible by all the nodes'): https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "configuring-unicast-over-tcp"
        ),
        (
            "JGroups manual, 'List of protocols' (discovery protocols and their attributes): http://www.jgroups.org/"
            "manual4/index.html#protlist"
        ),
        (
            "JGroups source, every discovery protocol has its own protocol id, so one never answers another: https://"
            "github.com/belaban/JGroups/blob/JGroups-4.1.7.Final/conf/jg-protocol-ids.xml"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    nodes = [n for n in cluster.nodes if cluster_link_enabled(n)]
    if len(nodes) < 2:
        return
    keys = cluster_channel_keys(nodes)
    merged: dict[tuple[str, str | None, int | None, str | None, str], tuple[Finding, list[str]]] = {}

    def add(node: Node, finding: Finding, channel: str, what: str) -> None:
        where = (node.name, finding.at.file, finding.at.line, finding.at.origin, what)
        if where in merged:
            merged[where][1].append(channel)
        else:
            merged[where] = (finding, [channel])

    for key in keys:
        channel = key[len(CHANNEL_PREFIX) :]
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
        for name, members, others, tie in outliers(protocols):
            against = "; ".join(f"{node_names(ns)} {_verb(ns)} {v}" for v, ns in others)
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
        for _value, members, differing, tie in outliers(by_target):
            shown_others = "; ".join(f"{node_names(ns)} {_verb(ns)} {targets[ns[0].name].shown}" for _, ns in differing)
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
        yield finding._replace(message=f"{finding.message} ({and_list(channels)} {kind})")
