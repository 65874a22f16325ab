"""The SQLite store: the only module that touches the database (through sqlite-utils).

Tables and columns are those of DESIGN.md. Documents and observations are append-only:
a document whose content hash is already stored is skipped with its observations, and
triggers refuse any UPDATE or DELETE of an observation, so history cannot be rewritten by
a bug either. Papers, links and discrepancies are derived by ``resolve`` and replaced per
paper inside one transaction. Beside the tables, the store keeps the views of
:mod:`reconcile.views` and a full-text index of papers (``papers_fts``), on new and old
databases alike.

The package, one module per job: :mod:`.connection` opens the file (errors, busy timeout,
transactions, the ``resolve`` lock), :mod:`.schema` makes and checks the tables,
:mod:`.rows` turns models into rows and back, :mod:`.crawls` crawls and rejects,
:mod:`.documents` documents, observations and sightings as they are stored,
:mod:`.observations` the reads of observations, :mod:`.papers` papers, links and
discrepancies, :mod:`.match_index` the matcher's blocking index, and :mod:`.unsaved` the batches a crawl
could not write, kept in a file beside the database. :class:`Store` is one
object made of their parts.
"""

from __future__ import annotations

from .connection import (ConnectionMixin, StoreError, busy_timeout, default_db_path, describe_sqlite_error,
                         no_database)
from .crawls import CrawlsMixin, crawl_process_gone, crawl_process_stats
from .documents import DocumentsMixin
from .match_index import MatchIndexMixin
from .observations import ObservationsMixin, PlacementRow
from .papers import PapersMixin, paper_rows
from .rows import BATCH_SIZE, upsert
from .schema import SchemaMixin, schema_version
from .unsaved import UnsavedMixin, WrittenBack, unsaved_folder, write_back


class Store(ConnectionMixin, SchemaMixin, CrawlsMixin, DocumentsMixin, ObservationsMixin, PapersMixin,
            MatchIndexMixin, UnsavedMixin):
    """A paper-reconcile database; creates its tables on open.

    ``read_only`` opens an existing database without writing to it (no schema upkeep), so a
    report works on a file in a read-only place; ``create=False`` refuses a path where no
    database is, instead of creating an empty one (a mistyped ``--db`` would otherwise
    report "0 papers"). Every way the file can be unusable raises :class:`StoreError` with
    a one-line reason.
    """


# The prepared upsert under its name before the split (tests/test_store.py imports it so).
_upsert = upsert


__all__ = ["BATCH_SIZE", "PlacementRow", "Store", "StoreError", "busy_timeout", "crawl_process_gone",
           "crawl_process_stats", "default_db_path", "describe_sqlite_error", "no_database", "paper_rows",
           "schema_version", "unsaved_folder", "write_back", "WrittenBack"]
