"""The arXiv parsers (API Atom in both layouts, RSS, OAI-PMH) on every sample in ../shared."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from reconcile.models import Source
from scrapers.pages import PageError, read_page

from .support import SHARED

MTIME = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
SAMPLES = SHARED / "samples" if SHARED else None
ALL_XML = sorted(SAMPLES.glob("arxiv-*/**/*.xml")) if SAMPLES else []

# file -> (format, entries, first id, first version, first title start, an author, first published)
FACTS = {
    "id_list=1111.2011v2.xml": ("arxiv-api", 1, "1111.2011", 2, "Quantum Criticality for Extended Nodes on a Bethe "
                                "Lattice in the Large Connectivity Limit", "Adrian Del Maestro", "2011-11-08"),
    "search_query=au_del_maestro.xml": ("arxiv-api", 10, "1201.4869", 1, "A Luttinger Liquid Core Inside Helium-4",
                                        "Adrian Del Maestro", "2012-01-23"),
    "search_query=au_del_maestro_ANDNOT_(ti_checkerboard_OR_ti_Pyrochlore).xml": (
        "arxiv-api", 10, "1201.4869", 1, "A Luttinger Liquid Core", "Adrian Del Maestro", "2012-01-23"),
    "search_query=au_del_maestro_AND_ti_checkerboard.xml": (
        "arxiv-api", 1, "cond-mat/0603029", 1, "From stripe to checkerboard order", "Bernd Rosenow", "2006-03-02"),
    "search_query=au_del_maestro_AND_ti_quantum_criticality.xml": (
        "arxiv-api", 2, "1111.2011", 2, "Quantum Criticality for Extended Nodes", "James M. Murray", "2011-11-08"),
    "id_0000.0000_s0_m100_8b51d9633a68.xml": ("arxiv-api", 0, None, None, None, None, None),
    "id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml": (
        "arxiv-api", 1, "1707.08567", 1, "Proceedings of Workshop AEW10", "Stan Baggen", "2017-07-27"),
    "id_0808.05394_s0_m100_7b0c7d0a7cdd.xml": ("arxiv-api", 0, None, None, None, None, None),
    "id_1605.08386_s0_m100_199195aa31ad.xml": (
        "arxiv-api", 1, "1605.08386", 1, "Heat-bath random walks with Markov bases", "Tobias Windisch", "2016-05-26"),
    "id_1707.08567_s0_m100_6a1afebfc6a3.xml": (
        "arxiv-api", 1, "1707.08567", 1, "Proceedings of Workshop AEW10", "Kees A. Schouhamer Immink", "2017-07-27"),
    "id_2104.12255v1_s0_m100_6ae69987ffe1.xml": (
        "arxiv-api", 1, "2104.12255", 1, "0", "Quan Thoi Minh Nguyen", "2021-04-20"),
    "id_astro-ph_0601001_s0_m100_3150dca9dc76.xml": (
        "arxiv-api", 1, "astro-ph/0601001", 1, "Frequency of Hot Jupiters", "B. Scott Gaudi", "2006-01-02"),
    "id_hep-ex_0406020v1_s0_m100_84b15d66c0ce.xml": (
        "arxiv-api", 1, "hep-ex/0406020", 1, "Sparticle Reconstruction at LHC", "Alessia Tricomi", "2004-06-07"),
    "id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml": (
        "arxiv-api", 1, "quant-ph/0201082", 1, "Quantum Computers and Quantum Computer L", "Stephen Blaha",
        "2002-01-18"),
    "q_testing_s0_m100_cfe7536492ca.xml": ("arxiv-api", 100, "2202.12139", 1, "Testing Deep Learning Models",
                                           "Arnaud Gotlieb", "2022-02-24"),
    "q_testing_s0_m10_bc5a6c384fe9.xml": ("arxiv-api", 10, "2202.12139", 1, "Testing Deep", "Mohit Kumar Ahuja",
                                          "2022-02-24"),
    "q_testing_s0_m10_df962dbeea2e.xml": ("arxiv-api", 10, "2202.12139", 1, "Testing Deep", "Arnaud Gotlieb",
                                          "2022-02-24"),
    "q_testing_s0_m15_80c242b59d59.xml": ("arxiv-api", 15, "2202.12139", 1, "Testing Deep", "Arnaud Gotlieb",
                                          "2022-02-24"),
    "q_testing_s10_m10_34e56e15aaac.xml": ("arxiv-api", 10, "2403.16981", 2, "The Sample Complexity of Simple",
                                           "Varun Jog", "2024-03-25"),
    "q_testing_s20_m10_348a237fecab.xml": ("arxiv-api", 10, "2008.01944", 1, "Optimal Pooling Matrix Design",
                                           "Myung Cho", "2020-08-05"),
    "q_testing_s30_m10_f2e39f0143dc.xml": ("arxiv-api", 10, "2101.12036", 1, "PatrIoT", "Miroslav Bures",
                                           "2021-01-27"),
    "q_testing_s40_m10_96dd32eb854c.xml": ("arxiv-api", 10, "1704.08347", 1, "Hypothesis Testing under Mutual",
                                           "Lalitha Sankar", "2017-04-26"),
    "q_testing_s50_m10_7f488ab8598c.xml": ("arxiv-api", 10, "1709.03221", 1, "Fairness Testing", "Yuriy Brun",
                                           "2017-09-11"),
    "q_testing_s5_m10_c0e94a259d4a.xml": ("arxiv-api", 10, "1202.4527", 1, "Study Paper on Test Case", "Emi Retna",
                                          "2012-02-21"),
    "q_testing_s5_m15_bbcf6b23085b.xml": ("arxiv-api", 15, "1202.4527", 1, "Study Paper on Test Case",
                                          "A. Isabella", "2012-02-21"),
    "q_testing_s9_m15_0b78d4b4d476.xml": ("arxiv-api", 15, "1812.11470", 1, "A Systematic Literature Review",
                                          "Lipo Wang", "2018-12-30"),
    "sotawhat_search_all-transformer_AND_cat-cs.LG_2026-06-14.xml": (
        "arxiv-api", 5, "2606.13677", 1, "Mana: Dexterous Manipulation", "Guanya Shi", "2026-06-11"),
    "ListRecords_arXiv_astro-ph_2013-04-03.xml": (
        "arxiv-oai-pmh", 1, "0801.3931", None, "Dynamical study of 2D and 3D barred galaxy models",
        "E. Athanassoula", "2008-01-25"),
    "cs.CL_weekend_empty_2026-08-01.xml": ("arxiv-rss", 0, None, None, None, None, None),
    "quant-ph_2025-04-28.xml": ("arxiv-rss", 81, "2504.17830", 1, "Self-Adjoint Time Operator", "Radmir Kokoulin",
                                None),
}


def read(path, url=None):
    return read_page(url or path.resolve().as_uri(), path.read_bytes(), {}, mtime=MTIME)


def test_every_sample_has_its_facts_listed():
    if not ALL_XML:
        pytest.skip("../shared is not here")
    # Every sample but the error feed (tested on its own) has its facts in FACTS.
    assert {p.name for p in ALL_XML} - {"id_abc_s0_m100_b79c8dcf6bc3.xml"} == set(FACTS)


@pytest.mark.parametrize("path", [p for p in ALL_XML if p.name in FACTS], ids=lambda p: p.name)
def test_sample_facts(path):
    fmt, count, first_id, version, title, author, published = FACTS[path.name]
    result = read(path)
    assert result.document.format == fmt and result.document.source == Source.ARXIV
    assert len(result.observations) == count
    if not count:
        return
    first = result.observations[0]
    assert (first.arxiv_id, first.arxiv_version) == (first_id, version)
    assert first.title.startswith(title) and "\n" not in first.title and "  " not in first.title
    assert any(author in o.authors for o in result.observations)
    assert first.published == (dt.date.fromisoformat(published) if published else None)
    assert all(o.source == Source.ARXIV and o.url == f"https://arxiv.org/abs/{o.arxiv_id}"
               for o in result.observations)


def _sample(name):
    matches = [p for p in ALL_XML if p.name == name]
    if not matches:
        pytest.skip("../shared is not here")
    return matches[0]


def test_api_details_2016_layout():
    obs = read(_sample("id_list=1111.2011v2.xml")).observations[0]
    assert obs.authors == ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"]
    assert obs.extra["updated"] == "2012-04-02T12:38:54Z"
    assert obs.extra["primary_category"] == "cond-mat.str-el"
    assert obs.extra["categories"] == ["cond-mat.str-el", "cond-mat.stat-mech"]
    assert obs.extra["doi"] == "10.1103/PhysRevB.85.115117"
    assert obs.extra["journal_ref"] == "Phys. Rev. B 85, 115117 (2012)"
    assert obs.extra["comment"].startswith("8 pages, 3 figures")
    assert obs.abstract.startswith("Theoretical description of anisotropic systems")
    assert "\n" not in obs.abstract


def test_api_affiliations_and_paging():
    obs = read(_sample("id_astro-ph_0601001_s0_m100_3150dca9dc76.xml")).observations[0]
    assert obs.extra["affiliations"]["Andrew Gould"] == ["Ohio State"]
    assert obs.extra["journal_ref"] == "ActaAstron.56:1-50,2006"
    result = read(_sample("q_testing_s20_m10_348a237fecab.xml"))
    assert result.paging == {"total": 214881, "start": 20, "per_page": 10, "returned": 10}


def test_ids_asked_for_and_not_returned_are_problems_with_the_id_url():
    # 0808.05394 (five digits before 2015) is not an id by arXiv's scheme: said so, under
    # the answer's own address, since there is no id page to name.
    result = read(_sample("id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml"))
    assert [o.arxiv_id for o in result.observations] == ["1707.08567"]
    [problem] = result.problems
    assert problem.reason == "arXiv returned no entry for '0808.05394' (not an arXiv id)" and problem.url is None
    # An answer with no entry at all is still a document: the bad id is the problem.
    empty = read(_sample("id_0808.05394_s0_m100_7b0c7d0a7cdd.xml"))
    assert empty.observations == [] and [p.reason for p in empty.problems] == [problem.reason]
    # Asked for by URL (as a crawl does), the URL's id_list counts; an unknown valid id is
    # a problem with that id's own page.
    by_url = read(_sample("id_1707.08567_s0_m100_6a1afebfc6a3.xml"),
                  "https://export.arxiv.org/api/query?id_list=1707.08567,2602.99999&max_results=2")
    assert [p.url for p in by_url.problems] == ["https://arxiv.org/abs/2602.99999"]


def test_error_feed_is_a_page_error_with_arxivs_message():
    with pytest.raises(PageError, match="^arXiv API error: incorrect id format for abc$"):
        read(_sample("id_abc_s0_m100_b79c8dcf6bc3.xml"))


def test_rss_details():
    result = read(_sample("quant-ph_2025-04-28.xml"))
    obs = {o.arxiv_id: o for o in result.observations}
    assert Counter(o.extra["announce_type"] for o in obs.values()) == {
        "new": 40, "replace": 22, "cross": 10, "replace-cross": 9}
    assert {o.listed_on for o in obs.values()} == {dt.date(2025, 4, 28)}
    kz = obs["2312.01259"]
    assert kz.arxiv_version == 3 and kz.authors == ["Fumika Suzuki", "Wojciech H. Zurek"]
    assert kz.extra["doi"] == "10.1103/PhysRevLett.132.241601"
    assert "quant-ph" in kz.extra["categories"]
    assert any("Jakob Günther" in o.authors for o in obs.values())  # TeX accent as a letter
    assert not obs["2504.17830"].abstract.startswith("arXiv:")


def test_weekend_rss_is_an_empty_day_not_a_reject():
    result = read(_sample("cs.CL_weekend_empty_2026-08-01.xml"))
    assert result.observations == [] and result.problems == []


def test_oai_record():
    obs = read(_sample("ListRecords_arXiv_astro-ph_2013-04-03.xml")).observations[0]
    assert obs.authors == ["T. Manos", "E. Athanassoula"]
    assert obs.extra["doi"] == "10.1007/978-3-540-75826-6_11"
    assert obs.extra["journal_ref"].startswith("Chaos in Astronomy")
    assert obs.extra["categories"] == ["astro-ph"] and obs.extra["datestamp"] == "2013-03-26"


OAI = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-02-06T00:00:00Z</responseDate>
<ListRecords>{records}{token}</ListRecords></OAI-PMH>"""
RECORD = """<record><header><identifier>oai:arXiv.org:{id}</identifier><datestamp>2026-02-05</datestamp></header>
<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>{id}</id><created>2026-02-04</created>
<authors><author><keyname>Doe</keyname><forenames>Jane</forenames></author></authors>
<title>A made-up title</title><categories>cs.LG cs.AI</categories><abstract>Made up.</abstract></arXiv></metadata></record>"""


