"""HA602 osgi-config-syntax: .config typed values that parse but do not mean what they say."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.ruleapi import ERROR, Context, Finding, Label, Node, OriginKind, label_at, rule
from linter.ruleapi.osgi import OVERRIDE_PREFIX, is_osgi_file
from linter.ruleapi.text import LazyPattern

# A PID is a dotted symbolic name (Felix ConfigurationHandler NAME_CHARS: letters, digits, '_', '-', '.').
_PID = LazyPattern(r"[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)+")
_SUBNAME = LazyPattern(r"[\w.$@-]+")
_INTEGER_RANGES = {
    "X": (-(2**7), 2**7 - 1),
    "S": (-(2**15), 2**15 - 1),
    "I": (-(2**31), 2**31 - 1),
    "L": (-(2**63), 2**63 - 1),
}
_TYPE_NAMES = {"X": "Byte", "S": "Short", "I": "Integer", "L": "Long"}
_TYPED_OR_QUOTED = LazyPattern(r'^[TILFDXSCBtilfdxscb]?["\[(]')
_SPACE_BETWEEN_ITEMS = LazyPattern(r'"\s*,\s+"|"\s+,')


def _items(text: str) -> list[str]:
    """The raw item strings of an entry's canonical text (marker + quoted item or bracketed list)."""
    body = text[1:] if text[:1].isalpha() else text
    if body[:1] in "[(":
        body = body[1:-1]
    items: list[str] = []
    i = 0
    while i < len(body):
        if body[i] != '"':
            i += 1
            continue
        i += 1
        out: list[str] = []
        while i < len(body) and body[i] != '"':
            if body[i] == "\\" and i + 1 < len(body):
                i += 1
            out.append(body[i])
            i += 1
        items.append("".join(out))
        i += 1
    return items


def _pid_problem(pid: str, factory: str | None, file_name: str) -> str | None:
    base = factory or pid
    if base.endswith((".config", ".cfg")):
        return f"{file_name} has a doubled extension: the PID would be {base!r}"
    if not _PID.fullmatch(base):
        return (
            f"{file_name} is not named after a configuration PID ({base!r} is not a dotted name of letters, "
            "digits, '_' and '-' such as com.liferay.journal.configuration.JournalServiceConfiguration)"
        )
    if factory is not None:
        sub = pid[len(factory) + 1 :]
        if not sub or not _SUBNAME.fullmatch(sub):
            return f"{file_name} has an unusable factory sub-name {sub!r}"
    return None


