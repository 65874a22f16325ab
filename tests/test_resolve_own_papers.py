"""Papers of their own: where an item that links nothing goes.

An item no known paper takes becomes a paper of its own, whose id is the hash of its title
(or of the name it mentions). The matcher refuses an exact title listed more than
``date_far_days`` from the item when no author is shared (another paper of the same name,
or a list looking back); these tests pin that the refused item does not then join that
paper by its id anyway, in one run and in a later run (the stored index), that items of
its own days do join it, and that what is near still gathers. Made-up titles and names.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from reconcile.match import own_paper_id
from reconcile.models import Document, Observation
from reconcile.resolve import resolve
from reconcile.store import Store
from reconcile.text import normalize_title

TITLE = "Lantern Routing for Sparse Mixture Models under Tight Memory Budgets"
DAY = dt.date(2031, 1, 5)
FAR = DAY + dt.timedelta(days=200)  # beyond date_far_days (120)
NEAR = DAY + dt.timedelta(days=30)


def _doc(name: str, day: dt.date) -> Document:
    return Document(url=f"https://example.org/{name}", source="digest", format="digest-test",
                    observed_at=dt.datetime.combine(day, dt.time(9), dt.timezone.utc),
                    observed_at_basis="response", sha256=hashlib.sha256(name.encode()).hexdigest())


def _item(site: str, day: dt.date, **fields) -> tuple[Document, list[Observation]]:
    return _doc(f"{site}-{day}", day), [Observation(source="digest", site=site, listed_on=day, **fields)]


def _record(day: dt.date, hour: int, **fields) -> tuple[Document, list[Observation]]:
    """arXiv's record of one paper, fetched on ``day`` at ``hour`` UTC."""
    return (Document(url="https://example.org/arxiv", source="arxiv", format="arxiv-test",
                     observed_at=dt.datetime.combine(day, dt.time(hour), dt.timezone.utc),
                     observed_at_basis="response", sha256=hashlib.sha256(b"arxiv").hexdigest()),
            [Observation(source="arxiv", **fields)])


def _run(store: Store, docs: list, daily: bool) -> None:
    """Ingest the documents and resolve: once after all of them, or after each (a daily crawl)."""
    for doc in docs:
        store.add_documents([doc])
        if daily:
            resolve(store)
    resolve(store)


def _links(store: Store) -> list[tuple[int, str, str, str]]:
    return [(r["observation_id"], r["paper_id"], r["method"], r["detail"])
            for r in store.db.query("select * from links order by observation_id")]


