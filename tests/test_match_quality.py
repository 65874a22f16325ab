"""Link quality measured on real data (issue 5, point 5): precision and recall of ``resolve``.

Digest observations come from the lim4349 blog posts (``samples/blog-lim4349/posts``) with
everything that identifies the paper removed (arXiv id and version, URL, the Hugging Face
link), beside the Hugging Face daily lists of the days the posts are for. The ids the posts
had are the ground truth. ``resolve`` runs on a temporary store holding both:

- *precision*: title (or mention) links that go to the right paper / all such links. The
  right paper is the arXiv paper when a Hugging Face list holds it; otherwise (a weekend post,
  or a paper the day's list lacks) it is a title-only paper grouping only that paper.
- *recall*: digest observations linked to their arXiv paper / digest observations whose paper
  is in the Hugging Face lists present.

Three orders: everything in one run; the posts first (every observation becomes a
title-only paper) with the lists in a later run (the arXiv papers must adopt them); and the
lists first with the posts in a later run, as a scheduled crawl meets them (the posts are
looked up in the stored index, which must weigh a paper's days as one run does). Run
``pytest -s`` to see the figures; README.md ("Benchmark") quotes them.

The titles are then mangled the way digests do it in the wild (lower-cased, cut at the colon,
truncated with "...", a letter dropped), one variant per observation in turn: precision must
hold there too, while recall is lower by design (a colon-cut name that two papers of the
item's days carry, and short typo'd titles, are refused rather than guessed).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from reconcile.models import Document, Observation
from reconcile.resolve import resolve
from reconcile.store import Store
from scrapers.pages import read_page

from .support import SHARED, needs_shared

pytestmark = needs_shared

BLOG = SHARED / "samples" / "blog-lim4349" / "posts" if SHARED else Path("/nonexistent")
HF = SHARED / "samples" / "hf-daily-papers-api" / "window-2025-11_2026-01" if SHARED else Path("/nonexistent")


def mangle(n: int, title: str) -> str:
    """The ``n``-th observation's title as a careless digest writes it (one variant in five)."""
    variant = n % 5
    words = title.split()
    if variant == 0:
        return title
    if variant == 1 or (variant == 2 and ":" not in title):
        return title.lower()
    if variant == 2:
        return title.split(":", 1)[0]
    if variant == 3 and len(words) >= 8:
        return " ".join(words[:6]) + "..."
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    words[longest] = words[longest][:2] + words[longest][3:]  # a dropped letter
    return " ".join(words)


def strip_ids(obs: Observation, title: str) -> Observation:
    """The observation without anything that names its paper but the title."""
    extra = {k: v for k, v in obs.extra.items() if not (isinstance(v, str) and v.startswith("http"))}
    return obs.model_copy(update={"arxiv_id": None, "arxiv_version": None, "url": None, "title": title,
                                  "extra": extra})


@cache
def posts(mangled: bool) -> tuple[tuple[Document, list[Observation], list[str]], ...]:
    """Each blog post: its document, its id-less observations, and the ids they had."""
    out, n = [], 0
    for path in sorted(BLOG.glob("*.md")):
        page = read_page(path.as_uri(), path.read_bytes(), {})
        observations = []
        for obs in page.observations:
            observations.append(strip_ids(obs, mangle(n, obs.title) if mangled else obs.title))
            n += 1
        out.append((page.document, observations, [o.arxiv_id for o in page.observations]))
    return tuple(out)


@cache
def hf_lists() -> tuple[tuple[Document, list[Observation]], ...]:
    """The Hugging Face lists of the days the posts are for (where the sample has that day)."""
    days = sorted({o.listed_on for _, observations, _ in posts(False) for o in observations})
    out = []
    for day in days:
        path = HF / f"{day}.json"
        if path.exists():  # collected at about 07:45 UTC that day (PROVENANCE.md)
            page = read_page(f"https://huggingface.co/api/daily_papers?date={day}", path.read_bytes(), {},
                             fetched_at=dt.datetime.combine(day, dt.time(7, 45), dt.timezone.utc))
            out.append((page.document, page.observations))
    return tuple(out)


@dataclass(frozen=True)
class Quality:
    digest_observations: int
    links_made: int
    links_right: int
    in_lists: int
    found: int
    wrong: tuple[tuple[str, str, str], ...]  # (true id, paper linked, why)
    missed: tuple[tuple[str, str], ...]  # (true id, the observation's title)

    @property
    def precision(self) -> float:
        return self.links_right / self.links_made

    @property
    def recall(self) -> float:
        return self.found / self.in_lists

    def line(self, label: str) -> str:
        return (f"{label}: precision {self.precision:.4f} ({self.links_right}/{self.links_made}), "
                f"recall {self.recall:.4f} ({self.found}/{self.in_lists}), "
                f"{self.digest_observations} digest observations")


