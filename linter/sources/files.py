"""Bounded, read-only file access shared by every reader.

Nothing here ever writes, follows a network reference, or raises on a bad file: a file that
cannot be used is returned as a :class:`~linter.origin.Problem` (``UNREADABLE``) instead of bytes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, Literal, NamedTuple

from linter.origin import Origin, Problem, ProblemKind
from linter.paths import real_path

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
    # the audited trees (directories or single files): a file whose real path, links resolved,
    # lies outside all of them is refused before it is opened; empty: not confined
    roots: tuple[Path, ...] = ()
    digests: DigestBudget | None = None  # the run's hashing budget (None: a budget of its own per use)


DEFAULT_LIMITS = Limits()


def unreadable(display: str, message: str, line: int | None = None) -> Problem:
    return Problem(ProblemKind.UNREADABLE, message, Origin(file=display, line=line, column=1 if line else None))


def within(path: Path, root: Path) -> bool:
    """Whether ``path``, links resolved, is ``root`` or lies below it."""
    real, base = real_path(path), real_path(root)
    return real == base or real.startswith(base.rstrip("/") + "/")


def audit_roots(paths: Iterable[Path | str]) -> tuple[Path, ...]:
    """The real paths of the trees being audited, without duplicates (never their common parent)."""
    return tuple(dict.fromkeys(Path(real_path(p)) for p in paths))


def _under(real: str, roots: Sequence[Path]) -> bool:
    """Whether a real path is one of the roots or lies below one."""
    return any(real == str(root) or real.startswith(str(root).rstrip("/") + "/") for root in roots)


def outside(path: Path | str, roots: Sequence[Path]) -> str | None:
    """The real path of ``path`` (links resolved) when it lies outside every root, else None."""
    if not roots:
        return None
    try:
        real = real_path(path)
    except (OSError, RuntimeError, ValueError):
        return str(path)
    return None if _under(real, roots) else real


def _opened_path(fd: int) -> str | None:
    """Where an open file or directory really is, as the kernel says (Linux's /proc), or None."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def _opened_where(fd: int, path: Path | str, roots: Sequence[Path]) -> Literal["inside", "outside", "gone"]:
    """Where what was opened lies, checked on the open descriptor after the check by name
    (through the run's memo of directories): a directory swapped for a link out of the tree since
    it was remembered, or between the check and the open, is caught here, as is a file removed
    meanwhile. Where the kernel does not say where the descriptor leads, the path's real form is
    looked at afresh and must be the file opened."""
    actual = _opened_path(fd)
    if actual is not None:
        if actual.endswith(" (deleted)") and os.fstat(fd).st_nlink == 0:
            return "gone"
        return "inside" if _under(actual, roots) else "outside"
    try:
        real = os.path.realpath(path)
    except (OSError, RuntimeError, ValueError):
        return "outside"
    if not _under(real, roots):
        return "outside"
    try:
        there, opened = os.stat(real), os.fstat(fd)
    except FileNotFoundError:
        return "gone"
    except (OSError, ValueError):
        return "outside"
    return "inside" if (there.st_dev, there.st_ino) == (opened.st_dev, opened.st_ino) else "outside"


def list_directory(path: Path | str, roots: Sequence[Path]) -> list[str] | None:
    """The names in a directory (``os.listdir``'s errors raised), or None when the directory
    actually opened lies outside the roots (``_opened_where``)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        where = _opened_where(fd, path, roots) if roots else "inside"
        if where == "gone":
            raise FileNotFoundError(path)
        return os.listdir(fd) if where == "inside" else None
    finally:
        os.close(fd)


def looks_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB marks binary content (the heuristic git and grep use)."""
    return b"\x00" in data[:_BINARY_PROBE]


def open_file(path: Path | str, display: str, limits: Limits = DEFAULT_LIMITS) -> tuple[BinaryIO, int] | Problem:
    """The one way a file is opened: refused when it lies outside the audited roots (links
    resolved) or is no regular file (a FIFO, device or socket is never waited on: it is opened
    non-blocking and looked at before anything is read). The open file and its size, or why not."""
    if limits.roots and outside(path, limits.roots) is not None and os.path.lexists(path):
        return unreadable(display, "symbolic link points outside the audited tree; not followed")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return unreadable(display, "file not found")
    except PermissionError:
        return unreadable(display, "permission denied")
    except IsADirectoryError:
        return unreadable(display, "is a directory, expected a file")
    except OSError as exc:  # ELOOP, ENAMETOOLONG, ENXIO (a socket), EIO ...
        return unreadable(display, f"cannot access file: {exc.strerror or exc}")
    except ValueError:
        return unreadable(display, "cannot access file: the name holds a NUL byte")
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            os.close(fd)
            return unreadable(display, "is a directory, expected a file")
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            return unreadable(display, "not a regular file (device, socket or FIFO)")
        where = _opened_where(fd, path, limits.roots) if limits.roots else "inside"
        if where != "inside":  # a link changed, or the file was removed, since the check
            os.close(fd)
            if where == "gone":
                return unreadable(display, "file disappeared while reading")
            return unreadable(display, "symbolic link points outside the audited tree; not followed")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st.st_size
    except OSError as exc:
        os.close(fd)
        return unreadable(display, f"cannot read file: {exc.strerror or exc}")


def read_bytes(path: Path | str, display: str, limits: Limits = DEFAULT_LIMITS) -> bytes | Problem:
    """Read a whole regular file (through :func:`open_file`), refusing oversized and binary
    content."""
    opened = open_file(path, display, limits)
    if isinstance(opened, Problem):
        return opened
    handle, size = opened
    with handle:
        if size > limits.max_file_size:
            return unreadable(
                display,
                f"file is {size} bytes, over the {limits.max_file_size}-byte limit (raise it with --max-file-size)",
            )
        try:
            data = handle.read(limits.max_file_size + 1)
        except OSError as exc:
            return unreadable(display, f"cannot read file: {exc.strerror or exc}")
    if len(data) > limits.max_file_size:
        return unreadable(display, f"file grew over the {limits.max_file_size}-byte limit while reading")
    if looks_binary(data):
        return unreadable(display, "binary content (NUL bytes), not a text configuration file")
    return data


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


def digest_file(path: Path | str, display: str, limits: Limits) -> str | Problem:
    """sha256 of a regular file (a plugin), opened through :func:`open_file` (confined, never a
    FIFO) and within the hashing limits; the bytes hashed are taken off ``limits.digests``."""
    import hashlib

    opened = open_file(path, display, limits)
    if isinstance(opened, Problem):
        return opened
    handle, size = opened
    budget = limits.digests if limits.digests is not None else DigestBudget()
    problem = digest_refusal(size, display, budget)
    if problem is not None:
        handle.close()
        return problem
    sha = hashlib.sha256()
    left = size  # a file that grows while it is read is hashed as it was
    try:
        with handle:
            while left > 0 and (chunk := handle.read(min(left, 1 << 20))):
                sha.update(chunk)
                left -= len(chunk)
    except OSError as exc:
        return unreadable(display, f"cannot read file: {exc.strerror or exc}")
    budget.remaining -= size - left
    return sha.hexdigest()


class DiskLines:
    """The lines of files a run read straight from disk, outside any node's tree (compose files,
    manifests, env files), for the snippets of findings: only the files named, read again as they
    were read the first time (regular files only, confined to ``limits.roots``, size-limited)."""

    def __init__(self, files: Iterable[str], limits: Limits) -> None:
        self.files = frozenset(files)
        self.limits = limits

    def lines(self, display: str) -> list[str] | None:
        if display not in self.files:
            return None
        data = read_bytes(Path(display), display, self.limits)
        return None if isinstance(data, Problem) else data.decode("utf-8", errors="replace").splitlines()
