"""Publication dates of one paper that differ beyond time zones.

The trusted date is arXiv's ``published``, the submission of v1 (else Hugging Face's
``paper.publishedAt``, else ArxivLens's, else a digest's "Published:" line). Every other
date is compared with it by this rule:

- A value is a *timestamp* when its observation keeps one (``extra['published_at']``, as
  the arXiv parsers do); it is compared as its UTC date. Any other value is *date only*:
  a calendar date in a time zone nobody stated.
- Equal dates agree. Two timestamps on different UTC dates disagree.
- A date-only value one day off a timestamp agrees when the timestamp falls on that date
  in some real time zone, UTC-12:00 to UTC+14:00 (``DateConfig``): it is within that offset of the date's
  midnight. (2026-02-04T18:00Z is already 2026-02-05 in Seoul, so a Korean digest that
  says Feb 5 agrees; 2026-02-04T06:00Z is Feb 5 nowhere, so it disagrees.)
- Two date-only values one day apart agree: each could be the same moment seen in a
  different time zone, and nothing says otherwise.
- Anything further apart disagrees.

A disagreement is a ``warning``, or ``info`` when the date agrees (by the same rule) with
a later version's date (``extra['updated']`` of any observation): a source that shows the
date of the latest version instead of v1. All differing dates of a paper make one
discrepancy. Fails to see a one-day error hidden behind a time-zone shift, and trusts a
parser that stored a local date as a UTC one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reconcile.config import DEFAULTS, DateConfig
from reconcile.models import Discrepancy, Kind, Observation, Severity, iso, utc

from .base import CheckContext
from .fields import Finding, compare_field, label



@dataclass(frozen=True)
class When:
    """A publication date, and the UTC instant it came from when a source gave one."""

    day: dt.date
    instant: dt.datetime | None = None

    def __str__(self) -> str:
        return iso(self.instant) if self.instant else self.day.isoformat()


def parse_instant(value: object) -> dt.datetime | None:
    """A UTC datetime from an ISO 8601 timestamp (``Z``, an offset, or naive = UTC); None
    for dates without a time and for anything unreadable."""
    if not isinstance(value, str) or len(value.strip()) <= 10:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return utc(moment)


def published_of(obs: Observation) -> When | None:
    """When ``obs`` says the paper was published: its stated timestamp, else its date."""
    instant = parse_instant(obs.extra.get("published_at"))
    if instant is not None:
        return When(instant.date(), instant)
    return When(obs.published) if obs.published else None


def _updated_of(obs: Observation) -> When | None:
    value = obs.extra.get("updated")
    instant = parse_instant(value)
    if instant is not None:
        return When(instant.date(), instant)
    try:
        return When(dt.date.fromisoformat(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def same_moment(a: When, b: When, zones: DateConfig = DEFAULTS.dates) -> bool:
    """Whether two publication dates can be the same moment (see the module docstring)."""
    if a.day == b.day:
        return True
    if (a.instant and b.instant) or abs((a.day - b.day).days) != 1:
        return False
    if a.instant is None and b.instant is None:
        return True
    instant, day = (a.instant, b.day) if a.instant else (b.instant, a.day)
    return day in ((instant + dt.timedelta(hours=zones.east_hours)).date(),
                   (instant - dt.timedelta(hours=zones.west_hours)).date())


def check_published(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Publication dates that differ from arXiv's v1 date beyond what time zones explain."""
    updates = [u for u in map(_updated_of, observations) if u is not None]

    def compare(trusted: Observation, obs: Observation) -> Finding | None:
        ref, other = published_of(trusted), published_of(obs)
        if ref is None or other is None or same_moment(ref, other, ctx.config.dates):
            return None
        days = (other.day - ref.day).days
        which = "v1 date" if trusted.source.value == "arxiv" else "date"
        phrase = (f"says {other} ({abs(days)} day{'s' * (abs(days) > 1)} "
                  f"{'after' if days > 0 else 'before'} {label(trusted)}'s {which} {ref})")
        later = next((u for u in updates if u.day > ref.day and same_moment(u, other, ctx.config.dates)), None)
        if later is not None:
            return Finding(Severity.INFO, f"{phrase}: the date of a later version (updated {later})", str(other))
        return Finding(Severity.WARNING, phrase, str(other))

    def shown(obs: Observation) -> str | None:
        found = published_of(obs)
        return str(found) if found else None

    return compare_field(paper_id, observations, ctx, kind=Kind.PUBLISHED, field="published",
                         compare=compare, shown=shown)
