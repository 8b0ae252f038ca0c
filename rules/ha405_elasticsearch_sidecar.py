"""HA405 elasticsearch-sidecar: a 7.3+ node of a cluster runs the sidecar Elasticsearch (production mode off)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Confidence, Context, Finding, Node, label, label_at, rule
from linter.ruleapi.search import (
    ES7,
    ES7_CONNECTION,
    ES_CONNECTOR_NAMES,
    is_remote_mode,
    other_search_engine,
    remote_config_elsewhere,
    search_configs,
    short_search_pid,
)


@rule(
    id="HA405",
    name="elasticsearch-sidecar",
    severity=ERROR,
    scope="node",
    versions="7.3+",
    tags=("search", "elasticsearch"),
    summary="A Liferay 7.3+ node of a cluster runs the sidecar Elasticsearch: production mode is not enabled.",
    rationale=(
        "From 7.3 the Elasticsearch 7 connector starts a sidecar Elasticsearch (its own JVM, data in the node's "
        "Liferay home; embedded on Portal 7.3 CE GA1-GA3) unless production mode is on: productionModeEnabled "
        'true, or the deprecated operationMode="REMOTE" (ElasticsearchConfigurationWrapper.isProductionModeEnabled). '
        "A sidecar keeps a per-node index, so in a cluster each node searches only what it indexed itself, and "
        "Liferay does not support it in production. A configuration named for another version's connector is "
        "ignored (HA407) and leaves the sidecar running; an ElasticsearchConnectionConfiguration alone does not "
        "enable production mode. A node without a configuration of its own is not reported when another node "
        "deploys one in production mode, because Liferay stores deployed .config files in the database and applies "
        "them on every node (HA601 reports the drift). Nodes configured for OpenSearch or Solr are not checked."
    ),
    fix="Deploy osgi/configs/com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration.config "
    'with productionModeEnabled=B"true" and networkHostAddresses=["http://es1:9200",...] of the shared cluster '
    "on every node (or the equivalent configuration.override.* properties).",
    sources=(
        "liferay/liferay-portal portal-search-elasticsearch7-api ElasticsearchConfiguration.java @7fa80de2 "
        "(productionModeEnabled default false, operationMode deprecated, default EMBEDDED) and "
        "portal-search-elasticsearch7-impl ElasticsearchConfigurationWrapper.java (isProductionModeEnabled: "
        "productionModeEnabled or operationMode == REMOTE)",
        "liferay-learn elasticsearch-connector-configuration-reference.md ('If left disabled, the Operation Mode "
        "configuration is used'), connecting-to-elasticsearch.md, using-the-sidecar-or-embedded-elasticsearch.md "
        "(sidecar not supported in production; liferay-ha-facts.md §5.2)",
        "liferay/liferay-portal portal-search-opensearch2-api OpenSearchConfiguration.java (OpenSearch connector, "
        "remote only)",
        "liferay-learn using-configuration-files.md 'Configuration Files and Clustering' (a file deployed on one node "
        "is applied to all nodes)",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered or ctx.version not in ("7.3", "7.4"):
        return
    configs = search_configs(node, ctx.version)
    if other_search_engine(configs) is not None:
        return
    main = sorted((c for c in configs if c.base == ES7), key=lambda c: c.where)
    if any(is_remote_mode(c, ctx.version) for c in main):
        return
    if not main and remote_config_elsewhere(node, ctx.cluster.nodes, ctx.version):
        return  # the other node's file reaches this node through the database (HA601 reports the drift)
    where = f"in a {len(ctx.cluster.nodes)}-node cluster"
    connections = [c for c in configs if c.base == ES7_CONNECTION]
    extra = ""
    if connections:
        extra = f"; the connection defined in {connections[0].name} is only used in production mode"
    if main:
        conf = main[0]
        production = conf.get("productionModeEnabled")
        mode = conf.get("operationMode")
        shown = f" and operationMode={mode.text}" if mode is not None else ""
        if production is not None:
            yield Finding(
                f"Elasticsearch runs as a sidecar on {node.name} {where}: {conf.name} sets "
                f"productionModeEnabled={production.text}{shown}{extra}",
                label_at(node, production.origin, "production mode off"),
                help='set productionModeEnabled=B"true" and networkHostAddresses of the shared Elasticsearch cluster',
                subject=f"{ES7}:productionModeEnabled",
            )
            return
        yield Finding(
            f"Elasticsearch runs as a sidecar on {node.name} {where}: {conf.name} does not set "
            f"productionModeEnabled (default false){shown}{extra}",
            label_at(node, conf.origin, "productionModeEnabled not set (default false)"),
            help='add productionModeEnabled=B"true" and networkHostAddresses of the shared Elasticsearch cluster',
            confidence=Confidence.DEFAULT,
            subject=f"{ES7}:productionModeEnabled",
        )
        return
    ignored = sorted(
        (c for c in configs if c.base in ES_CONNECTOR_NAMES and c.base != ES7_CONNECTION), key=lambda c: c.where
    )
    if ignored:
        conf = ignored[0]
        yield Finding(
            f"Elasticsearch runs as a sidecar on {node.name} {where}: the only Elasticsearch configuration, "
            f"{conf.name}, is for another version's connector and is ignored (HA407), so the Elasticsearch 7 "
            f"connector keeps its default development mode{extra}",
            label_at(node, conf.origin, "ignored by Liferay " + ctx.version),
            help=f'deploy {ES7}.config with productionModeEnabled=B"true" and networkHostAddresses',
            confidence=Confidence.DEFAULT,
            subject=f"{ES7}:productionModeEnabled",
        )
        return
    if connections:
        conf = connections[0]
        yield Finding(
            f"Elasticsearch runs as a sidecar on {node.name} {where}: {conf.name} defines a connection, but there is "
            f"no {short_search_pid(ES7)} configuration enabling production mode, so the connector stays in "
            "development mode",
            label_at(node, conf.origin, "connection without production mode"),
            help=f'deploy {ES7}.config with productionModeEnabled=B"true" (and remoteClusterConnectionId)',
            confidence=Confidence.DEFAULT,
            subject=f"{ES7}:productionModeEnabled",
        )
        return
    yield Finding(
        f"Elasticsearch runs as a sidecar on {node.name} {where}: there is no osgi/configs/{ES7}.config "
        "(nor a configuration.override of it), so the Elasticsearch 7 connector keeps its default development mode",
        label(node, None, "no Elasticsearch connector configuration", key=f"osgi/configs/{ES7}.config"),
        help=f'deploy {ES7}.config with productionModeEnabled=B"true" and networkHostAddresses on every node',
        confidence=Confidence.DEFAULT,
        subject=f"{ES7}:productionModeEnabled",
    )
