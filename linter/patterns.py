"""Regular expressions compiled on first use: a rule module or a knowledge table builds its patterns
at import, on every start, although most runs never need most of them. Also key globs (``*``
crosses dots: portal property keys are flat names), shared by rules, their options and the
knowledge of per-node keys."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled when first used: a rule module's patterns are built at
    import on every start although most runs never need most of them. After the first use the
    methods are the compiled pattern's own (bound on the instance), so hot loops pay nothing."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        regex = re.compile(self.pattern, self.flags)
        for name in ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"):
            self.__dict__[name] = getattr(regex, name)
        self.__dict__["compiled"] = lambda: regex
        return regex

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)


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
