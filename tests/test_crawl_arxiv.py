"""The arxiv spider end to end: loopback arXiv API, RSS and OAI-PMH -> crawl -> SQLite.

The server answers with XML these tests build (made-up titles and abstracts in the shape of
arXiv's answers: Atom with opensearch totals, RSS 2.0 with ``arxiv:announce_type``,
OAI-PMH ``ListRecords`` with resumption tokens). Crawls run in subprocesses, as in
test_crawl_huggingface.py. Delays are measured from arrival times at the server, with lower
bounds only: machines are noisy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pytest

from .loopback import Canned, LoopbackServer, daily_papers_body
from .support import clean_env, crawl_rows, rows, run_crawls_subprocess
from scrapers.spiders.arxiv import ArxivArgs, ArxivSpider, batches

REPO = Path(__file__).resolve().parents[1]
API = "/api/query"
ATOM = "application/atom+xml; charset=utf-8"
XML = "text/xml; charset=utf-8"


# -- bodies ---------------------------------------------------------------------------------

def title_of(arxiv_id: str) -> str:
    """A made-up title that names its id, so tests can check what was stored."""
    return f"Toy Study Number {arxiv_id}"


def atom_entry(arxiv_id: str, category: str = "cs.CL") -> str:
    """One entry of an arXiv API answer, 2026 layout, with made-up text."""
    return f"""  <entry>
    <id>http://arxiv.org/abs/{arxiv_id}v1</id>
    <title>{escape(title_of(arxiv_id))}</title>
    <updated>2026-02-05T10:00:00Z</updated>
    <link href="https://arxiv.org/abs/{arxiv_id}v1" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/{arxiv_id}v1" rel="related" type="application/pdf" title="pdf"/>
    <summary>We count imaginary ducks for {escape(arxiv_id)} &amp; report made-up numbers.</summary>
    <category term="{category}" scheme="http://arxiv.org/schemas/atom"/>
    <published>2026-02-05T09:00:00Z</published>
    <arxiv:primary_category term="{category}"/>
    <author>
      <name>Ada Example</name>
    </author>
    <author>
      <name>Bo Sample</name>
    </author>
  </entry>
"""


def atom_feed(ids: list[str], *, total: int | None = None, start: int = 0,
              per_page: int | None = None, query: str = "") -> str:
    """An arXiv API answer holding ``ids``, with opensearch total, start and page size."""
    total = len(ids) if total is None else total
    per_page = len(ids) if per_page is None else per_page
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/made-up-feed-id</id>
  <title>arXiv Query: {escape(query)}</title>
  <updated>2026-02-05T12:00:00Z</updated>
  <link href={quoteattr("https://arxiv.org/api/query?" + query)} type="application/atom+xml"/>
  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
{''.join(atom_entry(i) for i in ids)}</feed>
"""


def atom_error(message: str) -> str:
    """arXiv's error feed (sent with HTTP 400): one entry titled Error."""
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/</id>
  <title>arXiv Search Results</title>
  <updated>2026-02-05T12:00:00Z</updated>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>https://arxiv.org/api/errors#made_up</id>
    <title>Error</title>
    <updated>2026-02-05T12:00:00Z</updated>
    <summary>{escape(message)}</summary>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>
"""


def rss_feed(category: str, ids: list[str]) -> str:
    """An arXiv RSS channel for one announcement day; no items is a weekend."""
    items = "".join(f"""    <item>
      <title>{escape(title_of(i))}</title>
      <link>https://arxiv.org/abs/{i}</link>
      <description>arXiv:{i}v1 Announce Type: new
Abstract: A made-up abstract about paper {i}.</description>
      <guid isPermaLink="false">oai:arXiv.org:{i}v1</guid>
      <category>{category}</category>
      <pubDate>Thu, 05 Feb 2026 00:00:00 -0500</pubDate>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:creator>Ada Example, Bo Sample</dc:creator>
    </item>
""" for i in ids)
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title>{category} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/{category}</link>
    <description>{category} updates on the arXiv.org e-print archive.</description>
    <language>en-us</language>
    <pubDate>Thu, 05 Feb 2026 00:00:00 -0500</pubDate>
{items}  </channel>
</rss>
"""


