"""Feeds whose entries are papers (not posts), on feeds written here."""

from __future__ import annotations

import datetime as dt
import html

from scrapers.pages import read_page
from scrapers.pages.digests import feeds

UTC = dt.timezone.utc


def item(aid: str, title: str, description: str, pub: str = "Mon, 04 May 2031 17:00:00 +0000") -> str:
    return (f"<item><title>{title}</title><link>https://arxiv.org/abs/{aid}</link>"
            f"<description>{html.escape(description)}</description><pubDate>{pub}</pubDate></item>")


def feed(title: str, *items: str) -> str:
    return ("<?xml version='1.0' encoding='UTF-8'?><rss version=\"2.0\"><channel>"
            f"<title>{title}</title><link>https://example.org/pond</link><description>d</description>"
            "<lastBuildDate>Thu, 07 May 2031 00:02:40 +0000</lastBuildDate>" + "".join(items)
            + "</channel></rss>")


PAPERS = feed(
    "Pond Papers",
    item("3105.00101", "Reed Beds: Sparse Roots",
         "<p><b>Authors:</b> Ada Quill, Bo Reed</p><p><b>Upvotes:</b> 6</p><p>Builds on <a href=\"https://arxiv.org/abs/2901.00001\">older work</a>.</p>"),
    item("3105.00102", "Lily Pads: Floating Tokens", "<p>Trained for 12 days on 8 GPUs.</p>"),
)


def test_entries_that_are_papers():
    assert feeds.sniff(PAPERS, "file:///x/feed.xml")
    parsed = feeds.FORMAT.parse(PAPERS, "file:///x/feed.xml")
    found = {o.arxiv_id: o for o in parsed.observations}
    reeds, lily = found["3105.00101"], found["3105.00102"]
    assert (reeds.title, reeds.upvotes, reeds.authors) == ("Reed Beds: Sparse Roots", 6, ["Ada Quill", "Bo Reed"])
    assert reeds.extra["read"]["fields"] == {"title": "feed:title", "upvotes": "marker:Upvotes: N",
                                             "authors": "label:authors", "published": "feed:pubDate"}
    # Unlabelled numbers are no counts; a feed's order is no rank.
    assert (lily.upvotes, lily.comments, lily.rank, reeds.rank) == (None, None, None, None)
    # The entry's date is the paper's own (arXiv's), not the day of the list.
    assert reeds.listed_on is None and reeds.published == dt.date(2031, 5, 4)
    assert reeds.extra["entry_published"] == "2031-05-04T17:00:00+00:00"
    # The feed was built at lastBuildDate: the document's time, a loose one.
    assert parsed.published_at == dt.datetime(2031, 5, 7, 0, 2, 40, tzinfo=UTC)
    # An id in a description is a citation, not an item.
    cited = found["2901.00001"]
    assert cited.extra["citation"] and cited.extra["cited_in"] == "3105.00101"
    assert (cited.title, cited.listed_on, cited.upvotes) == (None, None, None)


def test_a_channel_title_that_names_the_day_gives_listed_on():
    text = PAPERS.replace("<title>Pond Papers</title>", "<title>Pond Papers 2031-05-06</title>", 1)
    parsed = feeds.FORMAT.parse(text, "file:///x/feed.xml")
    assert {o.listed_on for o in parsed.observations if not o.extra.get("citation")} == {dt.date(2031, 5, 6)}
    assert parsed.observations[0].extra["read"]["fields"]["listed_on"] == "feed:channel title"


def test_a_mixed_feed_reads_posts_as_posts():
    post = ("<item><title>Weekly picks</title><link>https://example.org/pond/weekly-19</link>"
            "<description>" + html.escape('<ol><li><a href="https://arxiv.org/abs/3105.00103">Frog Song: Audio '
                                          'at Dusk</a> 👍 9</li><li><a href="https://arxiv.org/abs/3105.00104">'
                                          'Heron Wings</a></li></ol>') + "</description>"
            "<pubDate>Wed, 06 May 2031 08:00:00 +0000</pubDate></item>")
    text = PAPERS.replace("</channel>", post + "</channel>")
    found = {o.arxiv_id: o for o in feeds.FORMAT.parse(text, "file:///x/feed.xml").observations}
    assert (found["3105.00103"].upvotes, found["3105.00103"].rank) == (9, 1)
    assert found["3105.00103"].listed_on == dt.date(2031, 5, 6)  # the post's own date
    assert found["3105.00101"].listed_on is None


def test_a_paper_feed_through_read_page_is_a_digest_feed_timed_by_its_build():
    result = read_page("file:///x/feed.xml", PAPERS.encode(), {}, mtime=dt.datetime(2031, 6, 1, tzinfo=UTC))
    assert result.document.format == "digest-feed" and result.document.site == "example.org/pond"
    assert result.document.observed_at == dt.datetime(2031, 5, 7, 0, 2, 40, tzinfo=UTC)
