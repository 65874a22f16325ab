"""The SQLite store: tables, keys, indexes, append-only observations, content-hash dedup."""

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest

from reconcile.models import Crawl, Discrepancy, Document, Link, Observation, Paper, Reject
from reconcile.store import Store

from .support import crawl_rows

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
    assert [i.columns for i in unique] == [["url", "sha256"]]
    Store(tmp_path / "x.db")  # opening again keeps everything


def test_a_document_is_its_content_at_its_address(tmp_path):
    """Issue 13, point 5: the same bytes at another address are another document (two empty
    days of a list, ``[]`` both, are two days); the same bytes at the same address again,
    in another batch or later in the same one, are skipped with their observations."""
    store = Store(tmp_path / "x.db")
    first = store.add_documents([(doc(b"one"), [obs(), obs(rank=2)]), (doc(b"two"), [obs()])])
    assert first == [1, 2]
    again = store.add_documents([(doc(b"one", url="https://elsewhere"), [obs()]), (doc(b"one"), [obs()]),
                                 (doc(b"three"), [obs()]), (doc(b"three"), [obs()])])
    assert again == [3, None, 4, None]
    assert store.db["observations"].count == 5
    row = next(store.db["observations"].rows_where("document_id = 1 and rank = 2"))
    assert row["observed_at"] == "2026-02-05T07:45:00Z"
    assert row["authors"] == '["A", "B"]'
    with pytest.raises(sqlite3.IntegrityError):  # the database itself refuses a second copy
        store.db.execute("insert into documents (url, source, observed_at, observed_at_basis, sha256) "
                         "select url, source, observed_at, observed_at_basis, sha256 from documents where id = 1")


def test_an_older_database_unique_by_hash_alone_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    store = Store(path)
    store.add_documents([(doc(b"[]", url="https://hf/day1"), [])])
    store.db.execute("drop index idx_documents_url_sha256")
    store.db.execute("drop index idx_documents_sha256")
    store.db.execute("create unique index idx_documents_sha256 on documents (sha256)")
    store.db.execute("PRAGMA user_version = 1")  # as an earlier version left it
    store.close()
    store = Store(path)
    assert [i.columns for i in store.db["documents"].indexes if i.unique] == [["url", "sha256"]]
    assert store.add_documents([(doc(b"[]", url="https://hf/day2"), []),
                                (doc(b"[]", url="https://hf/day1"), [])]) == [2, None]


