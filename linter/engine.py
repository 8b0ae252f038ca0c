"""The engine: run the selected rules over clusters, turn input problems into findings, apply
suppressions, stamp id/name/severity, mask secrets, attach snippets, sort and fingerprint.

It knows no particular rule: rules come from ``linter.pack``, input problems carry a kind that
``linter.problems`` maps to HA001-HA005, and a crashing rule becomes HA009, all documented like any
rule. Snippets come from each cluster's line source (``Cluster.sources``, made by the loader), so
the engine never opens a file.
"""

from __future__ import annotations

import dataclasses
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from linter.diagnostics import ClusterSummary, Diagnostic, Label, Report, Severity
from linter.ignores import path_ignored
from linter.liferay.releases import parse_release
from linter.model import Cluster, FirstOf, LineSource, Node, Suppression
from linter.options import build_options, options_for
from linter.origin import Confidence, Origin, Problem, ProblemKind
from linter.problems import problem_rule
from linter.redact import mask_report
from linter.ruleapi import Context, Finding, Rule, label_at, memo, node_names
from linter.ruleapi.secrets import without_secret_values
from linter.select import apply_severity, best_specificity, select_rules
from linter.suggest import SearchBudget

INTERNAL_ERROR = "HA009"
UNUSED_SUPPRESSION = "HA006"


@dataclass(frozen=True)
class RunSettings:
    select: Sequence[str] | None = None
    ignore: Sequence[str] = ()
    extend_select: Sequence[str] = ()
    extend_ignore: Sequence[str] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    per_path_ignores: Mapping[str, Sequence[str]] = field(default_factory=dict)
    inline_suppressions: bool = True
    debug: bool = False  # print the traceback of a crashing rule (HA009) to stderr


