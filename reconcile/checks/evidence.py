"""How strong the evidence behind a finding is, and the severity it can carry.

A finding is only as sure as the weakest value it rests on. Five things make a value weak:

- *A heuristic read.* The generic digest readers (``digest-generic``, ``digest-structured``,
  ``digest-feed``) find a format nobody wrote a parser for by its look: a number after a
  thumbs-up, a column headed "Votes", a key named ``upvotes``. They leave a value empty when
  unsure, but what they read is still their reading, not a value the document is known to
  mean (a fetcher may store comments under ``upvotes``). A rule a site's configuration
  gave (``site:...``) is the user's statement and counts as stated; so does any value read by
  a parser written for its format. A rule of kind ``inferred`` is weak whoever made it.
- *A loose time.* A post's publication time, a file's name or modification time, the time
  we fetched a digest that states none, or a capture time a document states without a zone
  (from a site not known to write UTC, with no ``timezone`` configured), can be hours off
  the moment its numbers were read;
  only capture times (:attr:`reconcile.models.TimeBasis.is_capture`) can order two values.
- *A partial list* (for ``missing``): a list captured before its day ended, cut by a page
  limit, or a selection.
- *An out-of-date record.* arXiv's record of version N, when another observation names a
  later version, may not be the text a source without a version showed
  (:func:`newer_version`), or fetched days before the source was seen
  (:func:`stale_record`); and a source's text that is arXiv's record of another version's
  (:func:`older_version`), which it shows as it was.
- *A guessed link.* An item with no id that the matcher linked by a title that is not the
  paper's own (a typo, a cut, a name before a colon) or by a name it mentions may be
  another paper's: its differences from the paper are evidence against the link as much as
  findings about a source (:func:`guessed_link`). An identifier, a DOI or the paper's
  exact title is a link, not a guess, unless the item's own title names another paper
  (:func:`reconcile.checks.titles.own_title_disagrees`).

Weak evidence may inform, never warn or alarm: :func:`cap` turns a ``warning`` or ``error``
into ``info`` and says why in the detail. Every reason names the observation it is about,
so the detail says which evidence would settle the finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reconcile.match import EXACT_TITLE  # an adoption's link detail quotes the link it made
from reconcile.models import Observation, Severity, Source, TimeBasis
from reconcile.policy import time_basis
from reconcile.text import normalize_title

from .base import CheckContext

#: The readers that recognise a format by its look rather than by a parser written for it.
GENERIC_READERS = frozenset({"digest-generic", "digest-structured", "digest-feed"})


def read_rule(obs: Observation, field: str) -> tuple[str | None, str | None]:
    """The reader of ``obs`` and the rule by which it read ``field`` (None when unrecorded)."""
    read = obs.extra.get("read") if isinstance(obs.extra, dict) else None
    if not isinstance(read, dict):
        return None, None
    rules = read.get("fields") if isinstance(read.get("fields"), dict) else {}
    return read.get("reader"), rules.get(field)


def heuristic(obs: Observation, field: str) -> str | None:
    """Why ``obs``'s ``field`` is a heuristic read, or None when the document states it."""
    reader, rule = read_rule(obs, field)
    kind = (rule or "").split(":", 1)[0]
    if kind == "site":
        return None
    if kind == "inferred" or reader in GENERIC_READERS:
        how = f" ({rule})" if rule else ""
        return f"{name_of(obs)}'s {field} is the generic reader's reading{how}"
    return None




def guessed_link(obs: Observation, ctx: CheckContext, field: str | None = None) -> str | None:
    """Why ``obs`` may not be the paper's at all, or None: it was linked by a name it
    mentions, or by a title that is not exactly the paper's (its link's score is no help
    here: a close title's score with the date bonus reaches 100 as an exact one does), or
    by an id its own title contradicts (:func:`reconcile.checks.titles.own_title_disagrees`;
    not for ``field`` ``title``, whose finding is that contradiction)."""
    if obs.id is not None and field != "title" and obs.id in ctx.disagreeing:
        return ctx.disagreeing[obs.id]
    method, score, detail = ctx.links.get(obs.id, (None, None, None)) if obs.id is not None else (None, None, None)
    if method == "mention":
        return f"{name_of(obs)} is linked by a name it mentions, which may be another paper's"
    if method == "title" and EXACT_TITLE not in (detail or ""):
        return (f"{name_of(obs)} is linked by a title that is not exactly the paper's (score {score:g}), "
                "so it may be another paper's")
    return None


def newer_version(trusted: Observation, obs: Observation, observations: Iterable[Observation]) -> str | None:
    """Why the trusted record may be out of date for ``obs``, or None: it names arXiv's
    version N, another observation of the paper names a later one, and ``obs`` names none
    and was not seen before the trusted record. ``obs`` may then show the later version's
    text, which the trusted record has not got (Hugging Face showing v2's title beside
    arXiv's record of v1, fetched weeks before, and an ArxivLens link to v2)."""
    if not trusted.arxiv_version or obs.arxiv_version:
        return None
    later = [o for o in observations if o.arxiv_version and o.arxiv_version > trusted.arxiv_version]
    if not later:
        return None
    if trusted.observed_at is not None and obs.observed_at is not None and obs.observed_at < trusted.observed_at:
        return None
    newest = max(later, key=lambda o: (o.arxiv_version, o.source.value, o.site or ""))
    return (f"{name_of(trusted)}'s record is v{trusted.arxiv_version}, {name_of(newest)} names "
            f"v{newest.arxiv_version}: {name_of(obs)} may show v{newest.arxiv_version}")


