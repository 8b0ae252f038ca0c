"""Every "did you mean ...?" of the tool, in one place.

* ``nearest``: the closest name within a number of edits (Levenshtein), for names in the audited
  configuration (HA508 Ehcache names, HA605/HA702 portal property keys, through
  ``linter.ruleapi.text``);
* ``did_you_mean``: the closest word a user meant on the command line or in a config file (a rule
  selector, a config key, an option name), by similarity ratio (``difflib``'s, cut-off 0.6).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance; with a ``limit``, ``limit + 1`` as soon as it is certainly larger than the limit.
    A common prefix and suffix cost nothing and are skipped; with a limit only the diagonal band of
    cells within ``limit`` of it is computed (Ukkonen), so a comparison costs O(len x limit)."""
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    start, end_a, end_b = 0, len(a), len(b)
    while start < end_a and start < end_b and a[start] == b[start]:
        start += 1
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    if not a or not b:
        distance = len(a) or len(b)
        return distance if limit is None or distance <= limit else limit + 1
    big = len(a) + len(b) + 1  # stands for "outside the band"
    band = big if limit is None else limit
    previous = [j if j <= band else big for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        ca = a[i - 1]
        low, high = max(1, i - band), min(len(b), i + band)
        current = [big] * (len(b) + 1)
        current[0] = i if i <= band else big
        row_min = current[0]
        for j in range(low, high + 1):
            cost = previous[j - 1] + (ca != b[j - 1])
            if previous[j] + 1 < cost:
                cost = previous[j] + 1
            if current[j - 1] + 1 < cost:
                cost = current[j - 1] + 1
            current[j] = cost
            if cost < row_min:
                row_min = cost
        if limit is not None and row_min > limit:
            return limit + 1
        previous = current
    distance = previous[-1]
    return distance if limit is None or distance <= limit else limit + 1


_ByLength = dict[int, list[tuple[str, str]]]  # length of the compared form -> (form, candidate), sorted


def _by_length(candidates: Iterable[str], ignore_case: bool) -> _ByLength:
    index: _ByLength = {}
    for candidate in sorted(candidates):
        form = candidate.lower() if ignore_case else candidate
        index.setdefault(len(form), []).append((form, candidate))
    return index


@lru_cache(maxsize=32)
def _shared_index(candidates: frozenset[str] | tuple[str, ...], ignore_case: bool) -> _ByLength:
    """The index of a fixed set of names (a version's known keys), built once, not once per name."""
    return _by_length(candidates, ignore_case)


MAX_SEARCHES = 2000  # "did you mean" searches of one run (each compares a name with hundreds of keys)


class SearchBudget:
    """The searches ``nearest`` may still make in this run; ``None`` outside a run (unlimited)."""

    current: SearchBudget | None = None

    def __init__(self, total: int = MAX_SEARCHES) -> None:
        self.total = total
        self.remaining = total
        self.reported = False  # the engine reports once that the budget is spent
        # a name asked again costs nothing (the candidates are kept: their id stays theirs)
        self.found: dict[tuple[str, int, int, bool], tuple[object, str | None]] = {}

    @property
    def spent(self) -> bool:
        return self.remaining <= 0

    def __enter__(self) -> SearchBudget:
        self.previous, SearchBudget.current = SearchBudget.current, self
        return self

    def __exit__(self, *exc: object) -> None:
        SearchBudget.current = self.previous


def nearest(name: str, candidates: Iterable[str], limit: int, *, ignore_case: bool = False) -> str | None:
    """The candidate closest to ``name`` within ``limit`` edits (the first in sorted order on a tie), or None;
    with ``ignore_case``, letter case costs nothing. Only candidates whose length is within ``limit``
    are compared, and within a run (``SearchBudget``) only ``MAX_SEARCHES`` names are looked up:
    150,000 unknown names against 1,200 known keys took minutes otherwise."""
    budget = SearchBudget.current
    fixed = isinstance(candidates, (frozenset, tuple))
    memo = (name, id(candidates), limit, ignore_case)
    if budget is not None:
        known = budget.found.get(memo) if fixed else None
        if known is not None and known[0] is candidates:
            return known[1]
        if budget.spent:
            return None
        budget.remaining -= 1
    if isinstance(candidates, (frozenset, tuple)):
        index = _shared_index(candidates, ignore_case)
    else:
        index = _by_length(candidates, ignore_case)
    best, found = limit + 1, None
    wanted = name.lower() if ignore_case else name
    for length in range(len(wanted) - limit, len(wanted) + limit + 1):
        for form, candidate in index.get(length, ()):
            d = edit_distance(wanted, form, limit)
            if d < best or (d == best and found is not None and candidate < found):
                best, found = d, candidate
    if budget is not None and fixed:
        budget.found[memo] = (candidates, found)
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
