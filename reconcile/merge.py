"""Merging a paper's observations into one record, field by field, with provenance.

Each field has a source precedence (DESIGN.md: arXiv for title, authors, abstract and dates;
Hugging Face for upvotes and comments). Within the best source that has a usable value, the
most recently observed value wins. Values from a document whose mojibake could not be
repaired are not usable for text fields. ``provenance`` names, for every merged field, the
observation and source it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reconcile.models import Document, Observation, Paper, Source, iso

_TEXT_ORDER = (Source.ARXIV, Source.HUGGINGFACE, Source.ARXIVLENS, Source.DIGEST)

PRECEDENCE: dict[str, tuple[Source, ...]] = {
    "title": _TEXT_ORDER,
    "authors": _TEXT_ORDER,
    "abstract": _TEXT_ORDER,
    "published": _TEXT_ORDER,
    "upvotes": (Source.HUGGINGFACE, Source.DIGEST, Source.ARXIVLENS),
    "comments": (Source.HUGGINGFACE, Source.DIGEST),
    "organization": (Source.HUGGINGFACE, Source.ARXIVLENS, Source.DIGEST),
    "summary": (Source.ARXIVLENS, Source.DIGEST),
    "rank": (Source.DIGEST,),
}
_TEXT_FIELDS = {"title", "authors", "abstract", "organization", "summary"}


def is_garbage(field: str, value: Any) -> bool:
    """Page furniture stored as data (``·438 authors2`` as an organization): never merged.

    The test itself lives with the ``garbage_field`` detector, which flags these values.
    """
    from reconcile.checks.garbage import is_page_furniture

    return field in ("organization", "title") and isinstance(value, str) and is_page_furniture(value)


def _usable(field: str, obs: Observation, documents: dict[int, Document]) -> bool:
    value = getattr(obs, field)
    if value in (None, "", []):
        return False
    doc = documents.get(obs.document_id) if obs.document_id is not None else None
    if field in _TEXT_FIELDS and doc is not None and doc.mojibake and doc.repair is None:
        return False
    if field == "rank" and obs.extra.get("rank_basis") != "upvotes":
        return False  # an editorial position says nothing about a paper's standing
    return not is_garbage(field, value)


def _recency(obs: Observation) -> tuple[Any, int]:
    return (obs.observed_at.timestamp() if obs.observed_at else float("-inf"), obs.id or 0)


def pick(field: str, observations: Sequence[Observation], documents: dict[int, Document],
         key: Callable[[Observation], Any] = _recency) -> Observation | None:
    """The observation whose value of ``field`` the merged record takes, or None."""
    for source in PRECEDENCE[field]:
        usable = [o for o in observations if o.source == source and _usable(field, o, documents)]
        if usable:
            return max(usable, key=key)
    return None


def merge(paper_id: str, observations: Sequence[Observation], documents: dict[int, Document]) -> Paper:
    """The merged record of one paper from all of its observations."""
    values: dict[str, Any] = {}
    provenance: dict[str, dict[str, Any]] = {}
    for field in PRECEDENCE:
        chosen = pick(field, observations, documents)
        if chosen is None:
            continue
        values[field] = getattr(chosen, field)
        provenance[field] = {"observation_id": chosen.id, "source": chosen.source.value,
                             "site": chosen.site, "observed_at": iso(chosen.observed_at)}
        if field == "upvotes":
            values["upvotes_observed_at"] = chosen.observed_at
    return Paper(
        id=paper_id,
        arxiv_id=paper_id.removeprefix("arxiv:") if paper_id.startswith("arxiv:") else None,
        sources=sorted({o.source for o in observations}, key=_TEXT_ORDER.index),
        provenance=provenance,
        **values,
    )
