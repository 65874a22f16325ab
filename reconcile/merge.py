"""Merging a paper's observations into one record, field by field, with provenance.

Which value of a field is usable and which is preferred is the policy of
:mod:`reconcile.policy` (source precedence, then recency; no unrepaired mojibake, no page
furniture). ``provenance`` names, for every merged field, the observation and source it came
from.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from reconcile.models import Document, Observation, Paper, iso
from reconcile.policy import PRECEDENCE, SOURCE_ORDER, cut_list, pick, time_basis

def merge(paper_id: str, observations: Sequence[Observation], documents: dict[int, Document],
          exclude: Collection[int] = ()) -> Paper:
    """The merged record of one paper from all of its observations but those ``exclude``
    names (items linked by an id their own title contradicts:
    :func:`reconcile.checks.evidence.own_title_disagrees`), which give no value."""
    values: dict[str, Any] = {}
    provenance: dict[str, dict[str, Any]] = {}
    usable = [o for o in observations if o.id is None or o.id not in exclude] if exclude else observations
    for field in PRECEDENCE:
        chosen = pick(field, usable, documents)
        if chosen is None:
            continue
        values[field] = getattr(chosen, field)
        provenance[field] = {"observation_id": chosen.id, "source": chosen.source.value,
                             "site": chosen.site, "observed_at": iso(chosen.observed_at),
                             "observed_at_basis": basis.value if (basis := time_basis(chosen, documents)) else None}
        if field == "authors" and cut_list(chosen):
            # Every list of the best source is cut: the names are kept, said to be not all.
            provenance[field]["partial"] = True
            if chosen.authors_total:
                provenance[field]["authors_total"] = chosen.authors_total
        if field == "upvotes":
            values["upvotes_observed_at"] = chosen.observed_at
    return Paper(
        id=paper_id,
        arxiv_id=paper_id.removeprefix("arxiv:") if paper_id.startswith("arxiv:") else None,
        sources=sorted({o.source for o in observations}, key=SOURCE_ORDER.index),
        provenance=provenance,
        **values,
    )
