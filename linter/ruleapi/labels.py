"""Labels at origins: where a finding (or one of its related places) points.

A label names the node and, when the origin has one, the file and line; defaults and built-ins
have no line in the user's files, so their label says where the value comes from instead.
Re-exported by ``linter.ruleapi`` and used by the family helpers beside it, which build labels
for rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.diagnostics import Label
from linter.origin import Origin, OriginKind, Setting

if TYPE_CHECKING:
    from linter.model import Node, Reference
    from linter.sources.jgroups import Protocol, ProtocolAttr


def label_at(node: Node | None, origin: Origin, text: str = "") -> Label:
    """A label at an origin; for defaults and built-ins the label says so instead of a line."""
    name = node.name if node is not None else None
    if origin.kind in (OriginKind.FILE, OriginKind.ENV, OriginKind.JVM) and origin.file and origin.line:
        return Label(
            node=name,
            file=origin.file,
            line=origin.line,
            column=origin.column,
            end_line=origin.end_line,
            end_column=origin.end_column,
            text=text,
        )
    if origin.kind is OriginKind.FILE and origin.file:
        return Label(node=name, file=origin.file, text=text)  # a whole file (unreadable, refused)
    if origin.kind in (OriginKind.ENV, OriginKind.JVM):
        return Label(node=name, file=origin.file or None, text=text, origin=origin.describe())
    fallback = None
    if node is not None:
        main = next((s.file.path for s in node.properties if s.role == "portal-ext.properties"), None)
        fallback = main or node.path
    return Label(node=name, file=fallback, text=text, origin=origin.detail or origin.describe())


def label(node: Node, setting: Setting | None, text: str = "", key: str | None = None) -> Label:
    """A label at the effective definition of a setting (or the node, when it is unset)."""
    if setting is None:
        return label_at(
            node, Origin(file=node.path, kind=OriginKind.COMPUTED, detail=f"{key or 'setting'} not set"), text
        )
    return label_at(node, setting.origin, text)


def stack_label(
    node: Node, ref: Reference, protocol: Protocol | None = None, attr: ProtocolAttr | None = None, text: str = ""
) -> Label:
    """A label at a JGroups stack: the attribute or protocol line in the node's XML file, the
    property that holds an inline stack, or the property naming a built-in stack (whose content
    has no line in the user's files)."""
    if ref.kind == "file" and ref.origin.file:
        line = attr.line if attr is not None else (protocol.line if protocol is not None else 1)
        column = attr.column if attr is not None else (protocol.column if protocol is not None else 1)
        return Label(node=node.name, file=ref.origin.file, line=line, column=column, text=text)
    return label(node, ref.setting, text)
