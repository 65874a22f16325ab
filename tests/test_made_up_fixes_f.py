"""The generic readers on what the made-up set-f found wrong (each case a few lines written
here, the set itself in tests/cases/made_up_digests/set-f): counts written apart, as
ranges or as another platform's; lists of other days and paid slots; titles with struck
words, screen-reader text, badges and places before them; a heading's weekday, a weekend,
a reply's subject; numbering that starts again under a later heading."""

from __future__ import annotations

import datetime as dt

import pytest

from scrapers.pages.digests import feeds, generic
from scrapers.pages.digests.item_fields import counts, not_the_days_list, split_authors
from scrapers.pages.email_message import unwrap

D = dt.date


def listed(text: str, url: str = "file:///x/2031-11-20-post.md") -> dict:
    """The items (not citations) a post lists, by id."""
    return {o.arxiv_id: o for o in generic.FORMAT.parse(text, url).observations
            if o.arxiv_id and not o.extra.get("citation")}


@pytest.mark.parametrize("line, names", [
    ("Anna Berg, Tomas Lind, et al.", ["Anna Berg", "Tomas Lind"]),
    ("Anna Berg 외 5명", ["Anna Berg"]),
    ("Anna Berg, Ivan Petrov, and others", ["Anna Berg", "Ivan Petrov"]),
    ("Anna Berg, Ivan Petrov +2", ["Anna Berg", "Ivan Petrov"]),
    ("张伟, 李娜等", ["张伟", "李娜"]),
])
def test_an_author_line_that_says_it_goes_on_is_cut_whatever_its_language(line, names):
    assert split_authors(line) == (names, True)


def test_an_oxford_comma_before_the_last_name_is_no_part_of_it():
    assert split_authors("Bo Sample, Cy Test, and Di Trial") == (["Bo Sample", "Cy Test", "Di Trial"], False)


@pytest.mark.parametrize("text", [
    "1\u2009234 upvotes", "👍 2\u2007048", "👍 ١٬٢٣٤", "👍 ١٫٢ ألف",            # thousands written apart
    "120–130 upvotes", "between 120 and 130 upvotes", "40-45 upvotes",          # ranges
    "Upvotes: 57 ➔ 64", "👍 33 ⟶ 36", "👍 12 » 15",                              # changes
    "it picked up another 9 upvotes.",                                           # a delta in words
    "👍 41 (LinkedIn)", "👍 19 (Discord reactions)", "YouTube likes: 88",        # other platforms
    "Blog comments: 6", "reader poll votes: 12",
])
def test_a_number_that_is_not_one_exact_count_of_the_paper_is_not_read(text):
    assert counts(text)[0] == {}


def test_exact_counts_beside_ids_versions_and_titles_are_still_read():
    assert counts("arXiv:2606.03202v2 — 19 upvotes, 3 comments")[0] == {"upvotes": 19, "comments": 3}
    assert counts("GPT-4 - 👍 14")[0] == {"upvotes": 14}
    assert counts("👍 1,234 · 💬 12")[0] == {"upvotes": 1234, "comments": 12}
    # A star is GitHub's unless a rating's.
    assert counts("⭐ 1200")[0] == {"extra.stars": 1200}
    assert counts("Rating: ⭐ 4")[0] == {}


@pytest.mark.parametrize("heading", [
    "Last Tuesday's winners", "This week's leaders (Mon–Sun)", "trendingThisWeek", "Ранее в дайджесте",
    "Aus der letzten Ausgabe", "Semaine dernière", "Edición anterior"])
def test_a_heading_or_key_naming_another_days_list_in_several_languages(heading):
    assert not_the_days_list(heading)


def test_todays_headings_are_the_days_list():
    for heading in ("Top 3", "Today's papers", "Honourable mentions", "Best in vision", "Daily papers — 20 November"):
        assert not not_the_days_list(heading), heading


SLOTS = """# Morning Matrix — 20 November 2031

1. [Open Segments](https://arxiv.org/abs/3111.21801) — 👍 92
2. **Sponsored:** [Serving on Commodity Chips](https://arxiv.org/abs/3111.21899) — 👍 500 on launch day
3. [Faithful Chart Captions](https://arxiv.org/abs/3111.21803) — 👍 41
4. ~~[Leaky Benchmarks](https://arxiv.org/abs/3111.21898)~~ — withdrawn by the authors; was 👍 37
5. [Withdrawn Papers as Training Data](https://arxiv.org/abs/3111.21805) — 👍 12
"""


def test_a_paid_slot_and_a_withdrawn_paper_in_the_list_are_not_listed():
    found = listed(SLOTS)
    assert set(found) == {"3111.21801", "3111.21803", "3111.21805"}
    # A title that holds the word is the paper's own words, not a note that it was withdrawn.
    assert found["3111.21805"].title == "Withdrawn Papers as Training Data"


