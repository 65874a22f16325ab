"""Exact results of core functions that mutation testing found unpinned.

Each test here pins one behaviour of ``resolve``, ``report``, ``store``, ``models``,
``policy`` and two detectors that a one-token change survived: the other tests either
reached the code only through a subprocess (which mutation testing cannot see), or
checked a weaker property (a prefix, an instant but not its zone, a single list where the
order of several matters). They run in-process on made-up papers (``3105.xxxxx`` ids and
invented titles) and assert whole values, not fragments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import pytest

from reconcile.checks.base import CheckContext
from reconcile.checks.dates import When, _updated_of, check_published
from reconcile.checks.missing import build_day_lists
from reconcile.models import (Discrepancy, Document, Kind, Observation, Paper, Severity, Source, TimeBasis, Value,
                              iso, utc)
from reconcile.policy import name_key
from reconcile.report import PaperReport, ReportData, build_report, render_markdown
from reconcile.resolve import _context, resolve
from reconcile.store import Store, StoreError

UTC = dt.timezone.utc
T = dt.datetime(2031, 5, 6, 9, 0, tzinfo=UTC)
DAY = T.date()
TITLE = "Lantern Routing for Sparse Mixture Models under Tight Memory Budgets"
OTHER_TITLE = "Quiet Harbors: Counting Fireflies with Small Models in the Dark"


def _doc(name: str, source: str, at: dt.datetime = T, fmt: str | None = None, **fields) -> Document:
    """A document of ``source`` at a made-up address, hashed from its name (as in
    tests/test_resolve_adoption.py)."""
    return Document(url=f"https://example.org/{name}", source=source, format=fmt or f"{source}-test",
                    observed_at=at, observed_at_basis="response",
                    sha256=hashlib.sha256(name.encode()).hexdigest(), **fields)


def _links(store: Store) -> list[dict]:
    return list(store.db.query("select * from links order by observation_id"))


# -- resolve ------------------------------------------------------------------------------


def test_the_summary_counts_each_method_once_per_link(tmp_path):
    store = Store(tmp_path / "r.db")
    store.add_documents([
        (_doc("arxiv", "arxiv"), [Observation(source="arxiv", arxiv_id="3105.00101", title=TITLE,
                                              published=DAY)]),
        (_doc("hf", "huggingface"), [Observation(source="huggingface", arxiv_id="3105.00101", title=TITLE,
                                                 listed_on=DAY)]),
        (_doc("blog", "digest"), [Observation(source="digest", site="blog", title=TITLE, listed_on=DAY),
                                  Observation(source="digest", site="blog", title=OTHER_TITLE,
                                              listed_on=DAY)]),
    ])
    summary = resolve(store)
    assert summary.by_method == {"arxiv_id": 1, "hf_id": 1, "title": 1, "unmatched": 1}
    assert (summary.new_observations, summary.linked, summary.unplaced, summary.adopted) == (4, 4, 0, 0)


def test_a_link_an_adoption_moves_reads_as_one_run_would_have_placed_it(tmp_path):
    # Run 1: a digest names the paper by title only, so it becomes a title-only paper.
    store = Store(tmp_path / "a.db")
    store.add_documents([(_doc("blog-1", "digest"), [Observation(source="digest", site="blog", title=TITLE,
                                                                  listed_on=DAY)])])
    resolve(store)
    [first] = _links(store)
    assert first["method"] == "unmatched" and first["paper_id"].startswith("title:")
    # Run 2: the arXiv record arrives with a second digest of the same title. The digest's
    # title is the title-only paper's and the arXiv paper's alike (an exact tie), so it goes
    # to the title-only paper by its own key, and then moves with it when arXiv adopts it.
    later = T + dt.timedelta(hours=3)
    store.add_documents([
        (_doc("arxiv", "arxiv", later), [Observation(source="arxiv", arxiv_id="3105.00101", title=TITLE,
                                                     published=DAY)]),
        (_doc("blog-2", "digest", later), [Observation(source="digest", site="other", title=TITLE,
                                                       listed_on=DAY)]),
    ])
    summary = resolve(store)
    assert (summary.new_observations, summary.linked, summary.adopted) == (2, 2, 1)
    assert [(r["observation_id"], r["paper_id"], r["method"], r["score"], r["detail"]) for r in _links(store)] == [
        (1, "arxiv:3105.00101", "title", 100.0, "same normalized title; dates within 10 days"),  # moved from run 1
        (2, "arxiv:3105.00101", "arxiv_id", 100.0, "arXiv id 3105.00101"),
        (3, "arxiv:3105.00101", "title", 100.0, "same normalized title; dates within 10 days"),  # this run's
    ]
    assert [p.id for p in store.papers()] == ["arxiv:3105.00101"]


def test_the_ranked_lists_gathered_are_those_that_rank_a_checked_paper(tmp_path):
    # One top list: it ranks 3105.00102 but carries 3105.00101 without a rank.
    store = Store(tmp_path / "k.db")
    store.add_documents([(_doc("top", "digest", fmt="digest-top-list"), [
        Observation(source="digest", site="top", arxiv_id="3105.00101", title=TITLE, listed_on=DAY),
        Observation(source="digest", site="top", arxiv_id="3105.00102", title=OTHER_TITLE, listed_on=DAY,
                    rank=1, upvotes=12, extra={"rank_basis": "upvotes"}),
    ])])
    resolve(store)
    unranked = store.observations_of_papers(["arxiv:3105.00101"])
    assert _context(store, unranked).ranked_lists == {}
    ranked = store.observations_of_papers(["arxiv:3105.00102"])
    assert _context(store, ranked).ranked_lists == {1: [(1, 12, "arxiv:3105.00102", "2031-05-06")]}


# -- report -------------------------------------------------------------------------------

COUNTS = {"papers": 1, "observations": 2, "documents": 2, "unlinked": 0, "rejects": 0}


def test_a_value_without_a_time_has_empty_time_and_basis_cells():
    seen = dt.datetime(2031, 5, 6, 20, 0, tzinfo=UTC)
    finding = Discrepancy(id="0123456789abcdef", paper_id="arxiv:3105.00101", kind=Kind.UPVOTES, field="upvotes",
                          severity=Severity.WARNING, detail="two counts",
                          values=[Value(source=Source.HUGGINGFACE, site="huggingface.co", value=40,
                                        observed_at=seen, observed_at_basis=TimeBasis.RESPONSE),
                                  Value(source=Source.DIGEST, site="blog", value=12)])
    paper = Paper(id="arxiv:3105.00101", title=TITLE, sources=[Source.HUGGINGFACE, Source.DIGEST])
    data = ReportData(database="x.db", generated_at=T, counts=COUNTS, papers=[PaperReport(paper, [finding])])
    assert render_markdown(data).splitlines()[-6:] == [
        "- **warning** `upvotes`: two counts",
        "",
        "  | value | source | site | observed at | basis |",
        "  |---|---|---|---|---|",
        "  | 40 | huggingface | huggingface.co | 2031-05-06T20:00:00Z | response |",
        "  | 12 | digest | blog |  |  |",
    ]


def test_known_findings_left_out_are_counted_in_one_sentence(tmp_path):
    store = Store(tmp_path / "k.db")
    paper = Paper(id="arxiv:3105.00101", title=TITLE)
    found = [Discrepancy(id=f"{n:016x}", paper_id=paper.id, kind=kind, severity=Severity.INFO, detail="made up",
                         values=[Value(source=Source.DIGEST, value=n)])
             for n, kind in ((1, Kind.UPVOTES), (2, Kind.COMMENTS))]
    store.save_papers([paper], {paper.id: found})
    assert store.acknowledge([found[0].id], "seen", T) == []
    data = build_report(store, baseline={found[1].id: None})  # one acknowledged, one in the baseline
    assert data.filters["known_not_shown"] == 2 and data.papers == []
    assert render_markdown(data) == (
        "# paper-reconcile report\n\n"
        f"Database `{tmp_path / 'k.db'}`: 1 papers from 0 observations in 0 documents; "
        "0 observations not placed yet; 0 rejects.\n\n"
        "**0 discrepancies** on 0 papers: 0 info, 0 warning, 0 error\n\n"
        "2 known findings (in the baseline or acknowledged) are not shown.\n\n"
        "No discrepancies match the filters.\n")


# -- store --------------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_refused_with_sqlites_reason(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"made-up notes, nothing like a database\n" * 100)
    with pytest.raises(StoreError) as caught:
        Store(notes)
    assert str(caught.value) == f"{notes} is not an SQLite database (file is not a database)"


def test_the_store_numbers_documents_itself_whatever_id_a_document_carries(tmp_path):
    store = Store(tmp_path / "n.db")
    batch = [(_doc(name, "digest", id=41), [Observation(source="digest", site="blog", title=TITLE)])
             for name in ("blog-1", "blog-2")]
    assert store.add_documents(batch) == [1, 2]
    assert sorted(store.documents()) == [1, 2]
    assert [r["document_id"] for r in store.db.query("select document_id from observations order by id")] == [1, 2]


def test_papers_without_ids_are_every_paper_ordered_by_id(tmp_path):
    store = Store(tmp_path / "p.db")
    ids = ["title:00ff00ff00ff00ff", "arxiv:3105.00102", "arxiv:3105.00101"]
    store.save_papers([Paper(id=pid, title=f"Paper {pid}") for pid in ids], {})
    assert [p.id for p in store.papers()] == ["arxiv:3105.00101", "arxiv:3105.00102", "title:00ff00ff00ff00ff"]
    assert [p.title for p in store.papers()] == [
        "Paper arxiv:3105.00101", "Paper arxiv:3105.00102", "Paper title:00ff00ff00ff00ff"]


def test_a_papers_upvote_time_is_stored_in_utc_to_the_second(tmp_path):
    # Pydantic's own JSON would keep the fraction ("2031-05-06T07:30:15.250000Z"); every time
    # in the database is whole seconds in UTC.
    store = Store(tmp_path / "u.db")
    seen = dt.datetime(2031, 5, 6, 9, 30, 15, 250000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    store.save_papers([Paper(id="arxiv:3105.00101", upvotes=40, upvotes_observed_at=seen)], {})
    [row] = store.db.query("select upvotes_observed_at from papers")
    assert row["upvotes_observed_at"] == "2031-05-06T07:30:15Z"
    [paper] = store.papers()
    assert paper.upvotes_observed_at == dt.datetime(2031, 5, 6, 7, 30, 15, tzinfo=UTC)


# -- models -------------------------------------------------------------------------------


@pytest.fixture
def seoul_time(monkeypatch):
    """The process's local zone at UTC+9 (a POSIX zone string: no tz database needed)."""
    monkeypatch.setenv("TZ", "KST-9")
    time.tzset()
    assert time.timezone == -9 * 3600
    yield
    monkeypatch.undo()
    time.tzset()


