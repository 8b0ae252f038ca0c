"""YAML (compose files, Kubernetes manifests) read safely, keeping line and column of every value.

PyYAML's safe composer builds a node graph without constructing any object; this module turns
that graph into :class:`YNode` values with positions. Aliases are expanded with a budget (a
"billion laughs" document is refused, not expanded), ``<<`` merge keys are applied as compose
and Kubernetes tooling do, and tags never build Python objects. Every failure is a problem
with a position, never an exception.
"""

from __future__ import annotations

from typing import NamedTuple

from linter.origin import Origin, Problem, ProblemKind

MAX_NODES = 200_000  # values produced after alias expansion; real manifests hold a few thousand
MAX_DEPTH = 200


class YNode(NamedTuple):
    """A YAML value: ``str`` (every scalar, as written), ``list`` or ``dict`` of YNodes, or None."""

    value: str | list[YNode] | dict[str, YNode] | None
    line: int  # 1-based position of the value's first character
    column: int
    end_line: int
    end_column: int
    style: str | None = None  # scalar style: '|', '>', '"', "'" or None (plain)
    key_line: int | None = None  # for a mapping value: where its key is
    key_column: int | None = None

    def get(self, key: str) -> YNode | None:
        return self.value.get(key) if isinstance(self.value, dict) else None

    def text(self, key: str) -> str | None:
        child = self.get(key)
        return child.value if child is not None and isinstance(child.value, str) else None

    def items(self) -> list[YNode]:
        return self.value if isinstance(self.value, list) else []

    def seq(self, key: str) -> list[YNode]:
        """The items of the sequence under ``key``; empty when it is absent or not a sequence."""
        child = self.get(key)
        return child.items() if child is not None else []

    def at(self, *keys: str) -> YNode | None:
        """The value down a path of mapping keys (``spec``, ``template``, ``spec``), or None."""
        node: YNode | None = self
        for key in keys:
            node = node.get(key) if node is not None else None
        return node

    def mapping(self) -> dict[str, YNode]:
        return self.value if isinstance(self.value, dict) else {}

    @property
    def scalar(self) -> str | None:
        return self.value if isinstance(self.value, str) else None

    def origin(self, display: str) -> Origin:
        line = self.key_line or self.line
        column = self.key_column or self.column
        return Origin(display, line, column, self.end_line, max(self.end_column - 1, 1), self.line, self.column)


class YamlDocs(NamedTuple):
    display: str
    text: str
    documents: tuple[YNode, ...]
    problems: tuple[Problem, ...] = ()


class _Budget(Exception):
    pass


def parse_yaml(data: bytes, display: str) -> YamlDocs:
    """Every document of a YAML stream; a document that cannot be read becomes a problem."""
    import yaml

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return YamlDocs(
            display, "", (), (Problem(ProblemKind.MALFORMED, f"not UTF-8: {exc.reason}", Origin(display, line, 1)),)
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    docs: list[YNode] = []
    problems: list[Problem] = []
    try:
        loader = loader_cls(text)
        try:
            while loader.check_node():
                node = loader.get_node()
                if node is not None:
                    docs.append(_convert(node, [0], 0))
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        where = Origin(display, mark.line + 1, mark.column + 1) if mark is not None else Origin(display)
        problems.append(Problem(ProblemKind.MALFORMED, f"YAML syntax: {what}", where))
    except _Budget as exc:
        problems.append(Problem(ProblemKind.REFUSED, f"YAML refused: {exc}", Origin(display, 1, 1)))
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        problems.append(
            Problem(ProblemKind.MALFORMED, f"YAML: {str(exc).splitlines()[0] if str(exc) else exc}", Origin(display))
        )
    return YamlDocs(display, text, tuple(docs), tuple(problems))


def _pos(node: object) -> tuple[int, int, int, int]:
    start = node.start_mark  # type: ignore[attr-defined]
    end = node.end_mark  # type: ignore[attr-defined]
    return start.line + 1, start.column + 1, end.line + 1, end.column + 1


def _convert(node: object, count: list[int], depth: int) -> YNode:
    import yaml

    count[0] += 1
    if count[0] > MAX_NODES:
        raise _Budget(f"more than {MAX_NODES} values after expanding aliases (an alias bomb?)")
    if depth > MAX_DEPTH:
        raise _Budget(f"nested deeper than {MAX_DEPTH} levels")
    line, column, end_line, end_column = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        value: str | None = node.value
        if (
            node.tag == "tag:yaml.org,2002:null"
            and node.style is None
            and node.value in ("", "~", "null", "Null", "NULL")
        ):
            value = None
        return YNode(value, line, column, end_line, end_column, node.style)
    if isinstance(node, yaml.SequenceNode):
        return YNode([_convert(item, count, depth + 1) for item in node.value], line, column, end_line, end_column)
    assert isinstance(node, yaml.MappingNode)
    result: dict[str, YNode] = {}
    merged: dict[str, YNode] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or (key_node.value == "<<" and key_node.style is None):
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                converted = _convert(source, count, depth + 1)
                for k, v in converted.mapping().items():
                    merged.setdefault(k, v)
            continue
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(_pos(key_node))
        child = _convert(value_node, count, depth + 1)
        kline, kcol, _el, _ec = _pos(key_node)
        result[str(key)] = child._replace(key_line=kline, key_column=kcol)
    for k, v in merged.items():
        result.setdefault(k, v)
    return YNode(result, line, column, end_line, end_column)


def block_content(text: str, node: YNode, name: str = "") -> bytes:
    """The content of a scalar laid out at its own lines of the YAML file.

    A literal block (``|``) keeps every line and column: line N of the result is line N of the
    manifest, so a reader's diagnostics point into the manifest. Other styles place the value
    at the scalar's line. An XML declaration, which must start a document, is blanked out.
    """
    value = node.scalar or ""
    if node.style == "|":
        lines = text.splitlines()
        first = node.line  # the indicator's line; content starts on the next one
        last = node.end_line - 1 if node.end_column == 1 else node.end_line
        body = lines[first:last]
        content = "\n" * first + "\n".join(body) + "\n"
    else:
        content = "\n" * (node.line - 1) + " " * (node.column - 1) + value
    if name.endswith(".xml"):
        stripped = content.lstrip()
        if stripped.startswith("<?xml"):
            start = len(content) - len(stripped)
            end = content.find("?>", start)
            if end > 0:
                content = content[:start] + " " * (end + 2 - start) + content[end + 2 :]
    return content.encode("utf-8")
