"""Documents and their observations, stored once per address and content, and the later
sightings of a stored document that was fetched again unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from reconcile.models import Document, Observation, TimeBasis, iso

from .rows import BATCH_SIZE, CAPTURES, chunks, from_row, placeholders, to_row




class DocumentsMixin:
    """Writing documents with their observations, and reading documents, in a
    :class:`~reconcile.store.Store`."""

    def known_documents(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """The subset of ``keys`` (url, sha256) whose documents are already stored: a
        document is its content at its address, so the same bytes at two addresses (two
        empty days of a list) are two documents."""
        keys = sorted(set(keys))
        hashes = sorted({sha for _, sha in keys})
        found: set[tuple[str, str]] = set()
        for chunk in chunks(hashes):
            marks = placeholders(chunk)
            found.update((url, sha) for url, sha in self.db.execute(
                f"select url, sha256 from documents where sha256 in ({marks})", chunk).fetchall())
        return found & set(keys)

    def add_documents(
        self, batch: Sequence[tuple[Document, Sequence[Observation]]], crawl_id: int | None = None
    ) -> list[int | None]:
        """Store documents with their observations in one transaction.

        Returns each document's new id, or None where a document with the same address and
        content hash was already stored (or appears earlier in the same batch): its
        observations are not added again. Each observation takes its document's id, crawl,
        ``observed_at``.
        """
        known = self.known_documents((doc.url, doc.sha256) for doc, _ in batch)
        ids: list[int | None] = []
        obs_rows: list[dict[str, Any]] = []
        with self._write():
            for document, observations in batch:
                if (document.url, document.sha256) in known:
                    ids.append(None)
                    self._sighted(document, crawl_id if crawl_id is not None else document.crawl_id)
                    continue
                known.add((document.url, document.sha256))
                row = to_row(document, "documents")
                row["crawl_id"] = crawl_id if crawl_id is not None else document.crawl_id
                row.pop("id", None)
                doc_id = self.db["documents"].insert(row).last_pk
                ids.append(doc_id)
                for obs in observations:
                    orow = to_row(obs, "observations")
                    orow.pop("id", None)
                    orow.update(document_id=doc_id, crawl_id=crawl_id,
                                observed_at=iso(document.observed_at),
                                observed_at_basis=document.observed_at_basis.value)
                    obs_rows.append(orow)
            if obs_rows:
                self.db["observations"].insert_all(obs_rows, batch_size=BATCH_SIZE)
        return ids

    def _sighted(self, document: Document, crawl_id: int | None) -> None:
        """Record that a stored document (same address, same content) was seen again, at a
        capture time not stored of it yet (:meth:`add_sighting`)."""
        row = self.db.execute("select id from documents where url = ? and sha256 = ?",
                              [document.url, document.sha256]).fetchone()
        if row is not None:
            self.add_sighting(row[0], document.observed_at, document.observed_at_basis, crawl_id)

    def add_sighting(self, document_id: int, observed_at: dt.datetime, basis: TimeBasis,
                     crawl_id: int | None = None) -> bool:
        """Record that document ``document_id`` was seen again, unchanged, at ``observed_at``
        (a capture time: a file's or a publication time says nothing new), when no capture of
        it at that time is stored; returns whether it was recorded. The papers listed on the
        document's days (and the day after) are marked for checking again: a list seen whole
        after its day ended can make a paper another list carries missing.

        Why: a day's list fetched during the day and again after it ended, unchanged, was
        dropped as a duplicate, so the list stayed partial for good and ``missing`` never
        looked at the day, while a database that had only the later fetch did: the same
        lists gave two answers. A capture earlier than the stored ones (the evening's file
        ingested after the night's) is kept as well: it was dropped, and what a database
        knew of when a list stood depended on the order its files came in. (Readers of the
        sightings take the latest that is later than the document's own time.)"""
        if not basis.is_capture:
            return False
        when = iso(observed_at)
        stored = self.db.execute(
            "select 1 from documents where id = ? and observed_at = ? and observed_at_basis in "
            f"({placeholders(CAPTURES)}) union all select 1 from sightings where document_id = ? and observed_at = ?",
            [document_id, when, *CAPTURES, document_id, when]).fetchone()
        if stored is not None:
            return False
        with self._write():
            self.db["sightings"].insert({"document_id": document_id, "observed_at": when,
                                         "observed_at_basis": basis.value, "crawl_id": crawl_id},
                                        ignore=True)
            days = [r[0] for r in self.db.execute(
                "select distinct listed_on from observations where document_id = ? and listed_on is not null",
                [document_id]).fetchall()]
            near = {d for day in days for d in (day, (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat())}
            self.add_pending(self.papers_listed_on(near))
        return True

    def add_sighting_of_url(self, url: str, observed_at: dt.datetime, basis: TimeBasis,
                            crawl_id: int | None = None) -> bool:
        """:meth:`add_sighting` of the latest stored document of ``url`` (a 304 answer to a
        conditional request says that document stands)."""
        row = self.db.execute("select id from documents where url = ? order by observed_at desc, id desc limit 1",
                              [url]).fetchone()
        return row is not None and self.add_sighting(row[0], observed_at, basis, crawl_id)

    def latest_sightings(self, document_ids: Iterable[int]) -> dict[int, tuple[dt.datetime, TimeBasis]]:
        """Each document's latest capture when it was seen again unchanged (:meth:`add_sighting`)."""
        found: dict[int, tuple[dt.datetime, TimeBasis]] = {}
        for chunk in chunks(sorted(set(document_ids))):
            for doc_id, when, basis in self.db.execute(
                    f"select document_id, observed_at, observed_at_basis from sightings where document_id in "
                    f"({placeholders(chunk)}) order by document_id, observed_at", chunk).fetchall():
                found[doc_id] = (dt.datetime.fromisoformat(when.replace("Z", "+00:00")), TimeBasis(basis))
        return found

    def documents(self, ids: Iterable[int] | None = None) -> dict[int, Document]:
        """Documents by id (all of them when ``ids`` is None)."""
        if ids is None:
            rows = self.db.execute_returning_dicts("select * from documents")
        else:
            rows = self._rows_in("documents", "id", list(set(ids)))
        result = {}
        for row in rows:
            row = from_row(self._known(row, "documents"), "documents")
            result[row["id"]] = Document.model_validate(row)
        return result
