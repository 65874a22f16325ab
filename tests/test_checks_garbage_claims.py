"""The ``garbage_field`` and ``numeric_claim`` detectors: rules, must-not-flag cases, stable
ids, and what they measure on the samples (read from ../shared at run time)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict

import pytest

from reconcile.checks.base import CheckContext
from reconcile.checks.claims import (
    agree,
    check_numeric_claims,
    claim_severity,
    extract_claims,
    relative_difference,
)
from reconcile.checks.garbage import check_garbage, clean_guess, is_page_furniture
from reconcile import policy
from reconcile.config import DEFAULTS

CLAIMS = DEFAULTS.claims
from reconcile.models import Kind, Observation, Severity, Source
from scrapers.files import site_of_path
from scrapers.pages import read_page

from .support import SHARED, needs_shared, seed_path

T0 = dt.datetime(2026, 2, 5, 14, 0, tzinfo=dt.timezone.utc)
CTX = CheckContext(documents={})


def obs(id_: int, source: Source = Source.DIGEST, site: str | None = "blog", **fields) -> Observation:
    return Observation(id=id_, source=source, site=site, observed_at=T0, arxiv_id="2602.00001", **fields)


# --- garbage_field -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "·438 authors2", "·7 authors1", "·15 authors1", "· 12 authors", "438 authors",
    "RLinf2.37k2", "ByteDance1.51k2", "alibaba-inc3", "Xiaomi MiMo1", "University of California, Berkeley1",
    "AMAP-ML819", "Robbyant6081", "The University of Sydney592", "shanghai ailab2", "Qwen3", "NVIDIA1236",
    "AI21691", "Group(TMG)4", "北京某某科技有限公司1", "2.37k", "Upvote 34", "Submitted by someone",
])
def test_organization_furniture_is_flagged(value):
    assert is_page_furniture(value)


@pytest.mark.parametrize("value", [
    "4Paradigm", "01.AI", "Lab 42", "AI21", "Ai2", "LLM360", "Mistral AI_", "Z.ai", "MMLab@NTU",
    "Xi'an Jiaotong University", "台灣大學", "University of California, Irvine ", "shanghai ailab ",
    "Kolors Team, Kuaishou Technology", "", "   ",
])
def test_clean_organizations_are_not_flagged(value):
    assert not is_page_furniture(value)


def test_known_failure_short_acronym_with_a_counter_looks_like_a_name():
    # "SAP" + a badge count has the shape of "AI21": only another source can tell (below).
    assert not is_page_furniture("SAP1")


def test_titles_and_authors_only_lose_ui_labels():
    for title in ("ERNIE 5.0 Technical Report", "Qwen3 Scaling Notes", "Follow the Leader in 3 Steps",
                  "GPT4 Agents for 2026"):
        assert not is_page_furniture(title, "title")
    assert is_page_furniture("Upvote 34 A Made-Up Paper Title", "title")
    assert is_page_furniture("A Made-Up Paper Title Upvote 34", "title")
    assert is_page_furniture("Made-Up Title Submitted by someone on Dec 18", "title")
    assert is_page_furniture("· 12 authors", "authors") and not is_page_furniture("SAM 3D Team", "authors")


@pytest.mark.parametrize("value, others, expected", [
    ("RLinf2.37k2", ["RLinf"], "RLinf"),
    ("alibaba-inc3", ["Alibaba Group", "alibaba-inc"], "alibaba-inc"),
    ("AI21691", ["AI21"], "AI21"),
    ("shanghai ailab2", ["shanghai ailab "], "shanghai ailab"),
    ("Robbyant6081", ["robbyant"], "robbyant"),
    ("Tencent Hunyuan481", ["Tencent", "Tencent Hunyuan"], "Tencent Hunyuan"),  # the longest fit
    ("·438 authors2", ["Baidu", "·438 authors"], None),  # an author count, never an organization
    ("ByteDance Seed32", ["ByteDance"], None),  # "Seed32" is not a counter
    ("Tencent21", ["Tencent2"], None),  # another garbage value is no clean value
    ("Tencent21", [], None),
    ("RLinf", ["RLinf"], None),  # nothing to clean
])
def test_clean_guess(value, others, expected):
    assert clean_guess(value, others) == expected


def test_detector_names_the_clean_value_from_another_source():
    digest = obs(1, organization="RLinf2.37k2")
    hf = obs(2, Source.HUGGINGFACE, "huggingface.co", organization="RLinf", extra={"organization_id": "RLinf"})
    [found] = check_garbage("arxiv:2602.00001", [digest, hf], CTX)
    assert (found.kind, found.field, found.severity) == (Kind.GARBAGE_FIELD, "organization", Severity.WARNING)
    assert "probably 'RLinf' (Hugging Face)" in found.detail
    assert [(v.value, v.source) for v in found.values] == [("RLinf2.37k2", Source.DIGEST),
                                                            ("RLinf", Source.HUGGINGFACE)]
    assert found.observation_id == 1
    # The organization id is a clean value too, named as such.
    only_id = obs(3, Source.HUGGINGFACE, "huggingface.co", extra={"organization_id": "alibaba-inc"})
    [found] = check_garbage("arxiv:2602.00001", [obs(1, organization="alibaba-inc3"), only_id], CTX)
    assert "probably 'alibaba-inc' (Hugging Face organization id)" in found.detail


def test_author_count_is_said_to_be_no_organization():
    digest = obs(1, organization="·438 authors2")
    lens = obs(2, Source.ARXIVLENS, "arxivlens.com", authors=["A. Person"], authors_total=438)
    [found] = check_garbage("arxiv:2602.00001", [digest, lens], CTX)
    assert "an author count (438), not an organization" in found.detail
    assert "ArxivLens lists 438 authors" in found.detail


def test_another_source_catches_what_the_heuristic_cannot():
    assert check_garbage("p", [obs(1, organization="SAP1")], CTX) == []
    hf = obs(2, Source.HUGGINGFACE, "huggingface.co", organization="SAP")
    [found] = check_garbage("p", [obs(1, organization="SAP1"), hf], CTX)
    assert "probably 'SAP'" in found.detail


def test_a_name_hugging_face_states_is_not_furniture_by_its_shape():
    """Hugging Face's API names an organization "Hugging Face H4" (id HuggingFaceH4): its
    value and a digest's copy of it were flagged as counters glued on, and the merged record
    lost its organization. A digest's value beside it with a counter glued on still is."""
    hf = obs(2, Source.HUGGINGFACE, "huggingface.co", organization="Hugging Face H4",
             extra={"organization_id": "HuggingFaceH4"})
    assert check_garbage("p", [obs(1, organization="Hugging Face H4"), hf], CTX) == []
    assert check_garbage("p", [hf], CTX) == []
    assert policy.usable("organization", hf, {}) and policy.pick("organization", [hf], {}) is hf
    [found] = check_garbage("p", [obs(1, organization="Hugging Face H41"), hf], CTX)
    assert "probably 'Hugging Face H4'" in found.detail and found.severity == Severity.WARNING
    # A digest alone still gets the shape's info.
    [alone] = check_garbage("p", [obs(1, organization="Hugging Face H4")], CTX)
    assert alone.severity == Severity.INFO


