"""The bottom floor: where a value came from (``Origin``), an effective ``Setting`` with its provenance,
and a ``Problem`` a reader or the loader found in the input. Imports nothing of the project."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


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
