"""HA101 cluster-link-disabled: Cluster Link is off on a node of a cluster."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Confidence, Context, Finding, Node, OriginKind, get_boolean, label, rule
from linter.ruleapi.cluster_link import CLUSTER_LINK_ENABLED


@rule(
    id="HA101",
    name="cluster-link-disabled",
    severity=ERROR,
    scope="node",
    versions="all",
    tags=("cluster-link",),
    summary="Cluster Link is disabled on a node of a cluster.",
    rationale=(
        "cluster.link.enabled defaults to false in every Liferay version. Without Cluster Link a node neither "
        "sends nor receives cache invalidations (and, on 6.x, Lucene index replication), so it serves stale "
        "data after another node writes. Liferay reads the value with GetterUtil.getBoolean: only true, t, y, "
        "on and 1 (any case, trimmed) are true, so 'yes' or a typo disables Cluster Link silently."
    ),
    fix="Set cluster.link.enabled=true in portal-ext.properties (or LIFERAY_CLUSTER_PERIOD_LINK_PERIOD_ENABLED=true) "
    "on every node.",
    # facts: liferay-ha-facts.md §2.1, §7.4
    sources=(
        (
            "Liferay 6.2 portal.properties (cluster.link.enabled=false by default): https://github.com/liferay/"
            "liferay-portal/blob/6.2.5-ga6/portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 portal.properties (cluster.link.enabled=false by default): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability': https://github.com/liferay/"
            "liferay-docs/blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay Learn, 'Configuring Cluster Link': https://learn.liferay.com/w/dxp/installation-and-upgrades/"
            "setting-up-liferay/clustering-for-high-availability/configuring-cluster-link"
        ),
        (
            "Liferay source, GetterUtil.java (BOOLEANS = true, t, y, on, 1): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-kernel/src/com/liferay/portal/kernel/util/GetterUtil.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    setting = node.setting(CLUSTER_LINK_ENABLED)
    if setting is not None and get_boolean(setting.value):
        return
    if setting is None or setting.origin.kind is OriginKind.DEFAULT:
        why = f"{CLUSTER_LINK_ENABLED} is not set, so the Liferay {ctx.version} default (false) applies"
    elif setting.value.strip().lower() in ("false", "f", "n", "off", "0"):
        why = f"{CLUSTER_LINK_ENABLED}={setting.value.strip()}"
    else:
        why = (
            f"{CLUSTER_LINK_ENABLED}={setting.value.strip()!r}, which Liferay reads as false "
            "(GetterUtil accepts true, t, y, on, 1)"
        )
    yield Finding(
        f"Cluster Link is disabled on {node.name} in a {len(ctx.cluster.nodes)}-node cluster: {why}",
        label(node, setting, "Cluster Link off", key=CLUSTER_LINK_ENABLED),
        help=f"set {CLUSTER_LINK_ENABLED}=true on every node",
        confidence=setting.confidence if setting is not None else Confidence.DEFAULT,
        subject=CLUSTER_LINK_ENABLED,
    )
