"""Inline suppressions: ``liferay-ha-lint: disable=HA101[,name...] -- reason`` in a comment.

* ``.properties``: a comment line directly above the key (``#`` after a value is part of the
  value in a properties file, so trailing comments are not supported there);
* XML: a comment directly before the element (XML forbids ``--`` inside comments, so write the
  reason after `` - `` or ``;`` there);
* OSGi ``.config``: a ``#`` comment line directly above the key.
A directive covers the lines of the entry or start tag that follows it. Blanket "disable all"
directives are not offered: every directive names rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from linter.model import Suppression
from linter.sources.osgi_config import OsgiConfig
from linter.sources.properties import PropertiesFile

if TYPE_CHECKING:
    from linter.sources.xml_safe import XmlDocument

# The reason follows "--"; XML comments cannot contain "--", so " - " and ";" are accepted too.
_DIRECTIVE = re.compile(
    r"liferay-ha-lint:\s*disable\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)"
    r"(?:\s+(?:--|-)\s*(.*?)|\s*;\s*(.*?))?\s*$"
)


def parse_directive(text: str) -> tuple[tuple[str, ...], str] | None:
    body = text.strip().lstrip("#!").strip()
    m = _DIRECTIVE.search(body)
    if m is None:
        return None
    selectors = tuple(s.strip() for s in m.group(1).split(",") if s.strip())
    return selectors, (m.group(2) or m.group(3) or "").strip()


def _above(file: str, comments: Iterable[tuple[int, str]], targets: Iterable[tuple[int, int]]) -> list[Suppression]:
    by_line = dict(comments)
    out: list[Suppression] = []
    for first, last in targets:
        line = first - 1
        while line in by_line:  # the block of comment lines directly above the target
            parsed = parse_directive(by_line[line])
            if parsed is not None:
                out.append(Suppression(file, line, parsed[0], parsed[1], first, last))
            line -= 1
    return out


def properties_suppressions(pf: PropertiesFile) -> list[Suppression]:
    comments = [(c.line, c.text) for c in pf.comments]
    targets = [(e.line, e.origin.end_line or e.line) for e in (*pf.entries, *pf.includes)]
    return _above(pf.path, comments, targets)


def config_suppressions(config: OsgiConfig) -> list[Suppression]:
    targets = [(e.origin.line or 1, e.origin.end_line or e.origin.line or 1) for e in config.entries]
    targets += [(p.origin.line, p.origin.line) for p in config.problems if p.origin.line]  # unparsable entries
    return _above(config.path, config.comments, targets)


def xml_suppressions(doc: XmlDocument) -> list[Suppression]:
    out: list[Suppression] = []
    for element in doc.root.iter():
        for comment in element.preceding_comments:
            parsed = parse_directive(comment.text)
            if parsed is not None:
                out.append(
                    Suppression(doc.display, comment.line, parsed[0], parsed[1], element.start_line, element.line)
                )
    return out
