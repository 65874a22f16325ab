"""The generic reader on layouts digests commonly use, written here from scratch: cards,
bullet lists, tables with headed columns, pages with navigation and commentary around the
list. Each case states what the page says and what must be left empty."""

from __future__ import annotations

import datetime as dt

import pytest

from scrapers.pages import PageError
from scrapers.pages.digests import generic


def by_id(text: str, url: str = "file:///x/digest.html"):
    return {o.arxiv_id: o for o in generic.FORMAT.parse(text, url).observations if o.arxiv_id}


CARDS = """<!DOCTYPE html><html><head><title>Pond Papers — 2031-05-06</title></head><body>
<header><a href="/">Pond Papers</a> <nav><a href="/2031-05-05">Previous</a> <a href="/2031-05-07">Next</a></nav></header>
<h1>Daily papers, 2031-05-06</h1>
<p>Yesterday's favourite, <a href="https://arxiv.org/abs/3105.00050">Old Reeds</a>, keeps climbing.</p>
<article class="paper"><h3><a href="https://huggingface.co/papers/3105.00101">Reed Beds: Sparse Roots</a></h3>
  <div class="meta"><span>143 upvotes</span> · <span>8 comments</span></div>
  <p class="summary">Roots grow sparse; a citation of <a href="https://arxiv.org/abs/2901.00001">prior work</a>.</p></article>
<article class="paper"><h3><a href="https://huggingface.co/papers/3105.00102">Lily Pads: Floating Tokens</a></h3>
  <div class="meta"><span>▲ 12</span> <span>3</span></div></article>
<article class="paper"><h3><a href="https://huggingface.co/papers/3105.00103">Frog Song: Audio at Dusk</a></h3>
  <div class="meta" data-upvotes="40"></div></article>
</body></html>"""


def test_cards_with_labelled_counts_and_commentary_around_them():
    found = by_id(CARDS)
    reeds, lily, frog = found["3105.00101"], found["3105.00102"], found["3105.00103"]
    assert (reeds.title, reeds.upvotes, reeds.comments) == ("Reed Beds: Sparse Roots", 143, 8)
    assert reeds.extra["read"]["fields"]["upvotes"] == "marker:N upvotes"
    # An arrow and a bare number are no labels: nothing is read from them.
    assert (lily.title, lily.upvotes, lily.comments) == ("Lily Pads: Floating Tokens", None, None)
    assert (frog.upvotes, frog.extra["read"]["fields"]["upvotes"]) == (40, "attribute:data-upvotes")
    # Cards in <article> are not numbered: no rank. The day is the heading's.
    assert {o.rank for o in (reeds, lily, frog)} == {None}
    assert {o.listed_on for o in (reeds, lily, frog)} == {dt.date(2031, 5, 6)}
    # Papers named in the commentary or inside a card are citations, never items.
    for cited in (found["3105.00050"], found["2901.00001"]):
        assert cited.extra["citation"] and (cited.title, cited.listed_on, cited.rank, cited.upvotes) == (
            None, None, None, None)
    assert found["2901.00001"].extra["cited_in"] == "3105.00101"
    # Navigation is not a paper; the page's own name is not a title.
    assert set(found) == {"3105.00101", "3105.00102", "3105.00103", "3105.00050", "2901.00001"}


BULLETS = """# Pond digest — 2031-05-06

Papers we read today:

- [Reed Beds: Sparse Roots](https://arxiv.org/abs/3105.00101) — 👍 9
- **Lily Pads: Floating Tokens** ([arXiv](https://arxiv.org/abs/3105.00102), [PDF](https://arxiv.org/pdf/3105.00102))
- Frog Song: Audio at Dusk, https://huggingface.co/papers/3105.00103

---

Previously: [Old Reeds](https://arxiv.org/abs/3105.00050)
"""


def test_a_bullet_list_of_papers():
    found = by_id(BULLETS, "file:///x/pond.md")
    assert [found[i].title for i in ("3105.00101", "3105.00102", "3105.00103")] == [
        "Reed Beds: Sparse Roots", "Lily Pads: Floating Tokens", "Frog Song: Audio at Dusk"]
    assert found["3105.00101"].upvotes == 9 and found["3105.00102"].upvotes is None
    assert {found[i].rank for i in ("3105.00101", "3105.00102", "3105.00103")} == {None}  # bullets rank nothing
    assert found["3105.00050"].extra["citation"] and found["3105.00050"].listed_on is None


