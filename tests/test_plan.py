"""Issue 12, point 3: ``reconcile run`` catches up missed days and re-observes Hugging Face.

Unit tests of the plan (watermarks from the ``crawls`` table, the days each spider gets),
then ``run`` end to end over recordings a test writes: a database whose watermark is three
days old crawls those days, asks Hugging Face again for the last seven, and a second run
adds nothing. Ids are made up (the unused 3105 range).
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import sqlite_utils

from reconcile.models import Crawl
from reconcile.plan import catch_up_plan, days_of, watermarks
from reconcile.store import Store

from .loopback import daily_papers_body
from .support import run_reconcile

TODAY = dt.date(2031, 5, 10)
D = dt.timedelta(days=1)


def crawl(spider: str, status: str, **args) -> SimpleNamespace:
    return SimpleNamespace(spider=spider, status=status, args=args)


def test_days_of_a_crawl():
    assert days_of({"date": "2031-05-06"}) == [dt.date(2031, 5, 6)]
    assert days_of({"since": "2031-05-06", "until": "2031-05-08"}) == [dt.date(2031, 5, d) for d in (6, 7, 8)]
    assert days_of({"ids": ["3105.00001"]}) == [] and days_of({"date": "bad"}) == []


def test_the_watermark_is_the_last_day_a_finished_crawl_covered():
    marks = watermarks([crawl("huggingface", "finished", since="2031-05-01", until="2031-05-04"),
                        crawl("huggingface", "partial", date="2031-05-09"),  # does not move it
                        crawl("digests", "failed", date="2031-05-08"),
                        crawl("arxiv", "finished", missing=True)])
    # A source whose only crawl came to nothing is marked before that day (the next test).
    assert marks == {"huggingface": dt.date(2031, 5, 4), "digests": dt.date(2031, 5, 7)}


def test_a_source_that_never_finished_catches_up_from_the_day_it_was_down():
    # `run --date D` with Hugging Face down ended failed; the next run planned the source
    # "never completed" (today and the re-observed week) and neither fetched D nor named
    # it (probe29 s13).
    history = [crawl("huggingface", "failed", date="2031-05-01")]
    assert watermarks(history) == {"huggingface": dt.date(2031, 4, 30)}
    plan = catch_up_plan(watermarks(history), TODAY, max_days=14, reobserve_days=0)
    assert ("huggingface", {"since": "2031-05-01", "until": "2031-05-10"}) in plan
    # Beyond --max-days the cap leaves the day out, and says so (reconcile.plan.left_out).
    from reconcile.plan import left_out

    assert left_out(watermarks(history), TODAY, max_days=7, reobserve_days=0) == [
        ("huggingface", {"since": "2031-05-01", "until": "2031-05-03"})]


def test_a_day_whose_crawl_came_to_nothing_holds_the_watermark_though_a_later_day_finished():
    # ArxivLens answered 503 for May 7 to 9; then today's list was crawled by hand.
    history = [crawl("arxivlens", "finished", since="2031-05-04", until="2031-05-06"),
               crawl("arxivlens", "failed", since="2031-05-07", until="2031-05-09"),
               crawl("arxivlens", "finished", date="2031-05-10")]
    assert watermarks(history) == {"arxivlens": dt.date(2031, 5, 6)}
    plan = catch_up_plan(watermarks(history), TODAY, reobserve_days=0)
    assert ("arxivlens", {"since": "2031-05-07", "until": "2031-05-10"}) in plan
    # Once a finished crawl covers the hole, the mark moves on; a partial crawl's days (a
    # digest's day without a post) never hold it.
    assert watermarks([*history, crawl("arxivlens", "finished", since="2031-05-07", until="2031-05-08"),
                       crawl("arxivlens", "finished", date="2031-05-09")]) == {"arxivlens": dt.date(2031, 5, 10)}
    assert watermarks([crawl("digests", "partial", date="2031-05-08"),
                       crawl("digests", "finished", date="2031-05-09")]) == {"digests": dt.date(2031, 5, 9)}


def test_three_days_behind_catches_up_and_reobserves_the_last_week():
    marks = {s: TODAY - 3 * D for s in ("huggingface", "digests", "arxivlens")}
    plan = dict(catch_up_plan(marks, TODAY))
    assert plan["digests"] == plan["arxivlens"] == {"since": "2031-05-08", "until": "2031-05-10"}
    assert plan["huggingface"] == {"since": "2031-05-04", "until": "2031-05-10"}  # seven days again
    assert plan["arxiv"] == {"missing": True}
    assert dict(catch_up_plan(marks, TODAY, reobserve_days=0))["huggingface"] == {"since": "2031-05-08",
                                                                                  "until": "2031-05-10"}


def test_a_long_outage_is_bounded_and_a_first_run_takes_today():
    plan = dict(catch_up_plan({"digests": TODAY - 40 * D}, TODAY, max_days=5, reobserve_days=0))
    assert plan["digests"] == {"since": "2031-05-06", "until": "2031-05-10"}
    assert plan["huggingface"] == plan["arxivlens"] == {"date": "2031-05-10"}  # never completed
    assert "digests" not in dict(catch_up_plan({"digests": TODAY}, TODAY))  # nothing left to do


def _recordings(folder, days: list[dt.date]) -> None:
    """Recorded Hugging Face answers for ``days`` (one made-up paper each)."""
    entries = []
    for n, day in enumerate(days):
        name = f"hf-{day}.json"
        (folder / name).write_text(json.dumps(daily_papers_body(day.isoformat(), [
            (f"3105.{n + 1:05d}", f"Heron Study Number {n + 1}", 10 + n)])))
        entries.append({"url": f"https://huggingface.co/api/daily_papers?date={day}&limit=100", "status": 200,
                        "content_type": "application/json", "file": name,
                        "fetched_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})
    (folder / "manifest.json").write_text(json.dumps({"entries": entries}))


def test_run_catches_up_three_days_and_a_second_run_adds_nothing(tmp_path):
    today = dt.datetime.now(dt.timezone.utc).date()
    db = tmp_path / "p.db"
    store = Store(db)
    for spider in ("huggingface", "digests", "arxivlens"):
        cid = store.start_crawl(Crawl(spider=spider, args={"date": (today - 3 * D).isoformat()},
                                      started_at=dt.datetime.now(dt.timezone.utc)))
        store.finish_crawl(cid, "finished", {}, dt.datetime.now(dt.timezone.utc))
    store.close()
    rec = tmp_path / "rec"
    rec.mkdir()
    _recordings(rec, [today - n * D for n in range(7)])

    plan = run_reconcile("run", "--dry-run", "--db", str(db))
    assert plan.returncode == 0, plan.stderr
    assert f"reconcile crawl digests --since {today - 2 * D} --until {today}" in plan.stdout
    assert f"reconcile crawl huggingface --since {today - 6 * D} --until {today}" in plan.stdout

    first = run_reconcile("run", "--replay", str(rec), "--db", str(db), cwd=tmp_path)
    # Hugging Face is recorded; the digests and ArxivLens are not (replay misses): exit 3.
    assert first.returncode == 3 and "crawl " not in first.stdout, first.stderr[-2000:]
    rows = sqlite_utils.Database(db)
    hf = [json.loads(r["args"]) for r in rows.query("select args from crawls where spider = 'huggingface' "
                                                    "order by id")][-1]
    assert hf == {"since": (today - 6 * D).isoformat(), "until": today.isoformat()}
    assert rows["observations"].count == 7
    documents = rows["documents"].count

    second = run_reconcile("run", "--replay", str(rec), "--db", str(db), cwd=tmp_path)
    assert second.returncode == 3, second.stderr[-2000:]
    assert rows["documents"].count == documents and rows["observations"].count == 7  # nothing new


def test_each_digest_site_catches_up_from_its_own_watermark():
    """A partial digests crawl moves the watermark of the sites whose requests all came to
    something; the others' days come again, in a crawl of their own."""
    day = (TODAY - 2 * D).isoformat()
    partial = SimpleNamespace(spider="digests", status="partial", args={"date": day},
                              stats={"digest/heron/requests/post": 1, "digest/wren/requests/post": 1,
                                     "digest/wren/requests/failed": 1, "digest/wren/rejects/http_404": 1})
    marks = watermarks([partial])
    assert marks == {"digests/heron": TODAY - 2 * D}
    plan = [args for spider, args in catch_up_plan(marks, TODAY, digest_sites=["heron", "wren"]) if spider == "digests"]
    # heron resumes after its day; wren never completed one, so it starts from today.
    assert plan == [{"since": "2031-05-09", "until": "2031-05-10", "sites": "heron"},
                    {"date": "2031-05-10", "sites": "wren"}]
