"""Hugging Face paper web pages: date pages, paper pages, and a paper page saved as Markdown.

The HTML pages carry their data as JSON in the ``data-props`` attribute of Svelte hydration
islands (``<div class="SVELTE_HYDRATER contents" data-target="..." data-props="{&quot;...">``).
That JSON is what the page is rendered from, so it is read and the visible markup is not:
the markup shows relative dates ("2 days ago") and rounded counts, and its CSS classes change
with every redesign. The HTML parser undoes the entity escaping of the attribute.

* date pages (``/papers/date/D``, ``/papers``, ``/papers/week/...``, ``/papers/month/...``):
  the ``DailyPapers`` island's ``dailyPapers`` list (``papers`` on some versions), each item
  shaped like one item of ``/api/daily_papers`` and read by
  :func:`scrapers.pages.huggingface.read_daily_item`;
* paper pages (``/papers/<arXiv id>``): the island whose props hold ``paper``, plus its
  comments and ``dailyPaperRank``;
* a paper page converted to Markdown (front matter with the capture ``date``, then
  ``arxiv:<id>``, ``# Title``, ``Published on Dec 17``, ``Upvote`` and the count, ...).

A page whose island is missing, or whose props are not JSON or lack the data, is a
:class:`PageError` with a one-line reason: never a guess from the markup.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from reconcile.ids import huggingface_paper_url, parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from .base import Format, PageError, Parsed, build, first_int, front_matter, parse_date, parse_datetime
from .huggingface import SITE, read_daily_item

log = logging.getLogger(__name__)

DATE_TARGET = "DailyPapers"
DATE_LIST_KEYS = ("dailyPapers", "papers")  # the current key first, then the older fallback
_DATE_PATH = re.compile(r"^/papers(?:/(?:date|week|month)/[\w-]+|/trending)?/?$")
_DAY_PATH = re.compile(r"^/papers/date/(\d{4}-\d{2}-\d{2})/?$")
_PAPER_PATH = re.compile(r"^/papers/([^/?#]+)/?$")
_HTML_START = re.compile(r"\A\s*+(?:\ufeff)?\s*+<(?:!doctype\s+html|html|head|body|main|div|!--)",
                         re.IGNORECASE)
_PAPER_KEY = re.compile(r"(?:&quot;|\")paper(?:&quot;|\")\s*:\s*\{")


# -- sniffing --------------------------------------------------------------------------------

def _http_path(url: str) -> str | None:
    """The path of an http(s) URL; None for a saved file, whose path names a local file."""
    parts = urlsplit(url)
    return parts.path if parts.scheme in ("http", "https") else None


def sniff_date_page(text: str, url: str) -> bool:
    """An HTML document with a ``DailyPapers`` island, or an http(s) URL of a date page
    (any host, so a loopback server or a mirror works). Fails for a saved copy of a page
    that lost its islands (then nothing can be read anyway)."""
    path = _http_path(url)
    if path is not None and _DATE_PATH.match(path):
        return True
    return bool(_HTML_START.match(text)) and f'data-target="{DATE_TARGET}"' in text


def sniff_paper_page(text: str, url: str) -> bool:
    """An HTML document with an island whose props start a ``paper`` object and no
    ``DailyPapers`` island (date-page items carry ``paper`` too), or an http(s) URL
    ``/papers/<arXiv id>``."""
    path = _http_path(url)
    if path is not None:
        m = _PAPER_PATH.match(path)
        if m and parse_arxiv_id(m[1]):
            return True
    return (bool(_HTML_START.match(text)) and f'data-target="{DATE_TARGET}"' not in text
            and "data-props=" in text and bool(_PAPER_KEY.search(text)))


# -- hydration islands -----------------------------------------------------------------------

def _islands(text: str) -> list[lxml.html.HtmlElement]:
    """Every element with a ``data-props`` attribute, in document order."""
    if not text.strip():
        raise PageError("empty Hugging Face page")
    try:
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise PageError(f"Hugging Face page is not HTML ({exc})", text[:300]) from None
    return [el for el in root.iter()
            if isinstance(el.tag, str) and el.get("data-props") is not None]


def _props(element: lxml.html.HtmlElement, what: str) -> Any:
    """The JSON of one island's ``data-props`` (entities already undone by the parser)."""
    raw = element.get("data-props") or ""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PageError(f"Hugging Face page data-props ({what}) is not valid JSON "
                        f"({exc.msg} at column {exc.colno})",
                        raw[max(0, exc.pos - 80):exc.pos + 80]) from None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__)


