"""``check`` as text: rustc/ruff-style diagnostics with snippets, then a summary.

::

    error[HA102]: Cluster Link is enabled on some nodes but not on others (cluster-link-mismatch)
      --> node3/portal-ext.properties:16:1
       |
    16 | cluster.link.enabled=yes
       | ^^^^^^^^^^^^^^^^^^^^^^^^ node3: false (node3/portal-ext.properties:16)
      ::: node1/portal-ext.properties:16:1
       |
    16 | cluster.link.enabled=true
       | ------------------------- node1: true
       = help: set cluster.link.enabled=true on every node
       = note: run `liferay-ha-lint explain HA102` for details

A label without a line (a Liferay default, a built-in) says where its value comes from instead
of pointing at a line; no line number is ever invented. Snippets and messages come masked with
the report. rich is imported only when something is rendered.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

from linter.diagnostics import Diagnostic, Label, Report, Severity
from linter.reporters.common import neutralised, problems, visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from linter.baseline import Outcome
    from linter.reporters.common import Context

TOOL = "liferay-ha-lint"
MAX_NAMED = 20  # node names a note lists before it says how many others
MAX_RELATED = 5  # related labels shown per diagnostic; the rest are named in a note
TAB = "    "

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}
GUTTER = "bold blue"
RELATED = "bold blue"
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _print(console: Console, text: Text, *, wrap: bool = True) -> None:
    if wrap:
        console.print(text, highlight=False)
    else:
        console.print(text, highlight=False, no_wrap=True, overflow="ellipsis", crop=True)


def _hanging(console: Console, prefix: Text, body: Text | str, fallback: Text | None = None) -> None:
    """``prefix`` then ``body``; a long ``body`` wraps aligned after the prefix (a hanging indent).

    When fewer than 20 cells are left beside ``prefix``, it is printed alone and ``body`` follows
    after ``fallback`` (or on its own line).
    """
    from rich.text import Text

    body = body if isinstance(body, Text) else Text(body)
    indent = prefix.cell_len
    if indent + body.cell_len <= console.width:
        _print(console, Text.assemble(prefix, body), wrap=False)
        return
    if console.width - indent < 20:
        alone = prefix.copy()
        alone.rstrip()
        _print(console, alone, wrap=False)
        if fallback is not None and console.width - fallback.cell_len >= 20:
            _hanging(console, fallback, body)
        else:
            _print(console, body)
        return
    for number, line in enumerate(body.wrap(console, console.width - indent)):
        line.rstrip()
        _print(console, Text.assemble(prefix if number == 0 else " " * indent, line), wrap=False)


# ----------------------------------------------------------------------------- snippets


class _Snippet(NamedTuple):
    """A source line prepared for display: the text and the underline's cell offset and width."""

    text: str
    offset: int
    width: int


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _prepare_snippet(label: Label, available: int) -> _Snippet:
    """Neutralise (:func:`~linter.reporters.common.visible`), expand tabs and window the snippet so
    the underlined span is visible in ``available`` cells.

    The underline runs from ``column`` to ``end_column`` (inclusive) when both are on the label's
    line, else to the end of the line; it is at least one cell wide.
    """
    source = (label.snippet or "").rstrip("\r\n")
    # masking may have moved the columns: the report then carries the span over
    start, end = label.span if label.span is not None else label.span_in(source)
    # tabs: expand in the displayed text and shift indices accordingly
    before, span, after = source[:start], source[start:end], source[end:]
    before, span, after = (visible(part).replace("\t", TAB) for part in (before, span, after))
    text = before + span + after
    start, end = len(before), len(before) + len(span)
    available = max(available, 20)
    if _cells(text) > available:
        # cut on the left when the start of the span would sit past the middle, keeping some context
        if _cells(text[:start]) > available // 2:
            cut = max(1, start - 8)
            text = "…" + text[cut:]
            start, end = start - cut + 1, end - cut + 1
        if _cells(text) > available:
            from rich.cells import set_cell_size

            kept = set_cell_size(text, available - 1).rstrip(" ")
            keep = len(kept)
            text = kept + "…"
            end = min(end, keep)
            start = min(start, keep)
    offset = _cells(text[:start])
    width = max(1, _cells(text[start:end]))
    return _Snippet(text, offset, width)