def test_utc_gives_utc_when_the_local_zone_is_not_utc(seoul_time):
    moment = dt.datetime(2031, 5, 6, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2)))
    converted = utc(moment)
    assert converted.tzinfo is UTC
    assert converted.isoformat() == "2031-05-07T01:30:00+00:00"
    assert iso(moment) == "2031-05-07T01:30:00Z"


# -- policy -------------------------------------------------------------------------------


def test_a_title_ending_in_digits_is_a_title_and_an_organization_with_counters_is_furniture():
    # Rule: page furniture is judged by the field's own rules. A title that ends in a name
    # with digits ("via FP16", "ESP32-C3", a paper titled "0") was judged by the
    # organization's rules, as counters glued to a name, and never merged: the paper had no
    # title, so no title-only paper could be adopted by it (a real post's paper missed).
    from reconcile.models import Observation, Source
    from reconcile.policy import is_garbage, pick

    for title in ("Defeating the Training-Inference Mismatch via FP16", "AM-Thinking-v1", "0"):
        obs = Observation(source=Source.DIGEST, title=title)
        assert not is_garbage("title", title) and pick("title", [obs], {}) is obs
    assert is_garbage("organization", "alibaba-inc3") and is_garbage("organization", "·438 authors2")
    assert is_garbage("title", "Upvote 34")


