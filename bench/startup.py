#!/usr/bin/env python3
"""Startup benchmark: ``liferay-ha-lint check`` on a 3-node fixture against ``python -c pass``.

Both commands run alternately in one process tree (this machine is shared and noisy: only ratios
measured in the same run mean anything), several times each; the runner prints the medians and
the ratio. Budget (issue 3): at most 10x. Usage: ``python bench/startup.py [--runs 15]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLUSTER = REPO / "fixtures" / "clusters" / "healthy-74-unicast-tcpping"
BUDGET = 10.0


# Installed packages carry compiled bytecode; let a checkout run write its .pyc files too, or every
# run would pay for compiling the sources (PYTHONDONTWRITEBYTECODE is set on some machines).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, check=False, env=ENV
    )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    baseline = [sys.executable, "-c", "pass"]
    check = [sys.executable, "-m", "linter", "check", "-q", str(CLUSTER)]
    show_json = [sys.executable, "-m", "linter", "check", "--format", "json", str(CLUSTER)]
    for cmd in (baseline, check, show_json):  # warm the file cache and .pyc files
        _time(cmd)
    times: dict[str, list[float]] = {"python -c pass": [], "check -q (3 nodes)": [], "check --format json": []}
    for _ in range(args.runs):
        times["python -c pass"].append(_time(baseline))
        times["check -q (3 nodes)"].append(_time(check))
        times["check --format json"].append(_time(show_json))
    base = statistics.median(times["python -c pass"])
    print(f"{'command':<24} {'median ms':>10} {'min ms':>8} {'ratio':>7}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:<24} {med * 1000:>10.1f} {min(values) * 1000:>8.1f} {med / base:>7.1f}x")
    ratio = statistics.median(times["check -q (3 nodes)"]) / base
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"pre-commit path ratio {ratio:.1f}x ({verdict} the {BUDGET:.0f}x budget), {args.runs} runs each")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
