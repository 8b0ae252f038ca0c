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
    # facts: liferay-ha-facts.md §1.5, §1.4
    sources=(
        (
            "Liferay 7.4 portal.properties (how Liferay reads properties files: Apache Commons Configuration): "
            "https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Apache Commons Configuration 1.10, PropertiesConfiguration: https://commons.apache.org/proper/"
            "commons-configuration/javadocs/v1.10/apidocs/org/apache/commons/configuration/"
            "PropertiesConfiguration.html"
        ),
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering') (.config "
            "syntax): https://learn.liferay.com/w/dxp/system-administration/configuring-liferay/"
            "configuration-files-and-factories/using-configuration-files"
        ),
    ),
    tags=("input",),
)
