"""``show --format json``: effective settings per cluster and node, with origins."""

from __future__ import annotations

import json
from typing import Any

from linter import __version__
from linter.model import Cluster
from linter.origin import Origin, OriginKind, Problem
from linter.problems import problem_rule
from linter.show import build_rows, problem_message


def origin_json(origin: Origin) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": origin.kind.value}
    if origin.kind is OriginKind.DEFAULT:
        out["detail"] = origin.detail
        if origin.line:
            out["line"] = origin.line
        return out
    if origin.file:
        out["file"] = origin.file
    if origin.line:
        out["line"] = origin.line
    if origin.column:
        out["column"] = origin.column
    if origin.detail:
        out["detail"] = origin.detail
    return out


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "rule": problem_rule(problem),
        "message": problem_message(problem),
        "location": origin_json(problem.origin),
    }


def render(clusters: list[Cluster], problems: list[Problem], everything: bool) -> str:
    doc: dict[str, Any] = {"tool": {"name": "liferay-ha-lint", "version": __version__}, "clusters": []}
    for cluster in clusters:
        rows = build_rows(cluster, everything)
        settings: list[dict[str, Any]] = []
        for row in rows:
            values: dict[str, Any] = {}
            for node, cell in zip(cluster.nodes, row.cells, strict=True):
                values[node.name] = (
                    None
                    if cell is None
                    else {"value": cell.value, "origin": origin_json(cell.origin), "confidence": cell.confidence.value}
                )
            settings.append({"section": row.section, "key": row.key, "differs": row.differs, "nodes": values})
        doc["clusters"].append(
            {
                "name": cluster.name,
                "path": cluster.path,
                "liferay_version": cluster.version,
                "version_source": cluster.version_source,
                "nodes": [{"name": n.name, "path": n.path, "files": list(n.files)} for n in cluster.nodes],
                "settings": settings,
                "problems": [problem_json(p) for n in cluster.nodes for p in n.problems]
                + [problem_json(p) for p in cluster.problems],
            }
        )
    doc["problems"] = [problem_json(p) for p in problems]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
