"""The store pipeline: validate what spiders yield, then write it through reconcile.store.

One ``crawls`` row per spider run: inserted when the spider opens (name, arguments, start
time) and finished when it closes (close reason as status, the crawl's stats). Documents
are buffered and written in batches (``RECONCILE_BATCH_SIZE``, one transaction each); a
document whose content hash is already stored is skipped with its observations, so
replaying the same recording twice adds nothing. Anything that does not validate becomes
a ``rejects`` row with the reason; a bad item never stops the crawl.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from scrapy import signals

from reconcile.models import (
    Crawl,
    Document,
    Observation,
    Reject,
    Source,
    TimeBasis,
    describe_validation_error,
    iso,
)
from reconcile.store import Store, crawl_process_stats, default_db_path, write_back
from scrapers.items import PageItem, RejectItem
from scrapers.pages import PageResult
from scrapers.storing import store_one_by_one

log = logging.getLogger(__name__)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def reason_key(reason: str) -> str:
    """A short stats key for a reject reason: ``item 3: missing paper.id`` ->
    ``missing_paper_id``, ``HTTP 404 for URL`` -> ``http_404``.

    Variable parts are dropped (item numbers, URLs, parenthesized details, quoted values)
    so that the same kind of failure lands in one counter; the first words of what is
    left name it. Two different reasons that start alike share a counter: the ``rejects``
    table keeps every full reason.
    """
    text = re.sub(r"^item \d+:\s*", "", reason.strip())
    status = re.match(r"HTTP (\d{3})\b", text)
    if status:
        return f"http_{status[1]}"
    if text.startswith("not in replay"):
        return "replay_miss"
    text = re.sub(r"\w+://\S+", " ", text)
    text = re.sub(r"\([^)]*\)|'[^']*'|\"[^\"]*\"", " ", text)
    key = ""
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len(key) + len(word) + 1 > 48:
            break
        key = f"{key}_{word}" if key else word
    return key or "unknown"


def json_safe(value: Any) -> Any:
    """``value`` with times as ISO 8601 UTC strings and anything else unusual as text,
    so Scrapy's stats (which hold datetimes) can be stored as JSON."""
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def spider_args(spider: Any) -> dict[str, Any]:
    """The spider's validated arguments (its ``args`` pydantic model or dict), as JSON."""
    args = getattr(spider, "args", None)
    if isinstance(args, BaseModel):
        return args.model_dump(mode="json", exclude_none=True)
    if isinstance(args, dict):
        return json_safe(args)
    return {}


def _source(value: Any) -> Source | None:
    try:
        return Source(value) if value is not None else None
    except ValueError:
        return None


def crawl_status(reason: str, store_failed: bool, stats: dict[str, Any]) -> str:
    """What a crawl's row says of it: ``failed`` when every request came to nothing (no
    page was read), ``partial`` when some did, or when a response could not be saved into
    the recording ``--record`` asked for (``record/error``: a full disk, a read-only
    folder), ``finished`` when neither happened; ``store_error`` when the database refused
    a write; Scrapy's close reason (``shutdown``, ...) when the crawl did not run to its end.

    Why a recording failure counts: the recording is part of what the crawl was asked to
    make, and an unattended run must not end ``finished`` (exit 0) without it."""
    if store_failed:
        return "store_error"
    if reason != "finished":
        return reason
    failed = stats.get("reconcile/requests/failed", 0)
    if failed and not stats.get("reconcile/pages/read", 0):
        return "failed"
    return "partial" if failed or stats.get("record/error", 0) else "finished"