class Snippets:
    """The source line under each label, from the cluster's own line source (the loader's: a node's
    tree, an archive, a container's mounts, or a file a node read on disk), read once per file
    (masked with the rest of the report). Only files the loader read are shown, read again the way
    it read them (confined to the audited tree); the engine itself opens nothing."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], list[str] | None] = {}

    def line(self, source: LineSource | None, file: str | None, line: int | None) -> str | None:
        if source is None or not file or not line:
            return None
        key = (id(source), file)
        if key not in self._cache:
            self._cache[key] = source.lines(file)
        lines = self._cache[key]
        if lines is None or line > len(lines):
            return None
        return lines[line - 1].rstrip("\r\n")

    def attach(self, d: Diagnostic, source: LineSource | None) -> Diagnostic:
        def at(label: Label) -> Label:
            return dataclasses.replace(label, snippet=self.line(source, label.file, label.line))

        return dataclasses.replace(d, primary=at(d.primary), related=tuple(at(r) for r in d.related))


class Engine:
    def __init__(self, rules: Sequence[Rule], settings: RunSettings) -> None:
        self.all_rules = list(rules)
        self.settings = settings
        self.selected = select_rules(
            self.all_rules,
            select=settings.select,
            ignore=settings.ignore,
            extend_select=settings.extend_select,
            extend_ignore=settings.extend_ignore,
        )
        self.by_id = {r.id: r for r in self.all_rules}
        self.selected_ids = {r.id for r in self.selected}
        self.severity = {r.id: apply_severity(r, settings.severity) for r in self.all_rules}
        self.configured_severity = {
            r.id for r in self.all_rules if best_specificity(settings.severity.keys(), r) is not None
        }
        self.options: dict[str, Any] = {}
        for r in self.selected:
            self.options[r.id] = build_options(r, options_for(r, settings.options))
        self.notes: list[str] = []
        self.on_rule: Callable[[], object] | None = None
        self.audit: tuple[Cluster, ...] = ()

    # ------------------------------------------------------------------ stamping

    def _diagnostic(self, rule: Rule, finding: Finding, cluster: str | None) -> Diagnostic:
        severity = self.severity[rule.id]
        if rule.id not in self.configured_severity and finding.severity is not None:
            severity = finding.severity  # the rule escalates this finding; a configured severity wins
        return Diagnostic(
            rule=rule.id,
            name=rule.name,
            severity=severity,
            message=finding.message,
            primary=finding.at,
            related=finding.related,
            help=finding.help or rule.fix.split("\n")[0],
            confidence=finding.confidence.value,
            cluster=cluster,
            subject=finding.subject,
        )

    def _problem(self, problem: Problem, node: Node | None, cluster: str | None) -> Diagnostic | None:
        rule = self.by_id.get(problem_rule(problem))
        if rule is None or rule.id not in self.selected_ids:
            return None
        subject = f"{problem.origin.file}:{problem.message}"
        if node is not None and problem.origin.file.startswith(node.path.rstrip("/") + "/"):
            subject = f"{problem.origin.file[len(node.path) + 1 :]}:{problem.message}"
        finding = Finding(problem.message, label_at(node, problem.origin), subject=subject)
        return self._diagnostic(rule, finding, cluster)

    def _crash(self, rule: Rule, exc: BaseException, cluster: Cluster, node: Node | None) -> Diagnostic | None:
        meta = self.by_id.get(INTERNAL_ERROR)
        if meta is None:  # a crash is reported whatever --select/--ignore say (and fails the run)
            return None
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        at = f" at {where.name}:{where.lineno}" if where else ""
        target = node.path if node is not None else cluster.path
        finding = Finding(
            f"rule {rule.id} ({rule.name}) crashed on {node.name if node else 'cluster ' + cluster.name}: "
            f"{type(exc).__name__}: {exc}{at}; its findings for this target are missing",
            Label(node=node.name if node else None, file=target, text="internal error"),
            subject=f"{rule.id}:{node.name if node else ''}",
        )
        return self._diagnostic(meta, finding, cluster.name)

    # ------------------------------------------------------------------ running

    def _run_rule(
        self, rule: Rule, cluster: Cluster, ctx: Context, nodes: Sequence[Node] | None = None
    ) -> Iterable[Diagnostic]:
        """Run a rule on the cluster, or (a node rule) on ``nodes``, each node with its own version."""
        assert rule.check is not None
        targets: list[Node | None] = list(cluster.nodes if nodes is None else nodes) if rule.scope == "node" else [None]
        for node in targets:
            try:
                findings = list(rule.check(node if node is not None else cluster, ctx))
            except Exception as exc:  # a crashing rule is a finding, the run goes on
                if self.settings.debug:
                    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
                crash = self._crash(rule, exc, cluster, node)
                if crash is not None:
                    yield crash
                continue
            for finding in findings:
                message, at, related, help = without_secret_values(
                    finding.message, finding.at, finding.related, finding.help, finding.subject, cluster
                )
                finding = finding._replace(message=message, at=at, related=related, help=help)
                if node is not None and node.unseen and finding.confidence is Confidence.DEFAULT:
                    # the value rests on Liferay's default, which the node's own image may change
                    finding = finding._replace(
                        message=f"{finding.message} (unconfirmed: {node.unseen}; it may set this)",
                        severity=Severity.INFO,
                    )
                yield self._diagnostic(rule, finding, cluster.name)

    def check_cluster(self, cluster: Cluster) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        version = cluster.version or "7.4"
        for node in cluster.nodes:
            for problem in node.problems:
                d = self._problem(problem, node, cluster.name)
                if d is not None:
                    out.append(d)
        for problem in cluster.problems:
            d = self._problem(problem, None, cluster.name)
            if d is not None:
                out.append(d)
        # a node rule runs on each node with that node's version (they differ only where HA610 says so)
        by_version: dict[tuple[str, str | None], list[Node]] = {}
        for node in cluster.nodes:
            by_version.setdefault((node.version or version, node.release), []).append(node)
        known = {node.release for node in cluster.nodes if node.release}
        everywhere = len(known) == 1 and all(node.release for node in cluster.nodes)
        cluster_release = parse_release(next(iter(known))) if everywhere else None
        families: dict[str, list[Node]] = {}
        for (family, _release), nodes in by_version.items():
            families.setdefault(family, []).extend(nodes)
        for rule in self.selected:
            if rule.scope not in ("node", "cluster") or rule.check is None:
                continue
            for family, nodes in families.items() if rule.scope == "node" else [(version, list(cluster.nodes))]:
                if family not in rule.versions:
                    whole = len(families) == 1 or rule.scope != "node"
                    on = f"cluster {cluster.name}" if whole else f"{node_names(nodes)} of cluster {cluster.name}"
                    self.notes.append(
                        f"{rule.id} ({rule.name}) skipped for {on}: applies to Liferay {rule.versions}, "
                        f"{'cluster is' if whole else 'nodes are'} {family}"
                    )
            groups = list(by_version.items()) if rule.scope == "node" else [((version, None), None)]
            for (group_version, group_release), group in groups:
                if group_version not in rule.versions:
                    continue
                options = self.options.get(rule.id)
                release = parse_release(group_release) if group_release else cluster_release
                ctx = Context(
                    cluster=cluster, version=group_version, options=options, audit=self.audit, release=release
                )
                out.extend(self._run_rule(rule, cluster, ctx, group))
            if self.on_rule is not None:
                self.on_rule()
        return out

    def _suppress(self, diagnostics: list[Diagnostic], clusters: Sequence[Cluster]) -> tuple[list[Diagnostic], int]:
        kept: list[Diagnostic] = []
        suppressed = 0
        sites: list[tuple[str, Suppression]] = []
        site_nodes: dict[int, str] = {}
        if self.settings.inline_suppressions:
            for cluster in clusters:
                for node in cluster.nodes:
                    for s in node.suppressions:
                        site_nodes[len(sites)] = node.name
                        sites.append((cluster.name, s))
        # a site covers lines of its own file only: look at the sites of the finding's file (in order),
        # not at every site of the audit for every finding
        by_file: dict[tuple[str, str | None], list[int]] = {}
        for index, (cluster_name, site) in enumerate(sites):
            by_file.setdefault((cluster_name, site.file), []).append(index)
        used: set[int] = set()
        for d in diagnostics:
            rule = self.by_id[d.rule]
            names = {rule.id.lower(), rule.name, *rule.aliases}
            hit = None
            for index in by_file.get((d.cluster, d.primary.file), ()) if d.cluster is not None else ():
                site = sites[index][1]
                if site.covers(d.primary.file, d.primary.line) and any(
                    sel.lower() in names or sel in names for sel in site.selectors
                ):
                    hit = index
                    break
            if hit is not None:
                used.add(hit)
                suppressed += 1
                continue
            if d.primary.file and path_ignored(d.primary.file, rule, self.settings.per_path_ignores, self.all_rules):
                suppressed += 1
                continue
            kept.append(d)
        meta = self.by_id.get(UNUSED_SUPPRESSION)
        if meta is not None and UNUSED_SUPPRESSION in self.selected_ids:
            for index, (cluster_name, site) in enumerate(sites):
                if index in used:
                    continue
                unknown = [
                    s
                    for s in site.selectors
                    if not any(s.lower() == r.id.lower() or s in (r.name, *r.aliases) for r in self.all_rules)
                ]
                what = f"names unknown rule(s) {', '.join(unknown)}" if unknown else "matches no finding"
                finding = Finding(
                    f"suppression of {', '.join(site.selectors)} {what}; remove it",
                    Label(
                        node=site_nodes.get(index), file=site.file, line=site.line, column=1, text="unused suppression"
                    ),
                    subject=f"{site.file}:{','.join(site.selectors)}",
                )
                kept.append(self._diagnostic(meta, finding, cluster_name))
        return kept, suppressed

    def run(
        self,
        clusters: Sequence[Cluster],
        input_problems: Sequence[Problem] = (),
        input_sources: LineSource | None = None,
        notes: Sequence[str] = (),
        on_rule: Callable[[], object] | None = None,
    ) -> Report:
        """Check the clusters; ``input_problems`` are what discovery found outside any cluster,
        ``input_sources`` shows their lines, ``notes`` are discovery's; ``on_rule`` is told each
        time a rule has run on a cluster (progress). The report comes out masked
        (``redact.mask_report``), sorted and fingerprinted."""
        self.on_rule = on_rule
        # views several rules derive from one node are built once per run; "did you mean" is bounded
        with memo.run_scope(), SearchBudget():
            return self._run(clusters, input_problems, input_sources, notes)

    def _run(
        self,
        clusters: Sequence[Cluster],
        input_problems: Sequence[Problem],
        input_sources: LineSource | None,
        notes: Sequence[str],
    ) -> Report:
        diagnostics: list[Diagnostic] = []
        self.audit = tuple(clusters)
        for problem in input_problems:
            d = self._problem(problem, None, None)
            if d is not None:
                diagnostics.append(d)
        for cluster in clusters:
            diagnostics.extend(self.check_cluster(cluster))
            searches = SearchBudget.current
            if searches is not None and searches.spent and not searches.reported:
                searches.reported = True
                problem = Problem(
                    ProblemKind.REFUSED,
                    f"near-miss look-ups of unknown keys stopped after {searches.total} in this run; HA508, HA605 "
                    "and HA702 report no further near misses (and give no 'did you mean')",
                    Origin(file=cluster.path),
                )
                meta = self.by_id.get(problem_rule(problem))
                if meta is not None:  # whatever --select says: findings of the selected rules are missing
                    finding = Finding(problem.message, Label(None, cluster.path), subject="near-miss-budget")
                    diagnostics.append(self._diagnostic(meta, finding, cluster.name))
        kept, suppressed = self._suppress(diagnostics, clusters)
        named: dict[str | None, list[LineSource]] = {None: [input_sources] if input_sources else []}
        for c in clusters:
            named.setdefault(c.name, []).extend([c.sources] if c.sources is not None else [])
        sources = {name: _one_source(found) for name, found in named.items()}  # one per name, made once
        snippets = Snippets()
        shown = [snippets.attach(d, sources.get(d.cluster)) for d in kept]
        summaries = tuple(
            ClusterSummary(
                c.name,
                c.path,
                c.version,
                c.version_source,
                tuple((n.name, n.path, n.files) for n in c.nodes),
                tuple((n.version, n.release) for n in c.nodes),
            )
            for c in clusters
        )
        masked = mask_report(Report(tuple(shown), summaries, (*self.notes, *notes), suppressed))
        final = sorted((d.with_fingerprint() for d in masked.diagnostics), key=Diagnostic.sort_key)
        return masked._replace(diagnostics=tuple(final))


def _one_source(sources: list[LineSource]) -> LineSource | None:
    """Clusters of one name share their findings' cluster name: a file is looked up in each."""
    if not sources:
        return None
    return sources[0] if len(sources) == 1 else FirstOf(sources)
