"""HA605 env-var-undecodable: a LIFERAY_* variable decodes to an unknown key or keeps a literal token."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.ruleapi import INFO, WARNING, Context, Finding, Node, Origin, OriginKind, label_at, rule
from linter.ruleapi.keys import (
    IMAGE_VARIABLES,
    NOT_PROPERTY_PREFIXES,
    RENAMED_IMAGE_VARIABLES,
    known_keys,
    legacy_key,
    property_key,
)
from linter.ruleapi.text import LazyPattern, nearest

PREFIX = "LIFERAY_"
# CharPool names (petra-string CharPool; facts §1.3) for the encoder, preferred spelling first.
_ENCODE = {
    ".": "PERIOD",
    "-": "MINUS",
    "[": "OPENBRACKET",
    "]": "CLOSEBRACKET",
    '"': "QUOTE",
    "_": "UNDERLINE",
    ":": "COLON",
    "/": "FORWARDSLASH",
    "$": "DOLLAR",
    "{": "OPENCURLYBRACE",
    "}": "CLOSECURLYBRACE",
    ",": "COMMA",
    "=": "EQUAL",
    " ": "SPACE",
    "*": "STAR",
    "#": "POUND",
    "@": "AT",
    "+": "PLUS",
    "'": "APOSTROPHE",
    "(": "OPENPARENTHESIS",
    ")": "CLOSEPARENTHESIS",
    "%": "PERCENT",
    "&": "AMPERSAND",
    "!": "EXCLAMATION",
    "?": "QUESTION",
    "~": "TILDE",
    "|": "PIPE",
    ";": "SEMICOLON",
    "\\": "BACKSLASH",
    "^": "CARET",
    "<": "LESSTHAN",
    ">": "GREATERTHAN",
}
# CharPool names that, outside a pair of underscores, are certainly a forgotten underscore.
_STRAY_NAME = LazyPattern(
    r"(period|minus|openbracket|closebracket|quote|underline|colon|forwardslash|number\d|uppercase[a-z]|lowercase[a-z])"
)
_DYNAMIC = LazyPattern(
    r"jdbc\.[^.\s]+\..+|multicast\.group\.(address|port)\[.+\]|configuration\.override\..+|value\.object\..+"
    r"|ehcache\.replicator\.properties\..+|com\.liferay\.[\w.$]*Filter(\..+)?|hibernate\..+"
    r"|module\.framework\.properties\..+|feature\.flag\..+|(memory|persisted)\.scheduler\.org\.quartz\..+"
    r"|mail\.session\.mail\..+|jndi\.environment\..+|ldap\.[\w.]+\.\d+|auth\.verifier\.[A-Za-z]+\..+"
)
_BRACKET = LazyPattern(r"^(?P<base>[^\[]+)\[.*\]$")
_DEDICATED_7X = LazyPattern(r"dl\.store\.(advanced\.)?file\.system\.root\.dir|lucene\..+|index\.read\.only")
_INDEXED = LazyPattern(r"^(?P<base>.+)\.\d+$")


def encode(key: str) -> str:
    """A LIFERAY_* name that EnvPropertiesUtil decodes to ``key``, in the style of the '# Env:' comments
    of Liferay's portal.properties."""
    out: list[str] = []
    for ch in key:
        if "a" <= ch <= "z":
            out.append(ch.upper())
        elif "0" <= ch <= "9":
            out.append(f"_NUMBER{ch}_")  # as Liferay's own '# Env:' comments write digits
        elif "A" <= ch <= "Z":
            out.append(f"_UPPERCASE{ch}_")
        elif ch in _ENCODE:
            out.append(f"_{_ENCODE[ch]}_")
        else:
            out.append(f"_{ord(ch)}_")
    return PREFIX + "".join(out)


def _plain_segments(name: str) -> list[str]:
    """The text EnvPropertiesUtil keeps as is: everything outside the pairs of underscores."""
    s = name[len(PREFIX) :].lower()
    parts = s.split("_")
    # parts[0], parts[2], parts[4]... are outside pairs; an odd count of underscores leaves the
    # last part (with its opening underscore) outside as well.
    plain = parts[0::2]
    if len(parts) % 2 == 0:
        plain.append(parts[-1])
    return [p for p in plain if p]


