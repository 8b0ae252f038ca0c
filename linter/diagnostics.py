"""Severity, Label, Diagnostic and Report: what the engine hands to reporters (ARCHITECTURE §6).

Values here are final: rule id, name and effective severity are stamped by the engine, secrets
are already masked in messages and snippets, and the order is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True, slots=True)
class Label:
    """A span in one node's file, or a value that has no file line (a Liferay default, a built-in).

    ``file`` is a display path (relative to the working directory when below it). ``line`` is
    None when the value comes from a default or a built-in resource; ``origin`` then says which
    ("Liferay 7.4 default (portal.properties ..., line 6038)"). ``snippet`` is the masked source
    line for text output.
    """

    node: str | None
    file: str | None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    text: str = ""
    origin: str | None = None  # for non-file values: where the value comes from
    snippet: str | None = None
    # where the columns fall in ``snippet`` (0-based, end exclusive) when masking moved them
    span: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        for name in ("line", "column", "end_line", "end_column"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"Label.{name} must be >= 1, got {value}")
        if self.line is not None and self.end_line is not None and self.end_line < self.line:
            raise ValueError("Label.end_line before line")

    def span_in(self, line: str) -> tuple[int, int]:
        """The label's columns as a 0-based span of its source line (end exclusive): ``column`` to
        ``end_column`` when both are on the label's line, else to the end of the line."""
        column = max(1, self.column or 1)
        start = min(column - 1, len(line))
        same_line = self.end_line is None or self.end_line == self.line
        if self.end_column is not None and same_line and self.end_column >= column:
            end = min(self.end_column, len(line.rstrip()))
        else:
            end = len(line.rstrip())
        return start, max(end, start)

    @property
    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file or self.origin or ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    rule: str
    name: str
    severity: Severity
    message: str
    primary: Label
    related: tuple[Label, ...] = ()
    help: str | None = None
    confidence: str = "explicit"
    cluster: str | None = None
    subject: str = ""  # what the finding is about (a key, an element): part of the fingerprint
    fingerprint: str = ""

    def with_fingerprint(self) -> Diagnostic:
        import hashlib  # only when there are findings to fingerprint

        nodes = sorted({n for n in (self.primary.node, *(r.node for r in self.related)) if n})
        basis = "\x1f".join([self.rule, self.cluster or "", self.subject or self.message, ",".join(nodes)])
        # surrogatepass: a lone surrogate (a \ud800 escape, a file name that is not UTF-8) hashes too
        digest = hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return Diagnostic(
            self.rule,
            self.name,
            self.severity,
            self.message,
            self.primary,
            self.related,
            self.help,
            self.confidence,
            self.cluster,
            self.subject,
            digest,
        )

    def sort_key(self) -> tuple[str, str, str, int, int, str]:
        return (
            self.cluster or "",
            self.primary.file or self.primary.origin or "",
            self.primary.node or "",
            self.primary.line or 0,
            self.primary.column or 0,
            self.rule,
        )


class ClusterSummary(NamedTuple):
    name: str
    path: str
    liferay_version: str | None
    version_source: str
    nodes: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, path, files)
    # each node's (Liferay version, 7.4 release), in the order of ``nodes``; empty when not known
    node_versions: tuple[tuple[str | None, str | None], ...] = ()


class Report(NamedTuple):
    diagnostics: tuple[Diagnostic, ...]
    clusters: tuple[ClusterSummary, ...]
    notes: tuple[str, ...] = ()  # --verbose: rules skipped, versions, ...
    suppressed: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def files(self) -> int:
        return len({f for c in self.clusters for _, _, files in c.nodes for f in files})

    def worst(self) -> Severity | None:
        ranks = [d.severity for d in self.diagnostics]
        return max(ranks, key=lambda s: s.rank) if ranks else None
