"""``check --format html``: the self-contained audit report, through the real CLI.

Structure is checked with the standard library's HTML parser against ``show --format json`` (the
drift matrix has exactly its rows and its differing rows) and ``check --format json`` (the same
findings); then escaping of hostile values, no resource outside the document, masked secrets,
determinism, and a real browser (Debian's chromium, headless) that loads the file, dumps its DOM
and takes a screenshot. Screenshots go to pytest's tmp_path only.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from linter import __version__
from linter.cli import main
from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity
from linter.reporters import html as html_report
from linter.reporters.common import Context
from tests.browser import DevTools, require_browser
from tests.conftest import FIXTURES
from tests.test_secrets import SECRETS, _forbidden, _node

CLUSTERS = FIXTURES / "clusters"
ALL = sorted(p.name for p in CLUSTERS.iterdir() if p.is_dir())
BROKEN = CLUSTERS / "broken-74-cluster-link-drift"
IDENTICAL = CLUSTERS / "healthy-62-multicast"  # its nodes agree on every shown setting
# every element the reporter writes; anything else in the parsed page came from unescaped input
TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "div", "h1", "h2", "h3", "span", "nav", "a",
    "section", "dl", "dt", "dd", "b", "code", "table", "thead", "tbody", "tr", "th", "td", "ul", "li",
    "colgroup", "col", "input", "label", "details", "summary", "article", "p", "pre", "mark", "footer",
}  # fmt: skip


# ----------------------------------------------------------------------------- parsing


@dataclass
class MatrixRow:
    key: str
    classes: set[str]
    cell_classes: list[set[str]] = field(default_factory=list)
    cell_titles: list[str] = field(default_factory=list)
    cell_texts: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """What the tests look at: the title, every start tag with its attributes, the style text,
    the matrix rows with their cells, and the findings' classes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.style = ""
        self.rows: list[MatrixRow] = []
        self.findings: list[set[str]] = []
        self._in: list[str] = []
        self._row: MatrixRow | None = None
        self._cell: str | None = None  # "key" or "value" while inside a matrix row's th/td
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = set(values.get("class", "").split())
        self.tags.append((tag, values))
        if tag not in ("meta", "input", "col"):  # void elements
            self._in.append(tag)
        if tag == "tr" and "setting-row" in classes:
            self._row = MatrixRow("", classes)
        elif self._row is not None and tag == "th":
            self._cell = "key"
        elif self._row is not None and tag == "td":
            self._cell = "value"
            self._row.cell_classes.append(classes)
            self._row.cell_titles.append(values.get("title", ""))
            self._row.cell_texts.append("")
        elif tag == "article" and "finding" in classes:
            self.findings.append(classes)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag in ("th", "td"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "title":
            self.title += data
        elif self._in and self._in[-1] == "style":
            self.style += data
        if self._row is not None and self._cell == "key":
            self._row.key += data
        elif self._row is not None and self._cell == "value":
            self._row.cell_texts[-1] += data

    def count(self, tag: str, cls: str | None = None) -> int:
        return sum(1 for t, a in self.tags if t == tag and (cls is None or cls in a.get("class", "").split()))


# ----------------------------------------------------------------------------- running the CLI


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    main(args)
    return capsys.readouterr().out


def html_for(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str = "report.html") -> str:
    out = tmp_path / name
    code = main(["check", "--format", "html", "--output", str(out), str(path)])
    capsys.readouterr()
    assert code in (0, 1)
    return out.read_text(encoding="utf-8")


def show_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run(["show", "--format", "json", str(path)], capsys))
    return data


def check_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run(["check", "--format", "json", str(path)], capsys))
    return data