_POOL: dict[str, tuple[frozenset[str], dict[str, str]]] = {}


def _pool(family: str) -> tuple[frozenset[str], dict[str, str]]:
    if family not in _POOL:
        keys = frozenset(k for k in known_keys(family) if k)
        lower: dict[str, str] = {}
        for k in sorted(keys):
            lower.setdefault(k.lower(), k)
        _POOL[family] = (keys, lower)
    return _POOL[family]


def _known(family: str, key: str) -> bool:
    keys, lower = _pool(family)
    if key in keys:
        return True
    if lower.get(key.lower(), key) != key:
        return False
    if _DYNAMIC.fullmatch(key):
        return True
    m = _BRACKET.match(key)
    if m and (m.group("base") in keys or any(k.startswith(m.group("base") + "[") for k in keys)):
        return True
    m = _INDEXED.match(key)
    return bool(m and any(f"{m.group('base')}.{n}" in keys for n in range(3)))


def _near(family: str, key: str) -> str | None:
    """A known key the decoded one is a near miss of (case, a stray CharPool name, a small edit)."""
    keys, lower = _pool(family)
    if key.lower() in lower and lower[key.lower()] != key:
        return lower[key.lower()]
    repaired = re.sub(r"number(\d)", r"\1", key)
    if repaired != key and (repaired in keys or _known(family, repaired)):
        return repaired
    return nearest(key, keys, 2)


