"""Command line: ``liferay-ha-lint`` (also ``python -m linter``).

``main(argv)`` returns the exit code so tests call it directly. Exit codes (ARCHITECTURE §7):
0 nothing at or above the threshold, 1 findings or input problems, 2 usage or configuration error.
Heavy modules (rich, lxml) are imported only by the command that renders or parses with them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from linter import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="liferay-ha-lint",
    help="Config linter and policy checker for Liferay Portal clusters.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        print(f"liferay-ha-lint {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Config linter and policy checker for Liferay Portal clusters."""


def make_console(color: ColorMode, output: Path | None = None) -> object:
    import os

    from rich.console import Console

    force: bool | None = None
    if color is ColorMode.always:
        force = True
    elif color is ColorMode.never or os.environ.get("NO_COLOR"):
        force = False
    elif os.environ.get("FORCE_COLOR"):
        force = True
    if output is not None:
        return Console(file=output.open("w", encoding="utf-8"), force_terminal=False, no_color=True, width=200)
    width = None
    if not sys.stdout.isatty():
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() else 160
    return Console(
        force_terminal=force,
        no_color=force is False,
        highlight=False,
        soft_wrap=False,
        width=width,
    )


@app.command()
def show(
    paths: Annotated[list[Path], typer.Argument(help="Cluster directories, manifests, node directories or files.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.text,
    everything: Annotated[
        bool, typer.Option("--all", help="Show every effective key, not only HA-relevant ones.")
    ] = False,
    liferay_version: Annotated[
        str | None, typer.Option("--liferay-version", help="Liferay version of every cluster (e.g. 7.4, 6.2).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    color: Annotated[ColorMode, typer.Option("--color", help="Colour output: auto, always, never.")] = ColorMode.auto,
    max_file_size: Annotated[
        int, typer.Option("--max-file-size", help="Refuse input files larger than this many bytes.", min=1)
    ] = 10 * 1024 * 1024,
) -> None:
    """Show the HA-relevant effective settings of every node side by side, with origins."""
    from linter.discovery import discover
    from linter.liferay.versions import parse_version
    from linter.node import load_cluster
    from linter.sources.files import Limits

    if liferay_version is not None and parse_version(liferay_version) is None:
        raise typer.BadParameter(f"unknown Liferay version {liferay_version!r}", param_hint="--liferay-version")
    limits = Limits(max_file_size=max_file_size)
    found = discover(paths, liferay_version)
    clusters = [load_cluster(spec, limits, liferay_version) for spec in found.clusters]
    problems = list(found.problems)
    if fmt is ShowFormat.json:
        from linter.reporters import show_json

        text = show_json.render(clusters, problems, everything)
        if output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    else:
        from linter.reporters import show_text

        console = make_console(color, output)
        show_text.render(console, clusters, problems, everything)  # type: ignore[arg-type]
    has_problems = bool(problems) or any(n.problems for c in clusters for n in c.nodes)
    if not clusters or has_problems:
        raise typer.Exit(EXIT_FINDINGS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of exiting."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="liferay-ha-lint", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_OK
    except BrokenPipeError:
        return EXIT_OK  # output piped into head(1) and closed: not an error of ours
    except Exception as exc:
        # typer vendors click; its usage errors carry show() and exit_code
        if type(exc).__name__ == "Abort":
            return 130
        show_error = getattr(exc, "show", None)
        if callable(show_error) and hasattr(exc, "exit_code"):
            show_error()
            return EXIT_USAGE
        raise
    return result if isinstance(result, int) else EXIT_OK
