"""On the sym_encrypt Cluster Link stacks of the JGroups 5 releases the channel names seed the
SYM_ENCRYPT key (releases-2024-2026 §2.3, M10): custom names that differ between nodes are
reported (HA108) and a copied stack without a key is reported (HA121), but the findings never print
the names, neither in a message nor in a source snippet. (The HTML report's settings table and
``show`` list every node's effective settings, channel names included: not covered here.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

NAMES_DIFFER = FIXTURES / "rules" / "HA108" / "fail" / "sym-encrypt-names-differ-on-2026q4"
COPIED_STACK = FIXTURES / "rules" / "HA121" / "fail" / "sym-encrypt-copy-outside-prefix-on-2026q4"
NAMES = (
    "prod-control-7f3a9c2e41d84b6a",
    "prod-transport-0-c81d5e0a93f2",
    "prod-control-0000aaaa1111bbbb",
    "prod-transport-0-0000aaaa1111",
)


def _check(cluster: Path, fmt: str, tmp_path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--liferay-version", "2026.q4", "--format", fmt, str(cluster)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_custom_channel_names_on_sym_encrypt_are_never_printed(fmt: str, tmp_path: Path) -> None:
    for cluster, rule in ((NAMES_DIFFER, "HA108"), (COPIED_STACK, "HA121")):
        assert any(name in (cluster / "node1" / "portal-ext.properties").read_text() for name in NAMES)
        out = _check(cluster, fmt, tmp_path)
        assert rule in out
        for name in NAMES:
            assert name not in out, f"{rule} {fmt}: channel name {name} printed"