def test_a_suffix_after_the_comma_is_not_a_first_name():
    assert name_key("Doe, Jr.") == ("doe", "jr")
    assert name_key("Jane Doe, Jr.") == ("jane", "doe", "jr")
    assert name_key("Doe, Jane") == ("jane", "doe")  # a first name after the comma comes first


# -- checks.dates -------------------------------------------------------------------------


def test_a_later_versions_timestamp_keeps_its_instant():
    obs = Observation(source=Source.ARXIV, extra={"updated": "2031-05-20T23:30:00-02:00"})
    assert _updated_of(obs) == When(dt.date(2031, 5, 21), dt.datetime(2031, 5, 21, 1, 30, tzinfo=UTC))
    assert _updated_of(Observation(source=Source.ARXIV, extra={"updated": "2031-05-20"})) == \
        When(dt.date(2031, 5, 20))


def test_a_date_of_a_later_version_names_that_versions_time():
    arxiv = Observation(id=1, document_id=1, source=Source.ARXIV, site="arxiv.org", arxiv_id="3105.00101",
                        published=dt.date(2031, 5, 4),
                        extra={"published_at": "2031-05-04T18:00:00Z", "updated": "2031-05-20T09:30:00Z"})
    lens = Observation(id=2, document_id=2, source=Source.ARXIVLENS, site="arxivlens.com", arxiv_id="3105.00101",
                       published=dt.date(2031, 5, 20))
    [found] = check_published("arxiv:3105.00101", [arxiv, lens], CheckContext(documents={}))
    assert found.severity == Severity.INFO
    assert found.detail == (
        "published differs from arxiv.org's: arxivlens.com says 2031-05-20 "
        "(16 days after arxiv.org's v1 date 2031-05-04T18:00:00Z): "
        "the date of a later version (updated 2031-05-20T09:30:00Z)")


