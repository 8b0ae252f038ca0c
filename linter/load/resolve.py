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
from collections.abc import Generator, Mapping
from functools import cache
from typing import NamedTuple

from linter.origin import Confidence, Defaults, Origin, OriginKind, Problem, ProblemKind, Setting, Settings

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


def default_settings(family: str, release: str | None = None) -> Defaults:
    """The defaults of a family (for 7.4, of the node's release when it has its own table) as
    unexpanded Settings, built once per run and table and shared by nodes."""
    from linter.liferay.defaults import table_key

    return _default_settings(*table_key(family, release))


@cache
def _default_settings(family: str, release_name: str | None) -> Defaults:
    from linter.liferay.defaults import release_defaults

    base: Mapping[str, Setting] = _default_settings(family, None) if release_name is not None else {}
    out: dict[str, Setting] = {}
    for k, d in release_defaults(family, release_name).items():
        shared = base.get(k)
        # a release's table shares the base table's Setting of every key it does not change
        same = shared is not None and shared.value == d.value and shared.origin == d.origin
        out[k] = shared if same and shared is not None else Setting(k, d.value, d.value, d.origin, Confidence.DEFAULT)
    return Defaults(out)


class Resolution(NamedTuple):
    settings: Settings
    problems: tuple[Problem, ...]


def _stack(
    layers: list[Layer], base: Mapping[str, Setting] | None = None, written: list[str] | None = None
) -> dict[str, Setting]:
    """What the layers set on top of ``base`` (each key's history includes the base's default);
    ``written`` collects every key a layer sets (in order)."""
    out: dict[str, Setting] = {}
    below = base if base is not None else {}
    for layer in layers:
        confidence = Confidence.DEFAULT if layer.name == "defaults" else Confidence.EXPLICIT
        for key, (value, origin) in layer.values.items():
            previous = out.get(key) or below.get(key)
            history = (*previous.overridden, previous) if previous else ()
            out[key] = Setting(key, value, value, origin, confidence, history)
            if written is not None:
                written.append(key)
    return out


def _base_index(base: Defaults) -> tuple[dict[str, int], tuple[str, ...]]:
    """Each key's position in ``base``, and its keys whose values hold ``${...}`` (a few dozen of
    1,200 defaults): found once per defaults table, not once per node."""

    def index() -> tuple[dict[str, int], tuple[str, ...]]:
        position = {key: i for i, key in enumerate(base)}
        return position, tuple(key for key, setting in base.items() if "${" in setting.raw)

    return base.derived("index", index)


def resolve(
    layers: list[Layer],
    system_properties: Mapping[str, tuple[str, Origin]],
    base: Mapping[str, Setting] | None = None,
) -> Resolution:
    """Stack the layers on ``base`` (e.g. ``default_settings(family)``) and substitute ``${...}``;
    never raises."""
    written: list[str] = []
    if base is not None and not isinstance(base, Defaults):
        base = Defaults(dict(base))
    below: Mapping[str, Setting] = base if base is not None else {}
    own = _stack(layers, base, written)
    for key, (value, origin) in system_properties.items():
        if key not in own and key not in below:
            own[key] = Setting(key, value, value, origin, Confidence.EXPLICIT)
            written.append(key)
    raw = Settings(below, own)
    expander = _Expander(raw, system_properties)
    final = dict(own)  # a Setting without ${...} is final as it is
    expanded = _expanded_base(base) if base is not None else None
    # a default whose placeholders reach no key this node sets is expanded once for every node
    touched = set(own).union("sys:" + k for k in system_properties)
    for key in _placeholder_keys(raw, base, written):
        setting = raw[key]
        if "${" not in setting.raw:
            continue
        if (
            expanded is not None
            and key not in own
            and key in expanded.reaches
            and not (expanded.reaches[key] & touched)
        ):
            known = expander.done.get(key)
            if known is None and expander.budget >= expanded.cost:  # no budget can be hit on the way
                # as expanding it here would: it and the defaults it reaches remembered, lengths spent
                for name in (key, *expanded.reaches[key]):
                    done = expanded.results.get(name)
                    if done is not None and name not in expander.done:
                        expander.done[name] = done
                        expander.budget -= len(done[0])
                continue
            if known == expanded.results[key]:  # expanded already, as a name another value reaches
                continue
        value, unresolved = expander.expand(key)
        confidence = Confidence.UNRESOLVED if unresolved else setting.confidence
        final[key] = Setting(key, value, setting.raw, setting.origin, confidence, setting.overridden)
    return Resolution(Settings(expanded.settings if expanded is not None else below, final), tuple(expander.problems))


