"""Issue 11, point 6: a scheduled run alerts on new findings, not on known ones.

``report --baseline FILE`` leaves out the findings of an earlier JSON report (or a file of
ids); ``reconcile ack ID...`` acknowledges findings in the database. Either comes back when
the finding grows more severe. The database is a copy of the demo's (conftest).
"""

from __future__ import annotations

import json
import shutil

import pytest
import sqlite_utils

from reconcile.models import Discrepancy, Kind, Severity
from reconcile.report import is_known, read_baseline

from .support import run_reconcile


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "d.db"
    shutil.copy(demo_db, copy)
    return copy


def _json(db, *args):
    done = run_reconcile("report", "--db", str(db), "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_baseline_report_hides_what_it_holds_and_fail_on_sees_only_new(db, tmp_path):
    base = tmp_path / "base.json"
    base.write_text(json.dumps(_json(db)), encoding="utf-8")
    doc = _json(db, "--baseline", str(base))
    assert doc["summary"]["discrepancies"] == 0 and doc["filters"]["known_not_shown"] == 24
    assert run_reconcile("report", "--db", str(db), "--fail-on", "warning").returncode == 1
    assert run_reconcile("report", "--db", str(db), "--fail-on", "warning", "--baseline", str(base)).returncode == 0
    # A new finding (one of the baseline's, forgotten) is reported, and fails the run.
    doc_base = json.loads(base.read_text())
    dropped = doc_base["papers"][0]["discrepancies"].pop(0)
    base.write_text(json.dumps(doc_base), encoding="utf-8")
    new = _json(db, "--baseline", str(base))
    assert [d["id"] for p in new["papers"] for d in p["discrepancies"]] == [dropped["id"]]
    # A file of ids, one per line, is a baseline too.
    ids = tmp_path / "ids.txt"
    ids.write_text("# known\n" + "\n".join(d["id"] for p in doc_base["papers"] for d in p["discrepancies"]) + "\n")
    assert _json(db, "--baseline", str(ids))["summary"]["discrepancies"] == 1


def test_ack_hides_a_finding_until_it_grows_more_severe(db):
    rows = sqlite_utils.Database(db)
    fid = next(rows.query("select id from discrepancies where kind = 'mojibake'"))["id"]
    done = run_reconcile("ack", fid, "--note", "the blog serves Windows-1252", "--db", str(db))
    assert done.returncode == 0 and "acknowledged 1 finding\n" in done.stdout
    assert rows["acknowledged"].get(fid)["note"] == "the blog serves Windows-1252"
    doc = _json(db)
    assert fid not in {d["id"] for p in doc["papers"] for d in p["discrepancies"]}
    assert doc["filters"]["known_not_shown"] == 1
    assert fid in {d["id"] for p in _json(db, "--include-acknowledged")["papers"] for d in p["discrepancies"]}
    # Acknowledged as a warning; the same finding as an error is news again.
    rows.execute("update discrepancies set severity = 'error' where id = ?", [fid])
    rows.conn.commit()
    assert fid in {d["id"] for p in _json(db)["papers"] for d in p["discrepancies"]}
    assert run_reconcile("ack", fid, "--remove", "--db", str(db)).stdout.strip() == "forgot 1 acknowledgement"


def test_bad_ids_and_bad_baselines_are_one_line_errors(db, tmp_path):
    done = run_reconcile("ack", "0123456789abcdef", "--db", str(db))
    assert done.returncode == 2 and done.stderr.strip().endswith("no current finding has the id '0123456789abcdef'")
    assert sqlite_utils.Database(db)["acknowledged"].count == 0
    for text in ("not an id\n", "{\"papers\": 3}"):
        bad = tmp_path / "bad.txt"
        bad.write_text(text)
        done = run_reconcile("report", "--db", str(db), "--baseline", str(bad))
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_is_known_compares_severity():
    d = Discrepancy(id="0123456789abcdef", paper_id="arxiv:3105.00001", kind=Kind.UPVOTES,
                    severity=Severity.WARNING, detail="x")
    assert is_known(d, {d.id: None}) and is_known(d, {d.id: Severity.WARNING}) and is_known(d, {d.id: Severity.ERROR})
    assert not is_known(d, {d.id: Severity.INFO}) and not is_known(d, {})


def test_read_baseline_of_a_json_report(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"papers": [{"discrepancies": [{"id": "0123456789abcdef", "severity": "info"}]}]}))
    assert read_baseline(path) == {"0123456789abcdef": Severity.INFO}


# -- an acknowledgement across an adoption -----------------------------------------------
# A finding's id is made of its paper's id; a paper of its own adopted by its arXiv record
# has its findings made again under the arXiv paper's id, and an acknowledged one came back
# as new in the next report (probe25 D). Made-up titles and counts.

import datetime as _dt  # noqa: E402
import hashlib as _hashlib  # noqa: E402

from reconcile.models import Document, Observation  # noqa: E402
from reconcile.resolve import resolve  # noqa: E402
from reconcile.store import Store  # noqa: E402

_DAY = _dt.date(2031, 1, 5)
_TITLE = "Lantern Routing for Sparse Mixture Models under Tight Memory Budgets"


def _listing(name: str, source: str, hour: int, title: str | None = _TITLE, **fields
             ) -> tuple[Document, list[Observation]]:
    doc = Document(url=f"https://example.org/{name}", source=source, format=f"{source}-test",
                   observed_at=_dt.datetime.combine(_DAY, _dt.time(hour), _dt.timezone.utc),
                   observed_at_basis="response", sha256=_hashlib.sha256(name.encode()).hexdigest())
    day = {"published": _DAY} if source == "arxiv" else {"listed_on": _DAY, "site": name}
    return doc, [Observation(source=source, title=title, **day, **fields)]