# -- date pages ------------------------------------------------------------------------------

def parse_date_page(text: str, url: str) -> Parsed:
    """Read a date page's ``DailyPapers`` island: one observation per ``dailyPapers`` item.

    The listing day is the item's ``submittedOnDailyAt``, else the day in the URL
    (``/papers/date/D``); week and month pages name no single day. An empty list is a day
    without papers (kept). Raises PageError when the island or its props are missing, the
    props are not JSON, or the list is not a list; items without ``paper.id`` are problems.
    """
    islands = [el for el in _islands(text) if el.get("data-target") == DATE_TARGET]
    if not islands:
        raise PageError(f"Hugging Face page without data-props ({DATE_TARGET})", text[:300])
    props = _props(islands[0], DATE_TARGET)
    if not isinstance(props, dict):
        raise PageError(f"Hugging Face page data-props ({DATE_TARGET}) is {_kind(props)}, "
                        "not an object", (islands[0].get("data-props") or "")[:300])
    key = next((k for k in DATE_LIST_KEYS if k in props), None)
    if key is None:
        raise PageError(f"Hugging Face page data-props ({DATE_TARGET}) without "
                        f"{' or '.join(DATE_LIST_KEYS)} (keys: {', '.join(sorted(props)[:10])})",
                        json.dumps(props, ensure_ascii=False)[:300])
    items = props[key]
    if not isinstance(items, list):
        raise PageError(f"Hugging Face page data-props ({DATE_TARGET}): {key} is "
                        f"{_kind(items)}, not a list", json.dumps(items, ensure_ascii=False)[:300])
    day = _DAY_PATH.match(_http_path(url) or "")
    parsed = Parsed(site=SITE, empty_ok=not items)
    for position, item in enumerate(items, 1):
        read_daily_item(parsed, item, position, requested_day=day[1] if day else None,
                        extra={"list_key": key} if key != DATE_LIST_KEYS[0] else None)
    return parsed


def date_page_url(base_url: str, day: str) -> str:
    """The address of one day's list page."""
    return f"{base_url.rstrip('/')}/papers/date/{day}"


# -- paper pages -----------------------------------------------------------------------------

def _comment_count(props: dict[str, Any], paper: dict[str, Any]) -> tuple[int | None, str | None]:
    """The number of comments, and where it came from: a count field when the page has one,
    else the length of the comments list when that length is the comment count.

    The list holds threads (top-level comments, replies nested in them) while Hugging
    Face's ``numComments`` counts replies too: 3 threads with 2 replies are 5 comments, and
    storing 3 would read as comments deleted. Whether a thread's ``replies`` are all on the
    page is not known, so the list's length is kept only when every thread says it has
    none (an empty ``replies`` list): threads are then comments. When a thread has replies,
    or does not say (no ``replies`` list), the count is unknown (None), not the thread
    count. ``extra['comments_from']`` says which count this is.
    """
    discussion = props.get("discussion") if isinstance(props.get("discussion"), dict) else {}
    for where, holder in (("numComments", props), ("paper.numComments", paper),
                          ("discussion.numComments", discussion)):
        if isinstance(holder.get("numComments"), int):
            return holder["numComments"], where
    for where, holder in (("comments", props), ("discussion.comments", discussion)):
        threads = holder.get("comments")
        if isinstance(threads, list):
            if all(isinstance(t, dict) and t.get("replies") == [] for t in threads):
                return len(threads), f"len({where})"
            return None, None
    return None, None


