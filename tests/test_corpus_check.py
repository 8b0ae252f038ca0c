"""The rule pack on real material: Liferay's own shipped files raise nothing from the HA1xx-HA3xx
rules, and no real third-party configuration makes any rule crash (HA009)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.cli import main

HEALTHY_EXT = """jdbc.default.driverClassName=org.postgresql.Driver
jdbc.default.url=jdbc:postgresql://db.internal:5432/lportal
jdbc.default.username=liferay
jdbc.default.password=changeme-fixture
dl.store.impl=com.liferay.portal.store.db.DBStore
cluster.link.enabled=true
cluster.link.autodetect.address=db.internal:5432
cluster.link.auth.value=changeme-fixture-cluster-secret
"""


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    main(["check", "--format", "json", *args])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("variant", ["unsecure", "secure/md5", "secure/x509"])
def test_liferay_74_jgroups_files_as_a_nodes_configuration(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], variant: str
) -> None:
    source = shared_dir / "corpus" / "liferay" / "jgroups" / "master-2024-12" / variant
    for node in ("node1", "node2"):
        classes = tmp_path / node / "WEB-INF" / "classes" / "custom"
        classes.mkdir(parents=True)
        for name in ("udp_control.xml", "udp_transport.xml"):
            shutil.copy(source / name, classes / name)
        (tmp_path / node / "portal-ext.properties").write_text(
            HEALTHY_EXT
            + "cluster.link.channel.properties.control=/custom/udp_control.xml\n"
            + "cluster.link.channel.properties.transport.0=/custom/udp_transport.xml\n"
        )
    doc = _json(capsys, "--liferay-version", "7.4", "--select", "HA1,HA2,HA3", str(tmp_path))
    assert doc["findings"] == []


@pytest.mark.parametrize(
    ("version", "folder"),
    [("6.0", "6.0.11"), ("6.2", "6.2.5")],
)
def test_liferay_6x_clustered_ehcache_files_as_custom_cache_files(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str, folder: str
) -> None:
    source = shared_dir / "corpus" / "liferay" / "ehcache" / folder
    for node in ("web1", "web2"):
        classes = tmp_path / node / "WEB-INF" / "classes" / "custom_cache"
        classes.mkdir(parents=True)
        for name in ("liferay-multi-vm-clustered.xml", "hibernate-clustered.xml"):
            shutil.copy(source / name, classes / name)
        (tmp_path / node / "portal-ext.properties").write_text(
            "jdbc.default.driverClassName=com.mysql.jdbc.Driver\n"
            "jdbc.default.url=jdbc:mysql://db.internal/lportal\n"
            "jdbc.default.username=liferay\n"
            "jdbc.default.password=changeme-fixture\n"
            "cluster.link.enabled=true\n"
            "cluster.link.autodetect.address=db.internal:3306\n"
            "ehcache.multi.vm.config.location=/custom_cache/liferay-multi-vm-clustered.xml\n"
            "net.sf.ehcache.configurationResourceName=/custom_cache/hibernate-clustered.xml\n"
            + ("dl.hook.impl=com.liferay.documentlibrary.util.JCRHook\n" if version == "6.0" else "")
            + ("dl.store.impl=com.liferay.portlet.documentlibrary.store.DBStore\n" if version != "6.0" else "")
        )
    doc = _json(capsys, "--liferay-version", version, "--select", "HA1,HA2,HA301,HA302,HA303", str(tmp_path))
    assert doc["findings"] == [], doc["findings"]


def test_real_third_party_configurations_never_crash_a_rule(
    shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = sorted(p for p in (shared_dir / "corpus" / "real").iterdir() if p.is_dir())
    assert len(real) >= 10
    for directory in real:
        for version in (None, "6.2", "7.0", "7.4"):
            args = ["--liferay-version", version] if version else []
            if directory.name in NO_CONFIGURATION_AS_GIVEN:
                code = main(["check", *args, str(directory)])
                err = capsys.readouterr().err
                assert code == 2 and f"{directory}: no Liferay configuration found" in err, (directory.name, err)
                continue
            doc = _json(capsys, *args, str(directory))
            crashes = [f for f in doc["findings"] if f["rule"] == "HA009"]
            assert crashes == [], (directory.name, version, crashes)


# Sources that hold no node configuration as they are (Liferay's own source trees with one cache or
# JGroups file deep inside, a Vagrant provisioning script with loose JGroups files, confd templates
# that a container renders at start): checking them is a usage error that says what was expected,
# never a green run and never a node made of whatever lies there.
NO_CONFIGURATION_AS_GIVEN = {
    "ambition-consulting__6.0.11",
    "dinolupo__Liferay6.2-fixed",
    "laszlocsontos__liferay-cluster",
    "liferay__liferay-portal",
    "sgonzalezlopez__liferay-clustered-docker",
    "zoltantoth0409__liferay-portal",
}
