"""HA407 elasticsearch-config-wrong-connector: an Elasticsearch .config that the version's connector never reads."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import ERROR, Context, Finding, Label, Node, label_at, rule
from linter.ruleapi.osgi import OVERRIDE_PREFIX
from linter.ruleapi.releases import Release
from linter.ruleapi.search import (
    ES2,
    ES6,
    ES7,
    ES8,
    ES_CONNECTOR_NAMES,
    ES_CONNECTORS_BY_FAMILY,
    ES_TRANSPORT_FAMILIES,
    SearchConfig,
    connector_label,
    main_pids,
    readable_pids,
    search_configs,
    search_summary,
    short_search_pid,
)


def _expected(version: str, release: Release | None) -> str:
    pids = readable_pids(version, release)
    if version == "7.0":
        return (
            f"{short_search_pid(ES2)} (bundled Elasticsearch 2.x connector) or {short_search_pid(ES6)} "
            "(Elasticsearch 6 connector)"
        )
    if version in ("7.1", "7.2"):
        marketplace = "Marketplace Elasticsearch 7 connector"
        return f"{short_search_pid(ES6)} (bundled Elasticsearch 6 connector) or {short_search_pid(ES7)} ({marketplace})"
    return f"{short_search_pid(pids[0])} (and the factory {short_search_pid(pids[1])}-<connectionId>)"


def _key_finding(node: Node, conf: SearchConfig, version: str) -> Finding | None:
    """A configuration for the right connector whose address key belongs to another connector generation."""
    if version in ES_TRANSPORT_FAMILIES:
        wrong, right, default = "networkHostAddresses", "transportAddresses", "localhost:9300"
        why = (
            f"networkHostAddresses is a setting of the Liferay 7.3+ REST-client connector; the {version} "
            f"connector ({short_search_pid(conf.base)}) connects with the transport client to transportAddresses"
        )
    else:
        if conf.base not in (ES7, ES8):
            return None
        wrong, right, default = "transportAddresses", "networkHostAddresses", "http://localhost:9200"
        why = (
            "transportAddresses belongs to the 7.0-7.2 transport-client connectors; the Liferay "
            f"{version} {connector_label(conf.base)} connects over HTTP to networkHostAddresses"
        )
    entry = conf.get(wrong)
    if entry is None or conf.get(right) is not None:
        return None
    return Finding(
        f"{conf.name} on {node.name} sets {wrong}={entry.text}, which Liferay {version} does not read: {why}, "
        f"which is not set, so the connector uses its default {default}",
        label_at(node, entry.origin, f"{wrong} ignored on {version}"),
        help=f"rename {wrong} to {right} (format {'host:9300' if right == 'transportAddresses' else 'http://host:9200'})",
        subject=f"{conf.pid}:{wrong}",
    )


@rule(
    id="HA407",
    name="elasticsearch-config-wrong-connector",
    severity=ERROR,
    scope="node",
    versions="7.x",
    tags=("search", "elasticsearch", "osgi"),
    summary="An Elasticsearch .config is named for a connector the detected Liferay version does not have, so it is "
    "ignored.",
    rationale=(
        "Liferay binds an OSGi configuration to a component by its PID, which is the file name. Every Liferay "
        "generation ships a different Elasticsearch connector: 7.0 reads "
        "com.liferay.portal.search.elasticsearch.configuration.ElasticsearchConfiguration (Elasticsearch 2.x, with a "
        "Help Center Elasticsearch 6 connector), 7.1-7.2 read the elasticsearch6 PID (bundled) or the elasticsearch7 "
        "PID (Marketplace connector), 7.3-7.4 read the elasticsearch7 PID and its ElasticsearchConnectionConfiguration "
        "factory, and 7.4 from 2026.Q1 the elasticsearch8 PIDs instead (on 7.4 this rule accepts both; a file "
        "of the 7.4 connector that the node's release does not read is HA408's). A file carried over from another "
        "version is silently ignored: no error, and the node falls back "
        "to its embedded or sidecar Elasticsearch (see HA404/HA405), a per-node index. The same happens to keys of "
        "another generation: 7.0-7.2 connect with transportAddresses (transport client), 7.3+ with "
        "networkHostAddresses (REST client), and each ignores the other's key."
    ),
    fix="Rename the file to the PID of the version's connector (osgi/configs/<PID>.config) and use that connector's "
    'keys: operationMode="REMOTE" and transportAddresses on 7.0-7.2, productionModeEnabled=B"true" and '
    "networkHostAddresses on 7.3+. Deploy the same file on every node.",
    # facts: liferay-ha-facts.md §5.2, §1.4; read in: petershin/liferay-learn
    sources=(
        (
            "Liferay Learn, 'Connecting to Elasticsearch' (connector PIDs per version): https://learn.liferay.com/w/"
            "dxp/search/installing-and-upgrading-a-search-engine/elasticsearch/connecting-to-elasticsearch"
        ),
        (
            "Liferay Learn, 'Elasticsearch Connector Configuration Reference' (7.2 operationMode and "
            "transportAddresses; 7.3+ productionModeEnabled and networkHostAddresses): https://learn.liferay.com/w/"
            "dxp/search/installing-and-upgrading-a-search-engine/elasticsearch/"
            "elasticsearch-connector-configuration-reference"
        ),
        (
            "Liferay DXP 7.0 reference, 'Elasticsearch Settings' (operationMode=EMBEDDED by default, unsupported in "
            "production; transportAddresses): https://github.com/liferay/liferay-docs/blob/master/discover/reference/"
            "articles/06-elasticsearch-settings.markdown"
        ),
        (
            "Liferay Help Center, 'Understanding Liferay DXP's compatibility with Elasticsearch': https://"
            "help.liferay.com/hc/en-us/articles/360051492032"
        ),
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering') (the file "
            "name is the PID): https://learn.liferay.com/w/dxp/system-administration/configuring-liferay/"
            "configuration-files-and-factories/using-configuration-files"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    # every Elasticsearch PID of the family; the one its release does not read is HA408's (release level)
    expected = ES_CONNECTORS_BY_FAMILY.get(ctx.version)
    if expected is None:
        return
    advised = main_pids(ctx.version, ctx.release)[0]
    for conf in sorted(search_configs(node, ctx.version), key=lambda c: c.where):
        if conf.base not in ES_CONNECTOR_NAMES:
            continue
        if conf.base in expected:
            found = _key_finding(node, conf, ctx.version)
            if found is not None:
                yield found
            continue
        what = "file" if not conf.where.startswith(OVERRIDE_PREFIX) else "portal property override"
        at: Label = label_at(node, conf.origin, f"PID of the {ES_CONNECTOR_NAMES[conf.base].split(' (')[0]}")
        yield Finding(
            f"{conf.name} on {node.name} configures the {ES_CONNECTOR_NAMES[conf.base]}, which Liferay {ctx.version} "
            f"does not have: no component reads this PID, so the {what} is ignored and its settings "
            f"({search_summary(conf)}) have no effect; Liferay {ctx.version} reads "
            f"{_expected(ctx.version, ctx.release)}",
            at,
            help=f"rename it to {advised}.config with the {ctx.version} connector's keys",
            subject=conf.pid,
        )
