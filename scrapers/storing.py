"""Writing documents one at a time after a batch failed on its data, shared by the crawl's
store pipeline and ``reconcile ingest``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from reconcile.models import Reject
from reconcile.store import Store


def store_one_by_one(store: Store, documents: list, crawl_id: int | None,
                     at: dt.datetime) -> tuple[int, list, list[int | None], list[Reject]]:
    """Write ``documents`` ((document, observations) pairs) one transaction each, after a
    batch of them failed on its data (a number SQLite cannot hold, a string JSON cannot
    write, such as a lone surrogate a JSON file escaped as ``"\\ud800"``): the document that
    cannot be stored becomes a reject naming why, and every other one is stored. Why: one
    such value once failed a whole batch and lost every good document beside it.

    Returns how many documents were dealt with (fewer than all when the database itself
    failed, ``sqlite3.OperationalError``: the caller keeps or reports the rest), the pairs
    written with their ids (None for one already stored), and the rejects."""
    stored: list = []
    ids: list[int | None] = []
    refused: list[Reject] = []
    for n, (document, observations) in enumerate(documents):
        try:
            ids.extend(store.add_documents([(document, observations)], crawl_id))
            stored.append((document, observations))
        except sqlite3.OperationalError:
            return n, stored, ids, refused
        except Exception as exc:  # noqa: BLE001 - this document's value, not the database
            reason = " ".join(f"could not store this document: {type(exc).__name__}: {exc}".split())
            refused.append(Reject(crawl_id=crawl_id, url=document.url, source=document.source,
                                  reason=reason, excerpt=None, at=at))
    return len(documents), stored, ids, refused
