"""An item one of whose fields the model refuses is kept without that field, with a problem
saying which and why (``scrapers.pages.base.build``); and an author line of one huge word
is read in linear time (``item_fields._NAME_MARKS``). All text here is made up."""

from __future__ import annotations

import datetime as dt
import time

from scrapers.pages import read_page
from scrapers.pages.base import Parsed, build
from scrapers.pages.digests.item_fields import split_authors
from reconcile.models import Source

SEEN = dt.datetime(2031, 5, 6, 12, 0, tzinfo=dt.timezone.utc)
WORD = "a" * 200_000
POST = (f"# Made-up daily papers 2031-05-06\n\n"
        f"1. [A Made-Up Study of Lanterns](https://arxiv.org/abs/3105.00101)\n   Authors: {WORD}\n   Upvotes: 12\n"
        f"2. [Another Made-Up Study](https://arxiv.org/abs/3105.00202)\n   Authors: Ana Li, Bo Chen\n   Upvotes: 9\n")


def test_a_refused_field_is_left_empty_and_the_item_kept():
    parsed = Parsed()
    build(parsed, "excerpt", source=Source.DIGEST, arxiv_id="3105.00101", title="Lanterns", upvotes=-3,
          authors=["Ana Li"])
    [obs] = parsed.observations
    assert (obs.arxiv_id, obs.title, obs.upvotes, obs.authors) == ("3105.00101", "Lanterns", None, ["Ana Li"])
    [problem] = parsed.problems
    assert problem.reason.startswith("an item's upvotes (left empty; the item is kept): observation.upvotes:")


def test_two_refused_values_of_one_field_are_left_empty_together():
    """Two author names over the limit are two errors of one field: the item is kept
    (the first version compared the count of fields with the count of errors)."""
    parsed = Parsed()
    build(parsed, "excerpt", source=Source.DIGEST, arxiv_id="3105.00101", authors=["a" * 600, "b" * 600])
    [obs] = parsed.observations
    assert obs.authors == [] and parsed.problems[0].reason.startswith("an item's authors (left empty")


def test_an_item_whose_identity_is_refused_is_not_kept():
    parsed = Parsed()
    build(parsed, "excerpt", source="not a source", arxiv_id="3105.00101")
    assert parsed.observations == [] and "observation.source" in parsed.problems[0].reason


def test_a_post_with_a_huge_author_word_keeps_its_items():
    """The page was rejected whole: the address pattern was tried at every letter of the
    word (quadratic: past the reader's 30 s limit), and then the item's author "name" of
    200,000 letters failed validation, leaving no papers."""
    started = time.perf_counter()
    assert split_authors(WORD)[0] == [WORD]
    assert time.perf_counter() - started < 5  # quadratic took minutes; linear takes well under a second
    result = read_page("file:///x/2031-05-06-digest.md", POST.encode(), {}, mtime=SEEN)
    got = sorted((o.arxiv_id, o.upvotes, tuple(o.authors)) for o in result.observations)
    assert got == [("3105.00101", 12, ()), ("3105.00202", 9, ("Ana Li", "Bo Chen"))]
    assert any("authors (left empty; the item is kept)" in p.reason for p in result.problems)
