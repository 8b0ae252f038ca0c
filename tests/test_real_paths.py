"""The run's real-path cache (``linter.paths.real_path``) gives exactly ``os.path.realpath``'s answer,
links, ``..``, missing names, loops and relative paths included, and forgets between runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from linter.paths import path_cache, real_path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.xml").write_text("x")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "g").write_text("y")
    (tmp_path / "a" / "to-out").symlink_to(tmp_path / "out")
    (tmp_path / "a" / "rel").symlink_to("b")
    (tmp_path / "a" / "b" / "up").symlink_to("..")
    (tmp_path / "a" / "loop1").symlink_to("loop2")
    (tmp_path / "a" / "loop2").symlink_to("loop1")
    (tmp_path / "a" / "dangling").symlink_to("nowhere/else")
    return tmp_path


QUESTIONS = [
    "a",
    "a/b/f.xml",
    "a/to-out/g",
    "a/to-out",
    "a/rel/f.xml",
    "a/b/up/b/f.xml",
    "a/b/up/to-out/g",
    "a/loop1",
    "a/loop1/x",
    "a/dangling",
    "a/dangling/more",
    "a/missing/deeper/name",
    "a/b/f.xml/not-a-dir",
    "a/missing/../to-out/g",  # realpath drops ``missing/..`` by name and then follows the link
    "a/missing/../rel",
    "a/b/f.xml/../../to-out",
    "a/b/../b/f.xml",
    "a/./b/f.xml",
    "a//b/f.xml",
    "a/b/",
    ".",
    "",
]


def test_same_answer_as_realpath(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    for absolute in (False, True):
        with path_cache():
            for question in QUESTIONS * 2:  # the second round is answered from the cache
                asked = str(tree / question) if absolute else question
                assert real_path(asked) == os.path.realpath(asked), asked
                assert real_path(Path(asked)) == os.path.realpath(asked), asked


def test_a_new_run_sees_a_changed_tree(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    with path_cache():
        assert real_path("a/b/f.xml") == str(tree.resolve() / "a" / "b" / "f.xml")
    (tree / "a" / "b").rename(tree / "a" / "moved")
    (tree / "a" / "b").symlink_to(tree / "out")
    with path_cache():
        assert real_path("a/b/f.xml") == str(tree.resolve() / "out" / "f.xml")
    assert real_path("a/b/f.xml") == os.path.realpath("a/b/f.xml")  # no run: no cache


@pytest.fixture
def nest(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """``tmp_path/d/d/...``, so many levels deep (made and removed level by level: ``mkdir
    (parents=True)`` and ``shutil.rmtree``, pytest's clean-up included, recurse as deep)."""
    made: list[Path] = []

    def make(depth: int) -> Path:
        path = tmp_path
        for _ in range(depth):
            path = path / "d"
            path.mkdir()
            made.append(path)
        return path

    yield make
    for path in reversed(made):
        for child in path.iterdir():
            child.unlink()
        path.rmdir()


def test_a_path_of_more_components_than_the_recursion_limit(nest: Callable[[int], Path]) -> None:
    deep = nest(sys.getrecursionlimit() + 100)
    with path_cache():
        assert real_path(deep) == os.path.realpath(deep)
        assert real_path(deep / "f") == os.path.realpath(deep / "f")


def test_a_node_directory_nested_600_deep_is_checked(tmp_path: Path, nest: Callable[[int], Path]) -> None:
    """Each directory's real path was worked out from its parent's, recursively: a node 600
    directories down (a 1,300-character path, well within the system's limit) was an internal
    error (exit 2)."""
    node = nest(600)
    (node / "portal-ext.properties").write_text("cluster.link.enabled=true\n")
    done = subprocess.run(
        [sys.executable, "-m", "linter", "check", "-q", "--select", "HA116", str(node)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr  # a warning: under the default --fail-on
    assert "warning[HA116]" in done.stdout and "portal-ext.properties" in done.stdout
