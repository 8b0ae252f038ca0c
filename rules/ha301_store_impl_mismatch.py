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
    # facts: liferay-ha-facts.md §4.1, §4.2
    sources=(
        (
            "Liferay 6.0 portal.properties (dl.hook.impl): https://docs.liferay.com/portal/6.0/propertiesdoc/"
            "portal.properties.html"
        ),
        (
            "Liferay 6.2 portal.properties (dl.store.impl and its classes): https://github.com/liferay/"
            "liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 portal.properties (dl.store.impl and its classes): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 6.2 source, VerifyProperties.java (dl.hook.impl renamed dl.store.impl): https://github.com/"
            "liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/verify/VerifyProperties.java"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (Documents and Media must "
            "have the same configuration on all nodes): https://github.com/liferay/liferay-docs/blob/0b22f2fc/"
            "userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay Learn, 'Clustering for High Availability': https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability"
        ),
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
