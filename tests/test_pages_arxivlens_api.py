"""The ArxivLens API parsers on answers these tests write (no real answer could be recorded).

The bodies follow the shapes in the shared samples' ``arxivlens/STRUCTURE_NOTES.md`` with
made-up papers. Parsers are called through their FORMAT, and through ``read_page``, which
must pick each answer's format by itself.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from reconcile.models import Source
from scrapers.pages import PageError, read_page
from scrapers.pages import arxivlens_api as lens
from scrapers.pages.arxivlens_api import API, FINDINGS_FORMAT, LIST_FORMAT, PAPER_FORMAT

BASE = "https://arxivlens.com"
LIST_URL = lens.by_date_url(BASE, "2026-02-05", 1, 50)
FETCHED = dt.datetime(2026, 2, 5, 12, 0, tzinfo=dt.timezone.utc)


def item(arxiv_id: str | None, title: str | None, **more) -> dict:
    """One made-up paper in the by-date list's shape."""
    data = {
        "id": 9100 + len(title or ""),
        "title": title,
        "twoLineSummary": f"A made-up two-line summary of {title}.",
        "categories": "cs.CL cs.AI",
        "paperId": arxiv_id,
        "genSlug": (title or "untitled").lower().replace(" ", "-") + "-9100-0badcafe",
        "arxivLink": f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
        "pdfLink": f"https://arxiv.org/pdf/{arxiv_id}" if arxiv_id else None,
        "published": "2026-02-04T17:59:59Z",
        "authors": [{"name": "Ada Example", "genSlug": "ada-example"},
                    {"name": "Zoë Müller", "genSlug": "zoe-muller"}],
        "thumbnailUrl": None,
        "source": "arxiv",
    }
    data.update(more)
    return data


def by_date(items: list, total: int | None = None, page: int = 1, limit: int = 50) -> dict:
    return {"papers": items, "pagination": {"total": len(items) if total is None else total,
                                            "page": page, "limit": limit}}


def detail(arxiv_id: str, title: str, **more) -> dict:
    paper = item(arxiv_id, title, summary="We made up an abstract about toy ducks.",
                 journalRef=None, doi="10.0000/toy.1", updated="2026-02-05T08:00:00Z")
    paper.update(more)
    return {"paper": paper, "similarPapers": []}


FINDINGS = {
    "status": "completed",
    "generatedAt": "2026-02-05T10:00:00Z",
    "llmModelVersion": "toy-model-1",
    "findings": {
        "methodology": "Counting ducks with a made-up graph.",
        "keyResults": ["Ducks were counted.", "Graphs helped."],
        "significance": "Made-up significance.",
        "limitations": ["Only toy ducks."],
        "futureWork": [],
        "technicalContribution": None,
        "novelty": "A made-up idea.",
    },
}


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)


# -- by-date list ---------------------------------------------------------------------------

def test_list_gives_one_observation_per_paper_with_every_field():
    body = by_date([item("2602.30001v2", "Toy Duck Counting"), item("2602.30002", "Tiny Graph Tricks")],
                   total=7)
    parsed = LIST_FORMAT.parse(dumps(body), LIST_URL)
    assert not parsed.problems and parsed.site == "arxivlens.com"
    first, second = parsed.observations
    assert first.source == Source.ARXIVLENS and first.site == "arxivlens.com"
    assert (first.arxiv_id, first.arxiv_version) == ("2602.30001", 2)
    assert first.title == "Toy Duck Counting"
    assert first.authors == ["Ada Example", "Zoë Müller"]
    assert first.authors_total is None  # the list states no total
    assert first.summary == "A made-up two-line summary of Toy Duck Counting."
    assert first.abstract is None  # only a paper's own answer carries it
    assert first.published == dt.date(2026, 2, 4)
    assert first.listed_on is None  # by-date is ArxivLens's day, not a daily list's
    assert first.url == "https://arxivlens.com/PaperView/Details/toy-duck-counting-9100-0badcafe"
    assert first.extra["categories"] == ["cs.CL", "cs.AI"]
    assert first.extra["slug"] == "toy-duck-counting-9100-0badcafe"
    assert first.extra["by_date"] == "2026-02-05" and first.extra["position"] == 1
    assert "authors_truncated" not in first.extra
    assert second.extra["position"] == 2 and second.arxiv_version is None
    assert parsed.paging == {"total": 7, "page": 1, "limit": 50, "returned": 2}


