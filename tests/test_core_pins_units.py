"""Exact results of core rules that mutation testing found unpinned (second round).

What it pins: ``resolve`` placing observations (only an arXiv record's DOI is a key, an
observation with nothing to name it by does not stop the others, an adopted title-only
paper without links is still adopted, the summary line it logs), folding a site's recurring
quirk in the store and the count it returns, a crawl's stats stored as canonical JSON,
``extra`` refusing NaN and infinity however deeply nested, and the excerpt of the first
change that ``repair_text`` reports. Made-up papers (``3105.xxxxx`` ids, invented titles);
whole values are asserted, not fragments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re

import pydantic
import pytest

from reconcile.config import QuirkConfig, ReconcileConfig
from reconcile.match import own_paper_id
from reconcile.models import Crawl, Discrepancy, Document, Kind, Observation, Paper, Severity, Source, Value
from reconcile.resolve import fold_site_quirks, resolve
from reconcile.store import Store
from reconcile.text import normalize_title, repair_text

UTC = dt.timezone.utc
T = dt.datetime(2031, 5, 6, 9, 0, tzinfo=UTC)
DAY = T.date()
TITLE = "Lantern Routing for Sparse Mixture Models under Tight Memory Budgets"
OTHER_TITLE = "Quiet Harbors: Counting Fireflies with Small Models in the Dark"
THIRD_TITLE = "Velvet Tides: Sorting Pebbles by Weight on Windy Beaches"


def _doc(name: str, source: str, at: dt.datetime = T) -> Document:
    """A document of ``source`` at a made-up address, hashed from its name."""
    return Document(url=f"https://example.org/{name}", source=source, format=f"{source}-test",
                    observed_at=at, observed_at_basis="response",
                    sha256=hashlib.sha256(name.encode()).hexdigest())


def _links(store: Store) -> list[tuple[int, str, str]]:
    return [(r["observation_id"], r["paper_id"], r["method"])
            for r in store.db.query("select * from links order by observation_id")]


# -- resolve: placing observations ----------------------------------------------------------


def test_only_a_doi_an_arxiv_record_states_places_a_digest_item(tmp_path):
    # Rule: the DOI tier matches DOIs stated by arXiv records; a DOI that another source
    # with an id (Hugging Face) states is not a key, even in the same run.
    store = Store(tmp_path / "doi.db")
    store.add_documents([
        (_doc("arxiv", "arxiv"), [Observation(source="arxiv", arxiv_id="3105.00201", title=TITLE,
                                              published=DAY, extra={"doi": "10.5555/lantern.2031"})]),
        (_doc("hf", "huggingface"), [Observation(source="huggingface", arxiv_id="3105.00202", title=OTHER_TITLE,
                                                 listed_on=DAY, extra={"doi": "10.5555/harbors.2031"})]),
        (_doc("blog", "digest"), [
            Observation(source="digest", site="blog", title="Lanterns, Routed (a blog's own headline)",
                        listed_on=DAY, extra={"doi": "10.5555/LANTERN.2031"}),
            Observation(source="digest", site="blog", title=THIRD_TITLE, listed_on=DAY,
                        extra={"doi": "10.5555/harbors.2031"}),
        ]),
    ])
    summary = resolve(store)
    assert _links(store) == [
        (1, "arxiv:3105.00201", "arxiv_id"),
        (2, "arxiv:3105.00202", "hf_id"),
        (3, "arxiv:3105.00201", "doi"),  # the DOI is compared without case
        (4, own_paper_id(normalize_title(THIRD_TITLE)), "unmatched"),
    ]
    assert summary.by_method == {"arxiv_id": 1, "hf_id": 1, "doi": 1, "unmatched": 1}


def test_an_item_with_nothing_to_name_it_by_stays_unplaced_and_the_rest_are_placed(tmp_path):
    # Rule: an observation without an id, a DOI match, a title or a mentioned name is left
    # unplaced (and counted), and placing goes on with the observations after it.
    store = Store(tmp_path / "nameless.db")
    store.add_documents([(_doc("blog", "digest"), [
        Observation(source="digest", site="blog", listed_on=DAY, upvotes=7),
        Observation(source="digest", site="blog", title=TITLE, listed_on=DAY),
        Observation(source="digest", site="blog", title=OTHER_TITLE, listed_on=DAY),
    ])])
    summary = resolve(store)
    assert (summary.new_observations, summary.linked, summary.unplaced) == (3, 2, 1)
    assert _links(store) == [(2, own_paper_id(normalize_title(TITLE)), "unmatched"),
                             (3, own_paper_id(normalize_title(OTHER_TITLE)), "unmatched")]
    assert [o.id for o in store.unlinked_observations()] == [1]


def test_a_title_only_paper_without_stored_links_is_still_adopted(tmp_path):
    # Rule: adoption moves whatever links the title-only paper has (here none: a papers row
    # left without links) and deletes the paper; no links is not an error.
    store = Store(tmp_path / "bare.db")
    orphan = own_paper_id(normalize_title(TITLE))
    store.save_papers([Paper(id=orphan, title=TITLE)], {})
    store.add_documents([(_doc("arxiv", "arxiv"), [Observation(source="arxiv", arxiv_id="3105.00301",
                                                               title=TITLE, published=DAY)])])
    summary = resolve(store)
    assert (summary.new_observations, summary.linked, summary.adopted) == (1, 1, 1)
    assert _links(store) == [(1, "arxiv:3105.00301", "arxiv_id")]
    assert [p.id for p in store.papers()] == ["arxiv:3105.00301"]


def test_resolve_logs_one_summary_line_with_its_counts(tmp_path, caplog):
    # Rule: a run logs what it did: observations placed, papers touched, links by method,
    # papers adopted and findings.
    store = Store(tmp_path / "log.db")
    store.add_documents([(_doc("arxiv", "arxiv"), [Observation(source="arxiv", arxiv_id="3105.00401",
                                                               title=TITLE, published=DAY)])])
    with caplog.at_level(logging.INFO, logger="reconcile.resolve"):
        summary = resolve(store)
    [line] = [r.getMessage() for r in caplog.records if r.name == "reconcile.resolve"]
    assert summary.discrepancies == 0
    head, steps = line.split("; ")
    assert head == "resolved 1 new observations into 1 papers ({'arxiv_id': 1}), 0 adopted, 0 discrepancies"
    assert re.fullmatch(r"placing \d+\.\d s, checking \d+\.\d s in 1 process\(es\)", steps)
    assert set(summary.seconds) == {"placing", "checking"} and all(s >= 0 for s in summary.seconds.values())


# -- resolve: folding a site's quirk in the store -----------------------------------------------


def _garbage(n: int, value: str) -> Discrepancy:
    """A per-paper ``garbage_field`` finding of the heron blog's organization field."""
    return Discrepancy(id=f"{n:016x}", paper_id=f"arxiv:3105.{n:05d}", kind=Kind.GARBAGE_FIELD,
                       field="organization", severity=Severity.WARNING, detail="furniture as organization",
                       values=[Value(source=Source.DIGEST, site="heron", value=value, observed_at=T,
                                     observation_id=n)])


