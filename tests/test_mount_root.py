"""The official image's mount root: /etc/liferay/mount when anything is mounted under it, else
/mnt/liferay. Files under <root>/files reach the Liferay home; mounts under the other root are
ignored, and the verbose output says which."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import FIXTURES

CASE = FIXTURES / "rules" / "HA101" / "fail" / "mount-root-shadows-mnt-liferay"

MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: liferay-config
  namespace: liferay
data:
  portal-ext.properties: |
    cluster.link.enabled=true
    jdbc.default.url=jdbc:postgresql://db:5432/lportal
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: liferay
  namespace: liferay
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: liferay
          image: liferay/dxp:2026.q1.3-lts
          volumeMounts:
            - name: config
              mountPath: {config_at}
{extra}      volumes:
        - name: config
          configMap:
            name: liferay-config
        - name: scripts
          emptyDir: {{}}
"""
SCRIPTS = """\
            - name: scripts
              mountPath: /etc/liferay/mount/scripts
"""


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[dict[str, object]], str]:
    main(["check", "--format", "json", str(path)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    main(["check", "--verbose", "--color", "never", str(path)])
    return findings, " ".join(capsys.readouterr().out.split())


def _ha101(findings: list[dict[str, object]]) -> list[str]:
    return sorted(str(f["node"]) for f in findings if f["rule"] == "HA101")


def test_compose_mount_under_etc_liferay_mount_shadows_mnt_liferay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p"
    shutil.copytree(CASE, project)
    findings, text = _check(project, capsys)
    assert _ha101(findings) == ["liferay-1"]  # liferay-2's file under /etc/liferay/mount/files is read
    assert "docker-compose.yml:5: ./config/portal-ext.properties at /mnt/liferay/files/portal-ext.properties" in text
    assert "is ignored by the official Liferay image" in text
    # without the scripts mount, /mnt/liferay is the root again and the file is copied
    compose = project / "docker-compose.yml"
    compose.write_text(compose.read_text().replace("      - ./scripts:/etc/liferay/mount/scripts:ro\n", ""))
    findings, text = _check(project, capsys)
    assert _ha101(findings) == []
    assert "is ignored by the official Liferay image" not in text


@pytest.mark.parametrize(
    ("config_at", "extra", "disabled"),
    [
        ("/mnt/liferay/files/portal-ext.properties", "", []),
        ("/etc/liferay/mount/files/portal-ext.properties", "", []),
        ("/mnt/liferay/files/portal-ext.properties", SCRIPTS, ["liferay-1", "liferay-2"]),
    ],
)
def test_kubernetes_mount_root(
    config_at: str, extra: str, disabled: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "k"
    root.mkdir()
    config = f"{config_at.rsplit('/', 1)[0]}/portal-ext.properties"
    manifest = MANIFEST.format(config_at=config, extra=extra).replace(
        f"mountPath: {config}\n", f"mountPath: {config}\n              subPath: portal-ext.properties\n"
    )
    (root / "liferay.yaml").write_text(manifest)
    findings, text = _check(root, capsys)
    assert _ha101(findings) == disabled
    assert ("is ignored by the official Liferay image" in text) == bool(disabled)
