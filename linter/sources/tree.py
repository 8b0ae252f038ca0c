"""A node's Liferay home as a read-only tree of files, wherever those files really are.

A node read from a directory has its home on disk (:class:`DiskTree`). A container defined in a
compose file or a Kubernetes manifest sees host files and ConfigMap entries mounted at paths in
the container (:class:`MountTree`); a support bundle is an archive read in place
(:class:`linter.sources.archive.ArchiveTree`). The node loader only asks a tree the questions
below, so every shape of input goes through the same Liferay semantics.

Paths are POSIX strings: relative to the Liferay home (``osgi/configs/x.config``, ``""`` for the
home itself) or absolute paths on the server (``/opt/liferay/unicast.xml``). Nothing here writes,
and no path leads outside what is being audited.
"""

from __future__ import annotations

import os
import posixpath
import stat
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar, cast

from linter.origin import Origin, Problem
from linter.paths import real_path
from linter.sources.files import (
    DigestBudget,
    Limits,
    digest_file,
    digest_refusal,
    list_directory,
    outside,
    read_bytes,
    unreadable,
)

Kind = Literal["file", "dir", "other"]


def _link_out(host: Path | str, roots: tuple[Path, ...]) -> Path | None:
    """The symbolic link on the way to ``host`` that lies inside the audited roots and leads out of
    them (what a finding should name), if any."""
    host = Path(host)
    current = Path(host.anchor) if host.is_absolute() else Path()
    for part in host.parts[1:] if host.is_absolute() else host.parts:
        current = current / part
        if (
            current.is_symlink()
            and outside(real_path(current.parent), roots) is None
            and outside(real_path(current), roots) is not None
        ):
            return current
    return None


def _unresolved_display(path: Path) -> str:
    """A path as the user typed it, relative to the working directory when below it: links not
    resolved (a finding about a link names the link, not where it points)."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    rel = os.path.relpath(absolute, cwd)
    return absolute.replace(os.sep, "/") if rel.startswith("..") else rel.replace(os.sep, "/")


T = TypeVar("T")
_MAX_SEARCH_DEPTH = 8


class Plugin(NamedTuple):
    """A deployable artifact found on a node (``osgi/modules/x.jar``, ``deploy/y.war``)."""

    folder: str  # osgi/modules, osgi/war, osgi/marketplace, deploy
    name: str
    digest: str | None  # sha256 of the content; None when it could not be read
    origin: Origin


class Mount(NamedTuple):
    """Storage a deployment mounts into a node's container (for rules about sharing it)."""

    target: str  # the path in the container, as written
    source: str  # what is mounted, as the deployment names it: a volume, a host path, a claim
    identity: str  # equal for two mounts of the same storage (a per-pod claim is per node)
    origin: Origin


class MountSpec(NamedTuple):
    """A mount as a deployment file declares it, for every node the declaration makes."""

    target: str
    source: str
    identity: str
    origin: Origin
    per_node: bool  # each node (container, pod) gets storage of its own: anonymous volume, emptyDir, ...

    def for_node(self, node: str) -> Mount:
        return Mount(self.target, self.source, self.identity + (f"#{node}" if self.per_node else ""), self.origin)


