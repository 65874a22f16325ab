"""Digest sites: blogs, newsletters and repositories that list papers, configured in TOML.

The sites are :mod:`scrapers.sites` entries (the bundled ``scrapers/sites.toml``, or the
file the ``DIGEST_SITES_FILE`` setting names). Arguments (validated by :class:`DigestsArgs`):
``date``, or ``since`` and ``until``, and ``sites=a,b`` (default: every enabled site).

Per site: discovery, then posts. A ``feed`` is read with
:func:`scrapers.pages.digests.feeds.feed_entries` and an ``index`` page with the site's
``post_link`` pattern; their posts are kept when their date is unknown or within the days
asked (all of them when no day is asked), at most ``DIGEST_MAX_POSTS`` per site. A
``url_pattern`` gives one post URL per day asked (today, UTC, when none is). ``start`` URLs
are fetched as they are. Each post is read by the site's own format
(:func:`~scrapers.spiders.common.read_response` with ``format_name``), and its document and
observations carry the site's name. A post that fails (a 404, a page its parser cannot
read) is a ``rejects`` row; the crawl goes on.

Politeness: every request of a site goes through its own download slot, ``digest:<name>``,
with concurrency 1 and the site's ``delay`` (else ``DOWNLOAD_DELAY``). Stats:
``digest/<site>/posts`` (posts read), ``digest/<site>/rejects/<reason>``,
``digest/<site>/posts_skipped/<why>`` (out of the days asked, over the cap).

The sites file and the sites' formats are checked when the crawler is built
(:meth:`DigestsSpider.update_settings`), before anything is fetched: a bad file is a
one-line ValueError. :meth:`DigestsSpider.check_crawl` does the same checks, plus the site
names asked for, for a runner to call before it starts any crawl.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from pydantic import field_validator, model_validator
from twisted.python.failure import Failure
from w3lib.encoding import html_body_declared_encoding

from reconcile.models import Source
from reconcile.text import decode_body
from scrapers.items import RejectItem
from scrapers.pages import FORMATS_BY_NAME, PageError, charset_of
from scrapers.pages.digests.feeds import feed_entries
from scrapers.pipelines import reason_key
from scrapers.sites import Site, check_formats, date_in, load_sites, select_sites, sites_file

from .common import SpiderArgs, add_download_slots, excerpt_of, read_response, reject_for_failure, utcnow

log = logging.getLogger(__name__)

SLOT_PREFIX = "digest:"  # + site name: the download slot of a site's requests


class DigestsArgs(SpiderArgs):
    """The days asked (``date``, or ``since`` + ``until``; none: today for url_pattern
    sites, every discovered post for feed and index sites) and the ``sites`` to crawl."""

    spider: ClassVar[str] = "digests"

    sites: list[str] | None = None

    @field_validator("sites", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        if value is None:
            return None
        parts = value.split(",") if isinstance(value, str) else list(value)
        names = [str(p).strip() for p in parts if str(p).strip()]
        if not names:
            raise ValueError("no site names given")
        return list(dict.fromkeys(names))

    @model_validator(mode="after")
    def _range(self) -> DigestsArgs:
        self.check_days()
        return self

    def pattern_days(self) -> list[dt.date]:
        """The days to fill a ``url_pattern`` with: the days asked, else today (UTC)."""
        return self.days() or [utcnow().date()]

    def wants(self, day: dt.date | None) -> bool:
        """True when a post of ``day`` is asked for: its day is unknown, no day was asked,
        or it is within the days asked."""
        if day is None or self.first_day is None:
            return True
        return self.first_day <= day <= self.last_day


def configured_sites(settings: Any) -> list[Site]:
    """The sites of the crawl's sites file, their formats checked against the registered
    parsers; ValueError (one line) otherwise."""
    path = sites_file(settings)
    sites = load_sites(path)
    check_formats(sites, FORMATS_BY_NAME, path)
    return sites


def _day_of(value: Any) -> dt.date | None:
    """A feed entry's ``published`` (datetime, date or text) as a day."""
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.timezone.utc) if value.tzinfo else value).date()
    if isinstance(value, dt.date):
        return value
    return date_in(str(value)) if value else None


