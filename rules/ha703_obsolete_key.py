"""HA703 obsolete-key: a key Liferay's VerifyProperties lists as obsolete, renamed, migrated or
modularized for the version."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, OriginKind, label_at, rule
from linter.ruleapi.keys import (
    IMAGE_VARIABLES,
    NOT_PROPERTY_PREFIXES,
    known_keys,
    legacy_key,
    property_key,
    written_entries,
)
from linter.ruleapi.text import LazyPattern

# Keys a dedicated rule reports on 7.x with more context: HA305 (file-system store root as a
# property, where only the OSGi rootDir counts) and HA403 (Lucene keys on 7.x).
_DEDICATED_7X = LazyPattern(r"dl\.store\.(advanced\.)?file\.system\.root\.dir|lucene\..+|index\.read\.only")


def _what(kind: str, key: str, new: str, module: str, family: str, table: str) -> tuple[str, str]:
    """(message tail, help) for a VerifyProperties row."""
    system = kind.startswith("system-")
    base = kind[len("system-") :] if system else kind
    origin = " (it was a JVM system property name)" if system else ""
    if base == "obsolete":
        return (
            f"is obsolete in Liferay {family}{origin}: no code reads it any more, so it has no effect",
            "remove it",
        )
    if base == "renamed":
        return (f"was renamed to {new}{origin}: Liferay ignores the old name", f"rename it to {new}")
    if base == "migrated-to-system-property":
        stop = (
            "; Liferay 7.4 refuses to start while a migrated key is set as a portal property "
            "('Stopping the server due to incorrect use of migrated portal properties')"
            if family == "7.4"
            else ""
        )
        named = f" ({new})" if new and new != key else ""
        return (
            f"is now read as a JVM system property{named}, not as a portal property{stop}",
            f"move it to system-ext.properties or pass -D{new}=...",
        )
    if base == "migrated-to-portal-property":
        return (f"is now the portal property {new}{origin}", f"set {new} in portal-ext.properties instead")
    if base in ("modularized-to-osgi-config", "modularized"):
        where = f" of module {module}" if module else ""
        attribute = f" (attribute {new})" if new else ""
        return (
            f"moved to the OSGi configuration{where}{attribute}: the portal property is ignored",
            "set it in System Settings or in an osgi/configs .config file of that module, and remove it here",
        )
    return (f"is listed by VerifyProperties as {kind}", "remove or replace it")


@rule(
    id="HA703",
    name="obsolete-key",
    severity=WARNING,
    scope="node",
    versions=">=6.2",
    tags=("hygiene", "properties"),
    summary="A properties file sets a key Liferay lists as obsolete, renamed, migrated or modularized.",
    rationale=(
        "At start-up Liferay's VerifyProperties checks the loaded property files against its lists of "
        "obsolete, renamed, migrated (to JVM system properties) and modularized (moved to OSGi configuration) "
        "keys and logs an error for each one it finds: the old key has no effect, and from 2024 a key migrated "
        "to a system property even stops the server. The lists come from VerifyProperties of 6.2.5 GA6 (for "
        "6.2) and of master 2024-12 (for 7.x; for 7.0-7.3, whose own tables were not saved, a key listed there "
        "may still be read by the older release, so check the release notes). Keys a dedicated rule reports "
        "on 7.x (HA305 store root, HA403 Lucene keys) are left to those rules."
    ),
    fix="Use the new key or the OSGi configuration the message names, or remove the key.",
    # facts: liferay-ha-facts.md §7.4; read in: dinolupo/Liferay6.2-fixed, amosfong/liferay-portal-basics,
    #   shared/corpus/liferay/verify-properties-legacy-keys.tsv
    sources=(
        (
            "Liferay 6.2 source, VerifyProperties.java: https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/"
            "portal-impl/src/com/liferay/portal/verify/VerifyProperties.java"
        ),
        (
            "Liferay 7.4 source, VerifyProperties.java (Liferay stops at start-up on migrated portal properties): "
            "https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/com/liferay/portal/"
            "verify/VerifyProperties.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    family = ctx.version
    known = known_keys(family)
    approximated = family in ("7.0", "7.1", "7.2", "7.3")
    for entry in written_entries(node):
        key = entry.key
        row = legacy_key(family, key)
        if row is None or key in known:
            continue
        if family.startswith("7.") and _DEDICATED_7X.fullmatch(key):
            continue
        tail, help_text = _what(row.kind, key, row.new_key, row.module, family, row.table)
        table = "6.2.5" if row.table.startswith("6.2") else "master 2024-12"
        note = (
            f" (from the VerifyProperties of Liferay {table}; the {family} release may still read it)"
            if approximated
            else ""
        )
        yield Finding(
            f"{key} {tail}{note}",
            label_at(node, entry.origin, row.kind.replace("-", " ")),
            help=help_text,
            subject=key,
        )
    if family.startswith("6."):
        return  # LIFERAY_* variables are a 7.x feature
    for var in node.env:
        name = var.name
        if not name.startswith("LIFERAY_") or name in IMAGE_VARIABLES or name.startswith(NOT_PROPERTY_PREFIXES):
            continue
        decoded = property_key(name)
        if decoded is None or decoded.literal_tokens:
            continue  # HA605 says how the name decodes badly
        key = decoded.key
        row = legacy_key(family, key)
        if row is None or key in known or _DEDICATED_7X.fullmatch(key):
            continue
        tail, help_text = _what(row.kind, key, row.new_key, row.module, family, row.table)
        origin = var.origin if var.origin.kind is OriginKind.ENV else var.origin._replace(kind=OriginKind.ENV)
        yield Finding(
            f"{name} sets {key}, which {tail}",
            label_at(node, origin, row.kind.replace("-", " ")),
            help=help_text,
            subject=name,
        )
