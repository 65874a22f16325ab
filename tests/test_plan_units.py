"""Exact results of every branch of ``reconcile.plan`` (apart from ``describe``).

Mutation testing (mutmut) found single-line changes to ``watermarks``, ``_digest_sites``,
``days_of``, ``_days_after`` and ``catch_up_plan`` that no in-process test noticed: a crawl
without days ending the scan, a digests crawl of named sites moving the whole spider's
watermark, a failed digests crawl moving its sites', the default of seven days, a site
falling back on the spider's watermark, when a digests crawl names its sites, the spiders
planned after the digests. These tests call the functions directly and pin each of those.
Watermarks are read, as ``reconcile run`` reads them, from crawls stored in a ``Store`` in
``tmp_path``; site names are made up.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from reconcile.models import Crawl
from reconcile.plan import catch_up_plan, days_of, watermarks
from reconcile.store import Store

TODAY = dt.date(2031, 5, 10)
D = dt.timedelta(days=1)
DAY = TODAY - 2 * D  # 2031-05-08


def stored_crawls(tmp_path, *crawls: tuple[str, str, dict[str, Any], dict[str, Any]]) -> list[Crawl]:
    """``(spider, status, args, stats)`` written to a fresh database and read back, oldest first."""
    store = Store(tmp_path / "plan.db")
    now = dt.datetime(2031, 5, 10, 6, 0, tzinfo=dt.timezone.utc)
    for spider, status, args, stats in crawls:
        cid = store.start_crawl(Crawl(spider=spider, args=args, started_at=now))
        store.finish_crawl(cid, status, stats, now)
    try:
        return store.crawls()
    finally:
        store.close()


# -- days_of ------------------------------------------------------------------------------

def test_a_range_with_only_one_end_covers_no_day():
    assert days_of({"since": "2031-05-06"}) == []
    assert days_of({"until": "2031-05-06"}) == []
    assert days_of({"since": "2031-05-06", "until": ""}) == []


# -- watermarks ---------------------------------------------------------------------------

def test_a_crawl_that_covers_no_day_does_not_hide_the_crawls_after_it(tmp_path):
    crawls = stored_crawls(tmp_path,
                           ("arxiv", "finished", {"missing": True}, {}),
                           ("huggingface", "finished", {"date": "2031-05-08"}, {}))
    assert watermarks(crawls) == {"huggingface": DAY}


def test_the_latest_finished_day_wins_whatever_order_the_crawls_come_in(tmp_path):
    crawls = stored_crawls(tmp_path,
                           ("arxivlens", "finished", {"since": "2031-05-06", "until": "2031-05-08"}, {}),
                           ("arxivlens", "finished", {"date": "2031-05-03"}, {}),
                           ("arxivlens", "failed", {"date": "2031-05-09"}, {}))
    assert watermarks(crawls) == {"arxivlens": DAY}


def test_a_finished_digests_crawl_of_every_site_marks_the_spider_and_each_site_it_reports(tmp_path):
    crawls = stored_crawls(tmp_path, ("digests", "finished", {"date": "2031-05-08"},
                                      {"digest/heron/requests/post": 2, "digest/heron/posts": 2,
                                       "digest/wren/requests/index": 1}))
    assert watermarks(crawls) == {"digests": DAY, "digests/heron": DAY, "digests/wren": DAY}


def test_a_finished_digests_crawl_of_named_sites_marks_those_sites_and_not_the_spider(tmp_path):
    """The ``sites`` argument is comma-separated; a named site with no stats still counts."""
    crawls = stored_crawls(tmp_path, ("digests", "finished", {"date": "2031-05-08", "sites": "heron,wren"}, {}))
    assert watermarks(crawls) == {"digests/heron": DAY, "digests/wren": DAY}


def test_a_partial_crawl_of_named_sites_marks_only_the_sites_whose_requests_all_came_back(tmp_path):
    crawls = stored_crawls(tmp_path, ("digests", "partial", {"date": "2031-05-08", "sites": "heron,wren"},
                                      {"digest/wren/requests/post": 1, "digest/wren/requests/failed": 1}))
    assert watermarks(crawls) == {"digests/heron": DAY}


def test_a_failed_digests_crawl_marks_no_site_even_when_its_requests_came_back(tmp_path):
    crawls = stored_crawls(tmp_path, ("digests", "failed", {"date": "2031-05-08"},
                                      {"digest/heron/requests/post": 1, "digest/heron/posts": 1}),
                           ("digests", "failed", {"date": "2031-05-09", "sites": "wren"}, {}))
    # No site is marked; the spider's mark stays before the day its crawl came to nothing,
    # so the next run crawls it again (reconcile.plan, probe29).
    assert watermarks(crawls) == {"digests": DAY - dt.timedelta(days=1)}


def test_a_deep_stat_outside_the_digest_namespace_names_no_site(tmp_path):
    crawls = stored_crawls(tmp_path, ("digests", "finished", {"date": "2031-05-08"},
                                      {"huggingface/list/partial/before_day_end": 1,
                                       "digest/heron/requests/post": 1}))
    assert watermarks(crawls) == {"digests": DAY, "digests/heron": DAY}


def test_a_crawl_object_without_stats_still_marks_the_sites_its_arguments_name():
    """Any object with ``spider``, ``status`` and ``args`` will do; ``stats`` is optional."""
    bare = SimpleNamespace(spider="digests", status="finished", args={"date": "2031-05-08", "sites": "heron"})
    none = SimpleNamespace(spider="digests", status="partial", args={"date": "2031-05-09", "sites": "wren"},
                           stats=None)
    assert watermarks([bare, none]) == {"digests/heron": DAY, "digests/wren": TODAY - D}


# -- catch_up_plan ------------------------------------------------------------------------

def test_by_default_a_long_outage_catches_up_the_last_seven_days():
    plan = dict(catch_up_plan({"arxivlens": TODAY - 40 * D}, TODAY, reobserve_days=0))
    assert plan["arxivlens"] == {"since": "2031-05-04", "until": "2031-05-10"}


def test_a_max_days_below_one_still_crawls_today_alone():
    for max_days in (1, 0, -3):
        plan = dict(catch_up_plan({"arxivlens": TODAY - 5 * D}, TODAY, max_days=max_days, reobserve_days=0))
        assert plan["arxivlens"] == {"date": "2031-05-10"}, max_days


def test_reobserving_one_day_asks_hugging_face_for_today_even_when_it_is_up_to_date():
    marks = {"huggingface": TODAY}
    assert dict(catch_up_plan(marks, TODAY, reobserve_days=1))["huggingface"] == {"date": "2031-05-10"}
    assert "huggingface" not in dict(catch_up_plan(marks, TODAY, reobserve_days=0))
    assert "huggingface" not in dict(catch_up_plan(marks, TODAY, reobserve_days=-1))


def test_sites_without_their_own_watermark_catch_up_from_the_spiders_in_one_unnamed_crawl():
    plan = catch_up_plan({"digests": TODAY - 3 * D}, TODAY, reobserve_days=0, digest_sites=["heron", "wren"])
    assert [args for spider, args in plan if spider == "digests"] == [{"since": "2031-05-08", "until": "2031-05-10"}]


def test_a_site_keeps_the_later_of_its_own_watermark_and_the_spiders():
    marks = {"digests": TODAY - 3 * D, "digests/heron": TODAY - D, "digests/wren": TODAY - 5 * D}
    plan = catch_up_plan(marks, TODAY, reobserve_days=0, digest_sites=["heron", "wren"])
    assert [args for spider, args in plan if spider == "digests"] == [
        {"since": "2031-05-08", "until": "2031-05-10", "sites": "wren"},
        {"date": "2031-05-10", "sites": "heron"}]


def test_a_site_that_is_up_to_date_leaves_the_others_crawled_by_name_and_the_plan_goes_on():
    marks = {"huggingface": TODAY, "arxivlens": TODAY - D,
             "digests/heron": TODAY, "digests/wren": TODAY - 2 * D, "digests/kite": TODAY - 2 * D}
    plan = catch_up_plan(marks, TODAY, reobserve_days=0, digest_sites=["wren", "heron", "kite"])
    assert plan == [("digests", {"since": "2031-05-09", "until": "2031-05-10", "sites": "wren,kite"}),
                    ("arxivlens", {"date": "2031-05-10"}),
                    ("arxiv", {"missing": True})]


def test_when_every_site_is_up_to_date_no_digests_crawl_is_planned():
    marks = {"digests/heron": TODAY, "digests/wren": TODAY + D}
    plan = catch_up_plan(marks, TODAY, reobserve_days=0, digest_sites=["heron", "wren"])
    assert [spider for spider, _ in plan] == ["huggingface", "arxivlens", "arxiv"]
