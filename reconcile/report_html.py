"""The HTML report: one self-contained page, safe to open whatever the scrapers brought in.

Built for triage: a summary, a filter bar (severity, kind, source, site, a text search over
each finding and its paper's title and id), then
the findings grouped by paper, most severe first. Each finding shows its severity, kind and
detail (long texts cut, the whole on demand); its evidence, the paper's merged record with
the provenance of each field and its upvote history (a small inline SVG chart) are folded
away in ``<details>`` until asked for, so a page of thousands of findings stays readable.

Scraped text is hostile (a title can be ``<script>...``), so the page is built on two locks:

1. every value goes through :func:`html.escape` on its way into text or an attribute, and the
   page never builds markup from data in JavaScript (the sorter moves rows, the filters set
   ``hidden``; both read only ``textContent``, ``value`` and ``data-*`` attributes);
2. a Content-Security-Policy in the page allows no source at all (``default-src 'none'``)
   except the page's own script and style, by SHA-256 hash; so even a value that slipped
   past the escaping could not run or load anything.

No external file is needed: styles, script and charts are inline, and the page works from a
``file://`` URL, an e-mail attachment or a CI artifact.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable
from typing import Any

from reconcile.models import Discrepancy, Paper, Value, iso
from reconcile.report import HistoryPoint, PaperReport, ReportData, incomplete, summary

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:90rem;padding:0 1rem;color:#1d232a}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}h3{margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0}#findings,table.record{width:100%}
#findings td:first-child{min-width:10rem}#findings td:last-child{min-width:18rem}
th,td{border:1px solid #d0d7de;padding:.25rem .4rem;text-align:left;vertical-align:top}
#findings td:nth-child(n+5),table.record td{overflow-wrap:anywhere}#findings td:nth-child(5){min-width:16rem}
th{background:#f3f5f7}table.sortable th{cursor:pointer}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
.sev-error{color:#a40e26;font-weight:600}.sev-warning{color:#8a5300;font-weight:600}.sev-info{color:#445}
.muted{color:#57606a}code{font-size:.92em;white-space:pre-wrap;overflow-wrap:anywhere}
ul.values{margin:0;padding-left:1.1rem}figure{margin:.5rem 0}figcaption{font-size:.85em;color:#57606a}
article{border-top:1px solid #eaeef2;padding-top:.5rem}
#filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #d0d7de;z-index:1}
#filters label{margin-right:.8rem}#filters output{color:#57606a}
.finding{margin:.3rem 0 .6rem;padding-left:.5rem;border-left:3px solid #d0d7de}
.finding p{margin:.1rem 0}details>summary{cursor:pointer;color:#0969da}
details.more{display:inline}details.more>summary{color:inherit}details.more[open]>summary::after{content:""}
.finding[data-sev="2"]{border-color:#a40e26}.finding[data-sev="1"]{border-color:#bf8700}
"""

