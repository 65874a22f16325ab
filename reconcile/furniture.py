"""Page furniture: values a scraper read off a page's chrome instead of its data.

Pure tests of one value (``·438 authors2``, ``RLinf2.37k2``, ``Upvote 34``), used by the
merge policy (:mod:`reconcile.policy`: furniture is never merged) and by the
``garbage_field`` detector (:mod:`reconcile.checks.garbage`, whose docstring says why the
heuristic works and when it fails). Here, apart from both, so neither imports the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reconcile.text import collapse_whitespace

_BULLET = "·•・∙"
# "·438 authors", "· 7 authors1", "438 authors2": the card's author line (+ a badge count).
AUTHOR_COUNT = re.compile(rf"^[{_BULLET}]?\s*(\d[\d,]*)\s*authors?\s*\d*$", re.IGNORECASE)
# A bare count: "2.37k", "12".
BARE_COUNT = re.compile(rf"^[{_BULLET}]?\s*\d[\d,]*(?:\.\d+)?[kKmM]?\d*$")
# UI labels that are never an organization, a title or an author.
UI_LABEL = re.compile(
    rf"^(?:upvotes?\s*\d*|\d+\s*(?:upvotes?|likes?|comments?|stars?|followers?)|submitted by\b.*"
    rf"|follow(?:ers?)?\s*\d*|join the discussion\b.*|[{_BULLET}]\s*\d+\s*authors?\b.*)$",
    re.IGNORECASE)
# A follower/star count ("2.37k") with an optional badge count, glued to the name.
GLUED_K = re.compile(r"(?<=[^\W\d_]|[)\]])\d{1,3}(?:\.\d{1,2})?[kKmM]\d*$")
# Digits glued to a letter or a closing bracket.
GLUED_DIGITS = re.compile(r"(?<=[^\W\d_]|[)\]])\d+$")
# What another source's clean name may be followed by in a garbage value.
COUNTER_REST = re.compile(r"\d+(?:\.\d+)?[kKmM]?\d*")
# The day a card's "Submitted by <user> on <day>" line ends in: "Dec 18", "December 18",
# "2025-12-18". Only a day makes it furniture: a title may say "Submitted by LLMs on
# OpenReview".
_SUBMITTED_DAY = (r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
                  r"|\d{4}-\d{2}-\d{2}\b)")
# Furniture inside a title or an author entry.
TEXT_FURNITURE = re.compile(
    rf"^\s*upvote\s*\d+\b|\bupvote\s*\d+\s*$|\bsubmitted by\s+\S+\s+on\s+{_SUBMITTED_DAY}"
    rf"|[{_BULLET}]\s*\d+\s*authors?\b|\bjoin the discussion\b", re.IGNORECASE)

def _is_short_acronym(value: str, letters: int, digits: int) -> bool:
    return re.fullmatch(rf"[A-Za-z]{{1,{letters}}}\d{{1,{digits}}}", value) is not None


def author_count(value: str) -> int | None:
    """The author count of a card's "· 438 authors" line read as a field, else None."""
    m = AUTHOR_COUNT.match(collapse_whitespace(value))
    return int(m[1].replace(",", "")) if m else None


@lru_cache(maxsize=1 << 16)  # pure, and a run asks about the same values again and again
def is_page_furniture(value: str, field: str = "organization", *, acronym_letters: int = 3,
                      acronym_digits: int = 3, first_hand: bool = False) -> bool:
    """True when ``value`` is page furniture (or polluted by it) rather than data.

    For ``organization`` (the default): an author-count line, a bare count, a UI label, or a
    name with counters glued on (``RLinf2.37k2``, ``alibaba-inc3``), except a lone short
    acronym with digits (``AI21``). For ``title`` and ``authors`` only unmistakable UI
    labels count (``Upvote 34``, ``· 12 authors``, ``Submitted by``): those fields end in
    digits legitimately. A whole value of at most ``acronym_letters`` ASCII letters and
    ``acronym_digits`` digits is a name. Pure; see :mod:`reconcile.checks.garbage` for why it
    works and when it fails.

    ``first_hand``: the value is a field a first-hand source states (arXiv's title, Hugging
    Face's API ``organization.fullname``), not text a digest's scraper read off a card, so
    it is never furniture: digits at the end of such a name are its own ("Hugging Face H4",
    whose id is ``HuggingFaceH4``), a number may be a name ("360", "42"), and a title may
    start "Join the Discussion:".
    """
    if first_hand:
        return False
    text = collapse_whitespace(value or "")
    if not text:
        return False
    if field != "organization":
        return TEXT_FURNITURE.search(text) is not None or UI_LABEL.match(text) is not None
    if AUTHOR_COUNT.match(text) or BARE_COUNT.match(text) or UI_LABEL.match(text):
        return True
    if _is_short_acronym(text, acronym_letters, acronym_digits):
        return False
    return GLUED_K.search(text) is not None or GLUED_DIGITS.search(text) is not None
