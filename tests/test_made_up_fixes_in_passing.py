"""A list item that names a paper in the course of a sentence, in a list whose other items
open with their papers' links, is about something else: the paper is cited, not listed.

A podcast's chapter list ("[12:40] [Title](...) — 👍 31") had a chapter "[44:05] A caller
asks about [Title](...)": the paper it mentions became a listed item with the episode's
day. Posts written here from scratch."""

from __future__ import annotations

from scrapers.pages.digests import generic


def read(text: str, url: str = "file:///x/2031-12-05-episode.md"):
    return generic.FORMAT.parse(text, url).observations


def listed(observations) -> dict:
    return {o.arxiv_id: o for o in observations if o.arxiv_id and not o.extra.get("citation")}


EPISODE = """# Fern Hour, episode 40 — papers of 5 December 2031

**Chapters**

- [00:00] Cold open and a word from the garden club
- [04:10] [Frond Unfurling as Diffusion](https://arxiv.org/abs/3112.05101) — 👍 31
- [19:55] [Spore Counting with Weak Labels](https://arxiv.org/abs/3112.05102) — 👍 17 · 💬 3
- [33:20] [Shade Tolerance Benchmarks](https://arxiv.org/abs/3112.05103) — 👍 8
- [44:05] A caller asks about [Rhizome Graphs Revisited](https://arxiv.org/abs/3006.00444)
- [50:00] Goodbyes
"""


def test_a_chapter_mentioning_a_paper_in_a_sentence_is_no_item():
    found = read(EPISODE)
    items = listed(found)
    assert set(items) == {"3112.05101", "3112.05102", "3112.05103"}
    mentioned = next(o for o in found if o.arxiv_id == "3006.00444")
    assert mentioned.extra.get("citation")
    assert (mentioned.listed_on, mentioned.rank, mentioned.upvotes) == (None, None, None)


def test_a_label_before_the_link_keeps_the_item():
    """"Bonus pick: [Title](...)" is a label, not a sentence: the paper stays listed."""
    text = EPISODE.replace("A caller asks about [Rhizome", "Bonus pick: [Rhizome")
    assert "3006.00444" in listed(read(text))


def test_an_item_with_its_own_paper_after_the_sentence_keeps_it():
    """"A follow-up to [A](...): [B](...)" lists B; A, named in the sentence, is cited."""
    text = EPISODE.replace("A caller asks about [Rhizome Graphs Revisited](https://arxiv.org/abs/3006.00444)",
                           "A follow-up to [Rhizome Graphs Revisited](https://arxiv.org/abs/3006.00444): "
                           "[Rhizome Graphs at Scale](https://arxiv.org/abs/3112.05104) — 👍 5")
    items = listed(read(text))
    assert "3112.05104" in items and "3006.00444" not in items
