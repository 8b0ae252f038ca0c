"""HA202 database-localhost: a node of a cluster reaches its database through a loopback address."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from linter.ruleapi import (
    WARNING,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    OriginKind,
    is_unresolved,
    label,
    label_at,
    rule,
)
from linter.ruleapi.database import JDBC_PREFIXES, jndi_setting, parse_jdbc

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def _is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@rule(
    id="HA202",
    name="database-localhost",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("database",),
    summary="A node of a cluster connects to its database on localhost (a loopback address).",
    rationale=(
        "All nodes of a cluster must use one database server (or one database cluster), which the guides "
        "place on a host of its own. A JDBC URL whose host is localhost, an address in 127.0.0.0/8 or ::1 (or "
        "that names no host, so the driver uses localhost) makes each node talk to a database on its own "
        "machine: unless every node runs on the same host (a vertical cluster), the nodes end up on separate "
        "databases and never see each other's data. Liferay's own samples all use localhost, so a copied "
        "sample or a leftover setup-wizard file (which overrides portal-ext.properties) is the usual cause. "
        "This is a warning because a vertical cluster or a local proxy can make localhost correct. Embedded "
        "databases are HA201's, and data sources taken from JNDI have no URL here."
    ),
    fix="Set jdbc.default.url (and jdbc.read.url / jdbc.write.url when used) to the database server's network "
    "name on every node, and remove stale copies of the key from portal-setup-wizard.properties.",
    # facts: liferay-ha-facts.md §3.2, §1.1
    sources=(
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (all nodes share one "
            "database on a separate host): https://github.com/liferay/liferay-docs/blob/0b22f2fc/userGuide/en/"
            "chapters/20-configuring-for-high-availability.markdown"
        ),
        (
            "Liferay DXP 7.0 deployment guide, 'Liferay Clustering': https://github.com/liferay/liferay-docs/blob/"
            "007b7482/discover/deployment/articles-dxp/03-configuring-liferay/03-liferay-clustering.markdown"
        ),
        (
            "Liferay Learn, 'Database Configuration for Cluster Nodes': https://learn.liferay.com/w/dxp/"
            "installation-and-upgrades/setting-up-liferay/clustering-for-high-availability/"
            "database-configuration-for-cluster-nodes"
        ),
        (
            "Liferay 7.4 portal.properties (JDBC samples use localhost; portal-setup-wizard.properties overrides "
            "portal-ext.properties): https://github.com/liferay/liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/"
            "portal.properties"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    for prefix in JDBC_PREFIXES:
        if jndi_setting(node, prefix) is not None:
            continue
        key = f"jdbc.{prefix}.url"
        url = node.setting(key)
        if url is None or not url.value.strip():
            continue
        parsed = parse_jdbc(url.value)
        if parsed is None or parsed.embedded:
            continue
        local = [h for h, _ in parsed.hosts if _is_loopback(h)]
        if not local:
            continue
        target = parsed._replace(implicit_host=False).show()
        if parsed.implicit_host:
            how = f"names no host ({target}), so the driver connects to localhost"
        else:
            how = f"points at {local[0]} ({target})"
        note = "" if url.origin.kind is not OriginKind.DEFAULT else f" ({url.origin.detail})"
        related: tuple[Label, ...] = ()
        earlier = [s for s in url.overridden if s.origin.kind is not OriginKind.DEFAULT and s.value != url.value]
        if earlier:
            hidden = earlier[-1]
            here = url.origin.file.replace("\\", "/").rsplit("/", 1)[-1]
            there = hidden.origin.file.replace("\\", "/").rsplit("/", 1)[-1] or hidden.origin.describe()
            other = parse_jdbc(hidden.value)
            shown = other.show() if other is not None else "another value"
            note = f"; this value in {here} overrides {there}, which names {shown}"
            related = (label_at(node, hidden.origin, f"overridden: {shown}"),)
        yield Finding(
            f"{key} on {node.name} {how}: in a {len(ctx.cluster.nodes)}-node cluster each node would use a "
            f"database on its own host unless all nodes run on that one machine{note}",
            label(node, url, f"{local[0]}", key=key),
            related,
            help=f"set {key} to the shared database server's network name on every node",
            confidence=Confidence.UNRESOLVED if is_unresolved(url.value) else url.confidence,
            subject=key,
        )
