"""Discrepancy detectors: one function per kind of DESIGN.md, each over one paper.

Every detector gets the paper's observations and the documents they came from and returns
the discrepancies it finds, each with every value, its source, site, time and the basis of
that time. Ids are derived from what was found (paper, kind, field, document), so the same
finding keeps its id across runs and a finding the data no longer supports disappears when
the paper is re-checked.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations

from reconcile.models import Discrepancy, Document, Kind, Observation, Severity, Value, iso

Detector = Callable[[str, Sequence[Observation], dict[int, Document]], list[Discrepancy]]

_REPAIRS = {
    "mac_roman": "Mac Roman", "sloppy-windows-1252": "Windows-1252", "latin-1": "Latin-1",
    "sloppy-windows-1251": "Windows-1251", "cp437": "code page 437", "cp850": "code page 850",
}


def discrepancy_id(paper_id: str, kind: Kind, *parts: object) -> str:
    """A stable id: the same finding on the same paper gets the same id on every run."""
    key = "|".join([paper_id, kind.value, *map(str, parts)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def value_of(obs: Observation, value: object, documents: dict[int, Document]) -> Value:
    """One side of a discrepancy: the value with its source, site, time and time basis."""
    doc = documents.get(obs.document_id) if obs.document_id is not None else None
    return Value(source=obs.source, site=obs.site, value=value, observed_at=obs.observed_at,
                 observed_at_basis=doc.observed_at_basis if doc else None, observation_id=obs.id)


def _when(v: Value) -> str:
    basis = v.observed_at_basis.value.replace("_", " ") if v.observed_at_basis else "unknown time"
    return f"{basis} {iso(v.observed_at)}" if v.observed_at else basis


def _who(v: Value) -> str:
    return f"{v.source.value}/{v.site}" if v.site else v.source.value


def count_severity(a: Value, b: Value) -> tuple[Severity, str]:
    """How serious two different counts of one paper are, judged by their times.

    Counts grow. Growth from an earlier to a later capture is drift (info); a later capture
    lower than an earlier one is an error; anything else (a time that is a publication or
    file time, an unknown time, equal times) cannot order the two, so the difference is a
    warning. Fails to see a real fall hidden behind a loose time: that stays a warning.
    """
    capture = (a.observed_at_basis is not None and a.observed_at_basis.is_capture
               and b.observed_at_basis is not None and b.observed_at_basis.is_capture)
    if not capture or a.observed_at is None or b.observed_at is None or a.observed_at == b.observed_at:
        return Severity.WARNING, (f"{a.value} ({_who(a)}, {_when(a)}) and {b.value} ({_who(b)}, "
                                  f"{_when(b)}) cannot be ordered in time")
    early, late = sorted((a, b), key=lambda v: v.observed_at)
    if late.value > early.value:
        return Severity.INFO, (f"grew from {early.value} ({_who(early)}) to {late.value} "
                               f"({_who(late)}) between captures")
    return Severity.ERROR, (f"fell from {early.value} ({_who(early)}, {iso(early.observed_at)}) to "
                            f"{late.value} ({_who(late)}, {iso(late.observed_at)}) between captures")


def _counts(field: str, kind: Kind) -> Detector:
    def detect(paper_id: str, observations: Sequence[Observation],
               documents: dict[int, Document]) -> list[Discrepancy]:
        values = [value_of(o, getattr(o, field), documents) for o in observations
                  if getattr(o, field) is not None]
        if len({v.value for v in values}) < 2:
            return []
        values.sort(key=lambda v: (v.observed_at is None, v.observed_at or 0, v.observation_id or 0))
        judged = [count_severity(a, b) for a, b in combinations(values, 2) if a.value != b.value]
        worst_sev = max((s for s, _ in judged), key=lambda s: s.level)
        reasons = [r for s, r in judged if s == worst_sev]
        more = len(judged) - 1
        detail = f"{field} differ: {reasons[0]}" + (f" (and {more} more pair{'s' * (more > 1)})" if more else "")
        return [Discrepancy(id=discrepancy_id(paper_id, kind, field), paper_id=paper_id, kind=kind,
                            field=field, severity=worst_sev, values=values, detail=detail)]
    detect.__doc__ = f"Different {field} counts for one paper, judged by time (see count_severity)."
    return detect


check_upvotes = _counts("upvotes", Kind.UPVOTES)
check_comments = _counts("comments", Kind.COMMENTS)


def check_rank(paper_id: str, observations: Sequence[Observation],
               documents: dict[int, Document]) -> list[Discrepancy]:
    """Lists of the same day that rank the paper differently.

    Only ranks of the same basis are compared (``extra['rank_basis']``): two lists ordered by
    upvotes are comparable, while a newsletter's editorial order is a position and says
    nothing about popularity. When the lists also show different counts for the paper the
    difference follows from those counts (info); with equal counts it does not (warning).
    """
    groups: dict[tuple, list[Observation]] = defaultdict(list)
    for obs in observations:
        if obs.rank is not None and obs.listed_on is not None and obs.extra.get("rank_basis") == "upvotes":
            groups[(obs.listed_on, "upvotes")].append(obs)
    found = []
    for (day, basis), group in sorted(groups.items()):
        if len({o.rank for o in group}) < 2:
            continue
        values = [value_of(o, o.rank, documents) for o in sorted(group, key=lambda o: o.rank)]
        counts = {o.upvotes for o in group}
        explained = len(counts) > 1 and None not in counts
        ranks = ", ".join(f"#{o.rank} in {o.site or 'a ' + o.source.value} "
                          f"({o.upvotes} upvotes)" for o in sorted(group, key=lambda o: o.rank))
        detail = (f"lists of {day} ranked by upvotes place it differently: {ranks}"
                  + ("; the lists' own counts differ" if explained else "; the counts do not explain it"))
        found.append(Discrepancy(
            id=discrepancy_id(paper_id, Kind.RANK, day, basis), paper_id=paper_id, kind=Kind.RANK,
            field="rank", severity=Severity.INFO if explained else Severity.WARNING,
            values=values, detail=detail))
    return found


def _describe_repair(method: str | None) -> str:
    if not method:
        return "it could not be repaired"
    steps = []
    for step in method.split(">"):
        how, _, codec = step.partition(":")
        if how == "roundtrip":
            steps.append(f"UTF-8 text decoded as {_REPAIRS.get(codec, codec)}, repaired exactly "
                         "by re-encoding the whole document")
        else:
            steps.append(f"repaired line by line with {how}")
    return "; then ".join(steps)


def _per_document(paper_id: str, observations: Sequence[Observation], documents: dict[int, Document],
                  wanted: Callable[[Document], bool]) -> list[tuple[Document, Observation]]:
    seen, pairs = set(), []
    for obs in observations:
        doc = documents.get(obs.document_id) if obs.document_id is not None else None
        if doc is not None and wanted(doc) and doc.id not in seen:
            seen.add(doc.id)
            pairs.append((doc, obs))
    return pairs


def check_mojibake(paper_id: str, observations: Sequence[Observation],
                   documents: dict[int, Document]) -> list[Discrepancy]:
    """Documents about this paper whose text was mis-decoded, with the repair made."""
    found = []
    for doc, obs in _per_document(paper_id, observations, documents, lambda d: d.mojibake):
        severity = Severity.WARNING if doc.repair else Severity.ERROR
        found.append(Discrepancy(
            id=discrepancy_id(paper_id, Kind.MOJIBAKE, doc.sha256), paper_id=paper_id,
            document_id=doc.id, observation_id=obs.id, kind=Kind.MOJIBAKE, field="document",
            severity=severity, values=[value_of(obs, doc.repair_sample, documents)],
            detail=f"{doc.url}: {_describe_repair(doc.repair)}"))
    return found


def check_replacement_chars(paper_id: str, observations: Sequence[Observation],
                            documents: dict[int, Document]) -> list[Discrepancy]:
    """U+FFFD characters in what a document said about this paper: bytes lost upstream.

    Parsers that know which part of a document belongs to which paper count them per item
    (``extra['replacement_chars']``); for the others every paper of the document is flagged.
    """
    found = []
    for doc, obs in _per_document(paper_id, observations, documents, lambda d: d.replacement_chars > 0):
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
                             documents)],
            detail=f"{doc.url}: U+FFFD replacement characters ({where}); the bytes were lost "
                   "before we saw them and cannot be restored"))
    return found


DETECTORS: tuple[Detector, ...] = (check_upvotes, check_comments, check_rank, check_mojibake,
                                   check_replacement_chars)


def check_paper(paper_id: str, observations: Sequence[Observation],
                documents: dict[int, Document]) -> list[Discrepancy]:
    """Every discrepancy of one paper, from every detector."""
    return [d for detect in DETECTORS for d in detect(paper_id, observations, documents)]
