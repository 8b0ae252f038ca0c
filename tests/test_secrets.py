"""Secrets planted in every secret-bearing place, different on each node so that mismatch rules
fire, never appear in any output format, nor does any digest or hash of them."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from linter.cli import CheckFormat, main
from linter.redact import (
    DEFAULT_SECRET_KEYS,
    MASK,
    is_secret_key,
    mask_value,
    pattern_error,
    reset_secret_keys,
    secret_key_patterns,
    set_extra_secret_keys,
)
from tests.conftest import FIXTURES

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


# ----------------------------------------------------------------------------- configured secret keys

# Keys no default pattern names, planted in a copy of a fixture cluster, different on each node
# (and written twice on node1) so that the drift and duplicate-key rules quote them.
CUSTOM = {
    "node1": ("Blob-One-xyzzy", "Sig-One-plugh"),
    "node2": ("Blob-Two-xyzzy", "Sig-Two-plugh"),
    "node3": ("Blob-Three-xyzzy", "Sig-Three-plugh"),
}
# A fragment (any separator or none: acme.license.blob, licenseBlob, LIFERAY_..._LICENSE_PERIOD_BLOB)
# and a whole-key regular expression (acme.sig, -Dacme.sig, LIFERAY_ACME_PERIOD_SIG).
SECRET_KEYS_CONFIG = "secret-keys = [\"license.blob\", 're:^acme\\.sig$']\n"
COMPARE_CUSTOM_KEYS = '[options.HA607]\nkeys = ["acme.*"]\n'


def _plant_custom_keys(root: Path) -> None:
    shutil.copytree(FIXTURES / "clusters" / "broken-74-cluster-link-drift", root)
    manifest = root / "liferay-ha.toml"
    text = manifest.read_text(encoding="utf-8")
    for name, (blob, sig) in CUSTOM.items():
        node = root / name
        text = text.replace(f'path = "{name}"\n', f'path = "{name}"\nenv-files = ["{name}/liferay.env"]\n')
        twice = f"acme.license.blob={blob}-first\n" if name == "node1" else ""
        with (node / "portal-ext.properties").open("a", encoding="utf-8") as handle:
            handle.write(f"\n{twice}acme.license.blob={blob}\nacme.sig={sig}\n")
        with (node / "tomcat" / "bin" / "setenv.sh").open("a", encoding="utf-8") as handle:
            handle.write(f'CATALINA_OPTS="$CATALINA_OPTS -Dacme.sig={sig}-jvm"\n')
        (osgi,) = (node / "osgi" / "configs").glob("*.config")
        with osgi.open("a", encoding="utf-8") as handle:
            handle.write(f'licenseBlob="{blob}-osgi"\n')
        (node / "liferay.env").write_text(
            f"LIFERAY_ACME_PERIOD_LICENSE_PERIOD_BLOB={blob}-env\nLIFERAY_ACME_PERIOD_SIG={sig}-env\n",
            encoding="utf-8",
        )
    manifest.write_text(text, encoding="utf-8")


def _every_output(cluster: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Everything every command and every check format prints or writes for ``cluster``."""
    out.mkdir()
    to_files = [a for f in CheckFormat for a in ("--format", f.value, "--output", str(out / f"report.{f.value}"))]
    runs = [
        ["check", "--color", "never", "--verbose", str(cluster)],
        ["check", "-q", str(cluster)],
        ["check", "--statistics", str(cluster)],
        ["check", "--no-inline-suppressions", *to_files, str(cluster)],
        ["check", "--write-baseline", str(out / "baseline.json"), str(cluster)],
        ["show", "--all", "--color", "never", str(cluster)],
        ["show", "--all", "--format", "json", str(cluster)],
        ["explain", "HA607"],
        ["explain", "HA803"],
    ]
    texts: list[str] = []
    for args in runs:
        assert main(args) in (0, 1), args
        captured = capsys.readouterr()
        texts += [captured.out, captured.err]
    texts += [p.read_text(encoding="utf-8") for p in sorted(out.iterdir())]
    return "\n".join(texts)


def test_configured_secret_keys_never_reach_any_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster = tmp_path / "c"
    _plant_custom_keys(cluster)
    planted = [v for values in CUSTOM.values() for v in values]
    monkeypatch.chdir(tmp_path)  # the config is found upwards from the working directory

    (tmp_path / ".liferay-ha-lint.toml").write_text(COMPARE_CUSTOM_KEYS, encoding="utf-8")
    unmasked = _every_output(cluster, tmp_path / "plain", capsys)
    for value in planted:  # without the extension every planted value is shown somewhere
        assert value in unmasked, value
    for spelling in ("-osgi", "-env", "-jvm", "-first"):  # ... from every kind of place
        assert spelling in unmasked, spelling

    (tmp_path / ".liferay-ha-lint.toml").write_text(SECRET_KEYS_CONFIG + COMPARE_CUSTOM_KEYS, encoding="utf-8")
    masked = _every_output(cluster, tmp_path / "masked", capsys)
    assert "acme.license.blob" in masked and MASK in masked
    for value in planted:
        assert value not in masked, value
    hashes = [h(v.encode()).hexdigest()[:16] for v in planted for h in (hashlib.sha256, hashlib.sha1, hashlib.md5)]
    assert not [h for h in hashes if h in masked]
    assert secret_key_patterns() == DEFAULT_SECRET_KEYS  # the extension ended with the run


@pytest.mark.parametrize(
    ("pattern", "secret", "plain"),
    [
        (
            "session.seal",
            ["sessionSeal", "session_seal", "SESSION-SEAL", "x.session.seal.f"],
            ["session", "sealsession"],
        ),
        ("license.blob", ["acme.license.blob", "licenseBlob", "LIFERAY_ACME_PERIOD_LICENSE_PERIOD_BLOB"], ["blob"]),
        ("acme*sig", ["acme.sig", "acmeXsig", "-Dacme.sig"], ["sig", "acme"]),
        (
            "re:^acme\\.sig$",
            ["acme.sig", "ACME.SIG", "-Dacme.sig", "LIFERAY_ACME_PERIOD_SIG"],
            ["x.acme.sig", "acmeXsig"],
        ),
    ],
)
def test_secret_key_pattern_syntax(pattern: str, secret: list[str], plain: list[str]) -> None:
    try:
        for key in [*secret, *plain]:
            assert is_secret_key(key) is False, key
        set_extra_secret_keys([pattern])
        for key in secret:
            assert is_secret_key(key), key
        for key in plain:
            assert not is_secret_key(key), key
        assert mask_value(secret[0], "v") == MASK
    finally:
        reset_secret_keys()
    assert not is_secret_key(secret[0])


def test_default_secret_keys_are_data() -> None:
    assert secret_key_patterns() == DEFAULT_SECRET_KEYS
    for key in ("jdbc.default.password", "LIFERAY_DB_PASSWORD", "secret_access_key", "accessKey", "auth.value"):
        assert is_secret_key(key), key
    assert not is_secret_key("cluster.link.enabled")
    for bad in ("re:(", "re:", "re:.*", "*", "._-"):
        assert pattern_error(bad) is not None, bad
        with pytest.raises(ValueError):
            set_extra_secret_keys([bad])
    assert secret_key_patterns() == DEFAULT_SECRET_KEYS