def test_missing_fields_are_missing_values_and_unusable_items_are_problems():
    bare = {"paperId": "2602.30003"}
    no_id = item(None, "A Paper Without Id", paperId=None, arxivLink=None)
    odd = item("not-an-id", "A Paper With An Odd Id")
    body = by_date([bare, {"title": None, "paperId": ""}, no_id, "junk", odd])
    parsed = LIST_FORMAT.parse(dumps(body), LIST_URL)
    by_title = {o.title: o for o in parsed.observations}
    assert len(parsed.observations) == 3
    lone = by_title[None]
    assert lone.arxiv_id == "2602.30003" and lone.authors == [] and lone.summary is None
    assert lone.published is None and lone.url is None
    assert by_title["A Paper Without Id"].arxiv_id is None
    assert by_title["A Paper With An Odd Id"].extra["paper_id"] == "not-an-id"
    assert [p.reason for p in parsed.problems] == ["item 2: no paperId or title", "item 4: not an object"]


def test_id_falls_back_to_the_arxiv_link():
    body = by_date([item(None, "Linked Only", arxivLink="https://arxiv.org/abs/2602.30004v3")])
    [obs] = LIST_FORMAT.parse(dumps(body), LIST_URL).observations
    assert (obs.arxiv_id, obs.arxiv_version) == ("2602.30004", 3)


def test_stated_author_total_and_more_markers_say_the_list_is_cut():
    stated = item("2602.30005", "Many Authors", authorsTotal=40)
    marker = item("2602.30006", "More Authors",
                  authors=[{"name": "Ada Example"}, {"name": "+ 11 more"}])
    etal = item("2602.30007", "Et Al Authors", authors=["Ada Example", "et al."])
    whole = item("2602.30008", "All Authors", authorsTotal=2)
    parsed = LIST_FORMAT.parse(dumps(by_date([stated, marker, etal, whole])), LIST_URL)
    got = {o.title: o for o in parsed.observations}
    assert got["Many Authors"].authors_total == 40
    assert got["Many Authors"].extra["authors_truncated"] is True
    assert got["Many Authors"].extra["authors_shown"] == 2
    assert got["More Authors"].authors == ["Ada Example"]
    assert got["More Authors"].authors_total == 12
    assert got["Et Al Authors"].authors == ["Ada Example"]
    assert got["Et Al Authors"].authors_total is None
    assert got["Et Al Authors"].extra["authors_truncated"] is True
    assert got["All Authors"].authors_total == 2
    assert "authors_truncated" not in got["All Authors"].extra


def test_an_empty_day_is_a_document_without_observations():
    parsed = LIST_FORMAT.parse(dumps(by_date([])), LIST_URL)
    assert parsed.empty_ok and not parsed.observations and parsed.paging["total"] == 0


@pytest.mark.parametrize("body, reason", [
    ("<html><body>Please enable JavaScript</body></html>", "ArxivLens API: an HTML page without a title"),
    (dumps({"message": "Paper not found"}), "ArxivLens API error: Paper not found"),
    (dumps({"items": []}), "ArxivLens by-date answer: no 'papers' list"),
    (dumps([item("2602.30001", "A Bare List")]), "ArxivLens by-date answer: no 'papers' list"),
])
def test_a_body_without_the_expected_json_is_a_page_error(body, reason):
    with pytest.raises(PageError) as err:
        LIST_FORMAT.parse(body, LIST_URL)
    assert err.value.reason.startswith(reason)


