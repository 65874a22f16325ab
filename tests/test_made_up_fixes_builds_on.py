"""A paper a list names only as what one of its items builds on is no item of the list.

A table that gives each paper a second row for its fields ("names · 💬 3 · builds on
[an older paper](...)") leaves that row with one paper link, the older paper's. Read as a
row of its own, the older paper became a listed item with the row's day and counts; it is
cited instead. Pages written here from scratch."""

from __future__ import annotations

from scrapers.pages.digests import generic


def read(text: str, url: str = "file:///x/2031-09-02-digest.md"):
    return generic.FORMAT.parse(text, url).observations


def listed(observations) -> dict:
    return {o.arxiv_id: o for o in observations if o.arxiv_id and not o.extra.get("citation")}


def cited(observations) -> set[str]:
    return {o.arxiv_id for o in observations if o.arxiv_id and o.extra.get("citation")}


PIPE_PAIRS = """# Marsh board, 2 September 2031

| # | Paper | Upvotes |
| --- | --- | --- |
| 1 | [Heron Gait Estimation](https://arxiv.org/abs/3109.00101) | 61 |
| Ona Pell, Rik Voss · 💬 5 · builds on [GaitNet-Zero](https://arxiv.org/abs/3012.00777) | |
| 2 | [Tidal Flow Priors](https://arxiv.org/abs/3109.00102) | 38 |
| Mae Corr · 💬 1 | |
| 3 | [Reed Canopy Segmentation](https://arxiv.org/abs/3109.00103) | 12 |
| Ilse Vane, Tomo Hart | |
"""

HTML_PAIRS = """<!DOCTYPE html><html><body><h1>Marsh board — 2 September 2031</h1>
<table><thead><tr><th>#</th><th>Paper</th><th>Upvotes</th></tr></thead><tbody>
<tr class="paper"><td rowspan="2">1</td><td><a href="https://arxiv.org/abs/3109.00101">Heron Gait Estimation</a></td><td>61</td></tr>
<tr class="byline"><td colspan="2">Ona Pell, Rik Voss · 💬 5 · builds on <a href="https://arxiv.org/abs/3012.00777">GaitNet-Zero</a></td></tr>
<tr class="paper"><td rowspan="2">2</td><td><a href="https://arxiv.org/abs/3109.00102">Tidal Flow Priors</a></td><td>38</td></tr>
<tr class="byline"><td colspan="2">Mae Corr · 💬 1</td></tr>
<tr class="paper"><td rowspan="2">3</td><td><a href="https://arxiv.org/abs/3109.00103">Reed Canopy Segmentation</a></td><td>12</td></tr>
<tr class="byline"><td colspan="2">Ilse Vane, Tomo Hart</td></tr>
</tbody></table></body></html>"""


def test_a_row_naming_only_what_an_item_builds_on_is_no_item():
    """The field row of item 1 links only GaitNet-Zero, after "builds on": cited, with no
    day, rank or the row's 💬 5; the three papers of the board are listed as before."""
    found = read(PIPE_PAIRS)
    items = listed(found)
    assert set(items) == {"3109.00101", "3109.00102", "3109.00103"}
    assert "3012.00777" in cited(found)
    base = next(o for o in found if o.arxiv_id == "3012.00777")
    assert (base.listed_on, base.rank, base.upvotes, base.comments) == (None, None, None, None)
    assert [items[i].upvotes for i in sorted(items)] == [61, 38, 12]


def test_html_row_pairs_do_not_list_the_paper_an_item_builds_on():
    """The same board as HTML, the number cell spanning each paper's two rows, which are
    classed apart (the cards are the papers' rows): the field rows' Markdown is not taken
    for more items than the cards."""
    found = read(HTML_PAIRS, "file:///x/2031-09-02-digest.html")
    assert set(listed(found)) == {"3109.00101", "3109.00102", "3109.00103"}
    assert "3012.00777" in cited(found)
    base = next(o for o in found if o.arxiv_id == "3012.00777")
    assert (base.listed_on, base.comments) == (None, None)


def test_a_row_with_its_own_paper_beside_what_it_builds_on_keeps_its_paper():
    """A row that links its own paper and the one it builds on lists its own, as before."""
    text = PIPE_PAIRS.replace("| Ona Pell, Rik Voss · 💬 5 · builds on",
                              "| 4 | [Egret Wading Policies](https://arxiv.org/abs/3109.00104) builds on")
    items = listed(read(text))
    assert "3109.00104" in items and "3012.00777" not in items
