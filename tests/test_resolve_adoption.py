"""Adoption: a title-only paper from an earlier run is taken over by the arXiv paper that a
later run brings, whichever side is larger (a daily run: few arXiv papers, many title-only
ones; a first bulk run: many arXiv papers, few title-only ones)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from reconcile import resolve as resolving
from reconcile.config import DEFAULT
from reconcile.match import TitleIndex
from reconcile.models import Document, Observation
from reconcile.resolve import resolve
from reconcile.store import Store

T = dt.datetime(2026, 2, 5, 9, 0, tzinfo=dt.timezone.utc)

# Made-up titles, each with a distinctive first word so that none is near another.
WORDS = ["Amber", "Basalt", "Cobalt", "Dune", "Estuary", "Fjord", "Glacier", "Harbor", "Iris", "Juniper",
         "Kelp", "Lichen", "Marble", "Nectar", "Obsidian", "Pumice", "Quartz", "Reef", "Saffron", "Tundra",
         "Urchin", "Vellum", "Willow", "Xylem", "Yarrow", "Zephyr"]


def title(word: str) -> str:
    return f"{word} Routing for Sparse Mixture Models under Tight Memory Budgets"


def _doc(name: str, source: str, at: dt.datetime) -> Document:
    return Document(url=f"https://example.org/{name}", source=source, format=f"{source}-test", observed_at=at,
                    observed_at_basis="response", sha256=hashlib.sha256(name.encode()).hexdigest())


def _digest_run(store: Store, words: list[str]) -> None:
    """A digest that names papers by title only (the first one truncated with '...')."""
    items = [Observation(source="digest", site="blog", title=title(w), listed_on=T.date()) for w in words]
    items[0] = Observation(source="digest", site="blog", title=title(words[0])[:40] + "...",
                           listed_on=T.date())
    store.add_documents([(_doc("blog", "digest", T), items)])
    resolve(store)


def _arxiv_run(store: Store, words: list[str], first_id: int) -> resolving.ResolveSummary:
    later = T + dt.timedelta(hours=3)
    items = [Observation(source="arxiv", arxiv_id=f"2602.{first_id + i:05d}", title=title(w), published=T.date())
             for i, w in enumerate(words)]
    store.add_documents([(_doc(f"arxiv-{first_id}", "arxiv", later), items)])
    return resolve(store)


def _paper_of(store: Store, title_text: str) -> set[str]:
    return {r["paper_id"] for r in store.db.query(
        "select l.paper_id from links l join observations o on o.id = l.observation_id where o.title = ?",
        [title_text])}


@pytest.mark.parametrize("digest_words, arxiv_words", [
    (WORDS, WORDS[:3]),           # daily: 26 title-only papers, 3 arXiv papers
    (WORDS[:3], WORDS),           # bulk: 3 title-only papers, 26 arXiv papers
], ids=["few-arxiv-papers", "many-arxiv-papers"])
def test_arxiv_papers_adopt_the_title_only_papers_they_are(tmp_path, digest_words, arxiv_words):
    store = Store(tmp_path / "a.db")
    _digest_run(store, digest_words)
    assert all(p.startswith("title:") for p in (r["id"] for r in store.db["papers"].rows))
    # One paper each: "Tundra Routing ... under ..." is not a typo of "Dune Routing ... under ...".
    assert store.db["papers"].count == len(digest_words)
    summary = _arxiv_run(store, arxiv_words, first_id=100)
    shared = [w for w in arxiv_words if w in digest_words]
    assert summary.adopted == len(shared) == 3
    for i, word in enumerate(arxiv_words):
        paper = f"arxiv:2602.{100 + i:05d}"
        assert _paper_of(store, title(word)) == {paper}, word  # the digest's and arXiv's record
    truncated = title(digest_words[0])[:40] + "..."
    assert _paper_of(store, truncated) == {"arxiv:2602.00100"}
    moved = next(store.db.query("select l.* from links l join observations o on o.id = l.observation_id "
                                "where o.source = 'digest' and o.title = ?", [title(shared[1])]))
    # Linked as its own title matches the adopter, as one run of the same files links it.
    assert moved["method"] == "title" and moved["detail"].startswith("same normalized title")
    left = {r["id"] for r in store.db["papers"].rows if r["id"].startswith("title:")}
    assert len(left) == len(digest_words) - len(shared)  # the others stay papers of their own
    assert store.db["papers"].count == len(set(digest_words) | set(arxiv_words))


def test_a_near_but_different_title_is_not_adopted(tmp_path):
    store = Store(tmp_path / "n.db")
    _digest_run(store, ["Amber", "Basalt"])
    other = Observation(source="arxiv", arxiv_id="2602.00200", published=T.date(),
                        title="Amber Routing for Dense Mixture Models under Tight Memory Budgets")
    store.add_documents([(_doc("arxiv-200", "arxiv", T + dt.timedelta(hours=3)), [other])])
    assert resolve(store).adopted == 0
    assert store.db["papers"].count == 3


def test_both_directions_of_blocking_find_the_same_adoptions():
    index = TitleIndex()
    for i, word in enumerate(WORDS):
        index.add(f"arxiv:{i}", title(word), days=[T.date()])
    title_papers = set()
    for word in WORDS[:5] + ["Aardvark", "Bison"]:  # five are arXiv papers, two are not
        index.add(f"title:{word}", title(word).lower(), days=[T.date()])
        title_papers.add(f"title:{word}")
    every = {f"arxiv:{i}" for i in range(len(WORDS))}
    few = {"arxiv:0", "arxiv:1", "arxiv:2"}

    def by_testing_every_title_paper(arxiv: set[str]) -> dict[str, str]:
        found = {}
        for pid in title_papers:
            match = index.match_title(Observation(source="digest", title=index.papers[pid].title),
                                      index.papers[pid].title, among=arxiv)
            if match:
                found[pid] = match.paper_id
        return found

    # 7 title-only papers against 26 arXiv papers: every title-only paper is tested.
    assert resolving._adoption_candidates(index, every, title_papers) == sorted(title_papers)
    # 7 against 3: blocking from the arXiv side gives the title-only papers near them (here all
    # share the titles' last words), among them the three it can adopt ...
    blocked = resolving._adoption_candidates(index, few, title_papers)
    assert {"title:Amber", "title:Basalt", "title:Cobalt"} <= set(blocked) <= title_papers
    # ... and either way the adoptions are the ones testing every title-only paper gives.
    for arxiv in (every, few):
        adopted = {pid: m.paper_id for pid, m in resolving._adoptions(index, arxiv, title_papers).items()}
        assert adopted == by_testing_every_title_paper(arxiv)
    assert by_testing_every_title_paper(few) == {"title:Amber": "arxiv:0", "title:Basalt": "arxiv:1",
                                                 "title:Cobalt": "arxiv:2"}


def test_observations_stored_while_placing_wait_for_the_next_run(tmp_path, monkeypatch):
    """Placing reads the identified observations, then the others, in two queries. A crawl
    that stores an arXiv record and a digest item naming it between the two must not have
    the item placed without the record (a paper of its own, made only by the timing): both
    wait for the next run, which links the item to the arXiv paper by title."""
    store = Store(tmp_path / "x.db")
    store.add_documents([(_doc("first", "arxiv", T), [Observation(source="arxiv", arxiv_id="2602.00001",
                                                                  title=title("Amber"))])])
    reads = store.placement_rows

    def crawl_meanwhile(**kw):
        if kw.get("identified") is False:  # the first query has been read: a crawl commits now
            store.add_documents([
                (_doc("later", "arxiv", T), [Observation(source="arxiv", arxiv_id="2602.00002", title=title("Basalt"))]),
                (_doc("blog", "digest", T), [Observation(source="digest", site="blog", title=title("Basalt"),
                                                         listed_on=T.date())])])
        return reads(**kw)

    monkeypatch.setattr(store, "placement_rows", crawl_meanwhile)
    first = resolve(store)
    monkeypatch.undo()
    assert (first.new_observations, first.linked) == (1, 1)
    second = resolve(store)
    assert (second.new_observations, second.linked) == (2, 2)
    links = {r["observation_id"]: (r["paper_id"], r["method"]) for r in store.db["links"].rows}
    assert links[3] == ("arxiv:2602.00002", "title")


def test_a_runs_counts_by_method_are_of_its_new_observations_not_of_the_links_it_moves(tmp_path):
    """Three arXiv records adopt three title-only papers: the run placed three observations,
    all by arXiv id; the digest items whose links moved were placed by an earlier run."""
    store = Store(tmp_path / "db.sqlite")
    _digest_run(store, WORDS[:3])
    summary = _arxiv_run(store, WORDS[:3], 1)
    assert summary.adopted == 3
    assert summary.by_method == {"arxiv_id": 3}
    assert sum(summary.by_method.values()) == summary.linked == 3


def test_an_exact_title_refused_for_far_days_is_adopted_once_a_listing_brings_the_paper_near(tmp_path):
    """An item naming an old paper by its exact title, with no authors, is refused while the
    paper's only day is its publication 200 days before (``date_far_days``); a listing of
    the paper on the item's day, in a later run, makes it near, and the paper adopts it."""
    store = Store(tmp_path / "far.db")
    old = T.date() - dt.timedelta(days=200)
    text = title("Amber")
    store.add_documents([(_doc("arxiv-old", "arxiv", T - dt.timedelta(days=200)),
                          [Observation(source="arxiv", arxiv_id="2602.00001", title=text, published=old)])])
    resolve(store)
    store.add_documents([(_doc("blog-far", "digest", T),
                          [Observation(source="digest", site="blog", title=text, listed_on=T.date())])])
    resolve(store)
    digest = {r["paper_id"] for r in store.db.query(
        "select l.paper_id from links l join observations o on o.id = l.observation_id where o.source = 'digest'")}
    assert len(digest) == 1 and next(iter(digest)).startswith("title:")
    store.add_documents([(_doc("hf-list", "huggingface", T + dt.timedelta(hours=1)),
                          [Observation(source="huggingface", arxiv_id="2602.00001", title=text,
                                       listed_on=T.date())])])
    summary = resolve(store)
    assert summary.adopted == 1
    assert _paper_of(store, text) == {"arxiv:2602.00001"}