# -- one paper ------------------------------------------------------------------------------

def test_paper_answer_carries_the_abstract_and_the_ai_summary():
    url = lens.paper_url(BASE, "2602.30001")
    parsed = PAPER_FORMAT.parse(dumps(detail("2602.30001", "Toy Duck Counting")), url)
    [obs] = parsed.observations
    assert obs.arxiv_id == "2602.30001"
    assert obs.abstract == "We made up an abstract about toy ducks."
    assert obs.summary == "A made-up two-line summary of Toy Duck Counting."
    assert obs.extra["doi"] == "10.0000/toy.1" and obs.extra["updated"] == "2026-02-05T08:00:00Z"
    assert "journal_ref" not in obs.extra


def test_paper_answer_tolerates_missing_fields_and_refuses_other_json():
    url = lens.paper_url(BASE, "2602.30009")
    [obs] = PAPER_FORMAT.parse(dumps({"paper": {"paperId": "2602.30009"}}), url).observations
    assert obs.arxiv_id == "2602.30009" and obs.title is None and obs.abstract is None
    with pytest.raises(PageError, match="no 'paper' object"):
        PAPER_FORMAT.parse(dumps({"papers": []}), url)
    with pytest.raises(PageError, match="not valid JSON"):
        PAPER_FORMAT.parse("Service unavailable", url)


# -- key findings ---------------------------------------------------------------------------

def test_findings_are_one_observation_with_the_id_from_the_path():
    url = lens.findings_url(BASE, "2602.30001")
    [obs] = FINDINGS_FORMAT.parse(dumps(FINDINGS), url).observations
    assert obs.arxiv_id == "2602.30001" and obs.source == Source.ARXIVLENS
    assert obs.title is None
    findings = obs.extra["key_findings"]
    assert findings["keyResults"] == ["Ducks were counted.", "Graphs helped."]
    assert set(findings) == {"methodology", "keyResults", "significance", "limitations", "novelty"}
    assert obs.extra["findings_model"] == "toy-model-1"
    assert obs.extra["findings_generated_at"] == "2026-02-05T10:00:00Z"


def test_findings_asked_by_slug_name_the_paper_in_the_fragment_or_the_answer():
    url = lens.findings_url(BASE, "toy-duck-counting-9100-0badcafe", "2602.30001")
    assert url.endswith("/papers/toy-duck-counting-9100-0badcafe/key-findings#arxiv=2602.30001")
    [obs] = FINDINGS_FORMAT.parse(dumps(FINDINGS), url).observations
    assert obs.arxiv_id == "2602.30001"
    stated = {**FINDINGS, "paperId": "2602.30002"}
    bare = lens.findings_url(BASE, "toy-duck-counting-9100-0badcafe")
    [obs] = FINDINGS_FORMAT.parse(dumps(stated), bare).observations
    assert obs.arxiv_id == "2602.30002"
    with pytest.raises(PageError, match="no arXiv id"):
        FINDINGS_FORMAT.parse(dumps(FINDINGS), bare)


def test_findings_still_processing_or_missing_are_page_errors():
    url = lens.findings_url(BASE, "2602.30001")
    processing = {"status": "processing", "message": "Generating key findings",
                  "retryCount": 2, "updatedAt": "2026-02-05T10:00:00Z"}
    with pytest.raises(PageError) as err:
        FINDINGS_FORMAT.parse(dumps(processing), url)
    assert err.value.reason == ("ArxivLens key findings not ready: processing "
                                "(Generating key findings; retry 2)")
    with pytest.raises(PageError, match="no 'findings' object"):
        FINDINGS_FORMAT.parse(dumps({"status": "completed"}), url)
    empty = copy.deepcopy(FINDINGS)
    empty["findings"] = {k: None for k in empty["findings"]}
    with pytest.raises(PageError, match="every finding is empty"):
        FINDINGS_FORMAT.parse(dumps(empty), url)


# -- sniffing and read_page -----------------------------------------------------------------