TABLE = """# Pond table 2031-05-06

| # | Paper | Upvotes | Comments | Links |
|---|---|---|---|---|
| 1 | Reed Beds: Sparse Roots | 143 | 8 | [arXiv](https://arxiv.org/abs/3105.00101) |
| 2 | Lily Pads: Floating Tokens | 40 | 0 | [arXiv](https://arxiv.org/abs/3105.00102) |
"""


def test_a_table_read_by_its_column_headers():
    found = by_id(TABLE, "file:///x/pond.md")
    reeds, lily = found["3105.00101"], found["3105.00102"]
    assert (reeds.rank, reeds.title, reeds.upvotes, reeds.comments) == (1, "Reed Beds: Sparse Roots", 143, 8)
    assert (lily.rank, lily.title, lily.upvotes, lily.comments) == (2, "Lily Pads: Floating Tokens", 40, 0)
    assert reeds.extra["read"]["fields"] == {"title": "column:paper", "rank": "column:#",
                                             "upvotes": "column:upvotes", "comments": "column:comments",
                                             "listed_on": "heading"}


def test_an_arxiv_comment_column_is_not_a_comment_count():
    text = TABLE.replace("| Comments |", "| Comment |").replace("| 8 |", "| 12 pages |")
    reeds = by_id(text, "file:///x/pond.md")["3105.00101"]
    assert reeds.comments is None


def test_a_translated_title_is_kept_apart():
    text = ("# 池塘日报 2031-05-06\n\n## 1. 芦苇床：稀疏的根\n\n[arXiv](https://arxiv.org/abs/3105.00101)\n\n"
            "## 2. 睡莲：漂浮的词元\n\n[arXiv](https://arxiv.org/abs/3105.00102)\n")
    found = by_id(text, "file:///x/pond.md")
    assert found["3105.00101"].title is None
    assert found["3105.00101"].extra["title_translated"] == "芦苇床：稀疏的根"
    assert found["3105.00101"].rank == 1


def test_a_mixed_report_keeps_its_numbering_and_leaves_news_out():
    # Most items are news: those without a paper link are not mentions of papers.
    text = ("# Report 2031-05-06\n\n## 1. Reed Beds: Sparse Roots\n\n- Source: https://arxiv.org/abs/3105.00101\n\n"
            "## 2. A kettle that sings\n\n- Source: https://example.org/kettle\n\n"
            "## 3. The river in spring\n\n- Source: https://example.org/river\n\n"
            "## 4. Lily Pads: Floating Tokens\n\n- Source: https://huggingface.co/papers/3105.00102\n\n"
            "## 5. Bread at dawn\n\n- Source: https://example.org/bread\n")
    parsed = generic.FORMAT.parse(text, "file:///x/report.md")
    assert [(o.rank, o.arxiv_id, o.title) for o in parsed.observations] == [
        (1, "3105.00101", "Reed Beds: Sparse Roots"), (4, "3105.00102", "Lily Pads: Floating Tokens")]


@pytest.mark.parametrize("text", [
    "# Notes\n\nThings to read some day, no links yet.\n",
    "# heron-toolkit\n\nA library. See our paper 3105.00101 for details.\n",
    "# Reading list\n\n- Reed Beds: Sparse Roots\n- Lily Pads: Floating Tokens\n",  # titles without ids
])
def test_documents_without_paper_links_are_rejected(text):
    assert not generic.sniff(text, "file:///x/notes.md")
    with pytest.raises(PageError, match="no arXiv or Hugging Face paper link"):
        generic.FORMAT.parse(text, "file:///x/notes.md")


def test_a_project_readme_citing_its_paper_gives_no_list_values():
    text = ("# heron-toolkit\n\nA library for herons.\n\n## Install\n\npip install heron\n\n"
            "## Citation\n\nPlease cite [our paper](https://arxiv.org/abs/3105.00101).\n")
    (obs,) = generic.FORMAT.parse(text, "file:///x/README.md").observations
    assert (obs.arxiv_id, obs.upvotes, obs.rank, obs.listed_on) == ("3105.00101", None, None, None)


