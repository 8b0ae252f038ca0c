"""HA303 store-local-default-path: a file-system store on the default or a relative root in a cluster."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Cluster, Context, Finding, Node, OriginKind, is_6x, label, rule
from linter.ruleapi.memo import per_run
from linter.ruleapi.mounts import container_path, shared_mount
from linter.ruleapi.store import DEFAULT_STORE_ROOT_7X, store_impl, store_impl_key, store_kind, store_location


@rule(
    id="HA303",
    name="store-local-default-path",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("store",),
    summary="A node of a cluster keeps Documents and Media files on the file-system store's default or a "
    "relative root, which is node-local unless shared storage is mounted there.",
    rationale=(
        "FileSystemStore and AdvancedFileSystemStore (FileSystemHook / AdvancedFileSystemHook on 6.0) are "
        "cluster-safe only when their root directory is on storage that every node shares and that supports "
        "concurrent access and file locking (SAN, clustered or network file system). The default root, "
        "${liferay.home}/data/document_library (rootDir=data/document_library resolved against liferay.home "
        "on 7.x), and any relative root sit inside each node's own Liferay home, so by default every node keeps "
        "its own files and documents uploaded on one node are missing on the others. A shared volume can be "
        "mounted exactly there (common with containers), which is why this is a warning: confirm the mount or "
        "move the root to the shared path explicitly. When the nodes come from a compose file or Kubernetes "
        "manifests, the mounts are known: a root on storage that every container mounts (one named volume, "
        "bind path, claim or NFS export) is shared and the rule stays silent. On 7.x the portal properties do "
        "not set the root at all (see HA305): only the store's OSGi configuration does."
    ),
    fix="Put the root on shared storage and configure it explicitly on every node: "
    "dl.store.file.system.root.dir (dl.hook.file.system.root.dir on 6.0), or on 7.x rootDir in "
    "osgi/configs/com.liferay.portal.store.file.system.configuration.(Advanced)FileSystemStoreConfiguration.config.",
    # facts: liferay-ha-facts.md §4.1, §4.2
    sources=(
        (
            "Liferay 6.2 portal.properties (dl.store.file.system.root.dir=${liferay.home}/data/document_library): "
            "https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 source, file system store and its configuration (rootDir default data/document_library, "
            "relative to Liferay home): https://github.com/liferay/liferay-portal/tree/7.4.3.112-ga112/modules/apps/"
            "portal-store/portal-store-file-system"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (the store's file system "
            "must be shared and support concurrent requests and file locking): https://github.com/liferay/"
            "liferay-docs/blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    impl, impl_setting = store_impl(node, ctx.version)
    if store_kind(impl) not in ("fs", "afs"):
        return
    loc = store_location(node, ctx.version)
    if loc is None or loc.compare is None or not (loc.default or loc.relative):
        return
    if _on_shared_mount(ctx, loc.shown):
        return  # every container mounts one and the same volume, claim or bind path there
    empty = not loc.setting.value.strip()
    if empty and not is_6x(ctx.version):
        return  # a blank 7.x rootDir stops the store from starting; not a question of sharing
    short = impl.rsplit(".", 1)[-1]
    if impl_setting is not None and impl_setting.origin.kind is OriginKind.DEFAULT:
        store = f"{short}, the Liferay {ctx.version} default of {store_impl_key(ctx.version)}"
    else:
        store = f"{short} ({store_impl_key(ctx.version)})"
    if loc.setting.origin.kind is OriginKind.DEFAULT and is_6x(ctx.version):
        why = f"{loc.key} is not set, so the default {loc.shown} applies"
    elif loc.missing:
        why = f"{loc.missing}, so rootDir defaults to {DEFAULT_STORE_ROOT_7X} under liferay.home ({loc.shown})"
    elif empty:
        why = f"{loc.key} is empty, so the store writes relative to the app server's working directory"
    elif loc.relative and is_6x(ctx.version):
        why = f"{loc.key} is the relative path {loc.setting.value.strip()}, resolved against the app server's "
        why += "working directory"
    elif loc.relative:
        why = f"{loc.key} is the relative path {loc.setting.value.strip()}, resolved against liferay.home "
        why += f"({loc.shown})"
    else:
        why = f"{loc.key} is {loc.shown}, the default location inside the node's own Liferay home"
    yield Finding(
        f"{node.name} keeps Documents and Media files in a node-local place: the store is {store}, and {why}; "
        f"in a {len(ctx.cluster.nodes)}-node cluster every node needs the same root on shared storage, unless "
        "a shared volume is mounted at exactly this path",
        label(node, loc.setting, loc.shown, key=loc.key),
        help="put the root on shared storage and set it explicitly on every node",
        confidence=loc.setting.confidence,
        subject=f"{short}:root",
    )


def _on_shared_mount(ctx: Context, shown: str) -> bool:
    """Deployment files say where storage is mounted: a root on storage that every container of
    the cluster mounts (one named volume, claim, bind path or NFS export) is shared."""
    return _shared_root(ctx.cluster, shown)


@per_run
def _shared_root(cluster: Cluster, shown: str) -> bool:
    """Once per cluster and root (not once per node: the answer is the cluster's)."""
    if not all(n.mounts for n in cluster.nodes):
        return False

    def path_of(other: Node) -> str | None:
        return container_path(other, shown)

    return shared_mount(cluster.nodes, path_of) is not None
