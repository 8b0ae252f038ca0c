"""Which portal property keys a Liferay version reads: the keys of its ``portal.properties`` (with a
default, or documented as commented-out examples), keys only its code reads, and the families of
keys it builds at run time (Liferay's ``portal.properties`` of 6.0.11, 6.1.0, 6.2.5 and 7.4 at
https://github.com/liferay/liferay-portal/blob/master/portal-impl/src/portal.properties and the
matching tags; ``configuration.override.*``: https://learn.liferay.com/w/dxp/system-administration/configuring-liferay/configuration-files-and-factories/using-configuration-files)."""

from __future__ import annotations

import functools

from linter.liferay.defaults import known_keys
from linter.patterns import LazyPattern

# Keys Liferay's portal.properties documents only as commented-out examples (``#key=value``), so
# they have no default and are missing from ``known_keys``; bracket qualifiers stripped. Taken from
# the commented lines of shared/corpus/liferay/portal-{6.0.11-ee-sp1,6.1.0-ga1,6.2.5-ga6,
# 7.4-master-2024-12-04}.properties that no default key or dynamic family below covers. Families:
# which saved files document the key ("0" 6.0, "1" 6.1, "2" 6.2, "4" 7.4). To be replaced by
# the generated data once it carries documented keys.
_DOCUMENTED: dict[str, str] = {
    "amazon.access.key.id": "012",
    "amazon.associate.tag": "012",
    "amazon.secret.access.key": "12",
    "asset.renderer.enabled.com.liferay.portlet.documentlibrary.asset.DLFileEntryAssetRendererFactory": "0124",
    "asset.renderer.enabled.com.liferay.portlet.messageboards.asset.MBDiscussionAssetRendererFactory": "012",
    "auth.failure": "4",
    "auth.login.url": "0124",
    "auth.max.failures": "4",
    "auth.pipeline.post": "0124",
    "auth.pipeline.pre": "4",
    "auth.token.ignore.origins": "24",
    "auth.token.impl": "4",
    "auth.token.shared.secret": "24",
    "auth.verifier.pipeline": "4",
    "auto.login.hooks": "4",
    "change.tracking.deletion.protection.enabled": "4",
    "collator.rules": "4",
    "com.liferay.portal.kernel.util.Http.max.connections.per.host": "4",
    "com.liferay.portal.kernel.util.Http.max.total.connections": "4",
    "com.liferay.portal.kernel.util.Http.proxy.auth.type": "4",
    "com.liferay.portal.kernel.util.Http.proxy.ntlm.domain": "4",
    "com.liferay.portal.kernel.util.Http.proxy.ntlm.host": "4",
    "com.liferay.portal.kernel.util.Http.proxy.password": "4",
    "com.liferay.portal.kernel.util.Http.proxy.username": "4",
    "com.liferay.portal.upload.UploadServletRequestImpl.temp.dir": "012",
    "com.liferay.portal.util.HttpImpl.max.connections.per.host": "012",
    "com.liferay.portal.util.HttpImpl.max.total.connections": "012",
    "com.liferay.portal.util.HttpImpl.proxy.auth.type": "012",
    "com.liferay.portal.util.HttpImpl.proxy.ntlm.domain": "012",
    "com.liferay.portal.util.HttpImpl.proxy.ntlm.host": "012",
    "com.liferay.portal.util.HttpImpl.proxy.password": "012",
    "com.liferay.portal.util.HttpImpl.proxy.username": "012",
    "com.liferay.util.servlet.SessionParameters": "0124",
    "company.default.locale": "24",
    "company.default.virtual.host.mail.domain": "4",
    "company.default.virtual.host.name": "4",
    "company.default.virtual.host.sync.on.startup": "4",
    "company.security.strangers.url": "0124",
    "control.panel.default.entry.class": "4",
    "custom.sql.function.isnotnull": "0124",
    "custom.sql.function.isnull": "0124",
    "default.guest.public.layout.regular.color.scheme.id": "0124",
    "default.guest.public.layout.regular.theme.id": "0124",
    "default.guest.public.layout.wap.color.scheme.id": "012",
    "default.guest.public.layout.wap.theme.id": "012",
    "default.guest.public.layouts.lar": "0124",
    "default.user.private.layout.regular.color.scheme.id": "0124",
    "default.user.private.layout.regular.theme.id": "012",
    "default.user.private.layout.wap.color.scheme.id": "012",
    "default.user.private.layout.wap.theme.id": "012",
    "default.user.private.layouts.lar": "0124",
    "default.user.public.layout.regular.color.scheme.id": "0124",
    "default.user.public.layout.regular.theme.id": "012",
    "default.user.public.layout.wap.color.scheme.id": "012",
    "default.user.public.layout.wap.theme.id": "012",
    "default.user.public.layouts.lar": "0124",
    "dl.file.entry.thumbnail.custom1.max.height": "124",
    "dl.file.entry.thumbnail.custom1.max.width": "124",
    "dl.file.entry.thumbnail.custom2.max.height": "124",
    "dl.file.entry.thumbnail.custom2.max.width": "124",
    "dl.store.gcs.aes256.key": "4",
    "field.editable.domains": "24",
    "ig.image.custom1.max.dimension": "0",
    "ig.image.custom2.max.dimension": "0",
    "image.hook.impl": "12",
    "imagemagick.resource.limit.disk": "24",
    "imagemagick.resource.limit.file": "24",
    "imagemagick.resource.limit.thread": "24",
    "imagemagick.resource.limit.time": "24",
    "index.search.engine.id": "2",
    "index.search.query.suggestion.dictionary": "24",
    "indexer.enabled": "4",
    "jcifs.netbios.cachePolicy": "4",
    "jcifs.smb.client.soTimeout": "4",
    "journal.article.custom.token.value": "012",
    "journal.article.custom.tokens": "012",
    "journal.transformer.regex.pattern.0": "012",
    "journal.transformer.regex.pattern.1": "012",
    "journal.transformer.regex.replacement.0": "012",
    "journal.transformer.regex.replacement.1": "012",
    "jpa.database.platform": "012",
    "jpa.database.type": "012",
    "jsp.servlet.init.param.compilerClassName": "4",
    "jsp.servlet.init.param.compilerSourceVM": "4",
    "jsp.servlet.init.param.compilerTargetVM": "4",
    "layout.configuration.action.delete": "0124",
    "layout.configuration.action.update": "0124",
    "layout.friendly.url.page.not.found": "0124",
    "layout.static.portlets.all": "4",
    "layout.static.portlets.end.column-1": "0124",
    "layout.static.portlets.end.column-2": "0124",
    "layout.static.portlets.end.column-3": "0124",
    "layout.static.portlets.start.column-1": "0124",
    "layout.static.portlets.start.column-2": "0124",
    "layout.static.portlets.start.column-3": "0124",
    "ldap.attrs.transformer.impl": "4",
    "lock.listeners": "4",
    "lucene.boolean.query.clause.max.size": "2",
    "lucene.store.jdbc.auto.clean.up.enabled": "01",
    "mail.session.jndi.name": "0124",
    "membership.policy.organizations": "4",
    "membership.policy.roles": "4",
    "membership.policy.sites": "4",
    "membership.policy.user.groups": "4",
    "module.framework.web.generator.bnd.plugin.enabled": "4",
    "open.id.ax.schema": "4",
    "open.id.ax.type.email": "4",
    "open.id.ax.type.firstname": "4",
    "open.id.ax.type.fullname": "4",
    "open.id.ax.type.lastname": "4",
    "open.id.providers": "4",
    "open.id.url": "4",
    "passwords.encryption.algorithm.legacy": "24",
    "passwords.toolkit": "4",
    "phone.number.format.impl": "4",
    "plugin.notifications.packages.ignored": "012",
    "portal.jaas.auth.type": "4",
    "portal.jaas.enable": "4",
    "portal.jaas.impl": "012",
    "portal.jaas.plain.password": "4",
    "request.header.auth.hosts.allowed": "4",
    "request.header.auth.import.from.ldap": "4",
    "sanitizer.impl": "4",
    "session.cookie.domain": "0124",
    "sites.friendly.url.page.not.found": "24",
    "tunneling.servlet.shared.secret": "24",
    "tunneling.servlet.shared.secret.hex": "24",
    "users.email.address.generator": "4",
    "users.email.address.validator": "4",
    "users.full.name.generator": "4",
    "users.full.name.validator": "4",
    "users.profile.friendly.url": "24",
    "users.screen.name.generator": "4",
    "users.screen.name.validator": "4",
    "velocity.engine.resource.manager.modification.check.interval": "01",
    "web.server.protocol": "0124",
    "xuggler.ffpreset.flags2": "2",
}

