"""Command line: ``liferay-ha-lint`` (also ``python -m linter``).

``main(argv)`` returns the exit code so tests call it directly. Exit codes (ARCHITECTURE §7):
0 nothing at or above the threshold, 1 findings or input problems, 2 usage or configuration error
or an internal error (one line on stderr; ``--debug`` adds the traceback).
Heavy modules (rich, lxml) are imported only by the command that renders or parses with them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

from linter import __version__
from linter.gcpolicy import relaxed as _relaxed_gc
from linter.paths import path_cache

with _relaxed_gc():  # typer's import allocates much and frees little (see linter.gcpolicy)
    import typer

if TYPE_CHECKING:
    from linter.config import Config
    from linter.run import CheckResult

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

_APP_SETTINGS: dict[str, object] = {
    "name": "liferay-ha-lint",
    "help": "Config linter and policy checker for Liferay Portal clusters.",
    "add_completion": True,
    "no_args_is_help": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**_APP_SETTINGS)  # type: ignore[arg-type]


# options that check and show share
ProfileOption = Annotated[
    list[str] | None,
    typer.Option("--profile", help="Compose profile to activate, as docker compose --profile ('*': all)."),
]
AllowOutsideOption = Annotated[
    bool,
    typer.Option(
        "--allow-outside", help="Let a liferay-ha.toml name node directories and env files outside its own directory."
    ),
]


class ShowFormat(str, Enum):
    text = "text"
    long = "long"
    json = "json"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        print(f"liferay-ha-lint {__version__}")
        raise typer.Exit(EXIT_OK)


DEBUG_FLAG = "--debug"
_DEBUG_KEY = "liferay_ha_lint.debug"


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            DEBUG_FLAG,
            help="Show tracebacks of internal errors (also of rules that crash, HA009); "
            "may be given anywhere on the command line. Tracebacks are not masked.",
        ),
    ] = False,
) -> None:
    """Config linter and policy checker for Liferay Portal clusters."""
    ctx.meta[_DEBUG_KEY] = debug


def _debugging(ctx: typer.Context) -> bool:
    return bool(ctx.meta.get(_DEBUG_KEY, False))


@app.command()
def show(
    paths: Annotated[list[Path], typer.Argument(help="Cluster directories, manifests, node directories or files.")],
    fmt: Annotated[
        ShowFormat,
        typer.Option("--format", "-f", help="text (nodes side by side), long (one line per setting and node), json."),
    ] = ShowFormat.text,
    everything: Annotated[
        bool, typer.Option("--all", help="Show every effective key, not only HA-relevant ones.")
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Only the settings whose value differs between nodes.")] = False,
    node_names: Annotated[
        list[str] | None, typer.Option("--node", help="Only this node (repeatable), e.g. to compare two nodes.")
    ] = None,
    liferay_version: Annotated[
        str | None, typer.Option("--liferay-version", help="Liferay version of every cluster (e.g. 7.4, 6.2).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    color: Annotated[ColorMode, typer.Option("--color", help="Colour output: auto, always, never.")] = ColorMode.auto,
    max_file_size: Annotated[
        int, typer.Option("--max-file-size", help="Refuse input files larger than this many bytes.", min=1)
    ] = 10 * 1024 * 1024,
    config_file: Annotated[
        Path | None,
        typer.Option("--config", help="Config file, for its secret-keys (default: found upwards from here)."),
    ] = None,
    profile: ProfileOption = None,
    allow_outside: AllowOutsideOption = False,
) -> None:
    """Show the HA-relevant effective settings of every node side by side, with origins."""
    from linter.liferay.versions import parse_version
    from linter.load.discovery import discover
    from linter.progress import Progress, load_all
    from linter.sources.files import DigestBudget, Limits

    if liferay_version is not None and parse_version(liferay_version) is None:
        raise typer.BadParameter(f"unknown Liferay version {liferay_version!r}", param_hint="--liferay-version")
    _load_config(config_file)
    _check_output("--output", output)
    _check_inputs(paths)
    limits = Limits(max_file_size=max_file_size, digests=DigestBudget())  # one hashing budget for the run
    found = discover(paths, liferay_version, limits, allow_outside, frozenset(profile or ()))
    if found.refused:
        raise _usage_error("; ".join(found.refused))
    problems = list(found.problems)
    text: str | None = None
    with Progress() as shown:  # reading the nodes and laying out the table; cleared before anything is written
        shown.start(found.clusters)
        clusters = load_all(found.clusters, limits, liferay_version, shown)
        if node_names:
            from linter.show import with_nodes

            known = {n.name for c in clusters for n in c.nodes}
            unknown = [n for n in node_names if n not in known]
            if unknown:
                from linter.suggest import did_you_mean

                raise _usage_error(f"no node named {unknown[0]!r}{did_you_mean(unknown[0], sorted(known))}")
            clusters = [c for c in (with_nodes(c, node_names) for c in clusters) if c.nodes]
        if fmt is not ShowFormat.json:  # the JSON is written as it is made: its output is the progress
            from linter.reporters import show_text

            colored, width = _color_and_width(color, output)
            long = True if fmt is ShowFormat.long else None  # None: the long form where a table would not fit
            shown.phase("laying out", None, "the settings of every node")
            text = show_text.render(
                clusters, problems, everything, color=colored, width=width, only_differing=diff, long=long
            )
    if text is None:
        from linter.reporters import show_json

        blocks = show_json.render(clusters, problems, everything)  # written as they are made
        if output is not None:
            try:
                with output.open("w", encoding="utf-8", errors="backslashreplace") as handle:
                    handle.writelines(blocks)
            except OSError as exc:
                raise _write_error("--output", output, exc) from None
        else:
            sys.stdout.writelines(blocks)
    elif output is not None:
        _write("--output", output, text)
    else:
        sys.stdout.write(text)
    has_problems = bool(problems) or any(n.problems for c in clusters for n in c.nodes)
    if not clusters or has_problems:
        raise typer.Exit(EXIT_FINDINGS)


# the reporter module of each --format (the others are named as the format)
REPORTER_MODULES = {"json": "json_report"}


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    gitlab = "gitlab"
    html = "html"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _one_line(text: str) -> str:
    from linter.reporters.common import visible  # names from a manifest or a path: no control characters

    return visible(" ".join(text.split()))


def _usage_error(message: str) -> typer.Exit:
    print(f"liferay-ha-lint: error: {_one_line(message)}", file=sys.stderr)
    return typer.Exit(EXIT_USAGE)


def _load_config(config_file: Path | None) -> Config:
    """The configuration (``--config`` or found upwards from the working directory), its secret-key
    patterns installed for this run; a missing or invalid file is a usage error."""
    from linter import config as config_mod
    from linter.redact import set_extra_secret_keys

    try:
        found = config_file or config_mod.find_config(Path.cwd())
        cfg = config_mod.load_config(found) if found else config_mod.Config()
    except (config_mod.ConfigError, OSError) as exc:
        raise _usage_error(str(exc)) from None
    set_extra_secret_keys(cfg.secret_keys)
    return cfg


def _check_inputs(paths: Sequence[Path], where: str = "") -> None:
    from linter.run import RunError, check_inputs

    try:
        check_inputs(paths, where)
    except RunError as exc:
        raise _usage_error(str(exc)) from None


def _check_output(option: str, path: Path | None) -> None:
    """Refuse, before any work, an output file that cannot be created: a directory, or a file in a
    directory that does not exist."""
    if path is None:
        return
    if path.is_dir():
        raise _usage_error(f"{option} {path}: is a directory")
    parent = path.absolute().parent
    if not parent.is_dir():
        raise _usage_error(f"{option} {path}: directory {parent} does not exist")


def _write_error(option: str, path: Path | None, exc: OSError) -> typer.Exit:
    return _usage_error(f"{option} {path}: cannot write: {exc.strerror or exc}")


def _write(option: str, path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise _write_error(option, path, exc) from None


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def plan_outputs(
    formats: Sequence[CheckFormat], outputs: Sequence[Path], github_actions: bool = False
) -> list[tuple[CheckFormat, Path | None]]:
    """Pair ``--format`` and ``--output`` values in order: the first ``--output`` belongs to the
    first ``--format``, and so on; formats left without an output go to standard output, at most
    one of them. Without ``--format``: ``text`` (``github`` on GitHub Actions when nothing is
    written to a file). Raises ValueError on a combination that cannot be honoured."""
    chosen = list(formats)
    if not chosen:
        if len(outputs) > 1:
            raise ValueError("several --output files need one --format each")
        chosen = [CheckFormat.github if github_actions and not outputs else CheckFormat.text]
    if len(outputs) > len(chosen):
        extra = ", ".join(str(o) for o in outputs[len(chosen) :])
        raise ValueError(f"--output {extra} has no --format of its own (pair each --output with a --format)")
    plan = [(fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(chosen)]
    to_stdout = [fmt.value for fmt, out in plan if out is None]
    if len(to_stdout) > 1:
        raise ValueError(
            f"formats {', '.join(to_stdout)} would all go to standard output; give an --output for all but one"
        )
    seen: set[str] = set()
    for _fmt, out in plan:
        if out is not None:
            key = os.path.abspath(out)
            if key in seen:
                raise ValueError(f"--output {out} is given twice")
            seen.add(key)
    return plan


# ----------------------------------------------------------------------------- check


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Cluster directories, manifests, node directories or files (a file: its cluster)."),
    ] = None,
    fmt: Annotated[
        list[CheckFormat] | None,
        typer.Option(
            "--format",
            "-f",
            envvar="LIFERAY_HA_LINT_OUTPUT_FORMAT",
            help="Output format: text, json, sarif, junit, github, gitlab, html (default: "
            "$LIFERAY_HA_LINT_OUTPUT_FORMAT, else text). Repeat it, each paired in order "
            "with an --output, for several outputs in one run; one format may go to stdout.",
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", help="Write to this file (the n-th --output takes the n-th --format)."),
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Rules to run: ids, id prefixes, names or tags.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Rules to skip (same forms as --select).")
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option("--extend-select", help="Add rules to the configured selection.")
    ] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Config file (default: found upwards from the working directory).")
    ] = None,
    baseline_file: Annotated[
        Path | None,
        typer.Option("--baseline", help="Hide the findings recorded in this baseline file; report stale entries."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="Record the current findings in this baseline file (reasons kept)."),
    ] = None,
    liferay_version: Annotated[
        str | None, typer.Option("--liferay-version", help="Liferay version of every cluster (e.g. 7.4, 6.2).")
    ] = None,
    color: Annotated[ColorMode, typer.Option("--color", help="Colour output: auto, always, never.")] = ColorMode.auto,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="One line per finding, no summary.")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Only print counts per rule.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also say which rules were skipped and why.")
    ] = False,
    sarif_all_rules: Annotated[
        bool,
        typer.Option("--sarif-all-rules", help="SARIF: describe every rule that ran, not only those with findings."),
    ] = False,
    no_inline_suppressions: Annotated[
        bool, typer.Option("--no-inline-suppressions", help="Ignore 'liferay-ha-lint: disable=' comments.")
    ] = False,
    rules_dir: Annotated[
        list[Path] | None, typer.Option("--rules-dir", help="Load an extra rule pack from this directory.")
    ] = None,
    max_file_size: Annotated[
        int | None, typer.Option("--max-file-size", help="Refuse input files larger than this many bytes.", min=1)
    ] = None,
    profile: ProfileOption = None,
    allow_outside: AllowOutsideOption = False,
) -> None:
    """Check clusters against the HA rules; exit 1 when findings reach --fail-on."""
    from linter.progress import Progress
    from linter.run import CheckRequest, RunError
    from linter.run import check as run_check

    try:
        plan = plan_outputs(fmt or [], output or [], os.environ.get("GITHUB_ACTIONS") == "true")
    except ValueError as exc:
        raise _usage_error(str(exc)) from None
    for _kind, destination in plan:
        _check_output("--output", destination)
    _check_output("--write-baseline", write_baseline)
    cfg = _load_config(config_file)
    request = CheckRequest(
        paths=list(paths or []),
        config=cfg,
        select=_split(select),
        ignore=_split(ignore) or [],
        extend_select=_split(extend_select) or [],
        liferay_version=liferay_version,
        profiles=frozenset(profile or ()),
        rules_dirs=rules_dir or [],
        max_file_size=max_file_size,
        allow_outside=allow_outside,
        inline_suppressions=not no_inline_suppressions,
        baseline=baseline_file,
        write_baseline=write_baseline,
        debug=_debugging(ctx),
        progress=not quiet,
    )
    with Progress(quiet=quiet) as shown:  # one display for reading, rules and writing; cleared before output
        try:
            result = run_check(request, shown)
        except RunError as exc:
            raise _usage_error(str(exc)) from None
        shown.phase("writing report", len(plan))
        texts: list[tuple[CheckFormat, Path | None, str]] = []
        for kind, destination in plan:
            texts.append(
                (
                    kind,
                    destination,
                    _render(kind, destination, result, color, quiet, statistics, verbose, sarif_all_rules),
                )
            )
            shown.advance()
    if result.baseline_written is not None:
        print(f"liferay-ha-lint: wrote {result.baseline_written} baseline entries to {write_baseline}", file=sys.stderr)
    for kind, destination, text in texts:
        try:
            _write_output(kind, destination, text)
        except OSError as exc:
            if destination is None:
                raise
            raise _write_error("--output", destination, exc) from None
    threshold = (fail_on.value if fail_on is not None else None) or cfg.fail_on or "error"
    raise typer.Exit(exit_code(result.report, threshold))


def _render(
    kind: CheckFormat,
    destination: Path | None,
    result: CheckResult,
    color: ColorMode,
    quiet: bool,
    statistics: bool,
    verbose: bool,
    sarif_all_rules: bool = False,
) -> str:
    """Render one output; only the chosen reporter module is imported."""
    import importlib

    from linter import __version__ as tool_version
    from linter.reporters.common import Context, Reporter, find_root

    colored, width = _color_and_width(color, destination)
    ctx = Context(
        tool_version=tool_version,
        rules=result.rules,
        selected=result.selected,
        root=find_root(Path.cwd()),
        cwd=Path.cwd(),
        baseline=result.outcome,
        clusters=result.clusters,
        sarif_all_rules=sarif_all_rules,
        quiet=quiet,
        statistics=statistics,
        verbose=verbose,
        color=colored,
        width=width,
    )
    module = f"linter.reporters.{REPORTER_MODULES.get(kind.value, kind.value)}"
    reporter = cast("Reporter", importlib.import_module(module))
    return reporter.render(result.report, ctx)


def _write_output(kind: CheckFormat, destination: Path | None, text: str) -> None:
    if destination is not None:
        destination.write_text(text, encoding="utf-8", errors="backslashreplace")
    else:
        if kind is CheckFormat.text and os.environ.get("GITHUB_ACTIONS") == "true":
            text = _without_workflow_commands(text)
        sys.stdout.write(text)


def _without_workflow_commands(text: str) -> str:
    """Text output in a GitHub Actions log, between ``::stop-commands::`` and a random token that
    input cannot know, so that no line of it (a long value that wraps included) is read as a
    workflow command."""
    token = os.urandom(16).hex()
    return f"::stop-commands::{token}\n{text}::{token}::\n"


def _color_and_width(color: ColorMode, destination: Path | None) -> tuple[bool, int | None]:
    """Whether text output is coloured, and how wide: a file gets 200 columns and no colour; the
    terminal its own width, colour unless ``--color never`` or ``NO_COLOR`` (``FORCE_COLOR`` and
    ``--color always`` force it); a pipe ``COLUMNS`` or 160 columns."""
    if destination is not None:
        return False, 200
    force: bool | None = None
    if color is ColorMode.always:
        force = True
    elif color is ColorMode.never or os.environ.get("NO_COLOR"):
        force = False
    elif os.environ.get("FORCE_COLOR"):
        force = True
    tty = sys.stdout.isatty()
    if tty:
        import shutil

        width = shutil.get_terminal_size().columns
    else:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() else 160
    return (force if force is not None else tty), width


def exit_code(report: object, threshold: str) -> int:
    """0 when nothing reaches the threshold, 1 otherwise (``never`` always gives 0); a rule that
    crashed (HA009) fails the run whatever its configured severity."""
    from linter.diagnostics import Report, Severity
    from linter.engine import INTERNAL_ERROR

    assert isinstance(report, Report)
    if threshold == "never":
        return EXIT_OK
    bar = Severity(threshold).rank
    failed = any(d.severity.rank >= bar or d.rule == INTERNAL_ERROR for d in report.diagnostics)
    return EXIT_FINDINGS if failed else EXIT_OK


class RulesFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("rules")
def rules_command(
    fmt: Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")] = RulesFormat.text,
    rules_dir: Annotated[list[Path] | None, typer.Option("--rules-dir", help="Also list an extra rule pack.")] = None,
    wanted: Annotated[
        str | None, typer.Argument(metavar="[FILTER]", help="Only rules with this id prefix (HA1), tag or name.")
    ] = None,
) -> None:
    """List the rules with their id, name, severity, scope, versions and tags."""
    from linter import explain
    from linter.pack import PackError, load_rules

    try:
        rules = load_rules(extra_dirs=rules_dir or [])
    except PackError as exc:
        raise _usage_error(str(exc)) from None
    if wanted:
        rules = explain.select_rules(rules, wanted)
        if not rules:
            raise _usage_error(f"no rule has the id prefix, tag or name {wanted!r}")
    sys.stdout.write(explain.rules_json(rules) if fmt is RulesFormat.json else explain.rules_table(rules, _width()))


@app.command("explain")
def explain_command(
    rule_ref: Annotated[
        str, typer.Argument(metavar="RULE", help="Rule id or name, e.g. HA101 or cluster-link-disabled.")
    ],
    rules_dir: Annotated[list[Path] | None, typer.Option("--rules-dir", help="Also search an extra rule pack.")] = None,
    config_file: Annotated[
        Path | None,
        typer.Option("--config", help="Config file, for its secret-keys (default: found upwards from here)."),
    ] = None,
    long: Annotated[bool, typer.Option("--long", help="Show every example in full.")] = False,
) -> None:
    """Explain a rule (or list the rules of a tag or id prefix): why, fix, sources, an example."""
    from linter import explain
    from linter.pack import PackError, load_rules

    _load_config(config_file)
    try:
        rules = load_rules(extra_dirs=rules_dir or [])
    except PackError as exc:
        raise _usage_error(str(exc)) from None
    wanted = rule_ref.strip()
    match = [r for r in rules if wanted.upper() == r.id or wanted in (r.name, *r.aliases)]
    if not match:
        group = explain.select_rules(rules, wanted)
        if group:  # a tag (cluster-link) or an id prefix (HA1): the rules it names
            sys.stdout.write(f"Rules for {wanted!r} (explain RULE for one):\n" + explain.rules_table(group, _width()))
            return
        raise _usage_error(f"unknown rule {rule_ref!r}; run `liferay-ha-lint rules` for the list")
    sys.stdout.write(explain.explain(match[0], long=long, width=min(_width() or 88, 100)))


def _width() -> int | None:
    """The terminal's width (COLUMNS honoured), or None when output is not a terminal."""
    import shutil

    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        return None
    return shutil.get_terminal_size((100, 24)).columns