def copy_cluster(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


# ----------------------------------------------------------------------------- structure


@pytest.mark.parametrize("name", ALL)
def test_matrix_and_findings_match_show_and_json(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = CLUSTERS / name
    page = Page(html_for(path, tmp_path, capsys))
    shown = show_json(path, capsys)["clusters"]
    report = check_json(path, capsys)
    assert len(shown) == 1
    settings = shown[0]["settings"]
    nodes = shown[0]["nodes"]

    assert page.title == f"Liferay HA audit: {name}"
    assert page.count("table", "matrix") == 1
    assert [r.key.lstrip("≠").removeprefix("per node") for r in page.rows] == [s["key"] for s in settings]
    # drift is highlighted; a setting that differs per node by design (a bind address) is marked, not highlighted
    drift = [s["differs"] and not s["per_node"] for s in settings]
    assert sum("differs" in r.classes for r in page.rows) == sum(drift)
    assert sum("per-node" in r.classes for r in page.rows) == sum(s["differs"] and s["per_node"] for s in settings)
    for row, setting, drifts in zip(page.rows, settings, drift, strict=True):
        assert len(row.cell_classes) == len(nodes)
        assert all(title for title in row.cell_titles)  # every cell names its origin on hover
        highlighted = ["cell-differs" in c for c in row.cell_classes]
        assert any(highlighted) == drifts, row.key
        for node, text, title in zip(nodes, row.cell_texts, row.cell_titles, strict=True):
            cell = setting["nodes"][node["name"]]
            if cell is None:
                assert text == "(not set)"
            else:
                value = cell["value"] if cell["value"] != "" else '""'
                assert value in text, (row.key, text, value)  # a long value is folded after a preview
                assert title.startswith(f"{node['name']}: ")
    highlighted_cells = sum("cell-differs" in c for r in page.rows for c in r.cell_classes)
    assert (highlighted_cells > 0) == any(drift)

    findings = report["findings"]
    assert len(page.findings) == len(findings)
    for severity in ("error", "warning", "info"):
        assert sum(severity in c for c in page.findings) == sum(f["severity"] == severity for f in findings)
    assert page.count("section", "cluster") == 1


def test_broken_cluster_highlights_the_outlier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = Page(html_for(BROKEN, tmp_path, capsys))
    rows = {r.key.lstrip("≠"): r for r in page.rows}
    enabled = rows["cluster.link.enabled"]  # true, true, yes: node3 is the outlier
    assert "differs" in enabled.classes
    assert ["cell-differs" in c for c in enabled.cell_classes] == [False, False, True]
    assert enabled.cell_texts[2].startswith("yes")
    assert "portal-ext.properties:16" in enabled.cell_titles[2]
    group = rows['multicast.group.address["cluster-link-control"]']  # node2 alone on another group
    assert ["cell-differs" in c for c in group.cell_classes] == [False, True, False]
    agreeing = rows["cluster.link.autodetect.address"]
    assert "differs" not in agreeing.classes
    assert not any("cell-differs" in c for c in agreeing.cell_classes)


def test_identical_nodes_have_nothing_highlighted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = Page(html_for(IDENTICAL, tmp_path, capsys))
    assert page.rows
    assert not any("differs" in r.classes for r in page.rows)
    assert not any("cell-differs" in c for r in page.rows for c in r.cell_classes)
    assert page.findings == []


def test_finding_details(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = html_for(BROKEN, tmp_path, capsys)
    findings = check_json(BROKEN, capsys)["findings"]
    page = Page(text)
    first = findings[0]
    assert first["fingerprint"] in text
    for finding in findings:
        assert f"liferay-ha-lint explain {finding['rule']}" in text
        loc = finding["location"]
        assert f"{loc['file']}:{loc['line']}:{loc['column']}" in text
    assert page.count("pre", "snippet") >= len(findings)  # every finding here has a line
    assert page.count("mark") >= len(findings)
    assert page.count("div", "related") == sum(1 for f in findings if f["related"])
    assert page.count("p", "help") == sum(1 for f in findings if f.get("help"))
    assert "<h3" in text and "errors" in text
    assert f"liferay-ha-lint {__version__}" in text


def test_stdout_and_several_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "html", str(BROKEN)]) == 1
    printed = capsys.readouterr().out
    assert printed.startswith("<!DOCTYPE html>") and printed.endswith("</html>\n")
    report = tmp_path / "r.html"
    assert main(["check", "-f", "html", "-o", str(report), "-f", "json", str(BROKEN)]) == 1
    as_json = json.loads(capsys.readouterr().out)
    assert len(Page(report.read_text(encoding="utf-8")).findings) == len(as_json["findings"])
    assert report.read_text(encoding="utf-8") == printed


def test_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = html_for(BROKEN, tmp_path, capsys, "a.html")
    two = html_for(BROKEN, tmp_path, capsys, "b.html")
    assert one == two
    assert not re.search(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d", one)  # no generation timestamp


def test_several_clusters_in_one_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = ["broken-74-cluster-link-drift", "healthy-74-unicast-tcpping"]
    out = tmp_path / "two.html"
    main(["check", "-f", "html", "-o", str(out), *(str(CLUSTERS / n) for n in names)])
    capsys.readouterr()
    page = Page(out.read_text(encoding="utf-8"))
    assert page.title == "Liferay HA audit: " + ", ".join(names)
    assert page.count("section", "cluster") == 2
    assert page.count("table", "matrix") == 2
    expected = sum(len(show_json(CLUSTERS / n, capsys)["clusters"][0]["settings"]) for n in names)
    assert len(page.rows) == expected
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids))  # unique anchors and checkbox ids
    for _, attrs in page.tags:
        if "for" in attrs:
            assert attrs["for"] in ids


