"""HA702 unknown-key: a key that is neither a portal property of the version nor a dynamic family."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Context, Finding, Node, label_at, rule
from linter.ruleapi.keys import is_known_key, key_pool, known_keys, legacy_key, liferay_default, written_entries
from linter.ruleapi.text import nearest

_BOM_PREFIXES = ("\ufeff", "\u00ef\u00bb\u00bf")
_URL_SCHEMES = frozenset({"http", "https", "ftp"})

_SUGGESTIONS: dict[tuple[str, str], str | None] = {}


def _suggest(family: str, key: str) -> str | None:
    """The nearest key Liferay knows: a different spelling of case, the key plus one more segment
    (``ehcache.cluster.link.replication`` -> ``...replication.enabled``), or a small edit."""
    cache_key = (family, key)
    if cache_key in _SUGGESTIONS:
        return _SUGGESTIONS[cache_key]
    keys, _bases, lower = key_pool(family)
    found: str | None = None
    same_case = lower.get(key.lower())
    if same_case is not None and same_case != key:
        found = same_case
    if found is None and "." in key:
        longer = sorted(k for k in keys if k.startswith(key + ".") and "." not in k[len(key) + 1 :])
        if longer:
            found = min(longer, key=len)
    if found is None:
        found = nearest(key, keys, 1 if len(key) <= 8 else 2 if len(key) <= 24 else 3)
    _SUGGESTIONS[cache_key] = found
    return found


@rule(
    id="HA702",
    name="unknown-key",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("hygiene", "properties"),
    summary="A properties file sets a key that is not a portal property of the Liferay version.",
    rationale=(
        "Liferay reads the keys its code asks for; any other key in portal-ext.properties (a typo, a key of "
        "another version, a key from an outdated guide) is silently ignored, so the setting the admin believes "
        "in never takes effect. The key is judged against the version's portal.properties (keys with a default "
        "and keys shown there as commented-out examples), keys read only by code (ehcache.cluster.link."
        "replication.enabled on 6.1/6.2) and the families Liferay builds at run time: jdbc.<name>.*, "
        "multicast.group.*[channel], bracketed qualifiers such as setup.database.url[mysql], indexed keys such "
        "as cluster.link.channel.properties.transport.1, configuration.override.* (7.2+), value.object.*, "
        "com.liferay.*Filter, ehcache.replicator.properties.*, hibernate.*, module.framework.properties.*, "
        "include-and-override. Keys that VerifyProperties lists as obsolete or renamed are HA703's. The "
        "nearest known key is suggested (cluster.link.enable -> cluster.link.enabled; the 6.2 guide's "
        "ehcache.cluster.link.replication -> ehcache.cluster.link.replication.enabled). Keys read by a custom "
        "plugin are unknown to Liferay too: suppress them where they are set."
    ),
    fix="Correct the key to the one Liferay reads (see the suggestion), or remove it.",
    # facts: liferay-ha-facts.md §1.2, §6.2; read in: shared/corpus/liferay
    sources=(
        "Liferay 6.0 portal.properties: https://docs.liferay.com/portal/6.0/propertiesdoc/portal.properties.html",
        "Liferay 6.1 portal.properties: https://docs.liferay.com/portal/6.1/propertiesdoc/portal.properties.html",
        (
            "Liferay 6.2 portal.properties: https://github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/"
            "portal.properties"
        ),
        (
            "Liferay 7.4 portal.properties (7.0 to 7.3 are checked against 7.4): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering') "
            "(configuration.override.* properties): https://learn.liferay.com/w/dxp/system-administration/"
            "configuring-liferay/configuration-files-and-factories/using-configuration-files"
        ),
        (
            "Liferay 6.2 source, EhcacheConfigurationUtil.java (ehcache.cluster.link.replication.enabled): https://"
            "github.com/liferay/liferay-portal/blob/6.2.5-ga6/portal-impl/src/com/liferay/portal/cache/ehcache/"
            "EhcacheConfigurationUtil.java"
        ),
        (
            "Liferay Portal 6.2 User Guide, 'Configuring Liferay for High Availability' (servlet filter switches; "
            "names 'ehcache.cluster.link.replication' without '.enabled'): https://github.com/liferay/liferay-docs/"
            "blob/0b22f2fc/userGuide/en/chapters/20-configuring-for-high-availability.markdown"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    family = ctx.version
    approximated = family in ("7.0", "7.1", "7.2", "7.3")
    for entry in written_entries(node):
        key = entry.key
        if key.startswith(_BOM_PREFIXES):
            continue  # HA705 reports the byte-order mark that glued itself to the key
        if key in _URL_SCHEMES and entry.value.startswith("//"):
            continue  # a URL line outside any value, split at its ':' (Liferay's own source.forge.mirrors)
        if legacy_key(family, key) is not None and key not in known_keys(family):
            continue  # HA703
        if is_known_key(family, key):
            continue
        suggestion = _suggest(family, key)
        if suggestion is not None and suggestion.lower() == key.lower():
            yield Finding(
                f"{key} differs from the Liferay {family} portal property {suggestion} only in letter case; "
                "property keys are case-sensitive, so Liferay ignores it",
                label_at(node, entry.origin, "unknown key"),
                help=f"write {suggestion}",
                subject=key,
            )
            continue
        where = f"Liferay {family}'s portal.properties" + (" (7.4's, the closest saved)" if approximated else "")
        message = (
            f"{key} is not a Liferay {family} portal property (neither in {where} nor in a family of keys "
            "Liferay builds at run time), so Liferay ignores it unless a custom plugin reads it"
        )
        help_text = "remove it, or correct the key"
        if suggestion is not None:
            default = liferay_default(family, suggestion)
            shown = f" (Liferay default {default!r})" if default not in (None, "") else ""
            message += f"; did you mean {suggestion}{shown}?"
            help_text = f"did you mean {suggestion}?"
        yield Finding(
            message,
            label_at(node, entry.origin, "unknown key"),
            help=help_text,
            subject=key,
        )
