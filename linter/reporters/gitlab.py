"""``check --format gitlab``: GitLab Code Quality report (a JSON array of Code Climate issues).

Each finding is one issue: ``description`` (the message, the primary label, the other nodes'
locations and the help), ``check_name`` (the rule id), ``fingerprint`` (ours, unique within the
report), ``severity`` and ``location.path`` / ``location.lines.begin`` (and ``end``), the path
relative to the repository root. Severity maps onto GitLab's five levels: error → ``critical``,
warning → ``major``, info → ``info`` (``blocker`` and ``minor`` are not used). GitLab needs a
line, so a finding without one (a Liferay default, a whole file) is put on line 1 of its file and
its description names the real origin.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from linter.diagnostics import Diagnostic, Report, Severity
from linter.reporters.common import Context, order_key, place, repo_path
from linter.reporters.github import message

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issue(d: Diagnostic, report: Report, ctx: Context) -> dict[str, Any]:
    spot = place(d, d.primary, report)
    path = (repo_path(spot.file, ctx) or spot.file) if spot.file else "."
    begin = spot.line or 1
    end = spot.end_line or begin
    return {
        "type": "issue",
        "check_name": d.rule,
        "description": f"{d.rule} {d.name}: " + message(d).replace("\n", " "),
        "categories": ["Bug Risk"],
        "severity": SEVERITIES[d.severity],
        "fingerprint": d.fingerprint,
        "location": {"path": path, "lines": {"begin": begin, "end": end}},
    }


def issues(report: Report, ctx: Context) -> list[dict[str, Any]]:
    """The issues, ordered by severity, cluster, rule and location; the fingerprints are made
    unique in the report's (location) order, so that they do not change with that ordering."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for d in report.diagnostics:
        item = issue(d, report, ctx)
        fp = item["fingerprint"] or hashlib.sha256(item["description"].encode("utf-8")).hexdigest()[:32]
        while fp in seen:  # GitLab needs unique fingerprints; two findings with one key stay distinct
            fp = hashlib.sha256((fp + item["location"]["path"]).encode("utf-8")).hexdigest()[:32]
        seen.add(fp)
        item["fingerprint"] = fp
        out.append(item)
    rank = sorted(range(len(out)), key=lambda i: order_key(report.diagnostics[i]))
    return [out[i] for i in rank]


def render(report: Report, ctx: Context) -> str:
    return json.dumps(issues(report, ctx), indent=2, ensure_ascii=False) + "\n"
