"""A node packed in an archive (a support bundle, a backup of a Liferay home), read in place.

``.tar``, ``.tar.gz``/``.tgz`` and ``.zip`` are read member by member into memory, never
extracted to disk. Members whose names are absolute or climb out with ``..`` are refused with a
finding; links inside the archive are not followed. Configuration members are kept (up to the
file-size limit), deployable artifacts only by name and digest. The Liferay home is the
shallowest folder that looks like one (``portal-ext.properties``, ``osgi/``, ``tomcat*``).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from linter.origin import Origin, Problem, ProblemKind
from linter.sources.files import MAX_DIGEST_FILE, DigestBudget, Limits, digest_refusal, unreadable
from linter.sources.input_names import ARCHIVE_SUFFIXES, archive_stem, is_archive
from linter.sources.tree import Kind, Tree

_CONFIG_SUFFIXES = (".properties", ".config", ".cfg", ".xml", ".sh", ".bat", ".cmd", ".options", ".env")
_ARTIFACT_SUFFIXES = (".jar", ".war", ".lpkg", ".zip")
__all__ = ["ARCHIVE_SUFFIXES", "ArchiveTree", "archive_stem", "is_archive"]
MAX_MEMBERS = 200_000
_CHUNK = 1 << 20


MAX_PAX_HEADER = 1 << 20  # bytes of one pax extended header
_PAX_DIGITS = 32  # longest run of digits in a pax header (no real length, time or id is longer)
_LONG_DIGITS = re.compile(rb"\d{%d}" % (_PAX_DIGITS + 1))
_PAX_LENGTH = re.compile(rb"(\d+) ")


class _PaxRefused(Exception):
    """A pax header that CPython's tarfile would take quadratic time to parse (CVE-2024-6232)."""


def _check_pax(buf: bytes, size: int) -> None:
    """Refuse, in linear time, what makes tarfile's pax regexes quadratic on Python < 3.12.6 and
    3.11.10: long runs of digits (its ``hdrcharset`` search) and records whose ``=`` lies beyond
    their declared length (its record regex then scans the rest of the header for each record)."""
    if size > MAX_PAX_HEADER:
        raise _PaxRefused(f"pax header of {size} bytes, over the {MAX_PAX_HEADER}-byte limit")
    if _LONG_DIGITS.search(buf):
        raise _PaxRefused(f"pax header with a number of more than {_PAX_DIGITS} digits")
    pos = 0
    while pos < len(buf):
        m = _PAX_LENGTH.match(buf, pos)
        if m is None:
            return  # where tarfile's own parsing stops too
        length = int(m.group(1))
        if length <= 0:
            return  # tarfile reports it as an invalid header
        if buf.find(b"=", m.end(), pos + length) < 0:
            raise _PaxRefused("pax header record without '=' within its length")
        pos += length


class _Replay:
    """A tar stream with the bytes already read put back in front (read-only, forward only)."""

    def __init__(self, head: bytes, stream: Any) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            data: bytes = self.stream.read(size)
            return data
        if size < 0 or size >= len(self.head):
            head, self.head = self.head, b""
            rest: bytes = self.stream.read(-1 if size < 0 else size - len(head))
            return head + rest
        head, self.head = self.head[:size], self.head[size:]
        return head

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


class _TarInfo(tarfile.TarInfo):
    """Tar members whose pax headers are checked before CPython parses them."""

    def _proc_pax(self, tar: tarfile.TarFile) -> tarfile.TarInfo:
        stream = tar.fileobj
        assert stream is not None
        buf = stream.read(self._block(self.size))  # type: ignore[attr-defined]
        _check_pax(buf, self.size)
        tar.fileobj = _Replay(buf, stream)  # type: ignore[assignment]
        try:
            return super()._proc_pax(tar)  # type: ignore[misc,no-any-return]
        finally:
            tar.fileobj = stream


class _Member(NamedTuple):
    kind: Kind
    data: bytes | Problem | None  # configuration content; None for members not kept
    digest: str | Problem | None  # a deployable artifact's sha256, or why it was not hashed


