"""Every "did you mean ...?" of the tool, in one place.

* ``nearest``: the closest name within a number of edits (Levenshtein), for names in the audited
  configuration (HA508 Ehcache names, HA605/HA702 portal property keys, through
  ``linter.ruleapi.text``);
* ``did_you_mean``: the closest word a user meant on the command line or in a config file (a rule
  selector, a config key, an option name), by similarity ratio (``difflib``'s, cut-off 0.6).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


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


def nearest(name: str, candidates: Iterable[str], limit: int, *, ignore_case: bool = False) -> str | None:
    """The candidate closest to ``name`` within ``limit`` edits (the first in sorted order on a tie), or None;
    with ``ignore_case``, letter case costs nothing."""
    best, found = limit + 1, None
    wanted = name.lower() if ignore_case else name
    for candidate in sorted(candidates):
        d = edit_distance(wanted, candidate.lower() if ignore_case else candidate, limit)
        if d < best:
            best, found = d, candidate
    return found


def close_match(word: str, choices: Iterable[str]) -> str | None:
    """The choice most similar to ``word`` (similarity ratio 0.6 or more), or None."""
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """`` (did you mean "x"?)`` for a usage or config error, or nothing."""
    close = close_match(word, choices)
    return f' (did you mean "{close}"?)' if close else ""
