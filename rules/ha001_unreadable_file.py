"""HA001 unreadable-file: a source cannot be read."""

from __future__ import annotations

from linter.ruleapi import ERROR, metadata_only

RULE = metadata_only(
    id="HA001",
    name="unreadable-file",
    severity=ERROR,
    scope="input",
    summary="A configuration source cannot be read (missing, permission, not a file, too large, binary).",
    rationale=(
        "A node whose file cannot be read cannot be checked, and Liferay itself either fails to start "
        "or silently runs without the file. The rest of the cluster is still checked."
    ),
    fix="Make the file readable, replace the binary or oversized content, or raise --max-file-size.",
    # facts: ARCHITECTURE.md §8
    sources=("liferay-ha-lint README, section 'Safety' (what is read, limits, read-only guarantee)",),
    tags=("input",),
)
