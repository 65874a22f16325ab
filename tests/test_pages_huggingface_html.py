"""Hugging Face date pages, paper pages and a paper page saved as Markdown.

The HTML fixtures are made up here (titles, names and text are ours), in the shape the
structure notes of ../shared describe: a Svelte hydration island whose ``data-props``
attribute holds entity-escaped JSON. The Markdown sample of ../shared is read at run time.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import pytest

import scrapers.pages as pages
from reconcile.models import Source, TimeBasis
from scrapers.pages import PageError, huggingface, huggingface_html, read_page
from scrapers.pages.huggingface_html import (
    DATE_PAGE_FORMAT,
    PAPER_MARKDOWN_FORMAT,
    PAPER_PAGE_FORMAT,
    resolve_day,
)

from .loopback import daily_paper
from .support import SHARED, needs_shared

HF = "https://huggingface.co"
DAY_URL = f"{HF}/papers/date/2026-02-05"
PAPER_URL = f"{HF}/papers/2602.20001"
SAMPLES = SHARED / "samples" / "hf-papers-html" if SHARED else None
MTIME = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)


# -- fixtures: made-up pages -----------------------------------------------------------------

def escaped(props: Any) -> str:
    """JSON as Hugging Face puts it in an attribute: every quote an ``&quot;``."""
    return html.escape(json.dumps(props, ensure_ascii=False), quote=True)


def page(main: str, title: str = "Hugging Face") -> str:
    """A page with the site's furniture around ``main``."""
    return (
        '<!doctype html>\n<html class=""><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><div class=\"flex min-h-dvh flex-col\">"
        '<header><div class="SVELTE_HYDRATER contents" data-target="MainHeader" '
        f'data-props="{escaped({"classNames": "", "isWide": False})}"><nav><a href="/">Hugging Face</a>'
        '<a href="/models">Models</a></nav></div></header>\n'
        f'<main class="flex flex-1 flex-col">{main}</main>\n'
        '<footer><a href="/terms-of-service">TOS</a></footer></div></body></html>\n'
    )


def date_page_html(items: Any, *, key: str = "dailyPapers", props: str | None = None) -> str:
    """A date page: a ``DailyPapers`` island holding ``items`` under ``key`` (or the raw,
    already escaped ``props``), with visible cards that disagree with the data on purpose."""
    raw = props if props is not None else escaped({key: items, "date": "2026-02-05"})
    cards = "".join(
        f'<article><h3><a href="/papers/x">Visible card {n}</a></h3><span>999</span></article>'
        for n in range(2))
    return page(f'<div class="SVELTE_HYDRATER contents" data-target="DailyPapers" '
                f'data-props="{raw}"><section><h1>Daily Papers</h1>{cards}</section></div>',
                "Daily Papers - Hugging Face")


def paper_props(arxiv_id: str = "2602.20001", **more: Any) -> dict[str, Any]:
    """The props of a paper page: ``paper`` plus comments, rank and upvoters."""
    paper = {
        "id": arxiv_id,
        "authors": [{"_id": "u1", "name": "Ada  Example", "hidden": False, "status": "admin"},
                    {"_id": "u2", "name": "Quiet Coauthor", "hidden": True}],
        "publishedAt": "2026-02-03T17:59:58.000Z",
        "submittedOnDailyAt": "2026-02-04T06:12:00.000Z",
        "title": "Folding Paper Cranes\n with Small Robots",
        "submittedOnDailyBy": {"_id": "s1", "fullname": "Sam Submitter", "user": "samsub",
                               "type": "user"},
        "summary": "We teach a toy arm to fold paper & report made-up numbers.",
        "upvotes": 57,
        "discussionId": "d1",
        "githubRepo": "https://github.com/example/cranes",
        "githubStars": 12,
        "projectPage": "https://example.org/cranes",
        "ai_summary": "A toy arm folds cranes.",
        "ai_keywords": ["origami", "robot arm"],
        "organization": {"_id": "o1", "name": "crane-lab", "fullname": "Crane Lab"},
    }
    comment = {"id": "c1", "author": {"user": "samsub"}, "type": "comment",
               "data": {"latest": {"raw": "Code soon @reader", "html": "<p>Code soon</p>"},
                        "reactions": [{"reaction": "🔥", "users": ["a"], "count": 1}]},
               "replies": [{"id": "r1", "data": {"latest": {"raw": "thanks"}}}]}
    props = {"paper": paper, "comments": [comment, {**comment, "id": "c2"}, {**comment, "id": "c3"}],
             "dailyPaperRank": 3, "upvoted": False, "canSubmit": False,
             "upvoters": [{"_id": "v1", "user": "reader", "type": "user"}],
             "markdownContentUrl": None, "query": {}}
    props.update(more)
    return props


