"""Liferay's built-in Ehcache and JGroups resources, known without a file on disk.

The tables in ``data/builtin-resources.json`` are generated from Liferay's own files
(``shared/corpus/liferay/{ehcache,jgroups}``, see PROVENANCE.md) by
``scripts/gen_liferay_data.py``: for each file what it declares, with line numbers. Models are
rebuilt from them with origins of kind ``builtin``. 7.0-7.3 are assumed to ship the same
``jgroups/*`` stacks as 7.4 (facts §9 lists the first release of the XML stacks as unconfirmed).

JGroups' own jar also carries stock stacks (``udp.xml``, ``tcp.xml``, ``mping.xml``, ...) that a
bare resource name resolves to when no such file is on the portal's class path; their content
varies with the JGroups release, so only their transport is known.
"""

from __future__ import annotations

import json
from functools import cache

from linter.liferay.defaults import DATA_DIR
from linter.liferay.releases import jgroups_major, parse_release
from linter.liferay.versions import VersionRange
from linter.sources.ehcache import Cache, EhcacheConfig, Factory, parse_factory_properties
from linter.sources.jgroups import JGroupsStack, Protocol, ProtocolAttr

JGROUPS_JAR_STACKS = {
    "udp.xml": "UDP",
    "tcp.xml": "TCP",
    "tcp-nio.xml": "TCP_NIO2",
    "mping.xml": "TCP",
    "tcpgossip.xml": "TCP",
    "fast.xml": "UDP",
}


def normalise(name: str) -> str:
    """Class-path resource names are looked up without a leading slash."""
    return name.strip().lstrip("/")