def test_first_hand_values_are_never_furniture():
    """arXiv's title "Join the Discussion: ..." was flagged as a UI label and the merged title
    left empty; Hugging Face's organizations "360" and "42" were flagged as counts."""
    title = "Join the Discussion: A Made-Up Study of Forum Threads"
    arxiv = obs(1, Source.ARXIV, "arxiv.org", title=title)
    digest = obs(2, title=title)
    assert check_garbage("p", [arxiv, digest], CTX) == []
    assert policy.pick("title", [arxiv, digest], {}) is arxiv
    for name in ("360", "42"):
        hf = obs(3, Source.HUGGINGFACE, "huggingface.co", organization=name)
        assert check_garbage("p", [hf, obs(4, organization=name)], CTX) == []
        assert policy.pick("organization", [hf], {}) is hf
    # A digest's value alone is still judged by its shape.
    [found] = check_garbage("p", [obs(2, title="Join the discussion on Discord")], CTX)
    assert found.field == "title"
    assert not policy.usable("organization", obs(4, organization="42"), {})


def test_clean_values_and_empty_fields_are_not_flagged():
    clean = [obs(1, organization="Xiaomi MiMo", title="A Made-Up Title 2.0"),
             obs(2, Source.HUGGINGFACE, "huggingface.co", organization="Xiaomi MiMo", authors=["SAM 3D Team"]),
             obs(3, organization=None)]
    assert check_garbage("p", clean, CTX) == []


