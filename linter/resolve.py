"""Effective portal properties of a node, with provenance.

Layers, lowest precedence first (facts §1.1, §1.3, §1.5):
version defaults -> include-and-override chain (portal-bundle -> portal-ext -> portal-setup-wizard,
each file followed by the files it includes) -> ``LIFERAY_*`` environment overrides (7.x).
A JVM ``-Dkey=value`` system property is only a fallback for keys no layer defines
(``ClassLoaderAggregateProperties.getProperty``). ``${...}`` references are then substituted
from the effective properties and the JVM system properties; cycles are reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

from linter.liferay.defaults import Default
from linter.model import Confidence, Origin, OriginKind, Problem, Setting

_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
# Keys the portal computes at start-up; references to them stay as written.
COMPUTED = frozenset({"default.liferay.home", "easyconf:companyId"})
# System properties every app server or JVM defines; their values are not known statically.
RUNTIME_PROPERTIES = frozenset(
    {
        "catalina.base",
        "catalina.home",
        "jboss.home.dir",
        "jboss.server.base.dir",
        "jboss.server.data.dir",
        "com.sun.aas.instanceRoot",
        "user.home",
        "user.dir",
        "user.name",
        "java.io.tmpdir",
        "java.home",
        "file.separator",
        "line.separator",
        "path.separator",
        "os.name",
        "weblogic.home",
        "server.root",
        "external-properties",
    }
)


# ${env.X} (Liferay), ${env:X}, ${sys:X}, ${const:X} (Commons Configuration lookups): runtime values
_RUNTIME_PREFIXES = ("env.", "env:", "sys:", "const:")


class Layer(NamedTuple):
    """One set of definitions: a file's values, env overrides, or the defaults table."""

    name: str  # "defaults", "portal-ext.properties", "env"
    values: Mapping[str, tuple[str, Origin]]


def defaults_layer(table: Mapping[str, Default]) -> Layer:
    return Layer("defaults", {k: (d.value, d.origin) for k, d in table.items()})


@cache
def default_settings(family: str) -> Mapping[str, Setting]:
    """The defaults of a family as unexpanded Settings, built once per run and shared by nodes."""
    from linter.liferay.defaults import defaults

    return MappingProxyType(
        {k: Setting(k, d.value, d.value, d.origin, Confidence.DEFAULT) for k, d in defaults(family).items()}
    )


class Resolution(NamedTuple):
    settings: dict[str, Setting]
    problems: tuple[Problem, ...]


def _stack(layers: list[Layer], base: Mapping[str, Setting] | None = None) -> dict[str, Setting]:
    out: dict[str, Setting] = dict(base) if base is not None else {}
    for layer in layers:
        confidence = Confidence.DEFAULT if layer.name == "defaults" else Confidence.EXPLICIT
        for key, (value, origin) in layer.values.items():
            previous = out.get(key)
            history = (*previous.overridden, previous) if previous else ()
            out[key] = Setting(key, value, value, origin, confidence, history)
    return out


def resolve(
    layers: list[Layer],
    system_properties: Mapping[str, tuple[str, Origin]],
    base: Mapping[str, Setting] | None = None,
) -> Resolution:
    """Stack the layers on ``base`` (e.g. ``default_settings(family)``) and substitute ``${...}``;
    never raises."""
    raw = _stack(layers, base)
    for key, (value, origin) in system_properties.items():
        if key not in raw:
            raw[key] = Setting(key, value, value, origin, Confidence.EXPLICIT)
    problems: list[Problem] = []
    done: dict[str, tuple[str, bool]] = {}  # key -> (value, unresolved?)
    reported: set[tuple[str, str]] = set()

    def lookup(name: str, chain: tuple[str, ...], user_key: str) -> tuple[str, bool] | None:
        if name in COMPUTED:
            return None
        if name.startswith("sys:"):  # Commons Configuration's system-property lookup
            prop = system_properties.get(name[4:])
            return (prop[0], False) if prop else None
        if name in chain:
            cycle = " -> ".join((*chain[chain.index(name) :], name))
            if ("cycle", cycle) not in reported:
                reported.add(("cycle", cycle))
                setting = raw[user_key]
                problems.append(Problem("HA004", f"placeholder cycle: {cycle}", setting.origin))
            return None
        if name in raw:
            return expand(name, chain)
        return None

    def expand(key: str, chain: tuple[str, ...] = ()) -> tuple[str, bool]:
        if key in done:
            return done[key]
        setting = raw[key]
        value = setting.raw
        if "${" not in value:
            done[key] = (value, False)
            return done[key]
        unresolved = False
        parts: list[str] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(value):
            parts.append(value[pos : m.start()])
            pos = m.end()
            name = m.group(1)
            found = lookup(name, (*chain, key), key)
            if found is None:
                parts.append(m.group(0))
                if name in COMPUTED or name in RUNTIME_PROPERTIES or name.startswith(_RUNTIME_PREFIXES):
                    unresolved = unresolved or name.startswith(_RUNTIME_PREFIXES)
                    continue
                if name in chain or name == key:
                    unresolved = True
                    continue
                unresolved = True
                if setting.confidence is Confidence.EXPLICIT and (key, name) not in reported:
                    reported.add((key, name))
                    problems.append(
                        Problem(
                            "HA004", f"${{{name}}} in {key} is not defined by any property or JVM flag", setting.origin
                        )
                    )
                continue
            sub_value, sub_unresolved = found
            if name == "liferay.home" and "${default.liferay.home}" in sub_value:
                parts.append(m.group(0))  # the node's own Liferay home: keep it symbolic
            else:
                parts.append(sub_value)
            unresolved = unresolved or sub_unresolved
        parts.append(value[pos:])
        result = ("".join(parts), unresolved)
        done[key] = result
        return result

    settings: dict[str, Setting] = {}
    for key, setting in raw.items():
        if "${" not in setting.raw:
            settings[key] = setting  # nothing to substitute: the Setting is final as it is
            continue
        value, unresolved = expand(key)
        confidence = Confidence.UNRESOLVED if unresolved else setting.confidence
        settings[key] = Setting(key, value, setting.raw, setting.origin, confidence, setting.overridden)
    return Resolution(settings, tuple(problems))


def system_properties_from_flags(flags: list[tuple[str, str, Origin]]) -> dict[str, tuple[str, Origin]]:
    """``-Dname=value`` flags as system properties; the last flag of a name wins (as in the JVM)."""
    out: dict[str, tuple[str, Origin]] = {}
    for name, value, origin in flags:
        out[name] = (value, origin)
    return out


def is_default(setting: Setting | None) -> bool:
    return setting is None or setting.origin.kind is OriginKind.DEFAULT
