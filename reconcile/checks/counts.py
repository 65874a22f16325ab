"""Upvote and comment counts that disagree, judged by when each was seen."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from reconcile.models import Discrepancy, Kind, Observation, Severity, Source, Value, iso
from reconcile.policy import recency

from .base import CheckContext, discrepancy_id, value_of, when, who
from .evidence import cap, name_of, weakness

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
        return Severity.WARNING, (f"{a.value} ({who(a)}, {when(a)}) and {b.value} ({who(b)}, "
                                  f"{when(b)}) cannot be ordered in time")
    early, late = sorted((a, b), key=lambda v: v.observed_at)
    if late.value > early.value:
        return Severity.INFO, (f"grew from {early.value} ({who(early)}) to {late.value} "
                               f"({who(late)}) between captures")
    return Severity.ERROR, (f"fell from {early.value} ({who(early)}, {iso(early.observed_at)}) to "
                            f"{late.value} ({who(late)}, {iso(late.observed_at)}) between captures")


SETTLE = ("two captures of Hugging Face's own count (its API or paper page) with response times, "
          "around the times these were seen")


def _seen_again(observations: Sequence[Observation], ctx: CheckContext) -> list[Observation]:
    """A copy of each observation, timed by its document's latest capture, where that
    document was seen again unchanged later than it was first stored
    (:attr:`CheckContext.seen_again`).

    Why: a count is checked at its first capture, which orders a history whatever order the
    files came in; but one address read as 50 at 10:00, 52 at 12:00 and 50 again at 14:00
    stores the 14:00 answer as a sighting of the 10:00 one, and the fall from 52 to 50
    between 12:00 and 14:00 was never told (probe28). The copy shows the count again at
    the later time; against its own first capture it is the same count, so it says nothing
    more."""
    copies = []
    for obs in observations:
        seen = ctx.seen_again.get(obs.document_id) if obs.document_id is not None else None
        if seen is not None and obs.observed_at is not None and seen[0] > obs.observed_at:
            copies.append(obs.model_copy(update={"observed_at": seen[0], "observed_at_basis": seen[1]}))
    return copies


def _detect_counts(field: str, kind: Kind, paper_id: str, observations: Sequence[Observation],
                   ctx: CheckContext) -> list[Discrepancy]:
    """Different ``field`` counts for one paper: a module function, not a closure made at
    import, so a test (and a mutation tool) reaches the code that runs."""
    carrying = [o for o in observations if getattr(o, field) is not None]
    if len({getattr(o, field) for o in carrying}) < 2:  # before making a Value of each
        return []
    carrying += _seen_again(carrying, ctx)
    values = [value_of(o, getattr(o, field), ctx.documents) for o in carrying]
    pairs = sorted(zip(values, carrying), key=lambda p: (p[0].observed_at is None, iso(p[0].observed_at) or "",
                                                         p[0].source.value, p[0].site or "", p[1].url or "",
                                                         p[0].value, recency(p[1], ctx.documents)))
    values = [v for v, _ in pairs]
    judged = []
    for (a, oa), (b, ob) in combinations(pairs, 2):
        if a.value == b.value:
            continue
        severity, reason = count_severity(a, b)
        # Weak evidence (a heuristic read, a loose time) may inform, never warn or alarm.
        severity, reason = cap(severity, reason, weakness((oa, ob), (field,), ctx))
        # Only the source's own numbers can prove a fall: a digest repeats them second hand.
        second = [name_of(o) for o in (oa, ob) if o.source == Source.DIGEST]
        if severity == Severity.ERROR and second:
            severity, reason = Severity.WARNING, (f"{reason} (warning, not error: {second[0]} repeats "
                                                  "the count second hand)")
        judged.append((severity, reason))
    worst_sev = max((s for s, _ in judged), key=lambda s: s.level)
    reasons = [r for s, r in judged if s == worst_sev]
    more = len(judged) - 1
    detail = f"{field} differ: {reasons[0]}" + (f" (and {more} more pair{'s' * (more > 1)})" if more else "")
    return [Discrepancy(id=discrepancy_id(paper_id, kind, field), paper_id=paper_id, kind=kind,
                        field=field, severity=worst_sev, values=values,
                        detail=f"{detail}. Settled by {SETTLE}")]


def check_upvotes(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Different upvote counts for one paper, judged by time (see count_severity) and capped
    at info when a pair rests on weak evidence (see checks.evidence)."""
    return _detect_counts("upvotes", Kind.UPVOTES, paper_id, observations, ctx)


def check_comments(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Different comment counts for one paper, judged by time (see count_severity) and capped
    at info when a pair rests on weak evidence (see checks.evidence)."""
    return _detect_counts("comments", Kind.COMMENTS, paper_id, observations, ctx)