# -- checks.missing -----------------------------------------------------------------------

HF = "huggingface-daily-papers"


def _hf_list(id_: int, at: dt.datetime) -> Document:
    return Document(id=id_, url=f"https://huggingface.co/api/daily_papers?date={DAY}&n={id_}",
                    source=Source.HUGGINGFACE, site="huggingface.co", format=HF, observed_at=at,
                    observed_at_basis=TimeBasis.RESPONSE, sha256=f"{id_:064x}")


def _listed(id_: int, doc: Document, arxiv_id: str) -> Observation:
    return Observation(id=id_, document_id=doc.id, source=doc.source, site=doc.site, observed_at=doc.observed_at,
                       arxiv_id=arxiv_id, listed_on=DAY)


def test_documents_of_other_formats_are_passed_over_not_the_end_of_the_lists():
    blog = Document(id=1, url="https://example.org/blog", source=Source.DIGEST, site="blog",
                    format="digest-daily-json", observed_at=T, observed_at_basis=TimeBasis.PUBLISHED,
                    sha256="1" * 64)
    no_id = _hf_list(2, T).model_copy(update={"id": None})
    hf = _hf_list(3, T + dt.timedelta(days=1))
    items = {1: [_listed(10, blog, "3105.00101")], 3: [_listed(30, hf, "3105.00101")]}
    lists = build_day_lists([blog, no_id, hf], items, {10: "arxiv:3105.00101", 30: "arxiv:3105.00101"})
    assert list(lists) == [DAY]
    assert [(lst.document_id, lst.papers, lst.complete) for lst in lists[DAY]] == [
        (3, frozenset({"arxiv:3105.00101"}), True)]


def test_the_lists_of_a_day_are_ordered_by_capture_time_then_document():
    after = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(1, 0), UTC)
    docs = [_hf_list(8, after + dt.timedelta(hours=1)), _hf_list(7, after), _hf_list(6, after)]
    items = {d.id: [_listed(d.id * 10, d, "3105.00101")] for d in docs}
    lists = build_day_lists(docs, items, {d.id * 10: "arxiv:3105.00101" for d in docs})
    assert [(lst.document_id, lst.observed_at) for lst in lists[DAY]] == [
        (6, after), (7, after), (8, after + dt.timedelta(hours=1))]
