"""HA305 store-root-property-ignored: a 6.x store root property set on 7.x, where only OSGi rootDir counts."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Context, Finding, Node, OriginKind, label, rule
from linter.ruleapi.store import FS_STORE_PIDS, store_impl, store_kind, store_location

# VerifyProperties (master 2024-12) _MODULARIZED_PORTAL_KEYS: these keys moved to the OSGi
# configuration of module com.liferay.portal.store.filesystem as root.dir (rootDir); the 6.0
# spelling is in its obsolete list.
IGNORED_KEYS = (
    ("dl.store.file.system.root.dir", "modularized to the OSGi configuration of com.liferay.portal.store.filesystem"),
    (
        "dl.store.advanced.file.system.root.dir",
        "modularized to the OSGi configuration of com.liferay.portal.store.filesystem",
    ),
    ("dl.hook.file.system.root.dir", "obsolete (the 6.0 name)"),
)


@rule(
    id="HA305",
    name="store-root-property-ignored",
    severity=ERROR,
    scope="node",
    versions="7.x",
    tags=("store",),
    summary="dl.store.file.system.root.dir (or the advanced or 6.0 variant) is set on 7.x, where the file-system "
    "stores read their root only from the OSGi rootDir.",
    rationale=(
        "From 7.0 on the file-system stores are OSGi components: FileSystemStore reads rootDir from "
        "com.liferay.portal.store.file.system.configuration.FileSystemStoreConfiguration and "
        "AdvancedFileSystemStore from ...AdvancedFileSystemStoreConfiguration (default data/document_library "
        "under liferay.home). The 6.x portal properties dl.store.file.system.root.dir and "
        "dl.store.advanced.file.system.root.dir are no longer read; Liferay's VerifyProperties lists them as "
        "modularized to the store module (and dl.hook.file.system.root.dir as obsolete). A root set this way "
        "is silently ignored: the node keeps documents in the default local directory while the admin believes "
        "they are on the shared path, which in a cluster means nodes with different document sets. The finding "
        "names the root the node really uses."
    ),
    fix="Move the path to rootDir in osgi/configs/com.liferay.portal.store.file.system.configuration."
    '(Advanced)FileSystemStoreConfiguration.config on every node (rootDir="/shared/path") and delete the '
    "portal property.",
    # facts: liferay-ha-facts.md §4.1; read in: shared/corpus/liferay/verify-properties-legacy-keys.tsv,
    #   shared/corpus/liferay
    sources=(
        (
            "Liferay 7.4 source, VerifyProperties.java (dl.store.file.system.root.dir and "
            "dl.store.advanced.file.system.root.dir moved to the store's rootDir): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/com/liferay/portal/verify/VerifyProperties.java"
        ),
        (
            "Liferay 7.4 source, file system store and its configuration (rootDir, default data/document_library): "
            "https://github.com/liferay/liferay-portal/tree/7.4.3.112-ga112/modules/apps/portal-store/"
            "portal-store-file-system"
        ),
        (
            "Liferay 7.4 portal.properties (defines no dl.store.file.system.root.dir): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    impl, _ = store_impl(node, ctx.version)
    kind = store_kind(impl)
    loc = store_location(node, ctx.version) if kind in ("fs", "afs") else None
    for key, status in IGNORED_KEYS:
        setting = node.setting(key)
        if setting is None or setting.origin.kind is OriginKind.DEFAULT or not setting.value.strip():
            continue
        pid = FS_STORE_PIDS[kind] if kind in ("fs", "afs") else FS_STORE_PIDS["afs" if "advanced" in key else "fs"]
        if loc is not None:
            source = loc.missing or loc.key
            really = f"{impl.rsplit('.', 1)[-1]} on {node.name} uses {loc.shown} ({source})"
        elif impl:
            really = f"the active store on {node.name} is {impl.rsplit('.', 1)[-1]}, which does not use it either"
        else:
            really = f"{node.name} sets no store class"
        yield Finding(
            f"{key}={setting.value.strip()} is ignored on Liferay {ctx.version}: the key is {status} "
            f"(VerifyProperties), and the file-system stores read rootDir from their OSGi configuration only; {really}",
            label(node, setting, "ignored on 7.x", key=key),
            help=f'set rootDir="{setting.value.strip()}" in osgi/configs/{pid}.config on every node and remove {key}',
            confidence=setting.confidence,
            subject=key,
        )
