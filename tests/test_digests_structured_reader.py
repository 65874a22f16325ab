"""The structured reader (JSON, JSON Lines, Python-repr lists) on documents written here."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from scrapers.pages import PageError, read_page
from scrapers.pages.digests import structured

URL = "file:///x/pond-2031-05-06.json"


def read(value, url: str = URL):
    text = value if isinstance(value, str) else json.dumps(value)
    assert structured.sniff(text, url)
    return structured.FORMAT.parse(text, url)


def test_items_grouped_under_categories_with_a_document_day():
    doc = {"push_date": "2031-05-06", "total_count": 9, "categories": [
        {"name": "cs.CV", "papers": [{"arxiv_id": "3105.00101v2", "title": "Reed Beds: Sparse Roots",
                                      "chinese_title": "一句话的总结", "published": "2031-05-02"}]},
        {"name": "机器学习", "papers": [{"arxiv_id": "3105.00102", "title": "Lily Pads: Floating Tokens"}]}]}
    parsed = read(doc)
    reeds, lily = parsed.observations
    assert (reeds.arxiv_id, reeds.arxiv_version, reeds.title) == ("3105.00101", 2, "Reed Beds: Sparse Roots")
    assert reeds.extra["title_translated"] == "一句话的总结"  # a summary, not the title
    assert (reeds.listed_on, reeds.published) == (dt.date(2031, 5, 6), dt.date(2031, 5, 2))
    assert (reeds.extra["section"], lily.extra["section"]) == ("cs.CV", "机器学习")
    assert reeds.extra["read"]["fields"]["listed_on"] == "key:push_date"
    # total_count is not read as anything; no rank, no counts.
    assert {(o.rank, o.upvotes, o.comments) for o in parsed.observations} == {(None, None, None)}


def test_the_hugging_face_item_shape_and_python_repr_strings():
    items = [{"paper": {"id": "3105.00101", "title": "Reed Beds: Sparse Roots", "upvotes": 42,
                        "authors": [{"name": "Ada Quill", "hidden": False}, {"name": "Bo Reed"}]},
              "numComments": 3, "submittedOnDailyAt": "2031-05-06T09:00:00.000Z", "isAuthorParticipating": True},
             {"paper": {"id": "3105.00102", "title": "Lily Pads: Floating Tokens", "upvotes": 7}, "numComments": 0}]
    text = json.dumps([repr(i) for i in items])  # what str(dict) writes: single quotes, True/False
    reeds, lily = read(text).observations
    assert (reeds.upvotes, reeds.comments, reeds.authors) == (42, 3, ["Ada Quill", "Bo Reed"])
    assert reeds.listed_on == dt.date(2031, 5, 6) and lily.listed_on == dt.date(2031, 5, 6)
    assert reeds.extra["read"]["fields"]["upvotes"] == "key:paper.upvotes"
    assert reeds.extra["read"]["fields"]["comments"] == "key:numComments"
    assert reeds.extra["read"]["fields"]["listed_on"] == "key:submittedOnDailyAt"
    assert lily.extra["read"]["fields"]["listed_on"] == "filename"
    assert reeds.rank is None  # the order of the list is not a rank


def test_json_lines_with_arxiv_records():
    lines = [{"id": "3105.00101", "title": "Reed Beds: Sparse Roots", "comment": "12 pages, 5 figures",
              "summary": "Roots grow sparse, unlike in arXiv:2901.00001.", "authors": ["Ada Quill"]},
             {"id": "3105.00102", "title": "Lily Pads: Floating Tokens", "comment": "ICML"}]
    parsed = read("\n".join(json.dumps(x) for x in lines) + "\n")
    found = {o.arxiv_id: o for o in parsed.observations}
    reeds, cited = found["3105.00101"], found["2901.00001"]
    assert found["3105.00102"].title == "Lily Pads: Floating Tokens"
    assert reeds.comments is None and reeds.extra["arxiv_comment"] == "12 pages, 5 figures"
    assert (cited.arxiv_id, cited.extra["citation"], cited.extra["cited_in"], cited.listed_on) == (
        "2901.00001", True, "3105.00101", None)


@pytest.mark.parametrize("key, value, kept", [
    ("score", 91, ("score", 91)), ("stars", 120, ("stars", 120)), ("githubStars", 5, ("stars", 5)),
    ("upvotes", "12", None),  # a count written as text is not read
])
def test_traps_are_kept_apart_and_never_counts(key, value, kept):
    (obs,) = read([{"arxiv_id": "3105.00101", "title": "Reed Beds: Sparse Roots", key: value}]).observations
    assert (obs.upvotes, obs.comments, obs.rank) == (None, None, None)
    if kept:
        assert obs.extra[kept[0]] == kept[1]


def test_top_level_url_only_items_and_the_profile_archive_shape():
    doc = {"total_fetched": 91, "scored_papers": [
        {"url": "https://arxiv.org/abs/3105.00101", "title": "Reed Beds: Sparse Roots", "score": 88},
        {"link": "https://huggingface.co/papers/3105.00102", "title": "Lily Pads: Floating Tokens"}]}
    reeds, lily = read(doc).observations
    assert (reeds.arxiv_id, reeds.url, lily.arxiv_id) == ("3105.00101", "https://arxiv.org/abs/3105.00101",
                                                           "3105.00102")
    assert reeds.upvotes is None and reeds.extra["score"] == 88


@pytest.mark.parametrize("text", ["1", "[]", "{}", '{"total_fetched": 91, "scored_papers": []}',
                                  '{"push_date": "2031-05-06", "total_count": 0, "categories": []}'])
def test_an_empty_day_is_no_reject(text):
    parsed = read(text)
    assert parsed.empty_ok and not parsed.observations
    result = read_page(URL, text.encode(), {}, mtime=dt.datetime(2031, 5, 6, tzinfo=dt.timezone.utc))
    assert result.observations == []  # kept as a document ("[]" is Hugging Face's empty day too)


@pytest.mark.parametrize("text, reason", [
    ('[{"arxiv_id": "3105.00101", ', "not JSON"),
    ('{"arxiv_id": "3105.00101"}\n{"arxiv_id": \n', "JSON Lines line 2 is not JSON"),
    ('["{\'paper\': {\'id\': \'3105.00101\'", "{\'x\': 1}"]', None),  # no closing brace: plain text
    ('["{\'paper\': {\'id\': __import__(\'os\')}}"]', "neither JSON nor a Python literal"),
    ('[{"title": "Reed Beds", "url": "https://example.org/reeds"}]', "no item carries an arXiv id"),
])
def test_bad_documents_are_one_line_rejects(text, reason):
    if reason is None:
        with pytest.raises(PageError, match="no item carries an arXiv id"):
            read(text)
        return
    with pytest.raises(PageError, match=reason) as info:
        read(text)
    assert "\n" not in info.value.reason


def test_a_bad_value_in_one_item_keeps_the_others():
    # The bad value is left empty and named; the item's other fields, and the other items, are kept.
    parsed = read([{"arxiv_id": "3105.00101", "title": "Reed Beds", "rank": 0},
                   {"arxiv_id": "3105.00102", "title": "Lily Pads", "rank": 2}])
    reeds, lily = parsed.observations
    assert (reeds.title, reeds.rank, lily.rank) == ("Reed Beds", None, 2)
    assert reeds.extra["unread"]["rank"] == {"key": "rank", "value": 0}
    assert not parsed.problems


def test_the_alias_table_writes_its_traps_down():
    assert all(alias.keys for alias in structured.ALIASES)
    assert {"score", "stars", "comment", "translation_title", "chinese_title"} <= set(structured.TRAPS)
    assert "total_fetched" in structured.NOT_LIST_SIZE
    for field in ("title", "upvotes", "comments", "rank", "authors", "listed_on"):
        assert any(a.field == field for a in structured.ALIASES)
