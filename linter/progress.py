"""Progress on standard error while a large audit reads its nodes (rich, only on a terminal).

Silent when standard error is not a terminal, with ``-q``, or for a handful of nodes: the
pre-commit and CI paths never load rich for it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

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


def load_all(
    specs: Sequence[ClusterSpec],
    limits: Limits,
    version: str | None,
    show: bool,
    stream: TextIO | None = None,
) -> list[Cluster]:
    """Every cluster read; with ``show``, a progress bar counts the nodes read."""
    if not show:
        return [load_cluster(spec, limits, version) for spec in specs]
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=stream if stream is not None else sys.stderr, force_terminal=True)
    total = sum(len(s.nodes) for s in specs)
    clusters: list[Cluster] = []
    with Progress(
        TextColumn("[bold]reading nodes[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)
        for spec in specs:
            progress.update(task, description=escape(visible(spec.name)))  # a name from input: no markup
            clusters.append(load_cluster(spec, limits, version, on_node=lambda _name: progress.advance(task)))
    return clusters
