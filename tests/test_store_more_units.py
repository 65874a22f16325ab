"""More unit pins for reconcile.store: times, opening foreign databases, crawl ids,
observation numbering, reject dedup, column types of migrated databases, full reads."""

import datetime as dt
import hashlib
import sqlite3

import pytest

from reconcile.models import Crawl, Document, Observation, Reject
from reconcile.store import Store, StoreError

T = dt.datetime(2026, 2, 5, 7, 45, tzinfo=dt.timezone.utc)


def doc(body: bytes, url="https://example.org/a", **kw) -> Document:
    return Document(url=url, source="digest", format="digest-top-list", observed_at=T,
                    observed_at_basis="response", sha256=hashlib.sha256(body).hexdigest(), **kw)


def obs(**kw) -> Observation:
    return Observation(source="digest", arxiv_id="3105.01234", title="A title", authors=["A"], **kw)


def test_a_crawls_started_at_is_stored_in_whole_seconds_utc(tmp_path):
    store = Store(tmp_path / "x.db")
    started = dt.datetime(2026, 2, 5, 7, 45, 30, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    crawl_id = store.start_crawl(Crawl(spider="digest", started_at=started))
    row = store.db["crawls"].get(crawl_id)
    assert row["started_at"] == "2026-02-05T05:45:30Z"


def test_a_database_with_foreign_tables_is_refused_in_every_mode(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table something (x int)")
    conn.commit()
    conn.close()
    for kwargs in ({}, {"read_only": True}, {"create": False}):
        with pytest.raises(StoreError, match="is an SQLite database, but not one of paper-reconcile's"):
            Store(path, **kwargs)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("select name from sqlite_master")] == ["something"]
    conn.close()


def test_an_empty_file_is_refused_read_only_or_without_create_but_made_a_store_otherwise(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    for kwargs in ({"read_only": True}, {"create": False}):
        with pytest.raises(StoreError, match="is an SQLite database, but not one of paper-reconcile's"):
            Store(path, **kwargs)
    store = Store(path)
    assert store.db["discrepancies"].exists()


def test_the_crawl_id_argument_wins_over_the_documents_own(tmp_path):
    store = Store(tmp_path / "x.db")
    first = store.start_crawl(Crawl(spider="digest", started_at=T))
    second = store.start_crawl(Crawl(spider="digest", started_at=T))
    assert store.add_documents([(doc(b"one"), [obs()])], crawl_id=second) == [1]
    assert store.add_documents([(doc(b"two", crawl_id=first), [obs()])], crawl_id=second) == [2]
    assert store.add_documents([(doc(b"three", crawl_id=first), [obs()])]) == [3]
    rows = {r["id"]: r["crawl_id"] for r in store.db["documents"].rows}
    assert rows == {1: second, 2: second, 3: first}


def test_the_store_numbers_observations_itself(tmp_path):
    store = Store(tmp_path / "x.db")
    store.add_documents([(doc(b"one"), [obs(id=77), obs(id=99, rank=2)])])
    rows = [(r["id"], r["rank"]) for r in store.db.execute_returning_dicts(
        "select id, rank from observations order by id")]
    assert rows == [(1, None), (2, 2)]


def test_pending_checks_are_stored_by_paper_id(tmp_path):
    store = Store(tmp_path / "x.db")
    store.add_pending(["3105.00002", "3105.00001", "3105.00002"])
    store.add_pending(["3105.00001"])
    assert store.pending_papers() == ["3105.00001", "3105.00002"]
    assert [c.name for c in store.db["pending_checks"].columns] == ["paper_id"]


def test_rejects_outside_a_crawl_are_not_stored_twice(tmp_path):
    store = Store(tmp_path / "x.db")
    crawl = store.start_crawl(Crawl(spider="digest", started_at=T))
    r = dict(url="https://example.org/bad", source="digest", reason="unreadable", at=T)
    store.add_rejects([Reject(**r)])
    store.add_rejects([Reject(**r), Reject(**{**r, "reason": "other"})])
    store.add_rejects([Reject(**r, crawl_id=crawl), Reject(**r, crawl_id=crawl)])
    rows = [(x["crawl_id"], x["reason"]) for x in store.db.execute_returning_dicts(
        "select crawl_id, reason from rejects order by id")]
    assert rows == [(None, "unreadable"), (None, "other"), (crawl, "unreadable"), (crawl, "unreadable")]


def test_a_column_added_to_an_older_database_gets_its_declared_type(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("create table discrepancies (id text primary key, paper_id text not null, "
                 "observation_id integer, kind text not null, field text, severity text not null, "
                 "[values] text, detail text not null)")
    conn.commit()
    conn.close()
    store = Store(path)
    types = {r[1]: r[2] for r in store.db.execute("PRAGMA table_info(discrepancies)").fetchall()}
    assert types["document_id"] == "INTEGER"
    assert types["observation_id"] == "INTEGER"


def test_unlinked_observations_read_whole_observations_by_default(tmp_path):
    store = Store(tmp_path / "x.db")
    store.add_documents([(doc(b"one"), [obs(abstract="An abstract.", upvotes=5, extra={"k": "v"})])])
    [full] = store.unlinked_observations()
    assert (full.id, full.abstract, full.upvotes, full.extra) == (1, "An abstract.", 5, {"k": "v"})
    [part] = store.placement_rows()
    assert (part.id, part.extra, part.source) == (1, {"k": "v"}, full.source)
    assert not hasattr(part, "abstract") and not hasattr(part, "upvotes")  # only what placing reads


def test_placement_rows_stream_in_batches_filtered_and_ordered_by_source(tmp_path):
    """Placing streams the unlinked observations (a batch at a time): every row comes, the
    identified ones or the others alone, and with ``sources`` by source in that order."""
    from reconcile.models import Link, Source

    store = Store(tmp_path / "x.db")
    def with_id(source):
        return Observation(source=source, arxiv_id="3105.01234", title="A title")

    rows = [with_id("digest"), with_id("arxiv"), Observation(source="digest", title="No id"), with_id("huggingface"),
            with_id("arxiv"), Observation(source="digest", title="Other")]
    store.add_documents([(doc(b"one"), rows)])
    assert store.has_unlinked()
    assert [o.id for o in store.placement_rows(batch=2)] == [1, 2, 3, 4, 5, 6]
    assert [o.id for o in store.placement_rows(identified=False, batch=1)] == [3, 6]
    assert store.last_observation_id() == 6
    assert [o.id for o in store.placement_rows(upto=4)] == [1, 2, 3, 4]
    assert [o.id for o in store.placement_rows(identified=False, upto=5)] == [3]
    order = [Source.ARXIV, Source.HUGGINGFACE]
    assert [o.id for o in store.placement_rows(identified=True, sources=order, batch=2)] == [2, 5, 4, 1]
    store.save_links([Link(observation_id=i, paper_id="arxiv:3105.01234", method="arxiv_id", score=100.0,
                           detail="arXiv id") for i in (1, 2, 4, 5)])
    assert [o.id for o in store.placement_rows()] == [3, 6]
    store.save_links([Link(observation_id=i, paper_id="title:x", method="unmatched", score=0.0, detail="own")
                      for i in (3, 6)])
    assert not store.has_unlinked() and list(store.placement_rows()) == []


def test_the_recent_unlinked_count_reads_ids_and_leaves_out_older_unlinked_ones(tmp_path):
    """What ``resolve`` judges its size by: the observations after the newest linked one
    (the exact count, ``unlinked_count``, scans every observation)."""
    from reconcile.models import Link

    store = Store(tmp_path / "x.db")
    store.add_documents([(doc(b"one"), [obs(rank=n) for n in range(1, 6)])])
    assert store.recent_unlinked_count() == store.unlinked_count() == 5
    store.save_links([Link(observation_id=3, paper_id="title:x", method="unmatched", score=0.0)])
    assert store.recent_unlinked_count() == 2  # 4 and 5; 1 and 2 are older than the newest link
    assert store.unlinked_count() == 4