class _Expanded(NamedTuple):
    """A defaults table with its placeholders expanded on their own (no node's keys): the expanded
    Settings, each placeholder key's (value, unresolved), every name its expansion reaches, and
    the expansion budget a node must have left for them to be taken as they are."""

    settings: Defaults
    results: dict[str, tuple[str, bool]]
    reaches: dict[str, frozenset[str]]
    cost: int  # a node's budget left that lets any of them be taken as it is (none can be refused)


def _expanded_base(base: Defaults) -> _Expanded | None:
    """The table expanded once (None when expanding it alone reports a problem: then every node
    expands it itself, and reports it)."""
    return base.derived("expanded", lambda: _expand_alone(base))


def _expand_alone(base: Defaults) -> _Expanded | None:
    _position, placeholders = _base_index(base)
    expander = _Expander(Settings(base, {}), {})
    results = {key: expander.expand(key) for key in placeholders}
    if expander.problems:
        return None
    names = {key: frozenset(m.group(1) for m in _PLACEHOLDER.finditer(base[key].raw)) for key in placeholders}
    reaches: dict[str, frozenset[str]] = {}
    for key in placeholders:
        seen: set[str] = set()
        todo = list(names[key])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(names.get(name, ()))
        reaches[key] = frozenset(seen)
    settings = dict(base.table)
    for key, (value, unresolved) in results.items():
        setting = base[key]
        confidence = Confidence.UNRESOLVED if unresolved else setting.confidence
        settings[key] = Setting(key, value, setting.raw, setting.origin, confidence, setting.overridden)
    # what expanding them all spends, and the most one step of the expansion may ask for
    largest = max((len(base[key].raw) + len(results[key][0]) for key in placeholders), default=0)
    cost = MAX_EXPANDED_TOTAL - expander.budget + largest
    return _Expanded(Defaults(settings), results, reaches, cost)


def _placeholder_keys(raw: Mapping[str, Setting], base: Defaults | None, written: list[str]) -> list[str]:
    """The keys of ``raw`` that may hold ``${...}``, in ``raw``'s order (the order placeholders are
    expanded and problems reported in): the base's own placeholder keys and every key written on
    top of it. ``raw`` is ``base`` (same order) followed by the keys new to it, as ``_stack`` and
    ``resolve`` build it; without a base every key is a candidate."""
    if base is None:
        return list(raw)
    position, placeholders = _base_index(base)
    size = len(position)
    new_keys: dict[str, int] = {}
    for key in written:
        if key not in position and key not in new_keys:
            new_keys[key] = size + len(new_keys)
    candidates = set(placeholders)
    candidates.update(written)
    return sorted(candidates, key=lambda k: position[k] if k in position else new_keys[k])


# Budgets of ${...} expansion (README "Safety"): values whose placeholders double at each step
# would otherwise grow to gigabytes, and a chain thousands deep would need as many stack frames.
MAX_PLACEHOLDER_DEPTH = 64  # placeholders inside placeholders' values
MAX_EXPANDED_VALUE = 1 << 20  # characters of one expanded value
MAX_EXPANDED_TOTAL = 16 << 20  # characters expanded for one node, all values together

_Steps = Generator[str, "tuple[str, bool] | None", "tuple[str, bool]"]