def test_sniffers_tell_the_three_answers_apart_and_leave_other_json_alone():
    saved = "file:///tmp/answer.json"
    lst = dumps(by_date([item("2602.30001", "Toy Duck Counting")]))
    one = dumps(detail("2602.30001", "Toy Duck Counting"))
    found = dumps(FINDINGS)
    hf_list = dumps([{"paper": {"id": "2602.30001", "title": "Toy"}, "numComments": 1}])
    daily_json = dumps({"date": "2026-02-05", "crawled_at": "2026-02-05T14:00:00",
                        "papers": [{"title": "Toy", "url": "https://huggingface.co/papers/2602.30001"}]})
    sniffers = {"list": LIST_FORMAT.sniff, "paper": PAPER_FORMAT.sniff, "findings": FINDINGS_FORMAT.sniff}
    for text, kind in ((lst, "list"), (one, "paper"), (found, "findings")):
        assert [k for k, s in sniffers.items() if s(text, saved)] == [kind]
    for text in (hf_list, daily_json, "ArxivLens\nArXiv cs.CL\n"):
        assert not any(s(text, saved) for s in sniffers.values())
    assert LIST_FORMAT.sniff("", LIST_URL) and not PAPER_FORMAT.sniff("", LIST_URL)
    assert PAPER_FORMAT.sniff("", lens.paper_url(BASE, "2602.30001"))
    assert FINDINGS_FORMAT.sniff("", lens.findings_url(BASE, "2602.30001"))
    assert not PAPER_FORMAT.sniff("", lens.findings_url(BASE, "2602.30001"))


def test_paper_identifier_follows_the_api_assumption():
    fields = {"arxiv_id": "2602.30001", "extra": {"slug": "toy-9100-0badcafe"}}
    assert API.path_identifier == API.arxiv_id
    assert lens.paper_identifier(fields) == "2602.30001"
    assert lens.paper_identifier({"arxiv_id": None, "extra": {"slug": "toy-9100-0badcafe"}}) == "toy-9100-0badcafe"
    assert lens.paper_identifier({"arxiv_id": None, "extra": {}}) is None


def test_read_page_sniffs_each_answer_once_registered():
    lst = dumps(by_date([item("2602.30001", "Toy Duck Counting")])).encode()
    result = read_page("file:///tmp/by-date.json", lst, {}, fetched_at=FETCHED)
    assert result.document.format == "arxivlens-api-list"
    assert result.document.site == "arxivlens.com" and result.document.source == Source.ARXIVLENS
    result = read_page(lens.findings_url(BASE, "2602.30001"), dumps(FINDINGS).encode(), {},
                       fetched_at=FETCHED)
    assert result.document.format == "arxivlens-api-findings"
    assert result.observations[0].observed_at == FETCHED


@pytest.mark.parametrize("codec", ["mac_roman", "sloppy-windows-1252", "latin-1"])
def test_mojibake_answers_give_the_same_observations(codec):
    import ftfy.bad_codecs  # noqa: F401 (registers sloppy-windows-1252)

    text = dumps(by_date([item("2602.30001", "Toy Duck Counting — Zoë’s Müller Edition"),
                          item("2602.30002", "Tiny Graph Tricks")]))
    clean = read_page(LIST_URL, text.encode("utf-8"), {}, format_name="arxivlens-api-list",
                      fetched_at=FETCHED)
    mangled_text = text.encode("utf-8").decode(codec)
    mangled = read_page(LIST_URL, mangled_text.encode("utf-8"), {}, format_name="arxivlens-api-list",
                        fetched_at=FETCHED)
    assert mangled.document.mojibake and mangled.document.repair
    assert not clean.document.mojibake

    def dump(obs):
        return [o.model_dump(exclude={"observed_at", "site"}) for o in obs]

    assert dump(mangled.observations) == dump(clean.observations)
    assert mangled.observations[0].authors[1] == "Zoë Müller"
