"""Discrepancy reports: Markdown for people, JSON for programs, CSV for spreadsheets, and a
self-contained HTML page (:mod:`reconcile.report_html`).

Every renderer takes the same :class:`ReportData`, built once from the store with the user's
filters, so the formats can never disagree about what was found. The JSON schema is
documented in the README (``schema``: ``paper-reconcile/report/1``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconcile.models import Discrepancy, Kind, Paper, Severity, Source, TimeBasis, iso, utc
from reconcile.checks.quirks import SITE_PREFIX
from reconcile.store import Store, crawl_process_gone

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


@dataclass(frozen=True)
class HistoryPoint:
    """One observed upvote count of a paper: when, by whom, and how exact that time is."""

    observed_at: dt.datetime
    basis: TimeBasis | None
    source: Source
    site: str | None
    upvotes: int
    observation_id: int | None


@dataclass
class ReportData:
    """Everything a report shows."""

    database: str
    generated_at: dt.datetime
    counts: dict[str, int]
    papers: list[PaperReport]
    filters: dict[str, Any] = field(default_factory=dict)
    history: dict[str, list[HistoryPoint]] = field(default_factory=dict)  # paper id -> counts, oldest first
    crawls: list[dict[str, Any]] = field(default_factory=list)  # each spider's latest crawl and its health

    @property
    def discrepancies(self) -> list[Discrepancy]:
        """Every reported discrepancy."""
        return [d for p in self.papers for d in p.discrepancies]


def _passes(d: Discrepancy, kinds: set[Kind], min_severity: Severity, since: dt.datetime | None,
            sources: set[Source]) -> bool:
    """Whether a discrepancy passes the report filters: ``since`` keeps findings with evidence
    observed at or after that time (what a scheduled run newly saw); ``sources`` keeps
    findings where one of those sources is a side."""
    if kinds and d.kind not in kinds or d.severity.level < min_severity.level:
        return False
    if since is not None and not any(v.observed_at and utc(v.observed_at) >= since for v in d.values):
        return False
    return not sources or any(v.source in sources for v in d.values)


def upvote_history(store: Store, paper_ids: Iterable[str]) -> dict[str, list[HistoryPoint]]:
    """Every observed upvote count of each paper, oldest first (timeless counts left out)."""
    by_paper = store.observations_of_papers(paper_ids)
    history: dict[str, list[HistoryPoint]] = {}
    for pid, group in by_paper.items():
        points = [HistoryPoint(utc(o.observed_at), o.observed_at_basis, o.source, o.site, o.upvotes, o.id)
                  for o in group if o.upvotes is not None and o.observed_at is not None]
        if points:
            history[pid] = sorted(points, key=lambda p: (p.observed_at, p.observation_id or 0))
    return history


def crawl_health(stats: Mapping[str, Any]) -> str:
    """One line on a crawl's health from its stats: requests, responses, pages read, and
    rejects by reason (the most frequent first)."""
    rejects: dict[str, int] = {}
    for key, n in stats.items():  # <source>/rejects/<reason>; per-site counters repeat them
        parts = key.split("/")
        if len(parts) == 3 and parts[1] == "rejects" and isinstance(n, int):
            rejects[parts[2]] = rejects.get(parts[2], 0) + n
    why = ", ".join(f"{k} {n}" for k, n in sorted(rejects.items(), key=lambda r: (-r[1], r[0]))[:4])
    responses = stats.get("downloader/response_count", 0)
    # A replayed response is answered before the downloader counts a request.
    requests = max(stats.get("downloader/request_count", 0), responses)
    pages = stats.get("reconcile/pages/read", 0)
    return (f"{_count(requests, 'request')}, {_count(responses, 'response')}, {_count(pages, 'page')} read, "
            f"{_count(sum(rejects.values()), 'reject')}"
            + (f" ({why})" if why else ""))


def _count(n: int, noun: str) -> str:
    """``1 request``, ``2 requests``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def latest_crawls(store: Store) -> list[dict[str, Any]]:
    """Each spider's latest crawl: its id, status, start and health."""
    latest: dict[str, Any] = {}
    for crawl in store.crawls():
        latest[crawl.spider] = crawl
    return [{"spider": c.spider, "crawl_id": c.id,
             # A row left running by a process that is gone (killed): say so, not "running".
             "status": "interrupted" if c.status == "running" and crawl_process_gone(c.stats) else c.status,
             "started_at": iso(c.started_at), "health": crawl_health(c.stats)} for c in latest.values()]


