"""The exact wording of detector details where a count decides the words: plurals ("1 more
pair", "2 more pairs"), "and N more" after the first three, and the rank check's "its counts
place it #a-b" and "tied with ... and more"; also that the title check takes its thresholds
from the context's configuration, and where the typo rule's edit bound lies.

Other tests check these details with ``in``, which a detail that lost its first half, or
said "pair" for two, would still pass; these pin whole strings at the counts where the
wording changes. Ids (3105 range), sites and text are made up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from reconcile.checks.base import CheckContext
from reconcile.checks.claims import check_numeric_claims
from reconcile.checks.encoding import check_mojibake, check_replacement_chars
from reconcile.checks.evidence import cap
from reconcile.checks.garbage import check_garbage
from reconcile.checks.rank import SETTLE, check_rank
from reconcile.checks.titles import check_title
from reconcile.config import DEFAULTS, ReconcileConfig
from reconcile.models import Document, Observation, Severity, Source, TimeBasis
from reconcile.text import normalize_title

from .test_checks_rank_evidence import PAPER, doc, item, ranked

UTC = dt.timezone.utc
SEEN = dt.datetime(2031, 5, 6, 14, 0, tzinfo=UTC)
OTHER = "arxiv:3105.00041"
TITLE = "Quiet Lanterns: Teaching Small Models to Count Fireflies in the Dark"


def digest(oid: int, site: str, **fields) -> Observation:
    """A digest's observation of paper 3105.00041, from ``site``."""
    return Observation(id=oid, source=Source.DIGEST, site=site, observed_at=SEEN, arxiv_id="3105.00041", **fields)


# ---------------------------------------------------------------- numeric_claim

SPEEDUP = "ToyNet gives a {} speedup on PebbleBench."


@pytest.mark.parametrize("speedups, more", [
    # one/two agree (no pair); one/three and two/three differ: one more pair than the worst
    (("2.0x", "2.0x", "2.2x"), " (and 1 more pair)"),
    # all three differ: three pairs, two more than the worst
    (("2.0x", "2.1x", "2.2x"), " (and 2 more pairs)"),
])
def test_numeric_claim_counts_the_other_pairs_with_a_plural_from_two(speedups, more):
    sites = ("one", "two", "three")
    observations = [digest(i, site, summary=SPEEDUP.format(x)) for i, (site, x) in enumerate(zip(sites, speedups), 1)]
    [found] = check_numeric_claims(OTHER, observations, CheckContext({}))
    assert found.severity == Severity.WARNING
    assert found.detail == "× speedup: 2.0x (one) vs 2.2x (three), 9.1% apart" + more


# ---------------------------------------------------------------- garbage_field

def _author_count_lines(n: int) -> list[Observation]:
    """``n`` captures of one author-count line, each with another badge count glued on."""
    return [digest(i, f"site{i}.example", organization=f"·13 authors{i}") for i in range(1, n + 1)]


def test_garbage_names_three_other_variants_without_a_count():
    [found] = check_garbage(OTHER, _author_count_lines(4), CheckContext({}))
    assert found.detail == ("organization '·13 authors1' is page furniture: an author count (13), not an "
                            "organization; also as '·13 authors2', '·13 authors3', '·13 authors4'")


def test_garbage_names_the_first_three_other_variants_and_counts_the_rest():
    [found] = check_garbage(OTHER, _author_count_lines(6), CheckContext({}))
    assert found.detail == ("organization '·13 authors1' is page furniture: an author count (13), not an "
                            "organization; also as '·13 authors2', '·13 authors3', '·13 authors4' and 2 more")


# ---------------------------------------------------------------- rank

def test_rank_outside_its_lists_range_says_the_range_after_the_rest_of_the_part():
    heron, wren = doc(1, "heron.example", 3), doc(2, "wren.example", 14)
    lists = {1: ranked((1, 90, "arxiv:3105.00032"), (2, 50, PAPER)),
             # 60 upvotes: one paper above, two tied, so #2-4; the list says #5
             2: ranked((1, 90, "arxiv:3105.00032"), (2, 60, "arxiv:3105.00033"), (3, 60, "arxiv:3105.00034"),
                       (4, 10, "arxiv:3105.00035"), (5, 60, PAPER))}
    [found] = check_rank(PAPER, [item(10, heron, 2, 50), item(20, wren, 5, 60)],
                         CheckContext({1: heron, 2: wren}, ranked_lists=lists))
    assert found.severity == Severity.WARNING
    assert found.detail == ("lists of 2031-05-06 ranked by upvotes place it differently: "
                            "#2 in heron.example (50 upvotes), "
                            "#5 in wren.example (60 upvotes; its counts place it #2-4); "
                            f"the counts do not explain it. Settled by {SETTLE}")


