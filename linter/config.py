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

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from linter.diagnostics import Severity
from linter.liferay.versions import parse_version
from linter.options import convert_option, describe_value
from linter.paths import display_path
from linter.select import SelectionError, resolve_selector
from linter.suggest import did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from linter.ruleapi import Rule

__all__ = [
    "CONFIG_FILE",
    "FAIL_ON_VALUES",
    "PYPROJECT",
    "TOOL_TABLE",
    "Config",
    "ConfigError",
    "FailOn",
    "find_config",
    "load_config",
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
        raise where.error(f'"{key}" must be a list of {what}, got {describe_value(value)}', table=table, key=key)
    if any(not v.strip() for v in value):
        raise where.error(f'"{key}" contains an empty string', table=table, key=key)
    return [v.strip() for v in value]


def _table(where: _Where, key: str, value: object, *, table: str = "") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise where.error(f'"{key}" must be a table, got {describe_value(value)}', table=table, key=key)
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
            hint = did_you_mean(key, KEYS)
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
                    f'"{selector}" must be a severity string (error, warning or info), got {describe_value(level)}',
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
            got = describe_value(version)
            raise where.error(f'"liferay-version" must be a string, got {got}{quote}', key="liferay-version")
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
                f'"fail-on" must be one of {", ".join(FAIL_ON_VALUES)}, got {describe_value(fail_on)}', key="fail-on"
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
                f'"inline-suppressions" must be true or false, got {describe_value(inline)}', key="inline-suppressions"
            )
        values["inline_suppressions"] = inline

    if "max-file-size" in data:
        size = data["max-file-size"]
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise where.error(
                f'"max-file-size" must be a positive integer (bytes), got {describe_value(size)}', key="max-file-size"
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
            got = describe_value(table)
            raise ConfigError(
                f"{where.display}: [tool.{TOOL_TABLE}] must be a table, got {got}",
                path=path,
                key=TOOL_TABLE,
            )
        return _parse(table, where)
    return _parse(data, where)


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
                    convert_option(r, name, value)
                except ValueError as exc:
                    raise fail(str(exc), table=f"options.{selector}", key=name) from None
