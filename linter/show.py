"""The data behind ``liferay-ha-lint show``: HA-relevant effective settings side by side.

Each row is one setting (portal property, OSGi configuration key or JVM flag) with every
node's value, origin and confidence. Formatting lives in ``linter.reporters``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import NamedTuple

from linter.liferay.keys import NODE_SPECIFIC_GLOBS, channel_name_seeds_key
from linter.model import Cluster, Node
from linter.origin import Confidence, Origin, OriginKind, Problem, Setting
from linter.redact import mask_inline, mask_value

# (section, exact keys or regex patterns); keys always shown even when only defaulted: "!" prefix
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Cluster Link",
        (
            "!cluster.link.enabled",
            "!cluster.link.autodetect.address",
            r"re:cluster\.link\.bind\.addr\[.*\]",
            r"re:cluster\.link\.channel\.name\..*",
            r"re:cluster\.link\.channel\.logic\.name\..*",
            "!cluster.link.channel.properties.control",
            r"re:cluster\.link\.channel\.properties\.transport\..*",
            "cluster.link.channel.system.properties",
            r"re:cluster\.link\.auth\..*",
        ),
    ),
    ("Multicast groups", (r"re:multicast\.group\.(address|port)\[.*\]",)),
    (
        "Database",
        (
            "!jdbc.default.jndi.name",
            "!jdbc.default.driverClassName",
            "!jdbc.default.url",
            "jdbc.default.username",
            "jdbc.default.password",
            r"re:jdbc\.(read|write)\..*",
            "spring.configs",
            "spring.infrastructure.configs",
        ),
    ),
    (
        "Document store",
        (
            "!dl.store.impl",
            "!dl.hook.impl",
            "dl.store.file.system.root.dir",
            "dl.hook.file.system.root.dir",
            "dl.store.advanced.file.system.root.dir",
            r"re:dl\.store\.s3\..*",
            r"re:dl\.store\.cmis\..*",
            "jcr.jackrabbit.repository.root",
        ),
    ),
    ("Search", ("lucene.replicate.write", "lucene.dir", "lucene.store.type", "index.read.only", "index.on.startup")),
    (
        "Cache",
        (
            "ehcache.multi.vm.config.location",
            "ehcache.single.vm.config.location",
            "net.sf.ehcache.configurationResourceName",
            "ehcache.cluster.link.replication.enabled",
            r"re:ehcache\.replicator\.properties\..*",
        ),
    ),
    ("Instance", ("company.default.web.id", "liferay.home", "setup.wizard.enabled", "web.server.display.node")),
)
JVM_ROWS = ("jgroups.bind_addr", "jgroups.tcpping.initial_hosts", "jgroups.bind_interface", "java.net.preferIPv4Stack")
OSGI_SECTIONS = (
    ("Document store", "com.liferay.portal.store."),
    ("Search", "com.liferay.portal.search."),
)


class Cell(NamedTuple):
    value: str  # already masked when secret
    origin: Origin
    confidence: Confidence

    @property
    def origin_text(self) -> str:
        if self.origin.kind is OriginKind.DEFAULT:
            return self.origin.detail
        return mask_inline(self.origin.describe())


def relative_origin(origin_text: str, node_path: str) -> str:
    """An origin under the node's own directory, relative to it (the column or line names the node)."""
    return origin_text.replace(node_path.rstrip("/") + "/", "")


class Row(NamedTuple):
    section: str
    key: str
    cells: tuple[Cell | None, ...]  # one per node, None when not set anywhere on that node

    @property
    def differs(self) -> bool:
        values = {c.value if c else None for c in self.cells}
        return len(values) > 1

    @property
    def per_node(self) -> bool:
        """A setting that differs between the nodes of a healthy cluster by design (a bind
        address, a channel's logic name): its differences are not drift."""
        return NODE_SPECIFIC_GLOBS.matches(self.key)

    @property
    def drifts(self) -> bool:
        """Differs between nodes, and is not one of the settings that must differ."""
        return self.differs and not self.per_node


