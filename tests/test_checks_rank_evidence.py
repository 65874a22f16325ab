"""Issue 11: rank findings that hold up (ties, explained moves, a site's own history), and
severity capped by the weakest evidence a finding rests on.

Lists, ids and counts are made up (ids in the unused 3105 range) except where a test says it
mirrors a case from the samples.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from reconcile.checks.base import CheckContext
from reconcile.checks.counts import check_upvotes
from reconcile.checks.evidence import cap, heuristic, weakness
from reconcile.checks.rank import check_rank, rank_range
from reconcile.models import Document, Observation, Severity, Source, TimeBasis

UTC = dt.timezone.utc
DAY = dt.date(2031, 5, 6)
PAPER = "arxiv:3105.00031"


def doc(did: int, site: str, hour: int, basis: TimeBasis = TimeBasis.STATED_CAPTURE) -> Document:
    return Document(id=did, url=f"https://{site}/{did}", source=Source.DIGEST, site=site, format="test",
                    observed_at=dt.datetime(2031, 5, 6, hour, tzinfo=UTC), observed_at_basis=basis,
                    sha256=hashlib.sha256(str(did).encode()).hexdigest())


def item(oid: int, d: Document, rank: int, upvotes: int | None, reader: str | None = None) -> Observation:
    extra = {"rank_basis": "upvotes"}
    if reader:
        extra["read"] = {"reader": reader, "fields": {"rank": "numbering", "upvotes": "marker:N upvotes"}}
    return Observation(id=oid, document_id=d.id, source=d.source, site=d.site, observed_at=d.observed_at,
                       arxiv_id="3105.00031", rank=rank, upvotes=upvotes, listed_on=DAY, extra=extra)


def ranked(*rows: tuple[int, int | None, str]) -> list[tuple]:
    """A document's ranked items as the store gives them, on the day of ``item``'s lists."""
    return [(*row, DAY.isoformat()) for row in rows]


def test_rank_range_allows_any_order_among_ties():
    rows = [(1, 90, "a"), (2, 50, "b"), (3, 50, PAPER), (4, 10, "c")]  # one day's (rank, upvotes, paper)
    assert rank_range(rows, PAPER, 50) == (2, 3)
    assert rank_range(rows, PAPER, 95) == (1, 1)
    assert rank_range([(1, None, "a"), (2, 5, PAPER)], PAPER, 5) is None  # a count not shown
    # Items above it were not read (refused, untitled): their counts are unknown.
    assert rank_range([(3, 50, PAPER), (4, 40, "a")], PAPER, 50) is None


def test_a_paper_tied_after_another_rose_is_explained():
    """Mirrors 2601.10305 in the samples: in the later list it is tied at 31 with a paper that
    rose from 29, so its move from 30 to 31 is what the counts say."""
    morning, evening = doc(1, "heron.example", 3), doc(2, "wren.example", 14)
    a, b = item(10, morning, 30, 40), item(20, evening, 31, 40)
    ctx = CheckContext({1: morning, 2: evening}, ranked_lists={
        1: ranked(*((r, 100 - r, f"p{r}") for r in range(1, 30)), (30, 40, PAPER), (31, 39, "arxiv:3105.00032")),
        2: ranked(*((r, 100 - r, f"p{r}") for r in range(1, 30)), (30, 40, "arxiv:3105.00032"), (31, 40, PAPER)),
    })
    [found] = check_rank(PAPER, [a, b], ctx)
    assert found.severity == Severity.INFO
    assert "tied with 3105.00032" in found.detail and "explain its rank" in found.detail


def test_an_unexplained_move_warns_only_on_strong_evidence():
    one, two = doc(1, "heron.example", 3), doc(2, "wren.example", 14)
    lists = {1: ranked((1, 90, "x"), (2, 50, PAPER)), 2: ranked((1, 90, "x"), (2, 70, "y"), (3, 10, "z"),
                                                                (4, 60, PAPER))}
    [found] = check_rank(PAPER, [item(10, one, 2, 50), item(20, two, 4, 60)], CheckContext({1: one, 2: two},
                                                                                           ranked_lists=lists))
    assert found.severity == Severity.WARNING and "its counts place it #3" in found.detail
    # The same lists read by the generic reader: a heuristic read informs, never warns.
    [weak] = check_rank(PAPER, [item(10, one, 2, 50, "digest-generic"), item(20, two, 4, 60, "digest-generic")],
                        CheckContext({1: one, 2: two}, ranked_lists=lists))
    assert weak.severity == Severity.INFO and "generic reader" in weak.detail


def test_two_captures_of_one_site_are_its_history_not_a_disagreement():
    """Mirrors daily-2025-12-18.json and its 03:14Z snapshot: one site, two captures."""
    early, late = doc(1, "heron.example", 3), doc(2, "heron.example", 14)
    lists = {1: ranked((1, 90, "x"), (2, 50, PAPER)), 2: ranked((1, 90, "x"), (2, 70, "y"), (3, 60, PAPER))}
    assert check_rank(PAPER, [item(10, early, 2, 50), item(20, late, 3, 60)],
                      CheckContext({1: early, 2: late}, ranked_lists=lists)) == []


def test_counts_on_loose_times_or_heuristic_reads_only_inform():
    post, api = doc(1, "heron.example", 3, TimeBasis.PUBLISHED), doc(2, "wren.example", 14)
    found = check_upvotes(PAPER, [item(10, post, 1, 190), item(20, api, 1, 194)], CheckContext({1: post, 2: api}))
    assert found[0].severity == Severity.INFO and "publication time" in found[0].detail
    # Two capture times and a fall: a warning when a digest repeats the counts second hand,
    # an error only between the source's own numbers.
    a, b = doc(1, "heron.example", 3), doc(2, "wren.example", 14)
    found = check_upvotes(PAPER, [item(10, a, 1, 194), item(20, b, 1, 160)], CheckContext({1: a, 2: b}))
    assert found[0].severity == Severity.WARNING and "repeats the count second hand" in found[0].detail
    hf_a, hf_b = (d.model_copy(update={"source": Source.HUGGINGFACE}) for d in (a, b))
    own = [o.model_copy(update={"source": Source.HUGGINGFACE}) for o in (item(10, a, 1, 194), item(20, b, 1, 160))]
    found = check_upvotes(PAPER, own, CheckContext({1: hf_a, 2: hf_b}))
    assert found[0].severity == Severity.ERROR
    found = check_upvotes(PAPER, [item(10, a, 1, 194), item(20, b, 1, 160, "digest-generic")],
                          CheckContext({1: a, 2: b}))
    assert found[0].severity == Severity.INFO and "marker:N upvotes" in found[0].detail
    assert "Settled by" in found[0].detail


def test_a_fall_against_a_crawl_time_stated_without_a_zone_only_informs():
    # A crawler's zone-less 10:30 (maybe KST, 01:30Z) against Hugging Face at 02:00Z: read
    # as UTC it puts 33 after 40, a fall that the zone, if Korean, would make growth.
    naive = doc(1, "kr-crawler", 10, TimeBasis.STATED_NAIVE)
    api = doc(2, "huggingface.co", 2).model_copy(update={"source": Source.HUGGINGFACE,
                                                          "observed_at_basis": TimeBasis.RESPONSE})
    hf = item(20, api, 1, 40).model_copy(update={"source": Source.HUGGINGFACE})
    [found] = check_upvotes(PAPER, [item(10, naive, 1, 33), hf], CheckContext({1: naive, 2: api}))
    assert found.severity == Severity.INFO
    assert "a capture time it states without a time zone" in found.detail


def test_a_site_configured_rule_is_stated_not_heuristic():
    obs = item(1, doc(1, "heron.example", 3), 1, 5, "digest-generic")
    assert heuristic(obs, "upvotes")
    obs.extra["read"]["fields"]["upvotes"] = "site:heron counts votes as upvotes"
    assert heuristic(obs, "upvotes") is None
    assert weakness([obs], ("upvotes",), CheckContext({1: doc(1, "heron.example", 3)})) == []
    assert cap(Severity.ERROR, "x", []) == (Severity.ERROR, "x")
    assert cap(Severity.WARNING, "x", ["why"]) == (Severity.INFO, "x (info, not warning: why)")


def test_a_sites_latest_capture_prefers_a_known_time_and_breaks_full_ties_by_rank():
    from reconcile.checks.rank import _latest_per_site

    d = doc(1, "heron.example", 9)
    timed, untimed = item(1, d, 2, 40), item(2, d, 4, 30).model_copy(update={"observed_at": None})
    ctx = CheckContext(documents={1: d})
    for group in ([timed, untimed], [untimed, timed]):
        assert _latest_per_site(group, ctx) == [timed]
    # Two items of one capture, alike but for rank (the list repeats the paper): where it
    # first appears stands, in any order.
    low, high = item(3, d, 3, 40), item(4, d, 5, 40)
    for group in ([low, high], [high, low]):
        assert _latest_per_site(group, ctx) == [low]


def test_a_list_that_repeats_the_paper_ranks_it_where_it_first_appears():
    # W 50, X 40, X 40, Y 35, Z 20 (a crawler that paged a changing list) beside W, X, Y, Z:
    # both rank X #2; the repeat at #3 gave "the counts do not explain it" (probe28 s10).
    one, two = doc(1, "heron.example", 3), doc(2, "wren.example", 14)
    lists = {1: ranked((1, 50, "w"), (2, 40, PAPER), (3, 35, "y"), (4, 20, "z")),
             2: ranked((1, 50, "w"), (2, 40, PAPER), (3, 40, PAPER), (4, 35, "y"), (5, 20, "z"))}
    ctx = CheckContext({1: one, 2: two}, ranked_lists=lists)
    assert check_rank(PAPER, [item(10, one, 2, 40), item(20, two, 2, 40), item(21, two, 3, 40)], ctx) == []


def test_a_list_whose_items_above_the_paper_were_not_read_informs_only():
    """The digest ranks it #3 of the day; its two items above were refused (no title), so
    only two are read: its counts cannot say whether #3 is right. Made up."""
    hf, post = doc(1, "huggingface.co", 3), doc(2, "heron.example", 14)
    a, b = item(10, hf, 1, 52), item(20, post, 3, 50)
    ctx = CheckContext({1: hf, 2: post}, ranked_lists={
        1: ranked((1, 52, PAPER), (2, 41, "arxiv:3105.00032")),
        2: ranked((3, 50, PAPER), (4, 40, "arxiv:3105.00032"))})
    [found] = check_rank(PAPER, [a, b], ctx)
    assert found.severity == Severity.INFO
    assert "#3 in heron.example (50 upvotes; not every item of the list was read)" in found.detail


def test_a_weekly_recap_ranks_each_days_list_apart():
    """A recap ranks Monday's and Tuesday's lists apart; Monday's counts say nothing of a
    rank on Tuesday's list. Made up."""
    hf, recap = doc(1, "huggingface.co", 3), doc(2, "heron.example", 14)
    a, b = item(10, hf, 2, 45), item(20, recap, 1, 45)
    ctx = CheckContext({1: hf, 2: recap}, ranked_lists={
        1: [(1, 60, "arxiv:3105.00032", "2031-05-06"), (2, 45, PAPER, "2031-05-06")],
        2: [(1, 90, "arxiv:3105.00031", "2031-05-05"), (2, 80, "arxiv:3105.00033", "2031-05-05"),
            (1, 45, PAPER, "2031-05-06"), (2, 30, "arxiv:3105.00034", "2031-05-06")]})
    [found] = check_rank(PAPER, [a, b], ctx)
    assert "#1 in heron.example (45 upvotes)" in found.detail and "its counts place it" not in found.detail
