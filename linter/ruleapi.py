"""The only module a rule file imports: the ``rule`` decorator, ``Finding``, ``Label`` and helpers.

A rule is metadata plus a pure generator. Node rules get one ``Node`` and a ``Context``; cluster
rules get the ``Cluster``. Rules never read files, the environment or the clock, and never
format output: they yield ``Finding``s whose labels point at origins; the engine stamps id,
severity and order, masks secrets and renders snippets.

    @rule(id="HA101", name="cluster-link-disabled", severity=ERROR, scope="node", ...)
    def check(node: Node, ctx: Context) -> Iterator[Finding]:
        ...
"""

from __future__ import annotations

import dataclasses
import functools
import hmac
import os
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from linter.diagnostics import Label, Severity
from linter.liferay.getter import get_boolean, is_recognised_boolean
from linter.liferay.versions import VersionRange
from linter.model import Confidence, Origin, OriginKind, Setting
from linter.node import Cluster, Node

ERROR = Severity.ERROR
WARNING = Severity.WARNING
INFO = Severity.INFO

Scope = Literal["node", "cluster", "input", "engine"]
ID_PATTERN = re.compile(r"^HA\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

__all__ = [
    "ERROR",
    "INFO",
    "WARNING",
    "Cluster",
    "Confidence",
    "Context",
    "Finding",
    "Label",
    "Node",
    "Origin",
    "OriginKind",
    "Rule",
    "Setting",
    "Severity",
    "VersionRange",
    "agreement",
    "get_boolean",
    "is_recognised_boolean",
    "label",
    "label_at",
    "rule",
]


class Finding(NamedTuple):
    """What a rule reports. ``subject`` names what the finding is about (a property key, a PID,
    an element); together with the rule, cluster and nodes it makes the fingerprint."""

    message: str
    at: Label
    related: tuple[Label, ...] = ()
    help: str | None = None
    confidence: Confidence = Confidence.EXPLICIT
    subject: str = ""
    severity: Severity | None = None  # raises the rule's default for this finding (RULES.md "error for ...")


class Context(NamedTuple):
    """What a rule may know besides its node or cluster."""

    cluster: Cluster
    version: str  # the cluster's Liferay family, e.g. "7.4"
    options: Any  # an instance of the rule's options dataclass, or None
    audit: tuple[Cluster, ...] = ()  # every cluster of this run (for rules comparing clusters)

    @property
    def clustered(self) -> bool:
        """A cluster in the sense of RULES.md: two or more nodes."""
        return len(self.cluster.nodes) >= 2


CheckFn = Callable[..., Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    scope: Scope
    summary: str
    rationale: str
    fix: str
    sources: tuple[str, ...]
    versions: VersionRange = field(default_factory=VersionRange)
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    options: type | None = None
    since: str = "0.1.0"
    check: CheckFn | None = None
    module: str = ""  # file the rule came from (set by the loader)

    def default_options(self) -> Any:
        return self.options() if self.options is not None else None

    def option_fields(self) -> list[tuple[str, str, Any]]:
        if self.options is None:
            return []
        defaults = self.options()
        return [(f.name, str(f.type), getattr(defaults, f.name)) for f in dataclasses.fields(self.options)]


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    scope: Scope,
    summary: str,
    rationale: str,
    fix: str,
    sources: Sequence[str],
    versions: str = "all",
    tags: Sequence[str] = (),
    aliases: Sequence[str] = (),
    options: type | None = None,
    since: str = "0.1.0",
) -> Callable[[CheckFn | None], Rule]:
    """Declare a rule; the decorated function becomes its check (validated by the loader)."""

    def wrap(fn: CheckFn | None) -> Rule:
        return Rule(
            id=id,
            name=name,
            severity=severity,
            scope=scope,
            summary=summary,
            rationale=rationale,
            fix=fix,
            sources=tuple(sources),
            versions=VersionRange.parse(versions),
            tags=tuple(tags),
            aliases=tuple(aliases),
            options=options,
            since=since,
            check=fn,
        )

    return wrap


def metadata_only(
    *,
    id: str,
    name: str,
    severity: Severity,
    scope: Scope,
    summary: str,
    rationale: str,
    fix: str,
    sources: Sequence[str],
    tags: Sequence[str] = (),
) -> Rule:
    """A rule whose findings the engine itself produces (input problems, internal errors)."""
    declare = rule(
        id=id,
        name=name,
        severity=severity,
        scope=scope,
        summary=summary,
        rationale=rationale,
        fix=fix,
        sources=sources,
        tags=tags,
    )
    return declare(None)


# ----------------------------------------------------------------------------- labels


def label_at(node: Node | None, origin: Origin, text: str = "") -> Label:
    """A label at an origin; for defaults and built-ins the label says so instead of a line."""
    name = node.name if node is not None else None
    if origin.kind in (OriginKind.FILE, OriginKind.ENV, OriginKind.JVM) and origin.file and origin.line:
        return Label(
            node=name,
            file=origin.file,
            line=origin.line,
            column=origin.column,
            end_line=origin.end_line,
            end_column=origin.end_column,
            text=text,
        )
    if origin.kind is OriginKind.FILE and origin.file:
        return Label(node=name, file=origin.file, text=text)  # a whole file (unreadable, refused)
    if origin.kind in (OriginKind.ENV, OriginKind.JVM):
        return Label(node=name, file=origin.file or None, text=text, origin=origin.describe())
    fallback = None
    if node is not None:
        main = next((s.file.path for s in node.properties if s.role == "portal-ext.properties"), None)
        fallback = main or node.path
    return Label(node=name, file=fallback, text=text, origin=origin.detail or origin.describe())


def label(node: Node, setting: Setting | None, text: str = "", key: str | None = None) -> Label:
    """A label at the effective definition of a setting (or the node, when it is unset)."""
    if setting is None:
        return label_at(
            node, Origin(file=node.path, kind=OriginKind.COMPUTED, detail=f"{key or 'setting'} not set"), text
        )
    return label_at(node, setting.origin, text)


def _value_text(node: Node, value: str, setting: Setting | None) -> str:
    """Label text for a node's value: the origin is named only when the label has no line."""
    if (
        setting is not None
        and setting.origin.kind in (OriginKind.FILE, OriginKind.ENV, OriginKind.JVM)
        and setting.origin.line
    ):
        return f"{node.name}: {value}"
    return f"{node.name}: {value} ({describe_origin(setting)})"


def describe_origin(setting: Setting | None) -> str:
    if setting is None:
        return "not set"
    if setting.origin.kind is OriginKind.DEFAULT:
        return setting.origin.detail
    return setting.origin.describe()


def worst_confidence(settings: Iterable[Setting | None]) -> Confidence:
    values = [s.confidence for s in settings if s is not None]
    if Confidence.UNRESOLVED in values:
        return Confidence.UNRESOLVED
    if values and all(v is Confidence.DEFAULT for v in values):
        return Confidence.DEFAULT
    return Confidence.EXPLICIT


# ----------------------------------------------------------------------------- agreement


def _names(nodes: Sequence[Node], limit: int = 3) -> str:
    names = [n.name for n in nodes]
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def agreement(
    cluster: Cluster,
    value_of: Callable[[Node], Hashable],
    setting_of: Callable[[Node], Setting | None],
    *,
    what: str,
    show: Callable[[Hashable], str] = str,
    subject: str = "",
    help: str | None = None,
    skip: Callable[[Node], bool] = lambda n: False,
) -> Iterator[Finding]:
    """Every node must agree on ``value_of(node)``: group nodes by value, report each outlier
    group against the majority (primary = outliers, related = the majority), with each node's
    value and origin. On a tie every group is reported against the others. Nodes are grouped,
    never compared pairwise, so the cost is linear in the number of nodes."""
    groups: dict[Hashable, list[Node]] = defaultdict(list)
    for node in cluster.nodes:
        if not skip(node):
            groups[value_of(node)].append(node)
    if len(groups) < 2:
        return
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[1][0].name))
    top = len(ordered[0][1])
    majority = [kv for kv in ordered if len(kv[1]) == top]
    tie = len(majority) > 1
    reference = ordered[0]
    for value, nodes in ordered:
        if not tie and value == reference[0]:
            continue
        others = [(v, ns) for v, ns in ordered if v != value]
        shown = show(value)
        for node in nodes:
            setting = setting_of(node)
            primary = label(node, setting, _value_text(node, shown, setting), key=subject)
            related = tuple(
                label(n, setting_of(n), _value_text(n, show(v), setting_of(n)), key=subject)
                for v, ns in others
                for n in ns
            )
            if tie:
                against = "; ".join(f"{_names(ns)}: {show(v)}" for v, ns in others)
                message = f"{what} differs between nodes (tie): {node.name} has {shown}; {against}"
            else:
                message = (
                    f"{what} differs between nodes: {node.name} has {shown}, "
                    f"{_names(reference[1])} {'has' if len(reference[1]) == 1 else 'have'} {show(reference[0])}"
                )
            yield Finding(
                message,
                primary,
                related,
                help=help,
                confidence=worst_confidence([setting_of(n) for n in cluster.nodes]),
                subject=subject,
            )


