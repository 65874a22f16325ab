"""Set-h's shapes, each written here from scratch as a short made-up digest: a chat export,
an mbox of several issues, a post corrected after the fact, a list under another day's
heading. Each test states what a reader must not store (a false value), and what it may."""

from __future__ import annotations

import datetime as dt

from scrapers.pages import read_page
from scrapers.pages.digests import post_days

D = dt.date
MTIME = dt.datetime(2031, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


def read(text: str, name: str):
    """The observations of ``text`` saved as ``name`` (whose date is the file's day)."""
    return read_page(f"file:///notes/{name}", text.encode("utf-8"), mtime=MTIME).observations


def listed(observations) -> dict:
    return {o.arxiv_id: o for o in observations if o.arxiv_id and not o.extra.get("citation")}


CHAT = """\
14/03/2031, 07:55 - Ruth Okafor: Good morning! The three at the top of today's list
1. Lichen: Growth-Rate Estimation from Time-Lapse https://arxiv.org/abs/3103.14001 👍 52
2. Burrow: Soil Moisture from Seismic Noise https://arxiv.org/abs/3103.14002 👍 31
14/03/2031, 08:10 - Abel Tesfaye: Burrow reminds me of https://arxiv.org/abs/3102.07007
14/03/2031, 21:02 - Ruth Okafor: 9 of us tonight, see you next week
"""


def test_a_chat_export_ends_a_list_with_its_message_and_gives_the_messages_day():
    obs = read(CHAT, "2031-03-15-chat.txt")
    items = listed(obs)
    assert set(items) == {"3103.14001", "3103.14002"}
    assert items["3103.14002"].title == "Burrow: Soil Moisture from Seismic Noise"
    assert {o.listed_on for o in items.values()} == {D(2031, 3, 14)}
    assert items["3103.14001"].upvotes == 52 and items["3103.14001"].rank == 1
    cited = next(o for o in obs if o.arxiv_id == "3102.07007")
    assert cited.extra.get("citation") and cited.listed_on is None


def test_a_chat_of_two_days_gives_its_list_no_days_of_the_file_name():
    text = "13/03/2031, 22:40 - Ruth Okafor: list tomorrow morning\n" + CHAT
    items = listed(read(text, "2031-03-15-chat.txt"))
    assert items["3103.14002"].title == "Burrow: Soil Moisture from Seismic Noise"
    assert {o.listed_on for o in items.values()} <= {D(2031, 3, 14), None}


def test_a_chat_whose_day_and_month_cannot_be_told_apart_names_no_day():
    text = CHAT.replace("14/03/2031", "04/03/2031")
    items = listed(read(text, "2031-03-05-chat.txt"))
    assert {o.listed_on for o in items.values()} == {None}
    assert items["3103.14002"].title == "Burrow: Soil Moisture from Seismic Noise"


CORRECTED = """\
# Morning five — 14 March 2031

1. [Lichen: Growth-Rate Estimation from Time-Lapse](https://arxiv.org/abs/3103.14001) — 👍 17 · 💬 2
2. [Burrow: Soil Moisture from Seismic Noise](https://arxiv.org/abs/3103.14002) — 👍 44
3. [Fennel: Spectral Unmixing for Crop Maps](https://arxiv.org/abs/3103.14003) — 👍 40
4. [Gorse: Fire-Scar Mapping with SAR](https://arxiv.org/abs/3103.14004) — 👍 8 (update: 18, we misread the page)
5. [Heath: Moorland Bird Counts from Audio](https://arxiv.org/abs/3103.14005) — 👍 5

_Erratum, 09:45:_ Lichen had 71 upvotes, not 17; #2 and #3 were the other way round.
"""


def test_a_correction_note_leaves_the_values_it_touches_empty():
    items = listed(read(CORRECTED, "2031-03-14-five.md"))
    lichen, burrow, fennel, gorse, heath = (items[f"3103.1400{n}"] for n in range(1, 6))
    assert lichen.upvotes is None and lichen.extra["corrected"] == {"upvotes": 17}
    assert lichen.comments == 2 and lichen.rank == 1  # the note says nothing of those
    assert burrow.rank is None and fennel.rank is None  # "#2 and #3 ... the other way round"
    assert burrow.upvotes == 44 and fennel.upvotes == 40
    assert gorse.upvotes is None and gorse.rank == 4  # its own "(update: 18 ...)"
    assert (heath.upvotes, heath.rank) == (5, 5)


def test_a_note_that_only_adds_to_an_item_changes_nothing():
    text = CORRECTED.split("_Erratum")[0].replace(" (update: 18, we misread the page)", "") + (
        "**Update:** Burrow's code is out, and Lichen is on the front page.\n")
    items = listed(read(text, "2031-03-14-five.md"))
    assert [(o.upvotes, o.rank) for o in items.values()] == [(17, 1), (44, 2), (40, 3), (8, 4), (5, 5)]


def _issue(sent: str, subject: str, items: str) -> str:
    return (f"From list@news.example {sent}\nFrom: Owl Notes <list@news.example>\nTo: me@example.org\n"
            f"Subject: {subject}\nDate: {sent[:3]}, {sent[8:10]} {sent[4:7]} {sent[-4:]} {sent[11:19]} +0000\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
            f"Today's top papers:\n\n{items}\n-- \nOwl Notes - unsubscribe: https://news.example/u/1\n\n")


MBOX = (_issue("Fri Mar 14 07:00:03 2031", "Owl Notes: papers of 14 March 2031",
               "1. Lichen: Growth-Rate Estimation\n   https://arxiv.org/abs/3103.14001\n   52 upvotes\n")
        + _issue("Sat Mar 15 07:00:09 2031", "Owl Notes, issue 212",
                 "1. Burrow: Soil Moisture from Seismic Noise\n   https://arxiv.org/abs/3103.15001\n   31 upvotes\n"
                 "2. Fennel: Spectral Unmixing\n   https://arxiv.org/abs/3103.15002\n   12 upvotes\n"))


def test_each_issue_of_an_mbox_gets_its_own_day():
    items = listed(read(MBOX, "2031-03-15-owl.mbox"))
    assert {k: (o.listed_on, o.rank, o.upvotes) for k, o in items.items()} == {
        "3103.14001": (D(2031, 3, 14), 1, 52),  # its subject's day
        "3103.15001": (D(2031, 3, 15), 1, 31),  # the day it was sent: its subject names none
        "3103.15002": (D(2031, 3, 15), 2, 12)}
    assert not any("unsubscribe" in (o.summary or "") for o in items.values())


def test_an_mbox_of_one_message_is_read_as_that_message():
    items = listed(read(MBOX.split("\n\nFrom list@")[0] + "\n", "2031-03-20-owl.mbox"))
    assert {k: o.listed_on for k, o in items.items()} == {"3103.14001": D(2031, 3, 14)}


def _frame(rows: list[tuple[str, str, int]]) -> str:
    body = "".join(f"<tr><th>{i}</th><td>{aid}</td><td>{title}</td><td>{n}</td></tr>\n"
                   for i, (aid, title, n) in enumerate(rows))
    return ('<div>\n<table border="1" class="dataframe">\n<thead><tr><th></th><th>arxiv_id</th><th>title</th>'
            f"<th>upvotes</th></tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n</div>\n")


NOTEBOOK = ("# Daily papers — 2031-03-14\n\n```python\ndf = fetch('2031-03-14')  # today's\n```\n\n"
            + _frame([("3103.14001", "Lichen: Growth-Rate Estimation", 52), ("3103.14002", "Burrow: Soil Moisture", 31)])
            + "\n## Last week's top two, for comparison\n\n```python\n# the list of 2031-03-07\n```\n\n"
            + _frame([("3103.07001", "Sedge: Wetland Maps", 140), ("3103.07002", "Tarn: Lake Ice", 77)]))


def test_a_table_under_a_markdown_heading_of_another_list_in_a_notebook_is_not_the_days():
    obs = read(NOTEBOOK, "2031-03-14-notebook.md")
    items = listed(obs)
    assert {k: (o.listed_on, o.upvotes) for k, o in items.items()} == {
        "3103.14001": (D(2031, 3, 14), 52), "3103.14002": (D(2031, 3, 14), 31)}
    assert all(o.extra.get("citation") and o.upvotes is None for o in obs if o.arxiv_id.startswith("3103.07"))


CALENDAR = """\
# Thirty days of papers

One paper a day, the day's most upvoted.

## Day 12 — [Lichen: Growth-Rate Estimation](https://arxiv.org/abs/3103.12001)
👍 71

## Day 13 — [Burrow: Soil Moisture from Seismic Noise](https://arxiv.org/abs/3103.13001)
👍 64
"""


def test_heading_items_that_name_their_own_days_do_not_get_the_file_names():
    items = listed(read(CALENDAR, "2031-03-13-calendar.md"))
    assert {k: o.listed_on for k, o in items.items()} == {"3103.12001": None, "3103.13001": None}
    assert items["3103.12001"].upvotes == 71
    dated = CALENDAR.replace("Day 12 —", "2031-03-12 ·").replace("Day 13 —", "2031-03-13 ·")
    items = listed(read(dated, "2031-03-13-calendar.md"))
    assert {k: o.listed_on for k, o in items.items()} == {"3103.12001": D(2031, 3, 12), "3103.13001": D(2031, 3, 13)}


READING_LIST = """\
# Reading list for 14 March 2031

* Lichen: Growth-Rate Estimation https://arxiv.org/abs/3103.14001 — 33 upvotes
* Burrow: Soil Moisture from Seismic Noise https://arxiv.org/abs/3103.14002 — 21 upvotes

## Previously

* Sedge: Wetland Maps https://arxiv.org/abs/3103.07001 — 90 upvotes last Friday
"""


def test_a_heading_naming_the_lists_own_day_is_the_days_list_whatever_its_words():
    obs = read(READING_LIST, "2031-03-14-notes.md")
    assert {k: o.listed_on for k, o in listed(obs).items()} == {
        "3103.14001": D(2031, 3, 14), "3103.14002": D(2031, 3, 14)}
    sedge = next(o for o in obs if o.arxiv_id == "3103.07001")
    assert sedge.extra.get("citation") and sedge.upvotes is None and sedge.listed_on is None


MAILING = """\
 Submissions received from  Wed 12 Mar 31 18:00:00 GMT  to  Thu 13 Mar 31 18:00:00 GMT
------------------------------------------------------------------------------
\\\\
arXiv:3103.14001
Date: Wed, 12 Mar 2031 19:02:11 GMT   (812kb)

Title: Lichen: Growth-Rate Estimation from Time-Lapse
Authors: Ruth Okafor and Abel Tesfaye
\\\\
  We estimate growth rates from time-lapse images.
\\\\ ( https://arxiv.org/abs/3103.14001 ,  812kb)
------------------------------------------------------------------------------
"""


def test_a_date_line_after_the_first_paper_is_an_items_not_the_lists():
    url = "file:///notes/2031-03-14-mailing.txt"
    assert post_days.listed_on({}, MAILING, url) == (D(2031, 3, 14), "filename")  # not its submission's 12 March
    assert post_days.listed_on({}, "Date: 13 March 2031\n" + MAILING, url) == (D(2031, 3, 13), "document:date line")
    items = listed(read(MAILING, "2031-03-14-mailing.txt"))
    assert items["3103.14001"].listed_on in (D(2031, 3, 14), None)


PDF_TEXT = """\
OWL NOTES                                              Friday, 14 March 2031

1. Lichen: Growth-Rate Estimation for Slow Organ-
   isms
   arXiv:3103.14001 · 58 upvotes

2. Burrow: Soil Moisture from Seismic Noise with Long-
   Range Sensors
   arXiv:3103.14002 · 33 upvotes

3. Fennel: Spectral Unmixing for Crop Maps
   arXiv:3103.14003 · 20 upvotes
"""


def test_a_title_cut_at_a_line_break_after_a_hyphen_is_left_empty():
    items = listed(read(PDF_TEXT, "2031-03-14-owl.txt"))
    assert items["3103.14001"].title is None and items["3103.14002"].title is None
    assert items["3103.14003"].title == "Fennel: Spectral Unmixing for Crop Maps"
    assert [o.upvotes for o in items.values()] == [58, 33, 20]


def _message(kind: str, content: str, embeds: list[str], **more) -> dict:
    return {"type": kind, "timestamp": "2031-03-14T08:00:00+00:00", "content": content,
            "embeds": [{"title": f"[{aid}] Paper {aid}", "url": f"https://arxiv.org/abs/{aid}"} for aid in embeds],
            **more}


def test_a_reply_in_a_chat_export_is_talk_about_the_list_not_the_list():
    import json
    export = {"channel": {"name": "daily-papers"}, "messages": [
        _message("Default", "Top 2 today", ["3103.14001", "3103.14002"]),
        _message("Reply", "#2 is a sequel to https://arxiv.org/abs/3102.07007", ["3102.07007"],
                 reference={"messageId": "1"})]}
    obs = read(json.dumps(export), "2031-03-14-discord.json")
    days = {o.arxiv_id: o.listed_on for o in obs}
    assert days == {"3103.14001": D(2031, 3, 14), "3103.14002": D(2031, 3, 14), "3102.07007": None}


def test_a_heading_block_saying_another_days_list_heads_the_blocks_after_it():
    import json
    def section(aid, rank):
        return {"type": "section", "text": {"type": "mrkdwn", "text": f"*{rank}. <https://arxiv.org/abs/{aid}|Paper>*"},
                "accessory": {"type": "button", "url": f"https://arxiv.org/abs/{aid}"}}
    blocks = {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "Daily papers, 14 March 2031"}},
                         section("3103.14001", 1), section("3103.14002", 2),
                         {"type": "context", "elements": [{"type": "mrkdwn", "text": "Last week's top paper:"}]},
                         section("3103.07001", 1),
                         {"type": "header", "text": {"type": "plain_text", "text": "Also new today"}},
                         section("3103.14003", 3)]}
    obs = read(json.dumps(blocks), "2031-03-14-slack.json")
    days = {o.arxiv_id: o.listed_on for o in obs}
    assert days == {"3103.14001": D(2031, 3, 14), "3103.14002": D(2031, 3, 14), "3103.07001": None,
                    "3103.14003": D(2031, 3, 14)}


