"""Ehcache 2.x XML as Liferay ships and uses it (facts: ehcache-jgroups-facts.md, Part A).

The model keeps what HA rules look at: the CacheManager ``name`` (the JGroups cluster name
when JGroups replication is used [S-EH-XML]), the peer provider and listener factories, and per
cache its attributes, replicator (``cacheEventListenerFactory``) and bootstrap loader. Factory
``properties`` strings are split exactly as Ehcache's ``PropertyUtil.parseProperties`` does
[S-EH-PU]. ``${...}`` tokens are kept as written; the resolver substitutes them later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from linter.origin import Origin, Problem, ProblemKind
from linter.sources.files import DEFAULT_LIMITS, Limits, read_bytes
from linter.sources.properties import Dialect, parse_properties

if TYPE_CHECKING:  # lxml is imported only when an XML file is actually parsed
    from linter.sources.xml_safe import XmlAttribute, XmlDocument, XmlElement

EHCACHE3_NAMESPACE = "http://www.ehcache.org/v3"  # [S-EH3-XSD]
DEFAULT_PROPERTY_SEPARATOR = ","  # PropertyUtil.DEFAULT_PROPERTY_SEPARATOR [S-EH-PU]

# Liferay 6.x factories whose ``portalPropertyKey`` names a portal property [S-DL-LCMPPF],
# [S-DL-RMIPPF] (the second is the deprecated alias of the first).
LIFERAY_PEER_PROVIDER_FACTORIES = frozenset(
    {
        "com.liferay.portal.cache.ehcache.LiferayCacheManagerPeerProviderFactory",
        "com.liferay.portal.cache.ehcache.RMICacheManagerPeerProviderFactory",
    }
)


class FactoryProperty(NamedTuple):
    key: str
    value: str  # as java.util.Properties.load left it (leading blanks gone, trailing kept)


class Factory(NamedTuple):
    """A ``*Factory`` element: ``class``, ``properties`` and ``propertySeparator`` [S-XSD].

    ``class_name`` is ``None`` when the attribute is missing (Ehcache then silently configures
    nothing). ``property_separator`` is the effective separator (``","`` when absent).
    ``line``/``column`` locate the element's ``<``, ``properties_line``/``properties_column``
    the ``properties`` attribute (``None`` when absent).
    """

    class_name: str | None
    properties: tuple[FactoryProperty, ...]
    property_separator: str
    line: int
    properties_line: int | None
    column: int = 1
    properties_column: int | None = None
    kind: str = ""  # the element name, e.g. "cacheEventListenerFactory"
    properties_text: str | None = None  # the ``properties`` attribute as written
    element: XmlElement | None = None

    def get(self, key: str) -> str | None:
        """The trimmed value, as ``PropertyUtil.extractAndLogProperty`` returns it [S-EH-PU]."""
        found: str | None = None
        for prop in self.properties:
            if prop.key == key:
                found = prop.value
        return _java_trim(found) if found is not None else None

    def as_dict(self) -> dict[str, str]:
        return {prop.key: prop.value for prop in self.properties}


class Cache(NamedTuple):
    """A ``cache`` or the ``defaultCache`` (``name`` ``None``) with what replicates it."""

    name: str | None
    line: int
    attributes: Mapping[str, str]
    event_listeners: tuple[Factory, ...]
    bootstrap: Factory | None
    column: int = 1
    element: XmlElement | None = None

    @property
    def is_default(self) -> bool:
        return self.element is not None and self.element.tag == "defaultCache"


class EhcacheConfig(NamedTuple):
    display: str
    name: str | None
    is_ehcache3: bool
    peer_providers: tuple[Factory, ...]
    peer_listeners: tuple[Factory, ...]
    default_cache: Cache | None
    caches: tuple[Cache, ...]
    problems: tuple[Problem, ...] = ()
    root: XmlElement | None = None

    def cache(self, name: str) -> Cache | None:
        for cache in self.caches:
            if cache.name == name:
                return cache
        return None

    def all_caches(self) -> tuple[Cache, ...]:
        """``defaultCache`` (when present) followed by every named cache."""
        return ((self.default_cache,) if self.default_cache is not None else ()) + self.caches


# ----------------------------------------------------------------------------- properties


def _java_trim(s: str) -> str:
    """``String.trim``: strips every char <= U+0020."""
    start, end = 0, len(s)
    while start < end and s[start] <= " ":
        start += 1
    while end > start and s[end - 1] <= " ":
        end -= 1
    return s[start:end]


_JAVA_LINE_END = r"(?:\r\n|[\n\r\u0085\u2028\u2029])"
_JAVA_DOT = "[^\n\r\u0085\u2028\u2029]"
_SIMPLE_ESCAPES = set("dDsSwWbBntrfaA0123456789")
_CLASS_ESCAPES = {
    "h": "[ \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]",
    "H": "[^ \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]",
    "v": "[\\n\\x0b\\f\\r\\x85\\u2028\\u2029]",
    "V": "[^\\n\\x0b\\f\\r\\x85\\u2028\\u2029]",
}


class JavaRegexError(ValueError):
    """The pattern is not a valid Java regex (Java itself would reject it)."""


class UnsupportedJavaRegex(JavaRegexError):
    """A valid Java regex using a feature this translation does not cover."""


def _escape_in_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the escape at ``pattern[i] == '\\\\'`` inside a character class."""
    if i + 1 >= len(pattern):
        raise JavaRegexError("trailing backslash")
    c = pattern[i + 1]
    if c in "pPQEhHvVRXkN":
        raise UnsupportedJavaRegex(f"unsupported escape \\{c} in a character class")
    if c == "e":
        return "\\x1b", i + 2
    return pattern[i : i + 2], i + 2


