"""Values that are scraped page furniture, not data (``garbage_field``).

Scrapers that read a Hugging Face paper card by its visible text pick up whatever sits next
to the field they want. The lim4349 blog crawler's ``institution`` is the worst case seen:

- ``·438 authors2``: the card had no organization, so the crawler took the "· 438 authors"
  line, with a badge count glued on. It is an author count, not an organization.
- ``RLinf2.37k2``, ``ByteDance1.51k2``: an organization name with a follower or star count
  ("2.37k") and a badge count ("2") glued on.
- ``alibaba-inc3``, ``Xiaomi MiMo1``, ``The University of Sydney592``: a name with one or
  more counts glued on, no separator.

Why the heuristic works: organization names do not end in digits glued to a letter
(Hugging Face's organization names in the samples never do, except the short acronyms
``AI21`` and ``Ai2``), while the card's counters are always glued on without a space. A lone
acronym of at most three letters with at most three digits (``AI2``, ``AI21``, ``LLM360``)
is therefore kept as a name; a space before the number (``Lab 42``) or a digit inside
(``4Paradigm``, ``01.AI``) is not furniture either.

A value a first-hand source states as a field (arXiv's title, Hugging Face's API:
``organization.fullname`` and its id) is never furniture, wherever it appears: "Hugging
Face H4" (id ``HuggingFaceH4``) ends in a digit glued to a letter and is its name; "360"
and "42" are organizations; a title may start "Join the Discussion:". Furniture is what a
digest's scraper read off a page's chrome.

When it fails: ``SAP1`` or ``Qwen3``-shaped garbage on its own looks like a name and is only
caught when another source names the organization (``SAP``, then the rest is a counter);
an organization whose real name ends in glued digits (a hypothetical ``DeepLab3``) is
flagged; and where the name ends and the counter begins cannot be known from the value
alone (``AI21691`` is ``AI21`` + ``691``), so the clean value is only named when another
source has it (:func:`clean_guess`). Titles and author names end in digits legitimately
(``ERNIE 5.0``, ``GPT4``), so only unmistakable UI labels (``Upvote 34``, ``· 12 authors``,
``Submitted by``) count as furniture there.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial

from reconcile.config import GarbageConfig
from reconcile.models import Discrepancy, Kind, Observation, Severity, Source, Value
from reconcile.text import collapse_whitespace

from reconcile.furniture import BARE_COUNT, COUNTER_REST, UI_LABEL, author_count, is_page_furniture

from .base import CheckContext, discrepancy_id, value_of
from .evidence import cap, heuristic

__all__ = ["GarbageConfig", "author_count", "check_garbage", "clean_guess", "is_page_furniture"]

log = logging.getLogger(__name__)



SOURCE_NAMES = {Source.ARXIV: "arXiv", Source.HUGGINGFACE: "Hugging Face",
                Source.ARXIVLENS: "ArxivLens", Source.DIGEST: "a digest"}


def clean_guess(value: str, others: Sequence[str], stated: Collection[str] = ()) -> str | None:
    """What ``value`` probably is once the furniture is gone, when another source has it.

    ``others`` are other sources' values for the same field (an organization's full name
    or its id). The answer is the longest of them that ``value`` starts with (case and
    whitespace aside), followed only by counters: ``RLinf2.37k2`` with ``RLinf`` gives
    ``RLinf``; ``alibaba-inc3`` with ``alibaba-inc`` gives ``alibaba-inc``. None when no
    other value fits, and None for an author-count line (``·438 authors2`` is not an
    organization at all, whatever the others say). A value of ``stated`` (casefolded names
    a first-hand source states) is a clean name whatever its shape.
    """
    text = collapse_whitespace(value or "")
    if not text or author_count(text) is not None:
        return None
    best: str | None = None
    for other in others:
        clean = collapse_whitespace(other or "")
        if not clean or len(clean) >= len(text) or is_page_furniture(clean, first_hand=clean.casefold() in stated):
            continue
        if text[:len(clean)].casefold() == clean.casefold() and COUNTER_REST.fullmatch(text[len(clean):]):
            if best is None or len(clean) > len(best):
                best = clean
    return best


@dataclass(frozen=True)
class _Clean:
    value: str
    obs: Observation
    label: str


def _clean_values(field: str, observations: Sequence[Observation]) -> list[_Clean]:
    """Values of ``field`` that are not furniture, with what to call where each came from."""
    found = []
    for obs in observations:
        who = SOURCE_NAMES[obs.source] if obs.source != Source.DIGEST else (obs.site or "a digest")
        if field == "organization":
            if obs.organization and not is_page_furniture(obs.organization, first_hand=obs.source != Source.DIGEST):
                found.append(_Clean(obs.organization, obs, who))
            org_id = obs.extra.get("organization_id")
            if isinstance(org_id, str) and org_id.strip():
                found.append(_Clean(org_id.strip(), obs, f"{who} organization id"))
    return found


def _values(obs: Observation, field: str) -> list[str]:
    value = getattr(obs, field)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) and value else []


def _detail(field: str, value: str, guess: _Clean | None, named: list[_Clean],
            totals: dict[int, str]) -> str:
    count = author_count(value) if field == "organization" else None
    if count is not None:
        detail = f"{field} {value!r} is page furniture: an author count ({count}), not an organization"
        if count in totals:
            detail += f" ({totals[count]} lists {count} authors)"
        if named:
            detail += f"; {named[0].label} names the organization {named[0].value!r}"
        return detail
    if guess is not None:
        rest = collapse_whitespace(value)[len(guess.value):]
        return (f"{field} {value!r} has page counters glued on ({rest!r}): probably "
                f"{guess.value!r} ({guess.label})")
    if field == "organization":
        if BARE_COUNT.match(collapse_whitespace(value)) or UI_LABEL.match(collapse_whitespace(value)):
            return f"{field} {value!r} is page furniture (a count or a UI label), not an organization"
        if named:  # another source names it, and no counters glued to that name spell this value
            return (f"{field} {value!r} ends in digits that may be counters glued to the name (page furniture); "
                    f"{named[0].label} names the organization {named[0].value!r}, which it does not spell")
        return (f"{field} {value!r} ends in digits that may be counters glued to the name (page furniture); no "
                "other source names the organization")
    return f"{field} {value!r} contains page furniture (a UI label or count of the page it was scraped from)"


def check_garbage(paper_id: str, observations: Sequence[Observation], ctx: CheckContext,
                  config: GarbageConfig | None = None) -> list[Discrepancy]:
    """Field values that are page furniture, each with the clean value another source has.

    One finding per field and value (an author-count line in all its variants counts as one
    value): every observation showing it (a blog and the JSON its crawler wrote often both do) is in
    ``values``, followed by the other source's clean value when one fits
    (:func:`clean_guess`). A value is flagged when :func:`is_page_furniture` says so, or
    when another source's clean value plus counters spells it (``SAP1`` beside ``SAP``).
    """
    config = config or ctx.config.garbage
    totals = {o.authors_total: SOURCE_NAMES[o.source] if o.source != Source.DIGEST else (o.site or "a digest")
              for o in observations if o.authors_total}
    furniture = partial(is_page_furniture, acronym_letters=config.acronym_letters,
                        acronym_digits=config.acronym_digits)
    # Values a first-hand source states (arXiv's title, Hugging Face's organization and its
    # id): never furniture, wherever they appear ("Hugging Face H4" ends in a digit, "360" is
    # a company, a title may start "Join the Discussion:").
    stated = {(field, collapse_whitespace(v).casefold()) for o in observations if o.source != Source.DIGEST
              for field in config.fields for v in _values(o, field)}
    stated |= {("organization", collapse_whitespace(c.value).casefold())
               for c in _clean_values("organization", observations) if c.obs.source != Source.DIGEST}

    def flagged(value: str, field: str) -> bool:
        return furniture(value, field, first_hand=(field, collapse_whitespace(value).casefold()) in stated)

    groups: dict[tuple, list[Observation]] = defaultdict(list)
    for obs in observations:
        for field in config.fields:
            for value in _values(obs, field):
                # Only an organization has clean values elsewhere to be judged against
                # (_clean_values); a value of any other field is flagged by its shape alone,
                # so one that is not furniture is dropped here rather than grouped (most of
                # a paper's values are titles and author names).
                if field == "organization" or flagged(value, field):
                    groups[(field, value)].append(obs)
    # One fact, one finding: the author-count line a site stored in several captures, each
    # with another badge count glued on (·13 authors122, ·13 authors123), is one finding.
    variants: dict[tuple, list[tuple[str, Observation]]] = defaultdict(list)
    for (field, value), group in sorted(groups.items()):
        key = (field, "author count") if field == "organization" and author_count(value) is not None else (field, value)
        variants[key] += [(value, o) for o in group]
    found = []
    clean = {field: _clean_values(field, observations) for field in {field for field, _ in variants}}
    for (field, key), pairs in sorted(variants.items()):
        value, group = pairs[0][0], list({id(o): o for _, o in pairs}.values())
        named = [c for c in clean[field] if c.obs not in group]
        guess = None
        if named:  # only organizations have clean values to compare with
            guess_value = clean_guess(value, [c.value for c in named], {v for f, v in stated if f == field}) \
                if field == "organization" else None
            guess = next((c for c in named if c.value.casefold() == (guess_value or "").casefold()), None)
        if guess is None and not flagged(value, field):
            continue
        values: list[Value] = [value_of(o, v, ctx.documents) for v, o in pairs]
        if guess is not None:
            values.append(value_of(guess.obs, guess.value, ctx.documents))
        first = group[0]
        detail = _detail(field, value, guess, [c for c in named if c.obs.organization == c.value], totals)
        # Judged by its shape alone (digits glued to a name, no other source's name that they
        # are glued to): weak evidence, which may inform but not warn (issue 11).
        shape_only = "may be counters glued to the name" in detail
        others = sorted({v for v, _ in pairs} - {value})
        if others:
            detail += f"; also as {', '.join(map(repr, others[:3]))}" + (f" and {len(others) - 3} more" * (len(others) > 3))
        severity, detail = (Severity.INFO, detail + " (info: judged by its shape alone)") if shape_only \
            else (config.severity, detail)
        # A value only a generic reader read ("affiliation" in JSON it met for the first
        # time) may be its misreading rather than the page's furniture: it may inform only.
        reads = [heuristic(o, field) for o in group]
        severity, detail = cap(severity, detail, [w for w in reads if w] if all(reads) else [])
        found.append(Discrepancy(
            id=discrepancy_id(paper_id, Kind.GARBAGE_FIELD, field, key),
            paper_id=paper_id, document_id=first.document_id, observation_id=first.id,
            kind=Kind.GARBAGE_FIELD, field=field, severity=severity, values=values, detail=detail))
    return found
