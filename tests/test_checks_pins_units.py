"""Exact pins of detector rules that other tests leave loose.

- abstract: "and N more" after three placeholder stand-ins, and the words for a placeholder
  that stands for another placeholder; differing values of one field that share a phrase
  stay separate phrases (grouped by value);
- authors: a trusted list marked cut by ``extra['authors_truncated']`` alone;
- numeric_claim: which short words count as content words when a claim's head is chosen;
- mojibake: a repair of several round trips names each step;
- garbage_field: a digest's clean value is credited to its site ("a digest" without one);
- missing: the field, document and per-day id of findings, the order of complete lists
  with an unknown time, and the end of a day in a configured time zone;
- quirks: every folded group's per-paper findings are deleted, not only the last group's;
- rank: two captures of one site stamped alike are told apart by document address;
- title: both titles' scripts are judged with the configured share.

Paper ids (3105 range), sites, names and text are made up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from reconcile.checks.abstracts import check_abstract
from reconcile.checks.authors import check_authors
from reconcile.checks.base import CheckContext
from reconcile.checks.claims import extract_claims
from reconcile.checks.encoding import check_mojibake
from reconcile.checks.garbage import check_garbage
from reconcile.checks.missing import DayList, build_day_lists, check_missing, day_end
from reconcile.checks.quirks import QuirkConfig, fold
from reconcile.checks.rank import SETTLE, check_rank
from reconcile.checks.titles import check_title
from reconcile.config import DEFAULTS, ReconcileConfig
from reconcile.models import Document, Kind, Observation, Severity, Source, TimeBasis

from .test_checks_missing import D, at, doc
from .test_checks_missing_units import BLOG, OTHERS, P, ctx_with, hf_list, listing
from .test_checks_quirks import finding
from .test_checks_rank_evidence import PAPER as RANKED, item, ranked

UTC = dt.timezone.utc
SEEN = dt.datetime(2031, 5, 6, 14, 0, tzinfo=UTC)
PAPER = "arxiv:3105.00061"


def seen(oid: int, source: Source, site: str | None, **fields) -> Observation:
    """An observation of paper 3105.00061 from ``site`` (no document)."""
    return Observation(id=oid, source=source, site=site, observed_at=SEEN, arxiv_id="3105.00061", **fields)


def detail_of(detector, *observations: Observation, ctx: CheckContext | None = None) -> tuple[Severity, str]:
    [found] = detector(PAPER, list(observations), ctx or CheckContext({}))
    return found.severity, found.detail


# ---------------------------------------------------------------- abstract

def test_placeholders_standing_for_four_words_name_three_and_count_the_fourth():
    # Rule: the words a placeholder stands for are quoted up to three, then "and N more".
    links = ["https://a.example/one", "https://b.example/two", "https://c.example/three", "https://d.example/four"]
    spelled = "Lantern code is at {} and {}, data at {}, and demos at {} for all."
    hf = seen(1, Source.HUGGINGFACE, "huggingface.co", abstract=spelled.format(*links))
    page = seen(2, Source.DIGEST, "heron.example", abstract=spelled.format(*["this http URL"] * 4))
    assert detail_of(check_abstract, hf, page) == (Severity.INFO, (
        "abstract differs from huggingface.co's: heron.example has arXiv's 'this http URL' placeholder where "
        "huggingface.co's has 'https://a.example/one', 'https://b.example/two', 'https://c.example/three' "
        "and 1 more"))
    # Three stand-ins are all named, with nothing counted.
    three = "Lantern code is at {} and {}, data at {} for all."
    hf = hf.model_copy(update={"abstract": three.format(*links[:3])})
    page = page.model_copy(update={"abstract": three.format(*["this http URL"] * 3)})
    assert detail_of(check_abstract, hf, page)[1] == (
        "abstract differs from huggingface.co's: heron.example has arXiv's 'this http URL' placeholder where "
        "huggingface.co's has 'https://a.example/one', 'https://b.example/two', 'https://c.example/three'")


def test_a_placeholder_against_another_placeholder_says_the_trusted_one_has_a_placeholder_too():
    # Rule: when each placeholder stands for a placeholder, nothing is quoted: "a placeholder too".
    arxiv = seen(1, Source.ARXIV, "arxiv.org", abstract="Firefly counts are at this https URL for everyone.")
    copy = seen(2, Source.DIGEST, "heron.example", abstract="Firefly counts are at this http URL for everyone.")
    assert detail_of(check_abstract, arxiv, copy) == (Severity.INFO, (
        "abstract differs from arxiv.org's: heron.example has arXiv's 'this http URL' placeholder where "
        "arxiv.org's has a placeholder too"))


def test_different_values_with_the_same_phrase_are_separate_phrases():
    # Rule: findings are grouped by value, so two different cut abstracts that happen to get
    # the same phrase are two phrases, each naming its own source.
    full = "We count fireflies with small lantern models in fields at night, cheaply and well."
    arxiv = seen(1, Source.ARXIV, "arxiv.org", abstract=full)
    heron = seen(2, Source.DIGEST, "heron.example", abstract=full[:40] + "…")
    wren = seen(3, Source.DIGEST, "wren.example", abstract=full[:40] + " ...")
    cut = f"has it truncated (40 of {len(full)} characters)"
    assert detail_of(check_abstract, arxiv, heron, wren) == (
        Severity.INFO, f"abstract differs from arxiv.org's: heron.example {cut}; wren.example {cut}")
    # The same value from two sites is one phrase naming both.
    wren = wren.model_copy(update={"abstract": heron.abstract})
    assert detail_of(check_abstract, arxiv, heron, wren)[1] == (
        f"abstract differs from arxiv.org's: heron.example, wren.example {cut}")


# ---------------------------------------------------------------- authors

def test_a_trusted_list_marked_truncated_is_cut_even_without_a_stated_total():
    # Rule: extra['authors_truncated'] alone makes the trusted list cut, so a name absent
    # from it proves nothing (info, "cut list").
    lens = seen(1, Source.ARXIVLENS, "arxivlens.com", authors=["Ada Quill", "Bo Rennet"],
                extra={"authors_truncated": True})
    post = seen(2, Source.DIGEST, "heron.example", authors=["Ada Quill", "Cy Marlow"])
    assert detail_of(check_authors, lens, post) == (
        Severity.INFO, "authors differ from arxivlens.com's: heron.example has 1 name not in arxivlens.com's "
                       "cut list (Cy Marlow)")
    # Unmarked, the same absence is a warning.
    unmarked = lens.model_copy(update={"extra": {}})
    assert detail_of(check_authors, unmarked, post) == (
        Severity.WARNING, "authors differ from arxivlens.com's: heron.example has 1 name not in arxivlens.com's "
                          "list (Cy Marlow)")


# ---------------------------------------------------------------- numeric_claim

def test_short_ascii_words_are_not_content_words_but_short_non_ascii_words_are():
    # Rule: a content word has more than two letters, unless it is not ASCII (CJK words are short).
    assert [c.key for c in extract_claims("ToyNet gives a 40% IO speedup.")] == [("%", "speedup")]
    assert [c.key for c in extract_claims("ToyNet 显存 减少 40%")] == [("%", "减少")]


# ---------------------------------------------------------------- mojibake

def test_a_repair_of_two_round_trips_names_each_step():
    # Rule: a repair method is steps joined by ">", each described in turn.
    document = Document(id=1, url="https://heron.example/1", source=Source.DIGEST, site="heron.example",
                        format="test", observed_at=SEEN, observed_at_basis=TimeBasis.STATED_CAPTURE,
                        sha256=hashlib.sha256(b"1").hexdigest(), mojibake=True,
                        repair="roundtrip:sloppy-windows-1252>roundtrip:mac_roman")
    observation = seen(1, Source.DIGEST, "heron.example", document_id=1)
    [found] = check_mojibake(PAPER, [observation], CheckContext({1: document}))
    assert found.detail == (
        "https://heron.example/1: UTF-8 text decoded as Windows-1252, repaired exactly by re-encoding the whole "
        "document; then UTF-8 text decoded as Mac Roman, repaired exactly by re-encoding the whole document; "
        "in a document that carries 1 paper: 3105.00061")


# ---------------------------------------------------------------- garbage_field

def test_a_digests_clean_value_is_credited_to_its_site_or_to_a_digest():
    # Rule: the clean value another source gives is named with its source; for a digest, its
    # site, else "a digest".
    glued = seen(1, Source.DIGEST, "heron.example", organization="Wrenworks4.1k3")
    clean = seen(2, Source.DIGEST, "kestrel.example", organization="Wrenworks")
    assert detail_of(check_garbage, glued, clean)[1] == (
        "organization 'Wrenworks4.1k3' has page counters glued on ('4.1k3'): probably 'Wrenworks' (kestrel.example)")
    anonymous = clean.model_copy(update={"site": None})
    assert detail_of(check_garbage, glued, anonymous)[1] == (
        "organization 'Wrenworks4.1k3' has page counters glued on ('4.1k3'): probably 'Wrenworks' (a digest)")


# ---------------------------------------------------------------- missing

def test_a_missing_finding_points_at_the_listing_document_and_field():
    # Rule: the finding is filed on the observation (and document) of the first other list.
    [found] = check_missing(P, [listing(10, BLOG)], ctx_with(hf_list(100, OTHERS, at(20))))
    assert (found.kind, found.field, found.document_id, found.observation_id) == (Kind.MISSING, "listed_on", 1, 10)


def test_missing_findings_of_two_days_have_their_own_ids():
    # Rule: a paper missing on two days makes two findings, each with an id of its own day.
    next_day = D + dt.timedelta(days=1)
    later_blog = doc(2, "digest-daily-json", at(14, 25, next_day))
    ctx = ctx_with(hf_list(100, OTHERS, at(20)), hf_list(101, OTHERS, at(20, day=next_day), day=next_day),
                   documents=(BLOG, later_blog))
    both = check_missing(P, [listing(10, BLOG), listing(11, later_blog, day=next_day)], ctx)
    assert [(f.document_id, f.field) for f in both] == [(1, "listed_on"), (2, "listed_on")]
    assert len({f.id for f in both}) == 2
    # Each day's id is stable: the same as when that day is checked alone.
    [alone] = check_missing(P, [listing(10, BLOG)], ctx)
    assert alone.id == both[0].id


def test_a_paper_dropped_from_a_later_complete_list_is_a_finding_on_listed_on():
    # Rule: on an earlier capture of the day's complete list and gone from a later one: dropped.
    early, late = hf_list(100, OTHERS | {P}, at(8)), hf_list(101, OTHERS, at(20))
    [found] = check_missing(P, [listing(10, BLOG)], ctx_with(early, late))
    assert (found.kind, found.field, found.document_id, found.severity) == (
        Kind.MISSING, "listed_on", 101, Severity.WARNING)
    assert found.detail == ("on huggingface.co's complete list of 2026-02-05 captured 2026-02-05T08:00:00Z and gone "
                            "from huggingface.co's list of 2026-02-05 captured later (2026-02-05T20:00:00Z): dropped")


def test_a_complete_list_with_an_unknown_time_counts_as_the_earliest():
    # Rule: complete lists are ordered earliest first, unknown times first, so the latest
    # list (the one a missing paper is held against) is one with a known time.
    undated = DayList(D, 99, Source.HUGGINGFACE, "hf-mirror.example", frozenset({"arxiv:3105.09997"}), None, None,
                      True, "https://hf-mirror.example/daily")
    [found] = check_missing(P, [listing(10, BLOG)], ctx_with(undated, hf_list(100, OTHERS, at(20))))
    assert found.detail == ("on digest/blog's list of 2026-02-05 (stated capture 2026-02-05T14:25:00Z) but not on "
                            "huggingface.co's complete list of 2026-02-05 (2 papers, response 2026-02-05T20:00:00Z)")


def test_a_day_ends_at_midnight_of_the_sources_configured_time_zone():
    # Rule: a day's end is midnight after it in the source's zone (MissingConfig.day_zones),
    # as a UTC instant; a list captured before then is partial.
    new_york = dataclasses.replace(DEFAULTS.missing, day_zones=(("huggingface", "America/New_York"),))
    assert day_end(D, Source.HUGGINGFACE, new_york) == dt.datetime(2026, 2, 6, 5, 0, tzinfo=UTC)
    assert day_end(D, Source.HUGGINGFACE) == dt.datetime(2026, 2, 6, 0, 0, tzinfo=UTC)
    hf = doc(5, "huggingface-daily-papers", at(2, 0, D + dt.timedelta(days=1)), TimeBasis.RESPONSE,
             url="https://huggingface.co/api/daily_papers?date=2026-02-05", source=Source.HUGGINGFACE,
             site="huggingface.co")
    items = {5: [listing(21, hf, arxiv_id="3105.00021")]}
    [lst] = build_day_lists([hf], items, {21: "arxiv:3105.00021"}, new_york)[D]
    assert (lst.complete, lst.partial) == (
        False, "captured 2026-02-06T02:00:00Z, before 2026-02-05 ended (2026-02-06T05:00:00Z)")
    [lst] = build_day_lists([hf], items, {21: "arxiv:3105.00021"})[D]
    assert (lst.complete, lst.partial) == (True, None)


# ---------------------------------------------------------------- quirks

def test_folding_two_quirks_deletes_the_per_paper_findings_of_both():
    # Rule: every per-paper finding a site finding replaces is deleted, whichever quirk it is.
    counts = [finding(n, f"·{n} authors", "heron") for n in (1, 2, 3)]
    glued = [finding(n, f"Wren Lab{n}", "heron") for n in (4, 5, 6)]
    upserts, deleted, _, _ = fold(counts + glued, [], QuirkConfig(min_papers=3))
    assert len(upserts) == 2
    assert sorted(deleted) == [f"{n:016x}" for n in range(1, 7)]


# ---------------------------------------------------------------- rank

def test_two_captures_of_one_site_stamped_alike_are_told_apart_by_document_address():
    # Rule: of one site's captures with the same time, the one at the later document address
    # is its latest list, whatever its rank.
    def capture(did: int, url: str) -> Document:
        return Document(id=did, url=url, source=Source.DIGEST, site="heron.example", format="test",
                        observed_at=dt.datetime(2031, 5, 6, 3, tzinfo=UTC),
                        observed_at_basis=TimeBasis.STATED_CAPTURE, sha256=hashlib.sha256(url.encode()).hexdigest())
    superseded = capture(1, "https://heron.example/2031-05-06-v1")
    current = capture(2, "https://heron.example/2031-05-06-v2")
    wren = Document(id=3, url="https://wren.example/3", source=Source.DIGEST, site="wren.example", format="test",
                    observed_at=dt.datetime(2031, 5, 6, 14, tzinfo=UTC),
                    observed_at_basis=TimeBasis.STATED_CAPTURE, sha256=hashlib.sha256(b"3").hexdigest())
    observations = [item(10, superseded, 5, 40), item(11, current, 2, 50), item(20, wren, 3, 50)]
    lists = {1: ranked((1, 90, "arxiv:3105.00032"), (2, 80, "arxiv:3105.00033"), (3, 70, "arxiv:3105.00034"),
                       (4, 60, "arxiv:3105.00035"), (5, 40, RANKED)),
             2: ranked((1, 90, "arxiv:3105.00032"), (2, 50, RANKED)),
             3: ranked((1, 90, "arxiv:3105.00032"), (2, 50, "arxiv:3105.00033"), (3, 50, RANKED))}
    ctx = CheckContext({1: superseded, 2: current, 3: wren}, ranked_lists=lists)
    for order in (observations, observations[::-1]):
        [found] = check_rank(RANKED, order, ctx)
        assert found.severity == Severity.INFO
        assert [v.observation_id for v in found.values] == [11, 20]
        assert found.detail == ("lists of 2031-05-06 ranked by upvotes place it differently: "
                                "#2 in heron.example (50 upvotes), "
                                "#3 in wren.example (50 upvotes, tied with 3105.00033); "
                                f"each list's own counts explain its rank. Settled by {SETTLE}")


# ---------------------------------------------------------------- title

def test_both_titles_scripts_are_judged_with_the_configured_share():
    # Rule: a script counts when it holds at least TitleConfig.script_share of a title's
    # letters, for the trusted title as for the other.
    trusted = "Quiet Lanterns 萤火虫计数"  # 13 Latin letters, 5 CJK: CJK holds 28%
    arxiv = seen(1, Source.ARXIV, "arxiv.org", title=trusted)
    post = seen(2, Source.DIGEST, "heron.example", title="Quiet Lanterns")
    assert detail_of(check_title, arxiv, post)[1] == (
        "title differs from arxiv.org's: heron.example has a translation (Latin script, arxiv.org's CJK/Latin): "
        "'Quiet Lanterns'")
    majority = ReconcileConfig(titles=dataclasses.replace(DEFAULTS.titles, script_share=0.4))
    assert detail_of(check_title, arxiv, post, ctx=CheckContext({}, config=majority))[1] == (
        "title differs from arxiv.org's: heron.example has it truncated (14 of 20 characters): 'Quiet Lanterns'")


def test_an_ascii_titles_script_is_the_one_naming_its_letters_gives():
    # Rule: scripts() answers ASCII text without naming each letter; the answer is the one
    # the Unicode names give, for any share (a share above 1 holds no script).
    import unicodedata
    from collections import Counter

    from reconcile.checks.titles import scripts

    def by_name(text: str, share: float) -> frozenset[str]:
        counts = Counter(unicodedata.name(c).split()[0] for c in unicodedata.normalize("NFKC", text) if c.isalpha())
        total = sum(counts.values())
        return frozenset(s for s, n in counts.items() if total and n / total >= share)

    texts = ["Quiet Lanterns: 2 Ways", "1234 -- 5.6", "", "x", "A/B: testing (v2)", "Quiet Lanterns 萤火虫计数",
             "Ｑｕｉｅｔ", "Ωmega Routing"]
    for text in texts:
        for share in (0.05, 0.25, 1.0, 1.5):
            assert scripts(text, share) == by_name(text, share), (text, share)
