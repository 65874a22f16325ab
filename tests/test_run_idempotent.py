"""Re-running ``reconcile run`` for a day already crawled adds only what changed.

Three runs of ``reconcile run --date 2026-02-05`` into one database: over the bundled
recordings, over them again (nothing may change but the log of crawls), and over a copy in
which Hugging Face answered an hour later with one upvote count changed (exactly that
response becomes a new document; the paper and its upvotes discrepancy follow it).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from reconcile.cli import demo_dir
from scrapers.middlewares import MANIFEST, canonical

from .support import crawl_rows, rows, run_reconcile

DAY = "2026-02-05"
HF_URL = f"https://huggingface.co/api/daily_papers?date={DAY}&limit=100"
CHANGED_PAPER = "2602.04705"  # ERNIE 5.0: its count disagrees with the digests already
RECRAWLED_AT = "2026-02-05T08:45:12Z"  # an hour after the recorded answer, before the digests' captures
SPIDERS = ["huggingface", "digests", "arxivlens", "arxiv"]
DATA_TABLES = ("documents", "observations", "links", "papers", "discrepancies")
# What differs between two observations of the same paper in two responses, whatever they say.
PER_RESPONSE = {"id", "document_id", "crawl_id", "observed_at"}


def snapshot(db: Path) -> dict:
    """Every row of the data tables, the crawls (decoded) and the rejects."""
    snap = {table: rows(db, f"select * from {table} order by rowid") for table in DATA_TABLES}
    snap["crawls"] = crawl_rows(db)
    snap["rejects"] = rows(db, "select * from rejects order by id")
    return snap


def run_day(replay: Path, db: Path) -> None:
    """``reconcile run`` for the demo day from ``replay``; fails the test if it fails."""
    result = run_reconcile("run", "--date", DAY, "--replay", str(replay), "--db", str(db), cwd=db.parent)
    # The recordings hold three of the enabled digest sites: the others are replay misses,
    # so the digests crawl is partial and run exits 3, after resolving and reporting.
    assert result.returncode == 3, result.stderr[-3000:]
    assert result.stderr.strip().splitlines()[-1] == "reconcile: error: 1 of 4 crawls did not finish cleanly: digests partial"
    assert result.stdout.startswith("# paper-reconcile report")


def changed_recordings(target: Path) -> tuple[int, int, str]:
    """A copy of the bundled recordings in which Hugging Face's answer gives
    :data:`CHANGED_PAPER` 15 more upvotes and was fetched at :data:`RECRAWLED_AT`;
    ``(old count, new count, sha256 of the new body)``."""
    shutil.copytree(demo_dir(), target)
    manifest_path = target / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry, = [e for e in manifest["entries"] if canonical(e["url"]) == canonical(HF_URL)]
    body_path = target / entry["file"]
    body = body_path.read_bytes()
    item, = [i for i in json.loads(body) if i["paper"]["id"] == CHANGED_PAPER]
    old = item["paper"]["upvotes"]
    new = old + 15
    # Change those digits and nothing else, as a later answer of the same API would.
    needle = f'"upvotes":{old}'.encode()
    assert body.count(needle) == 1, f"cannot tell {CHANGED_PAPER}'s count apart in {body_path.name}"
    body = body.replace(needle, f'"upvotes":{new}'.encode())
    assert json.loads(body)  # still the API's JSON
    body_path.write_bytes(body)
    entry["fetched_at"] = RECRAWLED_AT
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return old, new, hashlib.sha256(body).hexdigest()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The database's snapshots after each of the three runs, and the change made."""
    tmp = tmp_path_factory.mktemp("rerun")
    db = tmp / "run.db"
    snaps = []
    run_day(demo_dir(), db)
    snaps.append(snapshot(db))
    run_day(demo_dir(), db)
    snaps.append(snapshot(db))
    old, new, sha = changed_recordings(tmp / "changed")
    run_day(tmp / "changed", db)
    snaps.append(snapshot(db))
    return snaps, {"old": old, "new": new, "sha256": sha}


def new_crawls(before: dict, after: dict) -> list[dict]:
    """The crawl rows ``after`` has and ``before`` had not."""
    seen = {c["id"] for c in before["crawls"]}
    return [c for c in after["crawls"] if c["id"] not in seen]


def stored_keys(stats: dict) -> dict[str, int]:
    """The pipeline's ``<source>/documents|observations/stored`` counters of a crawl."""
    return {k: v for k, v in stats.items() if re.fullmatch(r"[\w-]+/(documents|observations)/stored", k)}


def test_first_run_stores_the_day(runs):
    (first, _, _), _ = runs
    assert [c["spider"] for c in first["crawls"]] == SPIDERS
    # The digests crawl asks for every enabled site; the recordings hold three: partial.
    assert [c["status"] for c in first["crawls"]] == ["finished", "partial", "finished", "finished"]
    assert all(first[table] for table in DATA_TABLES), {t: len(first[t]) for t in DATA_TABLES}
    assert sum(sum(stored_keys(c["stats"]).values()) for c in first["crawls"]) == \
        len(first["documents"]) + len(first["observations"])


def test_second_run_adds_no_data(runs):
    (first, second, _), _ = runs
    for table in DATA_TABLES:
        # Row for row: no new documents, observations, links; papers merged and discrepancy
        # rows (ids, severities, evidence) as they were.
        assert second[table] == first[table], f"the second run changed {table}"


