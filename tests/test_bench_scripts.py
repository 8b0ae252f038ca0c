"""The benchmark's helper scripts still run against the code they measure (a rename in the readers
broke bench/parse_only.py once without any test noticing), and bench/run.py reports every budget
of issue 19 on a tiny cluster (one round, no timing asserted)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, REPO

BENCH = REPO / "bench"


def _files_in(root: Path) -> tuple[int, int]:
    """(files, bytes) under root, as a plain walk sees them."""
    count = size = 0
    for directory, _dirs, files in os.walk(root):
        for name in files:
            count += 1
            size += os.path.getsize(os.path.join(directory, name))
    return count, size


def _generate(out: Path, nodes: int, *extra: str) -> None:
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(out), "--nodes", str(nodes), *extra],
        check=True,
        capture_output=True,
    )


def test_parse_only_floor_reads_a_cluster() -> None:
    cluster = FIXTURES / "clusters" / "healthy-74-unicast-tcpping"
    result = subprocess.run(
        [sys.executable, str(BENCH / "parse_only.py"), "--json", str(cluster)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["files"] >= 6 and figures["entries"]["properties"] > 0


def test_raw_floor_reads_every_file_and_parses_without_the_linter(tmp_path: Path) -> None:
    _generate(tmp_path / "c", 3)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(BENCH / "raw_floor.py"), "--json", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.splitlines()[-1])
    assert (figures["files"], figures["bytes"]) == _files_in(tmp_path / "c") == (19, figures["bytes"])
    assert figures["properties_files"] == 3 and figures["xml_files"] == 6
    # 77 key lines in each portal-ext.properties, and node01's two planted ones
    assert figures["properties_entries"] == 3 * 77 + 2
    assert figures["xml_elements"] > 6
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    assert "lxml" in imported and "linter" not in imported


def test_clean_generated_cluster_has_no_findings(tmp_path: Path) -> None:
    _generate(tmp_path / "clean", 3, "--clean")
    run = subprocess.run(
        [sys.executable, "-m", "linter", "check", "node01/portal-ext.properties"],
        cwd=tmp_path / "clean",
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout
    assert run.stdout.startswith("No problems found in 1 cluster (3 nodes")


BUDGETS = (
    "check --format json, 5 nodes / raw floor",
    "show, 5 nodes / raw floor",
    "pre-commit clean, 3 nodes / python -c pass",
    "pre-commit with findings, 3 nodes / python -c pass",
    "peak RSS of check, 5 nodes",
    "scaling: check, 5 / 4 nodes",
)


def test_run_reports_every_budget_with_a_verdict(tmp_path: Path) -> None:
    keep, figures_file = tmp_path / "clusters", tmp_path / "figures.json"
    arguments = ["--sizes", "3,4,5", "--runs", "1", "--keep", str(keep), "--json", str(figures_file), "--strict"]
    run = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), *arguments],
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 1), run.stderr
    figures = json.loads(figures_file.read_text(encoding="utf-8"))
    verdicts: dict[str, str] = {}
    for name in BUDGETS:
        line = re.search(rf"^{re.escape(name)} +\S.* (PASS|FAIL)$", run.stdout, re.MULTILINE)
        assert line is not None, f"no budget line for {name!r} in\n{run.stdout}"
        verdicts[name] = line.group(1)
    assert {b["name"]: b["verdict"] for b in figures["budgets"]} == verdicts
    # --strict: exit 1 exactly when a budget fails
    assert run.returncode == (1 if "FAIL" in verdicts.values() else 0)
    assert figures["all_pass"] == (run.returncode == 0)
    # every command ran, in the same run; the raw floor read every file of the large cluster
    assert set(figures["commands"]) == {"raw", "cat", "parse", "check", "show", "scale", "pre", "findings", "pass"}
    assert all(c["runs"] == 1 for c in figures["commands"].values())
    raw = figures["commands"]["raw"]["figures"]
    assert (raw["files"], raw["bytes"]) == _files_in(keep / "n5")
    assert figures["commands"]["check"]["stdout_bytes"] > 0 and figures["commands"]["show"]["stdout_bytes"] > 0
    assert set(figures["terminal"]) == {"check", "show"}
    # the date and the machine are recorded
    assert re.match(r"\d{4}-\d\d-\d\dT", figures["date"])
    assert figures["machine"]["cores"] >= 1 and figures["machine"]["cpu"] and figures["machine"]["python"]
    assert "machine: " in run.stdout and "cores" in run.stdout


def test_run_only_startup_reports_the_pre_commit_budgets_and_exits_0(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--only", "startup", "--runs", "1", "--json", "-"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)  # the figures alone on stdout, the report on stderr
    assert [b["name"] for b in figures["budgets"]] == [BUDGETS[2], BUDGETS[3]]
    assert "pre-commit clean, 3 nodes / python -c pass" in run.stderr
