"""Findings probe26 found overstated or told by ingest order: against a revised arXiv
record, a list of a day before the revision read after it and a numeric claim seen before
it; against a record fetched days before the other source was seen; and the list a
``missing`` finding names. Made-up titles, names and numbers."""

from __future__ import annotations

import datetime as dt

from reconcile.checks.authors import check_authors
from reconcile.checks.claims import check_numeric_claims
from reconcile.checks.titles import check_title
from reconcile.models import Severity, Source, TimeBasis

from .test_checks_fields import LONG_TITLE, SEEN, obs, run

V1_TITLE = "Counting Fireflies with Tiny Models"
DAY = SEEN.date()  # the list's day: 2026-02-05; it is read (SEEN) on that day


def _revised(updated: dt.datetime, **fields):
    return obs(1, Source.ARXIV, arxiv_version=2, extra={"updated": updated.isoformat()}, **fields)


def test_a_list_of_a_day_before_the_revision_read_after_it_may_be_the_earlier_versions():
    # Read (a capture time) two days after v2 appeared, but a list of the day before it:
    # its text was most likely written for its day, from v1 (probe26 s23: a warning).
    updated = SEEN - dt.timedelta(days=2)
    listed_before = {"listed_on": DAY - dt.timedelta(days=3), "observed_at_basis": TimeBasis.GIVEN}
    d = run(check_title, _revised(updated, title=LONG_TITLE),
            obs(2, Source.HUGGINGFACE, title=V1_TITLE, **listed_before))[0]
    assert d.severity == Severity.INFO
    assert f"a list of {DAY - dt.timedelta(days=3)}, a day before arXiv's v2 of" in d.detail
    d = run(check_authors, _revised(updated, authors=["Ada Quill", "Bo Rennet", "Cy Marlow"]),
            obs(2, Source.HUGGINGFACE, authors=["Ada Quill", "Bo Rennet", "Zed Orr"], **listed_before))[0]
    assert d.severity == Severity.INFO and "a day before arXiv's v2" in d.detail
    # A list of the revision's day or later, read after it: the difference stands.
    listed_after = {"listed_on": updated.date(), "observed_at_basis": TimeBasis.GIVEN}
    d = run(check_title, _revised(updated, title=LONG_TITLE),
            obs(2, Source.HUGGINGFACE, title=V1_TITLE, **listed_after))[0]
    assert d.severity == Severity.WARNING


def test_a_claim_seen_before_arxivs_revision_only_informs():
    # arXiv's v2 says 15% and appeared after the digest was seen, which says v1's 12%: an
    # error before (probe26 s28), though the title and authors checks called it info.
    v2 = _revised(SEEN + dt.timedelta(days=7), abstract="Cinder lifts accuracy by 15% on ToyTab.")
    seen = {"summary": "Cinder lifts accuracy by 12% on ToyTab.", "observed_at_basis": TimeBasis.GIVEN}
    [d] = run(check_numeric_claims, v2, obs(2, Source.DIGEST, **seen))
    assert d.severity == Severity.INFO
    assert "before arXiv's v2 of" in d.detail and "numbers can change between versions" in d.detail
    # Seen by its own clock after the revision appeared: the claim stands against v2.
    early = _revised(SEEN - dt.timedelta(days=7), abstract="Cinder lifts accuracy by 15% on ToyTab.")
    [d] = run(check_numeric_claims, early, obs(2, Source.DIGEST, **seen))
    assert d.severity == Severity.ERROR



