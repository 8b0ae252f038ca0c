"""Progress on stderr: shown for a large audit on a terminal, silent otherwise."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

from linter import progress
from linter.load.discovery import discover
from linter.sources.files import Limits

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "fixtures" / "clusters" / "healthy-74-unicast-tcpping" / "node1"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _cluster_of(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "estate"
    for index in range(count):
        shutil.copytree(NODE, root / f"node{index:02d}")
    return root


def test_progress_is_drawn_on_a_terminal_for_more_than_a_handful_of_nodes(tmp_path: Path) -> None:
    found = discover([_cluster_of(tmp_path, progress.HANDFUL + 1)])
    terminal = _Terminal()
    assert progress.wanted(found.clusters, quiet=False, stream=terminal)
    with progress.Progress(stream=terminal) as shown:
        shown.start(found.clusters)
        clusters = progress.load_all(found.clusters, Limits(), None, shown)
    assert len(clusters[0].nodes) == progress.HANDFUL + 1
    assert "reading nodes" in terminal.getvalue()


def test_no_progress_when_quiet_not_a_terminal_or_few_nodes(tmp_path: Path) -> None:
    many = discover([_cluster_of(tmp_path, progress.HANDFUL + 1)]).clusters
    assert not progress.wanted(many, quiet=True, stream=_Terminal())
    assert not progress.wanted(many, quiet=False, stream=io.StringIO())
    few = discover([NODE.parent]).clusters
    assert not progress.wanted(few, quiet=False, stream=_Terminal())


def test_cli_stderr_stays_empty_when_not_a_terminal(tmp_path: Path) -> None:
    root = _cluster_of(tmp_path, progress.HANDFUL + 3)
    run = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--select", "HA1", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    assert run.stderr == ""


def _stderr_on_a_terminal(args: list[str]) -> tuple[str, str, int]:
    """Run the CLI with standard error on a pseudo-terminal and standard output in a pipe."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    out, _ = proc.communicate(timeout=60)
    os.close(master)
    return out.decode(), b"".join(chunks).decode("utf-8", "replace"), proc.returncode


def test_one_display_covers_reading_rules_and_writing_and_is_gone_before_the_report(tmp_path: Path) -> None:
    root = _cluster_of(tmp_path, progress.HANDFUL + 3)
    report = tmp_path / "report.json"
    out, err, code = _stderr_on_a_terminal(
        ["check", "--format", "json", "-o", str(report), "--format", "text", str(root)]
    )
    assert code in (0, 1), err
    phases = [err.find(name) for name in ("reading nodes", "running rules", "writing report")]
    assert -1 not in phases and phases == sorted(phases), err  # in the order the run goes through them
    assert "Found" in out or "No problems" in out  # the report itself is on stdout, untouched
    assert "reading nodes" not in out and "\x1b[" not in out
    assert report.is_file()


def test_show_has_the_display_too(tmp_path: Path) -> None:
    root = _cluster_of(tmp_path, progress.HANDFUL + 3)
    out, err, code = _stderr_on_a_terminal(["show", "--color", "never", str(root)])
    assert code in (0, 1), err
    phases = [err.find(name) for name in ("reading nodes", "laying out")]
    assert -1 not in phases and phases == sorted(phases), err
    assert "node00" in out and "reading nodes" not in out
