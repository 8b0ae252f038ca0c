"""The import layers of ``linter`` and the rule pack, checked on the source text (``ast``, nothing imported).

The code is a building: each floor imports only from the floors below it, never from above.

* bottom floor: ``linter.origin``, ``linter.diagnostics``, ``linter.paths``, ``linter.suggest``,
  ``linter.patterns`` (only one another);
* ``linter.sources``: the readers and the tree of one node's files; readers know no rules, no Liferay, no model;
* ``linter.model``: the data the rules look at, built from origins, diagnostics and what the readers return;
* ``linter.liferay``: knowledge about Liferay (versions, defaults, built-ins, detection, key tables), on top of
  the model and readers;
* ``linter.load``: turns files into a model; knows no rules, no engine, no reporters;
* ``linter.ruleapi``: what a rule may use; knows no files on disk (no ``load``) and no engine;
* ``linter.reporters``: format a finished report; reporters know no Liferay and no files (no sources, liferay, load);
* ``linter.engine``: runs the rules; knows nothing of the command line or the config file;
* ``rules/*.py``: the rule pack imports from the project only ``linter.ruleapi`` (rules know no files).

And there is no import cycle among the modules of ``linter``.

Why: each floor can be read, tested and changed knowing only the floors below it; a reader never grows a
dependency on a rule, a rule never opens a file, a reporter never learns what a JGroups stack is, and
``import linter.x`` never runs half of the package behind one's back.

Every ``import`` and ``from ... import`` counts, wherever it is: at module level, inside a function, under
``if TYPE_CHECKING:``. Relative imports are resolved against the importing module's package.
``from a.b import c`` is an import of module ``a.b.c`` when ``a/b/c.py`` or the directory ``a/b/c/`` exists, else
of ``a.b``. The rules go by dotted prefix, so they hold for whichever modules exist while the tree moves.
"""

from __future__ import annotations

import ast
import itertools
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the top-level names that are "the project"; imports of anything else (stdlib, third party) are not checked
PROJECT = ("linter", "rules")


@dataclass(frozen=True, order=True)
class Import:
    """One import statement's one target: ``path:line`` in module ``source`` imports module ``target``."""

    path: str  # posix, relative to the root
    line: int
    source: str
    target: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: import {self.target}"


# ---------------------------------------------------------------------------------------------------------------
# scanning


