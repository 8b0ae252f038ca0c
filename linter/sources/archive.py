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
_END_CHECK = 64 << 20  # bytes read past the last member to check the archive's end
_tarfile: Any = tarfile  # the private parts of tarfile used below are not in its type stubs


class _PaxRefused(Exception):
    """A pax extended header over the size limit."""


def _pax_records(buf: bytes) -> list[tuple[bytes, bytes]]:
    """The ``length keyword=value\\n`` records of a pax header, read by their lengths in linear
    time. CPython before 3.11.10/3.12.6 finds them with regular expressions that take quadratic
    time on crafted headers (CVE-2024-6232: 150 KB took 54 s); this reader stops where they stop
    (at the NUL padding) and rejects what the fixed CPython rejects."""
    records: list[tuple[bytes, bytes]] = []
    pos = 0
    while pos < len(buf) and 0x30 <= buf[pos] <= 0x39:
        space = buf.find(b" ", pos, pos + 21)  # 20 digits: more than any header can hold
        if space < 0 or not buf[pos:space].isdigit():
            raise _tarfile.InvalidHeaderError("invalid header")
        length = int(buf[pos:space])
        end = pos + length
        equals = buf.find(b"=", space + 1, end)
        if length < 5 or end > len(buf) or equals <= space + 1 or buf[end - 1] != 0x0A:
            raise _tarfile.InvalidHeaderError("invalid header")
        records.append((buf[space + 1 : equals], buf[equals + 1 : end - 1]))
        pos = end
    return records


class _TarInfo(tarfile.TarInfo):
    """Tar members whose pax headers are parsed in linear time (``_pax_records``); the rest is
    CPython's ``TarInfo._proc_pax`` as it is."""

    def _proc_pax(self, tar: Any) -> Any:
        if self.size > MAX_PAX_HEADER:
            raise _PaxRefused(f"pax header of {self.size} bytes, over the {MAX_PAX_HEADER}-byte limit")
        member: Any = self
        buf: bytes = tar.fileobj.read(member._block(self.size))
        pax_headers: dict[str, str] = tar.pax_headers if self.type == tarfile.XGLTYPE else tar.pax_headers.copy()
        records = _pax_records(buf)
        charset = next((value for key, value in records if key == b"hdrcharset"), None)
        if charset is not None:
            pax_headers["hdrcharset"] = charset.decode("utf-8", "surrogateescape")
        encoding = tar.encoding if pax_headers.get("hdrcharset") == "BINARY" else "utf-8"
        offsets: list[int] = []
        numbytes: list[int] = []
        for raw_key, raw_value in records:
            key = member._decode_pax_field(raw_key, "utf-8", "utf-8", tar.errors)
            if key in tarfile.PAX_NAME_FIELDS:
                value = member._decode_pax_field(raw_value, encoding, tar.encoding, tar.errors)
            else:
                value = member._decode_pax_field(raw_value, "utf-8", "utf-8", tar.errors)
            pax_headers[key] = value
            if key in ("GNU.sparse.offset", "GNU.sparse.numbytes") and raw_value.isdigit():
                (offsets if key == "GNU.sparse.offset" else numbytes).append(int(raw_value))
        try:
            following: Any = self.fromtarfile(tar)
        except tarfile.HeaderError as exc:
            raise _tarfile.SubsequentHeaderError(str(exc)) from None
        if "GNU.sparse.map" in pax_headers:
            member._proc_gnusparse_01(following, pax_headers)
        elif "GNU.sparse.size" in pax_headers:
            following.sparse = list(zip(offsets, numbytes, strict=False))
        elif pax_headers.get("GNU.sparse.major") == "1" and pax_headers.get("GNU.sparse.minor") == "0":
            member._proc_gnusparse_10(following, pax_headers, tar)
        if self.type in (tarfile.XHDTYPE, tarfile.SOLARIS_XHDTYPE):
            following._apply_pax_info(pax_headers, tar.encoding, tar.errors)
            following.offset = self.offset
            if "size" in pax_headers:
                offset = following.offset_data
                if following.isreg() or following.type not in tarfile.SUPPORTED_TYPES:
                    offset += following._block(following.size)
                tar.offset = offset
        return following


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
            else:
                self._check_end(archive)

    def _check_end(self, archive: tarfile.TarFile) -> None:
        """tarfile ends an archive quietly at the first header it cannot read after the first
        member: what follows must be the end-of-archive padding, and a compressed stream must
        decompress to its end (its check sum is verified there); else the archive is damaged."""
        stream: Any = archive.fileobj
        seen = 0
        while seen < _END_CHECK:  # a damaged stream fails within a few blocks of the damage
            chunk = stream.read(1 << 16)  # a corrupt compressed stream raises here: reported by _index
            if not chunk:
                return
            if chunk.strip(b"\0"):
                raise tarfile.ReadError(
                    f"a member header after byte {archive.offset} cannot be read; the members after it are missing"
                )
            seen += len(chunk)

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
