"""What the four field detectors (``title``, ``authors``, ``published``, ``abstract``) share.

Each of them compares every observation's value of one field with the most trusted value
of that field, the one the merged record takes (:func:`reconcile.policy.pick`: arXiv, else
Hugging Face, else ArxivLens, else a digest; the latest observation within that source).
A comparison says whether two values differ and how; all differing values of one paper
become one discrepancy, whose severity is the worst comparison's and whose detail names
every way they differ, grouped by value so ten digests with the same cut title make one
phrase. A comparison that rests on a heuristic read (a value a generic digest reader
found by its look) is at most ``info`` (:mod:`reconcile.checks.evidence`). The ``values`` of the discrepancy are the trusted value first, then every
observation that differs from it, each with its source, site, time and time basis.

Values the merge would never take are skipped here too: text fields of a document whose
mojibake could not be repaired (the ``mojibake`` detector reports that document, and its
broken text would only be reported a second time as a typo) and page furniture (the
``garbage_field`` detector's).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reconcile import policy
from reconcile.models import Discrepancy, Document, Kind, Observation, Severity, Source, iso, utc

from .base import CheckContext, discrepancy_id, value_of
from .evidence import cap, guessed_link, heuristic, newer_version, older_version, stale_record

log = logging.getLogger(__name__)

#: At most this many phrases in a detail, and sources named in a phrase; the rest are counted.
MAX_PHRASES = 4
MAX_NAMES = 3
#: The fields a later arXiv version may change (:func:`.evidence.newer_version`).
_VERSIONED = frozenset({"title", "abstract", "authors"})


@dataclass(frozen=True)
class Finding:
    """How one value differs from the trusted one: a severity and a phrase for the detail.

    ``group`` says which observations may share one phrase (the same differing value).
    """

    severity: Severity
    phrase: str
    group: Any = None


def usable(obs: Observation, field: str, documents: dict[int, Document]) -> bool:
    """True when ``obs`` has a value of ``field`` worth comparing.

    Mentions (a name in prose, no title of their own) are not, nor is any value the merge
    would never take (:func:`reconcile.policy.pick`): empty values, text from a document
    whose mojibake was not repaired, values that are page furniture.
    """
    if obs.extra.get("mention"):
        return False
    # The merge's own rule (what ``policy.pick(field, [obs], documents) is obs`` asks, without
    # building a list per source: this runs for every observation and field of every paper),
    # so a value it would never take is not compared either.
    return obs.source in policy.PRECEDENCE[field] and policy.usable(field, obs, documents)


def label(obs: Observation) -> str:
    """A short name of who said it, for details: the site, else the source."""
    return obs.site or obs.source.value


def _who(group: Sequence[Observation]) -> str:
    names = list(dict.fromkeys(label(o) for o in group))
    more = len(names) - MAX_NAMES
    return ", ".join(names[:MAX_NAMES]) + (f" and {more} more" if more > 0 else "")


def version_note(trusted: Observation, obs: Observation) -> str | None:
    """Why ``obs`` may show another arXiv version than ``trusted``, or None.

    ``v1 vs v3`` when the two observations name different arXiv versions. Else, when the
    trusted record is arXiv's for a version after the first and ``obs`` names no version
    (Hugging Face, most digests): if ``obs`` was seen before arXiv's record says that
    version appeared (its ``updated`` time), it can only have shown an earlier version's
    text -- "seen 2026-07-14, before arXiv's v2 of 2026-07-19". A record naming no version
    says it was revised otherwise: OAI-PMH's ``updated`` day after its ``created`` one
    ("before arXiv's revision of ..."), an RSS item announcing a replacement (from the
    start of the day before its announcement day: "before arXiv's replacement of ...").

    Why it is safe: an observation's time is when it was seen, or a time after that (a
    post's publication, our fetch, a file's time), so a text seen before the revision
    existed is not the revision's text. A date without a time counts from the start of its
    day. An observation whose time is no capture time (a file's modification time, a
    post's publication: :attr:`reconcile.models.TimeBasis.is_capture`) may have been read at
    any time before it, so before the revision too: its difference is ``info`` as well; so is
    that of a list of a day before the revision, whatever its time (its text was most likely
    written for its day). It only lowers a warning to ``info``. When it fails: a source that was wrong about the
    earlier version too (a typo in v1's title as Hugging Face shows it) is ``info``, where
    only v1's own record could tell.
    """
    if trusted.arxiv_version and obs.arxiv_version:
        return f"v{obs.arxiv_version} vs v{trusted.arxiv_version}" if trusted.arxiv_version != obs.arxiv_version else None
    if trusted.source != Source.ARXIV or obs.observed_at is None or (trusted.arxiv_version or 2) < 2:
        return None
    extra = trusted.extra if isinstance(trusted.extra, dict) else {}
    updated = _time(extra.get("updated"))
    replaced = str(extra.get("announce_type", "")).startswith("replace") and trusted.listed_on is not None
    if updated is None and replaced:
        # An RSS announcement of a replacement: public from the evening before its day
        # (arXiv announces at 20:00 US Eastern); counted from the start of the day before.
        updated = dt.datetime.combine(trusted.listed_on - dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    if trusted.arxiv_version:
        what = f"v{trusted.arxiv_version}"
    elif replaced:
        what = "replacement"
    elif updated is not None and trusted.published is not None and updated.date() > trusted.published:
        what = "revision"  # an OAI-PMH record: no version, but updated after it was created
    else:
        return None
    if updated is None:
        return None
    if (seen := utc(obs.observed_at)) < updated:
        return f"seen {iso(seen)}, before arXiv's {what} of {iso(updated)}"
    basis = obs.observed_at_basis
    if basis is not None and not basis.is_capture:
        # A file's time, a post's publication: the text was seen then or at any time before,
        # which may be before the revision, so the difference may be the revision's.
        return (f"seen by {iso(seen)} at the latest, a {basis.value} time, perhaps before arXiv's {what} "
                f"of {iso(updated)}")
    if obs.listed_on is not None and dt.datetime.combine(obs.listed_on + dt.timedelta(days=1), dt.time(),
                                                         dt.timezone.utc) <= updated:
        # A list of a day before the revision, read later: its text was most likely written
        # for its day (a post "Daily Papers (2026-11-22)" fetched weeks on), so it may be
        # the earlier version's. Not sure: a list of an old day written later from newer
        # data is as possible, so it only lowers a warning to info.
        return f"a list of {obs.listed_on}, a day before arXiv's {what} of {iso(updated)}"
    return None


def _time(value: object) -> dt.datetime | None:
    """An ISO time or date as an aware datetime (a date is the start of its UTC day); None
    when it does not parse."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return utc(when)


def compare_field(paper_id: str, observations: Sequence[Observation], ctx: CheckContext, *,
                  kind: Kind, field: str,
                  compare: Callable[[Observation, Observation], Finding | None],
                  shown: Callable[[Observation], Any] | None = None) -> list[Discrepancy]:
    """At most one discrepancy of ``kind``: every value of ``field`` against the trusted one.

    ``compare(trusted, obs)`` returns None when ``obs`` agrees with the trusted
    observation (beyond what does not count, such as case or time zones), else a
    :class:`Finding`. ``shown`` turns an observation into the value put in ``values``
    (default: the field as it is).
    """
    candidates = [o for o in observations if usable(o, field, ctx.documents)]
    trusted = policy.pick(field, candidates, ctx.documents)
    if trusted is None:
        return []
    shown = shown or (lambda o: getattr(o, field))
    differing: list[tuple[Observation, Finding]] = []
    # In an order of their own (not of ingest), so a finding reads the same whatever order
    # the documents came in.
    for obs in sorted(candidates, key=lambda o: (o.source.value, o.site or "", iso(o.observed_at) or "",
                                                 o.url or "", policy.recency(o, ctx.documents))):
        if obs is trusted:
            continue
        finding = compare(trusted, obs)
        if finding is not None:
            # A value a generic reader found by its look may inform, never warn (evidence.py).
            weak = [w for w in (guessed_link(obs, ctx, field), heuristic(obs, field), heuristic(trusted, field),
                                newer_version(trusted, obs, observations) if field in _VERSIONED else None,
                                older_version(trusted, obs, observations, field) if field in _VERSIONED else None,
                                stale_record(trusted, obs, ctx) if field in _VERSIONED else None) if w]
            if weak and finding.severity != Severity.INFO:
                severity, phrase = cap(finding.severity, finding.phrase, weak)
                finding = Finding(severity, phrase, finding.group)
            differing.append((obs, finding))
    if not differing:
        return []
    severity = max((f.severity for _, f in differing), key=lambda s: s.level)
    # One phrase per distinct finding: "lim4349, digest.example has it cut at the colon: ...".
    phrases: dict[tuple, list[Observation]] = {}
    for obs, finding in differing:
        phrases.setdefault((finding.severity.level, finding.phrase, repr(finding.group)), []).append(obs)
    ordered = sorted(phrases.items(), key=lambda item: -item[0][0])
    texts = [f"{_who(group)} {key[1]}" for key, group in ordered]
    more = len(texts) - MAX_PHRASES
    verb = "differ" if field.endswith("s") else "differs"
    detail = (f"{field} {verb} from {label(trusted)}'s: "
              + "; ".join(texts[:MAX_PHRASES]) + (f"; and {more} more" if more > 0 else ""))
    values = [value_of(trusted, shown(trusted), ctx.documents)]
    values += [value_of(o, shown(o), ctx.documents) for o, _ in differing]
    log.debug("%s: %s %s", paper_id, kind.value, detail)
    return [Discrepancy(id=discrepancy_id(paper_id, kind, field), paper_id=paper_id, kind=kind,
                        field=field, severity=severity, values=values, detail=detail)]


def text_compare(field: str, describe: Callable[[str, str, str], tuple[Severity, str] | None],
                 shown: Callable[[str], Any]) -> Callable[[Observation, Observation], Finding | None]:
    """The comparison of a text field (title, abstract) with the trusted value: ``describe``
    says how two texts differ (``(severity, phrase)``, None when they do not), and a warning
    between two arXiv versions becomes ``info`` (the text may have changed between them;
    see :func:`version_note`, which also counts an observation seen before arXiv's revision);
    ``shown`` is the value the finding shows."""
    def compare(trusted: Observation, obs: Observation) -> Finding | None:
        found = describe(getattr(trusted, field), getattr(obs, field), label(trusted))
        if found is None:
            return None
        severity, phrase = found
        note = version_note(trusted, obs)
        if note and severity == Severity.WARNING:
            severity, phrase = Severity.INFO, f"{phrase} ({note}: {field}s can change between versions)"
        return Finding(severity, phrase, shown(getattr(obs, field)))

    return compare
