"""Liferay's default portal properties per version family, from the generated tables.

6.0, 6.1, 6.2 and 7.4 come straight from Liferay's ``portal.properties`` of those releases
(``shared/corpus/liferay``). No pristine 7.0-7.3 file was available; their tables are the 7.4
defaults with Liferay's own ``portal-legacy-<family>.properties`` applied newest first (each
legacy file holds the old defaults of keys whose default changed in the next release), and
their origins say so.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

from linter.liferay.releases import parse_release
from linter.liferay.versions import FAMILIES, family_key
from linter.origin import Origin, OriginKind

_DIRECT = ("6.0", "6.1", "6.2", "7.4")
DATA_DIR = Path(__file__).resolve().parent / "data"


class Default(NamedTuple):
    value: str
    origin: Origin


def _load(name: str) -> object:
    data = (DATA_DIR / name).read_text(encoding="utf-8")
    return json.loads(data)


@cache
def _portal(family: str) -> dict[str, object]:
    table = _load(f"portal-{family}.json")
    assert isinstance(table, dict)
    return table


@cache
def legacy_tables() -> dict[str, dict[str, str]]:
    table = _load("legacy.json")
    assert isinstance(table, dict)
    return table


@cache
def verify_properties() -> dict[str, dict[str, list[list[str]]]]:
    table = _load("verify-properties.json")
    assert isinstance(table, dict)
    return table


@cache
def defaults(family: str) -> dict[str, Default]:
    """Every default key of the family with its origin."""
    if family not in FAMILIES:
        raise KeyError(family)
    if family in _DIRECT:
        table = _portal(family)
        label = str(table["label"])
        values = table["values"]
        assert isinstance(values, dict)
        return {
            key: Default(
                str(value),
                Origin(
                    file="portal.properties",
                    line=int(line),
                    kind=OriginKind.DEFAULT,
                    detail=f"Liferay {family} default (portal.properties {label}, line {line})",
                ),
            )
            for key, (value, line) in values.items()
        }
    # 7.0-7.3: walk down from 7.4 applying the legacy overlays of each newer family.
    out = dict(defaults("7.4"))
    legacy = legacy_tables()
    newer = [f for f in FAMILIES if family_key(family) <= family_key(f) < family_key("7.4")]
    for step in sorted(newer, key=family_key, reverse=True):
        for key, value in legacy.get(step, {}).items():
            out[key] = Default(
                value,
                Origin(
                    file="portal-legacy.properties",
                    kind=OriginKind.DEFAULT,
                    detail=f"Liferay {family} default (portal-legacy-{step}.properties)",
                ),
            )
    relabelled: dict[str, Default] = {}
    for key, d in out.items():
        if d.origin.detail.startswith("Liferay 7.4 default"):
            origin = Origin(
                file=d.origin.file,
                line=d.origin.line,
                kind=OriginKind.DEFAULT,
                detail=f"Liferay {family} default (approximated by 7.4 portal.properties, line {d.origin.line})",
            )
            relabelled[key] = Default(d.value, origin)
        else:
            relabelled[key] = d
    return relabelled


def known_keys(family: str) -> frozenset[str]:
    return frozenset(defaults(family))


def liferay_default(family: str, key: str) -> str | None:
    """Liferay's shipped default of a portal property for a version family (None when undefined)."""
    found = defaults(family).get(key)
    return found.value if found is not None else None


@cache
def _release_deltas() -> dict[str, dict[str, object]]:
    table = _load("portal-releases.json")
    assert isinstance(table, dict)
    deltas = table["deltas"]
    assert isinstance(deltas, dict)
    return deltas


def _first(delta: dict[str, object]) -> tuple[int, int]:
    first = delta["from"]
    assert isinstance(first, list)
    return (int(first[0]), int(first[1]))


def release_changes(release: str | None) -> tuple[str, ...]:
    """The change sets (``portal-releases.json``) a 7.4-family release falls under, oldest first:
    every set whose first release it has reached, except where the set's first release is
    unsettled for it (``unsettled``: the JGroups 5 stacks on 2026.Q3). Empty when the release is
    unknown, not quarterly, or older than every set: it keeps the base 7.4 table."""
    parsed = parse_release(release) if release else None
    if parsed is None or not parsed.quarterly:
        return ()
    found: list[tuple[tuple[int, int], str]] = []
    for name, delta in _release_deltas().items():
        unsettled = delta.get("unsettled", [])
        assert isinstance(unsettled, list)
        if [parsed.year, parsed.quarter] in unsettled:
            continue
        start = _first(delta)
        if parsed.at_least(*start):
            found.append((start, name))
    return tuple(name for _, name in sorted(found))


def table_key(family: str, release: str | None) -> tuple[str, str | None]:
    """What decides a node's defaults table: the family, and for 7.4 the release name when the
    release has change sets (one shared table per release, never one per node)."""
    if family != "7.4" or not release_changes(release):
        return (family, None)
    parsed = parse_release(release or "")
    assert parsed is not None
    return (family, f"{parsed.year}.Q{parsed.quarter}")


@cache
def release_defaults(family: str, release_name: str | None) -> dict[str, Default]:
    """The defaults of a family, for 7.4 with the change sets of a quarterly release (``2025.Q4``)
    applied oldest first: a release's table is the base plus every change up to it. The base table
    itself when ``release_name`` is None. Keys a set changes get an origin naming the release, the
    set and the Liferay source the value was read from; keys a set removes leave the table."""
    base = defaults(family)
    if release_name is None:
        return base
    names = release_changes(release_name)
    if not names:
        return base
    out = dict(base)
    for name in names:
        delta = _release_deltas()[name]
        values = delta["values"]
        removed = delta.get("removed", {})
        assert isinstance(values, dict) and isinstance(removed, dict)
        for key in removed:
            out.pop(key, None)
        for key, entry in values.items():
            assert isinstance(entry, dict)
            out[key] = Default(
                str(entry["value"]),
                Origin(
                    file="portal.properties",
                    kind=OriginKind.DEFAULT,
                    detail=f"Liferay {release_name} default ({delta['label']}, {str(entry['source']).split(';')[0]})",
                ),
            )
    return out