def paper_page_html(props: Any | None = None, *, raw: str | None = None) -> str:
    """A paper page: a user-mention island inside the visible comments first (it holds no
    paper), then the page island with ``props`` (or the raw, escaped ``raw``)."""
    data = raw if raw is not None else escaped(props if props is not None else paper_props())
    mention = ('<div class="comment"><p>Code soon <span class="SVELTE_PARTIAL_HYDRATER contents" '
               f'data-target="UserMention" data-props="{escaped({"user": "reader"})}">'
               '@reader</span></p></div>')
    return page(f'<section class="visible-comments">{mention}</section>'
                f'<div class="SVELTE_HYDRATER contents" data-target="PaperContent" '
                f'data-props="{data}"><h1>Visible Title That Differs</h1>'
                '<div>Upvote 999</div></div>', "Paper page - Hugging Face")


def test_the_formats_are_registered_in_sniffing_order():
    names = [f.name for f in pages.FORMATS]
    mine = [names.index(f.name) for f in huggingface_html.FORMATS]
    assert mine == sorted(mine), "date page, then paper page, then Markdown"
    digests = [i for i, f in enumerate(pages.FORMATS) if f.name.startswith("digest-")]
    assert max(mine) < min(digests)


# -- date pages ------------------------------------------------------------------------------

def day_items() -> list[dict[str, Any]]:
    first = daily_paper("2602.20001", "Knots & <Loops> in Café Graphs", 40, "2026-02-05", comments=4)
    first["paper"]["organization"] = {"name": "knot-lab", "fullname": "Knot Lab"}
    first["submittedBy"] = {"name": "kira", "fullname": "Kira K"}
    first["paper"]["githubRepo"] = "https://github.com/example/knots"
    return [first, daily_paper("2602.20002v2", "Small Lamps for Big Rooms", 9, "2026-02-05")]


def test_a_date_page_reads_its_items_exactly_as_the_api_would():
    items = day_items()
    parsed = huggingface_html.parse_date_page(date_page_html(items), DAY_URL)
    api = huggingface.parse(json.dumps(items), f"{HF}/api/daily_papers?date=2026-02-05")
    assert not parsed.problems and parsed.site == "huggingface.co"
    assert [o.model_dump() for o in parsed.observations] == [o.model_dump() for o in api.observations]
    first, second = parsed.observations
    # From the attribute's JSON, unescaped; the visible cards ("Visible card", 999) are ignored.
    assert first.title == "Knots & <Loops> in Café Graphs"
    assert (first.arxiv_id, first.upvotes, first.comments) == ("2602.20001", 40, 4)
    assert first.organization == "Knot Lab"
    assert first.extra["submitter"] == "kira" and first.extra["position"] == 1
    assert first.extra["github_repo"] == "https://github.com/example/knots"
    assert first.listed_on == dt.date(2026, 2, 5) and first.published == dt.date(2026, 2, 5)
    assert (second.arxiv_id, second.arxiv_version, second.extra["position"]) == ("2602.20002", 2, 2)