class _Expander:
    """Substitutes ``${...}`` in the stacked values, each key once; reports undefined names and
    cycles, and refuses expansions past the budgets above. Iterative: each value being expanded is
    a generator that asks for the names it needs (``_steps``), and ``expand`` drives a stack of
    them, so no chain of references, however long, recurses. (A class, not nested functions
    calling each other: those would form a reference cycle holding every node's settings until the
    cyclic garbage collector runs.)"""

    def __init__(self, raw: Mapping[str, Setting], system_properties: Mapping[str, tuple[str, Origin]]) -> None:
        self.raw = raw
        self.system_properties = system_properties
        self.problems: list[Problem] = []
        self.done: dict[str, tuple[str, bool]] = {}  # key -> (value, unresolved?)
        self.reported: set[tuple[str, str]] = set()
        self.budget = MAX_EXPANDED_TOTAL

    def _refuse(self, key: str, why: str) -> None:
        if ("refused", key) not in self.reported:
            self.reported.add(("refused", key))
            self.problems.append(
                Problem(ProblemKind.REFUSED, f"placeholders in {key} not expanded: {why}", self.raw[key].origin)
            )

    def expand(self, key: str) -> tuple[str, bool]:
        if key in self.done:
            return self.done[key]
        stack: list[tuple[str, _Steps]] = [(key, self._steps(key, ()))]
        chains: list[tuple[str, ...]] = [(key,)]
        answer: tuple[str, bool] | None = None
        while True:
            current, steps = stack[-1]
            try:
                name = steps.send(answer)
            except StopIteration as stop:
                result: tuple[str, bool] = stop.value
                self.done[current] = result
                stack.pop()
                chains.pop()
                if not stack:
                    return result
                answer = result
                continue
            answer = self.done.get(name)
            if answer is None:  # expand the referenced key first, then resume this one
                stack.append((name, self._steps(name, chains[-1])))
                chains.append((*chains[-1], name))

    def _lookup(self, name: str, chain: tuple[str, ...], user_key: str) -> tuple[str, bool] | str | None:
        """The value of a referenced name, None when it has none here, or the name itself when it
        is a key still to expand."""
        if name in COMPUTED:
            return None
        if name.startswith("sys:"):  # Commons Configuration's system-property lookup
            prop = self.system_properties.get(name[4:])
            return (prop[0], False) if prop else None
        if name in chain:
            cycle = " -> ".join((*chain[chain.index(name) :], name))
            if ("cycle", cycle) not in self.reported:
                self.reported.add(("cycle", cycle))
                setting = self.raw[user_key]
                self.problems.append(
                    Problem(ProblemKind.UNRESOLVED_PLACEHOLDER, f"placeholder cycle: {cycle}", setting.origin)
                )
            return None
        if name in self.raw:
            return self.done.get(name) or name
        return None

    def _steps(self, key: str, chain: tuple[str, ...]) -> _Steps:
        """Expand one key's value; yields the name of each key it needs expanded first and is sent
        that key's (value, unresolved)."""
        setting = self.raw[key]
        value = setting.raw
        if "${" not in value:
            return (value, False)
        if len(chain) >= MAX_PLACEHOLDER_DEPTH:
            self._refuse(key, f"placeholders nested more than {MAX_PLACEHOLDER_DEPTH} deep")
            return (value, True)
        chain = (*chain, key)
        unresolved = False
        parts: list[str] = []
        size = len(value)  # the value as written, and what its placeholders bring
        pos = 0
        for m in _PLACEHOLDER.finditer(value):
            parts.append(value[pos : m.start()])
            pos = m.end()
            name = m.group(1)
            found = self._lookup(name, chain, key)
            if isinstance(found, str):
                sent = yield found
                assert sent is not None
                found = sent
            if found is None:
                parts.append(m.group(0))
                if name in COMPUTED or name in RUNTIME_PROPERTIES or name.startswith(_RUNTIME_PREFIXES):
                    unresolved = unresolved or name.startswith(_RUNTIME_PREFIXES)
                    continue
                if name in chain:
                    unresolved = True
                    continue
                unresolved = True
                if setting.confidence is Confidence.EXPLICIT and (key, name) not in self.reported:
                    self.reported.add((key, name))
                    self.problems.append(
                        Problem(
                            ProblemKind.UNRESOLVED_PLACEHOLDER,
                            f"${{{name}}} in {key} is not defined by any property or JVM flag",
                            setting.origin,
                        )
                    )
                continue
            sub_value, sub_unresolved = found
            if name == "liferay.home" and "${default.liferay.home}" in sub_value:
                parts.append(m.group(0))  # the node's own Liferay home: keep it symbolic
            else:
                parts.append(sub_value)
                size += len(sub_value)
                if size > MAX_EXPANDED_VALUE or size > self.budget:
                    limit = (
                        f"its value would exceed {MAX_EXPANDED_VALUE} characters"
                        if size > MAX_EXPANDED_VALUE
                        else f"the node's expansion budget ({MAX_EXPANDED_TOTAL} characters) is spent"
                    )
                    self._refuse(key, limit)
                    return (value, True)
            unresolved = unresolved or sub_unresolved
        parts.append(value[pos:])
        result = "".join(parts)
        self.budget -= len(result)
        return (result, unresolved)


def is_default(setting: Setting | None) -> bool:
    return setting is None or setting.origin.kind is OriginKind.DEFAULT
