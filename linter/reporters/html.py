"""``check --format html``: one self-contained HTML audit report.

The page holds, per cluster, a summary (name, path, Liferay version and where it came from, the
nodes with their paths and files, findings by severity) and the drift matrix: the HA-relevant
settings of ``show`` down (the same rows, :func:`linter.show.build_rows`), the nodes across.
A row whose values differ has the class ``differs``; in it the cells that disagree with the
majority value (every cell when there is no majority) have the class ``cell-differs``. Every
cell shows its value and origin, and its ``title`` gives the full origin and the confidence.
Then the findings, grouped by severity and rule: message, primary location with its snippet,
the other nodes' locations, help, rule id, confidence and fingerprint.

The findings can be filtered by severity (checkboxes), by rule and by node (radio buttons, see
:class:`_Filters`). The file needs nothing else: CSS is inline, there is no script (the switches
and filters are form controls read by CSS selectors), no font, image or link outside the
document. Every text taken from the report or the configuration is escaped; secrets are masked
already (``show`` rows through :func:`linter.redact.mask_value`, the report by the engine). The
output is deterministic: no timestamp, only the tool version.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity
from linter.origin import Confidence
from linter.reporters.common import TOOL_NAME, Context, related_caption
from linter.show import Cell, Row, build_rows, relative_origin

if TYPE_CHECKING:
    from linter.model import Cluster, Node
    from linter.ruleapi import Rule

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
MAX_RELATED = 10  # other places shown per finding; the rest are named
NODES_OPEN = 12  # more nodes than this: the node list collapses, identical nodes share a matrix column
LONG_VALUE = 240  # characters of a matrix value shown in full; longer ones are folded
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CSS = """
:root {
  --fg: #1d2433; --muted: #5b6475; --faint: #8a93a3; --line: #dfe3ea; --bg: #f5f7fa; --card: #ffffff;
  --head: #eef1f6; --accent: #0b5cad;
  --error: #b42318; --error-bg: #fef3f2; --error-line: #fecdca;
  --warning: #b54708; --warning-bg: #fffaeb; --warning-line: #fedf89;
  --info: #175cd3; --info-bg: #eff8ff; --info-line: #b2ddff;
  --ok: #067647; --ok-bg: #ecfdf3;
  --drift: #fff4d6; --drift-strong: #ffe08a; --drift-line: #f0b429;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans",
    sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--fg); font: 14px/1.45 var(--sans); }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.page { max-width: 1500px; margin: 0 auto; padding: 0 24px 48px; }
