"""Exact pins of detector rules left loose by the other check tests (second round).

- abstract: a value that spells out more than three placeholders names three and counts the rest;
- authors: a selection of the trusted list in its order is said so; a one-word trusted name
  is not "J. Name"; a different person sharing a given name is not in the list;
- upvotes: values with a known time come before one with an unknown time, and a digest
  without a site is named "digest";
- mojibake: a document of exactly eight papers names them all, with nothing counted;
- settled-by: the sentence is added once, and only for kinds that have one;
- field detectors: four phrases are all shown with nothing counted; differing values are
  ordered by their own keys (an observation without an id first); two different values with
  the same phrase stay two phrases;
- garbage_field: another source's furniture is not "the organization" it names;
- missing: the field of a "complete lists disagree" finding; a list document without
  observations is an empty list; a list's address is its first page's; a paper seen only on
  a partial list of a complete-list format is not a lister; a source without a configured
  zone ends its day at UTC midnight;
- quirks: a site's quirk id depends on field and class; a clean value of another source
  is not counted as the site's furniture;
- rank: ranks of observations without documents are compared (no address to tell by); of
  one site's captures stamped alike, the later document address is the site's list.

Paper ids (3105 range), sites, names and text are made up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from reconcile.checks.abstracts import check_abstract
from reconcile.checks.authors import check_authors
from reconcile.checks.base import CheckContext
from reconcile.checks.counts import SETTLE as COUNT_SETTLE, check_upvotes
from reconcile.checks.encoding import check_mojibake
from reconcile.checks.evidence import SETTLED_BY, with_settled_by
from reconcile.checks.garbage import check_garbage
from reconcile.checks.missing import DayList, build_day_lists, check_missing, day_end
from reconcile.checks.quirks import QuirkConfig, fold, site_finding_id
from reconcile.checks.rank import SETTLE as RANK_SETTLE, check_rank
from reconcile.checks.titles import check_title
from reconcile.config import DEFAULTS
from reconcile.models import Discrepancy, Document, Kind, Observation, Severity, Source, TimeBasis, Value

from .test_checks_missing import D, at, doc
from .test_checks_missing_units import BLOG, OTHERS, P, ctx_with, listing
from .test_checks_pins_units import PAPER, SEEN, detail_of, seen
from .test_checks_quirks import finding

UTC = dt.timezone.utc


# ---------------------------------------------------------------- abstract

def test_spelling_out_five_placeholders_names_three_and_counts_two():
    # Rule: the words a placeholder stands for are quoted up to three, then "and N more".
    links = [f"https://{c}.example/{c}" for c in "abcde"]
    text = "Lantern code is at {} and {}, data at {}, demos at {} and {} too."
    arxiv = seen(1, Source.ARXIV, "arxiv.org", abstract=text.format(*["this http URL"] * 5))
    post = seen(2, Source.DIGEST, "heron.example", abstract=text.format(*links))
    assert detail_of(check_abstract, arxiv, post) == (Severity.INFO, (
        "abstract differs from arxiv.org's: heron.example spells out 'https://a.example/a', "
        "'https://b.example/b', 'https://c.example/c' and 2 more where arxiv.org's has arXiv's "
        "'this http URL' placeholder"))


# ---------------------------------------------------------------- authors

TRIO = ["Ada Quill", "Bo Rennet", "Cy Marlow"]


def test_a_shorter_list_skipping_a_name_is_a_selection_in_the_same_order():
    # Rule: fewer names that are not the trusted list's first k, in its order: "a selection
    # of the list, in the same order".
    arxiv = seen(1, Source.ARXIV, "arxiv.org", authors=TRIO)
    post = seen(2, Source.DIGEST, "heron.example", authors=["Ada Quill", "Cy Marlow"])
    assert detail_of(check_authors, arxiv, post) == (
        Severity.INFO, "authors differ from arxiv.org's: heron.example shows 2 of 3 authors: "
                       "a selection of the list, in the same order")


def test_an_initial_and_surname_is_not_a_one_word_trusted_name():
    # Rule: "agree up to an initial" needs a given name on both sides; a one-word name has none.
    arxiv = seen(1, Source.ARXIV, "arxiv.org", authors=["Ada Quill", "Wren"])
    post = seen(2, Source.DIGEST, "heron.example", authors=["Ada Quill", "W. Wren"])
    assert detail_of(check_authors, arxiv, post) == (
        Severity.WARNING, "authors differ from arxiv.org's: heron.example has 1 name not in arxiv.org's "
                          "list (W. Wren)")


def test_a_name_sharing_only_the_given_name_is_not_in_the_list():
    # Rule: a shared given name ("Jane Doe" / "Jane Smith") is not the same person.
    arxiv = seen(1, Source.ARXIV, "arxiv.org", authors=["Jane Doe"])
    post = seen(2, Source.DIGEST, "heron.example", authors=["Jane Smith"])
    assert detail_of(check_authors, arxiv, post) == (
        Severity.WARNING, "authors differ from arxiv.org's: heron.example has 1 name not in arxiv.org's "
                          "list (Jane Smith)")


# ---------------------------------------------------------------- upvotes

def test_an_undated_count_comes_after_a_dated_one_and_a_siteless_digest_is_digest():
    # Rule: values are ordered known times first (whatever the input order); a digest
    # without a site is named by its source alone.
    hf = seen(1, Source.HUGGINGFACE, "huggingface.co", upvotes=40, observed_at_basis=TimeBasis.RESPONSE)
    undated = Observation(id=2, source=Source.DIGEST, arxiv_id="3105.00061", upvotes=30)
    for order in ([hf, undated], [undated, hf]):
        [found] = check_upvotes(PAPER, order, CheckContext({}))
        assert [v.observation_id for v in found.values] == [1, 2]
        assert (found.severity, found.detail) == (Severity.INFO, (
            "upvotes differ: 40 (huggingface/huggingface.co, response 2031-05-06T14:00:00Z) and 30 (digest, "
            "unknown time) cannot be ordered in time (info, not warning: digest's time is unknown). "
            f"Settled by {COUNT_SETTLE}"))


# ---------------------------------------------------------------- mojibake

def test_a_document_of_exactly_eight_papers_names_all_and_counts_none():
    # Rule: up to eight papers are named; "and N more" only past eight.
    document = Document(id=1, url="https://heron.example/8", source=Source.DIGEST, site="heron.example",
                        format="test", observed_at=SEEN, observed_at_basis=TimeBasis.STATED_CAPTURE,
                        sha256=hashlib.sha256(b"8").hexdigest(), mojibake=True)
    papers = [f"arxiv:3105.0006{n}" for n in range(1, 9)]
    ctx = CheckContext({1: document}, document_papers={1: papers})
    [found] = check_mojibake(PAPER, [seen(1, Source.DIGEST, "heron.example", document_id=1)], ctx)
    assert found.detail == (
        "https://heron.example/8: it could not be repaired; in a document that carries 8 papers: "
        "3105.00061, 3105.00062, 3105.00063, 3105.00064, 3105.00065, 3105.00066, 3105.00067, 3105.00068")


# ---------------------------------------------------------------- settled by

def test_the_settled_by_sentence_is_added_once_and_only_for_kinds_that_have_one():
    # Rule: a detail that already says "Settled by", or a kind without an entry, is unchanged.
    said = "title differs. Settled by a person"
    assert with_settled_by(said, "title") == said
    assert with_settled_by("upvotes differ: 1 and 2", "upvotes") == "upvotes differ: 1 and 2"
    assert with_settled_by("title differs.", "title") == f"title differs. Settled by {SETTLED_BY['title']}"


# ---------------------------------------------------------------- field detectors

def test_four_phrases_are_all_shown_with_nothing_counted():
    # Rule: at most four phrases are shown; "and N more" only when there are more.
    title = "Quiet Lanterns Count Fireflies at Night"
    arxiv = seen(1, Source.ARXIV, "arxiv.org", title=title)
    cuts = [seen(n, Source.DIGEST, f"site{n}.example", title=title[:10 + 4 * n]) for n in range(2, 6)]
    assert detail_of(check_title, arxiv, *cuts)[1] == (
        "title differs from arxiv.org's: "
        "site2.example has it truncated (18 of 39 characters): 'Quiet Lanterns Cou'; "
        "site3.example has it truncated (22 of 39 characters): 'Quiet Lanterns Count F'; "
        "site4.example has it truncated (26 of 39 characters): 'Quiet Lanterns Count Firef'; "
        "site5.example has it truncated (30 of 39 characters): 'Quiet Lanterns Count Fireflies'")


def test_differing_values_are_ordered_by_their_own_keys_with_no_id_first():
    # Rule: the values follow an order of their own (not of ingest); an observation without
    # an id sorts as id 0.
    title = "Quiet Lanterns Count Fireflies at Night"
    arxiv = seen(1, Source.ARXIV, "arxiv.org", title=title)
    stored = seen(1, Source.DIGEST, "heron.example", title=title[:20])
    unsaved = seen(None, Source.DIGEST, "heron.example", title=title[:25])
    for order in ([arxiv, stored, unsaved], [arxiv, unsaved, stored]):
        [found] = check_title(PAPER, order, CheckContext({}))
        assert [v.value for v in found.values] == [title, title[:25], title[:20]]


def test_two_different_author_lists_with_the_same_phrase_are_two_phrases():
    # Rule: phrases are grouped by value: the same words about different lists stay apart.
    arxiv = seen(1, Source.ARXIV, "arxiv.org", authors=TRIO)
    heron = seen(2, Source.DIGEST, "heron.example", authors=["A. Quill", "Bo Rennet"])
    wren = seen(3, Source.DIGEST, "wren.example", authors=["Ada Quill", "B. Rennet"])
    shows = "shows 2 of 3 authors: arxiv.org's first 2, in the same order"
    assert detail_of(check_authors, arxiv, heron, wren) == (
        Severity.INFO, f"authors differ from arxiv.org's: heron.example {shows}; wren.example {shows}")


# ---------------------------------------------------------------- garbage_field

def test_another_sources_furniture_is_not_named_as_the_organization():
    # Rule: only values that are not furniture count as another source's organization.
    count = seen(1, Source.DIGEST, "heron.example", organization="·12 authors3")
    glued = seen(2, Source.DIGEST, "kestrel.example", organization="Wrenworks4.1k3")
    found = check_garbage(PAPER, [count, glued], CheckContext({}))
    assert [(f.severity, f.detail) for f in found] == [
        (Severity.INFO, "organization 'Wrenworks4.1k3' ends in digits that may be counters glued to the name (page furniture); "
                        "no other source names the organization (info: judged by its shape alone)"),
        (Severity.WARNING, "organization '·12 authors3' is page furniture: an author count (12), "
                           "not an organization")]


# ---------------------------------------------------------------- missing

def test_complete_lists_that_cannot_be_ordered_make_a_finding_on_listed_on():
    # Rule: two complete lists of a day that disagree with no order are a finding on listed_on,
    # filed on the list that lacks the paper.
    carrying = DayList(D, 100, Source.HUGGINGFACE, "huggingface.co", frozenset(OTHERS | {P}), at(20),
                       TimeBasis.RESPONSE, True, "https://huggingface.co/api/daily_papers?date=2026-02-05")
    lacking = dataclasses.replace(carrying, document_id=101, papers=frozenset(OTHERS))
    [found] = check_missing(P, [listing(10, BLOG)], ctx_with(carrying, lacking))
    assert (found.kind, found.field, found.document_id, found.severity) == (
        Kind.MISSING, "listed_on", 101, Severity.WARNING)
    assert found.detail == ("complete lists of 2026-02-05 disagree: huggingface.co's (response 2026-02-05T20:00:00Z) "
                            "carries it, huggingface.co's (response 2026-02-05T20:00:00Z) does not, and their "
                            "times cannot be ordered")


def hf_page(did: int, when: dt.datetime) -> Document:
    return doc(did, "huggingface-daily-papers", when, TimeBasis.RESPONSE,
               url="https://huggingface.co/api/daily_papers?date=2026-02-05", source=Source.HUGGINGFACE,
               site="huggingface.co")


def test_a_list_document_without_observations_is_an_empty_list_at_its_address():
    # Rule: a list document is a list of its day even with no items; a list's url is its
    # (first) document's address.
    empty = hf_page(5, at(2, 0, D + dt.timedelta(days=1)))
    assert build_day_lists([empty], {}, {}) == {D: [DayList(
        D, 5, Source.HUGGINGFACE, "huggingface.co", frozenset(), empty.observed_at, TimeBasis.RESPONSE, True,
        "https://huggingface.co/api/daily_papers?date=2026-02-05", None, frozenset({5}))]}


def test_a_paper_only_on_a_partial_list_of_a_complete_format_is_not_missing():
    # Rule: items of complete-list formats are never the "other list" a missing paper is on.
    morning = hf_page(5, at(8))
    evening = hf_page(6, at(2, 0, D + dt.timedelta(days=1)))
    items = {5: [listing(21, morning)], 6: [listing(22, evening, arxiv_id="3105.09999")]}
    lists = build_day_lists([morning, evening], items, {21: P, 22: "arxiv:3105.09999"})
    assert [(lst.document_id, lst.complete) for lst in lists[D]] == [(5, False), (6, True)]
    ctx = CheckContext(documents={5: morning, 6: evening}, day_lists=lists)
    assert check_missing(P, [listing(21, morning)], ctx) == []


def test_a_source_without_a_configured_zone_ends_its_day_at_utc_midnight():
    # Rule: a source missing from MissingConfig.day_zones keeps UTC days.
    assert day_end(D, Source.DIGEST) == dt.datetime(2026, 2, 6, 0, 0, tzinfo=UTC)
    unzoned = dataclasses.replace(DEFAULTS.missing, day_zones=())
    assert day_end(D, Source.HUGGINGFACE, unzoned) == dt.datetime(2026, 2, 6, 0, 0, tzinfo=UTC)


# ---------------------------------------------------------------- quirks

def test_a_sites_quirks_of_two_classes_or_two_fields_have_ids_of_their_own():
    # Rule: a site's quirk id is made of its sites, field and furniture class, so each
    # (field, class) of one site is a finding of its own, with a stable id.
    counts = [finding(n, f"·{n} authors", "heron") for n in (1, 2, 3)]
    glued = [finding(n, f"Wren Lab{n}", "heron") for n in (4, 5, 6)]
    titled = [d.model_copy(update={"field": "title", "id": f"{n + 10:016x}"})
              for n, d in zip((1, 2, 3), counts)]
    upserts = fold(counts + glued + titled, [], QuirkConfig(min_papers=3)).upserts
    assert sorted((d.field, d.id) for d in upserts) == sorted([
        ("organization", site_finding_id(("heron",), "organization", "an author count")),
        ("organization", site_finding_id(("heron",), "organization", "counters glued to a name")),
        ("title", site_finding_id(("heron",), "title", "an author count"))])
    assert len({d.id for d in upserts}) == 3
    assert site_finding_id(("heron",), "organization", "an author count") != site_finding_id(
        ("heron",), "title", "an author count")


def test_a_clean_value_that_no_furniture_starts_with_is_not_the_sites_furniture():
    # Rule: only furniture values are a finding's garbage; another source's clean name is
    # left out of the quirk, whether or not the furniture begins with it.
    def with_clean(n: int) -> Discrepancy:
        d = finding(n, f"·{n} authors", "heron")
        clean = Value(source=Source.HUGGINGFACE, site="huggingface.co", value="Wrenworks",
                      observed_at=d.values[0].observed_at)
        return d.model_copy(update={"values": [*d.values, clean]})
    [site], _, _, _ = fold([with_clean(n) for n in (1, 2, 3)], [], QuirkConfig(min_papers=3))
    assert site.paper_id == "site:heron"
    assert [v.value for v in site.values] == ["·1 authors", "·2 authors", "·3 authors"]
    assert site.detail.startswith("heron stores page furniture (an author count) as the organization of 3 papers")


# ---------------------------------------------------------------- rank

def test_ranks_of_observations_without_documents_are_compared():
    # Rule: an observation with no document has no address; its site's latest capture is
    # chosen by time alone and the ranks are still compared (no count list: info, since no
    # count contradicts either rank).
    def ranked(oid: int, site: str, rank: int) -> Observation:
        return Observation(id=oid, source=Source.DIGEST, site=site, observed_at=SEEN, arxiv_id="3105.00061",
                           rank=rank, upvotes=50, listed_on=SEEN.date(), extra={"rank_basis": "upvotes"})
    [found] = check_rank(PAPER, [ranked(1, "heron.example", 2), ranked(2, "wren.example", 4)], CheckContext({}))
    assert [v.observation_id for v in found.values] == [1, 2]
    assert (found.severity, found.detail) == (Severity.INFO, (
        "lists of 2031-05-06 ranked by upvotes place it differently: "
        "#2 in heron.example (50 upvotes; the list does not show every count), "
        "#4 in wren.example (50 upvotes; the list does not show every count); the counts cannot tell whether "
        f"they explain it. Settled by {RANK_SETTLE}"))


def test_of_two_captures_stamped_alike_the_later_address_is_the_sites_list():
    # Rule: one site's captures with the same time are told apart by document address
    # (the later one is the site's latest list), not by the rank they give.
    def capture(did: int, site: str, path: str) -> Document:
        return Document(id=did, url=f"https://{site}/{path}", source=Source.DIGEST, site=site, format="test",
                        observed_at=SEEN, observed_at_basis=TimeBasis.STATED_CAPTURE,
                        sha256=hashlib.sha256(path.encode()).hexdigest())

    def ranked(oid: int, document: Document, rank: int) -> Observation:
        return Observation(id=oid, document_id=document.id, source=document.source, site=document.site,
                           observed_at=SEEN, arxiv_id="3105.00061", rank=rank, listed_on=SEEN.date(),
                           extra={"rank_basis": "upvotes"})
    old, new, wren = (capture(1, "heron.example", "b-v1"), capture(2, "heron.example", "b-v2"),
                      capture(3, "wren.example", "a"))
    ctx = CheckContext({1: old, 2: new, 3: wren})
    observations = [ranked(10, old, 6), ranked(11, new, 2), ranked(12, wren, 4)]
    for order in (observations, observations[::-1]):
        [found] = check_rank(PAPER, order, ctx)
        assert [(v.observation_id, v.value) for v in found.values] == [(11, 2), (12, 4)]
