"""Small, exact tests of the ``missing`` check's details that tests/test_checks_missing.py
leaves loose: the value shown for an unranked listing, the cap a heuristic read of
``listed_on`` puts on the finding, the page number read from a ``page=`` query parameter,
and the word shown when a list's time basis is unknown. Each pins a detail string or value
so that a change to it fails a test. Paper ids (3105.xxxxx) and titles are made up."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from reconcile.checks.base import CheckContext
from reconcile.checks.missing import DayList, build_day_lists, check_missing
from reconcile.models import Document, Kind, Observation, Severity, Source, TimeBasis

from .test_checks_missing import D, at, doc

P = "arxiv:3105.00001"
OTHERS = {"arxiv:3105.09999", "arxiv:3105.09998"}


def listing(id_: int, document: Document, day: dt.date = D, arxiv_id: str = "3105.00001",
            **fields) -> Observation:
    return Observation(id=id_, document_id=document.id, source=document.source, site=document.site,
                       observed_at=document.observed_at, arxiv_id=arxiv_id, listed_on=day,
                       title="Counting Lanterns on a Foggy Pier", **fields)


def hf_list(id_: int, papers: set[str], observed_at: dt.datetime, day: dt.date = D) -> DayList:
    return DayList(day, id_, Source.HUGGINGFACE, "huggingface.co", frozenset(papers), observed_at,
                   TimeBasis.RESPONSE, True, f"https://huggingface.co/api/daily_papers?date={day}")


BLOG = doc(1, "digest-daily-json", at(14, 25))


def ctx_with(*lists: DayList, documents=(BLOG,)) -> CheckContext:
    day_lists: dict[dt.date, list[DayList]] = defaultdict(list)
    for lst in lists:
        day_lists[lst.day].append(lst)
    return CheckContext(documents={d.id: d for d in documents}, day_lists=dict(day_lists))


#: The detail of the plain warning: the blog (14:25) lists P, Hugging Face's complete list
#: captured at 20:00 of the same day does not carry it.
WARNING_DETAIL = ("on digest/blog's list of 2026-02-05 (stated capture 2026-02-05T14:25:00Z) but not on "
                  "huggingface.co's complete list of 2026-02-05 (2 papers, response 2026-02-05T20:00:00Z)")


def read_as(reader: str, **rules: str) -> dict:
    return {"read": {"reader": reader, "fields": rules}}


# -- the value shown for a listing -----------------------------------------------------------

def test_a_listing_without_a_rank_is_shown_as_listed_on_its_day_and_nothing_more():
    [found] = check_missing(P, [listing(10, BLOG)], ctx_with(hf_list(100, OTHERS, at(20))))
    assert found.values[0].value == "listed on 2026-02-05"
    assert [v.value for v in found.values] == ["listed on 2026-02-05", "not among the 2 papers of 2026-02-05"]
    assert found.values[0].observation_id == 10


def test_a_ranked_and_an_unranked_listing_of_one_day_are_shown_each_as_they_are():
    letter = doc(2, "digest-top-list", at(15), site="letter")
    ctx = ctx_with(hf_list(100, OTHERS, at(20)), documents=[BLOG, letter])
    [found] = check_missing(P, [listing(10, BLOG, rank=4), listing(12, letter)], ctx)
    assert [(v.site, v.value) for v in found.values] == [
        ("blog", "listed on 2026-02-05 at #4"),
        ("letter", "listed on 2026-02-05"),
        ("huggingface.co", "not among the 2 papers of 2026-02-05")]


# -- a heuristic read of listed_on caps the finding at info -----------------------------------

def test_a_day_the_generic_reader_took_from_a_file_name_only_informs():
    seen = listing(10, BLOG, extra=read_as("digest-generic", listed_on="filename"))
    [found] = check_missing(P, [seen], ctx_with(hf_list(100, OTHERS, at(20))))
    assert (found.kind, found.field, found.severity) == (Kind.MISSING, "listed_on", Severity.INFO)
    assert found.detail == (WARNING_DETAIL + " (info, not warning: digest/blog's listed_on is the generic "
                            "reader's reading (filename))")


def test_an_inferred_day_from_a_written_parser_only_informs_too():
    seen = listing(10, BLOG, extra=read_as("digest-lim4349", listed_on="inferred:post date"))
    [found] = check_missing(P, [seen], ctx_with(hf_list(100, OTHERS, at(20))))
    assert found.severity == Severity.INFO
    assert found.detail == (WARNING_DETAIL + " (info, not warning: digest/blog's listed_on is the generic "
                            "reader's reading (inferred:post date))")


def test_a_stated_day_keeps_the_warning_even_when_another_field_is_a_guess():
    # Only listed_on is the evidence of a missing paper: a guessed upvote count is beside it.
    seen = listing(10, BLOG, upvotes=7,
                   extra=read_as("digest-lim4349", listed_on="filename", upvotes="inferred:thumbs"))
    [found] = check_missing(P, [seen], ctx_with(hf_list(100, OTHERS, at(20))))
    assert (found.severity, found.detail) == (Severity.WARNING, WARNING_DETAIL)
    # A site's own rule is the user's statement, even from the generic reader.
    seen = listing(10, BLOG, extra=read_as("digest-generic", listed_on="site:date heading"))
    [found] = check_missing(P, [seen], ctx_with(hf_list(100, OTHERS, at(20))))
    assert (found.severity, found.detail) == (Severity.WARNING, WARNING_DETAIL)


# -- the page number of a list URL ----------------------------------------------------------

def _crawl_pages(param: str) -> tuple[list[Document], dict[int, list[Observation]], dict[int, str]]:
    """A crawl (id 9) of Hugging Face's list of D after D ended, asked 2 papers a page: page 0
    is full (2 papers), page 1 holds the last one. Neither carries P."""
    base = "https://huggingface.co/api/daily_papers?date=2026-02-05&limit=2"
    after = at(1, 0, D + dt.timedelta(days=1))
    pages = [doc(5 + n, "huggingface-daily-papers", after, TimeBasis.RESPONSE, url=f"{base}&{param}={n}",
                 source=Source.HUGGINGFACE, site="huggingface.co").model_copy(update={"crawl_id": 9})
             for n in (0, 1)]
    items = {5: [listing(21, pages[0], arxiv_id="3105.00021"), listing(22, pages[0], arxiv_id="3105.00022")],
             6: [listing(23, pages[1], arxiv_id="3105.00023")]}
    paper_of = {21: "arxiv:3105.00021", 22: "arxiv:3105.00022", 23: "arxiv:3105.00023"}
    return pages, items, paper_of


def test_a_page_query_parameter_numbers_the_pages_so_a_short_last_page_ends_the_list():
    pages, items, paper_of = _crawl_pages("page")
    [whole] = build_day_lists(pages, items, paper_of)[D]
    assert (whole.complete, whole.partial) == (True, None)
    assert whole.document_ids == frozenset({5, 6}) and whole.papers == frozenset(paper_of.values())
    # The blog's paper is absent from that complete list: a warning against its 3 papers.
    ctx = CheckContext(documents={d.id: d for d in [BLOG, *pages]}, day_lists=build_day_lists(pages, items, paper_of))
    [found] = check_missing(P, [listing(10, BLOG)], ctx)
    assert found.severity == Severity.WARNING
    assert found.detail == ("on digest/blog's list of 2026-02-05 (stated capture 2026-02-05T14:25:00Z) but not "
                            "on huggingface.co's complete list of 2026-02-05 (3 papers, response "
                            "2026-02-06T01:00:00Z)")


def test_page_and_p_number_pages_alike():
    for param in ("p", "page"):
        pages, items, paper_of = _crawl_pages(param)
        [whole] = build_day_lists(pages, items, paper_of)[D]
        assert whole.complete, param
        # The full first page alone is cut: the list may go on.
        [cut] = build_day_lists(pages[:1], items, paper_of)[D]
        assert cut.partial == "its last page holds exactly 2 papers, a page size: the list may go on", param


# -- a list whose time basis is unknown -----------------------------------------------------

def test_a_list_without_a_time_basis_is_partial_and_says_its_time_is_unknown():
    # Document validation refuses a None basis; model_copy(update=...) skips validation, which
    # is the only way to reach this guard (see the report on the x__partial__mutmut_7 mutant).
    hf = doc(5, "huggingface-daily-papers", at(0, 30, D + dt.timedelta(days=1)), TimeBasis.RESPONSE,
             url="https://huggingface.co/api/daily_papers?date=2026-02-05", source=Source.HUGGINGFACE,
             site="huggingface.co").model_copy(update={"observed_at_basis": None})
    items = {5: [listing(21, hf, arxiv_id="3105.00021")]}
    [lst] = build_day_lists([hf], items, {21: "arxiv:3105.00021"})[D]
    assert (lst.complete, lst.observed_at_basis) == (False, None)
    assert lst.partial == "its time is a unknown time, not a capture time, so it may predate the end of 2026-02-05"
    # A partial list is never held against another list.
    ctx = CheckContext(documents={1: BLOG}, day_lists={D: [lst]})
    assert check_missing(P, [listing(10, BLOG)], ctx) == []


def test_the_page_size_asked_is_paging_so_pages_asking_different_sizes_are_one_list():
    pages, items, paper_of = _crawl_pages("page")
    # The second page asked for 3 a page (a crawl that changed its page size midway).
    pages[1] = pages[1].model_copy(update={"url": pages[1].url.replace("limit=2", "limit=3")})
    [whole] = build_day_lists(pages, items, paper_of)[D]
    assert whole.document_ids == frozenset({5, 6}) and whole.complete