# ----------------------------------------------------------------------------- one diagnostic


class _Renderer:
    def __init__(self, report: Report, console: Console) -> None:
        self.report = report
        self.console = console
        self.multi_cluster = len(report.clusters) > 1
        self.node_paths: dict[tuple[str | None, str], str] = {}
        for cluster in report.clusters:
            for name, path, _files in cluster.nodes:
                self.node_paths[(cluster.name, name)] = path
                self.node_paths.setdefault((None, name), path)

    def header(self, d: Diagnostic) -> Text:
        from rich.text import Text

        style = SEVERITY_STYLE[d.severity]
        text = Text.assemble(
            (f"{d.severity.value}[{d.rule}]", style),
            (": ", "bold"),
            (d.message, "bold"),
            f" ({d.name})",
        )
        if self.multi_cluster and d.cluster:
            text.append(f"  in cluster {d.cluster}", style="dim")
        return text

    def _where(self, d: Diagnostic, label: Label) -> str:
        """The place shown for a label without a line: its file, else its node's directory."""
        if label.file:
            return label.file
        if label.node:
            path = self.node_paths.get((d.cluster, label.node)) or self.node_paths.get((None, label.node))
            if path:
                return path
        return ""

    def label(self, d: Diagnostic, label: Label, *, primary: bool, gutter: int) -> None:
        from rich.text import Text

        pad = " " * gutter
        arrow = "-->" if primary else ":::"
        mark = "^" if primary else "-"
        mark_style = SEVERITY_STYLE[d.severity] if primary else RELATED
        text = label.text
        console = self.console
        if label.line is not None and label.file:
            _print(console, Text.assemble((f"{pad}{arrow} ", GUTTER), label.location))
            if label.snippet is not None:
                number = str(label.line).rjust(gutter)
                snippet = _prepare_snippet(label, console.width - gutter - 3)
                _print(console, Text(f"{pad} |", style=GUTTER), wrap=False)
                _print(console, Text.assemble((f"{number} | ", GUTTER), snippet.text), wrap=False)
                underline = Text.assemble(
                    (f"{pad} | ", GUTTER),
                    " " * snippet.offset,
                    (mark * snippet.width, mark_style),
                )
                if text:
                    fallback = Text(f"{pad} = ", style=GUTTER)
                    _hanging(console, underline + " ", Text(text, style=mark_style), fallback)
                else:
                    _print(console, underline, wrap=False)
            elif text:
                _hanging(console, Text(f"{pad} = ", style=GUTTER), text)
            return
        # no line: a default, a built-in, a computed value, or a whole file/node
        where = self._where(d, label)
        node = f"(node {label.node})" if label.node else ""
        _print(console, Text.assemble((f"{pad}{arrow} ", GUTTER), " ".join(p for p in (where, node) if p)))
        if text:
            _hanging(console, Text(f"{pad} = ", style=GUTTER), text)
        if label.origin:
            who = f"{label.node}: " if label.node else ""
            _hanging(console, Text(f"{pad} = ", style=GUTTER), f"{who}value comes from {label.origin}")

    def note(self, pad: str, kind: str, body: str) -> None:
        from rich.text import Text

        _hanging(self.console, Text.assemble((f"{pad} = ", GUTTER), (kind, "bold"), ": "), body)

    def consequence(self, d: Diagnostic) -> None:
        """A finding at the same place as the one above: one line under it, its own help."""
        from rich.text import Text

        head = Text.assemble(
            ("   ↳ also ", GUTTER),
            (f"{d.severity.value}[{d.rule}]", SEVERITY_STYLE[d.severity]),
            f": {d.message} ",
            (f"({d.name})", "dim"),
        )
        _print(self.console, head)
        for lab in d.related[:MAX_RELATED]:  # where the other side is, one line each (no snippet)
            where = lab.location + (f" ({lab.node})" if lab.node and lab.node not in lab.location else "")
            _hanging(self.console, Text.assemble(("     ::: ", GUTTER)), where + (f": {lab.text}" if lab.text else ""))
        if len(d.related) > MAX_RELATED:
            _hanging(self.console, Text.assemble(("     ::: ", GUTTER)), f"and {len(d.related) - MAX_RELATED} more")
        if d.help:
            _hanging(self.console, Text.assemble(("     = ", GUTTER), ("help", "bold"), ": "), d.help)
        _hanging(
            self.console,
            Text.assemble(("     = ", GUTTER), ("note", "bold"), ": "),
            f"run `{TOOL} explain {d.rule}` for details",
        )
        _print(self.console, Text(""))

    def diagnostic(self, d: Diagnostic) -> None:
        shown = d.related[:MAX_RELATED]
        hidden = d.related[MAX_RELATED:]
        lines = [lab.line for lab in (d.primary, *shown) if lab.line is not None and lab.file]
        gutter = max([len(str(n)) for n in lines] + [1])
        pad = " " * gutter
        _print(self.console, self.header(d))
        self.label(d, d.primary, primary=True, gutter=gutter)
        for lab in shown:
            self.label(d, lab, primary=False, gutter=gutter)
        if hidden:
            names: list[str] = []
            for lab in hidden:
                name = lab.node or lab.location or "?"
                if name not in names:
                    names.append(name)
            what = "node" if len(names) == 1 else "nodes"
            listed = ", ".join(names[:MAX_NAMED])
            rest = (
                f" and {len(names) - MAX_NAMED} others (the JSON report lists every one)"
                if len(names) > MAX_NAMED
                else ""
            )
            self.note(pad, "note", f"and {len(names)} more {what}: {listed}{rest}")
        if d.help:
            self.note(pad, "help", d.help)
        self.note(pad, "note", f"run `{TOOL} explain {d.rule}` for details")
        self.console.print()


