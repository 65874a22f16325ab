"""Defects probe28 found with made-up data (rank, quirks, days, ids, counts), each with a test
that fails on the code before its fix. The inputs are written here."""

from __future__ import annotations

import datetime as dt
import json

from scrapers.pages import read_page


def _daily_json(likes: list[int], crawled_at: str = "2026-11-11T03:00:00") -> bytes:
    papers = [{"title": f"Made-up Paper Number {i}", "url": f"https://huggingface.co/papers/2611.0110{i}",
               "likes": n, "paper_link": f"https://arxiv.org/abs/2611.0110{i}"} for i, n in enumerate(likes)]
    return json.dumps({"date": "2026-11-10", "crawled_at": crawled_at, "total_papers": len(papers),
                       "papers": papers}).encode()


URL = "https://raw.githubusercontent.com/lim4349/lim4349.github.io/HEAD/_data/papers/daily-2026-11-10.json"


def test_a_list_whose_every_item_says_0_upvotes_states_no_counts():
    # A crawl that read 0 likes for every paper (the real lim4349 JSON of 2025-11-05 does):
    # kept, each was "fell from 44 to 0" against Hugging Face's count, and the merged count.
    result = read_page(URL, _daily_json([0, 0, 0, 0]))
    assert [o.upvotes for o in result.observations] == [None] * 4
    assert any("every one of its 4 items says 0 upvotes" in p.reason for p in result.problems)
    # Counts of which some are 0, and two items that say 0, are counts.
    assert [o.upvotes for o in read_page(URL, _daily_json([5, 0, 0])).observations] == [5, 0, 0]
    assert [o.upvotes for o in read_page(URL, _daily_json([0, 0])).observations] == [0, 0]


def test_a_capture_time_after_the_moment_of_reading_is_not_used():
    # A crawler whose clock ran a year ahead: its list outranked every real capture for good.
    ahead = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%S")
    saved = dt.datetime(2026, 11, 12, tzinfo=dt.timezone.utc)  # the saved file's time
    result = read_page(URL, _daily_json([9, 5, 3], crawled_at=ahead), mtime=saved)
    assert result.document.observed_at == saved and result.document.observed_at_basis.value == "file_mtime"
    assert result.document.observed_at <= dt.datetime.now(dt.timezone.utc)
    assert any("the capture time it states" in p.reason and "is after the moment it was read" in p.reason
               for p in result.problems)
    # A time of the past, and one a few minutes ahead (a clock's skew), are kept.
    kept = read_page(URL, _daily_json([9, 5, 3], crawled_at="2026-11-11T03:00:00"))
    assert kept.document.observed_at == dt.datetime(2026, 11, 11, 3, tzinfo=dt.timezone.utc)
    soon = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%S")
    assert read_page(URL, _daily_json([9, 5, 3], crawled_at=soon)).document.observed_at_basis.value == "stated_capture"


def test_a_capture_time_after_our_response_is_not_used():
    fetched = dt.datetime(2026, 11, 11, 2, 0, tzinfo=dt.timezone.utc)
    result = read_page(URL, _daily_json([9, 5, 3], crawled_at="2026-11-11T05:00:00"), fetched_at=fetched)
    assert result.document.observed_at == fetched


def _doc(name: str, source: str, at: dt.datetime, basis: str = "response", fmt: str | None = None,
         url: str | None = None):
    import hashlib

    from reconcile.models import Document

    return Document(url=url or f"https://example.org/{name}", source=source, format=fmt or f"{source}-test",
                    observed_at=at, observed_at_basis=basis, sha256=hashlib.sha256(name.encode()).hexdigest())


