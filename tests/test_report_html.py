"""The HTML report: self-contained, escaped, and inert in a real browser (headless Chromium)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import subprocess

from reconcile.models import Document, Observation
from reconcile.report import build_report
from reconcile.report_html import content_security_policy, render_html, upvote_chart
from reconcile.resolve import resolve
from reconcile.store import Store

from .support import run_reconcile

T = dt.datetime(2026, 2, 5, 7, 45, tzinfo=dt.timezone.utc)

# Each payload, if it ran, would leave a mark on the page that the test looks for.
SCRIPT_TITLE = '<script>document.documentElement.setAttribute("data-pwned", "script")</script>'
IMG_SITE = '"><img src=x onerror="document.documentElement.setAttribute(\'data-pwned\', \'img\')">'
SVG_ORG = "<svg onload=\"document.documentElement.setAttribute('data-pwned', 'svg')\"></svg>"
CLOSE_TAGS = "</code></li></ul></td></tr></table></style></title><script>document.title='PWNED'</script>"


def _document(url: str, site: str, at: dt.datetime, basis: str = "response") -> Document:
    return Document(url=url, source="digest", site=site, format="digest-top-list", observed_at=at,
                    observed_at_basis=basis, sha256=hashlib.sha256(url.encode()).hexdigest())


def hostile_store(path) -> Store:
    """A paper whose every scraped field is an attack, seen by two sources that disagree."""
    store = Store(path)
    a = _document("https://blog.example/a", IMG_SITE, T)
    b = _document("https://blog.example/b?x=<b>", CLOSE_TAGS, T + dt.timedelta(hours=7))
    common = {"arxiv_id": "2602.04705", "authors": [SCRIPT_TITLE, "B. Author"], "listed_on": dt.date(2026, 2, 5)}
    store.add_documents([
        (a, [Observation(source="digest", site=IMG_SITE, title=SCRIPT_TITLE, upvotes=30, rank=1,
                         organization=SVG_ORG, summary=CLOSE_TAGS, extra={"rank_basis": "upvotes"}, **common)]),
        (b, [Observation(source="digest", site=CLOSE_TAGS, title=SCRIPT_TITLE + " v2", upvotes=20, rank=2,
                         extra={"rank_basis": "upvotes"}, **common)]),
    ])
    resolve(store)
    return store


def dump_dom(chromium: str, page) -> str:
    """The page's DOM after Chromium loaded it and ran whatever it was allowed to run
    (``page``: a file, or a URL such as one with a ``#...`` filter)."""
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--virtual-time-budget=3000", "--dump-dom", page if isinstance(page, str) else page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return done.stdout


def test_every_value_is_escaped(tmp_path):
    store = hostile_store(tmp_path / "h.db")
    page = render_html(build_report(store, with_history=True))
    assert page.count("<script") == 1  # ours, at the end
    assert "<img" not in page and "<svg onload" not in page
    # No event handler reached a tag: every tag's attributes, as an HTML parser reads them.
    from html.parser import HTMLParser

    handlers: list[tuple[str, str]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            handlers.extend((tag, name) for name, _ in attrs if name.startswith("on"))

    Tags().feed(page)
    assert handlers == []
    assert html.escape(SCRIPT_TITLE) in page
    assert html.escape(CLOSE_TAGS) in page  # a site name that tries to close our markup stays text
    assert "data-pwned" in page  # the payloads are there, as text


def test_chart_draws_each_source_and_marks_loose_times_hollow():
    from reconcile.models import Source, TimeBasis
    from reconcile.report import HistoryPoint

    points = [HistoryPoint(T, TimeBasis.PUBLISHED, Source.DIGEST, "lim4349", 28, 1),
              HistoryPoint(T + dt.timedelta(hours=2), TimeBasis.RESPONSE, Source.HUGGINGFACE, None, 23, 2),
              HistoryPoint(T + dt.timedelta(hours=7), TimeBasis.STATED_CAPTURE, Source.DIGEST, "lim4349", 20, 3)]
    svg = upvote_chart(points)
    assert svg.startswith("<svg") and svg.count("<circle") == 3
    assert svg.count("<polyline") == 1  # lim4349 has two points; Hugging Face one
    fills = re.findall(r"<circle [^>]*fill=(#[0-9a-f]{6})", svg)
    assert fills[0] == "#ffffff" and "#ffffff" not in fills[1:]  # the published time is hollow
    ys = {int(n): float(cy) for cy, n in re.findall(r"cy=([\d.]+)[^>]*><title>[^:]+: (\d+)", svg)}
    assert ys[28] < ys[23] < ys[20]  # higher counts are drawn higher
    assert upvote_chart([]) == ""


def test_the_page_is_inert_in_chromium(tmp_path, chromium):
    store = hostile_store(tmp_path / "h.db")
    page = tmp_path / "report.html"
    page.write_text(render_html(build_report(store, with_history=True)), encoding="utf-8")
    dom = dump_dom(chromium, page)
    root = re.search(r"<html[^>]*>", dom)[0]
    assert 'data-sortable="ready"' in root  # our own script ran: JavaScript was on
    assert "data-pwned" not in root  # and nothing of the data's ran
    assert re.search(r"<title>paper-reconcile report</title>", dom)
    assert "PWNED" not in re.search(r"<title>.*?</title>", dom, re.DOTALL)[0]
    assert "<img" not in dom and len(re.findall(r"<script", dom)) == 1


def test_the_browser_check_would_catch_an_unescaped_page(tmp_path, chromium):
    """The control: the same payload, not escaped and without the policy, does run, so the
    test above can fail."""
    page = tmp_path / "unsafe.html"
    page.write_text(f"<!doctype html><html><head><title>t</title></head><body><h3>{SCRIPT_TITLE}</h3>"
                    f"{IMG_SITE}</body></html>", encoding="utf-8")
    root = re.search(r"<html[^>]*>", dump_dom(chromium, page))[0]
    assert "data-pwned" in root


def test_the_policy_allows_only_the_page_itself():
    policy = content_security_policy()
    assert policy.startswith("default-src 'none';")
    assert "unsafe-inline" not in policy and "http" not in policy
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/]+=*'", policy)


def test_demo_html_report_groups_findings_by_paper_with_filters_and_charts(tmp_path):
    assert run_reconcile("demo", cwd=tmp_path).returncode == 0
    out = tmp_path / "r.html"
    result = run_reconcile("report", "--db", str(tmp_path / "papers.db"), "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<link" not in page and "src=\"http" not in page  # self-contained
    total = int(re.search(r"<strong>(\d+) discrepancies</strong>", page)[1])
    assert page.count("<div class=finding ") == total
    assert f"<output id=f-count>{total} of {total} findings shown</output>" in page
    for control in ("f-sev", "f-kind", "f-source", "f-site", "f-text"):
        assert f"id={control}" in page
    # ERNIE: its findings, then its merged record with provenance and its upvote history
    # (four observations), folded away.
    ernie = re.search(r"<article class=paper id=\"[^\"]+\"><h3>ERNIE 5.0 Technical Report</h3>.*?</article>",
                      page, re.DOTALL)[0]
    record = ernie[ernie.index("<details><summary>merged record"):]
    assert "<th>upvotes</th><td>160 (at 2026-02-05T07:45:12Z)</td><td>huggingface/huggingface.co</td>" in record
    assert "<th>title</th><td>ERNIE 5.0 Technical Report</td><td>arxiv/arxiv.org</td>" in record
    assert record.count("<circle") == 4 and "<svg" in record


def test_filters_work_in_chromium_from_a_link(tmp_path, chromium):
    """The filter bar, driven by the page's own script: a link with #sev=1&kind=garbage_field
    shows only the warning-or-worse furniture findings and hides papers left without one."""
    assert run_reconcile("demo", cwd=tmp_path).returncode == 0
    out = tmp_path / "r.html"
    assert run_reconcile("report", "--db", str(tmp_path / "papers.db"), "--format", "html", "--output",
                         str(out)).returncode == 0
    dom = dump_dom(chromium, f"{out.as_uri()}#sev=1&kind=garbage_field")
    assert 'data-filters="ready"' in re.search(r"<html[^>]*>", dom)[0]
    shown = re.findall(r'<div class="finding"[^>]*data-sev="(\d)" data-kind="([a-z_]+)"(?![^>]*hidden)', dom)
    assert shown and all(kind == "garbage_field" and int(sev) >= 1 for sev, kind in shown)
    assert f"{len(shown)} of 24 findings shown" in dom
    hidden_papers = len(re.findall(r'<article class="paper"[^>]*hidden', dom))
    assert hidden_papers == 10 - len(set(re.findall(r'<article class="paper"(?![^>]*hidden)[^>]*>', dom)))
    dom = dump_dom(chromium, f"{out.as_uri()}#q=Windows-1252")
    assert "1 of 24 findings shown" in dom


def test_search_covers_the_papers_title_and_id_and_the_readme_link_shows_findings(tmp_path, chromium):
    """The search box (``#q=``) matches a finding by its own text or by the title and id of
    the paper it sits under: 'ERNIE' is in the paper's title, not in its findings' text. The
    README's example link must show something on the demo's report (probe24 B3)."""
    from .test_docs import README

    assert run_reconcile("demo", cwd=tmp_path).returncode == 0
    out = tmp_path / "r.html"
    assert run_reconcile("report", "--db", str(tmp_path / "papers.db"), "--format", "html", "--output",
                         str(out)).returncode == 0
    ernie = re.search(r"<article class=paper id=\"[^\"]+\"><h3>ERNIE 5.0 Technical Report</h3>.*?</article>",
                      out.read_text(encoding="utf-8"), re.DOTALL)[0]
    arxiv_id = re.search(r"<code>arxiv:([0-9.]+)</code>", ernie)[1]
    ernie_findings = ernie.count("<div class=finding ")
    for query in ("ERNIE", "ernie 5.0 technical", arxiv_id):
        dom = dump_dom(chromium, f"{out.as_uri()}#q={query.replace(' ', '%20')}")
        visible = re.findall(r'<article class="paper"(?![^>]*hidden)[^>]*>\s*<h3>([^<]*)</h3>', dom)
        assert "ERNIE 5.0 Technical Report" in visible, query
        ernie_dom = re.search(r'<article class="paper"[^>]*>\s*<h3>ERNIE 5.0 Technical Report</h3>.*?</article>',
                              dom, re.DOTALL)[0]
        assert ernie_dom.count('<div class="finding"') == ernie_findings and " hidden" not in ernie_dom, query
        if query != arxiv_id:  # the id is also named in another paper's finding (a site finding)
            assert visible == ["ERNIE 5.0 Technical Report"], query
            assert f"{ernie_findings} of 24 findings shown" in dom, query
    link = re.search(r"`report\.html(#[^`]+)`", README)[1]
    dom = dump_dom(chromium, out.as_uri() + link)
    assert "1 of 24 findings shown" in dom, link  # the README says: TIDE's one warning about upvotes
