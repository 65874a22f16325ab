"""What the structured and feed readers state must be what the document states: made-up
JSON digests and feeds written here, each after a case a tester found stored falsely (a
day taken from the file name over the one the document states, an item lost to one bad
field, an earlier list's papers put on the day's list, a table of arrays rejected, a
window's start taken for a list's day)."""

from __future__ import annotations

import datetime as dt
import json

from reconcile.ids import find_arxiv_ids, parse_arxiv_id
from scrapers.pages.digests import feeds, structured

URL = "file:///x/marsh-2031-05-09.json"


def read(value, url: str = URL):
    text = value if isinstance(value, str) else json.dumps(value)
    assert structured.sniff(text, url)
    return structured.FORMAT.parse(text, url)


def by_id(parsed) -> dict:
    return {o.arxiv_id: o for o in parsed.observations}


# -- 1. the day an item's group or the item itself states, not the file name's --------------

def test_each_group_day_wins_over_the_file_name():
    doc = {"source": "mirror", "days": [
        {"date": "2031-05-07", "papers": [{"id": "3105.00201", "title": "Reed Beds", "upvotes": 5}]},
        {"date": "2031-05-08", "papers": [{"id": "3105.00202", "title": "Lily Pads", "upvotes": 3}]}]}
    found = by_id(read(doc))
    assert found["3105.00201"].listed_on == dt.date(2031, 5, 7)
    assert found["3105.00202"].listed_on == dt.date(2031, 5, 8)
    assert found["3105.00201"].extra["read"]["fields"]["listed_on"] == "key:date"


def test_an_item_date_other_than_the_file_name_day_leaves_the_day_empty():
    lines = [{"arxiv_id": "3105.00211", "title": "Reed Beds", "date": "2031-05-06", "upvotes": 33},
             {"arxiv_id": "3105.00212", "title": "Lily Pads", "date": "2031-05-09", "upvotes": 58}]
    found = by_id(read("\n".join(json.dumps(x) for x in lines) + "\n", "file:///x/marsh-2031-05-09.jsonl"))
    # 2031-05-06 may be its listing day or its publication day: not surely either, and the
    # file name's day is not it. An item whose date is the file's day keeps it.
    reeds, lily = found["3105.00211"], found["3105.00212"]
    assert (reeds.listed_on, reeds.upvotes, reeds.extra["item_date"]) == (None, 33, "2031-05-06")
    assert lily.listed_on == dt.date(2031, 5, 9)


# -- 2. a bad field is left empty, the item kept -------------------------------------------

def test_a_rank_of_zero_leaves_the_rank_empty_and_keeps_title_and_upvotes():
    parsed = read({"date": "2031-05-09", "papers": [
        {"arxiv_id": "3105.00301", "title": "Zero-Indexed Ponds", "rank": 0, "upvotes": 150}]})
    (obs,) = parsed.observations
    assert (obs.title, obs.upvotes, obs.rank) == ("Zero-Indexed Ponds", 150, None)
    assert obs.extra["unread"]["rank"] == {"key": "rank", "value": 0}
    assert not parsed.problems


def test_negative_fractional_textual_and_huge_counts_are_left_empty_and_named():
    found = by_id(read({"date": "2031-05-09", "papers": [
        {"arxiv_id": "3105.00311", "title": "Minus", "upvotes": -3, "comments": 2},
        {"arxiv_id": "3105.00312", "title": "Half", "upvotes": 12.5, "comments": 3.0},
        {"arxiv_id": "3105.00313", "title": "Text", "upvotes": "41", "comments": "12 pages, 5 figures"},
        {"arxiv_id": "3105.00314", "title": "Huge", "upvotes": 10 ** 15}]}))
    assert [(o.title, o.upvotes, o.comments) for o in found.values()] == [
        ("Minus", None, 2), ("Half", None, None), ("Text", None, None), ("Huge", None, None)]
    assert found["3105.00311"].extra["unread"] == {"upvotes": {"key": "upvotes", "value": -3}}
    assert found["3105.00312"].extra["unread"]["comments"] == {"key": "comments", "value": 3.0}
    assert found["3105.00313"].extra["unread"] == {"upvotes": {"key": "upvotes", "value": "41"}}  # not the comment
    assert found["3105.00314"].extra["unread"]["upvotes"]["value"] == 10 ** 15