def test_without_loaded_clusters_the_matrix_is_left_out() -> None:
    """A caller that passes no clusters in the context still gets a page (summary and findings)."""
    label = Label("node1", "c/node1/portal-ext.properties", 3, 1, 3, 10, text="x", snippet="a=<b>&c")
    finding = Diagnostic("HA102", "cluster-link-mismatch", Severity.ERROR, "m <i>", label, cluster="c")
    summary = ClusterSummary("c", "c", "7.4", "manifest", (("node1", "c/node1", ("c/node1/portal-ext.properties",)),))
    text = html_report.render(Report((finding,), (summary,)), Context(tool_version="9.9", rules=()))
    page = Page(text)
    assert "Drift matrix not available" in text
    assert len(page.findings) == 1
    assert "m &lt;i&gt;" in text and "a=&lt;b&gt;&amp;c" in text.replace("<mark>", "").replace("</mark>", "")
    assert {t for t, _ in page.tags} <= TAGS


# ----------------------------------------------------------------------------- safety


def test_hostile_values_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster = copy_cluster(BROKEN, tmp_path)
    props = cluster / "node1" / "portal-ext.properties"
    text = props.read_text(encoding="utf-8")
    key, hostile = "cluster.link.channel.logic.name.control", "<script>alert(1)</script>"
    text = text.replace(f"{key}=control-node1", f"{key}={hostile}")
    assert hostile in text
    group = 'multicast.group.address["cluster-link-control"]'
    text = text.replace(f"{group}=239.255.20.1", f'{group}="><img src=x onerror=alert(2)>')
    props.write_text(text + 'cluster.link.channel.name.x"><b>k</b>=v&amp;\n', encoding="utf-8")
    out = html_for(cluster, tmp_path, capsys)
    assert hostile not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<img" not in out and "&lt;img src=x onerror=alert(2)&gt;" in out
    assert "x&quot;&gt;&lt;b&gt;k&lt;/b&gt;" in out and "v&amp;amp;" in out
    page = Page(out)
    assert {t for t, _ in page.tags} <= TAGS
    assert page.count("script") == 0 and page.count("img") == 0
    keys = [r.key.lstrip("≠") for r in page.rows]
    assert 'cluster.link.channel.name.x"><b>k</b>' in keys  # parsed back to the original text
    row = next(r for r in page.rows if r.key.lstrip("≠").removeprefix("per node") == key)
    assert row.cell_texts[0].startswith(hostile)


def test_no_resource_outside_the_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("broken-74-cluster-link-drift", "broken-74-docker-env", "healthy-71-elasticsearch6"):
        text = html_for(CLUSTERS / name, tmp_path, capsys, f"{name}.html")
        page = Page(text)
        assert page.count("script") == 0  # readable without JS: there is none
        for tag, attrs in page.tags:
            assert tag not in ("link", "img", "iframe", "object", "embed", "base", "source", "video", "audio")
            assert "src" not in attrs and "srcset" not in attrs and "action" not in attrs
            assert all(
                not v.lower().lstrip().startswith(("http:", "https:", "//", "file:", "data:")) for v in attrs.values()
            )
            if "href" in attrs:
                assert attrs["href"].startswith("#"), attrs["href"]
            if tag == "meta":
                assert "http-equiv" not in attrs
        assert page.style
        for forbidden in ("url(", "@import", "@font-face", "http:", "https:"):
            assert forbidden not in page.style
        ids = {a["id"] for _, a in page.tags if "id" in a}
        for _, attrs in page.tags:
            if "href" in attrs:
                assert attrs["href"][1:] in ids  # every link lands inside the page