# Keys read by Liferay's code without an entry in that version's portal.properties (facts §6.1:
# EhcacheConfigurationUtil / PropsValues of 6.1.0 and 6.2.5 read the flag; 6.0 documents it).
_CODE_ONLY: dict[str, tuple[str, ...]] = {
    "ehcache.cluster.link.replication.enabled": ("6.1", "6.2"),
    # New in the portal.properties of the JGroups 5 releases (liferay/liferay-portal @6cfe4873
    # portal-impl/src/portal.properties, default false: registers JGroups' MBeans; absent at
    # @43b1bd82 and from the saved 7.4 master-2024-12 file): known for the whole 7.4 family, as the
    # key tables are per family (on a JGroups 4 release it is read by nothing).
    "cluster.link.jmx.enabled": ("7.4",),
}

# Families of keys whose names are built at run time (facts §1.2, §1.4, §2, §3, §6, §7.3).
_DYNAMIC: tuple[tuple[LazyPattern, str], ...] = (
    (LazyPattern(r"jdbc\.[^.\s]+\..+"), "data source keys jdbc.<name>.* (any pool property)"),
    (LazyPattern(r"multicast\.group\.(address|port)\[.+\]"), "multicast groups per channel"),
    (LazyPattern(r"ehcache\.replicator\.properties\..+"), "Ehcache replicator properties per cache"),
    (LazyPattern(r"ehcache\.bootstrap\.cache\.loader\.properties\..+"), "Ehcache bootstrap loader per cache"),
    (LazyPattern(r"value\.object\..+"), "value.object.* per model class"),
    (LazyPattern(r"com\.liferay\.[\w.$]*Filter(\..+)?"), "servlet filter switches"),
    (LazyPattern(r"hibernate\..+"), "Hibernate properties passed through"),
    (LazyPattern(r"module\.framework\.properties\..+"), "OSGi framework properties passed through"),
    (LazyPattern(r"(memory|persisted)\.scheduler\.org\.quartz\..+"), "Quartz properties passed through"),
    (LazyPattern(r"mail\.session\.mail\..+"), "JavaMail session properties passed through"),
    (LazyPattern(r"jndi\.environment\..+"), "JNDI environment passed through"),
    (LazyPattern(r"jpa\.provider\.property\..+"), "JPA provider properties passed through"),
    (LazyPattern(r"transaction\.manager\.property\..+"), "transaction manager properties passed through"),
    (LazyPattern(r"auth\.verifier\.[A-Za-z]+\..+"), "auth verifier settings per verifier"),
    (LazyPattern(r"ldap\.[\w.]+\.\d+"), "LDAP server settings per server index"),
    (LazyPattern(r"include-and-override"), "include-and-override"),
)
_DYNAMIC_BY_VERSION: tuple[tuple[LazyPattern, str, tuple[str, ...]], ...] = (
    (LazyPattern(r"org\.quartz\..+"), "Quartz properties (6.0)", ("6.0",)),
    (
        LazyPattern(r"configuration\.override\..+"),
        "OSGi overrides configuration.override.<pid>_<key>",
        ("7.2", "7.3", "7.4"),
    ),
    (LazyPattern(r"feature\.flag\..+"), "feature flags", ("7.4",)),
)