def test_a_field_the_model_refuses_is_left_empty_and_the_item_kept():
    parsed = read([{"arxiv_id": "3105.00321", "title": "Long " * 500, "upvotes": 7}])
    (obs,) = parsed.observations
    assert (obs.title, obs.upvotes) == (None, 7)
    assert "title" in obs.extra["unread"] and "title" not in obs.extra["read"]["fields"]
    (problem,) = parsed.problems
    assert "title: String should have at most" in problem.reason and "the rest of the item kept" in problem.reason


# -- 3. lists that say they are not the day's ---------------------------------------------

def test_a_previously_covered_list_gets_no_day_and_no_rank():
    found = by_id(read({"date": "2031-05-09",
                        "trending": [{"arxiv_id": "3105.00401", "title": "Reed Beds", "upvotes": 120, "rank": 1}],
                        "last_week_top": [
                            {"arxiv_id": "3104.00411", "title": "Old Ponds", "upvotes": 410, "rank": 1,
                             "listed_on": "2031-05-02"},
                            {"arxiv_id": "3104.00412", "title": "Older Ponds", "upvotes": 305, "rank": 2}],
                        "previously_covered": [{"arxiv_id": "3104.00421", "title": "Dry Ponds", "upvotes": 17}]}))
    assert (found["3105.00401"].listed_on, found["3105.00401"].rank) == (dt.date(2031, 5, 9), 1)
    old, older, dry = found["3104.00411"], found["3104.00412"], found["3104.00421"]
    assert (old.listed_on, old.rank) == (dt.date(2031, 5, 2), None)  # the day it states is kept
    assert (older.listed_on, older.rank, older.extra["rank_in_section"]) == (None, None, 2)
    assert (dry.listed_on, dry.title, dry.upvotes) == (None, "Dry Ponds", 17)
    assert dry.extra["not_the_days_list"] == "previously_covered"


def test_a_group_named_see_also_and_its_subgroups_are_not_the_days_list():
    found = by_id(read({"date": "2031-05-09", "groups": [
        {"name": "Today", "papers": [{"arxiv_id": "3105.00431", "title": "Reed Beds"}]},
        {"name": "See also", "papers": [{"name": "cs.CV", "papers": [{"arxiv_id": "3104.00432", "rank": 1}]}]}]}))
    assert found["3105.00431"].listed_on == dt.date(2031, 5, 9)
    assert (found["3104.00432"].listed_on, found["3104.00432"].rank) == (None, None)


def test_names_that_say_not_the_days_list():
    for name in ("previously_covered", "Previously covered", "relatedPapers", "see_also", "archive",
                 "last_week_top", "yesterday", "from_yesterday"):
        assert structured.not_the_days_list(name), name
    for name in ("papers", "trending", "cs.CV", "top_today", "Latest", "data", None):
        assert not structured.not_the_days_list(name), name


# -- 4. a table of arrays under a columns header -------------------------------------------

def test_rows_of_arrays_under_columns_read_like_objects():
    parsed = read({"date": "2031-05-09", "columns": ["arxiv_id", "title", "upvotes", "comments"],
                   "rows": [["3105.00501", "Reed Beds", 64, 5], ["3105.00502", "Lily Pads", 40, 1]]})
    assert [(o.arxiv_id, o.title, o.upvotes, o.comments, o.listed_on) for o in parsed.observations] == [
        ("3105.00501", "Reed Beds", 64, 5, dt.date(2031, 5, 9)),
        ("3105.00502", "Lily Pads", 40, 1, dt.date(2031, 5, 9))]
    assert "section" not in parsed.observations[0].extra


