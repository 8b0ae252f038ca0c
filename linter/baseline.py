"""Baselines: accepted findings recorded in a reviewable file, hidden from later runs.

``check --write-baseline FILE`` records the current findings; ``check --baseline FILE`` hides the
findings it records and reports how many were hidden and which entries match nothing any more
(stale). An entry is keyed on what :meth:`linter.diagnostics.Diagnostic.with_fingerprint` hashes:
the rule id, the cluster, the subject (the setting or element the finding is about) and the
sorted set of nodes involved. Line numbers and file names are not part of the key, so editing an
unrelated line, reordering nodes or renaming a file within a node keeps an entry matching.

The file is JSON with a fixed key order and entries sorted by cluster, rule, subject and nodes::

    {
      "tool": "liferay-ha-lint",
      "format": 1,
      "entries": [
        {
          "rule": "HA102",
          "name": "cluster-link-mismatch",
          "cluster": "prod",
          "subject": "cluster.link.enabled",
          "nodes": ["node1", "node2", "node3"],
          "fingerprint": "6f1c…",
          "message": "Cluster Link is enabled on some nodes but not on others",
          "reason": "node3 is being retired (OPS-1234)"
        }
      ]
    }

``rule``, ``cluster``, ``subject`` and ``nodes`` are the key (``rule`` may also be a rule name or
alias); ``fingerprint`` equals the finding's fingerprint in the JSON and SARIF outputs (it is
recomputed, never trusted); ``name`` and ``message`` are for the reviewer; ``reason`` is kept
when the file is rewritten.

An entry is only judged in a run that checked its cluster with its rule selected: a pre-commit
run over one cluster, or ``--select HA1``, neither hides nor calls stale the others' entries,
and ``--write-baseline`` keeps them. An entry of a rule that compares clusters with each other
(tagged ``audit``, e.g. HA118) is judged only when every cluster the baseline names was checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from linter.diagnostics import Diagnostic, Label, Report, Severity
from linter.redact import mask_inline

FORMAT = 1
TOOL_NAME = "liferay-ha-lint"
_ENTRY_KEYS = ("rule", "name", "cluster", "subject", "nodes", "fingerprint", "message", "reason")

Key = tuple[str, str, str, tuple[str, ...]]


class BaselineError(Exception):
    """The baseline file cannot be read or is malformed (a usage error, exit 2)."""


def nodes_of(d: Diagnostic) -> tuple[str, ...]:
    return tuple(sorted({n for n in (d.primary.node, *(r.node for r in d.related)) if n}))


def key_of(d: Diagnostic) -> Key:
    """The identity of a finding, the same fields its fingerprint hashes."""
    # masked like every rendered value (a no-op for the keys and elements subjects name; a
    # subject holding a secret gets a masked key, and its stored fingerprint then differs)
    return (d.rule, d.cluster or "", mask_inline(d.subject or d.message), nodes_of(d))


def fingerprint(rule: str, cluster: str | None, subject: str, nodes: Sequence[str]) -> str:
    """The fingerprint a finding with this key has (computed by the Diagnostic itself)."""
    labels = [Label(node=n, file=None) for n in nodes] or [Label(node=None, file=None)]
    probe = Diagnostic(
        rule=rule,
        name="",
        severity=Severity.INFO,
        message=subject,
        primary=labels[0],
        related=tuple(labels[1:]),
        cluster=cluster,
        subject=subject,
    )
    return probe.with_fingerprint().fingerprint


class Entry(NamedTuple):
    rule: str
    cluster: str | None
    subject: str
    nodes: tuple[str, ...]
    name: str = ""
    message: str = ""
    reason: str = ""

    @property
    def key(self) -> Key:
        return (self.rule, self.cluster or "", self.subject, self.nodes)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule, self.cluster, self.subject, self.nodes)

    def sort_key(self) -> tuple[str, str, str, tuple[str, ...]]:
        return (self.cluster or "", self.rule, self.subject, self.nodes)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "cluster": self.cluster,
            "subject": self.subject,
            "nodes": list(self.nodes),
            "fingerprint": self.fingerprint,
            "message": self.message,
            "reason": self.reason,
        }

    def describe(self) -> str:
        """``HA102 cluster-link-mismatch in prod: cluster.link.enabled (node1, node2, node3)``."""
        name = f" {self.name}" if self.name else ""
        where = f" in {self.cluster}" if self.cluster else ""
        nodes = f" ({', '.join(self.nodes)})" if self.nodes else ""
        return f"{self.rule}{name}{where}: {self.subject}{nodes}"

    @classmethod
    def of(cls, d: Diagnostic, reason: str = "") -> Entry:
        rule, _cluster, subject, nodes = key_of(d)
        return cls(rule, d.cluster, subject, nodes, d.name, mask_inline(d.message), reason)


class Baseline(NamedTuple):
    path: str
    entries: tuple[Entry, ...]


class Outcome(NamedTuple):
    """What applying a baseline did: the report without the hidden findings, and the counts."""

    report: Report
    path: str
    hidden: int
    stale: tuple[Entry, ...]


def _canonical_rule(ref: str, rules: Iterable[Any]) -> str:
    for r in rules:
        if ref.upper() == r.id or ref in (r.name, *r.aliases):
            return str(r.id)
    return ref


def _entry(raw: object, index: int, rules: Sequence[Any], path: str) -> Entry:
    where = f"{path}: entries[{index}]"
    if not isinstance(raw, dict):
        raise BaselineError(f"{where} must be an object")
    unknown = sorted(set(raw) - set(_ENTRY_KEYS))
    if unknown:
        raise BaselineError(f"{where}: unknown keys {unknown}")
    for required in ("rule", "subject", "nodes"):
        if required not in raw:
            raise BaselineError(f"{where}: missing {required!r}")
    rule, cluster, subject, nodes = raw["rule"], raw.get("cluster"), raw["subject"], raw["nodes"]
    if not isinstance(rule, str) or not rule:
        raise BaselineError(f"{where}: 'rule' must be a rule id or name")
    if cluster is not None and not isinstance(cluster, str):
        raise BaselineError(f"{where}: 'cluster' must be a string or null")
    if not isinstance(subject, str):
        raise BaselineError(f"{where}: 'subject' must be a string")
    if not isinstance(nodes, list) or not all(isinstance(n, str) for n in nodes):
        raise BaselineError(f"{where}: 'nodes' must be a list of node names")
    texts = {k: raw.get(k, "") for k in ("name", "message", "reason")}
    for k, v in texts.items():
        if not isinstance(v, str):
            raise BaselineError(f"{where}: {k!r} must be a string")
    return Entry(
        rule=_canonical_rule(rule, rules),
        cluster=cluster or None,
        subject=mask_inline(subject),
        nodes=tuple(sorted(set(nodes))),
        name=texts["name"],
        message=texts["message"],
        reason=texts["reason"],
    )


def load(path: Path, rules: Sequence[Any] = ()) -> Baseline:
    """Read a baseline file; any problem is a :class:`BaselineError` naming the file."""
    shown = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline {shown} not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {shown}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"baseline {shown} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise BaselineError(f"baseline {shown} must be an object with an 'entries' list")
    if data.get("format", FORMAT) != FORMAT:
        raise BaselineError(f"baseline {shown}: unsupported format {data.get('format')!r} (expected {FORMAT})")
    entries = tuple(_entry(raw, i, rules, shown) for i, raw in enumerate(data["entries"]))
    return Baseline(shown, entries)


class _Scope(NamedTuple):
    """What a run checked, to tell which baseline entries it can judge."""

    clusters: set[str]
    selected: frozenset[str]
    known: set[str]  # ids of every loaded rule
    audit: set[str]  # rules comparing clusters with each other (tag "audit")
    partial: bool  # the baseline names a cluster this run did not check

    @classmethod
    def of(cls, report: Report, selected: frozenset[str], rules: Iterable[Any], baseline: Baseline | None) -> _Scope:
        rules = list(rules)
        clusters = {c.name for c in report.clusters}
        named = {e.cluster for e in baseline.entries if e.cluster is not None} if baseline else set()
        return cls(
            clusters,
            selected,
            {r.id for r in rules},
            {r.id for r in rules if "audit" in r.tags},
            bool(named - clusters),
        )

    def judges(self, entry: Entry) -> bool:
        """Was this entry's cluster checked with its rule selected (and, for a rule that compares
        clusters, with every cluster of the baseline)?"""
        if entry.cluster is not None and entry.cluster not in self.clusters:
            return False
        if entry.rule in self.audit and self.partial:
            return False
        return entry.rule in self.selected or entry.rule not in self.known


def apply(report: Report, baseline: Baseline, selected: frozenset[str], rules: Iterable[Any] = ()) -> Outcome:
    """Hide the findings the baseline records; list the in-scope entries that hid nothing."""
    by_key = {e.key: e for e in baseline.entries}
    used: set[Key] = set()
    kept: list[Diagnostic] = []
    for d in report.diagnostics:
        k = key_of(d)
        if k in by_key:
            used.add(k)
        else:
            kept.append(d)
    scope = _Scope.of(report, selected, rules, baseline)
    stale = tuple(e for e in baseline.entries if e.key not in used and scope.judges(e))
    hidden = len(report.diagnostics) - len(kept)
    return Outcome(report._replace(diagnostics=tuple(kept)), baseline.path, hidden, stale)


def build(
    report: Report, previous: Baseline | None, selected: frozenset[str], rules: Iterable[Any] = ()
) -> tuple[Entry, ...]:
    """Entries for every current finding (reasons carried over from ``previous``), plus the
    previous entries this run did not judge (other clusters, rules not selected)."""
    reasons = {e.key: e.reason for e in previous.entries} if previous else {}
    entries: dict[Key, Entry] = {}
    for d in report.diagnostics:
        entry = Entry.of(d, reasons.get(key_of(d), ""))
        entries.setdefault(entry.key, entry)
    if previous is not None:
        scope = _Scope.of(report, selected, rules, previous)
        for e in previous.entries:
            if e.key not in entries and not scope.judges(e):
                entries[e.key] = e
    return tuple(sorted(entries.values(), key=Entry.sort_key))


def dumps(entries: Sequence[Entry]) -> str:
    doc = {"tool": TOOL_NAME, "format": FORMAT, "entries": [e.to_json() for e in entries]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, entries: Sequence[Entry]) -> None:
    path.write_text(dumps(entries), encoding="utf-8", errors="backslashreplace")


def stale_json(outcome: Outcome) -> list[dict[str, Any]]:
    return [e.to_json() for e in outcome.stale]
