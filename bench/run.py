#!/usr/bin/env python3
"""Benchmark runner: issue 19's budgets, measured as ratios in one run of interleaved rounds.

This machine is shared and noisy, so only ratios measured in the same run mean anything: every
command runs as a whole process (interpreter start, imports and all), the commands of one round
run one after another, rounds repeat ``--runs`` times (default 5), and the figures are medians
of the wall-clock times (CPU times, user + system, beside them). Synthetic clusters are generated
with ``bench/generate.py`` into a temporary directory outside the repository: 3 nodes clean and
3 nodes with findings (the pre-commit path), 100 and 1,000 nodes with findings.

Each round runs:

- the raw floor (``bench/raw_floor.py``: walk the 1,000-node tree, read every file, a minimal
  properties line scan, ``lxml.etree.fromstring`` of each XML, nothing of the linter);
- ``cat`` of every file of that tree (``find -exec cat``, reference);
- ``bench/parse_only.py``, the project's own readers on every file (reference);
- ``check --format json`` and ``show`` on 1,000 nodes, ``check --format json`` on 100 nodes;
- the pre-commit path: ``check FILE`` as the hook runs it (one changed file, relative to the
  repository holding the cluster, output to a pipe) on the clean 3-node cluster (prints one
  line) and on the 3-node cluster with findings (prints them);
- ``python -c pass``.

Budgets (issue 19; each printed with its measured figure and PASS or FAIL):

- ``check --format json`` on 1,000 nodes: at most 5x the raw floor;
- ``show`` on 1,000 nodes: at most 5x the raw floor;
- pre-commit path, clean: at most 9x ``python -c pass``; with findings printed: at most 12x;
- peak RSS of the 1,000-node check: at most 120 MB;
- scaling: check on 1,000 nodes at most 1.1 x (1,000 / 100) = 11x check on 100 nodes.

After the rounds, ``check`` and ``show`` on 1,000 nodes run once more (``--terminal-rounds``)
with standard error on a pseudo-terminal, as an administrator runs them: the report gives the
time to the first output (progress or result) and the longest stretch without any output
(issue 19, part 5: the progress display should cover the whole run). No budget is set on these.

Usage: ``python bench/run.py [--runs 5] [--quick] [--sizes 3,100,1000] [--keep DIR]
[--json FILE|-] [--strict] [--only startup] [--terminal-rounds 1]``. ``--quick`` runs the
1,000-node commands of the linter twice and everything else ``--runs`` times; ``--only startup``
measures the pre-commit path alone; ``--keep DIR`` generates the clusters there (and reuses
them); ``--json -`` prints the figures as JSON on standard output and the report on standard
error. The exit status is 0 whatever the verdicts, unless ``--strict`` (then 1 on any FAIL).
Run it from a checkout: it measures the ``linter`` package next to this file (PYTHONPATH), with
the interpreter that runs it.
"""

from __future__ import annotations

import argparse
import datetime
import fcntl
import itertools
import json
import os
import platform
import pty
import selectors
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # type: ignore[import-not-found,unused-ignore]  # noqa: E402

AUDIT_BUDGET = 5.0  # check on the large cluster / raw floor
SHOW_BUDGET = 5.0  # show on the large cluster / raw floor
PRECOMMIT_BUDGET = 9.0  # clean pre-commit path / python -c pass
FINDINGS_BUDGET = 12.0  # pre-commit path with findings printed / python -c pass
RSS_BUDGET_MB = 120.0  # peak RSS of check on the large cluster
LINEAR_SLACK = 1.1  # scaling budget: 1.1 x the ratio of the sizes (11x for 100 -> 1,000 nodes)

# Checkouts write .pyc files like installed packages have them: without this every run would pay
# for compiling the sources (PYTHONDONTWRITEBYTECODE is set on some machines). The linter comes
# from this checkout whatever is installed.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
ENV["PYTHONPATH"] = str(REPO)
ENV.pop("GITHUB_ACTIONS", None)  # text output, as on a developer's machine
ENV.pop("LIFERAY_HA_LINT_OUTPUT_FORMAT", None)


