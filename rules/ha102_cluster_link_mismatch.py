"""HA102 cluster-link-mismatch: Cluster Link is enabled on some nodes and not on others."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from linter.ruleapi import ERROR, Cluster, Context, Finding, agreement, rule
from linter.ruleapi.cluster_link import CLUSTER_LINK_ENABLED, cluster_link_enabled


def _show(value: Hashable) -> str:
    return "enabled" if value else "disabled"


@rule(
    id="HA102",
    name="cluster-link-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("cluster-link", "drift"),
    summary="Cluster Link is enabled on some nodes of a cluster and disabled on others.",
    rationale=(
        "Nodes with Cluster Link off never join the JGroups channels, so the cluster silently splits into "
        "replicating and non-replicating nodes; the guides require the same setting on every node. Values are "
        "compared as Liferay reads them (GetterUtil.getBoolean), so 'yes' counts as disabled."
    ),
    fix="Set cluster.link.enabled=true on every node (the same portal-ext.properties or environment variable).",
    # facts: liferay-ha-facts.md §7.1, §7.4
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' ('needs to be set on all "
            "your nodes'): https://github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/chapters/"
            "20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
        (
            "Liferay source, GetterUtil.java (BOOLEANS = true, t, y, on, 1): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-kernel/src/com/liferay/portal/kernel/util/GetterUtil.java"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    yield from agreement(
        cluster,
        cluster_link_enabled,
        lambda n: n.setting(CLUSTER_LINK_ENABLED),
        what=f"Cluster Link ({CLUSTER_LINK_ENABLED})",
        show=_show,
        subject=CLUSTER_LINK_ENABLED,
        help=f"set {CLUSTER_LINK_ENABLED}=true on every node",
    )
