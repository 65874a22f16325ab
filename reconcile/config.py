"""Every threshold and weight of the reconciler, in one typed place with documented defaults.

Change a value by building a new config (``dataclasses.replace(DEFAULT, title_accept=92)``)
and passing it to :func:`reconcile.resolve.resolve`; the tests pin the defaults' behaviour
in ``tests/cases/match.json``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchConfig:
    """How titles and mentions are matched to papers.

    Scores are rapidfuzz's 0-100. A candidate is accepted at ``title_accept`` or above, after
    the evidence adjustments, and only when no other candidate comes within
    ``ambiguity_margin`` of it (two similar papers must not swallow each other's records).
    """

    #: Full-title similarity (rapidfuzz ``ratio`` over normalized titles) that links.
    title_accept: float = 90.0
    #: Titles shorter than this (normalized characters) link only on an exact key: a short
    #: title has too few characters for a typo score to mean anything.
    min_fuzzy_length: int = 20
    #: A truncated title (ending "..." or a prefix) must keep at least this many words and
    #: match the start of the candidate at ``prefix_accept``.
    prefix_min_words: int = 4
    prefix_accept: float = 95.0
    #: A title cut at the colon ("OmniSIFT" for "OmniSIFT: ...") must be a distinctive name:
    #: at least this many characters, or containing a digit or a capital past its first
    #: letter ("Survey" is a word, not a name).
    colon_min_length: int = 10
    #: A fuzzy title match may differ in a word only if that word has a spelling this close
    #: (rapidfuzz ``ratio``) in the other title: a typo, not a different word.
    typo_word_floor: float = 70.0
    #: Evidence: shared author surnames add, disjoint non-empty author lists subtract.
    author_bonus: float = 4.0
    author_penalty: float = 8.0
    #: Evidence: dates (publication or listing) within this many days add, farther than
    #: ``date_far_days`` subtract.
    date_near_days: int = 10
    date_far_days: int = 120
    date_bonus: float = 2.0
    date_penalty: float = 10.0
    #: Two candidates within this many points of each other: neither is linked.
    ambiguity_margin: float = 3.0
    #: Blocking: candidates come from the rarest words of a title, at most this many words
    #: and this many candidates; words carried by more than ``common_word_share`` of all
    #: papers are too common to block on.
    block_words: int = 3
    max_candidates: int = 200
    common_word_share: float = 0.05
    #: ... and no word whose posting list is longer than this is read whole: the bound that
    #: keeps a lookup's cost flat as the number of papers grows.
    max_posting: int = 2000
    #: ... before which a title's first and last this many words are looked up directly (a
    #: truncated title keeps its start, a title with one typo one of its ends).
    end_words: int = 3
    #: A mention ("WideSeek-R1" in prose) links to a paper listed or published within this
    #: many days of the mention, when the mention's day is known.
    mention_days: int = 7


DEFAULT = MatchConfig()
