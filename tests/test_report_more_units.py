"""More exact results of reconcile.report, called in-process: inline code spans, the
crawls of a report, baseline and acknowledged severities combined, findings about a site,
papers whose findings are all about documents, and the upvotes fact of a paper."""

from __future__ import annotations

import datetime as dt

from reconcile.checks.quirks import SITE_PREFIX
from reconcile.models import Crawl, Discrepancy, Kind, Paper, Severity, Source, Value
from reconcile.report import PaperReport, ReportData, _code, _values_table, build_report, render_markdown
from reconcile.store import Store

UTC = dt.timezone.utc
T = dt.datetime(2031, 5, 6, 20, 0, tzinfo=UTC)
COUNTS = {"papers": 2, "observations": 0, "documents": 0, "unlinked": 0, "rejects": 0}


def _finding(n: int, paper_id: str, kind: Kind = Kind.UPVOTES, severity: Severity = Severity.WARNING,
             detail: str = "made up") -> Discrepancy:
    return Discrepancy(id=f"{n:016x}", paper_id=paper_id, kind=kind, severity=severity, detail=detail,
                       values=[Value(source=Source.DIGEST, value=n)])


# -- _code --------------------------------------------------------------------------------


def test_a_dict_or_list_is_shown_as_json_in_a_code_span():
    assert _code({"a": 1, "b": "é"}) == '`{"a": 1, "b": "é"}`'
    assert _code([1, "x", None]) == '`[1, "x", null]`'


def test_plain_text_gets_one_backtick_and_text_with_a_backtick_gets_two_and_spaces():
    assert _code("plain  text|x") == "`plain text\\|x`"
    assert _code("a `b` c") == "`` a `b` c ``"


# -- crawls ---------------------------------------------------------------------------------


def test_a_report_lists_each_spiders_latest_crawl_with_its_status(tmp_path):
    store = Store(tmp_path / "c.db")
    first = store.start_crawl(Crawl(spider="digests", started_at=T))
    store.finish_crawl(first, "failed", {}, T)
    second = store.start_crawl(Crawl(spider="digests", started_at=T + dt.timedelta(hours=1)))
    store.finish_crawl(second, "finished", {"downloader/request_count": 3, "downloader/response_count": 2,
                                           "reconcile/pages/read": 1}, T + dt.timedelta(hours=2))
    data = build_report(store)
    assert data.crawls == [{"spider": "digests", "crawl_id": second, "status": "finished",
                            "started_at": "2031-05-06T21:00:00Z",
                            "health": "3 requests, 2 responses, 1 page read, 0 rejects"}]
    assert ("Latest crawls: digests **finished** (3 requests, 2 responses, 1 page read, 0 rejects)."
            in render_markdown(data).splitlines())


def test_a_crawl_left_running_by_a_process_that_is_gone_is_interrupted(tmp_path):
    """A crawl killed outright cannot close its row. The row names its process, so the
    report says ``interrupted`` for one whose process is gone from this host, and the next
    crawl marks it so; a crawl whose process lives, or that ran on another host, stays
    ``running``."""
    import socket
    import subprocess
    import sys

    from reconcile.store import crawl_process_stats

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    store = Store(tmp_path / "c.db")
    here = socket.gethostname()
    killed = store.start_crawl(Crawl(spider="digests", started_at=T,
                                     stats={"reconcile/pid": gone.pid, "reconcile/host": here}))
    alive = store.start_crawl(Crawl(spider="arxiv", started_at=T, stats=crawl_process_stats()))
    elsewhere = store.start_crawl(Crawl(spider="huggingface", started_at=T,
                                        stats={"reconcile/pid": gone.pid, "reconcile/host": here + "-other"}))
    status = {c["spider"]: c["status"] for c in build_report(store).crawls}
    assert status == {"digests": "interrupted", "arxiv": "running", "huggingface": "running"}
    assert "digests **interrupted**" in render_markdown(build_report(store))
    assert store.close_dead_crawls(T) == 1
    rows = {c.id: c.status for c in store.crawls()}
    assert rows == {killed: "interrupted", alive: "running", elsewhere: "running"}


def test_a_store_without_a_crawls_table_has_no_crawls(tmp_path):
    store = Store(tmp_path / "n.db")
    store.db.execute("drop table crawls")
    assert not store.db["crawls"].exists()
    assert build_report(store).crawls == []


# -- baseline and acknowledged --------------------------------------------------------------


def _two_findings(tmp_path, severity: Severity) -> tuple[Store, Paper, Discrepancy, Discrepancy]:
    """A store holding one paper with an upvotes and a comments finding at ``severity``."""
    store = Store(tmp_path / "b.db")
    paper = Paper(id="arxiv:3105.00201", title="A paper")
    one = _finding(1, paper.id, severity=severity)
    two = _finding(2, paper.id, kind=Kind.COMMENTS, severity=severity)
    store.save_papers([paper], {paper.id: [one, two]})
    return store, paper, one, two


def test_a_finding_grown_more_severe_than_its_baseline_severity_is_shown(tmp_path):
    store, _, grown, same = _two_findings(tmp_path, Severity.WARNING)
    data = build_report(store, baseline={grown.id: Severity.INFO, same.id: Severity.WARNING})
    assert [d.id for d in data.discrepancies] == [grown.id]
    assert data.filters["known_not_shown"] == 1


