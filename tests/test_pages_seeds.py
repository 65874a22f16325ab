"""Each seed document of 2026-02-05 read through ``read_page``: the facts it states.

The seeds are read from ../shared at run time; facts (ids, titles, counts) are asserted
here, never their prose.
"""

from __future__ import annotations

import datetime as dt

import pytest

from reconcile.models import Source, TimeBasis
from scrapers.pages import PageError, read_page

from .support import seed_path

MTIME = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
DAY = dt.date(2026, 2, 5)


def read_seed(prefix: str):
    path = seed_path(prefix)
    return read_page(path.resolve().as_uri(), path.read_bytes(), {}, mtime=MTIME)


def test_quiz_digest_000():
    result = read_seed("000")
    assert result.document.format == "digest-quiz"
    assert result.document.source == Source.DIGEST
    obs = result.observations
    assert [(o.rank, o.arxiv_id) for o in obs] == [(1, "2602.04705"), (2, "2602.04634"), (3, "2602.04804")]
    assert obs[0].title == "ERNIE 5.0 Technical Report"
    assert obs[1].title.startswith("WideSeek-R1: Exploring Width Scaling")
    assert {o.published for o in obs} == {dt.date(2026, 2, 4)}
    assert {o.listed_on for o in obs} == {DAY}
    assert all(o.source == Source.DIGEST and o.upvotes is None for o in obs)
    assert "170×" in obs[1].summary  # the number the numeric_claim check will compare
    assert {o.extra["rank_basis"] for o in obs} == {"position"}
    # No capture or publication time in the file: its modification time, said as such.
    assert (result.document.observed_at, result.document.observed_at_basis) == (MTIME, TimeBasis.FILE_MTIME)


def test_arxivlens_page_001():
    result = read_seed("001")
    assert result.document.source == Source.ARXIVLENS
    [obs] = result.observations
    assert obs.source == Source.ARXIVLENS
    assert obs.arxiv_id == "2602.04705"
    assert obs.title == "ERNIE 5.0 Technical Report"
    assert len(obs.authors) == 8
    assert obs.authors[0] == "Baoshan Yang" and obs.authors[-1] == "Bo Cui"
    assert obs.published == dt.date(2026, 2, 4)
    assert obs.extra["categories"] == ["cs.CL"]
    assert obs.abstract and obs.abstract.startswith("In this report, we introduce ERNIE 5.0")
    assert obs.summary  # the one-line synthesis
    assert len(obs.extra["key_findings"]) == 7
    assert "Methodology" in obs.extra["key_findings"]
    assert len(obs.extra["quick_answers"]) == 4


def test_newsletter_002_titles_and_mention():
    result = read_seed("002")
    obs = result.observations
    assert [o.rank for o in obs] == [1, 2, 3, 4]
    assert [o.title for o in obs] == [
        "ERNIE 5.0 Technical Report", None,
        "Rethinking the Trust Region in LLM Reinforcement Learning",
        "Training Data Efficiency in Multimodal Process Reward Models",
    ]
    mention = obs[1]
    assert mention.extra["mention"] is True
    assert mention.extra["mentioned_as"] == "WideSeek-R1"
    assert "167x" in mention.summary
    assert all(o.arxiv_id is None and o.listed_on is None for o in obs)


def test_korean_top5_003():
    result = read_seed("003")
    assert result.document.replacement_chars == 5
    assert not result.document.mojibake
    obs = result.observations
    assert [(o.rank, o.arxiv_id, o.upvotes) for o in obs] == [
        (1, "2602.04705", 194), (2, "2602.03152", 99), (3, "2602.04145", 70),
        (4, "2602.04634", 69), (5, "2602.04804", 40)]
    assert obs[1].title == "FASA: Frequency-aware Sparse Attention"
    assert {o.listed_on for o in obs} == {DAY}
    assert sum(o.extra.get("replacement_chars", 0) for o in obs) == 5
    assert {o.extra["rank_basis"] for o in obs} == {"upvotes"}


def test_jekyll_post_004_is_repaired_and_read():
    result = read_seed("004")
    doc = result.document
    assert doc.mojibake and doc.repair == "roundtrip:mac_roman"
    assert doc.repair_sample["before"] != doc.repair_sample["after"]
    # The post's date is a publication time (09:15 KST), not a capture time.
    assert doc.observed_at == dt.datetime(2026, 2, 5, 0, 15, tzinfo=dt.timezone.utc)
    assert doc.observed_at_basis == TimeBasis.PUBLISHED
    assert doc.site == "lim4349"
    obs = result.observations
    assert len(obs) == 10
    assert [o.upvotes for o in obs] == [190, 97, 61, 61, 38, 32, 29, 29, 28, 28]
    assert [o.rank for o in obs] == list(range(1, 11))
    assert obs[0].arxiv_id == "2602.04705" and obs[2].arxiv_id == "2602.04634"
    assert obs[3].title == "Training Data Efficiency in Multimodal Process Reward Models"
    assert obs[0].organization == "·438 authors2"  # kept as stated; judged by the checks
    assert obs[2].organization == "RLinf2.37k2"
    assert all("Ã" not in (o.title or "") and "Ï" not in (o.title or "") for o in obs)
    assert {o.listed_on for o in obs} == {DAY}


def test_format_is_detected_not_guessed(tmp_path):
    with pytest.raises(PageError, match="not a known format"):
        read_page("file:///x.txt", b"just some words\nwith no papers in them\n", {}, mtime=MTIME)
    with pytest.raises(PageError, match="not a known huggingface format"):
        read_page("file:///x.txt", seed_path("000").read_bytes(), {}, source=Source.HUGGINGFACE, mtime=MTIME)


def test_forced_source_reads_seed_as_digest():
    result = read_page("file:///x.md", seed_path("003").read_bytes(), {}, source=Source.DIGEST, mtime=MTIME)
    assert result.document.format == "digest-top-list"
