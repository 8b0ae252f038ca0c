"""HA704 bad-boolean: a boolean portal property holds a value GetterUtil does not recognise."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import (
    ERROR,
    WARNING,
    Context,
    Finding,
    Label,
    Node,
    Origin,
    OriginKind,
    is_recognised_boolean,
    label_at,
    rule,
)
from linter.ruleapi.keys import IMAGE_VARIABLES, NOT_PROPERTY_PREFIXES, liferay_default, property_key
from linter.ruleapi.memo import memoize
from linter.ruleapi.text import LazyPattern

_BRACKET = LazyPattern(r"^(?P<base>[^\[]+)\[.*\]$")
_INDEXED = LazyPattern(r"^(?P<base>.+)\.\d+$")
_CLASS_SUFFIX = LazyPattern(r"^(?P<base>[a-z][\w.-]*?)\.(?:com|org|net|javax?)\.[\w.$]+$")
_FILTER = LazyPattern(r"com\.liferay\.[\w.$]*Filter")
# Booleans read by code without a default in that version's portal.properties (facts §6.1, §2.1).
_CODE_BOOLEANS = frozenset({"ehcache.cluster.link.replication.enabled", "org.quartz.jobStore.isClustered"})
_CRITICAL = frozenset({"cluster.link.enabled"})


@memoize  # nodes of a cluster repeat the same keys
def _is_boolean_key(family: str, key: str) -> bool:
    if key in _CODE_BOOLEANS or _FILTER.fullmatch(key):
        return True
    candidates = [key]
    for pattern in (_BRACKET, _INDEXED, _CLASS_SUFFIX):
        m = pattern.match(key)
        if m:
            candidates.append(m.group("base"))
    m = _INDEXED.match(key)
    if m:
        candidates.append(m.group("base") + ".0")
    for candidate in candidates:
        default = liferay_default(family, candidate)
        if default is not None:
            return default.strip().lower() in ("true", "false")
    return False


def _finding(node: Node, key: str, value: str, at: Label, where: str) -> Finding:
    shown = value.strip()
    message = (
        f"{key}={shown!r}{where} is not a boolean Liferay recognises: GetterUtil.getBoolean reads it as false "
        "(only true, t, y, on and 1, in any case, are true)"
    )
    if not shown:
        message = f"{key} is empty{where}: GetterUtil.getBoolean reads an empty value as false"
    critical = key in _CRITICAL
    if critical:
        message += f"; {key} is the Cluster Link switch, so Cluster Link is off on this node"
    return Finding(
        message, at, help=f"write {key}=true or {key}=false", subject=key, severity=ERROR if critical else None
    )


@rule(
    id="HA704",
    name="bad-boolean",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("hygiene", "properties"),
    summary="A boolean property has a value that Liferay silently reads as false ('yes', a typo, empty).",
    rationale=(
        "Liferay reads boolean properties with GetterUtil.getBoolean: the trimmed value is compared, ignoring "
        "case, with true, t, y, on and 1; anything else, 'yes' and 'enabled' and typos such as 'ture' "
        "included, is false without any warning. So cluster.link.enabled=yes turns Cluster Link off; this "
        "rule reports that key as an error. A key is "
        "taken as boolean when its Liferay default is true or false (also for bracketed, indexed and "
        "per-class variants), for servlet filter switches and for flags read only by code. Values with "
        "${...} placeholders are left alone. LIFERAY_* environment variables that decode to such keys (7.x) "
        "are checked too."
    ),
    fix="Write true or false.",
    # facts: liferay-ha-facts.md §7.4; read in: amosfong/liferay-portal-basics, shared/corpus/liferay
    sources=(
        (
            "Liferay source, GetterUtil.java (BOOLEANS = true, t, y, on, 1): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-kernel/src/com/liferay/portal/kernel/util/GetterUtil.java; "
            "6.2: https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-service/src/com/liferay/portal/"
            "kernel/util/GetterUtil.java"
        ),
        (
            "Liferay 6.2 portal.properties (boolean defaults): https://github.com/liferay/liferay-portal/blob/"
            "6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 portal.properties (boolean defaults): https://github.com/liferay/liferay-portal/blob/"
            "7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    family = ctx.version
    for source in node.properties:
        if source.role == "builtin":
            continue
        for entry in source.file.entries:
            if entry.origin.kind is not OriginKind.FILE or "${" in entry.value:
                continue
            if is_recognised_boolean(entry.value) or not _is_boolean_key(family, entry.key):
                continue
            yield _finding(node, entry.key, entry.value, label_at(node, entry.origin, "read as false"), "")
    if family.startswith("6."):
        return  # LIFERAY_* environment overrides are a 7.x feature (facts §1.3)
    for var in node.env:
        if var.value is None or var.name in IMAGE_VARIABLES or var.name.startswith(NOT_PROPERTY_PREFIXES):
            continue
        decoded = property_key(var.name)
        if decoded is None or "${" in var.value or is_recognised_boolean(var.value):
            continue
        if not _is_boolean_key(family, decoded.key):
            continue
        origin = var.origin if var.origin.kind is OriginKind.ENV else Origin(file=var.origin.file, kind=OriginKind.ENV)
        yield _finding(node, decoded.key, var.value, label_at(node, origin, "read as false"), f" (from {var.name})")
