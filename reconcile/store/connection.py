"""Opening a paper-reconcile database: the connection and its busy timeout, the one-line
:class:`StoreError` for every way the file can be unusable, and the write transaction and
lock every other part of :class:`reconcile.store.Store` writes under."""

from __future__ import annotations

import datetime as dt
import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

import sqlite_utils

log = logging.getLogger(__name__)


def describe_sqlite_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    """SQLite's complaint about ``path`` as one line a person can act on."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "malformed" in text:  # an SQLite file with damaged pages
        return (f"{path} is damaged ({text}): nothing more is written to it; restore it from a backup, "
                f"or try `sqlite3 {path} .recover`")
    if "not a database" in text:
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


def no_database(path: str | Path) -> str:
    """The one line every command that needs a database (``report``, ``resolve``, ``ack``,
    ``serve``) says when there is none at ``path``: the commands that make one."""
    return f"no database at {path}: run `reconcile run`, `crawl`, `ingest` or `demo` first"


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


class ConnectionMixin:
    """How a :class:`~reconcile.store.Store` opens its file (``read_only``, ``create``) and
    writes to it: one ``BEGIN IMMEDIATE`` transaction at a time, and a lock for a job that
    must run alone."""

    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True) -> None:
        self.path = Path(path)
        self.read_only = read_only
        exists = self.path.is_file()
        if self.path.exists() and not exists:
            raise StoreError(f"{self.path} is not a file")
        if not exists and (read_only or not create):
            raise StoreError(no_database(self.path))
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
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"pid {os.getpid()}, since {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC"
                          .encode(), 0)
            except OSError:  # a full disk: the note of who holds it is lost, not the lock (probe27)
                log.debug("could not note the %s lock's holder in %s", job, path)
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