def parse_paper_page(text: str, url: str) -> Parsed:
    """Read a paper page's island whose props hold ``paper``: one observation.

    Built like a daily-papers item (the same submitter, organization, code links and AI
    fields), with ``dailyPaperRank`` and the comment count's origin in ``extra``. Islands
    nested in comments (user mentions) are skipped because they hold no ``paper``. Raises
    PageError when no island's props mention ``paper``, when those props are not JSON, or
    when they hold no ``paper`` object.
    """
    # Only islands that mention "paper" can hold it: headers and mentions are not looked at.
    candidates = [el for el in _islands(text) if '"paper"' in (el.get("data-props") or "")]
    if not candidates:
        raise PageError("Hugging Face page without data-props (paper page)", text[:300])
    props = None
    error: PageError | None = None
    for element in candidates:
        try:
            value = _props(element, element.get("data-target") or "paper page")
        except PageError as exc:
            error = error or exc
            continue
        if isinstance(value, dict) and isinstance(value.get("paper"), dict):
            props = value
            break
    if props is None:
        if error is not None:
            raise error
        raise PageError("Hugging Face page data-props without a paper object (paper page)",
                        (candidates[0].get("data-props") or "")[:300])
    paper = props["paper"]
    count, count_from = _comment_count(props, paper)
    item = {"paper": paper, "numComments": count,
            "organization": props.get("organization"), "submittedBy": props.get("submittedBy")}
    rank = props.get("dailyPaperRank")
    parsed = Parsed(site=SITE)
    read_daily_item(parsed, item, extra={
        "daily_paper_rank": rank if isinstance(rank, int) else None,
        "comments_from": count_from,
    })
    return parsed


def paper_page_url(base_url: str, arxiv_id: str) -> str:
    """The address of one paper's page."""
    return f"{base_url.rstrip('/')}/papers/{arxiv_id}"


# -- a paper page saved as Markdown ----------------------------------------------------------

_ID_LINE = re.compile(r"^arxiv:\s*(\S+)\s*$", re.MULTILINE | re.IGNORECASE)
_TITLE = re.compile(r"^# (.+)$", re.MULTILINE)
_PUBLISHED = re.compile(r"^Published on ([A-Z][a-z]{2,8} \d{1,2})(?:, (\d{4}))?\s*$", re.MULTILINE)
_SUBMITTED = re.compile(r"^Submitted by\s*$(.*?)^on ([A-Z][a-z]{2,8} \d{1,2})(?:, (\d{4}))?\s*$",
                        re.MULTILINE | re.DOTALL)
_LINK_USER = re.compile(r"\]\(/([\w.-]+)\)\s*$")
# The count line under "Upvote", read whole: "1.2k", "1,2", "1 234" or "99+" state no exact
# count (:func:`.base.first_int` leaves them empty).
_UPVOTES = re.compile(r"^Upvote\s*\n\s*(\d[^\n\]]*)\]?", re.MULTILINE)
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^)\s]*\)")
_ABSTRACT_END = ("[View arXiv page]", "[View PDF]", "[Add to collection]", "#")
AI_MARKER = "AI-generated summary"


def sniff_paper_markdown(text: str, url: str) -> bool:
    """A line that is exactly ``arxiv:<arXiv id>``, a ``# `` title and an ``Upvote`` line:
    the order a paper page renders in. Notes that merely quote these (in backticks or
    inline) do not match, because each must stand alone on its line."""
    m = _ID_LINE.search(text)
    return (m is not None and parse_arxiv_id(m[1]) is not None and bool(_TITLE.search(text))
            and bool(re.search(r"^Upvote\s*$", text, re.MULTILINE)))


def resolve_day(shown: str, year: str | None, captured: dt.date | None) -> dt.date | None:
    """A ``Dec 17`` shown without a year, as a date: the year of the capture, or the year
    before when that day would fall after the capture (a page cannot show a future day).

    Works because the site drops the year only for recent days; fails (None) without a
    capture date, or on a misspelled month.
    """
    month_day = parse_date(f"{shown}, 2000")  # 2000 is a leap year: Feb 29 is a day
    if month_day is None:
        return None
    try:
        if year:
            return month_day.replace(year=int(year))
        if captured is None:
            return None
        day = month_day.replace(year=captured.year)
        return day if day <= captured else day.replace(year=captured.year - 1)
    except ValueError:  # Feb 29 of a year without one
        return None


def _paragraphs(lines: list[str]) -> list[str]:
    out, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(collapse_whitespace(_LINK.sub(r"\1", " ".join(current))))
            current = []
    return out


def _abstract(body: str) -> tuple[str | None, str | None]:
    """The abstract, and the AI summary printed above it (keyword links become text)."""
    start = re.search(r"^## Abstract\s*$", body, re.MULTILINE)
    if not start:
        return None, None
    lines = []
    for line in body[start.end():].splitlines():
        if line.strip().startswith(_ABSTRACT_END):
            break
        lines.append(line)
    paragraphs = _paragraphs(lines)
    if AI_MARKER in paragraphs:
        at = paragraphs.index(AI_MARKER)
        return " ".join(paragraphs[at + 1:]) or None, " ".join(paragraphs[:at]) or None
    return " ".join(paragraphs) or None, None