header.top { background: #14213d; color: #fff; padding: 22px 0 18px; margin-bottom: 20px; }
header.top .page { padding-bottom: 0; }
header.top h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; letter-spacing: .2px; }
header.top .sub { color: #c8d1e3; font-size: 13px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 16px; }
.tile { background: rgba(255,255,255,.08); border: 1px solid rgba(255,255,255,.16); border-radius: 8px;
  padding: 8px 14px; min-width: 104px; }
.tile .n { display: block; font-size: 22px; font-weight: 600; line-height: 1.2; }
.tile .l { font-size: 12px; color: #c8d1e3; text-transform: uppercase; letter-spacing: .6px; }
.tile.error .n { color: #ffb4ab; } .tile.warning .n { color: #fedf89; } .tile.info .n { color: #b2ddff; }
nav.toc { font-size: 13px; margin: 0 0 18px; color: var(--muted); }
nav.toc a { margin-right: 14px; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px;
  margin-bottom: 22px; box-shadow: 0 1px 2px rgba(16,24,40,.05); }
h2 { font-size: 19px; margin: 0 0 12px; font-weight: 600; }
h3 { font-size: 15px; margin: 20px 0 10px; font-weight: 600; }
h2 .dim, h3 .dim { color: var(--faint); font-weight: 400; }
.summary { display: grid; grid-template-columns: minmax(280px, 1fr) 2fr; gap: 18px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.counts { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 10px; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600;
  border: 1px solid transparent; white-space: nowrap; }
.badge.error { color: var(--error); background: var(--error-bg); border-color: var(--error-line); }
.badge.warning { color: var(--warning); background: var(--warning-bg); border-color: var(--warning-line); }
.badge.info { color: var(--info); background: var(--info-bg); border-color: var(--info-line); }
.badge.ok { color: var(--ok); background: var(--ok-bg); border-color: #abefc6; }
.badge.drift { color: #7a4d00; background: var(--drift); border-color: var(--drift-line); }
table { border-collapse: separate; border-spacing: 0; width: 100%; }
table.nodes th, table.nodes td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
table.nodes th { background: var(--head); font-weight: 600; font-size: 12px; color: var(--muted);
  text-transform: uppercase; letter-spacing: .4px; }
table.nodes td { overflow-wrap: anywhere; }
table.nodes td:first-child { white-space: nowrap; }
table.nodes ul { margin: 0; padding-left: 16px; }
.toolbar { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; margin: 6px 0 10px; font-size: 13px;
  color: var(--muted); }
.toolbar label { cursor: pointer; user-select: none; color: var(--fg); }
.legend span { margin-right: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px;
  margin-right: 4px; border: 1px solid var(--drift-line); }
.swatch.row { background: var(--drift); } .swatch.cell { background: var(--drift-strong); }
table.matrix { table-layout: fixed; font-size: 13px; border: 1px solid var(--line); border-radius: 8px; }
table.matrix col.key { width: 26%; }
table.matrix thead th { position: sticky; top: 0; z-index: 2; background: var(--head); text-align: left;
  padding: 8px 10px; border-bottom: 1px solid #c9cfd9; font-weight: 600; }
table.matrix thead th .path { display: block; font-weight: 400; color: var(--faint); font-size: 11.5px;
  overflow-wrap: anywhere; }
table.matrix td, table.matrix tbody th { padding: 6px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top; text-align: left; overflow-wrap: anywhere; }
table.matrix tbody th { font-family: var(--mono); font-size: 12.5px; font-weight: 500; }
tr.section-row th { background: #f8f9fb; color: var(--accent); font-family: var(--sans) !important;
  font-size: 12px !important; text-transform: uppercase; letter-spacing: .6px; font-weight: 700 !important;
  padding-top: 10px !important; }
tr.setting-row:hover td, tr.setting-row:hover th { background: #f6f8fb; }
tr.differs th { background: var(--drift); box-shadow: inset 3px 0 0 var(--drift-line); }
tr.differs td { background: #fffbef; }
tr.differs:hover td, tr.differs:hover th { background: var(--drift); }
tr.differs td.cell-differs { background: var(--drift-strong); box-shadow: inset 0 0 0 1px var(--drift-line); }
td.cell-differs .value { font-weight: 700; }
.marker { color: #a15c00; font-weight: 700; margin-right: 4px; }
.value { display: block; font-family: var(--mono); font-size: 12.5px; white-space: pre-wrap; }
.origin { display: block; color: var(--faint); font-size: 11.5px; margin-top: 1px; }
details.long > summary { cursor: pointer; list-style: none; }
details.long > summary::after { content: " [show all]"; color: var(--accent); font-family: var(--sans);
  font-size: 11.5px; font-weight: 400; }
details.long[open] > summary { display: none; }
td.unset .value { color: var(--faint); font-style: italic; font-family: var(--sans); }
td.unresolved .value { color: var(--error); }
.empty { color: var(--faint); font-style: italic; }
.diff-toggle { margin: 0 6px 0 0; vertical-align: -2px; }
label.switch { cursor: pointer; user-select: none; font-size: 13px; margin-right: 18px; }
.diff-toggle:checked ~ table.matrix tr.setting-row:not(.differs) { display: none; }
.sev-filter { display: none; }
#hide-error:checked ~ #findings-error, #hide-warning:checked ~ #findings-warning,
#hide-info:checked ~ #findings-info { display: none; }
#hide-error:checked ~ .toolbar label[for=hide-error], #hide-warning:checked ~ .toolbar label[for=hide-warning],
#hide-info:checked ~ .toolbar label[for=hide-info] { text-decoration: line-through; opacity: 0.6; }
input.filter { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; pointer-events: none; }
.filters { align-items: flex-start; gap: 8px 18px; }
.filters .group { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; min-width: 0; }
.filters .group > b { font-weight: 600; color: var(--muted); margin-right: 2px; }
.filters details > summary { cursor: pointer; color: var(--fg); margin-bottom: 6px; }
label.chip { cursor: pointer; user-select: none; border: 1px solid var(--line); border-radius: 999px; padding: 1px 9px;
  background: #fff; color: var(--fg); font-size: 12.5px; white-space: nowrap; }
label.chip:hover { border-color: var(--accent); }
.marker.per-node { font-size: 0.75em; color: #555; border: 1px solid #bbb; border-radius: 3px;
  padding: 0 3px; margin-right: 4px; }
.sev-block { margin-top: 6px; }
.sev-block > h3 { display: flex; align-items: center; gap: 8px; }
details.rule-group { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 12px; background: #fff; }
details.rule-group > summary { cursor: pointer; padding: 9px 12px; background: #fafbfc; border-radius: 8px;
  list-style-position: inside; }
details.rule-group[open] > summary { border-bottom: 1px solid var(--line); border-radius: 8px 8px 0 0; }
summary .rule-id { font-family: var(--mono); font-weight: 700; margin: 0 6px; }
summary .rule-title { font-weight: 600; }
summary .rule-summary { color: var(--muted); margin-left: 6px; }
article.finding { padding: 12px 14px 12px 16px; border-left: 4px solid var(--line); margin: 0;
  border-bottom: 1px solid var(--line); }
article.finding:last-child { border-bottom: 0; border-radius: 0 0 0 8px; }
article.finding.error { border-left-color: var(--error); }
article.finding.warning { border-left-color: var(--warning); }
article.finding.info { border-left-color: var(--info); }
.finding .where { color: var(--muted); font-size: 12.5px; margin-bottom: 4px; overflow-wrap: anywhere; }
.finding .message { margin: 0 0 8px; font-size: 14px; overflow-wrap: anywhere; }
.loc { margin: 6px 0; }
.loc .loc-head { font-size: 12.5px; overflow-wrap: anywhere; }
.loc .loc-head .arrow { color: var(--faint); font-family: var(--mono); margin-right: 4px; white-space: nowrap; }
.loc .loc-head .node { font-weight: 600; margin-right: 6px; }
.loc .loc-head .text { color: var(--muted); margin-left: 6px; }
pre.snippet { margin: 4px 0 0; padding: 6px 10px; background: #f6f8fa; border: 1px solid var(--line);
  border-radius: 6px; overflow-x: auto; white-space: pre; }
pre.snippet .ln { color: var(--faint); user-select: none; display: inline-block; min-width: 3ch; text-align: right;
  margin-right: 12px; }
pre.snippet mark { background: #ffe08a; color: inherit; border-radius: 2px; }
.finding.error pre.snippet mark { background: #fecdca; }
.related pre.snippet mark, .finding.error .related pre.snippet mark { background: #e4e7ec; }
.related { margin: 8px 0 0; padding-left: 12px; border-left: 2px dashed var(--line); }
.related .caption { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .5px; }
.help { margin: 8px 0 0; padding: 6px 10px; background: #f0f6ff; border-radius: 6px; font-size: 13px;
  overflow-wrap: anywhere; }
.help b { color: var(--accent); }
.meta { margin-top: 8px; font-size: 12px; color: var(--faint); overflow-wrap: anywhere; }
.meta code { font-size: 11.5px; }
ul.notes { margin: 0; padding-left: 18px; font-size: 13px; }
footer { color: var(--faint); font-size: 12px; text-align: center; margin-top: 10px; }
@media (max-width: 600px) {
  .page { padding: 0 10px 32px; }
  section.card { padding: 14px 12px; }
  .summary { grid-template-columns: 1fr; }
}
@media print {
  html, body { background: #fff; }
  header.top { background: #fff; color: var(--fg); border-bottom: 2px solid var(--fg); }
  header.top .sub, .tile .l { color: var(--muted); }
  .tile { border-color: var(--line); }
  table.matrix thead th { position: static; }
  .diff-toggle, label.switch, .filters { display: none; }
  section.card { box-shadow: none; break-inside: auto; }
  article.finding { break-inside: avoid; }
}
"""


def _e(text: object) -> str:
    """Text for the page: control characters made visible, then HTML-escaped (quotes included)."""
    raw = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return escape(raw, quote=True)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _severity_counts(diagnostics: Iterable[Diagnostic]) -> dict[Severity, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for d in diagnostics:
        counts[d.severity] += 1
    return counts


def _count_badges(counts: dict[Severity, int]) -> str:
    if not any(counts.values()):
        return '<span class="badge ok">no findings</span>'
    return " ".join(
        f'<span class="badge {s.value}">{_e(_plural(counts[s], s.value, _PLURAL[s]))}</span>'
        for s in SEVERITIES
        if counts[s]
    )


def _title(report: Report) -> str:
    names = [c.name for c in report.clusters]
    if not names:
        return "Liferay HA audit"
    if len(names) <= 3:
        return "Liferay HA audit: " + ", ".join(names)
    return f"Liferay HA audit: {len(names)} clusters"


# ----------------------------------------------------------------------------- clusters


def _loaded(report: Report, ctx: Context) -> list[Cluster | None]:
    """The loaded cluster behind each of the report's cluster summaries (None when not given)."""
    loaded = list(ctx.clusters)
    if len(loaded) == len(report.clusters) and all(
        c.name == s.name and c.path == s.path for c, s in zip(loaded, report.clusters, strict=True)
    ):
        return list(loaded)
    by_key = {(c.name, c.path): c for c in loaded}
    return [by_key.get((s.name, s.path)) for s in report.clusters]


def _per_node_cell(row: Row, members: list[int]) -> str:
    """A by-design per-node setting in a column that stands for several nodes: how many values."""
    values = {c.value if (c := row.cells[i]) is not None else None for i in members}
    title = f"{len(members)} nodes, {len(values)} values: this setting is per node by design"
    return f'<td class="cell" title="{_e(title)}"><span class="value dim">{len(values)} values (per node)</span></td>'


def _names(nodes: Sequence[Node], members: list[int], limit: int = 8) -> str:
    names = [nodes[i].name for i in members]
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _disagreeing(row: Row) -> list[bool]:
    """Which cells of a row disagree: those differing from the majority value, or every cell when
    no value holds a strict majority of the most common ones (all distinct, a tie)."""
    if not row.differs:
        return [False] * len(row.cells)
    values = [c.value if c is not None else None for c in row.cells]
    ranked = Counter(values).most_common()
    top_value, top_count = ranked[0]
    if top_count > 1 and (len(ranked) == 1 or ranked[1][1] < top_count):
        return [v != top_value for v in values]
    return [True] * len(values)


def _cell(cell: Cell | None, node_name: str, node_path: str, disagrees: bool) -> str:
    classes = ["cell"]
    if disagrees:
        classes.append("cell-differs")
    if cell is None:
        classes.append("unset")
        title = f"{node_name}: not set on this node"
        return f'<td class="{" ".join(classes)}" title="{_e(title)}"><span class="value">(not set)</span></td>'
    if cell.confidence is Confidence.UNRESOLVED:
        classes.append("unresolved")
    origin = cell.origin_text
    title = f"{node_name}: {origin} (confidence: {cell.confidence.value})"
    value = cell.value
    text = value if value != "" else '""'  # an empty value, set explicitly
    shown = f'<span class="value">{_e(text)}</span>'
    if len(value) > LONG_VALUE:  # an inline JGroups stack: a preview, the whole value one click away
        preview = _e(value[: LONG_VALUE // 2].rstrip()) + "…"
        shown = f'<details class="long"><summary class="value">{preview}</summary>{shown}</details>'
    return (
        f'<td class="{" ".join(classes)}" title="{_e(title)}">{shown}'
        f'<span class="origin">{_e(relative_origin(origin, node_path))}</span></td>'
    )


def _columns(rows: list[Row], paths: list[str]) -> list[list[int]]:
    """The matrix columns: one per node, or, past ``NODES_OPEN`` nodes, one per group of nodes whose
    values and origins are the same in every row (a 1,000-node cluster of identical nodes and one
    outlier is two columns)."""
    count = len(paths)
    if count <= NODES_OPEN:
        return [[i] for i in range(count)]
    groups: dict[tuple[object, ...], list[int]] = {}
    compared = [row for row in rows if not row.per_node]  # bind addresses differ on every node by design
    for i in range(count):
        path = paths[i]
        signature = tuple(
            (c.value, relative_origin(c.origin_text, path)) if (c := row.cells[i]) is not None else None
            for row in compared
        )
        groups.setdefault(signature, []).append(i)
    return list(groups.values())


def _matrix(cluster: Cluster, index: int) -> str:
    rows = build_rows(cluster)
    nodes = cluster.nodes
    if not nodes:
        return '<p class="empty">No nodes: nothing to compare.</p>'
    differing = sum(1 for r in rows if r.drifts)
    per_node = sum(1 for r in rows if r.differs and r.per_node)
    toggle = f"diff-only-{index}"
    out: list[str] = []
    columns = _columns(rows, [n.path for n in nodes])

    def header(members: list[int]) -> str:
        first = nodes[members[0]]
        more = f'<span class="path">and {len(members) - 1} identical: {_e(_names(nodes, members[1:]))}</span>'
        return (
            f'<th scope="col" title="{_e(first.path)}">{_e(first.name)}<span class="path">{_e(first.path)}</span>'
            + (more if len(members) > 1 else "")
            + "</th>"
        )

    head = "".join(header(members) for members in columns)
    cols = '<col class="key">' + "".join('<col class="node">' for _ in columns)
    out.append(
        f'<h3 id="matrix-{index}">Drift matrix <span class="dim">{_e(_plural(len(rows), "setting"))}, '
        f"{_e(_plural(differing, 'differs', 'differ'))}"
        + (f", {per_node} per node by design" if per_node else "")
        + "</span></h3>"
    )
    # the checkbox precedes the table as a sibling: the CSS hides the agreeing rows when it is checked
    out.append(
        f'<input type="checkbox" class="diff-toggle" id="{toggle}">'
        f'<label class="switch" for="{toggle}">Only differing settings</label>'
        '<div class="toolbar legend"><span><span class="swatch row"></span>setting differs between nodes</span>'
        '<span><span class="swatch cell"></span>value disagrees with the majority</span>'
        '<span><span class="marker per-node">per node</span>differs by design (bind addresses, logic names)</span>'
        "<span>hover a value for its full origin</span></div>"
    )
    out.append(f'<table class="matrix" id="matrix-table-{index}"><colgroup>{cols}</colgroup>')
    out.append(f'<thead><tr><th scope="col">Setting</th>{head}</tr></thead><tbody>')
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            out.append(f'<tr class="section-row"><th colspan="{len(columns) + 1}">{_e(section)}</th></tr>')
        flags = _disagreeing(row) if row.drifts else [False] * len(nodes)
        cells = "".join(
            _per_node_cell(row, m)
            if row.per_node and row.differs and len(m) > 1
            else _cell(row.cells[m[0]], nodes[m[0]].name, nodes[m[0]].path, flags[m[0]])
            for m in columns
        )
        if row.drifts:
            cls, marker = "setting-row differs", '<span class="marker" title="values differ between nodes">≠</span>'
        elif row.differs:  # must differ: a per-node setting is not drift
            cls = "setting-row per-node"
            marker = '<span class="marker per-node" title="differs between nodes by design">per node</span>'
        else:
            cls, marker = "setting-row", ""
        out.append(f'<tr class="{cls}"><th scope="row">{marker}{_e(row.key)}</th>{cells}</tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def _cluster_section(summary: ClusterSummary, cluster: Cluster | None, report: Report, index: int) -> str:
    mine = [d for d in report.diagnostics if d.cluster == summary.name]
    counts = _severity_counts(mine)
    version = summary.liferay_version or "unknown"
    facts = [
        ("Path", f"<code>{_e(summary.path)}</code>"),
        ("Liferay", f"<b>{_e(version)}</b>"),
        ("Version from", _e(summary.version_source)),
        ("Nodes", _e(len(summary.nodes))),
        ("Files", _e(len({f for _, _, files in summary.nodes for f in files}))),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    node_rows = []
    for name, path, files in summary.nodes:
        items = (
            "".join(f'<li title="{_e(f)}"><code>{_e(relative_origin(f, path))}</code></li>' for f in files)
            or '<li class="empty">no files</li>'
        )
        node_rows.append(
            f"<tr><td><b>{_e(name)}</b></td><td><code>{_e(path)}</code></td><td><ul>{items}</ul></td></tr>"
        )
    nodes_table = (
        '<table class="nodes"><thead><tr><th>Node</th><th>Path</th><th>Files read</th></tr></thead>'
        f"<tbody>{''.join(node_rows)}</tbody></table>"
    )
    # a long node list is collapsed: the drift matrix is what an audit reads first
    opened = " open" if len(summary.nodes) <= NODES_OPEN else ""
    nodes_block = (
        f'<details class="node-list"{opened}><summary>{_e(_plural(len(summary.nodes), "node"))} and the files '
        f"read</summary>{nodes_table}</details>"
    )
    matrix = _matrix(cluster, index) if cluster is not None else '<p class="empty">Drift matrix not available.</p>'
    return (
        f'<section class="card cluster" id="cluster-{index}">\n'
        f'<h2>{_e(summary.name)} <span class="dim">cluster</span></h2>\n'
        f'<div class="summary"><div><dl class="facts">{dl}</dl>'
        f'<div class="counts">{_count_badges(counts)}</div></div></div>\n'
        f"{matrix}\n{nodes_block}\n</section>"
    )


# ----------------------------------------------------------------------------- findings


def _snippet(label: Label) -> str:
    if label.snippet is None or label.line is None:
        return ""
    source = label.snippet.rstrip("\r\n")
    number = f'<span class="ln">{label.line}</span>'
    same_line = label.end_line is None or label.end_line == label.line
    if label.span is not None or not source.strip():  # a masked line shows no span
        return f'<pre class="snippet">{number}{_e(source)}</pre>'
    start = min(max(1, label.column or 1) - 1, len(source))
    end = len(source.rstrip())
    if label.end_column is not None and same_line and label.end_column >= start + 1:
        end = min(label.end_column, end)
    end = max(end, start)
    if end == start:
        return f'<pre class="snippet">{number}{_e(source)}</pre>'
    marked = _e(source[:start]) + "<mark>" + _e(source[start:end]) + "</mark>" + _e(source[end:])
    return f'<pre class="snippet">{number}{marked}</pre>'


def _location(label: Label) -> str:
    if label.file and label.line is not None:
        return label.location
    origin = label.origin or ""
    return origin or label.file or ""


def _label(label: Label, primary: bool) -> str:
    parts = ['<div class="loc-head">', f'<span class="arrow">{"-->" if primary else ":::"}</span>']
    if label.node:
        parts.append(f'<span class="node">{_e(label.node)}</span>')
    where = _location(label)
    if where:
        parts.append(f"<code>{_e(where)}</code>")
    text = label.text
    if text:
        parts.append(f'<span class="text">{_e(text)}</span>')
    parts.append("</div>")
    return f'<div class="loc{" primary" if primary else ""}">{"".join(parts)}{_snippet(label)}</div>'


class _Filters:
    """Filters of the findings by rule and by node, without a script: one radio button per choice
    (and one for "all"), placed before the blocks it hides; every filtered element (a severity
    block, a rule group, a finding) is of class ``f`` and of the classes of the choices it matches,
    and the page's CSS hides, while a choice is checked, each filtered element without its class
    (``#fr-2:checked ~ .f:not(.fr-2)``). A finding is on the node of its primary location, the
    node where the fix goes (as in the text output's table by node). A filter is offered when it
    has two choices or more; past ``NODES_OPEN`` nodes the node choices are collapsed."""

    def __init__(self, report: Report) -> None:
        findings = report.diagnostics
        self.rules = sorted({d.rule for d in findings})
        order: dict[tuple[str | None, str | None], tuple[int, int]]
        order = {(c.name, n): (i, j) for i, c in enumerate(report.clusters) for j, (n, _, _) in enumerate(c.nodes)}
        keys: set[tuple[str | None, str | None]] = {(d.cluster, d.primary.node) for d in findings if d.primary.node}
        self.nodes = sorted(keys, key=lambda k: (order.get(k, (len(report.clusters), 0)), k[0] or "", k[1] or ""))
        self.rule_class = {r: f"fr-{i}" for i, r in enumerate(self.rules, start=1)} if len(self.rules) > 1 else {}
        self.node_class = {k: f"fn-{i}" for i, k in enumerate(self.nodes, start=1)} if len(self.nodes) > 1 else {}
        self.counts: Counter[str] = Counter()
        for d in findings:
            self.counts.update(self._matching(d))
        self.several_clusters = len({cluster for cluster, _ in self.nodes}) > 1

    def _matching(self, d: Diagnostic) -> list[str]:
        out = [self.rule_class[d.rule]] if d.rule in self.rule_class else []
        node = self.node_class.get((d.cluster, d.primary.node))
        return [*out, node] if node else out

    def classes(self, findings: Iterable[Diagnostic]) -> str:
        """`` f fr-1 fn-3`` for an element holding these findings ("" when nothing is filtered)."""
        if not self.rule_class and not self.node_class:
            return ""
        found = {c for d in findings for c in self._matching(d)}
        return " f" + "".join(f" {c}" for c in sorted(found, key=lambda c: (c[:2], int(c[3:]))))

    def _groups(self) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
        """(prefix, caption, [(class, label, title)]) of each offered filter."""
        groups = []
        if self.rule_class:
            groups.append(("fr", "Rule", [(c, r, f"only {r} findings") for r, c in self.rule_class.items()]))
        if self.node_class:
            choices = []
            for (cluster, node), c in self.node_class.items():
                label = f"{node} ({cluster})" if self.several_clusters and cluster else str(node)
                choices.append((c, label, f"only the findings to fix on {label}"))
            groups.append(("fn", "Node", choices))
        return groups

    def inputs(self) -> str:
        return "".join(
            f'<input type="radio" class="filter" name="{prefix}" id="{prefix}-all" checked>'
            + "".join(f'<input type="radio" class="filter" name="{prefix}" id="{c}">' for c, _, _ in choices)
            for prefix, _, choices in self._groups()
        )

    def toolbar(self) -> str:
        if not self.rule_class and not self.node_class:
            return ""
        parts = []
        for prefix, caption, choices in self._groups():
            chips = f'<label class="chip" for="{prefix}-all">all</label>' + "".join(
                f'<label class="chip" for="{c}" title="{_e(title)}">{_e(label)} '
                f'<span class="dim">{self.counts[c]}</span></label>'
                for c, label, title in choices
            )
            if prefix == "fn" and len(choices) > NODES_OPEN:
                parts.append(
                    f'<details class="group"><summary><b>{caption}</b> {len(choices)} nodes with findings</summary>'
                    f'<div class="group">{chips}</div></details>'
                )
            else:
                parts.append(f'<div class="group"><b>{caption}</b>{chips}</div>')
        return f'<div class="toolbar filters">{"".join(parts)}</div>'

    def css(self) -> str:
        lines = []
        for prefix, _, choices in self._groups():
            for c in [f"{prefix}-all", *(c for c, _, _ in choices)]:
                lines.append(
                    f"#{c}:checked ~ .filters label[for={c}] "
                    "{ background: var(--accent); border-color: var(--accent); color: #fff; }"
                )
            for c, _, _ in choices:
                lines.append(f"#{c}:checked ~ .f:not(.{c}), #{c}:checked ~ .f .f:not(.{c}) {{ display: none; }}")
        if lines:
            # the radio buttons are invisible: the keyboard's focus shows on their chip
            every = [c for prefix, _, choices in self._groups() for c in (f"{prefix}-all", *(c for c, _, _ in choices))]
            focused = ", ".join(f"#{c}:focus-visible ~ .filters label[for={c}]" for c in every)
            lines.append(f"{focused} {{ outline: 2px solid var(--accent); outline-offset: 1px; }}")
            # a rule and a node chosen: a severity block with findings of each but none of both goes too
            hidden = ", ".join(
                f"#{c}:checked ~ .sev-block .finding:not(.{c})"
                for _, _, choices in self._groups()
                for c, _, _ in choices
            )
            lines.append(f".sev-block.f:not(:has(article.finding:not(:is({hidden})))) {{ display: none; }}")
        return "\n".join(lines) + ("\n" if lines else "")


def _finding(d: Diagnostic, number: int, classes: str = "") -> str:
    where = " · ".join(
        x
        for x in (f"cluster {d.cluster}" if d.cluster else "", f"node {d.primary.node}" if d.primary.node else "")
        if x
    )
    out = [f'<article class="finding {d.severity.value}{classes}" id="finding-{number}">']
    out.append(
        f'<div class="where"><span class="badge {d.severity.value}">{_e(d.severity.value)}</span> '
        f"<code>{_e(d.rule)}</code> {_e(d.name)}{' · ' + _e(where) if where else ''}</div>"
    )
    out.append(f'<p class="message">{_e(d.message)}</p>')
    out.append(_label(d.primary, True))
    if d.related:
        related = "".join(_label(r, False) for r in d.related[:MAX_RELATED])
        if len(d.related) > MAX_RELATED:
            names = [r.node or r.location for r in d.related[MAX_RELATED:]]
            shown = ", ".join(n for n in names[:20] if n) + (
                f" and {len(names) - 20} others" if len(names) > 20 else ""
            )
            related += f'<p class="more dim">and {len(names)} more: {_e(shown)} (the JSON report lists every one)</p>'
        out.append(f'<div class="related"><span class="caption">{_e(related_caption(d))}</span>{related}</div>')
    if d.help:
        out.append(f'<p class="help"><b>help:</b> {_e(d.help)}</p>')
    confidence = str(getattr(d.confidence, "value", d.confidence))
    meta = [f"confidence {_e(confidence)}"]
    if d.fingerprint:
        meta.append(f"fingerprint <code>{_e(d.fingerprint)}</code>")
    meta.append(f"details: <code>{TOOL_NAME} explain {_e(d.rule)}</code>")
    out.append(f'<div class="meta">{" · ".join(meta)}</div>')
    out.append("</article>")
    return "\n".join(out)


def _findings_section(report: Report, rules: dict[str, Rule], filters: _Filters) -> str:
    total = len(report.diagnostics)
    out = [f'<section class="card" id="findings"><h2>Findings <span class="dim">{total}</span></h2>']
    if not report.diagnostics:
        out.append('<p><span class="badge ok">no findings</span> Every rule that ran passed.</p>')
    present = [s for s in SEVERITIES if any(d.severity is s for d in report.diagnostics)]
    if len(present) > 1:  # filters without a script: a checkbox before the blocks it hides (CSS :checked ~)
        for severity in present:
            out.append(f'<input type="checkbox" class="sev-filter" id="hide-{severity.value}">')
        out.append(
            '<div class="toolbar">'
            + "".join(
                f'<label class="switch" for="hide-{s.value}">hide {_e(_PLURAL[s].lower())}</label>' for s in present
            )
            + "</div>"
        )
    out.append(filters.inputs() + filters.toolbar())
    number = 0
    for severity in SEVERITIES:
        group = [d for d in report.diagnostics if d.severity is severity]
        if not group:
            continue
        out.append(
            f'<div class="sev-block{filters.classes(group)}" id="findings-{severity.value}"><h3>'
            f'<span class="badge {severity.value}">{_e(_PLURAL[severity])}</span> {_e(len(group))}</h3>'
        )
        by_rule: dict[str, list[Diagnostic]] = {}
        for d in group:
            by_rule.setdefault(d.rule, []).append(d)
        for rule_id in sorted(by_rule):
            items = by_rule[rule_id]
            rule = rules.get(rule_id)
            summary = f'<span class="rule-summary">{_e(rule.summary)}</span>' if rule is not None else ""
            out.append(
                f'<details class="rule-group{filters.classes(items)}" open><summary>'
                f'<span class="rule-id">{_e(rule_id)}</span>'
                f'<span class="rule-title">{_e(items[0].name)}</span> <span class="dim">({len(items)})</span>'
                f"{summary}</summary>"
            )
            for d in items:
                number += 1
                out.append(_finding(d, number, filters.classes((d,))))
            out.append("</details>")
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _notes_section(report: Report, ctx: Context) -> str:
    lines: list[str] = []
    if report.suppressed:
        lines.append(f"{_plural(report.suppressed, 'finding')} suppressed by inline comments or per-path ignores")
    if ctx.baseline is not None:
        lines.append(f"baseline {ctx.baseline.path}: {_plural(ctx.baseline.hidden, 'finding')} hidden")
        lines += [f"stale baseline entry (matched no finding): {e.describe()}" for e in ctx.baseline.stale]
    lines += list(report.notes)
    if not lines:
        return ""
    items = "".join(f"<li>{_e(line)}</li>" for line in lines)
    return f'<section class="card" id="notes"><h2>Notes</h2><ul class="notes">{items}</ul></section>'


# ----------------------------------------------------------------------------- page


def _header(report: Report, ctx: Context, title: str) -> str:
    counts = _severity_counts(report.diagnostics)
    nodes = sum(len(c.nodes) for c in report.clusters)
    tiles = [
        ("clusters", len(report.clusters), ""),
        ("nodes", nodes, ""),
        ("files", report.files, ""),
        *((_PLURAL[s], counts[s], s.value) for s in SEVERITIES),
    ]
    tile_html = "".join(
        f'<div class="tile {cls}"><span class="n">{n}</span><span class="l">{_e(label)}</span></div>'
        for label, n, cls in tiles
    )
    return (
        '<header class="top"><div class="page">'
        f"<h1>{_e(title)}</h1>"
        f'<div class="sub">{TOOL_NAME} {_e(ctx.tool_version)} · {_e(len(ctx.selected))} rules ran · '
        "secret values masked</div>"
        f'<div class="tiles">{tile_html}</div></div></header>'
    )


def _toc(report: Report) -> str:
    links = [f'<a href="#cluster-{i}">{_e(c.name)}</a>' for i, c in enumerate(report.clusters, start=1)]
    links.append(f'<a href="#findings">Findings ({len(report.diagnostics)})</a>')
    return f'<nav class="toc">Jump to: {"".join(links)}</nav>'


def render(report: Report, ctx: Context) -> str:
    """The whole HTML document."""
    title = _title(report)
    rules = {r.id: r for r in ctx.rules}
    filters = _Filters(report)
    body: list[str] = [_header(report, ctx, title), '<div class="page">', _toc(report)]
    if not report.clusters:
        body.append('<section class="card"><p class="empty">No cluster found in the given paths.</p></section>')
    for index, (summary, cluster) in enumerate(zip(report.clusters, _loaded(report, ctx), strict=True), start=1):
        body.append(_cluster_section(summary, cluster, report, index))
    body.append(_findings_section(report, rules, filters))
    notes = _notes_section(report, ctx)
    if notes:
        body.append(notes)
    body.append(
        f"<footer>Generated by {TOOL_NAME} {_e(ctx.tool_version)}. Values of passwords, secrets, credentials "
        "and keys are masked. This file is self-contained.</footer>"
    )
    body.append("</div>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{TOOL_NAME} {_e(ctx.tool_version)}">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}{filters.css()}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
