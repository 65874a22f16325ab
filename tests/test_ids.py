"""Table-driven tests of arXiv / Hugging Face identifier parsing (cases in cases/ids.json)."""

import json
from pathlib import Path

import pytest

from reconcile.ids import ArxivId, canonical_arxiv_id, find_arxiv_ids, parse_arxiv_id

CASES = json.loads((Path(__file__).parent / "cases" / "ids.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text,canonical,version", CASES["parse"], ids=[c[0] for c in CASES["parse"]])
def test_parse(text, canonical, version):
    parsed = parse_arxiv_id(text)
    assert parsed is not None, text
    assert (parsed.id, parsed.version) == (canonical, version)
    assert canonical_arxiv_id(text) == canonical
    assert parse_arxiv_id(canonical) == ArxivId(canonical)  # the canonical form reads as itself


@pytest.mark.parametrize("text", CASES["reject"])
def test_reject(text):
    assert parse_arxiv_id(text) is None
    with pytest.raises(ValueError, match="not an arXiv identifier"):
        canonical_arxiv_id(text)


@pytest.mark.parametrize("text,ids", CASES["find"], ids=[c[0][:30] for c in CASES["find"]])
def test_find(text, ids):
    assert [a.id for a in find_arxiv_ids(text)] == ids


def test_versioned_form_keeps_its_version_apart():
    assert parse_arxiv_id("2602.04705v2").version == 2 and canonical_arxiv_id("arXiv:2602.04705v2") == "2602.04705"
    assert str(parse_arxiv_id("2602.04705v2")) == "2602.04705v2"
    assert str(parse_arxiv_id("2602.04705")) == "2602.04705"