HTML_TITLES = """<html><body><h1>Daily papers 2031-11-13</h1><ol>
<li><a href="https://arxiv.org/abs/3111.13701">Contrastive Maps for Indoor Robots<span class="sr-only"> (opens in a new tab)</span></a> — 45 upvotes</li>
<li><a href="https://arxiv.org/abs/3111.13702">Self-Supervised Hyper\u00adspectral Unmixing <svg><title>External link</title></svg></a> — 38 upvotes</li>
<li><a href="https://arxiv.org/abs/3111.13703"><del>Calibrated</del> <ins>Conformal</ins> Forecasts for Grid Load</a> — 20 upvotes</li>
<li><a href="https://arxiv.org/abs/3111.13704"><span class="badge">NEW</span> Token Pruning for Speech Encoders</a> — 11 upvotes</li>
</ol></body></html>"""


def test_a_links_title_is_the_words_it_shows_as_the_title():
    found = listed(HTML_TITLES, "file:///x/page.html")
    assert [found[i].title for i in ("3111.13701", "3111.13702", "3111.13703", "3111.13704")] == [
        "Contrastive Maps for Indoor Robots", "Self-Supervised Hyperspectral Unmixing",
        "Conformal Forecasts for Grid Load", "Token Pruning for Speech Encoders"]


def test_struck_words_and_a_place_or_label_before_a_title_are_no_part_of_it():
    post = ("# Daily papers — 14 November 2031\n\n"
            "- [#1 — Streaming Transducers Without Lookahead](https://arxiv.org/abs/3111.14501) — 👍 60\n"
            "- [Paper 3: Grounded Captions for Maps](https://arxiv.org/abs/3111.14503) — 👍 30\n"
            "- [Spotlight ★ Learning to Cite Sources](https://arxiv.org/abs/3111.14504) — 👍 20\n"
            "- [~~Retrieval~~ Rewriting Heads in Small Transformers](https://arxiv.org/abs/3111.14505) — 👍 10\n"
            "- [Hot-Swapping Experts at Inference](https://arxiv.org/abs/3111.14506) — 👍 5\n")
    assert [o.title for o in listed(post).values()] == [
        "Streaming Transducers Without Lookahead", "Grounded Captions for Maps", "Learning to Cite Sources",
        "Rewriting Heads in Small Transformers", "Hot-Swapping Experts at Inference"]


def test_a_feed_items_title_loses_its_place():
    rss = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Pond picks</title>"
           "<item><title>#1 · Stable Low-Bit Training</title><link>https://arxiv.org/abs/3111.24501</link>"
           "<pubDate>Mon, 24 Nov 2031 08:00:00 +0000</pubDate></item></channel></rss>")
    [obs] = feeds.FORMAT.parse(rss, "file:///x/feed.xml").observations
    assert obs.title == "Stable Low-Bit Training"


@pytest.mark.parametrize("post, day", [
    ("# Thursday's papers\n\nPosted: Friday 7 November 2031\n\n", None),       # the list is Thursday's
    ("# Friday's papers\n\nPosted: Friday 7 November 2031\n\n", D(2031, 11, 7)),
    ("# Weekend edition\n\nDate: 2031-11-10\n\n", None),                        # two days in one list
])
def test_a_heading_naming_a_weekday_or_a_weekend_that_the_date_line_is_not(post, day):
    post += "1. [Reed Beds](https://arxiv.org/abs/3111.05801) — 👍 9\n"
    assert {o.listed_on for o in listed(post, "file:///x/post.md").values()} == {day}


def test_a_replys_subject_is_no_title_of_its_message_but_a_forwards_is():
    mail = ("From: Pond <a@pond.example>\nTo: b@example.org\nSubject: {subject}\n"
            "Date: Wed, 26 Nov 2031 07:00:00 +0000\nContent-Type: text/plain; charset=utf-8\n\nToday's list.\n")
    reply = unwrap(mail.format(subject="Re: Papers Club — 25 November 2031").encode())
    assert "title:" not in reply.split("---", 2)[1]
    forward = unwrap(mail.format(subject="Fwd: Papers Club — 25 November 2031").encode())
    assert "title: Fwd: Papers Club — 25 November 2031" in forward


NUMBERED_AGAIN = """# Daily papers — 23 November 2031

## Top 3

1. [Sparse Upcycling](https://arxiv.org/abs/3111.23501) — 👍 95
2. [Warmup, Explained](https://arxiv.org/abs/3111.23502) — 👍 71
3. [Audio Captions](https://arxiv.org/abs/3111.23503) — 👍 44

## Honourable mentions

1. [Prompt Compression](https://arxiv.org/abs/3111.23504) — 👍 30
2. [Ocean Currents](https://arxiv.org/abs/3111.23505) — 👍 27

## The rest

4. [Glacier Edges](https://arxiv.org/abs/3111.23506) — 👍 20
"""