def java_regex_to_python(pattern: str) -> str:
    """Translate a Java ``java.util.regex`` pattern into an equivalent Python ``re`` pattern.

    Covers what a ``propertySeparator`` plausibly holds: literals, escapes, classes,
    quantifiers (possessive ones too: Python 3.11), groups incl. ``(?<name>...)``, ``\\Q...\\E``,
    and Java's meanings of ``.``, ``$``, ``\\z``, ``\\Z``, ``\\h``, ``\\v``, ``\\R``, ``\\e``. Nested
    classes / intersections, ``\\p{...}`` and inline flags are refused with :class:`JavaRegexError`.
    Compile the result with ``re.ASCII`` (Java's ``\\s``, ``\\d``, ``\\w`` are ASCII-only).
    """
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise JavaRegexError("trailing backslash")
            e = pattern[i + 1]
            if e == "Q":
                end = pattern.find("\\E", i + 2)
                literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
                out.append(re.escape(literal))
                i = n if end < 0 else end + 2
                continue
            if e == "z":
                out.append(r"\Z")
            elif e == "Z":
                out.append(rf"(?={_JAVA_LINE_END}?\Z)")
            elif e == "R":
                out.append(r"(?:\r\n|[\n\x0b\f\r\x85\u2028\u2029])")
            elif e == "e":
                out.append(r"\x1b")
            elif e in _CLASS_ESCAPES:
                out.append(_CLASS_ESCAPES[e])
            elif e in "xuc" or e in _SIMPLE_ESCAPES or not e.isalpha():
                if e == "x" and pattern.startswith("{", i + 2):
                    raise UnsupportedJavaRegex("unsupported escape \\x{...}")
                if e == "c":
                    if i + 2 >= n:
                        raise JavaRegexError("illegal control escape")
                    out.append(re.escape(chr(ord(pattern[i + 2]) ^ 64)))
                    i += 3
                    continue
                out.append(pattern[i : i + 2])
            elif e in "pPkNXG":
                raise UnsupportedJavaRegex(f"unsupported escape \\{e}")
            else:
                raise JavaRegexError(f"illegal escape \\{e}")
            i += 2
        elif c == "[":
            j = i + 1
            piece = ["["]
            if j < n and pattern[j] == "^":
                piece.append("^")
                j += 1
            if j < n and pattern[j] == "]":
                piece.append("\\]")
                j += 1
            while j < n and pattern[j] != "]":
                if pattern[j] == "[" or pattern.startswith("&&", j):
                    raise UnsupportedJavaRegex("nested character classes / intersections are not supported")
                if pattern[j] == "\\":
                    text, j = _escape_in_class(pattern, j)
                    piece.append(text)
                    continue
                piece.append(pattern[j])
                j += 1
            if j >= n:
                raise JavaRegexError("unclosed character class")
            piece.append("]")
            out.append("".join(piece))
            i = j + 1
        elif c == "(" and pattern.startswith("(?", i):
            rest = pattern[i + 2 : i + 3]
            if rest == "<" and i + 3 < n and pattern[i + 3].isalpha():
                out.append("(?P<")
                i += 3
            elif rest in (":", "=", "!", ">") or pattern.startswith("(?<=", i) or pattern.startswith("(?<!", i):
                out.append(pattern[i : i + 3])
                i += 3
            else:
                raise UnsupportedJavaRegex("inline flags are not supported")
        elif c == ".":
            out.append(_JAVA_DOT)
            i += 1
        elif c == "$":
            out.append(rf"(?={_JAVA_LINE_END}?\Z)")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def compile_java_regex(pattern: str) -> re.Pattern[str]:
    """``Pattern.compile`` equivalent; raises :class:`JavaRegexError` when it cannot be used."""
    translated = java_regex_to_python(pattern)
    try:
        return re.compile(translated, re.ASCII)
    except re.error as exc:
        raise JavaRegexError(str(exc)) from exc


