"""The deployment readers (YAML, compose, Kubernetes, Dockerfile, archives) on hostile and random
input: never an exception, every problem positioned, alias bombs refused, nothing extracted."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.liferay.detect import clues_from_image
from linter.load.compose import interpolate, read_compose
from linter.load.deployment import NoNodes, Unreadable
from linter.load.dockerfile import parse_dockerfile
from linter.load.kubernetes import read_manifests
from linter.origin import Problem, ProblemKind
from linter.sources.archive import ArchiveTree
from linter.sources.files import Limits
from linter.sources.yaml_safe import block_content, parse_yaml
from tests.test_fuzz_readers import _positioned

EXAMPLES = int(os.environ.get("LIFERAY_HA_LINT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

YAML_BITS = st.sampled_from(
    [
        "services:\n",
        "  liferay:\n",
        "    image: liferay/dxp:2024.q1.1\n",
        "    environment:\n",
        "      - LIFERAY_CLUSTER_PERIOD_LINK_PERIOD_ENABLED=true\n",
        "      LIFERAY_X: ${A:-b}\n",
        "    volumes:\n",
        "      - ./p:/opt/liferay/portal-ext.properties\n",
        "      - type: bind\n",
        "    deploy: {replicas: 3}\n",
        "kind: StatefulSet\n",
        "apiVersion: apps/v1\n",
        "---\n",
        "&a [*a]\n",
        "<<: *b\n",
        "x: &b {y: 1}\n",
        "  - |\n",
        "    a=b\n",
        "\t",
        ": ",
        "- ",
        "{",
        "}",
        "[",
        "]",
        "'",
        '"',
        "!!python/object:os.system\n",
        "\n",
        "é",
    ]
)


@FUZZ
@given(text=st.lists(YAML_BITS, max_size=40).map("".join), raw=st.binary(max_size=200))
def test_yaml_compose_and_manifest_readers(tmp_path: Path, text: str, raw: bytes) -> None:
    for data in (text.encode("utf-8", "surrogatepass"), raw):
        parsed = parse_yaml(data, "x.yaml")
        _positioned(parsed.problems)
        for doc in parsed.documents:
            block_content(parsed.text, doc, "x.xml")
        path = tmp_path / "docker-compose.yml"
        path.write_bytes(data)
        result = read_compose([path], {path: "docker-compose.yml"}, Limits())
        if isinstance(result, NoNodes):
            assert result.origin.file == "docker-compose.yml" and result.message
        else:
            _positioned([result] if isinstance(result, Problem) else result.problems)
        manifests = read_manifests([path], {path: "docker-compose.yml"}, Limits())
        if isinstance(manifests, NoNodes):
            assert manifests.message
        elif isinstance(manifests, Unreadable):
            _positioned(list(manifests.problems))
        else:
            _positioned([manifests] if isinstance(manifests, Problem) else [p for d in manifests for p in d.problems])


@FUZZ
@given(text=st.text(max_size=300), image=st.text(max_size=40))
def test_dockerfile_reader_and_image_versions(tmp_path: Path, text: str, image: str) -> None:
    parsed = parse_dockerfile(text, "Dockerfile", tmp_path)
    _positioned(parsed.problems)
    assert all(str(c.source).startswith(str(tmp_path)) for c in parsed.copies)
    clues_from_image(image, "Dockerfile")
    interpolate(text, {"A": "1"})


@FUZZ
@given(raw=st.binary(max_size=400))
def test_archive_reader_on_random_bytes(tmp_path: Path, raw: bytes) -> None:
    for name in ("n.tar", "n.tar.gz", "n.zip"):
        path = tmp_path / name
        path.write_bytes(raw)
        tree = ArchiveTree(path, name, Limits())
        _positioned(tree.problems)
        tree.listdir("")
        tree.read("portal-ext.properties", Limits())


def test_alias_bomb_is_refused_not_expanded() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    parsed = parse_yaml("\n".join(lines).encode(), "bomb.yaml")
    assert [p.kind for p in parsed.problems] == [ProblemKind.REFUSED]
    assert "alias" in parsed.problems[0].message


def test_python_tags_build_nothing() -> None:
    parsed = parse_yaml(b"x: !!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n", "t.yaml")
    assert not Path("/tmp/pwned-by-yaml").exists()
    (doc,) = parsed.documents
    x = doc.get("x")
    assert x is not None and isinstance(x.value, list)  # kept as plain data, never constructed


def test_syntax_error_has_a_position() -> None:
    parsed = parse_yaml(b"services:\n  liferay:\n\timage: x\n", "bad.yaml")
    (problem,) = parsed.problems
    assert problem.kind is ProblemKind.MALFORMED and problem.origin.line == 3 and problem.origin.column is not None


def test_literal_block_keeps_manifest_lines_and_columns() -> None:
    text = "data:\n  portal-ext.properties: |\n    a=1\n    cluster.link.enabled=true\n"
    parsed = parse_yaml(text.encode(), "cm.yaml")
    entry = parsed.documents[0].get("data")
    assert entry is not None
    value = entry.get("portal-ext.properties")
    assert value is not None
    lines = block_content(parsed.text, value).decode().split("\n")
    assert lines[3] == "    cluster.link.enabled=true"  # line 4 of the manifest, same column


def test_xml_declaration_in_a_block_is_blanked() -> None:
    text = 'data:\n  tcp.xml: |\n    <?xml version="1.0"?>\n    <config/>\n'
    parsed = parse_yaml(text.encode(), "cm.yaml")
    entry = parsed.documents[0].get("data")
    assert entry is not None and entry.get("tcp.xml") is not None
    content = block_content(parsed.text, entry.get("tcp.xml"), "tcp.xml")  # type: ignore[arg-type]
    assert b"<?xml" not in content and b"<config/>" in content


def test_zip_member_with_traversal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../outside.properties", "x=1\n")
        archive.writestr("home/portal-ext.properties", "cluster.link.enabled=true\n")
    tree = ArchiveTree(path, "n.zip", Limits())
    assert [p.kind for p in tree.problems] == [ProblemKind.UNREADABLE]
    assert tree.read("portal-ext.properties", Limits()) == b"cluster.link.enabled=true\n"
    assert not (tmp_path.parent / "outside.properties").exists()


def test_binary_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.tar"
    with tarfile.open(path, "w") as archive:
        data = b"\x00\x01binary"
        info = tarfile.TarInfo("portal-ext.properties")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    result = ArchiveTree(path, "n.tar", Limits()).read("portal-ext.properties", Limits())
    assert isinstance(result, Problem) and "binary" in result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${A}", "1"),
        ("${B:-dflt}", "dflt"),
        ("${E:-dflt}", "dflt"),
        ("${E-dflt}", ""),
        ("${NOPE}", "${env.NOPE}"),
        ("$$A", "$A"),
        ("x$A-y", "x1-y"),
    ],
)
def test_compose_interpolation(text: str, expected: str) -> None:
    assert interpolate(text, {"A": "1", "E": ""}) == expected


def test_max_file_size_applies_to_deployment_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import shutil

    from linter.cli import main

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "clusters" / "compose-74-healthy", project)
    main(["check", "--format", "json", "--max-file-size", "200", str(project)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    refused = [f for f in findings if f["rule"] == "HA001" and f["location"]["file"].endswith("docker-compose.yml")]
    assert refused and "200-byte limit" in refused[0]["message"]


def test_a_compose_file_without_liferay_is_a_note_not_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pre-commit passes every changed compose file; one for other services is not bad input."""
    import json

    from linter.cli import main

    compose = tmp_path / "docker-compose.yml"
    compose.write_text("services:\n  db:\n    image: postgres:16\n", encoding="utf-8")
    code = main(["check", "--format", "json", str(compose)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["findings"] == [] and report["clusters"] == []
    assert main(["check", "--verbose", "--color", "never", str(compose)]) == 0
    assert "docker-compose.yml: no service runs Liferay" in capsys.readouterr().out  # said with --verbose