FIRST = own_paper_id(normalize_title(TITLE))
SECOND = own_paper_id(normalize_title(TITLE), 2)
OWN = "no known paper matched; a paper of its own until a source with an identifier names it"


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_an_item_refused_for_far_days_is_not_joined_to_the_paper_it_was_refused_from(tmp_path, daily):
    # Rule: the exact title is refused 200 days away (date_far_days 120, no authors), so
    # the item is a new paper of its own, not the first one by its id; their counts are
    # not compared as one paper's.
    store = Store(tmp_path / "far.db")
    _run(store, [_item("a", DAY, title=TITLE, upvotes=12), _item("b", FAR, title=TITLE, upvotes=300)], daily)
    assert _links(store) == [
        (1, FIRST, "unmatched", OWN),
        (2, SECOND, "unmatched", "no known paper matched; a paper of its own (not the one of its title "
                                 "200 days away) until a source with an identifier names it"),
    ]
    assert FIRST != SECOND
    assert {p.id for p in store.papers()} == {FIRST, SECOND}
    assert store.discrepancies() == []


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_an_item_of_the_later_papers_days_links_to_it_and_a_third_era_gets_a_third_id(tmp_path, daily):
    # Rule: the later paper of its own is found by its exact title near its days (the far
    # first one scores 18 points less: no ambiguity); a third item far from both is a third.
    store = Store(tmp_path / "eras.db")
    third = FAR + dt.timedelta(days=200)
    _run(store, [_item("a", DAY, title=TITLE), _item("b", FAR, title=TITLE),
                 _item("c", FAR + dt.timedelta(days=2), title=TITLE), _item("d", third, title=TITLE)], daily)
    links = _links(store)
    assert [(oid, pid, method) for oid, pid, method, _ in links] == [
        (1, FIRST, "unmatched"), (2, SECOND, "unmatched"), (3, SECOND, "title"),
        (4, own_paper_id(normalize_title(TITLE), 3), "unmatched")]
    assert links[2][3] == "same normalized title; dates within 10 days"
    assert "(not the one of its title 198 days away)" in links[3][3]


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_items_within_date_far_days_still_gather_in_one_paper_of_their_own(tmp_path, daily):
    # Rule: unchanged for what is near: the second item (30 days on) links to the first
    # paper of its own by its exact title.
    store = Store(tmp_path / "near.db")
    _run(store, [_item("a", DAY, title=TITLE), _item("b", NEAR, title=TITLE)], daily)
    assert [(oid, pid, method) for oid, pid, method, _ in _links(store)] == [
        (1, FIRST, "unmatched"), (2, FIRST, "title")]


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_a_shared_author_lets_a_far_item_join_the_paper_of_its_own(tmp_path, daily):
    # Rule: as for any exact title, a shared author overrides the far days.
    store = Store(tmp_path / "author.db")
    _run(store, [_item("a", DAY, title=TITLE, authors=["Mira Quell", "Tobin Ashe"]),
                 _item("b", FAR, title=TITLE, authors=["Tobin Ashe"])], daily)
    assert {pid for _, pid, _, _ in _links(store)} == {FIRST}


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_unmatched_mentions_of_a_name_gather_near_and_part_far(tmp_path, daily):
    # Rule: a mention no paper takes is a paper of its own named by the mention; mentions
    # of that name within date_far_days gather in it (they never link by the mention
    # tier: its title is the bare name), one 200 days on starts another.
    store = Store(tmp_path / "mentions.db")
    extra = {"mention": True, "mentioned_as": "Quellgate"}
    _run(store, [_item("a", DAY, extra=extra), _item("b", NEAR, extra=extra), _item("c", FAR, extra=extra)], daily)
    name = normalize_title("Quellgate")
    assert [(oid, pid) for oid, pid, _, _ in _links(store)] == [
        (1, own_paper_id(name)), (2, own_paper_id(name)), (3, own_paper_id(name, 2))]


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_the_arxiv_paper_adopts_the_paper_of_its_own_of_its_days_not_the_far_one(tmp_path, daily):
    # Rule: adoption tests each title-only paper on its own first day, so an arXiv record
    # of the later days takes the later paper of its own and leaves the far first one. (In
    # one run this held before: the record is placed first. In daily runs the far item
    # used to join the first paper, which the record, 201 days from it, did not adopt.)
    store = Store(tmp_path / "adopt.db")
    arxiv_day = FAR + dt.timedelta(days=1)
    record = _record(arxiv_day, 9, arxiv_id="3107.00001", title=TITLE, published=arxiv_day)
    _run(store, [_item("a", DAY, title=TITLE), _item("b", FAR, title=TITLE), record], daily)
    assert [(oid, pid) for oid, pid, _, _ in _links(store)] == [
        (1, FIRST), (2, "arxiv:3107.00001"), (3, "arxiv:3107.00001")]
    assert {p.id for p in store.papers()} == {FIRST, "arxiv:3107.00001"}


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_a_mention_placed_before_its_paper_is_adopted_when_the_paper_comes(tmp_path, daily):
    # Rule: the same files give the same links in one run or in several. A mention placed
    # in a run before the one that brings its paper was a paper of its own for good: its
    # stored index entry had no title (the merged paper has none), so no arXiv record
    # could adopt it. (Found by ingesting the samples in twelve batches, a resolve after
    # each: a seed's mention of a name stayed apart from the paper named so.)
    store = Store(tmp_path / "mention-first.db")
    record = _record(DAY, 9, arxiv_id="3101.00007", title=f"QuellNet: {TITLE}", published=DAY)
    _run(store, [_item("a", DAY, extra={"mention": True, "mentioned_as": "QuellNet"}), record], daily)
    assert [(oid, pid, method) for oid, pid, method, _ in _links(store)] == [
        (1, "arxiv:3101.00007", "mention"), (2, "arxiv:3101.00007", "arxiv_id")]
    assert {p.id for p in store.papers()} == {"arxiv:3101.00007"}
    # And the link reads as one run places it (daily runs prefixed it "adopted: "; found
    # by the twelve batches again).
    assert _links(store)[0][3] == f"mentioned as 'QuellNet', the name before the colon of 'QuellNet: {TITLE}'"


