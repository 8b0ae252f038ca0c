"""Portal property keys for rules: the entries a node's own files write, the keys Liferay's
``portal.properties`` defines, Liferay's tables of legacy keys, and ``LIFERAY_*`` decoding."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from linter.liferay.defaults import known_keys, liferay_default
from linter.liferay.detect import is_official_repository
from linter.liferay.env import (
    IMAGE_VARIABLES,
    NOT_PROPERTY_PREFIXES,
    RENAMED_IMAGE_VARIABLES,
    Decoded,
    property_key,
)
from linter.liferay.key_families import is_known_key, key_pool
from linter.liferay.keys import NODE_SPECIFIC
from linter.liferay.legacy import LegacyKey, legacy_key
from linter.model import Node
from linter.origin import Origin, OriginKind
from linter.sources.properties import PropertyEntry, commons_list

__all__ = [
    "IMAGE_VARIABLES",
    "NODE_SPECIFIC",
    "NOT_PROPERTY_PREFIXES",
    "RENAMED_IMAGE_VARIABLES",
    "Decoded",
    "LegacyKey",
    "PropertyEntry",
    "commons_list",
    "is_known_key",
    "key_pool",
    "known_keys",
    "legacy_key",
    "liferay_default",
    "official_image",
    "property_key",
    "set_anywhere",
    "written_entries",
]


def set_anywhere(nodes: Iterable[Node]) -> set[str]:
    """Every key whose setting may differ between the nodes: the keys some node sets or changes
    (its own files, variables, flags, expanded placeholders), and every default key when the
    nodes do not share one defaults table (different Liferay versions). A key outside this set is
    the same shared default on every node."""
    keys: set[str] = set()
    bases: dict[int, Mapping[str, object]] = {}
    for node in nodes:
        keys.update(node.settings.own)
        bases[id(node.settings.base)] = node.settings.base
    if len(bases) > 1:
        for base in bases.values():
            keys.update(base)
    return keys


def written_entries(node: Node) -> Iterator[PropertyEntry]:
    """The keys the node's own properties files write: each key's first entry in each file, without
    Liferay's built-in defaults and entries that do not come from a file line."""
    for source in node.properties:
        if source.role == "builtin":
            continue
        seen: set[str] = set()
        for entry in source.file.entries:
            key = entry.key
            if key in seen or not key or entry.origin.kind is not OriginKind.FILE:
                continue
            seen.add(key)
            yield entry


def official_image(node: Node) -> tuple[str, Origin] | None:
    """The official Liferay image (liferay/dxp, liferay/portal) the node runs or is built from, and
    where a deployment file names it; None for a node without one."""
    return next(((image, origin) for image, origin in node.images if is_official_repository(image)), None)
