"""Polite retries: Scrapy's retry rules, plus waiting when a server says "slow down".

Why: politeness is part of correctness. arXiv asks for one request every 3 seconds on one
connection, and a 429 (Too Many Requests) or 503 (Service Unavailable, which arXiv's API
and OAI-PMH endpoints send for flow control) means "you are asking too fast". Scrapy's
``RetryMiddleware`` retries those at once, which is the opposite of what the server asked
and can get a crawler blocked. :class:`PoliteRetryMiddleware` replaces it (same priority,
550; the stock one is disabled in :mod:`scrapers.settings`) and:

* retries ``RETRY_HTTP_CODES`` and the download errors of ``RETRY_EXCEPTIONS``, up to
  ``RETRY_TIMES``, through Scrapy's own :func:`~scrapy.downloadermiddlewares.retry.get_retry_request`
  (so ``dont_retry``, ``max_retry_times``, ``RETRY_PRIORITY_ADJUST`` and the ``retry/*``
  stats behave as in Scrapy);
* for 429 and 503 waits before handing back the retry: the ``Retry-After`` header
  (delta-seconds or an HTTP-date), else exponential backoff
  ``RETRY_BACKOFF_BASE * 2 ** (attempt - 1)`` seconds capped at ``RETRY_BACKOFF_MAX``;
* gives up at once when ``Retry-After`` asks for longer than ``RETRY_AFTER_MAX`` (a server
  announcing an hour of maintenance should not stall a scheduled crawl): it raises
  :class:`RetryAfterTooLong`, an ``IgnoreRequest``, so the request's errback turns it into
  a ``rejects`` row whose reason says so.

A response answered from a recording (``--replay``) is retried without waiting: there is no
server to be polite to, and a replay should take as long as reading the files.

Stats: ``retry/after/<status>`` (retries that waited as ``Retry-After`` said),
``retry/backoff_seconds`` (total seconds of the waits before retries, whichever rule set
them),
``retry/gave_up/retry_after_too_long``.

When it fails: the wait happens in the downloader after the response arrived, so the
download slot is already free. Other requests to the same host can still go out during the
wait unless the spider sends one request at a time, as the arXiv spider does; a spider that
schedules many requests at once gets its retry delayed, not the whole host. A shutdown
(Ctrl-C) during a wait ends the wait within a fraction of a second and hands back the 429/503
response instead of the retry.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import time
from typing import Any

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

try:  # Scrapy >= 2.18: reactor-agnostic
    from scrapy.utils.asyncio import sleep as _sleep
except ImportError:  # pragma: no cover - older Scrapy runs the asyncio reactor by default
    from asyncio import sleep as _sleep

log = logging.getLogger(__name__)

SLOW_DOWN = frozenset({429, 503})
_DELTA_SECONDS = re.compile(r"\d+")
_WAIT_STEP = 0.25  # seconds between two checks for a shutdown while waiting
_FOREVER = 1e12  # seconds: what a Retry-After too long to read means


class RetryAfterTooLong(IgnoreRequest):
    """A server asked us to come back later than ``RETRY_AFTER_MAX`` allows."""

    stats_key = "retry_after_too_long"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def retry_after_seconds(value: str | bytes | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header value, or None if unusable.

    RFC 9110 allows two forms: delta-seconds (``120``: digits only) and an HTTP-date
    (``Wed, 21 Oct 2015 07:28:00 GMT``, read with :func:`email.utils.parsedate_to_datetime`,
    which also takes the obsolete RFC 850 and asctime forms). A date in the past means
    "now" (0); a number of more than 12 digits is read as 10^12 s (longer than any limit). Anything else (``soon``, ``-5``, ``1.5``, empty) is None, and the caller
    falls back to its own backoff: a malformed header must not be read as "retry at once".
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = value.strip()
    if not text:
        return None
    if _DELTA_SECONDS.fullmatch(text):
        # A dozen digits is over 30,000 years already; more would not fit a float (400
        # nines raise OverflowError) or even an int (Python refuses 4,300 digits).
        return float(int(text)) if len(text) <= 12 else _FOREVER
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # "-0000" or no zone: HTTP-dates are GMT
        when = when.replace(tzinfo=dt.timezone.utc)
    delta = (when - (now or _utcnow())).total_seconds()
    return max(0.0, delta)


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff before retry number ``attempt`` (1 for the first retry):
    ``base * 2 ** (attempt - 1)``, at most ``cap``. No jitter: one crawler per site
    sends one request at a time, so there is no herd to spread out."""
    if attempt < 1 or base <= 0:
        return 0.0
    return min(cap, base * 2 ** (attempt - 1))


class PoliteRetryMiddleware:
    """Downloader middleware: Scrapy's retries, with ``Retry-After`` and backoff for 429/503."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_http_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.priority_adjust = settings.getint("RETRY_PRIORITY_ADJUST")
        self.exceptions_to_retry = tuple(
            load_object(e) if isinstance(e, str) else e for e in settings.getlist("RETRY_EXCEPTIONS"))
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Any) -> PoliteRetryMiddleware:
        """Build from the ``RETRY_*`` settings; disabled when ``RETRY_ENABLED`` is false."""
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        """Hand back a retry of ``request`` for a retryable status, after waiting when the
        server asked us to slow down; the response itself when retries are used up."""
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait, after = 0.0, None
        if response.status in SLOW_DOWN:
            after = retry_after_seconds(response.headers.get("Retry-After"))
            if after is not None and after > self.after_max:
                self.stats.inc_value("retry/gave_up/retry_after_too_long")
                message = (f"HTTP {response.status} with Retry-After {after:.0f} s, longer than "
                           f"RETRY_AFTER_MAX {self.after_max:g} s: gave up on {request.url}")
                log.warning("%s", message)
                raise RetryAfterTooLong(message)
            attempt = request.meta.get("retry_times", 0) + 1
            wait = after if after is not None else backoff_seconds(
                attempt, self.backoff_base, self.backoff_max)
            if request.meta.get("replayed"):
                wait = 0.0  # a recording answered: there is no server to be polite to
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if after is not None:
            self.stats.inc_value(f"retry/after/{response.status}")
        if wait > 0:
            log.info("HTTP %s for %s: waiting %.1f s (%s) before retry %d", response.status,
                     request.url, wait, "Retry-After" if after is not None else "backoff",
                     retry.meta["retry_times"])
            self.stats.inc_value("retry/backoff_seconds", round(wait, 3))
            if not await self._wait(wait):
                return response
        return retry

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        """Retry download errors of ``RETRY_EXCEPTIONS`` (timeouts, refused connections)."""
        if isinstance(exception, self.exceptions_to_retry) and not request.meta.get("dont_retry", False):
            return self._retry(request, exception)
        return None

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        return get_retry_request(
            request, spider=self.crawler.spider, reason=reason, logger=log,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust))

    async def _wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` in short steps; False if the crawler began shutting down."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if not self.crawler.crawling:
                return False
            await _sleep(min(_WAIT_STEP, left))
        return bool(self.crawler.crawling)
