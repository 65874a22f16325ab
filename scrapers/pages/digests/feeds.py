"""RSS and Atom feeds, read with ``feedparser``, and JSON Feeds (jsonfeed.org, read here:
feedparser does not read them): the entries of any feed, and the format of a feed whose
entries are digest posts or papers.

:func:`feed_entries` is the public reader (the digests spider uses it to find posts):
each entry's link, title, publication time and content (the longest of its ``content``
values and its summary, HTML or text as the feed gives it).

``digest-feed`` reads two kinds of entry, and a feed may mix them:

* A *paper entry* is one whose link (else its guid) is an arXiv abs/pdf/html or Hugging
  Face paper page (python-feedgen feeds of huggingface.co/papers are like this). It is one
  item: the id from the link, the entry's title, authors from an ``Authors:`` line and
  counts only where a label binds them (:func:`_paper_entry`). Its date is kept as
  ``extra['entry_published']`` and fills neither ``published`` nor ``listed_on``: in the
  feeds seen it is arXiv's publication time, but a feed may as well date an entry by when
  it was added, and a wrong ``published`` would be a false finding. The day of the list is
  read only where the feed writes it, in the channel or entry title. Ids in its
  description are citations, not items.
* A *post entry* (any other link) is a digest post: its content is turned into Markdown
  (:mod:`.markup`) and read by the generic digest parser (:mod:`.generic`). When the post
  names no day, ``listed_on`` is the entry's date in the publisher's own offset (a digest
  posted the day after the list it covers is then a day late: the feed does not say which
  day it covers).

Every observation names its entry in ``extra['feed_entry']``. The document's time is
when the feed says it was built (``lastBuildDate`` / Atom ``updated``), else its latest
post's date.

A JSON Feed (:func:`_read_json_feed`) becomes the same :class:`_Feed` and is read the same
way: an item's ``id`` is its guid, ``date_published`` its own time, the longest of
``content_html``, ``content_text`` and ``summary`` its content, ``home_page_url`` (else
``feed_url``) its site; a JSON Feed states no build time. A value of the wrong type, an
item that is no object, or a time that is no RFC 3339 time with an offset is left out and
named in a one-line problem; the other items are kept.

arXiv's own RSS is a feed of papers too, but ``scrapers.pages.arxiv`` reads it: the
sniffer leaves alone any feed whose header (the text before its first entry) mentions
arxiv.org. When it fails: a feed that truncates entries to a teaser with no paper link
gives nothing for those entries (each becomes a problem); a digest hosted on arxiv.org
itself would be left alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import io
import json
import logging
import re
from dataclasses import dataclass

import feedparser

from reconcile.ids import ArxivId, parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, Parsed, PageError, Problem, build, parse_date, record_read, split_link
from . import generic, post_days
from .item_fields import AUTHOR_LABELS, LABEL, counts, label_fields, split_authors, without_id
from .markup import html_to_markdown, looks_like_html
from .post_titles import strip_lead_tag

log = logging.getLogger(__name__)

_ROOT = re.compile(r"\A\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?[^>]*\?>\s*)*"
                   r"<(rss|feed|rdf:RDF)\b", re.DOTALL | re.IGNORECASE)
_FIRST_ENTRY = re.compile(r"<(?:item|entry)\b", re.IGNORECASE)
READER = "digest-feed"
_DECLARED = re.compile(r"\A(\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
#: A numeric character reference, decimal or hexadecimal, with or without its ``;``.
_CHARREF = re.compile(r"&#(?:0*([0-9]+)|[xX]0*([0-9a-fA-F]+))")
_UTC = dt.timezone.utc
_PAPER_HOSTS = ("arxiv.org", "huggingface.co", "hf.co", "alphaxiv.org")
# A list's day written at either end of an entry title: "2031-05-06: Title",
# "[2031-05-06] Title", "Title (2031-05-06)", "Title | 2031-05-06".
_DAY_FIRST = re.compile(r"^\s*+[\[(【]?\s*+(\d{4}-\d{2}-\d{2})\s*+[\])】]?\s*+[-–—:|·]?\s*+(\S.*)$")
_DAY_LAST = re.compile(r"^(.*\S)\s*(?:[-–—:|·]\s*|[\[(【]\s*)(\d{4}-\d{2}-\d{2})\s*[\])】]?\s*$")
# How far a date in an entry title may be from the entry's own time to be its list's day.
_TITLE_DAY_SLACK = dt.timedelta(days=7)
# Dates as channel titles write them (ISO, English month names, CJK), to find where they are.
_ANY_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\b[A-Za-z]{3,9}\.? \d{1,2},? \d{4}\b|\b\d{1,2} [A-Za-z]{3,9} \d{4}\b"
                       r"|\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]")
# A word just before a date that makes it a window's bound, not a list's day.
_WINDOW_WORD = re.compile(r"\b(?:since|after|before|until|till|through|thru|between|starting|beginning|ending"
                          r"|up to|week of|from|to)\s*[:\-–—]?\s*$", re.IGNORECASE)
# Labelled paragraphs of a paper entry whose numbers are no counts of the listing: the
# abstract's prose ("we collected 3,000 comments") and arXiv's author comment
# ("Comments: 12 pages, 5 figures").
_PROSE_LABELS = {"summary", "abstract", "tl;dr", "tldr", "description", "ai summary", "comment", "journal-ref"}
_BARE_COUNT = re.compile(r"(?<![*_\s])[*_\s]*+\d[\d,]*+[*_\s]*+")
# A JSON document: an object or an array first. No RSS or Atom feed starts so.
_JSON_START = re.compile(r"\A\ufeff?\s*[\[{]")
# What a JSON Feed's "version" starts with (1, 1.1): https://www.jsonfeed.org/version/1.1/
_JSON_FEED_VERSION = "https://jsonfeed.org/version/"
# A UTF-16 surrogate left alone in a JSON string ("\ud800" without its pair): no character.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Digits of a JSON integer past which it is read as no number at all (Python refuses to
# convert more than 4,300).
_MAX_INT_DIGITS = 4000


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an RSS or Atom feed, as the feed states it."""

    url: str | None
    title: str | None
    published: dt.datetime | None  # aware, UTC
    content: str | None  # HTML or text of the entry: the longest content/summary


