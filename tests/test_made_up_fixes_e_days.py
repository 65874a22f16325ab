"""A day the document itself states wins over the file name's, and where it states days the
reader cannot place, the file name's is not given instead.

Each test is a page written here from scratch, saved under a file name whose date is not
the day (or not every day) the page states: the file-name day given to those items would
put them on a list they were not on."""

from __future__ import annotations

import datetime as dt

from scrapers.pages.digests import generic


def read(text: str, url: str):
    return generic.FORMAT.parse(text, url).observations


def days(observations) -> dict:
    return {o.arxiv_id: o.listed_on for o in observations if o.arxiv_id and not o.extra.get("citation")}


def rule(observations, aid: str):
    obs = next(o for o in observations if o.arxiv_id == aid)
    return obs.extra.get("read", {}).get("fields", {}).get("listed_on")


D = dt.date

HTML_TWO_DAYS = """<!DOCTYPE html><html><body>
<h1>Owl notes: catching up</h1>
<p>Back from the field station; both lists at once.</p>
<h2>Monday, March 3, 2031</h2>
<ol>
 <li><a href="https://arxiv.org/abs/3103.00311">Nocturnal Flight Paths from Radar</a> — 44 upvotes</li>
 <li><a href="https://arxiv.org/abs/3103.00322">Feather Wear as a Clock</a> — 19 upvotes</li>
</ol>
<h2>Tuesday, March 4, 2031</h2>
<ol>
 <li><a href="https://arxiv.org/abs/3103.00433">Call Dialects Across Valleys</a> — 61 upvotes</li>
 <li><a href="https://arxiv.org/abs/3103.00444">Pellet Contents by Season</a> — 12 upvotes</li>
</ol>
</body></html>"""


def test_html_cards_under_two_date_headings_take_their_own_headings_day():
    """Cards under "Monday, March 3" are that day's, not the file name's March 4; the
    Markdown reader already read headings so, the HTML cards gave every card one day."""
    found = read(HTML_TWO_DAYS, "file:///x/2031-03-04-owl-notes.html")
    assert days(found) == {"3103.00311": D(2031, 3, 3), "3103.00322": D(2031, 3, 3),
                           "3103.00433": D(2031, 3, 4), "3103.00444": D(2031, 3, 4)}
    assert rule(found, "3103.00311") == "heading:section"


HTML_ONE_DAY = """<!DOCTYPE html><html><body>
<h1>Owl notes, March 4, 2031</h1>
<h2>Top of the day</h2>
<ol>
 <li><a href="https://arxiv.org/abs/3103.00433">Call Dialects Across Valleys</a> — 61 upvotes</li>
 <li><a href="https://arxiv.org/abs/3103.00444">Pellet Contents by Season</a> — 12 upvotes</li>
</ol>
</body></html>"""


def test_html_cards_under_one_dated_heading_keep_the_documents_day():
    found = read(HTML_ONE_DAY, "file:///x/2031-03-05-owl-notes.html")
    assert set(days(found).values()) == {D(2031, 3, 4)}
    assert rule(found, "3103.00433") == "heading"


CHANGELOG = """# Reading log

Every entry below is one day's additions.

## 2031-05-12
### Added
- [Kelp Forest Carbon Budgets](https://arxiv.org/abs/3105.01201) (👍 30)
- [Urchin Barrens from Above](https://arxiv.org/abs/3105.01202) (👍 22)

## 2031-05-11
### Added
- [Tide Pool Census by Drone](https://arxiv.org/abs/3105.01103) (👍 41)
"""


def test_a_date_two_heading_levels_up_is_the_days_of_the_items_under_it():
    """"## 2031-05-11" over "### Added" over an item: the item's day is the 11th, not the
    file name's 12th (its nearest heading, "Added", names none)."""
    found = read(CHANGELOG, "file:///x/2031-05-12-log.md")
    assert days(found) == {"3105.01201": D(2031, 5, 12), "3105.01202": D(2031, 5, 12),
                           "3105.01103": D(2031, 5, 11)}
    assert rule(found, "3105.01103") == "heading:section"


LATE_POST = """<!DOCTYPE html><html><body><article>
<h1>Tonight's reading</h1>
<p class="byline">Posted <time datetime="2031-06-20T23:10:00-07:00">Jun 20, 2031, 11:10 PM PDT</time> by Ines Moor</p>
<p>The list closed hours ago; three stood out.</p>
<ul>
 <li><a href="https://arxiv.org/abs/3106.02001">Sparse Routing for Tiny Robots</a> — 33 upvotes</li>
 <li><a href="https://arxiv.org/abs/3106.02002">Glacier Edges from Sentinel Pairs</a> — 21 upvotes</li>
</ul>
</article></body></html>"""


def test_a_posted_byline_without_a_colon_wins_over_the_file_names_day():
    """"Posted Jun 20, 2031, 11:10 PM PDT", saved by a crawler under the UTC day (the
    21st): the post's own day is the 20th."""
    found = read(LATE_POST, "file:///x/2031-06-21-tonight.html")
    assert set(days(found).values()) == {D(2031, 6, 20)}
    assert rule(found, "3106.02001") == "document:date line"


def test_a_posted_day_without_its_year_that_is_not_the_file_names_gives_no_day():
    """"Posted Jun 20 at 11:10 PM" names a day, but without its year this reader does not
    place it; it is not the file name's 21st, so neither is given."""
    text = LATE_POST.replace("Jun 20, 2031, 11:10 PM PDT", "Jun 20 at 11:10 PM")
    assert set(days(read(text, "file:///x/2031-06-21-tonight.html")).values()) == {None}
    # The same byline under a file name of that month and day: nothing says otherwise.
    assert set(days(read(text, "file:///x/2031-06-20-tonight.html")).values()) == {D(2031, 6, 20)}