class ParsedProperties(NamedTuple):
    properties: tuple[FactoryProperty, ...]
    problems: tuple[str, ...] = ()  # messages; the caller positions them


def parse_factory_properties(text: str, separator: str | None = None) -> ParsedProperties:
    """``PropertyUtil.parseProperties(text, separator)`` of Ehcache 2.x [S-EH-PU].

    Trim (``String.trim``), ``replaceAll(separator, "\\n")`` with ``separator`` a Java regex
    (default ``","``), then ``java.util.Properties.load``. A separator Java would reject (its
    ``PatternSyntaxException`` aborts the configuration) or that we cannot translate is
    reported and the text is loaded unsplit. Note: Ehcache 1.x used a literal
    ``String.replace`` here; every 2.x source read uses ``replaceAll``.
    """
    sep = DEFAULT_PROPERTY_SEPARATOR if separator is None else separator
    lines = _java_trim(text)
    problems: list[str] = []
    try:
        regex = compile_java_regex(sep)
    except UnsupportedJavaRegex as exc:
        problems.append(
            f"propertySeparator {sep!r} uses a Java regular expression feature the linter cannot "
            f"evaluate ({exc}); the properties are read unsplit"
        )
    except JavaRegexError as exc:
        problems.append(
            f"propertySeparator {sep!r} is not a usable Java regular expression ({exc}); "
            "Ehcache would fail on it, the properties are read unsplit"
        )
    else:
        lines = regex.sub(lambda _m: "\n", lines)
    loaded = parse_properties(lines, "<properties>", dialect=Dialect.JAVA)
    problems.extend(p.message for p in loaded.problems)
    values = loaded.values()
    return ParsedProperties(tuple(FactoryProperty(k, v) for k, v in values.items()), tuple(problems))


def portal_property_key(factory: Factory) -> str | None:
    """For Liferay 6.x's ``LiferayCacheManagerPeerProviderFactory`` (``properties=
    "portalPropertyKey=..."``): the portal property whose value holds the real peer provider
    properties [S-DL-LCMPPF], [S-DL-MVC]. Read untrimmed with ``Properties.getProperty`` as
    Liferay does; ``None`` when missing, blank or ``null`` (Liferay's ``Validator.isNull``, on
    which it throws at start-up). Only meaningful for :data:`LIFERAY_PEER_PROVIDER_FACTORIES`.
    """
    value: str | None = None
    for prop in factory.properties:
        if prop.key == "portalPropertyKey":
            value = prop.value
    if value is None or value.strip(" ") in ("", "null"):
        return None
    return value


