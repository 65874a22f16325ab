"""Probe 14, defects 01 and 03: an unattended ``reconcile run`` must not skip a source or a
day without a word.

01: a crawl of a day that has not come (a ``--date`` typo, a run while the clock was ahead)
ended ``finished`` and became the source's last complete day; every later catch-up run then
planned nothing for that source, exit 0. Now ``crawl`` and ``run --date`` refuse such a day
(exit 2, one line), and the planner does not trust a stored day after today: it plans from
the latest complete day that is not in the future and says so, in the dry run and in the
run's output.

03: after a gap longer than ``--max-days`` the older days were dropped from the plan without
a word, and the run's crawls moved the watermark past them for good. Now the plan and the
run name them per source, with the command that crawls them.

Made-up data: crawl rows written straight into a ``Store``, Hugging Face answers replayed
from recordings the test writes (ids in the unused 3105 range).
"""

from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from reconcile.models import Crawl
from reconcile.plan import catch_up_plan, latest_day, left_out, marks_ahead, notes, watermarks
from reconcile.store import Store

from .loopback import daily_papers_body
from .support import run_reconcile

TODAY = dt.date(2031, 5, 10)
D = dt.timedelta(days=1)


def _stored(path, *crawls: tuple[str, dict]) -> list[Crawl]:
    """``(spider, args)`` stored as ``finished`` crawls, read back as ``run`` reads them."""
    store = Store(path)
    now = dt.datetime.now(dt.timezone.utc)
    for spider, args in crawls:
        cid = store.start_crawl(Crawl(spider=spider, args=args, started_at=now))
        store.finish_crawl(cid, "finished", {}, now)
    try:
        return store.crawls()
    finally:
        store.close()


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


# -- 01: a day that has not come ---------------------------------------------------------------

def test_the_latest_day_a_crawl_may_ask_for_is_one_begun_somewhere_on_earth():
    """UTC+14 (Kiritimati) reaches the next day at 10:00 UTC; two days ahead is nowhere."""
    assert latest_day(dt.datetime(2031, 5, 10, 9, 59, tzinfo=dt.timezone.utc)) == TODAY
    assert latest_day(dt.datetime(2031, 5, 10, 10, 0, tzinfo=dt.timezone.utc)) == TODAY + D
    assert latest_day(dt.datetime(2031, 5, 10, 23, 59, tzinfo=dt.timezone.utc)) == TODAY + D


def test_a_day_after_today_is_not_a_watermark_and_is_reported_ahead(tmp_path):
    crawls = _stored(tmp_path / "p.db",
                     ("arxivlens", {"date": "2031-05-07"}),
                     ("arxivlens", {"date": "2032-05-08"}),  # the typo: a year ahead
                     ("digests", {"date": "2031-05-12"}),  # the only digests crawl is ahead
                     ("huggingface", {"since": "2031-05-09", "until": "2031-06-09"}))  # runs into the future
    assert watermarks(crawls, TODAY) == {"arxivlens": TODAY - 3 * D, "huggingface": TODAY}
    assert marks_ahead(crawls, TODAY) == {"arxivlens": dt.date(2032, 5, 8), "digests": dt.date(2031, 5, 12),
                                          "huggingface": dt.date(2031, 6, 9)}
    assert watermarks(crawls)["arxivlens"] == dt.date(2032, 5, 8)  # without today: as before


def test_a_source_whose_mark_is_ahead_is_planned_from_its_last_day_before_and_said(tmp_path):
    crawls = _stored(tmp_path / "p.db", ("arxivlens", {"date": "2031-05-07"}), ("arxivlens", {"date": "2032-05-08"}),
                     ("digests", {"date": "2031-05-12"}), ("arxiv", {"date": "2032-01-01"}))
    marks, ahead = watermarks(crawls, TODAY), marks_ahead(crawls, TODAY)
    plan = dict(catch_up_plan(marks, TODAY, reobserve_days=0))
    assert plan["arxivlens"] == {"since": "2031-05-08", "until": "2031-05-10"}
    assert plan["digests"] == {"date": "2031-05-10"}
    # arXiv is not planned by days: its mark is not news.
    assert notes(marks, ahead, TODAY, reobserve_days=0) == [
        "arxivlens: its last complete day 2032-05-08 is after today (2031-05-10), so it is not trusted: "
        "planned from 2031-05-07",
        "digests: its last complete day 2031-05-12 is after today (2031-05-10), so it is not trusted: "
        "planned as never completed"]


def test_crawl_and_run_refuse_a_day_that_has_not_begun_anywhere(tmp_path):
    db = tmp_path / "p.db"
    ahead = (_utc_today() + 2 * D).isoformat()  # after latest_day() at any time of day
    empty = tmp_path / "rec"  # no recordings: were the day accepted, nothing would go out
    empty.mkdir()
    (empty / "manifest.json").write_text(json.dumps({"entries": []}))
    for args in (["crawl", "arxivlens", "--date", ahead], ["crawl", "huggingface", "--since",
                                                          _utc_today().isoformat(), "--until", ahead],
                 ["run", "--date", ahead], ["run", "--date", ahead, "--dry-run"]):
        done = run_reconcile(*args, "--replay", str(empty), "--db", str(db), cwd=tmp_path)
        assert done.returncode == 2, (args, done.stderr[-2000:])
        assert done.stderr.strip().count("\n") == 0, done.stderr
        assert f"{ahead} is a day that has not begun anywhere yet" in done.stderr
    assert not db.exists() or sqlite_utils.Database(db)["crawls"].count == 0  # nothing was crawled


