"""The rule fixture harness, for our tests and third-party packs alike.

A case is a directory ``<root>/<RULE>/{pass,fail}/<case>/`` holding the nodes of a small cluster
(one subdirectory per node, or a ``liferay-ha.toml``), a ``case.toml`` and, for every case, an
``expected.json`` with every finding of the rule under test: severity, node, message, and the
exact primary and related locations (paths relative to the case directory). Pass cases expect
``[]``. ``case.toml`` keys: ``description``, ``liferay-version``, ``doc`` (feature it in
``explain``), ``select`` (default: the rule), ``options`` (rule options), ``rules-dir`` (an
extra pack inside the case, relative to it), ``inline-suppressions`` (default true).

Regenerate expectations for review with ``LIFERAY_HA_LINT_UPDATE_GOLDEN=1 pytest`` (or
``pytest --update-golden``), then read the diff.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.diagnostics import Diagnostic, Label
from linter.engine import Engine, RunSettings
from linter.load.discovery import discover
from linter.load.loader import load_cluster
from linter.pack import load_pack
from linter.ruleapi import Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

UPDATE_ENV = "LIFERAY_HA_LINT_UPDATE_GOLDEN"


@dataclass(frozen=True)
class Case:
    rule: str
    outcome: str  # "pass" or "fail"
    name: str
    path: Path
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.outcome}-{self.name}"


def discover_cases(root: Path) -> list[Case]:
    cases: list[Case] = []
    if not root.is_dir():
        return cases
    for rule_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for outcome in ("fail", "pass"):
            base = rule_dir / outcome
            if not base.is_dir():
                continue
            for case_dir in sorted(p for p in base.iterdir() if p.is_dir()):
                meta_path = case_dir / "case.toml"
                meta = tomllib.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
                cases.append(Case(rule_dir.name, outcome, case_dir.name, case_dir, meta))
    return cases


def _relative(file: str | None, case: Path) -> str | None:
    if file is None:
        return None
    try:
        return Path(file).resolve().relative_to(case.resolve()).as_posix()
    except ValueError:
        return file


def _location(label: Label, case: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"file": _relative(label.file, case)}
    if label.line is None:
        out["origin"] = label.origin
        return out
    out["line"] = label.line
    out["column"] = label.column
    if label.end_line is not None:
        out["end_line"] = label.end_line
        out["end_column"] = label.end_column
    return out


def finding_json(d: Diagnostic, case: Path) -> dict[str, Any]:
    return {
        "rule": d.rule,
        "severity": d.severity.value,
        "node": d.primary.node,
        "message": d.message,
        "location": _location(d.primary, case),
        "related": [{"node": r.node, **_location(r, case)} for r in d.related],
    }


def run_case(case: Case, rules: Sequence[Rule]) -> list[dict[str, Any]]:
    extra: list[Rule] = []
    if case.meta.get("rules-dir"):
        extra = load_pack(
            case.path / str(case.meta["rules-dir"]), pack=f"case_{case.rule}_{case.name}".replace("-", "_")
        )
    all_rules = [*rules, *extra]
    select = case.meta.get("select", [case.rule])
    settings = RunSettings(
        select=list(select),
        options={case.rule: dict(case.meta.get("options", {}))},
        inline_suppressions=bool(case.meta.get("inline-suppressions", True)),
    )
    version = case.meta.get("liferay-version")
    found = discover([case.path], version)
    clusters = [load_cluster(spec, override_version=version) for spec in found.clusters]
    report = Engine(all_rules, settings).run(clusters, found.problems)
    return [finding_json(d, case.path) for d in report.diagnostics]


def update_requested() -> bool:
    return os.environ.get(UPDATE_ENV) == "1"


def check_case(case: Case, rules: Sequence[Rule], update: bool = False) -> None:
    """Compare a case with its expected.json (or rewrite it when updating); AssertionError on mismatch."""
    actual = run_case(case, rules)
    expected_path = case.path / "expected.json"
    if update:
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    if not expected_path.is_file():
        raise AssertionError(f"{case.id}: no expected.json (run with {UPDATE_ENV}=1 to create it)")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    if case.outcome == "pass" and expected != []:
        raise AssertionError(f"{case.id}: a pass case must expect no findings")
    if case.outcome == "fail" and not any(f["rule"] == case.rule for f in expected):
        raise AssertionError(f"{case.id}: a fail case must expect at least one {case.rule} finding")
    if actual != expected:
        raise AssertionError(
            f"{case.id}: findings differ\n--- expected\n{json.dumps(expected, indent=2)}\n"
            f"--- actual\n{json.dumps(actual, indent=2)}"
        )
