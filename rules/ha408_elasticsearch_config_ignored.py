"""HA408 elasticsearch-config-ignored: an Elasticsearch configuration of the 7.4 family that the node's release
does not read (elasticsearch7 on 2026.Q1+, elasticsearch8 before 2026.Q1)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, label_at, rule
from linter.ruleapi.osgi import OVERRIDE_PREFIX
from linter.ruleapi.search import (
    CONNECTION_PIDS,
    ES7,
    ES7_CONNECTION,
    ES_CONNECTIONS,
    connector_label,
    is_remote_mode,
    main_pids,
    readable_pids,
    release_ignored,
    search_configs,
    search_summary,
)


@rule(
    id="HA408",
    since="0.2.0",
    name="elasticsearch-config-ignored",
    severity=WARNING,
    scope="node",
    versions="7.4",
    tags=("search", "elasticsearch", "osgi", "release"),
    summary="An Elasticsearch configuration that the node's release does not read: an elasticsearch7 .config or "
    "override on 2026.Q1+, or an elasticsearch8 one before 2026.Q1.",
    rationale=(
        "From 2026.Q1 Liferay bundles the Elasticsearch 8 connector, which reads the elasticsearch8 PIDs; 7.3 to "
        "2025.Q4 and every 7.4 GA/U update read the elasticsearch7 PIDs. Upgrade step 1.0.0 of the Elasticsearch 8 "
        "module copies the Elasticsearch 7 configuration (and its connections) once to the elasticsearch8 PIDs, "
        'turning operationMode="REMOTE" into productionModeEnabled=true; after that nothing reads the elasticsearch7 '
        "PIDs, so an elasticsearch7 .config edited or deployed later (or a configuration.override of it, or the file "
        "the slim image writes) has no effect, and the node runs whatever the elasticsearch8 PID says: the sidecar "
        "when nothing was migrated. Whether a file present at the very first start is migrated is not settled "
        "(Liferay does not document it), hence a warning. Before 2026.Q1 there is no Elasticsearch 8 connector, "
        "so an elasticsearch8 "
        "file is read by nothing either. Only nodes whose release is known are checked (image tag, bundle folder, "
        "--liferay-version); a file for another family's connector is HA407's, the sidecar that results is HA405's. "
        "Releases: 7.4 GA/U and 2024.Q1-2025.Q4 (elasticsearch8 files), 2026.Q1+ (elasticsearch7 files)."
    ),
    fix="On 2026.Q1+ deploy com.liferay.portal.search.elasticsearch8.configuration.ElasticsearchConfiguration.config "
    '(productionModeEnabled=B"true", networkHostAddresses; no operationMode) and elasticsearch8 '
    "ElasticsearchConnectionConfiguration-<id>.config files, and remove the elasticsearch7 files and overrides; "
    "before 2026.Q1 use the elasticsearch7 PIDs. Check System Settings > Search > Elasticsearch 8 for what the "
    "node really runs.",
    # read in: liferay/liferay-portal-cloud-native
    sources=(
        (
            "Liferay Learn, 'Connecting to Elasticsearch' (elasticsearch8 PIDs for Liferay DXP 2026.Q1+, "
            "elasticsearch7 for 7.3 to 2025.Q4): https://learn.liferay.com/w/dxp/search/"
            "installing-and-upgrading-a-search-engine/elasticsearch/connecting-to-elasticsearch"
        ),
        (
            "Liferay source, ElasticsearchConfigurationUpgradeProcess.java (one-time copy of the elasticsearch7 "
            "settings; 'The operationMode property is no longer supported'): https://github.com/liferay/"
            "liferay-portal/tree/0dfbbcf8/modules/apps/portal-search-elasticsearch8"
        ),
        (
            "Liferay Docker image, configure_liferay.sh (the slim image writes an elasticsearch7 "
            "ElasticsearchConfiguration.config): https://github.com/liferay/liferay-docker/blob/1ffa5e00/templates/"
            "bundle/resources/usr/local/bin/configure_liferay.sh"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    release = ctx.release
    if release is None or ctx.version != "7.4":
        return
    configs = search_configs(node, ctx.version)
    readable = readable_pids(ctx.version, release)
    read = sorted((c for c in configs if c.base in readable and c.base not in CONNECTION_PIDS), key=lambda c: c.where)
    advised = main_pids(ctx.version, release)[0]
    for conf in sorted(configs, key=lambda c: c.where):
        if not release_ignored(conf, ctx.version, release):
            continue
        target = f"{ES_CONNECTIONS[advised]}-<id>" if conf.base in CONNECTION_PIDS else advised
        what = "portal property override" if conf.where.startswith(OVERRIDE_PREFIX) else "file"
        connector = connector_label(conf.base)
        if conf.base in (ES7, ES7_CONNECTION):
            reads = connector_label(advised)
            if read:
                now = f"the node runs what {read[0].name} says"
            elif conf.base == ES7 and is_remote_mode(conf, ctx.version):
                now = (
                    "the node runs what the one-time migration copied to the elasticsearch8 PID, if it ran while "
                    "this configuration was in place, else the sidecar"
                )
            else:
                now = "the node runs what the elasticsearch8 PID holds, the sidecar when nothing was migrated"
            message = (
                f"{conf.name} on {node.name} configures the {connector}, which Liferay {release.name} replaced by the "
                f"{reads}: apart from the one-time migration to the elasticsearch8 PIDs nothing reads this {what}, so "
                f"its settings ({search_summary(conf)}) have no effect; {now}"
            )
        else:
            message = (
                f"{conf.name} on {node.name} configures the {connector}, which Liferay {release.name} does not have "
                f"(it arrives with 2026.Q1): nothing reads this {what}, so its settings ({search_summary(conf)}) have "
                f"no effect; Liferay {release.name} reads {target}"
            )
        yield Finding(
            message,
            label_at(node, conf.origin, f"not read by {release.name}"),
            help=f"move the settings to {target}.config (the {connector_label(advised)}'s keys) and remove this {what}",
            subject=conf.pid,
        )