@app.command("version")
def version_command() -> None:
    """Print the version (as --version does)."""
    print(f"liferay-ha-lint {__version__}")


_COMMANDS: dict[str, Callable[..., None]] = {
    "show": show,
    "check": check,
    "rules": rules_command,
    "explain": explain_command,
    "version": version_command,
}


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app restricted to the invoked command: typer inspects every registered command's
    signature on each run (~5 ms each), so a run builds only the one it needs. Help and version
    requests without a command get the full app."""
    name = next((a for a in args if not a.startswith("-")), None)
    if name not in _COMMANDS:
        return app
    single = typer.Typer(**_APP_SETTINGS)  # type: ignore[arg-type]
    single.callback()(_root)
    single.command(name)(_COMMANDS[name])
    return single


def _take_debug(args: list[str]) -> tuple[bool, list[str]]:
    """Whether ``--debug`` is given anywhere before ``--``, and the arguments with it moved to the
    front, where the callback (the group) parses it."""
    end = args.index("--") if "--" in args else len(args)
    if DEBUG_FLAG not in args[:end]:
        return False, args
    rest = [a for a in args[:end] if a != DEBUG_FLAG] + args[end:]
    return True, [DEBUG_FLAG, *rest]


def _crash_summary(exc: BaseException) -> str:
    """One line naming an unexpected exception and where it was raised. Not its message: that may
    quote input, secrets included (``--debug`` prints everything)."""
    if isinstance(exc, OSError) and (exc.strerror or exc.filename):
        return f"{exc.strerror or type(exc).__name__}" + (f": {exc.filename}" if exc.filename else "")
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    top = Path(__file__).resolve().parent.parent
    roots = (top / "linter", top / "rules")  # the innermost frame of ours names the culprit best
    where = ""
    if frames:
        frame = next(
            (f for f in reversed(frames) if any(Path(f.filename).resolve().is_relative_to(r) for r in roots)),
            frames[-1],
        )
        shown = Path(frame.filename)
        with contextlib.suppress(ValueError):
            shown = shown.resolve().relative_to(top)
        where = f" in {frame.name} ({shown.as_posix()}:{frame.lineno})"
    return f"{type(exc).__name__}{where}"


def _internal_error(exc: BaseException, debug: bool) -> int:
    """An exception nothing expected: one line and exit 2, the traceback first with ``--debug``."""
    if debug:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    hint = "" if debug else f" (rerun with {DEBUG_FLAG} for the traceback)"
    print(f"liferay-ha-lint: error: internal error: {_one_line(_crash_summary(exc))}{hint}", file=sys.stderr)
    return EXIT_USAGE


def _run(args: list[str], debug: bool) -> int:
    try:
        result = _app_for(args)(args=args, prog_name="liferay-ha-lint", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_OK
    except BrokenPipeError:
        return EXIT_OK  # output piped into head(1) and closed: not an error of ours
    except Exception as exc:
        # typer vendors click: its usage errors carry format_message() and exit_code
        name = type(exc).__name__
        if name == "Abort":
            return 130
        if name == "NoArgsIsHelpError":  # no arguments at all: the help text
            exc.show()  # type: ignore[attr-defined]
            return EXIT_USAGE
        message = getattr(exc, "format_message", None)
        if callable(message) and hasattr(exc, "exit_code"):
            context = getattr(exc, "ctx", None)
            command = getattr(context, "command_path", None) or "liferay-ha-lint"
            print(
                f"liferay-ha-lint: error: {_one_line(str(message()))} (see '{command} --help')",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return _internal_error(exc, debug)
    return result if isinstance(result, int) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of exiting. Nothing escapes as a traceback: an
    unexpected exception is one line on stderr and exit 2 (``--debug``: the traceback too)."""
    debug, args = _take_debug(list(sys.argv[1:] if argv is None else argv))
    for before, arg in zip(["", *args], args, strict=False):
        if arg == "" and not before.startswith("-"):  # "$DIR" unset in a script: never audit "." instead
            print("liferay-ha-lint: error: an empty path was given (an unset variable?)", file=sys.stderr)
            return EXIT_USAGE
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if callable(reconfigure):  # lone surrogates or odd bytes in configs must not crash the output
            reconfigure(errors="backslashreplace")
    try:
        with _relaxed_gc(), path_cache():
            return _run(args, debug)
    finally:
        from linter.redact import reset_secret_keys

        reset_secret_keys()  # the configured secret keys belong to this run only
        # XML trees and models shared between nodes belong to this run only (looked up, not
        # imported: a run that read no XML never loads lxml)
        xml, references = sys.modules.get("linter.sources.xml_safe"), sys.modules.get("linter.load.references")
        if xml is not None:
            xml.forget_documents()
        if references is not None:
            references.forget_models()
