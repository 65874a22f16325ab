"""A saved ArxivLens key-findings answer takes its paper's id from the recordings' file name.

The answer states no id, and the bundled recordings keep it as
``arxivlens.com/api/v1/papers/<id>-key-findings.json`` (their manifest lists the URL
``/papers/<id>/key-findings``), so ``reconcile ingest`` of such a file must read that name.
Only that exact form: no id is guessed from any other file name. Answers are made up.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reconcile.cli import cli
from scrapers.pages import PageError
from scrapers.pages.arxivlens_api import FINDINGS_FORMAT

from .support import ROOT, rows

ANSWER = json.dumps({
    "status": "completed", "generatedAt": "2031-04-02T10:00:00Z", "llmModelVersion": "made-up-1",
    "findings": {"methodology": "Counts pebbles on a made-up beach.",
                 "keyResults": ["Pebbles are countable.", "Sand is not."]},
})
LENS = "arxivlens.com/api/v1/papers"


@pytest.mark.parametrize("path, arxiv_id, version", [
    (f"/data/rec/2031-04-02/{LENS}/3104.00077-key-findings.json", "3104.00077", None),
    (f"/data/rec/{LENS}/3104.00077v3-key-findings.json", "3104.00077", 3),
    (f"/data/my%20recordings/{LENS}/3104.00078-key-findings.json", "3104.00078", None),
    ("/data/rec/www.arxivlens.com/api/v1/papers/3104.00079-key-findings.json", "3104.00079", None),
    # crawl --record's own name for it (scrapers.middlewares.recording_name)
    (f"/data/rec/{LENS}/3104.00080/key-findings.json", "3104.00080", None),
])
def test_the_recordings_file_name_gives_the_id(path, arxiv_id, version):
    parsed = FINDINGS_FORMAT.parse(ANSWER, "file://" + path)
    [obs] = parsed.observations
    assert (obs.arxiv_id, obs.arxiv_version) == (arxiv_id, version)
    assert obs.extra["key_findings"]["keyResults"] == ["Pebbles are countable.", "Sand is not."]


@pytest.mark.parametrize("url", [
    "file:///data/rec/3104.00077-key-findings.json",                      # not under an API folder
    "file:///data/rec/arxivlens.com/papers/3104.00077-key-findings.json",  # no api/v1
    f"file:///data/rec/{LENS}/notes-3104.00077-key-findings.json",          # more than the id
    f"file:///data/rec/{LENS}/3104.00077.json",                             # a paper's name
    f"file:///data/rec/{LENS}/3104.00077-key-findings.json.bak",
    f"file:///data/rec/{LENS}/key-findings-3104.00077.json",
    f"file:///data/rec/{LENS}/1234.56789-key-findings.json",                # no such arXiv id
    f"https://example.org/{LENS}/3104.00077-key-findings.json",             # not a saved file
])
def test_no_id_is_guessed_from_other_names(url):
    with pytest.raises(PageError, match="no arXiv id in the answer or its URL"):
        FINDINGS_FORMAT.parse(ANSWER, url)


def test_an_id_the_answer_states_wins_over_the_file_name():
    answer = json.dumps({**json.loads(ANSWER), "paperId": "3104.00099"})
    [obs] = FINDINGS_FORMAT.parse(answer, f"file:///rec/{LENS}/3104.00077-key-findings.json").observations
    assert obs.arxiv_id == "3104.00099"


def test_ingest_of_a_saved_answer_under_the_recordings_name(tmp_path):
    folder = tmp_path / "rec" / LENS
    folder.mkdir(parents=True)
    (folder / "3104.00077-key-findings.json").write_text(ANSWER, encoding="utf-8")
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder / "3104.00077-key-findings.json"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert [(r["source"], r["arxiv_id"]) for r in rows(db, "select source, arxiv_id from observations")] == [
        ("arxivlens", "3104.00077")]


def test_ingest_of_the_bundled_key_findings_recordings(tmp_path):
    papers = ROOT / "scrapers" / "recordings" / "2026-02-05" / LENS
    files = sorted(papers.glob("*-key-findings.json"))
    assert files, papers
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["ingest", *map(str, files), "--db", str(db)])
    assert result.exit_code == 0, result.output
    got = sorted(r["arxiv_id"] for r in rows(db, "select arxiv_id from observations"))
    assert got == sorted(f.name.removesuffix("-key-findings.json") for f in files)
    assert rows(db, "select * from rejects") == []
