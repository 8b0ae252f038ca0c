"""What every reporter shares: the ``Reporter`` protocol, the render context and locations.

Every output format is a module with ``render(report, ctx) -> str`` (text, json, sarif, junit,
github, gitlab, html). The CLI builds a :class:`Context` once; each reporter takes the finished,
already masked :class:`~linter.diagnostics.Report` and the context and returns text. Reporters
never print, never mask and never compute exit codes.

Paths: labels carry display paths (relative to the working directory when below it, else
absolute). CI consumers want paths relative to the repository root, so :func:`repo_path` maps
a display path to a path below ``Context.root`` (``None`` when the file lies outside it).
A label may name a node directory instead of a file (a value that no file sets, on a node
without ``portal-ext.properties``); :func:`place` then picks the node's main file, because code
scanning and GitLab can only show findings on files.

Text from input (keys, values, file, node and cluster names) is neutralised for its sink once,
here: :func:`visible` for a terminal or a CI log (text, ``-q``, ``show``, github), applied to a
whole report by :func:`neutralised`; JUnit replaces what XML 1.0 cannot hold; JSON, SARIF,
GitLab and HTML escape by their own rules.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity

if TYPE_CHECKING:
    from linter.baseline import Outcome
    from linter.model import Cluster
    from linter.ruleapi import Rule

TOOL_NAME = "liferay-ha-lint"


class Context(NamedTuple):
    tool_version: str
    rules: Sequence[Rule] = ()  # every loaded rule, in id order
    selected: frozenset[str] = frozenset()  # ids of the rules that ran
    root: Path = Path(".")  # repository root: CI paths are relative to it
    cwd: Path = Path(".")  # display paths in the report are relative to this
    baseline: Outcome | None = None
    clusters: Sequence[Cluster] = ()  # the loaded clusters, in report order (the HTML drift matrix reads them)
    sarif_all_rules: bool = False  # SARIF describes every rule that ran, not only those that fired
    # text output only
    quiet: bool = False  # one line per finding
    statistics: bool = False  # only the counts per rule
    verbose: bool = False  # also the notes
    color: bool = False  # ANSI colours
    width: int | None = None  # columns (None: rich's default)


# C0 controls but the tab, DEL, C1 controls, the Unicode line separators and bidirectional
# overrides that make a terminal or a log viewer show something else than the bytes say, and lone
# surrogates (from undecodable names), which no output encoding can write
_INVISIBLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _shown(m: re.Match[str]) -> str:
    c = m.group()
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) <= 0xFF else f"\\u{ord(c):04x}")


def visible(text: str) -> str:
    """Text from input as a terminal or a CI log may show it: control characters (C0 but the tab,
    DEL, C1: ESC becomes ``\\x1b``), line and paragraph separators and bidirectional overrides
    are written as escapes (``\\n``, ``\\r``, ``\\x1b``, ``\\u202e``), so no input starts a
    line of its own, moves the cursor, sets a window title or a hyperlink, or reorders text."""
    return _INVISIBLE.sub(_shown, text) if _INVISIBLE.search(text) else text


def _label(label: Label, fn: Callable[[str], str], snippets: bool) -> Label:
    def opt(text: str | None) -> str | None:
        return fn(text) if text is not None else None

    return dataclasses.replace(
        label,
        node=opt(label.node),
        file=opt(label.file),
        text=fn(label.text),
        origin=opt(label.origin),
        snippet=opt(label.snippet) if snippets else label.snippet,
    )


def neutralised(report: Report, fn: Callable[[str], str] = visible, *, snippets: bool = True) -> Report:
    """The report with ``fn`` applied to every string that can come from input: messages, help,
    subjects, labels (node, file, text, origin and, unless ``snippets`` is False because the
    reporter neutralises them itself to keep the underline's columns, the source line), clusters
    (names, paths, node names and files) and notes."""

    def opt(text: str | None) -> str | None:
        return fn(text) if text is not None else None

    return report._replace(
        diagnostics=tuple(
            dataclasses.replace(
                d,
                message=fn(d.message),
                help=opt(d.help),
                subject=fn(d.subject),
                cluster=opt(d.cluster),
                primary=_label(d.primary, fn, snippets),
                related=tuple(_label(r, fn, snippets) for r in d.related),
            )
            for d in report.diagnostics
        ),
        clusters=tuple(
            ClusterSummary(
                fn(c.name),
                fn(c.path),
                opt(c.liferay_version),
                fn(c.version_source),
                tuple((fn(n), fn(p), tuple(fn(f) for f in files)) for n, p, files in c.nodes),
            )
            for c in report.clusters
        ),
        notes=tuple(fn(n) for n in report.notes),
    )


class Reporter(Protocol):
    """An output format: a module whose ``render`` turns a finished report into text."""

    def render(self, report: Report, ctx: Context) -> str: ...


def find_root(cwd: Path) -> Path:
    """The repository root: the nearest ancestor of ``cwd`` holding ``.git``, else ``cwd``."""
    cwd = Path(os.path.abspath(cwd))
    for candidate in (cwd, *cwd.parents):
        if (candidate / ".git").exists():
            return candidate
    return cwd


def absolute(display: str, ctx: Context) -> Path:
    path = Path(display)
    return Path(os.path.normpath(path if path.is_absolute() else Path(os.path.abspath(ctx.cwd)) / path))


def repo_path(display: str, ctx: Context) -> str | None:
    """``display`` relative to the repository root (POSIX), or None when outside it."""
    full = absolute(display, ctx)
    root = Path(os.path.abspath(ctx.root))
    try:
        rel = full.relative_to(root)
    except ValueError:
        return None
    return rel.as_posix() if str(rel) != "." else "."


class Place(NamedTuple):
    """Where a label points for a consumer that needs a file: the display path and the line."""

    file: str | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None  # inclusive, as in Label
    directory: bool  # the label named a node or cluster directory and no file could stand in


def _node_main_file(files: Sequence[str]) -> str | None:
    for f in files:
        if f.endswith("portal-ext.properties"):
            return f
    return files[0] if files else None


def place(d: Diagnostic, label: Label, report: Report) -> Place:
    """The file and span of a label; a node directory is replaced by the node's main file."""
    if label.file and label.line is not None:
        return Place(label.file, label.line, label.column, label.end_line or label.line, label.end_column, False)
    file = label.file
    directories: dict[str, Sequence[str]] = {}
    for cluster in report.clusters:
        directories.setdefault(cluster.path, ())
        for name, path, files in cluster.nodes:
            directories[path] = files
            if file is None and label.node == name and (d.cluster in (None, cluster.name)):
                file = path
    if file is not None and file in directories:
        main = _node_main_file(directories[file])
        if main is not None:
            return Place(main, None, None, None, None, False)
        return Place(file, None, None, None, None, True)
    return Place(file, None, None, None, None, False)


def describe(label: Label) -> str:
    """One label as text: ``node1: true (node1/portal-ext.properties:16)``, or for a value without a
    line, its text and where the value comes from (``node2: false (Liferay 7.4 default)``)."""
    text = label.text or label.node or ""
    if label.file and label.line is not None:
        spot = f"{label.file}:{label.line}"
    else:
        origin = label.origin or ""
        spot = "" if origin and origin in text else (origin or label.file or "")
    if text and spot:
        return f"{text} ({spot})"
    return text or spot or "?"


def related_caption(d: Diagnostic) -> str:
    """What the related labels are: other nodes' places, or more places on the same node."""
    if any(r.node != d.primary.node for r in d.related):
        return "Other nodes"
    return "Also"


def others(d: Diagnostic) -> str:
    """The related labels in one sentence, for formats with one location per finding."""
    if not d.related:
        return ""
    return f"{related_caption(d)}: " + "; ".join(describe(r) for r in d.related) + "."


def sentence(text: str) -> str:
    """Text ending with terminal punctuation (SARIF consumers expect sentences)."""
    text = text.rstrip()
    if not text:
        return text
    return text if text[-1] in ".!?" else text + "."


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def problems(diagnostics: Sequence[Diagnostic]) -> list[list[Diagnostic]]:
    """Findings that share one root, as one problem each: the findings whose primary span is the
    same file and line of one cluster (a bad value there and what it breaks), most severe first.
    Problems are ordered by their most severe finding, then cluster and rule; a finding with no
    line of its own is a problem of its own."""
    groups: dict[object, list[Diagnostic]] = {}
    for index, d in enumerate(diagnostics):
        at = d.primary
        key: object = (d.cluster, at.file, at.line) if at.file and at.line else index
        groups.setdefault(key, []).append(d)
    out = [sorted(g, key=lambda d: (_RANK[d.severity], d.rule)) for g in groups.values()]
    return sorted(out, key=lambda g: (_RANK[g[0].severity], g[0].cluster or "", g[0].rule))


def order_key(d: Diagnostic) -> tuple[object, ...]:
    """Where a finding goes in the machine outputs (JSON, SARIF, JUnit, GitHub, GitLab): severity
    (errors first), then cluster, then rule, then location, as the text output orders its problems."""
    return (_RANK[d.severity], d.cluster or "", d.rule, d.sort_key())


def ordered(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The findings in :func:`order_key` order."""
    return sorted(diagnostics, key=order_key)


def problem_ids(diagnostics: Sequence[Diagnostic]) -> dict[int, str]:
    """The problem each finding belongs to, by ``id()`` of the finding: the fingerprint of the
    problem's first (most severe) finding, shared by its consequences."""
    return {id(d): group[0].fingerprint[:16] for group in problems(diagnostics) for d in group}
