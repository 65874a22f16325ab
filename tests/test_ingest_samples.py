"""``reconcile ingest`` over every arXiv and Hugging Face sample: detected, or forced with --as."""

from __future__ import annotations

import sqlite_utils
from click.testing import CliRunner

from reconcile.cli import cli

from .support import SHARED, needs_shared

ARXIV_DIRS = ("arxiv-api", "arxiv-rss", "arxiv-oai-pmh")
HF_DIRS = ("hf-daily-papers-api", "hf-papers-html")


def _ingest(tmp_path, *args):
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["ingest", *args, "--db", str(db)])
    return result, sqlite_utils.Database(db)


@needs_shared
def test_detected_formats(tmp_path):
    samples = SHARED / "samples"
    result, db = _ingest(tmp_path, *(str(samples / d) for d in ARXIV_DIRS + HF_DIRS))
    assert result.exit_code == 0, result.output
    files = [p for d in ARXIV_DIRS + HF_DIRS for p in (samples / d).rglob("*") if p.is_file()]
    rejects = sorted((r["url"].rsplit("/", 1)[-1], r["reason"]) for r in db["rejects"].rows)
    # 0808.05394 has five digits before 2015: not an id by arXiv's scheme (and arXiv has no
    # entry for it), so the answers asking for it are told so under their own address.
    assert rejects == [
        ("STRUCTURE_NOTES.md", rejects[0][1]),
        ("id_0000.0000_s0_m100_8b51d9633a68.xml", "arXiv returned no entry for '0000.0000' (not an arXiv id)"),
        ("id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml",
         "arXiv returned no entry for '0808.05394' (not an arXiv id)"),
        ("id_0808.05394_s0_m100_7b0c7d0a7cdd.xml", "arXiv returned no entry for '0808.05394' (not an arXiv id)"),
        ("id_abc_s0_m100_b79c8dcf6bc3.xml", "arXiv API error: incorrect id format for abc"),
    ]
    assert rejects[0][1].startswith("not a known format")
    formats = {r["format"]: r["n"] for r in db.query("select format, count(*) n from documents group by format")}
    assert formats["arxiv-api"] == 27 and formats["arxiv-rss"] == 2 and formats["arxiv-oai-pmh"] == 1
    assert formats["huggingface-daily-papers"] == len(list((samples / "hf-daily-papers-api").rglob("*.json")))
    assert formats["huggingface-paper-markdown"] == 1
    assert db["documents"].count == len(files) - 2


@needs_shared
def test_forced_source(tmp_path):
    samples = SHARED / "samples"
    result, db = _ingest(tmp_path, *(str(samples / d) for d in ARXIV_DIRS), "--as", "arxiv")
    assert result.exit_code == 0, result.output
    assert {r["source"] for r in db["documents"].rows} == {"arxiv"}
    # A Hugging Face file read "as arxiv" is refused, not guessed.
    day = next((samples / "hf-daily-papers-api").rglob("*.json"))
    result, db = _ingest(tmp_path, str(day), "--as", "arxiv")
    assert result.exit_code == 2 and "not a known arxiv format" in result.output