def test_arrays_that_do_not_fit_their_columns_are_not_read():
    assert structured.rows_as_objects([["3105.00501", "Reed Beds", 64]], ["arxiv_id", "title"]) is None
    assert structured.rows_as_objects([[1, 2], [3, 4]]) is None  # no header of names
    assert structured.rows_as_objects([["arxiv_id", "title"], ["3105.00501", "Reed Beds"]]) == [
        {"arxiv_id": "3105.00501", "title": "Reed Beds"}]


# -- 5. feeds: a window's start and a title's own date are no list's day ------------------

def feed(*items: str, title: str = "Marsh Radar") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>https://marsh.example/</link>"
            f"<lastBuildDate>Tue, 09 May 2031 07:00:00 +0000</lastBuildDate>{''.join(items)}</channel></rss>")


def item(aid: str, title: str, pub: str = "Mon, 08 May 2031 10:00:00 +0000", link: str | None = None) -> str:
    return (f"<item><title>{title}</title><link>{link or f'https://arxiv.org/abs/{aid}'}</link>"
            f"<description>Upvotes: 40</description><pubDate>{pub}</pubDate></item>")


def read_feed(text: str):
    assert feeds.sniff(text, "file:///x/feed.xml")
    return by_id(feeds.FORMAT.parse(text, "file:///x/feed.xml"))


def test_a_channel_title_naming_a_window_start_gives_no_day():
    found = read_feed(feed(item("3105.00601", "Reed Beds"), title="Marsh radar — everything since 2031-05-01"))
    assert found["3105.00601"].listed_on is None
    found = read_feed(feed(item("3105.00601", "Reed Beds"), title="Marsh papers 2031-05-01 to 2031-05-07"))
    assert found["3105.00601"].listed_on is None


def test_a_date_that_is_part_of_a_title_stays_in_it():
    found = read_feed(feed(item("3105.00611", "LiveBench Snapshot: 2031-01-01"),
                           item("3105.00612", "Marsh Survey | 2030-02-03")))
    assert (found["3105.00611"].title, found["3105.00611"].listed_on) == ("LiveBench Snapshot: 2031-01-01", None)
    # set apart, but a year before the entry's own time: the paper's date, not the list's
    assert (found["3105.00612"].title, found["3105.00612"].listed_on) == ("Marsh Survey | 2030-02-03", None)


# -- 6. alphaXiv pages and arXiv's DOI name arXiv papers ----------------------------------

def test_alphaxiv_pages_name_arxiv_ids():
    assert parse_arxiv_id("https://www.alphaxiv.org/abs/3105.00701v2") == parse_arxiv_id("3105.00701v2")
    assert parse_arxiv_id("https://alphaxiv.org/overview/3105.00701").id == "3105.00701"
    assert parse_arxiv_id("https://www.alphaxiv.org/zh/overview/3105.00701") is None  # a translation
    assert [a.id for a in find_arxiv_ids("read it at https://www.alphaxiv.org/abs/3105.00702.")] == ["3105.00702"]


def test_structured_items_by_alphaxiv_link_or_arxiv_doi():
    found = by_id(read({"date": "2031-05-09", "papers": [
        {"paper_url": "https://www.alphaxiv.org/abs/3105.00711", "title": "Reed Beds", "upvotes": 30},
        {"doi": "10.48550/arXiv.3105.00712", "title": "Lily Pads"},
        {"doi": "10.1000/xyz123", "title": "Not arXiv", "pdf": "https://arxiv.org/pdf/3105.00713v3.pdf"}]}))
    assert (found["3105.00711"].title, found["3105.00711"].upvotes) == ("Reed Beds", 30)
    assert found["3105.00712"].title == "Lily Pads"
    assert found["3105.00713"].arxiv_version == 3


def test_a_feed_entry_linking_alphaxiv_is_a_paper_entry():
    # (the feed is recognised by its arXiv link: generic.has_paper_link does not know alphaXiv)
    found = read_feed(feed(item("3105.00721", "Reed Beds", link="https://www.alphaxiv.org/abs/3105.00721"),
                           item("3105.00722", "Lily Pads")))
    assert (found["3105.00721"].title, found["3105.00721"].upvotes) == ("Reed Beds", 40)
