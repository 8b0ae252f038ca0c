"""Object stores (GCS, Azure, S3/IBM S3): their keys and connection strings never appear in any
output, while HA306 still compares them across nodes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES

CASES = FIXTURES / "rules" / "HA306" / "fail"
# what the fixtures plant: two literal AES-256 keys, account keys and account names
PLANTED = (
    "q0Tf1QXmYp1zKc9s2bq4m6Jq0p7Y3l5H8nE2rV1wXyA=",
    "Zx8Lm3Qp0Wv7Bt2Kc5Yh9Rn4Jd6Fs1Ga3Ue8Io0Pl2M=",
    "Zm9vYmFyZml4dHVyZWtleTE=",
    "Zm9vYmFyZml4dHVyZWtleTI=",
    "acmetest",
    "AccountKey",
)


@pytest.mark.parametrize("case", ["gcs-key-differs", "azure-container-and-account"])
def test_object_store_secrets_never_shown(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster = tmp_path / case
    shutil.copytree(CASES / case, cluster)
    texts: list[str] = []
    fired: list[dict[str, object]] = []
    for args in (
        ["check", "--color", "never", "--verbose", "--liferay-version", "2026.q1.3-lts", str(cluster)],
        ["check", "--format", "json", "--liferay-version", "2026.q1.3-lts", str(cluster)],
        ["check", "--format", "sarif", "--liferay-version", "2026.q1.3-lts", str(cluster)],
        ["show", "--all", "--color", "never", "--liferay-version", "2026.q1.3-lts", str(cluster)],
        ["explain", "HA306"],  # its example is the gcs-key-differs fixture, files shown
    ):
        main(args)
        captured = capsys.readouterr()
        texts += [captured.out, captured.err]
        if "json" in args:
            fired = json.loads(captured.out)["findings"]
    everything = "\n".join(texts)
    assert any(f["rule"] == "HA306" and "compared as digests" in str(f["message"]) for f in fired)
    assert any(f["rule"] == "HA601" for f in fired)  # the drift rule quotes the same attribute
    for needle in PLANTED:
        assert needle not in everything, needle
