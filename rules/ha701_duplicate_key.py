"""HA701 duplicate-key: a key set more than once in one properties file."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, WARNING, Context, Finding, Node, OriginKind, label_at, rule
from linter.ruleapi.keys import PropertyEntry, liferay_default
from linter.ruleapi.secrets import is_secret_key
from linter.ruleapi.text import LazyPattern

# Keys whose comma-joined value breaks the cluster (a URL, a class name, an address, a port):
# RULES.md rates a duplicate of these as an error.
_CRITICAL = LazyPattern(r"(cluster\.link\.|jdbc\.|multicast\.|dl\.store\.|dl\.hook\.).*")
_IGNORED = frozenset({"", "include-and-override"})  # include-and-override is a list by design


def _short(value: str, limit: int = 120) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


@rule(
    id="HA701",
    name="duplicate-key",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("hygiene", "properties"),
    summary="A key is set more than once in one properties file; Liferay joins the values with commas.",
    rationale=(
        "Liferay loads properties files with Apache Commons Configuration, not java.util.Properties: a key "
        "that appears twice in one file does not let the last line win, it accumulates both values as a list, "
        "and Liferay's getString joins the list back with commas. A stale jdbc.default.url left above the "
        "current one therefore yields 'jdbc:...old...,jdbc:...new...', which no driver accepts; for "
        "cluster.link.*, jdbc.*, multicast.* and dl.store.* keys such a value breaks the node, so this rule "
        "reports those duplicates as errors. For list "
        "keys (spring.configs, ...) the values are appended, which is rarely what was meant either."
    ),
    fix="Keep one line per key in each file and delete the others.",
    # facts: liferay-ha-facts.md §1.5, §9
    sources=(
        (
            "Apache Commons Configuration 1.10, PropertiesConfiguration (a repeated key is 'appended like if they "
            "were on the same line separated with commas'): https://commons.apache.org/proper/commons-configuration/"
            "javadocs/v1.10/apidocs/org/apache/commons/configuration/PropertiesConfiguration.html"
        ),
        (
            "Liferay 7.4 source, ClassLoaderAggregateProperties.java (values joined with commas): https://github.com/"
            "liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/com/liferay/portal/configuration/"
            "ClassLoaderAggregateProperties.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    for source in node.properties:
        if source.role == "builtin":
            continue
        file = source.file
        by_key: dict[str, list[PropertyEntry]] = {}  # one pass: asking the file per key is quadratic
        for entry in file.entries:
            by_key.setdefault(entry.key, []).append(entry)
        for key, entries in by_key.items():  # in first-occurrence order
            if len(entries) < 2:
                continue
            occurrences = [e for e in entries if e.origin.kind is OriginKind.FILE]
            if len(occurrences) < 2 or key in _IGNORED:
                continue
            joined = file.joined(entries) or ""
            if liferay_default(ctx.version, key) == joined:
                continue  # a copy of Liferay's own portal.properties, which has the same repetition
            if key in ("http", "https") and all(e.value.startswith("//") for e in occurrences):
                continue  # URL lines outside any value, split at ':' (Liferay's own source.forge.mirrors)
            name = file.path.rsplit("/", 1)[-1]
            lines = ", ".join(str(e.origin.line) for e in occurrences)
            if is_secret_key(key):
                effect = "so Liferay sees all of them joined with commas (values not shown: secret)"
            else:
                effect = f"so Liferay sees {key}={_short(joined)!r}"
            message = (
                f"{key} is set {len(occurrences)} times in {name} (lines {lines}); Liferay's loader does "
                f"not keep the last one but joins all values with commas, {effect}"
            )
            critical = _CRITICAL.fullmatch(key) is not None
            if critical:
                message += "; for a cluster.link/jdbc/multicast/dl.store key that breaks the node"
            last = occurrences[-1]
            yield Finding(
                message,
                label_at(node, last.origin, f"set again (occurrence {len(occurrences)})"),
                tuple(label_at(node, e.origin, "also set here") for e in occurrences[:-1]),
                help=f"keep one {key} line in this file",
                subject=key,
                severity=ERROR if critical else None,
            )