def test_a_date_page_falls_back_to_the_papers_key_and_to_the_day_in_its_url():
    item = daily_paper("2602.20003", "Quiet Day Paper", 2, "2026-02-04")
    del item["paper"]["submittedOnDailyAt"]
    parsed = huggingface_html.parse_date_page(date_page_html([item], key="papers"), DAY_URL)
    [obs] = parsed.observations
    assert obs.listed_on == dt.date(2026, 2, 5)
    assert obs.extra["listed_on_from"] == "request" and obs.extra["list_key"] == "papers"
    # A week page names no day, and an item of the current schema without
    # submittedOnDailyAt states none: its own publishedAt is the paper's publication
    # shifted to US Eastern (a day before it at times), no listing day.
    week = huggingface_html.parse_date_page(date_page_html([item]), f"{HF}/papers/week/2026-W06")
    assert week.observations[0].listed_on is None
    assert week.observations[0].extra.get("listed_on_from") is None


def test_an_empty_date_page_is_a_document_without_observations():
    result = read_page(DAY_URL, date_page_html([]).encode(), {"Content-Type": "text/html"},
                       source=Source.HUGGINGFACE, mtime=MTIME)
    assert result.document.format == "huggingface-date-page"
    assert result.observations == [] and result.problems == []


def test_date_page_items_without_paper_id_are_problems_and_the_rest_is_kept():
    items = [*day_items(), {"paper": {"title": "no id"}}, "not an item",
             daily_paper("not-an-id", "Bad Id", 1, "2026-02-05")]
    result = read_page(DAY_URL, date_page_html(items).encode("utf-8"),
                       {"Content-Type": "text/html; charset=utf-8"}, source=Source.HUGGINGFACE,
                       mtime=MTIME)
    assert [o.arxiv_id for o in result.observations] == ["2602.20001", "2602.20002"]
    assert [p.reason for p in result.problems] == [
        "item 3: missing paper.id", "item 4: missing paper.id",
        "item 5: paper.id 'not-an-id' is not an arXiv id"]
    assert all(p.url is None for p in result.problems)  # the page's own URL


DATE_PROPS = "{&quot;dailyPapers&quot;:"
BAD_DATE_PAGES = [
    ("no island", page("<section><h3>Visible card</h3><span>12</span></section>"),
     r"^Hugging Face page without data-props \(DailyPapers\)$"),
    ("island without props",
     page('<div class="SVELTE_HYDRATER contents" data-target="DailyPapers"><h3>Card</h3></div>'),
     r"^Hugging Face page without data-props \(DailyPapers\)$"),
    ("props not JSON", date_page_html(None, props=DATE_PROPS + "[{&quot;paper&quot;:"),
     r"^Hugging Face page data-props \(DailyPapers\) is not valid JSON \("),
    ("list not a list", date_page_html({"paper": {"id": "2602.20001"}}),
     r"^Hugging Face page data-props \(DailyPapers\): dailyPapers is an object, not a list$"),
    ("props without the list", date_page_html(None, props=escaped({"date": "2026-02-05"})),
     r"^Hugging Face page data-props \(DailyPapers\) without dailyPapers or papers \(keys: date\)$"),
    ("props not an object", date_page_html(None, props=escaped([1, 2])),
     r"^Hugging Face page data-props \(DailyPapers\) is a list, not an object$"),
    ("every item bad", date_page_html([{"paper": {}}]),
     r"^huggingface-date-page: no papers in this document \(item 1: missing paper.id\)$"),
]


@pytest.mark.parametrize("body,message", [b[1:] for b in BAD_DATE_PAGES],
                         ids=[b[0] for b in BAD_DATE_PAGES])
def test_bad_date_pages_raise_one_line_reasons(body, message):
    with pytest.raises(PageError, match=message) as info:
        read_page(DAY_URL, body.encode(), {"Content-Type": "text/html"},
                  source=Source.HUGGINGFACE, mtime=MTIME)
    assert "\n" not in info.value.reason


