"""A MediaWiki page's source read as a digest: its table is the list, its "See also" is not.

Read as Markdown, a wiki page had no headings, table or links, and its one bullet (under
"See also") became the page's only listed item, with the page's day, while the papers of
its table were cited. Pages written here from scratch."""

from __future__ import annotations

from scrapers.pages.digests import generic
from scrapers.pages.digests.mediawiki import looks_like_mediawiki, mediawiki_to_markdown


def read(text: str, url: str = "file:///x/2031-10-03-wiki.txt"):
    return generic.FORMAT.parse(text, url).observations


def listed(observations) -> dict:
    return {o.arxiv_id: o for o in observations if o.arxiv_id and not o.extra.get("citation")}


WIKI_TABLE = """== Fen reading group, 3 October 2031 ==
Kept by the group's bot; '''counts''' as of the morning.

{| class="wikitable"
! # !! Paper !! Votes !! Comments
|-
| 1 || [https://arxiv.org/abs/3110.00101 Peat Moisture Forecasting] || 44 || 3
|-
| style="text-align:right" | 2 || [https://arxiv.org/abs/3110.00102 Sedge Root Imaging] || 19 || 0
|}

=== See also ===
* [https://arxiv.org/abs/3004.00999 A Survey of Wetland Sensing] (background for #1)
[[Category:Reading group]]
"""

WIKI_NUMBERED = """== Fen picks, 3 October 2031 ==
# [https://arxiv.org/abs/3110.00201 Bog Hydrology Transformers] — 👍 30
# [https://arxiv.org/abs/3110.00202 Lichen Growth Curves] — 👍 12

== Further reading ==
* [https://arxiv.org/abs/3005.00888 Older Bog Models]
"""


def test_a_wiki_table_is_the_list_and_see_also_is_cited():
    found = read(WIKI_TABLE)
    items = listed(found)
    assert set(items) == {"3110.00101", "3110.00102"}
    assert [(items[i].rank, items[i].upvotes, items[i].comments, items[i].title) for i in sorted(items)] == [
        (1, 44, 3, "Peat Moisture Forecasting"), (2, 19, 0, "Sedge Root Imaging")]
    survey = next(o for o in found if o.arxiv_id == "3004.00999")
    assert survey.extra.get("citation") and (survey.listed_on, survey.rank) == (None, None)


def test_wiki_numbered_items_are_ranked_and_further_reading_is_not_listed():
    found = read(WIKI_NUMBERED)
    items = listed(found)
    assert {i: items[i].rank for i in items} == {"3110.00201": 1, "3110.00202": 2}
    assert str(items["3110.00201"].listed_on) == "2031-10-03"
    older = next(o for o in found if o.arxiv_id == "3005.00888")
    assert older.extra.get("citation") and older.listed_on is None


def test_wikitext_as_markdown():
    markdown = mediawiki_to_markdown(WIKI_TABLE)
    assert "## Fen reading group, 3 October 2031" in markdown and "### See also" in markdown
    assert "| # | Paper | Votes | Comments |" in markdown
    assert "| 2 | [Sedge Root Imaging](https://arxiv.org/abs/3110.00102) | 19 | 0 |" in markdown
    assert "**counts**" in markdown and "Category" not in markdown


def test_markdown_and_asciidoc_are_not_taken_for_wikitext():
    assert looks_like_mediawiki(WIKI_TABLE) and looks_like_mediawiki(WIKI_NUMBERED)
    assert not looks_like_mediawiki("# Fen picks\n\n1. [Bog](https://arxiv.org/abs/3110.00201) 👍 3\n")
    assert not looks_like_mediawiki("= Fen picks\n\n== Papers\n\n. https://arxiv.org/abs/3110.00201[Bog]\n")
    assert not looks_like_mediawiki("Fen picks\n=========\n\n- `Bog <https://arxiv.org/abs/3110.00201>`_\n")


def test_a_wiki_table_with_cells_one_per_line():
    """Cells one per line, a header cell with attributes, a row's own "!" cell."""
    text = """== Fen picks, 3 October 2031 ==
{| class="wikitable"
|-
! scope="col" | #
! Paper
! Votes
|-
! 1
| [https://arxiv.org/abs/3110.00301 Cranberry Bog Albedo]
| 27
|-
! 2
| [https://arxiv.org/abs/3110.00302 Sundew Trap Kinetics]
| 6
|}
"""
    items = listed(read(text))
    assert [(i, items[i].rank, items[i].upvotes) for i in sorted(items)] == [
        ("3110.00301", 1, 27), ("3110.00302", 2, 6)]