@dataclass(frozen=True)
class _Entry:
    """An entry with what only this module needs: its guid, and its own publication time
    (RSS ``pubDate``, Atom ``published``; never an update time)."""

    public: FeedEntry
    guid: str | None
    published: dt.datetime | None
    position: int | None = None  # its place among a JSON Feed's items, bad ones counted


@dataclass(frozen=True)
class _Feed:
    """A feed as read: its title, the site its own link names, when it was built (UTC),
    its entries in feed order, and what could not be read of it (a JSON Feed's bad items
    and values)."""

    title: str | None
    site: str | None
    built: dt.datetime | None
    entries: list[_Entry]
    problems: tuple[Problem, ...] = ()


def _stated_time(raw: str | None) -> dt.datetime | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom) time with the offset it was written with;
    None when it has no offset or cannot be read."""
    if not raw:
        return None
    try:
        value = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):  # a year of 30 digits overflows
        try:
            value = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return value if value.tzinfo is not None else None


def _time_of(entry, key: str) -> dt.datetime | None:
    """The entry's ``key`` time in the offset the feed wrote it with, else feedparser's
    reading of it in UTC; None when the entry has none, or a time no calendar holds
    (feedparser reads ``0000-12-02T21:30:47Z`` as year 0)."""
    if not entry.get(f"{key}_parsed"):
        return None
    try:
        return _stated_time(entry.get(key)) or dt.datetime.fromtimestamp(
            calendar.timegm(entry[f"{key}_parsed"]), _UTC)
    except (ValueError, OverflowError):
        return None


def _when(entry) -> dt.datetime | None:
    """The entry's publication time (else its update time), in the offset the feed wrote
    it with, so its date is the publisher's day; else feedparser's reading, in UTC."""
    return next((t for key in ("published", "updated", "created") if (t := _time_of(entry, key))), None)


def _parse_feed(text: str):
    """feedparser's result for ``text``. The text is already decoded, so it is handed over
    as UTF-8 bytes with the XML declaration saying so; a stream, never a string, so
    feedparser cannot take it for a URL or a file name and fetch or open anything. Its
    character references are first made ones feedparser can read (:func:`_readable_charrefs`)."""
    text = _readable_charrefs(_DECLARED.sub(lambda m: f"{m[1]}{m[2]}utf-8{m[2]}", text, count=1))
    return feedparser.parse(io.BytesIO(text.encode("utf-8")), resolve_relative_uris=False)


def _readable_charrefs(text: str) -> str:
    """``text`` with every numeric character reference that names no character (past
    U+10FFFF, or a UTF-16 surrogate, ``&#55296;``) replaced by U+FFFD's, ``&#65533``.

    Why: feedparser (6.0) calls ``chr()`` on each reference and encodes the result, and one
    such reference raises out of ``feedparser.parse`` (ValueError, OverflowError or
    UnicodeEncodeError), which lost the whole feed, every entry, to one bad character. The
    replacement character says, where the character stood, that it was lost. A reference
    inside a CDATA section is text, not a reference, and is replaced too: that text then
    reads ``&#65533`` where it read a number no character has."""
    def readable(match: re.Match) -> str:
        decimal, hexadecimal = match[1], match[2]
        digits = decimal if decimal is not None else hexadecimal
        if len(digits) > (7 if decimal is not None else 6):  # past U+10FFFF, however long
            return "&#65533"
        value = int(digits) if decimal is not None else int(digits, 16)
        return match[0] if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "&#65533"

    return _CHARREF.sub(readable, text)


def _site_of(channel) -> str | None:
    """The site a feed names itself by: host and path of its self link (``atom:link
    rel="self"``, the feed's own address), else of its channel link (the page it mirrors,
    ``huggingface.co/papers``). Why: a link stays the same in every snapshot of one feed,
    where a title may carry the day. Fails for two feeds of one page without self links
    (a daily and a weekly feed both linking huggingface.co/papers are then one site)."""
    links = [link.get("href") for link in channel.get("links") or [] if link.get("rel") == "self"]
    return _site_from([*links, channel.get("link")])


def _site_from(hrefs: list[str | None]) -> str | None:
    """Host and path of the first web link of ``hrefs``, without ``www.``; None when none
    is one."""
    for href in hrefs:
        parts = split_link(href or "")
        if parts.scheme in ("http", "https") and parts.hostname:
            host = parts.hostname.lower().removeprefix("www.")
            return host + parts.path.rstrip("/")
    return None


def feed_entries(text: str, url: str) -> list[FeedEntry]:
    """Every entry of an RSS, Atom or JSON feed, in feed order (a JSON Feed's bad items left
    out). Raises :class:`PageError` when the text is not a feed, or is a broken one (bozo)
    without entries, or JSON that is no JSON Feed or whose ``items`` is no list. A
    well-formed feed with no entries gives an empty list."""
    return [e.public for e in _read_feed(text, url).entries]


def _read_feed(text: str, url: str) -> _Feed:
    """The feed as :class:`_Feed` (see :func:`feed_entries` for the errors). Text that
    starts as JSON does (no RSS or Atom feed does) is read as a JSON Feed."""
    if _JSON_START.match(text):
        return _read_json_feed(_json_feed(text))
    feed = _parse_feed(text)
    if not feed.get("version") and not feed.entries:
        raise PageError("not an RSS or Atom feed", text[:300])
    if feed.bozo and not feed.entries:
        raise PageError(f"broken feed with no entries ({feed.get('bozo_exception')})", text[:300])
    if feed.bozo:
        log.info("%s: feed is not well-formed (%s); %d entries read anyway", url,
                 feed.get("bozo_exception"), len(feed.entries))
    entries = []
    for entry in feed.entries:
        bodies = [c.get("value") or "" for c in entry.get("content") or []]
        bodies.append(entry.get("summary") or "")
        content = max(bodies, key=len).strip() or None
        public = FeedEntry(url=entry.get("link") or None,
                           title=collapse_whitespace(entry.get("title") or "") or None,
                           published=_when(entry), content=content)
        entries.append(_Entry(public, entry.get("id") or None, _time_of(entry, "published")))
    built = next((_stated_time(feed.feed.get(key)) for key in ("updated", "published")
                  if _stated_time(feed.feed.get(key))), None)
    return _Feed(title=collapse_whitespace(feed.feed.get("title") or "") or None, site=_site_of(feed.feed),
                 built=built.astimezone(_UTC) if built else None, entries=entries)


def _kind(value) -> str:
    """What a JSON value is, as a problem names it ("a number", "a list", "null")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a string", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _excerpt(value) -> str:
    """A JSON value as a problem's excerpt, at most 300 characters; its kind alone when it
    is nested too deeply to write back."""
    try:
        return json.dumps(value, ensure_ascii=False)[:300]
    except (RecursionError, ValueError):
        return _kind(value)


def _json_feed(text: str) -> dict:
    """The top-level object of a JSON Feed. Raises :class:`PageError` (one line) when the
    text is not JSON, is nested past what can be read, is not an object, or is an object
    whose ``version`` is not JSON Feed's (``https://jsonfeed.org/version/...``): other JSON
    is for the structured reader."""
    body = text.lstrip("\ufeff \t\r\n")
    try:
        doc = json.loads(body, parse_int=_json_int)
    except RecursionError:
        raise PageError("JSON Feed: nested too deeply to read", body[:300]) from None
    except json.JSONDecodeError as exc:
        raise PageError(f"not a JSON Feed: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                        body[:300]) from None
    if not isinstance(doc, dict):
        raise PageError(f"not a JSON Feed: the document is {_kind(doc)}, not an object", body[:300])
    version = doc.get("version")
    if not (isinstance(version, str) and version.startswith(_JSON_FEED_VERSION)):
        raise PageError(f'not a JSON Feed: its "version" is {version!r:.80}, not {_JSON_FEED_VERSION}...',
                        body[:300])
    return doc


def _json_int(digits: str) -> int | float:
    """A JSON integer; NaN (a number, but none that can stand for a value) past
    :data:`_MAX_INT_DIGITS`. Why: Python raises on converting more digits, which would
    lose the whole feed to one number where at most one value is bad."""
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else float("nan")


def _is_json_feed(text: str) -> bool:
    """Whether the text is a JSON Feed (:func:`_json_feed`). Cheap for other text: only
    JSON that names jsonfeed.org is decoded."""
    if not _JSON_START.match(text) or "jsonfeed.org" not in text:
        return False
    try:
        _json_feed(text)
    except PageError:
        return False
    return True


def _json_string(obj: dict, key: str, where: str, problems: list[Problem]) -> str | None:
    """``obj[key]`` when it is a string (each lone UTF-16 surrogate in it replaced by
    U+FFFD, as the RSS path replaces a reference to one: it is no character, and text
    holding one cannot be stored); None when it is absent or null. A value of another
    type is left empty and named in a problem: a number where a title or link should be
    is not surely the title or link."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    problems.append(Problem(f'{where}: "{key}" is {_kind(value)}, not a string; left empty',
                            _excerpt(value)))
    return None