# ----------------------------------------------------------------------------- reader types for rules
# Rules import nothing but this module: the model and reader types they inspect are re-exported here.

from linter.liferay.defaults import defaults as _defaults  # noqa: E402
from linter.references import CACHE_KEYS, Reference, channel_keys  # noqa: E402
from linter.sources.ehcache import Cache, EhcacheConfig, Factory  # noqa: E402
from linter.sources.jgroups import (  # noqa: E402
    HostPort,
    JGroupsStack,
    Protocol,
    ProtocolAttr,
    Unresolved,
    parse_initial_hosts,
    split_placeholder,
)
from linter.sources.jvm_flags import JvmFlag  # noqa: E402
from linter.sources.osgi_config import OsgiConfig, OsgiEntry  # noqa: E402
from linter.sources.properties import commons_list  # noqa: E402

__all__ += [
    "CACHE_KEYS",
    "Cache",
    "EhcacheConfig",
    "Factory",
    "HostPort",
    "JGroupsStack",
    "JvmFlag",
    "OsgiConfig",
    "OsgiEntry",
    "Protocol",
    "ProtocolAttr",
    "Reference",
    "Unresolved",
    "channel_keys",
    "channel_system_properties",
    "commons_list",
    "jgroups_value",
    "liferay_default",
    "parse_initial_hosts",
    "secret_digest",
    "split_placeholder",
    "stack_label",
]