def test_a_misspelt_title_and_a_plain_name_before_a_colon_are_adopted_as_they_would_have_linked(tmp_path):
    """Digests first, the lists a run later: each title-only paper is tested as its item was
    placed. "Lumen" (a plain word before a colon) links only near its day, which the probe
    takes from the paper's first listing; "Larksprie: ..." carries a misspelling that only
    the title-only paper itself carries, and its other words block on 60 papers, cut by the
    bounds: the second lookup (one edit) finds the paper. In one run they link; so must they
    here."""
    tight = dataclasses.replace(DEFAULT, max_posting=40, max_candidates=25, block_words=2)
    tail = "Sparse Routing for Vision Language Models"
    day = T.date()
    items = [Observation(source="digest", site="blog", title="Lumen", listed_on=day),
             Observation(source="digest", site="blog", title=f"Larksprie: {tail}", listed_on=day)]
    papers = [f"Marsh{chr(97 + n % 26)}{n}: {tail}" for n in range(60)]
    papers += [f"Larkspire: {tail}", "Lumen: Counting Fireflies in the Dark"]
    listing = [Observation(source="huggingface", arxiv_id=f"2602.{n + 1:05d}", title=t, listed_on=day)
               for n, t in enumerate(papers)]

    def run(first: list, second: list, path) -> Store:
        store = Store(path)
        for name, source, obs in (first, second):
            store.add_documents([(_doc(name, source, T), obs)])
            resolve(store, config=tight)
        return store

    for order, path in ((["blog", "digest", items], ["hf", "huggingface", listing]), tmp_path / "digests-first.db"), \
                       ((["hf", "huggingface", listing], ["blog", "digest", items]), tmp_path / "lists-first.db"):
        store = run(*order, path)
        assert _paper_of(store, "Lumen") == {"arxiv:2602.00062"}, path.name
        assert _paper_of(store, f"Larksprie: {tail}") == {"arxiv:2602.00061"}, path.name