def test_a_sidebar_of_cards_does_not_hide_the_headed_list():
    papers = "".join(f'<h2><a href="https://arxiv.org/abs/3105.{i:05d}">Pond Study Number {i}: Ripples</a></h2>'
                     f"<p>Why it matters, in a sentence or two.</p>" for i in range(101, 111))
    sidebar = "".join(f'<li><a href="https://arxiv.org/abs/3104.{i:05d}">Older Pond Study {i}</a></li>'
                      for i in range(1, 4))
    page = f"<html><body><main><h1>Pond 2031-05-06</h1>{papers}</main><aside><ul>{sidebar}</ul></aside></body></html>"
    found = by_id(page)
    listed = [o for o in found.values() if o.listed_on]
    assert len(listed) == 10 and all(o.title.startswith("Pond Study Number") for o in listed)
    assert all(found[f"3104.{i:05d}"].extra.get("citation") for i in range(1, 4))


STATED_IDS = """# Heron digest 2031-05-06

1. **Reed Beds: Sparse Roots** (arXiv:3105.00101) — 27 upvotes
2. **Lily Pads: Floating Tokens** — arXiv:3105.00102v2 — 19 upvotes, 3 comments
3. **Frog Song: Audio at Dusk** [arXiv 3105.00103] — 11 upvotes

For background see arXiv:3012.00009, which we covered last year.
"""


def test_ids_stated_after_the_word_arxiv_are_papers_without_links():
    found = by_id(STATED_IDS, "file:///x/2031-05-06.md")
    assert [(o.arxiv_id, o.title, o.rank, o.upvotes, o.comments) for o in found.values() if not o.extra.get("citation")] == [
        ("3105.00101", "Reed Beds: Sparse Roots", 1, 27, None),
        ("3105.00102", "Lily Pads: Floating Tokens", 2, 19, 3),
        ("3105.00103", "Frog Song: Audio at Dusk", 3, 11, None)]
    assert found["3105.00102"].arxiv_version == 2
    assert found["3105.00101"].url == "https://arxiv.org/abs/3105.00101"
    old = found["3012.00009"]
    assert old.extra.get("citation") and (old.listed_on, old.upvotes) == (None, None)


BADGES = """# Awesome Pond Studies — update 2031-05-06

### New this week

- **Reed Beds: Sparse Roots** [![arXiv](https://img.shields.io/badge/arXiv-3105.00101-b31b1b.svg)](https://arxiv.org/abs/3105.00101)
- **Lily Pads: Floating Tokens** ![arXiv 3105.00102](https://img.shields.io/badge/arXiv-3105.00102-red) — ⭐ 1203
- **Frog Song: Audio at Dusk** <img alt="arXiv:3105.00103" src="https://img.shields.io/badge/paper-arXiv-blue">
"""


def test_a_list_naming_its_papers_in_badges_is_read_item_by_item():
    """Only the first item links its paper; the others name it in a badge image's address or
    alt text. Read as one item, the page's heading was the first paper's title and the
    second item's stars its stars."""
    found = by_id(BADGES, "file:///x/awesome.md")
    assert [(o.arxiv_id, o.title, o.extra.get("stars")) for o in found.values()] == [
        ("3105.00101", "Reed Beds: Sparse Roots", None),
        ("3105.00102", "Lily Pads: Floating Tokens", 1203),
        ("3105.00103", "Frog Song: Audio at Dusk", None)]


@pytest.mark.parametrize("text", [
    "# heron-toolkit\n\nA library. See arXiv:3105.00101 for details.\n",
    "# heron-toolkit\n\nA library.\n\n## Install\n\npip install heron\n\n## Citation\n\nPlease cite arXiv:3105.00101.\n",
])
def test_a_page_whose_one_paper_is_stated_in_its_body_does_not_take_the_heading_as_title(text):
    (obs,) = generic.FORMAT.parse(text, "file:///x/README.md").observations
    assert (obs.arxiv_id, obs.title, obs.upvotes, obs.rank, obs.listed_on) == ("3105.00101", None, None, None, None)


