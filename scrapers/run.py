"""Run spiders from Python (the ``reconcile crawl`` and ``run`` commands), from any directory.

Settings come from the :mod:`scrapers.settings` module itself, not from ``scrapy.cfg``, so
this works wherever the package is installed. The spiders run one after another in one
:class:`~scrapy.crawler.AsyncCrawlerProcess`: a Twisted reactor starts once per process, so
call :func:`run_crawls` once per process (tests run it in a subprocess).
"""

from __future__ import annotations

import logging
import math
import signal
import threading
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def parse_set_options(options: Iterable[str]) -> dict[str, str]:
    """``["NAME=VALUE", ...]`` (from ``--set``) as a dict; ValueError with one line if malformed.

    Names are Scrapy setting names (upper case, digits, underscores). Values stay text:
    Scrapy's ``getint``/``getbool``/``getdict`` read text, so ``DOWNLOAD_DELAY=0`` and
    ``ITEM_PIPELINES={"a.B": 1}`` both work.
    """
    result: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        name = name.strip()
        if not sep:
            raise ValueError(f"--set {option!r}: expected NAME=VALUE")
        if not _NAME.fullmatch(name):
            raise ValueError(f"--set {option!r}: {name!r} is not a setting name "
                             "(upper case letters, digits and _)")
        result[name] = value
    return result


def build_settings(*, db_path: str | Path | None = None,
                   settings_overrides: dict[str, Any] | None = None,
                   replay_dir: str | Path | None = None,
                   record_dir: str | Path | None = None) -> Any:
    """Scrapy settings: :mod:`scrapers.settings`, log level WARNING, then the overrides.

    The explicit arguments win over ``settings_overrides`` of the same name.
    """
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.set("LOG_LEVEL", "WARNING", priority="project")
    settings.setdict(dict(settings_overrides or {}), priority="cmdline")
    for name, value in (("RECONCILE_DB", db_path), ("REPLAY_DIR", replay_dir),
                        ("RECORD_DIR", record_dir)):
        if value is not None:
            settings.set(name, str(value), priority="cmdline")
    return settings


#: Settings the project reads as seconds to wait: numbers of at least 0 (0: no delay, no
#: backoff) ...
_SECONDS = ("DOWNLOAD_DELAY", "ARXIV_DELAY", "ARXIVLENS_DELAY", "RETRY_BACKOFF_BASE", "RETRY_BACKOFF_MAX",
            "RETRY_AFTER_MAX")
#: ... and as timeouts: above 0 (no answer arrives in no time; Scrapy asserts on a negative
#: one inside the reactor: a traceback and exit 3).
_TIMEOUTS = ("DOWNLOAD_TIMEOUT",)
#: Settings read as whole numbers of at least 0: sizes in bytes and counts (Scrapy's
#: ``getint`` fails on ``10k`` only once the crawl starts, with a traceback). The readers
#: of the page and batch sizes and of ``MAX_PAGES`` take 0 as 1.
_WHOLE = ("DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "RETRY_TIMES", "MAX_PAGES", "HUGGINGFACE_PAGE_SIZE",
          "ARXIV_PAGE_SIZE", "ARXIVLENS_PAGE_SIZE", "DIGEST_MAX_POSTS", "RECONCILE_BATCH_SIZE",
          "RECONCILE_STORE_RETRIES")
#: ... and of at least 1: with no request at a time allowed, none is ever sent.
_CONCURRENCY = ("CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN")


