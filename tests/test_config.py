"""Configuration files: finding, loading, validating against rules, per-path ignores."""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from linter.config import (
    CONFIG_FILE,
    Config,
    ConfigError,
    find_config,
    load_config,
    validate_against_rules,
)
from linter.diagnostics import Severity
from linter.ignores import glob_matches, path_ignored
from linter.options import build_options, options_for
from linter.ruleapi import Rule


@dataclass(frozen=True)
class TransportOptions:
    max_nodes: int = 8
    ratio: float = 0.5
    strict: bool = False
    stack: str = "tcp"
    allowed: tuple[str, ...] = ()
    hosts: list[str] = field(default_factory=list)
    mode: Literal["fast", "safe"] = "safe"
    limit: int | None = None


@dataclass(frozen=True)
class DriftOptions:
    ignore_keys: tuple[str, ...] = ("a",)
    keys: tuple[str, ...] = ()  # what the top-level must-agree extends


# Annotations as real types (a rule module without ``from __future__ import annotations``).
RealTypes = dataclasses.make_dataclass(
    "RealTypes",
    [("count", int, field(default=1)), ("names", tuple[str, ...], field(default=()))],
    frozen=True,
)


def fake(rule_id: str, name: str, tags: tuple[str, ...] = (), options: type | None = None) -> Rule:
    return Rule(
        id=rule_id,
        name=name,
        severity=Severity.ERROR,
        scope="node",
        summary=f"{name}.",
        rationale="Because.",
        fix="Fix it.",
        sources=("test",),
        tags=tags,
        options=options,
    )


RULES = [
    fake("HA001", "unreadable-file", ("input",)),
    fake("HA101", "cluster-link-disabled", ("cluster-link",)),
    fake("HA110", "transport-mismatch", ("cluster-link",), TransportOptions),
    fake("HA201", "database-mismatch", ("database",)),
    fake("HA607", "osgi-drift", ("drift",), DriftOptions),
    fake("HA608", "env-drift", ("drift",), RealTypes),
]


def rule(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def has_config_above(path: Path) -> bool:
    return any((d / CONFIG_FILE).is_file() or (d / "pyproject.toml").is_file() for d in path.resolve().parents)


# ----------------------------------------------------------------------------- find_config


def test_own_file_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.liferay-ha-lint]\nselect = ['HA1']\n")
    own = write(tmp_path / CONFIG_FILE, "select = ['HA2']\n")
    assert find_config(tmp_path) == own.resolve()
    assert load_config(own).select == ["HA2"]


def test_pyproject_with_table_is_found(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "[tool.liferay-ha-lint]\n")
    assert find_config(tmp_path) == pyproject.resolve()


def test_walks_up_from_a_subdirectory(tmp_path: Path) -> None:
    own = write(tmp_path / CONFIG_FILE, "")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == own.resolve()


def test_pyproject_without_table_does_not_count(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", "[tool.liferay-ha-lint]\nignore = ['HA7']\n")
    write(tmp_path / "inner" / "pyproject.toml", "[project]\nname = 'x'\n[tool.ruff]\nline-length = 99\n")
    assert find_config(tmp_path / "inner") == outer.resolve()


def test_nearest_directory_wins(tmp_path: Path) -> None:
    write(tmp_path / CONFIG_FILE, "")
    inner = write(tmp_path / "inner" / "pyproject.toml", "[tool.liferay-ha-lint]\n")
    assert find_config(tmp_path / "inner" / "deeper") == inner.resolve()  # need not exist
    assert find_config(tmp_path / "inner") == inner.resolve()


def test_start_may_be_a_file(tmp_path: Path) -> None:
    own = write(tmp_path / CONFIG_FILE, "")
    target = write(tmp_path / "node" / "portal-ext.properties", "a=b\n")
    assert find_config(target) == own.resolve()


def test_nothing_found(tmp_path: Path) -> None:
    if has_config_above(tmp_path):
        pytest.skip("a configuration file exists above the temporary directory")
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "x") is None