def test_a_numeric_date_line_that_cannot_be_the_file_names_day_gives_no_day():
    md = "# Notes\n\nDate: 04/06/2031\n\n1. [Sparse Routing for Tiny Robots](https://arxiv.org/abs/3106.02001) — 33 upvotes\n" \
         "2. [Glacier Edges from Sentinel Pairs](https://arxiv.org/abs/3106.02002) — 21 upvotes\n"
    # April 6 or June 4: neither is the file name's 21 June.
    assert set(days(read(md, "file:///x/2031-06-21-notes.md")).values()) == {None}
    assert set(days(read(md, "file:///x/2031-06-04-notes.md")).values()) == {D(2031, 6, 4)}
    # A day over 12 leaves no doubt of the order: the date line states its day, which wins
    # over the file name's as an ISO date line does.
    sure = md.replace("04/06/2031", "19/06/2031")
    assert set(days(read(sure, "file:///x/2031-06-21-notes.md")).values()) == {D(2031, 6, 19)}


DATED_ROWS = """# Awesome Sea Ice Models

A list of papers, newest first.

## 2031 — Week 24

| Date | Paper | Code |
|---|---|---|
| 2031-06-14 | [Melt Pond Fractions from Optics](https://arxiv.org/abs/3106.01401) | — |
| 2031-06-11 | [Lead Opening under Storm Forcing](https://arxiv.org/abs/3106.01102) | [code](https://example.org/lead) |

## 2031 — Week 23

| Date | Paper | Code |
|---|---|---|
| 2031-06-05 | [Brine Channels in First-Year Ice](https://arxiv.org/abs/3106.00503) | — |
"""


def test_a_row_dated_otherwise_does_not_take_the_file_names_day():
    """The file name says the 14th; rows dated the 11th and the 5th say otherwise, so the
    file name's day is not theirs (their own date is kept aside: it may be the paper's
    publication, not its listing). The row dated the 14th agrees and keeps it."""
    found = read(DATED_ROWS, "file:///x/2031-06-14-awesome.md")
    assert days(found) == {"3106.01401": D(2031, 6, 14), "3106.01102": None, "3106.00503": None}
    row = next(o for o in found if o.arxiv_id == "3106.01102")
    assert row.extra["item_date"] == "2031-06-11"


def test_dated_rows_under_a_stated_update_day_keep_the_posts_day():
    """A list that states its own day ("Last update: ...") over rows dated by arXiv: the
    rows' dates are another thing than the list's day, which stays."""
    text = DATED_ROWS.replace("A list of papers, newest first.", "Last update: 2031-06-14")
    assert set(days(read(text, "file:///x/2031-06-14-awesome.md")).values()) == {D(2031, 6, 14)}


HTML_DATED_ROWS = """<!DOCTYPE html><html><body><h1>Sea ice papers</h1>
<table><thead><tr><th>Date</th><th>Paper</th><th>Upvotes</th></tr></thead><tbody>
<tr><td>2031-06-14</td><td><a href="https://arxiv.org/abs/3106.01401">Melt Pond Fractions from Optics</a></td><td>18</td></tr>
<tr><td>2031-06-11</td><td><a href="https://arxiv.org/abs/3106.01102">Lead Opening under Storm Forcing</a></td><td>9</td></tr>
</tbody></table></body></html>"""


def test_an_html_row_dated_otherwise_does_not_take_the_file_names_day():
    found = read(HTML_DATED_ROWS, "file:///x/2031-06-14-ice.html")
    assert days(found) == {"3106.01401": D(2031, 6, 14), "3106.01102": None}


BOARD = """# Lab reading board

_Exported from the board on 2031-08-20; each card says which list it came from._

## To read
- [ ] [Coral Spawning Cues from Moonlight](https://arxiv.org/abs/3108.02001) — from the Aug 20 list, 👍 14
- [ ] [Seagrass Carbon in Cold Bays](https://arxiv.org/abs/3108.01702) — from the Aug 17 list, 👍 22

## Done
- [x] [Plankton Blooms and Wind Shear](https://arxiv.org/abs/3108.01603) — from the Aug 16 list, 👍 31
"""


def test_an_item_naming_the_list_it_came_from_does_not_take_the_file_names_day():
    """"from the Aug 17 list" on a board exported on the 20th: that card is not the 20th's.
    Its day is not given either (no year is stated beside it)."""
    found = read(BOARD, "file:///x/2031-08-20-board.md")
    assert days(found) == {"3108.02001": D(2031, 8, 20), "3108.01702": None, "3108.01603": None}
    card = next(o for o in found if o.arxiv_id == "3108.01702")
    assert card.extra["list_day_stated"] == "Aug 17"
    assert card.upvotes == 22


def test_a_heading_over_every_card_is_the_pages_not_one_cards():
    """An ``<h1>`` naming the day the page went up sits over both days and over a third
    list: it is the page's day, not the third list's, whose cards get none."""
    text = HTML_TWO_DAYS.replace("Owl notes: catching up", "Owl notes, posted March 5, 2031").replace(
        "</body>", "<h2>Also worth a look</h2><ol><li><a href=\"https://arxiv.org/abs/3102.02855\">"
        "Roost Choice in Cold Snaps</a> — 8 upvotes</li></ol></body>")
    found = read(text, "file:///x/2031-03-05-owl-notes.html")
    assert days(found) == {"3103.00311": D(2031, 3, 3), "3103.00322": D(2031, 3, 3),
                           "3103.00433": D(2031, 3, 4), "3103.00444": D(2031, 3, 4), "3102.02855": None}
