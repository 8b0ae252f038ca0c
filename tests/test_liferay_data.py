"""The committed Liferay tables are what scripts/gen_liferay_data.py makes from ../shared."""

from __future__ import annotations

import filecmp
from pathlib import Path

from scripts.gen_liferay_data import generate
from tests.conftest import REPO


def test_generated_data_is_current(shared_dir: Path, tmp_path: Path) -> None:
    written = generate(shared_dir, tmp_path)
    committed = REPO / "linter" / "liferay" / "data"
    for path in written:
        assert filecmp.cmp(path, committed / path.name, shallow=False), f"{path.name} is stale: run the generator"