def test_broken_pyproject_that_mentions_us_is_found_and_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    pyproject = write(tmp_path / "pyproject.toml", "[tool.liferay-ha-lint]\nselect = [\n")
    assert find_config(tmp_path) == pyproject.resolve()
    with pytest.raises(ConfigError) as info:
        load_config(pyproject)
    assert str(info.value).startswith("pyproject.toml:")
    assert "invalid TOML" in str(info.value)


def test_broken_unrelated_pyproject_is_skipped(tmp_path: Path) -> None:
    own = write(tmp_path / CONFIG_FILE, "")
    write(tmp_path / "inner" / "pyproject.toml", "[project\nname = \n")
    assert find_config(tmp_path / "inner") == own.resolve()


# ----------------------------------------------------------------------------- load_config

EVERY_KEY = """
    select = ["HA1", "database"]
    ignore = ["HA101"]
    extend-select = ["HA607"]
    extend-ignore = ["input"]
    clusters = ["prod", "../staging/cluster"]
    liferay-version = "7.4.3.112-ga112"
    fail-on = "Warning"
    must-agree = ["cluster.link.enabled", "jdbc.default.url"]
    inline-suppressions = false
    max-file-size = 1048576
    secret-keys = ["license.blob", 're:^acme\\.sig$']

    [{prefix}severity]
    HA101 = "warning"
    cluster-link = "INFO"

    [{prefix}per-path-ignores]
    "legacy/**" = ["HA6", "drift"]
    "*.config" = ["HA607"]

    [{prefix}options.HA110]
    max-nodes = 4
    allowed = ["tcp.xml"]

    [{prefix}rules.HA607]
    ignore_keys = ["x", "y"]
"""


def check_every_key(config: Config, path: Path) -> None:
    assert config.select == ["HA1", "database"]
    assert config.ignore == ["HA101"]
    assert config.extend_select == ["HA607"]
    assert config.extend_ignore == ["input"]
    assert config.severity == {"HA101": Severity.WARNING, "cluster-link": Severity.INFO}
    assert config.options == {
        "HA110": {"max-nodes": 4, "allowed": ["tcp.xml"]},
        "HA607": {"ignore_keys": ["x", "y"], "keys": ["cluster.link.enabled", "jdbc.default.url"]},
    }
    assert config.per_path_ignores == {"legacy/**": ["HA6", "drift"], "*.config": ["HA607"]}
    base = path.parent.absolute()
    assert config.clusters == [base / "prod", base.parent / "staging" / "cluster"]
    assert all(p.is_absolute() for p in config.clusters)
    assert config.liferay_version == "7.4.3.112-ga112"
    assert config.fail_on == "warning"
    assert config.must_agree == ["cluster.link.enabled", "jdbc.default.url"]
    assert config.inline_suppressions is False
    assert config.max_file_size == 1048576
    assert config.secret_keys == ["license.blob", "re:^acme\\.sig$"]
    assert config.path == path
    validate_against_rules(config, RULES)


def test_every_key_in_pyproject(tmp_path: Path) -> None:
    text = "[tool.liferay-ha-lint]\n" + textwrap.dedent(EVERY_KEY).format(prefix="tool.liferay-ha-lint.")
    path = write(tmp_path / "repo" / "pyproject.toml", text)
    check_every_key(load_config(path), path)


def test_every_key_in_own_file(tmp_path: Path) -> None:
    path = write(tmp_path / "repo" / CONFIG_FILE, textwrap.dedent(EVERY_KEY).format(prefix=""))
    check_every_key(load_config(path), path)


def test_inline_tables(tmp_path: Path) -> None:
    path = write(
        tmp_path / CONFIG_FILE,
        """
        severity = {HA101 = "warning"}
        options = {HA110 = {strict = true}}
        """,
    )
    config = load_config(path)
    assert config.severity == {"HA101": Severity.WARNING}
    assert config.options == {"HA110": {"strict": True}}