def measure(db: Path, order: str, mangled: bool) -> Quality:
    """Ingest posts and lists in ``order``, resolve, and score the digest observations' links."""
    store = Store(db)
    truth: dict[int, str] = {}

    def add_posts() -> None:
        batch = posts(mangled)
        for doc_id, (_, _, ids) in zip(store.add_documents([(d, o) for d, o, _ in batch]), batch):
            rows = store.db.execute("select id from observations where document_id = ? order by id", [doc_id])
            truth.update(zip((r[0] for r in rows), ids, strict=True))

    if order == "lists-first":  # a scheduled crawl: the lists' run, then the posts' run
        store.add_documents(list(hf_lists()))
        resolve(store)
        add_posts()
        resolve(store)
    elif order == "together":
        store.add_documents(list(hf_lists()))
        add_posts()
        resolve(store)
    else:
        add_posts()
        resolve(store)
        store.add_documents(list(hf_lists()))
        resolve(store)
    listed = {o.arxiv_id for _, observations in hf_lists() for o in observations}
    links = {r["observation_id"]: r for r in store.db.execute_returning_dicts("select * from links")}
    titles = dict(store.db.execute("select id, title from observations").fetchall())
    store.close()
    members: dict[str, set[str]] = defaultdict(set)  # what each paper turned out to hold
    for obs_id, true_id in truth.items():
        members[links[obs_id]["paper_id"]].add(true_id)
    made = right = found = 0
    wrong, missed = [], []
    for obs_id, true_id in truth.items():
        link = links[obs_id]
        paper = link["paper_id"]
        assert link["method"] in ("title", "mention", "unmatched"), link  # no id was left to find
        ok = paper == f"arxiv:{true_id}" or (paper.startswith("title:") and true_id not in listed
                                              and members[paper] == {true_id})
        if link["method"] != "unmatched":
            made += 1
            right += ok
            if not ok:
                wrong.append((true_id, paper, link["detail"]))
        if true_id in listed:
            found += paper == f"arxiv:{true_id}"
            if paper != f"arxiv:{true_id}":
                missed.append((true_id, titles[obs_id]))
    return Quality(len(truth), made, right, sum(t in listed for t in truth.values()), found,
                   tuple(wrong), tuple(missed))


def test_the_sample_has_what_the_measure_needs():
    """Posts with ids on every item; days without a list and papers missing from their day's list."""
    batch = posts(False)
    ids = [i for _, _, day_ids in batch for i in day_ids]
    assert len(batch) == 76 and len(ids) == 727 and all(ids)
    by_day = {o.listed_on: set(day_ids) for _, observations, day_ids in batch for o in observations[:1]}
    lists = {doc.url.rsplit("=", 1)[1]: {o.arxiv_id for o in obs} for doc, obs in hf_lists()}
    no_list = [d for d in by_day if str(d) not in lists]
    assert len(no_list) == 12  # weekends and 2025-11-14: the sample has no list for those days
    off_list = sum(len(ids - lists[str(d)]) for d, ids in by_day.items() if str(d) in lists)
    assert off_list == 80  # papers a post lists that its own day's list lacks
    listed = set().union(*lists.values())
    assert sum(i not in listed for i in ids) == 107  # on no list present: no link, or a title-only paper
    assert all(o.arxiv_id is None and o.url is None and "huggingface.co" not in str(o.extra)
               for _, observations, _ in batch for o in observations)
    assert all(o.title for _, observations, _ in posts(True) for o in observations)


@pytest.mark.parametrize("order", ["together", "digests-first", "lists-first"])
def test_precision_and_recall_of_title_links(order, tmp_path):
    quality = measure(tmp_path / "quality.db", order, mangled=False)
    print("\n" + quality.line(f"blog titles as posted, {order}"))
    assert quality.in_lists == 620 and quality.digest_observations == 727
    # Every link right and every listed paper found, in both orders (issue 15's acceptance).
    # Digests-first found 619 of 620 until a title ending in a name with digits ("... via
    # FP16") stopped being judged by the organization's page-furniture rules: the paper had
    # no merged title, so its title-only twin from the post was never adopted.
    assert quality.precision == 1.0, quality.wrong
    assert quality.recall == 1.0, quality.missed


# Measured: together, digests-first and lists-first 0.9984 (619/620), precision 1.0000 in
# each (the same under every hash seed: tests/test_determinism.py). Lists-first (the lists
# resolved in one run, the posts in the next) was 0.9887 (613/620) with precision 0.9984
# until the stored index kept a paper's listing days, not only its publication day: a name
# before a colon or a cut title links only near the paper's days. The one missed is a
# title under 20 characters with a letter dropped, which links only exactly. Digests-first
# was 0.9887 (613/620) until a title-only paper was tested for adoption on its first day
# (five names before a colon that are plain words, "Lumine") and with its misspelt word
# respelt though the paper itself carries it ("Unversal"). Before titles ending in
# digits were merged (see above), digests-first was 0.9839; before a name before a colon was
# taken with its day (issue 15), 0.9887 and 0.9823; before blocking looked up a title's first
# and last words directly, digests-first varied from 0.955 to 0.961 with the string hash.
# The floors sit just below the figures.
RECALL_FLOOR_MANGLED = {"together": 0.995, "digests-first": 0.995, "lists-first": 0.995}


@pytest.mark.parametrize("order", ["together", "digests-first", "lists-first"])
def test_precision_holds_for_mangled_titles(order, tmp_path):
    quality = measure(tmp_path / "quality.db", order, mangled=True)
    print("\n" + quality.line(f"blog titles mangled, {order}"))
    assert quality.precision == 1.0, quality.wrong
    assert quality.recall >= RECALL_FLOOR_MANGLED[order], quality.missed