def is_known(d: Discrepancy, known: Mapping[str, Severity | None]) -> bool:
    """Whether a finding is already known (in a baseline or acknowledged): its id is, at a
    severity at least its current one (None: any). A known finding that grew more severe is
    news again."""
    if d.id not in known:
        return False
    then = known[d.id]
    return then is None or d.severity.level <= then.level


def read_baseline(path: Path) -> dict[str, Severity | None]:
    """The finding ids of a baseline: a JSON report (``report --format json``), each id at
    its severity then, or a text file of ids, one per line (``#`` starts a comment). Raises
    ValueError with a one-line reason when the file is neither. A UTF-8 byte-order mark (an
    editor's or PowerShell's) is not part of the text; a file in another encoding is refused
    naming the file and the byte (the codec's own message names neither the file nor what
    to do)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                         "a baseline is a JSON report of this tool or a text file of finding ids") from None
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
            return {d["id"]: Severity(d["severity"]) for p in doc["papers"] for d in p["discrepancies"]}
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a JSON report of this tool ({type(exc).__name__}: {exc})"[:300]) from None
    ids = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    ids = [i for i in ids if i]
    bad = next((i for i in ids if not re.fullmatch(r"[0-9a-f]{16}", i)), None)
    if bad is not None:
        raise ValueError(f"{path}: {bad[:40]!r} is not a finding id (16 hex digits)")
    return dict.fromkeys(ids)


def build_report(store: Store, kinds: Iterable[Kind] = (), min_severity: Severity = Severity.INFO, *,
                 since: dt.datetime | None = None, sources: Iterable[Source] = (),
                 with_history: bool = False, baseline: Mapping[str, Severity | None] | None = None,
                 include_acknowledged: bool = False) -> ReportData:
    """The papers that have discrepancies passing the filters, most severe first; with
    ``with_history`` also each such paper's upvote history (the HTML page draws it).

    Findings known already are left out (and counted in ``filters``): those of ``baseline``
    and, unless ``include_acknowledged``, those acknowledged with ``reconcile ack``; both
    come back when they grow more severe."""
    kinds, sources = set(kinds), set(sources)
    since = utc(since) if since else None
    known: dict[str, Severity | None] = {} if include_acknowledged else dict(store.acknowledged())
    for fid, sev in (baseline or {}).items():
        prev = known.get(fid, sev)
        known[fid] = None if sev is None or prev is None else max(sev, prev, key=lambda x: x.level)
    hidden = 0
    by_paper: dict[str, list[Discrepancy]] = {}
    for d in store.discrepancies():
        if _passes(d, kinds, min_severity, since, sources):
            if is_known(d, known):
                hidden += 1
                continue
            by_paper.setdefault(d.paper_id, []).append(d)
    papers = {p.id: p for p in store.papers(by_paper)}
    # Findings about a site (a recurring quirk, reconcile.checks.quirks) are listed under it.
    papers.update({pid: Paper(id=pid, title=f"Site {pid.removeprefix(SITE_PREFIX)}")
                   for pid in by_paper if pid.startswith(SITE_PREFIX)})
    reports = [PaperReport(papers[pid], sorted(ds, key=lambda d: (-d.severity.level, d.kind.value)))
               for pid, ds in by_paper.items() if pid in papers]
    reports.sort(key=lambda r: (-r.worst, -len(r.discrepancies), r.paper.title or r.paper.id))
    filters = {"kinds": sorted(k.value for k in kinds), "min_severity": min_severity.value,
               "since": iso(since), "sources": sorted(x.value for x in sources),
               "baseline": baseline is not None, "known_not_shown": hidden}
    return ReportData(
        database=str(store.path), generated_at=dt.datetime.now(dt.timezone.utc), counts=store.counts(),
        papers=reports, filters=filters,
        history=upvote_history(store, [r.paper.id for r in reports]) if with_history else {},
        crawls=latest_crawls(store) if store.db["crawls"].exists() else [],
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
        "crawls": data.crawls,
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


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def _md(text: Any) -> str:
    """Scraped text made inert in Markdown: one line; ``&``, ``<`` and ``>`` as entities (no
    raw HTML reaches a renderer), and ``\\ ` * _ [ ] |`` escaped (no link such as
    ``[x](javascript:...)``, no emphasis, no broken table cell)."""
    out = json.dumps(text, ensure_ascii=False) if isinstance(text, (dict, list)) else str(text)
    out = " ".join(out.split())
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", out)


def _code(text: Any) -> str:
    """Scraped text as a Markdown code span (shown as it is: nothing in it is markup), one
    line, pipes escaped for tables; a longer fence when the text holds backticks."""
    out = json.dumps(text, ensure_ascii=False) if isinstance(text, (dict, list)) else str(text)
    out = " ".join(out.split()).replace("|", "\\|")
    return f"`` {out} ``" if "`" in out else f"`{out}`"


