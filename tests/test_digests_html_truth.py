"""HTML digests read for what a reader of the page sees: no hidden text, no counts from
attributes that name another count, list numbers as a browser draws them, table cells under
the header they sit under. Pages written here from scratch; each case says what the page
states and what must be left empty."""

from __future__ import annotations

from scrapers.pages.digests import generic
from scrapers.pages.digests.cards import read_cards
from scrapers.pages.digests.markup import html_to_markdown


def by_id(text: str, url: str = "file:///x/2031-05-06-digest.html"):
    return {o.arxiv_id: o for o in generic.FORMAT.parse(text, url).observations if o.arxiv_id}


HIDDEN = """<!DOCTYPE html><html><body><h1>Pond papers 2031-05-06</h1><div class="list">
<div class="paper"><a href="https://arxiv.org/abs/3105.00101">Reed Beds</a>
  <span><span aria-hidden="true">👍</span> 64</span>
  <span style="color:red; display: none !important">👍 12</span></div>
<div class="paper"><a href="https://arxiv.org/abs/3105.00102">Lily Pads</a>
  <span hidden>Upvotes: 999</span> <span>4 comments</span></div>
<div class="paper"><a href="https://arxiv.org/abs/3105.00103">Frog Song</a>
  <span style="visibility:hidden">55 upvotes</span></div>
</div></body></html>"""


def test_hidden_elements_are_not_read_and_aria_hidden_icons_are():
    """A ``hidden`` element or an inline ``display:none``/``visibility:hidden`` one is never
    shown: its stale count is not what the page states. ``aria-hidden`` only hides from
    screen readers: the 👍 before the visible 64 still labels it."""
    found = by_id(HIDDEN)
    assert (found["3105.00101"].upvotes, found["3105.00102"].upvotes, found["3105.00103"].upvotes) == (64, None, None)
    assert found["3105.00102"].comments == 4
    markdown = html_to_markdown(HIDDEN)
    assert "999" not in markdown and "55" not in markdown and "12" not in markdown and "👍 64" in markdown


def test_noscript_and_template_are_not_in_the_markdown():
    markdown = html_to_markdown("<p>shown</p><noscript><p>fallback 3105.00107</p></noscript>"
                                "<template><p>slot 3105.00108</p></template>")
    assert markdown.strip() == "shown"


DATA = """<!DOCTYPE html><html><body><h1>Pond papers 2031-05-06</h1><ul>
<li data-prev-upvotes="30" data-upvotes-yesterday="19"><a href="https://arxiv.org/abs/3105.00101">Reed Beds</a></li>
<li data-tweet-likes="412" data-hn-comments="57"><a href="https://arxiv.org/abs/3105.00102">Lily Pads</a></li>
<li data-upvotes="7" data-num-comments="2"><a href="https://arxiv.org/abs/3105.00103">Frog Song</a></li>
</ul></body></html>"""


def test_count_attributes_only_by_the_counts_own_name():
    """``data-upvotes`` is the paper's count; ``data-prev-upvotes``, ``data-tweet-likes``,
    ``data-hn-comments`` name another count (yesterday's, another site's): left empty."""
    found = by_id(DATA)
    assert [(found[i].upvotes, found[i].comments) for i in ("3105.00101", "3105.00102")] == [(None, None)] * 2
    assert (found["3105.00103"].upvotes, found["3105.00103"].comments) == (7, 2)


ORDERED = """<!DOCTYPE html><html><body><h1>Countdown 2031-05-06</h1>
<ol reversed><li><a href="https://arxiv.org/abs/3105.00101">Reed Beds</a> 👍 5</li>
<li><a href="https://arxiv.org/abs/3105.00102">Lily Pads</a> 👍 9</li>
<li><a href="https://arxiv.org/abs/3105.00103">Frog Song</a> 👍 20</li></ol>
<h2>Also ran</h2><ol><li value="8"><a href="https://arxiv.org/abs/3105.00104">Newt Nets</a> 👍 3</li>
<li><a href="https://arxiv.org/abs/3105.00105">Toad Tokens</a> 👍 2</li></ol>
</body></html>"""


def test_ordered_list_ranks_are_the_numbers_the_page_shows():
    """``<ol reversed>`` counts down from its number of items; ``<li value>`` sets an item's
    number and the next ones count on from it."""
    found = by_id(ORDERED)
    assert [found[f"3105.0010{i}"].rank for i in range(1, 6)] == [3, 2, 1, 8, 9]
    markdown = html_to_markdown(ORDERED)
    assert "3. [Reed Beds]" in markdown and "1. [Frog Song]" in markdown and "9. [Toad Tokens]" in markdown


def test_list_numbers():
    from scrapers.pages.digests.markup import list_numbers
    assert list_numbers(None, False, [None, None]) == [1, 2]
    assert list_numbers("3", True, [None, None]) == [3, 2]
    assert list_numbers(None, True, [None, "10", None]) == [3, 10, 9]
    assert list_numbers("x", False, ["y", None]) == [1, 2]


COLSPAN = """<!DOCTYPE html><html><body><h1>Board 2031-05-06</h1><table>
<tr><th colspan="2">Paper</th><th>Upvotes</th><th>Comments</th></tr>
<tr><td>1</td><td><a href="https://arxiv.org/abs/3105.00101">Reed Beds</a></td><td>143</td><td>8</td></tr>
<tr><td>2</td><td><a href="https://arxiv.org/abs/3105.00102">Lily Pads</a></td><td>77</td><td>5</td></tr>
</table></body></html>"""