class DigestsSpider(scrapy.Spider):
    """Finds each site's posts (feed, index page, URL pattern or start URLs) and reads
    every post with the site's format; see the module docstring."""

    name = "digests"
    args_model = DigestsArgs

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = DigestsArgs.parse(kwargs)
        super().__init__(*args)
        self.sites: list[Site] = []

    @classmethod
    def check_crawl(cls, settings: Any, kwargs: dict[str, Any]) -> list[Site]:
        """The sites a crawl with these settings and arguments would visit; ValueError (one
        line) for a bad sites file, an unknown format or an unknown site name. For a runner
        to call before any crawl starts."""
        args = DigestsArgs.parse(kwargs)
        try:
            return select_sites(configured_sites(settings), args.sites)
        except ValueError as exc:
            if str(exc).startswith("unknown site"):
                raise ValueError(f"{DigestsArgs.spider} arguments: sites: {exc}") from None
            raise

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Check the sites file, then give each site its download slot: concurrency 1 and
        the site's ``delay`` (no jitter, so the delay is a minimum), else
        ``DOWNLOAD_DELAY``. A slot given in ``DOWNLOAD_SLOTS`` keeps its own values."""
        super().update_settings(settings)
        slots = {}
        for site in configured_sites(settings):
            slots[SLOT_PREFIX + site.name] = {"concurrency": 1, **(
                {"delay": site.delay, "jitter": 0} if site.delay is not None else {})}
        add_download_slots(settings, slots)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> DigestsSpider:
        """Build the spider and pick its sites; an unknown site name is a ValueError."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sites = cls.check_crawl(crawler.settings, kwargs)
        return spider

    # -- requests ---------------------------------------------------------------------
    def _request(self, site: Site, url: str, callback: Any, kind: str, **meta: Any) -> scrapy.Request:
        self.crawler.stats.inc_value(f"digest/{site.name}/requests/{kind}")
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              meta={"download_slot": SLOT_PREFIX + site.name,
                                    "digest_site": site.name, **meta})

    def _post(self, site: Site, url: str, day: dt.date | None = None) -> scrapy.Request:
        return self._request(site, url, self.parse_post, "post", post_day=day)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Each site's discovery request (feed, index) or its posts (url_pattern, start)."""
        for site in self.sites:
            for url in site.start:
                yield self._post(site, url)
            if site.feed:
                yield self._request(site, site.feed, self.parse_feed, "feed")
            elif site.index:
                yield self._request(site, site.index, self.parse_index, "index")
            elif site.url_pattern:
                for day in self.args.pattern_days():
                    yield self._post(site, site.post_url(day), day)

    def redirect_hosts(self, request: scrapy.Request) -> set[str]:
        """Hosts a redirect of ``request`` may lead to (see
        :class:`scrapers.middlewares.RedirectGuardMiddleware`): those of the site's configured
        URLs and its ``hosts``."""
        site = next((s for s in self.sites if s.name == request.meta.get("digest_site")), None)
        if site is None:
            return set()
        urls = (site.feed, site.index, site.url_pattern, *site.start)
        return {urlsplit(u).hostname for u in urls if u} - {None} | set(site.hosts)

    def _site(self, request: scrapy.Request) -> Site:
        name = request.meta["digest_site"]
        return next(s for s in self.sites if s.name == name)

    def _refused(self, site: Site, url: str, found_on: str) -> RejectItem | None:
        """A reject for a link found in crawled content that is not followed: any scheme but
        http(s) (``file://`` would read a local file), or a host that is neither the page's,
        nor one of the site's configured URLs, nor one its ``hosts`` name."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            reason, key = f"refused link {url[:200]}: only http(s) links found in a page are followed", "scheme"
        else:
            own = {urlsplit(u).hostname for u in (found_on, site.feed, site.index, site.url_pattern, *site.start) if u}
            if parts.hostname in own | set(site.hosts):
                return None
            reason, key = f"refused link {url[:200]}: host {parts.hostname} is not {site.name}'s", "host"
        return self._reject(site, RejectItem(found_on, Source.DIGEST, " ".join(reason.split()), None,
                                             f"link_refused_{key}"))

    def _follow(self, site: Site, posts: list[tuple[str, dt.date | None]], found_on: str) -> Any:
        """Requests for the discovered posts asked for, at most ``DIGEST_MAX_POSTS``, and a
        reject for each link that is refused (:meth:`_refused`)."""
        stats = self.crawler.stats
        wanted = []
        for url, day in posts:
            if (refused := self._refused(site, url, found_on)) is not None:
                yield refused
            elif self.args.wants(day):
                wanted.append((url, day))
            else:
                stats.inc_value(f"digest/{site.name}/posts_skipped/out_of_days")
        limit = max(0, self.settings.getint("DIGEST_MAX_POSTS", 50))
        if len(wanted) > limit:
            # Posts of the days asked that are not fetched: the site's crawl is not whole, so
            # it says so (a reject counted as a failed request: the crawl ends ``partial`` and
            # the site's watermark stays before those days, which a later run asks again).
            left = wanted[limit:]
            stats.inc_value(f"digest/{site.name}/posts_skipped/over_max_posts", len(left))
            days = sorted({str(day) for _, day in left if day is not None})
            log.warning("digests: %s lists %d posts of the days asked; fetched the first %d (DIGEST_MAX_POSTS)",
                        site.name, len(wanted), limit)
            yield self._reject(site, RejectItem(
                found_on, Source.DIGEST,
                f"{len(left)} posts of {site.name} over DIGEST_MAX_POSTS ({limit}) not fetched"
                + (f" (days {', '.join(days[:5])}{' and more' if len(days) > 5 else ''})" if days else "")
                + "; raise DIGEST_MAX_POSTS or crawl fewer days", None, "over_max_posts", failed_request=True))
            wanted = wanted[:limit]
        stats.inc_value(f"digest/{site.name}/posts_found", len(wanted))
        for url, day in wanted:
            yield self._post(site, url, day)

    # -- callbacks --------------------------------------------------------------------
    def _reject(self, site: Site, item: RejectItem) -> RejectItem:
        """Count a reject under its site (the pipeline's reason keys), and pass it on."""
        key = item.key or reason_key(item.reason)
        self.crawler.stats.inc_value(f"digest/{site.name}/rejects/{key}")
        if item.failed_request:  # the site's own health: reconcile.plan keeps a watermark per site
            self.crawler.stats.inc_value(f"digest/{site.name}/requests/failed")
        return item

    @staticmethod
    def _text(response: scrapy.http.Response) -> str:
        _, declared = charset_of(dict(response.headers.to_unicode_dict()))
        return decode_body(response.body, declared, html_body_declared_encoding(response.body))[0]

    def parse_feed(self, response: scrapy.http.Response) -> Any:
        """A site's RSS/Atom feed: one request per entry asked for; a body that is not a
        feed is a reject."""
        site = self._site(response.request)
        try:
            entries = feed_entries(self._text(response), response.url)
        except PageError as exc:
            yield self._reject(site, RejectItem(response.url, Source.DIGEST,
                                                f"digest feed of {site.name}: {exc.reason}",
                                                exc.excerpt or excerpt_of(response.body),
                                                f"feed_{reason_key(exc.reason)}", failed_request=True))
            return
        posts = [(response.urljoin(e.url), _day_of(e.published)) for e in entries if e.url]
        yield from self._follow(site, list(dict.fromkeys(posts)), response.url)

    def parse_index(self, response: scrapy.http.Response) -> Any:
        """A site's index page: one request per ``post_link`` match asked for; a page
        where nothing matches is a reject (the layout or the pattern changed)."""
        site = self._site(response.request)
        links = site.post_links(self._text(response))
        if not links:
            yield self._reject(site, RejectItem(
                response.url, Source.DIGEST,
                f"digest index of {site.name}: no link matches post_link {site.post_link!r}",
                excerpt_of(response.body), "index_without_posts", failed_request=True))
            return
        seen: dict[str, dt.date | None] = {}
        for link, day in links:
            seen.setdefault(response.urljoin(link), day)
        yield from self._follow(site, list(seen.items()), response.url)

    def parse_post(self, response: scrapy.http.Response) -> Any:
        """Read one post with the site's format, as the site's document."""
        site = self._site(response.request)
        result, items = read_response(response, Source.DIGEST, format_name=site.format,
                                      site=site.name, rules=site)
        if result is not None:
            self.crawler.stats.inc_value(f"digest/{site.name}/posts")
        for item in items:
            yield self._reject(site, item) if isinstance(item, RejectItem) else item

    def on_error(self, failure: Failure) -> Any:
        """A failed discovery or post request (404, download error, robots.txt) is a reject."""
        site = self._site(failure.request)
        yield self._reject(site, reject_for_failure(failure, Source.DIGEST))