def _authors(body: str) -> list[str]:
    m = re.search(r"^Authors:\s*$(.*?)^## ", body, re.MULTILINE | re.DOTALL)
    if not m:
        return []
    names = [collapse_whitespace(_LINK.sub(r"\1", ln)).strip(" ,") for ln in m[1].splitlines()]
    return [n for n in names if n]


def parse_paper_markdown(text: str, url: str) -> Parsed:
    """Read a paper page converted to Markdown: id, title, upvotes, authors, abstract,
    AI summary, submitter, publication and submission days.

    The front matter's ``date`` is when the page was captured: with a time it is the
    document's stated capture time; a day alone (``date: 2025-12-20``) is no capture time
    (the counts were read at some moment of that day, and midnight would order them before
    a capture at 09:00 of the same day), so ``captured_at`` stays unset and the usual
    fallback (``--observed-at``, the file's name or time) applies. Either way it is the day
    that ``Published on Dec 17`` is resolved against. Raises
    PageError without an ``arxiv:<id>`` line; fields the page does not show stay empty
    (comments too: the rendered thread is not counted).
    """
    meta, body = front_matter(text)
    m = _ID_LINE.search(body)
    aid = parse_arxiv_id(m[1]) if m else None
    if aid is None:
        raise PageError("Hugging Face paper page (Markdown) without an arxiv:<id> line", body[:300])
    stated = str(meta.get("date") or "").strip()
    day_only = re.fullmatch(r"\d{4}-\d{2}-\d{2}", stated) is not None
    # A day alone is not a moment: it resolves "Dec 17" but is never a capture time.
    captured_at = None if day_only else parse_datetime(meta.get("date"))
    captured_on = captured_at.date() if captured_at else (parse_date(stated) if day_only else None)
    parsed = Parsed(site=SITE, captured_at=captured_at)
    title = _TITLE.search(body, m.end())
    published = _PUBLISHED.search(body)
    submitted = _SUBMITTED.search(body)
    upvotes = _UPVOTES.search(body)
    published_on = resolve_day(published[1], published[2], captured_on) if published else None
    listed_on = resolve_day(submitted[2], submitted[3], captured_on) if submitted else None
    if published and published_on is None:
        log.debug("%s: %r has no year and no capture date resolves it", url, published[0])
    abstract, ai_summary = _abstract(body)
    authors = _authors(body)
    submitter = _LINK_USER.search(submitted[1].strip()) if submitted else None
    extra = {
        "submitter": submitter[1] if submitter else None,
        "ai_summary": ai_summary,
        "published_as_shown": published[1] + (f", {published[2]}" if published[2] else "")
        if published else None,
        "listed_on_from": "submitted" if listed_on else None,
    }
    build(
        parsed, body[m.start():m.start() + 300],
        source=Source.HUGGINGFACE, site=SITE, url=huggingface_paper_url(aid.id),
        arxiv_id=aid.id, arxiv_version=aid.version,
        title=collapse_whitespace(_LINK.sub(r"\1", title[1])) if title else None,
        authors=authors, authors_total=len(authors) or None, abstract=abstract,
        published=published_on, listed_on=listed_on,
        upvotes=first_int(upvotes[1].strip()) if upvotes else None,
        extra={k: v for k, v in extra.items() if v is not None},
    )
    return parsed


DATE_PAGE_FORMAT = Format("huggingface-date-page", Source.HUGGINGFACE, sniff_date_page,
                          parse_date_page)
PAPER_PAGE_FORMAT = Format("huggingface-paper-page", Source.HUGGINGFACE, sniff_paper_page,
                           parse_paper_page)
PAPER_MARKDOWN_FORMAT = Format("huggingface-paper-markdown", Source.HUGGINGFACE,
                               sniff_paper_markdown, parse_paper_markdown)
# In sniffing order: a date page's items hold "paper" too, so it goes before the paper page.
FORMATS = (DATE_PAGE_FORMAT, PAPER_PAGE_FORMAT, PAPER_MARKDOWN_FORMAT)
