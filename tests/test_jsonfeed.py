"""JSON Feeds (jsonfeed.org 1 and 1.1) read by ``digest-feed`` as its RSS and Atom feeds are:
posts, papers, a mix, hostile documents, and an RSS feed and a JSON Feed of the same
content giving the same observations. Every feed here is made up for these tests."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest

from scrapers.pages import choose_format, read_page
from scrapers.pages.base import PageError
from scrapers.pages.digests import feeds

UTC = dt.timezone.utc
URL = "file:///x/feed.json"
V11 = "https://jsonfeed.org/version/1.1"

PICKS = ('<p>Three picks from the marsh this week.</p><ol>'
         '<li><a href="https://arxiv.org/abs/3107.02101">Reed Beds as Sparse Attention</a> — 👍 41 · 💬 6</li>'
         '<li><a href="https://arxiv.org/abs/3107.02102v2">Tadpole: Tiny Agents Learn to Swim</a> — 👍 17</li>'
         '<li><a href="https://arxiv.org/abs/3107.02103">Fog Banks for Long Context</a> — 👍 9 · 💬 2</li>'
         '</ol><p>Still worth a look: <a href="https://arxiv.org/abs/3106.07707">Cattail Routing</a>.</p>')


def jsonfeed(*items, title="Marsh Notes", version=V11, **top) -> str:
    """A JSON Feed document around ``items`` (objects, or anything a hostile feed holds)."""
    doc = {"version": version, "title": title, "home_page_url": "https://www.marsh.example/notes/",
           "feed_url": "https://www.marsh.example/notes/feed.json", **top, "items": list(items)}
    return json.dumps(doc, ensure_ascii=False, indent=1)


def post(content=PICKS, url="https://www.marsh.example/notes/week-27", published="2031-07-04T22:15:00-07:00",
         **fields) -> dict:
    """A JSON Feed item that is a digest post."""
    return {"id": url, "url": url, "title": "Marsh Notes, week 27", "date_published": published,
            "content_html": content, "tags": ["weekly"], **fields}


def paper(aid: str, title: str, content: str, published="2031-07-02T17:00:00Z", **fields) -> dict:
    """A JSON Feed item that is a paper (its url an arXiv abs page)."""
    return {"id": f"https://arxiv.org/abs/{aid}", "url": f"https://arxiv.org/abs/{aid}", "title": title,
            "date_published": published, "content_html": content,
            "authors": [{"name": "Somebody Who Posted It"}], **fields}


def parse(text: str, url: str = URL):
    assert feeds.sniff(text, url)
    return feeds.FORMAT.parse(text, url)


def listed(parsed) -> dict:
    """The listed items of a parse (citations left out), by id."""
    return {o.arxiv_id: o for o in parsed.observations if not o.extra.get("citation")}


def test_a_json_feed_is_the_feed_format_and_not_the_structured_readers():
    text = jsonfeed(post())
    assert choose_format(text, URL).name == "digest-feed"  # before: digest-structured, which rejected it
    assert choose_format(jsonfeed(post(), version="https://jsonfeed.org/version/1"), URL).name == "digest-feed"
    # PHP's json_encode writes every slash escaped: still a JSON Feed.
    escaped = text.replace("/", "\\/")
    assert json.loads(escaped) == json.loads(text) and choose_format(escaped, URL).name == "digest-feed"
    # Other JSON, and JSON naming another version, are not the feed reader's.
    assert not feeds.sniff(jsonfeed(post(), version="https://example.org/version/1"), URL)
    assert not feeds.sniff(json.dumps([{"url": "https://jsonfeed.org/version/1", "id": "3107.02101"}]), URL)
    assert not feeds.sniff('{"version": "https://jsonfeed.org/version/1", "items": [', URL)  # broken JSON


def test_a_feed_of_posts_reads_each_post_with_its_ranks_counts_and_day():
    result = read_page(URL, jsonfeed(post()).encode(), {}, mtime=dt.datetime(2031, 8, 1, tzinfo=UTC))
    assert (result.document.format, result.document.site) == ("digest-feed", "Marsh Notes")
    # No build time in a JSON Feed: the latest post's time is the document's.
    assert result.document.observed_at == dt.datetime(2031, 7, 5, 5, 15, tzinfo=UTC)
    assert result.document.observed_at_basis.value == "published"
    found = {o.arxiv_id: o for o in result.observations}
    assert [(aid, o.title, o.rank, o.upvotes, o.comments) for aid, o in found.items()
            if not o.extra.get("citation")] == [
        ("3107.02101", "Reed Beds as Sparse Attention", 1, 41, 6),
        ("3107.02102", "Tadpole: Tiny Agents Learn to Swim", 2, 17, None),
        ("3107.02103", "Fog Banks for Long Context", 3, 9, 2)]
    picked = found["3107.02101"]
    # Posted late on the 4th in its own offset (the 5th in UTC): its day is the 4th.
    assert picked.listed_on == dt.date(2031, 7, 4)
    assert picked.extra["read"]["fields"]["listed_on"] == "feed:entry date"
    assert picked.extra["feed_entry"] == "https://www.marsh.example/notes/week-27"
    assert picked.extra["feed_entry_title"] == "Marsh Notes, week 27"
    cited = found["3106.07707"]
    assert cited.extra["citation"] and (cited.rank, cited.upvotes, cited.listed_on) == (None, None, None)
    assert result.problems == []


def test_the_longest_of_content_html_content_text_and_summary_is_read():
    text = jsonfeed(post(content=None, content_text="Only one: https://arxiv.org/abs/3107.02104 (Upvotes: 3)",
                         summary="A short teaser."))
    (obs,) = parse(text).observations
    assert obs.arxiv_id == "3107.02104"


def test_a_feed_of_papers_reads_each_item_as_one_paper():
    card = "<p><b>Authors:</b> Ada Reed, Bo Heron</p><p><b>Upvotes:</b> 12</p><p><b>Summary:</b> 300 ponds.</p>"
    text = jsonfeed(paper("3107.02105", "Heron Gait Priors", card),
                    paper("3107.02106", "Pond Skaters Do Diffusion", "<p>Likes: 4</p>",
                          published="2031-07-03T09:30:00+09:00"),
                    title="Marsh Papers")
    parsed = parse(text)
    found = listed(parsed)
    first, second = found["3107.02105"], found["3107.02106"]
    assert (first.title, first.upvotes, first.authors, first.rank) == (
        "Heron Gait Priors", 12, ["Ada Reed", "Bo Heron"], None)
    assert (second.title, second.upvotes) == ("Pond Skaters Do Diffusion", 4)
    # The item's date is not surely the paper's nor the list's: kept apart, as for RSS.
    assert (second.published, second.listed_on) == (None, None)
    assert second.extra["entry_published"] == "2031-07-03T09:30:00+09:00"
    assert parsed.site == "marsh.example/notes"  # home_page_url, for a feed of papers
    assert parsed.published_at is None  # no build time, and a paper's date is not the feed's


def test_a_day_in_the_feed_title_is_the_list_day_of_its_papers():
    text = jsonfeed(paper("3107.02107", "Lily Pads as Memory", "<p>Upvotes: 8</p>"),
                    title="Marsh Daily Papers 2031-07-03")
    (obs,) = parse(text).observations
    assert obs.listed_on == dt.date(2031, 7, 3)
    assert obs.extra["read"]["fields"]["listed_on"] == "feed:channel title"


def test_a_mixed_feed_reads_papers_as_items_and_posts_as_posts():
    text = jsonfeed(paper("3107.02108", "Dragonfly Vision Heads", "<p>Upvotes: 5</p>"),
                    post(content='<ol><li><a href="https://arxiv.org/abs/3107.02109">Newt Tokenizers</a> 👍 7</li>'
                                 '</ol>', published="2031-07-06T08:00:00+00:00"),
                    {"id": "https://huggingface.co/papers/date/2031-07-05", "url":
                     "https://huggingface.co/papers/date/2031-07-05", "title": "All of one day",
                     "content_text": "see the list"})
    parsed = parse(text)
    found = listed(parsed)
    assert set(found) == {"3107.02108", "3107.02109"}
    assert (found["3107.02108"].upvotes, found["3107.02108"].listed_on) == (5, None)
    assert (found["3107.02109"].upvotes, found["3107.02109"].rank, found["3107.02109"].listed_on) == (
        7, 1, dt.date(2031, 7, 6))
    # A day's list page is a post with no papers: a problem naming it, not an item.
    assert [p.url for p in parsed.problems] == ["https://huggingface.co/papers/date/2031-07-05"]
    assert parsed.problems[0].reason.startswith("feed entry 3:")


def test_a_guid_that_is_a_paper_names_the_paper_and_a_numeric_id_is_a_string():
    text = jsonfeed({"id": "https://huggingface.co/papers/3107.02110", "url": "https://www.marsh.example/p/1",
                     "title": "Bittern Calls as Audio Prompts", "content_html": "<p>Upvotes: 2</p>"},
                    post(id=27))
    parsed = parse(text)
    found = listed(parsed)
    assert (found["3107.02110"].upvotes, found["3107.02110"].url) == (2, "https://huggingface.co/papers/3107.02110")
    assert {"3107.02101", "3107.02102", "3107.02103"} <= set(found)
    assert parsed.problems == []


def test_a_hostile_feed_keeps_its_good_items_and_names_each_bad_value_in_one_line():
    bad_types = post(url=["https://www.marsh.example/notes/x"], title={"text": "?"}, date_published=20310704,
                     content_html=PICKS.replace("3107.0210", "3107.0220"), content_text=42,
                     date_modified="2031-07-04T09:00:00-07:00")
    no_zone = post(url="https://www.marsh.example/notes/y", date_published="2031-07-04T09:00:00",
                   content_html='<ol><li><a href="https://arxiv.org/abs/3107.02301">Mire Models</a> 👍 3</li></ol>')
    empty = {"id": None, "title": "   "}
    text = jsonfeed(post(), "not an item", 7, None, [post()], bad_types, no_zone, empty, title=["Marsh"])
    parsed = parse(text)
    found = listed(parsed)
    # Good items beside bad ones: the first post, and the readable content of the others.
    assert {"3107.02101", "3107.02201", "3107.02301"} <= set(found)
    assert found["3107.02101"].upvotes == 41
    # A wrong-typed date is left empty; the update time still dates the post.
    assert found["3107.02201"].listed_on == dt.date(2031, 7, 4)
    assert found["3107.02201"].extra["feed_entry"] == "entry 6"  # its url was a list: no link
    # A time without an offset is not surely the publisher's instant: no day from it.
    assert found["3107.02301"].listed_on is None
    reasons = [p.reason for p in parsed.problems]
    assert all("\n" not in r and len(r) < 200 for r in reasons)
    assert reasons == [
        "JSON Feed item 2: a string, not an object; left out",
        "JSON Feed item 3: a number, not an object; left out",
        "JSON Feed item 4: null, not an object; left out",
        "JSON Feed item 5: a list, not an object; left out",
        'JSON Feed item 6: "url" is a list, not a string; left empty',
        'JSON Feed item 6: "title" is an object, not a string; left empty',
        'JSON Feed item 6: "content_text" is a number, not a string; left empty',
        'JSON Feed item 6: "date_published" is a number, not a string; left empty',
        'JSON Feed item 6: "id" is a list, not a string; left empty',  # post() made it the url
        "JSON Feed item 7: \"date_published\" '2031-07-04T09:00:00' is no RFC 3339 time with an offset; left empty",
        'JSON Feed: "title" is a list, not a string; left empty',
        "feed entry 8: no content",
    ]
    assert parsed.site is None  # a feed of posts is named by its title, and it had none


def test_hostile_feed_items_through_read_page_give_rejects_not_a_traceback():
    text = jsonfeed({"url": 5, "title": 6, "content_html": 7, "date_published": [], "id": {}}, post())
    result = read_page(URL, text.encode(), {}, mtime=dt.datetime(2031, 8, 1, tzinfo=UTC))
    assert result.document.format == "digest-feed"
    assert len([o for o in result.observations if not o.extra.get("citation")]) == 3
    assert any(p.reason == "feed entry 1: no content" for p in result.problems)


def test_values_no_character_number_or_calendar_holds_lose_that_value_not_the_feed():
    # A lone surrogate, an id of 5,000 digits (past what Python converts), a fractional
    # id, and a time whose UTC instant falls before year 1: each raised out of the reader
    # (or its store) and would have cost every item.
    text = ('{"version": "%s", "title": "Marsh \\ud800 Notes", "items": ['
            '{"id": %s, "url": "https://arxiv.org/abs/3107.02111", "title": "Coot \\udc00 Nets",'
            ' "content_html": "<p>Upvotes: 3</p>"},'
            '{"id": 2.5, "url": "https://arxiv.org/abs/3107.02112", "title": "Grebe Flows",'
            ' "date_published": "0001-01-01T00:00:00+14:00", "content_html": "<p>Upvotes: 4</p>"}]}') % (V11, "9" * 5000)
    result = read_page(URL, text.encode(), {}, mtime=dt.datetime(2031, 8, 1, tzinfo=UTC))
    found = {o.arxiv_id: o for o in result.observations}
    assert (found["3107.02111"].title, found["3107.02111"].upvotes) == ("Coot \ufffd Nets", 3)
    assert (found["3107.02112"].title, found["3107.02112"].upvotes) == ("Grebe Flows", 4)
    assert "entry_published" not in found["3107.02112"].extra
    assert [p.reason for p in result.problems] == [
        'JSON Feed item 1: "id" is a number, not a string; left empty',
        "JSON Feed item 2: \"date_published\" '0001-01-01T00:00:00+14:00' is no RFC 3339 time with an offset; "
        "left empty",
        'JSON Feed item 2: "id" is a number, not a string; left empty']


@pytest.mark.parametrize("text,reason", [
    (jsonfeed(), "digest feed: no entries"),
    (jsonfeed(1, "x"), "digest feed: no entries (JSON Feed item 1: a number, not an object; left out; "
                       "JSON Feed item 2: a string, not an object; left out)"),
    (json.dumps({"version": V11, "title": "t", "items": {"a": "https://arxiv.org/abs/3107.02101"}}),
     'JSON Feed: "items" is an object, not a list'),
    (json.dumps({"version": V11, "title": "t"}), 'JSON Feed: "items" is missing, not a list'),
    (json.dumps(["https://jsonfeed.org/version/1.1"]), "not a JSON Feed: the document is a list, not an object"),
    (json.dumps({"version": 1.1, "items": []}), 'not a JSON Feed: its "version" is 1.1, not https://jsonfeed.org'),
    ('{"version": "https://jsonfeed.org/version/1.1", "items": [}', "not a JSON Feed: not JSON (Expecting value"),
    ('{"version": "https://jsonfeed.org/version/1.1", "items": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "JSON Feed: nested too deeply to read"),
], ids=["no items", "no good item", "items an object", "items missing", "a list", "another version",
        "broken JSON", "nested too deeply"])
def test_a_bad_json_feed_document_is_one_clear_error(text, reason):
    with pytest.raises(PageError) as caught:
        feeds.FORMAT.parse(text, URL)
    assert caught.value.reason.startswith(reason) and "\n" not in caught.value.reason


def test_a_json_feed_nested_too_deeply_is_not_a_traceback_when_sniffed():
    text = '{"version": "https://jsonfeed.org/version/1.1", "items": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert not feeds.sniff(text, URL)  # the sniffer says no instead of raising
    with pytest.raises(PageError):
        read_page(URL, text.encode(), {}, mtime=dt.datetime(2031, 8, 1, tzinfo=UTC))


def test_feed_entries_reads_a_json_feed_for_the_digests_spider():
    entries = feeds.feed_entries(jsonfeed(post(), "bad", paper("3107.02108", "Dragonfly", "x")), URL)
    assert [(e.url, e.published) for e in entries] == [
        ("https://www.marsh.example/notes/week-27",
         dt.datetime(2031, 7, 4, 22, 15, tzinfo=dt.timezone(dt.timedelta(hours=-7)))),
        ("https://arxiv.org/abs/3107.02108", dt.datetime(2031, 7, 2, 17, 0, tzinfo=UTC))]


# --- An RSS feed and a JSON Feed of the same content -------------------------------------

SAME = [
    {"url": "https://www.marsh.example/notes/week-27", "title": "Marsh Notes, week 27",
     "rss_date": "Fri, 04 Jul 2031 22:15:00 -0700", "json_date": "2031-07-04T22:15:00-07:00", "content": PICKS},
    {"url": "https://arxiv.org/abs/3107.02105", "title": "Heron Gait Priors",
     "rss_date": "Wed, 02 Jul 2031 17:00:00 +0000", "json_date": "2031-07-02T17:00:00Z",
     "content": "<p><b>Authors:</b> Ada Reed, Bo Heron</p><p><b>Upvotes:</b> 12</p>"
                '<p>Builds on <a href="https://arxiv.org/abs/3105.01111">Egret v1</a>.</p>'},
    {"url": "https://www.marsh.example/notes/week-26", "title": "[2031-06-27] Marsh Notes",
     "rss_date": "Sat, 28 Jun 2031 06:00:00 +0200", "json_date": "2031-06-28T06:00:00+02:00",
     "content": "<h2>Top</h2><ol><li>Egret v1 https://arxiv.org/abs/3105.01111 (Upvotes: 30)</li></ol>"},
]


def same_as_rss(title: str) -> str:
    items = "".join(f"<item><title>{html.escape(e['title'])}</title><link>{e['url']}</link><guid>{e['url']}</guid>"
                    f"<pubDate>{e['rss_date']}</pubDate><description>{html.escape(e['content'])}</description></item>"
                    for e in SAME)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{title}</title><link>https://www.marsh.example/notes/</link>"
            f"<description>made up</description>{items}</channel></rss>")


def same_as_json(title: str) -> str:
    return json.dumps({"version": V11, "title": title, "home_page_url": "https://www.marsh.example/notes/",
                       "items": [{"id": e["url"], "url": e["url"], "title": e["title"],
                                  "date_published": e["json_date"], "content_html": e["content"]}
                                 for e in SAME]})


@pytest.mark.parametrize("title", ["Marsh Notes", "Marsh Notes 2031-07-04"])
def test_an_rss_feed_and_a_json_feed_of_the_same_content_give_the_same_observations(title):
    from_rss, from_json = parse(same_as_rss(title), "file:///x/feed"), parse(same_as_json(title), "file:///x/feed")
    assert len(from_json.observations) == 7  # 5 items, 2 citations
    assert [o.model_dump() for o in from_json.observations] == [o.model_dump() for o in from_rss.observations]
    assert (from_json.site, from_json.published_at, from_json.problems) == (
        from_rss.site, from_rss.published_at, from_rss.problems)
    stored = read_page("file:///x/feed", same_as_json(title).encode(), {}, mtime=dt.datetime(2031, 8, 1, tzinfo=UTC))
    assert stored.document.format == "digest-feed"