def test_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / CONFIG_FILE, "")
    assert load_config(path) == Config(path=path)
    config = Config()
    assert config.select is None
    assert config.ignore == [] and config.severity == {} and config.options == {}
    assert config.inline_suppressions is True
    assert config.fail_on is None and config.liferay_version is None and config.max_file_size is None
    assert config.secret_keys == []


def test_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(path) == Config(path=path)


def test_config_is_frozen(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / CONFIG_FILE, ""))
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.select = []  # type: ignore[misc]


# ----------------------------------------------------------------------------- load errors


def load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, *, own: bool = False) -> str:
    monkeypatch.chdir(tmp_path)
    name = CONFIG_FILE if own else "pyproject.toml"
    body = text if own else "[tool.liferay-ha-lint]\n" + textwrap.dedent(text).lstrip()
    path = write(tmp_path / name, body)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert isinstance(info.value, ValueError)
    return str(info.value)


def test_unknown_key_suggests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = load_error(tmp_path, monkeypatch, 'selct = ["HA1"]\n')
    assert message == 'pyproject.toml: [tool.liferay-ha-lint] unknown key "selct" (did you mean "select"?)'


def test_snake_case_key_suggests_kebab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = load_error(tmp_path, monkeypatch, "extend_select = []\n", own=True)
    assert message == f'{CONFIG_FILE}: unknown key "extend_select" (did you mean "extend-select"?)'


def test_tool_table_in_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = load_error(tmp_path, monkeypatch, "[tool.liferay-ha-lint]\nselect = []\n", own=True)
    assert 'unknown key "tool"' in message and "top-level keys" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('select = "HA1"', '[tool.liferay-ha-lint] "select" must be a list of rule selectors, got string "HA1"'),
        ("ignore = [1]", '"ignore" must be a list of rule selectors, got array'),
        ('extend-ignore = [""]', '"extend-ignore" contains an empty string'),
        ("severity = []", '"severity" must be a table, got array'),
        ("severity = {HA101 = 2}", '[tool.liferay-ha-lint.severity] "HA101" must be a severity string'),
        ('per-path-ignores = {x = "HA1"}', '[tool.liferay-ha-lint.per-path-ignores] "x" must be a list of rule'),
        ('clusters = "prod"', '"clusters" must be a list of paths, got string "prod"'),
        ("liferay-version = 7.4", '"liferay-version" must be a string, got float 7.4 (quote it'),
        ("fail-on = true", '"fail-on" must be one of error, warning, info, never, got boolean true'),
        ("must-agree = {}", '"must-agree" must be a list of keys, got table'),
        ('inline-suppressions = "no"', '"inline-suppressions" must be true or false, got string "no"'),
        ("max-file-size = true", '"max-file-size" must be a positive integer (bytes), got boolean true'),
        ("max-file-size = 0", '"max-file-size" must be a positive integer (bytes), got integer 0'),
        ("max-file-size = 1.5", '"max-file-size" must be a positive integer (bytes), got float 1.5'),
        ("options = {HA110 = 3}", '[tool.liferay-ha-lint.options] "HA110" must be a table, got integer 3'),
        ("rules = []", '"rules" must be a table, got array'),
        ('secret-keys = "token"', '"secret-keys" must be a list of key patterns, got string "token"'),
        ('secret-keys = ["re:("]', '"secret-keys": "re:(": bad regular expression: missing ), unterminated subpattern'),
        ('secret-keys = ["re:.*"]', '"secret-keys": "re:.*": matches the empty string, so every key would be secret'),
        ('secret-keys = ["*"]', '"secret-keys": "*": a fragment needs at least one letter or digit'),
    ],
)
def test_wrong_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str) -> None:
    message = load_error(tmp_path, monkeypatch, text + "\n")
    assert message.startswith("pyproject.toml: [tool.liferay-ha-lint")
    assert expected in message


def test_bad_severity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = load_error(tmp_path, monkeypatch, '[tool.liferay-ha-lint.severity]\nHA101 = "fatal"\n')
    assert message == (
        'pyproject.toml: [tool.liferay-ha-lint.severity] "HA101": bad severity "fatal" '
        "(expected error, warning or info)"
    )


