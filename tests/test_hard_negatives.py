"""Hard negatives of the matcher (``cases/hard_negatives.json``): titles close to, or a prefix
of, another paper's title that name a different paper. Each pair is a test: the paper alone
is indexed and the id-less digest observation must not link to it. A known failure would
carry an ``xfail`` reason and run strict, so a fix makes it fail until the reason is removed.
Below the cases, the rules that refuse them (:mod:`reconcile.match`), one test each.

The real pairs are checked against the Hugging Face samples at run time (both titles are
what the samples state for two different ids).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reconcile.config import DEFAULT
from reconcile.match import TitleIndex, marks, stops_mid_phrase
from reconcile.models import Observation, Source
from reconcile.text import normalize_title

from .test_match import _sample_titles
from .support import needs_shared

CASES = json.loads((Path(__file__).parent / "cases" / "hard_negatives.json").read_text(encoding="utf-8"))["cases"]


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _param(case: dict):
    marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hard_negative_does_not_link(case):
    paper, seen = case["paper"], case["observation"]
    index = TitleIndex()
    index.add(paper["id"], paper["title"], days=[_day(paper.get("day"))], authors=paper.get("authors", []))
    obs = Observation(source=Source.DIGEST, title=seen["title"], listed_on=_day(seen.get("day")),
                      authors=seen.get("authors", []))
    assert index.match(obs) is None


def test_case_file_is_sound():
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert {c["origin"] for c in CASES} == {"samples", "made"}
    for case in CASES:
        assert case["paper"]["title"] != case["observation"]["title"], case["id"]
        if case["origin"] == "made":
            assert case["paper"]["id"].startswith("arxiv:3105."), case["id"]  # the unused range
        else:
            assert case["observation"]["arxiv_id"] != case["paper"]["id"].removeprefix("arxiv:"), case["id"]


@needs_shared
def test_real_pairs_are_the_samples_titles():
    titles = _sample_titles()
    for case in CASES:
        if case["origin"] == "samples":
            assert titles[case["paper"]["id"]] == case["paper"]["title"], case["id"]
            assert titles["arxiv:" + case["observation"]["arxiv_id"]] == case["observation"]["title"], case["id"]


# -- the rules behind the cases -------------------------------------------------------------

LONG = "Scaling Laws for Neural Language Models of Code"
DAY = dt.date(2031, 5, 6)


def _index(title: str, *, day: dt.date | None = DAY, authors=("Ada Lovelace", "Alan Turing")) -> TitleIndex:
    index = TitleIndex()
    index.add("arxiv:3105.00001", title, days=[day], authors=list(authors))
    return index


def _seen(title: str, *, day: dt.date | None = DAY, authors=()) -> Observation:
    return Observation(source=Source.DIGEST, title=title, listed_on=day, authors=list(authors))


def test_an_unmarked_prefix_links_only_with_a_shared_author_and_a_near_day():
    short = "Scaling Laws for Neural Language Models"
    index = _index(LONG)
    found = index.match(_seen(short, authors=["Alan Turing"]))
    assert found is not None and found.paper_id == "arxiv:3105.00001"
    assert found.detail.startswith("unmarked start of the title (6 words)")
    assert index.match(_seen(short)) is None  # nothing to say it is the same paper
    assert index.match(_seen(short, authors=["Alan Turing"], day=DAY + dt.timedelta(days=30))) is None
    assert index.match(_seen(short, authors=["Grace Hopper"])) is None


@pytest.mark.parametrize("title", ["Scaling Laws for Neural Language Models of", "Scaling Laws for Neural Language Models,",
                                   "Scaling Laws for Neural Language Models -", "Scaling Laws for Neural Language Models o",
                                   "Scaling Laws for Neural Language Models..."])
def test_a_prefix_that_says_it_was_cut_links_without_more_evidence(title):
    found = _index(LONG).match(_seen(title))
    assert found is not None and found.detail.startswith("truncated title")


def test_disjoint_authors_and_far_days_veto_even_an_exact_title():
    title = "Learning Sparse Graph Priors for Molecular Property Prediction"
    index = _index(title)
    far = DAY + dt.timedelta(days=400)
    assert index.match(_seen(title, day=far, authors=["Grace Hopper"])) is None
    # Disjoint authors alone only weigh: an exact title still links.
    assert index.match(_seen(title, authors=["Grace Hopper"])).score == 94.0
    cfg = DEFAULT
    assert cfg.author_penalty + cfg.date_penalty > 100 - cfg.title_accept  # what makes the veto


def test_far_days_veto_an_exact_title_unless_an_author_is_shared():
    """Days farther apart than ``date_far_days`` refuse an exact title when no author says it
    is the same paper (authors unknown or disjoint); a shared author still links it."""
    title = "Learning Sparse Graph Priors for Molecular Property Prediction"
    index = _index(title)
    edge = DAY + dt.timedelta(days=DEFAULT.date_far_days)
    assert index.match(_seen(title, day=edge)).score == 100.0  # not far yet: neither near nor far
    for far in (edge + dt.timedelta(days=1), DAY - dt.timedelta(days=DEFAULT.date_far_days + 1)):
        assert index.match(_seen(title, day=far)) is None
        found = index.match(_seen(title, day=far, authors=["Alan Turing"]))
        assert found is not None and found.score == 100 - DEFAULT.date_penalty + DEFAULT.author_bonus
    assert index.match(_seen(title)).score == 100.0  # no day: no date evidence either way


@pytest.mark.parametrize(("title", "expected"), [
    ("Lumen-Image-2.0-RL Technical Report", {"rl"}),
    ("Routing Tokens Through Sparse Experts, Part II", {"ii"}),
    ("Kestrel-V: Grounded Visual Reasoning", {"v"}),
    ("A Survey of Sparse Experts", set()),  # an article
    ("$\\Sigma$-Mem: An Online Memory", set()),  # a Greek capital may be LaTeX elsewhere
    ("A³-Bench: Memory-Driven Reasoning", set()),  # digits are the numbers rule's
    ("Routing Tokens in LLMs", set()),
    ("ＲＬ Routing", {"rl"}),  # full-width letters are letters
])
def test_marks_are_short_capital_tokens(title, expected):
    assert marks(title) == expected


@pytest.mark.parametrize(("paper", "seen", "links"), [
    ("Are We Judging LLM-as-a-Judge Right?", "Are We Judging LL-as-a-Judge Right?", True),  # a dropped letter
    ("Kestrel-VL: Grounded Visual Reasoning with Sparse Memory",
     "Kestrel-V: Grounded Visual Reasoning with Sparse Memory", False),
    ("Kestrel-VLM: Grounded Visual Reasoning with Sparse Memory",
     "Kestrel-V: Grounded Visual Reasoning with Sparse Memory", False),  # two letters: another word
    ("Routing Tokens Through Sparse Experts, Part I", "Routing Tokens Through Sparse Experts, Part II", False),
    ("Routing Tokens Through Sparse Experts, Part II", "Routing Tokens Through Sparse Experts, Part I", False),
])
def test_a_mark_is_missing_unless_a_letter_was_dropped_from_a_word(paper, seen, links):
    assert (_index(paper).match(_seen(seen)) is not None) is links


def test_a_lower_cased_copy_keeps_its_marks_as_words():
    index = _index("Lumen-Image-2.0-RL Technical Report")
    assert index.match(_seen("lumen-image-2.0-rl technical report")).paper_id == "arxiv:3105.00001"
    assert index.match(_seen("Lumen-Image-2.0-RL Technical Reprot")).paper_id == "arxiv:3105.00001"


@pytest.mark.parametrize(("title", "cut"), [
    ("Scaling Laws for Neural Language Models", False), ("Scaling Laws for Neural Language Models of", True),
    ("Scaling Laws for Neural Language Models:", True), ("Scaling Laws for Neural Language Models –", True),
    ("Scaling Laws for Neural Language Models (", True), ("Scaling Laws for", True), ("", False),
])
def test_stops_mid_phrase(title, cut):
    assert stops_mid_phrase(title, normalize_title(title)) is cut
