"""A paper whose title changed between arXiv versions is found by each version's title.

Lists name a paper by the title of their day: v1's before a revision, v2's after. The
matcher filed a paper under one title only (in one run the first record placed, v1's; in
a later run the merged title, v2's), so an item naming it by the other became a paper of
its own, and which item did depended on the order the records came in (probe25 C1). Made-up
ids, titles and counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from reconcile.blocking import Candidate, face
from reconcile.models import Document, Observation, Severity
from reconcile.resolve import resolve
from reconcile.store import Store

DAY = dt.date(2031, 1, 5)
V1 = "Lantern Routing for Sparse Mixture Models"
V2 = "Beacon: Adaptive Expert Selection under Tight Memory Budgets"
PAPER = "arxiv:3101.00031"


def _doc(name: str, source: str, hour: int) -> Document:
    return Document(url=f"https://example.org/{name}", source=source, format=f"{source}-test",
                    observed_at=dt.datetime.combine(DAY, dt.time(hour), dt.timezone.utc),
                    observed_at_basis="response", sha256=hashlib.sha256(name.encode()).hexdigest())


DOCS = {
    "v1": (_doc("v1", "arxiv", 1), [Observation(source="arxiv", arxiv_id="3101.00031", arxiv_version=1, title=V1,
                                                published=DAY)]),
    "v2": (_doc("v2", "arxiv", 2), [Observation(source="arxiv", arxiv_id="3101.00031", arxiv_version=2, title=V2,
                                                published=DAY)]),
    "old": (_doc("old", "digest", 3), [Observation(source="digest", site="old", title=V1, listed_on=DAY, upvotes=5)]),
    "new": (_doc("new", "digest", 4), [Observation(source="digest", site="new", title=V2, listed_on=DAY, upvotes=9)]),
}
ORDERS = {
    "one run": [["v1", "v2", "old", "new"]],
    "daily, records first": [["v1"], ["v2"], ["old"], ["new"]],
    "v2 between the lists": [["v1"], ["old", "new"], ["v2"]],
    "v2 first": [["v2"], ["v1"], ["old", "new"]],
    "lists first": [["old"], ["new"], ["v1", "v2"]],
}


def _run(path, groups) -> Store:
    store = Store(path)
    for group in groups:
        store.add_documents([DOCS[name] for name in group])
        resolve(store)
    return store


@pytest.mark.parametrize("order", ORDERS, ids=list(ORDERS))
def test_items_naming_either_versions_title_link_to_the_paper_in_any_order(tmp_path, order):
    store = _run(tmp_path / "v.db", ORDERS[order])
    links = {r["site"] or r["source"]: (r["paper_id"], r["method"]) for r in store.db.query(
        "select o.site, o.source, l.paper_id, l.method from links l join observations o on o.id = l.observation_id")}
    assert links == {"arxiv": (PAPER, "arxiv_id"), "old": (PAPER, "title"), "new": (PAPER, "title")}
    assert [p.id for p in store.papers()] == [PAPER]
    # v1's title beside v2's record is the revision's difference, not the list's mistake.
    [title] = [d for d in store.discrepancies() if d.kind.value == "title"]
    assert title.severity == Severity.INFO and "digest/old has the title of arXiv's v1" in title.detail


def test_a_paper_has_one_face_per_title_key():
    main = Candidate(PAPER, V1, "lantern routing for sparse mixture models")
    other = face(main, V2)
    assert other is not None and other.paper_id == PAPER and other.head == "beacon"
    assert other.days is main.days and other.authors is main.authors  # one paper's evidence
    assert face(main, "LANTERN routing for sparse mixture models!") is None  # its own key
    main.others += (other,)
    assert face(main, V2.upper()) is None and main.faces() == (main, other)


# Hugging Face lists the paper by v1's title, with its id; arXiv's record we hold is v2's,
# retitled; a newsletter names the paper by v1's title only. The paper was filed under
# arXiv's titles only: in one run the newsletter's item became a paper of its own, and in
# daily runs it linked or not by the order of the lists (probe26 s17).
HF = (_doc("hf", "huggingface", 5), [Observation(source="huggingface", arxiv_id="3101.00031", title=V1,
                                                 listed_on=DAY, upvotes=30)])
LETTER = (_doc("letter", "digest", 6), [Observation(source="digest", site="letter", title=V1, listed_on=DAY)])
V2_ONLY = {"hf": HF, "letter": LETTER, "v2": DOCS["v2"]}


@pytest.mark.parametrize("groups", [[["hf", "v2", "letter"]], [["hf"], ["letter"], ["v2"]], [["hf"], ["v2"], ["letter"]],
                                    [["letter"], ["v2"], ["hf"]], [["letter"], ["hf"], ["v2"]]],
                         ids=["one run", "hf, letter, arxiv", "hf, arxiv, letter", "letter, arxiv, hf",
                              "letter, hf, arxiv"])
def test_an_item_naming_the_title_hugging_face_gives_links_in_any_order(tmp_path, groups):
    store = Store(tmp_path / "hf.db")
    for group in groups:
        store.add_documents([V2_ONLY[name] for name in group])
        resolve(store)
    assert [p.id for p in store.papers()] == [PAPER]
    [(method, detail)] = [(r["method"], r["detail"]) for r in store.db.query(
        "select l.method, l.detail from links l join observations o on o.id = l.observation_id where o.site = 'letter'")]
    assert method == "title" and detail.startswith("same normalized title")
