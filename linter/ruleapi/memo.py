"""Per-run memos of what several rules derive from one node or cluster.

Rules are pure functions of the audit, so a view that many of them build from the same node (its
channel keys, search configurations, address declarations) can be computed once per node and run.
The memo is active only inside ``run_scope()``, which the engine opens around a run: outside it
(``show``, tests calling helpers directly) the functions compute as before. Entries are keyed by
the identity of the object and pin it, so an id is never reused while its entry lives; the scope
drops every entry when it ends. Callers must treat memoized values as read-only: the wrapped
functions hand out tuples, or copies of lists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar, cast

from linter.origin import Settings

R = TypeVar("R")
_memo: dict[tuple[str, int, tuple[Hashable, ...]], tuple[object, Any]] | None = None


@contextmanager
def run_scope() -> Iterator[None]:
    """Memoize the decorated functions until the block ends (nested scopes share the outer one)."""
    global _memo
    if _memo is not None:
        yield
        return
    _memo = {}
    try:
        yield
    finally:
        _memo = None


def per_object(fn: Callable[..., R]) -> Callable[..., R]:
    """Memoize ``fn(obj, *args)`` by the identity of ``obj`` and the (hashable) ``args`` within a run."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(obj: object, *args: Hashable) -> R:
        memo = _memo
        if memo is None:
            return fn(obj, *args)
        key = (name, id(obj), args)
        hit = memo.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]  # type: ignore[no-any-return]
        value = fn(obj, *args)
        memo[key] = (obj, value)
        return value

    return wrapper


def keys_with_prefix(settings: Mapping[str, object], prefix: str) -> list[str]:
    """The keys of ``settings`` (a node's effective settings) that start with ``prefix``, in the
    mapping's order. A node holds about 1,200 effective keys, most of them Liferay defaults, which
    its ``Settings`` keep indexed by first segment once for every node."""
    if isinstance(settings, Settings):
        return settings.with_prefix(prefix)
    return [k for k in settings if k.startswith(prefix)]


P = ParamSpec("P")


def memoize(fn: Callable[P, R]) -> Callable[P, R]:
    """Remember the results of a pure function of hashable arguments for the whole process
    (bounded): the nodes of a cluster ask the same questions about the same keys."""
    return cast("Callable[P, R]", functools.lru_cache(maxsize=8192)(fn))


per_run = per_object
