#!/usr/bin/env python3
"""Benchmark runner: the pre-commit path, the 1,000-node audit, scaling and memory, as ratios.

This machine is shared and noisy, so only ratios measured in the same run mean anything: every
command runs as a whole process, the commands of one round run one after another, rounds repeat
``--runs`` times, and the table shows medians (and the minimum) of the wall-clock and CPU
(user + system) times. Synthetic clusters of 3, 100 and 1,000 nodes are generated with
``bench/generate.py`` into a temporary directory outside the repository.

Budgets (each printed as measured, PASS or FAIL):

- pre-commit path: ``liferay-ha-lint check`` as the pre-commit hook runs it (the changed file of
  a 3-node cluster as its argument) against ``python -c pass``: at most 8x;
- 1,000-node audit against the parse-only floor (``bench/parse_only.py``: the same files read
  and parsed with the same readers and nothing else), whole process against whole process: at
  most 1.5x;
- linear scaling: check on 1,000 nodes against check on 100 nodes: at most 11x;
- memory: peak RSS of the 1,000-node check: at most 300 MB.

Usage: ``python bench/run.py [--runs 5] [--quick] [--sizes 3,100,1000] [--keep DIR]``.
``--quick`` runs the 1,000-node commands twice and everything else five times; ``--only
startup`` measures the pre-commit path alone (what ``bench/startup.sh`` used to do).
Run it from a checkout: it measures the ``linter`` package next to this file (PYTHONPATH), with
the interpreter that runs it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # type: ignore[import-not-found,unused-ignore]  # noqa: E402

PRECOMMIT_BUDGET = 8.0
AUDIT_BUDGET = 1.5
SCALING_BUDGET = 11.0
RSS_BUDGET_MB = 300.0

# Checkouts write .pyc files like installed packages have them: without this every run would pay
# for compiling the sources (PYTHONDONTWRITEBYTECODE is set on some machines). The linter comes
# from this checkout whatever is installed.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
ENV["PYTHONPATH"] = str(REPO)
ENV.pop("GITHUB_ACTIONS", None)  # text output, as on a developer's machine


@dataclass
class Sample:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    extra: list[dict[str, object]] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(self.wall)

    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def linter_command() -> list[str]:
    """What pre-commit runs (the console script's body: ``from linter.cli import main``), with
    this interpreter; the package comes from this checkout through PYTHONPATH."""
    return [sys.executable, "-c", "import sys; from linter.cli import main; sys.exit(main())"]


def run_once(cmd: list[str], cwd: Path, sample: Sample, capture: bool = False) -> None:
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out = proc.stdout.read() if capture and proc.stdout is not None else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(cmd)} exited with {proc.returncode}")
    sample.wall.append(wall)
    sample.cpu.append(usage.ru_utime + usage.ru_stime)
    sample.rss_kb.append(usage.ru_maxrss)  # kilobytes on Linux
    if capture:
        sample.extra.append(json.loads(out.decode().strip().splitlines()[-1]))


def machine() -> str:
    cpus = os.cpu_count() or 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}, "
        f"load average {load}"
    )


def verdict(value: float, budget: float) -> str:
    return "PASS" if value <= budget else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (medians are taken over them)")
    parser.add_argument("--quick", action="store_true", help="two rounds for the 1,000-node commands")
    parser.add_argument("--sizes", default="3,100,1000", help="cluster sizes: small,medium,large")
    parser.add_argument("--only", choices=("all", "startup"), default="all")
    parser.add_argument("--keep", type=Path, help="generate the clusters here and keep them")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    small, medium, large = (int(x) for x in args.sizes.split(","))

    base = args.keep or Path(tempfile.mkdtemp(prefix="liferay-ha-bench-"))
    if base.resolve().is_relative_to(REPO):
        raise SystemExit("bench: generate the clusters outside the repository")
    started = datetime.datetime.now().astimezone()
    print(f"liferay-ha-lint benchmark, {started:%Y-%m-%d %H:%M %Z}; {machine()}")
    print(f"clusters in {base}")
    dirs: dict[int, Path] = {}
    sizes = (small,) if args.only == "startup" else (small, medium, large)
    for n in sizes:
        target = base / f"n{n}"
        if not (target / "liferay-ha.toml").is_file():
            shutil.rmtree(target, ignore_errors=True)
            generate.generate(target, n)
        dirs[n] = target

    lint = linter_command()
    changed = dirs[small] / generate.node_name(0, small) / generate.PORTAL_EXT
    names = {
        "pass": "python -c pass",
        "pre": f"check FILE ({small} nodes, pre-commit)",
        "small": f"check -q DIR ({small} nodes)",
        "floor": f"parse-only floor ({large} nodes)",
        "medium": f"check DIR ({medium} nodes)",
        "large": f"check DIR ({large} nodes)",
    }
    commands: dict[str, tuple[list[str], Path, bool]] = {
        "pass": ([sys.executable, "-c", "pass"], base, False),
        "pre": ([*lint, "check", str(changed)], dirs[small], False),
        "small": ([*lint, "check", "-q", str(dirs[small])], base, False),
    }
    if args.only == "all":
        floor_cmd = [sys.executable, str(HERE / "parse_only.py"), "--json", str(dirs[large])]
        commands["floor"] = (floor_cmd, base, True)
        commands["medium"] = ([*lint, "check", str(dirs[medium])], base, False)
        commands["large"] = ([*lint, "check", str(dirs[large])], base, False)
    big_ones = {"floor", "large"}
    samples = {key: Sample() for key in commands}
    for key, (cmd, cwd, capture) in commands.items():  # warm-up: file cache, .pyc files
        if key not in big_ones:
            run_once(cmd, cwd, Sample(), capture)
    for round_no in range(args.runs):
        for key, (cmd, cwd, capture) in commands.items():
            if args.quick and key in big_ones and round_no >= 2:
                continue
            run_once(cmd, cwd, samples[key], capture)

    base_wall = samples["pass"].median()
    print()
    print(f"{'command':<34} {'runs':>4} {'median s':>9} {'min s':>8} {'cpu s':>8} {'x pass':>7} {'peak MB':>8}")
    for key, s in samples.items():
        print(
            f"{names[key]:<34} {len(s.wall):>4} {s.median():>9.3f} {min(s.wall):>8.3f} {s.cpu_median():>8.3f} "
            f"{s.median() / base_wall:>7.1f} {max(s.rss_kb) / 1024:>8.1f}"
        )

    def ratio(a: str, b: str) -> tuple[float, float]:
        return samples[a].median() / samples[b].median(), samples[a].cpu_median() / samples[b].cpu_median()

    checks = [(f"pre-commit: check on {small} nodes / python -c pass", *ratio("pre", "pass"), PRECOMMIT_BUDGET)]
    print()
    if args.only == "all":
        in_process = statistics.median(float(str(e["seconds"])) for e in samples["floor"].extra)
        print(f"parse-only floor in-process ({large} nodes, no interpreter start or imports): {in_process:.3f} s")
        checks.append((f"audit: check on {large} nodes / parse-only floor", *ratio("large", "floor"), AUDIT_BUDGET))
        checks.append((f"scaling: check on {large} / on {medium} nodes", *ratio("large", "medium"), SCALING_BUDGET))
    print(f"{'ratio':<50} {'wall':>7} {'cpu':>7} {'budget':>7}  verdict (wall medians)")
    for label, wall_ratio, cpu_ratio, budget in checks:
        print(f"{label:<50} {wall_ratio:>7.2f} {cpu_ratio:>7.2f} {budget:>6.1f}x  {verdict(wall_ratio, budget)}")
    peak = 0.0
    if args.only == "all":
        peak = max(samples["large"].rss_kb) / 1024
        label = f"memory: peak RSS of check on {large} nodes, MB"
        print(f"{label:<50} {peak:>7.1f} {'':>7} {RSS_BUDGET_MB:>7.0f}  {verdict(peak, RSS_BUDGET_MB)}")
    print(f"\nfinished {datetime.datetime.now().astimezone():%H:%M}; load average now {os.getloadavg()[0]:.2f}")
    if args.json is not None:
        results = {
            "date": started.isoformat(),
            "machine": machine(),
            "runs": args.runs,
            "commands": {
                names[k]: {"wall": s.wall, "cpu": s.cpu, "rss_kb": s.rss_kb, "extra": s.extra}
                for k, s in samples.items()
            },
            "ratios": {label: {"wall": w, "cpu": c, "budget": b} for label, w, c, b in checks},
            "peak_rss_mb": peak,
        }
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