class StorePipeline:
    """Validates PageItems and RejectItems and writes them to the SQLite store in batches."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = Path(crawler.settings.get("RECONCILE_DB") or default_db_path())
        self.batch_size = max(1, crawler.settings.getint("RECONCILE_BATCH_SIZE", 50))
        self.store: Store | None = None
        self.crawl_id: int | None = None
        self.documents: list[tuple[Document, list[Observation]]] = []
        self.rejects: list[Reject] = []
        self.store_failed = False
        self.crawl: Crawl | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        """Build the pipeline and listen for the spider's close reason."""
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    # -- lifecycle ------------------------------------------------------------------------
    def open_spider(self) -> None:
        """Open the store and insert this run's ``crawls`` row."""
        spider = self.crawler.spider
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.db_path)
        write_back(self.store)
        closed = self.store.close_dead_crawls(_utcnow())
        if closed:
            log.warning("%d earlier crawl(s) of %s were left running by a process that is gone: marked interrupted",
                        closed, self.db_path)
        crawl = Crawl(spider=spider.name, args=spider_args(spider), started_at=_utcnow(),
                      stats=crawl_process_stats())
        self.crawl_id = self.store.start_crawl(crawl)
        self.crawl = crawl.model_copy(update={"id": self.crawl_id})
        self.stats.set_value("reconcile/crawl_id", self.crawl_id)
        self.stats.set_value("reconcile/db", str(self.db_path))
        log.info("crawl %s of %s into %s", self.crawl_id, spider.name, self.db_path)

    def close_spider(self) -> None:
        """Write what is still buffered (retrying a failed write before giving up)."""
        self.flush(final=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Finish the ``crawls`` row with the close reason and the crawl's stats."""
        if self.store is None or self.crawl_id is None:
            return
        self.flush(final=True)
        if self.store_failed and self.stats.get_value("reconcile/store/unsaved"):
            # What close_spider kept beside the database: written now if the database is free.
            done = write_back(self.store)
            if done is not None and done.files:
                self.store_failed = False
                self.stats.inc_value("reconcile/store/recovered")
        status = crawl_status(reason, self.store_failed, self.stats.get_stats())
        stats = json_safe(self.stats.get_stats())
        stats.setdefault("finish_reason", reason)
        try:
            retries = self.crawler.settings.getint("RECONCILE_STORE_RETRIES", 5)
            for attempt in range(retries + 1):
                try:
                    self.store.finish_crawl(self.crawl_id, status=status, stats=stats, finished_at=_utcnow())
                    break
                except sqlite3.OperationalError as exc:  # locked by another process past the wait, a full disk
                    if attempt == retries:
                        # One line, not the signal handler's traceback: the command says
                        # what it means for the run (scrapers.run, exit 3).
                        log.error("could not record the end of crawl %s in %s (%s); it stays 'running' until "
                                  "the next crawl marks it interrupted", self.crawl_id, self.db_path, exc)
                        self.stats.set_value("reconcile/store/finish_error", str(exc))
                    else:
                        time.sleep(min(8.0, 0.25 * 2 ** attempt))
        finally:
            self.store.close()
            self.store = None

    # -- items ---------------------------------------------------------------------------
    def process_item(self, item: Any) -> Any:
        """Buffer a page's document and observations, or a reject; never raise on bad data."""
        if isinstance(item, PageItem):
            self._page(item)
        elif isinstance(item, RejectItem) and item.key == "not_modified":
            # A conditional re-fetch the server answered 304: the stored answer stands, as of
            # now (a day's list seen unchanged after its day ended is complete).
            self.stats.inc_value("reconcile/pages/read")
            self.stats.inc_value("reconcile/pages/not_modified")
            try:
                if item.url and self.store.add_sighting_of_url(item.url, _utcnow(), TimeBasis.RESPONSE,
                                                               self.crawl_id):
                    self.stats.inc_value("reconcile/pages/seen_again")
            except sqlite3.Error as exc:  # the time is lost, not the crawl: the stored answer stands
                log.warning("could not record that %s was seen again: %s", item.url, exc)
                self.stats.inc_value("reconcile/pages/seen_again_failed")
        elif isinstance(item, RejectItem):
            self._reject(item.url, _source(item.source), item.reason or "no reason given",
                         item.excerpt, item.key)
            if item.failed_request:
                self.stats.inc_value("reconcile/requests/failed")
        else:
            self._reject(None, None, f"unexpected item type {type(item).__name__}",
                         repr(item)[:300], "unexpected_item")
        if len(self.documents) >= self.batch_size or len(self.rejects) >= self.batch_size:
            self.flush()
        return item

    def _page(self, item: PageItem) -> None:
        result = item.result
        if not isinstance(result, PageResult):
            self._reject(item.url, None, f"page item without a PageResult "
                         f"(got {type(result).__name__})", None, "invalid_item")
            return
        raw = result.document
        source = _source(getattr(raw, "source", None))
        self.stats.inc_value("reconcile/pages/read")
        try:
            document = Document.model_validate(
                raw.model_dump() if isinstance(raw, BaseModel) else raw)
        except ValidationError as exc:
            self._reject(item.url, source, describe_validation_error(exc, "document"),
                         None, "invalid_document")
            return
        observations = []
        for obs in result.observations:
            try:
                observations.append(Observation.model_validate(
                    obs.model_dump() if isinstance(obs, BaseModel) else obs))
            except ValidationError as exc:
                self._reject(item.url, document.source,
                             describe_validation_error(exc, "observation"),
                             None, "invalid_observation")
        self.documents.append((document, observations))

    def _reject(self, url: str | None, source: Source | None, reason: str,
                excerpt: str | None, key: str | None) -> None:
        reason = " ".join(reason.split())  # one line
        self.rejects.append(Reject(crawl_id=self.crawl_id, url=url, source=source,
                                   reason=reason, excerpt=excerpt, at=_utcnow()))
        prefix = source.value if source else "unknown"
        self.stats.inc_value(f"{prefix}/rejects/{key or reason_key(reason)}")

    # -- writing -------------------------------------------------------------------------
    def flush(self, final: bool = False) -> None:
        """Write buffered documents, observations and rejects (one transaction each).

        A write that fails (the database locked by another process past its busy timeout,
        a full disk) keeps its batch in the buffer: during the crawl the next flush tries
        again; the final flush retries ``RECONCILE_STORE_RETRIES`` times with a doubling
        wait before it gives up, and only then is the crawl marked ``store_error`` (which
        ``crawl`` and ``run`` report with exit 3). Data is never dropped silently."""
        if self.store is None or (not self.documents and not self.rejects):
            return
        retries = self.crawler.settings.getint("RECONCILE_STORE_RETRIES", 5) if final else 0
        for attempt in range(retries + 1):
            if self._write_buffer():
                if self.store_failed:
                    # An earlier final flush gave up (close_spider), and this one (spider_closed)
                    # wrote what it kept: nothing was lost, and the row must not say so.
                    self.store_failed = False
                    self.stats.inc_value("reconcile/store/recovered")
                    log.warning("wrote the documents kept after the failed write to %s: nothing was lost",
                                self.db_path)
                return
            if attempt < retries:
                time.sleep(min(8.0, 0.25 * 2 ** attempt))
        if final:
            self.store_failed = True
            self.stats.inc_value("reconcile/store/error")
            self._keep_unsaved()

    def _keep_unsaved(self) -> None:
        """Keep what the database refused for good in a file beside it, which the next
        command writing to the database writes back (:mod:`reconcile.store.unsaved`); the
        pages are fetched already, and fetching them again is another capture."""
        what = f"{len(self.documents)} documents and {len(self.rejects)} rejects"
        try:
            kept = self.store.keep_unsaved(self.crawl, self.documents, self.rejects)
        except OSError as exc:
            log.error("could not write %s to %s, nor keep them beside it (%s); the crawl is marked "
                      "store_error", what, self.db_path, exc)
            return
        self.stats.set_value("reconcile/store/unsaved", str(kept))
        log.error("could not write %s to %s; kept them in %s, which the next crawl, run, ingest or "
                  "resolve into it writes back; the crawl is marked store_error", what, self.db_path, kept)
        self.documents, self.rejects = [], []

    def _write_buffer(self) -> bool:
        """Write what is buffered; True when all of it was written. What could not be
        written stays buffered."""
        documents, rejects = self.documents, self.rejects
        self.documents, self.rejects = [], []
        try:
            ids = self.store.add_documents(documents, self.crawl_id) if documents else []
        except sqlite3.OperationalError as exc:  # the database's failure (locked, full), not the data's
            self.documents, self.rejects = documents + self.documents, rejects + self.rejects
            self.stats.inc_value("reconcile/store/retry")
            log.warning("writing %d documents to %s failed (%s: %s); kept to try again",
                        len(documents), self.db_path, type(exc).__name__, exc)
            return False
        except Exception as exc:  # noqa: BLE001 - a value the database cannot take
            log.warning("writing %d documents to %s failed (%s: %s); writing them one by one",
                        len(documents), self.db_path, type(exc).__name__, exc)
            written, stored, ids, refused = self._one_by_one(documents)
            rejects = rejects + refused
            if written < len(documents):  # the database failed meanwhile: keep the rest
                self.documents = documents[written:] + self.documents
                self.rejects = rejects + self.rejects
                self._count(stored, ids)
                return False
            documents = stored
        try:
            self.store.add_rejects(rejects)
        except Exception as exc:  # noqa: BLE001
            self.rejects = rejects + self.rejects
            self.stats.inc_value("reconcile/store/retry")
            log.warning("writing %d rejects to %s failed (%s: %s); kept to try again",
                        len(rejects), self.db_path, type(exc).__name__, exc)
            self._count(documents, ids)
            return False
        self._count(documents, ids)
        return True

    def _one_by_one(self, documents: list) -> tuple[int, list, list, list[Reject]]:
        """Write ``documents`` one transaction each, after a batch failed on its data
        (:func:`scrapers.storing.store_one_by_one`), counting each document refused."""
        written, stored, ids, refused = store_one_by_one(self.store, documents, self.crawl_id, _utcnow())
        for reject in refused:
            self.stats.inc_value(f"{reject.source.value}/rejects/store_refused")
            self.stats.inc_value("reconcile/requests/failed")
        return written, stored, ids, refused

    def _count(self, documents: list, ids: list) -> None:
        for (document, observations), doc_id in zip(documents, ids):
            source = document.source.value
            event = "stored" if doc_id is not None else "duplicate"
            self.stats.inc_value(f"{source}/documents/{event}")
            self.stats.inc_value(f"{source}/observations/{event}", len(observations))
