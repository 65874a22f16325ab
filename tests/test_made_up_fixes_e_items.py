"""Papers a note names beside its day's list are not listed: a changelog's "Removed"
entries, a task in an Obsidian note below the note's paper callouts, a "bonus" section
about a paper shown last week. Each was stored as a listed item with the day; each is now
a citation (no day, rank or count). Pages written here from scratch."""

from __future__ import annotations

import datetime as dt

from scrapers.pages.digests import generic


def read(text: str, url: str):
    return generic.FORMAT.parse(text, url).observations


def listed(observations) -> dict:
    return {o.arxiv_id: o for o in observations if o.arxiv_id and not o.extra.get("citation")}


def cited(observations) -> set[str]:
    return {o.arxiv_id for o in observations if o.arxiv_id and o.extra.get("citation")}


CHANGELOG = """# Changelog

## [2031-02-09]
### Added
- [Moss Growth under LED Light](https://arxiv.org/abs/3102.00901) (👍 17)
- [Lichen Colour as a Pollution Gauge](https://arxiv.org/abs/3102.00902) (👍 9)
### Removed
- [Fern Spores in Wind Tunnels](https://arxiv.org/abs/3011.07007) — duplicate entry
"""


def test_a_changelogs_removed_entry_is_not_listed():
    found = read(CHANGELOG, "file:///x/2031-02-09-changelog.md")
    assert set(listed(found)) == {"3102.00901", "3102.00902"}
    assert "3011.07007" in cited(found)
    removed = next(o for o in found if o.arxiv_id == "3011.07007")
    assert removed.listed_on is None


NOTE = """---
tags: [daily]
---
# 2031-04-02

## Papers
> [!paper] [[Beetle Wing Folding Mechanics]]
> arxiv:: [3104.00201](https://arxiv.org/abs/3104.00201)
> upvotes:: 27
> comments:: 2

> [!paper] [[Ant Trails as Shortest Paths]]
> arxiv:: [3104.00202](https://arxiv.org/abs/3104.00202)
> upvotes:: 15

> [!note] Reminder
> Ask the lab about the microscope booking.

## Tasks
- [ ] send notes on [[Ant Trails as Shortest Paths]]
- [x] finish reading [the old trail model](https://arxiv.org/abs/3001.04004) — 1 hour
"""


def test_obsidian_paper_callouts_are_the_items_and_a_task_below_them_is_not():
    """Each ``> [!paper]`` callout is one paper, with its title (without the callout's
    marker) and its Dataview fields; the task's link is a citation, not the day's list."""
    found = read(NOTE, "file:///x/2031-04-02.md")
    items = listed(found)
    assert set(items) == {"3104.00201", "3104.00202"}
    assert items["3104.00201"].title == "Beetle Wing Folding Mechanics"
    assert (items["3104.00201"].upvotes, items["3104.00201"].comments) == (27, 2)
    assert items["3104.00202"].upvotes == 15
    assert {o.listed_on for o in items.values()} == {dt.date(2031, 4, 2)}
    assert "3001.04004" in cited(found)


BONUS = """<!DOCTYPE html><html lang="ja"><body>
<h1>今日の論文まとめ</h1>
<p>今日のリストから3本。</p>
<h2>1. <a href="https://arxiv.org/abs/3107.01101">Glass Sponge Skeleton Optics</a></h2>
<p>いいね数: 40</p>
<h2>2. <a href="https://arxiv.org/abs/3107.01102">Squid Skin Colour Cells</a></h2>
<p>いいね数: 22</p>
<h2>3. <a href="https://arxiv.org/abs/3107.01103">Octopus Arm Reflexes</a></h2>
<p>いいね数: 12</p>
<h2>おまけ</h2>
<p>先週紹介した <a href="https://arxiv.org/abs/3106.02408">Jellyfish Pulse Timing</a> は今 いいね数: 99 です。</p>
</body></html>"""


def test_a_bonus_section_about_last_weeks_paper_is_not_listed():
    """The last heading names no paper; its paragraph says the paper it links was shown
    last week (先週紹介した). Cited, without the 99 likes or the day."""
    found = read(BONUS, "file:///x/2031-07-11-qiita.html")
    assert set(listed(found)) == {"3107.01101", "3107.01102", "3107.01103"}
    assert "3106.02408" in cited(found)


def test_a_section_naming_its_paper_in_plain_words_stays_listed():
    """The same page whose last section says nothing of another day keeps its paper."""
    text = BONUS.replace("先週紹介した ", "").replace("おまけ", "4.")
    assert "3106.02408" in listed(read(text, "file:///x/2031-07-11-qiita.html"))
