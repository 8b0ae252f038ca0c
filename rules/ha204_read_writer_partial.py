"""HA204 read-writer-partial: read/write data sources half configured, or on some nodes only."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from linter.ruleapi import (
    ERROR,
    Cluster,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    OriginKind,
    Setting,
    agreement,
    label,
    rule,
)
from linter.ruleapi.keys import commons_list

SPRING_CONFIGS = ("spring.configs", "META-INF/dynamic-data-source-spring.xml")
SPRING_INFRASTRUCTURE = ("spring.infrastructure.configs", "META-INF/dynamic-data-source-infrastructure-spring.xml")


@dataclass(frozen=True)
class Options:
    # Families on which the read/write split only works with Liferay's dynamic data source Spring files
    # listed in the portal properties. 6.x: spring.configs; 7.0-7.2: spring.configs and
    # spring.infrastructure.configs. 7.3 up to U22 and 7.4 up to U65 need the infrastructure file too:
    # add "7.3" / "7.4" when your nodes run such an update (later updates enable the split by themselves).
    spring_files_required_on: tuple[str, ...] = ("6.0", "6.1", "6.2", "7.0", "7.1", "7.2")


def _required(version: str, options: Options | None) -> list[tuple[str, str]]:
    families = options.spring_files_required_on if options is not None else Options().spring_files_required_on
    if version not in families:
        return []
    if version.startswith("6."):
        return [SPRING_CONFIGS]
    if version in ("7.0", "7.1", "7.2"):
        return [SPRING_CONFIGS, SPRING_INFRASTRUCTURE]
    return [SPRING_INFRASTRUCTURE]  # 7.3 <= U22, 7.4 <= U65 (liferay-learn)


def _source(node: Node, prefix: str) -> Setting | None:
    """The setting that defines a jdbc.read / jdbc.write data source (JNDI name or URL), if any."""
    for key in (f"jdbc.{prefix}.jndi.name", f"jdbc.{prefix}.url"):
        setting = node.setting(key)
        if setting is not None and setting.origin.kind is not OriginKind.DEFAULT and setting.value.strip():
            return setting
    return None


def _listed(node: Node, key: str, entry: str) -> bool:
    setting = node.setting(key)
    if setting is None:
        return False
    name = entry.rsplit("/", 1)[-1]
    return any(item.strip().rsplit("/", 1)[-1] == name for item in commons_list(setting.value))


def _commented(node: Node, key: str, entry: str) -> Label | None:
    """The comment line that disables ``entry`` inside the continued value of ``key``, if any."""
    setting = node.setting(key)
    if setting is None or setting.origin.kind is not OriginKind.FILE or not setting.origin.line:
        return None
    first, last = setting.origin.line, setting.origin.end_line or setting.origin.line
    name = entry.rsplit("/", 1)[-1]
    for source in node.properties:
        if source.file.path != setting.origin.file:
            continue
        for comment in source.file.comments:
            if first < comment.line <= last + 1 and name in comment.text:
                return Label(
                    node=node.name,
                    file=source.file.path,
                    line=comment.line,
                    column=1,
                    text=f"{entry} commented out inside the value",
                )
    return None


class _State:
    def __init__(self, node: Node, required: list[tuple[str, str]]) -> None:
        self.node = node
        self.read = _source(node, "read")
        self.write = _source(node, "write")
        self.missing = [(k, e) for k, e in required if not _listed(node, k, e)]
        self.present = [(k, e) for k, e in required if _listed(node, k, e)]

    @property
    def defines(self) -> bool:
        return self.read is not None or self.write is not None

    @property
    def active(self) -> bool:
        return self.read is not None and self.write is not None and not self.missing

    @property
    def broken(self) -> bool:
        if self.defines:
            return self.read is None or self.write is None or bool(self.missing)
        return bool(self.present)


def _names(nodes: list[Node]) -> str:
    return ", ".join(n.name for n in nodes)


def _findings(state: _State, active_elsewhere: list[Node], version: str) -> Iterator[Finding]:
    node = state.node
    elsewhere = ""
    if active_elsewhere:
        verb = "uses" if len(active_elsewhere) == 1 else "use"
        elsewhere = f"; {_names(active_elsewhere)} {verb} the read/write split, so {node.name} behaves differently"
    if state.defines and (state.read is None or state.write is None):
        have, lack = ("read", "write") if state.read is not None else ("write", "read")
        setting = state.read or state.write
        yield Finding(
            f"{node.name} defines a jdbc.{have} data source but no jdbc.{lack} one (neither jdbc.{lack}.url nor "
            f"jdbc.{lack}.jndi.name): the read/write split needs both{elsewhere}",
            label(node, setting, f"jdbc.{have} only"),
            help=f"define jdbc.{lack}.* next to jdbc.{have}.* on every node, or remove both",
            confidence=setting.confidence if setting is not None else Confidence.EXPLICIT,
            subject=f"jdbc.{lack}.url",
        )
    if state.defines and state.missing:
        for key, entry in state.missing:
            setting = node.setting(key)
            if setting is None:
                how = f"{key} is not set"
            elif setting.origin.kind is OriginKind.DEFAULT:
                how = f"{key} keeps the Liferay {version} default, which does not list {entry}"
            else:
                how = f"the effective {key} does not list {entry}"
            related: list[Label] = []
            comment = _commented(node, key, entry)
            if comment is not None:
                how += f" (the entry is commented out at line {comment.line}, and Liferay skips comment lines inside "
                how += "a continued value)"
                related.append(comment)
            first = state.read or state.write
            if first is not None:
                related.append(label(node, first, "read/write data source defined here"))
            yield Finding(
                f"{node.name} defines jdbc.read/jdbc.write data sources, but {how}: Liferay then ignores them and "
                f"sends every query to jdbc.default{elsewhere}",
                label(node, setting, f"no {entry.rsplit('/', 1)[-1]}", key=key),
                tuple(related),
                help=f"add {entry} to {key} on every node that defines jdbc.read.* and jdbc.write.*",
                confidence=setting.confidence if setting is not None else Confidence.DEFAULT,
                subject=key,
            )
    if not state.defines and state.present:
        key, entry = state.present[0]
        setting = node.setting(key)
        yield Finding(
            f"{node.name} lists {entry} in {key}, but defines no jdbc.read or jdbc.write data source "
            "(jdbc.read.url / jdbc.read.jndi.name, jdbc.write.url / jdbc.write.jndi.name): the dynamic data "
            "source has nothing to route to",
            label(node, setting, f"{entry.rsplit('/', 1)[-1]} without data sources", key=key),
            help="define jdbc.read.* and jdbc.write.* on this node, or remove the entry",
            subject=key,
        )


def _mode(state: _State) -> str:
    return "read-writer" if state.active else "single"


def _show(value: Hashable) -> str:
    return "the read/write split" if value == "read-writer" else "a single data source (jdbc.default)"


@rule(
    id="HA204",
    name="read-writer-partial",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("database", "drift"),
    options=Options,
    summary="Read/write data sources are half configured on a node, or used on some nodes of a cluster only.",
    rationale=(
        "Liferay can send read transactions to one data source (jdbc.read.*) and read-write transactions to "
        "another (jdbc.write.*). It needs both data sources and, on 6.x to 7.2, Liferay's dynamic data source "
        "Spring file in the portal properties: META-INF/dynamic-data-source-spring.xml in spring.configs (6.x, "
        "7.0-7.2) and META-INF/dynamic-data-source-infrastructure-spring.xml in spring.infrastructure.configs "
        "(7.0-7.2; 7.3 up to U22 and 7.4 up to U65, enable those with the option). The shipped spring.configs "
        "lists the file commented out, and Liferay's loader skips comment lines inside a continued value, so "
        "copying the stock list without uncommenting the entry leaves the split off: the jdbc.read/jdbc.write "
        "keys are then silently ignored. A node that defines only one of the two data sources, or lists the "
        "Spring file without the data sources, is misconfigured. Across a cluster, nodes that use the split "
        "and nodes that do not behave differently (replica lag is visible on some nodes only), so the rule "
        "also reports nodes whose effective mode differs from the others'."
    ),
    fix="On every node, either define jdbc.read.* and jdbc.write.* and list the dynamic data source Spring "
    "file(s) for your version, or use jdbc.default.* alone.",
    # facts: liferay-ha-facts.md §3.1, §1.5; read in: shared/corpus/liferay, petershin/liferay-learn
    sources=(
        (
            "Liferay 6.2 portal.properties (spring.configs and the JDBC section: 'Add dynamic-data-source-spring.xml "
            "to the property spring.configs'): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/"
            "src/portal.properties"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability': https://github.com/liferay/"
            "liferay-docs/blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
        (
            "Liferay Learn, 'Database Configuration for Cluster Nodes' (the spring.infrastructure.configs step is "
            "'only necessary for DXP 7.3 U22, DXP 7.4 U65 and below'): https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "database-configuration-for-cluster-nodes"
        ),
        (
            "Liferay 7.4 source, VerifyProperties.java (spring.infrastructure.configs is obsolete): https://"
            "github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/com/liferay/portal/verify/"
            "VerifyProperties.java"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    required = _required(ctx.version, ctx.options)
    states = {n.name: _State(n, required) for n in cluster.nodes}
    active = [n for n in cluster.nodes if states[n.name].active]
    for node in cluster.nodes:
        state = states[node.name]
        if state.broken:
            yield from _findings(state, [n for n in active if n is not node], ctx.version)
    yield from agreement(
        cluster,
        lambda n: _mode(states[n.name]),
        lambda n: states[n.name].read or states[n.name].write,
        what="The read/write data source split (jdbc.read.*, jdbc.write.*)",
        show=_show,
        subject="jdbc.read.url",
        help="configure jdbc.read.* and jdbc.write.* on every node or on none",
        skip=lambda n: states[n.name].broken,
    )