def test_second_run_logs_crawls_that_stored_nothing(runs):
    (first, second, _), _ = runs
    added = new_crawls(first, second)
    assert [c["spider"] for c in first["crawls"]] == [c["spider"] for c in added] == SPIDERS
    for before, again in zip(first["crawls"], added):
        assert again["status"] == before["status"] and again["args"] == before["args"], again
        assert stored_keys(again["stats"]) == {}, (again["spider"], again["stats"])
        # What the first crawl stored, the second one fetched again and found already stored.
        for key, count in stored_keys(before["stats"]).items():
            if again["spider"] != "arxiv":
                assert again["stats"].get(key.replace("/stored", "/duplicate")) == count, (key, again["stats"])
    arxiv_first = next(c["stats"] for c in first["crawls"] if c["spider"] == "arxiv")
    arxiv_again = next(c["stats"] for c in added if c["spider"] == "arxiv")
    # arXiv is asked only for ids no arXiv answer has covered yet: none the second time.
    assert arxiv_first["arxiv/ids/asked"] > 0 and arxiv_again["arxiv/ids/asked"] == 0
    assert "arxiv/requests/id_list" not in arxiv_again
    # The second run fails where the first did and nowhere else (the enabled digest sites
    # that the bundle has no recording of), each reject under its own crawl.
    old_rejects = {(r["url"], r["reason"]) for r in first["rejects"]}
    again_rejects = second["rejects"][len(first["rejects"]):]
    assert {(r["url"], r["reason"]) for r in again_rejects} == old_rejects
    assert {r["crawl_id"] for r in again_rejects} <= {c["id"] for c in added}


def test_a_changed_count_adds_exactly_that_response(runs):
    (_, second, third), change = runs
    added = new_crawls(second, third)
    assert [c["spider"] for c in added] == SPIDERS
    hf_observations_before = [o for o in second["observations"] if o["source"] == "huggingface"]

    # One new document: Hugging Face's changed answer, seen at its (new) response time.
    new_docs = third["documents"][len(second["documents"]):]
    assert third["documents"][:len(second["documents"])] == second["documents"]
    doc, = new_docs
    assert (doc["source"], doc["url"], doc["sha256"], doc["observed_at"], doc["observed_at_basis"]) == \
        ("huggingface", HF_URL, change["sha256"], RECRAWLED_AT, "response")
    stats = {c["spider"]: c["stats"] for c in added}
    assert stored_keys(stats["huggingface"]) == {"huggingface/documents/stored": 1,
                                                 "huggingface/observations/stored": len(hf_observations_before)}
    assert all(stored_keys(stats[s]) == {} for s in SPIDERS if s != "huggingface")

    # Its observations: the whole list again, identical but for that one count.
    new_obs = third["observations"][len(second["observations"]):]
    assert third["observations"][:len(second["observations"])] == second["observations"]
    assert {o["document_id"] for o in new_obs} == {doc["id"]}
    assert len(new_obs) == len(hf_observations_before)
    earlier = {o["arxiv_id"]: o for o in hf_observations_before}
    differences = {}
    for obs in new_obs:
        assert obs["observed_at"] == RECRAWLED_AT
        before = earlier[obs["arxiv_id"]]
        diff = {k: (before[k], obs[k]) for k in obs if k not in PER_RESPONSE and obs[k] != before[k]}
        if diff:
            differences[obs["arxiv_id"]] = diff
    assert differences == {CHANGED_PAPER: {"upvotes": (change["old"], change["new"])}}

    # Each is linked to the paper it was before; no paper appears.
    new_links = third["links"][len(second["links"]):]
    assert sorted(link["observation_id"] for link in new_links) == sorted(o["id"] for o in new_obs)
    assert [p["id"] for p in third["papers"]] == [p["id"] for p in second["papers"]]

    # The paper takes the later count, with its observation as provenance.
    changed_obs = next(o for o in new_obs if o["arxiv_id"] == CHANGED_PAPER)
    paper = next(p for p in third["papers"] if p["id"] == f"arxiv:{CHANGED_PAPER}")
    paper_before = next(p for p in second["papers"] if p["id"] == f"arxiv:{CHANGED_PAPER}")
    assert paper_before["upvotes"] == change["old"]
    assert (paper["upvotes"], paper["upvotes_observed_at"]) == (change["new"], RECRAWLED_AT)
    assert json.loads(paper["provenance"])["upvotes"]["observation_id"] == changed_obs["id"]

    # Discrepancies: the same ones; only the upvotes evidence grows by the new answer's
    # counts, and the changed paper's shows its new count from the new observation.
    before_by_id = {d["id"]: d for d in second["discrepancies"]}
    after_by_id = {d["id"]: d for d in third["discrepancies"]}
    assert after_by_id.keys() == before_by_id.keys()
    for key, after in after_by_id.items():
        before = before_by_id[key]
        if after["kind"] != "upvotes":
            assert after == before, f"{after['kind']} discrepancy of {after['paper_id']} changed"
            continue
        assert after["severity"] == before["severity"], after["detail"]
        old_values, new_values = json.loads(before["values"]), json.loads(after["values"])
        added_values = [v for v in new_values if v not in old_values]
        assert len(new_values) == len(old_values) + len(added_values), "evidence was dropped"
        obs = next(o for o in new_obs if f"arxiv:{o['arxiv_id']}" == after["paper_id"])
        assert [(v["observation_id"], v["value"], v["observed_at"]) for v in added_values] == \
            [(obs["id"], obs["upvotes"], RECRAWLED_AT)]
    ernie = next(d for d in third["discrepancies"]
                 if d["paper_id"] == f"arxiv:{CHANGED_PAPER}" and d["kind"] == "upvotes")
    assert change["new"] in [v["value"] for v in json.loads(ernie["values"])]