def test_the_database_is_in_wal_mode_and_readers_see_it_while_a_writer_writes(tmp_path):
    """Issue 13, point 2: WAL and a busy timeout, so a report reads while resolve writes."""
    path = tmp_path / "w.db"
    Store(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    writer = Store(path)
    writer.db.execute("begin immediate")
    writer.db.execute("insert into crawls (spider, started_at, status) values ('x', '2026', 'running')")
    try:
        reader = Store(path, read_only=True)
        assert reader.db["crawls"].count == 0  # the uncommitted row is not seen, and no wait
        assert Store(path).db["crawls"].count == 0  # a writable open needs no lock either
    finally:
        writer.db.execute("commit")
    assert reader.db["crawls"].count == 1


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
    store.db.execute("PRAGMA user_version = 1")  # as an earlier version of the code left it
    assert "summary" not in store.db["papers"].columns_dict
    assert "summary" in Store(path).db["papers"].columns_dict


# -- views and full-text search -----------------------------------------------------------------
def _doc(name: str, source: str, at: dt.datetime, basis: str = "response") -> Document:
    return Document(url=f"https://example.org/{name}", source=source, format=f"{source}-test", observed_at=at,
                    observed_at_basis=basis, sha256=hashlib.sha256(name.encode()).hexdigest())


def _finding(paper: str, n: int, severity: str) -> Discrepancy:
    return Discrepancy(id=f"{paper}-{n}", paper_id=paper, kind="upvotes", severity=severity, detail="differ")


def _two_papers(tmp_path) -> Store:
    """Paper A seen by Hugging Face twice and a digest, with an error, two warnings and an info;
    paper B seen once, with no upvote count and no discrepancy."""
    store = Store(tmp_path / "v.db")
    later = T + dt.timedelta(hours=6)
    ids = store.add_documents([
        (_doc("hf-1", "huggingface", T), [Observation(source="huggingface", arxiv_id="2602.00001", upvotes=10,
                                                      comments=1)]),
        (_doc("blog", "digest", T - dt.timedelta(hours=3), "published"),
         [Observation(source="digest", site="blog", arxiv_id="2602.00001", upvotes=12),
          Observation(source="digest", site="blog", arxiv_id="2602.00002", title="B")]),
        (_doc("hf-2", "huggingface", later), [Observation(source="huggingface", arxiv_id="2602.00001", upvotes=15,
                                                          comments=2)]),
    ])
    assert ids == [1, 2, 3]  # observations 1 (hf), 2 and 3 (blog: A, B), 4 (hf later)
    links = [Link(observation_id=o, paper_id="arxiv:2602.00001", method="arxiv_id", score=100) for o in (1, 2, 4)]
    links.append(Link(observation_id=3, paper_id="arxiv:2602.00002", method="arxiv_id", score=100))
    papers = [Paper(id="arxiv:2602.00001", arxiv_id="2602.00001", title="A", upvotes=15, upvotes_observed_at=later,
                    comments=2, sources=["huggingface", "digest"]),
              Paper(id="arxiv:2602.00002", arxiv_id="2602.00002", title="B", sources=["digest"])]
    found = {"arxiv:2602.00001": [_finding("arxiv:2602.00001", n, severity)
                                  for n, severity in enumerate(["warning", "info", "error", "warning"])],
             "arxiv:2602.00002": []}
    with store.transaction():
        store.save_links(links)
        store.save_papers(papers, found)
    return store


def test_paper_overview_counts_sources_observations_and_discrepancies(tmp_path):
    store = _two_papers(tmp_path)
    rows = {r["id"]: r for r in store.db.query("select * from paper_overview")}
    assert rows["arxiv:2602.00001"] == {
        "id": "arxiv:2602.00001", "arxiv_id": "2602.00001", "title": "A", "published": None, "upvotes": 15,
        "upvotes_observed_at": "2026-02-05T13:45:00Z", "comments": 2, "source_count": 2,
        "sources": '["huggingface", "digest"]', "observations": 3, "discrepancies": 4,
        "worst_severity": "error", "errors": 1, "warnings": 2, "infos": 1}
    b = rows["arxiv:2602.00002"]
    assert (b["observations"], b["discrepancies"], b["worst_severity"], b["errors"], b["infos"]) == (1, 0, None, 0, 0)
    # The worst severity follows the data: without the error, a warning is the worst.
    store.db.execute("delete from discrepancies where severity = 'error'")
    assert next(store.db.query("select worst_severity from paper_overview where id = 'arxiv:2602.00001'")) == \
        {"worst_severity": "warning"}


def test_upvote_history_lists_every_count_in_time_order_with_its_basis(tmp_path):
    store = _two_papers(tmp_path)
    rows = list(store.db.query("select * from upvote_history"))
    assert [(r["paper_id"], r["observed_at"], r["observed_at_basis"], r["source"], r["upvotes"], r["comments"],
             r["observation_id"], r["document_id"]) for r in rows] == [
        ("arxiv:2602.00001", "2026-02-05T04:45:00Z", "published", "digest", 12, None, 2, 2),
        ("arxiv:2602.00001", "2026-02-05T07:45:00Z", "response", "huggingface", 10, 1, 1, 1),
        ("arxiv:2602.00001", "2026-02-05T13:45:00Z", "response", "huggingface", 15, 2, 4, 3),
    ]  # paper B's observation has no count: not in the history
    assert (rows[0]["arxiv_id"], rows[0]["title"], rows[0]["site"]) == ("2602.00001", "A", "blog")


def test_views_are_created_on_an_older_database(tmp_path):
    path = tmp_path / "old.db"
    store = Store(path)
    for name in ("paper_overview", "upvote_history"):
        store.db[name].drop()
    store.db["papers"].disable_fts()  # the index and its triggers
    store.db["papers"].insert({"id": "arxiv:2602.00009", "title": "Kept", "abstract": "old rows are indexed too"})
    store.db.execute("PRAGMA user_version = 1")  # as an earlier version of the code left it
    assert "paper_overview" not in store.db.view_names() and not store.db["papers"].triggers
    reopened = Store(path)
    assert {"paper_overview", "upvote_history"} <= set(reopened.db.view_names())
    assert _searched(reopened, "indexed") == ["arxiv:2602.00009"]
    assert {t.name for t in reopened.db["papers"].triggers} >= {"papers_ai", "papers_au", "papers_ad"}


def _searched(store: Store, query: str) -> list[str]:
    """Paper ids sqlite-utils' own search (what ``sqlite-utils search`` runs) returns."""
    return [row["id"] for row in store.db["papers"].search(query, columns=["id"])]


def _fts_ids(store: Store, word: str) -> set[str]:
    """Papers the index itself returns for a word (no join that could hide stale entries)."""
    rowids = [r[0] for r in store.db.execute("select rowid from papers_fts where papers_fts match ?", [word])]
    return {store.db.execute("select id from papers where rowid = ?", [r]).fetchone()[0] for r in rowids}


def _fts_consistent(store: Store) -> None:
    # FTS5's integrity-check with rank 1 also compares the index with the papers table.
    store.db.execute("insert into papers_fts(papers_fts, rank) values('integrity-check', 1)")


def test_search_follows_resolve_updates_and_adoption(tmp_path):
    from reconcile.resolve import resolve

    store = Store(tmp_path / "s.db")
    store.add_documents([(_doc("blog-1", "digest", T), [
        Observation(source="digest", site="blog", arxiv_id="2602.00011", title="Zebra Models Count Stripes",
                    abstract="Stripes are tallied on savanna photographs."),
        Observation(source="digest", site="blog", title="Whisker Attention for Sleepy Cats", authors=["Ann Lee"],
                    abstract="Measures naps with a marmalade cohort."),
    ])])
    resolve(store)
    assert _fts_ids(store, "savanna") == {"arxiv:2602.00011"}  # a word of the abstract only
    assert _searched(store, "savanna") == ["arxiv:2602.00011"]  # as sqlite-utils search finds it
    [own] = _fts_ids(store, "marmalade")
    assert own.startswith("title:")
    _fts_consistent(store)

    later = T + dt.timedelta(hours=1)
    store.add_documents([(_doc("arxiv-1", "arxiv", later), [
        Observation(source="arxiv", arxiv_id="2602.00011", title="Okapi Models Count Stripes",
                    abstract="Stripes are tallied on savanna photographs."),
        Observation(source="arxiv", arxiv_id="2602.00012", title="Whisker Attention for Sleepy Cats",
                    authors=["Ann Lee"], abstract="Felines nap and attention follows."),
    ])])
    summary = resolve(store)
    assert summary.adopted == 1 and store.db["papers"].count == 2
    # arXiv's title replaced the digest's: found by its new word, not by the old one.
    assert store.db["papers"].get("arxiv:2602.00011")["title"] == "Okapi Models Count Stripes"
    assert _fts_ids(store, "okapi") == {"arxiv:2602.00011"}
    assert _fts_ids(store, "zebra") == set()
    # The title-only paper was adopted and deleted: its abstract's words left the index with it.
    assert _fts_ids(store, "marmalade") == set()
    assert _fts_ids(store, "felines") == {"arxiv:2602.00012"}
    _fts_consistent(store)


def test_opening_an_up_to_date_database_writes_nothing(tmp_path):
    """Issue 13, point 2: schema upkeep runs only when the schema fingerprint in
    ``PRAGMA user_version`` differs, so a second process can open the database while another
    holds its write lock (``resolve`` writing, ``report`` or ``ingest`` starting)."""
    import sqlite3

    from reconcile.store import Store, schema_version

    path = tmp_path / "p.db"
    Store(path).close()
    writer = sqlite3.connect(path)
    writer.execute("begin immediate")  # another process is writing
    try:
        store = Store(path)  # would wait 5 s and fail as "locked" if it wrote the schema again
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        store.close()
    finally:
        writer.rollback()
        writer.close()
    old = sqlite3.connect(path)
    old.execute("PRAGMA user_version = 1")  # a database of an earlier schema: upkeep runs
    old.close()
    Store(path).close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == schema_version()


def test_the_schema_version_is_a_fingerprint_of_tables_views_triggers_and_index(monkeypatch):
    """Any change to what the code makes changes ``user_version``, so a database of an
    earlier schema gets its upkeep; the same schema gives the same version."""
    from reconcile.store import schema  # where schema_version reads these names

    base = schema.schema_version()
    assert isinstance(base, int) and 1 <= base <= 1 << 28 and base == schema.schema_version()
    table = schema.SCHEMA["papers"]
    changes = {
        "column": ("SCHEMA", {**schema.SCHEMA, "papers": {**table, "columns": {**table["columns"], "x": str}}}),
        "column type": ("SCHEMA", {**schema.SCHEMA, "papers": {**table, "columns": {**table["columns"],
                                                                                     "title": int}}}),
        "not null": ("SCHEMA", {**schema.SCHEMA, "papers": {**table, "not_null": {*table["not_null"], "title"}}}),
        "view": ("VIEWS", {**schema.VIEWS, "extra": "select 1"}),
        "trigger": ("_IMMUTABLE", schema._IMMUTABLE + "-- another trigger"),
        "fts table": ("FTS_TABLE", schema.FTS_TABLE + "_x"),
        "fts columns": ("FTS_COLUMNS", (*schema.FTS_COLUMNS, "summary")),
        "fts tokenizer": ("FTS_TOKENIZE", schema.FTS_TOKENIZE + "_x"),
    }
    seen = {base}
    for what, (name, value) in changes.items():
        with monkeypatch.context() as m:
            m.setattr(schema, name, value)
            version = schema.schema_version()
        assert version not in seen, what
        assert 1 <= version <= 1 << 28
        seen.add(version)


@pytest.mark.parametrize("value, seconds", [(None, 30.0), ("", 30.0), ("2.5", 2.5), ("0", 0.0), ("-4", 0.0),
                                            ("soon", 30.0)])
def test_the_busy_timeout_comes_from_the_environment_when_a_store_connects(monkeypatch, value, seconds):
    from reconcile.store import busy_timeout

    if value is None:
        monkeypatch.delenv("RECONCILE_BUSY_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("RECONCILE_BUSY_TIMEOUT", value)
    assert busy_timeout() == seconds


def _pipeline_locked_once(tmp_path):
    """A store pipeline with one buffered page whose first write finds the database locked
    (no retries at the final flush); its crawler."""
    from scrapy.utils.test import get_crawler

    from reconcile.models import Observation, Source
    from scrapers.items import PageItem
    from scrapers.pages import PageResult
    from scrapers.pipelines import StorePipeline

    crawler = get_crawler(settings_dict={"RECONCILE_DB": str(tmp_path / "p.db"), "RECONCILE_STORE_RETRIES": 0})
    crawler.spider = type("S", (), {"name": "huggingface", "args": {}})()
    pipeline = StorePipeline(crawler)
    pipeline.open_spider()
    doc = _doc("heron-list", "huggingface", dt.datetime(2031, 5, 6, tzinfo=dt.timezone.utc))
    obs = Observation(source=Source.HUGGINGFACE, arxiv_id="3105.00001", title="Heron Counting")
    real, calls = pipeline.store.add_documents, []

    def locked_once(batch, crawl_id=None):
        calls.append(len(batch))
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")
        return real(batch, crawl_id)

    pipeline.store.add_documents = locked_once
    pipeline.process_item(PageItem("https://huggingface.co/api/daily_papers?date=2031-05-06", PageResult(doc, [obs], [], {})))
    return pipeline, crawler


def test_a_crawl_that_cannot_write_keeps_its_batch_and_writes_it_later(tmp_path):
    """Issue 13, point 2: a failed write (the database locked past its timeout) dropped the
    batch; now it stays buffered and is written by the next flush."""
    pipeline, crawler = _pipeline_locked_once(tmp_path)
    pipeline.flush()
    assert pipeline.documents and crawler.stats.get_value("reconcile/store/retry") == 1  # kept, not dropped
    pipeline.flush(final=True)
    assert not pipeline.documents and pipeline.store.db["documents"].count == 1
    assert not pipeline.store_failed


def test_a_final_write_that_succeeds_after_a_failed_one_clears_store_error(tmp_path):
    """The crawl's end flushes twice (close_spider, then spider_closed): when the first gave
    up on a locked database and the second wrote everything, the row still said
    store_error and the log that documents were lost (a probe; exit 3, all stored). The
    batch the first gave up on is kept in a file beside the database (reconcile.store.unsaved),
    which spider_closed writes back."""
    pipeline, crawler = _pipeline_locked_once(tmp_path)
    pipeline.close_spider()
    kept = Path(crawler.stats.get_value("reconcile/store/unsaved"))
    assert pipeline.store_failed and kept.is_file() and not pipeline.documents  # gave up, kept the batch
    pipeline.spider_closed(crawler.spider, "finished")
    assert not kept.exists() and Store(tmp_path / "p.db").db["documents"].count == 1
    assert not pipeline.store_failed and crawler.stats.get_value("reconcile/store/recovered") == 1
    assert crawl_rows(tmp_path / "p.db")[0]["status"] == "finished"


def test_a_write_waits_for_another_writer_instead_of_failing_at_once(tmp_path):
    """Issue 13: sqlite-utils' deferred BEGIN read first and then could not become a write
    once another process had committed: "database is locked" after 0.001 s. Every write
    transaction now starts with BEGIN IMMEDIATE, so the second writer waits its turn."""
    import threading
    import time

    path = tmp_path / "w.db"
    first, second = Store(path), Store(path)
    second.db.conn.close()
    second.db = __import__("sqlite_utils").Database(sqlite3.connect(path, timeout=10, check_same_thread=False))
    outcome = {}

    def write_second():
        try:
            outcome["ids"] = second.add_documents([(doc(b"second"), [obs()])])
        except Exception as exc:  # noqa: BLE001 - the failure is what the test looks for
            outcome["error"] = exc

    with first.transaction():
        first.pending_papers()  # a read first, as resolve does
        writer = threading.Thread(target=write_second)
        writer.start()
        time.sleep(0.3)
        first.add_documents([(doc(b"first"), [obs()])])
    writer.join(10)
    assert "error" not in outcome and outcome["ids"] == [2]
    assert [r["url"] for r in first.db["documents"].rows] == ["https://example.org/a"] * 2


def test_observations_carry_their_documents_time_basis_and_old_ones_gain_it(tmp_path):
    """Issue 14: ``observed_at_basis`` was on documents only, so every reader of observations
    joined them. Observations carry it now; a database of the earlier schema is filled in
    from its documents, and observations stay append-only afterwards."""
    path = tmp_path / "old.db"
    store = Store(path)
    store.add_documents([(doc(b"one"), [obs()])])
    assert next(store.db["observations"].rows)["observed_at_basis"] == "response"
    store.db.execute("drop trigger observations_no_update")
    store.db.execute("drop view upvote_history")  # the earlier view read the basis from documents
    store.db.execute("alter table observations drop column observed_at_basis")
    store.db.execute("PRAGMA user_version = 1")
    store.close()
    store = Store(path)
    assert next(store.db["observations"].rows)["observed_at_basis"] == "response"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("update observations set title = 'x'")


def test_saved_papers_and_findings_replace_what_was_stored_and_keep_the_rest(tmp_path):
    """``save_papers`` writes with one prepared upsert: a paper saved again takes its new
    values (and a column it no longer has becomes empty), other papers stay, and a paper's
    findings are its complete list. Rows that do not share their columns are refused."""
    from reconcile.models import Kind, Severity
    from reconcile.store import _upsert

    store = Store(tmp_path / "p.db")

    def finding(pid: str, field: str) -> Discrepancy:
        return Discrepancy(id=f"{pid}:{field}", paper_id=pid, kind=Kind.TITLE, field=field,
                           severity=Severity.WARNING, values=[], detail=f"{field} differs")

    store.save_papers([Paper(id="arxiv:3105.00001", title="First", upvotes=3), Paper(id="arxiv:3105.00002",
                                                                                     title="Second")],
                      {"arxiv:3105.00001": [finding("arxiv:3105.00001", "title"), finding("arxiv:3105.00001", "rank")]})
    store.save_papers([Paper(id="arxiv:3105.00001", title="First, again")],
                      {"arxiv:3105.00001": [finding("arxiv:3105.00001", "upvotes")]})
    papers = {p.id: p for p in store.papers()}
    assert papers["arxiv:3105.00001"].title == "First, again" and papers["arxiv:3105.00001"].upvotes is None
    assert papers["arxiv:3105.00002"].title == "Second"
    assert [d.id for d in store.discrepancies()] == ["arxiv:3105.00001:upvotes"]
    # Rows are written by column name, whatever order their keys come in.
    _upsert(store.db.conn, "papers", [{"id": "arxiv:3105.00003", "title": "Third", "upvotes": 7},
                                      {"upvotes": 8, "title": "Fourth", "id": "arxiv:3105.00004"}], "id")
    assert store.db.execute("select title, upvotes from papers where id = 'arxiv:3105.00004'").fetchone() \
        == ("Fourth", 8)
    with pytest.raises(ValueError, match="same columns"):
        _upsert(store.db.conn, "papers", [{"id": "a", "title": "x"}, {"id": "b", "upvotes": 1}], "id")
