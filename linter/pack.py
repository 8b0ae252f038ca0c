"""Loading rule packs: ``rules/ha*.py`` by path under a private module name (never as ``rules``).

The built-in pack ships inside the wheel as ``linter/_rules/`` (a mapping of the checkout's
``rules/*.py``); in a checkout the ``rules/`` directory beside ``linter/`` is used. Extra packs
come from ``--rules-dir`` or the entry-point group ``liferay_ha_lint.packs`` (each entry point is
a callable returning a directory). Nothing is ever loaded from an audited directory.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from linter.ruleapi import ID_PATTERN, NAME_PATTERN, Rule

ENTRY_POINT_GROUP = "liferay_ha_lint.packs"
_REQUIRED_DOCS = ("summary", "rationale", "fix")


class PackError(Exception):
    """A rule pack that cannot be loaded (bad metadata, duplicate ids, import failure)."""


def builtin_pack_dir() -> Path:
    """``linter/_rules`` in an installed wheel, else ``rules/`` of the checkout."""
    packaged = Path(__file__).resolve().parent / "_rules"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "rules"
    if checkout.is_dir():
        return checkout
    raise PackError("the built-in rule pack is missing (neither linter/_rules nor rules/ exists)")


def _module_name(pack: str, path: Path, directory: str | None = None) -> str:
    """``directory``: the resolved parent of ``path`` when the caller has it (one resolve per pack)."""
    digest = zlib.crc32((directory if directory is not None else str(path.parent.resolve())).encode())
    return f"linter._pack.{pack}_{digest:08x}.{path.stem}"


def _validate(rule: Rule, path: Path) -> None:
    where = f"{path.name}: rule {rule.id}"
    if not ID_PATTERN.match(rule.id):
        raise PackError(f"{path.name}: rule id {rule.id!r} must be HA followed by three digits")
    if not path.stem.lower().startswith(rule.id.lower() + "_"):
        raise PackError(f"{where}: file name must start with {rule.id.lower()}_ (got {path.name})")
    if not NAME_PATTERN.match(rule.name):
        raise PackError(f"{where}: name {rule.name!r} must be kebab-case")
    for attr in _REQUIRED_DOCS:
        if not str(getattr(rule, attr)).strip():
            raise PackError(f"{where}: missing {attr}")
    if not rule.sources:
        raise PackError(f"{where}: missing sources (where the Liferay fact comes from)")
    if rule.scope in ("node", "cluster") and rule.check is None:
        raise PackError(f"{where}: a {rule.scope} rule needs a check function")
    if rule.options is not None:
        try:
            rule.options()
        except TypeError as exc:
            raise PackError(f"{where}: options must be a dataclass with defaults for every field ({exc})") from exc


def load_file(path: Path, pack: str = "builtin", directory: str | None = None) -> list[Rule]:
    name = _module_name(pack, path, directory)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PackError(f"cannot load rule file {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and tracebacks need the module registered
    # a pack may lie in an audited tree: importing it must not write __pycache__ there (the
    # built-in pack is part of the installed tool and keeps Python's usual caching)
    writes = sys.dont_write_bytecode
    sys.dont_write_bytecode = writes or pack != "builtin"
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise PackError(f"{path.name}: import failed: {type(exc).__name__}: {exc}") from exc
    finally:
        sys.dont_write_bytecode = writes
    rules = [replace(v, module=str(path)) for v in vars(module).values() if isinstance(v, Rule)]
    if not rules:
        raise PackError(f"{path.name}: defines no rule")
    for r in rules:
        _validate(r, path)
    return rules


def load_pack(directory: Path, pack: str = "builtin") -> list[Rule]:
    if not directory.is_dir():
        raise PackError(f"rule pack directory {directory} does not exist")
    rules: list[Rule] = []
    resolved = str(directory.resolve())
    for path in sorted(directory.glob("ha*.py")):
        rules.extend(load_file(path, pack, resolved if path.parent == directory else None))
    return rules


def _entry_points() -> list[tuple[str, str]]:
    """(name, "module:attr") of the entry points in our group, read from the installed
    distributions' ``entry_points.txt`` directly: ``importlib.metadata`` costs ~40 ms of imports on
    every run, the plain scan a millisecond."""
    found: dict[str, str] = {}
    header = f"[{ENTRY_POINT_GROUP}]"
    for entry in sys.path:
        base = Path(entry or ".")
        try:
            candidates = sorted(base.glob("*.dist-info/entry_points.txt")) + sorted(
                base.glob("*.egg-info/entry_points.txt")
            )
        except OSError:
            continue
        for path in candidates:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                continue
            if header not in text:
                continue
            in_group = False
            for raw in text.splitlines():
                line = raw.strip()
                if line.startswith("["):
                    in_group = line == header
                elif in_group and "=" in line and not line.startswith(("#", ";")):
                    name, _, target = line.partition("=")
                    found.setdefault(name.strip(), target.strip())
    return sorted(found.items())


def _entry_point_dirs() -> Iterable[tuple[str, Path]]:
    for name, target in _entry_points():
        module_name, _, attr = target.partition(":")
        try:
            obj: object = importlib.import_module(module_name.strip())
            for part in attr.split(".") if attr else ():
                obj = getattr(obj, part.strip())
            directory = Path(obj() if callable(obj) else str(obj))
        except Exception as exc:
            raise PackError(f"entry point {name} ({ENTRY_POINT_GROUP}) failed: {exc}") from exc
        yield name, directory


def load_rules(extra_dirs: Sequence[Path] = (), use_entry_points: bool = True) -> list[Rule]:
    """Every rule of the built-in pack and the extra packs, checked for unique ids and names."""
    rules = load_pack(builtin_pack_dir(), "builtin")
    for i, directory in enumerate(extra_dirs):
        rules.extend(load_pack(directory, f"dir{i}"))
    if use_entry_points:
        for name, directory in _entry_point_dirs():
            rules.extend(load_pack(directory, f"ep_{name}"))
    seen_ids: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for r in rules:
        if r.id in seen_ids:
            raise PackError(f"duplicate rule id {r.id} in {Path(r.module).name} and {Path(seen_ids[r.id]).name}")
        seen_ids[r.id] = r.module
        for name in (r.name, *r.aliases):
            if name in seen_names:
                raise PackError(
                    f"duplicate rule name {name!r} in {Path(r.module).name} and {Path(seen_names[name]).name}"
                )
            seen_names[name] = r.module
    return sorted(rules, key=lambda r: r.id)
