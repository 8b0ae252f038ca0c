"""Progress on stderr: shown for a large audit on a terminal, silent otherwise."""

from __future__ import annotations

import io
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
    clusters = progress.load_all(found.clusters, Limits(), None, True, stream=terminal)
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
