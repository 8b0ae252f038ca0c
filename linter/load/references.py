"""The Ehcache and JGroups XML that a node's properties name, found and read.

Lookup order for a referenced file (ARCHITECTURE §3): as given, when that path lies inside the
node directory; relative to the node directory; under the node's class-path roots
(``WEB-INF/classes``, ``webapps/ROOT/WEB-INF/classes``, ``tomcat*/webapps/ROOT/WEB-INF/classes``);
by file name anywhere inside the node directory. A name that is one of Liferay's built-in
resources for the version (or a stock stack of the JGroups jar) is known without a file.
Anything else is an ``UNRESOLVED_REFERENCE`` problem, never a guess. Nothing outside the node directory is read
and URLs are never fetched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple, TypeVar, cast

from linter.liferay import builtins
from linter.liferay.keys import CACHE_KEYS, channel_keys
from linter.load.suppressions import xml_suppressions
from linter.model import Reference, Suppression
from linter.origin import Origin, OriginKind, Problem, ProblemKind, Setting
from linter.paths import forget_after_run
from linter.sources.ehcache import read_ehcache
from linter.sources.files import Limits
from linter.sources.jgroups import is_stack_inline, parse_inline_stack, read_jgroups_xml
from linter.sources.tree import Tree

if TYPE_CHECKING:
    from linter.sources.xml_safe import XmlDocument

M = TypeVar("M")


def locate(value: str, tree: Tree, classpath: list[str]) -> str | None:
    """The file a resource name designates on this node, or None."""
    text = value.strip()
    if text.startswith("file:"):
        text = "/" + text[5:].lstrip("/")
    if text.startswith("/") and tree.is_file(text) and tree.contains(text):
        return text
    rel = text.lstrip("/")
    if not rel:
        return None
    for candidate in [tree.join(rel), *(tree.join(cp, rel) for cp in classpath)]:
        if tree.is_file(candidate) and tree.contains(candidate):
            return candidate
    return None  # Liferay loads a class-path resource by its full path: a file of that name elsewhere is not it


class Resolver:
    """Reads referenced XML once per file for one node."""

    def __init__(
        self, tree: Tree, classpath: list[str], family: str | None, limits: Limits, release: str | None = None
    ) -> None:
        self.tree = tree
        self.classpath = classpath
        self.family = family
        self.limits = limits
        self.release = release
        self.problems: list[Problem] = []
        self.files: list[str] = []
        self.suppressions: list[Suppression] = []
        self._docs: dict[str, XmlDocument | None] = {}
        self._models: dict[tuple[str, str], object] = {}

    def _document(self, path: str) -> tuple[XmlDocument | None, str]:
        display = self.tree.display(path)
        if path not in self._docs:
            data = self.tree.read(path, self.limits)
            doc: XmlDocument | None = None
            if isinstance(data, Problem):
                self.problems.append(data)
            else:
                from linter.sources.xml_safe import parse_xml  # lxml only when XML is read

                parsed = parse_xml(data, display, self.limits)
                if isinstance(parsed, Problem):
                    self.problems.append(parsed)
                else:
                    doc = parsed
                    self.suppressions.extend(xml_suppressions(parsed))
            self._docs[path] = doc
            self.files.append(display)
        return self._docs[path], display

    def _model(self, path: str, read: Callable[[XmlDocument], M]) -> tuple[M | None, str]:
        """The model ``read`` makes of a file, built and its problems reported once per file,
        although both channels (or several keys) may name the same file."""
        doc, display = self._document(path)
        cache_key = (path, read.__name__)
        if cache_key not in self._models:
            model = _shared_model(doc, read) if doc is not None else None
            if model is not None:
                self.problems.extend(getattr(model, "problems", ()))
            self._models[cache_key] = model
        return cast("M | None", self._models[cache_key]), display

    def _missing(self, key: str, setting: Setting, what: str, why: str = "") -> Reference:
        value = setting.value.strip()
        self.problems.append(
            Problem(
                ProblemKind.UNRESOLVED_REFERENCE,
                f"{key} names {what} {value!r}, which is neither in this node's directory nor a Liferay "
                f"built-in resource{' for ' + self.family if self.family else ''}{why}",
                setting.origin,
            )
        )
        return Reference(key, setting, "missing", setting.origin)

    def jgroups(self, key: str, setting: Setting) -> Reference:
        value = setting.value.strip()
        if "${" in value:
            return Reference(key, setting, "unresolved", setting.origin)
        if is_stack_inline(value):
            display = setting.origin.file if setting.origin.kind is OriginKind.FILE else setting.origin.detail
            inline = parse_inline_stack(
                value, display, setting.origin.value_line or setting.origin.line or 1, setting.origin.value_column or 1
            )
            if setting.origin.kind is OriginKind.FILE:
                self.problems.extend(inline.problems)
            return Reference(key, setting, "inline", setting.origin, jgroups=inline)
        if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
            return Reference(key, setting, "url", setting.origin)
        path = locate(value, self.tree, self.classpath)
        if path is not None:
            stack, display = self._model(path, read_jgroups_xml)
            return Reference(key, setting, "file", Origin(display, 1, 1), jgroups=stack)
        builtin = builtins.jgroups_stack(value, self.family)
        if builtin is not None:
            return Reference(key, setting, "builtin", _builtin_origin(builtin.display), jgroups=builtin)
        named = builtins.liferay_named_stack(value, self.family, self.release)
        if named is not None:
            detail = f"Liferay built-in {builtins.normalise(value)} (7.4, content not on file)"
            return Reference(key, setting, "builtin", _builtin_origin(detail), transport_hint=named)
        jar = builtins.jgroups_jar_transport(value)
        if jar is not None:
            detail = f"JGroups built-in {builtins.normalise(value)} (from the JGroups jar)"
            return Reference(key, setting, "jgroups-jar", _builtin_origin(detail), transport_hint=jar)
        return self._missing(key, setting, "a JGroups stack", builtins.named_stack_absent(value, self.release))

    def ehcache(self, key: str, setting: Setting) -> Reference:
        value = setting.value.strip()
        if "${" in value:
            return Reference(key, setting, "unresolved", setting.origin)
        path = locate(value, self.tree, self.classpath)
        if path is not None:
            config, display = self._model(path, read_ehcache)
            return Reference(key, setting, "file", Origin(display, 1, 1), ehcache=config)
        builtin = builtins.ehcache_config(value, self.family)
        if builtin is not None:
            return Reference(key, setting, "builtin", _builtin_origin(builtin.display), ehcache=builtin)
        return self._missing(key, setting, "an Ehcache file")


# Models already made, by parsed tree: nodes holding a byte-identical copy of a file share one
# tree (``parse_xml``), and the Ehcache and JGroups models hold no file name but their ``display``:
# one model serves every copy. A model with problems (which name the file) is made per file.
_MODELS: dict[tuple[Callable[..., object], int], tuple[object, object]] = {}
_MODELS_MAX = 256


def forget_models() -> None:
    """Let go of the shared models (and the trees they pin) at the end of a run."""
    _MODELS.clear()


forget_after_run(forget_models)


def _shared_model(doc: XmlDocument, read: Callable[[XmlDocument], M]) -> M:
    key = (read, id(doc.root))
    hit = _MODELS.get(key)
    if hit is not None and hit[0] is doc.root:  # the tree is pinned with its entry: its id is not reused
        model = hit[1]
        return cast("M", model._replace(display=doc.display))  # type: ignore[attr-defined]
    made = read(doc)
    if not getattr(made, "problems", True) and hasattr(made, "_replace"):
        if len(_MODELS) >= _MODELS_MAX:
            _MODELS.clear()
        _MODELS[key] = (doc.root, made)
    return made


def _builtin_origin(detail: str) -> Origin:
    return Origin(detail, kind=OriginKind.BUILTIN, detail=detail)


class Resolved(NamedTuple):
    references: tuple[Reference, ...]
    problems: list[Problem]
    files: list[str]
    suppressions: list[Suppression]


def resolve_references(
    settings: Mapping[str, Setting],
    tree: Tree,
    classpath: list[str],
    family: str | None,
    limits: Limits,
    release: str | None = None,
) -> Resolved:
    resolver = Resolver(tree, classpath, family, limits, release)
    refs = [resolver.jgroups(key, settings[key]) for key in channel_keys(settings)]
    refs += [resolver.ehcache(key, settings[key]) for key in CACHE_KEYS if key in settings]
    return Resolved(tuple(refs), resolver.problems, resolver.files, resolver.suppressions)