# ----------------------------------------------------------------------------- one-line forms and tables


_ANSI = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}


def one_line(d: Diagnostic, color: bool = False) -> str:
    """``path:line:col: error[HA102] message`` (the quiet form; ``color``: the severity coloured,
    without loading rich, as the pre-commit path prints it)."""
    where = d.primary.location or d.primary.node or d.cluster or "-"
    tag = f"{d.severity.value}[{d.rule}]"
    if color:
        tag = f"{_ANSI[d.severity]}{tag}\x1b[0m"
    return f"{where}: {tag} {d.message}"


def rule_table(report: Report) -> Table:
    """Findings per rule, most frequent first (like ``ruff --statistics``)."""
    from rich.table import Table
    from rich.text import Text

    counts = Counter((d.rule, d.name, d.severity) for d in report.diagnostics)
    table = Table(title="Findings by rule", title_justify="left")
    table.add_column("rule", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("severity", no_wrap=True)
    table.add_column("count", justify="right", no_wrap=True)
    for (rule, name, severity), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1])):
        table.add_row(Text(rule), Text(name), Text(severity.value, style=SEVERITY_STYLE[severity]), Text(str(count)))
    return table


def node_table(report: Report) -> Table:
    """Findings per node (by primary label), in report order: the nodes that have findings, and one
    line for how many have none (a 1,000-node audit with 8 findings prints a few rows, not 1,000)."""
    from rich.table import Table
    from rich.text import Text

    rows: dict[tuple[str, str], Counter[Severity]] = {}
    for cluster in report.clusters:
        for name, _path, _files in cluster.nodes:
            rows[(cluster.name, name)] = Counter()
    only = report.clusters[0].name if len(report.clusters) == 1 else ""
    for d in report.diagnostics:
        key = (d.cluster or only, d.primary.node or "")
        rows.setdefault(key, Counter())[d.severity] += 1
    table = Table(title="Findings by node", title_justify="left")
    table.add_column("node", overflow="fold")
    for title in ("errors", "warnings", "info"):
        table.add_column(title, justify="right", no_wrap=True)
    clean = 0
    for (cluster_name, node), counter in rows.items():
        if not counter:
            clean += 1
            continue
        if not node:
            name = f"{cluster_name or '-'} (cluster-wide)"
        elif node == cluster_name or not cluster_name:
            name = node  # a one-node cluster named after its node: not "node3/node3"
        else:
            name = f"{cluster_name}/{node}"
        table.add_row(Text(name), *(Text(str(counter[s])) for s in _SEVERITIES))  # Text: no markup
    if clean:
        table.add_row(Text(f"({_plural(clean, 'other node')} without findings)", style="dim"), "", "", "")
    return table