def liferay_default(family: str, key: str) -> str | None:
    """Liferay's shipped default of a portal property for a version family (None when undefined)."""
    found = _defaults(family).get(key)
    return found.value if found is not None else None


def stack_label(
    node: Node, ref: Reference, protocol: Protocol | None = None, attr: ProtocolAttr | None = None, text: str = ""
) -> Label:
    """A label at a JGroups stack: the attribute or protocol line in the node's XML file, the
    property that holds an inline stack, or the property naming a built-in stack (whose content
    has no line in the user's files)."""
    if ref.kind == "file" and ref.origin.file:
        line = attr.line if attr is not None else (protocol.line if protocol is not None else 1)
        column = attr.column if attr is not None else (protocol.column if protocol is not None else 1)
        return Label(node=node.name, file=ref.origin.file, line=line, column=column, text=text)
    return label(node, ref.setting, text)


def channel_system_properties(node: Node) -> dict[str, str]:
    """The ``name:value`` entries of ``cluster.link.channel.system.properties``: Liferay sets them with
    ``System.setProperty`` before it creates the channels, so they override ``-D`` flags (6.2
    ``ClusterBase.initSystemProperties``, 7.x ``JGroupsClusterChannelFactory``)."""
    setting = node.setting("cluster.link.channel.system.properties")
    out: dict[str, str] = {}
    if setting is None or setting.confidence is Confidence.UNRESOLVED:
        return out
    for entry in setting.value.split(","):
        name, sep, value = entry.partition(":")
        if sep and name.strip():
            out[name.strip()] = value.strip()
    return out