def test_planted_secret_in_a_fixture_copy_is_masked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster = copy_cluster(BROKEN, tmp_path)
    planted = {"node1": "Pl4nted-Html-One", "node2": "Pl4nted-Html-Two", "node3": "Pl4nted-Html-One"}
    for node, secret in planted.items():
        props = cluster / node / "portal-ext.properties"
        props.write_text(
            props.read_text(encoding="utf-8")
            + f"jdbc.default.password={secret}\n"
            + f"jdbc.read.url=jdbc:postgresql://db.internal/lportal?user=u&password={secret}-url\n",
            encoding="utf-8",
        )
    text = html_for(cluster, tmp_path, capsys)
    for secret in planted.values():
        assert secret not in text
    page = Page(text)
    row = next(r for r in page.rows if r.key.lstrip("≠") == "jdbc.default.password")
    assert all(t.startswith("********") for t in row.cell_texts)
    assert "differs" not in row.classes  # the masked values cannot show a difference


def test_secrets_everywhere_never_reach_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The cluster of tests/test_secrets.py: passwords, keys and auth values in properties, JGroups
    XML, env files and OSGi configs, different per node so that the mismatch rules fire."""
    root = tmp_path / "c"
    root.mkdir()
    for name, values in SECRETS.items():
        _node(root, name, values)
    (root / "liferay-ha.toml").write_text(
        '[clusters.c]\nliferay-version = "7.4"\n'
        '[clusters.c.nodes.node1]\npath = "node1"\nenv-files = ["node1/liferay.env"]\n'
        '[clusters.c.nodes.node2]\npath = "node2"\nenv-files = ["node2/liferay.env"]\n'
    )
    text = html_for(root, tmp_path, capsys)
    assert "HA205" in text  # the credentials mismatch rule compared them
    assert "********" in text
    for needle in _forbidden():
        assert needle not in text, needle


# ----------------------------------------------------------------------------- a real browser

# what a probe reads from the page: the findings shown (rule and node of each), the severity blocks
# and rule groups shown; an element is shown when it has a box (display: none, its own or an
# ancestor's, leaves it none)
SHOWN = """JSON.stringify({
  findings: [...document.querySelectorAll('article.finding')].filter(e => e.getClientRects().length)
    .map(e => [e.querySelector('.where code').textContent, e.querySelector('.loc.primary .node').textContent]),
  blocks: [...document.querySelectorAll('.sev-block')].filter(e => e.getClientRects().length).map(e => e.id),
  groups: [...document.querySelectorAll('details.rule-group')].filter(e => e.getClientRects().length).length,
})"""
# the layout at the viewport's size: overflow of the page, elements past the right edge that do not
# scroll inside a snippet, the filter chips and the matrix
LAYOUT = """JSON.stringify({
  width: innerWidth,
  scrollWidth: document.documentElement.scrollWidth,
  outside: [...document.querySelectorAll('body *')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 0.5)
    .filter(e => !e.closest('pre.snippet')).map(e => e.tagName + '.' + e.className),
  chips: [...document.querySelectorAll('.filters label.chip')].map(e => e.getBoundingClientRect())
    .map(r => [r.left, r.right, r.width, r.height]),
  matrix: (r => [r.left, r.right, r.width])(document.querySelector('table.matrix').getBoundingClientRect()),
  firstSection: document.querySelector('section.cluster h3').textContent,
})"""


def _chip(browser: DevTools, group: str, text: str) -> None:
    """Click the filter chip of ``group`` (Rule, Node) whose label starts with ``text``, with the mouse."""
    where = browser.evaluate(
        f"""(() => {{
      const group = [...document.querySelectorAll('.filters .group')]
        .find(g => g.querySelector('b').textContent === {json.dumps(group)});
      const chip = [...group.querySelectorAll('label.chip')]
        .find(l => l.textContent === {json.dumps(text)} || l.textContent.startsWith({json.dumps(text + " ")}));
      chip.scrollIntoView({{block: 'center'}});
      const r = chip.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];
    }})()"""
    )
    browser.click(*where)


def _shown(browser: DevTools) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(browser.evaluate(SHOWN))
    shown["findings"] = sorted(tuple(f) for f in shown["findings"])
    return shown


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_renders_in_a_real_browser(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exe = require_browser()
    report = tmp_path / "report.html"
    report.write_text(html_for(BROKEN, tmp_path, capsys), encoding="utf-8")
    settings = show_json(BROKEN, capsys)["clusters"][0]["settings"]
    with DevTools(exe, tmp_path / "profile") as browser:
        browser.open(report.resolve().as_uri(), 1280, 800)
        dom = Page("<!DOCTYPE html>" + browser.evaluate("document.documentElement.outerHTML"))
    assert dom.title == "Liferay HA audit: broken-74-cluster-link-drift"
    assert len(dom.rows) == len(settings)
    assert sum("differs" in r.classes for r in dom.rows) == sum(s["differs"] and not s["per_node"] for s in settings)
    assert any("cell-differs" in c for r in dom.rows for c in r.cell_classes)
    assert dom.count("tbody") >= 1  # the browser's own tree, not our text echoed back
    assert len(dom.findings) == len(check_json(BROKEN, capsys)["findings"])


def test_filters_by_rule_and_node_hide_and_show_the_right_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mouse click on a rule chip and on a node chip (no script in the page: radio buttons and
    CSS) shows exactly the findings of that rule, of that node, of both; a severity block or a
    rule group left without findings is hidden too; "all" brings everything back."""
    exe = require_browser()
    report = tmp_path / "report.html"
    report.write_text(html_for(BROKEN, tmp_path, capsys), encoding="utf-8")
    findings = sorted((f["rule"], f["node"], f["severity"]) for f in check_json(BROKEN, capsys)["findings"])
    assert {f[0] for f in findings} >= {"HA203", "HA101"} and {f[1] for f in findings} >= {"node1", "node3"}

    def expected(rule: str | None = None, node: str | None = None) -> dict[str, Any]:
        kept = [f for f in findings if rule in (None, f[0]) and node in (None, f[1])]
        return {
            "findings": [(r, n) for r, n, _ in kept],
            "blocks": [f"findings-{s}" for s in ("error", "warning", "info") if any(f[2] == s for f in kept)],
            "groups": len({r for r, _, _ in kept}),
        }

    with DevTools(exe, tmp_path / "profile") as browser:
        browser.open(report.resolve().as_uri(), 1280, 800)
        assert _shown(browser) == expected()
        _chip(browser, "Rule", "HA203")
        assert _shown(browser) == expected(rule="HA203")
        _chip(browser, "Node", "node3")  # HA203 is on node1: nothing left
        assert _shown(browser) == expected(rule="HA203", node="node3") == {"findings": [], "blocks": [], "groups": 0}
        _chip(browser, "Rule", "HA101")
        assert _shown(browser) == expected(rule="HA101", node="node3")
        _chip(browser, "Rule", "all")
        node3 = expected(node="node3")
        assert _shown(browser) == node3 and node3["blocks"] == ["findings-error"]  # node3 has no warning
        _chip(browser, "Node", "node1")
        assert _shown(browser) == expected(node="node1")
        _chip(browser, "Node", "all")
        assert _shown(browser) == expected()
        # the keyboard: the arrow keys move within a group of radio buttons, the chip shows the focus
        _chip(browser, "Rule", "HA101")
        browser.press("ArrowRight", 39)
        assert _shown(browser) == expected(rule="HA102")
        outline = "getComputedStyle(document.querySelector('label[for=fr-2]')).outlineStyle"
        assert browser.evaluate("document.activeElement.id") == "fr-2" and browser.evaluate(outline) == "solid"


