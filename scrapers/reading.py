"""The one way a document is read: a response or a saved file in, a reading out.

:func:`read_document` (bytes at an address) and :func:`read_path` (a saved file) are what
``reconcile ingest``, every crawl callback and the tests call. They never raise for a bad
document: whatever goes wrong while reading one document (an impossible date, a parser bug,
a file that vanished, markup nested past recursion) becomes that document's refusal with a
one-line reason and the start of its text, and nothing else is lost. Items a parser skipped
inside a good document are refusals too, beside the document that is kept.

Only ``KeyboardInterrupt`` and ``SystemExit`` pass through: a person stopping the run is not
a bad document.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reconcile.models import Reject, Source

from .pages import PageError, PageResult, read_page

log = logging.getLogger(__name__)

EXCERPT = 300  # characters of a body kept with a refusal
REASON = 300  # characters of an unexpected error's message kept in a reason


@dataclass(frozen=True)
class Refusal:
    """Something that could not be kept: the whole document (``whole``) or one item of it.

    ``url`` is the item's own address when the problem names one (an arXiv id an answer left
    out), else the document's; ``key`` names the reason in crawl stats when the reader knows
    a better name than the reason's first words.
    """

    url: str
    reason: str
    excerpt: str | None = None
    key: str | None = None
    whole: bool = False

    def to_reject(self, source: Source | None, at: dt.datetime, crawl_id: int | None = None) -> Reject:
        """This refusal as a ``rejects`` row."""
        return Reject(url=self.url, source=source, reason=self.reason, excerpt=self.excerpt, at=at,
                      crawl_id=crawl_id)


@dataclass
class Reading:
    """What reading one document gave: its result (None when nothing could be kept) and
    its refusals (one ``whole`` refusal when the result is None)."""

    url: str
    result: PageResult | None
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def source(self) -> Source | None:
        """The source the document was read as, when it was read."""
        return self.result.document.source if self.result is not None else None


def _one_line(text: str, limit: int = REASON) -> str:
    return " ".join(text.split())[:limit]


def excerpt_of(body: bytes | None) -> str | None:
    """The start of a body as text, for a reject's ``excerpt``; None when empty."""
    return body[:EXCERPT].decode("utf-8", "replace") or None if body else None


def refusal_of(url: str, exc: BaseException, body: bytes | None = None) -> Refusal:
    """The refusal for an error raised while reading the document at ``url``.

    ``PageError`` carries a reason made for people; an ``OSError`` (a saved file that could
    not be read) its own message; anything else is a reader bug, named by its type and
    message so that the row says what to fix, and logged with its traceback at debug level.
    """
    if isinstance(exc, PageError):
        return Refusal(url, _one_line(exc.reason, 500), exc.excerpt or excerpt_of(body), exc.key, whole=True)
    if isinstance(exc, OSError):
        return Refusal(url, _one_line(exc.strerror or str(exc) or type(exc).__name__), whole=True)
    log.debug("reader error on %s", url, exc_info=exc)
    return Refusal(url, _one_line(f"reader error {type(exc).__name__}: {exc}"), excerpt_of(body),
                   "parser_error", whole=True)


def _with_problems(url: str, result: PageResult) -> Reading:
    refusals = [Refusal(p.url or url, p.reason, p.excerpt,
                        "id_not_found" if p.url is not None and p.url != url else None)
                for p in result.problems]
    return Reading(url, result, refusals)


def read_document(url: str, body: bytes, headers: Mapping[str, str] | None = None, **options) -> Reading:
    """Read the document ``body`` found at ``url``; never raises for a bad document.

    ``options`` are those of :func:`scrapers.pages.read_page` (``source``, ``format_name``,
    ``site``, ``fetched_at``, ``given_at``, ``mtime``, ``fallback_site``, ``rules``).
    """
    try:
        result = read_page(url, body, headers, **options)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - one document's failure is its own refusal
        return Reading(url, None, [refusal_of(url, exc, body)])
    return _with_problems(url, result)


def read_path(path: Path, **options) -> Reading:
    """Read one saved file (:func:`scrapers.files.read_file`); never raises for a bad file.

    ``options`` are those of ``read_file`` (``source``, ``site``, ``given_at``, ``sites``).
    """
    from .files import read_file

    try:
        url = path.resolve().as_uri() if path.exists() else path.absolute().as_uri()
    except (OSError, RuntimeError, ValueError):  # a symbolic link loop
        url = path.absolute().as_uri()
    try:
        result = read_file(path, **options)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - one file's failure is its own refusal
        return Reading(url, None, [refusal_of(url, exc)])
    return _with_problems(url, result)