@cache
def _table() -> dict[str, list[dict[str, object]]]:
    text = (DATA_DIR / "builtin-resources.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def _find(kind: str, name: str, family: str | None) -> dict[str, object] | None:
    wanted = normalise(name)
    for entry in _table()[kind]:
        if entry["name"] == wanted and (family is None or family in VersionRange.parse(str(entry["families"]))):
            return entry
    return None


def _label(entry: dict[str, object]) -> str:
    return f"Liferay built-in {entry['name']} ({entry['families']})"


def jgroups_stack(name: str, family: str | None) -> JGroupsStack | None:
    entry = _find("jgroups", name, family)
    if entry is None:
        return None
    protocols = []
    raw = entry["protocols"]
    assert isinstance(raw, list)
    for pname, pline, attrs in raw:
        attributes = tuple(ProtocolAttr(a, v, line, 1) for a, v, line in attrs)
        protocols.append(Protocol(pname, attributes, pline, 1))
    return JGroupsStack(_label(entry), "xml", tuple(protocols))


def _factory(raw: list[object] | None) -> Factory | None:
    if raw is None:
        return None
    kind, class_name, text, separator, line = raw
    props = parse_factory_properties(str(text), str(separator)).properties if text is not None else ()
    return Factory(
        class_name=None if class_name is None else str(class_name),
        properties=props,
        property_separator=str(separator),
        line=int(str(line)),
        properties_line=int(str(line)) if text is not None else None,
        kind=str(kind),
        properties_text=None if text is None else str(text),
    )


def _cache(raw: list[object] | None) -> Cache | None:
    if raw is None:
        return None
    name, line, listeners, bootstrap = raw
    assert isinstance(listeners, list)
    built = tuple(f for f in (_factory(x) for x in listeners) if f is not None)
    return Cache(
        None if name is None else str(name),
        int(str(line)),
        {},
        built,
        _factory(bootstrap if isinstance(bootstrap, list) else None),
    )


def ehcache_config(name: str, family: str | None) -> EhcacheConfig | None:
    entry = _find("ehcache", name, family)
    if entry is None:
        return None
    providers = entry["peer_providers"]
    listeners = entry["peer_listeners"]
    caches = entry["caches"]
    default = entry["default_cache"]
    assert isinstance(providers, list) and isinstance(listeners, list) and isinstance(caches, list)
    return EhcacheConfig(
        display=_label(entry),
        name=None if entry["manager_name"] is None else str(entry["manager_name"]),
        is_ehcache3=False,
        peer_providers=tuple(f for f in (_factory(x) for x in providers) if f),
        peer_listeners=tuple(f for f in (_factory(x) for x in listeners) if f),
        default_cache=_cache(default if isinstance(default, list) else None),
        caches=tuple(c for c in (_cache(x) for x in caches) if c),
    )


def jgroups_jar_transport(name: str) -> str | None:
    """Transport of a stock stack inside the JGroups jar (``tcp.xml`` -> ``TCP``)."""
    return JGROUPS_JAR_STACKS.get(normalise(name))


# Liferay stacks known by name only (no copy was saved): recent 7.4 / quarterly releases add a
# symmetric-encryption variant next to unsecure, md5 and x509 (liferay-portal
# portal-cluster-multiple resources and its ClusterLink tests; see HA115).
LIFERAY_NAMED_STACKS = {
    "jgroups/secure/sym_encrypt/udp_control.xml": "UDP",
    "jgroups/secure/sym_encrypt/udp_transport.xml": "UDP",
}


def liferay_named_stack(name: str, family: str | None, release: str | None = None) -> str | None:
    """Transport of a Liferay built-in stack known by name only, for 7.4. The sym_encrypt stacks
    ship only with the JGroups 5 releases (they need JGroups 5.2.15+): on a release known to
    bundle JGroups 4 they are not built in; on an unknown or unsettled release they stay known."""
    if family not in (None, "7.4"):
        return None
    if jgroups_major(parse_release(release) if release else None) == 4:
        return None
    return LIFERAY_NAMED_STACKS.get(normalise(name))


def named_stack_absent(name: str, release: str | None) -> str:
    """Why a Liferay stack name is not built in on this release ("" when that is not the reason)."""
    parsed = parse_release(release) if release else None
    if normalise(name) in LIFERAY_NAMED_STACKS and parsed is not None and jgroups_major(parsed) == 4:
        return (
            f" on {parsed.name}, which bundles JGroups 4: the jgroups/secure/sym_encrypt/ stacks ship only with "
            "the JGroups 5 releases (use jgroups/secure/md5/ or x509/, or a stack of your own)"
        )
    return ""


# Properties files shipped inside portal-impl.jar that include-and-override may name without a
# file on the node. portal-developer.properties, 6.x: ambition-consulting/6.0.11 @a50cac7b
# portal-impl/src/portal-developer.properties; 7.x: liferay/liferay-portal @eb65aa60 (the same
# path). 6.1/6.2 and 7.0-7.3 are assumed to match the nearest of the two (facts §7.3 lists the
# same developer switches for 6.1 and 7.4).
_DEVELOPER_6 = {
    "theme.css.fast.load": "false",
    "theme.images.fast.load": "false",
    "javascript.fast.load": "true",
    "javascript.log.enabled": "true",
    "layout.template.cache.enabled": "false",
    "browser.launcher.url": "",
    "combo.check.timestamp": "true",
    "freemarker.engine.cache.storage": "soft:1",
    "freemarker.engine.modification.check.interval": "0",
    "openoffice.cache.enabled": "false",
    "velocity.engine.resource.manager.cache.enabled": "false",
    "com.liferay.portal.servlet.filters.cache.CacheFilter": "false",
    "com.liferay.portal.servlet.filters.themepreview.ThemePreviewFilter": "true",
}
_DEVELOPER_7 = {
    "schema.module.build.auto.upgrade": "true",
    "upgrade.database.auto.run": "true",
    "upgrade.database.dl.storage.check.disabled": "true",
    "theme.css.fast.load": "false",
    "theme.css.fast.load.check.request.parameter": "true",
    "theme.images.fast.load": "false",
    "theme.images.fast.load.check.request.parameter": "true",
    "enterprise.product.notification.enabled": "false",
    "javascript.fast.load": "true",
    "javascript.log.enabled": "false",
    "company.security.strangers.verify": "false",
    "access.control.sanitize.security.exception": "false",
    "layout.template.cache.enabled": "false",
    "browser.launcher.url": "",
    "combo.check.timestamp": "true",
    "cors.disable.authorization.context.check": "true",
    "direct.servlet.context.reload": "true",
    "initial.system.check.enabled": "true",
    "json.service.serialize.throwable": "true",
    "minifier.enabled": "false",
    "module.framework.properties.osgi.console": "localhost:11311",
    "template.engine.cache.enabled": "false",
    "com.liferay.portal.servlet.filters.etag.ETagFilter": "false",
    "com.liferay.portal.servlet.filters.header.HeaderFilter": "false",
    "com.liferay.portal.servlet.filters.themepreview.ThemePreviewFilter": "true",
}


def builtin_properties(name: str, family: str | None) -> tuple[str, dict[str, str]] | None:
    """(label, values) of a properties file shipped inside Liferay, or None."""
    if normalise(name).rsplit("/", 1)[-1] != "portal-developer.properties":
        return None
    six = family is not None and family.startswith("6.")
    values = _DEVELOPER_6 if six else _DEVELOPER_7
    return f"Liferay built-in portal-developer.properties ({'6.x' if six else '7.x'})", dict(values)


# What each JGroups line Liferay bundles accepts in a stack: protocol classes (dotted below
# org.jgroups.protocols), their attribute names and @Component prefixes, and the AuthToken classes.
# Generated from belaban/JGroups at JGroups-4.1.7.Final and jgroups-5.5.6.Final by
# scripts/gen_jgroups_attributes.py.
JGROUPS_LINES = ("4.1", "5.5")


@cache
def jgroups_line(line: str) -> dict[str, object]:
    """The table of one JGroups line (``4.1`` or ``5.5``): ``tag``, ``protocols`` (class ->
    ``attributes``, ``components`` prefix -> attribute names or None when any may be valid) and
    ``auth_classes``."""
    data = json.loads((DATA_DIR / "jgroups-attributes.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    table = data["lines"][line]
    assert isinstance(table, dict)
    return table