def test_a_link_text_holding_brackets_is_the_link_and_a_tag_after_the_title_is_not_the_title():
    text = ("# Heron digest 2031-05-06\n\n"
            "1. [Reed Beds: Sparse Roots [Oral]](https://arxiv.org/abs/3105.00101) — 👍 21\n"
            "2. [Lily Pads Floating [ICLR 2031]](https://arxiv.org/abs/3105.00102) — 👍 12\n"
            "3. [[Re] Frog Song at Dusk](https://arxiv.org/abs/3105.00103) — 👍 9\n"
            "4. [Predicting the [MASK] in Pond Speech](https://arxiv.org/abs/3105.00104) — 👍 5\n"
            "5. [Newt Walks Alone](https://arxiv.org/abs/3105.00105) [![arXiv](https://img.shields.io/badge/x.svg)](https://arxiv.org/abs/3105.00105) — 👍 3\n")
    found = by_id(text, "file:///x/2031-05-06.md")
    assert [(o.arxiv_id, o.title, o.upvotes) for o in found.values()] == [
        ("3105.00101", "Reed Beds: Sparse Roots", 21), ("3105.00102", "Lily Pads Floating", 12),
        ("3105.00103", "[Re] Frog Song at Dusk", 9), ("3105.00104", "Predicting the [MASK] in Pond Speech", 5),
        ("3105.00105", "Newt Walks Alone", 3)]


def test_tex_stars_asciidoc_links_and_a_site_named_as_author():
    """"$A^*$" is TeX, not emphasis; AsciiDoc's "https://arxiv.org/abs/ID[Title]" links ID;
    a bookmark card's author element naming the site ("arXiv.org") names no author."""
    from scrapers.pages.digests.item_fields import EMPHASIS, split_authors

    assert EMPHASIS.sub(r"\1", r"$A^*$ Search Meets $\epsilon^*$-Greedy *Herons*") == \
        r"$A^*$ Search Meets $\epsilon^*$-Greedy Herons"
    found = by_id("= Heron digest 2031-05-06\n\n. https://arxiv.org/abs/3105.00101[Reed Beds: Sparse Roots]\n",
                  "file:///x/2031-05-06.adoc")
    assert list(found) == ["3105.00101"]
    assert split_authors("arXiv.org") == ([], False)
    assert split_authors("Kaito Mori, arxiv.org") == (["Kaito Mori"], False)


def test_a_link_run_on_after_an_unlinked_item_is_another_papers():
    """Items 1 and 2 link their papers on their first lines; item 3 names an unlinked paper,
    and the line run on after it (no blank line) links yesterday's. Read as item 3's paper,
    it took item 3's rank and day. Made up."""
    text = ("# Morning brief 2031-05-06\n\n"
            "1. Reed Beds: Sparse Roots — https://arxiv.org/abs/3105.00101 — 👍 52\n"
            "2. Lily Pads: Floating Tokens — https://arxiv.org/abs/3105.00102 — 👍 37\n"
            "3. Open Problems in Pond Science (position paper, no arXiv link yet) — 👍 21\n"
            "Bonus: yesterday's winner is still climbing — https://arxiv.org/abs/3105.00099 (👍 140).\n"
            "4. [Frog Song at\n   Dusk](https://arxiv.org/abs/3105.00104) — 👍 9\n")
    found = by_id(text, "file:///x/2031-05-06.md")
    old = found["3105.00099"]
    assert old.extra.get("citation") and (old.rank, old.listed_on, old.upvotes) == (None, None, None)
    assert (found["3105.00104"].rank, found["3105.00104"].title) == (4, "Frog Song at Dusk")


@pytest.mark.parametrize("intro", ["Listed alphabetically, not by popularity.",
                                   "Sorted by arXiv submission date, newest first.",
                                   "In no particular order:"])
def test_a_list_the_post_says_is_not_ranked_gives_positions_not_ranks(intro):
    text = (f"# Reading group 2031-05-06\n\n{intro}\n\n"
            "1. [Adaptive Reeds](https://arxiv.org/abs/3105.00101) — 👍 12\n"
            "2. [Benchmarking Lily Pads](https://arxiv.org/abs/3105.00102) — 👍 140\n")
    found = by_id(text, "file:///x/2031-05-06.md")
    assert [(o.rank, o.extra.get("position"), o.upvotes) for o in found.values()] == [(None, 1, 12), (None, 2, 140)]
    assert all("rank" not in o.extra["read"]["fields"] for o in found.values())
    ranked = by_id(text.replace(intro, "The day's top two."), "file:///x/2031-05-06.md")
    assert [o.rank for o in ranked.values()] == [1, 2]


