"""Saved files: which site a file belongs to, and the time stamp its name carries."""

from __future__ import annotations

import datetime as dt

import pytest

from reconcile.models import TimeBasis
from scrapers.files import list_name, read_file, site_of_path
from scrapers.pages import time_in_name

UTC = dt.timezone.utc


@pytest.mark.parametrize("name, listed", [
    ("daily-2025-12-18.json", "daily"),
    ("daily-2025-12-18.20251218T031433Z.json", "daily"),  # a snapshot of the same list
    ("feed.2025-12-10T0002Z.f7891aa0.xml", "feed"),
    ("README.2026-03-18.dc24874.md", "README"),
    ("2026-01-05-daily-papers-1762174155.md", "daily-papers"),
    ("archive__2026__04__2026-04-07_odakin.json", "archive-odakin"),
    ("000_3d879ec46469ad72.txt", "000"),
    ("2026-01-21.json", ""),
])
def test_list_name_drops_what_changes_between_snapshots(name, listed):
    assert list_name(name) == listed


def test_snapshots_of_one_list_are_one_site(tmp_path):
    folder = tmp_path / "heron-digest" / "data" / "2031"
    folder.mkdir(parents=True)
    a, b = folder / "daily-2031-05-06.json", folder / "daily-2031-05-06.20310506T031433Z.json"
    other = folder / "weekly-2031-05-06.json"
    assert site_of_path(a) == site_of_path(b) == "heron-digest/daily"
    assert site_of_path(other) == "heron-digest/weekly"
    assert site_of_path(folder / "2031-05-07.json") == "heron-digest"


def test_snapshots_kept_in_a_folder_of_their_own_are_the_same_site(tmp_path):
    """Issue 11: the lim4349 crawler keeps the live list in data/ and its earlier captures
    in snapshots/; two captures of one list are one site's history, not two sites."""
    blog = tmp_path / "heron-blog"
    live, snap = blog / "data" / "daily-2031-05-06.json", blog / "snapshots" / "daily-2031-05-06.20310506T031433Z.77a3ba87.json"
    assert site_of_path(live) == site_of_path(snap) == "heron-blog/daily"


def test_a_git_tree_names_the_site_by_its_remote(tmp_path):
    repo = tmp_path / "clone"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "config").write_text('[remote "origin"]\n\turl = git@example.org:heron/papers-daily.git\n')
    (repo / "data").mkdir()
    assert site_of_path(repo / "data" / "2031-05-06.json") == "heron/papers-daily"
    (repo / ".git" / "config").write_text("[core]\n\tbare = false\n")
    assert site_of_path(repo / "data" / "digest-2031-05-06.md") == "clone/digest"


def test_time_in_name():
    assert time_in_name("file:///x/feed.2025-12-10T0002Z.f7891aa0.xml") == dt.datetime(2025, 12, 10, 0, 2, tzinfo=UTC)
    assert time_in_name("file:///x/daily.20251218T031433Z.json") == dt.datetime(2025, 12, 18, 3, 14, 33, tzinfo=UTC)
    assert time_in_name("file:///x/daily-2025-12-18.json") is None  # a day is not a moment
    assert time_in_name("file:///x/a.2025-13-40T0002Z.json") is None


def test_a_saved_file_is_timed_by_its_name_before_its_mtime(tmp_path):
    post = tmp_path / "pond" / "digest.2031-05-06T2130Z.md"
    post.parent.mkdir()
    post.write_text("# Pond 2031-05-06\n\n1. [Reed Beds: Sparse Roots](https://arxiv.org/abs/3105.00101) 👍 9\n"
                    "2. [Lily Pads: Floating Tokens](https://arxiv.org/abs/3105.00102) 👍 4\n")
    result = read_file(post)
    doc = result.document
    assert (doc.observed_at, doc.observed_at_basis) == (dt.datetime(2031, 5, 6, 21, 30, tzinfo=UTC),
                                                        TimeBasis.FILE_NAME)
    assert not TimeBasis.FILE_NAME.is_capture  # a file's name is no proof of when it was read
    assert doc.site == "pond/digest"
    assert read_file(post, site="heron").document.site == "heron"