class Tree(ABC):
    """The questions the node loader asks about a node's files."""

    home: str = ""  # the Liferay home on the server, when known (``/opt/liferay``)
    # the audited trees on this machine: files and directories whose real path lies outside them
    # are neither opened nor listed (set by the loader; empty: only the tree's own checks)
    roots: tuple[Path, ...] = ()

    @abstractmethod
    def kind(self, path: str) -> Kind | None:
        """``file``, ``dir``, ``other`` or None when nothing (readable) is there; never raises."""

    @abstractmethod
    def lexists(self, path: str) -> bool:
        """Something is at this path, even a dangling or looping link."""

    @abstractmethod
    def listdir(self, path: str) -> list[str]:
        """Names in a directory, sorted; empty when it is not a readable directory."""

    def read(self, path: str, limits: Limits) -> bytes | Problem:
        """The whole content of a file, or an ``UNREADABLE`` problem saying why not. A file read
        is remembered, so that ``lines`` can show it again (its display name is worked out only
        then: loading pays nothing for it)."""
        data = self._read(path, limits)
        if not isinstance(data, Problem):
            read: dict[str, Limits] = self.__dict__.setdefault("_read_files", {})
            read.setdefault(path, limits)
        return data

    @abstractmethod
    def _read(self, path: str, limits: Limits) -> bytes | Problem:
        """``read`` without remembering."""

    def remembers(self, path: str) -> bool:
        """Whether ``lines`` may show this file again under its display name."""
        return True

    def lines(self, display: str) -> list[str] | None:
        """The lines of a file this tree has read, by its display name, read again the same way
        (for the snippets of findings; confined and limited like the first read). None for a
        file the tree did not read or that cannot be read any more."""
        read: dict[str, Limits] = self.__dict__.get("_read_files", {})
        known: tuple[int, dict[str, tuple[str, Limits]]] | None = self.__dict__.get("_read_by_display")
        if known is None or known[0] != len(read):
            index: dict[str, tuple[str, Limits]] = {}
            for path, limits in read.items():
                if self.remembers(path):
                    index.setdefault(self.display(path), (path, limits))
            known = (len(read), index)
            self.__dict__["_read_by_display"] = known
        entry = known[1].get(display)
        if entry is None:
            return None
        data = self._read(*entry)
        return None if isinstance(data, Problem) else data.decode("utf-8", errors="replace").splitlines()

    @abstractmethod
    def display(self, path: str) -> str:
        """How the file is named in diagnostics: the file a user would edit."""

    @abstractmethod
    def identity(self, path: str) -> str:
        """Equal for two paths that are the same file (links resolved)."""

    def unlistable(self, path: str) -> Problem | None:
        """An ``UNREADABLE`` problem when ``path`` is a directory whose entries cannot be listed."""
        return None

    def forget_lookups(self) -> None:
        """Drop what was remembered while the node was read (listings, kinds, by-name indexes): a
        node keeps its tree only to show the lines of the files it read."""
        self.__dict__.pop("_cached", None)

    def denials(self) -> list[Problem]:
        """Directories met while answering questions that could not be looked into (permission
        denied, a link out of the audited tree): said once each, so no subtree is passed over
        silently."""
        return list(self.__dict__.get("_denials", {}).values())

    def _deny(self, directory: str, message: str) -> None:
        denials: dict[str, Problem] = self.__dict__.setdefault("_denials", {})
        shown = self.display(directory)
        denials.setdefault(shown, unreadable(shown, message))

    def _host_dir(self, path: str, host: Path | str) -> bool:
        """Whether a directory on this machine may be listed (and say why not)."""
        if self.roots and outside(host, self.roots) is not None:
            self._deny_outside(path, host)
            return False
        return True

    def _deny_outside(self, path: str, host: Path | str) -> None:
        """Say once that a directory leads out of the tree: the link itself when one lies inside."""
        link = _link_out(host, self.roots)
        shown = _unresolved_display(link) if link is not None else None
        denials: dict[str, Problem] = self.__dict__.setdefault("_denials", {})
        if shown is not None:  # the link itself, once, not the target's subfolders it was asked about
            denials.setdefault(shown, unreadable(shown, "symbolic link points outside the audited tree; not followed"))
        else:
            self._deny(path, "symbolic link points outside the audited tree; not followed")

    def _host_names(self, path: str, host: Path | str) -> list[str]:
        """``os.listdir`` of a directory checked against the roots by name and again once opened
        (``list_directory``); its errors are raised."""
        if not self._host_dir(path, host):
            return []
        names = list_directory(host, self.roots)
        if names is None:  # it became a link out of the tree since it was looked at
            self._deny_outside(path, host)
            return []
        return names

    def _host_kind(self, path: str, host: Path | str) -> Kind | None:
        try:
            mode = os.stat(host).st_mode
        except PermissionError:
            self._deny(posixpath.dirname(path), "permission denied: cannot look inside the directory")
            return None
        except (OSError, ValueError):
            return None
        if stat.S_ISDIR(mode):
            return "dir"
        return "file" if stat.S_ISREG(mode) else "other"

    def _host_listdir(self, path: str, host: Path | str) -> list[str]:
        try:
            return self._host_names(path, host)
        except PermissionError:
            self._deny(path, "permission denied: cannot list the directory")
        except (OSError, ValueError):
            pass
        return []

    def digest(self, path: str, limits: Limits) -> str | Problem:
        """sha256 of a file's content (a plugin), within the hashing limits (``digest_file``), or
        the problem that kept it from being hashed."""
        return unreadable(self.display(path), "cannot be hashed")

    def contains(self, path: str) -> bool:
        """Whether the file really lies in the node's tree (a link may lead out of it)."""
        return True

    def is_file(self, path: str) -> bool:
        return self.kind(path) == "file"

    def is_dir(self, path: str) -> bool:
        return self.kind(path) == "dir"

    def join(self, *parts: str) -> str:
        joined = posixpath.join(*parts) if parts else ""
        if not joined:
            return ""
        norm = posixpath.normpath(joined)
        return "" if norm == "." else norm

    def find_by_name(self, name: str) -> str | None:
        """The first file called ``name`` anywhere below the home (depth-first, sorted); the
        tree is walked once and indexed, as a node may look up several names."""

        def build() -> dict[str, str]:
            index: dict[str, str] = {}
            for found in self.walk_files("", _MAX_SEARCH_DEPTH):
                index.setdefault(posixpath.basename(found), found)
            return index

        return self.cached("by-name", build).get(name)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """A value computed once per tree: the loader asks some questions several times."""
        store: dict[str, Any] = self.__dict__.setdefault("_cached", {})
        if key not in store:
            store[key] = compute()
        return cast(T, store[key])

    def walk_files(self, path: str, depth: int) -> Iterator[str]:
        if depth < 0:
            return
        for name in self.listdir(path):
            child = self.join(path, name)
            kind = self.kind(child)
            if kind == "file" and self.reachable(child):
                yield child
            elif kind == "dir" and self.descend(child):
                yield from self.walk_files(child, depth - 1)

    def descend(self, path: str) -> bool:
        """Whether a directory search may enter this directory."""
        return True

    def reachable(self, path: str) -> bool:
        """Whether a directory search may return this file."""
        return True


