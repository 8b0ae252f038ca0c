"""HA203 database-target-mismatch: the nodes of a cluster point at different databases."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field

from linter.ruleapi import ERROR, Cluster, Context, Finding, Node, Setting, agreement, is_unresolved, rule
from linter.ruleapi.cluster_link import cluster_link_enabled
from linter.ruleapi.database import JDBC_PREFIXES, jndi_setting, parse_jdbc, url_defined


@dataclass(frozen=True)
class _Target:
    """What a node's data source points at; equal targets compare equal whatever their spelling."""

    key: tuple[object, ...]
    text: str = field(compare=False)


def _defined(node: Node, prefix: str) -> bool:
    if prefix == "default":
        return True
    return url_defined(node, prefix) or jndi_setting(node, prefix) is not None


def _target(node: Node, prefix: str) -> _Target | None:
    """The node's target for a data source, or None when it cannot be known (unresolved, no URL)."""
    jndi = jndi_setting(node, prefix)
    if jndi is not None:
        if is_unresolved(jndi.value):
            return None
        name = jndi.value.strip()
        # Liferay's JNDIUtil also tries the name under java:comp/env/, so both spellings are one name
        short = name[len("java:comp/env/") :] if name.startswith("java:comp/env/") else name
        return _Target(("jndi", short), f"JNDI data source {name}")
    url = node.setting(f"jdbc.{prefix}.url")
    if url is None or not url.value.strip() or is_unresolved(url.value):
        return None
    parsed = parse_jdbc(url.value)
    if parsed is None:
        return None
    if any(is_unresolved(h) for h, _ in parsed.hosts):
        return None
    return _Target(("url", *parsed.key()), parsed.show())


def _setting(node: Node, prefix: str) -> Setting | None:
    return jndi_setting(node, prefix) or node.setting(f"jdbc.{prefix}.url")


def _show(value: Hashable) -> str:
    return value.text if isinstance(value, _Target) else str(value)


def _grouping(
    cluster: Cluster, prefix: str
) -> tuple[Callable[[Node], Hashable], Callable[[Node], Setting | None], Callable[[Node], bool]]:
    targets = {n.name: _target(n, prefix) if _defined(n, prefix) else None for n in cluster.nodes}
    settings = {n.name: _setting(n, prefix) for n in cluster.nodes}

    def value_of(node: Node) -> Hashable:
        return targets[node.name]

    def setting_of(node: Node) -> Setting | None:
        return settings[node.name]

    def skip(node: Node) -> bool:
        return targets[node.name] is None

    return value_of, setting_of, skip


@rule(
    id="HA203",
    name="database-target-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="all",
    tags=("database", "drift"),
    summary="The nodes of a cluster point at different databases (JDBC host, port and database, or JNDI name).",
    rationale=(
        "A Liferay cluster is a set of portal nodes over one database: the nodes share nothing else, and Cluster "
        "Link only invalidates caches whose source of truth is that database. Nodes that point at different "
        "databases are separate portals that happen to exchange cache messages, so users and content differ by "
        "node and cache invalidations corrupt what they show. The rule compares each node's effective "
        "jdbc.default.url reduced to vendor, server(s), port (the vendor's default when omitted) and database, "
        "ignoring driver parameters (never printed), or the JNDI name when jdbc.default.jndi.name is set; "
        "jdbc.read.* and jdbc.write.* are compared the same way among the nodes that define them. A duplicated "
        "key whose values Liferay joins with a comma counts as its own target. Values that still hold an "
        "unresolved ${...} are left out of the comparison. Two different host names can be one server, and two "
        "equal JNDI names can be bound to different databases: the rule compares what the files say."
    ),
    fix="Give every node the same database target: one portal-ext.properties (or environment) for the "
    "jdbc.default.* keys, and no node-local override in portal-setup-wizard.properties.",
    # facts: liferay-ha-facts.md §3.2, §1.5, §1.1; read in: petershin/liferay-learn, shared/corpus/liferay
    sources=(
        (
            "Liferay Portal 6.1 User Guide, 'Configuring Liferay for High Availability' ('all nodes must point to "
            "the same database'): https://github.com/liferay/liferay-docs/blob/0360235e/userGuide/en/chapters/"
            "19-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay Learn, 'Database Configuration for Cluster Nodes' ('nodes in a DXP cluster must be configured "
            "to share the same database'): https://learn.liferay.com/w/dxp/installation-and-upgrades/"
            "setting-up-liferay/clustering-for-high-availability/database-configuration-for-cluster-nodes"
        ),
        (
            "Liferay 7.4 portal.properties (jdbc.default.jndi.name replaces the connection keys; "
            "portal-setup-wizard.properties overrides portal-ext.properties): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Apache Commons Configuration 1.10, PropertiesConfiguration (a repeated key becomes a list): https://"
            "commons.apache.org/proper/commons-configuration/javadocs/v1.10/apidocs/org/apache/commons/configuration/"
            "PropertiesConfiguration.html"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    for prefix in JDBC_PREFIXES:
        key = f"jdbc.{prefix}.url"
        value_of, setting_of, skip = _grouping(cluster, prefix)
        yield from agreement(
            cluster,
            value_of,
            setting_of,
            what=f"The database of the jdbc.{prefix} data source ({key} or jdbc.{prefix}.jndi.name)",
            show=_show,
            subject=key,
            help=f"give every node the same {key} (or the same jdbc.{prefix}.jndi.name)" + _separate(cluster),
            skip=skip,
        )


def _separate(cluster: Cluster) -> str:
    """Nodes on different databases with Cluster Link off everywhere may be two portals in one
    deployment file (remote staging and live): say how to tell the linter so."""
    if any(cluster_link_enabled(n) for n in cluster.nodes) or not all(n.deployment for n in cluster.nodes):
        return ""
    how = (
        "x-liferay-ha-lint: {cluster: NAME} on each service"
        if cluster.nodes[0].deployment == "compose"
        else ("a liferay-ha-lint/cluster label on each workload")
    )
    return f"; if these are separate portals (Cluster Link is off on all of them), name their clusters with {how}"