TYPO = TITLE.replace("Routing", "Routng")


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_an_adopted_papers_links_keep_how_sure_they_were(tmp_path, daily):
    # Rule: the link of an observation of an adopted paper of its own is as sure as the
    # weaker of its two steps. A typo'd title that joined the paper of its own by a close
    # title, and a mention that joined it by name, were told as linked by the exact title
    # after a later run's adoption, and their findings rose from info to warning (probe23).
    from reconcile.models import Severity

    store = Store(tmp_path / "adopted.db")
    record = _record(DAY + dt.timedelta(days=1), 9, arxiv_id="3101.00009", title=TITLE, published=DAY)
    # The typo'd item's address sorts first, so the paper of its own keeps the exact title.
    _run(store, [_item("b", DAY, title=TITLE), _item("a", DAY, title=TYPO), record], daily)
    links = {oid: (pid, method, detail) for oid, pid, method, detail in _links(store)}
    assert {pid for pid, _, _ in links.values()} == {"arxiv:3101.00009"}
    pid, method, detail = links[2]
    assert method == "title" and "same normalized title" not in detail
    [finding] = [d for d in store.discrepancies() if d.kind == "title"]
    assert finding.severity == Severity.INFO and "not exactly the paper's" in finding.detail


@pytest.mark.parametrize("typo_first", [False, True], ids=["exact item first", "typo'd item first"])
def test_each_item_of_an_adopted_paper_is_linked_as_its_own_title_matches(tmp_path, typo_first):
    # Rule: once the arXiv record adopts a paper of its own, each of its items is linked as
    # its own title matches the record, as one run of the same files links it. When the
    # typo'd item came first (it made the paper of its own, the exact one joined it by a
    # close title), the exact item was linked as close and its authors finding fell from
    # warning to info, and the typo'd item was linked as exact and its title finding rose
    # from info to warning (probe25 A: two orders of six).
    from reconcile.models import Severity

    def items(store_name: str, daily: bool) -> Store:
        store = Store(tmp_path / store_name)
        exact = _item("exact", DAY, title=TITLE, authors=["Ann Lee", "Bo Chen", "Cy Diaz"])
        typo = _item("typo", DAY, title=TYPO, authors=["Ann Lee", "Bo Chen"])
        record = _record(DAY + dt.timedelta(days=1), 9, arxiv_id="3101.00031", title=TITLE, published=DAY,
                         authors=["Ann Lee", "Bo Chen"])
        _run(store, [typo, exact, record] if typo_first else [exact, typo, record], daily)
        return store

    def seen(store: Store) -> tuple:
        links = sorted((r["site"], r["paper_id"], r["method"], r["detail"]) for r in store.db.query(
            "select o.site, l.* from links l join observations o on o.id = l.observation_id where o.site is not null"))
        found = sorted((d.kind.value, d.severity.value, d.detail) for d in store.discrepancies())
        return links, found

    once, daily = seen(items("once.db", False)), seen(items("daily.db", True))
    assert daily == once
    links, found = daily
    assert [(site, method, detail.startswith("same normalized title")) for site, _, method, detail in links] == [
        ("exact", "title", True), ("typo", "title", False)]
    assert [(kind, severity) for kind, severity, _ in found] == [("authors", Severity.WARNING.value),
                                                                ("title", Severity.INFO.value)]