def test_an_item_whose_own_title_names_another_paper_gives_its_id_no_value(tmp_path):
    # A digest gives X's title and count under a mistyped id (2611.00410 for 00401): its count
    # became 00410's merged count and its listing a `missing` warning, though Hugging Face's
    # list carries X, the paper its title names (probe28 s03).
    from reconcile.models import Kind, Observation, Severity
    from reconcile.resolve import resolve
    from reconcile.store import Store

    day, end = dt.date(2026, 11, 10), dt.datetime(2026, 11, 11, 1, tzinfo=dt.timezone.utc)
    x, other = "Sparse Mixture Routing for Hour-Long Video Understanding", "Quantum Annealing Schedules for Portfolios"
    store = Store(tmp_path / "p.db")
    store.add_documents([
        (_doc("arxiv", "arxiv", end), [Observation(source="arxiv", arxiv_id="2611.00401", title=x),
                                       Observation(source="arxiv", arxiv_id="2611.00410", title=other)]),
        (_doc("hf", "huggingface", end, fmt="huggingface-daily-papers",
              url="https://huggingface.co/api/daily_papers?date=2026-11-10"), [Observation(source="huggingface", arxiv_id="2611.00401", title=x,
                                                      upvotes=44, listed_on=day)]),
        (_doc("blog", "digest", end + dt.timedelta(hours=2), "stated_capture"),
         [Observation(source="digest", site="blog", arxiv_id="2611.00410", title=x, upvotes=44, listed_on=day)]),
    ])
    resolve(store)
    [paper] = store.papers(["arxiv:2611.00410"])
    assert paper.upvotes is None and "digest" in [s.value for s in paper.sources]
    found = {d.kind: d for d in store.discrepancies() if d.paper_id == "arxiv:2611.00410"}
    assert found[Kind.MISSING].severity == Severity.INFO
    assert "the id it gives may name another paper" in found[Kind.MISSING].detail
    assert found[Kind.TITLE].severity == Severity.WARNING  # the two titles, shown as they are


def test_a_cut_translated_or_mistyped_title_is_the_papers_own():
    from reconcile.checks.titles import own_title_disagrees
    from reconcile.models import Observation

    paper = Observation(id=1, source="arxiv", arxiv_id="2611.00401",
                        title="Sparse Mixture Routing for Hour-Long Video Understanding")
    items = [Observation(id=n, source="digest", arxiv_id="2611.00401", title=t) for n, t in (
        (2, "Sparse Mixture Routing for Hour-Long..."), (3, "긴 동영상 이해를 위한 희소 전문가 라우팅"),
        (4, "Sparse Mixture Routing for Hour-Long Video Understandng"), (5, "Quantum Annealing for Portfolios"))]
    links = {n: ("arxiv_id", 100.0, None) for n in range(2, 6)}
    assert list(own_title_disagrees([paper, *items], links)) == [5]
    # An item linked by its title is the title's paper: nothing to contradict.
    assert own_title_disagrees([paper, *items], {5: ("title", 91.0, None)}) == {}


def test_an_item_whose_two_links_name_two_papers_gives_no_id():
    body = json.loads(_daily_json([9, 5, 3]))
    body["papers"][0]["url"] = "https://huggingface.co/papers/2611.00601"
    body["papers"][0]["paper_link"] = "https://arxiv.org/abs/2611.00610"
    result = read_page(URL, json.dumps(body).encode())
    first = result.observations[0]
    assert first.arxiv_id is None and first.title == "Made-up Paper Number 0" and first.upvotes == 9
    assert any("links name two papers (2611.00610 and 2611.00601)" in p.reason for p in result.problems)
    assert [o.arxiv_id for o in result.observations[1:]] == ["2611.01101", "2611.01102"]


def test_a_fall_seen_when_a_list_comes_back_unchanged_is_told(tmp_path):
    # One address read as 50 at 10:00, 52 at 12:00 and 50 again at 14:00: the 14:00 answer
    # is a sighting of the 10:00 one, and the fall from 52 to 50 was never told (probe28 s08).
    from reconcile.models import Observation, Severity
    from reconcile.resolve import resolve
    from reconcile.store import Store

    url = "https://huggingface.co/api/daily_papers?date=2026-11-10"
    store = Store(tmp_path / "p.db")

    def capture(name: str, hour: int, upvotes: int):
        doc = _doc(name, "huggingface", dt.datetime(2026, 11, 10, hour, tzinfo=dt.timezone.utc),
                   fmt="huggingface-daily-papers", url=url)
        store.add_documents([(doc, [Observation(source="huggingface", arxiv_id="2611.00951", title="A Paper",
                                                upvotes=upvotes, listed_on=dt.date(2026, 11, 10))])])
        resolve(store)

    capture("a", 10, 50)
    capture("b", 12, 52)
    capture("a", 14, 50)  # the same content as at 10:00
    [found] = [d for d in store.discrepancies() if d.kind.value == "upvotes"]
    assert found.severity == Severity.ERROR
    assert "fell from 52 (huggingface, 2026-11-10T12:00:00Z) to 50 (huggingface, 2026-11-10T14:00:00Z)" in found.detail