@dataclass
class Run:
    """One whole-process run: its times, memory and what it printed when."""

    wall: float
    cpu: float
    rss_kb: int
    stdout_bytes: int
    first_output: float | None  # seconds from start to the first byte on stdout or the terminal
    longest_silence: float  # the longest stretch without any output (start and end included)
    figures: dict[str, Any] | None  # the JSON line a helper script prints


@dataclass
class Command:
    key: str
    label: str
    argv: list[str]
    cwd: Path
    figures: bool = False  # the last line of stdout is JSON (the helper scripts)
    heavy: bool = False  # --quick runs it twice only
    runs: list[Run] = field(default_factory=list)

    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    def peak_mb(self) -> float:
        return max(r.rss_kb for r in self.runs) / 1024


@dataclass
class Budget:
    name: str
    figure: float
    budget: float
    unit: str  # "x" (a ratio of wall-clock medians) or "MB"
    cpu_ratio: float | None = None
    detail: str = ""

    @property
    def verdict(self) -> str:
        return "PASS" if self.figure <= self.budget else "FAIL"


def linter_command() -> list[str]:
    """What pre-commit runs (the console script's body: ``from linter.cli import main``), with
    this interpreter; the package comes from this checkout through PYTHONPATH."""
    return [sys.executable, "-c", "import sys; from linter.cli import main; sys.exit(main())"]