def _listing_problem(found: list[str] | OSError, display: str) -> Problem | None:
    """An ``UNREADABLE`` problem when listing a directory failed (``found`` is the error)."""
    if isinstance(found, PermissionError):
        return unreadable(display, "permission denied: cannot list the directory")
    if isinstance(found, OSError):
        return unreadable(display, f"cannot list the directory: {found.strerror or found}")
    return None


class DiskTree(Tree):
    """A Liferay home that is a directory on this machine (a node directory, a live home)."""

    def __init__(self, root: Path, display: str) -> None:
        self.root = root
        self._display = display
        self._real_root = real_path(root)
        self._shown: dict[str, str] = {}
        self._root_text = os.fspath(root).rstrip("/") or "/"
        self._kinds: dict[str, Kind | None] = {}
        self._listed: dict[str, list[str] | OSError] = {}

    def path(self, path: str) -> str | None:
        """The path on disk; absolute paths count only when they lie inside the home."""
        if path.startswith("/"):
            real = real_path(path) if os.path.lexists(path) else os.path.abspath(path)
            root = self._real_root
            if real == root or real.startswith(root.rstrip("/") + "/"):
                return path
            return None
        # a string, not a Path: the loader asks about ~80 paths per node and pathlib objects cost
        return self._root_text + "/" + path if path else self._root_text

    # The loader asks a node's tree about the same few paths many times (each node directory was
    # listed 26 times in a 1,000-node audit): kinds and listings are looked at once per tree, which
    # lives for one run.

    def forget_lookups(self) -> None:
        super().forget_lookups()
        self._kinds.clear()
        self._listed.clear()

    def kind(self, path: str) -> Kind | None:
        if path in self._kinds:
            return self._kinds[path]
        target = self.path(path)
        found = None if target is None else self._host_kind(path, target)
        self._kinds[path] = found
        return found

    def lexists(self, path: str) -> bool:
        target = self.path(path)
        return target is not None and os.path.lexists(target)

    def _listing(self, path: str) -> list[str] | OSError:
        """The sorted names in a directory, or why it cannot be listed ([] when it may not be)."""
        found = self._listed.get(path)
        if found is None:
            target = self.path(path)
            try:
                found = [] if target is None else sorted(self._host_names(path, target))
            except OSError as exc:
                found = exc
            except ValueError:
                found = []
            self._listed[path] = found
        return found

    def listdir(self, path: str) -> list[str]:
        found = self._listing(path)
        if isinstance(found, PermissionError):
            self._deny(path, "permission denied: cannot list the directory")
        return [] if isinstance(found, OSError) else list(found)

    def unlistable(self, path: str) -> Problem | None:
        if self.kind(path) != "dir":
            return None
        return _listing_problem(self._listing(path), self.display(path))

    def _read(self, path: str, limits: Limits) -> bytes | Problem:
        target = self.path(path)
        if target is None:
            return unreadable(path, "outside the audited tree; not read")
        return read_bytes(target, self.display(path), limits)

    def digest(self, path: str, limits: Limits) -> str | Problem:
        target = self.path(path)
        if target is None:
            return unreadable(path, "outside the audited tree; not read")
        return digest_file(target, self.display(path), limits._replace(roots=self.roots or limits.roots))

    def display(self, path: str) -> str:
        shown = self._shown.get(path)
        if shown is None:
            from linter.paths import display_path

            target = self.path(path)
            shown = display_path(target) if target is not None else path
            self._shown[path] = shown
        return shown

    def identity(self, path: str) -> str:
        target = self.path(path)
        if target is None:
            return "outside:" + path
        try:
            return real_path(target)
        except (OSError, ValueError):
            return os.path.abspath(target)

    def contains(self, path: str) -> bool:
        target = self.path(path)
        if target is None:
            return False
        real = real_path(target)
        return real == self._real_root or real.startswith(self._real_root.rstrip("/") + "/")

    def descend(self, path: str) -> bool:
        """Links are not followed during a search (a link out of the tree, or a loop)."""
        target = self.path(path)
        return target is not None and not os.path.islink(target)

    def reachable(self, path: str) -> bool:
        """A link found by a search counts only when it stays inside the tree."""
        target = self.path(path)
        return target is not None and (not os.path.islink(target) or self.contains(path))


