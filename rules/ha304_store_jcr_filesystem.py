"""HA304 store-jcr-filesystem: a 6.x node of a cluster stores documents in Jackrabbit on the file system."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Confidence, Context, Finding, Label, Node, OriginKind, Setting, label, rule
from linter.ruleapi.store import store_impl_key

ROOT_KEY = "jcr.jackrabbit.repository.root"
CONFIG_KEY = "jcr.jackrabbit.config.file.path"


def _describe(setting: Setting | None, version: str) -> str:
    if setting is None:
        return "not set"
    if setting.origin.kind is OriginKind.DEFAULT:
        return f"{setting.value} (Liferay {version} default)"
    return setting.value


@rule(
    id="HA304",
    name="store-jcr-filesystem",
    severity=WARNING,
    scope="node",
    versions="6.x",
    tags=("store",),
    summary="A 6.x node of a cluster stores Documents and Media in Jackrabbit (JCRStore / JCRHook), whose "
    "built-in configuration persists to the local file system.",
    rationale=(
        "With the JCR store, Liferay runs an embedded Jackrabbit repository under jcr.jackrabbit.repository.root "
        "(default ${liferay.home}/data/jackrabbit) and configures it from repository.xml "
        "(jcr.jackrabbit.config.file.path), which Liferay's built-in template points at the local file system. "
        "Every node then keeps its own repository. Moving the repository root to a shared folder is 'not "
        "recommended for production' because of Jackrabbit's file locking; the supported cluster setup is "
        "Jackrabbit persisting to the shared database, with the <Cluster> section of repository.xml enabled "
        "and the same database URL on every node. The linter does not read repository.xml, so it cannot tell "
        "whether that change was made: this is a warning to confirm it (or to move to a cluster-safe store "
        "such as DBStore, S3 or a shared advanced file system store)."
    ),
    fix="Switch repository.xml on every node to database persistence with the <Cluster> section enabled "
    "(6.1/6.2 User Guide 'Using the JCR store'), or migrate to another store with Server Administration > "
    "Data Migration.",
    # facts: liferay-ha-facts.md §4.1, §4.2
    sources=(
        (
            "Liferay 6.2 portal.properties (JCRStore, jcr.jackrabbit.repository.root=${liferay.home}/data/"
            "jackrabbit): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 6.0 portal.properties (JCRHook): https://docs.liferay.com/portal/6.0/propertiesdoc/"
            "portal.properties.html"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (the default Jackrabbit "
            "repository is on the local file system; cluster it through database persistence): https://github.com/"
            "liferay/liferay-docs/blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    key = store_impl_key(ctx.version)
    impl = node.setting(key)
    if impl is None or impl.value.strip().rsplit(".", 1)[-1] not in ("JCRStore", "JCRHook"):
        return
    root = node.setting(ROOT_KEY)
    config = node.setting(CONFIG_KEY)
    related: list[Label] = []
    for setting, text in ((root, "Jackrabbit repository root"), (config, "repository.xml location")):
        if setting is not None and setting.origin.kind is not OriginKind.DEFAULT:
            related.append(label(node, setting, text))
    yield Finding(
        f"{node.name} stores Documents and Media in Jackrabbit ({impl.value.strip().rsplit('.', 1)[-1]}) in a "
        f"{len(ctx.cluster.nodes)}-node cluster: repository root {_describe(root, ctx.version)}, configuration "
        f"{_describe(config, ctx.version)}. Liferay's built-in repository.xml persists Jackrabbit to the file "
        "system under that root: on a local disk each node has a repository of its own, and a shared folder is "
        "not recommended because of Jackrabbit's file locking. Unless repository.xml was switched to database "
        "persistence with its <Cluster> section (the linter does not read repository.xml), documents are not "
        "shared safely between the nodes",
        label(node, impl, "JCR store", key=key),
        tuple(related),
        help="persist Jackrabbit to the shared database with <Cluster> enabled on every node, or use another store",
        confidence=root.confidence if root is not None else Confidence.DEFAULT,
        subject=key,
    )
