"""A site's recurring quirk is one finding about the site, not hundreds about its papers.

The lim4349 blog's crawler stores each Hugging Face card's "· N authors" line as the paper's
institution, on every paper that has no organization: 678 ``garbage_field`` warnings in the
samples, all one fact about one site. Once the same furniture of the same field shows on at
least ``QuirkConfig.min_papers`` papers of the same sites, the per-paper findings are folded
into one finding filed under ``site:<name>``: its detail says how many papers, with
examples; its ``values`` keep one value per paper (the evidence, each with its observation),
so nothing is lost and every paper stays traceable.

Folding runs after each ``resolve`` over the stored findings (:func:`fold`), so it is
incremental: papers re-checked later make their per-paper findings again, and the next
fold adds them to the site's finding (a paper already in it is not counted twice); a paper
checked again that no longer shows it (a first-hand source now states the value), or that
is gone (an adopted paper of its own), leaves the finding, which is removed when no paper
is left in it, and unfolded (each paper checked again for its own finding) when fewer than
``min_papers`` are. A quirk
seen on fewer papers stays per paper. Which furniture: the class of the value
(:func:`furniture_class`), so "an author count" and "counters glued to a name" are two
quirks of one site. When it fails: a site whose real organization names end in digits
would have its false findings folded into one false finding, which is at least one line
to read instead of hundreds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from reconcile.config import DEFAULTS, QuirkConfig
from reconcile.models import Discrepancy, Kind, Value

from .base import discrepancy_id
from reconcile.furniture import GLUED_DIGITS, GLUED_K, author_count

SITE_PREFIX = "site:"




def furniture_class(value: object) -> str | None:
    """What kind of page furniture a value is (None: not one this module folds)."""
    if not isinstance(value, str):
        return None
    if author_count(value) is not None:
        return "an author count"
    if GLUED_K.search(value) or GLUED_DIGITS.search(value):
        return "counters glued to a name"
    return None


def _garbage(d: Discrepancy) -> list[Value]:
    """The values of a finding that are furniture: not the clean value another source gave
    (``RLinf`` beside ``RLinf2.37k2``: a value another one starts with)."""
    texts = [v.value for v in d.values if isinstance(v.value, str)]
    return [v for v in d.values if furniture_class(v.value)
            and not any(t != v.value and t.startswith(v.value) for t in texts)]


def _key(d: Discrepancy) -> tuple[tuple[str, ...], str, str] | None:
    """(sites, field, furniture class) of a finding; None when it has no class."""
    garbage = _garbage(d)
    if not garbage or d.field is None:
        return None
    sites = tuple(sorted({v.site or v.source.value for v in garbage}))
    return sites, d.field, furniture_class(garbage[0].value)


def site_finding_id(sites: Sequence[str], field: str, cls: str) -> str:
    """The stable id of a site's quirk."""
    return discrepancy_id(SITE_PREFIX + ",".join(sites), Kind.GARBAGE_FIELD, field, cls)


