"""The benchmark's helper scripts still run against the code they measure (a rename in the readers
broke bench/parse_only.py once without any test noticing)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import FIXTURES, REPO


def test_parse_only_floor_reads_a_cluster() -> None:
    cluster = FIXTURES / "clusters" / "healthy-74-unicast-tcpping"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "parse_only.py"), "--json", str(cluster)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["files"] >= 6 and figures["entries"]["properties"] > 0
