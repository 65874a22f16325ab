"""The generic digest parser (the last resort) and digest feeds.

The generic parser is run on every sample digest as if no specific parser existed: it must
find exactly the arXiv ids the file links to (it never invents one, and misses none), and
titles, counts, ranks and days at least as often as the floors below. Samples are read from
../shared at run time; the fixtures here are made-up text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

import scrapers.pages as pages
from reconcile.ids import parse_arxiv_id
from scrapers.pages import PageError, read_page
from scrapers.pages.digests import feeds, generic, item_fields, newsletter
from scrapers.pages.digests.markup import html_to_markdown, looks_like_html

from .support import SHARED, needs_shared

MTIME = dt.datetime(2032, 7, 1, 12, 0, tzinfo=dt.timezone.utc)  # after every time the made-up files state

# folder under samples/ -> (glob, floors over all its files). Counted over observations
# that carry an arXiv id, except "mentions".
FLOORS = {
    "digests/atharvadomale-daily-hf-ai-papers/readme-snapshots":
        # 74 stars: one item's "⭐ 2.49k" is no count of 2 (it was read as 2 before).
        ("*.md", {"files": 4, "ids": 75, "titled": 75, "ranked": 75, "listed_on": 75, "stars": 74}),
    "digests/dair-ai-ml-papers-of-the-week":
        ("*.md", {"files": 1, "ids": 57, "titled": 57, "ranked": 57, "mentions": 13}),
    "digests/ko-l-yohai-daily_papers_ko":
        ("*.md", {"files": 2, "ids": 41, "titled": 41, "upvotes": 41, "authors": 41, "listed_on": 41}),
    "digests/zh-hf-daily-paper-newsletter-chinese":
        ("*.*", {"files": 2, "ids": 10, "titled": 10, "ranked": 10, "listed_on": 10}),
    "digests/zh-zi-yangchen-hf-daily-papers-summarizer":
        ("*.md", {"files": 1, "ids": 3, "titled": 3, "upvotes": 3, "ranked": 3, "listed_on": 3}),
    "blog-lim4349/posts":
        ("*.md", {"files": 76, "ids": 727, "titled": 727, "upvotes": 727, "ranked": 727,
                  "listed_on": 727, "organization": 726}),
}
_URL = re.compile(r"https?://[^\s)\]>\"'|<]+")


def linked_ids(text: str) -> set[str]:
    """The arXiv ids of the file's arXiv / Hugging Face paper links, found independently
    of the parser."""
    found = set()
    for url in _URL.findall(text):
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
        if host in ("arxiv.org", "huggingface.co", "hf.co") and parts.path.startswith(
                ("/abs/", "/pdf/", "/html/", "/papers/")):
            aid = parse_arxiv_id(url.rstrip(".,;"))
            if aid:
                found.add(aid.id)
    return found


def counts_of(observations) -> dict[str, int]:
    linked = [o for o in observations if o.arxiv_id]
    return {
        "ids": len(linked),
        "titled": sum(1 for o in linked if o.title),
        "upvotes": sum(1 for o in linked if o.upvotes is not None),
        "ranked": sum(1 for o in linked if o.rank is not None),
        "listed_on": sum(1 for o in linked if o.listed_on),
        "authors": sum(1 for o in linked if o.authors),
        "organization": sum(1 for o in linked if o.organization),
        "stars": sum(1 for o in linked if "stars" in o.extra),
        "mentions": sum(1 for o in observations if o.extra.get("mention")),
    }


@needs_shared
@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_generic_finds_every_linked_id_and_most_titles(folder):
    pattern, floors = FLOORS[folder]
    paths = sorted((SHARED / "samples" / folder).glob(pattern))
    assert len(paths) == floors["files"]
    total = {k: 0 for k in counts_of([])}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        url = path.resolve().as_uri()
        assert generic.sniff(text, url), path.name
        obs = generic.FORMAT.parse(text, url).observations
        ids = [o.arxiv_id for o in obs if o.arxiv_id]
        assert len(ids) == len(set(ids)), path.name  # one observation per paper
        assert set(ids) == linked_ids(text), path.name  # none invented, none missed
        for key, value in counts_of(obs).items():
            total[key] += value
    for key, floor in floors.items():
        if key != "files":
            assert total[key] >= floor, (key, total[key])
    assert total["titled"] >= 0.9 * total["ids"]


@needs_shared
def test_generic_does_not_take_stars_for_upvotes():
    path = SHARED / "samples/digests/atharvadomale-daily-hf-ai-papers/readme-snapshots/README_2026-01-29.md"
    obs = generic.FORMAT.parse(path.read_text(encoding="utf-8"), path.as_uri()).observations
    assert all(o.upvotes is None for o in obs)
    assert (obs[0].rank, obs[0].arxiv_id, obs[0].extra["stars"]) == (1, "2601.18491", 178)
    assert obs[0].title == "AgentDoG: A Diagnostic Guardrail Framework for AI Agent Safety and Security"


@needs_shared
def test_generic_reads_the_html_newsletter_like_its_markdown():
    base = SHARED / "samples/digests/zh-hf-daily-paper-newsletter-chinese/2025-01-13_daily_paper"
    md, html = (generic.FORMAT.parse(p.read_text(encoding="utf-8"), "file:///x").observations
                for p in (base.with_suffix(".md"), base.with_suffix(".html")))
    assert [o.model_dump() for o in md] == [o.model_dump() for o in html]
    # The title label wins over the translated heading.
    assert md[0].title == "VideoRAG: Retrieval-Augmented Generation over Video Corpus"


@needs_shared
def test_generic_reads_no_json():
    folder = SHARED / "samples/digests/atharvadomale-daily-hf-ai-papers/data-daily"
    for path in sorted(folder.glob("*.json"))[:5]:
        text = path.read_text(encoding="utf-8")
        assert not generic.sniff(text, path.as_uri())
        with pytest.raises(PageError, match="JSON is data"):
            generic.FORMAT.parse(text, path.as_uri())


@needs_shared
def test_generic_mentions_in_a_weekly_table():
    path = next((SHARED / "samples/digests/dair-ai-ml-papers-of-the-week").glob("*.md"))
    obs = generic.FORMAT.parse(path.read_text(encoding="utf-8"), path.as_uri()).observations
    mentions = {o.extra["mentioned_as"]: o for o in obs if o.extra.get("mention")}
    assert {"AlphaGenome", "AlphaEvolve", "HealthBench"} <= set(mentions)
    assert all(o.title is None and o.arxiv_id is None for o in mentions.values())
    assert mentions["AlphaGenome"].rank == 6
    first = next(o for o in obs if o.arxiv_id == "2506.17298")
    assert (first.rank, first.title) == (1, "Ultra-Fast Diffusion-based Language Models")
    assert first.extra["section"].startswith("Top ML Papers of the Week (June 23")


# -- sniff order: generic last, the feed after arXiv's RSS ------------------------------------
@needs_shared
def test_generic_takes_no_file_a_specific_parser_reads():
    expected = {"blog-lim4349/posts": "digest-jekyll-daily",
                "hf-papers-html": "huggingface-paper-markdown",
                "arxiv-rss": "arxiv-rss",
                "digests/zh-hf-daily-paper-newsletter-chinese": "digest-zh-newsletter",
                "digests/zh-zi-yangchen-hf-daily-papers-summarizer": "digest-zh-llm"}
    for folder, name in expected.items():
        paths = [p for p in sorted((SHARED / "samples" / folder).glob("*.*")) if p.suffix != ".md"
                 or "NOTES" not in p.name]
        assert paths
        for path in paths:
            text = path.read_text(encoding="utf-8")
            assert pages.choose_format(text, path.as_uri()).name == name, path.name
    for seed in sorted((SHARED / "seeds").glob("*")):
        chosen = read_page(seed.as_uri(), seed.read_bytes(), {}, mtime=MTIME).document.format
        assert chosen != "digest-generic", seed.name


@needs_shared
def test_arxiv_rss_is_not_a_digest_feed():
    for path in sorted((SHARED / "samples/arxiv-rss").glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        assert not feeds.sniff(text, path.as_uri())
        assert not generic.sniff(text, path.as_uri())
        assert pages.choose_format(text, path.as_uri()).name == "arxiv-rss"


# -- made-up posts: items, titles, markers, mentions, days ------------------------------------
POST = """---
title: Owl Notes
date: 2031-03-04 08:00:00 +0900
---