def _json_id(item: dict, where: str, problems: list[Problem]) -> str | None:
    """An item's ``id``: a string, or an integer as its digits (the JSON Feed spec tells
    readers to take a numeric id as its string); another type, a fraction among them
    (``1e3`` would read ``1000.0``, not what was written), is left empty."""
    value = item.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _json_string(item, "id", where, problems)


def _json_time(item: dict, key: str, where: str, problems: list[Problem]) -> dt.datetime | None:
    """An item's ``key`` time in the offset it was written with (so its date is the
    publisher's day), read as the RSS path reads a stated time (:func:`_stated_time`,
    lower-case ``t``/``z`` allowed as RFC 3339 allows them). Stricter than feedparser's
    reading of RSS: a time without an offset, or a bare date, is left empty and named in
    a problem, since JSON Feed promises RFC 3339 and a zone-less time's instant is not
    stated."""
    raw = _json_string(item, key, where, problems)
    if raw is None or not raw.strip():
        return None
    value = _stated_time(raw.strip().upper())
    try:
        if value is not None:
            value.astimezone(_UTC)  # year 1 at +14:00 has no UTC time: it would raise later
    except OverflowError:
        value = None
    if value is None:
        problems.append(Problem(f'{where}: "{key}" {raw.strip()[:60]!r} is no RFC 3339 time with an offset; '
                                "left empty", raw[:300]))
    return value