@pytest.mark.parametrize("tied, named", [
    (3, "3105.00032, 3105.00033, 3105.00034"),
    (4, "3105.00032, 3105.00033, 3105.00034 and more"),
    (5, "3105.00032, 3105.00033, 3105.00034 and more"),
])
def test_rank_names_three_tied_papers_and_says_more_from_four(tied, named):
    heron, wren = doc(1, "heron.example", 3), doc(2, "wren.example", 14)
    others = [f"arxiv:3105.{32 + i:05d}" for i in range(tied)]
    lists = {1: ranked((1, 50, PAPER), *((r, 50, p) for r, p in enumerate(others, 2))),
             2: ranked((1, 50, "arxiv:3105.00032"), (2, 50, PAPER))}
    [found] = check_rank(PAPER, [item(10, heron, 1, 50), item(20, wren, 2, 50)],
                         CheckContext({1: heron, 2: wren}, ranked_lists=lists))
    assert found.severity == Severity.INFO
    assert found.detail == ("lists of 2031-05-06 ranked by upvotes place it differently: "
                            f"#1 in heron.example (50 upvotes, tied with {named}), "
                            "#2 in wren.example (50 upvotes, tied with 3105.00032); "
                            f"each list's own counts explain its rank. Settled by {SETTLE}")


# ---------------------------------------------------------------- weak evidence

def test_capped_rank_shows_the_first_three_weakness_reasons_and_counts_the_fourth():
    heron, wren = doc(1, "heron.example", 3), doc(2, "wren.example", 14)
    lists = {1: ranked((1, 90, "arxiv:3105.00032"), (2, 50, PAPER)),
             2: ranked((1, 90, "arxiv:3105.00032"), (2, 70, "arxiv:3105.00033"), (3, 60, PAPER))}
    # Both lists read by the generic reader: a heuristic rank and upvotes each, four reasons.
    [found] = check_rank(PAPER, [item(10, heron, 2, 50, "digest-generic"), item(20, wren, 4, 60, "digest-generic")],
                         CheckContext({1: heron, 2: wren}, ranked_lists=lists))
    assert found.severity == Severity.INFO
    assert found.detail == (
        "lists of 2031-05-06 ranked by upvotes place it differently: "
        "#2 in heron.example (50 upvotes), #4 in wren.example (60 upvotes; its counts place it #3); "
        "the counts do not explain it (info, not warning: "
        "digest/heron.example's rank is the generic reader's reading (numbering); "
        "digest/heron.example's upvotes is the generic reader's reading (marker:N upvotes); "
        "digest/wren.example's rank is the generic reader's reading (numbering); and 1 more)"
        f". Settled by {SETTLE}")


@pytest.mark.parametrize("reasons, shown", [
    (["r1", "r2", "r3"], "r1; r2; r3"),
    (["r1", "r2", "r3", "r4"], "r1; r2; r3; and 1 more"),
    (["r1", "r2", "r3", "r4", "r5"], "r1; r2; r3; and 2 more"),
])
def test_cap_shows_at_most_three_reasons(reasons, shown):
    assert cap(Severity.ERROR, "d", reasons) == (Severity.INFO, f"d (info, not error: {shown})")


# ---------------------------------------------------------------- replacement_char

@pytest.mark.parametrize("count, noun", [(1, "character"), (2, "characters"), (3, "characters")])
def test_replacement_chars_are_plural_from_two(count, noun):
    document = Document(id=1, url="https://heron.example/1", source=Source.DIGEST, site="heron.example",
                        format="test", observed_at=SEEN, observed_at_basis=TimeBasis.STATED_CAPTURE,
                        sha256=hashlib.sha256(b"1").hexdigest(), replacement_chars=count)
    observation = digest(1, "heron.example", document_id=1, title="Quiet Lanterns")
    [found] = check_replacement_chars(OTHER, [observation], CheckContext({1: document}))
    assert found.detail == (f"https://heron.example/1: {count} U+FFFD replacement {noun}; the bytes were lost "
                            "before we saw them and cannot be restored; in a document that carries 1 paper: "
                            "3105.00041")


def _damaged(**fields) -> Document:
    return Document(id=1, url="https://heron.example/1", source=Source.DIGEST, site="heron.example",
                    format="test", observed_at=SEEN, observed_at_basis=TimeBasis.STATED_CAPTURE,
                    sha256=hashlib.sha256(b"1").hexdigest(), **fields)


def test_a_repair_through_a_codec_without_a_display_name_names_the_codec():
    document = _damaged(mojibake=True, repair="roundtrip:koi8_r")
    [found] = check_mojibake(OTHER, [digest(1, "heron.example", document_id=1)], CheckContext({1: document}))
    assert found.detail == ("https://heron.example/1: UTF-8 text decoded as koi8_r, repaired exactly by "
                            "re-encoding the whole document; in a document that carries 1 paper: 3105.00041")


def test_a_paper_missing_from_its_documents_paper_list_is_added_in_order():
    document = _damaged(replacement_chars=1)
    ctx = CheckContext({1: document}, document_papers={1: ["arxiv:3105.00050"]})
    [found] = check_replacement_chars(OTHER, [digest(1, "heron.example", document_id=1)], ctx)
    assert found.paper_id == OTHER
    assert found.detail.endswith("carries 2 papers: 3105.00041, 3105.00050")


