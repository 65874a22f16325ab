"""Lists of one day that rank a paper differently.

Only ranks of the same basis are compared (``extra['rank_basis']``): two lists ordered by
upvotes are comparable, while a newsletter's editorial order is a position and says nothing
about popularity.

Which lists are compared: one per site. Two captures of one site's list (a morning and an
evening snapshot of the same file) are that site's history, not two sources disagreeing, so
only each site's latest capture of the day is compared with the other sites'.

When a move is explained: a list ordered by upvotes places a paper anywhere from one past
the papers with more upvotes to the last of those with as many (ties may come in any
order). When each list's rank of the paper falls in the range its own counts allow, the
difference is what the counts say: the paper or the papers around it gained votes between
the captures, or two tied papers were ordered differently. That is ``info``. A rank
outside its own list's range is not explained by any count (``warning``), but only when
both ranks and the counts are first-hand structured reads with capture times; a rank read
by a generic reader's heuristics, or timed by a publication or file time, stays ``info``
(see :mod:`reconcile.checks.evidence`). Fails when a list is ordered by a count it does not
show (its range is then unknown and the move is reported unexplained, as ``info``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from reconcile.models import Discrepancy, Kind, Observation, Severity

from .base import CheckContext, discrepancy_id, value_of
from .evidence import cap, weakness

SETTLE = ("two captures of the sites' lists, ordered by time, each showing every paper's count "
          "(then each move is explained or not by the counts)")


def rank_range(rank_list: Sequence[tuple[int, int | None, str]], paper_id: str, upvotes: int | None
               ) -> tuple[int, int] | None:
    """The ranks a list ordered by upvotes may give a paper with ``upvotes``: from one past
    the papers with more, to the last of those with as many. None when the list does not
    show every paper's count (its order cannot be checked against counts), or when it ranks
    a paper below more papers than it holds (#4 in a list of two read: items the reader
    refused, an untitled one, sat above it, and their counts are unknown)."""
    if upvotes is None or not rank_list or any(u is None for _, u, _ in rank_list):
        return None
    if max(r for r, _, _ in rank_list) > len(rank_list):
        return None
    others = [u for _, u, p in rank_list if p != paper_id]
    above = sum(1 for u in others if u > upvotes)
    tied = sum(1 for u in others if u == upvotes)
    return above + 1, above + 1 + tied


def _latest_per_site(group: list[Observation], ctx: CheckContext) -> list[Observation]:
    """Each site's latest capture of the day's list: by time, then by document address, so
    the choice between captures stamped alike (a post and the superseded version of it)
    does not depend on the order the files were ingested in. A list that holds the paper
    twice (a crawler that paged a changing list) ranks it where it first appears: the
    repeat was taken for the rank, and a false "the counts do not explain it" warning came
    of it (probe28)."""
    def key(o: Observation) -> tuple:
        doc = ctx.documents.get(o.document_id) if o.document_id is not None else None
        return (o.observed_at is not None, o.observed_at.isoformat() if o.observed_at else "",
                doc.url if doc else "", o.url or "", -(o.rank or 0))

    best: dict[tuple, Observation] = {}
    for obs in group:
        site = (obs.source, obs.site)
        if site not in best or key(obs) > key(best[site]):
            best[site] = obs
    return sorted(best.values(), key=lambda o: (o.rank, key(o)))


def _tied_with(rank_list, paper_id: str, upvotes: int) -> list[str]:
    return sorted(p.removeprefix("arxiv:") for _, u, p in rank_list if p != paper_id and u == upvotes)


def check_rank(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Lists of the same day, one per site, that rank the paper differently and whose own
    counts do not explain it (see the module docstring)."""
    groups: dict[tuple, list[Observation]] = defaultdict(list)
    for obs in observations:
        if obs.rank is not None and obs.listed_on is not None and obs.extra.get("rank_basis") == "upvotes":
            groups[(obs.listed_on, "upvotes")].append(obs)
    found = []
    for (day, basis), group in sorted(groups.items()):
        lists = _latest_per_site(group, ctx)
        if len({o.rank for o in lists}) < 2:
            continue
        parts, unexplained, unchecked = [], [], []
        for o in lists:
            # The items of this observation's day only: a weekly recap ranks each day apart
            # (an item whose day the document does not say may be on any of them).
            rank_list = [(r, u, p) for r, u, p, when in (ctx.ranked_lists.get(o.document_id, [])
                                                         if o.document_id is not None else [])
                         if when is None or str(when) == str(day)]
            span = rank_range(rank_list, paper_id, o.upvotes)
            text = f"#{o.rank} in {o.site or 'a ' + o.source.value} ({o.upvotes} upvotes"
            if span is None:
                unexplained.append(o)
                unchecked.append(o)
                partial = bool(rank_list) and max(r for r, _, _ in rank_list) > len(rank_list)
                text += ("; not every item of the list was read)" if partial
                         else "; the list does not show every count)")
            elif not span[0] <= o.rank <= span[1]:
                unexplained.append(o)
                text += f"; its counts place it #{span[0]}" + (f"-{span[1]}" if span[1] > span[0] else "") + ")"
            else:
                tied = _tied_with(rank_list, paper_id, o.upvotes) if o.upvotes is not None else []
                text += f", tied with {', '.join(tied[:3])}{' and more' * (len(tied) > 3)})" if tied else ")"
            parts.append(text)
        values = [value_of(o, o.rank, ctx.documents) for o in lists]
        detail = f"lists of {day} ranked by upvotes place it differently: {', '.join(parts)}"
        if not unexplained:
            severity = Severity.INFO
            detail += "; each list's own counts explain its rank"
        elif len(unchecked) == len(unexplained):
            # No list's counts contradict its rank; one cannot be checked (a count not
            # shown, items not read): a partial list may inform, never warn.
            severity = Severity.INFO
            detail += "; the counts cannot tell whether they explain it"
        else:
            severity = Severity.WARNING
            detail += "; the counts do not explain it"
            weak = weakness(lists, ("rank", "upvotes"), ctx)
            severity, detail = cap(severity, detail, weak)
        found.append(Discrepancy(
            id=discrepancy_id(paper_id, Kind.RANK, day, basis), paper_id=paper_id, kind=Kind.RANK,
            field="rank", severity=severity, values=values, detail=f"{detail}. Settled by {SETTLE}"))
    return found
