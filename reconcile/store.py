"""The SQLite store: the only module that touches the database (through sqlite-utils).

Tables and columns are those of DESIGN.md. Documents and observations are append-only:
a document whose content hash is already stored is skipped with its observations, and
triggers refuse any UPDATE or DELETE of an observation, so history cannot be rewritten by
a bug either. Papers, links and discrepancies are derived by ``resolve`` and replaced per
paper inside one transaction. Beside the tables, the store keeps the views of
:mod:`reconcile.views` and a full-text index of papers (``papers_fts``), on new and old
databases alike.
"""

from __future__ import annotations

import datetime as dt
import contextlib
import hashlib
import json
import logging
import os
import socket
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, NamedTuple

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

import sqlite_utils

from reconcile.models import (
    Crawl,
    Discrepancy,
    Document,
    Link,
    LinkRow,
    Observation,
    Source,
    Paper,
    Reject,
    Severity,
    TimeBasis,
    iso,
)
from reconcile.views import FTS_COLUMNS, FTS_TABLE, FTS_TOKENIZE, VIEWS

log = logging.getLogger(__name__)

BATCH_SIZE = 500

_SCHEMA: dict[str, dict[str, Any]] = {
    "crawls": {
        "columns": {"id": int, "spider": str, "args": str, "started_at": str, "finished_at": str,
                    "status": str, "stats": str},
        "pk": "id", "not_null": {"spider", "started_at", "status"},
        "indexes": [["spider"]],
    },
    "documents": {
        "columns": {"id": int, "url": str, "source": str, "site": str, "format": str,
                    "observed_at": str, "observed_at_basis": str, "sha256": str,
                    "content_type": str, "encoding": str, "mojibake": int, "repair": str,
                    "repair_sample": str, "replacement_chars": int, "crawl_id": int, "etag": str,
                    "last_modified": str},
        "pk": "id", "not_null": {"url", "source", "observed_at", "observed_at_basis", "sha256"},
        "foreign_keys": [("crawl_id", "crawls", "id")],
        "indexes": [["source"], ["observed_at"], ["url"], ["sha256"]],
        "unique": [["url", "sha256"]],
    },
    # A stored document fetched again with the same content (or a 304 to a conditional
    # request): no new version row, but the later time it was seen, which can prove a day's
    # list complete (Store.add_sighting, reconcile.checks.missing).
    "sightings": {
        "columns": {"document_id": int, "observed_at": str, "observed_at_basis": str, "crawl_id": int},
        "pk": ("document_id", "observed_at"), "not_null": {"observed_at", "observed_at_basis"},
        "foreign_keys": [("document_id", "documents", "id"), ("crawl_id", "crawls", "id")],
    },
    "observations": {
        "columns": {"id": int, "document_id": int, "crawl_id": int, "source": str, "site": str,
                    "url": str, "observed_at": str, "observed_at_basis": str, "arxiv_id": str, "arxiv_version": int,
                    "title": str, "authors": str, "authors_total": int, "abstract": str,
                    "summary": str, "published": str, "listed_on": str, "upvotes": int,
                    "comments": int, "rank": int, "organization": str, "extra": str},
        "pk": "id", "not_null": {"document_id", "source", "observed_at"},
        "foreign_keys": [("document_id", "documents", "id"), ("crawl_id", "crawls", "id")],
        "indexes": [["document_id"], ["arxiv_id"], ["listed_on"], ["source", "site"]],
    },
    "papers": {
        "columns": {"id": str, "arxiv_id": str, "title": str, "authors": str, "abstract": str,
                    "published": str, "upvotes": int, "upvotes_observed_at": str,
                    "comments": int, "organization": str, "summary": str, "rank": int,
                    "sources": str, "provenance": str},
        "pk": "id", "not_null": set(),
        "indexes": [["arxiv_id"]],
    },
    "links": {
        "columns": {"observation_id": int, "paper_id": str, "method": str, "score": float,
                    "detail": str},
        "pk": "observation_id", "not_null": {"paper_id", "method", "score"},
        "foreign_keys": [("observation_id", "observations", "id")],
        "indexes": [["paper_id"]],
    },
    "discrepancies": {
        "columns": {"id": str, "paper_id": str, "document_id": int, "observation_id": int,
                    "kind": str, "field": str, "severity": str, "values": str, "detail": str},
        "pk": "id", "not_null": {"paper_id", "kind", "severity", "detail"},
        "indexes": [["paper_id"], ["kind"], ["severity"]],
    },
    "acknowledged": {
        "columns": {"id": str, "severity": str, "note": str, "at": str},
        "pk": "id", "not_null": {"severity", "at"},
    },
    "pending_checks": {
        "columns": {"paper_id": str},
        "pk": "paper_id", "not_null": set(),
    },
    "rejects": {
        "columns": {"id": int, "crawl_id": int, "url": str, "source": str, "reason": str,
                    "excerpt": str, "at": str},
        "pk": "id", "not_null": {"reason", "at"},
        "foreign_keys": [("crawl_id", "crawls", "id")],
        "indexes": [["crawl_id"], ["source", "url"]],
    },
    # The matcher's blocking index (reconcile.match.index_entries), kept in step with
    # papers, so a run looks up what its new observations need instead of reading every paper.
    "match_papers": {
        "columns": {"paper_id": str, "title": str, "key": str, "published": str, "authors": str,
                    "blocks": str, "days": str},
        "pk": "paper_id", "not_null": set(),
    },
    "match_blocks": {
        "columns": {"kind": str, "value": str, "paper_id": str},
        # No index by paper: a paper's blocks are deleted by their keys, which its row in
        # match_papers lists (Store._unindex). An index by paper cost more than the blocks'
        # own key to keep: the 678,551 blocks of 100k observations, inserted at once in key
        # order, took 6 s with it and 2.3 s without.
        "pk": ("kind", "value", "paper_id"), "not_null": set(),
    },
    "match_meta": {
        "columns": {"name": str, "value": str},
        "pk": "name", "not_null": set(),
    },
}

_JSON_COLUMNS = {
    "observations": ("authors", "extra"),
    "papers": ("authors", "sources", "provenance"),
    "discrepancies": ("values",),
    "crawls": ("args", "stats"),
    "documents": ("repair_sample",),
}

# The bases of a time that say when a document was seen (TimeBasis.is_capture), as stored.
_CAPTURES = tuple(b.value for b in TimeBasis if b.is_capture)

# Columns an earlier version made that this one no longer uses: a database that has them is
# an older one, not another version's (the matcher's index once filed DOIs in a column).
_RETIRED_COLUMNS = {("match_papers", "doi")}


