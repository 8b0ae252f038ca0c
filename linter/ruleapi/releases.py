"""Releases inside the 7.4 family for rules: parsing, ordering and the gates between them (the
search connector switch of 2026.Q1, JGroups 4 to 5). The knowledge lives in
``linter.liferay.releases``; rules import it from here."""

from __future__ import annotations

from linter.liferay.releases import (
    ELASTICSEARCH8_FROM,
    OPENSEARCH_FROM,
    Release,
    boundary,
    jgroups_major,
    parse_release,
    search_connector,
)

__all__ = [
    "ELASTICSEARCH8_FROM",
    "OPENSEARCH_FROM",
    "Release",
    "boundary",
    "jgroups_major",
    "parse_release",
    "search_connector",
]