# ----------------------------------------------------------------------------- mounts


class Blob(NamedTuple):
    """File content that is not a file of its own: a ConfigMap entry, an archive member.

    ``data`` is laid out so that line N of the content is line N of ``display`` (a YAML block
    scalar keeps its lines and columns), so diagnostics point into the manifest itself.
    """

    data: bytes | Problem
    display: str


class Source(NamedTuple):
    """What is mounted at a container path: a host file or directory, a blob, or a blob folder."""

    host: Path | None = None
    host_display: str = ""
    blob: Blob | None = None
    folder: tuple[tuple[str, Blob], ...] | None = None  # a ConfigMap or Secret mounted as a directory


# where the official images take files from at start: (mounted directory, place in the home)
IMAGE_DIRS = (
    ("/mnt/liferay/files", ""),
    ("/mnt/liferay/deploy", "deploy"),
    ("/etc/liferay/mount/files", ""),
    ("/etc/liferay/mount/deploy", "deploy"),
)
_IMAGE_PARENTS = ("/mnt/liferay", "/etc/liferay/mount")
# The entrypoint takes /etc/liferay/mount as its mount root when that directory exists, else
# /mnt/liferay (LIFERAY_MOUNT_DIR; liferay/liferay-docker templates/bundle/resources/usr/local/bin/
# liferay_entrypoint.sh, current images): anything mounted under /etc/liferay/mount makes it exist,
# and then nothing under /mnt/liferay is copied or linked.
PREFERRED_MOUNT_ROOT = "/etc/liferay/mount"
FALLBACK_MOUNT_ROOT = "/mnt/liferay"