def schema_version() -> int:
    """A fingerprint of the schema this code makes (tables, views, triggers, full-text
    index), stored in ``PRAGMA user_version``: a database whose version matches needs no
    upkeep, so opening it takes no write lock; any change to the schema changes it, with no
    number to remember to bump. A positive 28-bit integer. Computed when a store opens, not
    at import."""
    text = json.dumps({"tables": {k: {**v, "columns": {c: t.__name__ for c, t in v["columns"].items()},
                                      "not_null": sorted(v["not_null"])} for k, v in _SCHEMA.items()},
                       "views": VIEWS, "triggers": _IMMUTABLE, "fts": [FTS_TABLE, FTS_COLUMNS, FTS_TOKENIZE]},
                      sort_keys=True, default=str)
    return int(hashlib.sha256(text.encode()).hexdigest()[:7], 16) + 1


_IMMUTABLE = """
CREATE TRIGGER IF NOT EXISTS observations_no_update BEFORE UPDATE ON observations
BEGIN SELECT RAISE(ABORT, 'observations are append-only'); END;
CREATE TRIGGER IF NOT EXISTS observations_no_delete BEFORE DELETE ON observations
BEGIN SELECT RAISE(ABORT, 'observations are append-only'); END;
"""



def describe_sqlite_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    """SQLite's complaint about ``path`` as one line a person can act on."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "not a database" in text or "malformed" in text:
        return f"{path} is not an SQLite database ({text})"
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another process ({text}); try again when it is done"
    if "readonly" in text or "read-only" in text:
        return f"cannot write to {path} ({text})"
    if "full" in text:  # SQLITE_FULL: the database's disk, or the one of SQLite's temporary files
        return (f"cannot write to {path} ({text}): the disk that holds it, or SQLite's temporary folder "
                "($SQLITE_TMPDIR, else $TMPDIR, else /tmp), has no room left; free some and run again")
    if "unable to open" in text:
        return f"cannot open {path} ({text}): check that it can be read and written"
    return f"cannot use {path}: {text}"


def default_db_path() -> Path:
    """``$RECONCILE_DB``, else ``papers.db`` in the working directory."""
    return Path(os.environ.get("RECONCILE_DB") or "papers.db")


_TIME_FIELDS = ("observed_at", "started_at", "finished_at", "at", "upvotes_observed_at")


# A lone surrogate (JSON's "\udc80", a string cut inside an emoji by JavaScript; a file
# name's undecodable byte) is no text SQLite can store: written as U+FFFD, the row is kept.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    return text if text.isascii() or not _SURROGATE.search(text) else _SURROGATE.sub("\ufffd", text)


def _to_row(model: Any, table: str) -> dict[str, Any]:
    row = model.model_dump(mode="json")
    for key, value in list(row.items()):
        if isinstance(value, (list, dict)):
            row[key] = _storable(json.dumps(value, ensure_ascii=False, sort_keys=True))
        elif isinstance(value, bool):
            row[key] = int(value)
        elif isinstance(value, str):
            row[key] = _storable(value)
    for key in _TIME_FIELDS:
        # Only the model's own fields: ``getattr`` of a name a pydantic model lacks raises
        # inside it, which was a third of this function's time.
        if key in row and (value := getattr(model, key)) is not None:
            row[key] = iso(value)
    return {k: v for k, v in row.items() if k in _SCHEMA[table]["columns"]}


class PlacementRow(NamedTuple):
    """An observation as placing reads it (:mod:`reconcile.match`, :mod:`reconcile.resolve`):
    the columns it needs, under an observation's attribute names, in a plain tuple. Not the
    abstract, summary or counts, which only merging and checking need.

    Why not an :class:`Observation`: a first run reads every observation, and validating
    them again took 29 µs and 2.4 KB each (measured at 10k; about 30 s at a million). They
    are not validated again because the store wrote each row from a validated observation
    (dates as ISO days, lists and objects as JSON); merging and checking still read whole,
    validated observations."""

    id: int
    document_id: int | None
    source: Source
    site: str | None
    url: str | None
    arxiv_id: str | None
    arxiv_version: int | None
    title: str | None
    authors: list[str]
    published: dt.date | None
    listed_on: dt.date | None
    extra: dict[str, Any]


def crawl_process_stats() -> dict[str, Any]:
    """What a crawl's row says of its process while it runs: pid and host, so that a row
    left ``running`` by a killed process can be told from a crawl still at work."""
    return {"reconcile/pid": os.getpid(), "reconcile/host": socket.gethostname()}


def crawl_process_gone(stats: dict[str, Any]) -> bool:
    """Whether the process a ``running`` crawl's row names (:func:`crawl_process_stats`)
    is gone: on this host, with no such pid. A row from another host, or from a version
    that did not record its process, is not judged (False)."""
    pid = stats.get("reconcile/pid")
    if stats.get("reconcile/host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def paper_rows(papers: Sequence[Paper], discrepancies: dict[str, list[Discrepancy]]
               ) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The rows :meth:`Store.save_paper_rows` writes for these papers and findings."""
    return ([_to_row(p, "papers") for p in papers],
            {pid: [_to_row(d, "discrepancies") for d in found] for pid, found in discrepancies.items()})


def _upsert(conn: sqlite3.Connection, table: str, rows: Sequence[dict[str, Any]], pk: str) -> None:
    """Insert rows, or update the columns they carry where their key exists: one prepared
    statement for all of them. sqlite-utils' ``insert_all`` and ``upsert_all`` build and
    check every batch's query in Python; with them, writing was a fifth of a 10k resolve
    under the profiler."""
    if not rows:
        return
    columns = list(rows[0])
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError(f"rows for {table} do not all have the same columns")
    names = ", ".join(f"[{c}]" for c in columns)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk)
    conn.executemany(f"insert into [{table}] ({names}) values ({', '.join('?' * len(columns))}) "
                     f"on conflict([{pk}]) do update set {updates}",
                     [tuple(row[c] for c in columns) for row in rows])  # by name: key order may differ


