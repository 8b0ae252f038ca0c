"""The model every layer above the loader shares: a ``Cluster`` of ``Node``s, as data only.

A node is one Liferay server: the properties files of its include-and-override chain in load
order, its OSGi configurations, JVM flags, environment variables, the XML its properties name
(``Reference``), inline suppressions, mounts and plugins, and its effective settings with their
origins. The loader (``linter.load``) builds these; rules, ``show`` and the engine only read them.
Nothing here reads a file or knows a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from linter.origin import Origin, Problem, Setting, Settings

if TYPE_CHECKING:  # the readers' types, for annotations: the model itself loads no reader
    from linter.sources.ehcache import EhcacheConfig
    from linter.sources.env_file import EnvVar
    from linter.sources.jgroups import JGroupsStack
    from linter.sources.jvm_flags import JvmFlag
    from linter.sources.osgi_config import OsgiConfig
    from linter.sources.properties import PropertiesFile
    from linter.sources.tree import Mount, Plugin, Tree


class LineSource(Protocol):
    """Where the snippets of findings come from: the lines of a file the loader read, by its
    display name, read again from where it was read (a node's tree, or the audited directory);
    None for any other file."""

    def lines(self, display: str) -> list[str] | None: ...


class FirstOf:
    """Several line sources asked in order: the first that has the file answers. ``by_folder``
    names the source to ask first for files under a folder (a node's directory: its own tree), so
    a file of one of 1,000 directory nodes is not looked for in the other 999 trees."""

    def __init__(self, sources: list[LineSource], by_folder: dict[str, LineSource] | None = None) -> None:
        self.sources = sources
        self.by_folder = by_folder or {}

    def lines(self, display: str) -> list[str] | None:
        folder = display
        while self.by_folder and "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            source = self.by_folder.get(folder)
            if source is not None:
                found = source.lines(display)
                if found is not None:
                    return found
                break
        return next((found for s in self.sources if (found := s.lines(display)) is not None), None)


class PropertiesSource(NamedTuple):
    """A properties file that is part of the node's chain, in load order."""

    role: str  # "portal-ext.properties", or "include" for include-and-override targets
    file: PropertiesFile
    included_by: str | None = None


@dataclass(frozen=True)
class Node:
    name: str
    path: str  # display path of the node directory
    root: Path
    properties: tuple[PropertiesSource, ...]
    osgi: tuple[OsgiConfig, ...]
    jvm_flags: tuple[JvmFlag, ...]
    env: tuple[EnvVar, ...]
    settings: Settings
    files: tuple[str, ...]
    problems: tuple[Problem, ...]
    references: tuple[Reference, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    unread_files: tuple[str, ...] = ()  # portal-*.properties present on the node that its chain does not load
    mounts: tuple[Mount, ...] = ()  # storage a compose file or Kubernetes manifest mounts into the container
    plugins: tuple[Plugin, ...] = ()  # artifacts in osgi/modules, osgi/war, osgi/marketplace, deploy
    deployment: str | None = None  # "compose", "kubernetes", "archive" or None for a directory
    home: str | None = None  # the Liferay home in the node's container, when it is one
    # the node's own Liferay version family and why (its cluster's when it has no evidence of its own)
    version: str | None = None
    version_source: str = ""
    version_origin: Origin | None = None  # where its heaviest version evidence is
    release: str | None = None  # its 7.4-family release as written (an image tag), when known
    # the networks its multicast reaches: "host" (the machine's own, a bundle or host networking),
    # a compose project's network, a Kubernetes namespace
    networks: frozenset[str] = frozenset({"host"})
    # why part of its configuration is not visible (a private Liferay image): Liferay's defaults
    # may not be what it runs, so findings that rest on them are said at lower severity
    unseen: str | None = None
    tree: Tree | None = field(default=None, compare=False, repr=False)  # where its files were read
    # the container images it runs or is built from, where a deployment file names them
    images: tuple[tuple[str, Origin], ...] = ()

    def setting(self, key: str) -> Setting | None:
        return self.settings.get(key)

    def reference(self, key: str) -> Reference | None:
        for ref in self.references:
            if ref.key == key:
                return ref
        return None

    def osgi_config(self, pid: str) -> OsgiConfig | None:
        for config in self.osgi:
            if config.pid == pid:
                return config
        return None

    def system_property(self, name: str) -> JvmFlag | None:
        found = None
        for flag in self.jvm_flags:
            if flag.is_system_property and flag.name == name:
                found = flag
        return found


@dataclass(frozen=True)
class Cluster:
    name: str
    path: str
    version: str | None
    version_source: str
    nodes: tuple[Node, ...]
    problems: tuple[Problem, ...] = ()
    sources: LineSource | None = field(default=None, compare=False, repr=False)  # for snippets

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(f for n in self.nodes for f in n.files)


class Reference(NamedTuple):
    """What one property names: an inline stack, a file, a built-in resource, or nothing found.

    ``kind`` is ``inline``, ``file``, ``builtin``, ``jgroups-jar``, ``url``, ``unresolved`` (the
    value still holds ``${...}``) or ``missing``.
    """

    key: str
    setting: Setting
    kind: str
    origin: Origin  # where the content is: the file (line 1), the built-in, or the property
    jgroups: JGroupsStack | None = None
    ehcache: EhcacheConfig | None = None
    transport_hint: str | None = None  # for JGroups jar stacks known by name only

    @property
    def transport(self) -> str | None:
        if self.jgroups is not None:
            return self.jgroups.transport_kind
        return self.transport_hint


class Suppression(NamedTuple):
    file: str
    line: int  # the comment's line
    selectors: tuple[str, ...]
    reason: str
    first: int  # lines covered (inclusive)
    last: int

    def covers(self, file: str | None, line: int | None) -> bool:
        return file == self.file and line is not None and self.first <= line <= self.last