def test_a_missing_finding_names_the_same_list_whatever_order_two_lists_of_one_time_came_in(tmp_path):
    # Two complete Hugging Face lists of one day captured at one time (pages saved apart):
    # the finding named whichever was ingested last (its document id), "1 papers" in one
    # order and "2 papers" in the other (probe26 s26). Now the earlier address, both ways.
    import hashlib

    from reconcile.models import Document, Observation
    from reconcile.resolve import resolve
    from reconcile.store import Store

    at = SEEN + dt.timedelta(days=1)

    def listing(name: str, ids: list[int]) -> tuple[Document, list[Observation]]:
        doc = Document(url=f"https://huggingface.co/api/daily_papers/{name}", source=Source.HUGGINGFACE,
                       format="huggingface-daily-papers", observed_at=at, observed_at_basis=TimeBasis.RESPONSE,
                       sha256=hashlib.sha256(name.encode()).hexdigest())
        return doc, [Observation(source=Source.HUGGINGFACE, arxiv_id=f"3105.{n:05d}", title=f"Heron {n}",
                                 listed_on=DAY) for n in ids]

    blog = (Document(url="https://blog.example/list", source=Source.DIGEST, site="blog", format="digest-test",
                     observed_at=at, observed_at_basis=TimeBasis.RESPONSE, sha256="b" * 64),
            [Observation(source=Source.DIGEST, site="blog", arxiv_id="3105.00009", title="Heron 9", listed_on=DAY)])
    details = []
    for n, order in enumerate((["a", "b"], ["b", "a"])):
        store = Store(tmp_path / f"{n}.db")
        pages = {"a": listing("a", [1, 2]), "b": listing("b", [1])}
        for name in order:
            store.add_documents([pages[name]])
        store.add_documents([blog])
        resolve(store)
        details.append(sorted(d.detail for d in store.discrepancies() if d.kind.value == "missing"))
    assert details[0] == details[1] and details[0]


def test_a_claim_seen_days_after_an_arxiv_record_was_fetched_only_informs(tmp_path):
    # We hold arXiv's v1 only, fetched twelve days before the digest was seen: a version may
    # have appeared in between (probe26 s20: "12% vs 15%" was an error).
    from reconcile.config import ReconcileConfig

    record = obs(1, Source.ARXIV, arxiv_version=1, abstract="Cinder lifts accuracy by 12% on ToyTab.")
    record[0].observed_at = SEEN - dt.timedelta(days=12)
    digest = obs(2, Source.DIGEST, summary="Cinder lifts accuracy by 15% on ToyTab.", observed_at_basis=TimeBasis.GIVEN)
    [d] = run(check_numeric_claims, record, digest)
    assert d.severity == Severity.INFO and "record (v1) was fetched 12 days before digest/" in d.detail
    # Fetched the day before: the claim stands.
    record[0].observed_at = SEEN - dt.timedelta(days=1)
    assert run(check_numeric_claims, record, digest)[0].severity == Severity.ERROR
    # The bound is a setting, refused below 0.
    bad = tmp_path / "bad.toml"
    bad.write_text("[versions]\nstale_record_days = -1\n", encoding="utf-8")
    try:
        ReconcileConfig.from_toml(bad)
    except ValueError as exc:
        assert "stale_record_days" in str(exc)
    else:
        raise AssertionError("a negative stale_record_days was taken")


def test_a_list_seen_again_as_it_was_gives_the_paper_its_latest_count(tmp_path):
    # One address read as A (50) at 08:00, B (48) at 12:00, and A again at 16:00: A is
    # stored once, its 16:00 fetch a sighting, and the paper said 48 "as of 12:00" though 50
    # was seen at 16:00 (probe26 s10). The merge times a document by its latest capture; the
    # checks keep the first (the fall 50 -> 48 between 08:00 and 12:00 is still told).
    import hashlib

    from reconcile.models import Document, Observation
    from reconcile.resolve import resolve
    from reconcile.store import Store

    def capture(count: int, hour: int) -> tuple[Document, list[Observation]]:
        body = f"list with {count}"
        doc = Document(url="https://huggingface.co/api/daily_papers?date=2026-02-05", source=Source.HUGGINGFACE,
                       format="huggingface-daily-papers", observed_at=SEEN.replace(hour=hour),
                       observed_at_basis=TimeBasis.RESPONSE, sha256=hashlib.sha256(body.encode()).hexdigest())
        return doc, [Observation(source=Source.HUGGINGFACE, arxiv_id="3105.00001", title="Heron Counting",
                                 listed_on=DAY, upvotes=count, observed_at=SEEN.replace(hour=hour),
                                 observed_at_basis=TimeBasis.RESPONSE)]

    store = Store(tmp_path / "flip.db")
    for count, hour in ((50, 8), (48, 12), (50, 16)):
        store.add_documents([capture(count, hour)])
        resolve(store)
    [paper] = store.papers()
    assert (paper.upvotes, paper.upvotes_observed_at) == (50, SEEN.replace(hour=16))
    [fall] = [d for d in store.discrepancies() if d.kind.value == "upvotes"]
    assert "fell from 50" in fall.detail and "to 48" in fall.detail
