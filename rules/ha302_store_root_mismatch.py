"""HA302 store-root-mismatch: the nodes' store locations (root, bucket, repository) differ."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator

from linter.ruleapi import ERROR, Cluster, Context, Finding, Node, Setting, agreement, rule
from linter.ruleapi.store import store_impl, store_location


def _show(value: Hashable) -> str:
    return str(value) if value else "(not set)"


@rule(
    id="HA302",
    name="store-root-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("store", "drift"),
    summary="Nodes using the same Documents and Media store keep files in different places (file-system root, "
    "S3 bucket, CMIS repository or Jackrabbit root).",
    rationale=(
        "A store only works in a cluster when every node reaches the same files. For the file-system stores "
        "that means one root directory on storage shared by all nodes: nodes with different roots each see "
        "only the files uploaded through themselves. The same holds for the S3 bucket, the CMIS repository "
        "URL and the Jackrabbit repository root. The root is dl.hook.file.system.root.dir on 6.0, "
        "dl.store.file.system.root.dir on 6.1/6.2, and on 7.x the rootDir attribute of the OSGi "
        "configuration of the active store (FileSystemStoreConfiguration or "
        "AdvancedFileSystemStoreConfiguration, .config or .cfg, or configuration.override.* from 7.2 on), "
        "default data/document_library resolved against liferay.home. 6.x S3 buckets are "
        "dl.store.s3.bucket.name (dl.hook.s3.bucket.name on 6.0), 7.x bucketName in S3StoreConfiguration. "
        "Only nodes with the same store class are compared (a different class is HA301), and values with an "
        "unresolved ${...} are left out. Two different paths can still be one share mounted in two places: "
        "the rule compares what the configuration says."
    ),
    fix="Mount the shared storage at the same path on every node and give every node the same root (or "
    "bucket / repository URL); on 7.x deploy the same store .config file to every node's osgi/configs.",
    # facts: liferay-ha-facts.md §4.1, §1.4, §4.2
    sources=(
        (
            "Liferay 6.0 portal.properties (dl.hook.file.system.root.dir, cmis.repository.url): https://"
            "docs.liferay.com/portal/6.0/propertiesdoc/portal.properties.html"
        ),
        (
            "Liferay 6.2 portal.properties (dl.store.file.system.root.dir, dl.store.s3.bucket.name, "
            "dl.store.cmis.repository.url, jcr.jackrabbit.repository.root): https://github.com/liferay/"
            "liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 source, file system store and its configuration (rootDir, default data/document_library, "
            "relative to Liferay home): https://github.com/liferay/liferay-portal/tree/7.4.3.112-ga112/modules/apps/"
            "portal-store/portal-store-file-system"
        ),
        (
            "Liferay source, S3StoreConfiguration.java (bucketName): https://github.com/liferay/liferay-portal/blob/"
            "cfeb1462/modules/apps/portal-store/portal-store-s3/src/main/java/com/liferay/portal/store/s3/"
            "configuration/S3StoreConfiguration.java"
        ),
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering') "
            "(configuration.override.* portal properties): https://learn.liferay.com/w/dxp/system-administration/"
            "configuring-liferay/configuration-files-and-factories/using-configuration-files"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability': https://github.com/liferay/"
            "liferay-docs/blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay Learn, 'Clustering for High Availability': https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    version = ctx.version
    locations = {n.name: store_location(n, version) for n in cluster.nodes}
    impls = {n.name: store_impl(n, version)[0] for n in cluster.nodes}
    for impl in sorted({i for i in impls.values() if i}):
        members = [n for n in cluster.nodes if impls[n.name] == impl and locations[n.name] is not None]
        if len(members) < 2:
            continue
        sample = locations[members[0].name]
        assert sample is not None
        keys = sorted({re.sub(r"\.(config|cfg)$", "", loc.key) for n in members if (loc := locations[n.name])})
        where = keys[0] if len(keys) == 1 else " / ".join(keys)

        def value_of(node: Node) -> str | None:
            loc = locations[node.name]
            return loc.compare if loc is not None else None

        def setting_of(node: Node) -> Setting | None:
            loc = locations[node.name]
            return loc.setting if loc is not None else None

        def skip(node: Node, impl: str = impl) -> bool:
            loc = locations[node.name]
            return impls[node.name] != impl or loc is None or loc.compare is None

        short = impl.rsplit(".", 1)[-1]
        yield from agreement(
            cluster,
            value_of,
            setting_of,
            what=f"The {short} {sample.what} ({where})",
            show=_show,
            subject=f"{short}:{sample.what}",
            help=f"give every {short} node the same {sample.what}, on storage all nodes share",
            skip=skip,
        )
