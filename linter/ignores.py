"""Per-path ignores: ``[per-path-ignores]`` globs over display paths turn rules off for the files
they match. ``*`` and ``?`` stay inside one path segment here (paths are hierarchical), unlike the
key globs of rule options (``linter.ruleapi.text.key_glob``), where ``*`` crosses dots.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from linter.select import resolve_selector

if TYPE_CHECKING:
    from linter.ruleapi import Rule

__all__ = ["glob_matches", "path_ignored"]


@functools.lru_cache(maxsize=256)
def path_glob_regex(pattern: str) -> re.Pattern[str]:
    """``*`` and ``?`` stay within one path segment, ``**`` crosses them (``**/`` also matches
    no directory at all), ``[...]`` is a character class (``[!...]`` negated)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            if j - i >= 2:
                if j < n and pattern[j] == "/":
                    out.append("(?:.*/)?")
                    j += 1
                else:
                    out.append(".*")
            else:
                out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            # the first character of a class may be "]" itself, as in fnmatch
            end = pattern.find("]", i + 3 if i + 1 < n and pattern[i + 1] in "!^" else i + 2)
            if end < 0:
                out.append(re.escape(c))
                i += 1
                continue
            body = pattern[i + 1 : end]
            negate = body[:1] in ("!", "^")
            if negate:
                body = body[1:]
            body = body.replace("\\", "\\\\").replace("[", "\\[")
            out.append(f"[{'^/' if negate else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("(?s:" + "".join(out) + r")\Z")


def _clean(path: str) -> str:
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def glob_matches(pattern: str, path: str) -> bool:
    """Whether a per-path-ignores glob matches a display path (posix separators).

    The glob matches the whole path or one of its parent directories (``node-b`` and
    ``node-b/**`` both cover ``node-b/portal-ext.properties``); a glob without ``/`` also matches
    any single path component (``*.config``, ``node-b``)."""
    pat = _clean(pattern).rstrip("/")
    if not pat:
        return False
    target = _clean(path)
    regex = path_glob_regex(pat)
    parts = target.split("/")
    candidates = ["/".join(parts[: k + 1]) for k in range(len(parts))]
    if "/" not in pat:
        candidates.extend(parts)
    return any(regex.match(c) for c in candidates)


def path_ignored(
    path: str,
    rule: Rule,
    per_path_ignores: Mapping[str, Sequence[str]],
    rules: Sequence[Rule],
) -> bool:
    """Whether ``per_path_ignores`` (glob -> selectors) turns ``rule`` off for the file at
    ``path`` (a display path). Unknown selectors raise SelectionError."""
    for pattern, selectors in per_path_ignores.items():
        if not glob_matches(pattern, path):
            continue
        for token in selectors:
            if any(r.id == rule.id for r in resolve_selector(token, rules)):
                return True
    return False