def _from_row(row: dict[str, Any], table: str) -> dict[str, Any]:
    row = dict(row)
    for key in _JSON_COLUMNS.get(table, ()):
        if row.get(key) is not None:
            row[key] = json.loads(row[key])
    return row


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``values`` in slices of :data:`BATCH_SIZE`: SQLite limits the parameters of a query."""
    for start in range(0, len(values), BATCH_SIZE):
        yield values[start:start + BATCH_SIZE]


def _marks(chunk: Sequence[Any]) -> str:
    """The ``?, ?, ...`` of an ``IN (...)`` over ``chunk``."""
    return ",".join("?" * len(chunk))


class StoreError(Exception):
    """A database that cannot be used, in one line: missing, not a database, locked,
    unreadable or unwritable."""


def busy_timeout() -> float:
    """Seconds a writer waits for another process's write lock before giving up with a
    StoreError: ``$RECONCILE_BUSY_TIMEOUT``, else 30. Why 30: every write transaction is
    short (a batch of documents, a chunk of papers), so a wait this long only ends in an
    error when another process holds the database for good, and a scheduled crawl would
    rather wait than fail. Read when a store connects, so a process can change it."""
    try:
        return max(0.0, float(os.environ.get("RECONCILE_BUSY_TIMEOUT") or 30))
    except ValueError:
        return 30.0



class Store:
    """A paper-reconcile database; creates its tables on open.

    ``read_only`` opens an existing database without writing to it (no schema upkeep), so a
    report works on a file in a read-only place; ``create=False`` refuses a path where no
    database is, instead of creating an empty one (a mistyped ``--db`` would otherwise
    report "0 papers"). Every way the file can be unusable raises :class:`StoreError` with
    a one-line reason.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True) -> None:
        self.path = Path(path)
        self.read_only = read_only
        exists = self.path.is_file()
        if self.path.exists() and not exists:
            raise StoreError(f"{self.path} is not a file")
        if not exists and (read_only or not create):
            raise StoreError(f"no database at {self.path}: run `reconcile ingest` or `reconcile crawl` first")
        if not exists and not self.path.parent.is_dir():
            raise StoreError(f"cannot create a database at {self.path}: the folder {self.path.parent} does not exist")
        try:
            self.db = sqlite_utils.Database(self._connect())
            self.db.execute("select count(*) from sqlite_master").fetchone()
            if exists and not self.db["discrepancies"].exists() and (self.db.table_names() or read_only or not create):
                raise StoreError(f"{self.path} is an SQLite database, but not one of paper-reconcile's")
            self._check_columns()
            if read_only:
                return
            self.db.execute("PRAGMA foreign_keys = ON")
            self.ensure_schema()
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(describe_sqlite_error(self.path, exc)) from None

    def _connect(self) -> sqlite3.Connection:
        """A connection that waits :func:`busy_timeout` for another process's lock.

        The database is in WAL mode (set by the first writable open), so readers and one
        writer work side by side. A read-only open of a WAL database needs its ``-shm``
        file; in a folder it cannot write to, where that file cannot be made, the database
        is opened ``immutable`` instead (nobody can be writing it there either).
        """
        if not self.read_only:
            return sqlite3.connect(str(self.path), timeout=busy_timeout())
        uri = self.path.resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=busy_timeout())
        try:
            conn.execute("select count(*) from sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            if os.access(self.path.resolve().parent, os.W_OK):
                raise
            conn.close()
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=busy_timeout())

    #: Per table, the columns this database has that this code does not know (see
    #: :meth:`_check_columns`); rows are read without them.
    _unknown: dict[str, frozenset[str]] = {}

    def _check_columns(self) -> None:
        """Refuse, before writing anything, a database made by another version of the tool:
        one whose schema fingerprint is not this code's (:func:`schema_version`) and whose
        tables have columns this code does not make (nor made once, ``_RETIRED_COLUMNS``).

        Why: upkeep of such a file would stamp this version's fingerprint over the other's
        and put this version's views and indexes in place of its, and the rows it then read
        would carry fields the models refuse (a traceback in ``resolve``). So a writer stops
        with one line and the file as it was. Readers (``report``, ``serve``) and a database
        of this version with a column someone added by hand read on, without the columns
        they do not know. When it fails: a column added by hand to an older version's
        database is refused like another version's until it is dropped (the message names
        it), since the two cannot be told apart."""
        found: dict[str, set[str]] = {}
        for table, column in self.db.execute(
                "select m.name, p.name from sqlite_master m join pragma_table_info(m.name) p "
                "where m.type = 'table' order by m.name, p.cid").fetchall():
            spec = _SCHEMA.get(table)
            if spec is not None and column not in spec["columns"] and (table, column) not in _RETIRED_COLUMNS:
                found.setdefault(table, set()).add(column)
        self._unknown = {table: frozenset(columns) for table, columns in found.items()}
        if not found or self.read_only or self.db.execute("PRAGMA user_version").fetchone()[0] == schema_version():
            return
        names = [f"{table}.{column}" for table in sorted(found) for column in sorted(found[table])]
        more = f" and {len(names) - 1} more" if len(names) > 1 else ""
        raise StoreError(f"{self.path} was made by another version of reconcile (unknown column {names[0]}{more}): "
                         "use that version, or another database; nothing was changed")

    def _known(self, row: dict[str, Any], table: str) -> dict[str, Any]:
        """``row`` without the columns this code does not know (:meth:`_check_columns`)."""
        unknown = self._unknown.get(table)
        return {k: v for k, v in row.items() if k not in unknown} if unknown else row

    def check_writable(self) -> None:
        """Raise :class:`StoreError` (one line) unless this process can write the database
        now: take the write lock, waiting :func:`busy_timeout` for another process's, and let
        it go at once.

        Why: a crawl writes its ``crawls`` row only once Scrapy opens the spider, and a
        failure there (a database locked past the wait, a read-only file) surfaced as
        Scrapy's traceback; asking first ends such a crawl the way every other command ends
        on that database, in one line. It does not reserve the lock: another process may
        still take it before the crawl writes."""
        conn = self.db.conn
        if conn.in_transaction:  # this connection writes already
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # A write that changes nothing: SQLite grants a read-only file the lock, and
                # refuses only a statement that writes.
                conn.execute("delete from crawls where 0")
            finally:
                conn.rollback()
        except sqlite3.DatabaseError as exc:
            raise StoreError(describe_sqlite_error(self.path, exc)) from None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # -- schema -------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the eight tables, their keys, indexes and triggers, the views of
        :mod:`reconcile.views` and the papers' full-text index, when missing; nothing (no
        write) when the database already has this code's schema (``PRAGMA user_version``
        holds its fingerprint, :func:`schema_version`)."""
        if self.db.execute("PRAGMA user_version").fetchone()[0] == schema_version():
            return
        with self._write():
            self._drop_old_indexes()
            for name, spec in _SCHEMA.items():
                table = self.db[name]
                if not table.exists():
                    table.create(
                        spec["columns"], pk=spec["pk"], not_null=spec["not_null"],
                        foreign_keys=spec.get("foreign_keys", []),
                    )
                else:  # a database made by an earlier version: add the columns it lacks
                    have = table.columns_dict
                    for column, kind in spec["columns"].items():
                        if column not in have:
                            table.add_column(column, kind)
                            self._backfill(name, column)
                for columns in spec.get("indexes", []):
                    table.create_index(columns, if_not_exists=True)
                for columns in spec.get("unique", []):
                    table.create_index(columns, unique=True, if_not_exists=True)
            for statement in filter(None, (s.strip() for s in _IMMUTABLE.split("END;"))):
                self.db.execute(statement + " END;")
            for name, sql in VIEWS.items():  # replaced only when their SQL changed
                self.db.create_view(name, sql, replace=True)
        self.ensure_search()  # outside the transaction: it commits on its own
        # Last: a crash before this line leaves the old version, so the next open redoes it.
        self.db.execute(f"PRAGMA user_version = {schema_version()}")

    def _backfill(self, table: str, column: str) -> None:
        """Fill a column an earlier version did not have, where its value is known: an
        observation's ``observed_at_basis`` is its document's. Observations refuse updates
        (a trigger), so the trigger is dropped for this one statement; :meth:`ensure_schema`
        creates it again in the same transaction."""
        if (table, column) == ("observations", "observed_at_basis"):
            self.db.execute("drop trigger if exists observations_no_update")
            self.db.execute("update observations set observed_at_basis = (select d.observed_at_basis "
                            "from documents d where d.id = observations.document_id)")

    def _drop_old_indexes(self) -> None:
        """Drop indexes earlier versions made that this one defines otherwise: documents
        were unique by content hash alone before they were unique by address and content,
        and the index's blocks were indexed by paper before their rows listed them."""
        stale = {"documents": lambda index: index.unique and index.columns == ["sha256"],
                 "match_blocks": lambda index: index.columns == ["paper_id"]}
        for name, is_stale in stale.items():
            table = self.db[name]
            if table.exists():
                for index in table.indexes:
                    if is_stale(index):
                        self.db.execute(f"drop index [{index.name}]")

    def ensure_search(self) -> None:
        """Create the full-text index of papers' title and abstract (``papers_fts``) with the
        triggers that keep it in step with every insert, upsert and delete of a paper.

        A no-op when the index already exists as configured; an older database gets it
        built from its current papers. The index is an external-content FTS5 table keyed
        on the papers' rowids: should a VACUUM ever renumber them (SQLite allows it for a
        table without an INTEGER PRIMARY KEY), ``sqlite-utils rebuild-fts DB papers``
        repairs it. Runs outside a transaction because sqlite-utils builds the index with
        ``executescript``, which commits.
        """
        self.db[FTS_TABLE].enable_fts(FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZE,
                                      replace=True)

    # -- crawls -------------------------------------------------------------------------
    def start_crawl(self, crawl: Crawl) -> int:
        """Insert a crawl row and return its id."""
        with self._write():
            return self.db["crawls"].insert(_to_row(crawl, "crawls")).last_pk

    def close_dead_crawls(self, now: dt.datetime) -> int:
        """Mark ``interrupted`` the crawls still ``running`` whose process is gone
        (:func:`crawl_process_gone`): killed before it could close its row. Returns how many."""
        dead = [c for c in self.crawls() if c.status == "running" and crawl_process_gone(c.stats)]
        for crawl in dead:
            self.finish_crawl(crawl.id, "interrupted", crawl.stats, now)
        return len(dead)

    def finish_crawl(self, crawl_id: int, status: str, stats: dict[str, Any],
                     finished_at: dt.datetime) -> None:
        """Record how a crawl ended, with its stats."""
        with self._write():
            self.db["crawls"].update(crawl_id, {
                "status": status, "finished_at": iso(finished_at),
                "stats": json.dumps(stats, default=str, sort_keys=True),
            })

    # -- documents and observations ---------------------------------------------------
    def known_documents(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """The subset of ``keys`` (url, sha256) whose documents are already stored: a
        document is its content at its address, so the same bytes at two addresses (two
        empty days of a list) are two documents."""
        keys = sorted(set(keys))
        hashes = sorted({sha for _, sha in keys})
        found: set[tuple[str, str]] = set()
        for chunk in _chunks(hashes):
            marks = _marks(chunk)
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
                row = _to_row(document, "documents")
                row["crawl_id"] = crawl_id if crawl_id is not None else document.crawl_id
                row.pop("id", None)
                doc_id = self.db["documents"].insert(row).last_pk
                ids.append(doc_id)
                for obs in observations:
                    orow = _to_row(obs, "observations")
                    orow.pop("id", None)
                    orow.update(document_id=doc_id, crawl_id=crawl_id,
                                observed_at=iso(document.observed_at),
                                observed_at_basis=document.observed_at_basis.value)
                    obs_rows.append(orow)
            if obs_rows:
                self.db["observations"].insert_all(obs_rows, batch_size=BATCH_SIZE)
        return ids

    def _sighted(self, document: Document, crawl_id: int | None) -> None:
        """Record that a stored document (same address, same content) was seen again, when
        this is a capture later than every one stored of it (:meth:`add_sighting`)."""
        row = self.db.execute("select id from documents where url = ? and sha256 = ?",
                              [document.url, document.sha256]).fetchone()
        if row is not None:
            self.add_sighting(row[0], document.observed_at, document.observed_at_basis, crawl_id)

    def add_sighting(self, document_id: int, observed_at: dt.datetime, basis: TimeBasis,
                     crawl_id: int | None = None) -> bool:
        """Record that document ``document_id`` was seen again, unchanged, at ``observed_at``
        (a capture time: a file's or a publication time says nothing new), when that is
        later than every capture stored of it; returns whether it was recorded. The papers
        listed on the document's days (and the day after) are marked for checking again: a
        list seen whole after its day ended can make a paper another list carries missing.

        Why: a day's list fetched during the day and again after it ended, unchanged, was
        dropped as a duplicate, so the list stayed partial for good and ``missing`` never
        looked at the day, while a database that had only the later fetch did: the same
        lists gave two answers."""
        if not basis.is_capture:
            return False
        when = iso(observed_at)
        latest = self.db.execute(
            "select max(t) from (select observed_at as t from documents where id = ? and observed_at_basis in "
            f"({_marks(_CAPTURES)}) union all select observed_at from sightings where document_id = ? and "
            f"observed_at_basis in ({_marks(_CAPTURES)}))",
            [document_id, *_CAPTURES, document_id, *_CAPTURES]).fetchone()[0]
        if latest is not None and when <= latest:
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
        for chunk in _chunks(sorted(set(document_ids))):
            for doc_id, when, basis in self.db.execute(
                    f"select document_id, observed_at, observed_at_basis from sightings where document_id in "
                    f"({_marks(chunk)}) order by document_id, observed_at", chunk).fetchall():
                found[doc_id] = (dt.datetime.fromisoformat(when.replace("Z", "+00:00")), TimeBasis(basis))
        return found

    def add_rejects(self, rejects: Sequence[Reject]) -> None:
        """Store rejected input with its reason."""
        if not rejects:
            return
        rows = [_to_row(r, "rejects") for r in rejects]
        for row in rows:
            row.pop("id", None)
        with self._write():
            # Outside a crawl (``reconcile ingest``), an input already rejected for the same
            # reason is not stored again: ingesting the same files again adds nothing. A
            # crawl keeps its own rows, its history of what each run could not read.
            known = {(r["url"], r["source"], r["reason"]) for r in self.db.execute_returning_dicts(
                "select url, source, reason from rejects where crawl_id is null")} if any(
                row.get("crawl_id") is None for row in rows) else set()
            fresh = [row for row in rows if row.get("crawl_id") is not None
                     or (row.get("url"), row.get("source"), row.get("reason")) not in known]
            self.db["rejects"].insert_all(fresh, batch_size=BATCH_SIZE)

    def documents(self, ids: Iterable[int] | None = None) -> dict[int, Document]:
        """Documents by id (all of them when ``ids`` is None)."""
        if ids is None:
            rows = self.db.execute_returning_dicts("select * from documents")
        else:
            rows = self._rows_in("documents", "id", list(set(ids)))
        result = {}
        for row in rows:
            row = _from_row(self._known(row, "documents"), "documents")
            result[row["id"]] = Document.model_validate(row)
        return result

    def _rows_in(self, table: str, column: str, values: list[Any], where: str = "") -> Iterator[dict]:
        for chunk in _chunks(values):
            marks = _marks(chunk)
            sql = f"select * from [{table}] where [{column}] in ({marks}){where}"
            yield from self.db.execute_returning_dicts(sql, chunk)

    def _observation(self, row: dict[str, Any]) -> Observation:
        return Observation.model_validate(_from_row(self._known(row, "observations"), "observations"))

    _UNLINKED = "from observations o left join links l on l.observation_id = o.id where l.observation_id is null"

    def unlinked_observations(self) -> list[Observation]:
        """Observations that ``resolve`` has not placed yet, oldest first."""
        return [self._observation(r) for r in self.db.execute_returning_dicts(f"select o.* {self._UNLINKED} "
                                                                              "order by o.id")]

    def has_unlinked(self) -> bool:
        """Whether any observation is left to place. Asked of those with and without an arXiv
        id apart, so that each question reads the arXiv id index, not the table (scanning
        the table took 3.9 s at a million observations, against 0.2 s)."""
        return any(self.db.execute(f"select 1 {self._UNLINKED} and o.arxiv_id is {which} limit 1").fetchone()
                   for which in ("null", "not null"))

    def last_observation_id(self) -> int:
        """The id of the newest observation stored (0 when there is none)."""
        return self.db.execute("select coalesce(max(id), 0) from observations").fetchone()[0]

    def placement_rows(self, *, identified: bool | None = None, sources: Sequence[Source] = (),
                       upto: int | None = None, batch: int = 5000) -> Iterator[PlacementRow]:
        """The observations ``resolve`` has not placed yet, as placing reads them
        (:class:`PlacementRow`), streamed ``batch`` rows at a time: a first run over a
        million observations does not hold them all (0.9 KB each).

        ``identified``: only those carrying an arXiv id (True), only those without (False),
        or all. ``upto``: only those with an id up to it (observations stored later are left
        for the next run). Oldest first, or with ``sources``, the rows of each source in that
        order, oldest first within each (the others last)."""
        where = {None: "", True: " and o.arxiv_id is not null", False: " and o.arxiv_id is null"}[identified]
        # ``+o.id``: by the arXiv id index, not a scan of the table's rowid range (0.1 s
        # against 0.3 s at a million observations).
        where += "" if upto is None else f" and +o.id <= {int(upto)}"
        order = "".join(f"when ? then {rank} " for rank in range(len(sources)))
        order = f"case o.source {order}else {len(sources)} end, o.id" if sources else "o.id"
        columns = ", ".join(f"o.[{c}]" for c in PlacementRow._fields)
        date = dt.date.fromisoformat
        cursor = self.db.execute(f"select {columns} {self._UNLINKED}{where} order by {order}",
                                 [str(s) for s in sources])
        while rows := cursor.fetchmany(batch):
            for i, doc, source, site, url, aid, version, title, authors, published, listed, extra in rows:
                yield PlacementRow(i, doc, Source(source), site, url, aid, version, title, json.loads(authors or "[]"),
                                   date(published) if published else None, date(listed) if listed else None,
                                   json.loads(extra or "{}"))

    def observations_of_papers(self, paper_ids: Iterable[str], links: dict[int, tuple] | None = None
                               ) -> dict[str, list[Observation]]:
        """Every linked observation of each paper, in insertion order; with ``links``, each
        one's link is put there too: observation id -> (method, score, detail)."""
        result: dict[str, list[Observation]] = {}
        ids = list(set(paper_ids))
        for chunk in _chunks(ids):
            marks = _marks(chunk)
            sql = (f"select l.paper_id as _paper, l.method as _method, l.score as _score, l.detail as _detail, "
                   f"o.* from links l join observations o on o.id = l.observation_id "
                   f"where l.paper_id in ({marks}) order by o.id")
            for row in self.db.execute_returning_dicts(sql, chunk):
                paper = row.pop("_paper")
                link = (row.pop("_method"), row.pop("_score"), row.pop("_detail"))
                if links is not None:
                    links[row["id"]] = link
                result.setdefault(paper, []).append(self._observation(row))
        return result

    def links_by_paper(self, paper_ids: Iterable[str]) -> dict[str, list[Link]]:
        """The links of each paper."""
        result: dict[str, list[Link]] = {}
        for row in self._rows_in("links", "paper_id", list(set(paper_ids))):
            result.setdefault(row["paper_id"], []).append(Link.model_validate(self._known(row, "links")))
        return result

    def arxiv_ids_to_fetch(self, now: dt.datetime | None = None) -> list[str]:
        """arXiv ids that observations carry but arXiv has not been asked for yet.

        An id counts as asked for once an ``arxiv`` observation carries it, or once arXiv
        answered twice, in two crawls (or two ingests), that it has no such paper (``rejects``
        rows of source ``arxiv`` whose url is the id's abstract page), or once it answered so
        in the last day (``now``, default the clock). Why twice: arXiv's API answers a good
        query with an empty feed at times, and one such answer would leave the paper without
        arXiv's record for good; why a day apart: a crawl stopped and run again at once must
        not ask again what its first part was just told.
        """
        now = now or dt.datetime.now(dt.timezone.utc)
        sql = """
            select distinct o.arxiv_id from observations o
            where o.arxiv_id is not null and o.source != 'arxiv'
              and not exists (select 1 from observations a
                              where a.arxiv_id = o.arxiv_id and a.source = 'arxiv')
              and not exists (select 1 from rejects r where r.source = 'arxiv'
                              and r.url = 'https://arxiv.org/abs/' || o.arxiv_id and r.at > ?)
              and (select count(distinct coalesce(r.crawl_id, r.at)) from rejects r where r.source = 'arxiv'
                   and r.url = 'https://arxiv.org/abs/' || o.arxiv_id) < 2
            order by o.arxiv_id"""
        return [row[0] for row in self.db.execute(sql, [iso(now - dt.timedelta(days=1))]).fetchall()]

    # -- resolution -------------------------------------------------------------------
    def day_list_parts(self, formats: Sequence[str], days: Iterable[str]
                       ) -> tuple[dict[int, Document], dict[int, list[Observation]], dict[int, str]]:
        """The documents of the given formats that list papers on the given days
        (``YYYY-MM-DD``), their observations by document, and each observation's paper."""
        days = sorted(set(days))
        if not days or not formats:
            return {}, {}, {}
        fmarks, dmarks = _marks(formats), _marks(days)
        ids = [r[0] for r in self.db.execute(
            f"select distinct d.id from documents d join observations o on o.document_id = d.id "
            f"where d.format in ({fmarks}) and o.listed_on in ({dmarks})", [*formats, *days]).fetchall()]
        documents = self.documents(ids)
        by_doc: dict[int, list[Observation]] = {}
        paper_of: dict[int, str] = {}
        for chunk in _chunks(ids):
            marks = _marks(chunk)
            for row in self.db.execute_returning_dicts(
                    f"select o.*, l.paper_id as _paper from observations o left join links l "
                    f"on l.observation_id = o.id where o.document_id in ({marks})", chunk):
                paper = row.pop("_paper")
                obs = self._observation(row)
                by_doc.setdefault(obs.document_id, []).append(obs)
                if paper:
                    paper_of[obs.id] = paper
        return documents, by_doc, paper_of

    def papers_of_documents(self, document_ids: Iterable[int]) -> dict[int, list[str]]:
        """The papers each document's observations are linked to, sorted."""
        ids = sorted(set(document_ids))
        found: dict[int, set[str]] = {}
        for chunk in _chunks(ids):
            marks = _marks(chunk)
            for doc, paper in self.db.execute(
                    f"select o.document_id, l.paper_id from observations o join links l "
                    f"on l.observation_id = o.id where o.document_id in ({marks})", chunk).fetchall():
                found.setdefault(doc, set()).add(paper)
        return {doc: sorted(papers) for doc, papers in found.items()}

    def ranked_lists(self, document_ids: Iterable[int]) -> dict[int, list[tuple]]:
        """The ranked items of each document: ``(rank, upvotes, paper, day)`` for every
        observation with a rank, its paper the linked one (else its arXiv id, else its
        title), ``day`` its ``listed_on`` (a weekly recap ranks each day's list apart)."""
        ids = sorted(set(document_ids))
        found: dict[int, list[tuple]] = {}
        for chunk in _chunks(ids):
            marks = _marks(chunk)
            for doc, rank, upvotes, paper, day in self.db.execute(
                    f"select o.document_id, o.rank, o.upvotes, coalesce(l.paper_id, o.arxiv_id, o.title), o.listed_on "
                    f"from observations o left join links l on l.observation_id = o.id "
                    f"where o.document_id in ({marks}) and o.rank is not null", chunk).fetchall():
                found.setdefault(doc, []).append((rank, upvotes, paper or "", day))
        return found

    def papers_listed_on(self, days: Iterable[str]) -> set[str]:
        """Every paper some observation lists on one of the days."""
        days = sorted(set(days))
        if not days:
            return set()
        marks = _marks(days)
        return {r[0] for r in self.db.execute(
            f"select distinct l.paper_id from observations o join links l on l.observation_id = o.id "
            f"where o.listed_on in ({marks})", days).fetchall()}

    def paper_index_rows(self, after: str = "", limit: int = -1) -> list[dict[str, Any]]:
        """What the matcher needs of the papers, in id order (those with an id above
        ``after``, at most ``limit``): id, title, authors, publication day, the days its
        observations state (``days``, JSON: each one's listing day, else its publication
        day) and the first DOI its arXiv records state."""
        return self.db.execute_returning_dicts(
            "select p.id, p.title, p.authors, p.published, "
            "(select json_group_array(distinct coalesce(o.listed_on, o.published)) from links l "
            " join observations o on o.id = l.observation_id where l.paper_id = p.id "
            " and coalesce(o.listed_on, o.published) is not null) as days, "
            "(select json_extract(o.extra, '$.doi') from links l join observations o on o.id = l.observation_id "
            " where l.paper_id = p.id and o.source = 'arxiv' and json_extract(o.extra, '$.doi') is not null "
            " order by o.id limit 1) as doi from papers p where p.id > ? order by p.id limit ?", [after, limit])

    # -- the matcher's blocking index -----------------------------------------------------
    def index_count(self) -> int:
        """How many papers the blocking index finds by title: each has one ``key`` block,
        counted in the blocks' key order (at 1M, 0.05 s warm against 0.21 s for reading
        every row of ``match_papers``, whose rows list their blocks)."""
        return self.db.execute("select count(*) from match_blocks where kind = 'key'").fetchone()[0]

    def index_state(self) -> tuple[str | None, int, int]:
        """The fingerprint the index was built with (``match_meta``), how many papers it
        holds and how many the ``papers`` table holds: ``resolve`` rebuilds it when these
        say it is not the index of these papers."""
        row = self.db.execute("select value from match_meta where name = 'fingerprint'").fetchone()
        indexed = self.db.execute("select count(*) from match_papers").fetchone()[0]
        papers = self.db.execute("select count(*) from papers").fetchone()[0]
        return (row[0] if row else None), indexed, papers

    def checked_with(self) -> str | None:
        """The fingerprint of the code and settings the stored findings were made with
        (:func:`reconcile.resolve.checks_fingerprint`), None when no resolve finished here."""
        row = self.db.execute("select value from match_meta where name = 'checks'").fetchone()
        return row[0] if row else None

    def set_checked_with(self, fingerprint: str) -> None:
        """Record the fingerprint the findings are now made with (in the caller's commit)."""
        with self._write():
            self.db["match_meta"].upsert({"name": "checks", "value": fingerprint}, pk="name")

    def has_papers(self) -> bool:
        """Whether any paper is stored."""
        return self.db.execute("select 1 from papers limit 1").fetchone() is not None

    def check_everything(self) -> int:
        """Put every paper in ``pending_checks`` (the checks changed); how many there are."""
        with self._write():
            self.db.execute("insert or ignore into pending_checks (paper_id) select id from papers order by id")
        return self.pending_count()

    def index_papers(self, paper_ids: Iterable[str], titled: bool = True) -> dict[str, dict[str, Any]]:
        """The indexed papers with these ids that have a title (or, ``titled`` false, any):
        title, key, publication day, authors and days (JSON)."""
        out = {}
        where = "key is not null and " if titled else ""
        for chunk in _chunks(sorted(set(paper_ids))):
            for row in self.db.execute_returning_dicts(
                    f"select paper_id, title, key, published, authors, days from match_papers "
                    f"where {where}paper_id in ({_marks(chunk)})", chunk):
                out[row["paper_id"]] = row
        return out

    def index_postings(self, kind: str, value: str, limit: int | None = None) -> list[str]:
        """The papers a block holds, in paper id order (the order a bounded read keeps)."""
        sql = "select paper_id from match_blocks where kind = ? and value = ? order by paper_id"
        args: list[Any] = [kind, value]
        if limit is not None:
            sql += " limit ?"
            args.append(limit)
        return [r[0] for r in self.db.execute(sql, args)]

    def index_sizes(self, kind: str, values: Iterable[str]) -> dict[str, int]:
        """How many papers each of these blocks holds (absent blocks are left out)."""
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(set(values))):
            out.update(self.db.execute(
                f"select value, count(*) from match_blocks where kind = ? and value in ({_marks(chunk)}) "
                f"group by value", [kind, *chunk]).fetchall())
        return out

    def title_only_papers(self) -> list[str]:
        """Every indexed paper known only by its title (``title:...``), by id."""
        return [r[0] for r in self.db.execute(
            "select paper_id from match_papers where paper_id >= 'title:' and paper_id < 'title;' "
            "and key is not null order by paper_id")]

    def stage_index(self, rows: Sequence[dict[str, Any]]) -> None:
        """Hold these papers' rows of ``match_papers`` (each lists its blocks) in this
        connection's temporary storage until :meth:`write_index` writes everything staged
        at once; each paper once. Until then the stored index is marked out of step (its
        fingerprint is removed in the caller's commit), so a run stopped in between leaves
        an index the next ``resolve`` rebuilds, never a stale one.

        Why not write each chunk's blocks as it comes: a chunk's blocks fall all over the
        key order, so every commit rewrote most pages of the blocks' B-tree. At 1M
        observations the parent spent 104 s inserting them chunk by chunk and 70 s in its
        commits (py-spy); staged, it spends 7 s staging the rows, 29 s writing the rows and
        their blocks, and 19 s in commits."""
        with self._write():
            self._staging()
            self.db.execute("delete from match_meta where name = 'fingerprint'")
            columns = list(_SCHEMA["match_papers"]["columns"])
            self.db.conn.executemany(
                f"insert into temp.staged_match_papers ({', '.join(columns)}) "
                f"values ({', '.join('?' * len(columns))})",
                [tuple(row[c] for c in columns) for row in rows])

    def write_index(self, fingerprint: str, *, everything: bool = False) -> None:
        """Write what :meth:`stage_index` holds: replace what the index held for those papers
        (``everything``: the whole index, a rebuild), their blocks in key order, and record
        the fingerprint it was built with (:func:`reconcile.match.index_fingerprint`)."""
        with self._write():
            self._staging()
            if everything:
                self.db.execute("delete from match_blocks")
                self.db.execute("delete from match_papers")
            else:
                self._unindex([r[0] for r in self.db.execute(
                    "select paper_id from temp.staged_match_papers order by paper_id")])
            columns = ", ".join(_SCHEMA["match_papers"]["columns"])
            self.db.execute(f"insert into match_papers ({columns}) "
                            f"select {columns} from temp.staged_match_papers order by paper_id")
            self.db.execute("insert or ignore into match_blocks (kind, value, paper_id) "
                            "select json_extract(b.value, '$[0]'), json_extract(b.value, '$[1]'), s.paper_id "
                            "from temp.staged_match_papers s, json_each(s.blocks) b order by 1, 2, 3")
            self.discard_staged_index()
            self.db["match_meta"].upsert({"name": "fingerprint", "value": fingerprint}, pk="name")

    def discard_staged_index(self) -> None:
        """Forget what :meth:`stage_index` holds (a run that failed before writing it)."""
        self._staging()
        self.db.execute("delete from temp.staged_match_papers")

    def _staging(self) -> None:
        """The temporary table of :meth:`stage_index`: this connection's own, gone with it."""
        columns = ", ".join(f"{c} text" + (" primary key" if c == "paper_id" else "")
                            for c in _SCHEMA["match_papers"]["columns"])
        self.db.execute(f"create temp table if not exists staged_match_papers ({columns})")

    def _unindex(self, paper_ids: Sequence[str]) -> None:
        """Drop these papers from the index: each one's blocks, by the keys its row lists
        (``match_papers.blocks``, written with them), then its row."""
        for chunk in _chunks(paper_ids):
            marks = _marks(chunk)
            keys = [(kind, value, paper_id)
                    for paper_id, listed in self.db.execute(
                        f"select paper_id, blocks from match_papers where paper_id in ({marks})", chunk)
                    for kind, value in json.loads(listed or "[]")]
            self.db.conn.executemany("delete from match_blocks where kind = ? and value = ? and paper_id = ?",
                                     sorted(keys))
            self.db.execute(f"delete from match_papers where paper_id in ({marks})", chunk)

    def add_pending(self, paper_ids: Iterable[str]) -> None:
        """Mark papers as waiting to be merged and checked again (``resolve`` saves this with
        the links that touch them, so a run killed before checking them all leaves the rest
        here for the next run)."""
        self.db["pending_checks"].insert_all(({"paper_id": p} for p in sorted(set(paper_ids))),
                                             batch_size=BATCH_SIZE, ignore=True)

    def pending_papers(self) -> list[str]:
        """Papers waiting to be merged and checked again, sorted."""
        return [r[0] for r in self.db.execute("select paper_id from pending_checks order by paper_id")]

    def done_pending(self, paper_ids: Sequence[str]) -> None:
        """Unmark papers that have been merged and checked."""
        for chunk in _chunks(list(paper_ids)):
            self.db.execute(f"delete from pending_checks where paper_id in ({_marks(chunk)})", chunk)

    @contextlib.contextmanager
    def exclusive(self, job: str) -> Iterator[None]:
        """Run ``job`` (``resolve``) alone on this database: a second one waits for the first
        to finish rather than placing the same observations against an index the first is
        changing (each would upsert its own links, the last one winning, and check the same
        papers twice).

        The lock is ``flock`` on a file beside the database (``papers.db.resolve.lock``),
        held by the open file, so a process that dies, even by SIGKILL, releases it and no
        stale lock is left to clear by hand. The file names its holder (pid and start time)
        for the message of the one that waits. Where ``fcntl`` is missing (Windows), there is
        no lock."""
        if fcntl is None:
            yield
            return
        path = self.path.with_name(f"{self.path.name}.{job}.lock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                log.warning("another %s runs on %s (%s): waiting for it to finish", job, self.path, holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, since {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC"
                      .encode(), 0)
            yield
        finally:
            os.close(fd)  # releases the lock

    def transaction(self) -> AbstractContextManager:
        """One write transaction around several writes (nested: a savepoint).

        It starts with ``BEGIN IMMEDIATE``: the write lock is taken at the start, waiting up to
        the busy timeout for another writer. A deferred ``BEGIN`` (sqlite-utils' own) reads
        first and then cannot turn into a write once another process has committed in the
        meantime: SQLite refuses at once with "database is locked", without waiting.
        """
        return self._write()

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()

    def save_links(self, links: Sequence[Link | LinkRow], deleted: Sequence[str] = ()) -> None:
        """Add (or move) links and drop papers that were adopted by another."""
        with self._write():
            for chunk in _chunks(deleted):
                marks = _marks(chunk)
                self.db.execute(f"delete from discrepancies where paper_id in ({marks})", chunk)
                self.db.execute(f"delete from papers where id in ({marks})", chunk)
            self._unindex(deleted)
            _upsert(self.db.conn, "links", [{"observation_id": l.observation_id, "paper_id": l.paper_id,
                                             "method": l.method, "score": l.score, "detail": l.detail}
                                            for l in links], "observation_id")

    def save_papers(self, papers: Sequence[Paper], discrepancies: dict[str, list[Discrepancy]]) -> None:
        """Replace papers and the complete discrepancy lists of the re-checked paper ids."""
        self.save_paper_rows(*paper_rows(papers, discrepancies))

    def save_paper_rows(self, papers: Sequence[dict[str, Any]], discrepancies: dict[str, list[dict[str, Any]]]
                        ) -> None:
        """:meth:`save_papers` of rows made by :func:`paper_rows` (a worker process makes
        them, so the writer only writes)."""
        with self._write():
            _upsert(self.db.conn, "papers", papers, "id")
            ids = list(discrepancies)
            for chunk in _chunks(ids):
                marks = _marks(chunk)
                self.db.execute(f"delete from discrepancies where paper_id in ({marks})", chunk)
            _upsert(self.db.conn, "discrepancies", [d for found in discrepancies.values() for d in found], "id")

    # -- reading for reports --------------------------------------------------------------
    def papers(self, ids: Iterable[str] | None = None) -> list[Paper]:
        """Merged papers, by id."""
        rows = (self.db.execute_returning_dicts("select * from papers order by id") if ids is None
                else self._rows_in("papers", "id", list(set(ids))))
        return [Paper.model_validate(_from_row(self._known(r, "papers"), "papers")) for r in rows]

    def discrepancies(self) -> list[Discrepancy]:
        """Every current discrepancy."""
        rows = self.db.execute_returning_dicts("select * from discrepancies order by paper_id, kind, id")
        return [Discrepancy.model_validate(_from_row(self._known(r, "discrepancies"), "discrepancies")) for r in rows]

    def rejects(self) -> list[Reject]:
        """Every reject, oldest first."""
        return [Reject.model_validate(self._known(r, "rejects"))
                for r in self.db.execute_returning_dicts("select * from rejects order by id")]

    def crawls(self) -> list[Crawl]:
        """Every crawl, oldest first."""
        return [Crawl.model_validate(_from_row(self._known(r, "crawls"), "crawls"))
                for r in self.db.execute_returning_dicts("select * from crawls order by id")]

    def findings_of_kind(self, kind: str, *, sites: bool) -> list[Discrepancy]:
        """Stored findings of ``kind``: those about sites (``site:...``) or those about papers."""
        op = "like" if sites else "not like"
        rows = self.db.execute_returning_dicts(
            f"select * from discrepancies where kind = ? and paper_id {op} 'site:%' order by id", [kind])
        return [Discrepancy.model_validate(_from_row(self._known(r, "discrepancies"), "discrepancies")) for r in rows]

    def replace_findings(self, upserts: Sequence[Discrepancy], delete_ids: Sequence[str]) -> None:
        """Store (or replace) ``upserts`` and delete the findings with ``delete_ids``."""
        with self._write():
            ids = list(delete_ids)
            for chunk in _chunks(ids):
                self.db.execute(f"delete from discrepancies where id in ({_marks(chunk)})", chunk)
            if upserts:
                self.db["discrepancies"].insert_all([_to_row(d, "discrepancies") for d in upserts],
                                                    batch_size=BATCH_SIZE, replace=True)

    def acknowledge(self, ids: Sequence[str], note: str | None, at: dt.datetime) -> list[str]:
        """Acknowledge the findings with these ids at their current severity (a later, more
        severe finding with the same id is reported again). Returns the ids that match no
        current finding; nothing is stored when there are any."""
        ids = list(dict.fromkeys(ids))
        found = {r["id"]: r["severity"] for r in self._rows_in("discrepancies", "id", ids)}
        unknown = [i for i in ids if i not in found]
        if unknown:
            return unknown
        with self._write():
            self.db["acknowledged"].insert_all(
                [{"id": i, "severity": found[i], "note": note, "at": iso(at)} for i in ids], replace=True)
        return []

    def unacknowledge(self, ids: Sequence[str]) -> int:
        """Forget acknowledgements; returns how many there were."""
        ids = list(dict.fromkeys(ids))
        before = self.db["acknowledged"].count
        with self._write():
            for chunk in _chunks(ids):
                self.db.execute(f"delete from acknowledged where id in ({_marks(chunk)})", chunk)
        return before - self.db["acknowledged"].count

    def acknowledged(self) -> dict[str, Severity]:
        """Acknowledged finding ids, each with the severity it had when acknowledged (none in
        a database made before the table existed)."""
        if not self.db["acknowledged"].exists():
            return {}
        return {r["id"]: Severity(r["severity"]) for r in self.db["acknowledged"].rows}

    def counts(self) -> dict[str, int]:
        """Row counts of every table but the matcher's index, plus observations not yet
        placed by ``resolve``."""
        counts = {name: self.db[name].count if self.db[name].exists() else 0 for name in _SCHEMA
                  if not name.startswith("match_")}
        counts["unlinked"] = self.unlinked_count()
        return counts

    def unlinked_count(self) -> int:
        """How many observations ``resolve`` has not placed yet."""
        return self.db.execute(f"select count(*) {self._UNLINKED}").fetchone()[0]

    def recent_unlinked_count(self) -> int:
        """How many observations came after the newest linked one, read from ids alone: the
        unlinked ones but any older ones (never placeable, or stored while a resolve ran).
        Enough to judge a run's size; :meth:`unlinked_count` scans every observation (0.2 s
        at a million)."""
        return self.db.execute("select count(*) from observations where id > "
                               "coalesce((select max(observation_id) from links), 0)").fetchone()[0]

    def pending_count(self) -> int:
        """How many papers wait in ``pending_checks``."""
        return self.db.execute("select count(*) from pending_checks").fetchone()[0]
