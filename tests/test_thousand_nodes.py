"""Output that scales: a real 1,000-node cluster (``bench/generate.py``) checked once through the
CLI into text, JSON and HTML.

The text summary lists only the nodes with findings, messages name a few nodes and count the rest,
the HTML report stays small and opens with the drift matrix, and the JSON report still lists every
node. The cluster's planted disagreements are on nodes 1, 2, 3 and 1000 (see the generator).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from linter.cli import main
from tests.test_html_report import Page

NODES = 1000
NODE_NAME = re.compile(r"\bnode\d{4}\b")
HTML_BOUND = 1_500_000  # bytes; 1.26 MB when written (most of it the collapsed list of 6,000 files)


class Outputs(NamedTuple):
    text: str
    report: dict[str, Any]
    html: str
    seconds: float


@pytest.fixture(scope="module")
def outputs(thousand_nodes: Path, tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    out = tmp_path_factory.mktemp("outputs")
    text, report, html = out / "report.txt", out / "report.json", out / "report.html"
    started = time.monotonic()
    code = main(
        [
            "check",
            *("-f", "text", "-o", str(text)),
            *("-f", "json", "-o", str(report)),
            *("-f", "html", "-o", str(html)),
            str(thousand_nodes),
        ]
    )
    seconds = time.monotonic() - started
    assert code == 1
    return Outputs(
        text.read_text(encoding="utf-8"),
        json.loads(report.read_text(encoding="utf-8")),
        html.read_text(encoding="utf-8"),
        seconds,
    )


def _nodes_with_findings(report: dict[str, Any]) -> set[str]:
    return {f["node"] for f in report["findings"] if f["node"]}


def test_the_cluster_is_real_and_complete(outputs: Outputs) -> None:
    (cluster,) = outputs.report["clusters"]
    assert len(cluster["nodes"]) == NODES
    assert outputs.report["summary"]["nodes"] == NODES and outputs.report["summary"]["files"] == 6 * NODES
    assert _nodes_with_findings(outputs.report) == {"node0001", "node0002", "node0003", "node1000"}
    assert outputs.seconds < 60, f"check took {outputs.seconds:.1f} s"  # about 8 s on two shared cores


def test_text_lists_only_the_nodes_with_findings(outputs: Outputs) -> None:
    table = outputs.text[outputs.text.index("Findings by node") :]
    rows = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")]
    listed = [row.rsplit("/", 1)[-1] for row in rows[:-1]]
    assert sorted(listed) == sorted(_nodes_with_findings(outputs.report))
    assert rows[-1] == f"({NODES - len(listed)} other nodes without findings)"
    summary = outputs.text.rstrip().splitlines()[-1]
    assert summary.startswith("Found ") and summary.endswith(f"in 1 cluster ({NODES} nodes, {6 * NODES} files).")


def test_node_names_are_capped_in_messages_and_text(outputs: Outputs) -> None:
    findings = outputs.report["findings"]
    for finding in findings:
        assert len(set(NODE_NAME.findall(finding["message"]))) <= 5, finding["message"]
    # the database outlier against the others: a few names, then a count of the rest
    database = next(f for f in findings if f["rule"] == "HA203")
    assert "node0002 has" in database["message"] and f"and {NODES - 4} more have" in database["message"]
    # the text never writes out the nodes: at most 20 names in a line, the rest counted
    for line in outputs.text.splitlines():
        assert len(NODE_NAME.findall(line)) <= 20, line[:200]
    assert re.search(r"and \d{3} others \(the JSON report lists every one\)", outputs.text)
    assert len(outputs.text) < 40_000  # 8 findings, not 1,000 nodes
    # the JSON report keeps every node: the other 999 are the related locations of the outlier
    assert {r["node"] for r in database["related"]} == {f"node{i:04d}" for i in range(1, NODES + 1)} - {"node0002"}


def test_html_is_small_and_opens_with_the_drift_matrix(outputs: Outputs) -> None:
    html = outputs.html
    assert len(html.encode("utf-8")) < HTML_BOUND
    cluster = html[html.index('<section class="card cluster"') :]
    assert cluster.index("<h3") == cluster.index('<h3 id="matrix-1">Drift matrix')  # the first thing after the facts
    assert html.index('class="matrix"') < html.index('class="node-list"') < html.index('id="findings"')
    assert '<details class="node-list">' in html  # 1,000 nodes: collapsed
    page = Page(html)
    columns = [a for t, a in page.tags if t == "th" and a.get("scope") == "col"]
    assert len(columns) <= 1 + 5  # the settings, the identical nodes in one column, the outliers
    assert len(page.findings) == len(outputs.report["findings"])
    # the node filter offers the nodes with findings, not the 1,000
    node_chips = re.findall(r'<label class="chip" for="fn-\d+" title="[^"]*">([^ <]+)', html)
    assert sorted(node_chips) == sorted(_nodes_with_findings(outputs.report))
    assert html.count("the JSON report lists every one") >= 3  # long lists of places are cut in the page
