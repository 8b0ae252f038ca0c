"""HA201 embedded-database: a node of a cluster runs on an embedded (in-JVM) database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import (
    ERROR,
    Confidence,
    Context,
    Finding,
    Label,
    Node,
    OriginKind,
    Setting,
    label,
    label_at,
    liferay_default,
    rule,
)

PREFIXES = ("default", "read", "write")

# ----------------------------------------------------------------------------- JDBC URL normaliser
# Shared by HA201, HA202 and HA203 (rules import nothing but ruleapi, so each carries a copy;
# keep the copies identical). Query parameters, properties and credentials never reach the
# result, so nothing secret can be printed from it.

_DEFAULT_PORTS = {
    "mysql": "3306",
    "mariadb": "3306",
    "postgresql": "5432",
    "oracle": "1521",
    "sqlserver": "1433",
    "jtds:sqlserver": "1433",
    "jtds:sybase": "7100",
    "db2": "446",
    "derby": "1527",
    "ingres": "II7",
    "h2": "9092",
    "hsqldb:hsql": "9001",
    "hsqldb:hsqls": "554",
    "hsqldb:http": "80",
    "hsqldb:https": "443",
}
_SAME_VENDOR = {"mariadb": "mysql", "jtds:sqlserver": "sqlserver", "jtds:sybase": "sybase"}
_CASELESS_DB = frozenset({"oracle", "sqlserver", "jtds:sqlserver", "jtds:sybase", "sybase", "db2"})
_WRAPPERS = ("p6spy:", "log4jdbc:")
_EMBEDDED_NAMES = {"hsqldb": "Hypersonic (HSQLDB)", "h2": "H2", "derby": "Derby"}


class _Jdbc(NamedTuple):
    """A JDBC URL reduced to what identifies the database: vendor, servers and database."""

    vendor: str  # "mysql", "mariadb", "postgresql", "oracle", "sqlserver", "jtds:sqlserver", "db2", "hsqldb", ...
    hosts: tuple[tuple[str, str], ...]  # (host, port) with the vendor's default port; () when not networked
    database: str
    embedded: bool  # the database runs inside the portal JVM (HSQL file/mem, H2 embedded, Derby embedded)
    implicit_host: bool = False  # no host in the URL: the driver connects to localhost
    auto_server: bool = False  # H2 AUTO_SERVER=TRUE (mixed mode)
    joined: int = 1  # how many URLs a duplicated key joined with commas

    def key(self) -> tuple[object, ...]:
        vendor = _SAME_VENDOR.get(self.vendor, self.vendor)
        database = self.database.lower() if self.vendor in _CASELESS_DB else self.database
        return (vendor, tuple(sorted(self.hosts)), database, self.joined)

    def show(self) -> str:
        if self.embedded:
            text = f"embedded {_EMBEDDED_NAMES.get(self.vendor, self.vendor)} database {self.database}"
        elif not self.hosts:
            text = f"{self.vendor} {self.database} (no host: a local catalog or TNS alias)"
        else:
            servers = ",".join((f"[{h}]" if ":" in h else h) + (f":{p}" if p else "") for h, p in self.hosts)
            text = f"{self.vendor}://{servers}/{self.database}"
            if self.implicit_host:
                text += " (no host in the URL, so the driver uses localhost)"
        if self.joined > 1:
            text += f" (+{self.joined - 1} more URL joined by a duplicated key)"
        return text


def _host_port(text: str, default: str) -> tuple[str, str]:
    text = text.strip()
    if "@" in text:
        text = text.rsplit("@", 1)[1]  # user:password@ before the host
    if text.startswith("["):  # [IPv6]:port
        end = text.find("]")
        host, rest = text[1:end], text[end + 1 :]
        port = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, port = text.split(":")
    else:
        host, port = text, ""
    return host.strip().lower(), (port.strip() or default)


def _authority(spec: str, default: str, stops: str = "/?;") -> tuple[tuple[tuple[str, str], ...], str]:
    """``//host:port,host2/rest`` -> ((host, port), ...), rest (after the first stop character)."""
    body = spec[2:] if spec.startswith("//") else spec
    end = len(body)
    for stop in stops:
        at = body.find(stop)
        if at != -1:
            end = min(end, at)
    hosts = tuple(_host_port(h, default) for h in body[:end].split(",") if h.strip())
    return hosts, body[end:]


def _first(text: str, stops: str) -> str:
    end = len(text)
    for stop in stops:
        at = text.find(stop)
        if at != -1:
            end = min(end, at)
    return text[:end]


