"""HA403 lucene-keys-on-7x: 6.x Lucene keys (lucene.*, index.read.only) set on Liferay 7.x, where nothing reads them."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, OriginKind, label, rule
from linter.ruleapi.keys import legacy_key
from linter.ruleapi.memo import keys_with_prefix


def _is_lucene_key(key: str) -> bool:
    return key.startswith("lucene.") or key == "index.read.only"


def _verify(version: str, key: str) -> str:
    entry = legacy_key(version, key)
    if entry is None:
        return "it is not a 7.x portal property"
    if entry.kind.startswith("modularized"):
        return (
            f"Liferay's VerifyProperties lists it as modularized to the OSGi configuration of "
            f"{entry.module} ({entry.new_key}), so the portal property is not read"
        )
    return f"Liferay's VerifyProperties lists it as {entry.kind.replace('-', ' ')}"


@rule(
    id="HA403",
    name="lucene-keys-on-7x",
    severity=WARNING,
    scope="node",
    versions="7.x",
    tags=("search", "lucene", "upgrade"),
    summary="A 6.x Lucene property (lucene.*, index.read.only) is set on Liferay 7.x, where it has no effect.",
    rationale=(
        "Liferay 7.x no longer indexes into an in-portal Lucene index: search runs on Elasticsearch (or Solr) "
        "through an OSGi connector. The 6.x keys that clustered the Lucene index (lucene.replicate.write, a shared "
        "lucene.dir, lucene.store.type, index.read.only) are obsolete or modularized in 7.x, so portal-ext.properties "
        "carried over from 6.x suggests a cluster setup that no longer exists: index sharing now comes only from "
        "every node using the same remote Elasticsearch (HA404-HA406). Liferay merely logs such keys at start-up."
    ),
    fix="Remove the lucene.* and index.read.only keys from the 7.x properties and configure a remote Elasticsearch "
    "connector on every node instead.",
    # facts: liferay-ha-facts.md §5.2; read in: shared/corpus/liferay/verify-properties-legacy-keys.tsv
    sources=(
        (
            "Liferay 7.4 source, VerifyProperties.java (lucene.* keys obsolete or moved to "
            "com.liferay.portal.search.lucene): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/"
            "portal-impl/src/com/liferay/portal/verify/VerifyProperties.java"
        ),
        (
            "Liferay Help Center, 'Changes in Liferay DXP Clustering' (DXP 7.0: storing indexes locally with Lucene "
            "was removed)"
        ),
        (
            "Liferay 7.4 portal.properties (defines no lucene.* key): https://github.com/liferay/liferay-portal/blob/"
            "7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    candidates = (*keys_with_prefix(node.settings, "lucene."), *keys_with_prefix(node.settings, "index.read.only"))
    for key in sorted(k for k in candidates if _is_lucene_key(k)):
        setting = node.settings[key]
        if setting.origin.kind is OriginKind.DEFAULT:
            continue
        extra = ""
        if key == "lucene.replicate.write" and ctx.clustered:
            extra = "; a 7.x cluster shares its index only by pointing every node at the same remote Elasticsearch"
        yield Finding(
            f"{key}={setting.value.strip()} is set on {node.name}, but Liferay {ctx.version} has no Lucene index to "
            f"apply it to: {_verify(ctx.version, key)}{extra}",
            label(node, setting, "ignored on 7.x"),
            help=f"remove {key}; configure the remote Elasticsearch connector instead",
            confidence=setting.confidence,
            subject=key,
        )