def jgroups_value(node: Node, raw: str | None, family: str | None = None) -> tuple[str | None, Confidence]:
    """The value JGroups would use for an attribute that may hold ``${name:default}``.

    On 7.x Liferay first substitutes portal properties into the channel XML
    (``JGroupsClusterChannelFactory._parseChannelProperties``, e.g. ``${cluster.link.bind.addr["..."]}``);
    then JGroups resolves ``${name:default}`` from system properties: the entries of
    ``cluster.link.channel.system.properties`` (set by Liferay) before ``-D`` flags, else the default
    (facts B.1, B.2). 6.x does not substitute portal properties into XML stacks. Returns
    (None, UNRESOLVED) when nothing provides the value."""
    if raw is None:
        return None, Confidence.EXPLICIT
    placeholder = split_placeholder(raw)
    if placeholder is None:
        return raw, Confidence.EXPLICIT
    name, default = placeholder
    if family is None or not family.startswith("6."):
        setting = node.setting(name)
        if setting is not None and setting.confidence is not Confidence.UNRESOLVED:
            return setting.value, setting.confidence
    system = channel_system_properties(node)
    if name in system:
        return system[name], Confidence.EXPLICIT
    flag = node.system_property(name)
    if flag is not None and flag.value is not None and not flag.unresolved:
        return flag.value, Confidence.EXPLICIT
    if default is not None:
        return default, Confidence.DEFAULT
    return None, Confidence.UNRESOLVED


_SECRET_KEY = os.urandom(32)


def secret_digest(value: str | None) -> str | None:
    """A keyed digest to compare secrets across nodes. The key is random per run, so the digest
    means nothing outside this process; never put it (or the value) in a finding."""
    if value is None:
        return None
    return hmac.new(_SECRET_KEY, value.encode("utf-8", "surrogatepass"), "sha256").hexdigest()


# ----------------------------------------------------------------------------- version knowledge for rules

from linter.liferay.defaults import known_keys as _known_keys  # noqa: E402
from linter.liferay.defaults import verify_properties as _verify_properties  # noqa: E402
from linter.liferay.env import IMAGE_VARIABLES, Decoded, property_key  # noqa: E402

__all__ += ["IMAGE_VARIABLES", "Decoded", "LegacyKey", "known_keys", "legacy_key", "legacy_table_for", "property_key"]


def known_keys(family: str) -> frozenset[str]:
    """Every key Liferay's ``portal.properties`` of the family defines (with a default)."""
    return _known_keys(family)


class LegacyKey(NamedTuple):
    """A row of Liferay's VerifyProperties table: ``kind`` is obsolete, renamed,
    migrated-to-system-property, modularized-to-osgi-config (or a system-* variant)."""

    kind: str
    old_key: str
    new_key: str
    module: str
    table: str  # which VerifyProperties it comes from ("6.2.5-ga6", "master-2024-12")


def legacy_table_for(family: str) -> str | None:
    """The VerifyProperties table that applies to a family: 6.2.5's for 6.2, master's (2024-12) for
    7.x (an approximation for 7.0-7.3, whose own tables were not saved), none for 6.0/6.1."""
    if family == "6.2":
        return "6.2.5-ga6"
    if family.startswith("7."):
        return "master-2024-12"
    return None


def legacy_key(family: str, key: str) -> LegacyKey | None:
    """Whether Liferay's VerifyProperties of the family lists ``key`` as obsolete, renamed,
    migrated or modularized (generated from verify-properties-legacy-keys.tsv)."""
    table = legacy_table_for(family)
    if table is None:
        return None
    index = _legacy_index(table)
    return index.get(key)


@functools.cache
def _legacy_index(table: str) -> dict[str, LegacyKey]:
    out: dict[str, LegacyKey] = {}
    for kind, rows in _verify_properties().get(table, {}).items():
        for old, new, module in rows:
            out.setdefault(old, LegacyKey(kind, old, new, module, table))
    return out