_BRACKET = LazyPattern(r"^(?P<base>[^\[]+)(?P<q>\[.*\])$")
_INDEXED = LazyPattern(r"^(?P<base>.+)\.(?P<n>\d+)$")
_CLASS_SUFFIX = LazyPattern(r"^(?P<base>[a-z][\w.-]*?)\.(?P<cls>(?:com|org|net|javax?)\.[\w.$]+)$")
_FAMILY_DIGIT = {"6.0": "0", "6.1": "1", "6.2": "2"}


def _documented_in(family: str) -> set[str]:
    digits = {_FAMILY_DIGIT[family]} if family in _FAMILY_DIGIT else {"2", "4"} if family != "7.4" else {"4"}
    return {k for k, where in _DOCUMENTED.items() if digits & set(where)}


_POOLS: dict[str, tuple[frozenset[str], frozenset[str], dict[str, str]]] = {}


def key_pool(family: str) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """(keys, bracket bases, lower-case -> key) Liferay knows for the family."""
    if family not in _POOLS:
        keys = set(known_keys(family)) | _documented_in(family)
        keys |= {k for k, fams in _CODE_ONLY.items() if family in fams}
        keys.discard("")
        bases = {m.group("base") for k in keys if (m := _BRACKET.match(k))}
        lower: dict[str, str] = {}
        for k in sorted(keys):
            lower.setdefault(k.lower(), k)
        _POOLS[family] = (frozenset(keys), frozenset(bases), lower)
    return _POOLS[family]


@functools.lru_cache(maxsize=8192)  # nodes of a cluster repeat the same keys
def is_known_key(family: str, key: str) -> bool:
    """Whether Liferay of the family reads ``key``: a key of its portal.properties (with a default or
    as a commented-out example), a key only its code reads, or a member of a family of keys it builds
    at run time."""
    keys, bases, lower = key_pool(family)
    if key in keys:
        return True
    if lower.get(key.lower(), key) != key:
        return False  # property keys are case-sensitive: jdbc.default.driverclassname is not driverClassName
    for pattern, _what in _DYNAMIC:
        if pattern.fullmatch(key):
            return True
    for pattern, _what, families in _DYNAMIC_BY_VERSION:
        if family in families and pattern.fullmatch(key):
            return True
    m = _BRACKET.match(key)
    if m and (m.group("base") in keys or m.group("base") in bases):
        return True
    m = _INDEXED.match(key)
    if m and any(f"{m.group('base')}.{n}" in keys for n in range(3)):
        return True
    m = _CLASS_SUFFIX.match(key)
    if m:
        base = m.group("base")
        if base in keys or any(k.startswith(base + ".") for k in keys):
            return True
    return False
