"""Papers on one source's list of a day and absent from Hugging Face's list of that day
(``missing``).

Lists differ in kind. Hugging Face's daily list (``/api/daily_papers?date=D``, the date page
``/papers/date/D``) can be *complete*: every paper submitted for day D is on it, but only
once day D has ended (papers are submitted all day, so a list captured at 07:45 UTC is the
morning's part of it) and only if no page limit cut it. A list of one of these formats is
therefore complete only when its time is a capture time at or after the end of D in the
source's time zone (``MissingConfig.day_zones``; Hugging Face's days are UTC days: every
``submittedOnDailyAt`` of a day's list falls within that UTC day in the samples), and it is
not cut: a page of exactly a page size (the API's default 50, or the ``limit`` asked) is
cut unless a shorter page of the same crawl follows it; the pages of one crawl's day are
one list. Any other list of those formats is *partial*: it says so (``DayList.partial``)
and ``missing`` is never raised against it. Digests are
*selections* (a top 5, a top 10), so a paper absent from a digest is not a discrepancy. The
check therefore looks one way only: a paper that some digest's list of day D carries (digests
re-list Hugging Face's papers; a Hugging Face paper page naming its day counts too; arXiv's announcements and ArxivLens's lists hold every paper of
their categories, of which Hugging Face's is a selection: ``MissingConfig.lister_sources``;
``listed_on == D``; weekly lists, ``extra['listed_for'] == 'week'``, and prose mentions
excluded) and that no fetched complete list of day D carries is ``missing``. Nothing is said
about a day whose complete list was never fetched.

Two innocent causes are told apart and reported as ``info``:

- *The list grew after it was fetched.* Papers are submitted to day D's list during the
  day, so a complete list captured before the other list saw the paper may simply predate
  it. This needs the complete list's time to be a capture time and the other's to be a
  capture or publication time (a file's or a retrieval time can be arbitrarily late);
  a complete list captured after the other list saw the paper should have carried it, and
  one captured after the day ended did not grow since.
- *The list is dated a day late, or early.* Digests post in the morning after (the lim4349
  blog's Saturday posts carry Friday's papers), and a crawler west of UTC names a list by
  its own date, so a paper on a Hugging Face list of an earlier day (up to
  ``MissingConfig.earlier_days``) or a later one (``later_days``), complete or not (what a
  partial list carries, it carries), is a dating difference, not a missing paper.
- *Another list of the day carries it.* Pages of one day saved as files apart are lists
  of their own; a page that lacks the paper beside one that carries it is not surely the
  whole day's list.

Otherwise it is a ``warning``. Two complete lists of the same day that disagree (two fetches,
the paper on one and not the other) are flagged too: a paper on an earlier capture and
absent from a later one was dropped (``warning``); absent from an earlier capture and present
in a later one it was added, which lists do (not flagged); fetches whose times cannot be
ordered (not both capture times, or equal) are a ``warning``.

When it fails: a complete list that is in fact truncated (a collector that dropped items
without a summary) makes its missing papers look missing; a paper submitted late on day D
after a digest saw it elsewhere cannot be told from one Hugging Face lost.

What :class:`CheckContext` must carry: ``day_lists``, a mapping of each day to the
:class:`DayList` of every complete list of that day (one per document; selections may be
included with ``complete=False`` and are ignored). :func:`build_day_lists` makes it from
documents, their observations and the paper each observation is linked to.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from reconcile.config import DEFAULTS, MissingConfig
from reconcile.ids import submitted_month
from reconcile.models import Discrepancy, Document, Kind, Observation, Severity, Source, TimeBasis, Value, iso

from .base import CheckContext, discrepancy_id, value_of, when, who
from .evidence import cap, weakness

log = logging.getLogger(__name__)




#: A list of a day that carries a paper arXiv gave its id more than this long before (a
#: reading group's classics, a year's best) is not a re-listing of Hugging Face's daily
#: list, which holds new papers: it is not asked of that list (probe28: 1999 and 2003
#: papers were "not on huggingface.co's complete list").
OLD_PAPER = dt.timedelta(days=400)


@dataclass(frozen=True)
class DayList:
    """One fetched list of one day: which papers it carries, and when it was seen."""

    day: dt.date
    document_id: int
    source: Source
    site: str | None
    papers: frozenset[str]
    observed_at: dt.datetime | None
    observed_at_basis: TimeBasis | None
    complete: bool = True
    url: str | None = None
    partial: str | None = None  # why the list is not complete, when it is not
    document_ids: frozenset[int] = frozenset()  # every page of the list

    def as_value(self, value: object) -> Value:
        """This list as one side of a discrepancy."""
        return Value(source=self.source, site=self.site, value=value, observed_at=self.observed_at,
                     observed_at_basis=self.observed_at_basis)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_DATE_PATH = re.compile(r"/papers/date/(\d{4}-\d{2}-\d{2})")


def list_day(document: Document, observations: Sequence[Observation]) -> dt.date | None:
    """The day a list document is of: the ``date=`` of its URL (the API), the day of a
    ``/papers/date/D`` page, else the one ``listed_on`` all its observations share (a saved
    file). None when none of these says it (an empty saved list) or the items disagree."""
    query = parse_qs(urlsplit(document.url).query).get("date")
    m = _DATE_PATH.search(document.url)
    for text in ([query[0]] if query else []) + ([m[1]] if m else []):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            log.debug("%s: date %r is not a day", document.url, text)
    days = {o.listed_on for o in observations if o.listed_on is not None}
    return days.pop() if len(days) == 1 else None


def day_end(day: dt.date, source: Source, config: MissingConfig = DEFAULTS.missing) -> dt.datetime:
    """The UTC instant at which ``day`` ends in ``source``'s time zone."""
    zone = ZoneInfo(dict(config.day_zones).get(source.value, "UTC"))
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.timezone.utc)


