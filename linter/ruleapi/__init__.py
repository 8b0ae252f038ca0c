"""The rule contract: what every rule file imports, from here and from ``linter.ruleapi.*`` only.

A rule is metadata plus a pure generator. Node rules get one ``Node`` and a ``Context``; cluster
rules get the ``Cluster``. Rules never read files, the environment or the clock, and never
format output: they yield ``Finding``s whose labels point at origins; the engine stamps id,
severity and order, masks secrets and renders snippets.

    @rule(id="HA101", name="cluster-link-disabled", severity=ERROR, scope="node", ...)
    def check(node: Node, ctx: Context) -> Iterator[Finding]:
        ...

Here: the contract (``rule``, ``Rule``, ``Finding``, ``Context``, severities), the model types a
rule inspects, labels, and the agreement helpers (``agreement``, ``outliers``). Beside it, one
module per family of rules: ``cluster_link``, ``multicast``, ``addresses``, ``database``,
``store``, ``search``, ``ehcache``, ``mounts``, ``osgi``, ``jvm``, ``keys`` (portal property keys
and Liferay's tables of them), and utilities: ``text`` (patterns, globs, "did you mean"),
``memo`` (per-run memos), ``secrets`` (comparing secrets without showing them).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, TypeVar, overload

from linter.diagnostics import Label, Severity
from linter.liferay.getter import get_boolean, is_recognised_boolean
from linter.liferay.placeholders import is_unresolved
from linter.liferay.releases import Release
from linter.liferay.versions import VersionRange, is_6x
from linter.model import Cluster, Node, Reference
from linter.origin import Confidence, Origin, OriginKind, Setting
from linter.ruleapi.labels import label, label_at, stack_label

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
    "Reference",
    "Rule",
    "Setting",
    "Severity",
    "VersionRange",
    "agreement",
    "and_list",
    "describe_origin",
    "get_boolean",
    "is_6x",
    "is_recognised_boolean",
    "is_unresolved",
    "label",
    "label_at",
    "metadata_only",
    "node_names",
    "outliers",
    "rule",
    "stack_label",
    "worst_confidence",
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
    severity: Severity | None = None  # overrides the rule's default for this finding (raised, or lowered to info)


class Context(NamedTuple):
    """What a rule may know besides its node or cluster."""

    cluster: Cluster
    version: str  # the cluster's Liferay family, e.g. "7.4"
    options: Any  # an instance of the rule's options dataclass, or None
    audit: tuple[Cluster, ...] = ()  # every cluster of this run (for rules comparing clusters)
    release: Release | None = None  # the 7.4-family release of the node(s) checked, when known

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
# label, label_at and stack_label live in linter.ruleapi.labels (the family helpers build labels too).


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


# ----------------------------------------------------------------------------- agreement and wording


def node_names(nodes: Sequence[Node], limit: int = 3) -> str:
    """Node names for a message: all of them up to ``limit``, else the first ones and how many more."""
    names = [n.name for n in nodes]
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


V = TypeVar("V", bound=Hashable)
M = TypeVar("M")


@overload
def outliers(groups: Mapping[V, list[Node]]) -> Iterator[tuple[V, list[Node], list[tuple[V, list[Node]]], bool]]: ...


@overload
def outliers(
    groups: Mapping[V, list[M]], node_of: Callable[[M], Node]
) -> Iterator[tuple[V, list[M], list[tuple[V, list[M]]], bool]]: ...


def outliers(
    groups: Mapping[V, list[Any]], node_of: Callable[[Any], Node] | None = None
) -> Iterator[tuple[V, list[Any], list[tuple[V, list[Any]]], bool]]:
    """Members (nodes, or what ``node_of`` maps to a node) grouped by value, as (value, members, the
    other groups, tie) for every outlier group: each group but the majority, or on a tie (several
    largest groups) every group. Groups are ordered largest first, then by their first node's name;
    the other groups keep that order, so without a tie the first of them is the majority."""
    if len(groups) < 2:
        return

    def first(members: list[Any]) -> str:
        return (node_of(members[0]) if node_of is not None else members[0]).name

    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), first(kv[1])))
    top = len(ordered[0][1])
    tie = sum(1 for _, members in ordered if len(members) == top) > 1
    for value, members in ordered:
        if not tie and value == ordered[0][0]:
            continue
        yield value, members, [(v, ms) for v, ms in ordered if v != value], tie


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
    never compared pairwise: what the findings of one outlier group share (the other groups'
    labels, the confidence) is built once per group, not once per node."""
    groups: dict[Hashable, list[Node]] = defaultdict(list)
    for node in cluster.nodes:
        if not skip(node):
            groups[value_of(node)].append(node)
    confidence: Confidence | None = None
    for value, nodes, others, tie in outliers(groups):
        if confidence is None:
            # the compared nodes only: a skipped node may have no setting at all (a file it lacks)
            confidence = worst_confidence([setting_of(n) for ns in groups.values() for n in ns])
        shown = show(value)
        related = tuple(
            label(n, setting_of(n), _value_text(n, show(v), setting_of(n)), key=subject) for v, ns in others for n in ns
        )
        against = "; ".join(f"{node_names(ns)}: {show(v)}" for v, ns in others) if tie else ""
        for node in nodes:
            setting = setting_of(node)
            primary = label(node, setting, _value_text(node, shown, setting), key=subject)
            if tie:
                message = f"{what} differs between nodes (tie): {node.name} has {shown}; {against}"
            else:
                reference = others[0]  # the majority
                message = (
                    f"{what} differs between nodes: {node.name} has {shown}, "
                    f"{node_names(reference[1])} {'has' if len(reference[1]) == 1 else 'have'} {show(reference[0])}"
                )
            yield Finding(message, primary, related, help=help, confidence=confidence, subject=subject)