@rule(
    id="HA605",
    name="env-var-undecodable",
    severity=WARNING,
    scope="node",
    versions=">=7.0",
    tags=("properties", "docker"),
    summary="A LIFERAY_* environment variable decodes to a key Liferay does not know, or keeps an undecoded token.",
    rationale=(
        "Liferay turns LIFERAY_* environment variables into portal properties with EnvPropertiesUtil: the "
        "name is lower-cased and every _TOKEN_ between a pair of underscores is replaced by the CharPool "
        "character of that name (_PERIOD_ '.', _MINUS_ '-', _UPPERCASEC_ 'C', _NUMBER0_ '0') or by a decimal "
        "code point (_46_); a token it cannot decode is kept literally with its underscores, and text outside "
        "a pair is kept as is. A forgotten underscore therefore shifts every later pair: liferay-learn's "
        "cluster example LIFERAY_..._TRANSPORT_PERIOD_NUMBER0 decodes to ...transport.number0, a key nobody "
        "reads. Reported: literal tokens, CharPool names left outside a pair, keys that differ from a "
        "Liferay key only in letter case (upper-case letters must be encoded), near misses of a known key, "
        "obsolete keys, and include-and-override (ignored from the environment). The image's own variables "
        "(LIFERAY_JVM_OPTS, LIFERAY_CONTAINER_*, LIFERAY_DOCKER_*, ...) and LIFERAY_PROPS / "
        "LIFERAY_PROPS_BY_COMPANY_<id> are not single properties and are skipped. One image variable was "
        "renamed: LIFERAY_DISABLE_TRIAL_LICENSE is LIFERAY_CONTAINER_DISABLE_TRIAL_LICENSE in images built after "
        "2026-07-10, which ignore the old name and keep the trial license; on nodes of 2026.Q3 or later (released "
        "after the rename) the old name alone is reported as info. Which tags of earlier "
        "releases were built after that date is not settled (docker inspect's org.label-schema.build-date tells), "
        "so on earlier or unknown releases nothing changes."
    ),
    fix="Encode the key exactly (the message gives a name that decodes to the nearest known key).",
    # facts: liferay-ha-facts.md §1.3; liferay-releases-2024-2026.md §5, M19
    sources=(
        (
            "Liferay source (7.4 line), EnvPropertiesUtil.java (how LIFERAY_* variables are decoded): https://"
            "github.com/liferay/liferay-portal/blob/master/portal-kernel/src/com/liferay/portal/kernel/util/"
            "EnvPropertiesUtil.java"
        ),
        (
            "Liferay Learn, 'Configuring Containers': https://learn.liferay.com/w/dxp/installation-and-upgrades/"
            "installing-liferay/using-liferay-docker-images/configuring-containers"
        ),
        (
            "Liferay Cloud, 'Liferay Service Environment Variables': https://learn.liferay.com/liferay-cloud/latest/"
            "en/using-the-liferay-dxp-service/liferay-service-environment-variables.html"
        ),
        (
            "Liferay 7.4 portal.properties (the '# Env:' name of each property): https://github.com/liferay/"
            "liferay-portal/blob/7.4.3.112-ga112/portal-impl/src/portal.properties"
        ),
        (
            "Liferay Docker image, configure_liferay.sh (LIFERAY_DISABLE_TRIAL_LICENSE renamed "
            "LIFERAY_CONTAINER_DISABLE_TRIAL_LICENSE in 2026): https://github.com/liferay/liferay-docker/blob/"
            "85fd2b6d/templates/bundle/resources/usr/local/bin/configure_liferay.sh"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    family = ctx.version
    names = {var.name for var in node.env}
    for var in node.env:
        name = var.name
        if name in RENAMED_IMAGE_VARIABLES:
            yield from _renamed(node, ctx, var.name, var.origin, names)
        if not name.startswith(PREFIX) or name in IMAGE_VARIABLES or name.startswith(NOT_PROPERTY_PREFIXES):
            continue
        origin = var.origin if var.origin.kind is OriginKind.ENV else var.origin._replace(kind=OriginKind.ENV)
        at = label_at(node, origin, "decodes badly")
        decoded = property_key(name)
        if decoded is None:
            yield Finding(
                f"{name} sets include-and-override, which Liferay ignores when it comes from an environment variable",
                at,
                help="name the file in portal-ext.properties instead",
                subject=name,
            )
            continue
        key = decoded.key
        if decoded.literal_tokens:
            tokens = ", ".join(f"_{t.upper()}_" for t in decoded.literal_tokens)
            near = _near(family, key.replace("_", ""))
            hint = f"; to set {near} use {encode(near)}" if near else ""
            yield Finding(
                f"{name} keeps {tokens} literally (not a CharPool name nor a code point), so it decodes to "
                f"{key!r}{hint}",
                at,
                help=f"use {encode(near)}" if near else "encode every special character as _NAME_",
                subject=name,
            )
            continue
        if _known(family, key):
            continue
        row = legacy_key(family, key)
        if row is not None and _DEDICATED_7X.fullmatch(key):
            continue  # HA305 (store root) and HA403 (Lucene keys) report these on 7.x
        if row is not None and key not in known_keys(family):
            continue  # decodes fine to a key Liferay retired: HA703 (obsolete-key) reports it
        stray = [p for p in _plain_segments(name) if _STRAY_NAME.fullmatch(p)]
        near = _near(family, key)
        if not stray and near is None:
            continue  # unknown, but not recognisably a mis-encoded Liferay key (see the rule's note)
        if stray:
            why = f"{', '.join(s.upper() for s in stray)} is outside a pair of underscores and stays literal text"
        elif near is not None and near.lower() == key.lower():
            why = "upper-case letters must be encoded (_UPPERCASEX_), because the name is lower-cased first"
        else:
            why = "Liferay has no such property"
        hint = f"; to set {near} use {encode(near)}" if near else ""
        yield Finding(
            f"{name} decodes to {key}, which is not a Liferay {family} portal property: {why}{hint}",
            at,
            help=f"use {encode(near)}" if near else "encode the key exactly",
            subject=name,
        )


def _renamed(node: Node, ctx: Context, name: str, origin: Origin, names: set[str]) -> Iterator[Finding]:
    """An image variable the official images renamed, set without its new name on a release whose
    images are built after the rename (2026.Q3 on; for earlier tags the build date is not known here)."""
    new, since = RENAMED_IMAGE_VARIABLES[name]
    if new in names or ctx.release is None or not ctx.release.at_least(2026, 3):
        return
    origin = origin if origin.kind is OriginKind.ENV else origin._replace(kind=OriginKind.ENV)
    yield Finding(
        f"{name} was renamed {new} in the official images: images built after {since}, {ctx.release.name}'s "
        "among them, ignore the old name, so the setting has no effect",
        label_at(node, origin, "old variable name"),
        help=f"set {new} as well (or instead, on images built after {since})",
        subject=name,
        severity=INFO,
    )
