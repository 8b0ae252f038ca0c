"""Text utilities for rules: lazily compiled patterns, key globs (``*`` crosses dots: keys are
flat names), and "did you mean" suggestions (``linter.suggest``, the one implementation)."""

from __future__ import annotations

from linter.patterns import KeyGlobs, LazyPattern, key_glob
from linter.suggest import nearest

__all__ = ["KeyGlobs", "LazyPattern", "key_glob", "nearest"]