def _under(path: str, root: str) -> bool:
    path = posixpath.normpath(path)
    return path == root or path.startswith(root + "/")


def image_mount_root(targets: Iterable[str]) -> str:
    """The mount root the official image's entrypoint uses for a container with these mount targets."""
    return PREFERRED_MOUNT_ROOT if any(_under(t, PREFERRED_MOUNT_ROOT) for t in targets) else FALLBACK_MOUNT_ROOT


def shadowed_mount_notes(specs: Iterable[MountSpec], targets: Iterable[str]) -> list[str]:
    """Notes for the mounts under /mnt/liferay that the image ignores because something is mounted
    under /etc/liferay/mount (``targets``: every path mounted or copied into the container)."""
    if image_mount_root(targets) != PREFERRED_MOUNT_ROOT:
        return []
    return [
        f"{spec.origin.describe()}: {spec.source} at {spec.target} is ignored by the official Liferay image: "
        f"something is mounted under {PREFERRED_MOUNT_ROOT}, so its entrypoint takes that as the mount root and "
        f"never copies or links {FALLBACK_MOUNT_ROOT} (move the mount under {PREFERRED_MOUNT_ROOT}, or move the "
        f"other mounts to {FALLBACK_MOUNT_ROOT})"
        for spec in specs
        if _under(spec.target, FALLBACK_MOUNT_ROOT)
    ]


def image_mounts(target: str, source: Source, home: str) -> list[tuple[str, Source]]:
    """A mount as the container sees it; a whole ``/mnt/liferay`` (or ``/etc/liferay/mount``)
    directory also provides the ``files`` and ``deploy`` folders that the image's entrypoint uses."""
    out = [(target, source)]
    norm = posixpath.normpath(target)
    if norm in _IMAGE_PARENTS and source.host is not None:
        for sub in ("files", "deploy"):
            out.append((f"{norm}/{sub}", Source(host=source.host / sub, host_display=f"{source.host_display}/{sub}")))
    return out


