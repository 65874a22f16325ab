"""What a site's entry in ``sites.toml`` says about its documents, applied to what a
parser read: the real meaning of its counts, and the zone of the times it writes without
an offset. (Its CSS selectors are used by the card reader itself: :mod:`.digests.cards`.)

Why configuration: some things no reader can tell from a document. A site that stores
``numComments or upvotes`` under ``upvotes`` shows a number that is sometimes one and
sometimes the other; only someone who read its code knows. Such a site says
``counts = { upvotes = "none" }`` and its numbers stay out of every comparison.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from reconcile.models import Observation

log = logging.getLogger(__name__)


def apply_counts(observations: list[Observation], site) -> None:
    """Re-read each labelled count by the site's ``counts`` rule, in place.

    ``upvotes``/``comments``: the number is that count (``comments = "upvotes"``: the site
    labels upvotes as comments). ``stars``: GitHub stars, kept as ``extra['stars']``.
    ``none``: not a count to compare, kept as ``extra['<label>_as_stated']``. Every moved
    value says so in ``extra['read']``.
    """
    if site is None or not site.counts:
        return
    for obs in observations:
        stated = {label: getattr(obs, label) for label in site.counts}
        read = dict(obs.extra.get("read") or {"reader": None})
        how = dict(read.get("fields") or {})
        extra = dict(obs.extra)
        for label, value in stated.items():
            if value is None:
                continue
            setattr(obs, label, None)
            how.pop(label, None)
            meaning = site.counts[label]
            rule = f"site:{site.name} counts {label} as {meaning}"
            if meaning in ("upvotes", "comments"):
                setattr(obs, meaning, value)
                how[meaning] = rule
            elif meaning == "stars":
                extra["stars"] = value
            else:
                extra[f"{label}_as_stated"] = value
            extra.setdefault("site_rules", []).append(rule)
        read["fields"] = how
        extra["read"] = read
        obs.extra = extra


def local_time(value: dt.datetime | None, site) -> dt.datetime | None:
    """A time the document wrote without an offset (read as UTC) re-read in the site's
    ``timezone``; unchanged when the site names none."""
    if value is None or site is None or not site.timezone:
        return value
    return value.replace(tzinfo=ZoneInfo(site.timezone)).astimezone(dt.timezone.utc)


__all__ = ["apply_counts", "local_time"]
