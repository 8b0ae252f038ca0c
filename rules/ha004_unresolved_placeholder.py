"""HA004 unresolved-placeholder: ${...} that nothing provides, or a placeholder cycle."""

from __future__ import annotations

from linter.ruleapi import ERROR, metadata_only

RULE = metadata_only(
    id="HA004",
    name="unresolved-placeholder",
    severity=ERROR,
    scope="input",
    summary="A ${...} reference in a value that no property, JVM system property or runtime variable defines, "
    "or a cycle of references.",
    rationale=(
        "Commons Configuration leaves an unresolved ${...} in the value literally, so Liferay uses the text "
        "'${name}' as a host, path or port. Values with server- or environment-provided placeholders "
        "(catalina.base, env.X, sys:X) are not reported."
    ),
    fix="Define the referenced property, pass it as a -D JVM flag, or write the value directly.",
    # facts: liferay-ha-facts.md §1.2, §1.5
    sources=(
        (
            "Liferay 7.4 portal.properties (${...} values substituted from other properties and system properties): "
            "https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay Learn, 'Portal Properties': https://learn.liferay.com/w/dxp/installation-and-upgrades/reference/"
            "portal-properties"
        ),
    ),
    tags=("input",),
)
