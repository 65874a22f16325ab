"""Lists of one day that rank a paper differently."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from reconcile.models import Discrepancy, Kind, Observation, Severity

from .base import CheckContext, discrepancy_id, value_of

def check_rank(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
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
        values = [value_of(o, o.rank, ctx.documents) for o in sorted(group, key=lambda o: o.rank)]
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


