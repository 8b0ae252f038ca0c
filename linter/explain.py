"""Rule documentation from rule metadata: the ``rules`` table, ``rules --format json``, ``explain``.

Examples come from the rule's fixture cases (``fixtures/rules/HAnnn/{pass,fail}/<case>/`` in a
checkout, ``linter/_examples/`` in the wheel); cases whose ``case.toml`` says ``doc = true`` are shown.
"""

from __future__ import annotations

import json
import sys
import textwrap
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


def select_rules(rules: Sequence[Rule], wanted: str) -> list[Rule]:
    """Rules whose id starts with ``wanted`` (``HA1``), or whose tag or name is ``wanted``."""
    w = wanted.strip()
    return [r for r in rules if r.id.startswith(w.upper()) or w in r.tags or w == r.name or w in r.aliases]


def rules_table(rules: Sequence[Rule], width: int | None = None) -> str:
    """One line per rule (cut to ``width`` on a terminal): id, name, severity, scope, versions, tags, summary."""
    rows = [("id", "name", "severity", "scope", "versions", "tags", "summary")]
    rows += [(r.id, r.name, r.severity.value, r.scope, str(r.versions), ",".join(r.tags), r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    lines = []
    for row in rows:
        line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:6])) + "  " + row[6]
        lines.append(line if width is None or len(line) <= width else line[: max(width - 1, 20)] + "…")
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


def _wrap(text: str, width: int, indent: str = "  ", then: str | None = None) -> list[str]:
    rest = indent if then is None else then
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=rest) or [indent]


def _meaningful(lines: list[str]) -> list[str]:
    return [t for t in lines if t.strip() and not t.lstrip().startswith(("#", "<!--"))]


def _files(case: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(p for p in case.rglob("*") if p.is_file() and p.name not in ("case.toml", "expected.json")):
        try:
            out[path.relative_to(case).as_posix()] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
    return out


def _example_diff(fail: Path, passing: Path | None, width: int, limit: int = 18) -> list[str]:
    """The failing example as the lines that differ from the passing one (``-`` failing, ``+``
    passing), then the findings it gives."""
    bad = _files(fail)
    good = _files(passing) if passing is not None else {}
    lines = _wrap(
        f"Example ({fail.name}" + (f" against {passing.name}" if passing is not None else "") + "):", width, ""
    )
    shown = 0
    for rel, text in bad.items():
        other = good.get(rel)
        if other is not None:
            removed = [t for t in _meaningful(text) if t not in other]
            added = [t for t in _meaningful(other) if t not in text]
        else:
            removed, added = _meaningful(text), []
        if not removed and not added:
            continue
        lines.append(f"  --- {rel}"[:width])
        for sign, part in (("-", removed), ("+", added)):
            for t in part:
                if shown >= limit:
                    break
                lines.append(f"  {sign} {mask_line(t)}"[:width])
                shown += 1
        if shown >= limit:
            lines.append("  ... (explain --long shows the whole example)")
            break
    expected_path = fail / "expected.json"
    if expected_path.is_file():
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        for finding in expected[:1]:
            lines += _wrap(f"{finding['severity']}[{finding['rule']}] {finding['message']}", width, "  => ")
        if len(expected) > 1:
            lines.append(f"  => and {len(expected) - 1} more finding(s)")
    return lines


def explain(rule: Rule, long: bool = False, width: int = 88) -> str:
    """What a rule checks, why and how to fix it; ``long`` adds every example in full."""
    out = [
        f"{rule.id} {rule.name}" + (f" (aliases: {', '.join(rule.aliases)})" if rule.aliases else ""),
        "",
        *_wrap(rule.summary, width, ""),
        "",
        *_wrap(
            f"Severity: {rule.severity.value}    Scope: {rule.scope}    Liferay versions: {rule.versions}"
            + (f"    Tags: {', '.join(rule.tags)}" if rule.tags else ""),
            width,
            "",
        ),
        "",
        "Why:",
        *_wrap(rule.rationale, width),
        "",
        "Fix:",
        *_wrap(rule.fix, width),
    ]
    if long:
        # a web address is never cut (at a hyphen or mid-word), so that it can be copied or clicked
        out += ["", "Sources:"] + [
            line
            for source in rule.sources
            for line in textwrap.wrap(
                source,
                width,
                initial_indent="  - ",
                subsequent_indent="    ",
                break_on_hyphens=False,
                break_long_words=False,
            )
        ]
    options = rule.option_fields()
    if options:
        out += ["", "Options:"] + [
            line for n, t, d in options for line in _wrap(f"{n} ({t}) = {d!r}", width, "  ", "      ")
        ]
    cases = _doc_cases(rule)
    if not long:
        fail = next((c for o, c in cases if o == "fail"), None) or _first_case(rule, "fail")
        passing = _closest_pass(rule, fail) if fail is not None else None
        if fail is not None:
            # the example gets the room the 60-line page has left (its title, findings and footer: ~9 lines)
            out += ["", *_example_diff(fail, passing, width, limit=max(2, min(8, 60 - len(out) - 11)))]
        sources = f"its {len(rule.sources)} sources" if rule.sources else "the full examples"
        out += ["", f"`liferay-ha-lint explain {rule.id} --long` gives {sources} and the full examples."]
        return "\n".join(out).rstrip() + "\n"
    if cases:
        out.append("")
        for outcome, case in cases:
            out += [*_render_case(outcome, case), ""]
    elif rule.scope in ("node", "cluster"):
        out += ["", "Examples: see fixtures/rules/" + rule.id + "/ in the liferay-ha-lint repository."]
    return "\n".join(out).rstrip() + "\n"


def _closest_pass(rule: Rule, fail: Path) -> Path | None:
    """The passing example that shares the most lines with the failing one (the best "after")."""
    root = examples_root()
    base = root / rule.id / "pass" if root is not None else None
    if base is None or not base.is_dir():
        return None
    bad = {(rel, line) for rel, lines in _files(fail).items() for line in _meaningful(lines)}

    def differing(case: Path) -> int:
        return len(bad ^ {(rel, line) for rel, lines in _files(case).items() for line in _meaningful(lines)})

    return min((p for p in sorted(base.iterdir()) if p.is_dir()), key=differing, default=None)


def _first_case(rule: Rule, outcome: str) -> Path | None:
    root = examples_root()
    base = root / rule.id / outcome if root is not None else None
    if base is None or not base.is_dir():
        return None
    return next((p for p in sorted(base.iterdir()) if p.is_dir()), None)
