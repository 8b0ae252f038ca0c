"""Shared pytest fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LIFERAY_HA_LINT_SHARED", REPO.parent / "shared"))
FIXTURES = REPO / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False, help="rewrite fixtures/rules/**/expected.json"
    )


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared not present at {SHARED}")
    return SHARED


def _oracle(mode: str, charset: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from tests import oracle

    reason = oracle.missing_reason("commons" if mode == "liferay" else mode)
    if reason:
        if oracle.required():
            pytest.fail(f"oracle required in CI but unavailable: {reason}")
        pytest.skip(reason)
    try:
        proc = oracle.Oracle(mode, charset, tmp_path_factory.mktemp(f"oracle-{mode}"))
    except (OSError, subprocess.CalledProcessError) as exc:  # a JDK that cannot build or run the oracle
        why = f"the oracle JVM could not be built or started: {type(exc).__name__}"
        if oracle.required():
            pytest.fail(f"oracle required in CI but unavailable: {why}")
        pytest.skip(why)
    yield proc
    proc.close()


@pytest.fixture(scope="session")
def java_oracle_utf8(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    yield from _oracle("java", "UTF-8", tmp_path_factory)


@pytest.fixture(scope="session")
def commons_oracle_utf8(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    yield from _oracle("commons", "UTF-8", tmp_path_factory)


@pytest.fixture(scope="session")
def commons_oracle_latin1(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    yield from _oracle("commons", "ISO-8859-1", tmp_path_factory)


@pytest.fixture(scope="session")
def liferay_oracle_utf8(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    yield from _oracle("liferay", "UTF-8", tmp_path_factory)


@pytest.fixture(scope="session")
def thousand_nodes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 1,000-node cluster written by ``bench/generate.py`` (its planted disagreements on
    nodes 1, 2, 3 and 1000), once per session (71 MB, about a second)."""
    out = tmp_path_factory.mktemp("bench") / "cluster"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), str(out), "--nodes", "1000"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out