# -- paper pages -----------------------------------------------------------------------------

def test_a_paper_page_reads_the_paper_its_comments_and_its_rank():
    parsed = huggingface_html.parse_paper_page(paper_page_html(), PAPER_URL)
    assert not parsed.problems
    [obs] = parsed.observations
    assert obs.source == Source.HUGGINGFACE and obs.url == PAPER_URL
    # Its three comments each hold a reply: three threads are not the comment count
    # Hugging Face keeps (numComments counts replies), so none is read.
    assert (obs.arxiv_id, obs.upvotes, obs.comments) == ("2602.20001", 57, None)
    assert obs.title == "Folding Paper Cranes with Small Robots"
    assert obs.authors == ["Ada Example", "Quiet Coauthor"] and obs.authors_total == 2
    assert obs.abstract == "We teach a toy arm to fold paper & report made-up numbers."
    assert obs.published == dt.date(2026, 2, 3) and obs.listed_on == dt.date(2026, 2, 4)
    assert obs.organization == "Crane Lab"
    assert obs.extra == {
        "listed_on_from": "submittedOnDailyAt", "hidden_authors": ["Quiet Coauthor"],
        "submitter": "samsub", "organization_id": "crane-lab",
        "github_repo": "https://github.com/example/cranes", "github_stars": 12,
        "project_page": "https://example.org/cranes", "ai_summary": "A toy arm folds cranes.",
        "ai_keywords": ["origami", "robot arm"], "schema": "current",
        "daily_paper_rank": 3}


def test_a_paper_page_prefers_a_comment_count_field_and_reads_a_discussion_object():
    counted = paper_props(numComments=7)
    obs = huggingface_html.parse_paper_page(paper_page_html(counted), PAPER_URL).observations[0]
    assert (obs.comments, obs.extra["comments_from"]) == (7, "numComments")
    nested = paper_props(discussion={"comments": [{"id": "c1", "replies": []}]})
    del nested["comments"]
    obs = huggingface_html.parse_paper_page(paper_page_html(nested), PAPER_URL).observations[0]
    assert (obs.comments, obs.extra["comments_from"]) == (1, "len(discussion.comments)")
    bare = paper_props()
    for key in ("comments", "dailyPaperRank"):
        del bare[key]
    obs = huggingface_html.parse_paper_page(paper_page_html(bare), PAPER_URL).observations[0]
    assert obs.comments is None and "comments_from" not in obs.extra
    assert "daily_paper_rank" not in obs.extra


BAD_PAPER_PAGES = [
    ("no island", page("<h1>Some Paper</h1><div>Upvote 12</div>"),
     r"^Hugging Face page without data-props \(paper page\)$"),
    ("props not JSON", paper_page_html(raw="{&quot;paper&quot;:{&quot;id&quot;:"),
     r"^Hugging Face page data-props \(PaperContent\) is not valid JSON \("),
    ("props without paper", paper_page_html({"paper": "2602.20001", "upvoters": []}),
     r"^Hugging Face page data-props without a paper object \(paper page\)$"),
    ("paper without id", paper_page_html({"paper": {"title": "No Id Here"}}),
     r"^huggingface-paper-page: no papers in this document \(paper: missing paper.id\)$"),
    ("empty", "   ", r"^empty Hugging Face page$"),
]


@pytest.mark.parametrize("body,message", [b[1:] for b in BAD_PAPER_PAGES],
                         ids=[b[0] for b in BAD_PAPER_PAGES])
def test_bad_paper_pages_raise_one_line_reasons(body, message):
    with pytest.raises(PageError, match=message) as info:
        read_page(PAPER_URL, body.encode(), {"Content-Type": "text/html"},
                  source=Source.HUGGINGFACE, mtime=MTIME)
    assert "\n" not in info.value.reason


# -- sniffing --------------------------------------------------------------------------------

