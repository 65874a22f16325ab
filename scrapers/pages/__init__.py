"""Pure page parsers: ``(url, body bytes, headers) -> Document + [Observation]``.

:func:`read_page` is the one entry point used by a live crawl, a replayed crawl,
``reconcile ingest`` of a saved file and the tests: it decodes the bytes, repairs the
encoding (``reconcile.text``), picks the format (given, or sniffed from the content), runs
that format's parser, and stamps the document with when the data was seen and how that time
is known. It does no I/O and imports no Scrapy.
"""

from __future__ import annotations

import datetime as dt
import contextlib
import hashlib
import logging
import math
import os
import re
import signal
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError
from w3lib.encoding import html_body_declared_encoding

from reconcile.models import Document, Observation, Source, TimeBasis, describe_validation_error
from reconcile.text import count_replacement_chars, decode_body, repair_decoded

from . import arxiv, arxivlens, arxivlens_api, email_message, huggingface, huggingface_html
from .base import Format, PageError, Parsed, Problem, record_read
from .site_rules import apply_counts, local_time
from .digests import (atharva, daily_json, dair_ai, feeds, generic, jekyll_daily, ko_daily, newsletter,
                      quiz, structured, top_list, zh_llm_digest, zh_newsletter)

log = logging.getLogger(__name__)

# Sniffing order: the most specific formats first.
FORMATS: tuple[Format, ...] = (
    huggingface.FORMAT,
    *huggingface_html.FORMATS,  # the date page before the paper page: its items hold "paper" too
    *arxiv.FORMATS,
    feeds.FORMAT,  # after arXiv's own RSS, whose sniffer looks at the channel header
    *arxivlens_api.FORMATS,  # before the page-text format, which claims any arxivlens URL
    arxivlens.FORMAT,
    daily_json.FORMAT,
    jekyll_daily.FORMAT,
    top_list.FORMAT,
    quiz.FORMAT,
    newsletter.FORMAT,
    ko_daily.FORMAT,
    dair_ai.FORMAT,
    *atharva.FORMATS,
    structured.FORMAT,  # JSON nobody wrote a parser for: after the formats that know theirs
    zh_newsletter.FORMAT,
    zh_llm_digest.FORMAT,
    generic.FORMAT,  # the last resort: a digest no specific format describes
)
FORMATS_BY_NAME = {f.name: f for f in FORMATS}


@dataclass
class PageResult:
    """A read document, its observations, and the items that had to be rejected."""

    document: Document
    observations: list[Observation]
    problems: list[Problem] = field(default_factory=list)
    paging: dict = field(default_factory=dict)


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """A response header's value (case-insensitive name), one line, or None."""
    for key, value in (headers or {}).items():
        if key.lower() == name and value:
            text = " ".join(str(value).split())
            return text[:500] or None
    return None


def placeable(obs: Observation) -> bool:
    """Whether ``resolve`` can ever place an observation: it has an arXiv id, a DOI, or a
    title or a mentioned name with letters or digits in it."""
    from reconcile.text import normalize_title

    return bool(obs.arxiv_id or obs.extra.get("doi")
                or normalize_title(obs.title or obs.extra.get("mentioned_as") or ""))


def _drop_unplaceable(parsed: Parsed) -> None:
    """Turn observations with nothing to place them by into problems (rejects), so that no
    ``resolve`` reads them as new again and again; the rest of the document is kept."""
    kept = []
    for obs in parsed.observations:
        if placeable(obs):
            kept.append(obs)
        else:
            where = f"item {obs.rank}" if obs.rank else "an item"
            parsed.problems.append(Problem(f"{where} has no arXiv id, DOI, title or name: nothing to place it by",
                                           None))
    parsed.observations = kept


def charset_of(headers: Mapping[str, str] | None) -> tuple[str | None, str | None]:
    """The media type and charset of a ``Content-Type`` header, when there is one."""
    value = None
    for key, val in (headers or {}).items():
        if key.lower() == "content-type":
            value = val
    if not value:
        return None, None
    msg = Message()
    msg["content-type"] = value
    return msg.get_content_type(), msg.get_param("charset")


def choose_format(text: str, url: str, source: Source | None = None,
                  format_name: str | None = None) -> Format:
    """The named format, else the first whose sniffer accepts the text (of ``source``)."""
    if format_name:
        if format_name not in FORMATS_BY_NAME:
            raise PageError(f"unknown format {format_name!r} (known: {', '.join(FORMATS_BY_NAME)})")
        return FORMATS_BY_NAME[format_name]
    candidates = [f for f in FORMATS if source is None or f.source == source]
    for fmt in candidates:
        if fmt.sniff(text, url):
            return fmt
    what = f"{source.value} " if source else ""
    raise PageError(f"not a known {what}format (tried {', '.join(f.name for f in candidates)})",
                    text[:300])


