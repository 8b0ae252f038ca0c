"""Rule selection: which rules run, and at which severity (STYLE lesson 8, flake8's DecisionEngine).

A *selector* names rules in one of these forms, from most to least specific:

* an exact id (``HA101``, case-insensitive), a rule name (``cluster-link-disabled``) or an alias
  (an old name or a retired id kept on a rename, STYLE lesson 14);
* an id prefix (``HA10`` > ``HA1`` > ``HA``); a prefix must include the id's letters, so ``H``
  is not a selector;
* a tag (``cluster-link``);
* ``ALL``.

Names, aliases, tags and ``ALL`` are matched case-insensitively too. For each rule the most
specific matching selector decides between ``select`` and ``ignore``; on equal specificity
``ignore`` wins. Everything here is pure: no I/O, no globals, no state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from linter.diagnostics import Severity
from linter.suggest import close_match

if TYPE_CHECKING:
    from linter.ruleapi import Rule

__all__ = [
    "ALL",
    "SelectionError",
    "apply_severity",
    "best_specificity",
    "is_selected",
    "resolve_selector",
    "resolve_severities",
    "select_rules",
    "specificity",
]

ALL = "ALL"

# Specificity of a selector for one rule; higher wins.
SPECIFICITY_ALL = 0
SPECIFICITY_TAG = 10
SPECIFICITY_PREFIX = 100  # plus the prefix length: HA10 beats HA1 beats HA
SPECIFICITY_EXACT = 1000  # id, name or alias

_LETTERS = re.compile(r"^[A-Za-z]*")


class SelectionError(ValueError):
    """A selector that names no rule; the message names the token and suggests the closest one."""

    def __init__(self, token: str, suggestion: str | None = None) -> None:
        self.token = token
        self.suggestion = suggestion
        if not token.strip():
            message = "empty rule selector"
        else:
            message = f'unknown rule selector "{token}"'
            if suggestion is not None:
                message += f' (did you mean "{suggestion}"?)'
        super().__init__(message)


def _is_id_prefix(token_upper: str, rule_id: str) -> bool:
    letters = _LETTERS.match(rule_id)
    minimum = len(letters.group(0)) if letters else 0
    return len(token_upper) >= max(minimum, 1) and rule_id.upper().startswith(token_upper)


def specificity(token: str, rule: Rule) -> int | None:
    """How specifically ``token`` names ``rule`` (see the module docstring), or None if it does not."""
    text = token.strip()
    if not text:
        return None
    upper, lower = text.upper(), text.lower()
    if upper == rule.id.upper() or lower == rule.name.lower() or any(lower == a.lower() for a in rule.aliases):
        return SPECIFICITY_EXACT
    if _is_id_prefix(upper, rule.id):
        return SPECIFICITY_PREFIX + len(upper)
    if any(lower == t.lower() for t in rule.tags):
        return SPECIFICITY_TAG
    if upper == ALL:
        return SPECIFICITY_ALL
    return None


def best_specificity(tokens: Iterable[str], rule: Rule) -> int | None:
    """The highest specificity among ``tokens`` for ``rule``, or None when none matches."""
    best: int | None = None
    for token in tokens:
        s = specificity(token, rule)
        if s is not None and (best is None or s > best):
            best = s
    return best


def _candidates(rules: Sequence[Rule]) -> list[str]:
    seen: dict[str, str] = {ALL.lower(): ALL}
    for r in sorted(rules, key=lambda r: r.id):
        letters = _LETTERS.match(r.id)
        n = len(letters.group(0)) if letters else 0
        for c in (r.id, r.name, *r.aliases, *r.tags, r.id[: n + 1], r.id[: n + 2]):
            if c:
                seen.setdefault(c.lower(), c)
    return list(seen.values())


def _suggest(token: str, rules: Sequence[Rule]) -> str | None:
    candidates = _candidates(rules)
    by_lower = {c.lower(): c for c in candidates}
    close = close_match(token.strip().lower(), by_lower)
    return by_lower[close] if close else None


def resolve_selector(token: str, rules: Sequence[Rule]) -> list[Rule]:
    """The rules ``token`` names, in id order; raise SelectionError when it names none.

    ``ALL`` is always valid (it names every rule, possibly none)."""
    text = token.strip()
    if not text:
        raise SelectionError(token)
    matched = [r for r in rules if specificity(text, r) is not None]
    if not matched and text.upper() != ALL:
        raise SelectionError(text, _suggest(text, rules))
    return sorted(matched, key=lambda r: r.id)


def is_selected(rule: Rule, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """The decision for one rule: the most specific matching selector wins; ignore wins ties."""
    chosen = best_specificity(select, rule)
    if chosen is None:
        return False
    dropped = best_specificity(ignore, rule)
    return dropped is None or chosen > dropped


def select_rules(
    rules: Sequence[Rule],
    *,
    select: Sequence[str] | None,
    ignore: Sequence[str],
    extend_select: Sequence[str] = (),
    extend_ignore: Sequence[str] = (),
) -> list[Rule]:
    """The rules to run, in id order. ``select=None`` means every rule (``ALL``); ``extend_select``
    adds to ``select`` and ``extend_ignore`` to ``ignore``. Unknown selectors raise SelectionError."""
    chosen = [*(select if select is not None else (ALL,)), *extend_select]
    dropped = [*ignore, *extend_ignore]
    for token in (*chosen, *dropped):
        resolve_selector(token, rules)
    return sorted((r for r in rules if is_selected(r, chosen, dropped)), key=lambda r: r.id)


def apply_severity(rule: Rule, overrides: Mapping[str, Severity]) -> Severity:
    """The effective severity of ``rule``: the most specific matching override, else the rule's own.

    Keys may be any selector form (a map from :func:`resolve_severities`, keyed by id, works
    too). When two overrides match equally specifically (two tags), the more severe one wins, so
    the result does not depend on the order of the keys."""
    best: tuple[int, int] | None = None
    result = rule.severity
    for token, severity in overrides.items():
        s = specificity(token, rule)
        if s is None:
            continue
        key = (s, severity.rank)
        if best is None or key > best:
            best, result = key, severity
    return result


def resolve_severities(overrides: Mapping[str, Severity], rules: Sequence[Rule]) -> dict[str, Severity]:
    """Resolve severity overrides once, up front: rule id -> effective severity for every rule an
    override matches. Unknown selectors raise SelectionError."""
    for token in overrides:
        resolve_selector(token, rules)
    out: dict[str, Severity] = {}
    for r in sorted(rules, key=lambda r: r.id):
        if best_specificity(overrides, r) is not None:
            out[r.id] = apply_severity(r, overrides)
    return out
