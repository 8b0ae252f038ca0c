"""``show`` as text: one table per cluster, nodes side by side, differing rows highlighted.

Every name, key, value and origin comes from input and is shown through
:func:`~linter.reporters.common.visible` (control characters and line breaks escaped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.model import Cluster
from linter.origin import Confidence, Problem
from linter.problems import problem_rule
from linter.reporters.common import visible
from linter.show import build_rows, problem_message

if TYPE_CHECKING:
    from rich.console import Console


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _relative(origin_text: str, node_path: str) -> str:
    """Origins under the node's own directory are shown relative to it (the column says which node)."""
    prefix = node_path.rstrip("/") + "/"
    return origin_text.replace(prefix, "")


def render(
    clusters: list[Cluster], problems: list[Problem], everything: bool, *, color: bool = False, width: int | None = None
) -> str:
    """The tables as text, ``width`` columns wide, coloured with ``color``."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, highlight=False, soft_wrap=False, width=width
    )
    print_tables(console, clusters, problems, everything)
    return buffer.getvalue()


def print_tables(console: Console, clusters: list[Cluster], problems: list[Problem], everything: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    for cluster in clusters:
        console.print(
            Text.assemble(
                ("cluster ", "bold"),
                (visible(cluster.name), "bold cyan"),
                f"  ({visible(cluster.path)}, {len(cluster.nodes)} nodes)\n",
                ("Liferay ", "dim"),
                (visible(cluster.version or "unknown"), "bold"),
                (f"  from {visible(cluster.version_source)}", "dim"),
            )
        )
        table = Table(show_lines=False, expand=False, pad_edge=False)
        table.add_column("setting", overflow="fold", style="bold", min_width=24)
        for node in cluster.nodes:
            table.add_column(visible(node.name), overflow="fold")
        section = None
        for row in build_rows(cluster, everything):
            if row.section != section:
                section = row.section
                table.add_row(Text(section, style="bold magenta"), *["" for _ in cluster.nodes])
            cells: list[Text] = []
            for node, cell in zip(cluster.nodes, row.cells, strict=True):
                if cell is None:
                    cells.append(Text("(not set)", style="dim"))
                    continue
                style = "yellow" if row.differs else ""
                if cell.confidence is Confidence.UNRESOLVED:
                    style = "red"
                text = Text(_shorten(visible(cell.value)) or '""', style=style)
                text.append("\n" + visible(_relative(cell.origin_text, node.path)), style="dim")
                cells.append(text)
            key = Text(("≠ " if row.differs else "  ") + visible(row.key), style="bold yellow" if row.differs else "")
            table.add_row(key, *cells)
        console.print(table)
        node_problems = [p for n in cluster.nodes for p in n.problems] + list(cluster.problems)
        for p in node_problems:
            console.print(Text(_problem_line(p), style="red"))
        console.print()
    for p in problems:
        console.print(Text(_problem_line(p), style="red"))


def _problem_line(p: Problem) -> str:
    return visible(f"{problem_rule(p)} {p.origin.describe()}: {problem_message(p)}")
