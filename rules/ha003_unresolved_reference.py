"""HA003 unresolved-reference: a referenced file is not found and is not a Liferay built-in."""

from __future__ import annotations

from linter.ruleapi import ERROR, metadata_only

RULE = metadata_only(
    id="HA003",
    name="unresolved-reference",
    severity=ERROR,
    scope="input",
    summary="A file named by a property (JGroups stack, Ehcache file, include-and-override) is not on the node "
    "and is not one of Liferay's built-in resources.",
    rationale=(
        "Liferay looks the name up on the class path and in Liferay home; a missing include-and-override file "
        "is skipped silently and a missing JGroups or Ehcache file stops Cluster Link or the cache manager. "
        "Either way the node does not run the configuration the file was meant to give it."
    ),
    fix="Add the file to the node (e.g. WEB-INF/classes/jgroups/tcp.xml) or correct the property value.",
    sources=(
        "liferay-ha-facts.md §1.1 and §1.5 (include-and-override; missing files ignored)",
        "liferay-ha-facts.md §2.2 (channel properties: file, URL or class-path resource)",
        "ARCHITECTURE.md §3 (lookup order)",
    ),
    tags=("input",),
)
