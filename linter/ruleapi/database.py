"""JDBC URLs reduced to what identifies the database: vendor, servers (with the vendor's default
port) and database, per vendor's URL syntax (MySQL/MariaDB, PostgreSQL, Oracle thin and TNS, SQL
Server and jTDS, DB2, Sybase, HSQLDB, H2 and Derby in server and embedded modes).

Query parameters, properties and credentials never reach the result, so nothing secret can be
printed from it. Shared by HA201, HA202 and HA203 through ``linter.ruleapi``; nothing here reads
files or the environment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from linter.origin import OriginKind, Setting

if TYPE_CHECKING:
    from linter.model import Node

# The data sources Liferay builds from jdbc.<prefix>.* (jdbc.read / jdbc.write: the read-writer split).
JDBC_PREFIXES = ("default", "read", "write")
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
# Display names of the databases that can run inside the portal JVM.
EMBEDDED_DATABASES = {"hsqldb": "Hypersonic (HSQLDB)", "h2": "H2", "derby": "Derby"}


class JdbcUrl(NamedTuple):
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
            text = f"embedded {EMBEDDED_DATABASES.get(self.vendor, self.vendor)} database {self.database}"
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


def parse_jdbc(url: str) -> JdbcUrl | None:
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
                return JdbcUrl(vendor, hosts, _first(tail.lstrip("/"), ";?"), False, joined=joined)
        path = re.sub(r"^(file|mem|res):", "", spec, flags=re.I)
        return JdbcUrl(vendor, (), _first(path, ";?"), True, joined=joined)
    if vendor == "h2":
        for mode in ("tcp", "ssl"):
            if low.startswith(mode + "://"):
                hosts, tail = _authority(spec[len(mode) + 1 :], _DEFAULT_PORTS["h2"])
                return JdbcUrl(vendor, hosts, _first(tail.lstrip("/"), ";?"), False, joined=joined)
        auto = bool(re.search(r";\s*AUTO_SERVER\s*=\s*TRUE", spec, re.I))
        path = re.sub(r"^(file|mem|zip|nio\w*|split|async|memFS|memLZF):", "", spec, flags=re.I)
        return JdbcUrl(vendor, (), _first(path, ";?"), True, auto_server=auto, joined=joined)
    if vendor == "derby":
        if spec.startswith("//"):
            hosts, tail = _authority(spec, _DEFAULT_PORTS["derby"])
            return JdbcUrl(vendor, hosts, _first(tail.lstrip("/"), ";?"), False, joined=joined)
        path = re.sub(r"^(directory|memory|classpath|jar):", "", spec, flags=re.I)
        return JdbcUrl(vendor, (), _first(path, ";?"), True, joined=joined)
    if vendor == "oracle":
        at = spec.find("@")
        target = spec[at + 1 :] if at != -1 else spec.partition(":")[2]
        hosts, database = _oracle(target.strip(), _DEFAULT_PORTS["oracle"])
        return JdbcUrl(vendor, hosts, database, False, joined=joined)
    if vendor == "jtds":
        sub, _, spec = spec.partition(":")
        vendor = f"jtds:{sub.lower()}"
        hosts, tail = _authority(spec, _DEFAULT_PORTS.get(vendor, ""))
        database = _first(tail[1:], ";?") if tail.startswith("/") else ""
        found = re.search(r";\s*databaseName\s*=\s*([^;]*)", tail, re.I)
        return JdbcUrl(vendor, hosts, found.group(1).strip() if found else database, False, joined=joined)
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
        return JdbcUrl(vendor, tuple(named), database, False, implicit_host=implicit, joined=joined)
    if vendor == "sybase" and low.startswith("tds:"):
        hosts, tail = _authority(spec[4:], "")
        return JdbcUrl(vendor, hosts, _first(tail[1:], "?;") if tail.startswith("/") else "", False, joined=joined)
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
        return JdbcUrl(vendor, hosts, database, False, implicit_host=implicit, joined=joined)
    if vendor == "postgresql":  # jdbc:postgresql:database -> localhost
        return JdbcUrl(vendor, (("localhost", default),), _first(spec, "?"), False, implicit_host=True, joined=joined)
    return JdbcUrl(vendor, (), _first(spec, "?;:"), False, joined=joined)


def jndi_setting(node: Node, prefix: str) -> Setting | None:
    """``jdbc.<prefix>.jndi.name`` when it names a data source (not blank): Liferay then takes the data
    source from the application server and does not read the ``jdbc.<prefix>`` connection keys
    (portal.properties 6.2.5 and 7.4, JDBC section)."""
    setting = node.setting(f"jdbc.{prefix}.jndi.name")
    return setting if setting is not None and setting.value.strip() else None


def url_defined(node: Node, prefix: str) -> bool:
    """Whether ``jdbc.<prefix>.url`` is set, and not by Liferay's defaults (a read or write data source exists)."""
    url = node.setting(f"jdbc.{prefix}.url")
    return url is not None and url.origin.kind is not OriginKind.DEFAULT and bool(url.value.strip())