class MountTree(Tree):
    """A container's view: its Liferay home plus whatever the deployment mounts into it.

    The official Liferay images copy ``<mount root>/files/*`` into the Liferay home at start and
    use ``<mount root>/deploy`` as the hot-deploy folder; mounts there are seen at the home. The
    mount root is ``/etc/liferay/mount`` when anything is mounted under it, else ``/mnt/liferay``
    (:func:`image_mount_root`): mounts under the other root stay where they are, unused.
    """

    def __init__(self, home: str, mounts: list[tuple[str, Source]], mount_root: str | None = None) -> None:
        """``mount_root``: the image's mount root when the deployment mounts more than ``mounts``
        holds (named volumes, claims); by default, worked out from ``mounts``."""
        self.home = posixpath.normpath(home)
        self.mounts: dict[str, Source] = {}
        self.mount_root = mount_root or image_mount_root(target for target, _ in mounts)
        for target, source in mounts:
            self.mounts[self._translate(posixpath.normpath(target))] = source

    def _translate(self, target: str) -> str:
        for image_dir, home_dir in IMAGE_DIRS:
            if not image_dir.startswith(self.mount_root + "/"):
                continue  # the entrypoint reads the other root only
            if target == image_dir or target.startswith(image_dir + "/"):
                rest = target[len(image_dir) :].lstrip("/")
                return (
                    posixpath.normpath(posixpath.join(self.home, home_dir, rest)) if (home_dir or rest) else self.home
                )
        return target

    def absolute(self, path: str) -> str:
        full = path if path.startswith("/") else posixpath.join(self.home, path)
        return posixpath.normpath(full)

    def _find(self, path: str) -> tuple[Source, str] | None:
        """The mount covering an absolute path, and the rest of the path inside it."""
        best: str | None = None
        for target in self.mounts:
            if (path == target or path.startswith(target.rstrip("/") + "/")) and (
                best is None or len(target) > len(best)
            ):
                best = target
        if best is None:
            return None
        return self.mounts[best], path[len(best) :].lstrip("/")

    def _children_of_mount_points(self, path: str) -> set[str]:
        prefix = path.rstrip("/") + "/"
        return {t[len(prefix) :].split("/", 1)[0] for t in self.mounts if t.startswith(prefix)}

    def _host(self, source: Source, rest: str) -> Path:
        assert source.host is not None
        return source.host / rest if rest else source.host

    def kind(self, path: str) -> Kind | None:
        full = self.absolute(path)
        found = self._find(full)
        if found is not None:
            source, rest = found
            if source.host is not None:
                kind = self._host_kind(path, self._host(source, rest))
                if kind is not None:
                    return kind
            elif source.blob is not None:
                if not rest:
                    return "file"
            elif source.folder is not None:
                if not rest:
                    return "dir"
                if any(name == rest for name, _ in source.folder):
                    return "file"
        return "dir" if self._children_of_mount_points(full) else None

    def unlistable(self, path: str) -> Problem | None:
        found = self._find(self.absolute(path))
        if found is None or found[0].host is None:
            return None
        host = self._host(*found)
        if not os.path.isdir(host):  # nothing there (a folder that only holds a deeper mount point)
            return None
        try:
            names: list[str] | OSError = self._host_names(path, host)  # confined, as every listing
        except OSError as exc:
            names = exc
        except ValueError:
            names = []
        return _listing_problem(names, self.display(path))

    def lexists(self, path: str) -> bool:
        full = self.absolute(path)
        found = self._find(full)
        if found is not None and found[0].host is not None:
            return os.path.lexists(self._host(*found))
        return self.kind(path) is not None

    def listdir(self, path: str) -> list[str]:
        full = self.absolute(path)
        names = self._children_of_mount_points(full)
        found = self._find(full)
        if found is not None:
            source, rest = found
            if source.host is not None:
                names.update(self._host_listdir(path, self._host(source, rest)))
            elif source.folder is not None and not rest:
                names.update(name for name, _ in source.folder)
        return sorted(names)

    def _blob(self, path: str) -> Blob | None:
        found = self._find(self.absolute(path))
        if found is None:
            return None
        source, rest = found
        if source.blob is not None and not rest:
            return source.blob
        if source.folder is not None:
            return next((blob for name, blob in source.folder if name == rest), None)
        return None

    def remembers(self, path: str) -> bool:
        # content a manifest carries (a ConfigMap) is shown from the manifest file itself
        found = self._find(self.absolute(path))
        return found is not None and found[0].host is not None

    def _read(self, path: str, limits: Limits) -> bytes | Problem:
        full = self.absolute(path)
        found = self._find(full)
        if found is not None and found[0].host is not None:
            return read_bytes(self._host(*found), self.display(path), limits)
        blob = self._blob(path)
        if blob is None:
            return unreadable(self.display(path), "not in the container: nothing is mounted there")
        if isinstance(blob.data, Problem):
            return blob.data
        if len(blob.data) > limits.max_file_size:
            return unreadable(
                blob.display, f"content is {len(blob.data)} bytes, over the {limits.max_file_size}-byte limit"
            )
        return blob.data

    def digest(self, path: str, limits: Limits) -> str | Problem:
        found = self._find(self.absolute(path))
        if found is not None and found[0].host is not None:
            return digest_file(
                self._host(*found), self.display(path), limits._replace(roots=self.roots or limits.roots)
            )
        blob = self._blob(path)
        if blob is None or isinstance(blob.data, Problem):
            return super().digest(path, limits)
        import hashlib

        budget = limits.digests if limits.digests is not None else DigestBudget()
        problem = digest_refusal(len(blob.data), blob.display, budget)
        if problem is not None:
            return problem
        budget.remaining -= len(blob.data)
        return hashlib.sha256(blob.data).hexdigest()

    def display(self, path: str) -> str:
        from linter.paths import display_path

        full = self.absolute(path)
        found = self._find(full)
        if found is not None and found[0].host is not None:
            return display_path(self._host(*found))
        blob = self._blob(path)
        return blob.display if blob is not None else full

    def identity(self, path: str) -> str:
        full = self.absolute(path)
        found = self._find(full)
        if found is not None and found[0].host is not None:
            return real_path(self._host(*found))
        return "container:" + full
