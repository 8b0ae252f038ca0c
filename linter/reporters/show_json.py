"""``show --format json``: effective settings per cluster and node, with origins."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
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


class _Lazy(list):  # type: ignore[type-arg]
    """A list for ``json``'s encoder whose items are made while it writes them, one at a time."""

    def __init__(self, size: int, items: Callable[[], Iterator[Any]]) -> None:
        super().__init__()
        self.size = size
        self.items = items

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Any]:
        return self.items()


def _settings(cluster: Cluster, everything: bool) -> _Lazy:
    rows = build_rows(cluster, everything)

    def items() -> Iterator[dict[str, Any]]:
        for row in rows:
            values: dict[str, Any] = {}
            for node, cell in zip(cluster.nodes, row.cells, strict=True):
                values[node.name] = (
                    None
                    if cell is None
                    else {"value": cell.value, "origin": origin_json(cell.origin), "confidence": cell.confidence.value}
                )
            yield {
                "section": row.section,
                "key": row.key,
                "differs": row.differs,
                "per_node": row.per_node,
                "nodes": values,
            }

    return _Lazy(len(rows), items)


def _cluster(cluster: Cluster, everything: bool) -> dict[str, Any]:
    return {
        "name": cluster.name,
        "path": cluster.path,
        "liferay_version": cluster.version,
        "version_source": cluster.version_source,
        "nodes": [{"name": n.name, "path": n.path, "files": list(n.files)} for n in cluster.nodes],
        "settings": _settings(cluster, everything),
        "problems": [problem_json(p) for n in cluster.nodes for p in n.problems]
        + [problem_json(p) for p in cluster.problems],
    }


_BLOCK = 1 << 16  # characters handed to the writer at a time


def render(clusters: list[Cluster], problems: list[Problem], everything: bool) -> Iterator[str]:
    """The document in blocks, made while they are written: memory stays that of one setting row,
    not of the whole document (``show --all`` of a 10 MB properties file: 850 MB before)."""
    doc: dict[str, Any] = {
        "tool": {"name": "liferay-ha-lint", "version": __version__},
        "clusters": _Lazy(len(clusters), lambda: (_cluster(c, everything) for c in clusters)),
        "problems": [problem_json(p) for p in problems],
    }
    block: list[str] = []
    size = 0
    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(doc):
        block.append(chunk)
        size += len(chunk)
        if size >= _BLOCK:
            yield "".join(block)
            block, size = [], 0
    block.append("\n")
    yield "".join(block)
