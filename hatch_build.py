"""Hatch build hook: ship the rule pack and its documented examples inside the wheel.

``rules/ha*.py`` becomes ``linter/_rules/`` and ``fixtures/rules/`` becomes ``linter/_examples/``,
file by file (no caches), so ``pip install .`` and pre-commit get the built-in pack and
``explain`` can render examples outside a checkout. Editable installs use the checkout directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class RulePackHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        mapping = build_data.setdefault("force_include", {})
        for path in sorted((root / "rules").glob("ha*.py")):
            mapping[str(path)] = f"linter/_rules/{path.name}"
        examples = root / "fixtures" / "rules"
        for path in sorted(examples.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                mapping[str(path)] = f"linter/_examples/{path.relative_to(examples).as_posix()}"
