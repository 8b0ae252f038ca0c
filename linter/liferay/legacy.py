"""Liferay's ``VerifyProperties`` tables: portal property keys that a version lists as obsolete,
renamed, migrated to a system property or modularized into an OSGi configuration (generated from
``verify-properties-legacy-keys.tsv``; Liferay's ``VerifyProperties.java`` at the tags named)."""

from __future__ import annotations

import functools
from typing import NamedTuple

from linter.liferay.defaults import verify_properties as _verify_properties


class LegacyKey(NamedTuple):
    """A row of Liferay's VerifyProperties table: ``kind`` is obsolete, renamed,
    migrated-to-system-property, modularized-to-osgi-config (or a system-* variant)."""

    kind: str
    old_key: str
    new_key: str
    module: str
    table: str  # which VerifyProperties it comes from ("6.2.5-ga6", "master-2024-12")


def legacy_table_for(family: str) -> str | None:
    """The VerifyProperties table that applies to a family: 6.2.5's for 6.2, master's (2024-12) for
    7.x (an approximation for 7.0-7.3, whose own tables were not saved), none for 6.0/6.1."""
    if family == "6.2":
        return "6.2.5-ga6"
    if family.startswith("7."):
        return "master-2024-12"
    return None


def legacy_key(family: str, key: str) -> LegacyKey | None:
    """Whether Liferay's VerifyProperties of the family lists ``key`` as obsolete, renamed,
    migrated or modularized (generated from verify-properties-legacy-keys.tsv)."""
    table = legacy_table_for(family)
    if table is None:
        return None
    index = _legacy_index(table)
    return index.get(key)


@functools.cache
def _legacy_index(table: str) -> dict[str, LegacyKey]:
    out: dict[str, LegacyKey] = {}
    for kind, rows in _verify_properties().get(table, {}).items():
        for old, new, module in rows:
            out.setdefault(old, LegacyKey(kind, old, new, module, table))
    return out
