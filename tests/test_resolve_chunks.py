"""Issue 13, point 2: ``resolve`` commits in steps that a crash cannot leave half-applied.

Links and the list of papers they touch (``pending_checks``) are one commit; each chunk of
merged and checked papers is another, with its papers unmarked. A run that dies between
chunks is finished by the next run, with the result an uninterrupted run gives, whatever
the chunk size.
"""

from __future__ import annotations

import shutil

import pytest

from reconcile import resolve as resolve_module
from reconcile.resolve import resolve
from reconcile.store import Store

DERIVED = ("papers", "links", "discrepancies")


def _unresolved_copy(demo_db, tmp_path) -> Store:
    """The demo database as it was before its resolve: observations with no links."""
    path = tmp_path / "p.db"
    shutil.copy(demo_db, path)
    store = Store(path)
    with store.transaction():
        for table in (*DERIVED, "pending_checks"):
            store.db.execute(f"delete from [{table}]")
    return store


def _tables(store: Store) -> dict[str, list[tuple]]:
    order = {"papers": "id", "links": "observation_id", "discrepancies": "id"}
    return {t: [tuple(r) for r in store.db.execute(f"select * from [{t}] order by {order[t]}")] for t in DERIVED}


def test_a_resolve_killed_between_chunks_is_finished_by_the_next(demo_db, tmp_path, monkeypatch):
    reference = _tables(Store(demo_db, read_only=True))
    assert reference["papers"] and reference["discrepancies"]
    store = _unresolved_copy(demo_db, tmp_path)
    monkeypatch.setattr(resolve_module, "PAPER_CHUNK", 3)
    real, calls = resolve_module._merge_and_check, []

    def dies_on_the_third_chunk(st, chunk, config):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise RuntimeError("killed")
        return real(st, chunk, config)

    monkeypatch.setattr(resolve_module, "_merge_and_check", dies_on_the_third_chunk)
    with pytest.raises(RuntimeError):
        resolve(store)
    pending = store.pending_papers()
    assert store.counts()["unlinked"] == 0  # the links were committed first
    assert len(pending) == len(reference["papers"]) - 6  # two chunks of 3 were committed
    assert store.db["papers"].count == 6

    monkeypatch.setattr(resolve_module, "_merge_and_check", real)
    again = resolve(store)
    assert again.new_observations == 0 and again.papers_touched == len(pending)
    assert store.pending_papers() == []
    assert _tables(store) == reference  # as if it had never stopped, in chunks of 3 or of 2,000
    assert resolve(store).papers_touched == 0  # and then nothing is left to do


def test_a_resolve_killed_before_its_links_were_saved_leaves_nothing(demo_db, tmp_path, monkeypatch):
    store = _unresolved_copy(demo_db, tmp_path)

    def dies(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(store, "add_pending", dies)
    with pytest.raises(RuntimeError):
        resolve(store)
    assert store.db["links"].count == 0 and store.pending_papers() == []
    monkeypatch.undo()
    resolve(store)
    assert _tables(store) == _tables(Store(demo_db, read_only=True))

