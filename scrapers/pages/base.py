"""What every page parser shares: its result type, its error, and small reading helpers.

A parser is a pure function ``parse(text, url) -> Parsed`` over a document's text after
decoding and encoding repair. It raises :class:`PageError` when the document as a whole
cannot be read, and reports items it had to skip in ``Parsed.problems`` so the rest of the
page is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urlsplit

from lxml import etree
from lxml import html as lxml_html
from pydantic import ValidationError

from reconcile.models import Observation, Source, describe_validation_error, finite_json


def split_link(value: str) -> SplitResult:
    """``urllib.parse.urlsplit`` of a link a document states, or of the empty string when it
    cannot be split (an unbalanced "[" in its host: "Invalid IPv6 URL"): a link a broken
    byte spoiled is no link, and must not cost the document the rest of its items."""
    try:
        return urlsplit(value)
    except ValueError:
        return urlsplit("")


class PageError(ValueError):
    """A document that cannot be read at all; the message is the one-line reason. ``key``
    names the reason in crawl stats when its first words would not (``parser_error``)."""

    def __init__(self, reason: str, excerpt: str | None = None, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.excerpt = excerpt
        self.key = key


@dataclass(frozen=True)
class Problem:
    """One item of a page that could not be kept, and why.

    ``url`` names what the problem is about when that is not the page itself: an id that an
    arXiv answer left out is ``https://arxiv.org/abs/<id>``, so ``--missing`` can tell it was
    asked for.
    """

    reason: str
    excerpt: str | None = None
    url: str | None = None


@dataclass
class Parsed:
    """What a parser read from one document."""

    observations: list[Observation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    site: str | None = None  # the site the document names itself by, when it does
    captured_at: dt.datetime | None = None  # a capture time the document states (crawled_at)
    published_at: dt.datetime | None = None  # the document's own publication time
    # Where the document sits in a paged answer, for the spider to ask for the next page:
    # {"total", "start", "per_page"} for the arXiv API, {"resumption_token"} for OAI-PMH.
    paging: dict[str, Any] = field(default_factory=dict)
    # True when the document is a list that is legitimately empty (a day without papers, a
    # weekend RSS feed): it is kept as a document with no observations instead of rejected.
    empty_ok: bool = False
    # True when ``published_at`` was written without an offset (and read as UTC): a site's
    # ``timezone`` in sites.toml then says what it meant.
    published_naive: bool = False
    # True when ``captured_at`` was written without an offset (and read as UTC). Unless the
    # document is from one of ``utc_sites`` (a part of its site name or address, for sites
    # whose zone-less times were checked to be UTC) or its site's ``timezone`` says what it
    # meant, the time is loose (``TimeBasis.STATED_NAIVE``).
    captured_naive: bool = False
    utc_sites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    """A document format: how to recognise it and how to read it."""

    name: str
    source: Source
    sniff: Callable[[str, str], bool]
    parse: Callable[[str, str], Parsed]


# Fields an item can lose and still be the item it is: a value the model refuses (an author
# "name" of 200,000 letters, a negative count, a malformed id) is left empty and the rest
# kept. Not ``extra`` (it says what an item is: a mention, a week's list), nor the source.
_LOSABLE = frozenset({"arxiv_id", "arxiv_version", "title", "authors", "authors_total", "organization",
                      "abstract", "summary", "upvotes", "comments", "rank", "published", "listed_on", "url"})


def _json_finite(value: Any) -> bool:
    try:
        finite_json(value)
    except ValueError:
        return False
    return True


def build(parsed: Parsed, excerpt: str, **fields: Any) -> None:
    """Validate one observation into ``parsed``; when only some of its fields are refused
    (:data:`_LOSABLE`), keep it without them and record which and why; else record why it
    could not be kept. Why: one field a page wrote wrong lost the whole item before (a page
    whose one item had an author line of a 200,000-letter word was rejected as holding no
    papers), though its id, title and counts were good."""
    try:
        parsed.observations.append(Observation(**fields))
        return
    except ValidationError as exc:
        error = exc
    reason = describe_validation_error(error, "observation")
    errors = error.errors()
    refused = {e["loc"][0] for e in errors if e["loc"]}
    if "extra" in refused and isinstance(fields.get("extra"), dict):
        # A value of ``extra`` that JSON cannot hold (NaN, 1e999 as a site's "githubStars")
        # is a fact kept beside the item, not the item: left out, named, and the item kept.
        bad = sorted(k for k, v in fields["extra"].items() if not _json_finite(v))
        if bad:
            fields = {**fields, "extra": {k: v for k, v in fields["extra"].items() if k not in bad}}
            parsed.problems.append(Problem(f"an item's extra {', '.join(bad)} (left empty; the item is kept): "
                                           "not a finite number", excerpt[:300]))
            build(parsed, excerpt, **fields)
            return
    if refused and refused <= _LOSABLE and all(e["loc"] for e in errors):  # none about the whole item
        try:
            kept = Observation(**{k: v for k, v in fields.items() if k not in refused})
        except ValidationError:
            pass
        else:
            parsed.observations.append(kept)
            what = ", ".join(sorted(refused))
            parsed.problems.append(Problem(f"an item's {what} (left empty; the item is kept): {reason}", excerpt[:300]))
            return
    parsed.problems.append(Problem(reason, excerpt[:300]))


def set_rank_basis(observations: Sequence[Observation]) -> None:
    """Say in ``extra['rank_basis']`` what a document's numbering ranks its items by.

    A list whose every item states upvotes, in non-increasing order and not all equal, ranks
    by upvotes; any other numbered list (a newsletter's editorial order, a quiz) is only a position.
    Only ranks of the same basis are comparable between two lists of one day. Each day's
    items are judged apart (a weekly recap ranks each day's list); where one day's items
    repeat a number (numbering that starts again under each category), no number ranks the
    day's list, and each is only a position.
    """
    days: dict = {}
    for o in observations:
        if o.rank is not None:
            days.setdefault(o.listed_on, []).append(o)
    for ranked in days.values():
        ranked.sort(key=lambda o: o.rank)
        counts = [o.upvotes for o in ranked]
        # Counts that are all equal (a crawl that read 0 likes for every paper) order nothing.
        by_upvotes = (None not in counts and all(a >= b for a, b in zip(counts, counts[1:]))
                      and len({o.rank for o in ranked}) == len(ranked) and (len(ranked) == 1 or len(set(counts)) > 1))
        for obs in ranked:
            obs.extra = {**obs.extra, "rank_basis": "upvotes" if by_upvotes else "position"}


MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


# A generational suffix written after a name ("John Smith, Jr."), never an author of its own.
NAME_SUFFIX = re.compile(r"(?:Jr|Sr|II|III|IV)\.?", re.I)


def comma_names(text: str, *, and_too: bool = False) -> list[str]:
    """The names of an author line separated by commas (and by " and " with ``and_too``):
    a generational suffix after a comma ("John Smith, Jr.") is the name's end, not an
    author of its own, and an affiliation in brackets after a name ("M. R. Nirmal
    (Department of Chemistry, ..., and Computing)", as arXiv's RSS writes them) is neither
    split nor a part of the name."""
    parts, depth, start = [], 0, 0
    separator = re.compile(r",|\s+and\s+" if and_too else r",")
    i = 0
    while i < len(text):
        char = text[i]
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif depth == 0 and (m := separator.match(text, i)):
            parts.append(text[start:i])
            i = start = m.end()
            continue
        i += 1
    parts.append(text[start:])
    names: list[str] = []
    for part in parts:
        part = re.sub(r"\s*\([^()]*\)", "", part).strip()
        if names and NAME_SUFFIX.fullmatch(part):
            names[-1] = f"{names[-1]} {part}"
        elif part:
            names.append(part)
    return names


def calendar_day(year: int | str, month: int | str, day: int | str) -> dt.date | None:
    """The day ``year-month-day``, or None when no such day exists (Feb 30, month 13): every
    reader builds dates through here (or :func:`parse_date`), so an impossible date in a
    document is left empty rather than ending the read."""
    try:
        return dt.date(int(year), int(month), int(day))
    except (ValueError, OverflowError):
        return None


def parse_date(text: str | None) -> dt.date | None:
    """A calendar date from ``2026-02-04``, ``2026-02-04T13:49:23Z``, ``Feb 4, 2026``,
    ``04 Feb 2026`` or their ordinal forms (``September 5th, 2026``, ``5th of Sep 2026``); None when the text holds none of these, or names a day that does not
    exist ("Feb 30, 2026": a value that is not surely a date is left empty)."""
    if not text:
        return None
    found = None
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        found = (m[1], m[2], m[3])
    elif (m := re.search(r"\b([A-Za-z]{3})[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b", text)) \
            and m[1].lower() in MONTHS:
        found = (m[3], MONTHS[m[1].lower()], m[2])
    elif (m := re.search(r"\b(\d{1,2})(?:st|nd|rd|th)? (?:of )?([A-Za-z]{3})[a-z]* (\d{4})\b", text)) \
            and m[2].lower() in MONTHS:
        found = (m[3], MONTHS[m[2].lower()], m[1])
    return calendar_day(*found) if found is not None else None


def parse_datetime(text: str | None) -> dt.datetime | None:
    """An aware datetime from ISO 8601 (``Z`` or offset) or ``2026-02-05 09:15:00 +0900``;
    naive times are taken as UTC. None when unreadable."""
    if not text:
        return None
    text = text.strip()
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*"
                     r"(Z|[+-]\d{2}:?\d{2})?", text)
    if not m:
        return None
    zone = m[3] or "+00:00"
    if zone == "Z":
        zone = "+00:00"
    elif ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    try:
        value = dt.datetime.fromisoformat(f"{m[1]}T{m[2]}{zone}")
    except ValueError:
        return None
    return value.astimezone(dt.timezone.utc)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """A Jekyll/Hugo ``---`` front matter block as flat ``key: value`` pairs, and the body.

    Only top-level scalar keys are read (lists stay as their raw text): that is all the
    digests use, and it keeps YAML's surprises (``no`` -> False, dates -> objects) out.
    """
    m = re.match(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*\n", text, re.DOTALL)
    if not m:
        return {}, text
    meta = {}
    for line in m[1].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip()] = value.strip().strip("'\"")
    return meta, text[m.end():]


def is_naive_time(text: str | None) -> bool:
    """True when ``text`` is a date-time written without a zone (``2026-02-05 09:15``)."""
    return bool(text) and parse_datetime(text) is not None and \
        re.search(r"(?:Z|[+-]\d{2}:?\d{2})\s*$", text.strip()) is None


def first_int(text: str | None) -> int | None:
    """The first number in ``text`` when it is a whole count as written (thousands
    separators in groups of three allowed), or None: "1.2k", "2.5", "1,2", "99+", "~40",
    "87%" or "1 234" state no exact count, and reading their first digits would store a
    false one (``Vote: 1.2k`` read as 1)."""
    if not text:
        return None
    m = re.search(r"\d[\d,.]*", text)
    if m is None:
        return None
    digits, before, after = m[0].rstrip(".,"), text[:m.start()], text[m.start() + len(m[0].rstrip(".,")):]
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", digits) or re.search(r"[~≈<>+±]\s*$", before) \
            or re.match(r"\s?(?:[kKmMbB](?![^\W\d_])|[万千+%])|\s\d|['’]\d", after):
        return None
    return int(digits.replace(",", ""))


# -- an HTML page where data was expected --------------------------------------------------
_HTML_MARKS = ("<html", "<head", "<body", "<title", "<!doctype html")


def json_refusal(text: str, exc: Any, what: str, prefix: str = "") -> PageError:
    """The :class:`PageError` for an answer that is not JSON: when it is an HTML page, one
    that says so and gives its ``<title>`` ("an HTML page (title 'Just a moment...'), not
    the JSON list of daily papers", key ``html_page``), else "not valid JSON (...)".

    Why: a bot challenge, a login wall or a maintenance page sent with status 200 was
    reported as broken JSON at line 1 column 1, which hides what came back. ``what`` names
    the JSON expected; ``prefix`` starts the reason (``"ArxivLens API: "``)."""
    head = text[:2000].lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<") and any(mark in head for mark in _HTML_MARKS):
        try:
            root = lxml_html.document_fromstring(text[:200_000].encode("utf-8", "replace"))
            title = " ".join((root.findtext(".//title") or "").split())
        except (ValueError, etree.ParserError):
            title = ""
        shown = f"(title {title[:120]!r})" if title else "without a title"
        return PageError(f"{prefix}an HTML page {shown}, not {what}", text[:300], "html_page")
    return PageError(f"{prefix}not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                     text[max(0, exc.pos - 80):exc.pos + 80])


# -- how a value was read -----------------------------------------------------------------
# Every digest observation says, in ``extra['read']``, which reader produced it and, per
# field, by which rule: ``{"reader": "digest-structured", "fields": {"title": "key:title",
# "upvotes": "marker:N upvotes", "rank": "numbering", "listed_on": "filename"}}``. The checks
# weigh evidence by it: a value read from a structured key or a labelled marker is stated by
# the document; one that is ``inferred:...`` is the reader's guess and may only inform.
READ_RULES = ("key", "marker", "column", "attribute", "heading", "link_text", "label",
              "numbering", "front_matter", "filename", "document", "feed", "site", "inferred")


def record_read(extra: dict, reader: str, **fields: str | None) -> dict:
    """``extra`` with ``extra['read']`` naming ``reader`` and how each field was read.

    ``fields`` maps an observation field to its rule, ``"<kind>"`` or ``"<kind>:<detail>"``
    with a kind from :data:`READ_RULES`; a None rule (the field was not read) is left out.
    Returns a new dict; the one given is not changed.
    """
    read = dict(extra.get("read") or {})
    read["reader"] = reader
    how = dict(read.get("fields") or {})
    for name, rule in fields.items():
        if rule is None:
            continue
        if rule.split(":", 1)[0] not in READ_RULES:
            raise ValueError(f"unknown read rule {rule!r} for {name}")
        how[name] = rule
    read["fields"] = how
    return {**extra, "read": read}
