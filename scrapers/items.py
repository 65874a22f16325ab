"""What spiders yield: a read page, or the reason something could not be read.

Dataclasses rather than ``scrapy.Item``: the page parsers already return validated pydantic
models (:class:`scrapers.pages.PageResult`), so an item only needs to carry them to the
store pipeline, which validates once more and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconcile.models import Source
from scrapers.pages import PageResult


@dataclass
class PageItem:
    """One fetched document, read into a Document and its Observations."""

    url: str
    result: PageResult


@dataclass
class RejectItem:
    """Input that could not be kept, with a one-line reason; becomes a ``rejects`` row.

    ``key`` names the reason in stats counters (``<source>/rejects/<key>``); when None the
    pipeline derives it from ``reason`` (:func:`scrapers.pipelines.reason_key`).
    """

    url: str | None
    source: Source | str | None
    reason: str
    excerpt: str | None = None
    key: str | None = None
    # True when a whole request came to nothing (no answer, an error status, a page that
    # cannot be read): the crawl's status counts these (``failed``, ``partial``).
    failed_request: bool = False
