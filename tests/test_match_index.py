"""The matcher's stored blocking index (issue 15, point 1): ``resolve`` looks up what its new
observations need in ``match_papers`` / ``match_blocks`` instead of reading every paper, and
the answer is the one an index built in memory from every stored paper gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import shutil
from collections import Counter

import pytest

from reconcile import match
from reconcile.config import DEFAULT
from reconcile.match import TitleIndex, index_entries, index_fingerprint
from reconcile.models import Observation, Source
from reconcile.policy import surnames
from reconcile.resolve import build_index, ensure_index, resolve
from reconcile.store import Store

from .test_resolve_adoption import T, WORDS, _arxiv_run, _digest_run, _doc, _paper_of, title

BIRDS = ["heron", "wren", "lark", "finch", "crane", "stork", "egret", "ibis"]
# Small bounds, so that blocks are cut and common words are passed over, as at a million papers.
TIGHT = dataclasses.replace(DEFAULT, max_posting=40, max_candidates=25, block_words=2)


def _papers() -> list[dict]:
    """600 made-up papers of the same common words in turn, some with a colon, a DOI, a day
    and authors, and a few sharing one title."""
    papers = []
    for n in range(600):
        words = " ".join(BIRDS[(n + k) % 8] for k in range(5))
        name = f"Mark{n % 50}" if n % 3 == 0 else None
        papers.append({"id": f"arxiv:3105.{n:05d}" if n % 4 else f"title:{n:016x}",
                       "title": f"{name}: {words} part{n % 7}" if name else f"{words} part{n % 7}",
                       "published": (dt.date(2031, 1, 1) + dt.timedelta(days=n % 90)).isoformat() if n % 5 else None,
                       "authors": [f"Ada Bird{n % 11}"] if n % 2 else [],
                       "doi": f"10.1234/B{n}" if n % 9 == 0 else None})
    papers.append({"id": "arxiv:3105.99998", "title": None, "published": None, "authors": [], "doi": "10.1234/none"})
    return sorted(papers, key=lambda p: p["id"])


def _memory(papers: list[dict], config=DEFAULT) -> TitleIndex:
    """The index as every run built it before it was stored: every paper added in id order."""
    index = TitleIndex(config)
    for p in papers:
        index.add(p["id"], p["title"], days=[dt.date.fromisoformat(p["published"])] if p["published"] else [],
                  authors=p["authors"], doi=p["doi"])
    return index


def _stored(tmp_path, papers: list[dict], config=DEFAULT) -> Store:
    store = Store(tmp_path / "index.db")
    with store.transaction():
        store.stage_index([index_entries(p["id"], p["title"], p["published"], p["authors"], p["doi"], config)
                           for p in papers])
        store.write_index(index_fingerprint(config), everything=True)
    return store


def _queries() -> list[Observation]:
    seen = []
    for n in range(0, 600, 7):
        words = " ".join(BIRDS[(n + k) % 8] for k in range(5))
        day = dt.date(2031, 1, 1) + dt.timedelta(days=n % 90)
        seen += [Observation(source=Source.DIGEST, title=f"{words} part{n % 7}", listed_on=day),
                 Observation(source=Source.DIGEST, title=f"{words.upper()} PART{n % 7}", authors=[f"Ada Bird{n % 11}"]),
                 Observation(source=Source.DIGEST, title=" ".join(words.split()[:4]) + " ...", listed_on=day),
                 Observation(source=Source.DIGEST, title=f"Mark{n % 50}", extra={"mention": False}),
                 Observation(source=Source.DIGEST, extra={"mention": True, "mentioned_as": f"Mark{n % 50}"},
                             listed_on=day),
                 Observation(source=Source.DIGEST, title="unrelated words entirely", extra={"doi": f"10.1234/b{n}"}),
                 # A misspelt name, and two words run together: the second lookup (near spellings).
                 Observation(source=Source.DIGEST, title=f"Mrak{n % 50}: {words} part{n % 7}", listed_on=day),
                 Observation(source=Source.DIGEST, title=f"Mark{n % 50}: {words.replace(' ', '', 1)} part{n % 7}",
                             listed_on=day)]
    return seen


def _same_answers(stored: TitleIndex, memory: TitleIndex) -> None:
    """Every query gets the same candidates, in the same order, and the same match."""
    methods = Counter()
    for obs in _queries():
        if obs.title:
            key = match.title_key(obs.title)
            assert [c.paper_id for c in stored.candidates(key)] == [c.paper_id for c in memory.candidates(key)], key
            first = set(stored.candidate_ids(key))
            assert stored._near_candidate_ids(key, first) == memory._near_candidate_ids(key, first), key
        found = stored.match(obs)
        assert found == memory.match(obs), obs
        methods[found.method if found else None] += 1
        methods["same letters"] += bool(found and "the same letters" in found.detail)
    print(dict(methods))
    assert methods["title"] and methods["doi"] and methods[None]  # the queries reach links and refusals
    assert methods["same letters"]


@pytest.mark.parametrize("config", [DEFAULT, TIGHT], ids=["default", "tight-bounds"])
def test_lookups_in_the_stored_index_are_those_of_an_index_in_memory(tmp_path, config):
    papers = _papers()
    memory, stored = _memory(papers, config), TitleIndex(config, source=_stored(tmp_path, papers, config))
    assert len(stored) == len(memory) == 600
    _same_answers(stored, memory)


def test_this_runs_papers_and_removals_come_after_and_out_of_the_stored_ones(tmp_path):
    """Papers added in a run follow the stored ones in every block; a removed stored paper
    leaves its blocks, its word counts and the paper count, as in memory."""
    papers = _papers()
    memory, stored = _memory(papers, TIGHT), TitleIndex(TIGHT, source=_stored(tmp_path, papers, TIGHT))
    for index in (memory, stored):
        index.add("arxiv:3106.00001", "heron wren lark finch crane part3", days=[dt.date(2031, 2, 1)])
        index.add(papers[1]["id"], "ignored: the paper is known", authors=["Grace Hopper"])  # evidence only
        for n in range(0, 600, 5):
            index.remove(papers[n]["id"])
        index.remove("arxiv:3106.00001")
        index.add("title:new", "Mark7: egret ibis heron wren lark part1")
    assert len(stored) == len(memory)
    assert stored.candidate(papers[1]["id"]).authors == memory.papers[papers[1]["id"]].authors
    assert "hopper" in stored.candidate(papers[1]["id"]).authors
    assert stored.candidate(papers[0]["id"]) is None
    _same_answers(stored, memory)


def test_resolve_keeps_the_stored_index_in_step_with_the_papers(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    assert build_index(store).source is None  # a first run has nothing stored to look up
    _digest_run(store, WORDS)
    assert build_index(store).source is store
    assert store.index_state() == (index_fingerprint(DEFAULT), 26, 26)
    assert store.index_count() == store.db.execute("select count(*) from match_papers where key is not null"
                                                   ).fetchone()[0] == 26
    title_only = store.title_only_papers()
    assert len(title_only) == 26
    _arxiv_run(store, WORDS[:3], 1)  # adopts three title-only papers
    fingerprint, indexed, papers = store.index_state()
    assert indexed == papers == 26
    assert len(store.title_only_papers()) == 23
    gone = set(title_only) - set(store.title_only_papers())
    assert len(gone) == 3 and not store.index_papers(gone)
    blocks = store.db.execute("select count(*) from match_blocks where paper_id in (%s)" % ",".join("?" * 3),
                              sorted(gone)).fetchone()[0]
    assert blocks == 0
    row = store.index_papers(["arxiv:2602.00001"])["arxiv:2602.00001"]
    assert row["title"] == title(WORDS[0]) and row["published"] == "2026-02-05" and row["authors"] == "[]"


def test_an_index_that_is_not_the_papers_index_is_rebuilt(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr("reconcile.resolve.INDEX_CHUNK", 4)  # rebuilt in several steps
    store = Store(tmp_path / "db.sqlite")
    _digest_run(store, WORDS[:5])
    _arxiv_run(store, WORDS[5:8], 1)
    before = sorted(store.db.execute("select * from match_blocks"))
    # A database from a version without the index, or an index left behind.
    store.db.execute("delete from match_blocks")
    store.db.execute("delete from match_meta")
    with caplog.at_level(logging.INFO, logger="reconcile.resolve"):
        ensure_index(store)
        ensure_index(store)  # in step now: nothing to do
    assert [r.getMessage() for r in caplog.records] == ["rebuilt the blocking index of 8 papers"]
    assert sorted(store.db.execute("select * from match_blocks")) == before
    # Another number of papers (a paper written by a tool that does not keep the index).
    store.db.execute("delete from match_papers where paper_id = 'arxiv:2602.00001'")
    ensure_index(store)
    assert sorted(store.db.execute("select * from match_blocks")) == before
    # Other keys: end_words is part of the fingerprint.
    two = dataclasses.replace(DEFAULT, end_words=2)
    ensure_index(store, two)
    assert store.index_state()[0] == index_fingerprint(two) != index_fingerprint(DEFAULT)
    ends = [v for (v,) in store.db.execute("select value from match_blocks where kind = 'end'")]
    assert ends and all(len(e.strip("<>").split()) == 2 for e in ends)


def test_a_daily_run_reads_only_what_its_lookups_need(tmp_path, monkeypatch):
    """One more day on a database of 600 papers reads a few of them, not all."""
    store = _stored(tmp_path, _papers())
    read = []
    real = Store.index_papers

    def counting(self, ids, titled=True):
        found = real(self, ids, titled)
        read.extend(found)
        return found

    monkeypatch.setattr(Store, "index_papers", counting)
    day = dt.datetime(2031, 2, 1, 9, tzinfo=dt.timezone.utc)
    from .test_resolve_adoption import _doc

    items = [Observation(source="digest", site="blog", title="egret ibis heron wren lark part2", listed_on=day.date()),
             Observation(source="digest", site="blog", title="Juniper Routing for Sparse Models", listed_on=day.date())]
    store.add_documents([(_doc("day", "digest", day), items)])
    # The papers table is empty in this made-up store: keep the index as it is.
    monkeypatch.setattr("reconcile.resolve.ensure_index", lambda store, config=DEFAULT: store.index_state()[1])
    summary = resolve(store)
    assert summary.linked == 2
    assert 0 < len(set(read)) <= 2 * DEFAULT.max_candidates < 600  # two lookups' candidates at most


def test_the_demo_database_keeps_its_index_in_step(demo_db, tmp_path):
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    store = Store(db)
    fingerprint, indexed, papers = store.index_state()
    assert fingerprint == index_fingerprint(DEFAULT) and indexed == papers > 0
    rows = {r["id"]: r for r in store.paper_index_rows()}
    for paper_id, row in store.index_papers(rows).items():
        assert row["title"] == rows[paper_id]["title"]
        assert json.loads(row["authors"]) == sorted(surnames(json.loads(rows[paper_id]["authors"] or "[]")))
    assert any(json.loads(row["authors"]) for row in store.index_papers(rows).values())


def test_reindexing_a_paper_drops_the_blocks_of_its_old_title(tmp_path):
    """A paper's blocks are deleted by the keys its row lists (there is no index by paper):
    indexed again under another title and DOI, it keeps only the new title's blocks."""
    def blocks(row: dict) -> list[tuple]:
        return [(kind, value, row["paper_id"]) for kind, value in json.loads(row["blocks"])]

    store = Store(tmp_path / "db.sqlite")
    old = index_entries("arxiv:2602.00001", "Heron: Wren Lark Finch Crane", "2026-02-05", ["Ada Bird"],
                        "10.1234/Old", DEFAULT)
    other = index_entries("arxiv:2602.00002", "Heron: Wren Lark Finch Stork", None, [], None, DEFAULT)
    store.stage_index([old, other])
    store.write_index(index_fingerprint(DEFAULT))
    assert sorted(store.db.execute("select kind, value, paper_id from match_blocks")) == sorted(blocks(old) + blocks(other))
    assert ("doi", "10.1234/old", "arxiv:2602.00001") in blocks(old) and ("head", "heron", "arxiv:2602.00001") in blocks(old)
    new = index_entries("arxiv:2602.00001", "Egret Ibis Heron", None, [], "10.1234/New", DEFAULT)
    store.stage_index([new])
    store.write_index(index_fingerprint(DEFAULT))
    assert sorted(store.db.execute("select kind, value, paper_id from match_blocks")) == sorted(blocks(new) + blocks(other))
    assert set(store.index_papers(["arxiv:2602.00001", "arxiv:2602.00002"])) == {"arxiv:2602.00001",
                                                                                 "arxiv:2602.00002"}