def test_garbage_ids_are_stable_and_findings_go_when_the_value_is_fixed():
    hf = obs(2, Source.HUGGINGFACE, "huggingface.co", organization="RLinf")
    first = check_garbage("p", [obs(1, organization="RLinf2.37k2"), hf], CTX)
    again = check_garbage("p", [hf, obs(7, organization="RLinf2.37k2")], CTX)
    assert [d.id for d in first] == [d.id for d in again] and len(first) == 1
    assert check_garbage("q", [obs(1, organization="RLinf2.37k2"), hf], CTX)[0].id != first[0].id
    # The blog fixes its value: the finding is gone.
    assert check_garbage("p", [obs(1, organization="RLinf"), hf], CTX) == []


def test_seed_004_organizations_are_all_furniture():
    path = seed_path("004")
    result = read_page(path.resolve().as_uri(), path.read_bytes(), {}, mtime=T0)
    observations = [o.model_copy(update={"id": i}) for i, o in enumerate(result.observations, 1)]
    orgs = [o.organization for o in observations]
    assert len(orgs) == 10 and all(is_page_furniture(v) for v in orgs)
    for o in observations:
        [found] = check_garbage(f"arxiv:{o.arxiv_id}", [o], CheckContext({}))
        assert found.field == "organization"
        if o.arxiv_id == "2602.04705":  # ERNIE 5.0: the card's author line
            assert "an author count (438), not an organization" in found.detail


