"""HA002 parse-error: malformed XML, properties escapes, .config syntax."""

from __future__ import annotations

from linter.ruleapi import ERROR, metadata_only

RULE = metadata_only(
    id="HA002",
    name="parse-error",
    severity=ERROR,
    scope="input",
    summary="A file is malformed: XML syntax, a bad \\u escape or dropped continuation in a properties file, "
    "OSGi .config syntax, a bad manifest or env file line.",
    rationale=(
        "Liferay's loaders reject or silently truncate malformed input: Commons Configuration throws on a bad "
        "\\uXXXX escape and drops a property still continued at end of file; JGroups and Ehcache refuse "
        "malformed XML; Felix ignores a .config value it cannot parse."
    ),
    fix="Correct the syntax at the reported line and column.",
    sources=(
        "liferay-ha-facts.md §1.5 (Commons Configuration reader rules)",
        "liferay-ha-facts.md §1.4 (.config syntax, liferay-learn 'Using Configuration Files')",
    ),
    tags=("input",),
)
