"""``show`` fits the terminal it writes to (through a real pty at 80 and 200 columns): values wrap,
nothing is cropped, a cluster whose nodes do not fit side by side is printed one line per setting
and node; ``--diff``, ``--node`` and ``--format long`` narrow what is shown."""

from __future__ import annotations

import pty
import re

import pytest

from linter.cli import main
from tests.conftest import FIXTURES
from tests.terminal import through_a_terminal

DRIFT = FIXTURES / "clusters" / "broken-74-cluster-link-drift"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
KEY = 'cluster.link.bind.addr["cluster-link-control"]'


def _terminal(args: list[str], columns: int) -> str:
    """What the CLI prints on a terminal ``columns`` wide, colours removed, line ends as written."""
    return ANSI.sub("", through_a_terminal(args, columns)).replace("\r\n", "\n")


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", [80, 200])
def test_show_fits_the_terminal_and_crops_nothing(columns: int) -> None:
    out = _terminal(["show", str(DRIFT)], columns)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert KEY in out  # a key is never cut, nor broken inside
    for value in ("10.0.6.11", "10.0.6.12", "10.0.6.13", "239.255.21.1"):
        assert value in out  # every node's value is there in full
    side_by_side = "┃" in out
    assert side_by_side is (columns == 200)  # at 80 columns three nodes do not fit: one line per setting and node
    if not side_by_side:
        assert "do not fit 80 columns side by side" in out
        assert any(line.startswith("≠ cluster.link.enabled  node3  yes") for line in lines)


def test_diff_and_node_narrow_the_long_form(capsys: pytest.CaptureFixture[str]) -> None:
    main(["show", "--format", "long", "--diff", "--node", "node1", "--node", "node2", str(DRIFT)])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines()[2:] if line.strip()]
    assert lines and all(line.startswith("≠ ") for line in lines)  # only settings that differ
    assert all(re.search(r"  node[12]  ", line) for line in lines)  # only the two nodes asked for
    assert "node3" not in out
    assert main(["show", "--node", "nod1", str(DRIFT)]) == 2
    assert 'did you mean "node1"' in capsys.readouterr().err


def test_identical_values_are_shown_once(capsys: pytest.CaptureFixture[str]) -> None:
    main(["show", "--format", "long", str(DRIFT)])
    out = capsys.readouterr().out
    # a setting every node has from the same place is one line "all nodes"
    assert re.search(r"^  \S+  all nodes  ", out, re.M)
