"""HA005 refused-xml: DTD, entity, XInclude or limits refused by the safe parser."""

from __future__ import annotations

from linter.ruleapi import ERROR, metadata_only

RULE = metadata_only(
    id="HA005",
    name="refused-xml",
    severity=ERROR,
    scope="input",
    summary=(
        "Input refused for safety: an XML file with a DTD, entities or XInclude, a file outside the audited "
        "tree, or a limit reached (depth, size, attributes, expansion, archive members, hashing budget)."
    ),
    rationale=(
        "liferay-ha-lint never resolves entities, loads DTDs, follows XInclude or touches the network, so such a "
        "document is not read. Liferay's Ehcache and JGroups files need none of these features."
    ),
    fix=(
        "Remove what the message names: a DOCTYPE, entity declarations or XInclude elements from an XML file; "
        "a file outside the audited tree moved into it (or given on the command line); content over a limit "
        "reduced. The README's 'Safety' section lists every limit."
    ),
    # facts: ARCHITECTURE.md §8
    sources=(
        (
            "liferay-ha-lint README, section 'Safety' (what is read, limits, read-only guarantee) (XML is read "
            "without entity expansion, DTD loading or network access)"
        ),
    ),
    tags=("input", "security"),
)