def test_numbering_that_starts_again_under_a_later_heading_is_a_place_not_a_rank():
    found = listed(NUMBERED_AGAIN, "file:///x/post.md")
    assert {i: o.rank for i, o in found.items()} == {
        "3111.23501": 1, "3111.23502": 2, "3111.23503": 3, "3111.23504": None, "3111.23505": None, "3111.23506": 4}
    assert found["3111.23504"].extra["position"] == 1
    # The day's ranks still rank by upvotes: the mentions' numbers no longer repeat them.
    assert found["3111.23501"].extra["rank_basis"] == "upvotes"


def test_an_rss_1_feed_whose_channel_lists_paper_links_is_a_digest_feed():
    rdf = ("<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
           "xmlns='http://purl.org/rss/1.0/'><channel rdf:about='https://pond.example/feed'>"
           "<title>Pond picks</title><link>https://pond.example/</link><items><rdf:Seq>"
           "<rdf:li rdf:resource='https://arxiv.org/abs/3111.22101'/></rdf:Seq></items></channel>"
           "<item rdf:about='https://arxiv.org/abs/3111.22101'><title>Mixture of Depths for Codecs</title>"
           "<link>https://arxiv.org/abs/3111.22101</link><description>👍 58</description></item></rdf:RDF>")
    assert feeds.FORMAT.sniff(rdf, "file:///x/feed.rdf")
    [obs] = feeds.FORMAT.parse(rdf, "file:///x/feed.rdf").observations
    assert (obs.arxiv_id, obs.title) == ("3111.22101", "Mixture of Depths for Codecs")
    # arXiv's own feed names arxiv.org outside its list of items: still not a digest.
    assert not feeds.FORMAT.sniff(rdf.replace("https://pond.example/</link>", "https://arxiv.org/</link>"),
                                  "file:///x/feed.rdf")


# -- set-g (probe20) ---------------------------------------------------------------------------

@pytest.mark.parametrize("heading", [
    "Also on our blog", "More from the blog", "Hall of fame (all-time most upvoted)", "Most upvoted in 2026",
    "top_of_week", "Comments"])
def test_more_headings_and_keys_that_name_no_days_list(heading):
    assert not_the_days_list(heading)


def test_a_reactions_bar_is_no_upvote_count():
    assert counts("👍 7 🎉 1")[0] == {} and counts("👍 12 ❤️ 3 🚀 2")[0] == {}
    assert counts("👍 190 · 💬 12")[0] == {"upvotes": 190, "comments": 12}


@pytest.mark.parametrize("post, day", [
    ("# 令和8年12月6日（日）のDaily Papers\n\n", D(2026, 12, 6)),
    ("# 民國115年12月6日 每日論文\n\n", D(2026, 12, 6)),
    # A later heading names another day than the file's: neither is taken.
    ("# The Overnight List\n\n## Papers from 2026-12-04 (published 2026-12-05)\n\n", None),
    # The intro links Hugging Face's list of another day than the file's.
    ("# What topped the list\n\nThe full board: <https://huggingface.co/papers?date=2026-12-06>.\n\n", None),
    ("# What topped the list\n\nThe full board: <https://huggingface.co/papers?date=2026-12-07>.\n\n",
     D(2026, 12, 7)),
])
def test_era_calendars_later_headings_and_linked_day_lists(post, day):
    post += "1. [Reed Beds](https://arxiv.org/abs/2612.06601) — 👍 9\n"
    assert {o.listed_on for o in listed(post, "file:///x/2026-12-07-post.md").values()} == {day}


def test_a_comment_section_and_an_archived_item_are_not_the_posts_list():
    page = ("<html><body><h1>Daily papers 2026-12-09</h1><ol>"
            "<li><a href='https://arxiv.org/abs/2612.09101'>Reed Beds</a> — 12 upvotes "
            "<span class='comments'>💬 4</span></li></ol>"
            "<section id='comments'><h2>Comments</h2><ol><li>Also read "
            "<a href='https://arxiv.org/abs/2612.09177'>Lily Pads</a> — 👍 3</li></ol></section></body></html>")
    found = listed(page, "file:///x/page.html")
    assert set(found) == {"2612.09101"} and found["2612.09101"].comments == 4
    toc = ("# Issue 12 — 11 December 2026\n\n1. [Reed Beds](https://arxiv.org/abs/2612.11101) — 👍 9\n"
           "2. From the archive: [Lily Pads](https://arxiv.org/abs/2611.30077) — 👍 30\n")
    assert set(listed(toc, "file:///x/toc.md")) == {"2612.11101"}


def test_a_feed_item_without_a_title_is_read_without_one():
    rss = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Pond picks</title>"
           "<item><link>https://arxiv.org/abs/3111.24501</link><description>👍 5</description></item>"
           "</channel></rss>")
    [obs] = feeds.FORMAT.parse(rss, "file:///x/feed.xml").observations
    assert (obs.arxiv_id, obs.title) == ("3111.24501", None)