def summary_line(report: Report, baseline: Outcome | None = None) -> str:
    nodes = sum(len(c.nodes) for c in report.clusters)
    scope = f"{_plural(len(report.clusters), 'cluster')} ({_plural(nodes, 'node')}, {_plural(report.files, 'file')})"
    if not report.clusters and not report.diagnostics:
        # never "no problems" for a run that read no configuration (files given in no cluster)
        return (
            "Nothing checked: no Liferay cluster holds the paths given"
            + (f" ({_plural(len(report.notes), 'note')}: --verbose)" if report.notes else "")
            + "."
        )
    if report.diagnostics:
        found = len(problems(report.diagnostics))
        parts = [
            _plural(report.count(s), "info finding" if s is Severity.INFO else s.value)
            for s in _SEVERITIES
            if report.count(s)
        ]
        counts = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        if found < len(report.diagnostics):  # some findings share a root: say how many problems
            line = f"Found {_plural(found, 'problem')} ({counts}) in {scope}"
        else:
            line = f"Found {counts} in {scope}"
    else:
        line = f"No problems found in {scope}"
    if report.suppressed:
        line += f"; {report.suppressed} suppressed"
    if baseline is not None:
        line += f"; {_plural(baseline.hidden, 'finding')} hidden by the baseline"
    return line + "."


def baseline_lines(baseline: Outcome) -> list[str]:
    """The stale baseline entries: entries of the clusters and rules checked that matched nothing."""
    if not baseline.stale:
        return []
    count = _plural(len(baseline.stale), "entry", "entries")
    lines = [f"note: baseline {baseline.path}: {count} matched no finding (stale: remove, or rerun --write-baseline):"]
    lines += [f"  - {e.describe()}" for e in baseline.stale]
    return [visible(line) for line in lines]  # the baseline file is input too


# ----------------------------------------------------------------------------- entry point


def render(report: Report, ctx: Context) -> str:
    """The report as text, ``ctx.width`` columns wide (coloured with ``ctx.color``).

    ``statistics`` prints only the per-rule table; ``quiet`` only the one-line forms (no summary,
    no notes); otherwise every diagnostic in full, the tables and the summary line, and with
    ``verbose`` the report's notes at the end. The summary says how many findings the baseline hid
    and which of its entries are stale. One line per finding, or the clean summary, is written
    without loading rich (the pre-commit path). Text from input is shown with control characters
    and line breaks escaped (:func:`~linter.reporters.common.visible`).
    """
    report = neutralised(report, snippets=False)  # snippets: in _prepare_snippet, keeping the columns
    if not ctx.verbose and (ctx.quiet or not report.diagnostics):
        if ctx.quiet:
            lines = [one_line(d, ctx.color) for d in report.diagnostics]
        else:
            lines = [summary_line(report, ctx.baseline)]
            lines += baseline_lines(ctx.baseline) if ctx.baseline is not None else []
        return "".join(line + "\n" for line in lines)
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=ctx.color,
        no_color=not ctx.color,
        highlight=False,
        soft_wrap=False,
        width=ctx.width,
    )
    print_report(report, console, ctx.baseline, quiet=ctx.quiet, statistics=ctx.statistics, verbose=ctx.verbose)
    return buffer.getvalue()


def print_report(
    report: Report,
    console: Console,
    baseline: Outcome | None,
    *,
    quiet: bool = False,
    statistics: bool = False,
    verbose: bool = False,
) -> None:
    """:func:`render` onto a rich console."""
    from rich.text import Text

    if statistics:
        if report.diagnostics:
            console.print(rule_table(report))
    elif quiet:
        for d in report.diagnostics:
            console.print(Text(one_line(d)), highlight=False, soft_wrap=True)  # one line each, never wrapped
        return
    else:
        renderer = _Renderer(report, console)
        for group in problems(report.diagnostics):
            renderer.diagnostic(group[0])
            for consequence in group[1:]:  # the same file and line: one problem, its consequences
                renderer.consequence(consequence)
        if report.diagnostics:
            console.print(rule_table(report))
            console.print(node_table(report))
        worst = report.worst()
        style = SEVERITY_STYLE[worst] if worst is not None else "bold green"
        _print(console, Text(summary_line(report, baseline), style=style))
        if baseline is not None:
            for line in baseline_lines(baseline):
                _print(console, Text(line))
    if verbose:
        for note in report.notes:
            _print(console, Text.assemble(("note", "bold"), ": " + note))
