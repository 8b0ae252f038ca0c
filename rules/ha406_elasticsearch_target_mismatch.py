"""HA406 elasticsearch-target-mismatch: nodes point at different Elasticsearch clusters or index prefixes."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
    Cluster,
    Confidence,
    Context,
    Finding,
    Node,
    Origin,
    OriginKind,
    Setting,
    agreement,
    rule,
)
from linter.ruleapi.releases import Release
from linter.ruleapi.search import (
    ES7,
    ES8,
    ES_CONNECTIONS,
    ES_TRANSPORT_FAMILIES,
    SearchConfig,
    SearchValue,
    is_remote_mode,
    main_pids,
    other_search_engine,
    search_configs,
    search_items,
    search_text,
    short_search_pid,
)

ADDRESS_DEFAULTS: dict[str, tuple[str, ...]] = {
    "transportAddresses": ("localhost:9300",),
    "networkHostAddresses": ("http://localhost:9200",),
}
DEFAULT_CLUSTER_NAME = "LiferayElasticsearchCluster"
DEFAULT_PREFIX = "liferay-"


class _Target(NamedTuple):
    conf: SearchConfig
    connector: Setting
    addresses: tuple[tuple[str, ...], Setting]
    cluster_name: tuple[str, Setting] | None  # transport client only (7.0-7.2)
    prefix: tuple[str, Setting]


def _setting(conf: SearchConfig, key: str, shown: str, value: SearchValue | None) -> Setting:
    if value is not None:
        return Setting(key, shown, value.text, value.origin, Confidence.EXPLICIT)
    detail = f"connector default: {conf.name} does not set {key}"
    return Setting(key, shown, shown, Origin("", kind=OriginKind.DEFAULT, detail=detail), Confidence.DEFAULT)


def _normal_addresses(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({i.strip().rstrip("/").lower() for i in items if i.strip()}))


def _addresses(conf: SearchConfig, configs: list[SearchConfig], version: str) -> tuple[tuple[str, ...], Setting]:
    key = "transportAddresses" if version in ES_TRANSPORT_FAMILIES else "networkHostAddresses"
    connection_id = conf.get("remoteClusterConnectionId")
    if key == "networkHostAddresses" and connection_id is not None and search_text(connection_id.value).strip():
        wanted = search_text(connection_id.value).strip()
        for other in sorted(configs, key=lambda c: c.where):
            ident = other.get("connectionId")
            if (
                other.base == ES_CONNECTIONS.get(conf.base)
                and ident is not None
                and search_text(ident.value).strip() == wanted
            ):
                value = other.get(key)
                items = search_items(value.value) if value is not None else ADDRESS_DEFAULTS[key]
                shown = ", ".join(items)
                return _normal_addresses(items), _setting(other, key, shown, value)
        shown = f"connection {wanted!r} (not defined on this node)"
        return (shown,), _setting(conf, "remoteClusterConnectionId", shown, connection_id)
    value = conf.get(key)
    items = search_items(value.value) if value is not None else ADDRESS_DEFAULTS[key]
    return _normal_addresses(items), _setting(conf, key, ", ".join(items), value)


def _target(node: Node, version: str, release: Release | None) -> _Target | None:
    configs = search_configs(node, version)
    if other_search_engine(configs) is not None:
        return None
    readable = main_pids(version, release)
    remote = sorted(
        (c for c in configs if c.base in readable and is_remote_mode(c, version)),
        key=lambda c: (readable.index(c.base), c.where),
    )
    if not remote:
        return None  # embedded or sidecar: HA404/HA405
    conf = remote[0]
    # elasticsearch7 and elasticsearch8 are one connector line (2026.Q1 switch, HA408): compared as one
    kind = ES7 if conf.base == ES8 else conf.base
    connector = Setting("connector", kind, conf.base, conf.origin, Confidence.EXPLICIT)
    cluster_name = None
    if version in ES_TRANSPORT_FAMILIES:
        value = conf.get("clusterName")
        name = search_text(value.value).strip() if value is not None else DEFAULT_CLUSTER_NAME
        cluster_name = (name, _setting(conf, "clusterName", name, value))
    value = conf.get("indexNamePrefix")
    prefix = search_text(value.value).strip() if value is not None else DEFAULT_PREFIX
    return _Target(
        conf,
        connector,
        _addresses(conf, configs, version),
        cluster_name,
        (prefix, _setting(conf, "indexNamePrefix", prefix, value)),
    )


def _quoted(value: Hashable) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return f'"{value}"'


@rule(
    id="HA406",
    name="elasticsearch-target-mismatch",
    severity=ERROR,
    scope="cluster",
    versions="7.x",
    tags=("search", "elasticsearch", "drift"),
    summary="Nodes in remote mode point at different Elasticsearch clusters, connectors or index name prefixes.",
    rationale=(
        "A Liferay cluster shares one search index: every node must write to and read from the same Elasticsearch "
        "cluster under the same index names. Nodes whose connector configurations name different remote "
        "addresses (transportAddresses on 7.0-7.2, networkHostAddresses or the connection chosen by "
        "remoteClusterConnectionId on 7.3+), a different clusterName (checked by the 7.0-7.2 transport client) "
        "or a different indexNamePrefix index into different places, so search results depend on the node "
        "that serves the request. Nodes that are not in remote mode are left to HA404/HA405. Unset values are "
        "compared with the connector defaults."
    ),
    fix="Deploy the same Elasticsearch connector .config on every node (Liferay recommends identical files on all "
    "nodes; the configuration is also stored in the database).",
    # facts: liferay-ha-facts.md §5.2
    sources=(
        (
            "Liferay Learn, 'Example: Creating a Simple DXP Cluster' (identical .config files on both nodes): https:/"
            "/learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "example-creating-a-simple-dxp-cluster"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (all nodes share one search "
            "index): https://github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/chapters/"
            "20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay Learn, 'Elasticsearch Connector Configuration Reference' (transportAddresses for 7.2, "
            "networkHostAddresses for 7.3+, clusterName, remoteClusterConnectionId, indexNamePrefix): https://"
            "learn.liferay.com/w/dxp/search/installing-and-upgrading-a-search-engine/elasticsearch/"
            "elasticsearch-connector-configuration-reference"
        ),
    ),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    targets = {node.name: _target(node, ctx.version, ctx.release) for node in cluster.nodes}
    if sum(1 for t in targets.values() if t is not None) < 2:
        return

    def skip(node: Node) -> bool:
        return targets[node.name] is None

    def target(node: Node) -> _Target:
        found = targets[node.name]
        assert found is not None
        return found

    aspects: list[
        tuple[str, str, Callable[[Node], Hashable], Callable[[Node], Setting | None], Callable[[Hashable], str]]
    ] = [
        (
            "Elasticsearch connector",
            "connector",
            lambda n: target(n).connector.value,
            lambda n: target(n).connector,
            lambda v: short_search_pid(str(v)),
        ),
        (
            "Elasticsearch remote address list",
            "addresses",
            lambda n: target(n).addresses[0],
            lambda n: target(n).addresses[1],
            _quoted,
        ),
        (
            "Elasticsearch index name prefix (indexNamePrefix)",
            "indexNamePrefix",
            lambda n: target(n).prefix[0],
            lambda n: target(n).prefix[1],
            _quoted,
        ),
    ]
    if ctx.version in ES_TRANSPORT_FAMILIES:
        aspects.insert(
            2,
            (
                "Elasticsearch cluster name (clusterName)",
                "clusterName",
                lambda n: (target(n).cluster_name or ("", None))[0],
                lambda n: (target(n).cluster_name or ("", None))[1],
                _quoted,
            ),
        )
    for what, subject, value_of, setting_of, show in aspects:
        yield from agreement(
            cluster,
            value_of,
            setting_of,
            what=what,
            show=show,
            subject=f"search:{subject}",
            help="deploy the same Elasticsearch connector configuration on every node",
            skip=skip,
        )
