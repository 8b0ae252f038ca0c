"""Runs the Java properties oracles (java.util.Properties, Commons Configuration 1.x).

The oracle JVM is started once per session and fed one file path per line, so a hypothesis
test can ask it thousands of times cheaply.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ORACLE_SRC = Path(__file__).parent / "oracles" / "PropsOracle.java"
_JARS = ("commons-configuration.jar", "commons-lang.jar", "commons-logging.jar")
JAR_DIRS = (Path("/usr/share/java"),)


def required() -> bool:
    """CI sets this so that a missing oracle fails the run instead of skipping."""
    return os.environ.get("LIFERAY_HA_LINT_REQUIRE_ORACLES") == "1"


def commons_classpath() -> str | None:
    configured = os.environ.get("LIFERAY_HA_LINT_COMMONS_CLASSPATH")
    if configured:
        return configured
    for directory in JAR_DIRS:
        jars = [directory / name for name in _JARS]
        if all(j.is_file() for j in jars):
            return os.pathsep.join(str(j) for j in jars)
    return None


def missing_reason(mode: str) -> str | None:
    if shutil.which("java") is None or shutil.which("javac") is None:
        return "java/javac not installed"
    if commons_classpath() is None:  # PropsOracle.java imports them, whatever the mode it runs in
        return "Commons Configuration 1.x jars not found (Debian: libcommons-configuration-java)"
    return None


class Oracle:
    """A running oracle JVM."""

    def __init__(self, mode: str, charset: str, workdir: Path) -> None:
        cp = commons_classpath() or ""
        classes = workdir / "classes"
        classes.mkdir(parents=True, exist_ok=True)
        if not (classes / "PropsOracle.class").exists():
            subprocess.run(
                ["javac", "-nowarn", "-d", str(classes), "-cp", cp, str(ORACLE_SRC)],
                check=True,
                capture_output=True,
            )
        run_cp = os.pathsep.join(p for p in (str(classes), cp) if p)
        self.proc = subprocess.Popen(
            ["java", "-Xshare:auto", "-cp", run_cp, "PropsOracle", mode, charset],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def load(self, path: Path) -> dict[str, str] | str:
        """The file's key/value map, or the name of the exception the loader threw."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        first = self.proc.stdout.readline().rstrip("\n")
        if first.startswith("ERROR"):
            return first[6:]
        assert first == "FILE", first
        out: dict[str, str] = {}
        while True:
            line = self.proc.stdout.readline().rstrip("\n")
            if line == "END":
                return out
            _, k, v = line.split(" ")
            out[_unhex(k)] = _unhex(v)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _unhex(token: str) -> str:
    """UTF-16 code units back to a str: surrogate pairs combine, lone surrogates stay."""
    return bytes.fromhex(token[1:]).decode("utf-16-be", "surrogatepass")