def module_name(root: Path, file: Path) -> tuple[str, bool]:
    """Dotted module name of ``file`` and whether it is a package ``__init__``."""
    parts = list(file.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def module_exists(root: Path, dotted: str) -> bool:
    """True when ``dotted`` is a module file or a package directory under ``root``."""
    base = root.joinpath(*dotted.split("."))
    return base.with_name(base.name + ".py").is_file() or base.is_dir()


def source_files(root: Path, tops: Iterable[str] = PROJECT) -> list[Path]:
    files: list[Path] = []
    for top in tops:
        folder = root / top
        if folder.is_dir():
            files.extend(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(files)


def _relative_base(module: str, is_init: bool, level: int, name: str | None) -> str | None:
    """The absolute name of ``from <level dots><name> import ...`` written in ``module``; None if above the top."""
    package = module if is_init else module.rpartition(".")[0]
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    parts = parts[: len(parts) - (level - 1)]
    if name:
        parts.extend(name.split("."))
    return ".".join(parts) or None


def file_imports(root: Path, file: Path) -> list[Import]:
    """Every import in ``file`` (any depth: functions, ``if TYPE_CHECKING:``, ``try:``), resolved to module names."""
    module, is_init = module_name(root, file)
    rel = file.relative_to(root).as_posix()
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=rel)
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(Import(rel, node.lineno, module, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module if node.level == 0 else _relative_base(module, is_init, node.level, node.module)
            if not base:
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                target = candidate if alias.name != "*" and module_exists(root, candidate) else base
                found.append(Import(rel, node.lineno, module, target))
    return sorted(set(found))


def project_imports(root: Path) -> list[Import]:
    """All imports of project modules (``linter.*``, ``rules.*``) made by the project's own files."""
    result: list[Import] = []
    for file in source_files(root):
        result.extend(imp for imp in file_imports(root, file) if imp.target.split(".")[0] in PROJECT)
    return result


# ---------------------------------------------------------------------------------------------------------------
# layer rules


def matches(module: str, pattern: str) -> bool:
    """``a.b`` matches ``a.b`` and everything below it; ``a.b.*`` matches only what is below ``a.b``."""
    if pattern.endswith(".*"):
        return module.startswith(pattern[:-1])
    return module == pattern or module.startswith(pattern + ".")


@dataclass(frozen=True)
class Layer:
    """Modules matching ``applies_to`` may import (from the project) only ``allowed`` (None: anything) minus
    ``forbidden``. The bare root package ``linter`` (it holds ``__version__``) is allowed when ``allow_root``."""

    name: str
    why: str
    applies_to: tuple[str, ...]
    allowed: tuple[str, ...] | None = None
    forbidden: tuple[str, ...] = ()
    allow_root: bool = True

    def covers(self, module: str) -> bool:
        return any(matches(module, p) for p in self.applies_to)

    def refuses(self, target: str) -> bool:
        if self.allow_root and target == "linter":
            return False
        if any(matches(target, p) for p in self.forbidden):
            return True
        return self.allowed is not None and not any(matches(target, p) for p in self.allowed)


def layer_violations(imports: Iterable[Import], layer: Layer) -> list[Import]:
    return sorted({imp for imp in imports if layer.covers(imp.source) and layer.refuses(imp.target)})


BOTTOM = (
    "linter.origin",
    "linter.diagnostics",
    "linter.paths",
    "linter.suggest",
    "linter.patterns",
    "linter.problems",
)

LAYERS: tuple[Layer, ...] = (
    Layer(
        "bottom-floor",
        "origin, diagnostics, paths, suggest and patterns are the bottom floor: they import only one another",
        applies_to=BOTTOM,
        allowed=BOTTOM,
    ),
    Layer(
        "sources",
        "readers know no rules, no model, no Liferay, no loading, engine, reporters, config or command line",
        applies_to=("linter.sources",),
        forbidden=(
            "linter.load",
            "linter.engine",
            "linter.run",
            "linter.reporters",
            "linter.ruleapi",
            "linter.liferay",
            "linter.model",
            "linter.cli",
            "linter.config",
            "rules",
        ),
    ),
    Layer(
        "model",
        "the model is data: it imports only origin, diagnostics, paths and the readers (sources)",
        applies_to=("linter.model",),
        allowed=("linter.origin", "linter.diagnostics", "linter.sources", "linter.paths"),
    ),
    Layer(
        "liferay",
        "Liferay knowledge imports only origin, model, paths, patterns, the readers (sources) and itself",
        applies_to=("linter.liferay",),
        allowed=(
            "linter.origin",
            "linter.model",
            "linter.sources",
            "linter.paths",
            "linter.patterns",
            "linter.liferay",
        ),
    ),
    Layer(
        "load",
        "loading turns files into a model; it knows no rules, engine, reporters, config, cli, select, pack, baseline",
        applies_to=("linter.load",),
        allowed=(*BOTTOM, "linter.model", "linter.sources", "linter.liferay", "linter.load"),
    ),
    Layer(
        "ruleapi",
        "the rule API knows no files (load), engine, run, reporters, config or command line",
        applies_to=("linter.ruleapi",),
        allowed=(*BOTTOM, "linter.model", "linter.sources", "linter.liferay", "linter.ruleapi", "linter.redact"),
    ),
    Layer(
        "reporters",
        "reporters know no Liferay and no files: no load, sources, liferay, ruleapi internals (the linter.ruleapi "
        "package itself is fine), engine, run, cli or config",
        applies_to=("linter.reporters",),
        forbidden=(
            "linter.load",
            "linter.sources",
            "linter.liferay",
            "linter.ruleapi.*",
            "linter.engine",
            "linter.run",
            "linter.cli",
            "linter.config",
        ),
    ),
    Layer(
        "engine",
        "the engine runs rules; it knows nothing of the config file, the command line or the run driver",
        applies_to=("linter.engine",),
        forbidden=("linter.config", "linter.cli", "linter.run"),
    ),
    Layer(
        "rules",
        "rule files import from the project only linter.ruleapi (rules know no files)",
        applies_to=("rules",),
        allowed=("linter.ruleapi",),
        allow_root=False,
    ),
)


def format_violations(layer: Layer, offending: Sequence[Import]) -> str:
    lines = [f"layer {layer.name!r}: {layer.why}", f"{len(offending)} offending import(s):"]
    lines.extend(f"  {imp}" for imp in offending)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------
# cycles


@dataclass(frozen=True)
class Edge:
    """Why ``source -> target`` is in the graph: ``imp`` names the target, or (``implied``) a module inside it."""

    imp: Import
    implied: bool

    def __str__(self) -> str:
        return f"{self.imp} (runs package __init__)" if self.implied else str(self.imp)


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def import_graph(root: Path, imports: Iterable[Import], top: str = "linter") -> dict[str, dict[str, Edge]]:
    """Module -> imported module -> first import making the edge, among the existing modules under ``top``.

    ``import a.b.c`` also runs ``a/b/__init__.py`` and ``a/__init__.py``: those are edges too (implied), except to
    packages that contain the importing module (Python ran them before it). A package's edge to itself is ignored.
    """
    nodes: dict[str, bool] = {}
    for file in source_files(root, (top,)):
        name, is_init = module_name(root, file)
        nodes[name] = is_init
    graph: dict[str, dict[str, Edge]] = {name: {} for name in nodes}
    for imp in sorted(imports):
        if imp.source not in graph:
            continue
        own = set(_ancestors(imp.source))
        edges = [(imp.target, False)] + [(p, True) for p in _ancestors(imp.target) if p not in own]
        for target, implied in edges:
            if target not in nodes or (target == imp.source and nodes[target]):
                continue
            current = graph[imp.source].get(target)
            if current is None or (current.implied and not implied):
                graph[imp.source][target] = Edge(imp, implied)
    return graph


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative), each sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)

    for start in sorted(graph):
        if start in index:
            continue
        visit(start)
        work = [(start, iter(sorted(graph[start])))]
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    visit(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return sorted(components)


def _shortest_cycle(graph: Mapping[str, Iterable[str]], members: set[str], start: str) -> list[str] | None:
    """Shortest path ``start -> ... -> start`` inside ``members`` (breadth first), or None."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node]):
            if nxt not in members:
                continue
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return None


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """For every strongly connected component with a cycle, the shortest cycle through each of its members
    (deduplicated, each written from its smallest module): a readable list, not all the elementary cycles."""
    cycles: set[tuple[str, ...]] = set()
    for component in strongly_connected(graph):
        members = set(component)
        for start in component:
            cycle = _shortest_cycle(graph, members, start)
            if cycle is None:
                continue
            ring = cycle[:-1]
            first = ring.index(min(ring))
            ring = ring[first:] + ring[:first]
            cycles.add((*ring, ring[0]))
    return [list(c) for c in sorted(cycles, key=lambda c: (len(c), c))]


def format_cycles(graph: Mapping[str, Mapping[str, Edge]], cycles: Sequence[Sequence[str]]) -> str:
    lines = [f"{len(cycles)} import cycle(s) among the modules of linter:"]
    for cycle in cycles:
        lines.append("  " + " -> ".join(cycle))
        lines.extend(f"      {graph[a][b]}" for a, b in itertools.pairwise(cycle))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------
# the tests on the real tree


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return project_imports(ROOT)


def test_the_scan_sees_the_project(imports: list[Import]) -> None:
    files = source_files(ROOT)
    assert any(f.parent == ROOT / "linter" for f in files), "no linter/*.py found: the scan is looking elsewhere"
    assert any(f.parent == ROOT / "rules" for f in files), "no rules/*.py found: the scan is looking elsewhere"
    assert any(imp.source.startswith("rules.") and matches(imp.target, "linter.ruleapi") for imp in imports)


@pytest.mark.parametrize("layer", LAYERS, ids=[layer.name for layer in LAYERS])
def test_layer(layer: Layer, imports: list[Import]) -> None:
    offending = layer_violations(imports, layer)
    if offending:
        pytest.fail(format_violations(layer, offending), pytrace=False)


def test_no_import_cycles(imports: list[Import]) -> None:
    graph = import_graph(ROOT, imports)
    cycles = find_cycles(graph)
    if cycles:
        pytest.fail(format_cycles(graph, cycles), pytrace=False)


# ---------------------------------------------------------------------------------------------------------------
# the checker catches what it should (a small fake tree)


def _write(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


FAKE_TREE = {
    "linter/__init__.py": '__version__ = "0"\n',
    "linter/origin.py": "",
    "linter/model.py": "from linter.origin import Origin\nfrom linter import __version__\n",
    "linter/load/__init__.py": "",
    "linter/load/y.py": "",
    "linter/sources/__init__.py": "from linter.sources.x import thing\n",
    # a reader reaching up (absolute, relative, under TYPE_CHECKING); its sibling import is no cycle with __init__
    "linter/sources/x.py": (
        "from typing import TYPE_CHECKING\n"
        "from linter.load import y\n"
        "from . import z\n"
        "if TYPE_CHECKING:\n"
        "    from ..model import Model\n"
        "thing = 1\n"
    ),
    "linter/sources/z.py": "import os\n",
    # a two-module cycle, one side inside a function
    "linter/a.py": "from linter import b\n",
    "linter/b.py": "def f():\n    import linter.a\n",
    # a cycle only through a package __init__ that Python runs for linter.pkg.mod
    "linter/pkg/__init__.py": "from linter.c import C\n",
    "linter/pkg/mod.py": "",
    "linter/c.py": "from linter.pkg.mod import M\nC = 1\n",
    # reporters: the ruleapi package is fine, its insides and liferay are not
    "linter/ruleapi/__init__.py": "",
    "linter/ruleapi/helpers.py": "",
    "linter/liferay/__init__.py": "",
    "linter/liferay/detect.py": "",
    "linter/reporters/__init__.py": "",
    "linter/reporters/text.py": (
        "from ..ruleapi import Rule\n"
        "from ..ruleapi.helpers import h\n"
        "from ..liferay import detect\n"
        "from linter import b\n"
    ),
    "rules/r1.py": "import re\nfrom linter.ruleapi import Rule\nfrom linter.ruleapi.helpers import h\n",
    "rules/r2.py": "from linter.model import Cluster\nfrom linter import __version__\n",
}


def _layer(name: str) -> Layer:
    return next(layer for layer in LAYERS if layer.name == name)


def test_the_checker_resolves_imports(tmp_path: Path) -> None:
    _write(tmp_path, FAKE_TREE)
    found = {(imp.source, imp.target, imp.line) for imp in project_imports(tmp_path)}
    assert ("linter.sources.x", "linter.load.y", 2) in found  # from-import of a module
    assert ("linter.sources.x", "linter.sources.z", 3) in found  # relative, one dot
    assert ("linter.sources.x", "linter.model", 5) in found  # relative, two dots, under TYPE_CHECKING
    assert ("linter.b", "linter.a", 2) in found  # inside a function
    assert ("linter.c", "linter.pkg.mod", 1) in found
    assert ("linter.reporters.text", "linter.ruleapi", 1) in found  # a name, not a module: the package
    assert ("linter.model", "linter", 2) in found


def test_the_checker_reports_layer_violations(tmp_path: Path) -> None:
    _write(tmp_path, FAKE_TREE)
    imports = project_imports(tmp_path)

    def offending(name: str) -> list[str]:
        return [str(imp) for imp in layer_violations(imports, _layer(name))]

    assert offending("sources") == [
        "linter/sources/x.py:2: import linter.load.y",
        "linter/sources/x.py:5: import linter.model",
    ]
    assert offending("model") == []  # origin is allowed, and so is the bare root package
    assert offending("reporters") == [
        "linter/reporters/text.py:2: import linter.ruleapi.helpers",
        "linter/reporters/text.py:3: import linter.liferay.detect",
    ]
    assert offending("rules") == ["rules/r2.py:1: import linter.model", "rules/r2.py:2: import linter"]
    message = format_violations(_layer("rules"), layer_violations(imports, _layer("rules")))
    assert "rules/r2.py:1: import linter.model" in message


def test_the_checker_reports_cycles(tmp_path: Path) -> None:
    _write(tmp_path, FAKE_TREE)
    graph = import_graph(tmp_path, project_imports(tmp_path))
    assert find_cycles(graph) == [
        ["linter.a", "linter.b", "linter.a"],
        ["linter.c", "linter.pkg", "linter.c"],
    ]
    message = format_cycles(graph, find_cycles(graph))
    assert "linter.a -> linter.b -> linter.a" in message
    assert "linter/b.py:2: import linter.a" in message
    assert "linter/c.py:1: import linter.pkg.mod (runs package __init__)" in message


def test_cycles_are_found_in_a_bigger_knot() -> None:
    graph = {"a": ["b"], "b": ["c", "d"], "c": ["a"], "d": ["b"], "e": ["a"], "f": ["f"]}
    assert strongly_connected(graph) == [["a", "b", "c", "d"], ["e"], ["f"]]
    assert find_cycles(graph) == [["f", "f"], ["b", "d", "b"], ["a", "b", "c", "a"]]
