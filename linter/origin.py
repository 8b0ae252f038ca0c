"""The bottom floor: where a value came from (``Origin``), an effective ``Setting`` with its provenance,
and a ``Problem`` a reader or the loader found in the input. Imports nothing of the project."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import Enum
from typing import NamedTuple, TypeVar, cast

T = TypeVar("T")


class OriginKind(str, Enum):
    """Where a value came from."""

    FILE = "file"  # a line in a file the user can edit
    DEFAULT = "default"  # Liferay's shipped portal.properties for a version
    ENV = "env"  # a LIFERAY_* environment variable (from an env file or a manifest)
    JVM = "jvm"  # a -D JVM flag
    BUILTIN = "builtin"  # a resource shipped inside Liferay (e.g. jgroups/udp_control.xml)
    COMPUTED = "computed"  # computed by the portal at start-up (liferay.home)


class Origin(NamedTuple):
    """Where something was read: file, key position and value position (1-based).

    ``line``/``column`` locate the key (or element, or flag); ``value_line``/``value_column``
    locate the start of the value; ``end_line``/``end_column`` the end of the whole entry
    (inclusive column of its last character). For non-file origins only ``kind`` and
    ``detail`` are meaningful.
    """

    file: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    value_line: int | None = None
    value_column: int | None = None
    kind: OriginKind = OriginKind.FILE
    detail: str = ""

    def describe(self) -> str:
        """A short human description: ``portal-ext.properties:14`` or ``Liferay 7.4 default``."""
        if self.kind is OriginKind.FILE:
            if self.line is None:
                return self.file
            return f"{self.file}:{self.line}"
        if self.kind is OriginKind.DEFAULT:
            return self.detail or "Liferay default"
        if self.kind is OriginKind.ENV:
            where = f" ({self.file}:{self.line})" if self.file and self.line else ""
            return f"env {self.detail}{where}"
        if self.kind is OriginKind.JVM:
            where = f" ({self.file}:{self.line})" if self.file and self.line else ""
            return f"JVM flag {self.detail}{where}"
        return self.detail or self.kind.value


class ProblemKind(str, Enum):
    """What is wrong with an input, as a reader or the loader sees it (the engine maps each kind to
    its rule, HA001-HA005: readers know no rules)."""

    UNREADABLE = "unreadable"  # missing, not a regular file, too large, binary, outside the tree
    MALFORMED = "malformed"  # a syntax error in properties, XML, OSGi .config, YAML, TOML
    UNRESOLVED_REFERENCE = "unresolved-reference"  # a file a property names is not on the node
    UNRESOLVED_PLACEHOLDER = "unresolved-placeholder"  # ${...} that nothing defines
    REFUSED = "refused"  # refused by a safety limit: DTD, entity, size, depth, alias or other budget


class Problem(NamedTuple):
    """An input problem found by a reader or the loader."""

    kind: ProblemKind
    message: str
    origin: Origin


class Confidence(str, Enum):
    EXPLICIT = "explicit"  # set by the user in a file, env var or flag
    DEFAULT = "default"  # Liferay's default for the detected version
    UNRESOLVED = "unresolved"  # contains a ${...} nothing provides


class Setting(NamedTuple):
    """One effective portal property with its provenance.

    ``raw`` is the value before ``${...}`` substitution; ``overridden`` lists the earlier
    definitions that this one replaced, oldest first (default → portal-ext → wizard → env).
    """

    key: str
    value: str
    raw: str
    origin: Origin
    confidence: Confidence
    overridden: tuple[Setting, ...] = ()


class Defaults(Mapping[str, Setting]):
    """A table of default settings, read-only, shared by every node of one Liferay version and
    release; what is derived from it (indexes, its expansion) is computed once, with the table."""

    __slots__ = ("_derived", "table")

    def __init__(self, values: dict[str, Setting]) -> None:
        self.table = values  # never changed after construction
        self._derived: dict[str, object] = {}

    def __getitem__(self, key: str) -> Setting:
        return self.table[key]

    def get(self, key: str, default: Setting | None = None) -> Setting | None:  # type: ignore[override]
        return self.table.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.table

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        return f"Defaults({len(self.table)} keys)"

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, once per table."""
        if name not in self._derived:
            self._derived[name] = compute()
        return cast(T, self._derived[name])

    def heads(self) -> dict[str, tuple[str, ...]]:
        """The keys by their first dot-separated segment."""

        def index() -> dict[str, tuple[str, ...]]:
            found: dict[str, list[str]] = {}
            for key in self.table:
                found.setdefault(key.partition(".")[0], []).append(key)
            return {head: tuple(keys) for head, keys in found.items()}

        return self.derived("heads", index)


class Settings(Mapping[str, Setting]):
    """A node's effective settings, read-only: the keys its files, variables and flags set, and
    the defaults whose values its settings change (``own``), over the defaults of its Liferay
    version (``base``: one table shared by every node of that version, never copied per node).
    Iteration follows the base's order, then the keys new to it in the order they were set."""

    __slots__ = ("_below", "base", "extra", "own")

    def __init__(self, base: Mapping[str, Setting], own: dict[str, Setting]) -> None:
        self.base = base
        self.own = own
        self.extra: tuple[str, ...] = tuple(k for k in own if k not in base)  # keys the base lacks
        self._below = base.table if isinstance(base, Defaults) else base  # the plain dict: faster

    def __getitem__(self, key: str) -> Setting:
        found = self.own.get(key)
        return found if found is not None else self._below[key]

    def get(self, key: str, default: Setting | None = None) -> Setting | None:  # type: ignore[override]
        found = self.own.get(key)
        return found if found is not None else self._below.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.own or key in self._below

    def __iter__(self) -> Iterator[str]:
        yield from self._below
        yield from self.extra

    def __len__(self) -> int:
        return len(self._below) + len(self.extra)

    def __repr__(self) -> str:
        return f"Settings({len(self.base)} defaults, {len(self.own)} set)"

    def with_prefix(self, prefix: str) -> list[str]:
        """The keys starting with ``prefix``, in iteration order; a shared defaults table is
        indexed by first segment once, not once per node."""
        head, dot, _ = prefix.partition(".")
        base = self.base
        if dot and isinstance(base, Defaults):
            from_base: Iterable[str] = base.heads().get(head, ())
        else:
            from_base = base
        return [k for k in from_base if k.startswith(prefix)] + [k for k in self.extra if k.startswith(prefix)]
