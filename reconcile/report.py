"""Discrepancy reports: Markdown for people, JSON for programs.

Both renderers take the same :class:`ReportData`, built once from the store with the user's
filters, so the two formats can never disagree about what was found. The JSON schema is
documented in the README (``schema``: ``paper-reconcile/report/1``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reconcile.models import Discrepancy, Kind, Paper, Severity, iso
from reconcile.store import Store

SCHEMA = "paper-reconcile/report/1"


@dataclass
class PaperReport:
    """One paper and its discrepancies, worst first."""

    paper: Paper
    discrepancies: list[Discrepancy]

    @property
    def worst(self) -> int:
        """The level of the most severe discrepancy."""
        return max((d.severity.level for d in self.discrepancies), default=-1)


@dataclass
class ReportData:
    """Everything a report shows."""

    database: str
    generated_at: dt.datetime
    counts: dict[str, int]
    papers: list[PaperReport]
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def discrepancies(self) -> list[Discrepancy]:
        """Every reported discrepancy."""
        return [d for p in self.papers for d in p.discrepancies]


def build_report(store: Store, kinds: Iterable[Kind] = (), min_severity: Severity = Severity.INFO) -> ReportData:
    """The papers that have discrepancies passing the filters, most severe first."""
    kinds = set(kinds)
    by_paper: dict[str, list[Discrepancy]] = {}
    for d in store.discrepancies():
        if (not kinds or d.kind in kinds) and d.severity.level >= min_severity.level:
            by_paper.setdefault(d.paper_id, []).append(d)
    papers = {p.id: p for p in store.papers(by_paper)}
    reports = [PaperReport(papers[pid], sorted(ds, key=lambda d: (-d.severity.level, d.kind.value)))
               for pid, ds in by_paper.items() if pid in papers]
    reports.sort(key=lambda r: (-r.worst, -len(r.discrepancies), r.paper.title or r.paper.id))
    return ReportData(
        database=str(store.path), generated_at=dt.datetime.now(dt.timezone.utc), counts=store.counts(),
        papers=reports,
        filters={"kinds": sorted(k.value for k in kinds), "min_severity": min_severity.value},
    )


def summary(data: ReportData) -> dict[str, Any]:
    """Totals by severity and by kind."""
    found = data.discrepancies
    return {
        "papers_with_discrepancies": len(data.papers),
        "discrepancies": len(found),
        "by_severity": {s.value: sum(d.severity == s for d in found) for s in Severity},
        "by_kind": dict(sorted(Counter(d.kind.value for d in found).items())),
    }


def _value_json(v) -> dict[str, Any]:
    return {"source": v.source.value, "site": v.site, "value": v.value, "observed_at": iso(v.observed_at),
            "observed_at_basis": v.observed_at_basis.value if v.observed_at_basis else None,
            "observation_id": v.observation_id}


def render_json(data: ReportData) -> str:
    """The report as JSON (schema ``paper-reconcile/report/1``)."""
    doc = {
        "schema": SCHEMA,
        "generated_at": iso(data.generated_at),
        "database": data.database,
        "filters": data.filters,
        "counts": data.counts,
        "summary": summary(data),
        "papers": [{
            "id": r.paper.id, "arxiv_id": r.paper.arxiv_id, "title": r.paper.title,
            "upvotes": r.paper.upvotes, "upvotes_observed_at": iso(r.paper.upvotes_observed_at),
            "sources": [s.value for s in r.paper.sources],
            "discrepancies": [{
                "id": d.id, "kind": d.kind.value, "field": d.field, "severity": d.severity.value,
                "detail": d.detail, "document_id": d.document_id, "observation_id": d.observation_id,
                "values": [_value_json(v) for v in d.values],
            } for d in r.discrepancies],
        } for r in data.papers],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _md(text: Any) -> str:
    """A value made safe inside a Markdown table cell."""
    out = json.dumps(text, ensure_ascii=False) if isinstance(text, (dict, list)) else str(text)
    return out.replace("|", "\\|").replace("\n", " ")


# Kinds that describe a whole document rather than one paper: the Markdown report shows
# them once per document with the papers they touch, instead of once under every paper.
DOCUMENT_KINDS = frozenset({Kind.MOJIBAKE, Kind.REPLACEMENT_CHAR})


def _values_table(values) -> list[str]:
    lines = ["", "  | value | source | site | observed at | basis |", "  |---|---|---|---|---|"]
    for v in values:
        basis = v.observed_at_basis.value if v.observed_at_basis else ""
        lines.append(f"  | {_md(v.value)} | {v.source.value} | {_md(v.site or '')} | "
                     f"{iso(v.observed_at) or ''} | {basis} |")
    return lines


def _evidence(value: Any) -> str:
    if isinstance(value, dict) and {"before", "after"} <= set(value):
        return f"`{_md(value['before'])}` → `{_md(value['after'])}`"
    return f"`{_md(value)}`"


def _document_section(data: ReportData) -> list[str]:
    groups: dict[tuple, list[tuple[Discrepancy, Paper]]] = {}
    for r in data.papers:
        for d in r.discrepancies:
            if d.kind in DOCUMENT_KINDS:
                groups.setdefault((d.document_id, d.kind.value), []).append((d, r.paper))
    if not groups:
        return []
    lines = ["", "## Documents", ""]
    for (_, _), found in sorted(groups.items(), key=lambda g: (-g[1][0][0].severity.level, g[0][1])):
        first = found[0][0]
        titles = ", ".join(_md(p.title or p.id) for _, p in found[:5]) + (", ..." if len(found) > 5 else "")
        lines.append(f"- **{first.severity.value}** `{first.kind.value}`: {_md(first.detail)}. "
                     f"Concerns {len(found)} paper{'s' * (len(found) > 1)}: {titles}. "
                     f"Evidence: {_evidence(first.values[0].value) if first.values else '-'}")
    return lines


def render_markdown(data: ReportData) -> str:
    """The report as Markdown: totals, documents with encoding damage, then each paper
    with its own discrepancies and their evidence."""
    s, c = summary(data), data.counts
    lines = [
        "# paper-reconcile report", "",
        f"Database `{data.database}`: {c['papers']} papers from {c['observations']} observations "
        f"in {c['documents']} documents; {c['unlinked']} observations not placed yet; "
        f"{c['rejects']} rejects.", "",
        f"**{s['discrepancies']} discrepancies** on {s['papers_with_discrepancies']} papers: "
        + ", ".join(f"{n} {sev}" for sev, n in s["by_severity"].items())
        + (" — " + ", ".join(f"{k} {n}" for k, n in s["by_kind"].items()) if s["by_kind"] else ""),
    ]
    lines += _document_section(data)
    for r in data.papers:
        own = [d for d in r.discrepancies if d.kind not in DOCUMENT_KINDS]
        if not own:
            continue
        p = r.paper
        lines += ["", f"## {_md(p.title or p.id)}", ""]
        facts = [f"`{p.id}`", "sources: " + ", ".join(x.value for x in p.sources)]
        if p.upvotes is not None:
            facts.append(f"upvotes {p.upvotes} ({p.provenance.get('upvotes', {}).get('source')}, "
                         f"{iso(p.upvotes_observed_at)})")
        lines.append(" · ".join(facts))
        for d in own:
            lines += ["", f"- **{d.severity.value}** `{d.kind.value}`: {_md(d.detail)}"]
            if d.values:
                lines += _values_table(d.values)
    if not data.papers:
        lines += ["", "No discrepancies match the filters."]
    return "\n".join(lines) + "\n"


RENDERERS = {"md": render_markdown, "json": render_json}
