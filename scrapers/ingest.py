"""``reconcile ingest`` as a library: saved files in, documents, observations and rejects out.

Every file is read by :func:`scrapers.reading.read_path`, the reader the crawls use too, so a
file that cannot be read is one ``rejects`` row and every other file is kept. Documents are
written in batches of :data:`BATCH_FILES`, each batch with its rejects in one transaction: a
run that is killed keeps the batches it finished, and running it again adds what is missing
(a stored document is known by its address and content, a stored reject by its reason).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reconcile.models import Reject, Source
from reconcile.store import Store, unsaved_folder

from .files import address_refusal, iter_input_files
from .reading import Reading, Refusal, read_path
from .sites import load_sites
from .storing import store_one_by_one

#: Files read before their documents are written in one transaction.
BATCH_FILES = 200


@dataclass
class IngestSummary:
    """What an ingest did: documents stored, already stored, observations stored, files
    refused, and per format the documents and observations stored (not those already
    stored: they sum to ``stored`` and ``observations``)."""

    stored: int = 0
    duplicates: int = 0
    observations: int = 0
    failed: int = 0
    formats: dict[str, list[int]] = field(default_factory=dict)
    #: The folders named that hold no file to read (empty, or only hidden or excluded files).
    empty: list[str] = field(default_factory=list)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def ingest_paths(store: Store, paths: list[str], *, source: Source | None = None, site: str | None = None,
                 given_at: dt.datetime | None = None, sites_path: str | None = None,
                 exclude: tuple[str, ...] = (), tick: Callable[[], None] | None = None,
                 said: Callable[[Path | str, Reading], None] | None = None) -> IngestSummary:
    """Ingest files or folders into ``store``.

    Files of a site configured in the sites file (``sites_path``, else the bundled one) are
    read by that site's rules: the site ``site`` names, or the one whose ``files`` match.
    ``exclude`` are glob patterns of files to leave out of folders; ``tick`` is called once
    per file (a progress bar), ``said`` with every reading that refused something, so a
    command line can name it. An address that is no file (``http://...``) is refused as a
    file that cannot be read; a folder with nothing to read is named in ``empty``. Raises ``ValueError`` for a sites file that cannot be read.
    """
    sites = load_sites(sites_path)
    summary = IngestSummary()
    batch: list[Reading] = []
    where: dict[str, Path] = {}  # a document's address -> the file it was read from

    def flush() -> None:
        results = [r.result for r in batch if r.result is not None]
        at = _now()
        rejects: list[Reject] = [f.to_reject(r.source or source, at) for r in batch for f in r.refusals]
        pairs = [(res.document, res.observations) for res in results]
        try:
            with store.transaction():
                ids = store.add_documents(pairs)
                store.add_rejects(rejects)
        except sqlite3.OperationalError:
            raise  # the database's failure (locked, full): the command says so
        except Exception:  # noqa: BLE001 - a value the database cannot take: find whose
            written, stored, ids, refused = store_one_by_one(store, pairs, None, at)
            if written < len(pairs):
                raise sqlite3.OperationalError("the database failed while writing documents one by one") from None
            kept = {id(doc) for doc, _ in stored}
            results = [res for res in results if id(res.document) in kept]
            summary.failed += len(refused)
            for reject in refused:
                if said is not None:
                    said(where.get(reject.url, Path(reject.url)),
                         Reading(reject.url, None, [Refusal(reject.url, reject.reason, whole=True)]))
            with store.transaction():
                store.add_rejects(rejects + refused)
        for res, doc_id in zip(results, ids):
            if doc_id is None:
                summary.duplicates += 1
            else:
                summary.stored += 1
                summary.observations += len(res.observations)
                counts = summary.formats.setdefault(res.document.format, [0, 0])
                counts[0] += 1
                counts[1] += len(res.observations)
        batch.clear()
        where.clear()

    # The database itself and its SQLite sidecars, when a folder being read holds them
    # ("reconcile ingest . --db papers.db"), are the tool's own files, not input.
    own = {store.path.resolve().with_name(store.path.name + suffix)
           for suffix in ("", "-wal", "-shm", "-journal", ".resolve.lock")}
    kept = unsaved_folder(store.path).resolve()  # batches a crawl could not write: not input

    def inputs():
        """Each file to read, or the refusal of an address that names none (a web address)."""
        for arg in paths:
            refused = address_refusal(arg)
            if refused is not None:
                yield arg, Reading(arg, None, [Refusal(arg, refused, whole=True)])
                continue
            found = False
            for path in iter_input_files([arg], exclude):
                try:
                    resolved = path.resolve()
                    mine = (resolved in own or resolved.parent == kept) and str(path) not in paths
                except (OSError, RuntimeError):  # a symbolic link loop: read_path refuses it
                    mine = False
                if not mine:
                    found = True
                    yield path, None
            if not found:
                summary.empty.append(arg)

    for path, reading in inputs():
        if tick is not None:
            tick()
        if reading is None:
            reading = read_path(path, source=source, site=site, given_at=given_at, sites=sites)
        if reading.refusals and said is not None:
            said(path, reading)
        if reading.result is None:
            summary.failed += 1
        batch.append(reading)
        if reading.result is not None:
            where[reading.result.document.url] = path
        if len(batch) >= BATCH_FILES:
            flush()
    flush()
    return summary
