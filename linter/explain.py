"""Rule documentation from rule metadata: the ``rules`` table, ``rules --format json``, ``explain``.

Examples come from the rule's fixture cases (``fixtures/rules/HAnnn/{pass,fail}/<case>/`` in a
checkout, ``linter/_examples/`` in the wheel); cases whose ``case.toml`` says ``doc = true`` are shown.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from linter import __version__
from linter.redact import mask_line
from linter.ruleapi import Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_MAX_EXAMPLE_LINES = 40


def examples_root() -> Path | None:
    packaged = Path(__file__).resolve().parent / "_examples"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
    return checkout if checkout.is_dir() else None


def rule_metadata(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "aliases": list(rule.aliases),
        "severity": rule.severity.value,
        "scope": rule.scope,
        "versions": str(rule.versions),
        "tags": list(rule.tags),
        "summary": rule.summary,
        "rationale": rule.rationale,
        "fix": rule.fix,
        "sources": list(rule.sources),
        "options": [{"name": n, "type": t, "default": _jsonable(d)} for n, t, d in rule.option_fields()],
        "since": rule.since,
    }


def _jsonable(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    return value


def rules_json(rules: Sequence[Rule]) -> str:
    doc = {"tool": {"name": "liferay-ha-lint", "version": __version__}, "rules": [rule_metadata(r) for r in rules]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def rules_table(rules: Sequence[Rule]) -> str:
    rows = [("id", "name", "severity", "scope", "versions", "summary")]
    rows += [(r.id, r.name, r.severity.value, r.scope, str(r.versions), r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for row in rows:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5])
    return "\n".join(lines) + "\n"


def _doc_cases(rule: Rule) -> list[tuple[str, Path]]:
    root = examples_root()
    if root is None:
        return []
    out: list[tuple[str, Path]] = []
    for outcome in ("fail", "pass"):
        base = root / rule.id / outcome
        if not base.is_dir():
            continue
        for case in sorted(p for p in base.iterdir() if p.is_dir()):
            meta_path = case / "case.toml"
            try:
                meta = tomllib.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if meta.get("doc"):
                out.append((outcome, case))
    return out


def _render_case(outcome: str, case: Path) -> list[str]:
    meta = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    title = "Failing example" if outcome == "fail" else "Passing example"
    lines = [f"{title}: {case.name}", f"  {meta.get('description', '').strip()}"]
    for path in sorted(p for p in case.rglob("*") if p.is_file() and p.name not in ("case.toml", "expected.json")):
        rel = path.relative_to(case).as_posix()
        try:
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        lines.append(f"  --- {rel}")
        lines += [f"  {i:>3} | {mask_line(t)}" for i, t in enumerate(text[:_MAX_EXAMPLE_LINES], start=1)]
        if len(text) > _MAX_EXAMPLE_LINES:
            lines.append(f"      ... ({len(text) - _MAX_EXAMPLE_LINES} more lines)")
    expected_path = case / "expected.json"
    if outcome == "fail" and expected_path.is_file():
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        lines.append("  Findings:")
        for finding in expected:
            loc = finding["location"]
            where = (
                f"{loc.get('file')}:{loc.get('line')}"
                if loc.get("line")
                else f"{loc.get('file')} ({loc.get('origin')})"
            )
            lines.append(f"    {finding['severity']}[{finding['rule']}] {where}: {finding['message']}")
    return lines


def explain(rule: Rule) -> str:
    out = [
        f"{rule.id} {rule.name}" + (f" (aliases: {', '.join(rule.aliases)})" if rule.aliases else ""),
        "",
        rule.summary,
        "",
        f"Severity: {rule.severity.value}    Scope: {rule.scope}    Liferay versions: {rule.versions}"
        + (f"    Tags: {', '.join(rule.tags)}" if rule.tags else ""),
        "",
        "Why:",
        f"  {rule.rationale}",
        "",
        "Fix:",
        f"  {rule.fix}",
        "",
        "Sources:",
        *[f"  - {s}" for s in rule.sources],
    ]
    options = rule.option_fields()
    if options:
        out += ["", "Options:"] + [f"  {n} ({t}) = {d!r}" for n, t, d in options]
    cases = _doc_cases(rule)
    if cases:
        out.append("")
        for outcome, case in cases:
            out += [*_render_case(outcome, case), ""]
    elif rule.scope in ("node", "cluster"):
        out += ["", "Examples: see fixtures/rules/" + rule.id + "/ in the liferay-ha-lint repository."]
    return "\n".join(out).rstrip() + "\n"