# Owl Notes, the weekly pick

## Picks

1. **Glass Owls: Seeing Through Sparse Attention** - 👍 42
   - Authors: Ada Quill, Bo Reed
   - Institution: Moonlit Lab
   - [arXiv](https://arxiv.org/abs/3103.01234v2) | [HF](https://huggingface.co/papers/3103.01234)
2. A second pick, about GlimmerNet-7B. GlimmerNet scales to seven billion parameters and
   GlimmerNet-7B beats its baselines.
3. [Paper Kites: Flying Gradients](https://huggingface.co/papers/3103.05678) (Upvotes: 17)
   It builds on [Old Kites](https://arxiv.org/abs/3001.00077).

A paper we only cite in passing: 3103.09999, and a thumbnail
![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/3103.04444.png).
"""


def test_generic_reads_a_made_up_post():
    parsed = generic.FORMAT.parse(POST, "file:///notes/owl.md")
    by_id = {o.arxiv_id: o for o in parsed.observations if o.arxiv_id}
    assert set(by_id) == {"3103.01234", "3103.05678", "3001.00077"}  # no bare id, no thumbnail
    owls = by_id["3103.01234"]
    assert (owls.rank, owls.upvotes, owls.arxiv_version) == (1, 42, 2)
    assert owls.title == "Glass Owls: Seeing Through Sparse Attention"
    assert owls.authors == ["Ada Quill", "Bo Reed"] and owls.organization == "Moonlit Lab"
    assert owls.url == "https://arxiv.org/abs/3103.01234v2"
    assert owls.extra["hf_url"] == "https://huggingface.co/papers/3103.01234"
    kites = by_id["3103.05678"]
    assert (kites.rank, kites.upvotes, kites.title) == (3, 17, "Paper Kites: Flying Gradients")
    cited = by_id["3001.00077"]
    # A paper linked inside an item is a citation: no title (a link text in prose is often a
    # nickname), no day, rank or counts.
    assert (cited.rank, cited.title, cited.listed_on, cited.extra["cited_in"]) == (None, None, None, "3103.05678")
    assert cited.extra["link_text"] == "Old Kites" and cited.extra["citation"] is True
    # The front matter's date is the publication time; the first heading has no day.
    assert parsed.published_at == dt.datetime(2031, 3, 3, 23, 0, tzinfo=dt.timezone.utc)
    assert {o.listed_on for o in parsed.observations if not o.extra.get("citation")} == {dt.date(2031, 3, 4)}
    assert owls.extra["read"] == {"reader": "digest-generic", "fields": {
        "title": "inferred:bold", "rank": "numbering", "upvotes": "marker:👍 N", "authors": "label:authors",
        "organization": "label:institution", "listed_on": "front_matter:date"}}


def test_generic_mention_uses_the_newsletter_heuristic():
    assert generic.mentioned_name is newsletter.mentioned_name
    parsed = generic.FORMAT.parse(POST, "file:///notes/owl.md")
    (mention,) = [o for o in parsed.observations if o.extra.get("mention")]
    assert (mention.rank, mention.title, mention.arxiv_id) == (2, None, None)
    # A variant counts for its stem: the newsletter heuristic's rule.
    assert mention.extra["mentioned_as"] == "GlimmerNet"
    assert mention.extra["rank_basis"] == "position"


# marker text -> (upvotes, stars, comments). Every entry of COUNT_MARKERS has a case here.
MARKER_CASES = {
    "👍 N": ("👍 1,234", 1234, None),
    "Upvotes: N": ("**Upvotes**: 12", 12, None),
    "N upvotes": ("12 upvotes", 12, None),
    "Vote: N": ("Vote: 12", 12, None),
    "Likes: N": ("Likes: 12", 12, None),
    "点赞/좋아요: N": ("좋아요: 12", 12, None),
    "⭐ N upvotes": ("⭐ 12 upvotes", 12, None),
    "⭐ N": ("⭐ 12", None, 12),
    "N comments": ("8 comments", None, None),
    "Comments: N": ("Comments: 8", None, None),
    "💬 N": ("💬 8", None, None),
    "评论/댓글: N": ("댓글: 8", None, None),
    "N 👍": ("1,234 👍", 1234, None),
    "N 💬": ("8 💬", None, None),
}


def test_every_marker_has_a_case():
    assert set(MARKER_CASES) == set(item_fields.COUNT_MARKERS)


@pytest.mark.parametrize("marker", sorted(MARKER_CASES))
def test_count_markers(marker):
    shown, upvotes, stars = MARKER_CASES[marker]
    text = f"## Today\n\n1. [Lamp Fields: Lighting the Loss](https://arxiv.org/abs/3104.00011) {shown}\n"
    (obs,) = generic.FORMAT.parse(text, "file:///x.md").observations
    assert obs.upvotes == upvotes
    assert obs.extra.get("stars") == stars
    assert obs.comments == (8 if "comment" in marker.lower() or "💬" in marker or "评论" in marker else None)
    assert obs.title == "Lamp Fields: Lighting the Loss"


# A number beside a count's marker that is not one item's count: (item text, upvotes,
# comments) as the item states them. Made-up papers; each line once read a false count.
NOT_COUNTS = {
    # arXiv's comment field: pages, not comments.
    "arxiv-comment-field": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021)\n   Comment: 12 pages, 5 figures",
                            None, None),
    "arxiv-comments-field": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021)\n   Comments: 23 pages\n"
                             "   Upvotes: 17", 17, None),
    # A count's words inside the title, the link's or the lead's.
    "title-in-link": ("[Why 3 Comments Beat 1,000 Likes](https://arxiv.org/abs/3104.00021) — 👍 9", 9, None),
    "title-in-lead": ("**Seven Upvotes: 7 Lessons from Ranking** [arXiv](https://arxiv.org/abs/3104.00021)",
                      None, None),
    # A sum over the list, after the last item.
    "sum-after-list": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021)\n\n"
                       "Stats for today: 👍 230 total across all papers · 💬 41 comments overall.", None, None),
    "total-before": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021)\n\nTotal upvotes: 230", None, None),
    # Not whole numbers: "1.2k" is no 1, "2.5" no 5.
    "thousands": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021) ⭐ 2.49k · Upvotes: 1.2k", None, None),
    "decimal": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021) 2.5 upvotes", None, None),
    "title-runs-on": ("**Learning from 50 Comments** [arXiv](https://arxiv.org/abs/3104.00021)", None, None),
    "top-n": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021), one of the top 5 upvotes picks", None, None),
    # What still counts: two labelled counts on one line, a counter suffix, a CJK label.
    "two-labels": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021) Upvotes: 17 Comments: 3", 17, 3),
    "and": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021) — 12 upvotes and 3 comments", 12, 3),
    "counter-suffix": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021) 좋아요 12개 · 댓글 3개", 12, 3),
    "zh-labels": ("[Hyperbolic Knots](https://arxiv.org/abs/3104.00021) 点赞 36 · 评论 2", 36, 2),
}


@pytest.mark.parametrize("case", sorted(NOT_COUNTS))
def test_a_number_beside_a_marker_is_read_only_when_it_is_the_items_count(case):
    item, upvotes, comments = NOT_COUNTS[case]
    text = f"# Daily 2031-04-02\n\n1. {item}\n"
    (obs,) = generic.FORMAT.parse(text, "file:///x.md").observations
    assert (obs.upvotes, obs.comments, obs.extra.get("stars")) == (upvotes, comments, None)
    assert obs.title in {"Hyperbolic Knots", "Why 3 Comments Beat 1,000 Likes", "Seven Upvotes: 7 Lessons from Ranking",
                         "Learning from 50 Comments"}


def test_github_stars_are_not_upvotes():
    text = "## Today\n\n1. [Ink Wells](https://arxiv.org/abs/3104.00012) — code ⭐ 3.2k on GitHub\n"
    (obs,) = generic.FORMAT.parse(text, "file:///x.md").observations
    assert obs.upvotes is None


HTML_POST = """<h1>Pond Digest 2031-05-06</h1>
<h2>Top papers</h2>
<ol>
<li><strong>Reed Beds: Sparse Roots</strong> <a href="https://arxiv.org/abs/3105.00101">arXiv</a> 👍 9</li>
<li><a href="https://huggingface.co/papers/3105.00102">Lily Pads: Floating Tokens</a> Likes: 4</li>
</ol>
<table><tr><th>Paper</th><th>Link</th></tr>
<tr><td>Frog Song</td><td><a href="https://arxiv.org/pdf/3105.00103">PDF</a></td></tr></table>
"""
MARKDOWN_POST = """# Pond Digest 2031-05-06

## Top papers

1. **Reed Beds: Sparse Roots** [arXiv](https://arxiv.org/abs/3105.00101) 👍 9
2. [Lily Pads: Floating Tokens](https://huggingface.co/papers/3105.00102) Likes: 4

| Paper | Link |
| --- | --- |
| Frog Song | [PDF](https://arxiv.org/pdf/3105.00103) |
"""


def test_generic_reads_html_like_its_markdown():
    assert looks_like_html(HTML_POST) and not looks_like_html(MARKDOWN_POST)
    from_html = generic.FORMAT.parse(HTML_POST, "file:///pond.html").observations
    from_md = generic.FORMAT.parse(MARKDOWN_POST, "file:///pond.md").observations
    assert [o.model_dump() for o in from_html] == [o.model_dump() for o in from_md]
    assert [(o.rank, o.arxiv_id, o.upvotes, o.title) for o in from_md] == [
        (1, "3105.00101", 9, "Reed Beds: Sparse Roots"),
        (2, "3105.00102", 4, "Lily Pads: Floating Tokens"),
        (None, "3105.00103", None, None)]  # the table row is another list: a citation
    assert [o.listed_on for o in from_md] == [dt.date(2031, 5, 6)] * 2 + [None]


def test_html_to_markdown_keeps_structure():
    md = html_to_markdown('<h3>Title_with_underscore</h3><ol start="3"><li><b>A</b></li></ol>'
                          '<p><a href="https://arxiv.org/abs/3105.00001">x</a></p>')
    assert "### Title_with_underscore" in md
    assert "3. **A**" in md
    assert "[x](https://arxiv.org/abs/3105.00001)" in md


@pytest.mark.parametrize("url, day", [
    ("https://example.org/posts/2031-06-07-digest.md", dt.date(2031, 6, 7)),
    ("https://example.org/posts/2031-06-01_to_2031-06-07.md", None),
    ("https://example.org/posts/digest.md", None),
])
def test_listed_on_from_the_file_name(url, day):
    text = "## Picks\n\n1. [Moss Maps](https://arxiv.org/abs/3106.00001)\n"
    (obs,) = generic.FORMAT.parse(text, url).observations
    assert obs.listed_on == day


def test_listed_on_from_a_chinese_date_in_the_first_heading():
    text = "# 2031年6月7日 论文速递\n\n1. [Moss Maps](https://arxiv.org/abs/3106.00001)\n"
    (obs,) = generic.FORMAT.parse(text, "file:///x.md").observations
    assert obs.listed_on == dt.date(2031, 6, 7)


def test_generic_bad_input():
    with pytest.raises(PageError, match="no arXiv or Hugging Face paper link"):
        generic.FORMAT.parse("# Notes\n\n1. GlimmerNet is nice (3106.00001)\n", "file:///x.md")
    # With the word arXiv before it, the id is stated, and read as a link to it would be.
    stated = generic.FORMAT.parse("# Notes\n\n1. GlimmerNet is nice (arXiv:3106.00001)\n", "file:///x.md")
    linked = generic.FORMAT.parse("# Notes\n\n1. GlimmerNet is nice ([arXiv](https://arxiv.org/abs/3106.00001))\n",
                                  "file:///x.md")
    assert [(o.arxiv_id, o.title, o.rank) for o in stated.observations] == [
        (o.arxiv_id, o.title, o.rank) for o in linked.observations] == [("3106.00001", "GlimmerNet is nice", 1)]
    assert not generic.sniff("# Notes\n\nnothing linked\n", "file:///x.md")
    # The sources' own pages are never digests.
    assert not generic.sniff(MARKDOWN_POST, "https://huggingface.co/papers/3105.00101")
    assert not generic.sniff('{"url": "https://arxiv.org/abs/3105.00101"}', "file:///x.json")


# -- feeds ------------------------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel>
<title>Café Papers</title><link>https://cafe.example/</link><description>made up</description>
<item><title>Picks</title><link>https://cafe.example/p/picks</link>
<pubDate>Tue, 04 Mar 2031 07:30:00 +0900</pubDate>
<description><![CDATA[<h2>Top picks</h2><ol>
<li><a href="https://huggingface.co/papers/3103.01234">Glass Owls: Seeing Through Sparse Attention</a> 👍 42</li>
<li><strong>Paper Kites</strong> <a href="https://arxiv.org/abs/3103.05678v2">arXiv</a> Upvotes: 17</li>
</ol>]]></description></item>
<item><title>No body</title><link>https://cafe.example/p/none</link>
<pubDate>Wed, 05 Mar 2031 07:30:00 +0900</pubDate></item>
</channel></rss>
"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Heron Weekly</title><id>urn:example:heron</id><updated>2031-04-02T10:00:00Z</updated>
<entry><title>Issue 7</title><id>urn:example:heron:7</id>
<link href="https://heron.example/issues/7"/>
<published>2031-04-02T10:00:00Z</published><updated>2031-04-02T10:00:00Z</updated>
<summary>Short teaser without links.</summary>
<content type="html">&lt;h1&gt;Heron Weekly 2031-03-30&lt;/h1&gt;&lt;ol&gt;&lt;li&gt;&lt;a href="https://arxiv.org/abs/3103.07777"&gt;Wading Birds: Shallow Nets&lt;/a&gt; Vote: 5&lt;/li&gt;&lt;/ol&gt;</content>
</entry>
</feed>
"""


def test_feed_entries_public_api():
    assert [f.name for f in dataclasses.fields(feeds.FeedEntry)] == ["url", "title", "published", "content"]
    entries = feeds.feed_entries(RSS, "https://cafe.example/feed")
    assert [e.url for e in entries] == ["https://cafe.example/p/picks", "https://cafe.example/p/none"]
    assert entries[0].title == "Picks"
    assert entries[0].published == dt.datetime(2031, 3, 3, 22, 30, tzinfo=dt.timezone.utc)
    assert entries[0].published.utcoffset() == dt.timedelta(hours=9)  # the publisher's offset
    assert "huggingface.co/papers/3103.01234" in entries[0].content
    assert entries[1].content is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        entries[0].url = "x"  # type: ignore[misc]
    (issue,) = feeds.feed_entries(ATOM, "https://heron.example/atom")
    assert issue.content.startswith("<h1>")  # the longest of content and summary


def test_digest_feed_rss():
    assert feeds.sniff(RSS, "https://cafe.example/feed")
    parsed = feeds.FORMAT.parse(RSS, "https://cafe.example/feed")
    assert parsed.site == "Café Papers"
    obs = parsed.observations
    assert [(o.rank, o.arxiv_id, o.arxiv_version, o.upvotes) for o in obs] == [
        (1, "3103.01234", None, 42), (2, "3103.05678", 2, 17)]
    assert [o.title for o in obs] == ["Glass Owls: Seeing Through Sparse Attention", "Paper Kites"]
    assert {o.extra["feed_entry"] for o in obs} == {"https://cafe.example/p/picks"}
    # The post names no day: the entry's date, in the publisher's offset.
    assert {o.listed_on for o in obs} == {dt.date(2031, 3, 4)}
    assert [(p.reason, p.url) for p in parsed.problems] == [
        ("feed entry 2: no content", "https://cafe.example/p/none")]


def test_digest_feed_atom_prefers_the_day_the_post_names():
    assert feeds.sniff(ATOM, "https://heron.example/atom")
    (obs,) = feeds.FORMAT.parse(ATOM, "https://heron.example/atom").observations
    assert (obs.arxiv_id, obs.upvotes, obs.title) == ("3103.07777", 5, "Wading Birds: Shallow Nets")
    assert obs.listed_on == dt.date(2031, 3, 30)
    assert obs.extra["feed_entry"] == "https://heron.example/issues/7"


def test_digest_feed_through_read_page():
    result = read_page("https://heron.example/atom", ATOM.encode("utf-8"), {}, mtime=MTIME)
    assert result.document.format == "digest-feed"
    assert result.document.site == "Heron Weekly"
    assert result.document.observed_at == dt.datetime(2031, 4, 2, 10, 0, tzinfo=dt.timezone.utc)
    # Bytes in the encoding the declaration names are decoded before the feed is read.
    result = read_page("https://cafe.example/feed", RSS.encode("iso-8859-1", errors="replace"), {},
                       mtime=MTIME, format_name="digest-feed")
    assert result.document.site == "Café Papers"
    assert result.document.observed_at == dt.datetime(2031, 3, 4, 22, 30, tzinfo=dt.timezone.utc)
    assert [o.arxiv_id for o in result.observations] == ["3103.01234", "3103.05678"]


def test_digest_rss_linking_arxiv_is_not_taken_for_arxiv_rss():
    assert pages.choose_format(RSS, "https://cafe.example/feed").name == "digest-feed"


def test_feed_bad_input():
    empty = '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert feeds.feed_entries(empty, "https://q.example/feed") == []
    with pytest.raises(PageError, match="no entries"):
        feeds.FORMAT.parse(empty, "https://q.example/feed")
    with pytest.raises(PageError, match="not an RSS or Atom feed"):
        feeds.feed_entries("# just markdown\n\n[x](https://arxiv.org/abs/3103.00001)\n", "file:///x.md")
    with pytest.raises(PageError, match="broken feed with no entries"):
        feeds.feed_entries('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut', "file:///x.xml")
    no_content = RSS.replace(RSS[RSS.index("<item>"):RSS.index("</item>") + 7], "")
    with pytest.raises(PageError, match="no papers in any entry.*no content"):
        feeds.FORMAT.parse(no_content, "https://cafe.example/feed")
    assert not feeds.sniff(no_content, "https://cafe.example/feed")  # nothing links a paper
    assert not feeds.sniff(MARKDOWN_POST, "file:///x.md")


def test_a_table_of_saved_files_gives_no_titles():
    """Issue 11: a README's table of saved pages names files, not papers; the sample
    folder's own notes made '...paper_2512.15603_rendered-markdown.md' a paper's title and
    then a false title finding."""
    text = ("# Notes\n\n## Saved pages (heron-pages/, 2 files)\n\n| file | shows |\n|---|---|\n"
            "| heron-pages/paper_3105.00042_rendered.md | https://arxiv.org/abs/3105.00042 rendered |\n"
            "| heron-pages/paper_3105.00043_rendered.md | https://arxiv.org/abs/3105.00043 rendered |\n")
    result = read_page("file:///x/NOTES.md", text.encode(), {}, format_name="digest-generic", mtime=MTIME)
    assert [o.title for o in result.observations if o.arxiv_id == "3105.00042"] in ([], [None])


def test_a_recap_of_several_days_gives_each_item_its_own_headings_day():
    """A weekly recap published on one day lists the papers of other days, each under its
    day's heading: the publication day is no item's listing day. Made-up papers."""
    text = ("# Weekly recap (published 2031-03-22)\n\n## Monday, 2031-03-16\n"
            "1. [Planning Tokens](https://arxiv.org/abs/3103.22101) — 50 upvotes\n\n"
            "## Tuesday, 2031-03-17\n1. [Memory Layers](https://arxiv.org/abs/3103.22202) — 12 upvotes\n\n"
            "## Also worth a look\n1. [Silent Audio](https://arxiv.org/abs/3103.22303)\n")
    obs = {o.arxiv_id: o for o in generic.FORMAT.parse(text, "file:///recap.md").observations}
    assert [(a, str(o.listed_on), o.extra["read"]["fields"].get("listed_on")) for a, o in obs.items()] == [
        ("3103.22101", "2031-03-16", "heading:section"), ("3103.22202", "2031-03-17", "heading:section"),
        ("3103.22303", "None", None)]
    # One dated heading is the list's day, as before.
    (one,) = generic.FORMAT.parse("# Daily 2031-03-22\n\n## Top\n1. [Planning Tokens](https://arxiv.org/abs/3103.22101)\n",
                                  "file:///d.md").observations
    assert str(one.listed_on) == "2031-03-22"


def test_headings_are_the_items_when_their_bullets_are_fields():
    """Each paper a heading, its fields bullets, one summary citing an older paper: the
    bullets that link (4) outnumber the headings (3), yet the headings are the items, so
    the cited paper is a citation and the count bullets belong to their paper. Made up."""
    text = ("# 오늘의 논문 (2031년 3월 15일)\n\n"
            "## 1. Draft Trees for Decoding\n- arXiv: [3103.14101](https://arxiv.org/abs/3103.14101)\n"
            "- 추천수: 52 · 댓글: 4\n- 요약: 빠른 디코딩.\n\n"
            "## 2. Preference Data for Review\n- arXiv: [3103.14202](https://arxiv.org/abs/3103.14202)\n"
            "- 추천수: 18\n- 요약: 선호 최적화.\n\n"
            "## 3. Quantized Caches\n- arXiv: [3103.14303](https://arxiv.org/abs/3103.14303)\n"
            "- 요약: 관련 연구: [2405.11111](https://arxiv.org/abs/2405.11111)\n")
    obs = generic.FORMAT.parse(text, "file:///ko.md").observations
    assert [(o.arxiv_id, o.title, o.upvotes, o.comments, o.rank, str(o.listed_on), o.extra.get("citation"))
            for o in obs] == [
        ("3103.14101", "Draft Trees for Decoding", 52, 4, 1, "2031-03-15", None),
        ("3103.14202", "Preference Data for Review", 18, None, 2, "2031-03-15", None),
        ("3103.14303", "Quantized Caches", None, None, 3, "2031-03-15", None),
        ("2405.11111", None, None, None, None, "None", True)]


def test_a_lists_heading_is_not_its_first_papers_title_and_an_id_is_not_part_of_a_title():
    """Lines no kind of section splits under one heading: the heading is not the first
    paper's title, nor the other lines' counts its counts. Made up."""
    text = ("# Medals — 2031-04-14\n\n🥇 [Hyperbolic Adapters](https://arxiv.org/abs/3104.09010)\n\n"
            "🥈 [Copy Paste](https://arxiv.org/abs/3104.09022) — 👍 61\n")
    first = generic.FORMAT.parse(text, "file:///m.md").observations[0]
    assert (first.arxiv_id, first.title, first.upvotes) == ("3104.09010", "Hyperbolic Adapters", None)
    assert item_fields.without_id("[3104.22010v3] Quantized Sinks") == "Quantized Sinks"
    assert item_fields.without_id("Quantized Sinks (arXiv:3104.22010v1 [cs.LG])") == "Quantized Sinks"
    assert item_fields.without_id("Scaling 3104.22010 Things") == "Scaling 3104.22010 Things"
    assert item_fields.without_id("Paper: Spatial Reasoning for VLMs") == "Spatial Reasoning for VLMs"


def _rows(text: str) -> list[tuple]:
    return [(o.arxiv_id, o.title, o.upvotes, o.comments, o.rank, str(o.listed_on), o.extra.get("citation"))
            for o in generic.FORMAT.parse(text, "file:///x.md").observations]


def test_a_top_list_and_lists_by_category_are_both_the_days_lists():
    """A numbered top list, then bullets by category repeating two of its papers: every
    paper is a listed item (the top list's third paper, in no category, included), each
    once, with its top-list rank; a count the two listings state differently is left
    empty. Made up."""
    text = ("# Daily papers — 2031-04-13\n\n## Top 3\n\n"
            "1. [Glass Routers](https://arxiv.org/abs/3104.08100) — 👍 64 💬 9\n"
            "2. [Receipts Pretraining](https://arxiv.org/abs/3104.08142) — 👍 40 💬 3\n"
            "3. [Spectral Drop](https://arxiv.org/abs/3104.08177) — 👍 15\n\n## By category\n\n### Vision\n"
            "- [Spectral Drop](https://arxiv.org/abs/3104.08177) — 👍 15 💬 2\n"
            "- [Fovea Nets](https://arxiv.org/abs/3104.08200) — 👍 4\n\n### Language\n"
            "- [Glass Routers](https://arxiv.org/abs/3104.08100) — 👍 61 💬 9\n")
    assert _rows(text) == [
        ("3104.08100", "Glass Routers", None, 9, 1, "2031-04-13", None),
        ("3104.08142", "Receipts Pretraining", 40, 3, 2, "2031-04-13", None),
        ("3104.08177", "Spectral Drop", 15, 2, 3, "2031-04-13", None),
        ("3104.08200", "Fovea Nets", 4, None, None, "2031-04-13", None)]
    first = generic.FORMAT.parse(text, "file:///x.md").observations[0]
    assert first.extra["conflicting"] == {"upvotes": [61, 64]}
    assert "upvotes" not in first.extra["read"]["fields"]
    third = generic.FORMAT.parse(text, "file:///x.md").observations[2]
    assert third.extra["read"]["fields"]["comments"]


def test_a_previously_covered_list_is_not_the_days_list():
    """Two lists of two papers each, of two kinds: the one that comes first is the day's;
    the older papers after it, sharing none, are citations (no title, day or counts).
    Numbering that starts again under each category heading, counts in descending order
    included, is a position in the category, not a rank of the day by upvotes. Made up."""
    text = ("# Daily papers — 2031-04-13\n\n## Today\n\n"
            "1. [Glass Routers](https://arxiv.org/abs/3104.08100) — 👍 64\n"
            "2. [Receipts Pretraining](https://arxiv.org/abs/3104.08142) — 👍 40\n\n"
            "## Previously covered\n\n- [Old One](https://arxiv.org/abs/3103.01100)\n"
            "- [Old Two](https://arxiv.org/abs/3103.01200)\n")
    assert _rows(text) == [
        ("3104.08100", "Glass Routers", 64, None, 1, "2031-04-13", None),
        ("3104.08142", "Receipts Pretraining", 40, None, 2, "2031-04-13", None),
        ("3103.01100", None, None, None, None, "None", True),
        ("3103.01200", None, None, None, None, "None", True)]
    by_category = ("# Daily papers — 2031-04-13\n\n### Vision\n1. [Spectral Drop](https://arxiv.org/abs/3104.08177) 👍 64\n"
                   "2. [Fovea Nets](https://arxiv.org/abs/3104.08200) 👍 15\n\n### Language\n"
                   "1. [Glass Routers](https://arxiv.org/abs/3104.08100) 👍 50\n")
    ranked = generic.FORMAT.parse(by_category, "file:///x.md").observations
    assert [(o.rank, o.extra["position"], o.extra["section"]) for o in ranked] == [
        (None, 1, "Vision"), (None, 2, "Vision"), (None, 1, "Language")]


def test_a_paper_cited_by_an_earlier_item_is_still_listed_by_its_own():
    """Item 1's summary links the paper item 2 lists: item 2 is still a listed item with its
    title and count, not a citation. Made up."""
    text = ("# Daily papers — 2031-04-13\n\n"
            "1. [Glass Routers](https://arxiv.org/abs/3104.08100) — 👍 64\n"
            "   Builds on [Receipts Pretraining](https://arxiv.org/abs/3104.08142).\n"
            "2. [Receipts Pretraining](https://arxiv.org/abs/3104.08142) — 👍 40\n")
    assert _rows(text) == [
        ("3104.08100", "Glass Routers", 64, None, 1, "2031-04-13", None),
        ("3104.08142", "Receipts Pretraining", 40, None, 2, "2031-04-13", None)]


@pytest.mark.parametrize("line, upvotes, comments", [
    ("👍 1 234 · 💬 17", None, 17),            # thousands written apart: not 1
    ("2 345 upvotes", None, None),             # not 345
    ("Likes: 1'050", None, None),
    ("1,2 upvotes", None, None),               # a decimal comma: not 12
    ("Upvotes: 1,234", 1234, None),
    ("~40 upvotes", None, None),               # approximations and bounds
    ("nearly 100 upvotes", None, None),
    ("at least 30 upvotes", None, None),
    ("👍 99+", None, None),
    ("Upvotes: 50+ · Comments: 10+", None, None),
    ("≈ 25 upvotes", None, None),
    ("Votes: 87% positive", None, None),       # shares and ratios
    ("Reviewer vote: 8/10", None, None),
    ("Votes: 12 / 40", None, None),
    ("momentum: +12 upvotes, +3 comments", None, None),   # changes
    ("upvotes: 45 → 52", None, None),
    ("yesterday: 30 upvotes", None, None),     # another time
    ("Reddit thread: 45 comments", None, None),  # another site
    ("HN: 120 points, HN comments: 88", None, None),
    ("Tweet likes: 300", None, None),
    ("Comments: 4 (Reddit)", None, None),
    ("builds on 2 papers with 40 upvotes", None, None),   # other papers
    ("Upvotes: 42 (combined)", None, None),    # a sum
    ("**MHR: Momentum Human Rig** - 👍 7", 7, None),      # a title's words are not the count's
    ("**Deep Delta Learning** - 👍 14 · 💬 2", 14, 2),
    ("Upvotes: 64 (87% upvoted)", 64, None),
])
def test_a_number_is_a_count_only_when_it_is_the_items_count_as_stated(line, upvotes, comments):
    """Each line is an item's count line in some made-up digest; the number is read only
    where it is this item's count, exactly, now."""
    found, _ = generic.counts(line)
    assert (found.get("upvotes"), found.get("comments")) == (upvotes, comments)


def test_the_post_after_its_list_is_no_items():
    """The closing words after the last item, and a line after a table, are not the last
    item's counts; a list under "Related work" names other posts' papers (cited, no day,
    rank or counts). Made up."""
    closing = ("# Morning digest — 2031-06-24\n\n"
               "- [Hyper LoRA](https://arxiv.org/abs/3106.34011) — 👍 39\n"
               "- [Graph Tokens](https://arxiv.org/abs/3106.34033)\n\n"
               "Thanks for reading! Friday's issue drew 312 upvotes and 57 comments.\n")
    assert [(r[0], r[2], r[3]) for r in _rows(closing)] == [("3106.34011", 39, None), ("3106.34033", None, None)]
    table = ("# Board — 2031-06-28\n\n| # | Paper | Upvotes |\n|---|---|---|\n"
             "| 1 | [Linear Graphs](https://arxiv.org/abs/3106.48011) | 75 |\n"
             "| 2 | [Weak Vision](https://arxiv.org/abs/3106.48033) | 44 |\n\nDiscussion elsewhere: 45 comments.\n")
    assert [(r[0], r[2], r[3]) for r in _rows(table)] == [("3106.48011", 75, None), ("3106.48033", 44, None)]
    related = ("# Top papers, 2031-06-07\n\n1. [Mixed Depths](https://arxiv.org/abs/3106.07101) — 44 upvotes\n"
               "2. [Tabular Laws](https://arxiv.org/abs/3106.07202) — 30 upvotes\n\n## Related work\n\n"
               "1. [Older Depths](https://arxiv.org/abs/3004.02258) — 210 upvotes\n")
    assert _rows(related)[2] == ("3004.02258", None, None, None, None, "None", True)
    # A list summarised in prose paragraphs after each item keeps the last one's too.
    summaries = ("# Notes — 2031-06-24\n\n1. [Hyper LoRA](https://arxiv.org/abs/3106.34011)\n\nShort take.\n\n"
                 "2. [Graph Tokens](https://arxiv.org/abs/3106.34033)\n\nAnother take, 👍 12.\n")
    assert _rows(summaries)[1][2] == 12


@pytest.mark.parametrize("heading, day", [
    ("# Daily papers — 2031-06-15", "2031-06-15"),
    ("# Top papers since 2031-06-08", None),              # a span of days
    ("# Last week's most discussed papers", None),
    ("# Issue of 2031-06-12 — the papers of 2031-06-11", None),   # two days
    ("# Papers from June 12 and June 13, 2031", None),
    ("# Daily papers for 03/04/2031", None),              # day and month cannot be told apart
    ("# Weekly top papers — 2031-W25", None),             # an ISO week
    ("# Top papers of week 25, 2031", None),
    ("# Weekly top papers", None),                        # a week's list, not the file's day
    ("# Community favourites, 16–20 June 2031", None),    # a range of days
    ("# Community favourites, June 16-20, 2031", None),
    ("# Best of June 2031", None),                        # a month
    ("# Heron Weekly, June 2031 edition — 2031-06-20", "2031-06-20"),
    ("# Heron Weekly 2031-06-14", "2031-06-14"),          # a publication's name
    ("# Daily papers — 20 June", "2031-06-20"),           # the file's day is the day it names
    ("# Daily papers — 13 June", None),                   # not the file's day
    ("## [The March 3, 2031 Storm Dataset](https://arxiv.org/abs/3106.24011)", "2031-06-20"),  # a title's date
])
def test_the_lists_day_is_read_only_where_the_post_names_one_day(heading, day):
    """The list's day from a made-up post's first heading; where the heading names none, the
    file name's (2031-06-20); where it names a span, several days or a day that cannot be
    read surely, none: the file's date would then be a guess."""
    text = f"{heading}\n\n- [Sparse Roots](https://arxiv.org/abs/3106.26011) — 👍 8\n"
    obs = generic.FORMAT.parse(text, "file:///d/2031-06-20-post.md").observations
    assert {str(o.listed_on) for o in obs if not o.extra.get("citation")} == {str(day)}


def test_a_posts_published_day_wins_over_its_updated_day():
    """A fix to a post does not move its list's day. Made up."""
    published = ("# Daily picks\n\nPublished: 2031-06-09\nUpdated: 2031-06-11 (fixed a link)\n\n"
                 "- [Sparse Roots](https://arxiv.org/abs/3106.26011) — 👍 8\n")
    assert generic.FORMAT.parse(published, "file:///x.md").observations[0].listed_on == dt.date(2031, 6, 9)


@pytest.mark.parametrize("line, names, partial", [
    ("Ana Li¹, Bo Chen², Dmitri Volkov¹* ¹MIT ²Google Research *corresponding author",
     ["Ana Li", "Bo Chen", "Dmitri Volkov"], False),
    ("Ingrid Solheim1, Rafael Duarte2,3, Yara Haddad1*", ["Ingrid Solheim", "Rafael Duarte", "Yara Haddad"], False),
    ("Hugo Marchetti, Sara Lind, and 12 others", ["Hugo Marchetti", "Sara Lind"], True),
    ("Kofi Asante (kofi@univ.example), Mei Tanaka <mei@lab.example>", ["Kofi Asante", "Mei Tanaka"], False),
    ("see paper", [], False),
    ("Authors: see arXiv", [], False),
    ("Grace Obi et al.", ["Grace Obi"], True),
    ("A. B. Smith and C. D. Jones", ["A. B. Smith", "C. D. Jones"], False),
    ("Ana Ruiz, Tomas Berg. Reddit discussion: 64 comments.", ["Ana Ruiz", "Tomas Berg"], False),
    ("Byrne, Lorcan; Aktas, Zeynep; Quispe, Mateo", ["Lorcan Byrne", "Zeynep Aktas", "Mateo Quispe"], False),
    ("Byrne, L., Aktas, Z. K., et al.", ["L. Byrne", "Z. K. Aktas"], True),
    ("Mateo Quispe, Jr., Ana Li", ["Mateo Quispe Jr.", "Ana Li"], False),
])
def test_author_names_without_marks_legends_or_addresses(line, names, partial):
    """A made-up author line: the names as arXiv would list them, or none."""
    assert generic.split_authors(line) == (names, partial)


def test_titles_as_arxiv_would_list_them_or_none():
    """Made-up items: the paper an item builds on is cited, the item's own paper listed
    with its own link's text; markup, emoji and quotes around a title are not part of it;
    a wiki link's target is the name; a heading over a link that names its paper
    otherwise ("Honorable mention") gives no title."""
    text = ("# Daily picks — 2031-06-21\n\n"
            "1. An extension of [Flow Matching](https://arxiv.org/abs/2210.02747): "
            "[Discrete Flow on Graphs](https://arxiv.org/abs/3106.06202) — 👍 19\n"
            "2. [🔥 *Diffusion* Models Can **Plan**](https://arxiv.org/abs/3106.21101) — 👍 50\n"
            "3. “Do Transformers Dream of Edges?” — [arXiv](https://arxiv.org/abs/3106.21404) — 👍 15\n"
            "4. [[Attention Sinks in Diffusion|sinks]] — [arXiv](https://arxiv.org/abs/3106.14101)\n")
    assert [r[:3] + (r[4], r[6]) for r in _rows(text)] == [
        ("3106.06202", "Discrete Flow on Graphs", 19, 1, None),
        ("2210.02747", None, None, None, True),
        ("3106.21101", "Diffusion Models Can Plan", 50, 2, None),
        ("3106.21404", "Do Transformers Dream of Edges?", 15, 3, None),
        ("3106.14101", "Attention Sinks in Diffusion", None, 4, None)]
    headed = ("# Deep dives — 2031-06-10\n\n## Mesh Diffusion at 4K\n\n"
              "**Paper:** https://arxiv.org/abs/3106.10202 · 👍 20\n\n## Honorable mention\n\n"
              "[Token Merging for Video LLMs](https://arxiv.org/abs/3106.10303) did not make the cut.\n\n"
              "## Sparse Probes\n\n[Sparse Probes: Finding Planning Features](https://arxiv.org/abs/3106.10404)\n")
    assert [r[:2] for r in _rows(headed)] == [
        ("3106.10202", "Mesh Diffusion at 4K"), ("3106.10303", None), ("3106.10404", "Sparse Probes")]


def test_reference_links_escaped_pipes_and_template_tags():
    """Made-up posts: reference-style links are links, and so is a footnote that is only a
    link; "Untitled" is no title; a ``\\|`` inside a table cell is not a
    column's end; a post opening with template tags is a post, and a heading's templated
    link gives its text as the title."""
    refs = ("# Daily papers 2031-06-26\n\n1. [Mechanistic Views][1] — 👍 35\n"
            "2. [Unified Tokenizers][2] — 👍 22 · 💬 5\n\n"
            "[1]: https://arxiv.org/abs/3106.26101\n[2]: <https://huggingface.co/papers/3106.26202> \"HF page\"\n")
    assert [r[:5] for r in _rows(refs)] == [("3106.26101", "Mechanistic Views", 35, None, 1),
                                            ("3106.26202", "Unified Tokenizers", 22, 5, 2)]
    notes = ("# Papers we liked — 2031-06-09\n\n1. **Texture Repair**[^1] — 👍 23\n2. **Preference Drift**[^2] — 👍 17\n"
             "3. **Untitled**[^3]\n\nThe second one contradicts earlier work[^4].\n\n"
             "[^1]: https://arxiv.org/abs/3106.09101\n[^2]: [arXiv](https://arxiv.org/abs/3106.09202)\n"
             "[^3]: https://arxiv.org/abs/3106.09303\n[^4]: See [Stable Preferences](https://arxiv.org/abs/3102.11111), 👍 140.\n")
    assert [r[:5] + (r[6],) for r in _rows(notes)] == [
        ("3106.09101", "Texture Repair", 23, None, 1, None), ("3106.09202", "Preference Drift", 17, None, 2, None),
        ("3106.09303", None, None, None, 3, None), ("3102.11111", None, None, None, None, True)]
    table = ("# Paper table — 2031-06-22\n\n| # | Title | Paper | Upvotes | Comments |\n|---|---|---|---|---|\n"
             "| 1 | Pipes \\| Filters | [3106.22101](https://arxiv.org/abs/3106.22101) | 40 | 5 |\n"
             "| 2 | Sparse Kernels | [3106.22202](https://arxiv.org/abs/3106.22202) | 25 | |\n")
    assert [r[:5] for r in _rows(table)] == [("3106.22101", "Pipes | Filters", 40, 5, 1),
                                             ("3106.22202", "Sparse Kernels", 25, None, 2)]
    jekyll = ("---\ntitle: \"Daily Papers\"\ndate: 2031-06-18\n---\n\n{% include toc.html %}\n\n"
              "## [Zero-Shot Segmentation]({{ site.baseurl }}/papers/3106.18303) {#zsseg}\n\n"
              "[arXiv](https://arxiv.org/abs/3106.18303)\n")
    assert [r[:2] for r in _rows(jekyll)] == [("3106.18303", "Zero-Shot Segmentation")]


def test_an_alphaxiv_link_names_its_arxiv_paper():
    """alphaXiv's pages are named by the arXiv id of the paper they discuss. Made up."""
    text = ("# Picks — 2031-06-01\n\n1. [Low-Rank Critics](https://www.alphaxiv.org/abs/3106.01303) — 👍 17\n"
            "2. [Sparse Routing](https://arxiv.org/abs/3106.01101) — 👍 9\n")
    assert [r[:5] for r in _rows(text)] == [("3106.01303", "Low-Rank Critics", 17, None, 1),
                                            ("3106.01101", "Sparse Routing", 9, None, 2)]
    assert generic.has_paper_link("see https://alphaxiv.org/overview/3106.01303 today")


def test_a_cut_author_list_is_marked_as_the_authors_check_reads_it():
    """"et al." sets ``extra['authors_truncated']``, the key the authors check reads to say
    the source marked its list as cut (it was set under another name, which no check read)."""
    from reconcile.checks.authors import describe
    from reconcile.models import Observation

    text = ("# Picks — 2031-01-02\n\n1. [Quiet Owls](https://arxiv.org/abs/3101.00001) — 👍 4\n"
            "   Authors: Ana Li, Bo Chen et al.\n2. [Loud Owls](https://arxiv.org/abs/3101.00002)\n")
    item = generic.FORMAT.parse(text, "file:///x.md").observations[0]
    assert item.authors == ["Ana Li", "Bo Chen"] and item.extra["authors_truncated"] is True
    arxiv = Observation(source="arxiv", arxiv_id="3101.00001", authors=["Ana Li", "Bo Chen", "Cy Wu"])
    assert "(marked as cut by the source)" in describe(arxiv, item)[0][1]


def test_a_lead_naming_a_blog_post_gives_no_title():
    """The item's words are a link to a blog post, its paper a ``[paper]`` link beside it:
    the post's name is not surely the paper's. A structured file's "et al." is no name.
    Made up."""
    text = ("# Digest — 2031-06-05\n\n1. [Teaching robots to fold socks](https://blog.example/socks) "
            "[[paper]](https://arxiv.org/abs/3106.05101) — 👍 40\n"
            "2. [Hierarchical Subgoals](https://arxiv.org/abs/3106.05303) ([blog](https://blog.example/sub)) — 👍 7\n")
    assert [r[:3] for r in _rows(text)] == [("3106.05101", None, 40), ("3106.05303", "Hierarchical Subgoals", 7)]
    from scrapers.pages.digests import structured
    parsed = structured.FORMAT.parse('[{"arxiv_id": "3106.25101", "title": "Pond Nets", "authors": "Lena Hart et al."}]',
                                     "file:///2031-06-25.json")
    assert parsed.observations[0].authors == ["Lena Hart"]


def test_a_table_row_whose_title_cell_cites_another_paper():
    """The row lists the paper of its Paper column; the title cell's "see [other](...)"
    names the cited paper, so it gives no title. Made up."""
    text = ("# Table — 2031-06-22\n\n| # | Title | Paper | Upvotes |\n|---|---|---|---|\n"
            "| 1 | Sparse Kernels | [3106.22202](https://arxiv.org/abs/3106.22202) | 25 |\n"
            "| 2 | see [Vanilla KV Paging](https://arxiv.org/abs/2309.06180) | [3106.22404](https://arxiv.org/abs/3106.22404) | 6 |\n")
    assert [r[:5] + (r[6],) for r in _rows(text)] == [
        ("3106.22202", "Sparse Kernels", 25, None, 1, None), ("3106.22404", None, 6, None, 2, None),
        ("2309.06180", None, None, None, None, True)]


def test_a_pages_one_heading_over_papers_in_paragraphs_names_none_of_them():
    """An issue asking for papers, each in a paragraph of its own under the page's one
    heading: the heading is no paper's title, and the second paper's comment count is not
    the first's. Made up."""
    text = ("# [Request] Add two papers to the 2031-06-17 list #482\n\nopened by @someone\n\n"
            "Link: https://arxiv.org/abs/3106.17101\nUpvotes: 19\n\n"
            "Link: https://arxiv.org/pdf/3106.17202v1\nComments: 2\n")
    first = generic.FORMAT.parse(text, "file:///x.md").observations[0]
    assert (first.arxiv_id, first.title, first.upvotes, first.comments) == ("3106.17101", None, 19, None)


@pytest.mark.parametrize("intro, day", [
    ("Every Friday we pick the three papers of the week; counts are the week's totals.", None),
    ("2031-W25 · 2031-06-16 ~ 2031-06-20, the week in review.", None),
    ("This week we pair each new paper with a classic it builds on.", "2031-06-20"),
    ("Last update: 2031-06-20", "2031-06-20"),
])
def test_the_prose_before_the_list_may_say_it_covers_a_week(intro, day):
    text = f"# Friday, 20 June 2031\n\n{intro}\n\n- [Sparse Roots](https://arxiv.org/abs/3106.26011) — 👍 8\n"
    obs = generic.FORMAT.parse(text, "file:///d/2031-06-20-post.md").observations
    assert {str(o.listed_on) for o in obs} == {str(day)}