THREAD = """\
# Thread by @ruth@owls.example — 14 March 2031

### @ruth@owls.example · 07:02

Today's two at the top of the list, a thread 🧵

### @ruth@owls.example · 07:03

1/ [Lichen: Growth-Rate Estimation](https://arxiv.org/abs/3103.14001) — 52 upvotes.

### @ruth@owls.example · 07:04

2/ [Burrow: Soil Moisture from Seismic Noise](https://arxiv.org/abs/3103.14002) — 31 upvotes.

### @abel@fedi.example · 09:12

@ruth isn't Burrow just [Quake Sensing](https://arxiv.org/abs/3102.07007) again?
"""


def test_a_reply_to_a_threads_author_is_no_post_of_the_thread():
    obs = read(THREAD, "2031-03-14-thread.md")
    assert {k: (o.listed_on, o.upvotes) for k, o in listed(obs).items()} == {
        "3103.14001": (D(2031, 3, 14), 52), "3103.14002": (D(2031, 3, 14), 31)}
    quake = next(o for o in obs if o.arxiv_id == "3102.07007")
    assert quake.extra.get("citation") and quake.listed_on is None


ASCIIDOC = """\
= Owl notes: 14 March 2031
Ruth Okafor
:revdate: 2031-03-15

[cols="1,5,1",options="header"]
|===
|# |Paper |Upvotes

|1
|https://arxiv.org/abs/3103.14001[Lichen: Growth-Rate Estimation]
|52

|2
|https://arxiv.org/abs/3103.14002[Burrow: Soil Moisture from Seismic Noise]
|31
|===

== See also

* https://arxiv.org/abs/3102.07007[Quake Sensing] -- from February
"""


def test_an_asciidoc_table_is_the_list_and_a_see_also_list_under_its_heading_is_not():
    obs = read(ASCIIDOC, "2031-03-15-owl.adoc")
    assert {k: (o.title, o.rank, o.upvotes, o.listed_on) for k, o in listed(obs).items()} == {
        "3103.14001": ("Lichen: Growth-Rate Estimation", 1, 52, D(2031, 3, 14)),
        "3103.14002": ("Burrow: Soil Moisture from Seismic Noise", 2, 31, D(2031, 3, 14))}
    quake = next(o for o in obs if o.arxiv_id == "3102.07007")
    assert quake.extra.get("citation") and quake.listed_on is None


def test_an_asciidoc_table_whose_cells_cannot_be_laid_out_is_left_as_it_is():
    from scrapers.pages.digests.asciidoc import asciidoc_to_markdown
    merged = ASCIIDOC.replace("|1\n|https://arxiv.org/abs/3103.14001", "2+|https://arxiv.org/abs/3103.14001")
    assert "|===" in asciidoc_to_markdown(merged)
    assert "| --- |" in asciidoc_to_markdown(ASCIIDOC)
