"""Every rule fixture case through the real readers and engine, compared with expected.json."""

from __future__ import annotations

import pytest

from linter.pack import load_rules
from linter.ruleapi import Rule
from linter.testing import Case, check_case, discover_cases, update_requested
from tests.conftest import FIXTURES

CASES = discover_cases(FIXTURES / "rules")
RULES = load_rules(use_entry_points=False)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: Case, request: pytest.FixtureRequest) -> None:
    update = update_requested() or bool(request.config.getoption("--update-golden"))
    check_case(case, RULES, update=update)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_is_documented_and_has_pass_and_fail_cases(rule: Rule) -> None:
    assert rule.summary and rule.rationale and rule.fix and rule.sources
    outcomes = {c.outcome for c in CASES if c.rule == rule.id}
    assert outcomes == {"pass", "fail"}, f"{rule.id} needs at least one pass and one fail case"
    assert any(c.meta.get("doc") for c in CASES if c.rule == rule.id and c.outcome == "fail"), (
        f"{rule.id}: mark one fail case with doc = true for explain"
    )
