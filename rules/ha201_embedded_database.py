"""HA201 embedded-database: a node of a cluster runs on an embedded (in-JVM) database."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.ruleapi import (
    ERROR,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    OriginKind,
    Setting,
    is_unresolved,
    label,
    label_at,
    rule,
)
from linter.ruleapi.database import EMBEDDED_DATABASES, JDBC_PREFIXES, JdbcUrl, jndi_setting, parse_jdbc
from linter.ruleapi.keys import liferay_default


def _embedded(url: Setting | None, driver: Setting | None) -> JdbcUrl | None:
    """The embedded database a data source uses, or None (networked, unknown or unresolved)."""
    driver_class = driver.value.strip() if driver is not None else ""
    if url is not None and url.value.strip():
        value = url.value.strip()
        head = value.split("${", 1)[0].split("{{", 1)[0]
        parsed = parse_jdbc(value) if not is_unresolved(value) or re.match(r"(?i)jdbc:\w+:", head) else None
        if parsed is not None and parsed.embedded and not parsed.auto_server:
            if parsed.vendor not in ("hsqldb", "h2", "derby"):
                return None
            return parsed
        if parsed is not None:
            return None
    if driver_class == "org.apache.derby.jdbc.EmbeddedDriver":  # embedded whatever the URL says
        return JdbcUrl("derby", (), "(URL unresolved)", True)
    return None


@rule(
    id="HA201",
    name="embedded-database",
    severity=ERROR,
    scope="node",
    versions="all",
    tags=("database",),
    summary="A node of a cluster uses an embedded database (Hypersonic, H2 or Derby inside the portal JVM).",
    rationale=(
        "Every node of a cluster must use the same database server. An embedded database lives inside "
        "each portal JVM and in each node's own files, so every node would have a database of its own: "
        "users, content and permissions written on one node never reach the others. Liferay's shipped "
        "default is exactly such a database (jdbc:hsqldb:... with the Hypersonic driver), so a node whose "
        "files never set jdbc.default.* or jdbc.default.jndi.name runs on it. The guides state that "
        "clustering will not work with the embedded HSQL database. H2 in embedded mode can be open in one "
        "JVM only (H2's own documentation); H2 with AUTO_SERVER=TRUE and H2/HSQL/Derby server URLs "
        "(tcp://, hsql://, //host) are networked and left to HA202/HA203. When jdbc.default.jndi.name is "
        "set, Liferay does not read the jdbc.default connection keys, so the rule stays silent."
    ),
    fix="Point jdbc.default.driverClassName/url/username/password (or jdbc.default.jndi.name) at the "
    "shared database server, identically on every node.",
    # facts: liferay-ha-facts.md §3.1, §3.2; read in: shared/corpus/liferay, petershin/liferay-learn
    sources=(
        (
            "Liferay 6.2 portal.properties (JDBC section: the HSQL default, 'not recommended for production use'; "
            "ignored when jdbc.default.jndi.name is set): https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/"
            "portal-impl/src/portal.properties"
        ),
        (
            "Liferay 7.4 portal.properties (JDBC section: the HSQL default, 'not recommended for production use'; "
            "ignored when jdbc.default.jndi.name is set): https://github.com/liferay/liferay-portal/blob/"
            "7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability': https://github.com/liferay/"
            "liferay-docs/blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
        (
            "Liferay Learn, 'Database Configuration for Cluster Nodes' ('Clustering will not work with the embedded "
            "HSQL database'): https://learn.liferay.com/w/dxp/installation-and-upgrades/setting-up-liferay/"
            "clustering-for-high-availability/database-configuration-for-cluster-nodes"
        ),
        (
            "H2 documentation, 'Connection Modes' (an embedded database is open in one JVM at a time; "
            "AUTO_SERVER=TRUE shares it): https://h2database.com/html/features.html"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    for prefix in JDBC_PREFIXES:
        if jndi_setting(node, prefix) is not None:
            continue  # the app server's data source; the connection keys are not read
        key = f"jdbc.{prefix}.url"
        url = node.setting(key)
        driver = node.setting(f"jdbc.{prefix}.driverClassName")
        if prefix != "default" and (url is None or url.origin.kind is OriginKind.DEFAULT):
            continue  # no read/write data source defined
        found = _embedded(url, driver)
        if found is None:
            continue
        name = EMBEDDED_DATABASES.get(found.vendor, found.vendor)
        where = f"{found.database}" if found.database else "a local file"
        if url is None or url.origin.kind is OriginKind.DEFAULT:
            shown = url.raw.split(";", 1)[0] if url is not None else "(unset)"
            why = (
                f"{key} is not set (nor jdbc.{prefix}.jndi.name), so the Liferay {ctx.version} default {shown} applies"
            )
        elif url.raw.strip() == (liferay_default(ctx.version, key) or "").strip():
            why = f"{key} is set to Liferay's shipped default, the embedded {name} database {where}"
        else:
            why = f"{key} names the embedded {name} database {where}"
        related: tuple[Label, ...] = ()
        if url is not None:
            earlier = [s for s in url.overridden if s.origin.kind is not OriginKind.DEFAULT and s.value != url.value]
            if earlier:
                hidden = earlier[-1]
                where_file = hidden.origin.file.replace("\\", "/").rsplit("/", 1)[-1] or hidden.origin.describe()
                why += f" (this definition overrides the one in {where_file})"
                related = (label_at(node, hidden.origin, "overridden definition"),)
        yield Finding(
            f"{node.name} uses an embedded {name} database in a {len(ctx.cluster.nodes)}-node cluster: {why}; "
            "each node would write to a database of its own, so the nodes never share users, content or "
            "permissions",
            label(node, url, f"embedded {name}", key=key),
            related,
            help=f"point jdbc.{prefix}.* (or jdbc.{prefix}.jndi.name) at the shared database server on every node",
            confidence=url.confidence if url is not None else Confidence.DEFAULT,
            subject=key,
        )