def test_folding_returns_how_many_fewer_findings_there_are(tmp_path):
    # Rule: three per-paper findings of one quirk become one site finding (two fewer); when
    # the site finding already exists, each folded paper finding is one fewer.
    config = ReconcileConfig(quirks=QuirkConfig(min_papers=3))
    store = Store(tmp_path / "quirk.db")
    store.save_papers([], {f"arxiv:3105.{n:05d}": [_garbage(n, f"·{n + 3} authors")] for n in (1, 2, 3)})
    with store.transaction():
        assert fold_site_quirks(store, config) == 2
    [site] = store.discrepancies()
    assert site.paper_id == "site:heron" and [v.paper_id for v in site.values] == [
        "arxiv:3105.00001", "arxiv:3105.00002", "arxiv:3105.00003"]
    # A later run finds the quirk on a fourth paper: it joins the existing site finding.
    store.save_papers([], {"arxiv:3105.00004": [_garbage(4, "·7 authors")]})
    with store.transaction():
        assert fold_site_quirks(store, config) == 1
    [grown] = store.discrepancies()
    assert grown.id == site.id and len(grown.values) == 4


# -- store ----------------------------------------------------------------------------------


def test_a_crawls_stats_are_stored_as_json_with_sorted_keys(tmp_path):
    # Rule: JSON columns hold canonical JSON (keys sorted), whatever order the stats came in.
    store = Store(tmp_path / "crawl.db")
    crawl_id = store.start_crawl(Crawl(spider="heron", started_at=T))
    store.finish_crawl(crawl_id, "finished", {"zeta_count": 2, "alpha_count": 1, "middle": "x"},
                       T + dt.timedelta(minutes=5))
    [raw] = [r[0] for r in store.db.execute("select stats from crawls")]
    assert raw == '{"alpha_count": 1, "middle": "x", "zeta_count": 2}'
    [crawl] = store.crawls()
    assert list(crawl.stats) == ["alpha_count", "middle", "zeta_count"]


