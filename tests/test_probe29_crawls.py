"""Defects probe29 found by crawling made-up degraded servers, each with a test that fails
on the code before its fix. Every answer is written here and served from 127.0.0.1.

Each crawl is the real ``reconcile crawl`` command, so its status, exit code and stderr are
what an unattended run sees: a listing not read to its end is ``partial`` (exit 3), with
a ``rejects`` row saying how far it got, and no traceback.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from .loopback import LoopbackServer, daily_papers_body
from .support import crawl_rows, rows, run_reconcile

API = "/api/daily_papers"
DAY = "2026-11-30"
PAPERS = [("2611.40001", "Made-up Kites for Tiny Agents", 50), ("2611.40002", "An Invented Atlas of Teapots", 20)]


@pytest.fixture
def server():
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def crawl(server: LoopbackServer, tmp_path: Path, spider: str, *args: str, db_name: str = "p.db",
          **settings: str) -> tuple[subprocess.CompletedProcess, Path]:
    """``reconcile crawl SPIDER ARGS`` against the loopback server, into a fresh database."""
    db = tmp_path / db_name
    overrides = {"HUGGINGFACE_BASE_URL": server.base_url, "ARXIV_API_URL": f"{server.base_url}/api/query",
                 "ARXIV_OAI_URL": f"{server.base_url}/oai", "ARXIVLENS_BASE_URL": server.base_url,
                 "DOWNLOAD_DELAY": "0", "ARXIV_DELAY": "0", "ARXIVLENS_DELAY": "0", "RETRY_TIMES": "1", "RETRY_BACKOFF_BASE": "0.05",
                 **settings}
    done = run_reconcile("crawl", spider, *args, "--db", str(db),
                         *[a for name, value in overrides.items() for a in ("--set", f"{name}={value}")],
                         cwd=tmp_path)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done, db


def assert_partial(done: subprocess.CompletedProcess, db: Path) -> dict:
    """The crawl ended ``partial`` with exit 3; its row."""
    assert done.returncode == 3, (done.returncode, done.stderr[-2000:])
    (row,) = crawl_rows(db)
    assert row["status"] == "partial", row
    return row


def rejects(db: Path) -> list[str]:
    return [r["reason"] for r in rows(db, "select reason from rejects order by id")]


# -- #1 a cached copy is timed by its Age ---------------------------------------------------
def test_a_cached_copy_is_timed_as_old_as_its_age_says(server, tmp_path):
    # A CDN answers with a copy three days old, and says so: timed as received, its lower
    # counts were a later capture than the fresh list's (counts "fell": error findings).
    server.add(f"{API}?date={DAY}&limit=100", daily_papers_body(DAY, PAPERS),
               headers={"Age": "259200", "X-Cache": "Hit from cloudfront"})
    before = dt.datetime.now(dt.timezone.utc)
    done, db = crawl(server, tmp_path, "huggingface", "--date", DAY)
    assert done.returncode == 0, done.stderr[-2000:]
    (doc,) = rows(db, "select observed_at, observed_at_basis from documents")
    seen = dt.datetime.fromisoformat(doc["observed_at"].replace("Z", "+00:00"))
    three_days = dt.timedelta(days=3)
    assert before - three_days - dt.timedelta(seconds=5) <= seen <= dt.datetime.now(dt.timezone.utc) - three_days
    assert crawl_rows(db)[0]["stats"]["http/cached_copy"] == 1


def test_an_age_that_is_no_number_of_seconds_is_ignored():
    from scrapers.middlewares import copy_time

    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
    assert copy_time(now, b"3600") == now - dt.timedelta(hours=1)
    for bad in (None, b"", b"-5", b"soon", b"1e9", b"9" * 40):
        assert copy_time(now, bad) == now


# -- #2 an answer of another day ------------------------------------------------------------
def test_an_answer_listing_another_day_is_not_stored_as_the_day_asked(server, tmp_path):
    # The API ignores `date` and answers today's list: it was filed as the complete list of
    # the day asked, whose papers on other lists then were "missing".
    server.add(f"{API}?date=2026-11-29&limit=100", daily_papers_body("2026-11-29", PAPERS[:1]))
    server.add(f"{API}?date={DAY}&limit=100", daily_papers_body("2026-12-05", PAPERS[1:]))
    done, db = crawl(server, tmp_path, "huggingface", "--since", "2026-11-29", "--until", DAY)
    row = assert_partial(done, db)
    assert rejects(db) == [f"Hugging Face answered another day's list: asked for {DAY}, its 1 paper "
                           "listed on 2026-12-05"]
    assert [r["url"] for r in rows(db, "select url from documents")] == [
        f"{server.base_url}{API}?date=2026-11-29&limit=100"]
    assert row["stats"].get("huggingface/list/complete") == 1


# -- #4 a compressed body cut short ---------------------------------------------------------
def _cut(encoding: str, body: bytes, keep: float = 0.55) -> bytes:
    import gzip
    import zlib

    if encoding == "br":
        import brotli

        packed = brotli.compress(body)
    else:
        packed = gzip.compress(body) if encoding == "gzip" else zlib.compress(body)
    return packed[:int(len(packed) * keep)]


POST = ("<html><body><h1>Made-up picks</h1><ol>" + "".join(
    f"<li><a href='https://arxiv.org/abs/2611.4{n:04d}'>Invented paper {n} about {n * 7} teapots</a> "
    f"{n * 3} upvotes</li>" for n in range(1, 60)) + "</ol></body></html>").encode()


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_a_compressed_body_cut_short_is_not_read_as_the_whole_page(encoding):
    # Scrapy returns "as much as possible": a cut post was read as a whole one of 1 item.
    from scrapers.middlewares import BoundedDecompressionMiddleware, _StreamCut

    name = {"br": "brotli"}.get(encoding, encoding)
    with pytest.raises(_StreamCut, match=f"{name} stream ended before its end-of-stream marker"):
        BoundedDecompressionMiddleware._decode(_cut(encoding, POST), encoding.encode(), 0)
    assert BoundedDecompressionMiddleware._decode(_cut(encoding, POST, 1.0), encoding.encode(), 0) == POST


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_crawl_whose_compressed_answer_is_cut_is_partial(server, tmp_path, encoding):
    import json

    body = json.dumps(daily_papers_body(DAY, PAPERS)).encode()
    server.add(f"{API}?date=2026-11-29&limit=100", daily_papers_body("2026-11-29", PAPERS[:1]))
    server.add(f"{API}?date={DAY}&limit=100", _cut(encoding, body), headers={"Content-Encoding": encoding})
    done, db = crawl(server, tmp_path, "huggingface", "--since", "2026-11-29", "--until", DAY)
    assert_partial(done, db)
    (reason,) = rejects(db)
    assert reason.startswith(f"connection lost before the body was complete ({encoding} stream ended before "
                             "its end-of-stream marker, after "), reason
    assert len(rows(db, "select id from documents")) == 1  # the good day's


# -- #6 an empty arXiv search page mid-listing ----------------------------------------------
def _atom(ids: list[str], total: int, start: int) -> str:
    from .test_crawl_arxiv import atom_feed

    return atom_feed(ids, total=total, start=start, per_page=2)


def test_an_empty_search_page_before_the_total_is_asked_again_then_a_reject(server, tmp_path):
    from .loopback import Canned
    from .test_crawl_arxiv import query_of

    ids = [f"2611.5000{n}" for n in range(1, 7)]
    empty_times = {"left": 1}

    def answer(path: str) -> Canned:
        start = int(query_of(path)["start"])
        if start == 2 and empty_times["left"]:  # once empty, then the page
            empty_times["left"] -= 1
            return Canned.of(_atom([], 6, start), content_type="application/atom+xml")
        return Canned.of(_atom(ids[start:start + 2], 6, start), content_type="application/atom+xml")

    server.route("/api/query", answer)
    done, db = crawl(server, tmp_path, "arxiv", "--date", DAY, ARXIV_PAGE_SIZE="2")
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(rows(db, "select id from observations")) == 6  # the page asked again was there

    # Empty every time it is asked: 2 of 6 read, and the crawl says so.
    empty_times["left"] = 2
    done, db2 = crawl(server, tmp_path, "arxiv", "--date", DAY, db_name="again.db", ARXIV_PAGE_SIZE="2")
    assert_partial(done, db2)
    assert rejects(db2) == ["arXiv search: the page at start=2 came back empty twice though the total is 6: "
                            "listing not read to its end (stopped at 2 of 6)"]
    assert len(rows(db2, "select id from observations")) == 2


# -- #7 an OAI-PMH resumption token seen before ---------------------------------------------
@pytest.mark.parametrize("tokens", [("tA", "tB", "tA"), ("same", "same")])
def test_a_repeated_resumption_token_is_a_reject_saying_the_listing_was_not_read_to_its_end(
        server, tmp_path, tokens):
    from .loopback import Canned
    from .test_crawl_arxiv import oai_page, query_of

    ids = [f"2611.6000{n}" for n in range(1, 9)]

    def answer(path: str) -> Canned:
        token = query_of(path).get("resumptionToken")
        page = 0 if token is None else tokens.index(token) + 1
        return Canned.of(oai_page(ids[2 * page:2 * page + 2], tokens[page], size=8, cursor=2 * page),
                         content_type="text/xml")

    server.route("/oai", answer)
    done, db = crawl(server, tmp_path, "arxiv", "--date", DAY, "--via", "oai")
    assert_partial(done, db)
    read = len(tokens) * 2
    assert rejects(db) == [f"OAI-PMH repeated resumption token {tokens[-1]!r}: listing not read to its end "
                           f"({read} records read of 8)"]
    assert len(rows(db, "select id from observations")) == read


# -- #8 an ArxivLens list that stops short --------------------------------------------------
@pytest.mark.parametrize("fault", ["empty_page", "page_ignored"])
def test_an_arxivlens_list_that_stops_short_of_its_total_is_a_reject(server, tmp_path, fault):
    from .loopback import Canned
    from .test_crawl_arxiv import query_of
    from .test_pages_arxivlens_api import FINDINGS, by_date, detail, item

    papers = [item(f"2611.7000{n}", f"Invented Mirror Paper {n}") for n in range(1, 7)]

    def answer(path: str) -> Canned:
        page = int(query_of(path)["page"])
        if fault == "page_ignored":
            page = 1
        shown = [] if fault == "empty_page" and page == 2 else papers[2 * page - 2:2 * page]
        return Canned.of(by_date(shown, total=6, page=page, limit=2))

    server.route(f"/api/v1/papers/by-date/{DAY}", answer)
    for paper in papers:
        server.add(f"/api/v1/papers/{paper['paperId']}", detail(paper["paperId"], paper["title"]))
        server.add(f"/api/v1/papers/{paper['paperId']}/key-findings", FINDINGS)
    done, db = crawl(server, tmp_path, "arxivlens", "--date", DAY, ARXIVLENS_PAGE_SIZE="2")
    assert_partial(done, db)
    why = "an empty page" if fault == "empty_page" else "a page repeating earlier pages' papers"
    assert rejects(db) == [f"the ArxivLens list of {DAY} stopped at page 2 ({why}): 2 of the 6 papers it states "
                           "were read"]
    assert server.count(f"/api/v1/papers/by-date/{DAY}") == 2
    listed = rows(db, "select arxiv_id from observations o join documents d on d.id = o.document_id "
                      "where d.format = 'arxivlens-api-list'")
    assert sorted(r["arxiv_id"] for r in listed) == ["2611.70001", "2611.70002"]  # page 1 once


# -- #9 a redirect to a URL the crawl asks for itself ---------------------------------------
@pytest.mark.parametrize("redirected, target, words", [
    # the target asked before the redirect comes back: the redirect is refused
    (DAY, "2026-11-29", "HTTP 302 redirect to URL/api/daily_papers?date=2026-11-29&limit=100, a URL this crawl "
                        "asks for itself: URL/api/daily_papers?date=2026-11-30&limit=100 was not read"),
    # the target not asked yet: followed, and the answer is not the day asked
    ("2026-11-29", DAY, "the Hugging Face list of 2026-11-29 was redirected to the list of 2026-11-30 "
                        "(URL/api/daily_papers?date=2026-11-30&limit=100): the day asked was not read"),
])
def test_a_day_redirected_to_another_day_the_crawl_asks_is_a_reject(server, tmp_path, redirected, target, words):
    # date=A sent (302) to date=B, which the crawl also asks: the duplicate filter dropped
    # the followed request, and day A had no document and no reject ("finished", exit 0).
    server.add(f"{API}?date={redirected}&limit=100", b"", 302,
               headers={"Location": f"{API}?date={target}&limit=100"})
    server.add(f"{API}?date={target}&limit=100", daily_papers_body(target, PAPERS))
    done, db = crawl(server, tmp_path, "huggingface", "--since", "2026-11-29", "--until", DAY,
                     CONCURRENT_REQUESTS="1")
    assert_partial(done, db)
    assert [r.replace(server.base_url, "URL") for r in rejects(db)] == [words]
    assert [r["url"] for r in rows(db, "select url from documents")] == [f"{server.base_url}{API}?date={target}&limit=100"]


# -- #12 one answer listing a paper twice ---------------------------------------------------
def test_a_paper_listed_twice_in_one_answer_keeps_its_first_item_and_names_the_repeat():
    # 55 then 46 in one answer: "cannot be ordered in time" (a warning), and the merged
    # count was the later, lower one.
    import json

    from scrapers.pages import read_page

    body = daily_papers_body(DAY, [PAPERS[0], PAPERS[1], (PAPERS[0][0], PAPERS[0][1], 46)])
    result = read_page(f"https://huggingface.co{API}?date={DAY}&limit=100", json.dumps(body).encode(),
                       fetched_at=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    assert [(o.arxiv_id, o.upvotes) for o in result.observations] == [("2611.40001", 50), ("2611.40002", 20)]
    assert [p.reason for p in result.problems] == [
        "item 3: listed twice (2611.40001, as item 1, with 50 and 46 upvotes); the first is kept"]
    from scrapers.pipelines import reason_key

    assert reason_key(result.problems[0].reason) == "listed_twice_the_first_is_kept"


# -- #13 an API that ignores the page parameter ---------------------------------------------
def test_a_page_repeating_the_one_before_ends_the_list_with_a_reject(server, tmp_path):
    # Every page the same 2 papers: 200 pages were fetched and stored, and Scrapy warned of
    # a request carrying its internal meta (download_latency) copied from the response.
    from .loopback import Canned

    server.route(f"{API}?date={DAY}", lambda path: Canned.of(daily_papers_body(DAY, PAPERS)))
    done, db = crawl(server, tmp_path, "huggingface", "--date", DAY, HUGGINGFACE_PAGE_SIZE="2")
    assert "internal meta keys" not in done.stderr, done.stderr[-2000:]
    assert server.count(API) == 2
    row = assert_partial(done, db)
    assert rejects(db) == [f"the Hugging Face list of {DAY}: page 1 repeats the papers of page 0 (the API ignores "
                           "p): listing not read to its end"]
    assert len(rows(db, "select id from observations")) == 2 and row["stats"]["reconcile/pages/read"] == 1


# -- #14 an HTML page where JSON was expected -----------------------------------------------
@pytest.mark.parametrize("body, words", [
    ("<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>",
     "an HTML page (title 'Just a moment...'), not the JSON list of daily papers"),
    ("\n<html><body><h1>Down for maintenance</h1></body></html>",
     "an HTML page without a title, not the JSON list of daily papers"),
    ('[{"paper": {"id": "2611.40001"', "not valid JSON (Expecting ',' delimiter at line 1 column 31)"),
])
def test_an_html_page_where_json_was_expected_is_named_as_one(body, words):
    from scrapers.pages import PageError, read_page

    with pytest.raises(PageError) as caught:
        read_page(f"https://huggingface.co{API}?date={DAY}", body.encode(), {"Content-Type": "text/html"},
                  fetched_at=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    assert caught.value.reason == words


def test_an_arxivlens_answer_that_is_a_login_page_says_so():
    from scrapers.pages.arxivlens_api import _load
    from scrapers.pages.base import PageError

    with pytest.raises(PageError, match=r"^ArxivLens API: an HTML page \(title 'Sign in'\), not the JSON answer$"):
        _load("<html><head><title>Sign in</title></head><body><form></form></body></html>", "paper")


# -- #11 a wrong HTTP charset beside a right <meta charset> ---------------------------------
KOREAN_POST = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">
<title>오늘의 논문 {DAY}</title></head><body><h1>오늘의 논문 {DAY}</h1><ol>
<li><a href="https://arxiv.org/abs/2611.96661">\u201cPlain\u201d Kites for Tiny Agents</a> - 추천 14</li>
<li><a href="https://arxiv.org/abs/2611.96662">Invented Ropes for City Trams</a> - 추천 4</li>
</ol></body></html>""".encode("euc-kr")


