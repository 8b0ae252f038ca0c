"""Every text a user sees about the rules cites public documents only: no internal notes of the team,
no personal forks of Liferay's repositories (the team's provenance stays in source comments)."""

from __future__ import annotations

import json
import re

import pytest

from linter.cli import main
from tests.conftest import REPO

# The team's internal notes and design documents, which a Liferay administrator never has.
INTERNAL = (
    "liferay-ha-facts",
    "ehcache-jgroups-facts",
    "releases-2024-2026",
    "ARCHITECTURE.md",
    "RULES.md",
    "STYLE.md",
    "shared/docs",
    "shared/corpus",
    "../shared",
    "corpus/",
)
# Personal forks and mirrors the rule sources used to cite instead of Liferay's own repositories
# and learn.liferay.com.
FORKS = (
    "dinolupo",
    "tylerbertrand",
    "zoltantoth0409",
    "petershin",
    "ambition-consulting",
    "agmip",
    "amosfong",
    "hhuijser",
    "topolik",
    "liferay-core-infra",
    "s0beran0",
    "liferay-portal-cloud-native",
)
# Wording that only makes sense to the team that wrote the rules.
TEAM_WORDING = (
    "read for this rule",
    "read through the code index",
    "read through the file index",
    "INFERENCE",
    "UNCONFIRMED",
)
# The fact base's citation keys (P62, UG62, LL-TCP, S-DL-ECU, ...), meaningless outside the team.
FACT_KEYS = re.compile(
    r"\b(?:P6[012]|P74u?|SRC6[12]|UG6[12]|DXP7[01]a?|JG74|EH(?:60|62|74)|VP(?:62|74)|LL-[A-Z]+|S-[A-Z0-9]+-[A-Z0-9-]+)\b"
)


def _internal_references(text: str) -> list[str]:
    """The internal names found in ``text`` (case matters: ``docs/rules.md`` is the public rule reference,
    ``RULES.md`` the team's design note)."""
    return [name for name in (*INTERNAL, *FORKS, *TEAM_WORDING) if name in text] + FACT_KEYS.findall(text)


def _rule_ids(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["rules", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rules = doc["rules"] if isinstance(doc, dict) else doc
    return [r["id"] for r in rules]


def test_rules_json_cites_no_internal_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert _internal_references(out) == []
    assert len(_rule_ids(capsys)) > 60


def test_explain_long_cites_no_internal_document(capsys: pytest.CaptureFixture[str]) -> None:
    offenders: dict[str, list[str]] = {}
    for rule_id in _rule_ids(capsys):
        assert main(["explain", rule_id, "--long"]) == 0, rule_id
        found = _internal_references(capsys.readouterr().out)
        if found:
            offenders[rule_id] = found
    assert offenders == {}


def test_explain_sources_are_links_or_named_public_documents(capsys: pytest.CaptureFixture[str]) -> None:
    """Each rule about Liferay names at least one public web address an administrator can open."""
    assert main(["rules", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rules = doc["rules"] if isinstance(doc, dict) else doc
    without_link = [
        r["id"]
        for r in rules
        if not r["id"].startswith("HA00") and not any(re.search(r"https?://", s) for s in r.get("sources", []))
    ]
    assert without_link == []


def test_rules_doc_cites_no_internal_document() -> None:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "## HA101" in text or "HA101" in text
    assert _internal_references(text) == []


def test_readme_names_no_team_folder() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in text
    assert _internal_references(text) == []


def test_contributing_links_no_team_folder() -> None:
    """CONTRIBUTING.md may say where the maintainers' data comes from, but links nothing a reader lacks."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert re.findall(r"\]\((?:\.\./)+shared[^)]*\)", text) == []


def test_finding_messages_and_help_cite_no_internal_document(capsys: pytest.CaptureFixture[str]) -> None:
    """The messages and help lines ``check`` prints for the broken example clusters."""
    clusters = sorted(str(p) for p in (REPO / "fixtures" / "clusters").iterdir() if "broken" in p.name)
    assert len(clusters) >= 8
    assert main(["check", "--format", "text", "--color", "never", *clusters]) == 1
    out = capsys.readouterr().out
    assert "HA101" in out
    assert _internal_references(out) == []


@pytest.mark.parametrize("columns", ["80", "100"])
def test_explain_long_prints_every_source_address_whole(
    columns: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An address is never cut at a hyphen or mid-word by the wrapping, so it can be copied or clicked."""
    monkeypatch.setenv("COLUMNS", columns)
    for rule_id in ("HA104", "HA405", "HA612"):
        assert main(["explain", rule_id, "--long"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert main(["rules", "--format", "json"]) == 0
        rules = json.loads(capsys.readouterr().out)["rules"]
        sources = next(r["sources"] for r in rules if r["id"] == rule_id)
        urls = [u.rstrip(",;") for s in sources for u in re.findall(r"https?://\S+", s)]
        assert urls
        missing = [u for u in urls if not any(u in line for line in lines)]
        assert missing == [], rule_id


def test_every_rule_example_finding_cites_no_internal_document() -> None:
    """The findings of every rule's examples (messages, help, origins), as the fixture tests pin them."""
    files = sorted((REPO / "fixtures" / "rules").glob("*/*/*/expected.json"))
    assert len(files) > 100
    offenders = {f.relative_to(REPO).as_posix(): found for f in files if (found := _internal_references(f.read_text()))}
    assert offenders == {}