def older_version(trusted: Observation, obs: Observation, observations: Iterable[Observation],
                  field: str) -> str | None:
    """Why ``obs``'s value of ``field`` is no mistake, or None: it names no arXiv version,
    and its value is, to case, punctuation and spacing, that of arXiv's record of a version
    other than the trusted one (v1's title beside v2's). It shows that version's text: a
    list of v1's day names the paper by v1's title. Why not a warning: the title was the
    paper's; an item naming it so was linked by it (:func:`reconcile.blocking.face`), and
    its difference from the latest version is the revision's, which the finding still
    shows, as ``info``."""
    if obs.arxiv_version or obs.source == Source.ARXIV:
        return None
    mine = _text_key(getattr(obs, field, None))
    if not mine:
        return None
    for other in sorted((o for o in observations if o.source == Source.ARXIV and o.arxiv_version
                         and o.arxiv_version != trusted.arxiv_version), key=lambda o: o.arxiv_version):
        if _text_key(getattr(other, field, None)) == mine:
            return f"{name_of(obs)} has the {field} of arXiv's v{other.arxiv_version}"
    return None


def stale_record(trusted: Observation, obs: Observation, ctx: CheckContext) -> str | None:
    """Why arXiv's record may be out of date for ``obs``, or None: ``obs`` names no version,
    and was seen, by a capture time, more than ``VersionConfig.stale_record_days`` after
    the record was fetched. A version may have appeared in between, which ``obs`` shows and
    the record has not got (Hugging Face's list of the day after a revision, beside a
    record fetched a week before it). When it fails: a source wrong about the version the
    record holds is ``info`` too, until arXiv is asked again (``crawl arxiv --missing``
    asks once per id; ``crawl arxiv --ids`` again)."""
    if trusted.source != Source.ARXIV or obs.source == Source.ARXIV or obs.arxiv_version:
        return None
    fetched, seen = trusted.observed_at, obs.observed_at
    if fetched is None or seen is None:
        return None
    basis = time_basis(obs, ctx.documents)
    if basis is None or not basis.is_capture:
        return None  # seen by then at the latest: perhaps before the record was fetched
    days = (seen - fetched).total_seconds() / 86400
    if days <= ctx.config.versions.stale_record_days:
        return None
    version = f" (v{trusted.arxiv_version})" if trusted.arxiv_version else ""
    return (f"{name_of(trusted)}'s record{version} was fetched {days:.0f} days before {name_of(obs)} was seen: "
            "a later version may differ")


def _text_key(value: object) -> str:
    """A text (or a list of texts) to compare across versions: its normalized title key."""
    if isinstance(value, str):
        return normalize_title(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(normalize_title(v) for v in value)
    return ""


def loose_time(obs: Observation, ctx: CheckContext) -> str | None:
    """Why ``obs``'s time cannot order it against another capture, or None."""
    basis = time_basis(obs, ctx.documents)
    if basis is not None and basis.is_capture:
        return None
    what = {TimeBasis.PUBLISHED: "a publication time", TimeBasis.RETRIEVED: "the time we fetched it",
            TimeBasis.FILE_NAME: "a time in a file name", TimeBasis.FILE_MTIME: "a file's time",
            TimeBasis.STATED_NAIVE: "a capture time it states without a time zone"}.get(
                basis, "unknown") if basis is not None else "unknown"
    return f"{name_of(obs)}'s time is {what}"


def weakness(observations: Iterable[Observation], fields: Sequence[str], ctx: CheckContext,
             *, times: bool = True) -> list[str]:
    """Every reason the values of ``fields`` in ``observations`` are weak evidence (guessed
    links, heuristic reads, and loose times when ``times``), each once, in order."""
    reasons: list[str] = []
    for obs in observations:
        why = guessed_link(obs, ctx)
        if why and why not in reasons:
            reasons.append(why)
        for field in fields:
            if getattr(obs, field, None) is None:
                continue
            why = heuristic(obs, field)
            if why and why not in reasons:
                reasons.append(why)
        if times:
            why = loose_time(obs, ctx)
            if why and why not in reasons:
                reasons.append(why)
    return reasons


def cap(severity: Severity, detail: str, reasons: Sequence[str]) -> tuple[Severity, str]:
    """``severity`` at most ``info`` when there are ``reasons`` (weak evidence), with the
    first reasons added to ``detail``; unchanged otherwise."""
    if not reasons or severity == Severity.INFO:
        return severity, detail
    shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    return Severity.INFO, f"{detail} (info, not {severity.value}: {shown})"


def name_of(obs: Observation) -> str:
    """``source/site`` of an observation, for details."""
    return f"{obs.source.value}/{obs.site}" if obs.site else obs.source.value


#: For each kind, the evidence that would settle a finding of it (``upvotes``, ``comments``
#: and ``rank`` say it in their own words, with the times that matter).
SETTLED_BY = {
    "title": "arXiv's record of the paper, in the version each source cites",
    "authors": "arXiv's record of the paper, which lists every author",
    "published": "arXiv's record of the paper's first version",
    "abstract": "arXiv's abstract of the version each source cites",
    "mojibake": "the document fetched again and decoded as its server declares",
    "replacement_char": "the document from its origin, before the bytes were lost",
    "garbage_field": "the source's page for the paper, read by a person",
    "numeric_claim": "the paper's own text for the number",
    "missing": "Hugging Face's list of that day captured again after the day ended",
}


def with_settled_by(detail: str, kind: str) -> str:
    """``detail`` ending with the evidence that would settle a finding of ``kind`` (once)."""
    if "Settled by" in detail or kind not in SETTLED_BY:
        return detail
    return f"{detail.rstrip('.')}. Settled by {SETTLED_BY[kind]}"
