"""``check --format github``: GitHub Actions workflow commands, one annotation per finding.

::

    ::error file=prod/node3/portal-ext.properties,line=16,endLine=16,col=1,endColumn=24,title=HA102 cl…::Cl…

Chosen automatically when ``GITHUB_ACTIONS=true`` and no ``--format`` is given. An annotation
has one location, so the primary span is annotated and the other nodes' locations are listed in
the message (STYLE lesson 6). Severity maps to ``error``, ``warning`` and ``notice``. Paths are
relative to the repository root (the workspace). Property values are escaped as the runner
expects (``%``, CR, LF, ``:`` and ``,``; message data: ``%``, CR, LF), after text from input had
its control characters and line breaks escaped like in text output, so an annotation stays one line
and shows what the file holds. A summary line follows the annotations so the log says what was
checked, then the stale baseline entries, escaped the same way (a baseline edited in a pull request
cannot add a workflow command).
"""

from __future__ import annotations

from linter.diagnostics import Diagnostic, Report, Severity
from linter.reporters.common import Context, neutralised, ordered, others, place, repo_path

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def message(d: Diagnostic) -> str:
    """The annotation text: the message, the primary label, the other nodes, the help."""
    lines = [d.message]
    primary = d.primary.text
    if d.primary.line is None and d.primary.origin and d.primary.origin not in primary:
        primary = f"{primary} ({d.primary.origin})" if primary else d.primary.origin
    if primary:
        lines.append(primary)
    if d.related:
        lines.append(others(d))
    if d.help:
        lines.append(f"help: {d.help}")
    return "\n".join(lines)


def command(d: Diagnostic, report: Report, ctx: Context) -> str:
    spot = place(d, d.primary, report)
    props: list[tuple[str, str]] = []
    if spot.file is not None and not spot.directory:
        props.append(("file", repo_path(spot.file, ctx) or spot.file))
        if spot.line is not None:
            end_line = spot.end_line or spot.line
            props += [("line", str(spot.line)), ("endLine", str(end_line))]
            if end_line == spot.line and spot.column is not None:
                props.append(("col", str(spot.column)))
                if spot.end_column is not None and spot.end_column >= spot.column:
                    props.append(("endColumn", str(spot.end_column)))
    props.append(("title", f"{d.rule} {d.name}"))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS[d.severity]} {head}::{escape_data(message(d))}"


def render(report: Report, ctx: Context) -> str:
    from linter.reporters.text import summary_line

    report = neutralised(report)
    lines = [command(d, report, ctx) for d in ordered(report.diagnostics)]
    lines.append(summary_line(report))
    if ctx.baseline is not None:
        from linter.reporters.text import baseline_lines

        lines += baseline_lines(ctx.baseline)
    return "".join(line + "\n" for line in lines)