def _acked_then_adopted(tmp_path, *, arxiv_first: bool) -> tuple[Store, list[Discrepancy]]:
    store = Store(tmp_path / "adopt.db")
    record = _listing("arxiv", "arxiv", 8, arxiv_id="3101.00031")
    if arxiv_first:  # the arXiv paper is known, without the title, and has a finding of its own
        store.add_documents([_listing("c", "digest", 9, None, arxiv_id="3101.00031", upvotes=7),
                             _listing("d", "digest", 9, None, arxiv_id="3101.00031", upvotes=70)])
        resolve(store)
    store.add_documents([_listing("a", "digest", 9, upvotes=10), _listing("b", "digest", 9, upvotes=50)])
    resolve(store)
    own = [d for d in store.discrepancies() if d.paper_id.startswith("title:")]
    assert [d.kind for d in own] == [Kind.UPVOTES]
    assert store.acknowledge([own[0].id], "read it", _dt.datetime(2031, 1, 6, tzinfo=_dt.timezone.utc)) == []
    store.add_documents([record])
    resolve(store)
    return store, own


def test_an_acknowledged_finding_stays_acknowledged_when_its_paper_is_adopted(tmp_path):
    store, [old] = _acked_then_adopted(tmp_path, arxiv_first=False)
    [now] = store.discrepancies()
    assert now.paper_id == "arxiv:3101.00031" and now.kind == Kind.UPVOTES and now.id != old.id
    acked = store.acknowledged()
    assert acked == {now.id: Severity.WARNING}  # the old id is gone with its paper
    [row] = store.db["acknowledged"].rows
    assert row["note"] == f"read it (carried from finding {old.id}: {old.paper_id} was adopted)"
    assert is_known(now, acked)


def test_an_adopters_own_finding_of_that_kind_is_not_hidden_by_the_carried_acknowledgement(tmp_path):
    store, _ = _acked_then_adopted(tmp_path, arxiv_first=True)
    [now] = [d for d in store.discrepancies() if d.kind == Kind.UPVOTES]
    assert now.paper_id == "arxiv:3101.00031"
    # Its evidence holds the arXiv paper's own 7 against 70, which no one acknowledged.
    assert store.acknowledged() == {} and not is_known(now, store.acknowledged())


def test_an_acknowledged_site_quirk_stays_acknowledged_when_another_site_joins_it(tmp_path):
    # A site finding's id is made of its sites; the quirk seen on a second site of the same
    # crawler is the same fact under a new id, and it came back as new (probe26 s08).
    from reconcile.checks.quirks import QuirkConfig, fold

    def finding(n: int, *sites: str) -> Discrepancy:
        from reconcile.models import Value
        values = [Value(source="digest", site=s, value=f"·{n} authors", observation_id=n) for s in sites]
        return Discrepancy(id=f"{n:016x}", paper_id=f"arxiv:3105.{n:05d}", kind=Kind.GARBAGE_FIELD,
                           field="organization", severity=Severity.WARNING, values=values, detail="x")

    small = QuirkConfig(min_papers=3)
    [first], _, _, _ = fold([finding(n, "heron") for n in (1, 2, 3)], [], small)
    joined = fold([finding(4, "heron", "wren")], [first], small)
    assert joined.superseded == {first.id: joined.upserts[0].id}
    store = Store(tmp_path / "q.db")
    store.replace_findings([first], [])
    assert store.acknowledge([first.id], "the crawler's furniture", _dt.datetime(2031, 1, 6, tzinfo=_dt.timezone.utc)) == []
    store.replace_findings(joined.upserts, joined.deleted)
    store.move_acknowledgements(joined.superseded, "a site joined the quirk")
    assert store.acknowledged() == {joined.upserts[0].id: Severity.WARNING}
    [row] = store.db["acknowledged"].rows
    assert row["note"] == f"the crawler's furniture (carried from finding {first.id}: a site joined the quirk)"


def test_an_acknowledged_documents_finding_stays_acknowledged_on_a_new_capture_of_its_address(tmp_path):
    # A page fetched again with a line changed is a new document with the same damage: its
    # finding's id is made of the content's hash, so it came back as new (probe26 s13).
    def page(text: str, hour: int, repair: str | None = "roundtrip:mac_roman") -> tuple[Document, list[Observation]]:
        doc = Document(url="https://letter.example/today", source="digest", site="letter", format="digest-test",
                       observed_at=_dt.datetime.combine(_DAY, _dt.time(hour), _dt.timezone.utc),
                       observed_at_basis="response", sha256=_hashlib.sha256(text.encode()).hexdigest(),
                       mojibake=True, repair=repair, repair_sample={"Ï¥ù": "총"})
        return doc, [Observation(source="digest", site="letter", arxiv_id="3101.00031", title=_TITLE, listed_on=_DAY)]

    store = Store(tmp_path / "m.db")
    store.add_documents([page("first", 9)])
    resolve(store)
    [old] = [d for d in store.discrepancies() if d.kind == Kind.MOJIBAKE]
    assert store.acknowledge([old.id], None, _dt.datetime(2031, 1, 6, tzinfo=_dt.timezone.utc)) == []
    store.add_documents([page("first, and a line more", 12)])
    resolve(store)
    found = [d for d in store.discrepancies() if d.kind == Kind.MOJIBAKE]
    assert len(found) == 2 and all(is_known(d, store.acknowledged()) for d in found)
    # Other damage on the next capture is news.
    store.add_documents([page("first, two lines more", 15, repair=None)])
    resolve(store)
    news = [d for d in store.discrepancies() if d.kind == Kind.MOJIBAKE and not is_known(d, store.acknowledged())]
    assert len(news) == 1 and news[0].severity == Severity.ERROR