def _oai(body: str):
    return read_page("https://oaipmh.arxiv.org/oai?verb=ListRecords", body.encode(), {}, mtime=MTIME)


def test_oai_resumption_token_and_errors():
    token = '<resumptionToken cursor="0" completeListSize="3">abc|1001</resumptionToken>'
    result = _oai(OAI.format(records=RECORD.format(id="2602.00001") + RECORD.format(id="2602.00002"), token=token))
    assert [o.arxiv_id for o in result.observations] == ["2602.00001", "2602.00002"]
    assert result.observations[0].extra["primary_category"] == "cs.LG"
    assert result.paging == {"resumption_token": "abc|1001", "complete_list_size": 3, "cursor": 0}
    last = _oai(OAI.format(records=RECORD.format(id="2602.00003"), token="<resumptionToken/>"))
    assert last.paging.get("resumption_token") is None
    none = _oai('<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="noRecordsMatch">none</error></OAI-PMH>')
    assert none.observations == []
    with pytest.raises(PageError, match="OAI-PMH error badArgument"):
        _oai('<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="badArgument">bad</error></OAI-PMH>')


FEED = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">{body}</feed>')


@pytest.mark.parametrize("body,message", [
    (FEED.format(body="<entry><id>http://arxiv.org/abs/2602.00001v1</id><title>cut"), "not well-formed XML"),
    (b"<html><body>Too many requests</body></html>".decode(), "not a known arxiv format"),
    ("", "not a known arxiv format"),
])
def test_bad_bodies(body, message):
    with pytest.raises(PageError, match=message):
        read_page("https://export.arxiv.org/api/query?id_list=2602.00001", body.encode(), {},
                  source=Source.ARXIV, mtime=MTIME)


def test_entities_are_not_expanded():
    bomb = ('<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
            '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            '<entry><id>http://arxiv.org/abs/2602.00001v1</id><title>T &b; &ext;</title>'
            '<summary>S</summary><published>2026-02-04T00:00:00Z</published></entry></feed>')
    obs = read_page("https://export.arxiv.org/api/query", bomb.encode(), {}, source=Source.ARXIV,
                    mtime=MTIME).observations[0]
    assert "aaaaa" not in (obs.title or "") and "root:" not in (obs.title or "")
