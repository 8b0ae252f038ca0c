"""JVM options for rules: the parsed ``-D``/``-X`` flags and their sizes."""

from __future__ import annotations

from linter.sources.jvm_flags import JvmFlag, size_bytes

__all__ = ["JvmFlag", "size_bytes"]
