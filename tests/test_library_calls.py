"""In-process tests of library functions that the command line is the only other way to reach.

``reconcile run --dry-run``, ``reconcile ack``, ``--config`` and every "cannot use the
database" message are tested in ``test_plan.py``, ``test_triage.py``, ``test_config.py`` and
``test_cli_db.py`` by running ``reconcile`` in a subprocess. Mutation testing (mutmut, see
``[tool.mutmut]`` in pyproject.toml) only sees tests that call the mutated code in its own
process, so to it the functions below had no test at all: a flipped operator or a changed
message in them would survive. These tests call them directly and pin exact results (whole
strings, whole lists, exact counts), so that a one-line change to any of them fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest

from reconcile.config import DEFAULT, DEFAULTS, DateConfig, ReconcileConfig
from reconcile.models import Discrepancy, Document, Kind, Observation, Reject, Severity
from reconcile.plan import catch_up_plan, describe
from reconcile.store import Store, default_db_path, describe_sqlite_error

TODAY = dt.date(2031, 5, 10)
D = dt.timedelta(days=1)
AT = dt.datetime(2031, 5, 10, 8, 30, 15, 123456, tzinfo=dt.timezone.utc)


# -- reconcile.plan.describe ------------------------------------------------------------------
def test_describe_an_empty_plan_is_empty_text():
    assert describe([], {}) == ""


def test_describe_names_each_spider_its_days_and_its_last_complete_day():
    marks = {"huggingface": TODAY - 3 * D}
    assert describe(catch_up_plan(marks, TODAY), marks) == "\n".join([
        "reconcile crawl huggingface --since 2031-05-04 --until 2031-05-10 (last complete day: 2031-05-07)",
        "reconcile crawl digests --date 2031-05-10 (never completed)",
        "reconcile crawl arxivlens --date 2031-05-10 (never completed)",
        "reconcile crawl arxiv --missing",
    ])


def test_describe_gives_arxiv_its_mark_but_never_says_it_never_completed():
    plan = [("arxiv", {"missing": True}), ("arxiv", {"ids": "3105.00001", "missing": True})]
    assert describe(plan, {}) == "reconcile crawl arxiv --missing\nreconcile crawl arxiv --ids 3105.00001 --missing"
    assert describe(plan[:1], {"arxiv": TODAY}) == "reconcile crawl arxiv --missing (last complete day: 2031-05-10)"


def test_describe_gives_each_group_of_digest_sites_its_own_last_complete_day():
    """wren has no mark of its own: it falls back on the digests spider's."""
    marks = {"digests/heron": TODAY - 2 * D, "digests": TODAY - 5 * D}
    plan = catch_up_plan(marks, TODAY, reobserve_days=0, digest_sites=["heron", "wren"])
    assert describe(plan, marks).splitlines()[1:3] == [
        "reconcile crawl digests --since 2031-05-06 --until 2031-05-10 --sites wren (last complete day: 2031-05-05)",
        "reconcile crawl digests --since 2031-05-09 --until 2031-05-10 --sites heron (last complete day: 2031-05-08)",
    ]


def test_describe_takes_the_latest_mark_of_the_sites_sharing_a_crawl():
    plan = [("digests", {"date": "2031-05-10", "sites": "heron,wren,kite"})]
    marks = {"digests/heron": TODAY - 4 * D, "digests/wren": TODAY - 2 * D}
    assert describe(plan, marks) == ("reconcile crawl digests --date 2031-05-10 --sites heron,wren,kite "
                                     "(last complete day: 2031-05-08)")
    assert describe(plan, {}) == "reconcile crawl digests --date 2031-05-10 --sites heron,wren,kite (never completed)"


# -- Store.acknowledge, .unacknowledge, .acknowledged ------------------------------------------
def _finding(fid: str, severity: Severity) -> Discrepancy:
    return Discrepancy(id=fid, paper_id="arxiv:3105.00001", kind=Kind.UPVOTES, severity=severity, detail="differ")


@pytest.fixture
def store(tmp_path) -> Store:
    """A store with three findings: a (warning), b (error), c (info)."""
    store = Store(tmp_path / "p.db")
    store.replace_findings([_finding("a", Severity.WARNING), _finding("b", Severity.ERROR),
                            _finding("c", Severity.INFO)], [])
    return store


def _acknowledged_rows(store: Store) -> list[dict]:
    """The person's part of each row (the finding's paper, kind, field and evidence, which
    carry an acknowledgement across an adoption, are tests/test_triage.py's)."""
    return list(store.db.query("select id, severity, note, at from acknowledged order by id"))


def test_acknowledge_stores_each_id_once_with_its_severity_note_and_time(store):
    assert store.acknowledge(["b", "a", "b"], "seen it", AT) == []
    assert _acknowledged_rows(store) == [
        {"id": "a", "severity": "warning", "note": "seen it", "at": "2031-05-10T08:30:15Z"},
        {"id": "b", "severity": "error", "note": "seen it", "at": "2031-05-10T08:30:15Z"},
    ]