def test_a_mention_of_an_adopted_paper_stays_a_mention():
    from reconcile.match import EXACT_TITLE, Match
    from reconcile.models import LinkRow
    from reconcile.resolve import adopted_link

    adopter = Match("arxiv:3101.00009", "title", 100.0, f"{EXACT_TITLE}; dates 1 day(s) apart")
    mention = adopted_link(LinkRow(7, FIRST, "mention", 95.0, "mentioned as 'QuellNet', ..."), adopter)
    assert (mention.paper_id, mention.method, mention.score) == ("arxiv:3101.00009", "mention", 95.0)
    first = adopted_link(LinkRow(8, FIRST, "unmatched", 0.0, OWN), adopter)
    assert (first.method, first.score, first.detail) == ("title", 100.0, adopter.detail)
    exact = adopted_link(LinkRow(9, FIRST, "title", 100.0, EXACT_TITLE), adopter)
    assert exact.method == "title" and EXACT_TITLE in exact.detail


@pytest.mark.parametrize("daily", [False, True], ids=["one run", "daily runs"])
def test_adoption_weighs_the_authors_of_the_paper_of_its_own(tmp_path, daily):
    # Rule: an exact title more than date_far_days from the item links with a shared
    # author. In one run the item (with its authors) met the arXiv record; in daily runs
    # the adoption asked without the authors, and the paper of its own stayed apart (probe23).
    store = Store(tmp_path / "authors.db")
    record = _record(FAR, 9, arxiv_id="3107.00002", title=TITLE, published=DAY, authors=["Mira Quell", "Tobin Ashe"])
    _run(store, [_item("a", FAR, title=TITLE, authors=["Tobin Ashe"]), record], daily)
    assert {pid for _, pid, _, _ in _links(store)} == {"arxiv:3107.00002"}


def test_papers_listed_beside_an_adopted_one_are_checked_again(tmp_path):
    # Rule: a finding names the papers it compares with; when a paper of its own is adopted,
    # the papers listed beside it are checked again, so none names the paper that is gone
    # ("tied with title:..." stayed in daily runs; probe23).
    store = Store(tmp_path / "beside.db")
    ranked = {"rank_basis": "upvotes"}

    def listing(site, items):
        doc = _doc(site, DAY)
        return doc, [Observation(source="digest", site=site, listed_on=DAY, extra=ranked, **item) for item in items]

    store.add_documents([
        listing("x", [dict(arxiv_id="3101.00021", title="Heron Counting at Dusk", rank=1, upvotes=30),
                      dict(title=TITLE, rank=2, upvotes=20),
                      dict(arxiv_id="3101.00023", title="Wren Song Segmentation", rank=3, upvotes=20)]),
        listing("y", [dict(arxiv_id="3101.00021", title="Heron Counting at Dusk", rank=1, upvotes=31),
                      dict(arxiv_id="3101.00023", title="Wren Song Segmentation", rank=2, upvotes=21)])])
    resolve(store)
    [before] = [d.detail for d in store.discrepancies() if d.kind == "rank" and d.paper_id == "arxiv:3101.00023"]
    assert "tied with title:" in before
    store.add_documents([_record(DAY, 12, arxiv_id="3101.00022", title=TITLE, published=DAY)])
    resolve(store)
    [after] = [d.detail for d in store.discrepancies() if d.kind == "rank" and d.paper_id == "arxiv:3101.00023"]
    assert "tied with 3101.00022" in after and "title:" not in after


def test_a_mention_is_adopted_though_papers_of_their_own_outnumber_the_runs_arxiv_papers(tmp_path):
    # Rule: with more papers of their own than arXiv papers in a run (a daily run), the
    # candidates are found from the arXiv papers' blocks; the name before the colon is one,
    # so a paper of its own filed under the bare name is among them (probe25).
    store = Store(tmp_path / "daily-mention.db")
    _run(store, [_item("a", DAY, extra={"mention": True, "mentioned_as": "QuellNet"}),
                 _item("b", DAY, title="Owl Pellet Analysis with Tiny Models"),
                 _item("c", DAY, title="Wren Song Segmentation at Dawn"),
                 _record(DAY, 9, arxiv_id="3101.00017", title=f"QuellNet: {TITLE}", published=DAY)], True)
    assert [(oid, pid, method) for oid, pid, method, _ in _links(store)][0] == (1, "arxiv:3101.00017", "mention")
