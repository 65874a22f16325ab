"""What every spider does with a response or a failure: read it, or say why it could not.

Spiders decide which URLs to fetch and in which order; turning a response into items is the
same for all of them, so it lives here: :func:`read_response` hands the body to
:func:`scrapers.reading.read_document` and returns a PageItem plus a RejectItem per skipped item,
or a RejectItem alone when nothing could be read; :func:`reject_for_failure` turns an
errback's failure (a non-2xx response, a download error, a request refused by robots.txt,
the replay or the retry middleware) into a RejectItem. Nothing is dropped silently: every
path ends in an item the store pipeline writes.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from scrapers.items import PageItem, RejectItem
from scrapers.pages import PageResult
from scrapers.reading import excerpt_of, read_document

log = logging.getLogger(__name__)

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def parse_day(value: Any) -> dt.date | None:
    """A spider argument read as a day ``YYYY-MM-DD``; ValueError with the reason otherwise."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    if not _DAY.fullmatch(text):
        raise ValueError(f"expected a day YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar day") from None


def add_download_slots(settings: Any, slots: dict[str, dict[str, Any]]) -> None:
    """Declare download slots (``{name: {"concurrency": 1, "delay": 3.0, "jitter": 0}}``)
    from a spider's ``update_settings``. A slot the user gave in ``DOWNLOAD_SLOTS`` keeps
    its own values over ours, and ours land at least at spider priority so Scrapy keeps them."""
    merged = dict(settings.getdict("DOWNLOAD_SLOTS"))
    for name, ours in slots.items():
        merged[name] = {**ours, **dict(merged.get(name) or {})}
    priority = max(settings.getpriority("DOWNLOAD_SLOTS") or 0, SETTINGS_PRIORITIES["spider"])
    settings.set("DOWNLOAD_SLOTS", merged, priority=priority)


def canonical_ids(value: Any) -> list[str] | None:
    """Spider argument ``ids`` (a comma-separated string or a list, any id form) as
    canonical arXiv ids without versions or repeats; ValueError listing the bad ones."""
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    texts = [str(p).strip() for p in parts if str(p).strip()]
    if not texts:
        raise ValueError("no ids given")
    bad = [t for t in texts if parse_arxiv_id(t) is None]
    if bad:
        raise ValueError(f"not arXiv ids: {', '.join(repr(b) for b in bad)}")
    return list(dict.fromkeys(parse_arxiv_id(t).id for t in texts))


def describe_args_error(exc: ValidationError, known: Any) -> str:
    """A pydantic error on spider arguments as one line; unknown arguments list ``known``."""
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"])
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown argument {where!r} (known: {', '.join(known)})")
        else:
            message = error["msg"].removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def response_time(response: Any) -> dt.datetime:
    """When the response was seen: ``meta["fetched_at"]`` (set by the record/replay
    middleware, the recorded time in a replay), else now."""
    fetched_at = response.meta.get("fetched_at") or utcnow()
    if isinstance(fetched_at, str):
        fetched_at = dt.datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    return fetched_at


def read_response(response: Any, source: Source, *, format_name: str | None = None,
                  site: str | None = None, rules: Any = None) -> tuple[PageResult | None, list[Any]]:
    """Read one response: ``(result, items)``.

    ``items`` is a PageItem and a RejectItem per problem (its url is the problem's own url
    when it names one, such as an arXiv id the answer left out, else the page's), or a
    single RejectItem when the page cannot be read; then ``result`` is None. Any error while
    reading (a parser bug included, as a ``parser_error`` reject with the start of the body)
    is that page's reject, so one odd page cannot end the crawl. ``format_name`` forces a parser instead of sniffing one (a digest site
    names its format; an API answer's kind is known from the request); ``site`` names the
    document's site (a digest site's configured name) instead of the URL's host; ``rules``
    is that site's configuration (what its counts mean, its time zone, its selectors).
    """
    headers = dict(response.headers.to_unicode_dict())
    reading = read_document(response.url, response.body, headers, source=source, format_name=format_name,
                            site=site, fetched_at=response_time(response), rules=rules)
    if reading.result is None:
        refusal = reading.refusals[0]
        if refusal.key == "parser_error":
            log.warning("%s: %s", response.url, refusal.reason)
        return None, [RejectItem(response.url, source, refusal.reason, refusal.excerpt, refusal.key,
                                 failed_request=True)]
    items: list[Any] = [PageItem(response.url, reading.result)]
    items.extend(RejectItem(r.url, source, r.reason, r.excerpt, r.key) for r in reading.refusals)
    return reading.result, items


def page_cap(spider: Any, source: Source, listing: str, next_page: int, url: str) -> RejectItem | None:
    """A reject when asking for page ``next_page`` of ``listing`` would pass ``MAX_PAGES``
    (a server that never stops answering must not make the crawl endless), else None."""
    cap = max(1, spider.settings.getint("MAX_PAGES", 200))
    if next_page <= cap:
        return None
    log.warning("%s: %s reached MAX_PAGES (%d); not asking for more", source.value, listing, cap)
    # The pages not asked for are a part of the listing not read: the crawl is not whole
    # (``partial``, not ``finished``), as when a request fails.
    return RejectItem(url, source, f"stopped {listing} after {cap} pages (MAX_PAGES): the server kept "
                      "announcing more", None, "page_cap", failed_request=True)


