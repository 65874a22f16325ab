"""A stored document fetched again unchanged is a sighting (``Store.add_sighting``): its
later capture time proves a day's list complete. All data here is made up."""

from __future__ import annotations

import datetime as dt
import json

from reconcile.models import TimeBasis
from reconcile.resolve import resolve
from reconcile.store import Store
from scrapers.pages import read_page

UTC = dt.timezone.utc
DAY = "2031-05-06"
LIST_URL = f"https://huggingface.co/api/daily_papers?date={DAY}&limit=100"


def _hf_item(pid: str, title: str) -> dict:
    return {"paper": {"id": pid, "title": title, "upvotes": 7, "authors": [{"name": "Ana Li"}],
                      "publishedAt": f"{DAY}T00:00:00.000Z", "submittedOnDailyAt": f"{DAY}T03:00:00.000Z",
                      "summary": "Made-up abstract."}, "numComments": 0, "title": title}


HF_LIST = json.dumps([_hf_item("3105.00101", "Made-Up Lanterns"), _hf_item("3105.00202", "Made-Up Pebbles")])
DIGEST = (f"# Made-up daily papers {DAY}\n\n"
          "1. [Made-Up Lanterns](https://arxiv.org/abs/3105.00101) 👍 9\n"
          "2. [Made-Up Fireflies](https://arxiv.org/abs/3105.00303) 👍 8\n")


def _add(store: Store, url: str, body: str, at: dt.datetime) -> list:
    page = read_page(url, body.encode(), {}, given_at=at)
    return store.add_documents([(page.document, page.observations)])


def _missing(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("select paper_id from discrepancies where kind = 'missing'")]


def test_a_list_fetched_during_its_day_and_again_unchanged_after_it_is_complete(tmp_path):
    """The second fetch was dropped as a duplicate, so the list stayed partial and the
    digest's Fireflies, absent from Hugging Face's whole day, was never missing; a database
    that held only the later fetch said it was: the same lists, two answers."""
    early, late = (tmp_path / "early.db", tmp_path / "late.db")
    during, after = dt.datetime(2031, 5, 6, 12, tzinfo=UTC), dt.datetime(2031, 5, 7, 6, tzinfo=UTC)
    both = Store(early)
    assert _add(both, LIST_URL, HF_LIST, during) != [None]
    _add(both, "file:///x/2031-05-06-digest.md", DIGEST, during)
    resolve(both)
    assert _missing(both) == []  # the list was partial then: nothing is missing against it
    assert _add(both, LIST_URL, HF_LIST, after) == [None]  # unchanged: no new version ...
    assert both.db.execute("select count(*) from sightings").fetchone()[0] == 1  # ... but seen again
    assert "arxiv:3105.00303" in both.pending_papers()
    resolve(both)
    only_late = Store(late)
    _add(only_late, LIST_URL, HF_LIST, after)
    _add(only_late, "file:///x/2031-05-06-digest.md", DIGEST, during)
    resolve(only_late)
    assert _missing(both) == _missing(only_late) == ["arxiv:3105.00303"]


def test_a_capture_at_a_time_not_stored_is_a_sighting(tmp_path):
    # An earlier capture than the stored ones is kept too (the evening's file ingested after
    # the night's was dropped: what the database knew depended on the order of ingest);
    # the latest one still says when the list stood.
    store = Store(tmp_path / "s.db")
    at = dt.datetime(2031, 5, 7, 6, tzinfo=UTC)
    [doc_id] = _add(store, LIST_URL, HF_LIST, at)
    assert not store.add_sighting(doc_id, at, TimeBasis.RESPONSE)  # the same time
    assert store.add_sighting(doc_id, at - dt.timedelta(hours=1), TimeBasis.RESPONSE)  # earlier
    assert not store.add_sighting(doc_id, at - dt.timedelta(hours=1), TimeBasis.RESPONSE)  # stored already
    assert not store.add_sighting(doc_id, at + dt.timedelta(days=1), TimeBasis.FILE_MTIME)  # no capture time
    assert store.add_sighting_of_url(LIST_URL, at + dt.timedelta(days=1), TimeBasis.RESPONSE)  # a 304
    assert not store.add_sighting_of_url("https://example.test/never-stored", at, TimeBasis.RESPONSE)
    assert list(store.latest_sightings([doc_id]).values()) == [(at + dt.timedelta(days=1), TimeBasis.RESPONSE)]
    assert store.db.execute("select count(*) from sightings").fetchone()[0] == 2


def test_an_unchanged_list_captured_twice_gives_one_answer_in_either_order(tmp_path):
    # Rule: an observation is timed by its document's first capture. Hugging Face's list
    # (7 upvotes) captured at 20:00 and again, unchanged, at 01:00; a digest captured at
    # 22:00 says 5. Ingested 20:00 first, the list's count was timed 20:00 (a fall to the
    # digest's 5 at 22:00: warning); 01:00 first, it was timed 01:00 (a rise: info) (probe23).
    evening = dt.datetime(2031, 5, 6, 20, tzinfo=UTC)
    night = dt.datetime(2031, 5, 7, 1, tzinfo=UTC)
    answers = []
    for n, order in enumerate(((evening, night), (night, evening))):
        store = Store(tmp_path / f"order{n}.db")
        for at in order:
            _add(store, LIST_URL, HF_LIST, at)
        _add(store, "file:///x/2031-05-06-digest.md", DIGEST.replace("👍 9", "👍 5"), evening + dt.timedelta(hours=2))
        resolve(store)
        answers.append(sorted((d.paper_id, d.kind, d.severity.value, d.detail) for d in store.discrepancies()
                              if d.kind == "upvotes"))
    assert answers[0] == answers[1] and answers[0], answers