def _json_entry(item: dict, position: int, problems: list[Problem]) -> _Entry:
    """One JSON Feed item as an entry: link ``url``, guid ``id``, its title, its own time
    ``date_published`` (else ``date_modified`` for :attr:`FeedEntry.published`), content
    the longest of ``content_html``, ``content_text`` and ``summary``. A value of the wrong
    type is left empty (a problem names it); the item is kept with the rest."""
    where = f"JSON Feed item {position}"
    url = (_json_string(item, "url", where, problems) or "").strip() or None
    title = collapse_whitespace(_json_string(item, "title", where, problems) or "") or None
    bodies = [_json_string(item, key, where, problems) or "" for key in ("content_html", "content_text", "summary")]
    published = _json_time(item, "date_published", where, problems)
    modified = _json_time(item, "date_modified", where, problems)
    public = FeedEntry(url=url, title=title, published=published or modified,
                       content=max(bodies, key=len).strip() or None)
    return _Entry(public, (_json_id(item, where, problems) or "").strip() or None, published, position)


def _read_json_feed(doc: dict) -> _Feed:
    """A JSON Feed's top-level object as :class:`_Feed`: its title, its site from
    ``home_page_url`` (else ``feed_url``), no build time (JSON Feed states none), its items
    in order. Raises :class:`PageError` when ``items`` is missing or no list; an item that
    is no object is left out with a problem, and the items beside it are kept."""
    items = doc.get("items")
    if not isinstance(items, list):
        what = "missing" if "items" not in doc else _kind(items)
        raise PageError(f'JSON Feed: "items" is {what}, not a list',
                        _excerpt(items))
    problems: list[Problem] = []
    entries = []
    for position, item in enumerate(items, 1):
        if isinstance(item, dict):
            entries.append(_json_entry(item, position, problems))
        else:
            problems.append(Problem(f"JSON Feed item {position}: {_kind(item)}, not an object; left out",
                                    _excerpt(item)))
    title = _json_string(doc, "title", "JSON Feed", problems)
    site = _site_from([_json_string(doc, key, "JSON Feed", problems) for key in ("home_page_url", "feed_url")])
    return _Feed(title=collapse_whitespace(title or "") or None, site=site, built=None, entries=entries,
                 problems=tuple(problems))


