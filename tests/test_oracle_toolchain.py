"""The differential tests skip, with the reason, whatever part of the oracle toolchain is missing
(a JDK without Debian's Commons Configuration jars once made them error: PropsOracle.java imports
the jars in every mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import oracle


@pytest.mark.parametrize("mode", ["java", "commons"])
def test_missing_jars_are_a_reason_to_skip_in_every_mode(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oracle, "JAR_DIRS", (Path("/nonexistent"),))
    monkeypatch.delenv("LIFERAY_HA_LINT_COMMONS_CLASSPATH", raising=False)
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")  # a JDK is there
    assert (
        oracle.missing_reason(mode)
        == "Commons Configuration 1.x jars not found (Debian: libcommons-configuration-java)"
    )


def test_missing_jdk_is_a_reason_to_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert oracle.missing_reason("java") == "java/javac not installed"
