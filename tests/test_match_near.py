"""The second lookup for a title with a misspelt word (issue 15: recall where blocking on the
remaining words cuts the paper out), and titles that differ only in word breaks."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from reconcile import blocking
from reconcile.config import DEFAULT
from reconcile.match import TitleIndex, one_edit
from reconcile.models import Observation, Source

# Small bounds, so that the blocks of common words are cut, as at a million papers.
TIGHT = dataclasses.replace(DEFAULT, max_posting=40, max_candidates=25, block_words=2)
NAMES = ["Amberwick", "Bramblefold", "Cinderpath", "Dovecrest", "Emberlyn", "Fernhollow", "Glimmerstone",
         "Hazelmere", "Ironbark", "Juniperfall", "Kestrelmoor", "Larkspire"]
TAIL = "Sparse Routing for Vision Language Models"
DAY = dt.date(2031, 3, 2)


def _index(config=TIGHT) -> TitleIndex:
    """60 papers that share every word but their name, the one to find added last."""
    index = TitleIndex(config)
    for n in range(60):
        index.add(f"arxiv:3103.{n:05d}", f"{NAMES[n % 11]}{n}: {TAIL}", days=[DAY])
    index.add("arxiv:3103.99999", f"{NAMES[11]}: {TAIL}", days=[DAY])
    return index


def _digest(title: str) -> Observation:
    return Observation(source=Source.DIGEST, title=title, listed_on=DAY)


def test_one_edit_holds_every_kind_of_single_typo():
    edits = one_edit("larkspire")
    assert {"larspire", "lakrspire", "larkspure", "larkspiire"} <= edits  # dropped, swapped, changed, added
    assert "larkspire" not in edits
    assert all(abs(len(e) - 9) <= 1 for e in edits)
    assert "hééron" in one_edit("héron")  # a letter beyond a-z and digits: only the word's own
    assert "héron" not in one_edit("heron")


def test_a_misspelt_name_is_found_though_its_other_words_block_on_sixty_papers(monkeypatch):
    index = _index()
    for typo in ("Larksprie", "Larkspre", "Larkspiree", "Larkspure"):
        found = index.match(_digest(f"{typo}: {TAIL}"))
        assert found is not None and found.paper_id == "arxiv:3103.99999", typo
        assert found.detail.startswith("title similarity")
    # Without the second lookup the paper is cut from the first: the blocks hold 60 papers
    # and it was added last.
    monkeypatch.setattr(TitleIndex, "_near_candidate_ids", lambda self, key, seen, among=None: [])
    assert _index().match(_digest(f"Larksprie: {TAIL}")) is None


def test_the_second_lookup_does_not_make_an_ambiguous_title_link():
    index = _index()
    index.add("arxiv:3103.99998", f"{NAMES[11]}: {TAIL}", days=[DAY])  # the same title twice
    assert index.match(_digest(f"Larksprie: {TAIL}")) is None


def test_titles_with_the_same_letters_are_the_same_title():
    index = TitleIndex(DEFAULT)
    index.add("arxiv:3103.00001", "Zero-shot Counting of Fireflies in the Dark", days=[DAY])
    index.add("arxiv:3103.00002", "Pre-training Lanterns 2 for Firefly Counting", days=[DAY])
    found = index.match(_digest("Zeroshot Counting of Fireflies in the Dark"))
    assert found is not None and found.paper_id == "arxiv:3103.00001"
    assert "the same letters" in found.detail
    assert index.match(_digest("Pretraining Lanterns 2 for Firefly Counting")).paper_id == "arxiv:3103.00002"
    # The same letters but another number is another paper ("2" is not "22").
    assert index.match(_digest("Pretraining Lanterns 22 for Firefly Counting")) is None
    # A mark run into the name is the same mark: "VL" stays, as the same letters.
    index.add("arxiv:3103.00003", "Lanternshow-VL: Counting Fireflies across Videos", days=[DAY])
    index.add("arxiv:3103.00004", "Glowmark 2.5: Counting Fireflies across Meadows", days=[DAY])
    assert index.match(_digest("LanternshowVL: Counting Fireflies across Videos")).paper_id == "arxiv:3103.00003"
    assert index.match(_digest("Glowmark 25: Counting Fireflies across Meadows")) is None


def test_a_title_written_without_spaces_is_not_respelt(monkeypatch):
    # A Chinese title is one "word" of dozens of characters: its one-edit spellings would
    # number tens of thousands, each looked up, for every item that links nothing.
    index = _index()
    title = "稀疏路由视觉语言模型的萤火虫计数方法研究与大规模实验评估报告及其后续工作"
    assert len(title) > 30
    assert len(one_edit(title)) > 4000

    def refuse(word):
        raise AssertionError(f"respelt {word!r}")

    monkeypatch.setattr(blocking, "one_edit", refuse)  # where _near_words calls it
    assert index.match(_digest(title)) is None
    assert index.match(_digest(f"{title}: {TAIL}")) is None
    with pytest.raises(AssertionError):  # a misspelt word of a Latin title still is
        index.match(_digest(f"Larksprie: {TAIL}"))
