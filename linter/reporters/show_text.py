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
from linter.show import Row, build_rows, problem_message, relative_origin

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# the narrowest a node column may be before the table is printed in the long form instead
NODE_COLUMN = 18
SETTING_COLUMN = 28


def _key_width(rows: list[Row]) -> int:
    """The setting column: the longest key shown (never folded inside a key up to 52 characters)."""
    return min(52, max([len(r.key) + 2 for r in rows] + [SETTING_COLUMN]))


def fits(cluster: Cluster, width: int, rows: list[Row] | None = None) -> bool:
    """Whether the side-by-side table of a cluster fits ``width`` columns without cropping."""
    key = _key_width(rows) if rows is not None else SETTING_COLUMN
    return key + len(cluster.nodes) * (NODE_COLUMN + 3) <= width


def render(
    clusters: list[Cluster],
    problems: list[Problem],
    everything: bool,
    *,
    color: bool = False,
    width: int | None = None,
    only_differing: bool = False,
    long: bool | None = None,
) -> str:
    """The tables as text, ``width`` columns wide, coloured with ``color``. ``long``: one line per
    setting and node instead of a table; None: the long form for a cluster whose nodes do not fit."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, highlight=False, soft_wrap=False, width=width
    )
    print_tables(console, clusters, problems, everything, only_differing=only_differing, long=long)
    return buffer.getvalue()


def _header(cluster: Cluster) -> Text:
    from rich.text import Text

    return Text.assemble(
        ("cluster ", "bold"),
        (visible(cluster.name), "bold cyan"),
        f"  ({visible(cluster.path)}, {len(cluster.nodes)} nodes)\n",
        ("Liferay ", "dim"),
        (visible(cluster.version or "unknown"), "bold"),
        (f"  from {visible(cluster.version_source)}", "dim"),
    )


def _print_long(console: Console, cluster: Cluster, everything: bool, only_differing: bool) -> None:
    """One line per setting and node: ``key  node  value  (origin)``; a setting whose value and
    origin are the same on every node is one line for all of them."""
    from rich.text import Text

    lines: list[Text] = []  # printed at once: rich's per-call work is most of the time at 1,000 nodes
    for row in build_rows(cluster, everything, only_differing):
        texts = [
            (visible(c.value) if c is not None else None, visible(relative_origin(c.origin_text, n.path)) if c else "")
            for n, c in zip(cluster.nodes, row.cells, strict=True)
        ]
        style = "bold yellow" if row.drifts else ""
        key = Text(("≠ " if row.drifts else ("~ " if row.differs else "  ")) + visible(row.key), style=style)
        if len(set(texts)) == 1 and texts[0][0] is not None:
            lines.append(
                Text.assemble(key, "  ", ("all nodes", "dim"), "  ", texts[0][0] or '""', (f"  ({texts[0][1]})", "dim"))
            )
            continue
        for node, (value, origin) in zip(cluster.nodes, texts, strict=True):
            shown = (
                Text("(not set)", style="dim")
                if value is None
                else Text(value or '""', style="yellow" if row.differs else "")
            )
            lines.append(
                Text.assemble(
                    key, "  ", (visible(node.name), "cyan"), "  ", shown, (f"  ({origin})" if origin else "", "dim")
                )
            )
    if lines:
        console.print(Text("\n").join(lines))


def print_tables(
    console: Console,
    clusters: list[Cluster],
    problems: list[Problem],
    everything: bool,
    *,
    only_differing: bool = False,
    long: bool | None = None,
) -> None:
    from rich.table import Table
    from rich.text import Text

    for cluster in clusters:
        rows = build_rows(cluster, everything, only_differing)
        as_long = long if long is not None else not fits(cluster, console.width, rows)
        if as_long:
            console.print(_header(cluster))
            if long is None:
                console.print(
                    Text(
                        f"({len(cluster.nodes)} nodes do not fit {console.width} columns side by side: one line "
                        "per setting and node; --node NAME picks nodes, --diff only what differs)",
                        style="dim",
                    )
                )
            _print_long(console, cluster, everything, only_differing)
            for p in [p for n in cluster.nodes for p in n.problems] + list(cluster.problems):
                console.print(Text(_problem_line(p), style="red"))
            console.print()
            continue
        console.print(_header(cluster))
        table = Table(show_lines=False, expand=False, pad_edge=False)
        table.add_column("setting", overflow="fold", style="bold", min_width=_key_width(rows))
        for node in cluster.nodes:
            table.add_column(visible(node.name), overflow="fold", min_width=min(NODE_COLUMN, 12))
        section = None
        for row in rows:
            if row.section != section:
                section = row.section
                table.add_row(Text(section, style="bold magenta"), *["" for _ in cluster.nodes])
            cells: list[Text] = []
            same = (
                not row.differs
                and len(
                    {
                        relative_origin(c.origin_text, n.path) if c else None
                        for n, c in zip(cluster.nodes, row.cells, strict=True)
                    }
                )
                == 1
            )
            for index, (node, cell) in enumerate(zip(cluster.nodes, row.cells, strict=True)):
                if same and index > 0:
                    cells.append(Text("〃", style="dim"))  # the same value from the same place: shown once
                    continue
                if cell is None:
                    cells.append(Text("(not set)", style="dim"))
                    continue
                style = "yellow" if row.drifts else ""
                if cell.confidence is Confidence.UNRESOLVED:
                    style = "red"
                text = Text(_shorten(visible(cell.value)) or '""', style=style)
                text.append("\n" + visible(relative_origin(cell.origin_text, node.path)), style="dim")
                cells.append(text)
            mark = "≠ " if row.drifts else ("~ " if row.differs else "  ")  # ~: differs per node by design
            key = Text(mark + visible(row.key), style="bold yellow" if row.drifts else "")
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
