"""Encoding damage of the documents a paper's observations came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reconcile.models import Discrepancy, Document, Kind, Observation, Severity, Value

from .base import REPAIRS, CheckContext, discrepancy_id

def _describe_repair(method: str | None) -> str:
    """How a document was repaired, in words, from :func:`reconcile.text.repair_text`'s
    method: whole-document round trips joined by ">" ("roundtrip:latin-1>roundtrip:mac_roman"),
    or line-by-line ways joined by "," and each ending ":lines"
    ("roundtrip:latin-1:lines,ftfy:lines")."""
    if not method:
        return "it could not be repaired"
    if method.endswith(":lines"):
        return "; and ".join(_describe_steps(part.removesuffix(":lines"), "the lines it repaired")
                             if part.startswith("roundtrip:") else
                             f"repaired line by line with {part.removesuffix(':lines')}"
                             for part in method.split(","))
    return _describe_steps(method, "the whole document")


def _describe_steps(steps: str, what: str) -> str:
    """Round trips joined by ">" ("roundtrip:latin-1>roundtrip:mac_roman"), in words."""
    codecs = [step.removeprefix("roundtrip:") for step in steps.split(">")]
    return "; then ".join(f"UTF-8 text decoded as {REPAIRS.get(codec, codec)}, repaired exactly "
                          f"by re-encoding {what}" for codec in codecs)


def _per_document(observations: Sequence[Observation], documents: dict[int, Document],
                  wanted: Callable[[Document], bool]) -> list[tuple[Document, Observation]]:
    seen, pairs = set(), []
    for obs in observations:
        doc = documents.get(obs.document_id) if obs.document_id is not None else None
        if doc is not None and wanted(doc) and doc.id not in seen:
            seen.add(doc.id)
            pairs.append((doc, obs))
    return pairs


#: Papers named in a document finding's detail; the rest are counted.
MAX_NAMED = 8


def _owner_and_papers(paper_id: str, doc: Document, ctx: CheckContext) -> tuple[str, list[str]]:
    """The paper a document's finding is filed under (the first of the document's papers, so
    every paper of the document files the same row) and all of its papers."""
    papers = ctx.document_papers.get(doc.id) or [paper_id]
    if paper_id not in papers:
        papers = sorted({*papers, paper_id})
    return papers[0], papers


def _carries(papers: list[str]) -> str:
    named = ", ".join(p.removeprefix("arxiv:") for p in papers[:MAX_NAMED])
    more = len(papers) - MAX_NAMED
    return (f"{len(papers)} paper{'s' * (len(papers) > 1)}: {named}"
            + (f" and {more} more" if more > 0 else ""))


def _document_value(doc: Document, value: object) -> Value:
    return Value(source=doc.source, site=doc.site, value=value, observed_at=doc.observed_at,
                 observed_at_basis=doc.observed_at_basis)


def check_mojibake(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Documents about this paper whose text was mis-decoded, with the repair made: one
    finding per document, filed under its first paper and naming every paper it carries
    (issue 11: the document is the fact, not each of its papers)."""
    found = []
    for doc, _ in _per_document(observations, ctx.documents, lambda d: d.mojibake):
        owner, papers = _owner_and_papers(paper_id, doc, ctx)
        severity = Severity.WARNING if doc.repair else Severity.ERROR
        found.append(Discrepancy(
            id=discrepancy_id(f"document:{doc.sha256}", Kind.MOJIBAKE), paper_id=owner,
            document_id=doc.id, kind=Kind.MOJIBAKE, field="document",
            severity=severity, values=[_document_value(doc, doc.repair_sample)],
            detail=f"{doc.url}: {_describe_repair(doc.repair)}; in a document that carries {_carries(papers)}"))
    return found


def check_replacement_chars(paper_id: str, observations: Sequence[Observation],
                            ctx: CheckContext) -> list[Discrepancy]:
    """U+FFFD characters in a document about this paper: bytes lost upstream. One finding
    per document, filed under its first paper and naming every paper it carries.

    Parsers that know which part of a document belongs to which paper count them per item
    (``extra['replacement_chars']``); a document whose characters all sit outside this
    paper's part still makes its finding, since the finding is about the document.
    """
    found = []
    for doc, obs in _per_document(observations, ctx.documents, lambda d: d.replacement_chars > 0):
        owner, papers = _owner_and_papers(paper_id, doc, ctx)
        found.append(Discrepancy(
            id=discrepancy_id(f"document:{doc.sha256}", Kind.REPLACEMENT_CHAR), paper_id=owner,
            document_id=doc.id, kind=Kind.REPLACEMENT_CHAR, field="document",
            severity=Severity.WARNING, values=[_document_value(doc, doc.replacement_chars)],
            detail=f"{doc.url}: {doc.replacement_chars} U+FFFD replacement character"
                   f"{'s' * (doc.replacement_chars > 1)}; the bytes were lost before we saw them and "
                   f"cannot be restored; in a document that carries {_carries(papers)}"))
    return found
