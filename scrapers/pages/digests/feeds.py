"""RSS and Atom feeds, read with ``feedparser``: the entries of any feed, and the format of
a feed whose entries *are* digests (a newsletter publishing its posts through RSS/Atom).

:func:`feed_entries` is the public reader (the digests spider uses it to find posts):
each entry's link, title, publication time and content (the longest of its ``content``
values and its summary, HTML or text as the feed gives it).

``digest-feed`` reads each entry's content as a digest post: HTML is turned into Markdown
(:mod:`.markup`) and read by the generic digest parser (:mod:`.generic`), which finds the
papers from their arXiv / Hugging Face links. Every observation names its entry in
``extra['feed_entry']``; when the post names no day, ``listed_on`` is the entry's date in
the publisher's own offset (a digest posted the day after the list it covers is then a day
late: the feed does not say which day it covers).

arXiv's own RSS is a feed of papers, not of digests, and ``scrapers.pages.arxiv`` reads
it: the sniffer leaves alone any feed whose header (the text before its first entry)
mentions arxiv.org. When it fails: a feed that truncates entries to a teaser with no paper
link gives nothing for those entries (each becomes a problem); a digest hosted on
arxiv.org itself would be left alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import feedparser

from reconcile.ids import ArxivId, parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, Parsed, PageError, Problem, build, record_read
from . import generic
from .item_fields import AUTHOR_LABELS, counts, label_fields, split_authors
from .markup import html_to_markdown, looks_like_html

log = logging.getLogger(__name__)

_ROOT = re.compile(r"\A\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?[^>]*\?>\s*)*"
                   r"<(rss|feed|rdf:RDF)\b", re.DOTALL | re.IGNORECASE)
_FIRST_ENTRY = re.compile(r"<(?:item|entry)\b", re.IGNORECASE)
READER = "digest-feed"
_DECLARED = re.compile(r"\A(\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an RSS or Atom feed, as the feed states it."""

    url: str | None
    title: str | None
    published: dt.datetime | None  # aware, UTC
    content: str | None  # HTML or text of the entry: the longest content/summary


def _stated_time(raw: str | None) -> dt.datetime | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom) time with the offset it was written with;
    None when it has no offset or cannot be read."""
    if not raw:
        return None
    try:
        value = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            value = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return value if value.tzinfo is not None else None


def _when(entry) -> dt.datetime | None:
    """The entry's publication time (else its update time), in the offset the feed wrote
    it with, so its date is the publisher's day; else feedparser's reading, in UTC."""
    for key in ("published", "updated", "created"):
        if entry.get(f"{key}_parsed"):
            return _stated_time(entry.get(key)) or dt.datetime.fromtimestamp(
                calendar.timegm(entry[f"{key}_parsed"]), dt.timezone.utc)
    return None


def _parse_feed(text: str):
    """feedparser's result for ``text``. The text is already decoded, so it is handed over
    as UTF-8 bytes with the XML declaration saying so; a stream, never a string, so
    feedparser cannot take it for a URL or a file name and fetch or open anything."""
    data = _DECLARED.sub(lambda m: f"{m[1]}{m[2]}utf-8{m[2]}", text, count=1).encode("utf-8")
    return feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)


def feed_entries(text: str, url: str) -> list[FeedEntry]:
    """Every entry of an RSS or Atom feed, in feed order. Raises :class:`PageError` when the
    text is not a feed, or is a broken one (bozo) without entries. A well-formed feed with
    no entries gives an empty list."""
    return _read(text, url)[1]


def _read(text: str, url: str) -> tuple[str | None, list[FeedEntry]]:
    """The feed's title and its entries (see :func:`feed_entries`)."""
    title, entries, _ = _read_feed(text, url)
    return title, entries


def _read_feed(text: str, url: str) -> tuple[str | None, list[FeedEntry], dt.datetime | None]:
    """The feed's title, its entries, and when the feed says it was built (RSS
    ``lastBuildDate``, Atom ``updated``), in UTC."""
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
        entries.append(FeedEntry(url=entry.get("link") or None,
                                 title=collapse_whitespace(entry.get("title") or "") or None,
                                 published=_when(entry), content=content))
    built = next((_stated_time(feed.feed.get(key)) for key in ("updated", "published")
                  if _stated_time(feed.feed.get(key))), None)
    return (collapse_whitespace(feed.feed.get("title") or "") or None, entries,
            built.astimezone(dt.timezone.utc) if built else None)