def test_acknowledge_refuses_all_when_one_id_is_unknown(store):
    assert store.acknowledge(["zz", "a", "yy", "zz"], None, AT) == ["zz", "yy"]
    assert _acknowledged_rows(store) == []


def test_acknowledge_again_replaces_the_severity_and_the_note(store):
    store.acknowledge(["a"], "first", AT)
    store.replace_findings([_finding("a", Severity.ERROR)], [])
    assert store.acknowledge(["a"], None, AT + D) == []
    assert _acknowledged_rows(store) == [{"id": "a", "severity": "error", "note": None, "at": "2031-05-11T08:30:15Z"}]


def test_unacknowledge_returns_how_many_were_removed(store):
    store.acknowledge(["a", "b", "c"], None, AT)
    assert store.unacknowledge(["a", "a", "nope"]) == 1
    assert store.unacknowledge(["nope"]) == 0
    assert store.unacknowledge(["b", "c"]) == 2
    assert _acknowledged_rows(store) == []


def test_acknowledged_maps_each_id_to_its_severity(store):
    assert store.acknowledged() == {}
    store.acknowledge(["a", "c"], None, AT)
    found = store.acknowledged()
    assert found == {"a": Severity.WARNING, "c": Severity.INFO}
    assert all(type(s) is Severity for s in found.values())


def test_acknowledged_is_empty_in_a_database_without_the_table(store):
    store.db.execute("drop table acknowledged")
    assert store.acknowledged() == {}


# -- describe_sqlite_error ---------------------------------------------------------------------
P = Path("/data/papers.db")


@pytest.mark.parametrize("exc, expected", [
    (sqlite3.DatabaseError("file is not a database"),
     "/data/papers.db is not an SQLite database (file is not a database)"),
    (sqlite3.DatabaseError("database disk image is malformed"),
     "/data/papers.db is damaged (database disk image is malformed): nothing more is written to it; restore it "
     "from a backup, or try `sqlite3 /data/papers.db .recover`"),
    (sqlite3.OperationalError("database is locked"),
     "/data/papers.db is locked by another process (database is locked); try again when it is done"),
    (sqlite3.OperationalError("database is busy"),
     "/data/papers.db is locked by another process (database is busy); try again when it is done"),
    (sqlite3.OperationalError("attempt to write a readonly database"),
     "cannot write to /data/papers.db (attempt to write a readonly database)"),
    (sqlite3.OperationalError("the medium is read-only"),
     "cannot write to /data/papers.db (the medium is read-only)"),
    (sqlite3.OperationalError("unable to open database file"),
     "cannot open /data/papers.db (unable to open database file): check that it can be read and written"),
    # SQLITE_FULL is also what a full temporary folder gives (a sort or an index build spills
    # there): the message named only the database, whose disk may have room.
    (sqlite3.OperationalError("database or disk is full"),
     "cannot write to /data/papers.db (database or disk is full): the disk that holds it, or SQLite's "
     "temporary folder ($SQLITE_TMPDIR, else $TMPDIR, else /tmp), has no room left; free some and run again"),
    (sqlite3.OperationalError("no such table: papers\nsecond line"),
     "cannot use /data/papers.db: no such table: papers"),
    (sqlite3.OperationalError(), "cannot use /data/papers.db: OperationalError"),
    (sqlite3.DatabaseError(""), "cannot use /data/papers.db: DatabaseError"),
])
def test_describe_sqlite_error_says_what_is_wrong_in_one_line(exc, expected):
    assert describe_sqlite_error(P, exc) == expected


# -- default_db_path ---------------------------------------------------------------------------
def test_default_db_path_is_papers_db_without_reconcile_db(monkeypatch):
    monkeypatch.delenv("RECONCILE_DB", raising=False)
    assert default_db_path() == Path("papers.db")
    monkeypatch.setenv("RECONCILE_DB", "")
    assert default_db_path() == Path("papers.db")


def test_default_db_path_is_reconcile_db_when_set(monkeypatch):
    monkeypatch.setenv("RECONCILE_DB", "/srv/reconcile/p.db")
    assert default_db_path() == Path("/srv/reconcile/p.db")


# -- Store.arxiv_ids_to_fetch ------------------------------------------------------------------
def _document(name: str, source: str) -> Document:
    return Document(url=f"https://example.org/{name}", source=source, format=f"{source}-test", observed_at=AT,
                    observed_at_basis="response", sha256=hashlib.sha256(name.encode()).hexdigest())


def _carrying(source: str, *ids: str | None) -> list[Observation]:
    return [Observation(source=source, arxiv_id=i, title=f"Paper {i}") for i in ids]


