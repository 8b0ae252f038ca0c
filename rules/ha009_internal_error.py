"""HA009 internal-error: a rule crashed; the run continues."""

from __future__ import annotations

from linter.ruleapi import ERROR, metadata_only

RULE = metadata_only(
    id="HA009",
    name="internal-error",
    severity=ERROR,
    scope="engine",
    summary="A rule raised an exception on a node or cluster; its findings for that target are missing.",
    rationale="A crash in one rule must not hide the findings of every other rule, nor pass silently as clean.",
    fix="Report the bug with the message; meanwhile ignore the crashing rule with --ignore if needed.",
    # facts: STYLE.md lesson 5
    sources=("liferay-ha-lint README, section 'Safety' (a rule that crashes is reported, the run goes on)",),
    tags=("engine",),
)