@pytest.mark.parametrize("cluster", ["broken", "many"])
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_layout_and_screenshots_at_two_sizes(
    cluster: str, width: int, height: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A desktop window and a phone (its layout viewport widens when the page does not fit): the
    page never scrolls sideways (only a long source line scrolls, inside its snippet), the drift
    matrix comes first and fits, every filter chip is whole on screen (the collapsed node chips of
    40 nodes opened); screenshots of the top and of the findings, at the viewport's size."""
    exe = require_browser()
    path = BROKEN if cluster == "broken" else many_nodes(tmp_path)
    report = tmp_path / "report.html"
    report.write_text(html_for(path, tmp_path, capsys), encoding="utf-8")
    findings = check_json(path, capsys)["findings"]
    with DevTools(exe, tmp_path / "profile") as browser:
        browser.open(report.resolve().as_uri(), width, height)
        browser.evaluate("document.querySelectorAll('.filters details').forEach(d => d.open = true)")
        layout = json.loads(browser.evaluate(LAYOUT))
        top = browser.screenshot()
        browser.evaluate("document.getElementById('findings').scrollIntoView()")
        bottom = browser.screenshot()
    assert layout["width"] == width
    assert layout["scrollWidth"] <= width, layout["outside"]
    assert layout["outside"] == []
    assert layout["firstSection"].startswith("Drift matrix")
    left, right, matrix_width = layout["matrix"]
    assert left >= 0 and right <= width and matrix_width > width / 2
    assert len(layout["chips"]) == 2 + len({f["rule"] for f in findings}) + len({f["node"] for f in findings})
    for chip_left, chip_right, chip_width, chip_height in layout["chips"]:
        assert chip_left >= 0 and chip_right <= width and chip_width > 20 and chip_height > 10
    for name, shot in (("top", top), ("findings", bottom)):
        (tmp_path / f"{name}-{width}x{height}.png").write_bytes(shot)
        assert _png_size(shot) == (width, height)
        assert len(shot) > 15_000  # a blank page of this size compresses to a few kB


def many_nodes(tmp_path: Path) -> Path:
    """40 nodes, node07 on another database; every node has findings (HA114, HA116, HA303, HA405)."""
    cluster = tmp_path / "many"
    for i in range(1, 41):
        node = cluster / f"node{i:02d}"
        node.mkdir(parents=True)
        db = "db2" if i == 7 else "db"
        (node / "portal-ext.properties").write_text(
            f'cluster.link.enabled=true\ncluster.link.bind.addr["cluster-link-control"]=10.0.0.{i}\n'
            f"jdbc.default.url=jdbc:postgresql://{db}.internal:5432/lportal\n"
        )
    return cluster


def test_report_stays_small_for_many_nodes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 40 nodes, one of them drifting: the matrix has one column for the 39 identical nodes (their
    # per-node bind addresses aside) and one for the outlier; the node list is collapsed after the matrix
    out = html_for(many_nodes(tmp_path), tmp_path, capsys)
    page = Page(out)
    headers = [attrs for tag, attrs in page.tags if tag == "th" and attrs.get("scope") == "col"]
    assert len(headers) == 1 + 2  # the setting column, the 39 identical nodes, node07
    assert "and 38 identical" in out and "per node" in out
    assert out.index('class="matrix"') < out.index('class="node-list"')  # drift first
    assert '<details class="node-list">' in out  # collapsed: 40 nodes
    assert len(out) < 400_000  # most of it the per-node findings (HA114, HA116, HA303 on each node)


def test_findings_can_be_filtered_by_severity_without_a_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = html_for(CLUSTERS / "broken-74-cluster-link-drift", tmp_path, capsys)
    section = out[out.index('<section class="card" id="findings">') :]
    section = section[: section.index("</section>")]
    # the hidden checkboxes come first in the section, so `#hide-x:checked ~ #findings-x` reaches the blocks
    assert section.index('id="hide-error"') < section.index('id="findings-error"')
    assert section.index('id="hide-warning"') < section.index('id="findings-warning"')
    assert '<label class="switch" for="hide-warning">' in section
    assert "#hide-warning:checked ~ #findings-warning" in out and "<script" not in out