def test_an_older_database_loses_the_index_of_blocks_by_paper(tmp_path):
    """Databases made before the rows listed their blocks indexed them by paper; that index
    only slowed writes, so opening such a database drops it."""
    path = tmp_path / "db.sqlite"
    store = Store(path)
    store.db.execute("create index idx_match_blocks_paper_id on match_blocks (paper_id)")
    store.db.execute("PRAGMA user_version = 1")
    store.close()
    store = Store(path)
    assert [i.columns for i in store.db["match_blocks"].indexes] == [["kind", "value", "paper_id"]]


def test_a_full_blocks_first_papers_are_kept_until_one_is_removed():
    """A block read up to a bound that it fills keeps its first papers (papers added later
    go after them), so they are kept rather than copied for each lookup; removing a paper
    forgets them, and the block is read again without it."""
    index = TitleIndex(DEFAULT)
    for n in range(8):
        index.add(f"title:{n:04d}", f"heron {BIRDS[n % 8]} wren{n}")
    first = index._posting(match.WORD, index.by_word, "heron", 5)
    assert first == [f"title:{n:04d}" for n in range(5)]
    index.add("title:0100", "heron egret")
    assert index._posting(match.WORD, index.by_word, "heron", 5) == first
    assert index._posting(match.WORD, index.by_word, "heron", 10) == [f"title:{n:04d}" for n in range(8)] + [
        "title:0100"]
    index.remove("title:0002")
    assert index._posting(match.WORD, index.by_word, "heron", 5) == ["title:0000", "title:0001", "title:0003",
                                                                     "title:0004", "title:0005"]


