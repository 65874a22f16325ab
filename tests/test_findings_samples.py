"""Issue 11, acceptance: the findings on every sample, held to what the files say.

The whole of ``../shared/samples`` (digests-wild included; its ``*.truth.json`` answer keys
left out, since they are not digests) is ingested into one database and resolved once per
module. Then:

- every ``upvotes``, ``title`` and ``rank`` finding whose evidence comes from a digests-wild
  file agrees with that file's ``.truth.json``: the value the finding shows for the file is
  the value the file states;
- the labelled cases of ``tests/cases/findings.json`` (true and false findings met in the
  samples, each with its reason) hold; a known false finding that remains is a strict xfail.

Skipped when ../shared is absent.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from reconcile.cli import cli
from reconcile.models import Severity
from reconcile.text import collapse_whitespace

from .support import SHARED, needs_shared

CASES = json.loads((Path(__file__).parent / "cases" / "findings.json").read_text(encoding="utf-8"))
WILD_FIELDS = {"upvotes": "upvotes", "title": "title", "rank": "rank"}


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory):
    if SHARED is None:
        pytest.skip("../shared is not here")
    files = sorted(str(p) for p in (SHARED / "samples").rglob("*")
                   if p.is_file() and not p.name.endswith(".truth.json"))
    db = tmp_path_factory.mktemp("samples") / "samples.db"
    runner = CliRunner()
    done = runner.invoke(cli, ["ingest", *files, "--db", str(db)])
    assert done.exit_code == 0, done.output[-2000:]
    done = runner.invoke(cli, ["resolve", "--db", str(db)])
    assert done.exit_code == 0, done.output[-2000:]
    return sqlite_utils.Database(db)


def _findings(db, kind: str, paper: str | None = None) -> list[dict]:
    sql, args = "select * from discrepancies where kind = ?", [kind]
    if paper:
        sql, args = sql + " and paper_id = ?", args + [paper]
    return [{**r, "values": json.loads(r["values"])} for r in db.query(sql, args)]


@cache
def _truth(path: str) -> dict[str, dict]:
    doc = json.loads(Path(path + ".truth.json").read_text(encoding="utf-8"))
    return {p["arxiv_id"]: p for p in doc.get("papers", []) if p.get("arxiv_id")}


@needs_shared
def test_wild_findings_agree_with_the_truth_of_their_files(samples_db):
    wild = str(SHARED / "samples" / "digests-wild")
    docs = {r["id"]: r["url"] for r in samples_db.query("select o.id, d.url from observations o join documents d "
                                                          "on d.id = o.document_id where d.url like ?",
                                                          ["%/digests-wild/%"])}
    checked, wrong = 0, []
    for kind, field in WILD_FIELDS.items():
        for finding in _findings(samples_db, kind):
            for value in finding["values"]:
                url = docs.get(value.get("observation_id"))
                if url is None:
                    continue
                path = url.removeprefix("file://")
                assert path.startswith(wild)
                obs = samples_db["observations"].get(value["observation_id"])
                stated = _truth(path).get(obs["arxiv_id"], {}).get(field)
                shown = value["value"]
                same = (collapse_whitespace(str(shown)) == collapse_whitespace(str(stated)) if field == "title"
                        else shown == stated)
                checked += 1
                if not same:
                    wrong.append((finding["paper_id"], kind, Path(path).name, shown, stated))
    assert wrong == []
    assert checked >= 100, checked  # the wild files make findings of these kinds (142 values measured)


def _check(db, case: dict) -> None:
    found = _findings(db, case["kind"], case.get("paper"))
    expect = case["expect"]
    if expect.get("absent"):
        assert found == [], [f["detail"][:200] for f in found]
        return
    if "count" in expect:
        assert len(found) == expect["count"]
    if "every_compares_sites" in expect:
        for f in found:
            sites = {(v["source"], v["site"]) for v in f["values"]}
            assert len(sites) >= expect["every_compares_sites"], f["detail"][:200]
        return
    if "at_most" in expect:
        limit = Severity(expect["at_most"]).level
        assert all(Severity(f["severity"]).level <= limit for f in found), [f["detail"][:200] for f in found]
        if "detail_has" not in expect:
            return
    wanted = [f for f in found if expect.get("detail_has", "") in f["detail"]]
    if "detail_lacks" in expect:
        assert all(expect["detail_lacks"] not in f["detail"] for f in found), [f["detail"][:200] for f in found]
        return
    assert wanted, [f["detail"][:200] for f in found]
    if "severity" in expect:
        assert {f["severity"] for f in wanted} == {expect["severity"]}


@needs_shared
@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(strict=True, reason=c["xfail"])]
                                               if c.get("xfail") else []) for c in CASES])
def test_labelled_finding(samples_db, case):
    _check(samples_db, case)


@needs_shared
def test_one_finding_per_fact_on_the_samples(samples_db):
    """Site quirks and document damage are folded: no kind is flooded by one site's quirk."""
    garbage = _findings(samples_db, "garbage_field")
    assert len(garbage) <= 10 and any(f["paper_id"].startswith("site:") for f in garbage)
    folded = sum(len(f["values"]) for f in garbage if f["paper_id"].startswith("site:"))
    assert folded >= 400  # the papers behind the site findings, each in the evidence