def _components(site_sets: list[tuple[str, ...]]) -> list[int]:
    """For each set of sites, the index of its connected component (sets sharing a site
    are one component: a blog and the JSON its crawler writes, seen together on most papers
    and alone on some, are one quirk)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for sites in site_sets:
        for other in sites[1:]:
            parent[root(other)] = root(sites[0])
    roots = [root(sites[0]) for sites in site_sets]
    order = {r: i for i, r in enumerate(dict.fromkeys(roots))}
    return [order[r] for r in roots]


class Folded(NamedTuple):
    """What :func:`fold` gives: the site findings to store, the ids of findings to delete,
    and the papers whose own findings must be made again (``unfold``)."""

    upserts: list[Discrepancy]
    deleted: list[str]
    unfold: list[str]
    #: old site finding id -> the site finding that supersedes it (a site joined the quirk).
    superseded: dict[str, str]


def fold(per_paper: Iterable[Discrepancy], existing: Iterable[Discrepancy],
         config: QuirkConfig = DEFAULTS.quirks, rechecked: Collection[str] = frozenset(),
         gone: Collection[str] = frozenset()) -> Folded:
    """The site findings to store (new, grown or shrunk) and the ids of findings to delete:
    the per-paper findings they replace, and earlier site findings a new one supersedes or
    that no paper is left in. ``per_paper``: the stored ``garbage_field`` findings of
    papers; ``existing``: the stored site findings; ``rechecked``: the papers this run
    checked again, whose place in a site finding is what their new findings say (a paper
    whose value a first-hand source now states, or that is no longer furniture, leaves
    it); ``gone``: papers deleted this run (an adopted paper of its own leaves, and its
    adopter, checked again, comes in its place, not beside it).

    A site finding left with fewer than ``min_papers`` papers is unfolded: it is deleted,
    and its papers that were not checked again are given back (``unfold``), to be checked
    again so that each has its own finding, as when the quirk was never that common. Why:
    the same files must give the same findings in one run or in many; a quirk of 22 papers
    folded in one run and shrunk to 19 by a later list stayed one finding, where one run
    of the same files gave 19 (probe26)."""
    by_class: dict[tuple[str, str], list[tuple[tuple[str, ...], Discrepancy, bool]]] = defaultdict(list)
    for d, is_old in [(d, False) for d in per_paper] + [(d, True) for d in existing]:
        key = _key(d)
        if key is not None:
            by_class[(key[1], key[2])].append((key[0], d, is_old))
    upserts, deleted, unfold, superseded = [], [], [], {}
    for (field, cls), found in sorted(by_class.items()):
        groups: dict[int, list[tuple[tuple[str, ...], Discrepancy, bool]]] = defaultdict(list)
        for comp, item in zip(_components([sites for sites, _, _ in found]), found):
            groups[comp].append(item)
        for group in groups.values():
            olds = [d for _, d, is_old in group if is_old]
            news = sorted((d for _, d, is_old in group if not is_old), key=lambda d: d.paper_id)
            # One value per paper: what the paper's first capture of the furniture said.
            members: dict[str, Value] = {v.paper_id: v for d in olds for v in d.values if v.paper_id
                                         and v.paper_id not in rechecked and v.paper_id not in gone}
            for d in news:
                v = _garbage(d)[0]
                members[d.paper_id] = v.model_copy(update={"paper_id": d.paper_id})
            if not members:
                deleted += [d.id for d in olds]  # no paper shows the quirk any more
                continue
            if len(members) < config.min_papers:
                if olds:  # shrunk below the bound: each paper has its own finding again
                    deleted += [d.id for d in olds]
                    unfold += sorted(set(members) - {d.paper_id for d in news})
                continue
            sites = tuple(sorted({s for sites, _, _ in group for s in sites}))
            fid = site_finding_id(sites, field, cls)
            # By time, then paper and value, not by ids (the order files were ingested in).
            values = sorted(members.values(), key=lambda v: (v.observed_at is None, v.observed_at or 0,
                                                              v.paper_id or "", str(v.value), v.observation_id or 0))
            examples = ", ".join(repr(v.value) for v in values[:config.examples])
            severity = max((d.severity for _, d, _ in group), key=lambda s: s.level)
            upserts.append(Discrepancy(
                id=fid, paper_id=SITE_PREFIX + sites[0], kind=Kind.GARBAGE_FIELD, field=field, severity=severity,
                values=values,
                detail=(f"{' and '.join(sites)} store{'s' * (len(sites) == 1)} page furniture ({cls}) as the "
                        f"{field} of {len(values)} papers, e.g. {examples}: one quirk of the site, so one "
                        "finding (each paper's value is in the evidence). Settled by the site's pages for "
                        "a few of these papers, read by a person")))
            deleted += [d.id for d in news] + [d.id for d in olds if d.id != fid]
            superseded.update({d.id: fid for d in olds if d.id != fid})
    return Folded(upserts, deleted, unfold, superseded)


__all__ = ["Folded", "QuirkConfig", "SITE_PREFIX", "fold", "furniture_class", "site_finding_id"]