@rule(
    id="HA602",
    name="osgi-config-syntax",
    severity=ERROR,
    scope="node",
    versions=">=7.0",
    tags=("osgi", "hygiene"),
    summary='.config values that parse but are wrong: B"yes", non-numeric typed numbers, spaces between '
    "array items, a file name that is not a PID, a repeated key, a configuration.override.* value that is "
    "no .config value.",
    rationale=(
        "Liferay reads osgi/configs/*.config with Felix ConfigAdmin's ConfigurationHandler. Syntax errors are "
        'reported as HA002; this rule covers what parses but does not mean what it says. B"..." is '
        'Boolean.valueOf, so anything but true (any case) is false: B"yes" disables. Typed numbers (I, L, S, '
        "X) go through Integer.valueOf and friends: a value with blanks, underscores or out of range makes the "
        "file fail to load. liferay-learn: in multi-value settings a space after the comma makes the property "
        "ignored. The file name is the PID ('the system enforces the configuration file's name'; a copy named "
        "'... (1).config' or '.config.config' binds to nothing). A key repeated in one file keeps only its "
        "last value. configuration.override.<pid>_<key> portal properties hold a .config value: Liferay splits "
        "the key at its first underscore and parses the value with its ConfigurationHandler, so a bare false or "
        "5 is not parsed and the override is ignored (liferay-learn: 'Configuration properties must specify "
        "type markers')."
    ),
    fix='Write B"true"/B"false", plain integers, ["a","b"] without spaces, the exact PID as file name, each '
    "key once, and a type marker on configuration.override values.",
    # facts: liferay-ha-facts.md §1.4; read in: petershin/liferay-learn
    sources=(
        (
            "Liferay Learn, 'Using Configuration Files' (section 'Configuration Files and Clustering') (multi-value "
            "syntax, escaping, type markers, file name = PID, configuration.override.* needs type markers): https://"
            "learn.liferay.com/w/dxp/system-administration/configuring-liferay/configuration-files-and-factories/"
            "using-configuration-files"
        ),
        (
            "Apache Felix Configuration Admin, ConfigurationHandler.java (how .config values are read): https://"
            "github.com/apache/felix-dev/blob/master/configadmin/src/main/java/org/apache/felix/cm/file/"
            "ConfigurationHandler.java"
        ),
    ),
)
def check(node: Node, ctx: Context) -> Iterator[Finding]:
    for config in node.osgi:
        if not is_osgi_file(config.where):
            continue
        name = config.where.rsplit("/", 1)[-1]
        problem = _pid_problem(config.pid, config.factory_pid, name)
        if problem is not None:
            yield Finding(
                f"{problem}; Liferay binds a configuration file by its name, so these settings never apply",
                Label(node=node.name, file=config.path, text="not a PID"),
                help="name the file <PID>.config (or <factoryPID>~<name>.config)",
                subject=f"{name}:name",
            )
        if not name.endswith(".config"):
            continue  # .cfg files are plain properties: no typed values
        seen: dict[str, int] = {}
        for index, entry in enumerate(config.entries):
            if entry.key in seen:
                first = config.entries[seen[entry.key]]
                if first.text != entry.text:
                    yield Finding(
                        f"{entry.key} is set twice in {name} (lines {first.origin.line} and {entry.origin.line}); "
                        f"ConfigAdmin keeps only the last value, {entry.text}",
                        label_at(node, entry.origin, "wins"),
                        (label_at(node, first.origin, "ignored"),),
                        help=f"keep one {entry.key} line",
                        subject=f"{config.pid}:{entry.key}:duplicate",
                    )
            seen[entry.key] = index
            marker = entry.marker.upper()
            items = _items(entry.text)
            if marker == "B":
                bad = [i for i in items if i.lower() not in ("true", "false")]
                if bad:
                    yield Finding(
                        f"{entry.key}={entry.text} in {name}: B values are read with Boolean.valueOf, so "
                        f"{', '.join(repr(b) for b in bad)} is false",
                        label_at(node, entry.origin, "read as false"),
                        help=f'write {entry.key}=B"true" or B"false"',
                        subject=f"{config.pid}:{entry.key}",
                    )
            elif marker in _INTEGER_RANGES:
                low, high = _INTEGER_RANGES[marker]
                bad = [i for i in items if not re.fullmatch(r"[+-]?\d+", i) or not low <= int(i) <= high]
                if bad:
                    yield Finding(
                        f"{entry.key}={entry.text} in {name}: {', '.join(repr(b) for b in bad)} is not a Java "
                        f"{_TYPE_NAMES[marker]} ({low}..{high}, digits only), so ConfigAdmin fails on this file",
                        label_at(node, entry.origin, "not a number"),
                        help=f'write a plain integer, e.g. {entry.key}={entry.marker}"5"',
                        subject=f"{config.pid}:{entry.key}",
                    )
            # The value as written is not in the model yet (requested as OsgiEntry.raw); until then the
            # reader's normalised text cannot show the spaces.
            raw = getattr(entry, "raw", None)
            if isinstance(raw, str):
                body = raw.strip()
                body = body[1:] if body[:1].isalpha() else body
                if body[:1] in ("[", "(") and _SPACE_BETWEEN_ITEMS.search(body):
                    yield Finding(
                        f"{entry.key} in {name} has a space between list items; liferay-learn: with a space "
                        "after the comma the property is ignored",
                        label_at(node, entry.origin, "space between items"),
                        help='write ["a","b"] without spaces',
                        subject=f"{config.pid}:{entry.key}:space",
                    )
    for source in node.properties:
        if source.role == "builtin":
            continue
        for prop in source.file.entries:
            if prop.origin.kind is not OriginKind.FILE or not prop.key.startswith(OVERRIDE_PREFIX):
                continue
            rest = prop.key[len(OVERRIDE_PREFIX) :]
            if "_" not in rest:
                yield Finding(
                    f"{prop.key} does not name <pid>_<key>: the PID and the configuration key are joined with "
                    "an underscore",
                    label_at(node, prop.origin, "no _<key>"),
                    help="write configuration.override.<pid>_<key>=<typed value>",
                    subject=prop.key,
                )
            elif not _TYPED_OR_QUOTED.match(prop.value.strip()):
                yield Finding(
                    f"{prop.key}={prop.value.strip()!r} is not a .config value: Liferay parses configuration.override "
                    "values with its ConfigurationHandler, which needs a quoted value with a type marker for "
                    'non-strings (B"false", I"5", "text", ["a","b"]); it logs \'Unable to parse property\' and '
                    "ignores the override",
                    label_at(node, prop.origin, "not a typed value"),
                    help=f'write the value as in a .config file, e.g. B"{prop.value.strip()}"'
                    if prop.value.strip().lower() in ("true", "false")
                    else 'write the value as in a .config file, e.g. I"5" or "text"',
                    subject=prop.key,
                )