def test_an_org_mode_reading_list_is_read_as_headings_with_their_drawers():
    """A heading's TODO keyword and its property drawer are no part of its title; a paper
    cited under a later heading is a citation. Made up."""
    text = ("#+TITLE: Pond inbox\n#+DATE: <2031-05-06 Tue>\n\n* Today's picks\n"
            "** TODO [[https://arxiv.org/abs/3105.00101][Reed Beds: Sparse Roots]]  :pond:\n"
            "   :PROPERTIES:\n   :UPVOTES:  41\n   :COMMENTS: 6\n   :AUTHORS:  Ada Quill, Bo Reed\n   :END:\n"
            "** DONE [[https://arxiv.org/abs/3105.00102][Lily Pads]]\n   :PROPERTIES:\n   :UPVOTES:  13\n   :END:\n"
            "** TODO [[https://arxiv.org/abs/3105.00103]]\n   Title still to be filled in.\n"
            "* Notes\n  - Compare [[https://arxiv.org/abs/3104.00099][Old Reeds]] (it had 250 upvotes).\n")
    found = by_id(text, "file:///x/inbox.org")
    assert [(o.arxiv_id, o.title, o.upvotes, o.comments, o.authors, str(o.listed_on)) for o in found.values()
            if not o.extra.get("citation")] == [
        ("3105.00101", "Reed Beds: Sparse Roots", 41, 6, ["Ada Quill", "Bo Reed"], "2031-05-06"),
        ("3105.00102", "Lily Pads", 13, None, [], "2031-05-06"),
        ("3105.00103", None, None, None, [], "2031-05-06")]
    old = found["3104.00099"]
    assert old.extra.get("citation") and old.upvotes is None


def test_a_title_given_twice_in_two_languages_gives_none_and_a_venue_or_lab_after_it_is_no_second_title():
    def title(lead: str):
        text = (f"# Pond digest 2031-05-06\n\n1. {lead} — [arXiv](https://arxiv.org/abs/3105.00101) — 👍 7\n"
                "2. **Lily Pads** — [arXiv](https://arxiv.org/abs/3105.00102) — 👍 3\n")
        return by_id(text, "file:///x/2031-05-06.md")["3105.00101"].title

    assert title("**Modèles de roseaux pour la conduite** (*Reed Models for Driving*)") is None
    assert title("**Reed Models for Driving** (ICLR 2031 Oral)") == "Reed Models for Driving"
    assert title("**Reed Models for Driving** (Pond Lab)") == "Reed Models for Driving"


def test_label_lines_ordinal_dates_ampersands_and_preprint_links():
    """A number on the line above "Comments" is not the comment count; "September 5th,
    2026" is a day; "&" parts names and brackets around a list are no part of a name; a
    link named "preprint" is no title. Made up."""
    from scrapers.pages.digests.item_fields import counts, is_generic_label, split_authors

    assert counts("Pages: 14\nComments: 3")[0] == {"comments": 3}
    assert counts("Upvotes 61\nComments 7")[0].get("comments") is None
    text = ("# Pond papers of September 5th, 2031\n\n"
            "1. **Reed Beds: Sparse Roots** [preprint](https://arxiv.org/abs/3109.00101) 👍 7\n"
            "   - Authors: A. Quill, B. Reed & C. Wren\n"
            "2. **Lily Pads** [preprint](https://arxiv.org/abs/3109.00102) 👍 3\n")
    found = by_id(text, "file:///x/2031-09-07.md")
    reeds = found["3109.00101"]
    assert (str(reeds.listed_on), reeds.title, reeds.authors) == (
        "2031-09-05", "Reed Beds: Sparse Roots", ["A. Quill", "B. Reed", "C. Wren"])
    assert split_authors("[Ada Quill, Bo Reed]") == (["Ada Quill", "Bo Reed"], False)
    assert is_generic_label("preprint") and is_generic_label("arXiv preprint")


def test_from_one_paper_to_another_lists_the_second():
    text = ("# Pond digest 2031-05-06\n\n"
            "- From [Reed Beds](https://arxiv.org/abs/3012.00101) to [Reed Beds in Motion]"
            "(https://arxiv.org/abs/3105.00101) — 👍 39\n"
            "- [Lily Pads](https://arxiv.org/abs/3105.00102) — 👍 3\n")
    found = by_id(text, "file:///x/2031-05-06.md")
    assert (found["3105.00101"].title, found["3105.00101"].upvotes) == ("Reed Beds in Motion", 39)
    assert found["3012.00101"].extra.get("citation") and found["3012.00101"].upvotes is None


