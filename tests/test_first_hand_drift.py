"""The first-hand sources' readers on drift a probe (round 18) found them losing or
misreading: a lone surrogate in one item, affiliations in arXiv's RSS author line, Hugging
Face items without their listing day, an ArxivLens page without an author line, rounded
upvotes on a saved paper page, NaN in a site's extra field, blank names and braced TeX
letters. All made up."""

from __future__ import annotations

import json

from reconcile.text import latex_accents_to_unicode
from scrapers.pages import arxivlens, huggingface, huggingface_html
from scrapers.pages.base import Parsed, build, comma_names

from .loopback import daily_paper
from .support import run_reconcile


def test_a_lone_surrogate_in_one_item_loses_neither_that_document_nor_the_ones_after_it(tmp_path):
    # JSON's "\udc80": a string cut inside an emoji. In the title, the title is left empty;
    # in a field kept in extra, the value is stored with U+FFFD; the files after it are read.
    bad = daily_paper("3111.07101", "Surrogate Paper", 3, "2031-11-05")
    bad["paper"]["title"] = "Surrogate \udc80 Paper"
    extra = daily_paper("3111.07102", "Extra Surrogate Paper", 2, "2031-11-05")
    extra["paper"]["ai_summary"] = "A summary cut \udc80 here."
    (tmp_path / "a.json").write_text(json.dumps([bad, extra]), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps([daily_paper("3111.07103", "Good Neighbour", 1, "2031-11-05")]),
                                     encoding="utf-8")
    db = tmp_path / "p.db"
    done = run_reconcile("ingest", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "ingested 2 documents (3 observations)" in done.stdout
    import sqlite3

    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from rejects").fetchone()[0] == 1
        summary = con.execute("select extra from observations where arxiv_id = '3111.07102'").fetchone()[0]
    assert "cut \ufffd here" in summary


def test_affiliations_in_brackets_are_neither_split_nor_names():
    line = ("M. R. Nirmal (Department of Chemistry, Pond Institute, Chennai, Centre for Quantum Information, "
            "Communication, and Computing), Ada Example (Reed Lab), Bo Sample and Cy Test, Jr.")
    assert comma_names(line, and_too=True) == ["M. R. Nirmal", "Ada Example", "Bo Sample", "Cy Test Jr."]


def test_an_item_of_the_current_schema_without_its_listing_day_states_none():
    item = daily_paper("3111.11011", "Thursday Listed Paper", 2, "2031-11-03")
    del item["paper"]["submittedOnDailyAt"]
    [obs] = huggingface.FORMAT.parse(json.dumps([item]), "file:///x/saved.json").observations
    assert obs.listed_on is None  # its own publishedAt is the paper's publication, shifted
    old = {**item, "mediaUrl": "https://example.org/thumb.png"}  # the 2024 schema: the listing time
    [obs] = huggingface.FORMAT.parse(json.dumps([old]), "file:///x/saved.json").observations
    assert str(obs.listed_on) == "2031-11-03"


def test_blank_author_names_are_no_authors():
    item = daily_paper("3111.11012", "Blank Name Paper", 2, "2031-11-03")
    item["paper"]["authors"].append({"_id": "a3", "name": "   "})
    [obs] = huggingface.FORMAT.parse(json.dumps([item]), "file:///x/saved.json").observations
    assert (obs.authors, obs.authors_total) == (["Ada Example", "Bo Sample"], 2)


PAGE = """{head}
3111.16003 Published Nov 3, 2031
Abstract
We count reeds.
Key Findings
Paper Details
"""


def test_an_arxivlens_page_without_an_author_line_and_with_a_cut_one():
    no_authors = arxivlens.FORMAT.parse(PAGE.format(head="ArxivLens\nArXiv cs.LG\nReed Counting at Scale"),
                                        "https://arxivlens.com/PaperView/Details/x").observations[0]
    assert (no_authors.title, no_authors.authors) == ("Reed Counting at Scale", [])
    cut = arxivlens.FORMAT.parse(PAGE.format(head="ArxivLens\nArXiv cs.LG\nReed Counting at Scale\n"
                                                  "Ada Example, Bo Sample, +9 more"),
                                 "https://arxivlens.com/PaperView/Details/x").observations[0]
    assert (cut.title, cut.authors, cut.extra["authors_truncated"]) == (
        "Reed Counting at Scale", ["Ada Example", "Bo Sample"], True)


def test_a_saved_paper_pages_rounded_upvotes_are_no_count():
    for shown, count in (("1.2k", None), ("1,2", None), ("99+", None), ("1,234", 1234), ("57", 57)):
        text = ("---\ntitle: Reed Counting\nurl: https://huggingface.co/papers/3111.16004\n---\n"
                f"arxiv:3111.16004\n\n# Reed Counting\n\n[[ ]\n\nUpvote\n\n{shown}](/login?next=%2Fpapers)\n\n"
                "Abstract\n\nWe count reeds.\n")
        parsed = huggingface_html.PAPER_MARKDOWN_FORMAT.parse(text, "https://huggingface.co/papers/3111.16004")
        assert parsed.observations[0].upvotes == count, shown


def test_a_value_of_extra_json_cannot_hold_is_left_out_and_the_item_kept():
    parsed = Parsed()
    build(parsed, "x", source="huggingface", arxiv_id="3111.18001", title="Nan Stars Paper",
          extra={"github_stars": float("nan"), "position": 1})
    [obs] = parsed.observations
    assert obs.extra == {"position": 1}
    assert "extra github_stars (left empty; the item is kept): not a finite number" in parsed.problems[0].reason


def test_braced_tex_letters_lose_their_braces():
    assert latex_accents_to_unicode(r"Stanis{\l}aw {\o}ystein Ren{\'e} {\'\i}") == "Stanisław øystein René í"


def test_a_field_of_another_shape_is_left_empty_and_the_item_kept():
    strings = daily_paper("3111.20001", "Names As Strings", 5, "2031-11-05")
    strings["paper"]["authors"] = ["Ana Roe", "Bo Lin"]
    strings["paper"]["organization"] = "Reed Research Lab"
    epoch = daily_paper("3111.20002", "Epoch Day", 4, "2031-11-05")
    epoch["paper"]["submittedOnDailyAt"] = 1951545600000
    parsed = huggingface.FORMAT.parse(json.dumps([strings, epoch]), "file:///x/saved.json")
    first, second = parsed.observations
    assert (first.authors, first.organization, first.upvotes) == (["Ana Roe", "Bo Lin"], "Reed Research Lab", 5)
    assert (second.title, second.upvotes, second.listed_on) == ("Epoch Day", 4, None)
    [problem] = parsed.problems
    assert "paper.submittedOnDailyAt is a whole number" in problem.reason and "the item is kept" in problem.reason


def test_oai_answers_without_records_keep_their_time_and_another_metadata_format_is_refused():
    import pytest

    from scrapers.pages import arxiv
    from scrapers.pages.base import PageError

    none = ('<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            '<responseDate>2031-11-06T07:00:00Z</responseDate><request>x</request>'
            '<error code="noRecordsMatch">none</error></OAI-PMH>')
    assert str(arxiv.parse_oai(none, "file:///x/o.xml").captured_at) == "2031-11-06 07:00:00+00:00"
    raw = ('<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
           '<responseDate>2031-11-06T07:00:00Z</responseDate><request>x</request><ListRecords><record>'
           '<header><identifier>oai:arXiv.org:3111.14001</identifier></header>'
           '<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>3111.14001</id></arXivRaw></metadata>'
           '</record></ListRecords></OAI-PMH>')
    with pytest.raises(PageError, match="metadata format 'arXivRaw'"):
        arxiv.parse_oai(raw, "file:///x/raw.xml")


def test_an_abstract_beside_arxivs_withdrawal_notice_only_informs():
    from reconcile.checks.abstracts import describe
    from reconcile.models import Severity

    severity, phrase = describe("This paper has been withdrawn by the authors due to an error in Lemma 2.",
                                "We count reeds with small lantern models at night.", "arxiv.org")
    assert severity == Severity.INFO and "withdrawal notice" in phrase


def test_an_arxivlens_summary_in_html_is_its_words():
    from scrapers.pages import arxivlens_api

    body = ('{"paper": {"id": 1, "title": "Reed Counting", "paperId": "3111.15020",'
            ' "summary": "<p>We probe parsers with <i>invented</i> data &amp; more.</p>",'
            ' "authors": [{"name": "Ana Roe"}]}}')
    [obs] = arxivlens_api.PAPER_FORMAT.parse(body, "https://api.arxivlens.com/api/v1/papers/3111.15020.json").observations
    assert obs.abstract == "We probe parsers with invented data & more."


def test_a_wrapped_hf_list_read_as_a_digest_takes_the_papers_own_publication_day_and_an_error_answer_says_so():
    import pytest

    from scrapers.pages.base import PageError
    from scrapers.pages.digests import structured

    item = daily_paper("3111.10004", "Wrapped Paper", 5, "2031-11-05")
    item["paper"]["publishedAt"], item["publishedAt"] = "2031-11-03T00:00:00.000Z", "2031-11-02T20:00:00.000Z"
    [obs] = structured.FORMAT.parse(json.dumps({"papers": [item]}), "file:///x/wrapped.json").observations
    assert str(obs.published) == "2031-11-03"
    with pytest.raises(PageError, match="an error answer saved as data, no list: Rate limit exceeded"):
        structured.FORMAT.parse('{"error": "Rate limit exceeded"}', "file:///x/err.json")


def test_a_line_that_speaks_of_encodings_quotes_its_mojibake_and_is_not_repaired():
    from reconcile.text import repair_text

    quoting = "# Notes\n\nReading the body as text without that step shows mojibake (e.g. 'Dirk WÃ¼bben').\n原文标题 ⭐\n"
    assert repair_text(quoting).text == quoting
    damaged = "# Notes\n\nAuthors: Dirk WÃ¼bben, Ana Roe\n原文标题 ⭐\n"
    assert "Dirk Wübben" in repair_text(damaged).text


def test_tex_with_its_dollars_and_backslashes_dropped_is_the_same_abstract():
    from reconcile.checks.abstracts import describe

    for bare, tex in (("We invert any n times n matrices.", r"We invert any $n \times n$ matrices."),
                      ("Small sets (leq50K documents) suffice.", r"Small sets ($\leq$50K documents) suffice."),
                      ("We introduce infty-RoPE, a scheme.", r"We introduce $\infty$-RoPE, a scheme.")):
        assert describe(bare, tex) is None and describe(tex, bare) is None
    assert describe("We invert any n times n matrices.", r"We invert any $n \times m$ matrices.") is not None
