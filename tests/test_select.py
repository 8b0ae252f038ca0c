"""Rule selection: one decision function, one table (flake8's test_decision_engine.py style)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.diagnostics import Severity
from linter.ruleapi import Rule
from linter.select import (
    SelectionError,
    apply_severity,
    is_selected,
    resolve_selector,
    resolve_severities,
    select_rules,
    specificity,
)

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def fake(
    id: str,
    name: str,
    tags: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    severity: Severity = ERROR,
) -> Rule:
    return Rule(
        id=id,
        name=name,
        severity=severity,
        scope="node",
        summary=f"{name}.",
        rationale="Because.",
        fix="Fix it.",
        sources=("test",),
        tags=tags,
        aliases=aliases,
    )


RULES = [
    # deliberately out of id order: results must come back sorted
    fake("HA701", "duplicate-property", ("hygiene",), severity=WARNING),
    fake("HA110", "transport-mismatch", ("cluster-link", "jgroups"), aliases=("HA105", "stack-mismatch")),
    fake("HA001", "unreadable-file", ("input",)),
    fake("HA101", "cluster-link-disabled", ("cluster-link",), aliases=("cluster-link-off",)),
    fake("HA102", "cluster-link-autodetect", ("cluster-link", "network"), severity=WARNING),
    fake("HA201", "database-mismatch", ("database",)),
]
EVERY = ["HA001", "HA101", "HA102", "HA110", "HA201", "HA701"]


# (select, ignore, extend_select, expected ids)
TABLE: list[tuple[list[str] | None, list[str], list[str], list[str]]] = [
    # defaults
    (None, [], [], EVERY),
    ([], [], [], []),
    (["ALL"], [], [], EVERY),
    (["all"], [], [], EVERY),
    # prefixes
    (["HA"], [], [], EVERY),
    (["HA1"], [], [], ["HA101", "HA102", "HA110"]),
    (["ha1"], [], [], ["HA101", "HA102", "HA110"]),
    (["HA10"], [], [], ["HA101", "HA102"]),
    (["HA0", "HA7"], [], [], ["HA001", "HA701"]),
    # exact id, name, alias
    (["HA101"], [], [], ["HA101"]),
    (["ha101"], [], [], ["HA101"]),
    (["transport-mismatch"], [], [], ["HA110"]),
    (["Transport-Mismatch"], [], [], ["HA110"]),
    (["HA105"], [], [], ["HA110"]),  # retired id kept as an alias
    (["cluster-link-off"], [], [], ["HA101"]),
    # tags
    (["cluster-link"], [], [], ["HA101", "HA102", "HA110"]),
    (["CLUSTER-LINK"], [], [], ["HA101", "HA102", "HA110"]),
    (["jgroups", "database"], [], [], ["HA110", "HA201"]),
    # ignore against the default selection (ALL is the least specific)
    (None, ["HA1"], [], ["HA001", "HA201", "HA701"]),
    (None, ["cluster-link"], [], ["HA001", "HA201", "HA701"]),
    (None, ["ALL"], [], []),
    (None, ["HA102", "unreadable-file"], [], ["HA101", "HA110", "HA201", "HA701"]),
    # the most specific selector wins
    (["HA1"], ["HA11"], [], ["HA101", "HA102"]),  # longer prefix beats shorter
    (["HA11"], ["HA1"], [], ["HA110"]),
    (["HA110"], ["HA1"], [], ["HA110"]),  # exact beats prefix
    (["HA1"], ["HA110"], [], ["HA101", "HA102"]),
    (["cluster-link"], ["HA102"], [], ["HA101", "HA110"]),  # exact beats tag
    (["HA102"], ["cluster-link"], [], ["HA102"]),
    (["HA10"], ["cluster-link"], [], ["HA101", "HA102"]),  # prefix beats tag
    (["cluster-link"], ["HA"], [], []),  # even the shortest prefix beats a tag
    (["HA"], ["jgroups"], [], EVERY),  # a prefix, however short, beats a tag
    (["jgroups"], ["ALL"], [], ["HA110"]),  # tag beats ALL
    (["stack-mismatch"], ["HA1"], [], ["HA110"]),  # alias is exact
    # equal specificity: ignore wins
    (["HA1"], ["HA1"], [], []),
    (["ALL"], ["ALL"], [], []),
    (["HA101"], ["cluster-link-disabled"], [], []),  # id and name are both exact
    (["cluster-link"], ["network"], [], ["HA101", "HA110"]),  # two tags
    # extend-select adds to select (or to the default ALL)
    ([], [], ["HA701"], ["HA701"]),
    (["HA2"], [], ["HA701"], ["HA201", "HA701"]),
    (None, [], ["HA701"], EVERY),
    (None, ["HA1"], ["cluster-link-disabled"], ["HA001", "HA101", "HA201", "HA701"]),
    (None, ["HA0"], ["HA001"], EVERY),
    (None, ["HA101"], ["HA101"], ["HA001", "HA102", "HA110", "HA201", "HA701"]),  # tie: ignore wins
]


@pytest.mark.parametrize(
    ("select", "ignore", "extend_select", "expected"),
    TABLE,
    ids=[f"select={s}-ignore={i}-extend={e}" for s, i, e, _ in TABLE],
)
def test_decision_table(
    select: list[str] | None, ignore: list[str], extend_select: list[str], expected: list[str]
) -> None:
    chosen = select_rules(RULES, select=select, ignore=ignore, extend_select=extend_select)
    assert [r.id for r in chosen] == expected


@pytest.mark.parametrize(
    ("select", "ignore", "extend_ignore", "expected"),
    [
        (None, [], ["HA1"], ["HA001", "HA201", "HA701"]),
        (["HA1"], [], ["HA102"], ["HA101", "HA110"]),
        (["HA1"], ["HA101"], ["jgroups"], ["HA102", "HA110"]),  # the prefix beats the tag
        (["cluster-link"], ["HA101"], ["jgroups"], ["HA102"]),
        (["HA110"], [], ["jgroups"], ["HA110"]),
    ],
)
def test_extend_ignore(select: list[str] | None, ignore: list[str], extend_ignore: list[str], expected: list[str]):
    chosen = select_rules(RULES, select=select, ignore=ignore, extend_ignore=extend_ignore)
    assert [r.id for r in chosen] == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("HA101", ["HA101"]),
        ("ha1", ["HA101", "HA102", "HA110"]),
        ("HA", EVERY),
        ("ALL", EVERY),
        (" HA201 ", ["HA201"]),
        ("cluster-link", ["HA101", "HA102", "HA110"]),
        ("cluster-link-autodetect", ["HA102"]),
        ("HA105", ["HA110"]),
        ("network", ["HA102"]),
    ],
)
def test_resolve_selector(token: str, expected: list[str]) -> None:
    assert [r.id for r in resolve_selector(token, RULES)] == expected


def test_all_is_valid_without_rules() -> None:
    assert resolve_selector("ALL", []) == []


@pytest.mark.parametrize(
    ("token", "suggestion"),
    [
        ("cluster-lnk", "cluster-link"),
        ("transport-mismach", "transport-mismatch"),
        ("HA1011", "HA101"),
        ("databse", "database"),
        ("xyzzy-quux-frobnicate", None),
    ],
)
def test_unknown_selector_suggests(token: str, suggestion: str | None) -> None:
    with pytest.raises(SelectionError) as info:
        resolve_selector(token, RULES)
    err = info.value
    assert isinstance(err, ValueError)
    assert f'"{token}"' in str(err)
    assert err.token == token
    assert err.suggestion == suggestion
    if suggestion is not None:
        assert f'did you mean "{suggestion}"?' in str(err)


@pytest.mark.parametrize("token", ["H", "HB1", "HA9", "HA1010", "", "  "])
def test_not_selectors(token: str) -> None:
    with pytest.raises(SelectionError):
        resolve_selector(token, RULES)


def test_select_rules_rejects_unknown_selectors() -> None:
    with pytest.raises(SelectionError, match='"HA999"'):
        select_rules(RULES, select=None, ignore=["HA999"])
    with pytest.raises(SelectionError, match='"nope"'):
        select_rules(RULES, select=None, ignore=[], extend_select=["nope"])


def test_specificity_order() -> None:
    ha110 = next(r for r in RULES if r.id == "HA110")
    ranks = [specificity(t, ha110) for t in ("HA110", "HA11", "HA1", "HA", "jgroups", "ALL")]
    assert all(r is not None for r in ranks)
    assert ranks == sorted(ranks, key=lambda r: -(r or 0))
    assert len(set(ranks)) == len(ranks)
    assert specificity("HA10", ha110) is None  # alias HA105 is not a prefix target
    assert specificity("transport-mismatch", ha110) == specificity("HA110", ha110)


# ----------------------------------------------------------------------------- severity


def by_id(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, {"HA001": ERROR, "HA101": ERROR, "HA102": WARNING, "HA110": ERROR, "HA701": WARNING}),
        ({"ALL": INFO}, {"HA001": INFO, "HA101": INFO, "HA102": INFO, "HA701": INFO}),
        ({"cluster-link": WARNING, "HA101": INFO}, {"HA101": INFO, "HA102": WARNING, "HA110": WARNING, "HA001": ERROR}),
        ({"HA1": INFO, "HA11": ERROR, "ALL": WARNING}, {"HA101": INFO, "HA110": ERROR, "HA201": WARNING}),
        ({"cluster-link-disabled": INFO, "HA1": WARNING}, {"HA101": INFO, "HA102": WARNING}),
        ({"HA105": INFO}, {"HA110": INFO, "HA101": ERROR}),
        # two tags match HA110 equally: the more severe wins, whatever the order
        ({"cluster-link": INFO, "jgroups": WARNING}, {"HA110": WARNING, "HA101": INFO}),
        ({"jgroups": WARNING, "cluster-link": INFO}, {"HA110": WARNING, "HA101": INFO}),
        ({"HA1": INFO, "cluster-link": ERROR}, {"HA102": INFO}),  # prefix beats tag
    ],
)
def test_apply_severity(overrides: dict[str, Severity], expected: dict[str, Severity]) -> None:
    for rule_id, severity in expected.items():
        assert apply_severity(by_id(rule_id), overrides) is severity
    resolved = resolve_severities(overrides, RULES)
    for rule_id, severity in expected.items():
        assert apply_severity(by_id(rule_id), resolved) is severity


def test_resolve_severities() -> None:
    resolved = resolve_severities({"cluster-link": INFO, "HA110": WARNING}, RULES)
    assert resolved == {"HA101": INFO, "HA102": INFO, "HA110": WARNING}
    assert list(resolved) == sorted(resolved)
    with pytest.raises(SelectionError, match='"HA9"'):
        resolve_severities({"HA9": INFO}, RULES)


# ----------------------------------------------------------------------------- properties

SELECTORS = st.sampled_from(
    [
        *("ALL", "HA", "HA0", "HA1", "HA10", "HA11", "HA101", "HA110", "HA105", "HA7", "ha2"),
        *(
            "cluster-link",
            "jgroups",
            "network",
            "transport-mismatch",
            "unreadable-file",
            "database",
            "hygiene",
            "input",
        ),
    ]
)


@given(
    select=st.none() | st.lists(SELECTORS, max_size=4),
    ignore=st.lists(SELECTORS, max_size=4),
    extend=st.lists(SELECTORS, max_size=2),
)
def test_selection_properties(select: list[str] | None, ignore: list[str], extend: list[str]) -> None:
    chosen = select_rules(RULES, select=select, ignore=ignore, extend_select=extend)
    ids = [r.id for r in chosen]
    assert ids == sorted(set(ids))
    # the decision is per rule and agrees with is_selected
    everything = [*(select if select is not None else ["ALL"]), *extend]
    assert ids == [r.id for r in sorted(RULES, key=lambda r: r.id) if is_selected(r, everything, ignore)]
    # ignoring what you select (at the same specificity) selects nothing
    assert select_rules(RULES, select=everything, ignore=everything) == []
    # adding an ignore never adds a rule
    more = select_rules(RULES, select=select, ignore=[*ignore, "HA1"], extend_select=extend)
    assert {r.id for r in more} <= set(ids)
