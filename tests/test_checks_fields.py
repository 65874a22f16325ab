"""The field detectors: ``title``, ``authors``, ``published`` and ``abstract``.

Observations and documents are built here with made-up text (real facts only: the ERNIE
5.0 title, arXiv id 2602.04705, 8 of 438 authors). The end-to-end test reads seeds 001
and 004 from ../shared at run time.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from reconcile.checks.abstracts import check_abstract
from reconcile.checks.authors import check_authors, name_key, same_person
from reconcile.checks.base import CheckContext, discrepancy_id
from reconcile.checks.dates import check_published
from reconcile.checks.titles import check_title
from reconcile.models import Document, Kind, Observation, Severity, Source, TimeBasis
from scrapers.pages import read_page

from .support import needs_shared, seed_path

UTC = dt.timezone.utc
PAPER = "arxiv:2602.04705"
SITES = {Source.ARXIV: "arxiv.org", Source.HUGGINGFACE: "huggingface.co",
         Source.ARXIVLENS: "arxivlens.com", Source.DIGEST: "digest.example"}
SEEN = dt.datetime(2026, 2, 5, 12, 0, tzinfo=UTC)
TITLE = "ERNIE 5.0 Technical Report"
LONG_TITLE = "Quiet Lanterns: Teaching Small Models to Count Fireflies in the Dark"


def obs(oid: int, source: Source, *, site: str | None = None, mojibake: bool = False,
        repaired: bool = True, **fields) -> tuple[Observation, Document]:
    """An observation and the document it came from (both with id ``oid``)."""
    doc = Document(id=oid, url=f"https://{site or SITES[source]}/{oid}", source=source,
                   site=site or SITES[source], format="test", observed_at=SEEN,
                   observed_at_basis=TimeBasis.PUBLISHED if source == Source.DIGEST else TimeBasis.RESPONSE,
                   sha256=hashlib.sha256(str(oid).encode()).hexdigest(), mojibake=mojibake,
                   repair="roundtrip:mac_roman" if mojibake and repaired else None)
    return Observation(id=oid, document_id=oid, source=source, site=site or SITES[source],
                       observed_at=SEEN, arxiv_id="2602.04705", **fields), doc


def run(detector, *pairs):
    """Run a detector over (observation, document) pairs of one paper."""
    observations = [o for o, _ in pairs]
    ctx = CheckContext(documents={d.id: d for _, d in pairs})
    return detector(PAPER, observations, ctx)


def one(found):
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- title

def test_title_case_punctuation_and_whitespace_are_not_discrepancies():
    found = run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE),
                obs(2, Source.DIGEST, title=LONG_TITLE.lower().replace(":", " -")),
                obs(3, Source.HUGGINGFACE,
                    title="QUIET  LANTERNS: Teaching Small Models\nto Count Fireflies in the Dark!"))
    assert found == []


def test_title_truncated_with_ellipsis_is_info():
    d = one(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE),
                obs(2, Source.DIGEST, title="Quiet Lanterns: Teaching Small Models to Co...")))
    assert (d.kind, d.field, d.severity) == (Kind.TITLE, "title", Severity.INFO)
    assert "truncated with an ellipsis" in d.detail and "digest.example" in d.detail
    assert [v.value for v in d.values] == [LONG_TITLE, "Quiet Lanterns: Teaching Small Models to Co..."]
    assert [v.source for v in d.values] == [Source.ARXIV, Source.DIGEST]
    assert d.values[1].observed_at_basis == TimeBasis.PUBLISHED and d.values[1].observation_id == 2


def test_title_same_difference_from_many_sources_is_one_phrase():
    digests = [obs(i, Source.DIGEST, site=f"digest{i}.example", title="Quiet Lanterns") for i in range(2, 7)]
    d = one(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE), *digests))
    assert len(d.values) == 6 and d.detail.count("cut at the colon") == 1
    assert "digest2.example, digest3.example, digest4.example and 2 more has it cut" in d.detail


def test_title_cut_at_the_colon_is_info():
    d = one(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE), obs(2, Source.DIGEST, title="Quiet lanterns")))
    assert d.severity == Severity.INFO and "cut at the colon" in d.detail and "before" in d.detail


def test_title_typo_is_warning_and_names_the_word():
    d = one(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE),
                obs(2, Source.DIGEST, title=LONG_TITLE.replace("Fireflies", "Firelfies"))))
    assert d.severity == Severity.WARNING
    assert "typo" in d.detail and "firelfies" in d.detail


def test_title_translation_is_info():
    d = one(run(check_title, obs(1, Source.ARXIV, title=TITLE),
                obs(2, Source.DIGEST, title="ERNIE 5.0 기술 보고서")))
    assert d.severity == Severity.INFO and "translation" in d.detail and "Hangul" in d.detail


def test_title_otherwise_different_is_warning():
    d = one(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE),
                obs(2, Source.DIGEST, title="Loud Lanterns for Counting Moths at Noon")))
    assert d.severity == Severity.WARNING and "different title" in d.detail


def test_title_compares_with_the_most_trusted_source():
    # Without arXiv, Hugging Face is trusted; both others are compared with it, in one finding.
    d = one(run(check_title, obs(1, Source.DIGEST, title="Quiet lanterns"),
                obs(2, Source.HUGGINGFACE, title=LONG_TITLE),
                obs(3, Source.ARXIVLENS, title=LONG_TITLE.replace("Dark", "Drak"))))
    assert d.values[0].source == Source.HUGGINGFACE
    assert {v.source for v in d.values[1:]} == {Source.DIGEST, Source.ARXIVLENS}
    assert d.severity == Severity.WARNING  # the worst of info (colon) and warning (typo)
    assert "colon" in d.detail and "typo" in d.detail


def test_title_ignores_mentions_and_unrepaired_mojibake():
    mention = obs(2, Source.DIGEST, title="WideSeek", extra={"mention": True, "mentioned_as": "WideSeek"})
    broken = obs(3, Source.DIGEST, site="broken.example", mojibake=True, repaired=False, title="Quiet Lanterns√©")
    assert run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE), mention, broken) == []
    repaired = obs(3, Source.DIGEST, mojibake=True, repaired=True, title="Quiet Lanterns√©")
    assert len(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE), repaired)) == 1


def test_title_change_between_versions_is_info():
    d = one(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE, arxiv_version=2),
                obs(2, Source.HUGGINGFACE, title="Counting Fireflies with Tiny Models", arxiv_version=1)))
    assert d.severity == Severity.INFO and "v1 vs v2" in d.detail


@pytest.mark.parametrize("check, field, old, new", [
    (check_title, "title", "Counting Fireflies with Tiny Models", LONG_TITLE),
    (check_abstract, "abstract", "Small models count fireflies by their blinking in the dark.",
     "We rewrote everything: lanterns, not fireflies, are what small models learn to count here."),
])
def test_a_text_seen_before_arxivs_revision_is_the_earlier_versions(check, field, old, new):
    # arXiv's record is v2, updated after Hugging Face was seen (SEEN, 2026-02-05 12:00),
    # and Hugging Face names no version: it showed v1's text, which v2 changed.
    revised = {field: new, "arxiv_version": 2, "extra": {"updated": "2026-02-09T10:00:00Z"}}
    d = one(run(check, obs(1, Source.ARXIV, **revised), obs(2, Source.HUGGINGFACE, **{field: old})))
    assert d.severity == Severity.INFO
    assert "before arXiv's v2 of 2026-02-09T10:00:00Z" in d.detail
    # Seen after the revision appeared (or v1 only): the difference stands.
    later = {**revised, "extra": {"updated": "2026-02-01"}}
    assert one(run(check, obs(1, Source.ARXIV, **later), obs(2, Source.HUGGINGFACE, **{field: old}))).severity \
        == Severity.WARNING
    first = {**revised, "arxiv_version": 1}
    assert one(run(check, obs(1, Source.ARXIV, **first), obs(2, Source.HUGGINGFACE, **{field: old}))).severity \
        == Severity.WARNING


@pytest.mark.parametrize("check, field, old, new", [
    (check_title, "title", "Counting Fireflies with Tiny Models", LONG_TITLE),
    (check_abstract, "abstract", "Small models count fireflies by their blinking in the dark.",
     "We rewrote everything: lanterns, not fireflies, are what small models learn to count here."),
])
def test_a_text_timed_only_by_a_file_after_the_revision_may_be_the_earlier_versions(check, field, old, new):
    """A saved list timed by its file (copied after arXiv's v2) kept a warning: a file's time
    says only that the text was read by then, perhaps before the revision."""
    revised = {field: new, "arxiv_version": 2, "extra": {"updated": "2026-02-01T10:00:00Z"}}
    filed = obs(2, Source.HUGGINGFACE, **{field: old}, observed_at_basis=TimeBasis.FILE_MTIME)
    d = one(run(check, obs(1, Source.ARXIV, **revised), filed))
    assert d.severity == Severity.INFO
    assert "a file_mtime time, perhaps before arXiv's v2 of 2026-02-01T10:00:00Z" in d.detail
    # Read then, by its own clock (a capture time): the difference stands.
    read = obs(2, Source.HUGGINGFACE, **{field: old}, observed_at_basis=TimeBasis.GIVEN)
    assert one(run(check, obs(1, Source.ARXIV, **revised), read)).severity == Severity.WARNING


@pytest.mark.parametrize("revised, note", [
    # An OAI-PMH record names no version, but was updated after it was created.
    ({"published": dt.date(2026, 2, 1), "extra": {"updated": "2026-02-09"}},
     "before arXiv's revision of 2026-02-09T00:00:00Z"),
    # An RSS item announcing a replacement on 2026-02-10 (public from the evening before).
    ({"listed_on": dt.date(2026, 2, 10), "extra": {"announce_type": "replace"}},
     "before arXiv's replacement of 2026-02-09T00:00:00Z"),
])
def test_a_text_seen_before_a_revision_a_record_states_without_a_version_is_info(revised, note):
    new = {"title": LONG_TITLE, **revised}
    d = one(run(check_title, obs(1, Source.ARXIV, **new),
                obs(2, Source.HUGGINGFACE, title="Counting Fireflies with Tiny Models")))
    assert d.severity == Severity.INFO and note in d.detail
    # A record created and updated on one day, or announced as new, says of no revision.
    for unrevised in ({"published": dt.date(2026, 2, 9), "extra": {"updated": "2026-02-09"}},
                      {"listed_on": dt.date(2026, 2, 10), "extra": {"announce_type": "new"}}):
        d = one(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE, **unrevised),
                    obs(2, Source.HUGGINGFACE, title="Counting Fireflies with Tiny Models")))
        assert d.severity == Severity.WARNING


# ---------------------------------------------------------------- authors

NAMES = ["Jane Doe", 'Jakob G\\"unther', "Ana María Pérez", "Li Wei", "Øystein Berg"]


def test_authors_same_people_spelt_differently_are_not_discrepancies():
    found = run(check_authors, obs(1, Source.ARXIV, authors=NAMES),
                obs(2, Source.HUGGINGFACE, authors=["J. Doe", "Jakob Günther", "ANA MARIA PEREZ", "Wei Li",
                                                    "Oystein Berg"]),
                obs(3, Source.DIGEST, authors=["Doe, Jane", "Günther, J.", "A. M. Pérez", "Li Wei", "Ø. Berg"]))
    assert found == []
    assert same_person(name_key("J. Doe"), name_key("Jane Doe"))
    assert not same_person(name_key("John Doe"), name_key("Jane Doe"))


def test_authors_truncated_list_in_order_is_info():
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES), obs(2, Source.DIGEST, authors=NAMES[:2])))
    assert (d.kind, d.field, d.severity) == (Kind.AUTHORS, "authors", Severity.INFO)
    assert "shows 2 of 5 authors" in d.detail and "first 2, in the same order" in d.detail
    assert d.values[0].value == NAMES and d.values[1].value == NAMES[:2]


def test_authors_truncated_list_in_another_order_is_info_and_says_so():
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES),
                obs(2, Source.ARXIVLENS, authors=["Li Wei", "Jane Doe", "Ana María Pérez"])))
    assert d.severity == Severity.INFO
    assert "shows 3 of 5 authors:" in d.detail and "a selection of the list, in a different order" in d.detail


def test_authors_complete_list_in_another_order_is_warning():
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES),
                obs(2, Source.HUGGINGFACE, authors=[NAMES[1], NAMES[0], *NAMES[2:]])))
    assert d.severity == Severity.WARNING
    assert "different order" in d.detail
    assert "#1 is Jakob Günther, arxiv.org's #1 is Jane Doe" in d.detail


def test_authors_missing_from_trusted_list_are_warning():
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES),
                obs(2, Source.DIGEST, authors=[*NAMES[:4], "Mallory Smith"])))
    assert d.severity == Severity.WARNING and "not in arxiv.org's list (Mallory Smith)" in d.detail


def test_authors_stated_total_that_disagrees_is_warning():
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES),
                obs(2, Source.ARXIVLENS, authors=NAMES[:2], authors_total=7, extra={"authors_truncated": True})))
    assert d.severity == Severity.WARNING and "says 7 authors where arxiv.org lists 5" in d.detail
    assert "shows 2 of 5 authors (marked as cut by the source)" in d.detail


@pytest.mark.parametrize("a, b, same", [
    ("J. Doe", "Jane Doe", True), ("Jane Doe", "J. Doe", True), ("Jane Doe", "Jane Doe", True),
    ("J. Doe", "Xavier Doe", False), ("Xavier Doe", "J. Doe", False),  # an initial is the name's own
    ("Janet Doe", "Jan Doe", False), ("Jan Doe", "Janet Doe", False),  # a prefix is not an initial
    ("Jonas Doe", "Jo Doe", False), ("Jane Doe", "J. Roe", False),
])
def test_authors_an_initial_stands_for_a_name_it_starts(a, b, same):
    assert same_person(name_key(a), name_key(b)) is same


def test_authors_missing_names_show_three_and_count_the_rest():
    extra = ["Mallory Smith", "Trent Jones", "Peggy Brown", "Victor White"]
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES), obs(2, Source.DIGEST, authors=[*NAMES, *extra])))
    assert "has 4 names not in arxiv.org's list (Mallory Smith, Trent Jones, Peggy Brown and 1 more)" in d.detail
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES),
                obs(2, Source.DIGEST, authors=[*NAMES, *extra[:3]])))
    assert "has 3 names not in arxiv.org's list (Mallory Smith, Trent Jones, Peggy Brown)" in d.detail


def test_authors_first_names_of_a_list_sorted_by_name_say_alphabetical_order():
    first = NAMES[:3]
    by_name = sorted(first, key=lambda n: " ".join(name_key(n)))
    assert by_name != first  # the trusted list is not alphabetical
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES), obs(2, Source.DIGEST, authors=by_name)))
    assert d.severity == Severity.INFO
    assert "shows 3 of 5 authors: arxiv.org's first 3, in a different order (alphabetical order)" in d.detail
    shuffled = [first[1], first[2], first[0]]
    assert shuffled != by_name
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES), obs(2, Source.DIGEST, authors=shuffled)))
    assert "arxiv.org's first 3, in a different order (another order)" in d.detail


def test_authors_sources_without_authors_are_ignored():
    assert run(check_authors, obs(1, Source.ARXIV, authors=NAMES), obs(2, Source.DIGEST, authors=[]),
               obs(3, Source.HUGGINGFACE)) == []


# ---------------------------------------------------------------- published

def arxiv_published(at: str, **extra) -> tuple[Observation, Document]:
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    return obs(1, Source.ARXIV, published=moment.date(), extra={"published_at": at, **extra})


def test_published_timezone_shift_is_not_a_discrepancy():
    # 18:00 UTC on Feb 4 is already Feb 5 in Seoul; a date-only Feb 5 agrees.
    assert run(check_published, arxiv_published("2026-02-04T18:00:00Z"),
               obs(2, Source.DIGEST, published=dt.date(2026, 2, 5)),
               obs(3, Source.HUGGINGFACE, published=dt.date(2026, 2, 4))) == []
    # Two date-only values one day apart could be one moment in two time zones.
    assert run(check_published, obs(1, Source.HUGGINGFACE, published=dt.date(2026, 2, 4)),
               obs(2, Source.DIGEST, published=dt.date(2026, 2, 3))) == []


def test_published_one_day_that_no_time_zone_explains_is_warning():
    # 06:00 UTC on Feb 4 is Feb 5 nowhere (UTC+14 makes it 20:00 on Feb 4).
    d = one(run(check_published, arxiv_published("2026-02-04T06:00:00Z"),
                obs(2, Source.DIGEST, published=dt.date(2026, 2, 5))))
    assert (d.kind, d.field, d.severity) == (Kind.PUBLISHED, "published", Severity.WARNING)
    assert "1 day after arxiv.org's v1 date 2026-02-04T06:00:00Z" in d.detail
    assert [v.value for v in d.values] == ["2026-02-04T06:00:00Z", "2026-02-05"]


def test_published_days_apart_is_warning():
    d = one(run(check_published, arxiv_published("2026-02-04T18:00:00Z"),
                obs(2, Source.ARXIVLENS, published=dt.date(2026, 2, 1))))
    assert d.severity == Severity.WARNING and "3 days before" in d.detail


def test_published_date_of_a_later_version_is_info():
    d = one(run(check_published, arxiv_published("2026-02-04T18:00:00Z", updated="2026-02-20T09:30:00Z"),
                obs(2, Source.ARXIVLENS, published=dt.date(2026, 2, 20))))
    assert d.severity == Severity.INFO and "later version" in d.detail


# ---------------------------------------------------------------- abstract

ABSTRACT = ("We teach small models to count fireflies in dark fields. Our pipeline is "
            "cheap.Later stages refine it. Code is at https://example.org/lanterns/code.")


def test_abstract_whitespace_only_is_not_a_discrepancy():
    assert run(check_abstract, obs(1, Source.ARXIV, abstract=ABSTRACT),
               obs(2, Source.HUGGINGFACE, abstract=ABSTRACT.replace(" ", "\n  ", 3))) == []


def test_abstract_placeholder_against_real_link_is_info():
    arxiv_page = ABSTRACT.replace("cheap.Later", "this http URL").replace("https://example.org/lanterns/code",
                                                                        "this https URL")
    d = one(run(check_abstract, obs(1, Source.ARXIV, abstract=arxiv_page),
                obs(2, Source.HUGGINGFACE, abstract=ABSTRACT)))
    assert (d.kind, d.field, d.severity) == (Kind.ABSTRACT, "abstract", Severity.INFO)
    assert "spells out 'cheap.Later', 'https://example.org/lanterns/code'" in d.detail
    assert "placeholder" in d.detail
    d = one(run(check_abstract, obs(1, Source.HUGGINGFACE, abstract=ABSTRACT),
                obs(2, Source.DIGEST, abstract=arxiv_page)))
    assert d.severity == Severity.INFO and "has arXiv's 'this http URL' placeholder" in d.detail


def test_abstract_tex_markup_only_is_the_same_abstract():
    """Issue 11: markup rendered differently is the same text, not a finding."""
    with_tex = ABSTRACT.replace("small models", "\\textbf{small} models")
    assert run(check_abstract, obs(1, Source.ARXIV, abstract=with_tex), obs(2, Source.HUGGINGFACE, abstract=ABSTRACT)) == []


@pytest.mark.parametrize("rendered", ["3.5times fewer", "3.5× fewer", "3.5&times; fewer", "3.5x fewer",
                                      "**3.5×** fewer"])
def test_abstract_times_rendered_any_way_is_the_same_abstract(rendered):
    """Mirrors 2511.00062 in the samples: arXiv's ``3.5$\\times$`` and Hugging Face's
    ``3.5times`` were flagged as different abstracts."""
    arxiv = ABSTRACT + " It needs 3.5$\\times$ fewer steps."
    other = ABSTRACT + f" It needs {rendered} steps."
    assert run(check_abstract, obs(1, Source.ARXIV, abstract=arxiv), obs(2, Source.HUGGINGFACE, abstract=other)) == []


def test_abstract_evidence_quotes_each_sources_own_text():
    arxiv = ABSTRACT + " It needs 3.5$\\times$ fewer steps and 20 lanterns."
    other = ABSTRACT + " It needs 3.5times fewer steps and 90 lanterns."
    d = one(run(check_abstract, obs(1, Source.ARXIV, abstract=arxiv), obs(2, Source.HUGGINGFACE, abstract=other)))
    quoted = d.detail.split("first difference: ", 1)[1]
    mine, theirs = quoted.split(" where arxiv.org's has ")
    mine, theirs = eval(mine), eval(theirs.rstrip(")"))  # noqa: S307 - reprs the check wrote
    assert mine in other and theirs in arxiv  # never a string built by the tool
    assert "9" in mine and "2" in theirs


def test_abstract_placeholder_inside_tex_link_with_arxiv_spacing_is_info():
    arxiv_page = "Fireflies, counted. Code is at \\href{ this https URL }{our page} ."
    hf = "Fireflies, counted. Code is at https://example.org/lanterns{our page}."
    d = one(run(check_abstract, obs(1, Source.HUGGINGFACE, abstract=hf), obs(2, Source.DIGEST, abstract=arxiv_page)))
    assert d.severity == Severity.INFO
    assert "placeholder where huggingface.co's has 'https://example.org/lanterns'" in d.detail


def test_abstract_truncated_is_info():
    d = one(run(check_abstract, obs(1, Source.ARXIV, abstract=ABSTRACT),
                obs(2, Source.DIGEST, abstract=ABSTRACT[:40] + "…")))
    assert d.severity == Severity.INFO and "truncated (40 of" in d.detail


def test_abstract_near_identical_is_info_and_different_is_warning():
    d = one(run(check_abstract, obs(1, Source.ARXIV, abstract=ABSTRACT),
                obs(2, Source.DIGEST, abstract=ABSTRACT.replace("fireflies", "firefiles"))))
    assert d.severity == Severity.INFO and "near-identical" in d.detail and "firefiles" in d.detail
    d = one(run(check_abstract, obs(1, Source.ARXIV, abstract=ABSTRACT),
                obs(2, Source.DIGEST, abstract="A survey of lantern manufacturing in the nineteenth century.")))
    assert d.severity == Severity.WARNING and "different one" in d.detail


def test_abstract_ignores_page_text_and_summaries():
    assert run(check_abstract, obs(1, Source.ARXIV, abstract=ABSTRACT),
               obs(2, Source.DIGEST, summary="Fireflies, counted.", extra={"page_text": "Menu Home About"})) == []


# ---------------------------------------------------------------- stability

def _mixed_paper():
    return [obs(1, Source.ARXIV, title=LONG_TITLE, authors=NAMES, abstract=ABSTRACT,
                published=dt.date(2026, 2, 4), extra={"published_at": "2026-02-04T06:00:00Z"}),
            obs(2, Source.DIGEST, title="Quiet Lanterns", authors=NAMES[:2], abstract=ABSTRACT[:50],
                published=dt.date(2026, 2, 9)),
            obs(3, Source.ARXIVLENS, title=LONG_TITLE.replace("Dark", "Drak"), authors=NAMES[::-1],
                abstract=ABSTRACT.replace("small", "smal"), published=dt.date(2026, 2, 12))]


@pytest.mark.parametrize(("detector", "kind", "field"), [
    (check_title, Kind.TITLE, "title"), (check_authors, Kind.AUTHORS, "authors"),
    (check_published, Kind.PUBLISHED, "published"), (check_abstract, Kind.ABSTRACT, "abstract")])
def test_findings_are_stable_and_disappear_with_their_evidence(detector, kind, field):
    first = one(run(detector, *_mixed_paper()))
    second = one(run(detector, *reversed(_mixed_paper())))
    assert first.id == second.id == discrepancy_id(PAPER, kind, field)
    assert first.model_dump() == second.model_dump()  # same values, same order, same detail
    # The trusted value first, then the others in an order of their own (source, site,
    # time, address), never the order they were given in.
    assert [v.observation_id for v in first.values] == [1, 3, 2]
    fewer = one(run(detector, *_mixed_paper()[:2]))  # one differing observation is gone
    assert fewer.id == first.id and [v.observation_id for v in fewer.values] == [1, 2]
    assert run(detector, _mixed_paper()[0]) == []  # all are gone


# ---------------------------------------------------------------- seeds

def read_seed(prefix: str, doc_id: int, first_obs_id: int):
    path = seed_path(prefix)
    result = read_page(path.resolve().as_uri(), path.read_bytes(), {},
                       mtime=dt.datetime(2026, 3, 1, tzinfo=UTC))
    document = result.document.model_copy(update={"id": doc_id})
    observations = [o.model_copy(update={"id": first_obs_id + i, "document_id": doc_id})
                    for i, o in enumerate(result.observations)]
    return document, observations


@needs_shared
def test_seeds_arxivlens_shows_8_of_438_authors_in_another_order():
    lens_doc, lens_obs = read_seed("001", 1, 100)
    blog_doc, blog_obs = read_seed("004", 2, 200)
    [lens] = lens_obs
    assert len(lens.authors) == 8
    shown = list(reversed(lens.authors))  # arXiv's first 8 are the page's 8, in another order
    everyone = shown + [f"Colleague{i} Example" for i in range(9, 439)]
    prm_abstract = next(o.abstract for o in blog_obs if o.arxiv_id == "2602.04145")
    assert prm_abstract.count("this http URL") == 2
    arxiv_doc = Document(id=3, url="https://export.arxiv.org/api/query?id_list=2602.04705", source=Source.ARXIV,
                         site="arxiv.org", format="test", observed_at=SEEN, observed_at_basis=TimeBasis.RESPONSE,
                         sha256="a" * 64)
    arxiv = Observation(id=300, document_id=3, source=Source.ARXIV, site="arxiv.org", observed_at=SEEN,
                        arxiv_id="2602.04705", arxiv_version=1, title=TITLE, authors=everyone,
                        authors_total=438, published=dt.date(2026, 2, 4),
                        extra={"published_at": "2026-02-04T17:20:00Z"})
    ctx = CheckContext(documents={1: lens_doc, 2: blog_doc, 3: arxiv_doc})
    ernie = [arxiv, lens, *(o for o in blog_obs if o.arxiv_id == "2602.04705")]

    d = one(check_authors(PAPER, ernie, ctx))
    assert d.severity == Severity.INFO
    assert d.detail.startswith("authors differ from arxiv.org's: arxivlens.com shows 8 of 438 authors:")
    assert "first 8, in a different order" in d.detail
    assert [len(v.value) for v in d.values] == [438, 8]  # the blog shows no authors: not a value
    assert [v.source for v in d.values] == [Source.ARXIV, Source.ARXIVLENS]
    # Same title everywhere, ArxivLens's Feb 4 agrees with arXiv's v1 time, and the blog's
    # abstract is ArxivLens's (the trusted one while arXiv's is absent).
    assert check_title(PAPER, ernie, ctx) == []
    assert check_published(PAPER, ernie, ctx) == []
    assert check_abstract(PAPER, ernie, ctx) == []

    # The PRM abstract: the blog repeats arXiv's page with "this http URL" placeholders;
    # a made-up Hugging Face copy spells out what they stood for.
    spelled = prm_abstract.replace("this http URL", "step.Then", 1).replace("this http URL", "data.To", 1)
    hf = Observation(id=301, document_id=3, source=Source.HUGGINGFACE, site="huggingface.co", observed_at=SEEN,
                     arxiv_id="2602.04145", abstract=spelled)
    prm = [hf, *(o for o in blog_obs if o.arxiv_id == "2602.04145")]
    d = one(check_abstract("arxiv:2602.04145", prm, ctx))
    assert d.severity == Severity.INFO
    assert "has arXiv's 'this http URL' placeholder where huggingface.co's has 'step.Then', 'data.To'" in d.detail


@pytest.mark.parametrize("at, day, agrees", [
    ("2026-02-04T10:30:00Z", dt.date(2026, 2, 5), True),   # 00:30 on Feb 5 at UTC+14 (Kiritimati)
    ("2026-02-04T09:30:00Z", dt.date(2026, 2, 5), False),  # 23:30 on Feb 4 even at UTC+14
    ("2026-02-05T11:30:00Z", dt.date(2026, 2, 4), True),   # 23:30 on Feb 4 at UTC-12
    ("2026-02-05T12:30:00Z", dt.date(2026, 2, 4), False),  # 00:30 on Feb 5 even at UTC-12
])
def test_published_time_zones_reach_from_utc_minus_12_to_utc_plus_14(at, day, agrees):
    """The edges of the real time zones: a date-only value one day off a timestamp agrees
    exactly when some zone from UTC-12:00 to UTC+14:00 puts the timestamp on that day."""
    found = run(check_published, arxiv_published(at), obs(2, Source.DIGEST, published=day))
    assert (found == []) == agrees


def test_title_read_by_inference_only_informs_and_says_whose_reading_it_is():
    """A title a written parser inferred (rule ``inferred:``) is a heuristic read of that
    field: the difference is capped at info, and the reason names the field."""
    digest, doc = obs(2, Source.DIGEST, site="heron", title="Quiet Lanterns Teaching Small Models to Count Moths",
                      extra={"read": {"reader": "digest-heron", "fields": {"title": "inferred:first heading"}}})
    d = one(run(check_title, obs(1, Source.ARXIV, title=LONG_TITLE), (digest, doc)))
    assert d.severity == Severity.INFO
    assert "heron's title is the generic reader's reading (inferred:first heading)" in d.detail


def test_authors_missing_from_a_cut_trusted_list_say_cut_and_are_info():
    d = one(run(check_authors, obs(1, Source.ARXIV, authors=NAMES[:3], authors_total=5),
                obs(2, Source.DIGEST, authors=[*NAMES[:2], "Mallory Smith"])))
    assert d.severity == Severity.INFO
    assert "has 1 name not in arxiv.org's cut list (Mallory Smith)" in d.detail


def test_a_value_is_compared_exactly_when_the_merge_could_take_it():
    """``fields.usable`` asks what ``policy.pick(field, [obs]) is obs`` asks, without a list
    per source: the same answer for every field, source and kind of value."""
    from reconcile import policy
    from reconcile.checks.fields import usable

    at = dt.datetime(2026, 2, 5, 9, tzinfo=dt.timezone.utc)
    docs = {1: Document(id=1, url="https://a.example/1", source="digest", format="t", observed_at=at,
                        observed_at_basis="response", sha256="0" * 64, mojibake=True),
            2: Document(id=2, url="https://a.example/2", source="digest", format="t", observed_at=at,
                        observed_at_basis="response", sha256="1" * 64, mojibake=True, repair="mac_roman")}
    values = {"title": ["Quiet Lanterns for Counting Fireflies", "", "Upvote 34"],
              "organization": ["Harbour Lab", "·438 authors2", None], "authors": [["Ada Lovelace"], []],
              "abstract": ["We count fireflies.", None], "upvotes": [12, 0, None], "rank": [3, None]}
    seen = {True: 0, False: 0}
    for field, options in values.items():
        for source in Source:
            for value in options:
                for doc in (None, 1, 2):
                    for extra in ({}, {"mention": True}, {"rank_basis": "upvotes"}):
                        obs = Observation(source=source, document_id=doc, extra=extra, **{field: value})
                        expected = not extra.get("mention") and policy.pick(field, [obs], docs) is obs
                        assert usable(obs, field, docs) is expected, (field, source, value, doc, extra)
                        seen[expected] += 1
    assert seen[True] and seen[False]


def test_an_rss_replacement_of_a_numbered_version_dates_it_by_its_announcement():
    """arXiv's RSS item names v2 and says "replace", with no updated time: v2 is public from
    the evening before its announcement day, and a title seen a week before is v1's."""
    new = {"title": LONG_TITLE, "arxiv_version": 2, "listed_on": dt.date(2026, 2, 12),
           "extra": {"announce_type": "replace"}}
    d = one(run(check_title, obs(1, Source.ARXIV, **new),
                obs(2, Source.HUGGINGFACE, title="Counting Fireflies with Tiny Models")))
    assert d.severity == Severity.INFO and "before arXiv's v2 of 2026-02-11T00:00:00Z" in d.detail


def test_a_difference_of_an_item_linked_by_a_close_title_is_info():
    """A digest item without an id that the matcher linked by a close title ("Learning to
    Play ..." to "Learning to Plan ...") may be another paper: its title, abstract and
    counts were warned on as the paper's, though the difference is evidence against the
    link itself. An exact title, or an id, is a link, not a guess."""
    arxiv = obs(1, Source.ARXIV, title="Learning to Plan with Made-Up Models",
                abstract="We plan with made-up models and count every step they take.")
    item = obs(2, Source.DIGEST, site="blog", title="Learning to Play with Made-Up Models",
               abstract="Another paper altogether: made-up models that play board games.")
    observations = [o for o, _ in (arxiv, item)]
    documents = {d.id: d for _, d in (arxiv, item)}
    close = {2: ("title", 99.3, "title similarity 97; dates 2 day(s) apart")}
    for detector in (check_title, check_abstract):
        [found] = detector(PAPER, observations, CheckContext(documents, links=close))
        assert found.severity == Severity.INFO
        assert "digest/blog is linked by a title that is not exactly the paper's (score 99.3)" in found.detail
        [warned] = detector(PAPER, observations, CheckContext(documents, links={2: ("arxiv_id", 100, "arXiv id")}))
        assert warned.severity == Severity.WARNING
    exact = {2: ("title", 100, "same normalized title; dates 2 day(s) apart")}
    assert one(run(check_title, arxiv, item)).severity == Severity.WARNING
    assert check_title(PAPER, observations, CheckContext(documents, links=exact))[0].severity == Severity.WARNING