def test_sniffers_tell_the_pages_apart_by_content_and_by_url():
    day, paper = date_page_html(day_items()), paper_page_html()
    local = "file:///tmp/saved/page.html"
    assert DATE_PAGE_FORMAT.sniff(day, local) and not PAPER_PAGE_FORMAT.sniff(day, local)
    assert PAPER_PAGE_FORMAT.sniff(paper, local) and not DATE_PAGE_FORMAT.sniff(paper, local)
    # By URL, on any host (a loopback server), whatever the body says.
    for url in ("http://127.0.0.1:8000/papers/date/2026-02-05", f"{HF}/papers",
                f"{HF}/papers/month/2026-01", f"{HF}/papers/week/2026-W06", f"{HF}/papers/trending"):
        assert DATE_PAGE_FORMAT.sniff("maintenance", url), url
    assert PAPER_PAGE_FORMAT.sniff("maintenance", "http://127.0.0.1:8000/papers/2602.20001")
    assert not PAPER_PAGE_FORMAT.sniff("maintenance", f"{HF}/papers/not-an-id")
    # A saved file's path is not a site path; JSON and Markdown are not pages.
    assert not DATE_PAGE_FORMAT.sniff("maintenance", "file:///data/papers/date/2026-02-05")
    assert not PAPER_PAGE_FORMAT.sniff("maintenance", "file:///data/papers/2602.20001")
    api = json.dumps(day_items())
    for fmt in huggingface_html.FORMATS:
        assert not fmt.sniff(api, local), fmt.name
    assert not PAPER_MARKDOWN_FORMAT.sniff(day, local)
    assert not PAPER_MARKDOWN_FORMAT.sniff(paper, local)


def test_auto_detection_reads_each_page_with_its_format():
    for body, fmt in ((date_page_html(day_items()), "huggingface-date-page"),
                      (paper_page_html(), "huggingface-paper-page")):
        result = read_page("file:///tmp/saved/page.html", body.encode(), {}, mtime=MTIME)
        assert result.document.format == fmt
        assert result.document.observed_at_basis == TimeBasis.FILE_MTIME


# -- a paper page saved as Markdown ----------------------------------------------------------

def test_resolve_day_against_the_capture_day():
    captured = dt.date(2025, 12, 20)
    assert resolve_day("Dec 17", None, captured) == dt.date(2025, 12, 17)
    assert resolve_day("Dec 20", None, captured) == dt.date(2025, 12, 20)
    assert resolve_day("Dec 17", None, dt.date(2026, 1, 5)) == dt.date(2025, 12, 17)  # later month
    assert resolve_day("Jan 3", None, dt.date(2026, 1, 5)) == dt.date(2026, 1, 3)
    assert resolve_day("Dec 28", None, captured) == dt.date(2024, 12, 28)  # after the capture
    assert resolve_day("Dec 17", "2023", captured) == dt.date(2023, 12, 17)
    assert resolve_day("Feb 29", None, dt.date(2024, 3, 1)) == dt.date(2024, 2, 29)
    assert resolve_day("Feb 29", None, dt.date(2026, 3, 1)) is None
    assert resolve_day("Dec 17", None, None) is None
    assert resolve_day("Smarch 3", None, captured) is None


MADE_UP_MARKDOWN = """\
[Papers](/papers)

arxiv:2602.20009v2

# A Made-Up Paper About [Kites](/papers?q=kites)

Published on Jan 30, 2026

·

Submitted by
[pat](/pat)
on Feb 2

[[ ]

Upvote

1,204](/login)

Authors:

[Pat Kite](/pat)
,

Lee Wind

## Abstract

Kites fly when wind is [steady](/papers?q=steady).
Short second line.

[View arXiv page](https://arxiv.org/abs/2602.20009)
"""