def _number(value: Any, *, whole: bool) -> float | None:
    """A setting's value (text from ``--set``, a number from a settings module) as a finite
    number, a whole one if ``whole``; None when it is not one (``10k``, ``""``, ``nan``, a
    boolean, ``1.5`` for a count)."""
    if isinstance(value, bool):
        return None
    try:
        number = (int(value) if isinstance(value, str) else value) if whole else float(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(number, (int, float)) or not math.isfinite(number):
        return None
    if whole and number != int(number):
        return None
    return number


def check_settings(settings: Any) -> None:
    """Refuse, with a one-line ValueError naming the setting and its value, a setting of this
    project that Scrapy would only choke on once the reactor runs: a traceback, a crawl row
    ``start_error`` and exit 3, as if the source were down, for what is a typo (exit 2).

    * Each source's address (``HUGGINGFACE_BASE_URL``, ``ARXIV_API_URL``, ...) is an
      http(s) URL with a host, as a site's URLs in ``sites.toml`` are: ``127.0.0.1:8000``
      has no scheme, an empty one no URL, and ``ftp://`` would go through Scrapy's FTP
      handler, which applies no ``DOWNLOAD_TIMEOUT`` and holds a graceful shutdown (SIGTERM)
      open for as long as a silent server keeps the connection.
    * Timeouts are numbers above 0, delays numbers of at least 0, sizes and counts whole
      numbers of at least 0 (concurrency at least 1).
    """
    from scrapers import settings as defaults
    from scrapers.middlewares import _ADDRESS_SETTINGS  # the one list of address settings

    for name in _ADDRESS_SETTINGS:
        value = settings.get(name)
        parts = urlsplit(value) if isinstance(value, str) else None
        try:
            port_ok = parts is not None and (parts.port is None or parts.port > 0)
        except ValueError:  # a port that is no number, or above 65535
            port_ok = False
        if not (port_ok and parts.scheme in ("http", "https") and parts.hostname and value == value.strip()):
            raise ValueError(f"setting {name}={value!r}: expected an http:// or https:// URL with a host, "
                             f"such as {getattr(defaults, name, 'https://example.org')!r}")
    for names, whole, least, what in ((_TIMEOUTS, False, None, "a number of seconds above 0"),
                                      (_SECONDS, False, 0, "a number of seconds, 0 or more"),
                                      (_WHOLE, True, 0, "a whole number, 0 or more"),
                                      (_CONCURRENCY, True, 1, "a whole number, 1 or more")):
        for name in names:
            value = settings.get(name)
            if value is None:  # not set: the reader's own default applies
                continue
            number = _number(value, whole=whole)
            if number is None or (number <= 0 if least is None else number < least):
                raise ValueError(f"setting {name}={value!r}: expected {what}")


def _check(settings: Any, crawls: list[tuple[str, dict[str, Any]]]) -> None:
    """Refuse bad input before the reactor starts, with a one-line ValueError."""
    from scrapy.spiderloader import get_spider_loader

    check_settings(settings)
    replay, record = settings.get("REPLAY_DIR"), settings.get("RECORD_DIR")
    if replay and record:
        raise ValueError("replay and record directories cannot both be given")
    if replay and not (Path(replay) / "manifest.json").is_file():
        raise ValueError(f"no manifest.json in replay directory {replay}")
    if record and Path(record).exists() and not Path(record).is_dir():
        raise ValueError(f"record directory {record} is not a directory")
    loader = get_spider_loader(settings)
    known = loader.list()
    for name, args in crawls:
        if name not in known:
            raise ValueError(f"unknown spider {name!r} (known: {', '.join(sorted(known))})")
        spidercls = loader.load(name)
        parse = getattr(getattr(spidercls, "args_model", None), "parse", None)
        if callable(parse):
            parse(dict(args))  # raises ValueError with the reason
        check = getattr(spidercls, "check_crawl", None)
        if callable(check):
            check(settings, dict(args))  # e.g. the digest sites file: ValueError with the reason


def _drop_queued(process: Any) -> None:
    """Fail every request that waits in a downloader slot (for its delay or a free
    connection) with IgnoreRequest, so none is sent after a shutdown began; each becomes a
    reject of its spider, so what was not fetched is recorded."""
    from scrapy.exceptions import IgnoreRequest

    for crawler in list(getattr(process, "crawlers", ())):
        downloader = getattr(getattr(crawler, "engine", None), "downloader", None)
        for slot in list(getattr(downloader, "slots", {}).values()):
            while slot.queue:
                request, deferred = slot.queue.popleft()
                deferred.errback(IgnoreRequest(f"not sent: the crawl was stopped (shutdown) before {request.url}"))


def _stop_sending_at_once(process: Any) -> None:
    """Make Ctrl-C / SIGTERM stop sending requests at once. Scrapy's graceful shutdown stops
    taking requests from the scheduler but still sends those already queued in a downloader
    slot, seconds later with a download delay; this drops them first. It hooks Scrapy's own
    handler (``_signal_shutdown``), so it fails safe: if that name changes, shutdown is as
    graceful as Scrapy makes it."""
    from twisted.internet import reactor

    original = getattr(process, "_signal_shutdown", None)
    if original is None:
        return

    def shutdown(signum: int, frame: Any) -> None:
        reactor.callFromThread(_drop_queued, process)
        original(signum, frame)

    process._signal_shutdown = shutdown


class CrawlInterrupted(RuntimeError):
    """A shutdown (Ctrl-C, SIGTERM) stopped a crawl; the crawls after it were not started."""


def run_crawls(crawls: list[tuple[str, dict[str, Any]]], *, db_path: str | Path | None,
               settings_overrides: dict[str, Any] | None = None,
               replay_dir: str | Path | None = None,
               record_dir: str | Path | None = None,
               install_root_handler: bool = True,
               progress: Callable[[str, str, dict[str, Any]], None] | None = None,
               crawl_ids: list[int] | None = None) -> None:
    """Run each ``(spider name, spider arguments)`` in order, in one crawler process.

    ``crawl_ids``, when given, receives the id of each ``crawls`` row these crawls open, as
    soon as it exists: the caller knows its own crawls from those of other processes writing
    the same database at the same time.

    ``progress``, when given, is called as ``progress(event, spider name, data)`` with event
    ``"start"`` (data: the arguments) when a crawl starts, ``"item"`` (data: empty) as each
    page or reject is handed over, and ``"end"`` (data: the crawl's Scrapy stats) when it
    closes: a command line can show where a long run is.

    ``db_path`` None uses ``reconcile.store.default_db_path()``. Raises ValueError (one
    line) for an unknown spider, bad spider arguments or a replay directory without a
    manifest, before anything is fetched. Raises RuntimeError after the run if a crawl could
    not start, or if a shutdown (Ctrl-C, SIGTERM) stopped a crawl; the crawls after it are
    not started. Call once per process: the Twisted reactor cannot be restarted.
    ``install_root_handler=False`` leaves logging to a caller that configured it already
    (the ``reconcile`` command), so Scrapy's records go through the caller's handler and level.
    """
    from scrapy import signals
    from scrapy.crawler import AsyncCrawlerProcess

    crawls = [(name, dict(args or {})) for name, args in crawls]
    settings = build_settings(db_path=db_path, settings_overrides=settings_overrides,
                              replay_dir=replay_dir, record_dir=record_dir)
    _check(settings, crawls)
    if not crawls:
        return
    settings.set("LOG_INSTALL_ROOT_HANDLER", install_root_handler, priority="cmdline")
    process = AsyncCrawlerProcess(settings)
    failures: list[str] = []
    stopped: list[str] = []
    queue = list(crawls)

    def _start_next() -> None:
        name, args = queue.pop(0)
        log.info("starting spider %s with %s", name, args)
        crawler = process.create_crawler(name)
        crawler.signals.connect(_closed, signal=signals.spider_closed)
        if crawl_ids is not None:
            crawler.signals.connect(lambda spider, crawler=crawler: _own(crawler), signal=signals.spider_opened,
                                    weak=False)
        if progress is not None:
            progress("start", name, args)
            crawler.signals.connect(lambda item, response, spider: progress("item", spider.name, {}),
                                    signal=signals.item_scraped, weak=False)
            crawler.signals.connect(lambda spider, reason, crawler=crawler: progress(
                "end", spider.name, dict(crawler.stats.get_stats() or {}, finish_reason=reason)),
                signal=signals.spider_closed, weak=False)
        task = process.crawl(crawler, **args)
        task.add_done_callback(lambda done, name=name, crawler=crawler: _finished(name, done, crawler))

    def _own(crawler: Any) -> None:
        crawl_id = crawler.stats.get_value("reconcile/crawl_id") if getattr(crawler, "stats", None) else None
        if crawl_ids is not None and crawl_id is not None and crawl_id not in crawl_ids:
            crawl_ids.append(crawl_id)

    def _closed(spider: Any, reason: str) -> None:
        if reason == "shutdown":  # Ctrl-C or SIGTERM: do not start the remaining crawls
            stopped.append(spider.name)
            stopped.extend(f"{name} (not started)" for name, _ in queue)
            queue.clear()

    def _finished(name: str, task: Any, crawler: Any) -> None:
        # Runs right after the process's own bookkeeping callback and before its join()
        # looks again, so the next crawl is tracked in time and the process keeps running.
        _own(crawler)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
        if queue:
            try:
                _start_next()
            except Exception as exc:  # noqa: BLE001 - reported after the run, never swallowed
                failures.append(f"{queue[0][0] if queue else name}: {type(exc).__name__}: {exc}")
                queue.clear()

    # Scrapy installs its own SIGINT and SIGTERM handlers when the process starts and does not
    # put the previous ones back: after the crawls, the run's resolve and report would go on
    # past a Ctrl-C or a scheduler's stop (the handler only asks a stopped reactor to stop).
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)} \
        if threading.current_thread() is threading.main_thread() else {}
    _stop_sending_at_once(process)
    _start_next()
    try:
        process.start()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
    if failures:
        raise RuntimeError("crawl failed: " + "; ".join(failures))
    if stopped:
        raise CrawlInterrupted("crawl interrupted (shutdown): " + ", ".join(stopped))
