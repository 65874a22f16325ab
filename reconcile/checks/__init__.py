"""Discrepancy detectors: one module per kind of DESIGN.md, each over one paper.

Every detector gets the paper's observations and a :class:`CheckContext` (the documents
they came from, and what cross-paper checks need) and returns the discrepancies it finds,
each with every value, its source, site, time and the basis of that time. Ids are derived
from what was found (paper, kind, field, document), so the same finding keeps its id
across runs and a finding the data no longer supports disappears when the paper is
re-checked.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconcile.models import Discrepancy, Observation
from reconcile.policy import recency

from .base import CheckContext, Detector, discrepancy_id, value_of
from .abstracts import check_abstract
from .authors import check_authors
from .claims import check_numeric_claims
from .counts import check_comments, check_upvotes, count_severity
from .dates import check_published
from .encoding import check_mojibake, check_replacement_chars
from .evidence import with_settled_by
from .garbage import check_garbage
from .missing import check_missing
from .rank import check_rank
from .titles import check_title, own_title_disagrees

DETECTORS: tuple[Detector, ...] = (check_upvotes, check_comments, check_rank, check_title, check_authors,
                                   check_published, check_abstract, check_mojibake,
                                   check_replacement_chars, check_garbage, check_numeric_claims,
                                   check_missing)


def check_paper(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Every discrepancy of one paper, from every detector, each naming the evidence that
    would settle it."""
    # In an order of their content, not of their ids (which follow the order files were
    # ingested in): the evidence of a finding lists them so, and the same files ingested
    # in any order give the same report.
    observations = sorted(observations, key=lambda o: recency(o, ctx.documents))
    ctx.disagreeing.update(own_title_disagrees(observations, ctx.links))
    found = [d for detect in DETECTORS for d in detect(paper_id, observations, ctx)]
    return [d.model_copy(update={"detail": with_settled_by(d.detail, d.kind.value)}) for d in found]


__all__ = ["DETECTORS", "CheckContext", "Detector", "check_paper", "count_severity", "discrepancy_id",
           "value_of"]
