"""HA405 elasticsearch-sidecar: a 7.3+ node of a cluster runs the sidecar Elasticsearch (production mode off)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Confidence, Context, Finding, Node, label, label_at, rule
from linter.ruleapi.search import (
    CONNECTION_PIDS,
    ES7,
    ES8,
    ES_CONNECTOR_NAMES,
    connector_label,
    is_remote_mode,
    main_pids,
    other_search_engine,
    readable_pids,
    release_ignored,
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
    summary="A Liferay 7.3+ node of a cluster runs the sidecar Elasticsearch: production mode is not enabled "
    "(elasticsearch7 PID to 2025.Q4, elasticsearch8 PID from 2026.Q1).",
    rationale=(
        "From 7.3 the Elasticsearch connector starts a sidecar Elasticsearch (its own JVM, data in the node's "
        "Liferay home; embedded on Portal 7.3 CE GA1-GA3) unless production mode is on. On 7.3 to 2025.Q4 (and 7.4 "
        "GA/U updates) the Elasticsearch 7 connector reads the elasticsearch7 PID: productionModeEnabled true, or the "
        'deprecated operationMode="REMOTE" (ElasticsearchConfigurationWrapper.isProductionModeEnabled). From 2026.Q1 '
        "the Elasticsearch 8 connector reads the elasticsearch8 PID, which has no operationMode: only "
        "productionModeEnabled true leaves the sidecar. On a 7.4 node whose release is not known either connector's "
        "file is accepted. A sidecar keeps a per-node index, so in a cluster each node searches only what it indexed "
        "itself, and Liferay does not support it in production. A configuration named for another version's "
        "connector is ignored (HA407) and leaves the sidecar running; an ElasticsearchConnectionConfiguration alone "
        "does not enable production mode. A remote elasticsearch7 file on 2026.Q1+ is left to HA408 (warning): the "
        "one-time migration may have copied it. A node without a configuration of its own is not reported when "
        "another node deploys one in production mode, because Liferay stores deployed .config files in the database "
        "and applies them on every node (HA601 reports the drift). Nodes configured for OpenSearch (remote only) or "
        "Solr are not checked. On the official slim image (a -slim tag or LIFERAY_SLIM=true) the entrypoint writes "
        "the search files itself from LIFERAY_NETWORK_HOST_ADDRESSES (OpenSearch 2 files with "
        "LIFERAY_OPENSEARCH_ENABLED=true, else an elasticsearch7 file in production mode) when none is mounted. "
        "Releases: 7.3, 7.4 GA/U, 2024.Q1-2025.Q4 (elasticsearch7), 2026.Q1+ (elasticsearch8)."
    ),
    fix='Deploy osgi/configs/<PID>.config with productionModeEnabled=B"true" and '
    'networkHostAddresses=["http://es1:9200",...] of the shared cluster on every node (or the equivalent '
    "configuration.override.* properties): PID com.liferay.portal.search.elasticsearch7.configuration."
    "ElasticsearchConfiguration on 7.3 to 2025.Q4, com.liferay.portal.search.elasticsearch8.configuration."
    "ElasticsearchConfiguration on 2026.Q1+.",
    # facts: liferay-ha-facts.md §5.2; read in: liferay/liferay-portal-cloud-native
    sources=(
        (
            "Liferay 7.4 source, Elasticsearch 7 connector ElasticsearchConfiguration.java (productionModeEnabled "
            "default false, operationMode deprecated): https://github.com/liferay/liferay-portal/blob/"
            "7.4.3.112-ga112/modules/apps/portal-search-elasticsearch7/portal-search-elasticsearch7-api/src/main/"
            "java/com/liferay/portal/search/elasticsearch7/configuration/ElasticsearchConfiguration.java"
        ),
        (
            "Liferay Learn, 'Elasticsearch Connector Configuration Reference' ('If left disabled, the Operation Mode "
            "configuration is used'): https://learn.liferay.com/w/dxp/search/"
            "installing-and-upgrading-a-search-engine/elasticsearch/elasticsearch-connector-configuration-reference"
        ),
        (
            "Liferay Learn, 'Connecting to Elasticsearch' (elasticsearch8 for 2026.Q1+, elasticsearch7 for 7.3 to "
            "2025.Q4): https://learn.liferay.com/w/dxp/search/installing-and-upgrading-a-search-engine/elasticsearch/"
            "connecting-to-elasticsearch"
        ),
        (
            "Liferay Learn, 'Using the Sidecar or Embedded Elasticsearch' (the sidecar is not supported in "
            "production): https://learn.liferay.com/w/dxp/search/installing-and-upgrading-a-search-engine/"
            "elasticsearch/using-the-sidecar-or-embedded-elasticsearch"
        ),
        (
            "Liferay Learn, 'OpenSearch Connector Configuration Reference': https://learn.liferay.com/w/dxp/search/"
            "installing-and-upgrading-a-search-engine/opensearch/opensearch-connector-configuration-reference"
        ),
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering'): https://"
            "learn.liferay.com/w/dxp/system-administration/configuring-liferay/configuration-files-and-factories/"
            "using-configuration-files"
        ),
        (
            "Liferay Docker image, configure_liferay.sh (the slim image's search files): https://github.com/liferay/"
            "liferay-docker/blob/1ffa5e00/templates/bundle/resources/usr/local/bin/configure_liferay.sh"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered or ctx.version not in ("7.3", "7.4"):
        return
    configs = search_configs(node, ctx.version)
    if other_search_engine(configs) is not None:
        return
    readable = readable_pids(ctx.version, ctx.release)
    pid = main_pids(ctx.version, ctx.release)[0]  # elasticsearch7, or elasticsearch8 on 2026.Q1+
    connector = connector_label(pid)
    main = sorted((c for c in configs if c.base in readable and c.base not in CONNECTION_PIDS), key=lambda c: c.where)
    if any(is_remote_mode(c, ctx.version) for c in main):
        return
    if not main and remote_config_elsewhere(node, ctx.cluster.nodes, ctx.version, ctx.release):
        return  # the other node's file reaches this node through the database (HA601 reports the drift)
    stale = sorted(
        (c for c in configs if release_ignored(c, ctx.version, ctx.release) and c.base == ES7), key=lambda c: c.where
    )
    if not main and any(is_remote_mode(c, ctx.version) for c in stale):
        return  # the one-time migration may have copied it to elasticsearch8 (INFERENCE): HA408 warns
    where = f"in a {len(ctx.cluster.nodes)}-node cluster"
    connections = [c for c in configs if c.base in readable and c.base in CONNECTION_PIDS]
    extra = ""
    if connections:
        extra = f"; the connection defined in {connections[0].name} is only used in production mode"
    if main:
        conf = main[0]
        production = conf.get("productionModeEnabled")
        mode = conf.get("operationMode")
        shown = f" and operationMode={mode.text}" if mode is not None else ""
        if mode is not None and conf.base == ES8:
            shown += " (the Elasticsearch 8 connector of 2026.Q1+ has no operationMode: it is ignored)"
        if production is not None:
            yield Finding(
                f"Elasticsearch runs as a sidecar on {node.name} {where}: {conf.name} sets "
                f"productionModeEnabled={production.text}{shown}{extra}",
                label_at(node, production.origin, "production mode off"),
                help='set productionModeEnabled=B"true" and networkHostAddresses of the shared Elasticsearch cluster',
                subject=f"{conf.base}:productionModeEnabled",
            )
            return
        yield Finding(
            f"Elasticsearch runs as a sidecar on {node.name} {where}: {conf.name} does not set "
            f"productionModeEnabled (default false){shown}{extra}",
            label_at(node, conf.origin, "productionModeEnabled not set (default false)"),
            help='add productionModeEnabled=B"true" and networkHostAddresses of the shared Elasticsearch cluster',
            confidence=Confidence.DEFAULT if mode is None or conf.base != ES8 else Confidence.EXPLICIT,
            subject=f"{conf.base}:productionModeEnabled",
        )
        return
    ignored = sorted(
        (c for c in configs if c.base in ES_CONNECTOR_NAMES and c.base not in CONNECTION_PIDS), key=lambda c: c.where
    )
    if ignored:
        conf = ignored[0]
        if release_ignored(conf, ctx.version, ctx.release) and ctx.release is not None:
            either = "" if is_remote_mode(conf, ctx.version) else "; it does not enable production mode either"
            why = (
                f"is for the {connector_label(conf.base)}, which Liferay {ctx.release.name} does not read "
                f"(HA408){either}, so the {connector} keeps its default development mode"
            )
            at = f"not read by {ctx.release.name}"
        else:
            why = (
                f"is for another version's connector and is ignored (HA407), so the {connector} keeps its default "
                "development mode"
            )
            at = "ignored by Liferay " + ctx.version
        yield Finding(
            f"Elasticsearch runs as a sidecar on {node.name} {where}: the only Elasticsearch configuration, "
            f"{conf.name}, {why}{extra}",
            label_at(node, conf.origin, at),
            help=f'deploy {pid}.config with productionModeEnabled=B"true" and networkHostAddresses',
            confidence=Confidence.DEFAULT,
            subject=f"{pid}:productionModeEnabled",
        )
        return
    if connections:
        conf = connections[0]
        yield Finding(
            f"Elasticsearch runs as a sidecar on {node.name} {where}: {conf.name} defines a connection, but there is "
            f"no {short_search_pid(pid)} configuration enabling production mode, so the connector stays in "
            "development mode",
            label_at(node, conf.origin, "connection without production mode"),
            help=f'deploy {pid}.config with productionModeEnabled=B"true" (and remoteClusterConnectionId)',
            confidence=Confidence.DEFAULT,
            subject=f"{pid}:productionModeEnabled",
        )
        return
    yield Finding(
        f"Elasticsearch runs as a sidecar on {node.name} {where}: there is no osgi/configs/{pid}.config "
        f"(nor a configuration.override of it), so the {connector} keeps its default development mode",
        label(node, None, "no Elasticsearch connector configuration", key=f"osgi/configs/{pid}.config"),
        help=f'deploy {pid}.config with productionModeEnabled=B"true" and networkHostAddresses on every node',
        confidence=Confidence.DEFAULT,
        subject=f"{pid}:productionModeEnabled",
    )
