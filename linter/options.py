"""Rule options: ``[options.SELECTOR]`` tables typed against each rule's options dataclass.

One merge for every caller: every selector that names the rule (id, name, alias, id prefix, tag)
contributes its table, the more specific selector winning (``HA607`` over ``HA6`` over a tag), in
the order written on equal specificity. ``convert_option`` checks a name and a value against the
dataclass field (the config loader reports errors with it); ``build_options`` makes the instance
the rule receives.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from linter.select import specificity
from linter.suggest import did_you_mean

if TYPE_CHECKING:
    import ast

    from linter.ruleapi import Rule

__all__ = ["build_options", "convert_option", "describe_value", "options_for"]


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


def describe_value(value: object) -> str:
    kind = _toml_kind(value)
    if isinstance(value, str | int | float) and len(repr(value)) <= 40:
        if isinstance(value, str):
            shown = f'"{value}"'
        else:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
        return f"{kind} {shown}"
    return kind


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


def convert_option(rule: Rule, name: str, value: object) -> tuple[str, object]:
    """(field name, converted value) for one option of ``rule``; ValueError with a message otherwise."""
    if rule.options is None:
        raise ValueError(f"rule {_rule_label(rule)} has no options")
    fields = _option_fields(rule.options)
    normal = name.replace("-", "_")
    if normal not in fields:
        known = [f.replace("_", "-") for f in fields]
        hint = did_you_mean(normal.replace("_", "-"), known)
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
            f'option "{name}" of rule {_rule_label(rule)} must be {_describe(spec)}, got {describe_value(value)}'
        ) from None


def build_options(rule: Rule, overrides: Mapping[str, object]) -> object:
    """An instance of ``rule``'s options dataclass with ``overrides`` applied (names in kebab or
    snake case; lists become tuples for tuple fields); None for a rule without options and no
    overrides. Bad names or types raise ValueError."""
    if rule.options is None and not overrides:
        return None
    kwargs: dict[str, object] = {}
    for name, value in overrides.items():
        field_name, converted = convert_option(rule, name, value)
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
