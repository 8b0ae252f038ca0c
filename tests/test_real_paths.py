"""The run's real-path cache (``linter.paths.real_path``) gives exactly ``os.path.realpath``'s answer,
links, ``..``, missing names, loops and relative paths included, and forgets between runs."""

from __future__ import annotations

import os
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
