"""The schema: the tables of DESIGN.md with their keys and indexes, the triggers that keep
observations append-only, the views and the papers' full-text index; its fingerprint
(:func:`schema_version`), the upkeep of an older database and the refusal of another
version's."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from reconcile.views import FTS_COLUMNS, FTS_TABLE, FTS_TOKENIZE, VIEWS

from .connection import StoreError


SCHEMA: dict[str, dict[str, Any]] = {
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
        # paper_id, kind, field and observations (a JSON list of the ids of the finding's
        # evidence) are the finding's when acknowledged: they carry the acknowledgement to
        # the adopter's finding when a paper of its own is adopted (Store.carry_acknowledgements).
        "columns": {"id": str, "severity": str, "note": str, "at": str, "paper_id": str, "kind": str,
                    "field": str, "observations": str},
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
                    "blocks": str, "days": str,
                    "others": str},
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
                                      "not_null": sorted(v["not_null"])} for k, v in SCHEMA.items()},
                       "views": VIEWS, "triggers": _IMMUTABLE, "fts": [FTS_TABLE, FTS_COLUMNS, FTS_TOKENIZE]},
                      sort_keys=True, default=str)
    return int(hashlib.sha256(text.encode()).hexdigest()[:7], 16) + 1


_IMMUTABLE = """
CREATE TRIGGER IF NOT EXISTS observations_no_update BEFORE UPDATE ON observations
BEGIN SELECT RAISE(ABORT, 'observations are append-only'); END;
CREATE TRIGGER IF NOT EXISTS observations_no_delete BEFORE DELETE ON observations
BEGIN SELECT RAISE(ABORT, 'observations are append-only'); END;
"""


class SchemaMixin:
    """The schema upkeep of a :class:`~reconcile.store.Store`, and the columns it reads."""

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
            spec = SCHEMA.get(table)
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
            for name, spec in SCHEMA.items():
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
