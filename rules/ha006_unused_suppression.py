"""HA006 unused-suppression: an inline suppression that matches no finding."""

from __future__ import annotations

from linter.ruleapi import WARNING, metadata_only

RULE = metadata_only(
    id="HA006",
    name="unused-suppression",
    severity=WARNING,
    scope="engine",
    summary="A 'liferay-ha-lint: disable=...' comment suppresses nothing, or names an unknown rule.",
    rationale=(
        "Stale suppressions hide future regressions on the same line and mislead readers about the state of the "
        "configuration (flake8's unused noqa, sqlfluff's unused noqa warning)."
    ),
    fix="Delete the comment, or correct the rule id or name it names.",
    # facts: STYLE.md lesson 9
    sources=("liferay-ha-lint README, section 'Suppressions'",),
    tags=("input", "suppression"),
)
