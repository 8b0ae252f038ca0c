"""The tool never writes inside the paths it checks; output files go only where --output says."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES

Snapshot = dict[str, tuple[bytes | None, int, int]]


def _snapshot(root: Path) -> Snapshot:
    out: Snapshot = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            st = path.lstat()
            data = path.read_bytes() if stat.S_ISREG(st.st_mode) else None
            out[str(path.relative_to(root))] = (data, st.st_mode, st.st_mtime_ns)
    return out


def _make_read_only(root: Path) -> None:
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            os.chmod(Path(dirpath) / name, 0o444)
        os.chmod(dirpath, 0o555)


COMMANDS = [
    ["show", "{tree}"],
    ["show", "--format", "json", "--all", "{tree}"],
    ["show", "--output", "{out}/show.txt", "{tree}"],
    ["check", "{tree}"],
    ["check", "-q", "{tree}"],
    ["check", "--statistics", "{tree}"],
    ["check", "--verbose", "--color", "always", "{tree}"],
    ["check", "--format", "json", "--output", "{out}/report.json", "{tree}"],
    ["check", "--format", "json", "{tree}/node3/portal-ext.properties"],
    ["rules"],
    ["explain", "HA102"],
]


@pytest.mark.parametrize("read_only", [False, True], ids=["writable", "read-only"])
def test_no_command_changes_the_audited_tree(
    tmp_path: Path, read_only: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "clusters" / "broken-74-cluster-link-drift", tree)
    out = tmp_path / "out"
    out.mkdir()
    if read_only:
        _make_read_only(tree)
    before = _snapshot(tree)
    for command in COMMANDS:
        args = [a.format(tree=tree, out=out) for a in command]
        code = main(args)
        assert code in (0, 1), args
    capsys.readouterr()
    assert _snapshot(tree) == before
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "show.txt"]


def test_a_rule_pack_inside_the_audited_tree_gets_no_bytecode_written(tmp_path: Path) -> None:
    """Loading a ``--rules-dir`` pack never writes (no ``__pycache__``), even when Python would."""
    from tests.test_pack import RULE_TEMPLATE

    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "clusters" / "broken-74-cluster-link-drift", tree)
    pack = tree / "pack"
    pack.mkdir()
    (pack / "ha901_test.py").write_text(
        RULE_TEMPLATE.format(doc="test rule", id="HA901", name="display-node-off", versions="all")
    )
    before = _snapshot(tree)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--rules-dir", str(pack), "--select", "HA901", str(tree)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "HA901" in done.stdout  # the pack was loaded and ran
    assert _snapshot(tree) == before
