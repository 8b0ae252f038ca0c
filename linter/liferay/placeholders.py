"""Values the linter cannot know: placeholders and templates that nothing resolved.

``${liferay.home}`` is the one placeholder Liferay itself fills in everywhere, so it does not make
a value unknown; any other ``${...}``, a ``{{...}}`` template or a ``$[...]`` expression left in a
value does (the node's files, environment and flags did not provide it).
"""

from __future__ import annotations


def is_unresolved(value: str) -> bool:
    """A value that still holds a placeholder or template nothing resolved."""
    rest = value.replace("${liferay.home}", "")
    return "${" in rest or "{{" in rest or "$[" in rest