def run_once(command: Command, terminal: bool = False) -> Run:
    """Run the command to its end, reading its output as it comes; with ``terminal``, standard
    error is a pseudo-terminal (120 x 40), so the linter draws its progress there."""
    master = slave = -1
    if terminal:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        command.argv,
        cwd=command.cwd,
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave if terminal else subprocess.DEVNULL,
    )
    if terminal:
        os.close(slave)
    assert proc.stdout is not None
    chunks: list[bytes] = []
    stamps: list[float] = []
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout.fileno(), selectors.EVENT_READ, "stdout")
        if terminal:
            selector.register(master, selectors.EVENT_READ, "terminal")
        while selector.get_map():
            for key, _events in selector.select():
                try:
                    data = os.read(key.fd, 65536)
                except OSError:  # EIO: the terminal's other side is closed
                    data = b""
                if not data:
                    selector.unregister(key.fd)
                    continue
                stamps.append(time.perf_counter() - start)
                if key.data == "stdout":
                    chunks.append(data)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.stdout.close()
    if terminal:
        os.close(master)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"bench: {' '.join(command.argv)} exited with {code}")
    out = b"".join(chunks)
    marks = [0.0, *stamps, wall]
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_kb=usage.ru_maxrss,  # kilobytes on Linux
        stdout_bytes=len(out),
        first_output=stamps[0] if stamps else None,
        longest_silence=max(b - a for a, b in itertools.pairwise(marks)),
        figures=json.loads(out.decode().strip().splitlines()[-1]) if command.figures else None,
    )


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> dict[str, Any]:
    return {
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cores": os.cpu_count() or 0,
        "cpu": cpu_model(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def commit() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def cluster(base: Path, name: str, nodes: int, clean: bool = False) -> Path:
    target = base / name
    if not (target / "liferay-ha.toml").is_file():
        shutil.rmtree(target, ignore_errors=True)
        generate.generate(target, nodes, clean=clean)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds (medians are taken over them)")
    parser.add_argument("--quick", action="store_true", help="two rounds for the linter's large-cluster commands")
    parser.add_argument("--sizes", default="3,100,1000", help="cluster sizes: pre-commit,scaling,large")
    parser.add_argument("--only", choices=("all", "startup"), default="all")
    parser.add_argument("--keep", type=Path, help="generate the clusters here and keep them")
    parser.add_argument("--json", help="also write the figures as JSON to this file ('-': standard output)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget fails")
    parser.add_argument(
        "--terminal-rounds", type=int, default=1, help="runs of check and show with a terminal (0: none)"
    )
    args = parser.parse_args(argv)
    small, medium, large = (int(x) for x in args.sizes.split(","))
    out: TextIO = sys.stderr if args.json == "-" else sys.stdout

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    base = args.keep or Path(tempfile.mkdtemp(prefix="liferay-ha-bench-"))
    if base.resolve().is_relative_to(REPO):
        raise SystemExit("bench: generate the clusters outside the repository")
    started = datetime.datetime.now().astimezone()
    box = machine()
    head = commit()
    say(f"liferay-ha-lint benchmark, {started:%Y-%m-%d %H:%M %Z}, commit {head}")
    say(
        f"machine: {box['cores']} cores, {box['cpu']}, {box['system']}, {box['python']}, "
        f"load average {', '.join(str(x) for x in box['load_average'])}"
    )
    say(f"clusters in {base}")

    lint = linter_command()
    changed = str(generate.node_name(0, small) / generate.PORTAL_EXT)  # relative, as pre-commit passes it
    commands = [
        Command("pre", f"pre-commit: check FILE, {small} nodes clean", [*lint, "check", changed],
                cluster(base, f"n{small}-clean", small, clean=True)),
        Command("findings", f"pre-commit: check FILE, {small} nodes, findings", [*lint, "check", changed],
                cluster(base, f"n{small}", small)),
        Command("pass", "python -c pass", [sys.executable, "-c", "pass"], base),
    ]  # fmt: skip
    if args.only == "all":
        big, mid = cluster(base, f"n{large}", large), cluster(base, f"n{medium}", medium)
        raw_cmd = [sys.executable, str(HERE / "raw_floor.py"), "--json", str(big)]
        cat = ["sh", "-c", 'find "$1" -type f -exec cat -- {} + >/dev/null', "sh", str(big)]
        commands = [
            Command("raw", f"raw floor, {large} nodes", raw_cmd, base, figures=True),
            Command("cat", f"cat every file, {large} nodes", cat, base),
            Command("parse", f"parse_only.py, {large} nodes", [sys.executable, str(HERE / "parse_only.py"), "--json",
                    str(big)], base, figures=True, heavy=True),
            Command("check", f"check --format json, {large} nodes", [*lint, "check", "--format", "json", str(big)],
                    base, heavy=True),
            Command("show", f"show, {large} nodes", [*lint, "show", str(big)], base, heavy=True),
            Command("scale", f"check --format json, {medium} nodes", [*lint, "check", "--format", "json", str(mid)],
                    base),
            *commands,
        ]  # fmt: skip
    by_key = {c.key: c for c in commands}

    for command in commands:  # warm-up: file cache, .pyc files (the large runs come after the small ones)
        if not command.heavy:
            run_once(command)
    for round_no in range(args.runs):
        for command in commands:
            if args.quick and command.heavy and round_no >= 2:
                continue
            command.runs.append(run_once(command))
    terminal: list[tuple[Command, list[Run]]] = []
    if args.only == "all":
        for key in ("check", "show"):
            terminal.append((by_key[key], [run_once(by_key[key], terminal=True) for _ in range(args.terminal_rounds)]))

    base_wall = by_key["pass"].wall()
    floor = by_key["raw"].wall() if "raw" in by_key else None
    say()
    say(
        f"{'command':<44} {'runs':>4} {'median s':>9} {'min s':>8} {'cpu s':>8} {'x pass':>7} "
        f"{'x floor':>7} {'peak MB':>8}"
    )
    for c in commands:
        x_floor = f"{c.wall() / floor:>7.2f}" if floor else f"{'':>7}"
        say(
            f"{c.label:<44} {len(c.runs):>4} {c.wall():>9.3f} {min(r.wall for r in c.runs):>8.3f} {c.cpu():>8.3f} "
            f"{c.wall() / base_wall:>7.1f} {x_floor} {c.peak_mb():>8.1f}"
        )

    def ratio(name: str, a: str, b: str, budget: float) -> Budget:
        return Budget(
            name,
            by_key[a].wall() / by_key[b].wall(),
            budget,
            "x",
            by_key[a].cpu() / by_key[b].cpu(),
            f"{by_key[a].wall():.3f} s / {by_key[b].wall():.3f} s",
        )

    budgets: list[Budget] = []
    if args.only == "all":
        budgets += [
            ratio(f"check --format json, {large} nodes / raw floor", "check", "raw", AUDIT_BUDGET),
            ratio(f"show, {large} nodes / raw floor", "show", "raw", SHOW_BUDGET),
        ]
    budgets += [
        ratio(f"pre-commit clean, {small} nodes / python -c pass", "pre", "pass", PRECOMMIT_BUDGET),
        ratio(f"pre-commit with findings, {small} nodes / python -c pass", "findings", "pass", FINDINGS_BUDGET),
    ]
    if args.only == "all":
        peak = by_key["check"].peak_mb()
        budgets.append(Budget(f"peak RSS of check, {large} nodes", peak, RSS_BUDGET_MB, "MB"))
        budgets.append(
            ratio(f"scaling: check, {large} / {medium} nodes", "check", "scale", LINEAR_SLACK * large / medium)
        )
    say()
    say(f"{'budget (issue 19)':<56} {'measured':>9} {'cpu':>7} {'budget':>8}  verdict (wall-clock medians)")
    for b in budgets:
        cpu = f"{b.cpu_ratio:.2f}x" if b.cpu_ratio is not None else ""
        measured, limit = (
            (f"{b.figure:.2f}x", f"{b.budget:.1f}x") if b.unit == "x" else (f"{b.figure:.0f} MB", f"{b.budget:.0f} MB")
        )
        say(f"{b.name:<56} {measured:>9} {cpu:>7} {limit:>8}  {b.verdict}")

    if args.only == "all":

        def in_process(key: str) -> float:
            return statistics.median(float(r.figures["seconds"]) for r in by_key[key].runs if r.figures)

        raw = by_key["raw"].runs[-1].figures or {}
        parse = by_key["parse"].runs[-1].figures or {}
        say()
        say(
            f"raw floor read {raw.get('files')} files ({raw.get('bytes')} bytes): {raw.get('properties_entries')} "
            f"properties entries in {raw.get('properties_files')} files, {raw.get('xml_files')} XML documents; "
            f"in-process {in_process('raw'):.3f} s"
        )
        say(
            f"parse_only.py parsed {parse.get('files')} files with the linter's readers; in-process "
            f"{in_process('parse'):.3f} s "
            f"({by_key['parse'].wall() / by_key['raw'].wall():.1f}x the raw floor as whole processes)"
        )
        say()
        say(f"with a terminal on standard error (progress), {args.terminal_rounds} run(s) each, no budget:")
        for c, runs in terminal:
            if runs:
                first = statistics.median(r.first_output if r.first_output is not None else r.wall for r in runs)
                silence = statistics.median(r.longest_silence for r in runs)
                wall = statistics.median(r.wall for r in runs)
                say(
                    f"  {c.label:<42} first output {first:6.2f} s, longest silence {silence:6.2f} s, "
                    f"total {wall:6.2f} s"
                )
    ended = datetime.datetime.now().astimezone()
    say(f"\nfinished {ended:%H:%M}; load average now {os.getloadavg()[0]:.2f}")

    failed = [b for b in budgets if b.verdict == "FAIL"]
    if args.json is not None:
        results = {
            "date": started.isoformat(timespec="seconds"),
            "finished": ended.isoformat(timespec="seconds"),
            "machine": box,
            "commit": head,
            "rounds": args.runs,
            "quick": args.quick,
            "sizes": {"pre-commit": small, "scaling": medium, "large": large},
            "commands": {
                c.key: {
                    "label": c.label,
                    "runs": len(c.runs),
                    "median_wall": c.wall(),
                    "min_wall": min(r.wall for r in c.runs),
                    "median_cpu": c.cpu(),
                    "peak_rss_mb": c.peak_mb(),
                    "wall": [r.wall for r in c.runs],
                    "cpu": [r.cpu for r in c.runs],
                    "rss_kb": [r.rss_kb for r in c.runs],
                    "stdout_bytes": c.runs[-1].stdout_bytes,
                    "figures": c.runs[-1].figures,
                }
                for c in commands
            },
            "budgets": [
                {
                    "name": b.name,
                    "measured": b.figure,
                    "cpu_ratio": b.cpu_ratio,
                    "budget": b.budget,
                    "unit": b.unit,
                    "verdict": b.verdict,
                    "detail": b.detail,
                }
                for b in budgets
            ],
            "terminal": {
                c.key: [
                    {"wall": r.wall, "first_output": r.first_output, "longest_silence": r.longest_silence} for r in runs
                ]
                for c, runs in terminal
            },
            "all_pass": not failed,
        }
        text = json.dumps(results, indent=2)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
