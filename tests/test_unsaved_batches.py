"""A crawl's batch that the database refuses for good is kept in a file beside the database,
and the next command writing to it writes the batch back (reconcile.store.unsaved).

Before, the crawl said what it could not write and the pages it had fetched were lost: a
day's list fetched again later is another capture, with other counts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

from .support import crawl_rows, crawl_with_store_refusing, rows, run_reconcile


def _one_kept_file(db: Path) -> Path:
    kept = sorted((db.parent / (db.name + ".unsaved")).glob("crawl-*.jsonl"))
    assert len(kept) == 1, kept
    return kept[0]


def _refused_crawl(tmp_path: Path, methods: str):
    """The demo day's Hugging Face crawl into a new database whose ``methods`` refuse: it
    exits 3 without a traceback; the database, the crawl's output and the one kept file."""
    from reconcile.store import Store

    db = tmp_path / "p.db"
    Store(db).close()
    done = crawl_with_store_refusing(methods, db, tmp_path, "--set", "RECONCILE_STORE_RETRIES=1")
    assert done.returncode == 3, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return db, done, _one_kept_file(db)


def test_a_batch_the_database_refuses_is_kept_beside_it_and_written_back_by_the_next_resolve(tmp_path):
    db, done, kept = _refused_crawl(tmp_path, "add_documents")
    assert f"kept them in {kept}" in done.stderr
    assert rows(db, "select count(*) n from documents") == [{"n": 0}]
    assert [c["status"] for c in crawl_rows(db)] == ["store_error"]
    lines = [json.loads(line) for line in kept.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["crawl"]["id"] == 1 and sum("document" in line for line in lines) == 1

    back = run_reconcile("resolve", "--db", str(db), cwd=tmp_path)
    assert back.returncode == 0, back.stderr[-2000:]
    assert "wrote back 1 documents and 0 rejects" in back.stderr
    assert not kept.exists() and not kept.parent.exists()
    assert rows(db, "select crawl_id, count(*) n from observations group by crawl_id") == [{"crawl_id": 1, "n": 10}]
    assert rows(db, "select count(*) n from links") == [{"n": 10}]


def test_a_crawl_whose_end_is_refused_too_names_the_file_that_keeps_its_batch(tmp_path):
    db, done, kept = _refused_crawl(tmp_path, "add_documents,finish_crawl")
    assert f"what it could not write is kept in {kept.parent}" in done.stderr
    assert "is not stored" not in done.stderr
    # The next crawl writes it back before its own work (the same day again: nothing new).
    again = run_reconcile("crawl", "huggingface", "--date", "2026-02-05", "--replay",
                          str(Path(__file__).resolve().parent.parent / "scrapers" / "recordings" / "2026-02-05"),
                          "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    assert not kept.exists()
    assert rows(db, "select crawl_id, count(*) n from documents group by crawl_id") == [{"crawl_id": 1, "n": 1}]


def _doc(url: str, body: bytes):
    from reconcile.models import Document

    return Document(url=url, source="digest", format="digest-top-list",
                    observed_at=dt.datetime(2026, 2, 5, 7, 45, tzinfo=dt.timezone.utc),
                    observed_at_basis="response", sha256=hashlib.sha256(body).hexdigest())


def _obs(arxiv_id: str):
    from reconcile.models import Observation

    return Observation(source="digest", arxiv_id=arxiv_id, title="A title", upvotes=3)


def _crawl(store):
    from reconcile.models import Crawl

    crawl = Crawl(spider="digests", started_at=dt.datetime(2026, 2, 5, 7, 40, tzinfo=dt.timezone.utc))
    return crawl.model_copy(update={"id": store.start_crawl(crawl)})


def test_writing_back_twice_stores_nothing_twice_and_a_bad_line_is_a_reject(tmp_path):
    from reconcile.models import Reject
    from reconcile.store import Store

    store = Store(tmp_path / "p.db")
    crawl = _crawl(store)
    at = dt.datetime(2026, 2, 5, 7, 46, tzinfo=dt.timezone.utc)
    kept = store.keep_unsaved(crawl, [(_doc("https://example.org/a", b"a"), [_obs("2602.00001")]),
                                      (_doc("https://example.org/b", b"b"), [_obs("2602.00002")])],
                              [Reject(url="https://example.org/c", reason="no list found", at=at)])
    copy = tmp_path / "copy.jsonl"
    shutil.copy(kept, copy)
    # A line damaged after it was written: the others are kept, the damage is a reject.
    text = kept.read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace('"upvotes": 3', '"upvotes": -3')
    kept.write_text("\n".join(text) + "\n{not json\n", encoding="utf-8")

    done = store.write_back_unsaved()
    assert (done.documents, done.refused, len(done.files)) == (1, 2, 1)
    assert not kept.exists()
    got = rows(store.path, "select url, crawl_id from documents order by url")
    assert got == [{"url": "https://example.org/a", "crawl_id": crawl.id}]
    reasons = [r["reason"] for r in rows(store.path, "select reason from rejects order by id")]
    assert reasons[0] == "no list found"
    assert reasons[1].startswith("unsaved batch line 3 is not valid: observation.upvotes: Input should be greater"), reasons[1]
    assert reasons[2].startswith("unsaved batch line 5 is not valid")

    # The whole file again (a command killed between its commit and the file's removal).
    kept.parent.mkdir(exist_ok=True)
    shutil.copy(copy, kept)
    again = store.write_back_unsaved()
    assert again.documents == 1  # b, refused before, is stored now; a is not stored twice
    assert rows(store.path, "select count(*) n from documents") == [{"n": 2}]
    assert rows(store.path, "select count(*) n from observations") == [{"n": 2}]
    assert [r["reason"] for r in rows(store.path, "select reason from rejects where crawl_id = ?", crawl.id)] \
        == ["no list found"]


def test_a_kept_batch_of_a_crawl_this_database_does_not_have_is_stored_without_a_crawl(tmp_path):
    from reconcile.store import Store

    store = Store(tmp_path / "p.db")
    crawl = _crawl(store)
    kept = store.keep_unsaved(crawl.model_copy(update={"id": crawl.id + 1}),
                              [(_doc("https://example.org/a", b"a"), [_obs("2602.00001")])], [])
    assert store.write_back_unsaved().documents == 1 and not kept.exists()
    assert rows(store.path, "select crawl_id from documents") == [{"crawl_id": None}]


def test_ingest_of_the_databases_folder_does_not_read_the_kept_batches_as_input(tmp_path):
    from reconcile.store import Store
    from scrapers.ingest import ingest_paths

    store = Store(tmp_path / "p.db")
    store.keep_unsaved(_crawl(store), [(_doc("https://example.org/a", b"a"), [_obs("2602.00001")])], [])
    summary = ingest_paths(store, [str(tmp_path)])
    assert (summary.stored, summary.failed) == (0, 0)
    assert summary.empty == [str(tmp_path)]


def test_a_report_says_it_is_incomplete_while_a_batch_waits_beside_the_database(tmp_path):
    # The batch is in no table yet: a report (read-only, it writes nothing back) must not
    # look whole, and --fail-on cannot say there is nothing to alert on.
    from reconcile.store import Store

    store = Store(tmp_path / "p.db")
    store.keep_unsaved(_crawl(store), [(_doc("https://example.org/a", b"a"), [_obs("2602.00001")])], [])
    store.close()
    md = run_reconcile("report", "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert md.returncode == 0, md.stderr[-2000:]
    assert "**Incomplete:** 1 batches of pages a crawl could not write wait beside the database" in md.stdout
    as_json = run_reconcile("report", "--format", "json", "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert json.loads(as_json.stdout)["counts"]["unsaved_batches"] == 1
    gate = run_reconcile("report", "--fail-on", "error", "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    assert gate.returncode == 1 and "the report is incomplete: 1 batches" in gate.stderr


def test_two_commands_writing_one_file_back_at_once_store_its_rejects_once(tmp_path):
    # Another command (an ingest beside a resolve) writes the same file back between this
    # one's read of it and its transaction: what is stored already is judged under the
    # write lock, not before it.
    from reconcile.models import Reject
    from reconcile.store import Store

    store, other = Store(tmp_path / "p.db"), Store(tmp_path / "p.db")
    at = dt.datetime(2026, 2, 5, 7, 46, tzinfo=dt.timezone.utc)
    store.keep_unsaved(_crawl(store), [(_doc("https://example.org/a", b"a"), [_obs("2602.00001")])],
                       [Reject(url="https://example.org/c", reason="no list found", at=at)])
    real = store.transaction

    def after_the_other():
        assert len(other.write_back_unsaved().files) == 1
        return real()

    store.transaction = after_the_other
    store.write_back_unsaved()
    assert rows(store.path, "select count(*) n from rejects") == [{"n": 1}]
    assert rows(store.path, "select count(*) n from observations") == [{"n": 1}]