def _capture_time(parsed: Parsed, rules, doc_site: str | None, url: str) -> tuple[dt.datetime | None, bool]:
    """The document's stated capture time, and whether its zone is unknown.

    A zone-less time (``Parsed.captured_naive``) is re-read in the site's ``timezone`` when
    sites.toml gives one; it is taken as UTC, as read, when the document is from a site
    whose such times were checked to be UTC (``Parsed.utc_sites``, matched in its site name
    or address). Otherwise its zone is unknown: the time is kept but marked loose, because
    a crawler's local clock can be hours off UTC and would order counts wrongly (a count
    read at 10:30 KST, 01:30Z, put after one read at 02:00Z). Fails safe: a UTC crawler
    outside those sites only loses the power to order its counts (findings stay ``info``).
    """
    if parsed.captured_at is None or not parsed.captured_naive:
        return parsed.captured_at, False
    if rules is not None and rules.timezone:
        return local_time(parsed.captured_at, rules), False
    where = f"{doc_site or ''} {url}".casefold()
    return parsed.captured_at, not any(name in where for name in parsed.utc_sites)


#: How far after the moment a document is read a time it states may lie. A time with its
#: zone (or one a site's zone placed) allows a clock's skew; a time whose zone is unknown, or
#: a publication day read at midnight UTC, may be up to 14 hours ahead of UTC (UTC+14)
#: without being wrong. Beyond that the writer's clock or its date is wrong.
CLOCK_SKEW = dt.timedelta(minutes=10)
ZONE_AHEAD = dt.timedelta(hours=14)


def _after_reading(parsed: Parsed, captured_at: dt.datetime | None, captured_naive: bool,
                   fetched_at: dt.datetime | None, mtime: dt.datetime | None) -> tuple[dt.datetime | None, bool]:
    """Leave out a capture or publication time the document states that lies after it was
    read (our response time when it was fetched, else the time a saved file was last
    written), with a problem that says so; returns the capture time kept.

    Why: nothing was seen in the future. A crawler whose clock ran a year ahead wrote
    ``crawled_at: 2027-11-10`` into JSON read in 2026; taken as its capture time, that list
    outranked every real capture for good ("fell from 52 to 40" against Hugging Face's own
    count, the merged count "as of 2027"), as a mistyped ``--observed-at`` would, which the
    command line refuses for that reason (probe28). The document then falls back to the
    next time it has (its publication time, our response time), as if it stated none."""
    read = fetched_at or mtime
    if read is None:  # no moment of reading is known (a library call with the text alone)
        return captured_at, captured_naive
    if captured_at is not None and captured_at > read + (ZONE_AHEAD if captured_naive else CLOCK_SKEW):
        # (The moment of reading is not in the reason: the same file ingested again adds no reject.)
        parsed.problems.append(Problem(f"the capture time it states, {captured_at.isoformat()}, is after "
                                       "the moment it was read: not used"))
        captured_at, captured_naive = None, False
    if parsed.published_at is not None and parsed.published_at > read + ZONE_AHEAD:
        parsed.problems.append(Problem(f"the publication time it states, {parsed.published_at.isoformat()}, is "
                                       "after the moment it was read: not used"))
        parsed.published_at = None
    return captured_at, captured_naive


#: Items of one document that all say 0 upvotes, from this many on, state no counts.
PLACEHOLDER_ITEMS = 3


def _placeholder_counts(parsed: Parsed, source: Source) -> None:
    """Leave empty the upvotes of a digest whose every item (at least
    :data:`PLACEHOLDER_ITEMS`) says 0, with a problem that says so.

    Why: a day's list whose every paper has 0 upvotes is a crawl that read nothing (a
    scraper's default where its selector missed), not counts: the real lim4349 JSON of
    2025-11-05, crawled at 14:22Z, says 0 for all ten papers, which Hugging Face's own list
    had at 44, 28, ... that morning. Kept, each was "fell from 44 to 0" and, with no other
    count, the paper's merged count (probe28). Ranks already read such a list as ordering
    nothing (:func:`.base.set_rank_basis`). Comments are left alone: a day's papers with
    no comment at all are common. First-hand sources state their own counts."""
    counted = [o for o in parsed.observations if o.upvotes is not None]
    if source != Source.DIGEST or len(counted) < PLACEHOLDER_ITEMS or any(o.upvotes for o in counted):
        return
    for obs in counted:
        obs.upvotes = None
    parsed.problems.append(Problem(f"every one of its {len(counted)} items says 0 upvotes, a crawl's placeholder "
                                   "rather than counts: left empty"))


