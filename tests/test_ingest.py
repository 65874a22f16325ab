"""``reconcile ingest``: the five seeds, idempotence, and bad input."""

from __future__ import annotations

import json
import subprocess

import pytest
import sqlite_utils
from click.testing import CliRunner

from reconcile.cli import cli

from .support import SHARED, needs_shared, reconcile_exe, run_reconcile


def ingest(*args):
    return CliRunner().invoke(cli, ["ingest", *args])


@needs_shared
def test_seeds_give_the_papers_ranks_and_counts_they_state(tmp_path):
    db_path = tmp_path / "s.db"
    result = ingest(str(SHARED / "seeds"), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "ingested 5 documents (23 observations)" in result.output
    db = sqlite_utils.Database(db_path)
    rows = list(db.query("select d.format, o.rank, o.arxiv_id, o.upvotes, o.title from observations o "
                         "join documents d on d.id = o.document_id order by o.id"))
    by_format = {}
    for row in rows:
        by_format.setdefault(row["format"], []).append(row)
    assert [(r["rank"], r["arxiv_id"], r["upvotes"]) for r in by_format["digest-top-list"]] == [
        (1, "2602.04705", 194), (2, "2602.03152", 99), (3, "2602.04145", 70), (4, "2602.04634", 69),
        (5, "2602.04804", 40)]
    assert [(r["rank"], r["arxiv_id"], r["upvotes"]) for r in by_format["digest-jekyll-daily"]][:5] == [
        (1, "2602.04705", 190), (2, "2602.03152", 97), (3, "2602.04634", 61), (4, "2602.04145", 61),
        (5, "2602.04804", 38)]
    assert by_format["digest-jekyll-daily"][9]["title"].startswith("TIDE: Trajectory-based Diagnostic")
    assert len(by_format["digest-quiz"]) == 3 and len(by_format["digest-newsletter"]) == 4
    assert len(by_format["arxivlens-page-text"]) == 1
    doc = next(db["documents"].rows_where("format = 'digest-jekyll-daily'"))
    assert (doc["mojibake"], doc["repair"]) == (1, "roundtrip:mac_roman")
    assert doc["url"] == (SHARED / "seeds").resolve().joinpath(
        "004_e862d01582fbee51.txt").as_uri()

    again = ingest(str(SHARED / "seeds"), "--db", str(db_path))
    assert again.exit_code == 0
    assert "ingested 0 documents (0 observations); 5 already stored" in again.output
    assert db["observations"].count == 23 and db["documents"].count == 5


def test_bad_files_are_rejected_one_line_each_and_good_ones_kept(tmp_path):
    good = tmp_path / "in" / "top.md"
    good.parent.mkdir()
    good.write_text("# 2026-02-05 Daily Papers (Top 1)\n\n## 1. [A Made-up Paper](https://huggingface.co/papers/"
                    "2602.00001)\n**Upvotes**: 7\n", encoding="utf-8")
    (tmp_path / "in" / "notes.txt").write_text("nothing about papers here\n", encoding="utf-8")
    (tmp_path / "in" / "cut.json").write_text('[{"paper": {"id": "2602.00002", "title": "x"', encoding="utf-8")
    (tmp_path / "in" / "empty.json").write_text('[{"paper": {"title": "no id"}}]', encoding="utf-8")
    db_path = tmp_path / "x.db"
    result = run_reconcile("ingest", str(tmp_path / "in"), str(tmp_path / "missing.md"), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4 and all(line.startswith("reconcile: skipped ") for line in errors)
    assert "Traceback" not in result.stderr
    assert any("cut.json: not valid JSON" in e for e in errors)
    assert any("notes.txt: not a known format" in e for e in errors)
    assert any("empty.json" in e and "no papers" in e for e in errors)
    assert any("missing.md" in e and "No such file" in e for e in errors)
    db = sqlite_utils.Database(db_path)
    assert db["observations"].count == 1
    rejects = list(db["rejects"].rows)
    assert len(rejects) == 4 and all(r["reason"] and r["at"] for r in rejects)


def test_nothing_readable_exits_2(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here\n", encoding="utf-8")
    result = run_reconcile("ingest", str(tmp_path / "notes.txt"), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == "reconcile: error: nothing could be read"
    assert sqlite_utils.Database(tmp_path / "x.db")["rejects"].count == 1


def test_forced_format_observed_at_and_site(tmp_path):
    path = tmp_path / "day.json"
    path.write_text(json.dumps([{"paper": {"id": "2602.00001", "title": "Made up", "upvotes": 4,
                                           "authors": [], "publishedAt": "2026-02-04T00:00:00.000Z"},
                                 "numComments": 0}]), encoding="utf-8")
    db_path = tmp_path / "x.db"
    result = ingest(path.resolve().as_uri(), "--as", "huggingface", "--observed-at", "2026-02-05T09:00:00+02:00",
                    "--db", str(db_path))
    assert result.exit_code == 0, result.output
    doc = next(sqlite_utils.Database(db_path)["documents"].rows)
    assert (doc["source"], doc["observed_at"], doc["observed_at_basis"]) == (
        "huggingface", "2026-02-05T07:00:00Z", "given")
    bad = ingest(str(path), "--observed-at", "yesterday", "--db", str(db_path))
    assert bad.exit_code == 2 and "expected an ISO 8601 time" in bad.output


def test_an_impossible_date_is_left_empty_and_nothing_is_lost(tmp_path):
    """Issue 13: "Published: Feb 30, 2026" in one file lost the whole batch."""
    from .support import SHARED

    if SHARED is None:
        pytest.skip("../shared is not here")
    quiz = tmp_path / "quiz.txt"
    quiz.write_text((SHARED / "seeds" / "000_3d879ec46469ad72.txt").read_text(encoding="utf-8")
                    .replace("Published: 2026-02-04", "Published: Feb 30, 2026"), encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_bytes((SHARED / "seeds" / "004_e862d01582fbee51.txt").read_bytes())
    db = tmp_path / "p.db"
    done = run_reconcile("ingest", str(good), str(quiz), "--db", str(db))
    assert done.returncode == 0 and "ingested 2 documents" in done.stdout, done.stderr
    rows = list(sqlite_utils.Database(db).query(
        "select o.published from observations o join documents d on d.id = o.document_id "
        "where d.format = 'digest-quiz'"))
    assert rows and all(r["published"] is None for r in rows)


def test_an_item_with_nothing_to_place_it_by_is_a_reject_not_a_forever_new_observation():
    """Issue 13, point 4: such an observation was left unlinked, so every later resolve read
    it as new and rebuilt the whole index."""
    from reconcile.models import Observation, Source
    from scrapers.pages import _drop_unplaceable, placeable
    from scrapers.pages.base import Parsed

    good = Observation(source=Source.DIGEST, title="Heron Counting at Dawn")
    blank = Observation(source=Source.DIGEST, title=" ·· ", rank=4, upvotes=3)
    named = Observation(source=Source.DIGEST, extra={"mention": True, "mentioned_as": "HeronNet"})
    doi = Observation(source=Source.DIGEST, extra={"doi": "10.1234/heron"})
    parsed = Parsed(observations=[good, blank, named, doi])
    _drop_unplaceable(parsed)
    assert parsed.observations == [good, named, doi] and not placeable(blank)
    [problem] = parsed.problems
    assert problem.reason == "item 4 has no arXiv id, DOI, title or name: nothing to place it by"


def test_a_folder_holding_the_database_does_not_read_the_database(tmp_path):
    """``reconcile ingest . --db papers.db`` run twice in a folder of digests: the database
    and its sidecars (the resolve lock here) are the tool's own files, not rejects."""
    (tmp_path / "2031-01-02-picks.md").write_text(
        "# Picks — 2031-01-02\n\n1. [Quiet Owls](https://arxiv.org/abs/3101.00001) — 👍 4\n"
        "2. [Loud Owls](https://arxiv.org/abs/3101.00002) — 👍 2\n", encoding="utf-8")
    db_path = tmp_path / "papers.db"
    assert ingest(str(tmp_path), "--db", str(db_path)).exit_code == 0
    (tmp_path / "papers.db.resolve.lock").write_text("")
    result = ingest(str(tmp_path), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "0 rejected" in result.output and "1 already stored" in result.output
    assert sqlite_utils.Database(db_path)["rejects"].count == 0


HF_LIST = [{"paper": {"id": f"3105.0010{i}", "title": f"Made-up Paper Number {i}", "upvotes": i,
                      "authors": [{"name": "Ada Quill"}], "submittedOnDailyAt": "2031-05-06T08:00:00.000Z"},
            "title": f"Made-up Paper Number {i}"} for i in range(1, 4)]


def test_a_lone_surrogate_is_stored_as_a_replacement_character_and_every_file_kept(tmp_path):
    """A lone surrogate escaped in JSON ("\\ud800", valid JSON, no valid text) is no text
    SQLite can hold: it is written as U+FFFD, and that file and the files of its batch are
    all kept (it made the file a reject before, and a reject's own excerpt holding it
    stopped the ingest)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    bad = json.loads(json.dumps(HF_LIST))
    bad[0]["paper"]["githubRepo"] = "https://github.com/x/\ud800"
    (inbox / "b.json").write_text(json.dumps(bad).replace("3105.001", "3105.002"), encoding="utf-8")
    (inbox / "c.json").write_text(json.dumps(HF_LIST).replace("3105.001", "3105.003"), encoding="utf-8")
    db_path = tmp_path / "x.db"
    result = run_reconcile("ingest", str(inbox), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and result.stderr == ""
    assert "ingested 3 documents (9 observations); 0 already stored; 0 rejected" in result.stdout
    db = sqlite_utils.Database(db_path)
    assert db["documents"].count == 3 and db["observations"].count == 9 and db["rejects"].count == 0
    [extra] = [r["extra"] for r in db.query("select extra from observations where arxiv_id like '3105.002%' "
                                            "and extra like '%github%'")]
    assert "https://github.com/x/\ufffd" in json.loads(extra)["github_repo"]


def test_links_in_a_loop_pipes_and_unnamable_paths_are_rejects_not_crashes(tmp_path):
    import os
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    os.symlink(inbox / "loop2", inbox / "loop1")
    os.symlink(inbox / "loop1", inbox / "loop2")
    os.mkfifo(inbox / "pipe.json")  # read, it would be waited on forever
    missing = os.fsdecode(bytes(tmp_path) + b"/gone-\xff.json")  # a name that is no UTF-8
    db_path = tmp_path / "x.db"
    result = run_reconcile("ingest", str(inbox), missing, "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4 and all(e.startswith("reconcile: skipped ") for e in errors)
    assert sum("Too many levels of symbolic links" in e for e in errors) == 2
    assert any("pipe.json: not a regular file" in e for e in errors)
    db = sqlite_utils.Database(db_path)
    assert db["observations"].count == 3 and db["rejects"].count == 4


def test_an_empty_path_is_a_usage_error_not_the_working_folder(tmp_path):
    result = run_reconcile("ingest", "", "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    assert result.returncode == 2 and "an empty PATH" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists() or sqlite_utils.Database(tmp_path / "x.db")["documents"].count == 0


def test_output_that_cannot_be_written_is_one_line_and_keeps_what_was_read(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    (inbox / "b.json").write_text("", encoding="utf-8")
    db_path = tmp_path / "x.db"
    with open("/dev/full", "w") as full:  # every write fails: no space left on the device
        result = subprocess.run([reconcile_exe(), "ingest", str(inbox), "--db", str(db_path)],
                                stderr=full, stdout=subprocess.PIPE, text=True, timeout=120)
        assert result.returncode == 0  # the reject of b.json could not be said; it is stored
        assert sqlite_utils.Database(db_path)["observations"].count == 3
        assert sqlite_utils.Database(db_path)["rejects"].count == 1
        result = subprocess.run([reconcile_exe(), "report", "--db", str(db_path)],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "reconcile: error: cannot write the output: No space left on device"


def test_a_report_that_cannot_be_written_leaves_the_previous_one_whole(tmp_path, monkeypatch):
    from reconcile import cli as cli_module

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    db = str(tmp_path / "x.db")
    assert ingest(str(tmp_path / "in"), "--db", db).exit_code == 0
    report = tmp_path / "report.md"
    report.write_text("yesterday's report, whole\n", encoding="utf-8")
    import os

    real = os.fdopen

    class Full:  # the disk fills half way through the new report
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, *args, **kwargs: Full(real(fd, *args, **kwargs)))
    result = CliRunner().invoke(cli_module.cli, ["report", "--db", db, "--output", str(report)])
    assert result.exit_code == 2 and "cannot write the report" in result.output
    monkeypatch.undo()
    assert report.read_text(encoding="utf-8") == "yesterday's report, whole\n"
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_observed_at_must_be_a_time_not_a_day(tmp_path):
    """A day taken as its midnight would be a capture time nobody gave (a count saved that
    evening ordered before a 09:00 crawl: a false fall)."""
    (tmp_path / "a.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    result = ingest(str(tmp_path / "a.json"), "--observed-at", "2031-05-06", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2 and "is a day, not a time" in result.output
    assert ingest(str(tmp_path / "a.json"), "--observed-at", "2026-05-06T21:00Z", "--db",
                  str(tmp_path / "x.db")).exit_code == 0


def test_a_web_address_is_refused_saying_ingest_reads_saved_files(tmp_path):
    """probe24 A8: 'skipped http:/example.com/x.json: No such file or directory' read the
    address as a path. A URL that is not file:// is refused in one line, as a reject."""
    (tmp_path / "a.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    db_path = tmp_path / "x.db"
    result = run_reconcile("ingest", "http://example.com/x.json", str(tmp_path / "a.json"), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    line, = result.stderr.strip().splitlines()
    assert line.startswith("reconcile: skipped http://example.com/x.json: ingest reads saved files"), line
    assert "reconcile crawl" in line and "No such file" not in line
    rejects = list(sqlite_utils.Database(db_path)["rejects"].rows)
    assert [r["url"] for r in rejects] == ["http://example.com/x.json"]
    alone = run_reconcile("ingest", "https://huggingface.co/papers", "--db", str(tmp_path / "y.db"))
    assert alone.returncode == 2 and alone.stderr.strip().splitlines()[-1] == "reconcile: error: nothing could be read"


@pytest.mark.parametrize("url, words", [("file://relative/path.json", "file:///"), ("file://", "an empty PATH")])
def test_a_file_url_that_names_no_path_here_is_refused(tmp_path, url, words):
    """'file://relative/path' read /path, and 'file://' (an unset variable after it) the
    working folder."""
    (tmp_path / "a.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    result = run_reconcile("ingest", url, "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "x.db").exists() or sqlite_utils.Database(tmp_path / "x.db")["documents"].count == 0


def test_an_empty_folder_is_said(tmp_path):
    """probe24 A9: an empty folder ended silently with exit 0. Alone it is exit 2, as when
    nothing could be read; beside files that are read, one line and exit 0."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "only-hidden").mkdir()
    (tmp_path / "only-hidden" / ".draft.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(HF_LIST), encoding="utf-8")
    alone = run_reconcile("ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "x.db"))
    assert alone.returncode == 2, alone.stderr
    assert alone.stderr.strip().splitlines()[-1] == f"reconcile: error: no files in {tmp_path / 'empty'}"
    both = run_reconcile("ingest", str(tmp_path / "empty"), str(tmp_path / "only-hidden"), "--db",
                         str(tmp_path / "x.db"))
    assert both.returncode == 2 and "no files in" in both.stderr and "only-hidden" in both.stderr
    beside = run_reconcile("ingest", str(tmp_path / "empty"), str(tmp_path / "a.json"), "--db", str(tmp_path / "y.db"))
    assert beside.returncode == 0, beside.stderr
    assert beside.stderr.strip().splitlines() == [f"reconcile: no files in {tmp_path / 'empty'}"]


def test_a_second_ingest_names_no_format_of_documents_already_stored_and_counts_in_the_singular(tmp_path):
    """probe24 A10, A11: 'ingested 0 documents ...; 5 already stored' was followed by
    'arxivlens-page-text: 1 document, ...' per format, counting what was already stored; and
    one document was '1 documents'."""
    (tmp_path / "a.json").write_text(json.dumps(HF_LIST[:1]), encoding="utf-8")
    first = run_reconcile("ingest", str(tmp_path / "a.json"), "--db", str(tmp_path / "x.db"))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == ["ingested 1 document (1 observation); 0 already stored; 0 rejected",
                                         "  huggingface-daily-papers: 1 document, 1 observation"]
    again = run_reconcile("ingest", str(tmp_path / "a.json"), "--db", str(tmp_path / "x.db"))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == ["ingested 0 documents (0 observations); 1 already stored; 0 rejected"]
