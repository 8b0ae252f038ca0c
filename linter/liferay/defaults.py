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

from linter.liferay.releases import JGROUPS5_UNSETTLED, parse_release
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


def release_delta(release: str | None) -> str | None:
    """The name of the newest delta (``portal-releases.json``) a 7.4-family release falls under,
    or None when the release is unknown or shares the base 7.4 table. Gates whose first release
    is unsettled (``JGROUPS5_UNSETTLED``) leave the release on the base table."""
    parsed = parse_release(release) if release else None
    if parsed is None or not parsed.quarterly or (parsed.year, parsed.quarter) in JGROUPS5_UNSETTLED:
        return None
    found: tuple[tuple[int, int], str] | None = None
    for name, delta in _release_deltas().items():
        first = delta["from"]
        assert isinstance(first, list)
        start = (int(first[0]), int(first[1]))
        if parsed.at_least(*start) and (found is None or start > found[0]):
            found = (start, name)
    return None if found is None else found[1]


def table_key(family: str, release: str | None) -> tuple[str, str | None]:
    """What decides a node's defaults table: the family, and for 7.4 the release name when the
    release has its own delta (one shared table per release, never one per node)."""
    if family != "7.4" or release_delta(release) is None:
        return (family, None)
    parsed = parse_release(release or "")
    assert parsed is not None
    return (family, f"{parsed.year}.Q{parsed.quarter}")


@cache
def release_defaults(family: str, release_name: str | None) -> dict[str, Default]:
    """The defaults of a family, for 7.4 with the delta of a quarterly release (``2026.Q4``) on
    top; the base table itself when ``release_name`` is None. Keys the delta sets get an origin
    naming the release and the Liferay source the value was read from."""
    base = defaults(family)
    if release_name is None:
        return base
    delta_name = release_delta(release_name)
    if delta_name is None:
        return base
    delta = _release_deltas()[delta_name]
    values = delta["values"]
    assert isinstance(values, dict)
    out = dict(base)
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