def _matches(key: str, pattern: str) -> bool:
    if pattern.startswith("re:"):
        return re.fullmatch(pattern[3:], key) is not None
    return key == pattern.lstrip("!")


def _property_rows(cluster: Cluster, everything: bool) -> list[Row]:
    rows: list[Row] = []
    claimed: set[str] = set()
    all_keys = sorted({k for n in cluster.nodes for k in n.settings})
    made: dict[int, tuple[Setting, Cell]] = {}  # a default shared by the nodes is one Setting: one Cell

    def _cell(node: Node, key: str) -> Cell | None:
        setting = node.setting(key)
        if setting is None:
            return None
        hit = made.get(id(setting))
        if hit is None or hit[0] is not setting:
            hit = made[id(setting)] = (
                setting,
                Cell(mask_value(key, setting.value), setting.origin, setting.confidence),
            )
        return hit[1]

    for section, patterns in SECTIONS:
        for pattern in patterns:
            always = pattern.startswith("!")
            keys = [k for k in all_keys if _matches(k, pattern)]
            for key in keys:
                if key in claimed:
                    continue
                cells = _hide_key_seeds(cluster, key, tuple(_cell(n, key) for n in cluster.nodes))
                explicit = any(c and c.origin.kind is not OriginKind.DEFAULT for c in cells)
                if always or explicit or everything:
                    claimed.add(key)
                    rows.append(Row(section, key, cells))
    if everything:
        for key in all_keys:
            if key not in claimed:
                cells = _hide_key_seeds(cluster, key, tuple(_cell(n, key) for n in cluster.nodes))
                rows.append(Row("Other properties", key, cells))
    return rows


def _hide_key_seeds(cluster: Cluster, key: str, cells: tuple[Cell | None, ...]) -> tuple[Cell | None, ...]:
    """A channel name on a sym_encrypt stack seeds the channel's encryption key (as HA108 and HA121
    say, without the name): shown as "not shown, name N", equal names with equal N, so that the
    matrix still tells when the nodes differ."""
    out: list[Cell | None] = []
    numbers: dict[str, int] = {}
    for node, cell in zip(cluster.nodes, cells, strict=True):
        if cell is None or not channel_name_seeds_key(node.settings, key):
            out.append(cell)
            continue
        number = numbers.setdefault(cell.value, len(numbers) + 1)
        shown = f"(not shown: seeds the sym_encrypt key; name {number})"
        out.append(cell._replace(value=shown))
    return tuple(out)


def _jvm_rows(cluster: Cluster) -> list[Row]:
    rows: list[Row] = []
    names = list(JVM_ROWS)
    for node in cluster.nodes:
        for flag in node.jvm_flags:
            if flag.text.startswith(("-Xmx", "-Xms")) and flag.name not in names:
                names.append(flag.name)
    for name in names:
        cells: list[Cell | None] = []
        for node in cluster.nodes:
            last = next((f for f in reversed(node.jvm_flags) if f.name == name), None)
            if last is None:
                cells.append(None)
            else:
                value = last.value if last.value is not None else last.text
                cells.append(Cell(mask_value(name, value), last.origin, Confidence.EXPLICIT))
        if any(cells):
            label = f"-D{name}" if not name.startswith("-") else name
            rows.append(Row("JVM flags", label, tuple(cells)))
    return rows


def _osgi_rows(cluster: Cluster, everything: bool) -> list[Row]:
    rows: list[Row] = []
    pids = sorted({c.pid for n in cluster.nodes for c in n.osgi})
    for pid in pids:
        section = next((s for s, prefix in OSGI_SECTIONS if pid.startswith(prefix)), "OSGi configuration")
        if section == "OSGi configuration" and not everything:
            continue
        keys = sorted({e.key for n in cluster.nodes for c in n.osgi if c.pid == pid for e in c.entries})
        short = pid.rsplit(".", 1)[-1]
        for key in keys:
            cells: list[Cell | None] = []
            for node in cluster.nodes:
                config = node.osgi_config(pid)
                entry = config.get(key) if config else None
                cells.append(Cell(mask_value(key, entry.text), entry.origin, Confidence.EXPLICIT) if entry else None)
            rows.append(Row(section, f"{short}: {key}", tuple(cells)))
    return rows


