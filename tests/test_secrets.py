"""Secrets planted in every secret-bearing place, different on each node so that mismatch rules
fire, never appear in any output format, nor does any digest, hash or obvious encoding of them.

The places: properties (the plain form, a key written with escapes, the 6.x ``key value`` and the
``key:value`` forms), OSGi .config, env files, setenv.sh JVM flags with quoted values, compose
``environment``, Kubernetes ``env``, JGroups XML attributes, JDBC URLs of every dialect (MySQL with an
@ and a %40 in the password, PostgreSQL, Oracle thin ``user/password@``, SQL Server ``{...;...}``,
DB2 ``:password=...;``), credential query parameters, and the value of a secret-named boolean key
that a rule quotes (HA704)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import shutil
import urllib.parse
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
        "EscKey-One",
        "SpaceSep-One",
        "ColonSep-One",
        "AtPwA-One",
        "AtPwB-One",
        "EncPw-One",
        "EncTail-One",
        "OracleA-One",
        "OracleB-One",
        "MssqlA-One",
        "MssqlB-One",
        "Db2Pw-One",
        "PgPw-One",
        "QTok-One",
        "QApi-One",
        "QAcc-One",
        "QPw-One",
        "BoolTok-One",
        "FlagDq-One",
        "FlagSq-One",
        "FlagOuter-One",
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
        "EscKey-Two",
        "SpaceSep-Two",
        "ColonSep-Two",
        "AtPwA-Two",
        "AtPwB-Two",
        "EncPw-Two",
        "EncTail-Two",
        "OracleA-Two",
        "OracleB-Two",
        "MssqlA-Two",
        "MssqlB-Two",
        "Db2Pw-Two",
        "PgPw-Two",
        "QTok-Two",
        "QApi-Two",
        "QAcc-Two",
        "QPw-Two",
        "BoolTok-Two",
        "FlagDq-Two",
        "FlagSq-Two",
        "FlagOuter-Two",
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
        # the key written with an escape
        f"jdbc.write.p\\u0061ssword={s[8]}\n"
        # JDBC URLs of every dialect, and credential query parameters
        f"jdbc.read.url=jdbc:mysql://liferay:{s[11]}@{s[12]}@db-{name}/lportal\n"
        f"jdbc.write.url=jdbc:mysql://liferay:{s[13]}%40{s[14]}@db-{name}/lportal\n"
        f"acme.oracle.url=jdbc:oracle:thin:liferay/{s[15]}@db-{name}:1521/svc\n"
        f"acme.oracle2.url=jdbc:oracle:thin:liferay/{s[16]}@//db-{name}:1521/svc\n"
        f"acme.mssql.url=jdbc:sqlserver://db-{name}:1433;databaseName=l;user=sa;password={{{s[17]};{s[18]}}}\n"
        f"acme.db2.url=jdbc:db2://db-{name}:50000/lportal:user=u;password={s[19]};\n"
        f"acme.pg.url=jdbc:postgresql://db-{name}/lportal?user=u&password={s[20]}\n"
        f"acme.api.url=https://api-{name}/v1?token={s[21]}&apiKey={s[22]}&access_token={s[23]}&password={s[24]}\n"
        # a boolean key whose name is secret: HA704 quotes its value
        f"auth.token.check.enabled={s[25]}\n"
    )
    (node / "setenv.sh").write_text(
        f'CATALINA_OPTS="$CATALINA_OPTS -Dacme.password=\\"x {s[26]}\\" -Dcom.sun.management.jmxremote"\n'
        f"JAVA_OPTS=\"$JAVA_OPTS -Dacme.secret='y {s[27]}' -Xmx2g\"\n"
        f'JAVA_OPTS="$JAVA_OPTS \\"-Dacme.token=z {s[28]}\\""\n'
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
    # a 6.x node: "key value" and "key:value" lines (only '=' separates in 7.2+)
    legacy = root / f"legacy-{name}"
    legacy.mkdir()
    (legacy / "portal-ext.properties").write_text(
        "jdbc.default.driverClassName=com.mysql.jdbc.Driver\n"
        "jdbc.default.url=jdbc:mysql://db.internal/lportal\n"
        f"jdbc.default.password   {s[9]}\n"
        f"jdbc.read.url:jdbc:mysql://db-{name}/lportal\njdbc.read.password:{s[10]}\n"
        f"jdbc.write.url jdbc:mysql://db-{name}/lportal\njdbc.write.p\\u0061ssword {s[10]}-w\n"
        "cluster.link.enabled true\n"
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


# secrets in deployment files: compose environment (list and map forms) and Kubernetes env
DEPLOYMENT_SECRETS = [
    "ComposeList-One",
    "ComposeList-Two",
    "ComposeFlag-One",
    "ComposeFlag-Two",
    "K8sEnv-Pw",
    "K8sCm-Pw",
]


def _compose(root: Path) -> Path:
    project = root / "compose"
    shutil.copytree(FIXTURES / "clusters" / "compose-74-healthy", project)
    compose = project / "docker-compose.yml"
    text = compose.read_text(encoding="utf-8")
    for n, word in ((1, "One"), (2, "Two")):
        text = text.replace(
            f"-Djgroups.bind_addr=liferay-{n}\n",
            f"-Djgroups.bind_addr=liferay-{n} -Dacme.password=ComposeFlag-{word}\n"
            f"      - LIFERAY_JDBC_PERIOD_READ_PERIOD_PASSWORD=ComposeList-{word}\n"
            f"      - LIFERAY_JDBC_PERIOD_READ_PERIOD_URL=jdbc:mysql://u:ComposeList-{word}@db/l\n",
        )
    compose.write_text(text, encoding="utf-8")
    return project


def _k8s(root: Path) -> Path:
    project = root / "k8s"
    shutil.copytree(FIXTURES / "clusters" / "k8s-74-healthy", project)
    sts = project / "statefulset.yaml"
    text = sts.read_text(encoding="utf-8").replace(
        "          env:\n",
        "          env:\n"
        "            - name: LIFERAY_JDBC_PERIOD_READ_PERIOD_PASSWORD\n"
        "              value: K8sEnv-Pw\n"
        "            - name: LIFERAY_AUTH_PERIOD_TOKEN_PERIOD_CHECK_PERIOD_ENABLED\n"
        "              value: K8sCm-Pw\n",
        1,
    )
    sts.write_text(text, encoding="utf-8")
    return project


def _encodings(word: str) -> list[str]:
    """A secret and its obvious encodings."""
    raw = word.encode()
    return [
        word,
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        raw.hex(),
        raw.hex().upper(),
        urllib.parse.quote(word, safe=""),
        urllib.parse.quote_plus(word),
        json.dumps(word)[1:-1],
        html.escape(word),
    ]


def _forbidden() -> list[str]:
    words = [w for ws in SECRETS.values() for w in ws] + DEPLOYMENT_SECRETS
    hashes = [h(w.encode()).hexdigest() for w in words for h in (hashlib.sha256, hashlib.sha1, hashlib.md5)]
    return [e for w in words for e in _encodings(w)] + [h[:16] for h in hashes]


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
        '[clusters.legacy]\nliferay-version = "6.2"\n'
        '[clusters.legacy.nodes.node1]\npath = "legacy-node1"\n'
        '[clusters.legacy.nodes.node2]\npath = "legacy-node2"\n'
    )
    return root


def test_no_secret_in_any_output(cluster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    paths = [str(cluster), str(_compose(tmp_path)), str(_k8s(tmp_path))]
    to_files = [a for f in CheckFormat for a in ("--format", f.value, "--output", str(out / f"report.{f.value}"))]
    runs = [
        ["check", "--color", "never", "--verbose", *paths],
        ["check", "--color", "always", "--verbose", *paths],
        ["check", "-q", *paths],
        ["check", "--statistics", *paths],
        ["check", "--format", "json", *paths],
        ["--debug", "check", "--verbose", "--no-inline-suppressions", *to_files, *paths],
        ["check", "--format", "github", *paths],
        ["check", "--write-baseline", str(out / "baseline.json"), *paths],
        ["check", "--baseline", str(out / "baseline.json"), "--format", "github", *paths],
        ["show", "--all", "--color", "never", *paths],
        ["--debug", "show", "--all", "--color", "always", *paths],
        ["show", "--all", "--format", "json", *paths],
        ["rules", "--format", "json"],
        *(["explain", rule] for rule in ("HA205", "HA115", "HA203", "HA704", "HA702")),
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
    # the rules that compare and quote the planted values did run on them
    assert {"HA205", "HA203", "HA704"} <= fired, fired
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


# ----------------------------------------------------------------------------- a careless rule

CARELESS_RULE = '''
"""A rule that quotes the value of the key it reports on, in every way it can."""

from __future__ import annotations

from collections.abc import Iterator

from linter.ruleapi import WARNING, Cluster, Context, Finding, label, rule


@rule(
    id="HA991",
    name="careless-quoting",
    severity=WARNING,
    scope="cluster",
    summary="Quotes secrets.",
    rationale="Test pack rule.",
    fix="None.",
    sources=("tests",),
)
def check(cluster: Cluster, ctx: Context) -> Iterator[Finding]:
    for node in cluster.nodes:
        for key in ("jdbc.default.password", "cluster.link.auth.value"):
            setting = node.setting(key)
            if setting is not None:
                value = setting.value
                yield Finding(
                    f"{node.name} uses {value} for {key} (that is: {value!r})",
                    label(node, setting, key=key, text=f"{node.name}: {value}"),
                    help=f"do not use {value}",
                    subject=key,
                )
'''


def test_no_rule_can_quote_a_secret_named_keys_value(
    cluster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "ha991_careless.py").write_text(CARELESS_RULE, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    main(["check", "--rules-dir", str(pack), "--select", "HA991", "--write-baseline", str(baseline), str(cluster)])
    capsys.readouterr()
    main(["check", "--rules-dir", str(pack), "--select", "HA991", "--format", "json", str(cluster)])
    out = capsys.readouterr().out
    findings = json.loads(out)["findings"]
    assert len(findings) == 6 and all(MASK in f["message"] for f in findings)  # 2 + 2 nodes, 1 + 1 keys
    everything = out + baseline.read_text(encoding="utf-8")
    for word in ("EnvPw-One", "EnvPw-Two", "SpaceSep-One", "SpaceSep-Two", "Auth-One", "Auth-Two"):
        assert word not in everything, word
