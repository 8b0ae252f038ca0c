"""Configuration: ``[tool.liferay-ha-lint]`` in ``pyproject.toml`` or top-level keys in
``.liferay-ha-lint.toml`` (STYLE lesson 8).

Loading is two steps. :func:`load_config` reads one file and checks everything that does not
need the rule set (key names, types, severities, ``fail-on``, ``liferay-version``);
:func:`validate_against_rules` then checks that every selector names a rule and every option
exists on that rule and type-checks. Both raise :class:`ConfigError`, whose message names the
file and the offending key; the CLI turns it into exit code 2.

TOML keys are kebab-case. Option names may be written ``max-nodes`` or ``max_nodes``; they map
to the fields of the rule's options dataclass.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from linter.diagnostics import Severity
from linter.discovery import display_path
from linter.liferay.versions import parse_version
from linter.select import SelectionError, resolve_selector, specificity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    import ast

    from linter.ruleapi import Rule

__all__ = [
    "CONFIG_FILE",
    "FAIL_ON_VALUES",
    "PYPROJECT",
    "TOOL_TABLE",
    "Config",
    "ConfigError",
    "FailOn",
    "build_options",
    "find_config",
    "glob_matches",
    "load_config",
    "options_for",
    "path_ignored",
    "validate_against_rules",
]

CONFIG_FILE = ".liferay-ha-lint.toml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "liferay-ha-lint"

FailOn = Literal["error", "warning", "info", "never"]
FAIL_ON_VALUES: tuple[FailOn, ...] = ("error", "warning", "info", "never")

KEYS = (
    "select",
    "ignore",
    "extend-select",
    "extend-ignore",
    "severity",
    "options",
    "rules",
    "per-path-ignores",
    "clusters",
    "liferay-version",
    "fail-on",
    "must-agree",
    "inline-suppressions",
    "max-file-size",
    "secret-keys",
)


class ConfigError(ValueError):
    """An unreadable or invalid configuration. ``str(error)`` is the full message."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        key: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.key = key
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Config:
    """A loaded configuration; every field has the value used when nothing is configured."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    extend_ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    options: dict[str, dict[str, object]] = field(default_factory=dict)  # selector -> option -> value
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> selectors
    clusters: list[Path] = field(default_factory=list)  # absolute
    liferay_version: str | None = None  # as written; parse_version() accepts it
    fail_on: FailOn | None = None
    must_agree: list[str] = field(default_factory=list)
    inline_suppressions: bool = True
    max_file_size: int | None = None
    secret_keys: list[str] = field(default_factory=list)  # added to linter.redact.DEFAULT_SECRET_KEYS
    path: Path | None = None  # the config file, None for defaults


# ----------------------------------------------------------------------------- finding


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # Broken TOML: count it only if it seems to configure us, so load_config reports the error.
        return TOOL_TABLE in text
    tool = data.get("tool")
    return isinstance(tool, dict) and TOOL_TABLE in tool


def find_config(start: Path) -> Path | None:
    """The configuration for ``start`` (normally the working directory): walk up to the
    filesystem root; in each directory ``.liferay-ha-lint.toml`` wins over ``pyproject.toml``,
    and a ``pyproject.toml`` without ``[tool.liferay-ha-lint]`` does not count."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):
        here = start.absolute()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        own = directory / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


# ----------------------------------------------------------------------------- loading


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _toml_kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _got(value: object) -> str:
    kind = _toml_kind(value)
    if isinstance(value, str | int | float) and len(repr(value)) <= 40:
        if isinstance(value, str):
            shown = f'"{value}"'
        else:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
        return f"{kind} {shown}"
    return kind


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


