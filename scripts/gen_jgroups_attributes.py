"""Generate ``linter/liferay/data/jgroups-attributes.json`` from JGroups' own sources.

For each JGroups line Liferay bundles (4.1: ``JGroups-4.1.7.Final``; 5.5: ``jgroups-5.5.6.Final``)
the table holds every protocol class under ``org.jgroups.protocols`` (dotted below that package:
``UDP``, ``pbcast.GMS``) with the XML attribute names JGroups accepts on it (its and its
superclasses' ``@Property`` names) and the ``@Component`` prefixes (``auth_token.``, ``bundler.``,
``diag.``) whose attributes JGroups checks later against the component's run-time class; and the
``AuthToken`` classes under ``org.jgroups.auth``. ``Configurator.initializeAttrs`` throws
``JGRP000001 ... properties in %s are not recognized`` for any attribute left over, so an
attribute known on one line and absent on the other is one the other line rejects.

Usage: ``python scripts/gen_jgroups_attributes.py <JGroups git dir>`` (e.g. the mirror of
github:belaban/JGroups); reads the tags with ``git show``/``git ls-tree``, never a work tree.
The parser is a reading of the Java text (annotations, field and setter declarations), not a
compiler: attributes declared in nested classes count for the outer class (an over-count, so a
rule built on "absent from 5.5" errs towards silence).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

LINES = {"4.1": "JGroups-4.1.7.Final", "5.5": "jgroups-5.5.6.Final"}
OUT = Path(__file__).resolve().parent.parent / "linter" / "liferay" / "data" / "jgroups-attributes.json"
PROTOCOLS = "src/org/jgroups/protocols/"
AUTH = "src/org/jgroups/auth/"

_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\])*\"", re.DOTALL)
_CLASS = re.compile(r"\b(?:class|interface)\s+(\w+)(?:\s*<[^{]*?>)?\s*(?:extends\s+([\w.]+))?")
_NAME_ARG = re.compile(r"\bname\s*=\s*\"([^\"]*)\"")
_UPPER = re.compile(r"[A-Z]+")


def _git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def _strip_comments(text: str) -> str:
    # keep string literals (annotation names live in them), drop comments
    return _COMMENTS.sub(lambda m: m.group(0) if m.group(0).startswith('"') else " ", text)


def _balanced(text: str, start: int) -> int:
    """The index after the parenthesis group opening at ``start`` (string literals skipped)."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def method_to_attribute(method: str) -> str:
    """``Util.methodNameToAttributeName`` (5.5.6): setFooBar -> foo_bar, setBindAddr -> bind_addr."""
    name = method
    if (method.startswith(("get", "set"))) and len(method) > 3:
        name = method[3:]
    elif method.startswith("is") and len(method) > 2:
        name = method[2:]
    out: list[str] = []
    end = 0
    for m in _UPPER.finditer(name):
        out.append(name[end : m.start()])
        part = m.group(0).lower()
        if len(part) > 1:
            part = part[:-1] + "_" + part[-1]
        out.append(part if m.start() == 0 else "_" + part)
        end = m.end()
    out.append(name[end:])
    result = "".join(out)
    return result or method


def _annotated(text: str, annotation: str) -> list[tuple[str | None, str, str]]:
    """(explicit name, the declared member's attribute name, its declared type) of each ``@annotation``."""
    found: list[tuple[str | None, str, str]] = []
    for m in re.finditer(rf"@{annotation}\b", text):
        i = m.end()
        explicit: str | None = None
        while i < len(text) and text[i].isspace():
            i += 1
        if i < len(text) and text[i] == "(":
            end = _balanced(text, i)
            arg = _NAME_ARG.search(text[i:end])
            explicit = arg.group(1) if arg else None
            i = end
        # skip further annotations
        rest = text[i:]
        while True:
            rest = rest.lstrip()
            a = re.match(r"@\w+(?:\.\w+)*", rest)
            if a is None:
                break
            rest = rest[a.end() :].lstrip()
            if rest.startswith("("):
                rest = rest[_balanced(rest, 0) :]
        decl = re.match(r"[^;={(]*", rest)
        head = decl.group(0) if decl else ""
        after = rest[len(head) : len(head) + 1]
        words = re.findall(r"\w+", head)
        if not words:
            continue
        member = words[-1]
        kind = re.sub(r"<.*", "", head.strip().rsplit(None, 1)[0]).split()[-1] if len(words) > 1 else ""
        found.append((explicit, method_to_attribute(member) if after == "(" else member, kind))
    return found