def test_a_card_whose_own_words_say_its_paper_is_another_days_is_a_citation():
    cards = "".join(f'<div class="message"><div class="text">{lead}<a href="https://arxiv.org/abs/{aid}">{title}</a>'
                     f" (👍 {n})</div></div>"
                     for lead, aid, title, n in (
                         ("Top paper: ", "3105.00101", "Reed Beds: Sparse Roots", 40),
                         ("Runner-up: ", "3105.00102", "Lily Pads: Floating Tokens", 30),
                         ("Previous edition's top paper: ", "3104.00099", "Old Reeds", 53),
                         ("Also new: ", "3105.00103", "Reference Frogs for Pond Audio", 9)))
    found = by_id(f"<html><body><h1>Pond channel 2031-05-06</h1>{cards}</body></html>", "file:///x/export.html")
    old = found["3104.00099"]
    assert old.extra.get("citation") and (old.upvotes, old.listed_on) == (None, None)
    # A title holding such a word ("Reference") is still its card's paper.
    assert (found["3105.00103"].upvotes, str(found["3105.00103"].listed_on)) == (9, "2031-05-06")


def test_a_chat_exports_reactions_are_no_counts_of_the_paper():
    """Telegram's reactions count the post's readers, not the paper's upvotes. Made up."""
    posts = "".join(
        f'<div class="message"><div class="text"><a href="https://arxiv.org/abs/{aid}">{title}</a></div>'
        f'<div class="reactions"><span class="reaction"><span class="emoji">👍</span>'
        f'<span class="count">{n}</span></span></div></div>'
        for aid, title, n in (("3105.00101", "Reed Beds: Sparse Roots", 26), ("3105.00102", "Lily Pads", 12),
                              ("3105.00103", "Frog Song", 7)))
    found = by_id(f"<html><body><h1>Pond channel 2031-05-06</h1>{posts}</body></html>", "file:///x/chat.html")
    assert [(o.title, o.upvotes) for o in found.values()] == [
        ("Reed Beds: Sparse Roots", None), ("Lily Pads", None), ("Frog Song", None)]


KEYCAPS = """Today's five from the daily list (Nov 2, 2031) 👇

1️⃣ Heron Nets: Wading Through Sparse Graphs
👉 arxiv.org/abs/3111.00101
🔥 1,204 upvotes (!!) and 17 comments

2️⃣ Pike Routing for Mixture Models
👉 arxiv.org/abs/3111.00102
🔥 96 upvotes

🔟 Carp Scaling: a Long Title Wrapped Onto
Two Lines in the Post
👉 arxiv.org/abs/3111.00103

👍 2,000 · 48 comments on this post
"""


def test_keycap_numbering_makes_ranked_items_and_a_marker_line_ends_the_title():
    found = by_id(KEYCAPS, "file:///x/2031-11-02-post.txt")
    heron, pike, carp = found["3111.00101"], found["3111.00102"], found["3111.00103"]
    # Each keycap item is an item with its number as rank; its first line is its title,
    # and the marker lines under it ("👉 link", "🔥 counts") are not part of the title.
    assert (heron.title, heron.rank, heron.upvotes, heron.comments) == (
        "Heron Nets: Wading Through Sparse Graphs", 1, 1204, 17)
    assert (pike.title, pike.rank, pike.upvotes, pike.comments) == ("Pike Routing for Mixture Models", 2, 96, None)
    # A title wrapped onto a second line that starts with a letter stays whole; 🔟 is 10.
    assert (carp.title, carp.rank) == ("Carp Scaling: a Long Title Wrapped Onto Two Lines in the Post", 10)
    # The post's own reactions, after a blank line, are no counts of the last paper.
    assert (carp.upvotes, carp.comments) == (None, None)
    assert {o.listed_on for o in found.values()} == {dt.date(2031, 11, 2)}


