"""HA202 database-localhost: a node of a cluster reaches its database through a loopback address."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import NamedTuple

from linter.ruleapi import WARNING, Confidence, Context, Finding, Label, Node, OriginKind, label, label_at, rule

PREFIXES = ("default", "read", "write")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

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
    sources=(
        "6.2 User Guide ch. 20 and DXP 7.0 clustering guide: all nodes share one database, which should run on a "
        "separate host (liferay-ha-facts.md §3.2; localhost = one database per node is marked INFERENCE there, "
        "hence warning)",
        "Liferay's JDBC samples use localhost for every vendor (portal.properties 6.2.5 and 7.4, JDBC section)",
        "Setup wizard file overrides portal-ext.properties (portal.properties include-and-override order, facts §1.1)",
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    if not ctx.clustered:
        return
    for prefix in PREFIXES:
        jndi = node.setting(f"jdbc.{prefix}.jndi.name")
        if jndi is not None and jndi.value.strip():
            continue
        key = f"jdbc.{prefix}.url"
        url = node.setting(key)
        if url is None or not url.value.strip():
            continue
        parsed = _parse_jdbc(url.value)
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
            other = _parse_jdbc(hidden.value)
            shown = other.show() if other is not None else "another value"
            note = f"; this value in {here} overrides {there}, which names {shown}"
            related = (label_at(node, hidden.origin, f"overridden: {shown}"),)
        yield Finding(
            f"{key} on {node.name} {how}: in a {len(ctx.cluster.nodes)}-node cluster each node would use a "
            f"database on its own host unless all nodes run on that one machine{note}",
            label(node, url, f"{local[0]}", key=key),
            related,
            help=f"set {key} to the shared database server's network name on every node",
            confidence=Confidence.UNRESOLVED if _unresolved(url.value) else url.confidence,
            subject=key,
        )
