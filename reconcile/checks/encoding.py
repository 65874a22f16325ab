"""Encoding damage of the documents a paper's observations came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reconcile.models import Discrepancy, Document, Kind, Observation, Severity

from .base import REPAIRS, CheckContext, discrepancy_id, value_of

def _describe_repair(method: str | None) -> str:
    if not method:
        return "it could not be repaired"
    steps = []
    for step in method.split(">"):
        how, _, codec = step.partition(":")
        if how == "roundtrip":
            steps.append(f"UTF-8 text decoded as {REPAIRS.get(codec, codec)}, repaired exactly "
                         "by re-encoding the whole document")
        else:
            steps.append(f"repaired line by line with {how}")
    return "; then ".join(steps)


def _per_document(observations: Sequence[Observation], documents: dict[int, Document],
                  wanted: Callable[[Document], bool]) -> list[tuple[Document, Observation]]:
    seen, pairs = set(), []
    for obs in observations:
        doc = documents.get(obs.document_id) if obs.document_id is not None else None
        if doc is not None and wanted(doc) and doc.id not in seen:
            seen.add(doc.id)
            pairs.append((doc, obs))
    return pairs


def check_mojibake(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Documents about this paper whose text was mis-decoded, with the repair made."""
    found = []
    for doc, obs in _per_document(observations, ctx.documents, lambda d: d.mojibake):
        severity = Severity.WARNING if doc.repair else Severity.ERROR
        found.append(Discrepancy(
            id=discrepancy_id(paper_id, Kind.MOJIBAKE, doc.sha256), paper_id=paper_id,
            document_id=doc.id, observation_id=obs.id, kind=Kind.MOJIBAKE, field="document",
            severity=severity, values=[value_of(obs, doc.repair_sample, ctx.documents)],
            detail=f"{doc.url}: {_describe_repair(doc.repair)}"))
    return found


def check_replacement_chars(paper_id: str, observations: Sequence[Observation],
                            ctx: CheckContext) -> list[Discrepancy]:
    """U+FFFD characters in what a document said about this paper: bytes lost upstream.

    Parsers that know which part of a document belongs to which paper count them per item
    (``extra['replacement_chars']``); for the others every paper of the document is flagged.
    """
    found = []
    for doc, obs in _per_document(observations, ctx.documents, lambda d: d.replacement_chars > 0):
        in_item = obs.extra.get("replacement_chars")
        if in_item == 0:
            continue
        where = (f"{in_item} in this paper's part, {doc.replacement_chars} in the document"
                 if in_item else f"{doc.replacement_chars} in the document")
        found.append(Discrepancy(
            id=discrepancy_id(paper_id, Kind.REPLACEMENT_CHAR, doc.sha256), paper_id=paper_id,
            document_id=doc.id, observation_id=obs.id, kind=Kind.REPLACEMENT_CHAR, field="document",
            severity=Severity.WARNING,
            values=[value_of(obs, obs.extra.get("replacement_context") or in_item or doc.replacement_chars,
                             ctx.documents)],
            detail=f"{doc.url}: U+FFFD replacement characters ({where}); the bytes were lost "
                   "before we saw them and cannot be restored"))
    return found


