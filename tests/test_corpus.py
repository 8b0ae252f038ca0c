"""Every properties and OSGi file of the shared corpus is read without an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.sources.osgi_config import read_osgi_config
from linter.sources.properties import Dialect, read_properties


def _files(shared: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in (shared / "corpus").rglob("*") if p.is_file() and p.name.endswith(suffixes))


def test_every_properties_file_reads(shared_dir: Path) -> None:
    files = _files(shared_dir, (".properties", ".properties.tmpl"))
    assert len(files) >= 20
    for path in files:
        for dialect in Dialect:
            parsed = read_properties(path, path.name, dialect=dialect)
            for problem in parsed.problems:
                assert problem.origin.line, (path, problem)


def test_every_osgi_config_reads(shared_dir: Path) -> None:
    files = _files(shared_dir, (".config", ".cfg"))
    assert files
    for path in files:
        config = read_osgi_config(path, path.name)
        assert config.entries or config.problems, path
        for problem in config.problems:
            assert problem.origin.line, (path, problem)


@pytest.mark.parametrize("name", ["portal-6.2.5-ga6.properties", "portal-7.4-master-2024-12-04.properties"])
def test_liferay_defaults_parse_cleanly(shared_dir: Path, name: str) -> None:
    parsed = read_properties(shared_dir / "corpus" / "liferay" / name, name, encoding="iso-8859-1")
    assert not parsed.problems
    assert parsed.value_of("cluster.link.enabled") == "false"
