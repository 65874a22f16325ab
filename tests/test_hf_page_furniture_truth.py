"""False findings from a Hugging Face paper page and a furniture pattern (probe12 V01, V02,
V11): a day is no capture time, a thread count is no comment count, and a title that says
"Submitted by LLMs on OpenReview" is no page furniture. Made-up data only."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from reconcile.checks.base import CheckContext
from reconcile.checks.garbage import check_garbage
from reconcile.furniture import is_page_furniture
from reconcile.models import Observation, Source
from scrapers.pages import huggingface_html, read_page

MTIME = dt.datetime(2026, 7, 20, 12, 0, tzinfo=dt.timezone.utc)
PAPER_URL = "https://huggingface.co/papers/2607.12050"

MARKDOWN = """\
arxiv:2607.12050

# A Made-Up Paper About Paper Boats

Published on Jul 12

Submitted by
[pat](/pat)
on Jul 14

Upvote

60

Authors:

Pat Boat

## Abstract

Boats float.
"""


# -- V01: a front matter date without a time ----------------------------------------------

def test_a_day_only_front_matter_date_is_no_capture_time():
    parsed = huggingface_html.parse_paper_markdown("---\ndate: 2026-07-15\n---\n" + MARKDOWN,
                                                   "file:///tmp/boats.md")
    assert parsed.captured_at is None
    [obs] = parsed.observations
    # The day still resolves the year of "Jul 12" and "Jul 14".
    assert obs.published == dt.date(2026, 7, 12) and obs.listed_on == dt.date(2026, 7, 14)
    assert obs.upvotes == 60


def test_a_day_only_page_is_stamped_by_a_loose_time_not_a_capture():
    body = ("---\ndate: 2026-07-15\n---\n" + MARKDOWN).encode()
    result = read_page("file:///tmp/boats.md", body, {}, mtime=MTIME)
    assert result.document.format == "huggingface-paper-markdown"
    assert not result.document.observed_at_basis.is_capture
    assert result.document.observed_at != dt.datetime(2026, 7, 15, tzinfo=dt.timezone.utc)


def test_a_front_matter_date_with_a_time_is_still_a_capture_time():
    parsed = huggingface_html.parse_paper_markdown(
        "---\ndate: 2026-07-15T09:30:00Z\n---\n" + MARKDOWN, "file:///tmp/boats.md")
    assert parsed.captured_at == dt.datetime(2026, 7, 15, 9, 30, tzinfo=dt.timezone.utc)
    assert parsed.observations[0].published == dt.date(2026, 7, 12)


# -- V02: threads are not comments ------------------------------------------------------------

def _comment(cid: str, replies: list[dict[str, Any]] | None) -> dict[str, Any]:
    comment: dict[str, Any] = {"id": cid, "author": {"user": "reader"},
                               "data": {"latest": {"raw": "made up", "html": "<p>made up</p>"}}}
    if replies is not None:
        comment["replies"] = replies
    return comment


def _page(comments: list[dict[str, Any]], **more: Any) -> str:
    props = {"paper": {"id": "2607.12050", "title": "Paper Boats", "upvotes": 24,
                       "publishedAt": "2026-07-12T17:00:00.000Z", "authors": []},
             "comments": comments, **more}
    data = html.escape(json.dumps(props), quote=True)
    return ('<html><head><title>Paper page - Hugging Face</title></head><body>'
            f'<div class="SVELTE_HYDRATER contents" data-target="PaperContent" data-props="{data}">'
            '</div></body></html>')


def _comments_of(page: str) -> tuple[int | None, str | None]:
    [obs] = huggingface_html.parse_paper_page(page, PAPER_URL).observations
    return obs.comments, obs.extra.get("comments_from")


def test_threads_with_replies_are_not_the_comment_count():
    threads = [_comment("c1", [_comment("r1", []), _comment("r2", [])]),
               _comment("c2", []), _comment("c3", [])]  # 3 threads, 5 comments
    assert _comments_of(_page(threads)) == (None, None)


def test_threads_that_do_not_say_whether_they_have_replies_are_not_counted():
    assert _comments_of(_page([_comment("c1", None), _comment("c2", [])])) == (None, None)


def test_threads_without_replies_are_the_comment_count():
    threads = [_comment("c1", []), _comment("c2", []), _comment("c3", [])]
    assert _comments_of(_page(threads)) == (3, "len(comments)")
    assert _comments_of(_page([])) == (0, "len(comments)")


def test_a_count_field_still_wins_over_the_threads():
    threads = [_comment("c1", [_comment("r1", [])])]
    assert _comments_of(_page(threads, numComments=2)) == (2, "numComments")


# -- V11: a title that says "submitted by ... on" ---------------------------------------------

TITLE = "Detecting Peer Reviews Submitted by LLMs on OpenReview"


def test_a_title_about_submissions_is_not_furniture():
    assert not is_page_furniture(TITLE, "title")
    assert not is_page_furniture("Papers Submitted by Agents on arXiv Are Longer", "title")


def test_the_submitted_by_line_with_a_day_is_still_furniture():
    assert is_page_furniture("Made-Up Title Submitted by someone on Dec 18", "title")
    assert is_page_furniture("Made-Up Title submitted by pat on December 3, 2025", "title")
    assert is_page_furniture("Made-Up Title Submitted by pat on 2026-07-14", "title")
    assert is_page_furniture("Submitted by someone", "title")  # the bare label


def test_no_garbage_finding_on_such_a_title():
    t0 = dt.datetime(2026, 7, 15, 9, 0, tzinfo=dt.timezone.utc)
    observations = [
        Observation(id=i, source=source, site=site, observed_at=t0, arxiv_id="2607.12051", title=TITLE)
        for i, (source, site) in enumerate(((Source.ARXIV, "arxiv.org"),
                                            (Source.HUGGINGFACE, "huggingface.co"),
                                            (Source.DIGEST, "blog")), start=1)]
    assert check_garbage("arxiv:2607.12051", observations, CheckContext(documents={})) == []
