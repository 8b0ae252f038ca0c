"""One ``check`` run, without the command line: config and rule packs -> discovery -> loading ->
engine -> baseline. The CLI parses options into a ``CheckRequest``, calls ``check`` and renders the
``CheckResult``; a ``RunError`` is a usage or configuration error (exit 2, one line)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from linter import config as config_mod
from linter.config import Config
from linter.diagnostics import Report
from linter.engine import Engine, RunSettings
from linter.liferay.versions import parse_version
from linter.load.discovery import discover, discover_files, is_deployment_file
from linter.model import Cluster
from linter.pack import PackError, load_rules
from linter.progress import Progress, load_all
from linter.ruleapi import Rule
from linter.select import SelectionError, resolve_selector
from linter.sources.files import DEFAULT_MAX_FILE_SIZE, DigestBudget, DiskLines, Limits, audit_roots
from linter.sources.input_names import CONFIG_KINDS, is_config_name

if TYPE_CHECKING:
    from linter.baseline import Baseline, Outcome


class RunError(Exception):
    """A usage or configuration error: the message is the whole story (exit 2)."""


@dataclass(frozen=True)
class CheckRequest:
    paths: Sequence[Path] = ()
    config: Config = field(default_factory=Config)
    select: Sequence[str] | None = None  # from the command line; None: the config's selection
    ignore: Sequence[str] = ()
    extend_select: Sequence[str] = ()
    liferay_version: str | None = None
    profiles: frozenset[str] = frozenset()  # compose profiles to activate
    rules_dirs: Sequence[Path] = ()
    max_file_size: int | None = None
    allow_outside: bool = False  # a manifest may name node directories and env files outside its directory
    inline_suppressions: bool = True
    baseline: Path | None = None
    write_baseline: Path | None = None
    debug: bool = False
    progress: bool = True  # a progress bar on a terminal for large audits (never with -q)


@dataclass(frozen=True)
class CheckResult:
    report: Report
    rules: tuple[Rule, ...]
    selected: frozenset[str]
    outcome: Outcome | None
    clusters: tuple[Cluster, ...]
    baseline_written: int | None = None  # entries written to --write-baseline


def prepare(request: CheckRequest) -> tuple[Engine, list[Rule]]:
    """The rules and the engine for a request, every selector and option validated (RunError)."""
    cfg = request.config
    version = request.liferay_version or cfg.liferay_version
    if version is not None and parse_version(version) is None:
        raise RunError(f"--liferay-version: unknown Liferay version {version!r}")
    try:
        rules = load_rules(extra_dirs=list(request.rules_dirs))
        config_mod.validate_against_rules(cfg, rules)
        for token in [*(request.select or []), *request.ignore, *request.extend_select]:
            resolve_selector(token, rules)
        settings = RunSettings(
            select=request.select if request.select is not None else cfg.select,
            ignore=[*cfg.ignore, *request.ignore] if request.select is None else list(request.ignore),
            extend_select=[*cfg.extend_select, *request.extend_select],
            extend_ignore=list(cfg.extend_ignore),
            severity=cfg.severity,
            options=cfg.options,
            per_path_ignores=cfg.per_path_ignores,
            inline_suppressions=cfg.inline_suppressions and request.inline_suppressions,
            debug=request.debug,
        )
        return Engine(rules, settings), rules
    except (PackError, config_mod.ConfigError, SelectionError, ValueError) as exc:
        raise RunError(str(exc)) from None


def _previous_baseline(request: CheckRequest, rules: Sequence[Rule]) -> Baseline | None:
    if request.baseline is None and request.write_baseline is None:
        return None
    from linter import baseline as baseline_mod

    try:
        if request.baseline is not None:
            return baseline_mod.load(request.baseline, rules)
        if request.write_baseline is not None and request.write_baseline.exists():
            return baseline_mod.load(request.write_baseline, rules)  # keeps reasons and unjudged entries
    except baseline_mod.BaselineError as exc:
        raise RunError(str(exc)) from None
    return None


def check_inputs(paths: Sequence[Path], where: str = "") -> None:
    """A path to check that does not exist or cannot be read is a usage error (exit 2); what cannot
    be read inside it is a finding (HA001, exit 1). ``where`` prefixes the message (a config file)."""
    for path in paths:
        if not os.path.exists(path):
            why = "dangling symbolic link" if os.path.islink(path) else "no such file or directory"
            raise RunError(f"{where}{path}: {why}")
        if not os.access(path, os.R_OK | (os.X_OK if os.path.isdir(path) else 0)):
            raise RunError(f"{where}{path}: permission denied")
        mode = os.stat(path).st_mode
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            raise RunError(f"{where}{path}: not a regular file or directory (a FIFO, device or socket); not read")


def check(request: CheckRequest, shown: Progress | None = None) -> CheckResult:
    """Run one check. The paths must exist (the CLI says so first); RunError for usage errors.
    ``shown``: the progress display the caller keeps open after the run (to write the report);
    without it the run has its own, closed when it returns."""
    if shown is not None:
        return _check(request, shown)
    with Progress(quiet=not request.progress) as own:
        return _check(request, own)


def _check(request: CheckRequest, bar: Progress) -> CheckResult:

    engine, rules = prepare(request)
    previous = _previous_baseline(request, rules)
    cfg = request.config
    version = request.liferay_version or cfg.liferay_version
    given = list(request.paths)
    # no paths: the config's clusters, else the current directory (as ruff checks ".")
    targets = given or [Path(p) for p in cfg.clusters] or [Path(".")]
    check_inputs(targets, "" if given or cfg.path is None else f"{cfg.path}: clusters: ")
    file_mode = bool(given) and all(p.is_file() and not is_deployment_file(p) for p in given)
    if file_mode:
        for path in given:
            if not is_config_name(path):
                raise RunError(f"{path}: not a Liferay configuration file (expected {CONFIG_KINDS}, or a directory)")
    max_file_size = request.max_file_size or cfg.max_file_size or DEFAULT_MAX_FILE_SIZE
    limits = Limits(max_file_size=max_file_size, digests=DigestBudget())  # one hashing budget for the run
    skipped: list[Path] = []
    if file_mode:
        found, skipped = discover_files(given, cfg.clusters, version, request.allow_outside, request.profiles)
    else:
        found = discover(targets, version, limits, request.allow_outside, request.profiles)
    if found.refused:
        raise RunError("; ".join(found.refused))
    bar.start(found.clusters)
    clusters = load_all(found.clusters, limits, version, bar)
    bar.phase("running rules", len(engine.selected) * len(clusters))
    problem_files = DiskLines({p.origin.file for p in found.problems}, limits._replace(roots=audit_roots(targets)))
    notes = list(found.notes)
    if file_mode:
        notes += [f"{f}: in no cluster (no node directory or manifest above it); not checked" for f in skipped]
    report = engine.run(clusters, found.problems, problem_files, notes, on_rule=bar.advance)
    selected = frozenset(engine.selected_ids)
    written = None
    if request.write_baseline is not None:
        from linter import baseline as baseline_mod

        entries = baseline_mod.build(report, previous, selected, rules)
        try:
            baseline_mod.write(request.write_baseline, entries)
        except OSError as exc:
            raise RunError(f"cannot write baseline {request.write_baseline}: {exc.strerror or exc}") from None
        written = len(entries)
        previous = baseline_mod.Baseline(str(request.write_baseline), entries)
    outcome = None
    if previous is not None:
        from linter import baseline as baseline_mod

        outcome = baseline_mod.apply(report, previous, selected, rules)
        report = outcome.report
    return CheckResult(report, tuple(rules), selected, outcome, tuple(clusters), written)