def test_a_page_whose_meta_charset_is_right_and_header_wrong_is_read_in_its_own_charset():
    # EUC-KR served as UTF-8: read as windows-1252, its titles were "¡°Plain¡± Kites", its
    # counts lost, and ftfy's line-wise "repair" of the garbage was reported as a mojibake.
    from scrapers.pages import read_page

    result = read_page(f"https://blog.example.org/d/{DAY}.html", KOREAN_POST,
                       {"Content-Type": "text/html; charset=utf-8"},
                       fetched_at=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    assert (result.document.encoding, result.document.mojibake, result.document.repair) == ("cp949", False, None)
    assert [(o.title, o.upvotes) for o in result.observations] == [
        ("\u201cPlain\u201d Kites for Tiny Agents", 14), ("Invented Ropes for City Trams", 4)]


def test_a_garbled_decode_is_not_called_a_repaired_mojibake():
    from reconcile.text import decode_body, repair_decoded

    no_meta = KOREAN_POST.replace(b'<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">', b"")
    text, encoding = decode_body(no_meta, "utf-8")
    assert encoding == "sloppy-windows-1252"
    repair = repair_decoded(text, encoding)
    assert (repair.mojibake, repair.method, repair.text) == (True, None, text)
    # A UTF-8 body with one bad byte is still repaired, line by line.
    broken = "Café Zürich “quoted”\n".encode() * 3 + b"\xff\n"
    text, encoding = decode_body(broken, "utf-8")
    assert repair_decoded(text, encoding).text.startswith("Café Zürich “quoted”\nCafé")