# Clicking a column header sorts the table's rows by that column (again: the other way).
# Rows are moved, never rebuilt, and only textContent / data-sort are read.
_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var key = function (row) {
        var cell = row.cells[col];
        return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return up ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
document.documentElement.setAttribute("data-sortable", "ready");
// Filters: a finding is shown when it passes every control; a paper when one of its
// findings is. Only attributes, values and textContent are read; only `hidden` is set.
(function () {
  var form = document.getElementById("filters");
  if (!form) { return; }
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var papers = Array.prototype.slice.call(document.querySelectorAll("article.paper"));
  // The search finds a finding by its own text or by the title and id of its paper (the
  // paper's heading and the id under it; not its merged record): "ERNIE" finds ERNIE's.
  var texts = findings.map(function (f) {
    var paper = f.closest("article.paper"), text = f.textContent;
    if (paper) {
      var head = paper.querySelector("h3"), id = paper.querySelector("p.muted > code");
      text += "\\n" + (head ? head.textContent : "") + "\\n" + (id ? id.textContent : "");
    }
    return text.toLowerCase();
  });
  var get = function (id) { return document.getElementById(id).value; };
  var count = document.getElementById("f-count");
  function apply() {
    var sev = parseInt(get("f-sev"), 10) || 0, kind = get("f-kind"), source = get("f-source"),
        site = get("f-site"), text = get("f-text").trim().toLowerCase(), shown = 0;
    findings.forEach(function (f, i) {
      var ok = parseInt(f.getAttribute("data-sev"), 10) >= sev
        && (!kind || f.getAttribute("data-kind") === kind)
        && (!source || f.getAttribute("data-sources").split("\\n").indexOf(source) >= 0)
        && (!site || f.getAttribute("data-sites").split("\\n").indexOf(site) >= 0)
        && (!text || texts[i].indexOf(text) >= 0);
      f.hidden = !ok;
      if (ok) { shown += 1; }
    });
    papers.forEach(function (p) { p.hidden = !p.querySelector(".finding:not([hidden])"); });
    count.textContent = shown + " of " + findings.length + " findings shown";
  }
  // A filtered view can be linked to: #sev=1&kind=upvotes&site=...&q=words sets the controls.
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var kv = pair.split("="), ids = {sev: "f-sev", kind: "f-kind", source: "f-source", site: "f-site", q: "f-text"};
    if (kv.length === 2 && ids[kv[0]]) {
      try { document.getElementById(ids[kv[0]]).value = decodeURIComponent(kv[1]); } catch (err) { }
    }
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
  document.documentElement.setAttribute("data-filters", "ready");
})();
"""

_PALETTE = ("#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#57606a", "#e16f24", "#1b7c83")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def content_security_policy() -> str:
    """The page's policy: nothing may load or run but its own style and script."""
    return (f"default-src 'none'; style-src '{_sha256(_STYLE)}'; script-src '{_sha256(_SCRIPT)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def esc(value: Any) -> str:
    """Any value as escaped HTML text (lists and objects as JSON)."""
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
    return html.escape(text, quote=True)


def _anchor(paper_id: str) -> str:
    return "paper-" + hashlib.sha1(paper_id.encode("utf-8")).hexdigest()[:12]


def _severity(d: Discrepancy) -> str:
    return f"<span class=sev-{esc(d.severity.value)}>{esc(d.severity.value)}</span>"


def _summary(data: ReportData) -> str:
    s, c = summary(data), data.counts
    counts = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in c.items())
    sev = ", ".join(f"{n} {esc(k)}" for k, n in s["by_severity"].items())
    kinds = "".join(f"<tr><td>{esc(k)}</td><td data-sort={n}>{n}</td></tr>" for k, n in s["by_kind"].items())
    filters = ", ".join(f"{esc(k)}: {esc(v)}" for k, v in data.filters.items() if v not in (None, [], "", False, 0))
    return (f"<section id=summary><h2>Summary</h2><p><strong>{s['discrepancies']} discrepancies</strong> on "
            f"{s['papers_with_discrepancies']} papers: {sev}.</p>"
            f"<p class=muted>Filters: {filters or 'none'}.</p>"
            + (f"<p><strong>Incomplete:</strong> {esc(waiting)}.</p>" if (waiting := incomplete(c)) else "")
            + (("<p>Latest crawls: " + "; ".join(f"{esc(c['spider'])} <strong>{esc(c['status'])}</strong> "
                                                 f"({esc(c['health'])})" for c in data.crawls) + ".</p>")
               if data.crawls else "") +
            f"<table class=sortable id=kinds><thead><tr><th>kind</th><th>discrepancies</th></tr></thead>"
            f"<tbody>{kinds}</tbody></table>"
            f"<details><summary>Database rows</summary><table>{counts}</table></details></section>")


#: Characters of a detail or value shown before the rest is folded away.
SHORT = 300


def _short(text: str, limit: int = SHORT) -> str:
    """Escaped ``text``, cut at ``limit`` characters with the rest on demand (each part
    once in the page: the start is the summary, the rest what opening it shows)."""
    if len(text) <= limit:
        return esc(text)
    return (f"<details class=more><summary>{esc(text[:limit])}… <span class=muted>({len(text)} "
            f"characters)</span></summary>{esc(text[limit:])}</details>")


def _evidence(values: list[Value]) -> str:
    if not values:
        return ""
    rows = []
    papers = any(v.paper_id for v in values)  # a finding about a site: values of many papers
    for v in values:
        text = json.dumps(v.value, ensure_ascii=False) if isinstance(v.value, (dict, list)) else str(v.value)
        basis = v.observed_at_basis.value if v.observed_at_basis else ""
        rows.append(f"<tr><td>{_short(text, 160)}</td><td>{esc(v.source.value)}</td>"
                    f"<td>{esc(v.site)}</td><td>{esc(iso(v.observed_at))}</td><td>{esc(basis)}</td>"
                    + f"<td>{esc(v.paper_id)}</td>" * papers + "</tr>")
    return (f"<details><summary>evidence: {len(values)} value{'s' * (len(values) > 1)}</summary>"
            "<table><thead><tr><th>value</th><th>source</th><th>site</th><th>observed at</th>"
            "<th>basis</th>" + "<th>paper</th>" * papers + "</tr></thead><tbody>" + "".join(rows)
            + "</tbody></table></details>")


def _finding(d: Discrepancy) -> str:
    sources = "\n".join(sorted({v.source.value for v in d.values}))
    sites = "\n".join(sorted({v.site for v in d.values if v.site}))
    field = f" <span class=muted>{esc(d.field)}</span>" if d.field else ""
    return (f"<div class=finding id=\"f-{esc(d.id)}\" data-sev={d.severity.level} data-kind=\"{esc(d.kind.value)}\" "
            f"data-sources=\"{esc(sources)}\" data-sites=\"{esc(sites)}\">"
            f"<p>{_severity(d)} <code>{esc(d.kind.value)}</code>{field}: {_short(d.detail)} "
            f"<span class=muted>#{esc(d.id)}</span></p>{_evidence(d.values)}</div>")


def _options(name: str, values: Iterable[str]) -> str:
    opts = "".join(f"<option value=\"{esc(v)}\">{esc(v)}</option>" for v in sorted(set(values)))
    return f"<label>{name} <select id=f-{name}><option value=\"\">any</option>{opts}</select></label>"


def _filters(data: ReportData) -> str:
    found = data.discrepancies
    if not found:
        return ""
    return ("<form id=filters role=search>"
            "<label>severity <select id=f-sev><option value=0>info and above</option>"
            "<option value=1>warning and above</option><option value=2>error</option></select></label>"
            + _options("kind", (d.kind.value for d in found))
            + _options("source", (v.source.value for d in found for v in d.values))
            + _options("site", (v.site for d in found for v in d.values if v.site))
            + "<label>search <input id=f-text type=search placeholder=\"words in a finding, a title or an id\"></label>"
            f"<output id=f-count>{len(found)} of {len(found)} findings shown</output></form>")


#: Authors named in a paper's merged record on the page.
MAX_AUTHORS_SHOWN = 12

_RECORD_FIELDS = ("arxiv_id", "title", "authors", "published", "upvotes", "comments", "organization",
                  "rank", "summary", "abstract")


def _record(p: Paper) -> str:
    rows = []
    for name in _RECORD_FIELDS:
        value = getattr(p, name)
        if value in (None, [], ""):
            continue
        if name == "upvotes" and p.upvotes_observed_at:
            value = f"{value} (at {iso(p.upvotes_observed_at)})"
        if name == "authors" and len(value) > MAX_AUTHORS_SHOWN:
            # A collaboration's hundreds of names would outweigh every finding on the page;
            # the whole list is in the database (papers.authors).
            value = ", ".join(value[:MAX_AUTHORS_SHOWN]) + f" and {len(value) - MAX_AUTHORS_SHOWN} more"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        origin = p.provenance.get(name, {})
        who = origin.get("source", "") + (f"/{origin['site']}" if origin.get("site") else "")
        obs = origin.get("observation_id", "")
        # Long texts are named, not repeated: a finding about them quotes them in its
        # evidence, and the database holds them (papers.abstract, papers.summary).
        shown = (f"<span class=muted>{len(str(value))} characters</span>" if name in ("abstract", "summary")
                 else esc(value))
        rows.append(f"<tr><th>{esc(name)}</th><td>{shown}</td><td>{esc(who)}</td><td>{esc(obs)}</td></tr>")
    return ("<table class=record><thead><tr><th>field</th><th>merged value</th><th>from</th>"
            "<th>observation</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def upvote_chart(points: list[HistoryPoint], width: int = 420, height: int = 140) -> str:
    """An inline SVG line chart of a paper's upvote counts over time, one line per source
    and site. Points whose time is a capture time are filled; points timed only by a
    publication, retrieval or file time are hollow, because their place on the time axis
    is approximate. Empty string when there is nothing to draw."""
    if not points:
        return ""
    series: dict[str, list[HistoryPoint]] = {}
    for p in points:
        series.setdefault(p.source.value + (f"/{p.site}" if p.site else ""), []).append(p)
    legend_rows = len(series)
    height += 11 * (legend_rows - 1)
    left, right, top, bottom = 44, 10, 10, 24 + 11 * legend_rows
    t0, t1 = points[0].observed_at.timestamp(), points[-1].observed_at.timestamp()
    lo, hi = min(p.upvotes for p in points), max(p.upvotes for p in points)
    lo, hi = (lo - 1, hi + 1) if lo == hi else (lo, hi)

    def xy(p: HistoryPoint) -> tuple[float, float]:
        x = left + (width - left - right) * ((p.observed_at.timestamp() - t0) / (t1 - t0) if t1 > t0 else 0.5)
        y = top + (height - top - bottom) * (1 - (p.upvotes - lo) / (hi - lo))
        return round(x, 1), round(y, 1)

    parts = [f"<line x1={left} y1={height - bottom} x2={width - right} y2={height - bottom} stroke=#8c959f />",
             f"<line x1={left} y1={top} x2={left} y2={height - bottom} stroke=#8c959f />",
             f"<text x={left - 4} y={top + 4} text-anchor=end font-size=10>{hi}</text>",
             f"<text x={left - 4} y={height - bottom} text-anchor=end font-size=10>{lo}</text>",
             f"<text x={left} y={height - bottom + 12} font-size=9>{esc(iso(points[0].observed_at))}</text>"]
    if t1 > t0:
        parts.append(f"<text x={width - right} y={height - bottom + 12} text-anchor=end font-size=9>"
                     f"{esc(iso(points[-1].observed_at))}</text>")
    for n, (name, group) in enumerate(series.items()):
        colour = _PALETTE[n % len(_PALETTE)]
        coords = [xy(p) for p in group]
        if len(coords) > 1:
            path = " ".join(f"{x},{y}" for x, y in coords)
            parts.append(f"<polyline points=\"{path}\" fill=none stroke={colour} stroke-width=1.5 />")
        for p, (x, y) in zip(group, coords):
            fill = colour if p.basis is not None and p.basis.is_capture else "#ffffff"
            tip = f"{name}: {p.upvotes} at {iso(p.observed_at)} ({p.basis.value if p.basis else 'basis unknown'})"
            parts.append(f"<circle cx={x} cy={y} r=3.5 fill={fill} stroke={colour} stroke-width=1.5>"
                         f"<title>{esc(tip)}</title></circle>")
        parts.append(f"<text x={left} y={height - bottom + 26 + 11 * n} font-size=10 "
                     f"fill={colour}>{esc(name)}</text>")
    label = esc(f"Upvotes over time: {len(points)} observations from {len(series)} source(s)")
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" width={width} height={height} "
            f"viewBox=\"0 0 {width} {height}\" role=img aria-label=\"{label}\">" + "".join(parts) + "</svg>")


def _paper(r: PaperReport, history: list[HistoryPoint]) -> str:
    p = r.paper
    chart = upvote_chart(history)
    figure = (f"<figure>{chart}<figcaption>Upvotes over time; hollow points are timed only by a "
              f"publication, retrieval or file time.</figcaption></figure>") if chart else ""
    found = "".join(_finding(d) for d in r.discrepancies)
    sources = ", ".join(esc(s.value) for s in p.sources)
    return (f"<article class=paper id=\"{_anchor(p.id)}\"><h3>{esc(p.title or p.id)}</h3>"
            f"<p class=muted><code>{esc(p.id)}</code>{' · sources: ' + sources if sources else ''}</p>{found}"
            f"<details><summary>merged record{' and upvote history' if chart else ''}</summary>"
            f"{_record(p)}{figure}</details></article>")


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML page (see the module docstring)."""
    papers = "".join(_paper(r, data.history.get(r.paper.id, [])) for r in data.papers)
    c = data.counts
    empty = "<p>No discrepancies match the filters.</p>"
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{esc(content_security_policy())}\">"
        "<meta name=viewport content=\"width=device-width, initial-scale=1\">"
        f"<title>paper-reconcile report</title><style>{_STYLE}</style></head><body>"
        f"<h1>paper-reconcile report</h1><p class=muted>Database <code>{esc(data.database)}</code>, "
        f"generated {esc(iso(data.generated_at))}: {esc(c.get('papers'))} papers from "
        f"{esc(c.get('observations'))} observations in {esc(c.get('documents'))} documents; "
        f"{esc(c.get('rejects'))} rejects.</p>"
        f"{_summary(data)}"
        f"<section id=papers><h2>Findings by paper</h2>{_filters(data)}{papers or empty}</section>"
        f"<script>{_SCRIPT}</script></body></html>\n")
