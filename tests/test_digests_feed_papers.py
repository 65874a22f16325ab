"""Feeds whose entries are papers: made-up feeds written here, then the huangboming
samples of ../shared/samples/digests-wild checked against their truth files."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest

from scrapers.pages import choose_format, read_page
from scrapers.pages.base import PageError
from scrapers.pages.digests import feeds

from .support import SHARED, needs_shared

UTC = dt.timezone.utc
BUILT = "Thu, 07 May 2031 00:02:40 +0000"


def entry(aid: str | None, title: str, description: str, pub: str = "Mon, 04 May 2031 17:00:00 +0000",
          link: str | None = None, guid: str | None = None) -> str:
    """An RSS item whose description is escaped HTML, as python-feedgen writes it."""
    link = link or f"https://arxiv.org/abs/{aid}"
    guid_xml = f'<guid isPermaLink="false">{guid}</guid>' if guid else ""
    return (f"<item><title>{title}</title><link>{link}</link>"
            f"<description>{html.escape(description)}</description>{guid_xml}<pubDate>{pub}</pubDate></item>")


def rss(*items: str, title: str = "Moss Daily Papers", link: str = "https://moss.example/papers",
        self_link: str | None = None, built: str | None = BUILT) -> str:
    """An RSS 2.0 feed around ``items``."""
    me = f'<atom:link href="{self_link}" rel="self"/>' if self_link else ""
    when = f"<lastBuildDate>{built}</lastBuildDate>" if built else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">'
            f"<channel><title>{title}</title><link>{link}</link>{me}<description>made up</description>"
            f"{when}{''.join(items)}</channel></rss>")


def card(upvotes: str = "", extra: str = "") -> str:
    """A paper entry's description: thumbnail, authors, a count line, a summary."""
    return ('<p><img src="https://thumbs.example/3103.01234.png" alt="thumb"/></p>'
            "<p><b>Authors:</b> Ida Fern, Olu Moss</p>" + upvotes +
            "<p><b>Summary:</b> We train on 40 ponds for 3 weeks.</p>" + extra)


def parse(text: str):
    assert feeds.sniff(text, "file:///x/feed.xml")
    return feeds.FORMAT.parse(text, "file:///x/feed.xml")


def items(parsed) -> dict:
    """The listed items of a parse (citations left out), by id."""
    return {o.arxiv_id: o for o in parsed.observations if not o.extra.get("citation")}


@pytest.mark.parametrize("marker,rule", [
    ("<p><b>Upvotes:</b> 6</p>", "marker:Upvotes: N"),
    ("<p>6 upvotes</p>", "marker:N upvotes"),
    ("<p>👍 6</p>", "marker:👍 N"),
])
def test_a_labelled_upvote_count_in_escaped_html(marker, rule):
    (obs,) = parse(rss(entry("3103.01234", "Moss Lamps: Dim Light Transformers", card(marker)))).observations
    assert (obs.arxiv_id, obs.title, obs.upvotes, obs.comments, obs.rank) == (
        "3103.01234", "Moss Lamps: Dim Light Transformers", 6, None, None)
    assert obs.authors == ["Ida Fern", "Olu Moss"]
    assert obs.extra["read"] == {"reader": "digest-feed", "fields": {
        "title": "feed:title", "upvotes": rule, "authors": "label:authors"}}


@pytest.mark.parametrize("reference", [
    "&#1114112;",  # one past U+10FFFF: chr() raises ValueError inside feedparser
    "&#x110000;",
    "&#18446744073709551616;",  # 2**64: OverflowError (a fuzzed sample found it)
    "&#55296;",  # a lone UTF-16 surrogate: UnicodeEncodeError
    "&#" + "9" * 5000 + ";",  # past int()'s 4,300 digits
])
def test_a_character_reference_no_character_has_loses_that_character_not_the_feed(reference):
    # Before: feedparser raised on the one reference and every entry was lost (a parser
    # error). Now the reference reads as U+FFFD, and the other entry is read unchanged.
    text = rss(entry("3103.01241", f"Moss {reference} Lamps", card()),
               entry("3103.01242", "Fern &#65; Nets", card()))
    found = items(parse(text))
    assert found["3103.01241"].title == "Moss \ufffd Lamps"
    assert found["3103.01242"].title == "Fern A Nets"  # a reference a character has is kept


def test_an_unlabelled_number_is_no_count():
    text = rss(entry("3103.01235", "Fern Nets", card("<p>17</p><p><b>Score</b> 4</p>")),
               entry("3103.01236", "Lichen Graphs", "<p>Trained for 12 days on 8 GPUs.</p><p>42</p>"))
    found = items(parse(text))
    assert [(o.upvotes, o.comments) for o in found.values()] == [(None, None), (None, None)]
    assert all("upvotes" not in o.extra["read"]["fields"] for o in found.values())