def test_bad_fail_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = load_error(tmp_path, monkeypatch, 'fail-on = "always"\n')
    assert message == (
        'pyproject.toml: [tool.liferay-ha-lint] "fail-on" must be one of error, warning, info, never, '
        'got string "always"'
    )


def test_bad_liferay_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = load_error(tmp_path, monkeypatch, 'liferay-version = "9.9"\n', own=True)
    assert message.startswith(f'{CONFIG_FILE}: "liferay-version": unknown Liferay version "9.9"')


def test_option_set_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = load_error(tmp_path, monkeypatch, "options.HA110.max-nodes = 1\nrules.HA110.max_nodes = 2\n")
    assert 'option "max_nodes" is set twice' in message


def test_toml_syntax_error_has_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / CONFIG_FILE, 'select = ["HA1"]\nignore = [\n"HA2" "HA3"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    err = info.value
    assert err.line == 3 and err.column is not None
    assert str(err).startswith(f"{CONFIG_FILE}:3:{err.column}: invalid TOML: ")
    assert "(at line" not in str(err)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=f"^{CONFIG_FILE}: cannot read"):
        load_config(tmp_path / CONFIG_FILE)
    path = tmp_path / "bad.toml"
    path.write_bytes(b'select = ["\xff"]\n')
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        load_config(path)


# ----------------------------------------------------------------------------- validate_against_rules


def validate_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> str:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "pyproject.toml", "[tool.liferay-ha-lint]\n" + textwrap.dedent(text).lstrip())
    config = load_config(path)
    with pytest.raises(ConfigError) as info:
        validate_against_rules(config, RULES)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'select = ["HA1", "HA999"]',
            '[tool.liferay-ha-lint] "select": unknown rule selector "HA999"',
        ),
        ('ignore = ["cluster-lnk"]', '"ignore": unknown rule selector "cluster-lnk" (did you mean "cluster-link"?)'),
        ('extend-select = ["HA3"]', '"extend-select": unknown rule selector "HA3"'),
        ('extend-ignore = ["nope-nope-nope"]', '"extend-ignore": unknown rule selector "nope-nope-nope"'),
        (
            "severity = {transport-mismach = 'info'}",
            '[tool.liferay-ha-lint.severity] unknown rule selector "transport-mismach" '
            '(did you mean "transport-mismatch"?)',
        ),
        (
            'per-path-ignores = {"a/**" = ["HA1", "HA9"]}',
            '[tool.liferay-ha-lint.per-path-ignores] "a/**": unknown rule selector "HA9"',
        ),
        ("options.HA999 = {x = 1}", '[tool.liferay-ha-lint.options] unknown rule selector "HA999"'),
    ],
)
def test_unknown_rule_selector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str) -> None:
    message = validate_error(tmp_path, monkeypatch, text + "\n")
    assert message.startswith("pyproject.toml: ")
    assert expected in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[tool.liferay-ha-lint.options.HA110]\nmax-nods = 3\n",
            'pyproject.toml: [tool.liferay-ha-lint.options.HA110] unknown option "max-nods" for rule HA110 '
            '(transport-mismatch) (did you mean "max-nodes"?); its options: max-nodes, ratio, strict, stack, '
            "allowed, hosts, mode, limit",
        ),
        (
            "[tool.liferay-ha-lint.options.HA101]\nx = 1\n",
            "pyproject.toml: [tool.liferay-ha-lint.options.HA101] rule HA101 (cluster-link-disabled) has no options",
        ),
        (
            # a tag selector: every rule it names must accept the option
            "[tool.liferay-ha-lint.options.cluster-link]\nstrict = true\n",
            "rule HA101 (cluster-link-disabled) has no options",
        ),
    ],
)
def test_unknown_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str) -> None:
    assert expected in validate_error(tmp_path, monkeypatch, text)


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("max-nodes = true", 'option "max-nodes" of rule HA110 (transport-mismatch) must be an integer, got boolean'),
        ("max-nodes = 2.5", "must be an integer, got float 2.5"),
        ('max-nodes = "3"', 'must be an integer, got string "3"'),
        ("ratio = true", 'option "ratio" of rule HA110 (transport-mismatch) must be a number, got boolean true'),
        ("strict = 1", 'option "strict" of rule HA110 (transport-mismatch) must be true or false, got integer 1'),
        ("stack = 1", "must be a string, got integer 1"),
        ('allowed = "tcp.xml"', 'option "allowed" of rule HA110 (transport-mismatch) must be a list of strings'),
        ("allowed = [1, 2]", "must be a list of strings, got array"),
        ("hosts = [true]", 'option "hosts" of rule HA110 (transport-mismatch) must be a list of strings'),
        ('mode = "slow"', 'must be one of "fast", "safe", got string "slow"'),
        ('limit = "x"', 'option "limit" of rule HA110 (transport-mismatch) must be an integer, got string "x"'),
    ],
)
def test_wrong_option_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, expected: str) -> None:
    message = validate_error(tmp_path, monkeypatch, f"[tool.liferay-ha-lint.options.HA110]\n{option}\n")
    assert message.startswith("pyproject.toml: [tool.liferay-ha-lint.options.HA110] ")
    assert expected in message


