"""Digests nobody wrote a parser for: the real files of ../shared/samples/digests-wild, each
read alone as `reconcile ingest` reads it (bundled sites file included), against the truth
file written beside it.

Per repository: every listed paper found; no paper the file only cites stored as an item
(with a day, rank or count); titles, upvotes, comments and ranks equal to the truth where
it states them, and no count where it says null; no file that lists papers gives nothing.
The same measure over all 44 files is `../shared/tools/score-wild`; its figures are in the
README. The files are read at run time and never copied into the repository.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from scrapers.files import read_file
from scrapers.pages import PageError
from scrapers.sites import load_sites

from .support import SHARED, needs_shared

REPOSITORIES = [
    "EvilCalf__papers-daily", "JoshZhouSN__my-openclaw", "dw-dengwei__daily-arXiv-ai-enhanced",
    "gisbi-kim__arxiv-daily-summary", "hdShang__arxiv-daily", "huangboming__huggingface-daily-paper-feed",
    "jeongiin__hf-daily-paper-korean-autoflow", "lianghsun__hf-papers-zh-tw", "tyamaoka24__arxiv-digest",
    "xydong-web__DailyArXiv",
]
FIELDS = ("title", "upvotes", "comments", "rank")


def norm(text) -> str | None:
    """The truth files' title comparison: NFKC, case and punctuation folded."""
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def score(path: Path, truth: dict, sites) -> Counter:
    """What the reader got right and wrong in one file, counted like score-wild."""
    c: Counter = Counter(files=1)
    try:
        observations = read_file(path, sites=sites).observations
    except PageError:
        observations = []
    c["files_with_nothing"] += int(not observations and bool(truth["papers"]))
    got: dict[str, list] = {}
    for obs in observations:
        if obs.arxiv_id:
            got.setdefault(obs.arxiv_id, []).append(obs)
    want = {p["arxiv_id"]: p for p in truth["papers"]}
    for aid, paper in want.items():
        c["ids"] += 1
        if aid not in got:
            c["missing"] += 1
            continue
        for field in FIELDS:
            values = [getattr(o, field) for o in got[aid]]
            if paper.get(field) is None:
                c["invented"] += int(field != "title" and any(v is not None for v in values))
                continue
            c[f"{field}_asked"] += 1
            same = (lambda v: norm(v) == norm(paper[field])) if field == "title" else (lambda v: v == paper[field])
            c[f"{field}_right"] += int(any(same(v) for v in values))
    for aid, obs in got.items():
        if aid not in want and any(o.listed_on or o.rank is not None or o.upvotes is not None for o in obs):
            c["false_items"] += 1
    return c


@needs_shared
@pytest.mark.parametrize("repository", REPOSITORIES)
def test_every_wild_digest_is_read_right_or_not_at_all(repository):
    folder = SHARED / "samples" / "digests-wild" / repository
    truths = sorted(folder.glob("*.truth.json"))
    assert truths, f"no truth files in {folder}"
    sites = load_sites()
    total: Counter = Counter()
    for truth_path in truths:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        total += score(Path(str(truth_path)[: -len(".truth.json")]), truth, sites)
    assert total["missing"] == 0, total
    assert total["false_items"] == 0 and total["invented"] == 0, total
    assert total["files_with_nothing"] == 0, total
    for field in FIELDS:
        assert total[f"{field}_right"] == total[f"{field}_asked"], (field, total)