def _read_classes(repo: str, tag: str) -> dict[str, dict[str, object]]:
    """Every top-level class under src/org/jgroups: dotted path -> package, superclass, properties, components."""
    files = [
        f for f in _git(repo, "ls-tree", "-r", "--name-only", tag, "src/org/jgroups/").split() if f.endswith(".java")
    ]
    classes: dict[str, dict[str, object]] = {}
    for path in files:
        text = _strip_comments(_git(repo, "show", f"{tag}:{path}"))
        name = path.rsplit("/", 1)[-1][:-5]
        declared = next((m for m in _CLASS.finditer(text) if m.group(1) == name), None)
        if declared is None:
            continue
        properties = sorted({explicit or member for explicit, member, _ in _annotated(text, "Property")})
        components = sorted(
            {f"{explicit or member}:{kind}" for explicit, member, kind in _annotated(text, "Component")}
        )
        key = path[len("src/") : -len(".java")].replace("/", ".")
        classes[key] = {
            "interface": re.search(rf"\binterface\s+{name}\b", text) is not None,
            "extends": declared.group(2),
            "properties": properties,
            "components": components,
            "imports": re.findall(r"^import\s+([\w.]+)\s*;", text, re.MULTILINE),
        }
    return classes


def _superclass(classes: dict[str, dict[str, object]], key: str) -> str | None:
    parent = classes[key]["extends"]
    return _resolve(classes, key, parent) if isinstance(parent, str) else None


def _resolve(classes: dict[str, dict[str, object]], key: str, parent: str) -> str | None:
    """A type name used in class ``key`` as a class key: qualified, same package, imported, else unique."""
    if parent in classes:
        return parent
    simple = parent.rsplit(".", 1)[-1]
    package = key.rsplit(".", 1)[0]
    if f"{package}.{simple}" in classes:
        return f"{package}.{simple}"
    imports = classes[key]["imports"]
    assert isinstance(imports, list)
    for imported in imports:
        if imported.rsplit(".", 1)[-1] == simple and imported in classes:
            return str(imported)
    same = [k for k in classes if k.rsplit(".", 1)[-1] == simple]
    return same[0] if len(same) == 1 else None


def _component(classes: dict[str, dict[str, object]], key: str, kind: str) -> list[str] | None:
    """The attributes a component of declared type ``kind`` accepts: the union over the type and every
    class below it (the run-time class may be any of them); None when the type is an interface or
    unknown (any attribute may be valid)."""
    resolved = _resolve(classes, key, kind)
    if resolved is None or classes[resolved]["interface"]:
        return None
    names: set[str] = set()
    for other in classes:
        current: str | None = other
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current == resolved:
                names.update(_effective(classes, other)[0])
                break
            seen.add(current)
            current = _superclass(classes, current)
    return sorted(names)


def _effective(classes: dict[str, dict[str, object]], key: str) -> tuple[set[str], set[str]]:
    properties: set[str] = set()
    components: set[str] = set()
    seen: set[str] = set()
    current: str | None = key
    while current is not None and current not in seen:
        seen.add(current)
        props = classes[current]["properties"]
        comps = classes[current]["components"]
        assert isinstance(props, list) and isinstance(comps, list)
        properties.update(props)
        components.update(comps)
        current = _superclass(classes, current)
    return properties, components


def line_table(repo: str, tag: str) -> dict[str, object]:
    classes = _read_classes(repo, tag)
    protocols: dict[str, dict[str, object]] = {}
    prefix = "org.jgroups.protocols."
    for key in sorted(classes):
        if not key.startswith(prefix):
            continue
        properties, components = _effective(classes, key)
        if not properties and not components:
            continue  # interfaces, helpers, headers
        parts: dict[str, list[str] | None] = {}
        for component in sorted(components):
            name, _, kind = component.partition(":")
            parts[name] = _component(classes, key, kind) if kind else None
        protocols[key[len(prefix) :]] = {"attributes": sorted(properties), "components": parts}
    tokens = sorted(k[len("org.jgroups.auth.") :] for k in classes if k.startswith("org.jgroups.auth."))
    return {"tag": tag, "protocols": protocols, "auth_classes": tokens}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    repo = argv[1]
    table = {
        "source": "github:belaban/JGroups, @Property/@Component names per class (scripts/gen_jgroups_attributes.py)",
        "lines": {line: line_table(repo, tag) for line, tag in LINES.items()},
    }
    OUT.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