def test_counts_in_a_summary_or_an_author_comment_are_no_counts():
    description = ("<p><b>Upvotes:</b> 9</p><p><b>Comments:</b> 12 pages, 5 figures</p>"
                   "<p><b>Abstract:</b> We read 3,000 comments and 70 upvotes of forum posts.</p>")
    (obs,) = parse(rss(entry("3103.01237", "Forum Moss", description))).observations
    assert (obs.upvotes, obs.comments) == (9, None)
    (obs,) = parse(rss(entry("3103.01237", "Forum Moss", "<p>Upvotes: 9</p><p>Comments: 3</p>"))).observations
    assert (obs.upvotes, obs.comments) == (9, 3)
    assert obs.extra["read"]["fields"]["comments"] == "marker:Comments: N"


def test_pub_date_is_neither_the_published_date_nor_the_listing_day():
    # Written in a +0900 offset: in UTC (arXiv's zone) it is still the 4th.
    parsed = parse(rss(entry("3103.01238", "Spore Maps", card("<p><b>Upvotes:</b> 2</p>"),
                             pub="Tue, 05 May 2031 07:30:00 +0900")))
    (obs,) = parsed.observations
    # The entry's date is not surely the paper's: kept apart, not compared as `published`.
    assert obs.published is None and obs.extra["entry_published"] == "2031-05-05T07:30:00+09:00"
    assert obs.listed_on is None  # neither pubDate nor lastBuildDate is the list's day
    assert parsed.published_at == dt.datetime(2031, 5, 7, 0, 2, 40, tzinfo=UTC)  # lastBuildDate


def test_a_channel_title_with_a_date_gives_listed_on():
    parsed = parse(rss(entry("3103.01239", "Bog Agents", card()), title="Moss Daily Papers 2031-05-06"))
    (obs,) = parsed.observations
    assert obs.listed_on == dt.date(2031, 5, 6)
    assert obs.extra["read"]["fields"]["listed_on"] == "feed:channel title"
    assert parsed.site == "moss.example/papers"  # the link, the same whatever day the title names


def test_a_date_set_apart_in_an_entry_title_gives_listed_on_and_leaves_the_title():
    text = rss(entry("3103.01240", "[2031-05-05] Peat Memory: Slow Recall", card()),
               entry("3103.01241", "Peat Memory II | 2031-05-06", card()),
               entry("3103.01242", "Forecasting 2031-05-06 Floods", card()))
    found = items(parse(text))
    assert [(o.title, o.listed_on) for o in found.values()] == [
        ("Peat Memory: Slow Recall", dt.date(2031, 5, 5)), ("Peat Memory II", dt.date(2031, 5, 6)),
        ("Forecasting 2031-05-06 Floods", None)]
    assert found["3103.01240"].extra["read"]["fields"]["listed_on"] == "feed:entry title"


def test_an_id_in_a_description_is_a_citation_not_an_item():
    cites = card("<p><b>Upvotes:</b> 5</p>", '<p>Extends <a href="https://arxiv.org/abs/3012.04321">Bog v1</a> '
                 "and https://huggingface.co/papers/3103.01244</p>")
    parsed = parse(rss(entry("3103.01243", "Bog v2", cites), entry("3103.01244", "Reeds", card())))
    assert set(items(parsed)) == {"3103.01243", "3103.01244"}  # a listed paper cited stays one item
    (cited,) = [o for o in parsed.observations if o.extra.get("citation")]
    assert (cited.arxiv_id, cited.extra["cited_in"]) == ("3012.04321", "3103.01243")
    assert (cited.title, cited.upvotes, cited.listed_on, cited.published, cited.rank) == (None,) * 5


def test_a_guid_names_the_paper_when_the_link_does_not():
    text = rss(entry(None, "Lichen Tokens", card("<p>Upvotes: 4</p>"), link="https://moss.example/p/lichen",
                     guid="https://huggingface.co/papers/3103.01245"))
    (obs,) = parse(text).observations
    assert (obs.arxiv_id, obs.upvotes, obs.url) == ("3103.01245", 4, "https://huggingface.co/papers/3103.01245")


