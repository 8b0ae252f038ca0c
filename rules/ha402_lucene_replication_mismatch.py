"""HA402 lucene-replication-mismatch: lucene.replicate.write differs between the nodes of a 6.x cluster."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from linter.ruleapi import ERROR, Cluster, Context, Finding, Node, agreement, get_boolean, rule

KEY = "lucene.replicate.write"


@dataclass(frozen=True)
class Options:
    # The solr-web plugin is deployed on every node: Lucene is not the search engine, so the key is irrelevant
    # ("only relevant when using the default Lucene indexing engine", 6.2 portal.properties).
    solr: bool = False


def _replicates(node: Node) -> bool:
    setting = node.setting(KEY)
    return get_boolean(setting.value if setting is not None else None)


def _show(value: Hashable) -> str:
    return "true (index writes replicated)" if value else "false (index writes stay local)"


@rule(
    id="HA402",
    name="lucene-replication-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="6.x",
    tags=("search", "lucene", "drift"),
    options=Options,
    summary="lucene.replicate.write is true on some nodes of a 6.x cluster and false on others.",
    rationale=(
        "With per-node Lucene indexes, lucene.replicate.write=true makes a node send every index write to the "
        "other members over Cluster Link; the 6.2 guide requires it on all nodes. When only some nodes replicate, "
        "the writes of the other nodes never reach them and the indexes drift apart, node by node. Values are "
        "compared as Liferay reads them (GetterUtil.getBoolean)."
    ),
    fix="Set lucene.replicate.write=true on every node (with cluster.link.enabled=true), in the shared "
    "portal-ext.properties.",
    # facts: liferay-ha-facts.md §5.1, §7.1, §7.4
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' "
            "('lucene.replicate.write=true on all nodes'): https://github.com/liferay/liferay-docs/blob/0b22f2fc/"
            "userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay 6.2 portal.properties (lucene.replicate.write=false and its comment): https://github.com/"
            "liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay source, GetterUtil.java (BOOLEANS = true, t, y, on, 1): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-kernel/src/com/liferay/portal/kernel/util/GetterUtil.java"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    options = ctx.options if isinstance(ctx.options, Options) else Options()
    if options.solr:
        return
    yield from agreement(
        cluster,
        _replicates,
        lambda n: n.setting(KEY),
        what=f"Lucene index replication ({KEY})",
        show=_show,
        subject=KEY,
        help=f"set {KEY}=true on every node",
    )
