"""Nearest-name suggestions for findings ("did you mean ...?"): Levenshtein distance, optionally
bounded, and the closest candidate within a limit.

Used by rules through ``linter.ruleapi`` (HA508 for Ehcache element and attribute names, HA605 and
HA702 for portal property keys).
"""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance; with a ``limit``, ``limit + 1`` as soon as it is certainly larger than the limit."""
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def nearest(name: str, candidates: Iterable[str], limit: int) -> str | None:
    """The candidate closest to ``name`` within ``limit`` edits (the first in sorted order on a tie), or None."""
    best, found = limit + 1, None
    for candidate in sorted(candidates):
        d = edit_distance(name, candidate, limit)
        if d < best:
            best, found = d, candidate
    return found