def sniff(text: str, url: str) -> bool:
    """An RSS/Atom document, not arXiv's (no arxiv.org before its first entry), whose
    entries link to at least one paper."""
    root = _ROOT.match(text[:5000])
    if not root:
        return False
    first = _FIRST_ENTRY.search(text)
    header = text[: first.start() if first else len(text)]
    if "arxiv.org" in header.lower():
        return False
    return generic.has_paper_link(text)


def paper_of(entry: FeedEntry) -> ArxivId | None:
    """The paper an entry *is*, when its link is an arXiv or Hugging Face paper page."""
    if not entry.url:
        return None
    host = (urlsplit(entry.url).hostname or "").lower()
    return parse_arxiv_id(entry.url) if host.endswith(("arxiv.org", "huggingface.co", "hf.co")) else None


def _paper_entry(parsed: Parsed, entry: FeedEntry, aid: ArxivId, day, day_rule, seen: set[str]) -> None:
    """One observation for an entry that is a paper: its title is the entry's, its counts
    only labelled ones of its description, and its date (often arXiv's publication time)
    stays in ``extra['entry_published']``: it is neither the day of the list nor surely
    the paper's publication date."""
    text = entry.content or ""
    text = html_to_markdown(text) if looks_like_html(text) else text
    found, rules = counts(text)
    fields = label_fields(text.splitlines())
    author_key = next((k for k in fields if k in AUTHOR_LABELS), None)
    authors, partial = split_authors(fields.get(author_key))
    extra: dict = {"feed_entry": entry.url}
    if entry.published:
        extra["entry_published"] = entry.published.isoformat()
    if partial:
        extra["authors_partial"] = True
    if "extra.stars" in found:
        extra["stars"] = found["extra.stars"]
    seen.add(aid.id)
    build(parsed, entry.title or entry.url or aid.id, source=Source.DIGEST, url=entry.url, arxiv_id=aid.id,
          arxiv_version=aid.version, title=entry.title, authors=authors, listed_on=day,
          upvotes=found.get("upvotes"), comments=found.get("comments"),
          extra=record_read(extra, READER, title="feed:title" if entry.title else None,
                            upvotes=rules.get("upvotes"), comments=rules.get("comments"),
                            authors=f"label:{author_key}" if authors else None,
                            listed_on=day_rule if day else None))
    for cited in generic.paper_links(text):
        if cited[0].id not in seen:
            seen.add(cited[0].id)
            generic.cite(parsed, cited[0], cited[1], cited[2], READER, cited_in=aid.id)


def parse(text: str, url: str) -> Parsed:
    """Every entry that is a paper as one item; every entry that is a post read by the
    generic digest parser."""
    title, entries, built = _read_feed(text, url)
    if not entries:
        raise PageError("digest feed: no entries", text[:300])
    papers = [(e, aid) for e in entries if (aid := paper_of(e))]
    dates = [e.published for e in entries if e.published and not paper_of(e)]
    # The feed's own time: when it says it was built, else its latest post's. The dates of
    # paper entries are the papers' own, not the feed's.
    when = built or (max(dates).astimezone(dt.timezone.utc) if dates else None)
    parsed = Parsed(site=title, published_at=when)
    day = generic._date_in(title)
    seen: set[str] = set()
    for entry, aid in papers:
        if aid.id not in seen:
            _paper_entry(parsed, entry, aid, day, "feed:title" if day else None, seen)
    for position, entry in enumerate(entries, 1):
        if paper_of(entry):
            continue
        where = entry.url or f"entry {position}"
        if not entry.content:
            parsed.problems.append(Problem(f"feed entry {position}: no content", entry.title, entry.url))
            continue
        body = html_to_markdown(entry.content) if looks_like_html(entry.content) else entry.content
        try:
            inner = generic.parse(body, entry.url or url)
        except PageError as exc:
            parsed.problems.append(Problem(f"feed entry {position}: {exc.reason}", exc.excerpt, entry.url))
            continue
        parsed.problems.extend(inner.problems)
        for obs in inner.observations:
            obs.extra = {**obs.extra, "feed_entry": where}
            if entry.title:
                obs.extra["feed_entry_title"] = entry.title
            if obs.listed_on is None and entry.published and not obs.extra.get("citation"):
                obs.listed_on = entry.published.date()
                obs.extra = record_read(obs.extra, READER, listed_on="feed:entry date")
            parsed.observations.append(obs)
    if not parsed.observations:
        reasons = "; ".join(p.reason for p in parsed.problems[:3])
        raise PageError(f"digest feed: no papers in any entry ({reasons})", text[:300])
    return parsed


FORMAT = Format("digest-feed", Source.DIGEST, sniff, parse)
