"""What ``reconcile run`` crawls: the day asked for, or every day since each source's last
complete success, plus Hugging Face's recent lists again.

A scheduled run must not lose a day because the machine was off or a source was down, and
the upvotes the tool is built to compare keep growing for days after a list appears. So a
run without ``--date``:

- finds each spider's *watermark*, the latest day that one of its crawls covered and that
  ended ``finished`` (a ``partial`` or ``failed`` crawl does not move it, so its days are
  crawled again next time), from the ``crawls`` table; but a day whose crawl came to
  nothing (``failed``, killed, refused by the store) and that no finished crawl covered
  since holds the watermark before it, so a crawl of a later day (today's, by hand) does
  not leave it behind, and a source that never finished a crawl catches up from the
  first such day;
- crawls every day after the watermark up to today (UTC), at most ``max_days`` of them (the
  latest ones); a spider that never finished a crawl gets today only. The days the cap
  leaves out are named (:func:`notes`): once the run finishes, the watermark is past them
  and no later run comes back to them, so leaving them out without a word would lose them;
- trusts no watermark after today: a crawl of a future day (a ``--date`` typo, a run while
  the machine's clock was ahead) ends ``finished`` like any other, and a mark in the future
  would leave no day to crawl until that day came, so every run would skip the source with
  exit 0. Such a day is left out of the watermark (the latest covered day not after today
  counts) and :func:`notes` says so;
- asks Hugging Face again for the lists of the last ``reobserve_days`` days, so that upvote
  and comment growth is recorded as history (an unchanged answer has a known content hash
  and adds nothing);
- ends with arXiv for the ids the others carry that arXiv was not asked for.

Days go to each spider as one range (``since``/``until``), so a catch-up of three days is
one crawl per source. Pure: the watermarks are read by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

#: The spiders ``run`` plans for, in order; arXiv comes last (it asks for what others carry).
DAY_SPIDERS = ("huggingface", "digests", "arxivlens")

#: How far the farthest time zone is ahead of UTC (UTC+14:00, Kiritimati: the bound
#: ``DateConfig.east_hours`` uses for dates too).
EAST_OF_UTC = dt.timedelta(hours=14)


def latest_day(now: dt.datetime) -> dt.date:
    """The latest day a crawl may ask for at ``now``: one that has begun somewhere on Earth.

    Why not today in UTC: the sources are read across time zones (a Korean digest's day
    starts nine hours before UTC's), so tomorrow (UTC) is a real day for part of the day.
    A day that has begun nowhere is a mistake (a ``--date`` typo, a clock that is ahead):
    its crawl would end ``finished`` on empty lists and be taken as a complete day."""
    return (now.astimezone(dt.timezone.utc) + EAST_OF_UTC).date()


def days_of(args: Mapping[str, Any]) -> list[dt.date]:
    """The days a crawl's arguments cover (``date``, or ``since``..``until``)."""
    try:
        if args.get("date"):
            return [dt.date.fromisoformat(str(args["date"]))]
        if args.get("since") and args.get("until"):
            start, end = dt.date.fromisoformat(str(args["since"])), dt.date.fromisoformat(str(args["until"]))
            return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    except ValueError:
        return []
    return []


def _digest_sites(crawl: Any) -> dict[str, bool]:
    """The digest sites a digests crawl covered, each with whether all its requests came to
    something (from the crawl's ``digest/<site>/...`` stats and its ``sites`` argument)."""
    stats = crawl.stats if isinstance(getattr(crawl, "stats", None), dict) else {}
    named = [s for s in str(crawl.args.get("sites") or "").split(",") if s]
    seen = {k.split("/")[1] for k in stats if k.startswith("digest/") and k.count("/") >= 3}
    return {site: not stats.get(f"digest/{site}/requests/failed") for site in sorted(set(named) | seen)}


def _marks(crawls: Iterable[Any], keep: Callable[[dt.date], bool]) -> dict[str, dt.date]:
    """Each key's latest day that ``keep`` accepts, of the days covered by crawls that count
    (see :func:`watermarks`)."""
    found: dict[str, dt.date] = {}
    done: dict[str, set[dt.date]] = {}
    lost: dict[str, set[dt.date]] = {}

    def mark(key: str, day: dt.date) -> None:
        if key not in found or day > found[key]:
            found[key] = day

    for crawl in crawls:
        days = [day for day in days_of(crawl.args) if keep(day)]
        if not days:
            continue
        # A digests crawl of some sites says nothing of the others: it marks only them.
        if crawl.status == "finished" and not (crawl.spider == "digests" and crawl.args.get("sites")):
            mark(crawl.spider, max(days))
            done.setdefault(crawl.spider, set()).update(days)
        elif crawl.status not in ("finished", "partial", "running") and not crawl.args.get("sites"):
            lost.setdefault(crawl.spider, set()).update(days)
        if crawl.spider == "digests" and crawl.status in ("finished", "partial"):
            for site, whole in _digest_sites(crawl).items():
                if whole:
                    mark(f"digests/{site}", max(days))
    # A day whose crawl came to nothing (failed, killed, refused by the store) and that no
    # finished crawl covered since is a hole: the mark stays before it, so the next run
    # crawls it again, though a later day finished meanwhile (a crawl of today by hand).
    # A source that never finished a crawl has its mark there too: it planned today only,
    # and the day it was down was neither crawled nor named again (probe29).
    for key, days in lost.items():
        holes = days - done.get(key, set())
        if holes and (key not in found or min(holes) <= found[key]):
            found[key] = min(holes) - dt.timedelta(days=1)
    return found


def watermarks(crawls: Iterable[Any], today: dt.date | None = None) -> dict[str, dt.date]:
    """Each spider's latest day covered by a crawl that ended ``finished``, and for digests
    also each site's (``digests/<site>``): a ``partial`` digests crawl moves the watermark of
    every site whose requests all came to something.

    With ``today``, days after it do not count (a crawl of ``since``..``until`` that runs
    into the future still marks today): a day that has not come cannot be complete, and a
    mark in the future would stop the catch-up of that source until the day came
    (:func:`marks_ahead` finds them, to say so)."""
    return _marks(crawls, lambda day: today is None or day <= today)


def marks_ahead(crawls: Iterable[Any], today: dt.date) -> dict[str, dt.date]:
    """The keys of :func:`watermarks` whose latest covered day is after ``today``, with that
    day: the marks :func:`watermarks` with ``today`` did not trust."""
    return _marks(crawls, lambda day: day > today)


def _range(days: list[dt.date]) -> dict[str, str]:
    first, last = min(days), max(days)
    return {"date": first.isoformat()} if first == last else {"since": first.isoformat(), "until": last.isoformat()}


def _behind(mark: dt.date | None, today: dt.date) -> list[dt.date]:
    """Every day after ``mark`` up to ``today``; today alone without a mark."""
    first = mark + dt.timedelta(days=1) if mark else today
    return [first + dt.timedelta(days=n) for n in range(max(0, (today - first).days + 1))]


def _days_after(mark: dt.date | None, today: dt.date, max_days: int) -> list[dt.date]:
    return _behind(mark, today)[-max(1, max_days):]


def _site_mark(marks: Mapping[str, dt.date], site: str) -> dt.date | None:
    """A digest site catches up from the later of its own watermark and the spider's."""
    return max([m for m in (marks.get(f"digests/{site}"), marks.get("digests")) if m], default=None)


def _crawls(marks: Mapping[str, dt.date], digest_sites: Iterable[str],
            days_of: Callable[[str, dt.date | None], list[dt.date]]) -> list[tuple[str, dict[str, Any]]]:
    """``(spider, arguments)`` of the crawls of each day spider's days (``days_of(spider,
    watermark)``): digest sites that need the same days share one digests crawl
    (``sites``); without sites, the digests spider goes as one."""
    plan: list[tuple[str, dict[str, Any]]] = []
    sites = list(digest_sites)
    for spider in DAY_SPIDERS:
        if spider == "digests" and sites:
            groups: dict[tuple[dt.date, ...], list[str]] = {}
            for site in sites:
                days = tuple(days_of(spider, _site_mark(marks, site)))
                if days:
                    groups.setdefault(days, []).append(site)
            for days, names in sorted(groups.items()):
                args = _range(list(days))
                if len(groups) > 1 or len(names) < len(sites):
                    args["sites"] = ",".join(names)
                plan.append(("digests", args))
            continue
        days = days_of(spider, marks.get(spider))
        if days:
            plan.append((spider, _range(days)))
    return plan


def catch_up_plan(marks: Mapping[str, dt.date], today: dt.date, *, max_days: int = 7, reobserve_days: int = 7,
                  digest_sites: Iterable[str] = ()) -> list[tuple[str, dict[str, Any]]]:
    """``(spider, arguments)`` pairs for a run without ``--date`` (see the module docstring).

    ``digest_sites``: the enabled digest sites; each catches up from its own watermark, and
    sites that need the same days share one digests crawl (``sites``). Without them, the
    digests spider catches up as one."""
    def days_of(spider: str, mark: dt.date | None) -> list[dt.date]:
        days = _days_after(mark, today, max_days)
        if spider == "huggingface" and reobserve_days > 0:
            days = sorted(set(days) | {today - dt.timedelta(days=n) for n in range(reobserve_days)})
        return days

    return _crawls(marks, digest_sites, days_of) + [("arxiv", {"missing": True})]


def left_out(marks: Mapping[str, dt.date], today: dt.date, *, max_days: int = 7, reobserve_days: int = 7,
             digest_sites: Iterable[str] = ()) -> list[tuple[str, dict[str, Any]]]:
    """The days :func:`catch_up_plan` (same arguments) leaves out because of ``max_days``, as
    ``(spider, arguments)`` of the crawls that would cover them.

    Why it matters: the run's crawls move the watermark past these days, so no later run
    plans them; only a crawl a person starts brings them in. Hugging Face's re-observed
    days are not left out. Digest sites are grouped as :func:`catch_up_plan` groups them."""
    def days_of(spider: str, mark: dt.date | None) -> list[dt.date]:
        days = _behind(mark, today)[:-max(1, max_days)]
        if spider == "huggingface" and reobserve_days > 0:
            days = [day for day in days if (today - day).days >= reobserve_days]
        return days

    return _crawls(marks, digest_sites, days_of)


def notes(marks: Mapping[str, dt.date], ahead: Mapping[str, dt.date], today: dt.date, *, max_days: int = 7,
          reobserve_days: int = 7, digest_sites: Iterable[str] = ()) -> list[str]:
    """One line for each thing a catch-up plan does not do that a person would expect it to:
    a source whose last complete day is after ``today`` (``ahead``, from
    :func:`marks_ahead`; ``marks`` are the trusted :func:`watermarks`), and days left out by
    ``max_days`` (:func:`left_out`), with the command that crawls them. ``run`` prints them
    with its plan and before its crawls, so that no source or day is skipped silently."""
    lines = []
    sites = list(digest_sites)
    wanted = set(DAY_SPIDERS) | {f"digests/{site}" for site in sites}
    for key, day in sorted(ahead.items()):
        if key not in wanted:
            continue
        trusted = _site_mark(marks, key.split("/", 1)[1]) if key.startswith("digests/") else marks.get(key)
        since = f"planned from {trusted.isoformat()}" if trusted else "planned as never completed"
        lines.append(f"{key}: its last complete day {day.isoformat()} is after today ({today.isoformat()}), "
                     f"so it is not trusted: {since}")
    for spider, args in left_out(marks, today, max_days=max_days, reobserve_days=reobserve_days,
                                 digest_sites=sites):
        days = days_of(args)
        who = f"{spider} ({args['sites']})" if args.get("sites") else spider
        what = " ".join(f"--{k} {v}" for k, v in args.items())
        mark = min(days) - dt.timedelta(days=1)
        count, them = (f"{len(days)} days after its last complete day {mark} are", "them")
        if len(days) == 1:
            count, them = f"1 day after its last complete day {mark} is", "it"
        lines.append(f"{who}: {count} not crawled (--max-days {max(1, max_days)}) and no later run will plan "
                     f"{them}: crawl {them} with `reconcile crawl {spider} {what}`, or raise --max-days")
    return lines


def describe(plan: list[tuple[str, dict[str, Any]]], marks: Mapping[str, dt.date]) -> str:
    """The plan as lines a person reads (``run --dry-run``)."""
    lines = []
    for spider, args in plan:
        what = " ".join(f"--{k} {v}" if v is not True else f"--{k}" for k, v in args.items())
        mark = marks.get(spider)
        if spider == "digests" and args.get("sites"):
            known = [marks.get(f"digests/{s}") for s in str(args["sites"]).split(",")]
            mark = max([m for m in known if m], default=mark)
        since = f" (last complete day: {mark.isoformat()})" if mark else (" (never completed)" if spider in DAY_SPIDERS
                                                                           else "")
        lines.append(f"reconcile crawl {spider} {what}{since}")
    return "\n".join(lines)