def test_arxiv_ids_to_fetch_are_those_arxiv_was_not_asked_for(tmp_path):
    store = Store(tmp_path / "p.db")
    assert store.arxiv_ids_to_fetch() == []
    store.add_documents([
        (_document("hf", "huggingface"), _carrying("huggingface", "3105.00006", "3105.00001", None, "3105.00002",
                                                   "3105.00001")),
        (_document("blog", "digest"), _carrying("digest", "3105.00004", "3105.00005", "3105.00003", "3105.00007")),
        (_document("lens", "arxivlens"), _carrying("arxivlens", "3105.00006")),
        (_document("arxiv", "arxiv"), _carrying("arxiv", "3105.00002", "3105.00009")),
    ])
    later = AT + dt.timedelta(days=1)
    now = AT + dt.timedelta(days=3)
    store.add_rejects([
        Reject(url="https://arxiv.org/abs/3105.00004", source="arxiv", reason="no such paper", at=AT),
        Reject(url="https://arxiv.org/abs/3105.00004", source="arxiv", reason="no such paper (again)", at=later),
        Reject(url="https://arxiv.org/abs/3105.00008", source="arxiv", reason="no such paper", at=AT),
        Reject(url="https://arxiv.org/abs/3105.00005", source="huggingface", reason="HTTP 404", at=AT),
        Reject(url="http://arxiv.org/abs/3105.00003", source="arxiv", reason="no such paper", at=AT),
        Reject(url="https://arxiv.org/abs/3105.00007v2", source="arxiv", reason="no such paper", at=AT),
    ])
    store.add_documents([(_document("blog2", "digest"), _carrying("digest", "3105.00008"))])
    # 2 and 9: an arXiv observation carries them; 4: arXiv said twice it has no such paper.
    # 8: said so once, which its API does of good ids at times: asked again.
    assert store.arxiv_ids_to_fetch(now) == ["3105.00001", "3105.00003", "3105.00005", "3105.00006", "3105.00007",
                                             "3105.00008"]
    # Asked within the last day, 8 waits: a crawl stopped and run again at once does not ask again.
    assert "3105.00008" not in store.arxiv_ids_to_fetch(AT + dt.timedelta(hours=5))


# -- ReconcileConfig.from_toml -----------------------------------------------------------------
def _config_file(tmp_path, text: str | bytes) -> Path:
    path = tmp_path / "c.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_from_toml_overrides_only_the_values_it_names(tmp_path):
    config = ReconcileConfig.from_toml(_config_file(tmp_path, "[matching]\ntitle_accept = 92\n"
                                                              "[dates]\neast_hours = 13\n"))
    assert config.matching == dataclasses.replace(DEFAULT, title_accept=92.0)
    assert config.dates == DateConfig(west_hours=12, east_hours=13)
    assert config == DEFAULTS.model_copy(update={"matching": config.matching, "dates": config.dates})
    assert config != DEFAULTS


def test_from_toml_of_an_empty_file_is_the_defaults(tmp_path):
    assert ReconcileConfig.from_toml(str(_config_file(tmp_path, ""))) == DEFAULTS


@pytest.mark.parametrize("text, message", [
    ("[matchin]\ntitle_accept = 92\n", "config.matchin: Extra inputs are not permitted (got {'title_accept': 92})"),
    ("[matching]\ntitle_acept = 92\n", "config.matching.title_acept: Unexpected keyword argument (got 92)"),
    ("[matching]\ntitle_accept = 'high'\n",
     "config.matching.title_accept: Input should be a valid number, unable to parse string as a number (got 'high')"),
    ("[garbage]\nseverity = 'fatal'\n",
     "config.garbage.severity: Input should be 'info', 'warning' or 'error' (got 'fatal')"),
    ("[matching\n", "Expected ']' at the end of a table declaration (at line 1, column 10)"),
    (b"\xff[matching]\n", "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
])
def test_from_toml_refuses_a_bad_file_in_one_line_naming_it(tmp_path, text, message):
    path = _config_file(tmp_path, text)
    with pytest.raises(ValueError) as raised:
        ReconcileConfig.from_toml(path)
    assert str(raised.value) == f"config file {path}: {message}"
    assert raised.value.__suppress_context__


def test_from_toml_of_a_missing_file_says_it_does_not_exist(tmp_path):
    with pytest.raises(ValueError) as raised:
        ReconcileConfig.from_toml(tmp_path / "none.toml")
    assert str(raised.value) == f"config file {tmp_path / 'none.toml'} does not exist"


def test_from_toml_of_a_folder_says_why_it_cannot_be_read(tmp_path):
    with pytest.raises(ValueError) as raised:
        ReconcileConfig.from_toml(tmp_path)
    assert str(raised.value) == f"config file {tmp_path}: [Errno 21] Is a directory: '{tmp_path}'"
