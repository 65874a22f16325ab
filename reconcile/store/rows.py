"""Rows as SQLite stores them: models to rows and back (lists and objects as JSON text,
times as ISO 8601), the prepared upsert, and the slices and placeholders of queries over
many values."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from reconcile.models import TimeBasis, iso

from .schema import SCHEMA

#: The time bases that are capture times (``TimeBasis.is_capture``), as the tables store them.
CAPTURES = tuple(b.value for b in TimeBasis if b.is_capture)


BATCH_SIZE = 500


_JSON_COLUMNS = {
    "observations": ("authors", "extra"),
    "papers": ("authors", "sources", "provenance"),
    "discrepancies": ("values",),
    "crawls": ("args", "stats"),
    "documents": ("repair_sample",),
}


_TIME_FIELDS = ("observed_at", "started_at", "finished_at", "at", "upvotes_observed_at")


# A lone surrogate (JSON's "\udc80", a string cut inside an emoji by JavaScript; a file
# name's undecodable byte) is no text SQLite can store: written as U+FFFD, the row is kept.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    return text if text.isascii() or not _SURROGATE.search(text) else _SURROGATE.sub("\ufffd", text)


def to_row(model: Any, table: str) -> dict[str, Any]:
    """A model as a row of ``table``: lists and objects as JSON text, as the tables keep them."""
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
    return {k: v for k, v in row.items() if k in SCHEMA[table]["columns"]}


def upsert(conn: sqlite3.Connection, table: str, rows: Sequence[dict[str, Any]], pk: str) -> None:
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


def from_row(row: dict[str, Any], table: str) -> dict[str, Any]:
    """A row of ``table`` as a model's fields: its JSON text columns read back."""
    row = dict(row)
    for key in _JSON_COLUMNS.get(table, ()):
        if row.get(key) is not None:
            row[key] = json.loads(row[key])
    return row


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``values`` in slices of :data:`BATCH_SIZE`: SQLite limits the parameters of a query."""
    for start in range(0, len(values), BATCH_SIZE):
        yield values[start:start + BATCH_SIZE]


def placeholders(chunk: Sequence[Any]) -> str:
    """The ``?, ?, ...`` of an ``IN (...)`` over ``chunk``."""
    return ",".join("?" * len(chunk))