_RDF_ITEMS = re.compile(r"<items\b.*?</items\s*>", re.S | re.I)


def sniff(text: str, url: str) -> bool:
    """A JSON Feed (a JSON object whose ``version`` is JSON Feed's: no other format reads
    one, so it needs no paper link to be taken), or an RSS/Atom document, not arXiv's (no
    arxiv.org before its first entry), whose entries link to at least one paper."""
    if _is_json_feed(text):
        return True
    root = _ROOT.match(text[:5000])
    if not root:
        return False
    first = _FIRST_ENTRY.search(text)
    header = text[: first.start() if first else len(text)]
    # RSS 1.0's channel lists its items' addresses (<items><rdf:Seq><rdf:li resource=.../>):
    # links to papers there say nothing of whose feed it is.
    header = _RDF_ITEMS.sub("", header)
    if "arxiv.org" in header.lower():
        return False
    return generic.has_paper_link(text)


def _paper_url(url: str | None) -> ArxivId | None:
    """The paper a URL is the page of, when it is on arXiv or Hugging Face."""
    host = (split_link(url or "").hostname or "").lower()
    return parse_arxiv_id(url) if host.endswith(_PAPER_HOSTS) else None


def paper_of(entry: FeedEntry, guid: str | None = None) -> ArxivId | None:
    """The paper an entry *is*: when its link (else its guid) is an arXiv abs/pdf/html or
    Hugging Face paper page. A link to anything else (a post, a list page such as
    huggingface.co/papers/date/…) makes the entry a post."""
    return _paper_url(entry.url) or _paper_url(guid)


