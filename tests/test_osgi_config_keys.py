"""HA612 through the real CLI: Liferay's own and real-world .config files, and the example clusters,
raise no unknown-key warning; a typo does, with the nearest key, at its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_CONFIGS = sorted(p for p in CORPUS.rglob("*.config") if p.is_file()) if CORPUS.is_dir() else []
FAMILIES = ("7.0", "7.1", "7.2", "7.3", "7.4")
ES7 = "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration"


def _findings(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    code = main(["check", "--select", "HA612", "--format", "json", "--fail-on", "never", *args])
    out = capsys.readouterr().out
    assert code == 0, out
    findings = json.loads(out)["findings"]
    assert isinstance(findings, list)
    return [f for f in findings if f["rule"] == "HA612"]


@pytest.mark.skipif(not CORPUS_CONFIGS, reason=f"no .config files in the shared corpus at {CORPUS}")
@pytest.mark.parametrize("family", FAMILIES)
def test_corpus_configs_have_no_unknown_keys(family: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every .config of the corpus (System Settings exports and hand-written files of real clusters),
    each deployed on a node of every 7.x family: HA612 reports none of their keys."""
    configs = tmp_path / "node1" / "osgi" / "configs"
    configs.mkdir(parents=True)
    seen: set[str] = set()
    for i, source in enumerate(CORPUS_CONFIGS):
        name = source.name if source.name not in seen else f"{source.stem}-copy{i}.config"
        seen.add(source.name)
        shutil.copyfile(source, configs / name)
    # A control: one planted typo, so a run that checked nothing cannot pass.
    (configs / "com.liferay.portal.store.s3.configuration.S3StoreConfiguration.config").write_text(
        'bucketname="dl"\n', encoding="utf-8"
    )
    found = _findings(capsys, "--liferay-version", family, str(tmp_path))
    assert [str(f["message"]).split(" ", 1)[0] for f in found] == ["bucketname"], found


def test_example_clusters_have_no_unknown_keys(capsys: pytest.CaptureFixture[str]) -> None:
    clusters = sorted(str(p) for p in (FIXTURES / "clusters").iterdir() if p.is_dir())
    assert clusters
    assert _findings(capsys, *clusters) == []


def test_typo_is_reported_at_its_line_with_the_nearest_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configs = tmp_path / "lr1" / "osgi" / "configs"
    configs.mkdir(parents=True)
    (configs / f"{ES7}.config").write_text(
        'productionModeEnabled=B"true"\nnetworkHostAddresses=["http://es:9200"]\nindexNamePrefx="lr-"\n',
        encoding="utf-8",
    )
    found = _findings(capsys, "--liferay-version", "7.4", str(tmp_path))
    assert [(f["location"]["line"], "did you mean indexNamePrefix?" in str(f["message"])) for f in found] == [  # type: ignore[index]
        (3, True)
    ]
    # The same file on 7.2, where the table does not cover the elasticsearch7 PID: unknown is not wrong.
    assert _findings(capsys, "--liferay-version", "7.2", str(tmp_path)) == []
