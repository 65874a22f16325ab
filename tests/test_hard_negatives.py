"""Hard negatives of the matcher (``cases/hard_negatives.json``): titles close to, or a prefix
of, another paper's title that name a different paper. Each pair is a test: the paper alone
is indexed and the id-less digest observation must not link to it. Known failures carry an
``xfail`` reason and run strict, so a fix makes them fail until the reason is removed.

The real pairs are checked against the Hugging Face samples at run time (both titles are
what the samples state for two different ids).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reconcile.match import TitleIndex
from reconcile.models import Observation, Source

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