def test_exclude_leaves_out_files_by_name_or_path_below_the_folder(tmp_path):
    """Issue 12, point 7: ``ingest DIR --exclude GLOB``."""
    from scrapers.files import iter_input_files

    for rel in ("a/2031-05-06.json", "a/2031-05-06.json.truth.json", "drafts/x.md", "b/drafts/y.md", "c.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("[]")
    found = lambda *g: sorted(p.relative_to(tmp_path).as_posix() for p in iter_input_files([str(tmp_path)], g))  # noqa: E731
    assert found() == ["a/2031-05-06.json", "a/2031-05-06.json.truth.json", "b/drafts/y.md", "c.md", "drafts/x.md"]
    assert found("*.truth.json", "drafts") == ["a/2031-05-06.json", "c.md"]  # a name matches at any depth
    assert found("drafts/*") == ["a/2031-05-06.json", "a/2031-05-06.json.truth.json", "b/drafts/y.md", "c.md"]
    assert found("*/drafts/*") == ["a/2031-05-06.json", "a/2031-05-06.json.truth.json", "c.md", "drafts/x.md"]
    named = tmp_path / "a" / "2031-05-06.json.truth.json"
    assert list(iter_input_files([str(named)], ["*.truth.json"])) == [named]  # asked for by name


DIGEST = "# Heron digest 2031-05-06\n\n1. [Made-up Paper Number 1](https://arxiv.org/abs/3105.00101) — 👍 12\n"


def test_a_folder_that_cannot_be_listed_is_a_reject_not_silence(tmp_path, monkeypatch):
    """A folder this user may not list was skipped without a word (os.walk's way): the
    ingest said "0 rejected" and exited 0. It is a reject with the reason, and the good
    file beside it is kept. (Listing is refused by patching: the tests may run as root.)"""
    import errno
    import os

    from reconcile.store import Store
    from scrapers.ingest import ingest_paths

    (tmp_path / "inbox" / "locked").mkdir(parents=True)
    (tmp_path / "inbox" / "locked" / "hidden-from-us.md").write_text(DIGEST)
    (tmp_path / "inbox" / "2031-05-06-heron.md").write_text(DIGEST)
    locked = str(tmp_path / "inbox" / "locked")

    def refuse(real):
        def listing(path="."):
            if os.fspath(path) == locked:
                raise PermissionError(errno.EACCES, "Permission denied", locked)
            return real(path)
        return listing

    monkeypatch.setattr(os, "scandir", refuse(os.scandir))
    monkeypatch.setattr(os, "listdir", refuse(os.listdir))
    store = Store(tmp_path / "papers.db")
    summary = ingest_paths(store, [str(tmp_path / "inbox")])
    assert summary.stored == 1 and summary.failed == 1
    [reject] = store.rejects()
    assert reject.url.endswith("/inbox/locked") and reject.reason == "Permission denied"


@pytest.mark.parametrize("name, body", [
    ("papers.db", b"SQLite format 3\x00" + bytes(200)),
    ("papers-report.md", b"# paper-reconcile report\n\nDatabase `papers.db`: 1 paper.\n\n"
                         b"- [Made-up Paper](https://arxiv.org/abs/3105.00101) UTF-8\n"),
    ("papers-report.html", b"<!doctype html><html><head><title>paper-reconcile report</title></head>"
                           b"<body><a href='https://arxiv.org/abs/3105.00101'>Made-up Paper</a></body></html>"),
    ("report.json", b'{\n  "schema": "paper-reconcile/report/1",\n  "discrepancies": []\n}'),
    ("report.csv", b"paper_id,arxiv_id,title,kind,field,severity,values,detail\n"
                   b"arxiv:3105.00101,3105.00101,Made-up Paper,upvotes,upvotes,info,[],x\n"),
])
def test_the_tools_own_reports_and_databases_are_not_sources(tmp_path, name, body):
    """``reconcile ingest .`` where ``demo`` wrote read its reports as digests (a paper of
    its own named "UTF-8") and an older database as a document with 68 lost characters (a
    false warning). Each is refused, with what it is, in ``rejects``."""
    from reconcile.store import Store
    from scrapers.ingest import ingest_paths

    (tmp_path / name).write_bytes(body)
    (tmp_path / "2031-05-06-heron.md").write_text(DIGEST)
    store = Store(tmp_path / "other.db")
    summary = ingest_paths(store, [str(tmp_path)])
    assert summary.stored == 1 and summary.failed == 1
    [reject] = store.rejects()
    assert reject.url.endswith(name) and "not a source" in reject.reason


def test_the_side_files_of_a_database_are_not_sources(tmp_path):
    """An older database's write-ahead log, shared memory, journal and lock, beside it."""
    from reconcile.store import Store
    from scrapers.ingest import ingest_paths

    (tmp_path / "old.db").write_bytes(b"SQLite format 3\x00" + bytes(200))
    for suffix in ("-wal", "-shm", "-journal", ".resolve.lock"):
        (tmp_path / f"old.db{suffix}").write_bytes(DIGEST.encode())  # readable as a digest
    (tmp_path / "lone.md-wal").write_text(DIGEST)  # no database beside it: a document
    store = Store(tmp_path / "other.db")
    summary = ingest_paths(store, [str(tmp_path)])
    assert summary.stored == 1 and summary.failed == 5
    assert sorted(r.url.rsplit("/", 1)[1] for r in store.rejects()) == [
        "old.db", "old.db-journal", "old.db-shm", "old.db-wal", "old.db.resolve.lock"]