def test_a_made_up_markdown_page_without_capture_date():
    parsed = huggingface_html.parse_paper_markdown(MADE_UP_MARKDOWN, "file:///tmp/kites.md")
    assert parsed.captured_at is None and not parsed.problems
    [obs] = parsed.observations
    assert (obs.arxiv_id, obs.arxiv_version, obs.upvotes) == ("2602.20009", 2, 1204)
    assert obs.title == "A Made-Up Paper About Kites"  # keyword links become their text
    assert obs.authors == ["Pat Kite", "Lee Wind"]
    assert obs.abstract == "Kites fly when wind is steady. Short second line."
    assert "ai_summary" not in obs.extra
    assert obs.published == dt.date(2026, 1, 30)  # the year is shown
    assert obs.listed_on is None and obs.extra["submitter"] == "pat"  # "Feb 2": no year known
    assert "listed_on_from" not in obs.extra
    # With a capture time in the front matter, "Feb 2" is the Feb 2 before it.
    stamped = "---\ndate: 2027-01-10T08:30:00Z\n---\n" + MADE_UP_MARKDOWN
    parsed = huggingface_html.parse_paper_markdown(stamped, "file:///tmp/kites.md")
    assert parsed.captured_at == dt.datetime(2027, 1, 10, 8, 30, tzinfo=dt.timezone.utc)
    assert parsed.observations[0].listed_on == dt.date(2026, 2, 2)
    assert parsed.observations[0].extra["listed_on_from"] == "submitted"


def test_markdown_without_an_id_line_is_a_page_error():
    with pytest.raises(PageError, match=r"without an arxiv:<id> line"):
        huggingface_html.parse_paper_markdown(MADE_UP_MARKDOWN.replace("arxiv:", "arXiv id "), "x")


@needs_shared
def test_the_rendered_markdown_sample():
    path = SAMPLES / "paper_2512.15603_rendered-markdown_2025-12-20.md"
    result = read_page(path.resolve().as_uri(), path.read_bytes(), {}, mtime=MTIME)
    assert result.document.format == "huggingface-paper-markdown"
    assert result.document.source == Source.HUGGINGFACE and result.document.site == "huggingface.co"
    # The front matter's date is a day, not a capture time: the file's time stands.
    assert result.document.observed_at_basis == TimeBasis.FILE_MTIME
    assert result.document.observed_at == MTIME
    assert not result.problems
    [obs] = result.observations
    assert obs.arxiv_id == "2512.15603" and obs.url == "https://huggingface.co/papers/2512.15603"
    assert obs.title == "Qwen-Image-Layered: Towards Inherent Editability via Layer Decomposition"
    assert obs.upvotes == 34
    assert len(obs.authors) == 14 == obs.authors_total
    assert obs.authors[0] == "Shengming Yin" and obs.authors[-1] == "Chenfei Wu"
    assert "Lionel M. Ni" in obs.authors
    assert obs.published == dt.date(2025, 12, 17) and obs.listed_on == dt.date(2025, 12, 18)
    assert obs.extra["published_as_shown"] == "Dec 17"
    assert obs.extra["submitter"] == "taesiri"
    assert obs.abstract.startswith("Recent visual generative models often struggle")
    assert obs.abstract.endswith("{https://github.com/QwenLM/Qwen-Image-Layered}")
    assert "](" not in obs.abstract and "AI-generated summary" not in obs.abstract
    assert "an end-to-end diffusion model that decomposes" in obs.abstract  # link text kept
    assert obs.extra["ai_summary"].startswith("Qwen-Image-Layered decomposes images")
    assert obs.comments is None  # the rendered comments are not counted


@needs_shared
def test_the_structure_notes_are_not_a_known_format():
    path = SAMPLES / "STRUCTURE_NOTES.md"
    with pytest.raises(PageError, match=r"^not a known format \(tried .*huggingface-paper-markdown"):
        read_page(path.resolve().as_uri(), path.read_bytes(), {}, mtime=MTIME)
    assert not any(f.sniff(path.read_text(), path.as_uri()) for f in huggingface_html.FORMATS)