def _day_in_title(title: str | None, near: dt.datetime | None = None) -> tuple[dt.date | None, str | None]:
    """The list's day written at the start or end of an entry title, and the title
    without it. Why only there: a date set apart like that is the feed's label; a date
    inside a paper's title would be part of the title. (None, title) when there is none.

    Not taken, the title left whole: a date at the end after a colon ("LiveBench Snapshot:
    2026-01-01", a subtitle), and a date more than :data:`_TITLE_DAY_SLACK` from ``near``
    (the entry's own time, else the feed's): a list is dated within days of its post, so a
    day months away is the paper's, not the list's. When it fails: a feed that posts a
    list weeks late loses its day (left empty); a title date that happens to fall near
    the post's time is still taken for the list's."""
    if not title:
        return None, title
    m = _DAY_FIRST.match(title)
    day, rest = (m[1], m[2]) if m else (None, title)
    if day is None and (m := _DAY_LAST.match(title)) and not title[len(m[1]):].lstrip().startswith(":"):
        day, rest = m[2], m[1]
    found = parse_date(day) if day else None
    if found and near is not None and abs(found - near.date()) > _TITLE_DAY_SLACK:
        found = None
    return (found, rest.strip()) if found else (None, title)


def _channel_day(title: str | None) -> dt.date | None:
    """The list's day a channel title states: its one date, unless a word before it says
    it bounds a window ("everything since 2026-06-15", "papers from 2026-06-15 to
    2026-06-21") or the title holds two dates (a range). Why: such a date is where a
    period starts or ends, not the day of one list; leaving it empty is safe, stating it
    for every entry is not. When it fails: a window written without one of the words
    ("2026-06-15 onwards") is still taken for the day."""
    day = post_days.date_in(title)
    if day is None or title is None:
        return None
    spans = [m.span() for m in _ANY_DATE.finditer(title)]
    if len(spans) > 1 or (spans and _WINDOW_WORD.search(title[:spans[0][0]])):
        return None
    return day


def _count_text(lines: list[str]) -> str:
    """The lines of a paper entry where a labelled count may be read: without labelled
    prose (summary, abstract) and without an arXiv author comment ("Comments: 12 pages"),
    each up to the next blank line or label."""
    keep, skipping = [], False
    for line in lines:
        m = LABEL.match(line)
        if m:
            label = m[1].strip().lower()
            skipping = label in _PROSE_LABELS or (label == "comments" and not _BARE_COUNT.fullmatch(m[2]))
        elif not line.strip():
            skipping = False
        if not skipping:
            keep.append(line)
    return "\n".join(keep)


def _paper_entry(parsed: Parsed, feed: _Feed, entry: _Entry, aid: ArxivId, channel_day: dt.date | None,
                 items: set[str], cited: set[str]) -> None:
    """One observation for an entry that is a paper, and a citation for each other paper
    its description links.

    Title: the entry's; counts: only those a label binds in its description (an unlabelled
    number is no count); authors: its ``Authors:`` line. Its date stays in
    ``extra['entry_published']`` (it may be arXiv's time or the time it was added: not
    surely either); the list's day is read only from a date set apart in the entry title
    (:func:`_day_in_title`), else in the channel title (:func:`_channel_day`). The feed's
    order is no rank. When it fails: a count written without its label ("6 · 2") is lost;
    a description stating two different upvote counts gives none.
    """
    text = entry.public.content or ""
    text = html_to_markdown(text) if looks_like_html(text) else text
    lines = text.splitlines()
    found, rules = counts(_count_text(lines))
    fields = label_fields(lines)
    author_key = next((k for k in fields if k in AUTHOR_LABELS), None)
    authors, partial = split_authors(fields.get(author_key))
    entry_day, title = _day_in_title(entry.public.title, entry.public.published or feed.built)
    title = without_id(strip_lead_tag(title or "")) or None  # "#1 · Title": the place is no part of it
    day = entry_day or channel_day
    day_rule = "feed:entry title" if entry_day else "feed:channel title" if channel_day else None
    extra: dict = {"feed_entry": entry.public.url or entry.guid}
    if entry.published:
        extra["entry_published"] = entry.published.isoformat()
    if partial:
        extra["authors_truncated"] = True
    if "extra.stars" in found:
        extra["stars"] = found["extra.stars"]
    url = entry.public.url if _paper_url(entry.public.url) else entry.guid
    build(parsed, title or url or aid.id, source=Source.DIGEST, url=url, arxiv_id=aid.id,
          arxiv_version=aid.version, title=title, authors=authors, listed_on=day,
          upvotes=found.get("upvotes"), comments=found.get("comments"),
          extra=record_read(extra, READER, title="feed:title" if title else None,
                            upvotes=rules.get("upvotes"), comments=rules.get("comments"),
                            authors=f"label:{author_key}" if authors else None,
                            listed_on=day_rule))
    for other, link_url, label in generic.paper_links(text):
        if other.id not in items and other.id not in cited:
            cited.add(other.id)
            generic.cite(parsed, other, link_url, label, READER, cited_in=aid.id)