class _Where:
    """Where a config value lives, for messages: file display path and table name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.display = display_path(path)
        self.base = f"tool.{TOOL_TABLE}" if path.name == PYPROJECT else ""

    def error(self, message: str, *, table: str = "", key: str | None = None) -> ConfigError:
        name = ".".join(p for p in (self.base, table) if p)
        where = f"[{name}] " if name else ""
        return ConfigError(f"{self.display}: {where}{message}", path=self.path, key=key)


def _string_list(where: _Where, key: str, value: object, *, table: str = "", what: str = "strings") -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise where.error(f'"{key}" must be a list of {what}, got {_got(value)}', table=table, key=key)
    if any(not v.strip() for v in value):
        raise where.error(f'"{key}" contains an empty string', table=table, key=key)
    return [v.strip() for v in value]


def _table(where: _Where, key: str, value: object, *, table: str = "") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise where.error(f'"{key}" must be a table, got {_got(value)}', table=table, key=key)
    return value


MUST_AGREE_RULE = "HA607"  # the rule whose "keys" option the top-level must-agree extends


def _parse_options(where: _Where, key: str, value: object, into: dict[str, dict[str, object]]) -> None:
    for selector, opts in _table(where, key, value).items():
        table = _table(where, selector, opts, table=key)
        merged = into.setdefault(selector, {})
        for name, item in table.items():
            normal = name.replace("-", "_")
            if any(k.replace("-", "_") == normal for k in merged):
                raise where.error(f'option "{name}" is set twice (in [options] and [rules])', table=f"{key}.{selector}")
            merged[name] = item


def _parse(data: Mapping[str, Any], where: _Where) -> Config:
    for key in data:
        if key not in KEYS:
            hint = _did_you_mean(key, KEYS)
            if key == "tool" and where.base == "":
                hint = f" (in {CONFIG_FILE} the settings are top-level keys, without [tool.{TOOL_TABLE}])"
            raise where.error(f'unknown key "{key}"{hint}', key=key)

    values: dict[str, Any] = {}
    if "select" in data:
        values["select"] = _string_list(where, "select", data["select"], what="rule selectors")
    for key in ("ignore", "extend-select", "extend-ignore"):
        if key in data:
            values[key.replace("-", "_")] = _string_list(where, key, data[key], what="rule selectors")

    if "severity" in data:
        severity: dict[str, Severity] = {}
        for selector, level in _table(where, "severity", data["severity"]).items():
            if not isinstance(level, str):
                raise where.error(
                    f'"{selector}" must be a severity string (error, warning or info), got {_got(level)}',
                    table="severity",
                    key="severity",
                )
            try:
                severity[selector] = Severity.parse(level)
            except ValueError:
                raise where.error(
                    f'"{selector}": bad severity "{level}" (expected error, warning or info)',
                    table="severity",
                    key="severity",
                ) from None
        values["severity"] = severity

    options: dict[str, dict[str, object]] = {}
    for key in ("options", "rules"):
        if key in data:
            _parse_options(where, key, data[key], options)
    values["options"] = options

    if "per-path-ignores" in data:
        ppi: dict[str, list[str]] = {}
        for glob, selectors in _table(where, "per-path-ignores", data["per-path-ignores"]).items():
            if not glob.strip():
                raise where.error("empty glob", table="per-path-ignores", key="per-path-ignores")
            ppi[glob] = _string_list(where, glob, selectors, table="per-path-ignores", what="rule selectors")
        values["per_path_ignores"] = ppi

    if "clusters" in data:
        base = where.path.parent.absolute()
        values["clusters"] = [
            Path(_normpath(base / p)) for p in _string_list(where, "clusters", data["clusters"], what="paths")
        ]

    if "liferay-version" in data:
        version = data["liferay-version"]
        if not isinstance(version, str):
            quote = f' (quote it: liferay-version = "{version}")' if isinstance(version, int | float) else ""
            raise where.error(f'"liferay-version" must be a string, got {_got(version)}{quote}', key="liferay-version")
        if parse_version(version) is None:
            raise where.error(
                f'"liferay-version": unknown Liferay version "{version}" (expected e.g. 6.2, 7.3, 7.4 or 2024.q1)',
                key="liferay-version",
            )
        values["liferay_version"] = version.strip()

    if "fail-on" in data:
        fail_on = data["fail-on"]
        if not isinstance(fail_on, str) or fail_on.strip().lower() not in FAIL_ON_VALUES:
            raise where.error(
                f'"fail-on" must be one of {", ".join(FAIL_ON_VALUES)}, got {_got(fail_on)}', key="fail-on"
            )
        values["fail_on"] = fail_on.strip().lower()

    if "must-agree" in data:
        values["must_agree"] = _string_list(where, "must-agree", data["must-agree"], what="keys")
        # shorthand for the extra keys of HA607 setting-drift (its "keys" option), added to them
        drift = values.setdefault("options", {}).setdefault(MUST_AGREE_RULE, {})
        drift["keys"] = [*drift.get("keys", []), *values["must_agree"]]

    if "inline-suppressions" in data:
        inline = data["inline-suppressions"]
        if not isinstance(inline, bool):
            raise where.error(
                f'"inline-suppressions" must be true or false, got {_got(inline)}', key="inline-suppressions"
            )
        values["inline_suppressions"] = inline

    if "max-file-size" in data:
        size = data["max-file-size"]
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise where.error(
                f'"max-file-size" must be a positive integer (bytes), got {_got(size)}', key="max-file-size"
            )
        values["max_file_size"] = size

    if "secret-keys" in data:
        from linter.redact import pattern_error

        patterns = _string_list(where, "secret-keys", data["secret-keys"], what="key patterns")
        for pattern in patterns:
            problem = pattern_error(pattern)
            if problem is not None:
                raise where.error(f'"secret-keys": {problem}', key="secret-keys")
        values["secret_keys"] = patterns

    return Config(**values, path=where.path)


def _normpath(path: Path) -> str:
    return os.path.normpath(path)


def load_config(path: Path) -> Config:
    """Read and check one configuration file (``pyproject.toml`` or ``.liferay-ha-lint.toml``).

    A ``pyproject.toml`` without ``[tool.liferay-ha-lint]`` gives the defaults."""
    where = _Where(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{where.display}: cannot read: {exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{where.display}: not valid UTF-8", path=path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(getattr(exc, "msg", None) or exc)
        line: int | None = getattr(exc, "lineno", None)
        column: int | None = getattr(exc, "colno", None)
        m = _TOML_POSITION.search(message)
        if m:
            line, column = int(m.group(1)), int(m.group(2))
            message = message[: m.start()]
        position = f":{line}:{column}" if line is not None and column is not None else ""
        raise ConfigError(
            f"{where.display}{position}: invalid TOML: {message}", path=path, line=line, column=column
        ) from None
    if where.base:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f'{where.display}: "tool" must be a table', path=path, key="tool")
        if TOOL_TABLE not in tool:
            return Config(path=path)
        table = tool[TOOL_TABLE]
        if not isinstance(table, dict):
            raise ConfigError(
                f"{where.display}: [tool.{TOOL_TABLE}] must be a table, got {_got(table)}", path=path, key=TOOL_TABLE
            )
        return _parse(table, where)
    return _parse(data, where)


# ----------------------------------------------------------------------------- option types


class _Unsupported(Exception):
    pass


# A small type language for option fields: ("int"|"float"|"bool"|"str"|"none",), ("list", T),
# ("tuple", T) for tuple[T, ...], ("literal", values), ("union", (T, ...)).
_Spec = tuple[Any, ...]
_SCALARS = {"int": "int", "float": "float", "bool": "bool", "str": "str", "None": "none", "NoneType": "none"}
_LISTS = {"list": "list", "List": "list", "Sequence": "tuple", "tuple": "tuple", "Tuple": "tuple"}


def _spec_from_ast(node: ast.expr) -> _Spec:
    import ast

    if isinstance(node, ast.Constant) and node.value is None:
        return ("none",)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _spec_from_ast(ast.parse(node.value, mode="eval").body)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return ("union", (_spec_from_ast(node.left), _spec_from_ast(node.right)))
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
    if name is not None:
        if name in _SCALARS:
            return (_SCALARS[name],)
        raise _Unsupported(name)
    if isinstance(node, ast.Subscript):
        head = node.value
        base = head.id if isinstance(head, ast.Name) else head.attr if isinstance(head, ast.Attribute) else ""
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base in ("Optional",) and len(args) == 1:
            return ("union", (_spec_from_ast(args[0]), ("none",)))
        if base == "Union":
            return ("union", tuple(_spec_from_ast(a) for a in args))
        if base == "Literal":
            if not all(isinstance(a, ast.Constant) for a in args):
                raise _Unsupported("Literal")
            return ("literal", tuple(a.value for a in args if isinstance(a, ast.Constant)))
        if base in _LISTS:
            kind = _LISTS[base]
            if base in ("tuple", "Tuple"):
                if len(args) != 2 or not (isinstance(args[1], ast.Constant) and args[1].value is Ellipsis):
                    raise _Unsupported(base)
                return ("tuple", _spec_from_ast(args[0]))
            if len(args) != 1:
                raise _Unsupported(base)
            return (kind, _spec_from_ast(args[0]))
    raise _Unsupported(ast.dump(node))


def _spec_from_type(tp: object) -> _Spec:
    import ast

    if isinstance(tp, str):
        try:
            return _spec_from_ast(ast.parse(tp, mode="eval").body)
        except SyntaxError:
            raise _Unsupported(tp) from None
    if tp is None or tp is type(None):
        return ("none",)
    if tp in (int, float, bool, str):
        return (typing.cast(type, tp).__name__,)
    origin, args = get_origin(tp), get_args(tp)
    if origin is Union or origin is types.UnionType:
        return ("union", tuple(_spec_from_type(a) for a in args))
    if origin is Literal:
        return ("literal", tuple(args))
    if origin is list and len(args) == 1:
        return ("list", _spec_from_type(args[0]))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return ("tuple", _spec_from_type(args[0]))
    if origin is not None and getattr(origin, "__name__", "") == "Sequence" and len(args) == 1:
        return ("tuple", _spec_from_type(args[0]))
    raise _Unsupported(repr(tp))


def _describe(spec: _Spec) -> str:
    kind = spec[0]
    if kind == "int":
        return "an integer"
    if kind == "float":
        return "a number"
    if kind == "bool":
        return "true or false"
    if kind == "str":
        return "a string"
    if kind == "none":
        return "nothing"
    if kind in ("list", "tuple"):
        inner = _describe(spec[1])
        plural = {"an integer": "integers", "a number": "numbers", "a string": "strings"}.get(inner, inner)
        return f"a list of {plural}"
    if kind == "literal":
        return "one of " + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in spec[1])
    return " or ".join(_describe(s) for s in spec[1] if s[0] != "none")


class _Mismatch(Exception):
    pass


def _convert(value: object, spec: _Spec) -> object:
    kind = spec[0]
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind == "str":
        if isinstance(value, str):
            return value
    elif kind == "none":
        if value is None:
            return None
    elif kind in ("list", "tuple"):
        if isinstance(value, list | tuple):
            items = [_convert(v, spec[1]) for v in value]
            return items if kind == "list" else tuple(items)
    elif kind == "literal":
        for allowed in spec[1]:
            if type(value) is type(allowed) and value == allowed:
                return value
    elif kind == "union":
        for arm in spec[1]:
            try:
                return _convert(value, arm)
            except _Mismatch:
                continue
    raise _Mismatch


@functools.cache
def _option_fields(options: type) -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(options) if f.init}


def _rule_label(rule: Rule) -> str:
    return f"{rule.id} ({rule.name})"


def _convert_option(rule: Rule, name: str, value: object) -> tuple[str, object]:
    """(field name, converted value) for one option of ``rule``; ValueError with a message otherwise."""
    if rule.options is None:
        raise ValueError(f"rule {_rule_label(rule)} has no options")
    fields = _option_fields(rule.options)
    normal = name.replace("-", "_")
    if normal not in fields:
        known = [f.replace("_", "-") for f in fields]
        hint = _did_you_mean(normal.replace("_", "-"), known)
        listing = f"; its options: {', '.join(known)}" if known else ""
        raise ValueError(f'unknown option "{name}" for rule {_rule_label(rule)}{hint}{listing}')
    try:
        spec = _spec_from_type(fields[normal].type)
    except _Unsupported:
        raise ValueError(
            f'option "{name}" of rule {_rule_label(rule)} has type {fields[normal].type}, '
            "which cannot be set from a config file"
        ) from None
    try:
        return normal, _convert(value, spec)
    except _Mismatch:
        raise ValueError(
            f'option "{name}" of rule {_rule_label(rule)} must be {_describe(spec)}, got {_got(value)}'
        ) from None


def build_options(rule: Rule, overrides: Mapping[str, object]) -> object:
    """An instance of ``rule``'s options dataclass with ``overrides`` applied (names in kebab or
    snake case; lists become tuples for tuple fields); None for a rule without options and no
    overrides. Bad names or types raise ConfigError."""
    if rule.options is None and not overrides:
        return None
    kwargs: dict[str, object] = {}
    for name, value in overrides.items():
        try:
            field_name, converted = _convert_option(rule, name, value)
        except ValueError as exc:
            raise ConfigError(str(exc), key=name) from None
        kwargs[field_name] = converted
    assert rule.options is not None
    return rule.options(**kwargs)


def options_for(rule: Rule, options: Mapping[str, Mapping[str, object]]) -> dict[str, object]:
    """The option overrides that apply to ``rule`` (snake-case names): every matching selector's
    table merged, the more specific selector winning (``HA607`` over ``HA6`` over a tag)."""
    matching: list[tuple[int, int, Mapping[str, object]]] = []
    for order, (selector, table) in enumerate(options.items()):
        s = specificity(selector, rule)
        if s is not None:
            matching.append((s, order, table))
    merged: dict[str, object] = {}
    for _, _, table in sorted(matching, key=lambda m: (m[0], m[1])):
        for name, value in table.items():
            merged[name.replace("-", "_")] = value
    return merged


# ----------------------------------------------------------------------------- validation


def validate_against_rules(config: Config, rules: Sequence[Rule]) -> None:
    """Every selector names a rule, and every option exists on the rules it names and has the
    field's type; otherwise ConfigError naming the file, the key, the rule and the option."""
    where = _Where(config.path) if config.path is not None else None

    def fail(message: str, *, table: str = "", key: str | None = None) -> ConfigError:
        if where is None:
            return ConfigError(message, key=key)
        return where.error(message, table=table, key=key)

    def resolve(token: str, key: str | None, *, table: str = "") -> list[Rule]:
        try:
            return resolve_selector(token, rules)
        except SelectionError as exc:
            prefix = f'"{key}": ' if key is not None else ""
            raise fail(f"{prefix}{exc}", table=table, key=key or token) from None

    lists = (
        ("select", config.select or []),
        ("ignore", config.ignore),
        ("extend-select", config.extend_select),
        ("extend-ignore", config.extend_ignore),
    )
    for key, tokens in lists:
        for token in tokens:
            resolve(token, key)
    for token in config.severity:
        resolve(token, None, table="severity")
    for glob, tokens in config.per_path_ignores.items():
        for token in tokens:
            resolve(token, glob, table="per-path-ignores")
    for selector, table in config.options.items():
        for r in resolve(selector, None, table="options"):
            for name, value in table.items():
                try:
                    _convert_option(r, name, value)
                except ValueError as exc:
                    raise fail(str(exc), table=f"options.{selector}", key=name) from None


