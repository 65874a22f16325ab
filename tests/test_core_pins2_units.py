"""Exact results of core rules that mutation testing found unpinned (third round).

What it pins: the author-name rule that a lone surname is not a person with an initial, a
title cut at exactly ``prefix_min_words`` words matching the start of a paper, ``resolve``
(mentions placed after titles of the same run, a pending paper without observations not
stopping the others, stored papers' days and ``NULL`` authors read back into the matcher),
the store (a crawl's end time stored in whole UTC seconds, the message for a missing
folder, the NOT NULL columns of a new database, paper findings apart from site findings),
the basis of each upvote count in ``upvote_history``, and two text rules (mojibake
seen but not repaired, the repair sample's tail on the first changed line). Made-up papers
(``3105.xxxxx`` ids, invented titles); whole values are asserted, not fragments.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from reconcile.checks.authors import same_person
from reconcile.match import TitleIndex, own_paper_id
from reconcile.models import Crawl, Discrepancy, Kind, Observation, Severity, Source, TimeBasis, Value
from reconcile.policy import name_key
from reconcile.report import HistoryPoint, upvote_history
from reconcile.resolve import resolve
from reconcile.store import Store, StoreError
from reconcile.text import Repair, normalize_title, repair_text

from tests.test_core_pins_units import DAY, TITLE, T, _doc, _links


# -- checks.authors -------------------------------------------------------------------------


def test_a_lone_surname_is_not_the_same_person_as_an_initial_and_that_surname():
    # Rule: names agreeing "up to an initial" need a given name on both sides: "Doe" alone
    # is not "D. Doe" (nor "Jane Doe"), though it shares the surname.
    assert same_person(name_key("D. Doe"), name_key("Doe")) is False
    assert same_person(name_key("Doe"), name_key("D. Doe")) is False
    assert same_person(name_key("D. Doe"), name_key("Dana Doe")) is True


# -- match.TitleIndex ---------------------------------------------------------------------------


def test_a_title_cut_at_exactly_prefix_min_words_words_matches_the_start():
    # Rule: a truncated title of at least ``prefix_min_words`` (4) words, the bound included,
    # is matched against the start of a paper's title.
    index = TitleIndex()
    index.add("arxiv:3105.00501", TITLE)
    found = index.match(Observation(source="digest", title="Lantern Routing for Sparse ..."))
    assert found is not None
    assert (found.paper_id, found.method, found.score, found.detail) == (
        "arxiv:3105.00501", "title", 99.0, "truncated title (4 words) matches the start")


# -- resolve --------------------------------------------------------------------------------------


def test_mentions_are_placed_after_the_titles_of_the_same_run(tmp_path):
    # Rule: observations with a title are placed before mentions, whatever their order, so a
    # name mentioned in prose finds the paper a title of the same run has just made.
    store = Store(tmp_path / "mention.db")
    store.add_documents([(_doc("blog", "digest"), [
        Observation(source="digest", site="blog", listed_on=DAY,
                    extra={"mention": True, "mentioned_as": "Quiet-R1"}),
        Observation(source="digest", site="blog", listed_on=DAY,
                    title="Quiet-R1: Counting Fireflies with Small Models"),
    ])])
    resolve(store)
    paper = own_paper_id(normalize_title("Quiet-R1: Counting Fireflies with Small Models"))
    assert _links(store) == [(1, paper, "mention"), (2, paper, "unmatched")]


def test_a_pending_paper_without_observations_does_not_stop_the_others(tmp_path):
    # Rule: merging skips a pending paper that has no observations (left by an earlier
    # run) and goes on merging and checking the papers after it.
    store = Store(tmp_path / "pending.db")
    store.add_documents([(_doc("arxiv", "arxiv"), [Observation(source="arxiv", arxiv_id="3105.00602",
                                                               title=TITLE, published=DAY)])])
    with store.transaction():
        store.add_pending(["arxiv:3105.00601"])  # sorts first, and nothing links to it
    summary = resolve(store)
    assert summary.papers_touched == 2
    assert [p.id for p in store.papers()] == ["arxiv:3105.00602"]
    assert store.pending_papers() == []


def test_a_stored_papers_publication_day_is_evidence_in_a_later_run(tmp_path):
    # Rule: the matcher built from the database knows each paper's publication day, so a
    # later run's title match weighs the dates (and says so in the link's detail).
    store = Store(tmp_path / "days.db")
    store.add_documents([(_doc("arxiv", "arxiv"), [Observation(source="arxiv", arxiv_id="3105.00701",
                                                               title=TITLE, published=DAY)])])
    resolve(store)
    store.add_documents([(_doc("blog", "digest"), [Observation(source="digest", site="blog", title=TITLE,
                                                               listed_on=DAY + dt.timedelta(days=2))])])
    resolve(store)
    [detail] = [r[0] for r in store.db.execute("select detail from links where observation_id = 2")]
    assert _links(store) == [(1, "arxiv:3105.00701", "arxiv_id"), (2, "arxiv:3105.00701", "title")]
    assert detail == "same normalized title; dates within 10 days"


def test_a_stored_paper_with_null_authors_is_read_as_having_none(tmp_path):
    # Rule: a papers row whose authors are NULL (written by another tool) reads as no
    # authors; the paper is still matched by its title.
    store = Store(tmp_path / "null.db")
    store.db["papers"].insert({"id": "arxiv:3105.00801", "title": TITLE})
    store.db.conn.commit()
    store.add_documents([(_doc("blog", "digest"), [Observation(source="digest", site="blog", title=TITLE,
                                                               listed_on=DAY, authors=["Ada Quill"])])])
    resolve(store)
    [detail] = [r[0] for r in store.db.execute("select detail from links")]
    assert _links(store) == [(1, "arxiv:3105.00801", "title")]
    assert detail == "same normalized title"


# -- store ----------------------------------------------------------------------------------------


def test_a_crawls_end_time_is_stored_in_whole_utc_seconds(tmp_path):
    # Rule: every time in the database is ISO 8601 in UTC with a Z and whole seconds,
    # a crawl's end given when it starts included.
    store = Store(tmp_path / "times.db")
    plus2 = dt.timezone(dt.timedelta(hours=2))
    store.start_crawl(Crawl(spider="heron", status="finished",
                            started_at=dt.datetime(2031, 5, 6, 11, 0, 0, 250000, tzinfo=plus2),
                            finished_at=dt.datetime(2031, 5, 6, 11, 5, 7, 999999, tzinfo=plus2)))
    assert list(store.db.execute("select started_at, finished_at from crawls")) == [
        ("2031-05-06T09:00:00Z", "2031-05-06T09:05:07Z")]


def test_a_database_in_a_missing_folder_is_refused_with_the_reason(tmp_path):
    # Rule: a new database is not made in a folder that does not exist; the error says so.
    path = tmp_path / "absent" / "papers.db"
    with pytest.raises(StoreError) as err:
        Store(path)
    assert str(err.value) == f"cannot create a database at {path}: the folder {path.parent} does not exist"


def test_a_new_database_has_the_designed_not_null_columns(tmp_path):
    # Rule: the tables are created with their NOT NULL columns, so a row missing one is
    # refused by SQLite itself.
    store = Store(tmp_path / "schema.db")
    not_null = {name: {c[1] for c in store.db.execute(f"pragma table_info([{name}])") if c[3]}
                for name in ("crawls", "documents", "observations", "papers", "links", "discrepancies",
                             "acknowledged", "pending_checks", "rejects")}
    assert not_null == {
        "crawls": {"spider", "started_at", "status"},
        "documents": {"url", "source", "observed_at", "observed_at_basis", "sha256"},
        "observations": {"document_id", "source", "observed_at"},
        "papers": set(),
        "links": {"paper_id", "method", "score"},
        "discrepancies": {"paper_id", "kind", "severity", "detail"},
        "acknowledged": {"severity", "at"},
        "pending_checks": set(),
        "rejects": {"reason", "at"},
    }
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("insert into crawls (spider, started_at) values (null, '2031-05-06T09:00:00Z')")


def _finding(paper_id: str, n: int) -> Discrepancy:
    return Discrepancy(id=f"{n:016x}", paper_id=paper_id, kind=Kind.GARBAGE_FIELD, field="organization",
                       severity=Severity.WARNING, detail="furniture as organization",
                       values=[Value(source=Source.DIGEST, site="heron", value="·5 authors", observed_at=T,
                                     observation_id=n)])


def test_findings_of_a_kind_are_either_about_papers_or_about_sites(tmp_path):
    # Rule: ``sites=False`` gives the findings about papers only, ``sites=True`` those about
    # sites (``site:...``) only.
    store = Store(tmp_path / "kinds.db")
    store.save_papers([], {"arxiv:3105.00901": [_finding("arxiv:3105.00901", 1)],
                           "site:heron": [_finding("site:heron", 2)]})
    assert [d.paper_id for d in store.findings_of_kind("garbage_field", sites=False)] == ["arxiv:3105.00901"]
    assert [d.paper_id for d in store.findings_of_kind("garbage_field", sites=True)] == ["site:heron"]


# -- report -----------------------------------------------------------------------------------------


def test_each_upvote_count_keeps_the_basis_of_its_time(tmp_path):
    # Rule: a history point says how exact its time is: the observation's time basis.
    store = Store(tmp_path / "history.db")
    store.add_documents([(_doc("hf", "huggingface"), [
        Observation(source="huggingface", arxiv_id="3105.01001", title=TITLE, listed_on=DAY, upvotes=12)])])
    resolve(store)
    assert upvote_history(store, ["arxiv:3105.01001"]) == {"arxiv:3105.01001": [
        HistoryPoint(T, TimeBasis.RESPONSE, Source.HUGGINGFACE, None, 12, 1)]}


# -- text ---------------------------------------------------------------------------------------------


def test_mojibake_seen_but_not_repaired_is_reported_as_mojibake():
    # Rule: when the badness heuristic sees mojibake that no repair undoes, the text is kept
    # and ``mojibake`` is still True, with no method and no sample.
    assert repair_text("Lantern notes â€") == Repair("Lantern notes â€", True, None, 1, 1, None)


def test_the_repair_sample_stops_a_context_width_after_the_change_before_a_shared_tail():
    # Rule: the common tail after the change is not shown beyond SAMPLE_CONTEXT (15)
    # characters, on the first changed line of a text of several lines.
    good = "Quiet notes\nNaïve routing with sparse expert models and a long tail of words\nend"
    repair = repair_text(good.encode("utf-8").decode("mac_roman"))
    assert (repair.text, repair.method) == (good, "roundtrip:mac_roman")
    assert repair.sample == ("Na√Øve routing with ", "Naïve routing with s")