def reject_for_failure(failure: Failure, source: Source) -> RejectItem:
    """The RejectItem for an errback's failure.

    A non-2xx response: ``HTTP <status> for <url>`` with the start of the body. A request
    that was ignored (robots.txt, a replay miss, a retry given up on): the exception's own
    message, which names the URL; its stats key is the exception's ``stats_key`` when it
    has one. Anything else (DNS, timeouts, refused connections, after retries): the
    exception's type and message.
    """
    url = failure.request.url
    exc = failure.value
    try:
        return _reject_for_failure(failure, url, exc, source)
    finally:
        release(failure)


def release(failure: Failure) -> None:
    """Let go of what a failure's tracebacks hold, once its reject is made.

    A download given up on mid-way (a body over ``DOWNLOAD_MAXSIZE``, a bomb stopped while
    inflating) fails inside frames whose locals hold what was read so far; the failure's
    traceback, and those of the exceptions it was raised from, keep those frames alive for as
    long as Scrapy keeps the failure, which is past the errback. Nothing needs them once the
    reject is written. (:class:`scrapers.middlewares.BoundedDecompressionMiddleware` lets go
    of an inflated bomb earlier still, where it is refused.)"""
    seen: set[int] = set()
    exc: BaseException | None = failure.value
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = None
        exc = exc.__cause__ or exc.__context__
    failure.cleanFailure()


def _reject_for_failure(failure: Failure, url: str, exc: BaseException, source: Source) -> RejectItem:
    if failure.check(HttpError):
        response = exc.response
        return RejectItem(url, source, f"HTTP {response.status} for {url}",
                          excerpt_of(response.body), f"http_{response.status}", failed_request=True)
    message = " ".join(str(exc).split()) or type(exc).__name__
    if getattr(exc, "stats_key", None) == "not_modified":
        return RejectItem(url, source, message, None, "not_modified")  # not stored: nothing changed
    if failure.check(IgnoreRequest):
        reason = message if url in message else f"{message}: {url}"
        key = getattr(exc, "stats_key", None)
        if key is None and message.startswith("not in replay"):
            key = "replay_miss"
        return RejectItem(url, source, reason, None, key, failed_request=True)
    return RejectItem(url, source, f"{type(exc).__name__}: {download_error(exc, message)} for {url}", None,
                      f"download_{type(exc).__name__.lower()}", failed_request=True)


_WRAPPED = re.compile(r"Failure ([\w.]+): ([^>]*)>")


def download_error(exc: BaseException, message: str) -> str:
    """What went wrong with a download, in words: Scrapy's errors of a lost connection or a
    cancelled body carry no message, and a failed one a list of Twisted failures."""
    name = type(exc).__name__
    if name == "ResponseDataLossError":
        return "connection lost before the body was complete (fewer bytes than its Content-Length)"
    if name == "DownloadCancelledError":
        return message if message != name else "download cancelled: the body grew past DOWNLOAD_MAXSIZE"
    if name == "DownloadTimeoutError":
        return f"{message.rstrip('.')} (DOWNLOAD_TIMEOUT)"
    wrapped = _WRAPPED.findall(message)
    if wrapped:
        return "; ".join(f"{kind.rsplit('.', 1)[-1]}: {text.strip()}" for kind, text in wrapped)
    return message


class SpiderArgs(BaseModel):
    """What every spider's arguments share: one day (``date``) or a range (``since`` and
    ``until``, both included), and :meth:`parse`, which turns a validation error into one
    line naming the bad argument. Unknown arguments are refused; ``_``-prefixed ones
    (scrapyd's ``_job``) are ignored."""

    model_config = ConfigDict(extra="forbid")
    spider: ClassVar[str] = "spider"

    date: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @field_validator("date", "since", "until", mode="before")
    @classmethod
    def _day(cls, value: Any) -> Any:
        return parse_day(value)

    def check_days(self) -> bool:
        """ValueError for a range that does not hold together; True when days were given."""
        if self.date is not None and (self.since or self.until):
            raise ValueError("give either date or since/until, not both")
        if (self.since is None) != (self.until is None):
            raise ValueError("since and until go together")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}")
        return self.date is not None or self.since is not None

    @property
    def first_day(self) -> dt.date | None:
        """The first day asked for (``date`` or ``since``)."""
        return self.date or self.since

    @property
    def last_day(self) -> dt.date | None:
        """The last day asked for (``date`` or ``until``)."""
        return self.date or self.until

    def days(self) -> list[dt.date]:
        """Every day asked for, oldest first; none when no day was given."""
        first, last = self.first_day, self.last_day
        if first is None or last is None:
            return []
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    @classmethod
    def parse(cls, kwargs: dict[str, Any]) -> Any:
        """Validate spider keyword arguments; a bad one raises ValueError with one line."""
        given = {k: v for k, v in kwargs.items() if not k.startswith("_")}
        try:
            return cls.model_validate(given)
        except ValidationError as exc:
            raise ValueError(f"{cls.spider} arguments: {describe_args_error(exc, cls.model_fields)}") from None
