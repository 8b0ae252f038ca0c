"""HA409 search-engine-mismatch: Elasticsearch on some nodes, OpenSearch on others, or OpenSearch connections that
differ between nodes."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator

from linter.ruleapi import (
    ERROR,
    WARNING,
    Cluster,
    Confidence,
    Context,
    Finding,
    Node,
    Origin,
    OriginKind,
    Setting,
    agreement,
    label_at,
    rule,
)
from linter.ruleapi.osgi import OVERRIDE_PREFIX
from linter.ruleapi.releases import OPENSEARCH_FROM
from linter.ruleapi.search import (
    ES_CONNECTORS_BY_FAMILY,
    OPENSEARCH,
    OPENSEARCH_CONNECTION,
    SLIM_WRITER,
    SearchConfig,
    SearchValue,
    is_node_local,
    opensearch_setup,
    other_search_engine,
    search_configs,
    search_items,
    search_text,
    short_search_pid,
    typed_value,
)

DEFAULT_PREFIX = "liferay-"
# Liferay's bundle deny list (OSGi "Bundle Blacklist"), and the Elasticsearch connector bundles Liferay's
# OpenSearch setup puts on it (the slim entrypoint writes ...elasticsearch7.api and ...elasticsearch7.impl,
# with the cross-cluster replication, monitoring and learning-to-rank bundles: configure_liferay.sh:190-217)
DENY_LIST = "com.liferay.portal.bundle.blacklist.internal.configuration.BundleBlacklistConfiguration"
DENY_LIST_KEY = "blacklistBundleSymbolicNames"
ELASTICSEARCH_BUNDLES = ("com.liferay.portal.search.elasticsearch7.", "com.liferay.portal.search.elasticsearch8.")
LOCAL = (
    " (node-local configuration: a configuration.override.* property or the slim image's environment stays on its "
    "node, so the split lasts)"
)
FILES = (
    " (deployed files are stored in the database and reach every node, so what each node ends up with depends "
    "on the order they were deployed in)"
)


def _graded(finding: Finding, local: bool) -> Finding:
    """Error for a node-local difference, warning for differing deployed files (F13)."""
    return finding._replace(message=finding.message + (LOCAL if local else FILES), severity=None if local else WARNING)


def _setting(conf: SearchConfig | None, key: str, shown: str, value: SearchValue | None, detail: str) -> Setting:
    if value is not None:
        return Setting(key, shown, value.text, value.origin, Confidence.EXPLICIT)
    origin = Origin("", kind=OriginKind.DEFAULT, detail=detail) if conf is None else conf.origin
    return Setting(key, shown, shown, origin, Confidence.DEFAULT)


def _engine(node: Node, version: str) -> tuple[str, Setting, bool] | None:
    """The search engine a node's own configuration names, where it says so, and whether that is node-local
    (configuration.override.* only); None when the node configures no search connector."""
    configs = search_configs(node, version)
    other = other_search_engine(configs)
    if other is not None:
        engine, conf = other
        group = [c for c in configs if c.base.startswith(conf.base.rsplit(".configuration.", 1)[0])]
    else:
        engine = "Elasticsearch"
        group = [c for c in configs if c.base in ES_CONNECTORS_BY_FAMILY.get(version, ())]
    if not group:
        return None
    group.sort(key=lambda c: (is_node_local(c), c.where))
    conf = group[0]
    shown = f"{engine} ({short_search_pid(conf.base)})"
    setting = Setting("search engine", engine, shown, conf.origin, Confidence.EXPLICIT)
    return engine, setting, all(is_node_local(c) for c in group)


@rule(
    id="HA409",
    since="0.2.0",
    name="search-engine-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="7.4",
    tags=("search", "opensearch", "elasticsearch", "drift"),
    summary="Some nodes search with Elasticsearch, others with the OpenSearch 2 connector, or the nodes' OpenSearch "
    "connections (connection, addresses, active flag, index prefix) differ; or a node uses OpenSearch without the "
    "Elasticsearch connector deny-listed (warning).",
    rationale=(
        "A Liferay cluster shares one search index. From 2025.Q1 the OpenSearch 2 connector (opensearch2 PIDs, "
        "remote only; Liferay's setup deny-lists the Elasticsearch bundles) can replace the bundled Elasticsearch "
        "connector. Nodes configured for different engines, or for OpenSearch connections with different "
        "networkHostAddresses, a different remoteClusterConnectionId, an inactive connection (active defaults to "
        "false) or a different indexNamePrefix, index into different places, so search results depend on the node "
        "that serves the request. configuration.override.* portal properties stay on their node: a difference "
        "there (or in the slim image's LIFERAY_OPENSEARCH_ENABLED, with which its entrypoint writes the OpenSearch "
        "files or an elasticsearch7 file and removes the OpenSearch jars) lasts, an error. "
        "Deployed .config files are stored in the database and applied on every node, so "
        "differing files give an order-dependent result instead (our reading, not documented by Liferay): a "
        "warning. Nodes without any search "
        "connector configuration are not compared (HA405 covers them); Elasticsearch targets are HA406's. "
        "Liferay's OpenSearch setup requires the Elasticsearch connector bundles on the bundle deny list "
        "(BundleBlacklistConfiguration blacklistBundleSymbolicNames; the slim image's entrypoint writes "
        "com.liferay.portal.search.elasticsearch7.api and .impl there): a node with OpenSearch configured and no "
        "Elasticsearch connector bundle on any deny list deployed in the cluster (or on its own "
        "configuration.override.* of it) is a warning (reported when the nodes agree on the engine), not an "
        "error, because what a node does with both "
        "connectors active is not documented by Liferay (unverified). "
        "Releases: 2025.Q1+ (the OpenSearch 2 connector); on other 7.4 releases a node with OpenSearch files is "
        "compared all the same, and the deny list is checked on 2025.Q1+ and where the release is not known."
    ),
    fix="Choose one engine for the cluster and deploy the same connector files on every node: for OpenSearch "
    "com.liferay.portal.search.opensearch2.configuration.OpenSearchConfiguration.config (remoteClusterConnectionId) "
    'and OpenSearchConnectionConfiguration-<id>.config (active=B"true", connectionId, networkHostAddresses), with '
    "the Elasticsearch bundles deny-listed (osgi/configs/com.liferay.portal.bundle.blacklist.internal.configuration."
    'BundleBlacklistConfiguration.config with blacklistBundleSymbolicNames=["com.liferay.portal.search.'
    'elasticsearch7.api","com.liferay.portal.search.elasticsearch7.impl",...]); remove per-node '
    "configuration.override.* properties that differ.",
    sources=(
        (
            "Liferay Learn, 'Installing OpenSearch' (remote only; deny-list the Elasticsearch connector): https://"
            "learn.liferay.com/w/dxp/search/installing-and-upgrading-a-search-engine/opensearch/installing-opensearch"
        ),
        (
            "Liferay Learn, 'OpenSearch Connector Configuration Reference' (remoteClusterConnectionId, "
            "indexNamePrefix default liferay-): https://learn.liferay.com/w/dxp/search/"
            "installing-and-upgrading-a-search-engine/opensearch/opensearch-connector-configuration-reference"
        ),
        (
            "Liferay Docker image, configure_liferay.sh (the slim image's OpenSearch files): https://github.com/"
            "liferay/liferay-docker/blob/1ffa5e00/templates/bundle/resources/usr/local/bin/configure_liferay.sh"
        ),
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering') (deployed "
            "files are stored in the database and applied to all nodes; configuration.override.* properties win): "
            "https://learn.liferay.com/w/dxp/system-administration/configuring-liferay/"
            "configuration-files-and-factories/using-configuration-files"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    engines = {node.name: _engine(node, ctx.version) for node in cluster.nodes}
    present = [e for e in engines.values() if e is not None]
    if len({e[0] for e in present}) > 1:
        local = any(e[2] for e in present)
        for finding in agreement(
            cluster,
            lambda n: (engines[n.name] or ("", None, False))[0],
            lambda n: (engines[n.name] or ("", None, False))[1],
            what="Search engine",
            subject="search:engine",
            help="configure the same search connector on every node (one engine, one index)",
            skip=lambda n: engines[n.name] is None,
        ):
            yield _graded(finding, local)
        return  # choosing one engine comes first: the deny list follows from that choice
    yield from _opensearch_connections(cluster, ctx)
    yield from _elasticsearch_not_denied(cluster, ctx)


def _denies_elasticsearch(value: object) -> bool:
    return any(item.startswith(ELASTICSEARCH_BUNDLES) for item in search_items(value))


def _deny_lists(node: Node) -> tuple[bool, bool]:
    """Whether the node deploys a deny list naming an Elasticsearch connector bundle (stored in the
    database, so it reaches every node), and whether its own configuration.override.* does."""
    deployed = any(
        config.base_pid == DENY_LIST
        and (entry := config.get(DENY_LIST_KEY)) is not None
        and _denies_elasticsearch(entry.value)
        for config in node.osgi
    )
    override = node.settings.get(f"{OVERRIDE_PREFIX}{DENY_LIST}_{DENY_LIST_KEY}")
    return deployed, override is not None and _denies_elasticsearch(typed_value(override.value))


def _elasticsearch_not_denied(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    """M5: the OpenSearch 2 connector configured, but no Elasticsearch connector bundle deny-listed."""
    if ctx.release is not None and not ctx.release.at_least(*OPENSEARCH_FROM):
        return
    lists = {node.name: _deny_lists(node) for node in cluster.nodes}
    if any(deployed for deployed, _ in lists.values()):
        return
    for node in cluster.nodes:
        if lists[node.name][1]:
            continue
        own = [c for c in search_configs(node, ctx.version) if c.base in (OPENSEARCH, OPENSEARCH_CONNECTION)]
        if not own or all(SLIM_WRITER in c.where for c in own):
            continue  # no OpenSearch, or the slim entrypoint's files, written together with the deny list
        conf = sorted(own, key=lambda c: (c.base != OPENSEARCH, c.where))[0]
        yield Finding(
            f"{node.name} uses the OpenSearch 2 connector ({conf.name}) but no bundle deny list in the cluster "
            "names the Elasticsearch connector (no BundleBlacklistConfiguration with com.liferay.portal.search."
            "elasticsearch7.api/.impl): Liferay's OpenSearch setup requires it, and with both connectors active "
            "which one serves search is not documented",
            label_at(node, conf.origin, "OpenSearch without the Elasticsearch connector deny-listed"),
            help=f"deploy osgi/configs/{DENY_LIST}.config with {DENY_LIST_KEY} naming "
            "com.liferay.portal.search.elasticsearch7.api and com.liferay.portal.search.elasticsearch7.impl",
            subject="search:opensearch:deny-list",
            severity=WARNING,
        )


def _opensearch_connections(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    setups = {node.name: opensearch_setup(search_configs(node, ctx.version)) for node in cluster.nodes}
    if sum(1 for s in setups.values() if s is not None) < 2:
        return
    values: dict[str, dict[str, tuple[Hashable, Setting, bool]]] = {}
    for node in cluster.nodes:
        setup = setups[node.name]
        if setup is None:
            continue
        main, conn = setup.main, setup.connection
        missing = "no OpenSearchConfiguration on this node"
        ident = main.get("remoteClusterConnectionId") if main is not None else None
        prefix = main.get("indexNamePrefix") if main is not None else None
        prefix_text = search_text(prefix.value).strip() if prefix is not None else DEFAULT_PREFIX
        row: dict[str, tuple[Hashable, Setting, bool]] = {
            "connection": (
                setup.connection_id,
                _setting(main, "remoteClusterConnectionId", setup.connection_id or "(not set)", ident, missing),
                main is not None and is_node_local(main, "remoteClusterConnectionId"),
            ),
            "indexNamePrefix": (
                prefix_text,
                _setting(main, "indexNamePrefix", prefix_text, prefix, missing),
                main is not None and is_node_local(main, "indexNamePrefix"),
            ),
        }
        if conn is None:
            shown = f"connection {setup.connection_id!r} not defined on this node" if setup.connection_id else "none"
            row["addresses"] = (shown, _setting(main, "networkHostAddresses", shown, None, missing), False)
            row["active"] = (False, _setting(main, "active", "false", None, missing), False)
        else:
            hosts = conn.get("networkHostAddresses")
            items = search_items(hosts.value) if hosts is not None else ()
            normal = tuple(sorted({i.rstrip("/").lower() for i in items}))
            shown = ", ".join(items) if items else "(not set)"
            row["addresses"] = (
                normal,
                _setting(conn, "networkHostAddresses", shown, hosts, ""),
                is_node_local(conn, "networkHostAddresses"),
            )
            active = conn.get("active")
            on = active is not None and search_text(active.value).strip().lower() == "true"
            row["active"] = (
                on,
                _setting(conn, "active", "true" if on else "false (default)", active, ""),
                is_node_local(conn, "active"),
            )
        values[node.name] = row
    aspects: list[tuple[str, str, Callable[[Hashable], str]]] = [
        ("OpenSearch connection (remoteClusterConnectionId)", "connection", lambda v: f'"{v}"'),
        ("OpenSearch remote address list (networkHostAddresses)", "addresses", _shown),
        ("OpenSearch connection active flag", "active", lambda v: "true" if v else "false"),
        ("OpenSearch index name prefix (indexNamePrefix)", "indexNamePrefix", lambda v: f'"{v}"'),
    ]
    for what, aspect, show in aspects:
        local = any(row[aspect][2] for row in values.values())

        def value_of(n: Node, a: str = aspect) -> Hashable:
            return values[n.name][a][0]

        def setting_of(n: Node, a: str = aspect) -> Setting:
            return values[n.name][a][1]

        for finding in agreement(
            cluster,
            value_of,
            setting_of,
            what=what,
            show=show,
            subject=f"search:opensearch:{aspect}",
            help="deploy the same OpenSearch connector configuration on every node",
            skip=lambda n: n.name not in values,
        ):
            yield _graded(finding, local)


def _shown(value: Hashable) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)