@pytest.mark.parametrize("runs", ["one run", "lists first"])
def test_a_stored_paper_is_near_the_days_it_was_listed_not_only_its_publication(tmp_path, runs):
    """A list names a paper published 20 days before; a digest of the list's day cuts its
    title at the colon to a plain word ("Lumen"), which links only to a paper of its days.
    Placed in the same run, the paper carries the list's day; read from the stored index in
    a later run, it must too (``match_papers.days``), or a scheduled crawl, which meets the
    lists before the posts, refuses what one run links."""
    store = Store(tmp_path / "days.db")
    day = T.date()
    listing = Observation(source="huggingface", arxiv_id="2602.00001", title="Lumen: Counting Fireflies in the Dark",
                          published=day - dt.timedelta(days=20), listed_on=day)
    item = Observation(source="digest", site="blog", title="Lumen", listed_on=day)
    store.add_documents([(_doc("hf", "huggingface", T), [listing])])
    if runs == "lists first":
        resolve(store)
        # The observation's day as placing takes it: its listing day, before its publication.
        assert json.loads(store.index_papers(["arxiv:2602.00001"])["arxiv:2602.00001"]["days"]) == [day.isoformat()]
    store.add_documents([(_doc("blog", "digest", T + dt.timedelta(hours=2)), [item])])
    resolve(store)
    assert _paper_of(store, "Lumen") == {"arxiv:2602.00001"}
