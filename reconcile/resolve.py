"""``reconcile resolve``: place new observations, then re-merge and re-check what they touch.

Incremental by construction: only observations without a link are matched, and only the
papers those new links point to are merged and checked again, from all of their
observations. A second run finds nothing new and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from reconcile import checks, match, merge
from reconcile.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolveSummary:
    """What one ``resolve`` run did."""

    new_observations: int
    linked: int
    unplaced: int
    papers_touched: int
    discrepancies: int


def resolve(store: Store) -> ResolveSummary:
    """Link new observations, merge and check the papers they touch, save it atomically."""
    new = store.unlinked_observations()
    links = match.link_by_identifier(new)
    touched = sorted({link.paper_id for link in links})
    if not touched:
        return ResolveSummary(len(new), 0, len(new), 0, 0)
    by_paper = store.observations_of_papers(touched)
    new_by_id = {o.id: o for o in new}
    for link in links:
        by_paper.setdefault(link.paper_id, []).append(new_by_id[link.observation_id])
    doc_ids = {o.document_id for group in by_paper.values() for o in group if o.document_id is not None}
    documents = store.documents(doc_ids)
    papers, found = [], {}
    for paper_id in touched:
        observations = sorted(by_paper[paper_id], key=lambda o: o.id or 0)
        papers.append(merge.merge(paper_id, observations, documents))
        found[paper_id] = checks.check_paper(paper_id, observations, checks.CheckContext(documents))
    store.save_resolution(links, papers, found)
    total = sum(len(f) for f in found.values())
    log.info("resolved %d new observations into %d papers, %d discrepancies", len(links), len(touched), total)
    return ResolveSummary(len(new), len(links), len(new) - len(links), len(touched), total)
