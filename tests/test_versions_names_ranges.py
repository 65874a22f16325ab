"""False findings found by a probe of made-up sources (round 16), each pinned: arXiv records
of two versions, a record older than the version another source names, generational
suffixes and other-script names in author lists, ranges in summaries, Greek letters spelt
out and titles abridged at an ellipsis. Every text here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from reconcile import merge
from reconcile.checks.abstracts import check_abstract
from reconcile.checks.authors import check_authors
from reconcile.checks.claims import extract_claims
from reconcile.checks.titles import check_title, describe
from reconcile.models import Severity, Source
from scrapers.pages import arxiv, arxivlens_api
from scrapers.pages.base import comma_names

from .test_checks_fields import LONG_TITLE, SEEN, obs, one, run

UTC = dt.timezone.utc
OLD_TITLE = "Counting Fireflies with Tiny Models"


def test_arxivs_record_of_an_older_version_seen_later_does_not_win_the_merge():
    v2 = obs(1, Source.ARXIV, title=LONG_TITLE, authors=["Ada Quill", "Bo Rennet", "Cy Marlow"], arxiv_version=2)
    v1 = obs(2, Source.ARXIV, title=OLD_TITLE, authors=["Ada Quill", "Bo Rennet"], arxiv_version=1)
    v1[0].observed_at = SEEN + dt.timedelta(days=8)  # fetched (or its file saved) after v2's
    paper = merge.merge(PAPER_ID, [v2[0], v1[0]], {d.id: d for _, d in (v2, v1)})
    assert (paper.title, paper.authors) == (LONG_TITLE, ["Ada Quill", "Bo Rennet", "Cy Marlow"])
    # An observation naming no version is ordered by its time among those of the latest.
    unversioned = obs(3, Source.ARXIV, title="A Third Title Seen Last")
    unversioned[0].observed_at = SEEN + dt.timedelta(days=9)
    paper = merge.merge(PAPER_ID, [v2[0], v1[0], unversioned[0]],
                              {d.id: d for _, d in (v2, v1, unversioned)})
    assert paper.title == "A Third Title Seen Last"


PAPER_ID = "arxiv:2602.04705"


@pytest.mark.parametrize("check, field, old, new", [
    (check_title, "title", OLD_TITLE, LONG_TITLE),
    (check_abstract, "abstract", "Small models count fireflies by their blinking in the dark.",
     "We rewrote everything: lanterns, not fireflies, are what small models learn to count here."),
    (check_authors, "authors", ["Ada Quill", "Bo Rennet"], ["Ada Quill", "Bo Rennet", "Cy Marlow"]),
])
def test_a_source_beside_a_later_version_than_arxivs_record_only_informs(check, field, old, new):
    # arXiv's record is v1, fetched before Hugging Face was seen; ArxivLens links v2 and
    # shows v2's text, as Hugging Face (no version) does: arXiv's record is the stale one.
    record = obs(1, Source.ARXIV, **{field: old}, arxiv_version=1)
    record[0].observed_at = SEEN - dt.timedelta(days=17)
    lens = obs(2, Source.ARXIVLENS, **{field: new}, arxiv_version=2)
    hf = obs(3, Source.HUGGINGFACE, **{field: new})
    d = one(run(check, record, lens, hf))
    assert d.severity == Severity.INFO
    assert "arxiv/arxiv.org's record is v1, arxivlens/arxivlens.com names v2: huggingface/huggingface.co may " \
           "show v2" in d.detail
    # Without the later version named anywhere, a record fetched 17 days before the source
    # was seen may still be out of date (evidence.stale_record: a warning before probe26);
    # one fetched the day before, the difference stands.
    d = one(run(check, record, hf))
    assert d.severity == Severity.INFO and "record (v1) was fetched 17 days before" in d.detail
    fresh = obs(1, Source.ARXIV, **{field: old}, arxiv_version=1)
    fresh[0].observed_at = SEEN - dt.timedelta(days=1)
    assert one(run(check, fresh, hf)).severity == Severity.WARNING
    # Seen before arXiv's record was fetched, a source cannot show a version after it.
    early = obs(3, Source.HUGGINGFACE, **{field: new})
    early[0].observed_at = SEEN - dt.timedelta(days=20)
    assert one(run(check, record, lens, early)).severity == Severity.WARNING


def test_arxivlens_api_reads_the_version_its_arxiv_link_names():
    body = ('{"paper": {"id": 19001, "title": "Plover: Sparse Retrieval", "paperId": "3111.19001",'
            ' "arxivLink": "https://arxiv.org/abs/3111.19001v2", "published": "2031-11-02T17:00:00.000Z",'
            ' "authors": [{"name": "Ada Quill"}], "summary": "Plover retrieves code."}}')
    url = "https://api.arxivlens.com/api/v1/papers/3111.19001.json"
    assert arxivlens_api.PAPER_FORMAT.sniff(body, url)
    [o] = arxivlens_api.PAPER_FORMAT.parse(body, url).observations
    assert (o.arxiv_id, o.arxiv_version) == ("3111.19001", 2)


def test_saved_arxiv_answers_state_their_own_times():
    oai = ('<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
           '<responseDate>2031-11-04T13:56:49Z</responseDate><request>x</request>'
           '<ListRecords></ListRecords></OAI-PMH>')
    assert arxiv.parse_oai(oai, "file:///x/oai.xml").captured_at == dt.datetime(2031, 11, 4, 13, 56, 49, tzinfo=UTC)
    api = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title>'
           '<updated>2031-11-12T00:00:00-05:00</updated></feed>')
    assert arxiv.parse_api(api, "file:///x/api.xml").published_at == dt.datetime(2031, 11, 12, 5, tzinfo=UTC)
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>cs.LG updates on arXiv.org</title>'
           '<lastBuildDate>Tue, 04 Nov 2031 00:30:00 -0500</lastBuildDate>'
           '<pubDate>Tue, 04 Nov 2031 00:00:00 -0500</pubDate></channel></rss>')
    assert arxiv.parse_rss(rss, "file:///x/rss.xml").published_at == dt.datetime(2031, 11, 4, 5, 30, tzinfo=UTC)


def test_a_generational_suffix_is_part_of_a_name_and_no_part_of_the_comparison():
    assert comma_names("Anna Berg, John Smith, Jr., Tomas Lind") == ["Anna Berg", "John Smith Jr.", "Tomas Lind"]
    assert comma_names("Anna Berg, Lena Ortiz and Maria Garcia III", and_too=True) == [
        "Anna Berg", "Lena Ortiz", "Maria Garcia III"]
    record = obs(1, Source.ARXIV, authors=["Maria Garcia III", "Pedro Alves Jr.", "Lena Ortiz"])
    hf = obs(2, Source.HUGGINGFACE, authors=["Maria Garcia", "Pedro Alves", "Lena Ortiz"])
    assert run(check_authors, record, hf) == []


def test_surname_then_initial_and_names_in_another_script():
    record = obs(1, Source.ARXIV, authors=["Anna Berg", "Tomas Lind", "Wei Zhang"])
    initials = obs(2, Source.DIGEST, authors=["Berg A.", "Lind T.", "Zhang W."])
    assert run(check_authors, record, initials) == []
    other = obs(2, Source.DIGEST, authors=["Anna Berg", "Tomas Lind", "张伟"])
    d = one(run(check_authors, record, other))
    assert d.severity == Severity.INFO
    assert "1 name in another script than arxiv.org's list, not compared (张伟)" in d.detail
    # A Latin name that is not in the list is still a warning beside it.
    stranger = obs(2, Source.DIGEST, authors=["Anna Berg", "Tomas Lind", "Ivo Stranger"])
    assert one(run(check_authors, record, stranger)).severity == Severity.WARNING


@pytest.mark.parametrize("sentence", [
    "It uses 30 to 40% fewer tokens.", "It gains 10–15% on long inputs.", "It is between 3x and 5x faster.",
    "It uses 30% to 40% fewer tokens."])
def test_an_end_of_a_range_is_no_claim(sentence):
    assert extract_claims(sentence) == []


def test_a_lone_figure_and_two_figures_joined_by_and_are_still_claims():
    assert [c.text for c in extract_claims("It uses 35% fewer tokens.")] == ["35%"]
    assert [c.text for c in extract_claims("Accuracy rises 3% and recall 5%.")] == ["3%", "5%"]


def test_a_greek_letter_spelt_out_is_the_same_title_and_an_abridged_title_is_info():
    assert describe(r"$\beta$-Routing: Load Balancing in Mixture-of-Experts",
                    "Beta-Routing: Load Balancing in Mixture-of-Experts") is None
    trusted = "Long Context, Short Memory: Compressing Dialogue State for Efficient Agents"
    severity, phrase = describe(trusted, "Long Context, Short Memory: Compressing … for Efficient Agents")
    assert severity == Severity.INFO and "abridged" in phrase
    # Parts that are not the title's own words around the ellipsis: a different title.
    assert describe(trusted, "Long Context … Efficient Robots")[0] == Severity.WARNING
    assert describe(trusted, "Compressing … Short Memory")[0] == Severity.WARNING
    d = one(run(check_title, obs(1, Source.ARXIV, title=trusted),
                obs(2, Source.DIGEST, title="Long Context, Short Memory: Compressing … for Efficient Agents")))
    assert d.severity == Severity.INFO


def test_a_change_and_the_level_it_leads_to_are_worded_differently_and_only_inform():
    from reconcile.checks.claims import check_numeric_claims

    lens = obs(1, Source.ARXIVLENS, summary="Cinder cuts decoding latency by 40% on LibriToy.")
    hf = obs(2, Source.HUGGINGFACE, summary="Cinder cuts decoding latency to 70% on LibriToy.")
    found = run(check_numeric_claims, lens, hf)
    assert found and {d.severity for d in found} == {Severity.INFO}
    assert "worded differently" in found[0].detail
    # A cut of 40% and the 60% it leaves are one fact (tests/test_session36_fixes.py).
    assert "a cut of 30%" in found[0].detail and "25.0% apart" in found[0].detail
    # The same wording with another number is still a disagreement worth a warning or more.
    other = obs(2, Source.HUGGINGFACE, summary="Cinder cuts decoding latency by 60% on LibriToy.")
    assert {d.severity for d in run(check_numeric_claims, lens, other)} != {Severity.INFO}


def test_a_capture_time_orders_before_a_files_time_and_equal_counts_rank_nothing():
    from reconcile.models import Observation, TimeBasis
    from scrapers.pages.base import set_rank_basis

    given = obs(1, Source.HUGGINGFACE, upvotes=85, comments=7)
    given[1].observed_at_basis = TimeBasis.GIVEN
    copy = obs(2, Source.HUGGINGFACE, upvotes=12, comments=1)
    copy[0].observed_at = SEEN + dt.timedelta(days=2)  # a copy's file time, after the capture
    copy[1].observed_at_basis = TimeBasis.FILE_MTIME
    paper = merge.merge(PAPER_ID, [given[0], copy[0]], {d.id: d for _, d in (given, copy)})
    # The file's time is when it was copied, not when its counts were read: the capture wins,
    # and the merged record says when it was seen.
    assert (paper.upvotes, paper.comments, paper.upvotes_observed_at) == (85, 7, SEEN)
    # A list whose counts are all equal (a crawl that read 0 likes everywhere) ranks nothing.
    zeros = [Observation(source=Source.DIGEST, arxiv_id=f"3112.0000{i}", rank=i, upvotes=0) for i in (1, 2, 3)]
    set_rank_basis(zeros)
    assert {o.extra["rank_basis"] for o in zeros} == {"position"}


def test_k_counted_in_powers_of_1024_is_the_same_figure():
    from reconcile.checks.claims import compatible

    def one(sentence):
        return extract_claims(sentence)[0]

    assert compatible(one("It reads a context of 128K tokens."), one("It reads a context of 131K tokens."))
    assert compatible(one("It reads 64K tokens."), one("It reads 65.5K tokens."))
    assert not compatible(one("It reads 100K tokens."), one("It reads 120K tokens."))


def test_a_tag_before_a_title_is_no_different_title():
    severity, phrase = describe("Sparse Reeds for Tiny Models", "[NeurIPS 2026] Sparse Reeds for Tiny Models")
    assert severity == Severity.INFO and "a tag before the title ('[NeurIPS 2026]')" in phrase
    assert describe("Sparse Reeds for Tiny Models", "(Oral) Sparse Reeds for Tiny Models")[0] == Severity.INFO
    # Brackets that are part of the title's own word are no tag.
    severity, phrase = describe("(Un)Supervised Reeds", "Supervised Reeds")
    assert severity == Severity.WARNING and "tag" not in phrase


def test_a_name_ending_in_digits_beside_another_sources_name_does_not_say_no_source_names_one():
    from reconcile.checks.garbage import check_garbage

    hf = obs(1, Source.HUGGINGFACE, organization="G42")
    blog = obs(2, Source.DIGEST, organization="Core42")
    [found] = run(check_garbage, hf, blog)
    assert found.severity == Severity.INFO
    assert "Hugging Face names the organization 'G42', which it does not spell" in found.detail
    assert "no other source names" not in found.detail
    # The same value in two spellings stays a shape-only read: info.
    other = obs(3, Source.DIGEST, site="wren.example", organization="Core42 ")
    assert {f.severity for f in run(check_garbage, blog, other)} == {Severity.INFO}