# Kinds that describe a whole document rather than one paper: one finding per document
# (filed under its first paper), shown once in the Markdown report's "Documents" section.
DOCUMENT_KINDS = frozenset({Kind.MOJIBAKE, Kind.REPLACEMENT_CHAR})


def _values_table(values) -> list[str]:
    """The evidence as a table; a finding about a site (values of many papers) also names
    each value's paper."""
    papers = any(v.paper_id for v in values)
    lines = ["", "  | value | source | site | observed at | basis |" + " paper |" * papers,
             "  |---|---|---|---|---|" + "---|" * papers]
    for v in values:
        basis = v.observed_at_basis.value if v.observed_at_basis else ""
        lines.append(f"  | {_md(v.value)} | {v.source.value} | {_md(v.site or '')} | "
                     f"{iso(v.observed_at) or ''} | {basis} |" + f" {_md(v.paper_id or '')} |" * papers)
    return lines


def _evidence(value: Any) -> str:
    if isinstance(value, dict) and {"before", "after"} <= set(value):
        return f"{_code(value['before'])} → {_code(value['after'])}"
    return _code(value)


def _document_section(data: ReportData) -> list[str]:
    """Findings about whole documents, once each: their detail names the papers they carry."""
    found = {d.id: d for r in data.papers for d in r.discrepancies if d.kind in DOCUMENT_KINDS}
    if not found:
        return []
    lines = ["", "## Documents", ""]
    for d in sorted(found.values(), key=lambda d: (-d.severity.level, d.kind.value, d.detail)):
        lines.append(f"- **{d.severity.value}** `{d.kind.value}`: {_md(d.detail)}. "
                     f"Evidence: {_evidence(d.values[0].value) if d.values else '-'}")
    return lines


def incomplete(counts: dict) -> str | None:
    """Why the findings are not yet what the stored data says, or None: observations not
    placed on a paper, papers waiting for their checks (a resolve that was cut short, or
    one still running). A report then lacks findings, or shows stale ones."""
    parts = []
    if counts.get("unlinked"):
        parts.append(f"{counts['unlinked']} observations are not placed on a paper yet")
    if counts.get("pending_checks"):
        parts.append(f"{counts['pending_checks']} papers wait for their checks")
    said = (" and ".join(parts) + (" (a resolve was cut short, is running, or was not run since an ingest): "
                                   "findings may be missing or stale until `reconcile resolve` ends")) if parts else ""
    if counts.get("unsaved_batches"):
        # A crawl's batch the database refused, in a file beside it: not in any table yet.
        said += ("; " if said else "") + (
            f"{counts['unsaved_batches']} batches of pages a crawl could not write wait beside the database "
            "(in its `.unsaved` folder) until the next crawl, ingest or resolve writes them back")
    return said or None


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
    if (waiting := incomplete(data.counts)):
        lines += ["", f"**Incomplete:** {waiting}."]
    if data.crawls:
        lines += ["", "Latest crawls: " + "; ".join(f"{c['spider']} **{c['status']}** ({_md(c['health'])})"
                                                   for c in data.crawls) + "."]
    if data.filters.get("known_not_shown"):
        lines += ["", f"{data.filters['known_not_shown']} known findings (in the baseline or acknowledged) "
                      "are not shown."]
    lines += _document_section(data)
    for r in data.papers:
        own = [d for d in r.discrepancies if d.kind not in DOCUMENT_KINDS]
        if not own:
            continue
        p = r.paper
        lines += ["", f"## {_md(p.title or p.id)}", ""]
        facts = [f"`{p.id}`"] + (["sources: " + ", ".join(x.value for x in p.sources)] if p.sources else [])
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


CSV_COLUMNS = ("paper_id", "arxiv_id", "title", "kind", "field", "severity", "values", "detail")

# A spreadsheet runs a cell that starts with one of these as a formula: scraped text must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str | None) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets a quote
    (OWASP's advice against CSV injection). Only free text is guarded; ``values`` is JSON."""
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(data: ReportData) -> str:
    """The report as CSV, one discrepancy a row (``values`` as a JSON list)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in data.papers:
        for d in r.discrepancies:
            values = json.dumps([_value_json(v) for v in d.values], ensure_ascii=False)
            writer.writerow([r.paper.id, r.paper.arxiv_id or "", _cell(r.paper.title), d.kind.value,
                             _cell(d.field), d.severity.value, values, _cell(d.detail)])
    return out.getvalue()