def test_dry_run_plans_a_source_whose_last_complete_day_is_ahead_and_says_so(tmp_path):
    """The probe's database: a finished crawl of next year (made before the refusal, by
    ``scrapy crawl -a date=...`` or under a clock that was ahead)."""
    today = _utc_today()
    db = tmp_path / "p.db"
    _stored(db, ("arxivlens", {"date": (today - 3 * D).isoformat()}), ("arxivlens", {"date": "2099-06-01"}))
    plan = run_reconcile("run", "--dry-run", "--db", str(db), cwd=tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert (f"reconcile crawl arxivlens --since {today - 2 * D} --until {today} "
            f"(last complete day: {today - 3 * D})") in plan.stdout
    assert (f"arxivlens: its last complete day 2099-06-01 is after today ({today}), so it is not trusted: "
            f"planned from {today - 3 * D}") in plan.stdout.splitlines()


# -- 03: days beyond --max-days ------------------------------------------------------------------

def test_the_days_beyond_max_days_are_named_with_the_crawl_that_fetches_them():
    marks = {"huggingface": TODAY - 16 * D, "arxivlens": TODAY - 16 * D, "digests": TODAY - 3 * D}
    assert left_out(marks, TODAY) == [("huggingface", {"since": "2031-04-25", "until": "2031-05-03"}),
                                      ("arxivlens", {"since": "2031-04-25", "until": "2031-05-03"})]
    # Hugging Face's re-observed days are crawled, so they are not left out.
    assert left_out(marks, TODAY, max_days=3, reobserve_days=10)[0] == ("huggingface", {"since": "2031-04-25",
                                                                                        "until": "2031-04-30"})
    assert left_out({"arxivlens": TODAY - 8 * D}, TODAY) == [("arxivlens", {"date": "2031-05-03"})]
    assert left_out({"arxivlens": TODAY - 7 * D}, TODAY) == []  # seven days: nothing left out
    assert notes({"arxivlens": TODAY - 8 * D}, {}, TODAY) == [
        "arxivlens: 1 day after its last complete day 2031-05-02 is not crawled (--max-days 7) and no later "
        "run will plan it: crawl it with `reconcile crawl arxivlens --date 2031-05-03`, or raise --max-days"]


def test_digest_sites_left_behind_are_named_by_site():
    marks = {"digests/heron": TODAY - 10 * D, "digests/wren": TODAY - 2 * D, "digests/kite": TODAY - 10 * D}
    gaps = left_out(marks, TODAY, max_days=3, digest_sites=["heron", "wren", "kite"])
    assert gaps == [("digests", {"since": "2031-05-01", "until": "2031-05-07", "sites": "heron,kite"})]
    assert notes(marks, {}, TODAY, max_days=3, digest_sites=["heron", "wren", "kite"])[-1].startswith(
        "digests (heron,kite): 7 days after its last complete day 2031-04-30 are not crawled (--max-days 3)")


def test_dry_run_names_the_days_left_out(tmp_path):
    today = _utc_today()
    db = tmp_path / "p.db"
    _stored(db, *((s, {"date": (today - 16 * D).isoformat()}) for s in ("huggingface", "digests", "arxivlens")))
    plan = run_reconcile("run", "--dry-run", "--db", str(db), cwd=tmp_path)
    assert plan.returncode == 0, plan.stderr
    first, last = today - 15 * D, today - 7 * D
    for spider in ("huggingface", "digests", "arxivlens"):
        assert (f"{spider}: 9 days after its last complete day {today - 16 * D} are not crawled (--max-days 7) "
                f"and no later run will plan them: crawl them with `reconcile crawl {spider} --since {first} "
                f"--until {last}`, or raise --max-days") in plan.stdout.splitlines()


def test_a_run_says_on_stderr_which_days_it_leaves_out_and_which_mark_it_did_not_trust(tmp_path):
    today = _utc_today()
    db = tmp_path / "p.db"
    _stored(db, ("huggingface", {"date": (today - 12 * D).isoformat()}),
            ("arxivlens", {"date": (today - D).isoformat()}), ("arxivlens", {"date": "2099-06-01"}))
    rec = tmp_path / "rec"
    rec.mkdir()
    entries = []
    for n in range(3):
        day = today - n * D
        (rec / f"hf-{day}.json").write_text(json.dumps(daily_papers_body(day.isoformat(), [
            (f"3105.{n + 1:05d}", f"Plover Study Number {n + 1}", 5 + n)])))
        entries.append({"url": f"https://huggingface.co/api/daily_papers?date={day}&limit=100", "status": 200,
                        "content_type": "application/json", "file": f"hf-{day}.json",
                        "fetched_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})
    (rec / "manifest.json").write_text(json.dumps({"entries": entries}))

    done = run_reconcile("run", "--max-days", "3", "--reobserve-days", "0", "--replay", str(rec),
                         "--db", str(db), cwd=tmp_path)
    # The digests and ArxivLens are not recorded (replay misses): exit 3, as in test_plan.py.
    assert done.returncode == 3, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert (f"huggingface: 9 days after its last complete day {today - 12 * D} are not crawled (--max-days 3) "
            f"and no later run will plan them: crawl them with `reconcile crawl huggingface --since "
            f"{today - 11 * D} --until {today - 3 * D}`, or raise --max-days") in lines
    assert (f"arxivlens: its last complete day 2099-06-01 is after today ({today}), so it is not trusted: "
            f"planned from {today - D}") in lines
    rows = sqlite_utils.Database(db)
    asked = [json.loads(r["args"]) for r in rows.query("select args from crawls where spider = 'arxivlens' "
                                                       "order by id")][-1]
    assert asked == {"date": today.isoformat()}  # the source was crawled, not skipped
