"""Bounded, read-only file access shared by every reader.

Nothing here ever writes, follows a network reference, or raises on a bad file: a file that
cannot be used is returned as a :class:`~linter.origin.Problem` (``UNREADABLE``) instead of bytes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from linter.origin import Origin, Problem, ProblemKind

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024  # 10 MiB: far above any real Liferay config file
_BINARY_PROBE = 8192


MAX_DIGEST_FILE = 1 << 30  # bytes of one plugin (jar, war, lpkg) hashed to compare it across nodes
MAX_DIGEST_RUN = 4 << 30  # bytes hashed in one run, plugins on disk and in archives together


class DigestBudget:
    """What is left of a run's hashing budget (``MAX_DIGEST_RUN``), shared by every node."""

    def __init__(self, total: int | None = None) -> None:
        self.total = MAX_DIGEST_RUN if total is None else total
        self.remaining = self.total


class Limits(NamedTuple):
    """Resource limits applied to every input."""

    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_xml_depth: int = 256
    root: Path | None = None  # the audited tree: files whose real path lies outside it are refused
    digests: DigestBudget | None = None  # the run's hashing budget (None: a budget of its own per use)


DEFAULT_LIMITS = Limits()


def unreadable(display: str, message: str, line: int | None = None) -> Problem:
    return Problem(ProblemKind.UNREADABLE, message, Origin(file=display, line=line, column=1 if line else None))


def within(path: Path, root: Path) -> bool:
    """Whether ``path``, links resolved, is ``root`` or lies below it."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip("/") + "/")


def looks_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB marks binary content (the heuristic git and grep use)."""
    return b"\x00" in data[:_BINARY_PROBE]


def _outside(path: Path, display: str, limits: Limits) -> Problem | None:
    if limits.root is not None:
        try:
            real = Path(os.path.realpath(path))
        except (OSError, RuntimeError, ValueError):
            real = None
        if real is not None and real != limits.root and limits.root not in real.parents and os.path.lexists(path):
            return unreadable(display, f"symbolic link points outside the audited tree (to {real}); not followed")
    return None


def refused(display: str, message: str) -> Problem:
    return Problem(ProblemKind.REFUSED, message, Origin(file=display))


def digest_refusal(size: int, display: str, budget: DigestBudget) -> Problem | None:
    """Why content of ``size`` bytes is not hashed, if it is not: over the per-file limit or the
    run's budget (the caller takes what it hashes off the budget)."""
    if size > MAX_DIGEST_FILE:
        return refused(
            display, f"file is {size} bytes, over the {MAX_DIGEST_FILE}-byte limit for hashing; not compared"
        )
    if size > budget.remaining:
        return refused(display, f"the run's hashing budget ({budget.total} bytes) is spent; not compared")
    return None


def digest_file(path: Path, display: str, limits: Limits) -> str | Problem:
    """sha256 of a regular file (a plugin), confined like ``read_bytes`` and within the hashing
    limits; the bytes hashed are taken off ``limits.digests``."""
    import hashlib

    problem = _outside(path, display, limits)
    if problem is not None:
        return problem
    budget = limits.digests if limits.digests is not None else DigestBudget()
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # checked before opening: opening a FIFO would block
            return unreadable(display, "not a regular file (device, socket or FIFO)")
        problem = digest_refusal(st.st_size, display, budget)
        if problem is not None:
            return problem
        with open(path, "rb", buffering=0) as handle:
            sha = hashlib.sha256()
            left = st.st_size  # a file that grows while it is read is hashed as it was
            while left > 0 and (chunk := handle.read(min(left, 1 << 20))):
                sha.update(chunk)
                left -= len(chunk)
    except PermissionError:
        return unreadable(display, "permission denied")
    except OSError as exc:
        return unreadable(display, f"cannot read file: {exc.strerror or exc}")
    budget.remaining -= st.st_size - left
    return sha.hexdigest()


def read_bytes(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> bytes | Problem:
    """Read a whole regular file, refusing non-files, oversized and binary content, and files that
    a symbolic link places outside the audited tree (``limits.root``)."""
    problem = _outside(path, display, limits)
    if problem is not None:
        return problem
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return unreadable(display, "file not found")
    except PermissionError:
        return unreadable(display, "permission denied")
    except OSError as exc:  # ELOOP, ENAMETOOLONG, EIO ...
        return unreadable(display, f"cannot access file: {exc.strerror or exc}")
    if stat.S_ISDIR(st.st_mode):
        return unreadable(display, "is a directory, expected a file")
    if not stat.S_ISREG(st.st_mode):
        return unreadable(display, "not a regular file (device, socket or FIFO)")
    if st.st_size > limits.max_file_size:
        return unreadable(
            display,
            f"file is {st.st_size} bytes, over the {limits.max_file_size}-byte limit (raise it with --max-file-size)",
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_file_size + 1)
    except FileNotFoundError:
        return unreadable(display, "file disappeared while reading")
    except PermissionError:
        return unreadable(display, "permission denied")
    except OSError as exc:
        return unreadable(display, f"cannot read file: {exc.strerror or exc}")
    if len(data) > limits.max_file_size:
        return unreadable(display, f"file grew over the {limits.max_file_size}-byte limit while reading")
    if looks_binary(data):
        return unreadable(display, "binary content (NUL bytes), not a text configuration file")
    return data


class DiskLines:
    """The lines of files a run read straight from disk, outside any node's tree (compose files,
    manifests, env files), for the snippets of findings: only the files named, read again as they
    were read the first time (regular files only, confined to ``limits.root``, size-limited)."""

    def __init__(self, files: Iterable[str], limits: Limits) -> None:
        self.files = frozenset(files)
        self.limits = limits

    def lines(self, display: str) -> list[str] | None:
        if display not in self.files:
            return None
        data = read_bytes(Path(display), display, self.limits)
        return None if isinstance(data, Problem) else data.decode("utf-8", errors="replace").splitlines()
