"""Display paths: how a file is named in every output (JSON contract: relative to the working
directory when below it, else absolute, always with ``/``); and real paths (links resolved),
worked out once per directory in a run.

``os.path.realpath`` looks at every component of a path on every call: a 1,000-node audit asked
it 53,000 times and made 358,000 ``lstat`` calls. Inside :func:`path_cache` (one CLI invocation)
a path's real form is its parent's real form (remembered) plus its own name, unless the name is
itself a symbolic link; anything unusual (``..``, a link, an error) is left to ``realpath``. The
cache lives for one run only: a tree changed between two runs is seen afresh.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_cache: dict[str, str] | None = None
_cwd: str = ""


_forgetting: list[Callable[[], None]] = []


def forget_after_run(clear: Callable[[], None]) -> None:
    """Have ``clear`` called when a run ends: a memo kept by content (parsed XML, its models) serves
    every node of one run and is not kept past it."""
    _forgetting.append(clear)


@contextmanager
def path_cache() -> Iterator[None]:
    """Remember real paths until the end of the block (one run of the command line); at its end
    the memos registered with :func:`forget_after_run` are cleared too."""
    global _cache, _cwd
    previous = _cache, _cwd
    _cache, _cwd = {}, os.getcwd()
    try:
        yield
    finally:
        _cache, _cwd = previous
        for clear in _forgetting:
            clear()


def real_path(path: str | os.PathLike[str]) -> str:
    """``os.path.realpath(path)``, the same answer, with each directory looked at once per run."""
    text = os.fspath(path)
    cache = _cache
    if cache is None:
        return os.path.realpath(text)
    found = cache.get(text)
    if found is None:
        found, directory = _real(text if text.startswith("/") else f"{_cwd}/{text}", cache)
        if directory:  # files are asked about once or twice: only directories are kept
            cache[text] = found
    return found


def _real(text: str, cache: dict[str, str]) -> tuple[str, bool]:
    """The real path, and whether it is a directory (worth remembering). A loop, not a recursion
    on the parent: a path may have thousands of components."""
    below: list[str] = []  # ``text`` and its ancestors not yet known, nearest the root last
    current = text
    while True:
        parent, _, name = current.rpartition("/")
        if name in ("", ".", ".."):
            base = os.path.realpath(current)  # also when it is ``text`` itself
            directory = False
            break
        below.append(current)
        known = cache.get(parent) if parent else "/"
        if known is not None:
            base, directory = known, True
            break
        current = parent
    for path in reversed(below):  # realpath's walk: each name looked at below its parent's real path
        joined = ("" if base == "/" else base) + "/" + path.rpartition("/")[2]
        try:
            mode = os.lstat(joined).st_mode
        except (FileNotFoundError, NotADirectoryError):
            mode = 0  # realpath keeps a missing name (or one below a file) as it is
        except (OSError, ValueError):
            return os.path.realpath(text), False  # a link loop, a NUL byte...: realpath's own answer
        if stat.S_ISLNK(mode):
            base, directory = os.path.realpath(path), False
            continue
        base, directory = joined, stat.S_ISDIR(mode)
        if directory:
            cache[path] = base
    return base, directory


@functools.lru_cache(maxsize=4)
def _resolved_cwd(cwd: str) -> Path:
    return Path(cwd).resolve()


def display_path(path: Path | str, cwd: Path | None = None) -> str:
    """Relative to the working directory when below it, else absolute (JSON contract §6)."""
    base = str(cwd.resolve() if cwd is not None else _resolved_cwd(os.getcwd()))
    try:
        resolved = real_path(path)
    except (OSError, RuntimeError, ValueError):
        resolved = os.path.abspath(path)
    if resolved == base:
        return "."
    below = base.rstrip("/") + "/"
    return resolved[len(below) :] if resolved.startswith(below) else resolved