def test_wrong_option_type_real_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = validate_error(tmp_path, monkeypatch, "[tool.liferay-ha-lint.rules.env-drift]\ncount = false\n")
    assert 'option "count" of rule HA608 (env-drift) must be an integer, got boolean false' in message


def test_valid_options_pass(tmp_path: Path) -> None:
    path = write(
        tmp_path / CONFIG_FILE,
        """
        [options.transport-mismatch]
        max-nodes = 3
        ratio = 1
        strict = true
        stack = "udp"
        allowed = ["a", "b"]
        hosts = []
        mode = "fast"
        limit = 7

        [options.HA6]
        ignore-keys = ["k"]

        [options.HA608]
        count = 2
        names = ["n"]
        """,
    )
    config = load_config(path)
    with pytest.raises(ConfigError, match='unknown option "ignore-keys" for rule HA608'):
        validate_against_rules(config, RULES)  # HA6 names HA607 and HA608; only HA607 has ignore-keys
    fixed = dataclasses.replace(config, options={k: v for k, v in config.options.items() if k != "HA6"})
    validate_against_rules(fixed, RULES)


def test_validate_without_file() -> None:
    with pytest.raises(ConfigError, match=r'^"ignore": unknown rule selector "HA9"'):
        validate_against_rules(Config(ignore=["HA9"]), RULES)
    validate_against_rules(Config(), RULES)


# ----------------------------------------------------------------------------- options


def test_build_options() -> None:
    built = build_options(rule("HA110"), {"max-nodes": 3, "allowed": ["x", "y"], "hosts": ["h"], "ratio": 2})
    assert built == TransportOptions(max_nodes=3, allowed=("x", "y"), hosts=["h"], ratio=2.0)
    assert isinstance(built, TransportOptions)
    assert isinstance(built.allowed, tuple) and isinstance(built.hosts, list)
    assert isinstance(built.ratio, float)
    assert build_options(rule("HA110"), {}) == TransportOptions()
    assert build_options(rule("HA101"), {}) is None
    assert build_options(rule("HA608"), {"names": ["a"]}) == RealTypes(names=("a",))


def test_build_options_errors() -> None:
    with pytest.raises(ValueError, match="has no options"):
        build_options(rule("HA101"), {"x": 1})
    with pytest.raises(ValueError, match='unknown option "nope"'):
        build_options(rule("HA110"), {"nope": 1})
    with pytest.raises(ValueError, match="must be an integer, got boolean true"):
        build_options(rule("HA110"), {"max_nodes": True})


