"""Secrets planted in every secret-bearing place, different on each node so that mismatch rules
fire, never appear in any output format, nor does any digest or hash of them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from linter.cli import main

SECRETS = {
    "node1": [
        "S3cr3t-Db-One",
        "UrlPw-One",
        "S3Key-One",
        "Auth-One",
        "JdbcPing-One",
        "S3Ping-One",
        "EnvPw-One",
        "Es-One",
    ],
    "node2": [
        "S3cr3t-Db-Two",
        "UrlPw-Two",
        "S3Key-Two",
        "Auth-Two",
        "JdbcPing-Two",
        "S3Ping-Two",
        "EnvPw-Two",
        "Es-Two",
    ],
}


def _node(root: Path, name: str, s: list[str]) -> None:
    node = root / name
    (node / "WEB-INF" / "classes" / "jgroups").mkdir(parents=True)
    (node / "osgi" / "configs").mkdir(parents=True)
    (node / "portal-ext.properties").write_text(
        "jdbc.default.driverClassName=com.mysql.cj.jdbc.Driver\n"
        f"jdbc.default.url=jdbc:mysql://db.internal/lportal?user=liferay&password={s[1]}\n"
        "jdbc.default.username=liferay\n"
        f"jdbc.default.password={s[0]}\n"
        f"jdbc.read.password={s[0]}-read\n"
        "dl.store.impl=com.liferay.portal.store.s3.S3Store\n"
        f"dl.store.s3.secret.key={s[2]}\n"
        f"dl.store.cmis.credentials.password={s[2]}-cmis\n"
        "cluster.link.enabled=true\n"
        f"cluster.link.auth.value={s[3]}\n"
        "cluster.link.channel.properties.control=/jgroups/jdbc_ping.xml\n"
        "cluster.link.channel.properties.transport.0=/jgroups/s3_ping.xml\n"
    )
    (node / "WEB-INF" / "classes" / "jgroups" / "jdbc_ping.xml").write_text(
        '<config xmlns="urn:org:jgroups">\n'
        '  <TCP bind_port="7800"/>\n'
        '  <JDBC_PING connection_url="jdbc:mysql://db.internal/jg" connection_username="jg"'
        f' connection_password="{s[4]}"/>\n'
        "</config>\n"
    )
    (node / "WEB-INF" / "classes" / "jgroups" / "s3_ping.xml").write_text(
        '<config xmlns="urn:org:jgroups">\n'
        '  <TCP bind_port="7801"/>\n'
        f'  <S3_PING location="bucket" access_key="AKIA-{name}" secret_access_key="{s[5]}"/>\n'
        "</config>\n"
    )
    (node / "liferay.env").write_text(
        f"LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_PASSWORD={s[6]}\nLIFERAY_DB_PASSWORD={s[6]}-2\n"
    )
    (
        node
        / "osgi"
        / "configs"
        / "com.liferay.portal.search.elasticsearch7.configuration.ElasticsearchConfiguration.config"
    ).write_text(
        f'productionModeEnabled=B"true"\nnetworkHostAddresses=["http://es:9200"]\nusername="elastic"\npassword="{s[7]}"\n'
        f'truststorePassword="{s[7]}-trust"\n'
    )


def _forbidden() -> list[str]:
    words = [w for ws in SECRETS.values() for w in ws]
    hashes = [h(w.encode()).hexdigest() for w in words for h in (hashlib.sha256, hashlib.sha1, hashlib.md5)]
    return words + [h[:16] for h in hashes]


@pytest.fixture
def cluster(tmp_path: Path) -> Path:
    root = tmp_path / "c"
    (root).mkdir()
    for name, values in SECRETS.items():
        _node(root, name, values)
    (root / "liferay-ha.toml").write_text(
        '[clusters.c]\nliferay-version = "7.4"\n'
        '[clusters.c.nodes.node1]\npath = "node1"\nenv-files = ["node1/liferay.env"]\n'
        '[clusters.c.nodes.node2]\npath = "node2"\nenv-files = ["node2/liferay.env"]\n'
    )
    return root


def test_no_secret_in_any_output(cluster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        ["check", "--color", "never", "--verbose", str(cluster)],
        ["check", "-q", str(cluster)],
        ["check", "--statistics", str(cluster)],
        ["check", "--format", "json", str(cluster)],
        [
            "check",
            "--no-inline-suppressions",
            "--format",
            "sarif",
            "--output",
            str(out / "r.sarif"),
            "--format",
            "junit",
            "--output",
            str(out / "r.xml"),
            "--format",
            "gitlab",
            "--output",
            str(out / "r.gitlab.json"),
            "--format",
            "github",
            str(cluster),
        ],
        ["check", "--write-baseline", str(out / "baseline.json"), str(cluster)],
        ["show", "--all", "--color", "never", str(cluster)],
        ["show", "--all", "--format", "json", str(cluster)],
        ["rules", "--format", "json"],
        ["explain", "HA205"],
        ["explain", "HA115"],
    ]
    texts: list[str] = []
    fired: set[str] = set()
    for args in runs:
        main(args)
        captured = capsys.readouterr()
        texts += [captured.out, captured.err]
        if args[:3] == ["check", "--format", "json"]:
            fired = {f["rule"] for f in json.loads(captured.out)["findings"]}
    texts += [p.read_text(encoding="utf-8") for p in sorted(out.iterdir())]
    assert "HA205" in fired  # the credentials mismatch rule did compare the secrets
    everything = "\n".join(texts)
    for needle in _forbidden():
        assert needle not in everything, needle