def _page(url: str) -> tuple[str, int, int | None]:
    """A list URL without its paging, its page number and the page size it asked for."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    rest = "&".join(f"{k}={v[0]}" for k, v in sorted(query.items()) if k not in ("p", "page", "limit"))
    try:
        number = int(query.get("p", query.get("page", ["0"]))[0])
        limit = int(query["limit"][0]) if "limit" in query else None
    except ValueError:
        number, limit = 0, None
    return parts._replace(query=rest).geturl(), number, limit


def _partial(day: dt.date, doc: Document, pages: list[tuple[Document, int, int | None, int]],
             config: MissingConfig) -> str | None:
    """Why the list of ``day`` made of ``pages`` (document, page number, size asked, items)
    is not complete, or None when it is."""
    basis = doc.observed_at_basis
    if basis is None or not basis.is_capture:
        what = basis.value.replace("_", " ") if basis else "unknown"
        return f"its time is a {what} time, not a capture time, so it may predate the end of {day}"
    end = day_end(day, doc.source, config)
    if doc.observed_at < end:
        return f"captured {iso(doc.observed_at)}, before {day} ended ({iso(end)})"
    last = max(pages, key=lambda p: p[1])
    full = (last[3] == last[2]) if last[2] is not None else last[3] in config.page_sizes
    if full:
        return f"its last page holds exactly {last[3]} papers, a page size: the list may go on"
    return None


def build_day_lists(documents: Iterable[Document], observations: Mapping[int, Sequence[Observation]],
                    paper_of: Mapping[int, str], config: MissingConfig = DEFAULTS.missing,
                    seen_again: Mapping[int, tuple[dt.datetime, TimeBasis]] | None = None
                    ) -> dict[dt.date, list[DayList]]:
    """``ctx.day_lists`` from the list documents, the observations of each document (by
    document id) and the paper each observation is linked to (by observation id). The pages
    of one crawl's list of a day make one list; each list is complete or partial by the
    rules of the module docstring. Documents of other formats, without an id, or whose day
    is unknown are left out. ``seen_again`` holds the latest capture at which a document
    was fetched again unchanged (``Store.latest_sightings``): the list is as of then, so a
    list fetched during its day and again, unchanged, after it ended is complete."""
    groups: dict[tuple, list[tuple[Document, int, int | None, int]]] = {}
    days: dict[tuple, dt.date] = {}
    for doc in documents:
        if doc.id is None or doc.format not in config.complete_formats:
            continue
        again = (seen_again or {}).get(doc.id)
        if again is not None and again[0] > doc.observed_at:
            doc = doc.model_copy(update={"observed_at": again[0], "observed_at_basis": again[1]})
        obs = observations.get(doc.id, ())
        day = list_day(doc, obs)
        if day is None:
            continue
        base, number, limit = _page(doc.url)
        # Pages of one crawl are one list; a document outside a crawl is a list of its own.
        key = (day, base, doc.crawl_id) if doc.crawl_id is not None else (day, doc.id)
        groups.setdefault(key, []).append((doc, number, limit, len(obs)))
        days[key] = day
    lists: dict[dt.date, list[DayList]] = {}
    for key, pages in groups.items():
        day = days[key]
        docs = [p[0] for p in pages]
        first = min(docs, key=lambda d: d.id)
        latest = max(docs, key=lambda d: (d.observed_at, d.id))
        papers = frozenset(paper_of[o.id] for d in docs for o in observations.get(d.id, ()) if o.id in paper_of)
        why = _partial(day, min(docs, key=lambda d: (d.observed_at, d.id)), pages, config)
        lists.setdefault(day, []).append(DayList(day, first.id, first.source, first.site, papers,
                                                 latest.observed_at, latest.observed_at_basis, why is None,
                                                 first.url, why, frozenset(d.id for d in docs)))
    for day_lists in lists.values():
        day_lists.sort(key=_by_time)
    return lists


def _by_time(lst: DayList) -> tuple:
    """Lists earliest first (unknown times first), then by address: not by ingest order (the
    document's id), so the list a finding names is the same whatever order they came in."""
    return lst.observed_at is not None, lst.observed_at or _EPOCH, lst.url or "", lst.document_id


def _complete(ctx: CheckContext, day: dt.date) -> list[DayList]:
    """The complete lists of ``day``, earliest first (unknown times first)."""
    lists = [lst for lst in ctx.day_lists.get(day, ()) if lst.complete]
    return sorted(lists, key=_by_time)


def _carries(lst: DayList, paper_id: str, doc_ids: set[int]) -> bool:
    return paper_id in lst.papers or bool(doc_ids & (lst.document_ids or {lst.document_id}))


def _name(lst: DayList) -> str:
    return lst.site or lst.source.value


def _seen_before(lst: DayList, obs: Observation, ctx: CheckContext, config: MissingConfig) -> bool:
    """True when ``lst`` was captured before ``obs`` saw the paper and before its day ended:
    the list may have grown.

    Why before its day ended: nothing is added to a day's list after the day ends (that is
    what makes a list captured after it complete), so a list captured after the day ended
    and before the other list saw the paper did not grow since; the usual schedule (Hugging
    Face's list just after midnight, the digests in the morning) read "probably added to it
    later" on every paper the list lacked, and never warned (probe28)."""
    doc = ctx.documents.get(obs.document_id) if obs.document_id is not None else None
    basis = doc.observed_at_basis if doc else None
    return (lst.observed_at_basis is not None and lst.observed_at_basis.is_capture
            and lst.observed_at is not None and obs.observed_at is not None
            and basis in config.lister_bases and lst.observed_at < obs.observed_at
            and lst.observed_at < day_end(lst.day, lst.source, config))


def _carrying(ctx: CheckContext, day: dt.date, paper_id: str, doc_ids: set[int], *,
              partial: bool) -> list[DayList]:
    """The lists of ``day`` that carry the paper: complete ones first, and with ``partial``
    the others too (a morning's capture, one page of several: what it carries, it carries)."""
    lists = _complete(ctx, day) + ([lst for lst in ctx.day_lists.get(day, ()) if not lst.complete]
                                   if partial else [])
    return [lst for lst in lists if _carries(lst, paper_id, doc_ids)]


def _near_days(day: dt.date, step: int, weekdays: int) -> list[dt.date]:
    """The days from ``day`` in the direction of ``step`` (-1 before, 1 after) up to
    ``weekdays`` weekdays away, with the Saturdays and Sundays between.

    Why weekdays: Hugging Face's daily lists hold papers on weekdays only (arXiv announces
    none at the weekend; every list with papers in the samples is of a Monday to Friday), so
    a Monday post that carries the list of the day before carries Friday's, three days
    back. When it fails: a weekend list that does hold papers is still looked at, and a
    paper Hugging Face lists on Friday makes a Monday list's lack of it a dating question
    (``info``), where a list of Monday proper that lost it would warn."""
    found, at, counted = [], day, 0
    while counted < weekdays:
        at += dt.timedelta(days=step)
        found.append(at)
        counted += at.weekday() < 5
    return found


def _days(a: dt.date, b: dt.date) -> str:
    """"a day", or "3 days (a weekend between)"."""
    n = abs((a - b).days)
    return "a day" if n == 1 else f"{n} days" + (" (a weekend between)" if n <= 4 else "")


def _not_on_complete(paper_id: str, day: dt.date, listers: list[Observation], lists: list[DayList],
                     doc_ids: set[int], ctx: CheckContext, config: MissingConfig,
                     own: Sequence[Observation] = ()) -> Discrepancy:
    # Hugging Face lists the paper on a day next to this one: the other list is dated
    # differently (a digest posting the morning after; a crawler west of UTC naming the day
    # by its own date). A partial list proves it as well as a complete one.
    earlier = [lst for near in _near_days(day, -1, config.earlier_days)
               for lst in _carrying(ctx, near, paper_id, doc_ids, partial=True)]
    later = [lst for near in _near_days(day, 1, config.later_days)
             for lst in _carrying(ctx, near, paper_id, doc_ids, partial=True)]
    # Another list of the same day carries it (pages of one day saved apart, each taken for
    # a list of its own): the one that lacks it is not surely the whole day's.
    beside = _carrying(ctx, day, paper_id, doc_ids, partial=True)
    latest = lists[-1]
    late = all(_seen_before(latest, o, ctx, config) for o in listers)
    values = [value_of(o, f"listed on {day}" + (f" at #{o.rank}" if o.rank else ""), ctx.documents)
              for o in listers]
    values += [lst.as_value(f"not among the {len(lst.papers)} papers of {day}") for lst in lists]
    values += [lst.as_value(f"listed on {lst.day}") for lst in beside + earlier + later]
    shown = values[0]
    detail = (f"on {who(shown)}'s list of {day} ({when(shown)})"
              + (f" and {len(listers) - 1} more list{'s' * (len(listers) > 2)}" if len(listers) > 1 else "")
              + f" but not on {_name(latest)}'s complete list of {day} ({len(latest.papers)} papers, "
              + f"{when(latest.as_value(None))})")
    if beside:
        detail += (f"; {_name(beside[0])}'s other list of {day} ({when(beside[0].as_value(None))}) carries it: "
                   "the list that lacks it may be one page of the day's")
        severity = config.explained_severity
    elif earlier:
        detail += f"; {_name(earlier[0])} lists it on {earlier[0].day}: the other list is dated {_days(day, earlier[0].day)} late"
        severity = config.explained_severity
    elif later:
        detail += f"; {_name(later[0])} lists it on {later[0].day}: the other list is dated {_days(day, later[0].day)} early"
        severity = config.explained_severity
    elif near := [o for o in own if o.listed_on in set(_near_days(day, -1, config.earlier_days))
                  | set(_near_days(day, 1, config.later_days))]:
        # Hugging Face's own record of the paper (its paper page) gives another listing day.
        detail += (f"; {near[0].site or near[0].source.value}'s own record of the paper lists it on "
                   f"{near[0].listed_on}: the other list is dated {_days(day, near[0].listed_on)} "
                   f"{'late' if near[0].listed_on < day else 'early'}")
        values.append(value_of(near[0], f"listed on {near[0].listed_on}", ctx.documents))
        severity = config.explained_severity
    elif late:
        detail += (f"; {_name(latest)}'s list was captured before the other list saw the paper, "
                   "which was probably added to it later")
        severity = config.explained_severity
    elif not paper_id.startswith("arxiv:"):
        # A paper known by its title alone (no list item gave an id): Hugging Face's list
        # may carry it under its id, linked to no paper here (two papers of one title).
        detail += "; the paper has no arXiv id here, so whether the list carries it under one cannot be told"
        severity = config.explained_severity
    else:
        severity = config.severity
        # A day read by a generic reader's heuristics (a date in a file name) only informs.
        severity, detail = cap(severity, detail, weakness(listers, ("listed_on",), ctx, times=False))
    first = listers[0]
    return Discrepancy(id=discrepancy_id(paper_id, Kind.MISSING, day), paper_id=paper_id,
                       document_id=first.document_id, observation_id=first.id, kind=Kind.MISSING,
                       field="listed_on", severity=severity, values=values, detail=detail)


def _ordered(a: DayList, b: DayList) -> bool:
    """Both lists have capture times, and different ones."""
    return (a.observed_at is not None and b.observed_at is not None and a.observed_at != b.observed_at
            and a.observed_at_basis is not None and a.observed_at_basis.is_capture
            and b.observed_at_basis is not None and b.observed_at_basis.is_capture)


def _same_capture(other: DayList, lack: DayList) -> bool:
    """Whether ``other`` is another page of the capture ``lack`` is: a partial list (a page
    size's worth, the list goes on) of the same source and site, captured at the same
    moment (a capture time), another document. (Two complete lists of one moment that
    disagree are two answers that cannot be ordered, not pages.)"""
    return (not other.complete and other.document_id != lack.document_id and other.source == lack.source
            and other.site == lack.site
            and other.observed_at is not None and other.observed_at == lack.observed_at
            and other.observed_at_basis is not None and other.observed_at_basis.is_capture)


def _cut_short(kept: int, had: int) -> bool:
    """Whether a list that kept ``kept`` of the ``had`` papers of an earlier capture (and
    gained none) lost too many to be papers taken off the day one by one: two or more, and
    a fifth of the list or more. One paper gone from a list is a removal to report."""
    return had - kept >= 2 and (had - kept) * 5 >= had


def _dropped(paper_id: str, day: dt.date, carrying: list[DayList], lacking: list[DayList],
             config: MissingConfig, beside: Sequence[DayList] = ()) -> Discrepancy | None:
    """A paper on one complete list of ``day`` and not on another: dropped, or unordered.
    ``beside`` are the day's lists of any kind that carry the paper: one captured at the
    same moment as a list lacking it, from the same site, is another page of that capture.

    For each list lacking the paper: a carrying list captured before it means the paper was
    dropped; else a carrying list captured after it means the paper was added later (fine);
    else the lists cannot be ordered.
    """
    dropped, unordered = [], []
    for lack in lacking:
        if any(_same_capture(other, lack) for other in beside):
            continue  # another page of the same capture carries it (a list saved as page files)
        before = [c for c in carrying if _ordered(c, lack) and c.observed_at < lack.observed_at]
        after = [c for c in carrying if _ordered(c, lack) and c.observed_at > lack.observed_at]
        if before:
            dropped.append((before[-1], lack))
        elif not after:
            unordered.append((carrying[0], lack))
    if not dropped and not unordered:
        return None
    c, lack = (dropped or unordered)[0]
    severity = config.dropped_severity
    if dropped:
        detail = (f"on {_name(c)}'s complete list of {day} captured {iso(c.observed_at)} and gone from "
                  f"{_name(lack)}'s list of {day} captured later ({iso(lack.observed_at)}): dropped")
        # A later answer that only shrank, or one a still later capture contradicts, is more
        # likely a partial answer (a server's bad page, a cut response) than papers taken
        # off a day: a daily re-fetch that came back short said "dropped" of every paper it
        # lacked, until the next whole answer (probe29).
        again = [x for x in carrying if _ordered(x, lack) and x.observed_at > lack.observed_at]
        if again:
            severity = Severity.INFO
            detail += (f" (info, not {config.dropped_severity.value}: {_name(again[0])}'s list captured later "
                       f"({iso(again[0].observed_at)}) carries it again, so the one between may have been a "
                       "partial answer)")
        elif lack.papers < c.papers and _cut_short(len(lack.papers), len(c.papers)):
            severity = Severity.INFO
            detail += (f" (info, not {config.dropped_severity.value}: the later list holds {len(lack.papers)} of "
                       f"the {len(c.papers)} papers the earlier one did and none it did not, so it may be a "
                       "partial answer)")
    else:
        detail = (f"complete lists of {day} disagree: {_name(c)}'s ({when(c.as_value(None))}) carries it, "
                  f"{_name(lack)}'s ({when(lack.as_value(None))}) does not, and their times cannot be ordered")
    values = ([x.as_value(f"listed on {day}") for x in carrying]
              + [x.as_value(f"not among the {len(x.papers)} papers of {day}") for x in lacking])
    return Discrepancy(id=discrepancy_id(paper_id, Kind.MISSING, day, "complete lists disagree"),
                       paper_id=paper_id, document_id=lack.document_id, kind=Kind.MISSING, field="listed_on",
                       severity=severity, values=values, detail=detail)


def check_missing(paper_id: str, observations: Sequence[Observation], ctx: CheckContext,
                  config: MissingConfig | None = None) -> list[Discrepancy]:
    """The days on which this paper is on some list but on no fetched complete list, and
    the days whose complete lists disagree about it (see the module docstring)."""
    config = config or ctx.config.missing
    doc_ids = {o.document_id for o in observations if o.document_id is not None}
    listers: dict[dt.date, list[Observation]] = {}
    given = submitted_month(paper_id.removeprefix("arxiv:")) if paper_id.startswith("arxiv:") else None
    for obs in observations:
        doc = ctx.documents.get(obs.document_id) if obs.document_id is not None else None
        if (obs.listed_on is None or obs.extra.get("listed_for") == "week" or obs.extra.get("mention")
                or (given is not None and obs.listed_on - given > OLD_PAPER)
                or obs.source.value not in config.lister_sources
                or (doc is not None and doc.format in config.complete_formats)
                or any(lst.document_id == obs.document_id for lst in _complete(ctx, obs.listed_on))):
            continue
        listers.setdefault(obs.listed_on, []).append(obs)
    found = []
    # A complete list's day is the listed_on of its items (so in every sample), so the days to
    # look at are the paper's own listing days: no scan of every list for every paper.
    days = {o.listed_on for o in observations if o.listed_on is not None}
    for day in sorted(days):
        lists = _complete(ctx, day)
        if not lists:
            continue
        carrying = [lst for lst in lists if _carries(lst, paper_id, doc_ids)]
        if not carrying:
            if day in listers:
                own = [o for o in observations if o.source == lists[-1].source and o.listed_on not in (None, day)]
                found.append(_not_on_complete(paper_id, day, listers[day], lists, doc_ids, ctx, config, own))
            continue
        lacking = [lst for lst in lists if not _carries(lst, paper_id, doc_ids)]
        if lacking:
            beside = [lst for lst in ctx.day_lists.get(day, ()) if _carries(lst, paper_id, doc_ids)]
            finding = _dropped(paper_id, day, carrying, lacking, config, beside)
            if finding is not None:
                found.append(finding)
    return found