# ----------------------------------------------------------------------------- per-path ignores


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """``*`` and ``?`` stay within one path segment, ``**`` crosses them (``**/`` also matches
    no directory at all), ``[...]`` is a character class (``[!...]`` negated)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            if j - i >= 2:
                if j < n and pattern[j] == "/":
                    out.append("(?:.*/)?")
                    j += 1
                else:
                    out.append(".*")
            else:
                out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            # the first character of a class may be "]" itself, as in fnmatch
            end = pattern.find("]", i + 3 if i + 1 < n and pattern[i + 1] in "!^" else i + 2)
            if end < 0:
                out.append(re.escape(c))
                i += 1
                continue
            body = pattern[i + 1 : end]
            negate = body[:1] in ("!", "^")
            if negate:
                body = body[1:]
            body = body.replace("\\", "\\\\").replace("[", "\\[")
            out.append(f"[{'^/' if negate else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("(?s:" + "".join(out) + r")\Z")


def _clean(path: str) -> str:
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def glob_matches(pattern: str, path: str) -> bool:
    """Whether a per-path-ignores glob matches a display path (posix separators).

    The glob matches the whole path or one of its parent directories (``node-b`` and
    ``node-b/**`` both cover ``node-b/portal-ext.properties``); a glob without ``/`` also matches
    any single path component (``*.config``, ``node-b``)."""
    pat = _clean(pattern).rstrip("/")
    if not pat:
        return False
    target = _clean(path)
    regex = _glob_regex(pat)
    parts = target.split("/")
    candidates = ["/".join(parts[: k + 1]) for k in range(len(parts))]
    if "/" not in pat:
        candidates.extend(parts)
    return any(regex.match(c) for c in candidates)


def path_ignored(
    path: str,
    rule: Rule,
    per_path_ignores: Mapping[str, Sequence[str]],
    rules: Sequence[Rule],
) -> bool:
    """Whether ``per_path_ignores`` (glob -> selectors) turns ``rule`` off for the file at
    ``path`` (a display path). Unknown selectors raise SelectionError."""
    for pattern, selectors in per_path_ignores.items():
        if not glob_matches(pattern, path):
            continue
        for token in selectors:
            if any(r.id == rule.id for r in resolve_selector(token, rules)):
                return True
    return False
