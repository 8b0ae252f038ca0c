"""Text utilities for rules: lazily compiled patterns, key globs (``*`` crosses dots: keys are
flat names), and "did you mean" suggestions (``linter.suggest``, the one implementation)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from linter.patterns import LazyPattern
from linter.suggest import nearest

__all__ = ["KeyGlobs", "LazyPattern", "key_glob", "nearest"]


def key_glob(pattern: str) -> re.Pattern[str]:
    """A key glob of a rule option as a regex for ``fullmatch``: ``*`` is any run of characters (dots
    included), ``?`` one character, everything else literal (``[`` too: keys such as
    ``multicast.group.address["x"]`` hold brackets)."""
    return re.compile(_glob_regex(pattern))


def _glob_regex(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


class KeyGlobs:
    """Several key globs tested at once: ``matches(key)`` is ``any(key_glob(p).fullmatch(key) for p in
    patterns)``. A literal key is a set lookup and ``prefix*`` a prefix test (``*`` does not match a
    newline, as ``.*`` does not); only the other shapes share one regular expression, compiled on
    first use. Compiling a pattern per glob cost a rule pack ~10 ms on every start."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        self._literal: set[str] = set()
        prefixes: list[str] = []
        self._other: list[str] = []
        for p in self.patterns:
            if "*" not in p and "?" not in p:
                self._literal.add(p)
            elif p.endswith("*") and "*" not in p[:-1] and "?" not in p:
                prefixes.append(p[:-1])
            else:
                self._other.append(p)
        self._prefixes = tuple(prefixes)
        self._regex: re.Pattern[str] | None = None

    def matches(self, key: str) -> bool:
        if key in self._literal:
            return True
        if self._prefixes and key.startswith(self._prefixes):
            for prefix in self._prefixes:
                if key.startswith(prefix) and "\n" not in key[len(prefix) :]:
                    return True
        if not self._other:
            return False
        if self._regex is None:
            self._regex = re.compile("|".join(f"(?:{_glob_regex(p)})" for p in self._other))
        return self._regex.fullmatch(key) is not None
