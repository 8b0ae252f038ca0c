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
    # facts: liferay-ha-facts.md §1.1, §1.5, §2.2; ARCHITECTURE.md §3
    sources=(
        (
            "Liferay 7.4 portal.properties (section 'Properties Override': include-and-override, missing files are "
            "skipped): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/"
            "portal.properties"
        ),
        (
            "Liferay Learn, 'Configuring Cluster Link' (channel properties: a file, a URL or a class-path resource): "
            "https://learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/"
            "clustering-for-high-availability/configuring-cluster-link"
        ),
        "liferay-ha-lint README, section 'Inputs' (where the linter looks for referenced files)",
    ),
    tags=("input",),
)