def observed_time(*, fetched_at: dt.datetime | None, given_at: dt.datetime | None,
                  captured_at: dt.datetime | None, published_at: dt.datetime | None,
                  mtime: dt.datetime | None, second_hand: bool = False,
                  named_at: dt.datetime | None = None,
                  captured_naive: bool = False) -> tuple[dt.datetime, TimeBasis]:
    """When the data was seen, and how we know.

    First-hand sources (arXiv, Hugging Face, ArxivLens): our response time, else a time
    given on the command line, a capture time the document states, its publication time,
    a time stamp in the saved file's name, the file's modification time. A digest is second hand: it repeats numbers someone read
    before it was published, so the time it states (a capture time, else its publication
    time) says more about its numbers than the moment we fetched it, and our response time
    only bounds them from above (``retrieved``, a loose time, never a capture time).

    A stated time without a zone whose zone nobody vouches for (``captured_naive``, see
    :func:`_capture_time`) keeps its place but is ``stated_capture_naive``, a loose time.
    """
    stated = TimeBasis.STATED_NAIVE if captured_naive else TimeBasis.STATED_CAPTURE
    if second_hand:
        order = ((given_at, TimeBasis.GIVEN), (captured_at, stated),
                 (published_at, TimeBasis.PUBLISHED), (fetched_at, TimeBasis.RETRIEVED),
                 (named_at, TimeBasis.FILE_NAME), (mtime, TimeBasis.FILE_MTIME))
    else:
        order = ((fetched_at, TimeBasis.RESPONSE), (given_at, TimeBasis.GIVEN),
                 (captured_at, stated), (published_at, TimeBasis.PUBLISHED),
                 (named_at, TimeBasis.FILE_NAME), (mtime, TimeBasis.FILE_MTIME))
    for value, basis in order:
        if value is not None:
            return value, basis
    raise PageError("no time is known for this document (no response, capture, publication or file time)")


