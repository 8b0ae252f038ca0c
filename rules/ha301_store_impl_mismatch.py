"""HA301 store-impl-mismatch: the Documents and Media store class differs between nodes."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Cluster, Confidence, Context, Finding, Node, Setting, agreement, rule
from linter.ruleapi.store import store_impl_key


def _impl(node: Node, key: str) -> str:
    setting = node.setting(key)
    return setting.value.strip() if setting is not None else ""


def _unknown(setting: Setting | None) -> bool:
    if setting is None:
        return False
    rest = setting.value.replace("${liferay.home}", "")
    return setting.confidence is Confidence.UNRESOLVED or "${" in rest or "{{" in rest


@rule(
    id="HA301",
    name="store-impl-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("store", "drift"),
    summary="The Documents and Media store implementation (dl.store.impl, dl.hook.impl on 6.0) differs between nodes.",
    rationale=(
        "Every node must read and write Documents and Media files in the same store: the database records "
        "which files exist, the store holds their bytes. When nodes use different store classes (say "
        "FileSystemStore on one, S3Store or DBStore on another), a file uploaded through one node is missing "
        "when another node serves it, and deletes leave orphans behind. The guides require the exact same "
        "Documents and Media configuration on all nodes. The key is dl.hook.impl on 6.0 and dl.store.impl "
        "from 6.1 on (VerifyProperties 6.2 lists the rename); a node that leaves it unset runs Liferay's "
        "default FileSystemStore (FileSystemHook on 6.0)."
    ),
    fix="Set the same dl.store.impl (dl.hook.impl on 6.0) on every node, and migrate existing files with "
    "Server Administration > Data Migration when you change stores.",
    sources=(
        "dl.hook.impl (6.0) / dl.store.impl (6.1+) and their default and alternative classes: portal.properties "
        "6.0.11, 6.1.0, 6.2.5, 7.4 (liferay-ha-facts.md §4.1); VerifyProperties 6.2.5 renamed dl.hook.impl -> "
        "dl.store.impl (verify-properties-legacy-keys.tsv)",
        "6.1/6.2 User Guide, DXP 7.0 clustering guide and liferay-learn 'Clustering for High Availability': "
        "Documents and Media must have the exact same configuration on all nodes (facts §4.2)",
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    key = store_impl_key(ctx.version)
    yield from agreement(
        cluster,
        lambda n: _impl(n, key),
        lambda n: n.setting(key),
        what=f"The Documents and Media store ({key})",
        show=lambda v: str(v) or "(empty)",
        subject=key,
        help=f"set the same {key} on every node",
        skip=lambda n: _unknown(n.setting(key)),
    )
