"""Display paths: how a file is named in every output (JSON contract: relative to the working
directory when below it, else absolute, always with ``/``)."""

from __future__ import annotations

import functools
import os
from pathlib import Path


@functools.lru_cache(maxsize=4)
def _resolved_cwd(cwd: str) -> Path:
    return Path(cwd).resolve()


def display_path(path: Path, cwd: Path | None = None) -> str:
    """Relative to the working directory when below it, else absolute (JSON contract §6)."""
    base = cwd.resolve() if cwd is not None else _resolved_cwd(os.getcwd())
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = path.absolute()
    try:
        rel = resolved.relative_to(base)
        return rel.as_posix() if str(rel) != "." else "."
    except ValueError:
        return resolved.as_posix()