def _post_entry(parsed: Parsed, entry: FeedEntry, position: int, url: str) -> None:
    """The observations of a digest post, read by the generic digest parser; its problems
    when it cannot be read. When the post names no day, the entry's date is the list's."""
    where = entry.url or f"entry {position}"
    if not entry.content:
        parsed.problems.append(Problem(f"feed entry {position}: no content", entry.title, entry.url))
        return
    body = html_to_markdown(entry.content) if looks_like_html(entry.content) else entry.content
    try:
        inner = generic.parse(body, entry.url or url)
    except PageError as exc:
        parsed.problems.append(Problem(f"feed entry {position}: {exc.reason}", exc.excerpt, entry.url))
        return
    parsed.problems.extend(inner.problems)
    for obs in inner.observations:
        obs.extra = {**obs.extra, "feed_entry": where}
        if entry.title:
            obs.extra["feed_entry_title"] = entry.title
        if obs.listed_on is None and entry.published and not obs.extra.get("citation"):
            titled = post_days.date_in(entry.title) if entry.title else None
            if titled is not None:
                # The entry's title names the list's day: "Daily papers, 2026-12-23".
                obs.listed_on = titled
                obs.extra = record_read(obs.extra, READER, listed_on="feed:entry title")
            elif not post_days.names_other_day(entry.title, entry.published.date()):
                # Its date is the list's, unless its title names another day ("the papers
                # of 23 December", out on the 24th): then the day is not known.
                obs.listed_on = entry.published.date()
                obs.extra = record_read(obs.extra, READER, listed_on="feed:entry date")
        parsed.observations.append(obs)


def parse(text: str, url: str) -> Parsed:
    """Every entry that is a paper as one item; every entry that is a post read by the
    generic digest parser; in feed order.

    The document's site is the feed's own link when it holds paper entries (a feed of a
    source's papers often puts the day in its title), else its title, as a newsletter's
    name. Its time is when the feed was built, else its latest post's date: a paper
    entry's date is the paper's, not the feed's.
    """
    feed = _read_feed(text, url)
    if not feed.entries:
        reasons = "; ".join(p.reason for p in feed.problems[:3])
        raise PageError("digest feed: no entries" + (f" ({reasons})" if reasons else ""), text[:300])
    kinds = [(entry, paper_of(entry.public, entry.guid)) for entry in feed.entries]
    items = {aid.id for _, aid in kinds if aid}
    dates = [e.public.published for e, aid in kinds if aid is None and e.public.published]
    when = feed.built or (max(dates).astimezone(_UTC) if dates else None)
    parsed = Parsed(site=(feed.site or feed.title) if items else feed.title, published_at=when,
                    problems=list(feed.problems))
    channel_day = _channel_day(feed.title)
    log.debug("%s: %d paper entries, %d post entries", url, sum(1 for _, a in kinds if a),
              sum(1 for _, a in kinds if a is None))
    done: set[str] = set()
    cited: set[str] = set()
    for position, (entry, aid) in enumerate(kinds, 1):
        if aid is None:
            _post_entry(parsed, entry.public, entry.position or position, url)
        elif aid.id not in done:
            done.add(aid.id)
            _paper_entry(parsed, feed, entry, aid, channel_day, items, cited)
    if not parsed.observations:
        reasons = "; ".join(p.reason for p in parsed.problems[:3])
        raise PageError(f"digest feed: no papers in any entry ({reasons})", text[:300])
    return parsed


FORMAT = Format("digest-feed", Source.DIGEST, sniff, parse)
