"""HA005 refused-xml: DTD, entity, XInclude or limits refused by the safe parser."""

from __future__ import annotations

from linter.ruleapi import ERROR, metadata_only

RULE = metadata_only(
    id="HA005",
    name="refused-xml",
    severity=ERROR,
    scope="input",
    summary="An XML file declares a DTD or entities, uses XInclude, or exceeds the depth or size limits.",
    rationale=(
        "liferay-ha-lint never resolves entities, loads DTDs, follows XInclude or touches the network, so such a "
        "document is not read. Liferay's Ehcache and JGroups files need none of these features."
    ),
    fix="Remove the DOCTYPE, entity declarations or XInclude elements from the file.",
    # facts: ARCHITECTURE.md §8
    sources=(
        (
            "liferay-ha-lint README, section 'Safety' (what is read, limits, read-only guarantee) (XML is read "
            "without entity expansion, DTD loading or network access)"
        ),
    ),
    tags=("input", "security"),
)
