"""What ``reconcile run`` crawls: the day asked for, or every day since each source's last
complete success, plus Hugging Face's recent lists again.

A scheduled run must not lose a day because the machine was off or a source was down, and
the upvotes the tool is built to compare keep growing for days after a list appears. So a
run without ``--date``:

- finds each spider's *watermark*, the latest day that one of its crawls covered and that
  ended ``finished`` (a ``partial`` or ``failed`` crawl does not move it, so its days are
  crawled again next time), from the ``crawls`` table;
- crawls every day after the watermark up to today (UTC), at most ``max_days`` of them (the
  latest ones); a spider that never finished a crawl gets today only;
- asks Hugging Face again for the lists of the last ``reobserve_days`` days, so that upvote
  and comment growth is recorded as history (an unchanged answer has a known content hash
  and adds nothing);
- ends with arXiv for the ids the others carry that arXiv was not asked for.

Days go to each spider as one range (``since``/``until``), so a catch-up of three days is
one crawl per source. Pure: the watermarks are read by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

#: The spiders ``run`` plans for, in order; arXiv comes last (it asks for what others carry).
DAY_SPIDERS = ("huggingface", "digests", "arxivlens")


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


def watermarks(crawls: Iterable[Any]) -> dict[str, dt.date]:
    """Each spider's latest day covered by a crawl that ended ``finished``, and for digests
    also each site's (``digests/<site>``): a ``partial`` digests crawl moves the watermark of
    every site whose requests all came to something."""
    found: dict[str, dt.date] = {}

    def mark(key: str, day: dt.date) -> None:
        if key not in found or day > found[key]:
            found[key] = day

    for crawl in crawls:
        days = days_of(crawl.args)
        if not days:
            continue
        # A digests crawl of some sites says nothing of the others: it marks only them.
        if crawl.status == "finished" and not (crawl.spider == "digests" and crawl.args.get("sites")):
            mark(crawl.spider, max(days))
        if crawl.spider == "digests" and crawl.status in ("finished", "partial"):
            for site, whole in _digest_sites(crawl).items():
                if whole:
                    mark(f"digests/{site}", max(days))
    return found


def _range(days: list[dt.date]) -> dict[str, str]:
    first, last = min(days), max(days)
    return {"date": first.isoformat()} if first == last else {"since": first.isoformat(), "until": last.isoformat()}


def _days_after(mark: dt.date | None, today: dt.date, max_days: int) -> list[dt.date]:
    first = mark + dt.timedelta(days=1) if mark else today
    return [first + dt.timedelta(days=n) for n in range(max(0, (today - first).days + 1))][-max(1, max_days):]


def catch_up_plan(marks: Mapping[str, dt.date], today: dt.date, *, max_days: int = 7, reobserve_days: int = 7,
                  digest_sites: Iterable[str] = ()) -> list[tuple[str, dict[str, Any]]]:
    """``(spider, arguments)`` pairs for a run without ``--date`` (see the module docstring).

    ``digest_sites``: the enabled digest sites; each catches up from its own watermark, and
    sites that need the same days share one digests crawl (``sites``). Without them, the
    digests spider catches up as one."""
    plan: list[tuple[str, dict[str, Any]]] = []
    sites = list(digest_sites)
    for spider in DAY_SPIDERS:
        if spider == "digests" and sites:
            groups: dict[tuple[dt.date, ...], list[str]] = {}
            for site in sites:
                mark = max([m for m in (marks.get(f"digests/{site}"), marks.get("digests")) if m], default=None)
                days = tuple(_days_after(mark, today, max_days))
                if days:
                    groups.setdefault(days, []).append(site)
            for days, names in sorted(groups.items()):
                args = _range(list(days))
                if len(groups) > 1 or len(names) < len(sites):
                    args["sites"] = ",".join(names)
                plan.append(("digests", args))
            continue
        days = _days_after(marks.get(spider), today, max_days)
        if spider == "huggingface" and reobserve_days > 0:
            days = sorted(set(days) | {today - dt.timedelta(days=n) for n in range(reobserve_days)})
        if days:
            plan.append((spider, _range(days)))
    plan.append(("arxiv", {"missing": True}))
    return plan


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