def test_baseline_and_acknowledged_severities_combine_to_the_higher_or_none(tmp_path):
    store, paper, a, b = _two_findings(tmp_path, Severity.INFO)
    assert store.acknowledge([a.id, b.id], None, T) == []  # both at info
    # Both grow to error after being acknowledged.
    store.save_papers([paper], {paper.id: [_finding(1, paper.id, severity=Severity.ERROR),
                                           _finding(2, paper.id, kind=Kind.COMMENTS, severity=Severity.ERROR)]})
    # a: max(error from baseline, info acknowledged) = error -> hidden; b: baseline None -> hidden.
    data = build_report(store, baseline={a.id: Severity.ERROR, b.id: None})
    assert data.papers == [] and data.filters["known_not_shown"] == 2
    # a: max(warning, info) = warning < error -> shown again; b: only acknowledged at info -> shown.
    data = build_report(store, baseline={a.id: Severity.WARNING})
    assert sorted(d.id for d in data.discrepancies) == sorted([a.id, b.id])
    assert data.filters["known_not_shown"] == 0


# -- site findings --------------------------------------------------------------------------


def test_findings_about_a_site_are_listed_under_a_paper_named_after_it(tmp_path):
    store = Store(tmp_path / "s.db")
    pid = SITE_PREFIX + "lim4349"
    assert pid == "site:lim4349"
    store.replace_findings([_finding(7, pid, kind=Kind.GARBAGE_FIELD, detail="recurring garbage")], [])
    data = build_report(store)
    assert [(r.paper.id, r.paper.title) for r in data.papers] == [("site:lim4349", "Site lim4349")]
    assert "## Site lim4349" in render_markdown(data).splitlines()


def test_a_site_finding_names_each_values_paper_and_no_empty_sources(tmp_path):
    """A site's folded finding holds the values of many papers; its table did not say which
    paper each was of, and its header ended in an empty "sources: "."""
    from reconcile.report_html import render_html

    store = Store(tmp_path / "s.db")
    values = [Value(source=Source.DIGEST, site="lim4349", value="Made Up Lab1", paper_id="arxiv:3105.00301"),
              Value(source=Source.DIGEST, site="lim4349", value="Other Lab22", paper_id="arxiv:3105.00302")]
    finding = Discrepancy(id=f"{9:016x}", paper_id=SITE_PREFIX + "lim4349", kind=Kind.GARBAGE_FIELD,
                          severity=Severity.WARNING, detail="recurring garbage", values=values)
    store.replace_findings([finding], [])
    data = build_report(store)
    lines = render_markdown(data).splitlines()
    assert "`site:lim4349`" in lines
    assert "  | value | source | site | observed at | basis | paper |" in lines
    assert "  | Made Up Lab1 | digest | lim4349 |  |  | arxiv:3105.00301 |" in lines
    page = render_html(data)
    assert "<th>paper</th>" in page and "<td>arxiv:3105.00302</td>" in page
    assert "sources: </p>" not in page
    # A paper's own finding keeps the five columns.
    assert _values_table([Value(source=Source.DIGEST, value=3)])[1] == "  | value | source | site | observed at | basis |"


# -- render_markdown --------------------------------------------------------------------------


def test_a_paper_with_only_document_findings_does_not_end_the_paper_sections():
    doc_only = Paper(id="arxiv:3105.00301", title="Damaged")
    other = Paper(id="arxiv:3105.00302", title="Other", sources=[Source.DIGEST])
    mojibake = _finding(1, doc_only.id, kind=Kind.MOJIBAKE, severity=Severity.ERROR, detail="broken text")
    upvotes = _finding(2, other.id, severity=Severity.WARNING, detail="two counts")
    data = ReportData(database="x.db", generated_at=T, counts=COUNTS,
                      papers=[PaperReport(doc_only, [mojibake]), PaperReport(other, [upvotes])])
    lines = render_markdown(data).splitlines()
    assert "## Damaged" not in lines
    assert lines[lines.index("## Other"):] == [
        "## Other", "", "`arxiv:3105.00302` · sources: digest", "", "- **warning** `upvotes`: two counts",
        "", "  | value | source | site | observed at | basis |", "  |---|---|---|---|---|",
        "  | 2 | digest |  |  |  |"]


def test_the_upvotes_fact_names_its_source_or_none_without_provenance():
    with_prov = Paper(id="arxiv:3105.00401", title="Counted", upvotes=40, upvotes_observed_at=T,
                      sources=[Source.HUGGINGFACE], provenance={"upvotes": {"source": "huggingface"}})
    without = Paper(id="arxiv:3105.00402", title="Uncounted", upvotes=12, sources=[Source.DIGEST])
    data = ReportData(database="x.db", generated_at=T, counts=COUNTS,
                      papers=[PaperReport(with_prov, [_finding(1, with_prov.id)]),
                              PaperReport(without, [_finding(2, without.id)])])
    lines = render_markdown(data).splitlines()
    assert "`arxiv:3105.00401` · sources: huggingface · upvotes 40 (huggingface, 2031-05-06T20:00:00Z)" in lines
    assert "`arxiv:3105.00402` · sources: digest · upvotes 12 (None, None)" in lines
