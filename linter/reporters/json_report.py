"""``check --format json``: the report object of ARCHITECTURE §6.

Key order follows the contract and is stable; findings are ordered by severity (errors first),
then cluster, rule and location, as the text output orders its problems. The report comes
masked (``linter.redact.mask_report``, the engine's last step).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from linter.diagnostics import Diagnostic, Label, Report, Severity
from linter.reporters.common import ordered, problem_ids

if TYPE_CHECKING:
    from linter.baseline import Outcome
    from linter.reporters.common import Context

TOOL_NAME = "liferay-ha-lint"


def location_json(label: Label) -> dict[str, Any]:
    """``{"file", "line", "column"}`` plus ``end_line``/``end_column`` when known, ``origin`` when
    the value has no line (a Liferay default, a built-in): then line and column are null."""
    if label.line is None:
        return {"file": label.file, "line": None, "column": None, "origin": label.origin}
    out: dict[str, Any] = {"file": label.file, "line": label.line, "column": label.column or 1}
    if label.end_line is not None:
        out["end_line"] = label.end_line
    if label.end_column is not None:
        out["end_column"] = label.end_column
    return out


def related_json(label: Label) -> dict[str, Any]:
    out: dict[str, Any] = {"node": label.node, "file": label.file, "line": label.line}
    if label.line is not None and label.column is not None:
        out["column"] = label.column
    out["message"] = label.text
    if label.line is None:
        out["origin"] = label.origin
    return out


def finding_json(diagnostic: Diagnostic, problem: str | None = None) -> dict[str, Any]:
    found = {
        "rule": diagnostic.rule,
        "name": diagnostic.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "cluster": diagnostic.cluster,
        "node": diagnostic.primary.node,
        "location": location_json(diagnostic.primary),
        "related": [related_json(r) for r in diagnostic.related],
        "help": diagnostic.help,
        "confidence": str(getattr(diagnostic.confidence, "value", diagnostic.confidence)),
        "fingerprint": diagnostic.fingerprint,
    }
    if problem is not None:
        found["problem"] = problem  # shared by the findings of one root cause (the same file and line)
    return found


def _node(name: str, path: str, files: tuple[str, ...], versions: tuple[str | None, str | None]) -> dict[str, Any]:
    node: dict[str, Any] = {"name": name, "path": path, "files": list(files)}
    version, release = versions
    if version is not None:
        node["liferay_version"] = version
    if release is not None:
        node["liferay_release"] = release
    return node


def report_json(report: Report, tool_version: str, baseline: Outcome | None = None) -> dict[str, Any]:
    """The report as plain JSON-ready data (``render`` serialises it).

    With a baseline, ``summary`` also has ``baselined`` (findings hidden) and ``stale_baseline``
    (the baseline entries of the checked clusters and rules that matched nothing)."""
    ids = problem_ids(report.diagnostics)
    doc: dict[str, Any] = {
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "clusters": [
            {
                "name": cluster.name,
                "liferay_version": cluster.liferay_version,
                "version_source": cluster.version_source,
                "nodes": [
                    _node(name, path, files, versions)
                    for (name, path, files), versions in zip(
                        cluster.nodes, cluster.node_versions or [(None, None)] * len(cluster.nodes), strict=True
                    )
                ],
            }
            for cluster in report.clusters
        ],
        "findings": [finding_json(d, ids.get(id(d))) for d in ordered(report.diagnostics)],
        "summary": {
            "error": report.count(Severity.ERROR),
            "warning": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "clusters": len(report.clusters),
            "nodes": sum(len(cluster.nodes) for cluster in report.clusters),
            "files": report.files,
            "suppressed": report.suppressed,
            "problems": len(set(ids.values())),
        },
    }
    if baseline is not None:
        from linter.baseline import stale_json

        summary = doc["summary"]
        summary["baselined"] = baseline.hidden
        summary["stale_baseline"] = stale_json(baseline)
    return doc


def render(report: Report, ctx: Context) -> str:
    return json.dumps(report_json(report, ctx.tool_version, ctx.baseline), indent=2, ensure_ascii=False) + "\n"