def _reference_cell(node: Node, key: str, what: str) -> Cell | None:
    ref = node.reference(key)
    if ref is None:
        return None
    if what == "summary":
        if ref.jgroups is not None:
            discovery = ref.jgroups.discovery
            text = f"{ref.jgroups.transport_kind or '?'} + {discovery.name if discovery else 'no discovery'}"
        elif ref.ehcache is not None:
            e = ref.ehcache
            caches = len(e.caches) + (1 if e.default_cache else 0)
            peers = (
                ", ".join(f.class_name.rsplit(".", 1)[-1] for f in e.peer_providers if f.class_name)
                or "no peer provider"
            )
            text = f"{caches} caches, {peers}"
        elif ref.transport_hint:
            text = f"{ref.transport_hint} (stock JGroups stack)"
        else:
            text = f"({ref.kind})"
        confidence = Confidence.UNRESOLVED if ref.kind in ("unresolved", "missing", "url") else ref.setting.confidence
        return Cell(text, ref.origin, confidence)
    if ref.jgroups is None:
        return None
    protocol, attr = what.split(".", 1)
    found = ref.jgroups.attr(protocol, attr, *(("mcast_group_addr",) if attr == "mcast_addr" else ()))
    if found is None:
        return None
    origin = ref.origin if ref.origin.kind is not OriginKind.FILE else Origin(ref.origin.file, found.line, found.column)
    return Cell(mask_value(attr, found.value), origin, ref.setting.confidence)


_STACK_DETAILS = (
    "UDP.mcast_addr",
    "UDP.mcast_port",
    "TCP.bind_addr",
    "TCP.bind_port",
    "TCP.port_range",
    "TCPPING.initial_hosts",
    "TCPPING.port_range",
    "JDBC_PING.connection_url",
    "dns.DNS_PING.dns_query",
)


def _reference_rows(cluster: Cluster) -> list[Row]:
    rows: list[Row] = []
    keys = list(dict.fromkeys(r.key for n in cluster.nodes for r in n.references))
    for key in keys:
        is_cache = key.startswith(("ehcache.", "net.sf.ehcache"))
        section = "Cache" if is_cache else "JGroups stacks"
        label = key.replace("cluster.link.channel.properties.", "channel ")
        cells = tuple(_reference_cell(n, key, "summary") for n in cluster.nodes)
        rows.append(Row(section, f"{label} (contents)", cells))
        if is_cache:
            continue
        for detail in _STACK_DETAILS:
            cells = tuple(_reference_cell(n, key, detail) for n in cluster.nodes)
            if any(cells):
                rows.append(Row(section, f"{label}: {detail}", cells))
    return rows


def build_rows(cluster: Cluster, everything: bool = False, only_differing: bool = False) -> list[Row]:
    """The rows of a cluster's table; ``only_differing``: only the settings whose value differs
    between its nodes (``show --diff``)."""
    rows = (
        _property_rows(cluster, everything)
        + _reference_rows(cluster)
        + _jvm_rows(cluster)
        + _osgi_rows(cluster, everything)
    )
    order = [s for s, _ in SECTIONS[:2]] + ["JGroups stacks"] + [s for s, _ in SECTIONS[2:]]
    order += ["JVM flags", "OSGi configuration", "Other properties"]
    if only_differing:
        rows = [r for r in rows if r.drifts]
    return sorted(rows, key=lambda r: order.index(r.section) if r.section in order else len(order))


def with_nodes(cluster: Cluster, names: Sequence[str]) -> Cluster:
    """The cluster reduced to the named nodes (``show --node``), in the cluster's order."""
    wanted = set(names)
    return dataclasses.replace(cluster, nodes=tuple(n for n in cluster.nodes if n.name in wanted))


def problem_message(problem: Problem) -> str:
    """An input problem's message as it may be shown (masked)."""
    return mask_inline(problem.message)