def test_a_mixed_feed_reads_papers_as_items_and_posts_through_the_generic_reader():
    post = entry(None, "Week 19 picks", '<ol><li><a href="https://arxiv.org/abs/3103.01247">Frog Choir: '
                 'Audio at Dusk</a> 👍 9</li></ol>', link="https://moss.example/posts/week-19",
                 pub="Wed, 06 May 2031 08:00:00 +0000")
    listing = entry(None, "All papers of a day", "<p>see the list</p>",
                    link="https://huggingface.co/papers/date/2031-05-05")
    parsed = parse(rss(entry("3103.01246", "Heron Wings", card("<p><b>Upvotes:</b> 3</p>")), post, listing))
    found = items(parsed)
    assert set(found) == {"3103.01246", "3103.01247"}
    paper, picked = found["3103.01246"], found["3103.01247"]
    assert (paper.upvotes, paper.rank, paper.listed_on, paper.published) == (3, None, None, None)
    assert (picked.upvotes, picked.rank, picked.listed_on) == (9, 1, dt.date(2031, 5, 6))  # the post's date
    assert picked.extra["read"]["fields"]["listed_on"] == "feed:entry date"
    assert picked.extra["feed_entry"] == "https://moss.example/posts/week-19"
    # The list page of a day is a post without papers: a problem, not an item.
    assert [p.url for p in parsed.problems] == ["https://huggingface.co/papers/date/2031-05-05"]


def test_site_is_the_feeds_own_link_and_an_atom_feed_reads_alike():
    text = rss(entry("3103.01248", "Sedge", card()), self_link="https://feeds.moss.example/daily.xml")
    assert parse(text).site == "feeds.moss.example/daily.xml"
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            '<title>Moss Papers</title><id>urn:moss</id><link href="https://www.moss.example/papers/"/>'
            "<updated>2031-05-07T00:05:00Z</updated><entry><title>Sedge Two</title><id>urn:moss:1</id>"
            '<link href="https://arxiv.org/pdf/3103.01249v2"/><published>2031-05-03T10:00:00Z</published>'
            "<updated>2031-05-06T10:00:00Z</updated><summary>Likes: 11</summary></entry></feed>")
    parsed = parse(atom)
    (obs,) = parsed.observations
    assert (parsed.site, parsed.published_at) == ("moss.example/papers", dt.datetime(2031, 5, 7, 0, 5, tzinfo=UTC))
    assert (obs.arxiv_id, obs.arxiv_version, obs.upvotes, obs.published) == ("3103.01249", 2, 11, None)
    assert obs.extra["entry_published"].startswith("2031-05-03T10:00")


def test_through_read_page_the_build_time_is_the_documents_loose_time():
    text = rss(entry("3103.01250", "Rush Lights", card("<p><b>Upvotes:</b> 1</p>")))
    result = read_page("file:///x/feed.xml", text.encode(), {}, mtime=dt.datetime(2031, 6, 1, tzinfo=UTC))
    assert (result.document.format, result.document.site) == ("digest-feed", "moss.example/papers")
    assert result.document.observed_at == dt.datetime(2031, 5, 7, 0, 2, 40, tzinfo=UTC)
    assert result.document.observed_at_basis.value == "published"


def test_arxivs_own_rss_and_an_empty_feed_are_left_as_they_were():
    arxiv = rss(entry("3103.01251", "Willow", "<p>Abstract: a paper</p>"), title="cs.LG updates on arXiv.org",
                link="https://rss.arxiv.org/rss/cs.LG")
    assert not feeds.sniff(arxiv, "https://rss.arxiv.org/rss/cs.LG")
    assert choose_format(arxiv, "https://rss.arxiv.org/rss/cs.LG").name != "digest-feed"
    with pytest.raises(PageError, match="no entries"):
        feeds.FORMAT.parse(rss(), "file:///x/feed.xml")


# -- the huangboming samples ------------------------------------------------------------------
HUANGBOMING = ["feed.2025-12-10T0002Z.f7891aa0.xml", "feed.2025-12-13T0002Z.4e70f84a.xml",
               "feed.2026-01-14T0002Z.56b67997.xml", "feed_weekly.2026-01-12T0013Z.6ab74d81.xml"]


@needs_shared
@pytest.mark.parametrize("name", HUANGBOMING)
def test_huangboming_feed_matches_its_truth(name):
    path = SHARED / "samples" / "digests-wild" / "huangboming__huggingface-daily-paper-feed" / name
    truth = json.loads(path.with_name(name + ".truth.json").read_text(encoding="utf-8"))
    result = read_page(path.as_uri(), path.read_bytes(), {})
    listed = [o for o in result.observations if not o.extra.get("citation")]
    assert sorted(o.arxiv_id for o in listed) == sorted(p["arxiv_id"] for p in truth["papers"])
    got = {o.arxiv_id: o for o in listed}
    for paper in truth["papers"]:
        obs = got[paper["arxiv_id"]]
        assert (obs.title, obs.upvotes, obs.comments, obs.rank) == (
            paper["title"], paper["upvotes"], paper["comments"], paper["rank"]), paper["arxiv_id"]
        assert obs.listed_on is None and obs.published is None  # the feed never states its day
        assert obs.extra["entry_published"]  # arXiv's time in this feed, kept apart
    assert result.document.site == "huggingface.co/papers"
    assert result.document.observed_at_basis.value == "published"