ROWSPAN = """<!DOCTYPE html><html><body><h1>Board 2031-05-06</h1><table>
<tr><th>Group</th><th>#</th><th>Paper</th><th>Upvotes</th><th>Comments</th></tr>
<tr><td rowspan="2">Vision</td><td>1</td>
  <td><a href="https://arxiv.org/abs/3105.00101">Reed Beds</a></td><td>88</td><td>6</td></tr>
<tr><td>2</td><td><a href="https://arxiv.org/abs/3105.00102">Lily Pads</a></td><td>41</td><td>2</td></tr>
<tr><td>Audio</td><td>3</td>
  <td><a href="https://arxiv.org/abs/3105.00103">Frog Song</a></td><td colspan="2">n/a</td></tr>
</table></body></html>"""


def test_colspan_header_cells_are_laid_out_before_matching():
    """A header over two columns shifts the later headers: laid out as drawn, 143 sits under
    Upvotes (not Comments). The spanning "Paper" heads neither column: its number is no rank."""
    found = by_id(COLSPAN)
    assert [(o.upvotes, o.comments, o.rank) for o in found.values()] == [(143, 8, None), (77, 5, None)]


def test_rowspan_cells_keep_their_columns_in_the_rows_below():
    """The row under a ``rowspan`` cell has one cell fewer: its cells are matched from the
    second column on. A cell spanning the Upvotes and Comments columns gives neither."""
    found = by_id(ROWSPAN)
    assert [(o.rank, o.upvotes, o.comments) for o in found.values()] == [(1, 88, 6), (2, 41, 2), (3, None, None)]


FURNITURE = """<!DOCTYPE html><html><body><h1>Pond papers 2031-05-06</h1><table class="content">
<tr><td class="sponsor">Presented by Acme, makers of
  <a href="https://arxiv.org/abs/3105.00900">Acme Nets</a> 👍 500</td></tr>
<tr><td class="paper"><h2><a href="https://arxiv.org/abs/3105.00101">Reed Beds</a></h2> 👍 52</td></tr>
<tr><td class="paper"><h2><a href="https://arxiv.org/abs/3105.00102">Lily Pads</a></h2> 👍 29</td></tr>
<tr><td class="footer">Yesterday's top: <a href="https://arxiv.org/abs/3105.00050">Old Reeds</a> 👍 48</td></tr>
</table><aside><div class="card"><a href="https://arxiv.org/abs/1506.00001">From the archive</a> 👍 999</div>
<div class="card"><a href="https://arxiv.org/abs/1506.00002">Also archived</a> 👍 998</div></aside></body></html>"""


def test_sponsor_footer_and_aside_cards_are_citations_not_items():
    """Rows of the day's table whose only cell is a sponsor block or a footer, and cards in an
    ``<aside>``, are page furniture: not items, their papers cited. (Whether the page is
    then read by its cards or by its Markdown is the generic reader's choice.)"""
    reading = read_cards(FURNITURE)
    assert [c.primary.id for c in reading.cards] == ["3105.00101", "3105.00102"]
    assert [r.aid.id for r in reading.citations] == ["3105.00900", "3105.00050", "1506.00001", "1506.00002"]


def test_a_furniture_mark_around_every_card_marks_nothing():
    """A page whose every card sits in a marked element (a theme that classes the whole
    content ``with-sidebar``) still has its cards read."""
    page = FURNITURE.split("<aside>")[0].replace("<body>", '<body><div class="with-sidebar">') + "</div></body></html>"
    assert [c.primary.id for c in read_cards(page).cards] == ["3105.00101", "3105.00102"]


ARCHIVE = """<!DOCTYPE html><html><body><header><h1>Preprint roundup</h1></header>
<section class="list">
 <article class="card"><h2 class="card-title">Climate Surrogates</h2>
   <p><a href="https://doi.org/10.48550/arXiv.3106.23101">DOI</a></p><p>👍 26 · 💬 3</p></article>
 <article class="card"><h2 class="card-title">Memorized Code</h2>
   <p><a href="http://export.arxiv.org/pdf/3106.23202v2">PDF</a></p><p>👍 14</p></article>
 <article class="card"><h2 class="card-title">Radar Pretraining</h2>
   <p><a href="https://www.alphaxiv.org/overview/3106.23303">alphaXiv</a></p><p>👍 5</p></article>
</section>
<aside><h3>From the archive</h3>
 <article class="card"><h2 class="card-title">Old Dropout</h2>
   <p><a href="https://arxiv.org/abs/1506.02142">arXiv</a></p><p>👍 999</p></article>
</aside></body></html>"""


def test_a_card_in_an_aside_is_no_item_even_where_the_markdown_has_more_sections():
    """Three cards of the list link arXiv by DOI, PDF and alphaXiv; a fourth of the same
    shape sits in an ``<aside>``. The Markdown made from the page has four headed papers and
    no aside; the cards still win, the aside's card counted for them, so the archived paper
    is a citation without the 999. The link texts DOI and alphaXiv are no titles."""
    found = by_id(ARCHIVE, "file:///x/2031-06-23-roundup.html")
    assert [(i, o.title, o.upvotes, str(o.listed_on)) for i, o in found.items()] == [
        ("3106.23101", "Climate Surrogates", 26, "2031-06-23"), ("3106.23202", "Memorized Code", 14, "2031-06-23"),
        ("3106.23303", "Radar Pretraining", 5, "2031-06-23"), ("1506.02142", None, None, "None")]
    assert found["1506.02142"].extra["citation"] is True