def _oracle(spec: str, default: str) -> tuple[tuple[tuple[str, str], ...], str]:
    if spec.startswith("("):  # TNS descriptor
        hosts = tuple(
            (h.lower(), p)
            for h, p in re.findall(r"\(\s*HOST\s*=\s*([^)\s]+)\s*\)\s*\(\s*PORT\s*=\s*([^)\s]+)\s*\)", spec, re.I)
        )
        if not hosts:
            hosts = tuple((h.lower(), default) for h in re.findall(r"\(\s*HOST\s*=\s*([^)\s]+)", spec, re.I))
        name = re.search(r"\(\s*(?:SERVICE_NAME|SID)\s*=\s*([^)\s]+)", spec, re.I)
        return hosts, name.group(1) if name else ""
    spec = re.sub(r"^tcps?://", "", spec, flags=re.I)
    if spec.startswith("//"):  # EZConnect //host:port/service
        hosts, rest = _authority(spec, default, "/?")
        return hosts, _first(rest[1:], ":/?") if rest.startswith("/") else ""
    if "/" in spec:  # host:port/service
        hosts, rest = _authority(spec, default, "/?")
        return hosts, _first(rest[1:], ":/?")
    parts = spec.split(":")
    if len(parts) >= 3:  # host:port:sid
        return ((parts[0].strip().lower(), parts[1].strip() or default),), _first(parts[2], "?")
    if len(parts) == 2:
        return ((parts[0].strip().lower(), parts[1].strip() or default),), ""
    return (), spec.strip()  # a tnsnames.ora alias: the host is not in the URL


def _parse_jdbc(url: str) -> _Jdbc | None:
    """Normalise a JDBC URL per vendor; None when it is not a JDBC URL at all."""
    text = url.strip()
    joined = 1 + len(re.findall(r",\s*jdbc:", text, re.I))
    if joined > 1:
        text = re.split(r",\s*(?=jdbc:)", text, flags=re.I)[0]
    if not text.lower().startswith("jdbc:"):
        return None
    rest = text[5:]
    for wrapper in _WRAPPERS:
        if rest.lower().startswith(wrapper):
            rest = rest[len(wrapper) :]
    vendor, _, spec = rest.partition(":")
    vendor = vendor.lower()
    low = spec.lower()
    if vendor == "hsqldb":
        for mode in ("hsql", "hsqls", "http", "https"):
            if low.startswith(mode + "://"):
                hosts, tail = _authority(spec[len(mode) + 1 :], _DEFAULT_PORTS[f"hsqldb:{mode}"])
                return _Jdbc(vendor, hosts, _first(tail.lstrip("/"), ";?"), False, joined=joined)
        path = re.sub(r"^(file|mem|res):", "", spec, flags=re.I)
        return _Jdbc(vendor, (), _first(path, ";?"), True, joined=joined)
    if vendor == "h2":
        for mode in ("tcp", "ssl"):
            if low.startswith(mode + "://"):
                hosts, tail = _authority(spec[len(mode) + 1 :], _DEFAULT_PORTS["h2"])
                return _Jdbc(vendor, hosts, _first(tail.lstrip("/"), ";?"), False, joined=joined)
        auto = bool(re.search(r";\s*AUTO_SERVER\s*=\s*TRUE", spec, re.I))
        path = re.sub(r"^(file|mem|zip|nio\w*|split|async|memFS|memLZF):", "", spec, flags=re.I)
        return _Jdbc(vendor, (), _first(path, ";?"), True, auto_server=auto, joined=joined)
    if vendor == "derby":
        if spec.startswith("//"):
            hosts, tail = _authority(spec, _DEFAULT_PORTS["derby"])
            return _Jdbc(vendor, hosts, _first(tail.lstrip("/"), ";?"), False, joined=joined)
        path = re.sub(r"^(directory|memory|classpath|jar):", "", spec, flags=re.I)
        return _Jdbc(vendor, (), _first(path, ";?"), True, joined=joined)
    if vendor == "oracle":
        at = spec.find("@")
        target = spec[at + 1 :] if at != -1 else spec.partition(":")[2]
        hosts, database = _oracle(target.strip(), _DEFAULT_PORTS["oracle"])
        return _Jdbc(vendor, hosts, database, False, joined=joined)
    if vendor == "jtds":
        sub, _, spec = spec.partition(":")
        vendor = f"jtds:{sub.lower()}"
        hosts, tail = _authority(spec, _DEFAULT_PORTS.get(vendor, ""))
        database = _first(tail[1:], ";?") if tail.startswith("/") else ""
        found = re.search(r";\s*databaseName\s*=\s*([^;]*)", tail, re.I)
        return _Jdbc(vendor, hosts, found.group(1).strip() if found else database, False, joined=joined)
    if vendor == "sqlserver":
        hosts, tail = _authority(spec, _DEFAULT_PORTS["sqlserver"], ";")
        props = {k.strip().lower(): v.strip() for k, _, v in (p.partition("=") for p in tail.split(";")) if k.strip()}
        named = [(h.split("\\")[0], p) for h, p in hosts]
        if not named and props.get("servername"):
            named = [(props["servername"].split("\\")[0].lower(), props.get("portnumber") or "1433")]
        implicit = not named
        if implicit:
            named = [("localhost", props.get("portnumber") or "1433")]
        database = props.get("databasename") or props.get("database") or ""
        return _Jdbc(vendor, tuple(named), database, False, implicit_host=implicit, joined=joined)
    if vendor == "sybase" and low.startswith("tds:"):
        hosts, tail = _authority(spec[4:], "")
        return _Jdbc(vendor, hosts, _first(tail[1:], "?;") if tail.startswith("/") else "", False, joined=joined)
    default = _DEFAULT_PORTS.get(vendor, "")
    if not spec.startswith("//"):
        nested = re.match(r"^([a-z][\w-]*):(//.*)$", spec, re.I)  # jdbc:mysql:loadbalance://...
        if nested:
            spec = nested.group(2)
    if spec.startswith("//"):
        hosts, tail = _authority(spec, default)
        database = _first(tail[1:], "?;" + (":" if vendor in ("db2", "informix-sqli") else "")) if tail else ""
        implicit = not hosts
        if implicit:
            hosts = (("localhost", default),)
        return _Jdbc(vendor, hosts, database, False, implicit_host=implicit, joined=joined)
    if vendor == "postgresql":  # jdbc:postgresql:database -> localhost
        return _Jdbc(vendor, (("localhost", default),), _first(spec, "?"), False, implicit_host=True, joined=joined)
    return _Jdbc(vendor, (), _first(spec, "?;:"), False, joined=joined)


