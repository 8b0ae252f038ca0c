"""HA404 elasticsearch-embedded: a 7.0-7.2 node of a cluster runs the embedded Elasticsearch."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Confidence, Context, Finding, Node, label, label_at, rule
from linter.ruleapi.search import (
    ES_CONNECTOR_NAMES,
    ES_CONNECTORS_BY_FAMILY,
    is_remote_mode,
    other_search_engine,
    remote_config_elsewhere,
    search_configs,
)

BUNDLED = {"7.0": "Elasticsearch 2.x connector", "7.1": "Elasticsearch 6 connector", "7.2": "Elasticsearch 6 connector"}


@rule(
    id="HA404",
    name="elasticsearch-embedded",
    severity=ERROR,
    scope="node",
    versions="7.0-7.2",
    tags=("search", "elasticsearch"),
    summary="A Liferay 7.0-7.2 node of a cluster runs Elasticsearch embedded (no connector configuration in REMOTE "
    "mode).",
    rationale=(
        "On 7.0-7.2 the Elasticsearch connector starts an Elasticsearch node inside the Liferay JVM unless its "
        'configuration sets operationMode="REMOTE" (the default is EMBEDDED). An embedded node keeps its own index '
        "in the node's data folder, so in a cluster each node searches only what it indexed itself; Liferay does "
        "not support embedded Elasticsearch in production. The rule judges the effective situation: a .config "
        "named for another version's connector is ignored (HA407) and leaves the node embedded, and "
        "productionModeEnabled only exists from 7.3. A node without a configuration of its own is not reported "
        "when another node deploys a remote one, because Liferay stores deployed .config files in the database and "
        "applies them on every node (HA601 reports the drift). Nodes configured for Solr are not checked."
    ),
    fix='Deploy osgi/configs/<connector PID>.config with operationMode="REMOTE" and transportAddresses of the '
    "shared Elasticsearch cluster (and its clusterName) on every node: PID "
    "com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration on 7.0, "
    "com.liferay.portal.search.elasticsearch6.configuration.ElasticsearchConfiguration on 7.1-7.2 "
    "(elasticsearch7 with the Marketplace Elasticsearch 7 connector).",
    # facts: liferay-ha-facts.md §5.2
    sources=(
        (
            "Liferay DXP 7.0 reference, 'Elasticsearch Settings' (operationMode=EMBEDDED by default, unsupported in "
            "production; transportAddresses): https://github.com/liferay/liferay-docs/blob/master/discover/reference/"
            "articles/06-elasticsearch-settings.markdown"
        ),
        (
            "Liferay Learn, 'Elasticsearch Connector Configuration Reference' (operationMode default EMBEDDED; "
            "'EMBEDDED operation mode is unsupported for production environments'): https://learn.liferay.com/w/dxp/"
            "search/installing-and-upgrading-a-search-engine/elasticsearch/"
            "elasticsearch-connector-configuration-reference"
        ),
        (
            "Liferay Learn, 'Connecting to Elasticsearch': https://learn.liferay.com/w/dxp/search/"
            "installing-and-upgrading-a-search-engine/elasticsearch/connecting-to-elasticsearch"
        ),
        (
            "Liferay Learn, 'Using the Sidecar or Embedded Elasticsearch': https://learn.liferay.com/w/dxp/search/"
            "installing-and-upgrading-a-search-engine/elasticsearch/using-the-sidecar-or-embedded-elasticsearch"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering'): https://"
            "learn.liferay.com/w/dxp/system-administration/configuring-liferay/configuration-files-and-factories/"
            "using-configuration-files"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered or ctx.version not in BUNDLED:
        return
    configs = search_configs(node, ctx.version)
    if other_search_engine(configs) is not None:
        return
    readable = ES_CONNECTORS_BY_FAMILY[ctx.version]
    valid = [c for c in configs if c.base in readable]
    if any(is_remote_mode(c, ctx.version) for c in valid):
        return
    if not valid and remote_config_elsewhere(node, ctx.cluster.nodes, ctx.version):
        return  # the other node's file reaches this node through the database (HA601 reports the drift)
    bundled = BUNDLED[ctx.version]
    where = f"in a {len(ctx.cluster.nodes)}-node cluster"
    if valid:
        conf = sorted(valid, key=lambda c: (readable.index(c.base), c.where))[0]
        mode = conf.get("operationMode")
        production = conf.get("productionModeEnabled")
        note = ""
        if production is not None:
            note = f"; productionModeEnabled={production.text} is a Liferay 7.3+ setting that this connector ignores"
        if mode is not None:
            yield Finding(
                f"Elasticsearch runs embedded in the Liferay JVM on {node.name} {where}: {conf.name} sets "
                f"operationMode={mode.text}{note}",
                label_at(node, mode.origin, "embedded Elasticsearch"),
                help='set operationMode="REMOTE" and transportAddresses of the shared Elasticsearch cluster',
                subject=f"{conf.base}:operationMode",
            )
            return
        yield Finding(
            f"Elasticsearch runs embedded in the Liferay JVM on {node.name} {where}: {conf.name} does not set "
            f"operationMode, so the connector default EMBEDDED applies{note}",
            label_at(node, conf.origin, "operationMode not set (default EMBEDDED)"),
            help='add operationMode="REMOTE" and transportAddresses of the shared Elasticsearch cluster',
            confidence=Confidence.DEFAULT,
            subject=f"{conf.base}:operationMode",
        )
        return
    ignored = sorted((c for c in configs if c.base in ES_CONNECTOR_NAMES), key=lambda c: c.where)
    pid = readable[0]
    if ignored:
        conf = ignored[0]
        yield Finding(
            f"Elasticsearch runs embedded in the Liferay JVM on {node.name} {where}: the only Elasticsearch "
            f"configuration, {conf.name}, is for another version's connector and is ignored (HA407), so the bundled "
            f"{bundled} starts in its default EMBEDDED mode",
            label_at(node, conf.origin, "ignored by Liferay " + ctx.version),
            help=f'deploy {pid}.config with operationMode="REMOTE" and transportAddresses',
            confidence=Confidence.DEFAULT,
            subject=f"{pid}:operationMode",
        )
        return
    yield Finding(
        f"Elasticsearch runs embedded in the Liferay JVM on {node.name} {where}: there is no osgi/configs/{pid}.config "
        f"(nor another connector configuration), so the bundled {bundled} starts in its default EMBEDDED mode",
        label(node, None, "no Elasticsearch connector configuration", key=f"osgi/configs/{pid}.config"),
        help=f'deploy {pid}.config with operationMode="REMOTE" and transportAddresses on every node',
        confidence=Confidence.DEFAULT,
        subject=f"{pid}:operationMode",
    )
