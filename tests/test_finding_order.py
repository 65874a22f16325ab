"""A finding lists its values in an order of its own (source, site, time, address), never in
ingest order, so the same data reads the same every run. These pin the places where a
missing site, time or address sorts: before any present one (mutation testing found that
the placeholder a missing value sorts as could change without a test noticing)."""

from __future__ import annotations

import datetime as dt

from reconcile.checks.base import CheckContext
from reconcile.checks.claims import check_numeric_claims
from reconcile.checks.counts import check_upvotes
from reconcile.checks.titles import check_title
from reconcile.models import Observation, Source

T0 = dt.datetime(2026, 2, 5, 14, 0, tzinfo=dt.timezone.utc)
CTX = CheckContext(documents={})


def observation(id_: int, source: Source, **fields) -> Observation:
    return Observation(id=id_, source=source, arxiv_id="3105.00001", **{"observed_at": T0, **fields})


def test_a_count_seen_with_no_site_comes_before_one_of_a_site_at_the_same_time():
    # '1mirror' sorts after '' but before the letters a placeholder might use.
    found = check_upvotes("arxiv:3105.00001", [observation(2, Source.HUGGINGFACE, site="1mirror", upvotes=12),
                                                observation(1, Source.HUGGINGFACE, site=None, upvotes=10)], CTX)
    assert [v.observation_id for v in found[0].values] == [1, 2]


def test_a_differing_title_without_an_address_comes_before_one_with_a_relative_address():
    trusted = observation(1, Source.ARXIV, site="arxiv.org", title="Quiet Lanterns for Counting Fireflies")
    cut = observation(2, Source.DIGEST, site="heron", url="/p/3105.00001", title="Quiet Lanterns for Counting Moths")
    bare = observation(3, Source.DIGEST, site="heron", title="Quiet Lanterns for Counting Beetles")
    found = check_title("arxiv:3105.00001", [trusted, cut, bare], CTX)
    assert [v.observation_id for v in found[0].values] == [1, 3, 2]


def test_an_observation_without_a_time_stands_for_its_site_before_a_timed_one():
    # Two captures of one site: the one with no time sorts first and stands for the site;
    # its 167x disagrees with the other site's 170x, the timed capture's 170x would not.
    untimed = observation(1, Source.DIGEST, site="heron", observed_at=None,
                          summary="MadeUpNet is 167x faster than ToyModel on ToyBench.")
    timed = observation(2, Source.DIGEST, site="heron", summary="MadeUpNet is 170x faster than ToyModel on ToyBench.")
    other = observation(3, Source.DIGEST, site="wren", summary="MadeUpNet is 170x faster than ToyModel on ToyBench.")
    found = check_numeric_claims("arxiv:3105.00001", [timed, other, untimed], CTX)
    assert len(found) == 1 and {v.observation_id for v in found[0].values} == {1, 3}