class ArchiveTree(Tree):
    """The files of one archive, indexed once; paths are relative to the home inside it."""

    def __init__(self, path: Path, display: str, limits: Limits) -> None:
        self.path = path
        self.archive_display = display
        self.problems: list[Problem] = []
        self.unreadable = False  # the archive itself could not be opened or read
        self._members: dict[str, _Member] = {}
        self._dirs: set[str] = {""}
        self._index(limits)
        self._children: dict[str, set[str]] = {}
        for name in [*self._members, *self._dirs]:
            if name:
                parent, _, base = name.rpartition("/")
                self._children.setdefault(parent, set()).add(base)
        self.prefix = self._find_home()

    # -- index

    def _add(self, name: str, kind: Kind, data: bytes | Problem | None, digest: str | Problem | None) -> None:
        self._members[name] = _Member(kind, data, digest)
        parent = posixpath.dirname(name)
        while parent not in self._dirs:
            self._dirs.add(parent)
            parent = posixpath.dirname(parent)

    def _member_name(self, raw: str) -> str | None:
        name = raw.replace("\\", "/")
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in parts:
            self.problems.append(
                Problem(
                    ProblemKind.UNREADABLE,
                    f"archive member {raw!r} has an absolute path or climbs out with '..'; refused",
                    Origin(self.archive_display),
                )
            )
            return None
        return "/".join(parts)

    def _keep(self, name: str, size: int, stream: IO[bytes] | None, limits: Limits, budget: DigestBudget) -> None:
        lower = name.lower()
        if lower.endswith(_CONFIG_SUFFIXES):
            if size > limits.max_file_size:
                data: bytes | Problem = unreadable(
                    self._show(name),
                    f"file is {size} bytes, over the {limits.max_file_size}-byte limit (raise it with --max-file-size)",
                )
            elif stream is None:
                data = unreadable(self._show(name), "cannot read archive member")
            else:
                content = stream.read(limits.max_file_size + 1)
                if len(content) > limits.max_file_size:
                    data = unreadable(self._show(name), f"member is over the {limits.max_file_size}-byte limit")
                elif b"\x00" in content[:8192]:
                    data = unreadable(self._show(name), "binary content (NUL bytes), not a text configuration file")
                else:
                    data = content
            self._add(name, "file", data, None)
        elif lower.endswith(_ARTIFACT_SUFFIXES) and stream is not None:
            refusal = digest_refusal(size, self._show(name), budget)
            if refusal is not None:
                self._add(name, "file", None, refusal)
                return
            sha = hashlib.sha256()
            cap = min(MAX_DIGEST_FILE, budget.remaining)  # the size in the header may lie (a bomb)
            done = 0
            while chunk := stream.read(_CHUNK):
                done += len(chunk)
                if done > cap:
                    break
                sha.update(chunk)
            refusal = digest_refusal(done, self._show(name), budget) if done > cap else None
            budget.remaining -= min(done, cap)
            self._add(name, "file", None, refusal or sha.hexdigest())
        else:
            self._add(name, "file", None, None)

    def _index(self, limits: Limits) -> None:
        budget = limits.digests if limits.digests is not None else DigestBudget()
        try:
            if self.path.name.lower().endswith(".zip"):
                self._index_zip(limits, budget)
            else:
                self._index_tar(limits, budget)
        except _PaxRefused as exc:
            self.unreadable = not self._members
            self.problems.append(Problem(ProblemKind.REFUSED, f"archive refused: {exc}", Origin(self.archive_display)))
        except Exception as exc:  # a corrupt stream: what was read so far is kept
            if not _read_error(exc):
                raise
            self.unreadable = not self._members
            self.problems.append(
                Problem(ProblemKind.MALFORMED, f"archive cannot be read: {exc}", Origin(self.archive_display))
            )

    def _index_tar(self, limits: Limits, budget: DigestBudget) -> None:
        with tarfile.open(self.path, mode="r:*", tarinfo=_TarInfo) as archive:
            for count, member in enumerate(archive):
                if count >= MAX_MEMBERS:
                    self.problems.append(
                        Problem(
                            ProblemKind.REFUSED,
                            f"more than {MAX_MEMBERS} members; the rest ignored",
                            Origin(self.archive_display),
                        )
                    )
                    break
                name = self._member_name(member.name)
                if not name:
                    continue
                if member.isdir():
                    self._add_dir(name)
                elif member.isfile():
                    self._keep(name, member.size, archive.extractfile(member), limits, budget)
                else:  # links, devices: never followed
                    self._add(name, "other", None, None)

    def _index_zip(self, limits: Limits, budget: DigestBudget) -> None:
        with zipfile.ZipFile(self.path) as archive:
            for count, info in enumerate(archive.infolist()):
                if count >= MAX_MEMBERS:
                    self.problems.append(
                        Problem(
                            ProblemKind.REFUSED,
                            f"more than {MAX_MEMBERS} members; the rest ignored",
                            Origin(self.archive_display),
                        )
                    )
                    break
                name = self._member_name(info.filename)
                if not name:
                    continue
                if info.is_dir():
                    self._add_dir(name)
                    continue
                try:
                    stream = archive.open(info)
                except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
                    why = "encrypted" if info.flag_bits & 0x1 else str(exc)
                    problem = unreadable(self._show(name), f"cannot read archive member: {why}")
                    self._add(name, "file", problem, problem)  # reported when the member is used
                    continue
                with stream:
                    self._keep(name, info.file_size, stream, limits, budget)

    def _add_dir(self, name: str) -> None:
        while name not in self._dirs:
            self._dirs.add(name)
            name = posixpath.dirname(name)

    def _find_home(self) -> str:
        markers = ("portal-ext.properties", "portal-setup-wizard.properties", "osgi", "portal-bundle.properties")
        candidates = sorted(self._dirs, key=lambda d: (d.count("/") if d else -1, d))
        for directory in candidates:
            names = self._names(directory)
            if any(m in names for m in markers) or any(n.startswith("tomcat") for n in names):
                return directory
        return ""

    # -- Tree

    def _full(self, path: str) -> str | None:
        if path.startswith("/"):
            return None  # a path on the server: not in the archive
        return posixpath.normpath(posixpath.join(self.prefix, path)).lstrip("/") if (path or self.prefix) else ""

    def _names(self, directory: str) -> set[str]:
        return self._children.get(directory, set())

    def kind(self, path: str) -> Kind | None:
        full = self._full(path)
        if full is None:
            return None
        if full in self._dirs or full == ".":
            return "dir"
        member = self._members.get(full)
        return member.kind if member is not None else None

    def lexists(self, path: str) -> bool:
        return self.kind(path) is not None

    def listdir(self, path: str) -> list[str]:
        full = self._full(path)
        if full is None or (full not in self._dirs and full != "."):
            return []
        return sorted(self._names("" if full == "." else full))

    def _read(self, path: str, limits: Limits) -> bytes | Problem:
        full = self._full(path)
        member = self._members.get(full) if full is not None else None
        if member is None or member.kind != "file":
            return unreadable(self.display(path), "not a file in the archive")
        if member.data is None:
            return unreadable(self.display(path), "not kept: not a configuration file")
        if isinstance(member.data, bytes) and len(member.data) > limits.max_file_size:
            return unreadable(self.display(path), f"member is over the {limits.max_file_size}-byte limit")
        return member.data

    def digest(self, path: str, limits: Limits) -> str | Problem:
        """Artifacts are hashed while the archive is indexed, within the run's budget."""
        full = self._full(path)
        member = self._members.get(full) if full is not None else None
        if member is None or member.kind != "file":
            return unreadable(self.display(path), "not a file in the archive")
        if member.digest is not None:
            return member.digest
        if isinstance(member.data, bytes):
            return hashlib.sha256(member.data).hexdigest()
        return member.data if isinstance(member.data, Problem) else unreadable(self.display(path), "not hashed")

    def _show(self, full: str) -> str:
        return f"{self.archive_display}!/{full}"

    def display(self, path: str) -> str:
        full = self._full(path)
        return self._show(full) if full is not None else path

    def identity(self, path: str) -> str:
        full = self._full(path)
        return f"{self.path}!/{full}"

    def files(self) -> Iterator[str]:
        yield from self._members


def _read_error(exc: Exception) -> bool:
    """A failure of the archive's content, not of the linter: a bad header, a corrupt or truncated
    compressed stream (gzip, bzip2, xz), an I/O error."""
    if isinstance(exc, (tarfile.TarError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)):
        return True
    lzma = sys.modules.get("lzma")  # imported by tarfile only for .xz archives
    return lzma is not None and isinstance(exc, lzma.LZMAError)