# ---------------------------------------------------------------- title

def _titles(trusted: str, other: str, config: ReconcileConfig = DEFAULTS) -> str:
    """The detail of the title check for arXiv's ``trusted`` title against a digest's ``other``."""
    arxiv = Observation(id=1, source=Source.ARXIV, site="arxiv.org", observed_at=SEEN, arxiv_id="3105.00041",
                        title=trusted)
    [found] = check_title(OTHER, [arxiv, digest(2, "digest.example", title=other)], CheckContext({}, config=config))
    return found.detail


# Three edits: a swapped pair in each of three words.
THREE_EDITS = TITLE.replace("Count", "Cuont").replace("Fireflies", "Firelfies").replace("Dark", "Drak")


def test_title_check_takes_the_typo_bound_from_the_contexts_config():
    strict = ReconcileConfig(titles=dataclasses.replace(DEFAULTS.titles, typo_max_edits=2))
    assert _titles(TITLE, THREE_EDITS) == (
        "title differs from arxiv.org's: digest.example has a typo, 3 edits away ('cuont firelfies drak' for "
        f"'count fireflies dark'): {THREE_EDITS!r}")
    assert _titles(TITLE, THREE_EDITS, strict) == (
        f"title differs from arxiv.org's: digest.example has a different title (similarity 96/100): {THREE_EDITS!r}")


def test_title_typo_that_moves_a_word_break_names_the_words_in_order():
    # "End-to-End" written "Endto-End": the words missing from the other title would name
    # 'endto' for 'to', as if "end" were not involved; aligned in order it is 'end to'.
    trusted = "Quiet Lanterns: End-to-End Counting of Fireflies"
    moved = "Quiet Lanterns: Endto-End Counting of Fireflies"
    # The same letters, two words joined: a spelling ("Autoencoders") or a slip, which
    # only a dictionary could tell, so info.
    assert _titles(trusted, moved) == ("title differs from arxiv.org's: digest.example has the same letters, "
                                       f"words joined or split ('endto' for 'end to'): {moved!r}")
    # A break moved, not only added or dropped, is a typo.
    assert "has a typo, 1 edit away ('shortt erm' for 'short term')" in _titles(
        "Quiet Lanterns: Short-Term Counting of Fireflies", "Quiet Lanterns: Shortt-erm Counting of Fireflies")


def test_title_with_as_many_edits_as_the_bound_is_a_typo():
    # 67 characters: the bound is min(typo_max_edits=3, 67 // 10) = 3 edits.
    assert len(normalize_title(TITLE)) == 67
    assert "has a typo, 3 edits away" in _titles(TITLE, THREE_EDITS)
    four = THREE_EDITS.replace("Small", "Smlal")
    assert "has a different title" in _titles(TITLE, four)


def test_title_typo_bound_is_one_edit_per_whole_ten_characters():
    # 29 characters: 29 / 10 is 2.9, so two edits are a typo and three are not (an edit
    # count is whole, so "at most 2.9" and "at most 2" are the same rule).
    trusted = "Pebble Counting with Toy Nets"
    assert len(normalize_title(trusted)) == 29
    two = trusted.replace("Pebble", "Pebbel").replace("Toy", "Tyo")
    assert _titles(trusted, two) == ("title differs from arxiv.org's: digest.example has a typo, 2 edits away "
                                     f"('pebbel tyo' for 'pebble toy'): {two!r}")
    three = two.replace("Nets", "Nest")
    assert "has a different title" in _titles(trusted, three)
    # Under twenty characters the bound is one edit, never none.
    short = "Pebble Nets"
    assert "has a typo, 1 edit away ('pebbel' for 'pebble')" in _titles(short, "Pebbel Nets")
    assert "has a different title" in _titles(short, "Pebbel Nest")


@pytest.mark.parametrize("method, said", [
    ("roundtrip:latin-1:lines,ftfy:lines",
     "UTF-8 text decoded as Latin-1, repaired exactly by re-encoding the lines it repaired; and repaired "
     "line by line with ftfy"),
    ("ftfy:lines", "repaired line by line with ftfy"),
    ("roundtrip:latin-1>roundtrip:mac_roman",
     "UTF-8 text decoded as Latin-1, repaired exactly by re-encoding the whole document; then UTF-8 text "
     "decoded as Mac Roman, repaired exactly by re-encoding the whole document"),
])
def test_a_line_by_line_repair_is_not_described_as_a_whole_document_one(method, said):
    document = _damaged(mojibake=True, repair=method)
    [found] = check_mojibake(OTHER, [digest(1, "heron.example", document_id=1)], CheckContext({1: document}))
    assert found.detail == f"https://heron.example/1: {said}; in a document that carries 1 paper: 3105.00041"
