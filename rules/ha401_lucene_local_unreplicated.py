"""HA401 lucene-local-unreplicated: a 6.x node of a cluster keeps its own Lucene index and does not replicate writes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from linter.ruleapi import WARNING, Confidence, Context, Finding, Node, OriginKind, Setting, get_boolean, label, rule
from linter.ruleapi.memo import per_run

REPLICATE = "lucene.replicate.write"
STORE_TYPE = "lucene.store.type"
DIR = "lucene.dir"
READ_ONLY = "index.read.only"


@dataclass(frozen=True)
class Options:
    # The solr-web plugin (Liferay's pluggable Solr search engine) is deployed on every node. Plugins are not
    # visible in the portal properties, so say so here to silence the rule.
    solr: bool = False


def _value(node: Node, key: str) -> str:
    setting = node.setting(key)
    return setting.value.strip() if setting is not None else ""


def _explicit(setting: Setting | None) -> bool:
    return setting is not None and setting.origin.kind is not OriginKind.DEFAULT


def _local_dir(node: Node) -> bool:
    """lucene.dir is Liferay's default or lies below the node's liferay.home."""
    setting = node.setting(DIR)
    if not _explicit(setting):
        return True
    assert setting is not None
    if "${liferay.home}" in setting.raw:
        return True
    home = _value(node, "liferay.home").rstrip("/\\")
    path = setting.value.strip()
    relative = not path.startswith(("/", "\\")) and ":" not in path[:3]
    return not path or relative or bool(home and path.startswith(home))


def _normal(path: str) -> str:
    """Separators unified, repeated and trailing slashes dropped."""
    return re.sub(r"/+", "/", path.strip().replace("\\", "/")).rstrip("/")


def _shared_dir(node: Node, ctx: Context) -> bool:
    """Every node names the same explicit lucene.dir outside its Liferay home: a shared (SAN) index."""
    return _cluster_shares_dir(ctx.cluster.nodes)


@per_run
def _cluster_shares_dir(nodes: tuple[Node, ...]) -> bool:
    """A property of the whole cluster, decided once per run (asked node by node it was quadratic)."""
    dirs: set[str] = set()
    for node in nodes:
        if _local_dir(node):
            return False
        dirs.add(_normal(_value(node, DIR)))
    return len(dirs) <= 1


@rule(
    id="HA401",
    name="lucene-local-unreplicated",
    severity=WARNING,
    scope="node",
    versions="6.x",
    tags=("search", "lucene"),
    options=Options,
    summary="A 6.x node of a cluster keeps its own Lucene index: no lucene.replicate.write, shared index or Solr.",
    rationale=(
        "Liferay 6.x indexes into Lucene inside each portal (lucene.store.type=file under "
        "${liferay.home}/data/lucene/ by default). In a cluster the guides offer: Solr through the solr-web plugin "
        "(recommended), per-node indexes kept in sync with lucene.replicate.write=true plus Cluster Link, or one "
        "shared index (a common lucene.dir on a lock-aware SAN, or lucene.store.type=jdbc), both not recommended. "
        "A node with none of these indexes only its own writes, so search results differ between nodes "
        "('not a recommended configuration'). index.read.only=true only helps with a shared index. The solr-web "
        "plugin is not visible in the portal properties: set the rule option solr when it is deployed."
    ),
    fix="Set lucene.replicate.write=true (with cluster.link.enabled=true) on every node, or move search to Solr "
    "(solr-web plugin) and set the option solr = true for this rule.",
    # facts: liferay-ha-facts.md §5.1
    sources=(
        (
            "Liferay 6.2 portal.properties (lucene.replicate.write, lucene.store.type, lucene.dir, index.read.only "
            "and their comments): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/"
            "portal.properties"
        ),
        (
            "Liferay Portal 6.1 User Guide, 'Configuring Liferay for High Availability': https://github.com/liferay/"
            "liferay-docs/blob/0360235e/userGuide/en/chapters/19-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (search section): https://"
            "github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/chapters/"
            "20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay 6.2 source, IndexAccessorImpl.java (store types file, jdbc, ram): https://github.com/liferay/"
            "liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/search/lucene/IndexAccessorImpl.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    options = ctx.options if isinstance(ctx.options, Options) else Options()
    if not ctx.clustered or options.solr:
        return
    replicate = node.setting(REPLICATE)
    if replicate is not None and get_boolean(replicate.value):
        return
    store = _value(node, STORE_TYPE).lower() or "file"
    if store == "jdbc" or (store == "file" and _shared_dir(node, ctx)):
        return
    if replicate is None or replicate.origin.kind is OriginKind.DEFAULT:
        why = f"{REPLICATE} is not set (Liferay {ctx.version} default false)"
    else:
        why = f"{REPLICATE}={replicate.value.strip()}"
    if store == "ram":
        where = f"{STORE_TYPE}=ram keeps the index in this JVM's memory"
    else:
        where = f"the index is in {_value(node, DIR) or 'the node-local default directory'} ({STORE_TYPE}={store})"
    note = ""
    if get_boolean(_value(node, READ_ONLY)):
        note = f"; {READ_ONLY}=true only stops this node writing, it still never sees the other nodes' writes"
    yield Finding(
        f"{node.name} keeps its own Lucene index and does not replicate it in a {len(ctx.cluster.nodes)}-node "
        f"cluster: {why} and {where}, so each node indexes only its own changes and search results differ "
        f"between nodes{note}",
        label(node, replicate, "index not replicated", key=REPLICATE),
        help=f"set {REPLICATE}=true with cluster.link.enabled=true on every node (or use Solr: option solr)",
        confidence=replicate.confidence if replicate is not None else Confidence.DEFAULT,
        subject=REPLICATE,
    )