# ----------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Reader:
    display: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, kind: ProblemKind, message: str, line: int | None, column: int | None = None) -> None:
        self.problems.append(Problem(kind, message, Origin(file=self.display, line=line, column=column)))

    def factory(self, element: XmlElement) -> Factory:
        props_attr: XmlAttribute | None = element.attr("properties")
        separator = element.get("propertySeparator")
        properties: tuple[FactoryProperty, ...] = ()
        if props_attr is not None:
            parsed = parse_factory_properties(props_attr.value, separator)
            properties = parsed.properties
            sep_attr = element.attr("propertySeparator") or props_attr
            for message in parsed.problems:
                self.problem(ProblemKind.MALFORMED, f"<{element.tag}>: {message}", sep_attr.line, sep_attr.column)
        return Factory(
            class_name=element.get("class"),
            properties=properties,
            property_separator=DEFAULT_PROPERTY_SEPARATOR if separator is None else separator,
            line=element.start_line,
            properties_line=props_attr.line if props_attr is not None else None,
            column=element.column,
            properties_column=props_attr.column if props_attr is not None else None,
            kind=element.tag,
            properties_text=props_attr.value if props_attr is not None else None,
            element=element,
        )

    def cache(self, element: XmlElement) -> Cache:
        name = element.get("name")
        if element.tag == "cache" and name is None:
            self.problem(
                ProblemKind.MALFORMED,
                "<cache> without the required name attribute [ehcache.xsd]",
                element.start_line,
                element.column,
            )
        bootstraps = [self.factory(c) for c in element.children_named("bootstrapCacheLoaderFactory")]
        if len(bootstraps) > 1:
            extra = bootstraps[1]
            self.problem(
                ProblemKind.MALFORMED,
                f"cache {name or 'defaultCache'} has more than one bootstrapCacheLoaderFactory",
                extra.line,
                extra.column,
            )
        return Cache(
            name=name if element.tag == "cache" else None,
            line=element.start_line,
            attributes=MappingProxyType({a.name: a.value for a in element.attributes}),
            event_listeners=tuple(self.factory(c) for c in element.children_named("cacheEventListenerFactory")),
            bootstrap=bootstraps[0] if bootstraps else None,
            column=element.column,
            element=element,
        )


def read_ehcache(doc: XmlDocument) -> EhcacheConfig:
    """Build the Ehcache model of a parsed document (problems inside, never raises)."""
    root = doc.root
    reader = _Reader(doc.display)
    reader.problems.extend(doc.problems)
    if root.tag == "config" and root.namespace == EHCACHE3_NAMESPACE:
        return EhcacheConfig(doc.display, None, True, (), (), None, (), tuple(reader.problems), root)
    if root.tag != "ehcache" or root.namespace is not None:
        where = f"{{{root.namespace}}}{root.tag}" if root.namespace else root.tag
        reader.problem(
            ProblemKind.MALFORMED,
            f"not an Ehcache 2.x configuration: the root element is <{where}>, expected <ehcache> without namespace",
            root.start_line,
            root.column,
        )
        return EhcacheConfig(doc.display, None, False, (), (), None, (), tuple(reader.problems), root)
    defaults = root.children_named("defaultCache")
    for extra in defaults[1:]:
        reader.problem(ProblemKind.MALFORMED, "more than one <defaultCache>", extra.start_line, extra.column)
    return EhcacheConfig(
        display=doc.display,
        name=root.get("name"),
        is_ehcache3=False,
        peer_providers=tuple(reader.factory(e) for e in root.children_named("cacheManagerPeerProviderFactory")),
        peer_listeners=tuple(reader.factory(e) for e in root.children_named("cacheManagerPeerListenerFactory")),
        default_cache=reader.cache(defaults[0]) if defaults else None,
        caches=tuple(reader.cache(e) for e in root.children_named("cache")),
        problems=tuple(reader.problems),
        root=root,
    )


def load_ehcache(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> EhcacheConfig:
    """Read, parse and model an Ehcache file; an unusable file gives an empty model with its problem."""
    data = read_bytes(path, display, limits)
    from linter.sources.xml_safe import parse_xml

    doc = parse_xml(data, display, limits) if not isinstance(data, Problem) else data
    if isinstance(doc, Problem):
        return EhcacheConfig(display, None, False, (), (), None, (), (doc,))
    return read_ehcache(doc)


__all__ = [
    "DEFAULT_PROPERTY_SEPARATOR",
    "EHCACHE3_NAMESPACE",
    "LIFERAY_PEER_PROVIDER_FACTORIES",
    "Cache",
    "EhcacheConfig",
    "Factory",
    "FactoryProperty",
    "JavaRegexError",
    "ParsedProperties",
    "UnsupportedJavaRegex",
    "compile_java_regex",
    "java_regex_to_python",
    "load_ehcache",
    "parse_factory_properties",
    "portal_property_key",
    "read_ehcache",
]
