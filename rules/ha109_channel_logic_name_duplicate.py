"""HA109 channel-logic-name-duplicate: two nodes give a channel the same JGroups logic name."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Cluster, Confidence, Context, Finding, Node, Setting, label, rule
from linter.ruleapi.cluster_link import cluster_link_enabled
from linter.ruleapi.memo import keys_with_prefix
from linter.ruleapi.text import LazyPattern

LOGIC_NAME = LazyPattern(r"cluster\.link\.channel\.logic\.name\.(control|transport\.\d+)")


def _order(key: str) -> tuple[int, int]:
    suffix = key.rsplit(".", 1)[-1]
    return (0, 0) if suffix == "control" else (1, int(suffix))


@rule(
    id="HA109",
    name="channel-logic-name-duplicate",
    severity=ERROR,
    scope="cluster",
    versions="7.4",
    tags=("cluster-link", "jgroups"),
    summary="Two nodes set the same cluster.link.channel.logic.name.control or .transport.N.",
    rationale=(
        "The logic name is the JGroups logical name of this node's member in a channel (JChannel.setName); "
        "portal.properties says it must be unique for each node in the cluster and generates a random one when "
        "it is empty. A copied portal-ext.properties or env file often carries the first node's names to the "
        "next node, so two members of one channel answer to the same name. The values are compared after "
        "LIFERAY_* environment variables are decoded (LIFERAY_CLUSTER_PERIOD_LINK_PERIOD_CHANNEL_PERIOD_LOGIC_"
        "PERIOD_NAME_PERIOD_CONTROL...). Empty values (Liferay's default) and nodes with Cluster Link off are "
        "ignored. The finding is reported on every node after the first one that uses the name."
    ),
    fix="Give each node its own logic names (e.g. control-node1 / transport-node1 on node 1, control-node2 / "
    "transport-node2 on node 2), or leave them empty so that Liferay generates random ones.",
    # facts: liferay-ha-facts.md §2.2; ehcache-jgroups-facts.md B.1; read in: shared/corpus/liferay,
    #   zoltantoth0409/liferay-portal
    sources=(
        (
            "Liferay 7.4 portal.properties ('The logic name must be unique for each node in the cluster'): https://"
            "github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 source, JGroupsClusterChannel.java (the logic name becomes the JGroups member name): https:/"
            "/github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/modules/apps/portal/portal-cluster-multiple/src/"
            "main/java/com/liferay/portal/cluster/multiple/internal/jgroups/JGroupsClusterChannel.java"
        ),
        (
            "Liferay Learn, 'Example: Creating a Simple DXP Cluster' (each node gets its own logic names): https://"
            "learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "example-creating-a-simple-dxp-cluster"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    keys = sorted(
        {
            k
            for n in cluster.nodes
            for k in keys_with_prefix(n.settings, "cluster.link.channel.logic.name.")
            if LOGIC_NAME.fullmatch(k)
        },
        key=_order,
    )
    for key in keys:
        users: dict[str, list[tuple[Node, Setting]]] = {}
        for node in cluster.nodes:
            setting = node.setting(key)
            if setting is None or not cluster_link_enabled(node) or setting.confidence is Confidence.UNRESOLVED:
                continue
            value = setting.value.strip()
            if value:
                users.setdefault(value, []).append((node, setting))
        for value, members in users.items():
            if len(members) < 2:
                continue
            for node, setting in members[1:]:
                others = [(n, s) for n, s in members if n is not node]
                yield Finding(
                    f'{key} is "{value}" on {node.name}, the same as on '
                    f"{', '.join(n.name for n, _ in others)}; the logic name must be unique for each node",
                    label(node, setting, f"{node.name}: {value}", key=key),
                    tuple(label(n, s, f"{n.name}: {value}", key=key) for n, s in others),
                    help=f"give {node.name} its own {key} (or leave it empty for a random name)",
                    confidence=Confidence.EXPLICIT,
                    subject=key,
                )
