"""The SQLite store: tables, keys, indexes, append-only observations, content-hash dedup."""

import datetime as dt
import hashlib
import sqlite3

import pytest

from reconcile.models import Crawl, Document, Observation, Reject
from reconcile.store import Store

T = dt.datetime(2026, 2, 5, 7, 45, tzinfo=dt.timezone.utc)


def doc(body: bytes, url="https://example.org/a") -> Document:
    return Document(url=url, source="digest", format="digest-top-list", observed_at=T,
                    observed_at_basis="response", sha256=hashlib.sha256(body).hexdigest())


def obs(**kw) -> Observation:
    return Observation(source="digest", arxiv_id="2602.04705", title="A title", authors=["A", "B"],
                       upvotes=3, extra={"rank_basis": "upvotes"}, **kw)


def test_tables_keys_and_indexes(tmp_path):
    store = Store(tmp_path / "x.db")
    names = set(store.db.table_names())
    assert {"documents", "observations", "papers", "links", "discrepancies", "crawls", "rejects"} <= names
    assert store.db["observations"].pks == ["id"]
    assert store.db["links"].pks == ["observation_id"]
    assert {fk.other_table for fk in store.db["observations"].foreign_keys} == {"documents", "crawls"}
    indexed = {tuple(i.columns) for i in store.db["observations"].indexes}
    assert ("arxiv_id",) in indexed and ("document_id",) in indexed
    unique = [i for i in store.db["documents"].indexes if i.unique]
    assert [i.columns for i in unique] == [["sha256"]]
    Store(tmp_path / "x.db")  # opening again keeps everything


def test_documents_with_a_known_hash_are_skipped(tmp_path):
    store = Store(tmp_path / "x.db")
    first = store.add_documents([(doc(b"one"), [obs(), obs(rank=2)]), (doc(b"two"), [obs()])])
    assert first == [1, 2]
    again = store.add_documents([(doc(b"one", url="https://elsewhere"), [obs()]), (doc(b"one"), [obs()]),
                                 (doc(b"three"), [obs()])])
    assert again == [None, None, 3]
    assert store.db["observations"].count == 4
    row = next(store.db["observations"].rows_where("document_id = 1 and rank = 2"))
    assert row["observed_at"] == "2026-02-05T07:45:00Z"
    assert row["authors"] == '["A", "B"]'


def test_observations_are_append_only(tmp_path):
    store = Store(tmp_path / "x.db")
    store.add_documents([(doc(b"one"), [obs()])])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("update observations set upvotes = 99")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("delete from observations")
    assert store.db["observations"].get(1)["upvotes"] == 3


def test_a_failing_batch_leaves_nothing_behind(tmp_path):
    store = Store(tmp_path / "x.db")
    good = (doc(b"good"), [obs()])
    bad = (doc(b"bad"), [Observation(source="digest", title="poison")])
    store.db.execute("create trigger no_bad before insert on observations when new.title = 'poison' "
                     "begin select raise(abort, 'bad row'); end")
    with pytest.raises(sqlite3.IntegrityError, match="bad row"):
        store.add_documents([good, bad])
    assert store.db["documents"].count == 0 and store.db["observations"].count == 0


def test_crawls_and_rejects(tmp_path):
    store = Store(tmp_path / "x.db")
    crawl_id = store.start_crawl(Crawl(spider="huggingface", args={"date": "2026-02-05"}, started_at=T))
    store.add_rejects([Reject(crawl_id=crawl_id, url="https://x", source="huggingface", reason="HTTP 404", at=T)])
    store.finish_crawl(crawl_id, "finished", {"item_scraped_count": 2}, T)
    [crawl] = store.crawls()
    assert (crawl.status, crawl.stats, crawl.args) == ("finished", {"item_scraped_count": 2}, {"date": "2026-02-05"})
    [reject] = store.rejects()
    assert (reject.crawl_id, reject.reason) == (crawl_id, "HTTP 404")
    assert store.counts()["rejects"] == 1


def test_an_older_database_gains_new_columns(tmp_path):
    path = tmp_path / "old.db"
    store = Store(path)
    store.db.execute("alter table papers drop column summary")
    assert "summary" not in store.db["papers"].columns_dict
    assert "summary" in Store(path).db["papers"].columns_dict