def _lim4349_institutions() -> dict[str, list[str]]:
    """Every non-empty ``institution`` of the lim4349 crawler's daily JSON, by arXiv id."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted((SHARED / "samples" / "blog-lim4349" / "data").glob("*.json")):
        for paper in json.loads(path.read_text(encoding="utf-8"))["papers"]:
            value = (paper.get("institution") or "").strip()
            m = re.search(r"\d{4}\.\d{4,5}", paper.get("url") or "")
            if value:
                found[m[0] if m else path.name].append(value)
    return found


def _hf_organizations() -> dict[str, tuple[str, str]]:
    """arXiv id -> (organization fullname, organization id) of every Hugging Face API sample."""
    found = {}
    for path in (SHARED / "samples" / "hf-daily-papers-api").rglob("*.json"):
        try:
            items = json.loads(path.read_bytes())
        except ValueError:
            continue
        for item in items if isinstance(items, list) else []:
            org = item.get("paper", {}).get("organization") or item.get("organization")
            if org:
                found[item["paper"]["id"]] = (org.get("fullname") or org["name"], org["name"])
    return found


@needs_shared
def test_measured_on_the_lim4349_and_hugging_face_samples():
    lim = _lim4349_institutions()
    values = [v for vs in lim.values() for v in vs]
    flagged = [v for v in values if is_page_furniture(v)]
    # Measured: 499 of the 726 institution values (332 of 461 distinct) are furniture.
    assert (len(values), len(flagged)) == (726, 499)
    assert (len(set(values)), len(set(flagged))) == (461, 332)
    hf = _hf_organizations()
    fullnames = [full for full, _ in hf.values()]
    assert len(fullnames) >= 500
    assert [v for v in fullnames if is_page_furniture(v)] == []  # no Hugging Face name is furniture
    # Where Hugging Face has the same paper, a lim4349 value differs from HF's name exactly
    # when it is flagged, and the guess is HF's name (or id) for every flagged value but one.
    same, guessed, flagged_overlap = 0, 0, 0
    for aid, vs in lim.items():
        if aid not in hf:
            continue
        full, org_id = hf[aid]
        for v in vs:
            assert is_page_furniture(v) == (v != full.strip()), v
            same += 1
            if is_page_furniture(v):
                flagged_overlap += 1
                guessed += clean_guess(v, [full, org_id]) in (full.strip(), org_id)
    assert same == 394 and flagged_overlap == 208
    assert guessed == 207  # the exception: "ByteDance Seed" + a count, where HF says "ByteDance"


# --- numeric_claim -------------------------------------------------------------------------

def _claims(sentence):
    return [(c.text, c.value, c.unit, c.head) for c in extract_claims(sentence)]


def test_claims_are_numbers_with_units_keyed_by_their_head_word():
    assert _claims("The tiny model needs 170× fewer parameters than the big one.") == [
        ("170×", 170.0, "x", "parameter")]
    assert _claims("It keeps 25% of tokens and gets a 2.56x speedup with 4.85M parameters.") == [
        ("25%", 25.0, "%", "token"), ("2.56x", 2.56, "x", "speedup"), ("4.85M", 4.85e6, "n", "parameter")]
    assert _claims("It cuts inference latency by 40 percent.") == [("40 percent", 40.0, "%", "latency")]
    assert _claims("A 10-fold gain over a 2 billion token baseline.")[0][:3] == ("10-fold", 10.0, "x")


def test_numbers_inside_names_are_not_claims():
    assert _claims("Compared with DeepSeek-R1-671B and Qwen2.5-7B-Instruct on an 8 x 8 grid.") == []
    assert _claims("Our SmallNet-4B matches BigNet 671B.") == [("671B", 671e9, "n", "bignet")]


def test_same_number_written_differently_agrees():
    [a], [b] = extract_claims("a 170x gap in parameters"), extract_claims("a 170× gap in parameters")
    assert agree(a, b)
    [a], [b] = extract_claims("reaches 40% accuracy"), extract_claims("reaches 40.0 % accuracy")
    assert agree(a, b)
    [a], [b] = extract_claims("uses 4.85M parameters"), extract_claims("uses 4,850K parameters")
    assert agree(a, b)
    [a], [b] = extract_claims("activates 54% of experts"), extract_claims("activates 53.7% of experts")
    assert agree(a, b)  # one is the other rounded to its own precision
    [a], [b] = extract_claims("a 167x parameter gap"), extract_claims("170x fewer parameters")
    assert not agree(a, b)


def test_severity_thresholds():
    assert claim_severity(relative_difference(167, 170)) == Severity.INFO
    assert claim_severity(0.05) == Severity.WARNING and claim_severity(CLAIMS.warning_max) == Severity.WARNING
    assert claim_severity(0.2) == Severity.ERROR
    assert relative_difference(0, 0) == 0


def _seed_observation(prefix: str, pick):
    path = seed_path(prefix)
    result = read_page(path.resolve().as_uri(), path.read_bytes(), {}, mtime=T0,
                       fallback_site=site_of_path(path))  # as `reconcile ingest` names its site
    return next(o for o in result.observations if pick(o))


def _wideseek():
    quiz = _seed_observation("000", lambda o: o.arxiv_id == "2602.04634").model_copy(update={"id": 1})
    letter = _seed_observation("002", lambda o: o.extra.get("mentioned_as") == "WideSeek-R1")
    return quiz, letter.model_copy(update={"id": 2})


def test_wideseek_167x_against_170x_is_one_info_finding():
    quiz, letter = _wideseek()
    [found] = check_numeric_claims("arxiv:2602.04634", [quiz, letter], CTX)
    assert found.kind == Kind.NUMERIC_CLAIM
    # 671B / 4B = 167.75: "167x" truncates it and "170×" rounds it to two figures, so the
    # sources tell one ratio at different precision, 1.8% apart. That is worth showing (the
    # numbers do differ) but is no error in either: info.
    assert found.severity == Severity.INFO
    assert "170×" in found.detail and "167x" in found.detail and "1.8%" in found.detail
    sentences = [v.value for v in found.values]
    assert len(sentences) == 2 and "170×" in sentences[0] and "167x" in sentences[1]
    assert all(len(s) > 40 for s in sentences)  # whole sentences, not just the numbers
    assert {v.observation_id for v in found.values} == {1, 2}
    # 40.0% item F1 appears in both and agrees; the model sizes are names: nothing else.
    again = check_numeric_claims("arxiv:2602.04634", [letter, quiz], CTX)
    assert [d.id for d in again] == [found.id]


def test_wideseek_finding_disappears_when_the_numbers_agree():
    quiz, letter = _wideseek()
    fixed = letter.model_copy(update={"summary": letter.summary.replace("167x", "170x")})
    assert "170x" in fixed.summary
    assert check_numeric_claims("arxiv:2602.04634", [quiz, fixed], CTX) == []


def _pair(a: str, b: str, kind_a: str = "summary", kind_b: str = "summary"):
    return [obs(1, site="one", **{kind_a: a}), obs(2, site="two", **{kind_b: b})]


@pytest.mark.parametrize("a, b", [
    # different claims: F1 against share of tokens
    ("MadeUpNet reaches 40.0% item F1 on the ToyBench suite.", "MadeUpNet keeps 25% of tokens on ToyBench."),
    # a size as part of a name against the same size alone
    ("MadeUpNet rivals ToyModel-671B on ToyBench.", "MadeUpNet rivals a 671B ToyModel on ToyBench."),
    # the same numbers written differently
    ("MadeUpNet is 170x smaller in parameters than ToyModel.",
     "MadeUpNet is 170× smaller in parameters than ToyModel."),
    ("MadeUpNet scores 40% accuracy on ToyBench.", "MadeUpNet scores 40.0 % accuracy on ToyBench."),
    # same unit and head, nothing else in common: not known to be the same claim
    ("MadeUpNet cuts 30% latency.", "ToyModel saw 45% latency in another setting."),
    # same key, numbers too far apart to be one claim told twice (1K vs 4K resolution)
    ("Earlier models work around 1K resolution for MadeUpNet images.", "MadeUpNet images reach 4K resolution."),
])
def test_numeric_claims_must_not_flag(a, b):
    assert check_numeric_claims("p", _pair(a, b), CTX) == []


def test_two_abstracts_are_left_to_the_abstract_check():
    pair = _pair("MadeUpNet gets 30% more throughput on ToyBench.", "MadeUpNet gets 33% more throughput on ToyBench.",
                 "abstract", "abstract")
    assert check_numeric_claims("p", pair, CTX) == []
    # (31%, not 30%: a round figure the other rounds to only informs, test_session36_fixes.py)
    mixed = _pair("MadeUpNet gets 31% more throughput on ToyBench.", "MadeUpNet gets 34% more throughput on ToyBench.",
                  "abstract", "summary")
    [found] = check_numeric_claims("p", mixed, CTX)
    assert found.severity == Severity.WARNING  # 3 / 34 = 8.8% apart

def test_a_source_with_two_values_for_one_key_is_ambiguous():
    pair = _pair("MadeUpNet uses 3B parameters, and the large MadeUpNet 8B parameters, on ToyBench.",
                 "MadeUpNet uses 7B parameters on ToyBench.")
    assert check_numeric_claims("p", pair, CTX) == []


@pytest.mark.parametrize("a, b, severity", [
    ("MadeUpNet gives a 2.00x speedup on ToyBench.", "MadeUpNet gives a 2.03x speedup on ToyBench.", Severity.INFO),
    ("MadeUpNet gives a 2.0x speedup on ToyBench.", "MadeUpNet gives a 2.1x speedup on ToyBench.", Severity.WARNING),
    ("MadeUpNet gives a 2.0x speedup on ToyBench.", "MadeUpNet gives a 2.6x speedup on ToyBench.", Severity.ERROR),
])
def test_numeric_claim_severity_follows_the_relative_difference(a, b, severity):
    [found] = check_numeric_claims("p", _pair(a, b), CTX)
    assert found.severity == severity and found.field == "summary"
    assert [v.value for v in found.values] == [a, b]


def test_a_decimal_comma_is_no_number_of_its_own():
    """"2,4x" (a decimal comma) was read as "4x" and made a false error against "2.4x"."""
    assert [c.text for c in extract_claims("MadeUpNet decodes 2,4x faster on ToyBench.")] == []
    assert [c.text for c in extract_claims("MadeUpNet uses 1,200,000 tokens and 3,5% of memory.")] == []
    assert check_numeric_claims("p", _pair("MadeUpNet decodes 2,4x faster on ToyBench.",
                                           "MadeUpNet decodes 2.4x faster on ToyBench."), CTX) == []


@pytest.mark.parametrize("a, b", [
    ("The 3B MadeUpNet reaches 61% on ToyBench.", "The 7B MadeUpNet reaches 68% on ToyBench."),
    ("MadeUpNet runs 3.1x faster on ToyBench with A100 GPUs.", "MadeUpNet runs 2.6x faster on ToyBench with consumer GPUs."),
    ("MadeUpNet gains 40% accuracy on ToyBench.", "MadeUpNet reaches 52% accuracy on ToyBench."),
    ("At batch size 1, MadeUpNet gives 1.8x throughput on ToyBench.",
     "At batch size 64, MadeUpNet gives 2.3x throughput on ToyBench."),
])
def test_claims_paired_only_by_shared_words_are_info(a, b):
    """Two sentences that pair by head and context words but say other things (another
    model size, other hardware, a gain against a level, another batch size) were graded by
    the numbers alone, up to error: that they are one claim is a heuristic read."""
    [found] = check_numeric_claims("p", _pair(a, b), CTX)
    assert found.severity == Severity.INFO
    assert "worded differently or state other numbers" in found.detail


def test_one_sentence_told_with_two_numbers_keeps_its_severity():
    same = _pair("MadeUpNet reaches 61% accuracy on ToyBench.", "On ToyBench, MadeUpNet reaches 66% accuracy overall.")
    [found] = check_numeric_claims("p", same, CTX)
    assert found.severity == Severity.WARNING


def test_extra_text_is_compared_too():
    lens = obs(1, Source.ARXIVLENS, "arxivlens.com",
               extra={"key_findings": {"Results": ["MadeUpNet needs 12x less memory on ToyBench."]}})
    digest = obs(2, site="two", summary="On ToyBench, MadeUpNet needs 15x less memory than before.")
    [found] = check_numeric_claims("p", [lens, digest], CTX)
    assert found.severity == Severity.ERROR and "12x" in found.detail and "15x" in found.detail


@pytest.fixture(scope="module")
def sample_papers():
    """Every observation of every sample and seed that reads, grouped by paper (arXiv id;
    the newsletter's WideSeek-R1 mention joins its paper by name)."""
    by_paper: dict[str, list[Observation]] = defaultdict(list)
    n = 0
    files = [p for d in ("samples", "seeds") for p in sorted((SHARED / d).rglob("*")) if p.is_file()]
    for path in files:
        try:
            result = read_page(path.resolve().as_uri(), path.read_bytes(), {}, mtime=T0,
                               fallback_site=site_of_path(path))
        except Exception:  # noqa: BLE001 - notes, provenance and unknown formats
            continue
        for o in result.observations:
            n += 1
            key = o.arxiv_id or ("2602.04634" if o.extra.get("mentioned_as") == "WideSeek-R1" else None)
            if key:
                by_paper[key].append(o.model_copy(update={"id": n}))
    return by_paper


@needs_shared
def test_measured_on_every_sample(sample_papers):
    multi = [p for p, group in sample_papers.items() if len({(o.source, o.site) for o in group}) > 1]
    assert len(sample_papers) >= 1800 and len(multi) >= 1000
    found = [d for pid, group in sample_papers.items() for d in check_numeric_claims(pid, group, CTX)]
    # Over 1,000 papers told by several sources, the one numeric claim that differs is WideSeek-R1's.
    assert [(d.paper_id, d.severity) for d in found] == [("2602.04634", Severity.INFO)]


def test_two_abstracts_are_skipped_but_the_sides_after_them_are_compared():
    sides = [obs(1, site="one", abstract="MadeUpNet gets 30% more throughput on ToyBench."),
             obs(2, site="two", abstract="MadeUpNet gets 30% more throughput on ToyBench."),
             obs(3, site="three", summary="MadeUpNet gets 33% more throughput on ToyBench.")]
    [found] = check_numeric_claims("p", sides, CTX)
    assert "(and 1 more pair)" in found.detail
    assert {v.observation_id for v in found.values} == {1, 2, 3}


def test_a_claim_with_nothing_before_it_and_a_comma_after_takes_the_word_after():
    assert _claims("40%, accuracy on ToyBench.") == [("40%", 40.0, "%", "accuracy")]


@pytest.mark.parametrize("bounded", [
    "MadeUpNet decodes over 2x faster than beam search on ToyBench.",
    "MadeUpNet decodes more than 2x faster than beam search on ToyBench.",
    "MadeUpNet decodes at least 2x faster than beam search on ToyBench.",
    "MadeUpNet decodes >2x faster than beam search on ToyBench.",
    "MadeUpNet decodes up to 4x faster than beam search on ToyBench.",
    "MadeUpNet decodes about 3.3x faster than beam search on ToyBench.",
])
def test_a_bound_the_other_figure_satisfies_is_no_discrepancy(bounded):
    exact = "MadeUpNet decodes 3.1x faster than beam search on ToyBench."
    assert check_numeric_claims("p", _pair(exact, bounded), CTX) == []


def test_a_bound_the_other_figure_breaks_is_info_at_most():
    exact = "MadeUpNet decodes 3.1x faster than beam search on ToyBench."
    [found] = check_numeric_claims("p", _pair(exact, "MadeUpNet decodes up to 2.2x faster than beam search on ToyBench."), CTX)
    assert found.severity == Severity.INFO
    assert '"up to 2.2x" is a bound, not an exact figure' in found.detail and "info, not error" in found.detail


def test_claims_against_different_baselines_are_different_claims():
    # Same unit, head word and paper, but one speed-up is over beam search, the other over
    # speculative decoding: two true claims, not one told twice.
    pair = _pair("On ToyBench, MadeUpNet decodes 3.1x faster than beam search and saves memory.",
                 "MadeUpNet decodes 1.8x faster than speculative decoding on ToyBench.")
    assert check_numeric_claims("p", pair, CTX) == []
    same = _pair("On ToyBench, MadeUpNet decodes 3.1x faster than beam search and saves memory.",
                 "MadeUpNet decodes 2.5x faster than beam search on ToyBench.")
    [found] = check_numeric_claims("p", same, CTX)
    assert found.severity == Severity.ERROR


@pytest.mark.parametrize("one, other", [
    # Different hardware, different metrics: not one claim told twice.
    ("MadeUpNet decodes 2.5x faster than beam search on A100 GPUs.",
     "MadeUpNet decodes 1.8x faster than beam search on H100 GPUs."),
    ("MadeUpNet reaches 81.2% top-1 accuracy on ToyBench.", "MadeUpNet reaches 95.4% top-5 accuracy on ToyBench."),
    # The paper's own size against the size of what it beats.
    ("MadeUpNet, our model with 7B parameters, is trained on ToyCorpus.",
     "MadeUpNet, trained on ToyCorpus, beats a general model with 13B parameters."),
])
def test_claims_qualified_differently_are_not_compared(one, other):
    arxiv = obs(1, Source.ARXIV, "arxiv.org", abstract=one)
    hf = obs(2, Source.HUGGINGFACE, "huggingface.co", summary=other)
    assert check_numeric_claims("p", [arxiv, hf], CTX) == []


def test_a_claim_only_one_side_compares_with_something_named_is_info():
    """"3.1x faster than beam search" and "1.8x faster" may be two comparisons; "than
    before" names nothing, and stays one claim (test_extra_text_is_compared_too)."""
    arxiv = obs(1, Source.ARXIV, "arxiv.org", abstract="MadeUpNet decodes 3.1x faster than beam search on ToyBench.")
    hf = obs(2, Source.HUGGINGFACE, "huggingface.co", summary="MadeUpNet decodes 1.8x faster on ToyBench.")
    [found] = check_numeric_claims("p", [arxiv, hf], CTX)
    assert found.severity == Severity.INFO
    assert "only arxiv.org abstract says what it is compared with" in found.detail