def _unresolved(value: str) -> bool:
    """A value that still holds a placeholder or template nothing resolved."""
    rest = value.replace("${liferay.home}", "")
    return "${" in rest or "{{" in rest or "$[" in rest


# ----------------------------------------------------------------------------- the rule


def _embedded(url: Setting | None, driver: Setting | None) -> _Jdbc | None:
    """The embedded database a data source uses, or None (networked, unknown or unresolved)."""
    driver_class = driver.value.strip() if driver is not None else ""
    if url is not None and url.value.strip():
        value = url.value.strip()
        head = value.split("${", 1)[0].split("{{", 1)[0]
        parsed = _parse_jdbc(value) if not _unresolved(value) or re.match(r"(?i)jdbc:\w+:", head) else None
        if parsed is not None and parsed.embedded and not parsed.auto_server:
            if parsed.vendor not in ("hsqldb", "h2", "derby"):
                return None
            return parsed
        if parsed is not None:
            return None
    if driver_class == "org.apache.derby.jdbc.EmbeddedDriver":  # embedded whatever the URL says
        return _Jdbc("derby", (), "(URL unresolved)", True)
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
    sources=(
        "Built-in default: portal.properties 6.0.11/6.1.0/6.2.5 jdbc.default.url=jdbc:hsqldb:${liferay.home}/data/hsql/"
        "lportal (org.hsqldb.jdbcDriver); 7.4 jdbc:hsqldb:${liferay.home}/data/hypersonic/lportal;hsqldb.lock_file="
        "false (org.hsqldb.jdbc.JDBCDriver), 'not recommended for production use' (liferay-ha-facts.md §3.1)",
        "JNDI: 'These properties will only be read if the property jdbc.default.jndi.name is not set' "
        "(portal.properties 6.2.5 and 7.4 JDBC section, read in shared/corpus/liferay)",
        "6.1/6.2 User Guide and DXP 7.0 clustering guide: the embedded HSQL database cannot be used in a cluster; "
        "liferay-learn 'Database Configuration for Cluster Nodes' (petershin/liferay-learn mirror): 'Clustering will "
        "not work with the embedded HSQL database' (facts §3.2)",
        "Derby embedded: org.apache.derby.jdbc.EmbeddedDriver / jdbc:derby:lportal samples in portal.properties 6.x",
        "H2 (facts §3.1 INFERENCE, checked): H2 'Connection Modes' (h2database.com/html/features.html): in embedded "
        "mode 'a database may only be open in one virtual machine (and class loader) at any time'; AUTO_SERVER=TRUE "
        "(mixed mode) lets other JVMs share it, so such URLs are not reported",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    for prefix in PREFIXES:
        jndi = node.setting(f"jdbc.{prefix}.jndi.name")
        if jndi is not None and jndi.value.strip():
            continue  # the app server's data source; the connection keys are not read
        key = f"jdbc.{prefix}.url"
        url = node.setting(key)
        driver = node.setting(f"jdbc.{prefix}.driverClassName")
        if prefix != "default" and (url is None or url.origin.kind is OriginKind.DEFAULT):
            continue  # no read/write data source defined
        found = _embedded(url, driver)
        if found is None:
            continue
        name = _EMBEDDED_NAMES.get(found.vendor, found.vendor)
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