def oai_page(ids: list[str], token: str | None, *, size: int, cursor: int) -> str:
    """One OAI-PMH ListRecords page (metadataPrefix arXiv) and its resumption token."""
    records = "".join(f"""<record>
<header><identifier>oai:arXiv.org:{i}</identifier><datestamp>2026-02-05</datestamp><setSpec>cs</setSpec></header>
<metadata>
<arXiv xmlns="http://arxiv.org/OAI/arXiv/">
<id>{i}</id><created>2026-02-04</created><authors><author><keyname>Example</keyname><forenames>Ada</forenames></author></authors><title>{escape(title_of(i))}</title><categories>cs.CL cs.LG</categories><abstract>A made-up abstract about paper {i}.</abstract></arXiv>
</metadata>
</record>
""" for i in ids)
    token_xml = (f'<resumptionToken cursor="{cursor}" completeListSize="{size}">{token}</resumptionToken>'
                 if token else f'<resumptionToken cursor="{cursor}" completeListSize="{size}"/>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-02-05T12:00:00Z</responseDate>
<request verb="ListRecords">https://oaipmh.arxiv.org/oai</request>
<ListRecords>
{records}{token_xml}
</ListRecords>
</OAI-PMH>
"""


def new_ids(first: int, count: int) -> list[str]:
    """``count`` made-up new-style ids from ``2602.<first>`` on."""
    return [f"2602.{n:05d}" for n in range(first, first + count)]


# -- the server's arXiv API ------------------------------------------------------------------

def query_of(path: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}


def asked_ids(path: str) -> list[str]:
    return query_of(path)["id_list"].split(",")


def id_list_api(known: set[str]) -> Any:
    """An API handler that answers ``id_list`` queries with the ids it knows."""
    def answer(path: str) -> Canned:
        query = query_of(path)
        found = [i for i in query["id_list"].split(",") if i in known]
        return Canned.of(atom_feed(found, per_page=int(query["max_results"]),
                                   query=urlsplit(path).query), content_type=ATOM)
    return answer


def search_api(results: list[str], claimed_total: int | None = None) -> Any:
    """An API handler paging through ``results``; ``claimed_total`` can lie about their number."""
    def answer(path: str) -> Canned:
        query = query_of(path)
        start, size = int(query["start"]), int(query["max_results"])
        page = results[start:start + size]
        total = len(results) if claimed_total is None else claimed_total
        return Canned.of(atom_feed(page, total=total, start=start, per_page=size,
                                   query=urlsplit(path).query), content_type=ATOM)
    return answer


# -- running crawls ----------------------------------------------------------------------------

def crawl(server: LoopbackServer, db: Path, crawls: list[tuple[str, dict]], cwd: Path,
          **settings: Any) -> None:
    """``run_crawls`` in a fresh interpreter, every arXiv address pointing at ``server``."""
    overrides = {"ARXIV_API_URL": f"{server.base_url}{API}",
                 "ARXIV_RSS_URL": f"{server.base_url}/rss/",
                 "ARXIV_OAI_URL": f"{server.base_url}/oai",
                 "ARXIV_DELAY": "0", "DOWNLOAD_DELAY": "0",
                 **{k: str(v) for k, v in settings.items()}}
    run_crawls_subprocess(crawls, db, cwd, overrides)


def arxiv_titles(db: Path) -> dict[str, str]:
    return {r["arxiv_id"]: r["title"] for r in
            rows(db, "select arxiv_id, title from observations where source = 'arxiv'")}


def api_paths(server: LoopbackServer) -> list[str]:
    return [p for p in server.requests if p.startswith(API)]


# -- ids and missing ---------------------------------------------------------------------------

def test_150_ids_take_two_requests_and_unknown_ids_become_rejects(server, tmp_path):
    ids = new_ids(1, 150)
    unknown = {ids[5], ids[120]}
    server.route(API, id_list_api(set(ids) - unknown))
    db = tmp_path / "papers.db"
    # From the repository root, as a user would: `scrapy crawl arxiv -a ids=...`, with
    # versions and an arXiv: prefix that the spider makes canonical.
    given = ",".join([f"{ids[0]}v3", f"arXiv:{ids[1]}", *ids[2:]])
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "arxiv", "-a", f"ids={given}",
         "-s", f"ARXIV_API_URL={server.base_url}{API}", "-s", f"RECONCILE_DB={db}",
         "-s", "ARXIV_DELAY=0", "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]

    paths = api_paths(server)
    assert [len(asked_ids(p)) for p in paths] == [100, 50]
    assert [query_of(p)["max_results"] for p in paths] == ["100", "50"]
    assert [i for p in paths for i in asked_ids(p)] == ids
    assert arxiv_titles(db) == {i: title_of(i) for i in ids if i not in unknown}
    rejects = rows(db, "select url, reason, source from rejects order by url")
    assert [r["url"] for r in rejects] == sorted(f"https://arxiv.org/abs/{i}" for i in unknown)
    assert all(r["source"] == "arxiv" and "no entry" in r["reason"] for r in rejects)
    [run] = crawl_rows(db)
    assert run["status"] == "finished" and run["args"]["ids"] == ids
    assert run["stats"]["arxiv/requests/id_list"] == 2
    assert run["stats"]["arxiv/rejects/id_not_found"] == 2
    assert run["stats"]["arxiv/observations/stored"] == 148


def test_missing_asks_for_exactly_the_ids_other_sources_carry_and_only_once(server, tmp_path):
    from click.testing import CliRunner

    from reconcile.cli import cli

    day = tmp_path / "daily.json"
    papers = [("2602.30001", "A Made-up Sparse Router", 12), ("2602.30002", "A Made-up Prover", 7),
              ("2602.30003", "A Made-up Duck Counter", 3), ("2602.30004", "A Made-up Ghost", 1)]
    day.write_text(json.dumps(daily_papers_body("2026-02-05", papers)), encoding="utf-8")
    db = tmp_path / "papers.db"
    result = CliRunner().invoke(cli, ["ingest", str(day), "--db", str(db)])
    assert result.exit_code == 0, result.output
    server.route(API, id_list_api({"2602.30001", "2602.30002", "2602.30003"}))

    crawl(server, db, [("arxiv", {"missing": "true"})] * 2, tmp_path)
    assert len(api_paths(server)) == 1  # asked again at once, not: a crawl run again asks nothing
    import sqlite3

    with sqlite3.connect(db) as con:  # a day later
        con.execute("update rejects set at = '2020-01-01T00:00:00Z'")
    crawl(server, db, [("arxiv", {"missing": "true"})] * 2, tmp_path)

    # An id arXiv says it does not know is asked once more, by a crawl a day later (arXiv's
    # API answers with an empty feed at times); after a second such answer, never again.
    first_path, second_path = api_paths(server)
    assert sorted(asked_ids(first_path)) == [p[0] for p in papers]
    assert asked_ids(second_path) == ["2602.30004"]
    assert set(arxiv_titles(db)) == {"2602.30001", "2602.30002", "2602.30003"}
    assert [r["url"] for r in rows(db, "select url from rejects")] == ["https://arxiv.org/abs/2602.30004"] * 2
    first, again, third, fourth = crawl_rows(db)
    assert [c["stats"]["arxiv/ids/asked"] for c in (first, again, third, fourth)] == [4, 0, 1, 0]
    assert fourth["status"] == "finished" and "arxiv/requests/id_list" not in fourth["stats"]


def test_an_empty_answer_for_several_ids_is_a_failed_request_and_marks_none_unknown(server, tmp_path):
    from click.testing import CliRunner

    from reconcile.cli import cli

    day = tmp_path / "daily.json"
    papers = [("2602.30101", "A Made-up Lantern", 5), ("2602.30102", "A Made-up Reed", 4)]
    day.write_text(json.dumps(daily_papers_body("2026-02-05", papers)), encoding="utf-8")
    db = tmp_path / "papers.db"
    assert CliRunner().invoke(cli, ["ingest", str(day), "--db", str(db)]).exit_code == 0
    server.route(API, id_list_api(set()))  # a clean feed with no entry at all
    crawl(server, db, [("arxiv", {"missing": "true"})], tmp_path)
    [run] = crawl_rows(db)
    assert run["status"] == "failed"
    [reject] = rows(db, "select reason from rejects")
    assert "an empty answer for the 2 ids asked for" in reject["reason"]
    from reconcile.store import Store

    store = Store(db, read_only=True)
    try:
        assert store.arxiv_ids_to_fetch() == ["2602.30101", "2602.30102"]  # asked again next time
    finally:
        store.close()


def test_an_error_feed_is_a_reject_in_arxivs_words_and_the_next_batch_still_goes(server, tmp_path):
    first, second = "2602.40001", "2602.40002"
    server.route(API, lambda path: (
        Canned.of(atom_error(f"incorrect id format for {first}"), 400, ATOM)
        if first in asked_ids(path) else id_list_api({second})(path)))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"ids": f"{first},{second}"})], tmp_path, ARXIV_PAGE_SIZE=1)

    assert [asked_ids(p) for p in api_paths(server)] == [[first], [second]]
    assert set(arxiv_titles(db)) == {second}
    [reject] = rows(db, "select reason, url from rejects")
    assert reject["reason"] == f"arXiv API error: incorrect id format for {first}"
    assert reject["url"].startswith(f"{server.base_url}{API}?id_list={first}")


# -- search by category and day ----------------------------------------------------------------

def test_day_and_category_search_pages_through_the_total(server, tmp_path):
    results = new_ids(50001, 250)
    server.route(API, search_api(results))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"date": "2026-02-05", "category": "cs.CL"})], tmp_path)

    paths = api_paths(server)
    assert [query_of(p)["start"] for p in paths] == ["0", "100", "200"]
    query = query_of(paths[0])
    assert query["search_query"] == "cat:cs.CL AND submittedDate:[202602050000 TO 202602052359]"
    assert (query["sortBy"], query["max_results"]) == ("submittedDate", "100")
    assert set(arxiv_titles(db)) == set(results)
    [run] = crawl_rows(db)
    assert run["args"] == {"date": "2026-02-05", "category": "cs.CL"}
    assert rows(db, "select id from rejects") == []


def test_a_total_that_lies_stops_at_the_first_page_empty_twice_with_a_reject(server, tmp_path):
    # An empty page before the total is asked for once more (arXiv answers one at times);
    # empty again, the listing stops with a reject: it was not read to its stated end.
    results = new_ids(60001, 150)
    server.route(API, search_api(results, claimed_total=100_000))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"since": "2026-02-02", "until": "2026-02-04",
                                  "category": "math.AG"})], tmp_path)

    paths = api_paths(server)
    assert [query_of(p)["start"] for p in paths] == ["0", "100", "150", "150"]
    assert query_of(paths[0])["search_query"] == (
        "cat:math.AG AND submittedDate:[202602020000 TO 202602042359]")
    assert set(arxiv_titles(db)) == set(results)
    [run] = crawl_rows(db)
    assert run["stats"]["arxiv/paging/empty_page"] == 2 and run["status"] == "partial"
    assert [r["reason"] for r in rows(db, "select reason from rejects")] == [
        "arXiv search: the page at start=150 came back empty twice though the total is 100000: listing not "
        "read to its end (stopped at 150 of 100000)"]


def test_a_failed_search_page_is_a_reject_and_the_next_page_still_goes(server, tmp_path):
    results = new_ids(65001, 250)
    pages = search_api(results)
    server.route(API, lambda path: (Canned.of("oops", 500, "text/plain")
                                    if query_of(path)["start"] == "100" else pages(path)))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"date": "2026-02-05", "category": "cs.CL"})], tmp_path,
          RETRY_TIMES=0)

    assert [query_of(p)["start"] for p in api_paths(server)] == ["0", "100", "200"]
    assert set(arxiv_titles(db)) == set(results[:100] + results[200:])
    [reject] = rows(db, "select reason from rejects")
    assert reject["reason"].startswith("HTTP 500 for ") and "start=100" in reject["reason"]


# -- RSS and OAI-PMH ---------------------------------------------------------------------------

def test_rss_reads_a_day_and_an_empty_weekend_feed_is_not_a_reject(server, tmp_path):
    ids = new_ids(70001, 3)
    server.add("/rss/cs.CL", rss_feed("cs.CL", ids), content_type=XML)
    server.add("/rss/cs.AI", rss_feed("cs.AI", []), content_type=XML)
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"via": "rss", "category": "cs.CL"}),
                       ("arxiv", {"via": "rss", "category": "cs.AI"})], tmp_path)

    assert [p for p in server.requests if p.startswith("/rss/")] == ["/rss/cs.CL", "/rss/cs.AI"]
    listed = rows(db, "select arxiv_id, listed_on from observations")
    assert sorted(listed, key=lambda r: r["arxiv_id"]) == [
        {"arxiv_id": i, "listed_on": "2026-02-05"} for i in ids]
    assert [d["format"] for d in rows(db, "select format from documents order by id")] == [
        "arxiv-rss", "arxiv-rss"]
    assert rows(db, "select id from rejects") == []


def test_oai_follows_the_resumption_token_to_the_end(server, tmp_path):
    page1, page2 = new_ids(80001, 2), new_ids(80003, 1)
    server.route("/oai", lambda path: Canned.of(
        oai_page(page2, None, size=3, cursor=2) if "resumptionToken" in path
        else oai_page(page1, "made-up|token 1", size=3, cursor=0), content_type=XML))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"via": "oai", "since": "2026-02-04", "until": "2026-02-05",
                                  "category": "cs"})], tmp_path)

    paths = [p for p in server.requests if p.startswith("/oai")]
    assert [query_of(p) for p in paths] == [
        {"verb": "ListRecords", "metadataPrefix": "arXiv", "from": "2026-02-04",
         "until": "2026-02-05", "set": "cs"},
        {"verb": "ListRecords", "resumptionToken": "made-up|token 1"}]
    assert set(arxiv_titles(db)) == set(page1 + page2)
    assert crawl_rows(db)[0]["stats"]["arxiv/requests/oai"] == 2


# -- politeness --------------------------------------------------------------------------------

def test_consecutive_arxiv_requests_are_at_least_arxiv_delay_apart(server, tmp_path):
    ids = new_ids(90001, 6)
    server.route(API, id_list_api(set(ids)))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"ids": ",".join(ids)})], tmp_path,
          ARXIV_DELAY=0.6, ARXIV_PAGE_SIZE=2)

    times = server.arrival_times(API)
    assert len(times) == 3
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.55, gaps
    assert set(arxiv_titles(db)) == set(ids)


def test_a_503_with_retry_after_holds_the_whole_crawl_for_the_wait(server, tmp_path):
    first, second = new_ids(91001, 2), new_ids(91003, 2)
    path = f"{API}?id_list={','.join(first)}&start=0&max_results=2"
    server.add_sequence(path, Canned.of("slow down", 503, "text/plain", headers={"Retry-After": "1"}),
                        Canned.of(atom_feed(first, query=path.split("?", 1)[1]), content_type=ATOM))
    server.route(API, id_list_api(set(second)))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"ids": ",".join(first + second)})], tmp_path, ARXIV_PAGE_SIZE=2)

    # One request at a time: the second batch waits for the first batch's retry, it does
    # not slip out while the retry middleware waits.
    assert [asked_ids(p) for p in api_paths(server)] == [first, first, second]
    times = server.arrival_times(API)
    assert times[1] - times[0] >= 0.95
    assert set(arxiv_titles(db)) == set(first + second)
    assert rows(db, "select id from rejects") == []
    stats = crawl_rows(db)[0]["stats"]
    assert stats["retry/after/503"] == 1 and stats["retry/backoff_seconds"] == 1


# -- arguments (no crawl) ----------------------------------------------------------------------

def test_arguments():
    assert ArxivArgs.parse({"ids": "2602.04705v2, arXiv:2602.04706,2602.04705"}).ids == [
        "2602.04705", "2602.04706"]
    assert ArxivArgs.parse({"ids": "https://arxiv.org/abs/hep-th/9901001"}).ids == ["hep-th/9901001"]
    assert ArxivArgs.parse({"missing": "true", "_job": "abc"}).mode == "missing"
    assert ArxivArgs.parse({"date": "2026-02-05", "category": "cs.CL"}).mode == "search"
    assert ArxivArgs.parse({"date": "2026-02-05"}).mode == "search"  # every category
    assert ArxivArgs.parse({"via": "rss", "category": "cs.AI+cs.CL"}).mode == "rss"
    assert ArxivArgs.parse({"via": "oai", "date": "2026-02-05", "category": "physics:astro-ph"}).mode == "oai"
    for bad, message in [
        ({"ids": "2602.04705,abc,2602.1"}, "not arXiv ids: 'abc', '2602.1'"),
        ({"ids": " , "}, "no ids given"),
        ({}, "give ids, missing=true, date or since/until"),
        ({"ids": "2602.04705", "missing": "true"}, "not ids and missing=true"),
        ({"ids": "2602.04705", "date": "2026-02-05"}, "not ids and date/since/until"),
        ({"ids": "2602.04705", "category": "cs.CL"}, "category goes with date"),
        ({"since": "2026-02-05", "until": "2026-02-04"}, "is after until"),
        ({"since": "2026-02-05"}, "since and until go together"),
        ({"date": "2026-02-30"}, "not a calendar day"),
        ({"date": "2026-02-05", "category": "cs CL"}, "not an arXiv category"),
        ({"via": "rss"}, "via=rss needs a category"),
        ({"via": "rss", "category": "cs.CL", "date": "2026-02-05"}, "give only category"),
        ({"via": "oai", "category": "cs"}, "via=oai needs date or since/until"),
        ({"via": "ftp", "ids": "2602.04705"}, "via"),
        ({"missing": "perhaps"}, "missing"),
        ({"id": "2602.04705"}, "unknown argument 'id'"),
    ]:
        with pytest.raises(ValueError, match=message) as caught:
            ArxivArgs.parse(bad)
        assert "\n" not in str(caught.value) and str(caught.value).startswith("arxiv arguments: ")


def test_batches_and_the_arxiv_download_slot():
    assert batches(new_ids(1, 5), 2) == [new_ids(1, 2), new_ids(3, 2), new_ids(5, 1)]
    assert [len(b) for b in batches(new_ids(1, 150), 100)] == [100, 50]

    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.set("ARXIV_DELAY", "0.6", priority="cmdline")
    ArxivSpider.update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS")["arxiv"] == {"concurrency": 1, "delay": 0.6, "jitter": 0}


# -- endless paging (issue 16, point 4) ----------------------------------------------------------

def test_a_search_that_never_runs_dry_stops_at_max_pages(server, tmp_path):
    # Every page is full and the total is huge: only MAX_PAGES ends the listing.
    def answer(path: str) -> Canned:
        start = int(query_of(path)["start"])
        return Canned.of(atom_feed(new_ids(10001 + start, 1), total=10**9, start=start, per_page=1,
                                   query=urlsplit(path).query), content_type=ATOM)
    server.route(API, answer)
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"date": "2026-02-05", "category": "cs.CL"})], tmp_path, MAX_PAGES=5,
          ARXIV_PAGE_SIZE=1)
    assert len(api_paths(server)) == 5
    [reject] = rows(db, "select reason from rejects")
    assert reject["reason"] == ("stopped the arXiv search listing after 5 pages (MAX_PAGES): "
                                "the server kept announcing more")
    assert crawl_rows(db)[0]["stats"]["arxiv/rejects/page_cap"] == 1
    # The listing was not read to its end: the crawl is not whole.
    assert crawl_rows(db)[0]["status"] == "partial"


def test_oai_with_ever_new_tokens_stops_at_max_pages(server, tmp_path):
    counter = iter(range(10**6))
    server.route("/oai", lambda path: Canned.of(
        oai_page(new_ids(90001 + next(counter), 1), f"token-{next(counter)}", size=10**9, cursor=0),
        content_type=XML))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"via": "oai", "since": "2026-02-04", "until": "2026-02-05",
                                  "category": "cs"})], tmp_path, MAX_PAGES=4)
    assert len([p for p in server.requests if p.startswith("/oai")]) == 4
    [reject] = rows(db, "select reason from rejects")
    assert "stopped the arXiv oai listing after 4 pages (MAX_PAGES)" in reject["reason"]


def test_the_machine_interfaces_are_not_gated_by_robots_txt(server, tmp_path):
    """Issue 12, point 4: arXiv's robots.txt disallows /api for every agent, while its robots
    page sends programs there; the id batches still go, and the setting gates them again."""
    ids = new_ids(1, 3)
    server.add("/robots.txt", "User-agent: *\nDisallow: /api\nDisallow: /oai\n", content_type="text/plain")
    server.route(API, id_list_api(set(ids)))
    db = tmp_path / "papers.db"
    crawl(server, db, [("arxiv", {"ids": ",".join(ids)})], tmp_path, ROBOTSTXT_OBEY="true")
    assert sorted(arxiv_titles(db)) == ids and len(api_paths(server)) == 1
    gated = tmp_path / "gated.db"
    crawl(server, gated, [("arxiv", {"ids": ",".join(ids)})], tmp_path, ROBOTSTXT_OBEY="true",
          ARXIV_API_OBEY_ROBOTSTXT="true")
    assert arxiv_titles(gated) == {} and len(api_paths(server)) == 1
    [reject] = rows(gated, "select reason from rejects")
    assert "Forbidden by robots.txt" in reject["reason"]