@pytest.mark.parametrize("heading, day", [
    ("Daily papers — 24.09.2031", dt.date(2031, 9, 24)),     # 24 is no month: day first
    ("Daily papers — 9/24/2031", dt.date(2031, 9, 24)),      # the American order, as sure
    ("Daily papers — 05.05.2031", dt.date(2031, 5, 5)),      # either order, one day
    ("Daily papers — 03.04.2031", None),                     # March 4 or April 3
    ("Daily papers — 24.09.31", None),                       # 2031-09-24 or 2024-09-31?
])
def test_a_day_written_in_numbers_is_read_only_when_its_order_is_sure(heading, day):
    post = f"# {heading}\n\n1. [Reed Beds](https://arxiv.org/abs/3109.00101) — 👍 9\n"
    # The file's name names another day: a heading that names a day wins, and one that
    # names it unsurely leaves the list's day empty rather than taking the file's.
    (reed,) = by_id(post, "file:///x/2031-09-20-post.md").values()
    assert reed.listed_on == day


PLAIN_NOTES = """POND LETTER, 12 November 2031

Today's top three, links at the bottom.

1. Reed Beds: Sparse Roots [1]
   73 upvotes, 5 comments

2. Lily Pads: Floating Tokens [2]
   60 upvotes
   Builds on the tokenizer of [4].

3. Frog Song: Audio at Dusk [3]
   41 upvotes, 1 comment

[1] https://arxiv.org/abs/3111.00101
[2] https://arxiv.org/abs/3111.00102
[3] https://arxiv.org/abs/3111.00103
[4] https://arxiv.org/abs/3107.00404
[5] https://arxiv.org/abs/3111.00999
"""


def test_a_plain_text_newsletters_numbered_notes_link_its_items():
    found = by_id(PLAIN_NOTES, "file:///x/letter.txt")
    reed, lily, frog = found["3111.00101"], found["3111.00102"], found["3111.00103"]
    assert [(o.title, o.rank, o.upvotes, o.comments) for o in (reed, lily, frog)] == [
        ("Reed Beds: Sparse Roots", 1, 73, 5), ("Lily Pads: Floating Tokens", 2, 60, None),
        ("Frog Song: Audio at Dusk", 3, 41, 1)]
    # A note used in an item's prose is a citation inside that item; a note nobody uses is
    # a link outside any item: neither is listed.
    assert found["3107.00404"].extra["cited_in"] == "3111.00102"
    for cited in (found["3107.00404"], found["3111.00999"]):
        assert cited.extra["citation"] and (cited.listed_on, cited.rank, cited.upvotes) == (None, None, None)


ID_COLUMN_MD = """# Pond list — 2031-11-14

| # | arXiv ID | Title | Upvotes | num_comments | Build |
|---|---|---|---|---|---|
| 1 | 3111.00101 | Reed Beds: Sparse Roots | 77 | 5 | 3111.00777 |
| 2 | 3111.00102v2 | Lily Pads: Floating Tokens | 64 | 2 | 1.2 |
| 3 | see 3111.00103 | Frog Song: Audio at Dusk | 30 | 0 | 1.3 |
"""

ID_COLUMN_HTML = """<html><body><h1>Daily papers 2031-11-14</h1>
<table class="dataframe"><thead><tr><th></th><th>arxiv_id</th><th>title</th><th>upvotes</th></tr></thead>
<tbody><tr><th>4</th><td>3111.00101</td><td>Reed Beds: Sparse Roots</td><td>77</td></tr>
<tr><th>0</th><td>3111.00102</td><td>Lily Pads: Floating Tokens</td><td>64</td></tr></tbody></table>
</body></html>"""


def test_a_tables_column_of_ids_states_its_rows_papers():
    found = by_id(ID_COLUMN_MD, "file:///x/list.md")
    reed, lily = found["3111.00101"], found["3111.00102"]
    assert [(o.title, o.rank, o.upvotes, o.comments) for o in (reed, lily)] == [
        ("Reed Beds: Sparse Roots", 1, 77, 5), ("Lily Pads: Floating Tokens", 2, 64, 2)]
    assert reed.listed_on == dt.date(2031, 11, 14)
    # A number of another column ("Build") is no paper, and a cell that holds more than an
    # id is no id cell: its row states no paper the reader could be sure of.
    assert set(found) == {"3111.00101", "3111.00102"}
    # A page whose only ids are a pandas table's is read too (no link anywhere): the
    # DataFrame's index column is no rank.
    assert generic.FORMAT.sniff(ID_COLUMN_HTML, "file:///x/nb.html")
    html = by_id(ID_COLUMN_HTML, "file:///x/nb.html")
    assert [(o.title, o.rank, o.upvotes) for o in html.values()] == [
        ("Reed Beds: Sparse Roots", None, 77), ("Lily Pads: Floating Tokens", None, 64)]