def test_options_for_most_specific_wins() -> None:
    options: dict[str, dict[str, object]] = {
        "HA110": {"max-nodes": 2},
        "cluster-link": {"max-nodes": 9, "strict": True},
        "HA1": {"stack": "udp", "max_nodes": 5},
    }
    assert options_for(rule("HA110"), options) == {"max_nodes": 2, "strict": True, "stack": "udp"}
    assert options_for(rule("HA201"), options) == {}
    built = build_options(rule("HA110"), options_for(rule("HA110"), options))
    assert built == TransportOptions(max_nodes=2, strict=True, stack="udp")


# ----------------------------------------------------------------------------- per-path ignores


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("legacy/**", "legacy/node-a/portal-ext.properties", True),
        ("legacy/**", "prod/legacy/portal-ext.properties", False),
        ("**/legacy/**", "prod/legacy/portal-ext.properties", True),
        ("**/legacy/**", "legacy/portal-ext.properties", True),
        ("legacy", "legacy/node-a/portal-ext.properties", True),  # a directory covers its files
        ("legacy/", "legacy/node-a/portal-ext.properties", True),
        ("node-b", "prod/node-b/portal-ext.properties", True),  # no slash: any component
        ("*.config", "prod/node-a/osgi/configs/x.config", True),
        ("*.config", "prod/node-a/portal-ext.properties", False),
        ("prod/*/portal-ext.properties", "prod/node-a/portal-ext.properties", True),
        ("prod/*/portal-ext.properties", "prod/a/b/portal-ext.properties", False),
        ("prod/**/portal-ext.properties", "prod/a/b/portal-ext.properties", True),
        ("prod/**/portal-ext.properties", "prod/portal-ext.properties", True),
        ("node-?/*.properties", "node-a/portal-ext.properties", True),
        ("node-[ab]/*", "node-b/x", True),
        ("node-[!ab]/*", "node-b/x", False),
        ("node-[!ab]/*", "node-c/x", True),
        ("./prod/**", "prod/x", True),
        ("prod/**", "./prod/x", True),
        ("prod/**", "prod\\node\\x", True),
        ("prod/**", "production/x", False),
        ("Prod/**", "prod/x", False),
        ("", "prod/x", False),
        ("[", "[", True),
    ],
)
def test_glob_matches(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected


def test_path_ignored() -> None:
    ppi = {"legacy/**": ["cluster-link"], "*.config": ["HA2"], "staging": ["HA001"]}
    assert path_ignored("legacy/n/portal-ext.properties", rule("HA101"), ppi, RULES)
    assert path_ignored("legacy/n/portal-ext.properties", rule("HA110"), ppi, RULES)
    assert not path_ignored("legacy/n/portal-ext.properties", rule("HA201"), ppi, RULES)
    assert path_ignored("prod/n/osgi/configs/a.config", rule("HA201"), ppi, RULES)
    assert not path_ignored("prod/n/portal-ext.properties", rule("HA201"), ppi, RULES)
    assert path_ignored("staging/n/portal-ext.properties", rule("HA001"), ppi, RULES)
    assert not path_ignored("prod/n/portal-ext.properties", rule("HA001"), {}, RULES)


def test_must_agree_extends_the_setting_drift_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The top-level ``must-agree`` list reaches HA607: a key outside its defaults is compared."""
    import json
    import shutil

    from linter.cli import main

    cluster = tmp_path / "cluster"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures/clusters/healthy-74-unicast-tcpping", cluster)
    with (cluster / "node2" / "portal-ext.properties").open("a", encoding="utf-8") as handle:
        handle.write("layout.user.private.layouts.enabled=false\n")
    config = tmp_path / "liferay-ha-lint.toml"

    def drift(config_text: str) -> list[str]:
        config.write_text(config_text, encoding="utf-8")
        main(["check", "--config", str(config), "--select", "HA607", "--format", "json", str(cluster)])
        findings = json.loads(capsys.readouterr().out)["findings"]
        return [f["message"].split(" ", 1)[0] for f in findings]

    assert drift("") == []
    assert drift('must-agree = ["layout.user.private.layouts.enabled"]\n') == ["layout.user.private.layouts.enabled"]
