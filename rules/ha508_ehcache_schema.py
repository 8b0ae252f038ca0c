"""HA508 ehcache-schema: a cache file Ehcache 2 does not understand as written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from linter.ruleapi import WARNING, Context, Finding, Label, Node, Reference, rule
from linter.ruleapi.ehcache import BOOLEAN_PROPERTIES, KNOWN_PROPERTIES, ROOT_ORDER, SCHEMA, EhcacheConfig, Factory
from linter.ruleapi.text import nearest


def _files(node: Node) -> list[tuple[Reference, EhcacheConfig]]:
    seen: set[str] = set()
    out = []
    for ref in node.references:
        if ref.kind != "file" or ref.ehcache is None or ref.origin.file in seen:
            continue
        seen.add(ref.origin.file)
        out.append((ref, ref.ehcache))
    return out


def _name(ref: Reference) -> str:
    return ref.origin.file.replace("\\", "/").rsplit("/", 1)[-1]


def _at(node: Node, ref: Reference, line: int | None, column: int | None, text: str) -> Label:
    return Label(node=node.name, file=ref.origin.file, line=line or 1, column=column or 1, text=text)


def _suggest(name: str, known: frozenset[str] | tuple[str, ...]) -> str:
    """The closest known name within a couple of typos (or a different letter case)."""
    close = nearest(name, (k for k in known if k != "*"), max(1, min(3, len(name) // 6)), ignore_case=True)
    if close is not None and name:
        return f" (did you mean {close}?)"
    lower = name.lower()
    truncated = sorted(k for k in known if len(name) >= 6 and k.lower().startswith(lower))
    return f" (did you mean {truncated[0]}?)" if truncated else ""


def _structure(node: Node, ref: Reference, root: Any) -> Iterator[Finding]:
    where = _name(ref)
    stack = [root]
    while stack:
        element = stack.pop()
        attributes, children = SCHEMA.get(element.tag, (frozenset(), ()))
        if children == ("*",):
            continue
        for attribute in element.attributes:
            if ":" in attribute.name or attribute.name in attributes:
                continue
            yield Finding(
                f"<{element.tag} {attribute.name}=...> in {where} on {node.name}: {attribute.name} is not an "
                f"attribute of {element.tag} in Ehcache 2's ehcache.xsd{_suggest(attribute.name, attributes)}; "
                "Ehcache either rejects the file or ignores the setting",
                _at(node, ref, attribute.line, attribute.column, "unknown attribute"),
                help=f"remove {attribute.name} or correct its name",
                subject=f"{ref.key}:{element.tag}@{attribute.name}",
            )
        highest = -1
        for child in element.children:
            if child.namespace is not None or child.tag not in children:
                yield Finding(
                    f"<{child.tag}> in {where} on {node.name} is not allowed inside <{element.tag}> by Ehcache 2's "
                    f"ehcache.xsd{_suggest(child.tag, children)}; Ehcache either rejects the file or ignores it",
                    _at(node, ref, child.start_line, child.column, "unknown element"),
                    help=f"remove <{child.tag}> or correct its name",
                    subject=f"{ref.key}:{element.tag}/{child.tag}",
                )
                continue
            if element.tag == "ehcache":
                position = ROOT_ORDER.index(child.tag)
                if position < highest:
                    yield Finding(
                        f"<{child.tag}> in {where} on {node.name} comes after <{ROOT_ORDER[highest]}>, but "
                        f"ehcache.xsd requires the order {', '.join(ROOT_ORDER)}; Ehcache's own parser accepts it, "
                        "a validating parser or editor rejects the file",
                        _at(node, ref, child.start_line, child.column, "out of order"),
                        help=f"move <{child.tag}> before <{ROOT_ORDER[highest]}>",
                        subject=f"{ref.key}:order/{child.tag}",
                    )
                highest = max(highest, position)
            stack.append(child)


def _factories(config: EhcacheConfig) -> Iterator[Factory]:
    yield from config.peer_providers
    yield from config.peer_listeners
    for cache in config.all_caches():
        yield from cache.event_listeners
        if cache.bootstrap is not None:
            yield cache.bootstrap


def _properties(node: Node, ref: Reference, config: EhcacheConfig) -> Iterator[Finding]:
    where = _name(ref)
    for factory in _factories(config):
        known = KNOWN_PROPERTIES.get(factory.class_name or "")
        if known is None or factory.properties_text is None:
            continue
        short = (factory.class_name or "").rsplit(".", 1)[-1]
        at = _at(node, ref, factory.properties_line, factory.properties_column, "properties")
        for prop in factory.properties:
            value = factory.get(prop.key) or ""
            if prop.key not in known:
                glued = "=" in value or ";" in prop.key
                why = (
                    f"; it looks like several properties joined by a character other than the propertySeparator "
                    f"{factory.property_separator!r}"
                    if glued
                    else _suggest(prop.key, known)
                )
                yield Finding(
                    f"{short} in {where} on {node.name} has the property {prop.key!r}, which it does not read{why}; "
                    f"it understands {', '.join(sorted(known))}",
                    at,
                    help=f"separate properties with {factory.property_separator!r} and use the names {short} reads",
                    subject=f"{ref.key}:{factory.line}:{prop.key}",
                )
            elif prop.key in BOOLEAN_PROPERTIES and value.lower() not in ("true", "false"):
                glued = "=" in value or "," in value or ";" in value
                why = (
                    f"; it looks like several properties joined by a character other than the propertySeparator "
                    f"{factory.property_separator!r}"
                    if glued
                    else ""
                )
                yield Finding(
                    f"{short} in {where} on {node.name} sets {prop.key}={value!r}: Ehcache reads anything but "
                    f"'true' (any case) as false{why}",
                    at,
                    help=f"write {prop.key}=true or {prop.key}=false",
                    subject=f"{ref.key}:{factory.line}:{prop.key}",
                )


@rule(
    id="HA508",
    name="ehcache-schema",
    severity=WARNING,
    scope="node",
    versions="all",
    tags=("ehcache", "cache", "syntax"),
    summary="A cache file has elements or attributes Ehcache 2 does not know, factory properties its factory does "
    "not read, or is an Ehcache 3 file.",
    rationale=(
        "Liferay 6.x and 7.x load Ehcache 2 (net.sf.ehcache) configuration files. An element or attribute outside "
        "Ehcache 2's ehcache.xsd is a typo or belongs to another Ehcache version: Ehcache either stops on it or "
        "drops the setting, and a cache sized or replicated by a misspelled attribute behaves differently from "
        "what the file says. Factory properties are a mini-syntax (split on propertySeparator, ',' by default, "
        "then read as java.util.Properties): a property the factory does not know is ignored, properties glued "
        "with another separator become one bogus value, and Ehcache reads any replicator flag other than 'true' "
        'as false. An Ehcache 3 file (<config xmlns="http://www.ehcache.org/v3">) cannot be read by Liferay at all. '
        "Malformed XML and unusable propertySeparator regular expressions are reported as HA002."
    ),
    fix="Start from Liferay's own cache file of the version and keep to Ehcache 2's ehcache.xsd; write factory "
    "properties as name=value pairs separated by the propertySeparator (',').",
    # facts: ehcache-jgroups-facts.md A.1
    sources=(
        (
            "Ehcache 2.8 documentation, 'Cache Configuration' (ehcache.xml and ehcache.xsd): https://www.ehcache.org/"
            "documentation/2.8/configuration/configuration.html"
        ),
        "Ehcache 2 schema, ehcache.xsd: https://www.ehcache.org/ehcache.xsd",
        (
            "Ehcache 2.8 documentation, 'RMI Replicated Caching' (factory properties): https://www.ehcache.org/"
            "documentation/2.8/replication/rmi-replicated-caching.html"
        ),
        (
            "Ehcache 3 documentation, 'XML Configuration' (Ehcache 3 files use another namespace; Liferay ships "
            "Ehcache 2 files): https://www.ehcache.org/documentation/3.10/xml.html"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    for ref, config in _files(node):
        if config.is_ehcache3:
            line = config.root.start_line if config.root is not None else 1
            yield Finding(
                f"{_name(ref)} ({ref.key} on {node.name}) is an Ehcache 3 "
                f'configuration (<config xmlns="http://www.ehcache.org/v3">); Liferay {ctx.version} uses Ehcache 2 '
                "(net.sf.ehcache) and cannot read it",
                _at(node, ref, line, config.root.column if config.root is not None else 1, "Ehcache 3 file"),
                help="use an Ehcache 2 file (root <ehcache>), starting from Liferay's own cache file",
                subject=f"{ref.key}:ehcache3",
            )
            continue
        if config.root is not None and config.root.tag == "ehcache" and config.root.namespace is None:
            yield from _structure(node, ref, config.root)
        yield from _properties(node, ref, config)
