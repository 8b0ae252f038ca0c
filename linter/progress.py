"""Progress on standard error while a large audit runs (rich, only on a terminal).

One display covers the whole run, phase after phase: reading the nodes, running the rules,
writing the report (``check``), or reading and laying out the table (``show``), so a long run is
never silent. It is drawn only when standard error is a terminal, without ``-q``, and for more
than a handful of nodes: the pre-commit and CI paths never load rich for it. The display is
transient: it is cleared before the report is written, so it never mixes with the output.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import TracebackType
from typing import Any, TextIO

from linter.load.discovery import ClusterSpec
from linter.load.loader import load_cluster
from linter.model import Cluster
from linter.reporters.common import visible
from linter.sources.files import Limits

HANDFUL = 5  # more nodes than this, on a terminal: show progress


def wanted(specs: Sequence[ClusterSpec], quiet: bool, stream: TextIO | None = None) -> bool:
    stream = stream if stream is not None else sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and not quiet and sum(len(s.nodes) for s in specs) > HANDFUL


class Progress:
    """The run's progress display; silent until :meth:`start` decides it is wanted. Phases follow
    each other in one display (``phase``); ``advance`` counts the steps of the current one."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream
        self._live: Any = None  # rich.progress.Progress once drawn
        self._task: Any = None

    def start(self, specs: Sequence[ClusterSpec]) -> None:
        """Draw from now on when the audit is large enough and standard error a terminal."""
        if self._live is not None or not wanted(specs, self.quiet, self.stream):
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        console = Console(file=self.stream if self.stream is not None else sys.stderr, force_terminal=True)
        self._live = Bar(
            TextColumn("[bold]{task.fields[phase]}[/bold] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._live.start()

    @property
    def shown(self) -> bool:
        return self._live is not None

    def phase(self, name: str, total: int | None = None, description: str = "") -> None:
        """A new phase of the run (``total`` steps, or None when it cannot be counted)."""
        if self._live is None:
            return
        from rich.markup import escape

        if self._task is not None:
            self._live.remove_task(self._task)
        # names come from the input: never markup
        self._task = self._live.add_task(escape(visible(description)), total=total, phase=name)
        self._live.refresh()  # each phase is drawn at least once, however short

    def describe(self, text: str) -> None:
        if self._live is not None and self._task is not None:
            from rich.markup import escape

            self._live.update(self._task, description=escape(visible(text)))

    def advance(self, steps: int = 1) -> None:
        if self._live is not None and self._task is not None:
            self._live.advance(self._task, steps)

    def close(self) -> None:
        """Clear the display (before the report is written)."""
        if self._live is not None:
            self._live.stop()
            self._live = None
            self._task = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def load_all(
    specs: Sequence[ClusterSpec],
    limits: Limits,
    version: str | None,
    progress: Progress | None = None,
) -> list[Cluster]:
    """Every cluster read; the progress display (when drawn) counts the nodes read."""
    shown = progress if progress is not None else Progress(quiet=True)  # silent: every call does nothing
    shown.phase("reading nodes", sum(len(s.nodes) for s in specs))
    clusters: list[Cluster] = []
    for spec in specs:
        shown.describe(spec.name)
        clusters.append(load_cluster(spec, limits, version, on_node=lambda _name: shown.advance()))
    return clusters