def _site_of_url(url: str) -> str | None:
    """The host of a web URL. A saved file's name says nothing about its site: snapshots of
    one list saved under different names are one site's history (the caller passes a
    fallback from where the file lies)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return parts.hostname
    return None


# A time stamp in a file name: 2025-12-10T0002Z, 20251218T031433Z, 2026-01-12T00:13:00Z.
_NAME_STAMP = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2})(?::?(\d{2}))?Z(?![A-Za-z])")


def time_in_name(url: str) -> dt.datetime | None:
    """The UTC time stamp a saved file's name carries (``feed.2025-12-10T0002Z.xml``), or
    None. Only stamps marked UTC with ``Z`` count: a bare date names a day, not a moment."""
    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    m = _NAME_STAMP.search(name)
    if not m:
        return None
    try:
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0),
                           tzinfo=dt.timezone.utc)
    except ValueError:
        return None


# Seconds one document's parse may take (``$RECONCILE_PARSE_SECONDS``). Every pattern is
# linear, so this is a guard against what no test found: a document that still takes longer
# becomes a reject, and the crawl or ingest goes on.
def seconds_setting(name: str, default: float) -> float:
    """A number of seconds from the environment variable ``name``: ``default`` when it is
    unset, empty, not a number, negative or not finite (the command line refuses such a
    value in one line before anything runs: :func:`reconcile.cli.cli`)."""
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        return default
    return value if math.isfinite(value) and value >= 0 else default


PARSE_SECONDS = seconds_setting("RECONCILE_PARSE_SECONDS", 30.0)


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def time_bound(seconds: float, reason: str):
    """Raise :class:`PageError` with ``reason`` when the block runs longer than ``seconds``.

    A POSIX interval timer on this process's CPU time (``ITIMER_PROF``, ``SIGPROF``)
    interrupts the Python code of a parser; it is only set in the main thread (signals go
    there) and where the platform has one, else the block runs unbounded. Why CPU time, not
    the wall clock: a parse is all computing, and the same file must get the same answer on
    an idle machine and on a busy one (a wall-clock bound rejected a long list only while
    another process ran). Fails for a C loop that never returns to Python (a backtracking
    regular expression): those are kept out by making every pattern linear.
    """
    usable = 0 < seconds < 1e9 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise _TooSlow()

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    except _TooSlow:
        raise PageError(reason) from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


READ_FIELDS = ("title", "authors", "abstract", "summary", "published", "listed_on", "upvotes", "comments",
               "rank", "organization")


def stated_by_format(obs: Observation, reader: str) -> dict:
    """``obs.extra`` with ``extra['read']`` for a parser written for its format: every field
    it filled is stated by the document in that format (``document:<format>``), not guessed.
    The generic readers record their own, finer rules."""
    return record_read(obs.extra, reader, **{name: f"document:{reader}" for name in READ_FIELDS
                                             if getattr(obs, name) not in (None, [], "")})


def read_page(url: str, body: bytes, headers: Mapping[str, str] | None = None, *,
              source: Source | None = None, format_name: str | None = None,
              site: str | None = None, fetched_at: dt.datetime | None = None,
              given_at: dt.datetime | None = None, mtime: dt.datetime | None = None,
              fallback_site: str | None = None, rules=None) -> PageResult:
    """Read one response or saved file. Raises :class:`PageError` when nothing can be read.

    The document's site is ``site`` (``--site``, a crawled site's name), else the name of
    the configured site ``rules`` (a :class:`scrapers.sites.Site`), else the name the
    document gives itself, else the host of its URL, else ``fallback_site`` (for a saved
    file, where it lies: :func:`scrapers.files.site_of_path`). ``rules`` also says what the
    site's counts mean, its time zone, and CSS selectors of its items
    (:mod:`.site_rules`).
    """
    content_type, declared = charset_of(headers)
    mail = email_message.unwrap(body)  # a newsletter saved as an e-mail: the post it carries
    text, encoding = (mail, "utf-8") if mail is not None else decode_body(body, declared,
                                                                           html_body_declared_encoding(body))
    repair = repair_decoded(text, encoding)
    if repair.mojibake:
        log.info("%s: mojibake %s", url, f"repaired ({repair.method})" if repair.method else "not repaired")
    fmt = choose_format(repair.text, url, source, format_name)
    try:
        with time_bound(PARSE_SECONDS, f"{fmt.name}: reading took longer than {PARSE_SECONDS:g} s of CPU time; given up"):
            if rules is not None and ((fmt is generic.FORMAT and (rules.items or rules.fields))
                                      or (fmt is structured.FORMAT and (rules.json_items or rules.json_fields))):
                parsed = fmt.parse(repair.text, url, site=rules)
            else:
                parsed = fmt.parse(repair.text, url)
    except PageError:
        raise
    except (RecursionError, MemoryError) as exc:  # markup nested past what a reader can walk
        raise PageError(f"{fmt.name}: the document is nested too deeply to read ({type(exc).__name__})",
                        repair.text[:300]) from None
    except Exception as exc:  # a parser bug on odd input: this document only, with the evidence
        log.warning("%s: %s failed: %s: %s", url, fmt.name, type(exc).__name__, exc)
        log.debug("%s: %s traceback", url, fmt.name, exc_info=True)
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise PageError(f"{fmt.name}: parser error {reason}", repair.text[:300], "parser_error") from None
    apply_counts(parsed.observations, rules)
    _drop_unplaceable(parsed)
    if parsed.published_naive:
        parsed.published_at = local_time(parsed.published_at, rules)
    if not parsed.observations and not parsed.empty_ok:
        reasons = "; ".join(p.reason for p in parsed.problems[:3])
        raise PageError(f"{fmt.name}: no papers in this document" + (f" ({reasons})" if reasons else ""),
                        repair.text[:300])
    doc_site = site or (rules.name if rules is not None else None) or parsed.site or _site_of_url(url) \
        or fallback_site
    captured_at, captured_naive = _capture_time(parsed, rules, doc_site, url)
    if fmt.source == Source.DIGEST:  # a first-hand source's own clock is the one that counts
        captured_at, captured_naive = _after_reading(parsed, captured_at, captured_naive, fetched_at, mtime)
    _placeholder_counts(parsed, fmt.source)
    observed_at, basis = observed_time(fetched_at=fetched_at, given_at=given_at,
                                       captured_at=captured_at, captured_naive=captured_naive,
                                       published_at=parsed.published_at, mtime=mtime,
                                       second_hand=fmt.source == Source.DIGEST,
                                       named_at=time_in_name(url) if mtime is not None else None)
    try:
        document = Document(
            url=url, source=fmt.source, site=doc_site, format=fmt.name, observed_at=observed_at,
            observed_at_basis=basis, sha256=hashlib.sha256(body).hexdigest(),
            content_type=content_type, encoding=encoding, mojibake=repair.mojibake,
            repair=repair.method, replacement_chars=count_replacement_chars(repair.text),
            repair_sample=dict(zip(("before", "after"), repair.sample)) if repair.sample else None,
            etag=_header(headers, "etag"), last_modified=_header(headers, "last-modified"),
        )
    except ValidationError as exc:
        raise PageError(describe_validation_error(exc, "document")) from None
    for obs in parsed.observations:
        obs.observed_at = observed_at
        obs.observed_at_basis = basis
        if doc_site and obs.site is None:
            obs.site = doc_site
        if "read" not in obs.extra:
            obs.extra = stated_by_format(obs, fmt.name)
    return PageResult(document, parsed.observations, parsed.problems, parsed.paging)


__all__ = ["FORMATS", "FORMATS_BY_NAME", "PageError", "PageResult", "Problem", "read_page",
           "choose_format", "observed_time"]