# -- models -----------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [
    {"score": float("nan")},
    {"scores": [1.0, {"inner": (2.0, float("inf"))}]},
    {"a": {"b": {"c": [float("-inf")]}}},
])
def test_an_observations_extra_refuses_nan_and_infinity_at_any_depth(extra):
    # Rule: JSON has no NaN or infinity, so ``extra`` holding one anywhere is refused.
    with pytest.raises(pydantic.ValidationError, match="is not a finite number"):
        Observation(source="digest", title=TITLE, extra=extra)


def test_an_observations_extra_with_finite_numbers_is_kept_as_given():
    extra = {"scores": [1.5, {"inner": (2.0, 0)}], "doi": "10.5555/x"}
    assert Observation(source="digest", title=TITLE, extra=extra).extra == extra


# -- text --------------------------------------------------------------------------------------


def test_the_repair_sample_ends_a_context_width_after_the_change():
    # Rule: the sample shows SAMPLE_CONTEXT characters before and after the changed part
    # (at least 20 characters in all), not the whole rest of the line.
    good = "A study of naïve routing in sparse expert models at scale"
    repair = repair_text(good.encode("utf-8").decode("mac_roman"))
    assert (repair.text, repair.method) == (good, "roundtrip:mac_roman")
    assert repair.sample == ("A study of na√Øve routing in s", "A study of naïve routing in s")


def test_a_paper_checked_again_without_the_quirk_or_adopted_leaves_the_site_finding(tmp_path):
    # Rule: a paper checked again that no longer shows the furniture (a first-hand source
    # now states the value) leaves the site finding, and so does an adopted paper of its
    # own (its adopter comes in its place, not beside it); with no paper left, the finding
    # goes. Before, members were never dropped: "22 papers" where 21 showed it (probe23).
    config = ReconcileConfig(quirks=QuirkConfig(min_papers=3))
    store = Store(tmp_path / "quirk.db")
    store.save_papers([], {f"arxiv:3105.{n:05d}": [_garbage(n, f"·{n + 3} authors")] for n in (1, 2, 3, 4)})
    with store.transaction():
        fold_site_quirks(store, config)
    # Paper 2 is checked again and shows no furniture; paper 3 was adopted by paper 5.
    store.save_papers([], {"arxiv:3105.00005": [_garbage(5, "·6 authors")]})
    with store.transaction():
        fold_site_quirks(store, config, rechecked=["arxiv:3105.00002", "arxiv:3105.00005"], gone=["arxiv:3105.00003"])
    [site] = store.discrepancies()
    assert [v.paper_id for v in site.values] == ["arxiv:3105.00001", "arxiv:3105.00004", "arxiv:3105.00005"]
    assert "of 3 papers" in site.detail
    with store.transaction():
        fold_site_quirks(store, config, rechecked=["arxiv:3105.00001", "arxiv:3105.00004", "arxiv:3105.00005"])
    assert store.discrepancies() == []
