"""Every threshold and weight of the reconciler, in one typed place with documented defaults.

:class:`ReconcileConfig` has a section per concern: ``matching`` (:class:`MatchConfig`),
each detector (``titles``, ``abstracts``, ``dates``, ``claims``, ``garbage``, ``missing``,
``quirks``). Every value says its unit and why its default is what it is. Change values
with a TOML file (``reconcile resolve --config FILE.toml``: only the values to change, by
section), or in code (``ReconcileConfig(matching=dataclasses.replace(DEFAULT, title_accept=92))``)
passed to :func:`reconcile.resolve.resolve`; ``reconcile config --show`` prints the
effective values. The tests pin the defaults' behaviour (``tests/cases/match.json``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AllowInfNan, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from reconcile.models import Observation, Severity, TimeBasis, describe_validation_error


def _not_a_boolean(value: object) -> object:
    """Refuse TOML's ``true`` and ``false`` where a number goes. Pydantic reads them as 1 and
    0 (``title_accept = true``: a threshold of 1 out of 100, every title links;
    ``ambiguity_margin = false``: the ambiguity rule off), a change of meaning without a
    word. Text goes on to pydantic, which reads ``"92"`` as the number it spells and refuses
    ``"high"``."""
    if isinstance(value, bool):
        raise ValueError(f"Input should be a number, not the boolean {str(value).lower()}")
    return value


#: A number in a config file: not a boolean (above), nor ``nan`` or ``inf``: NaN fails every
#: comparison, so it would pass the range checks (a NaN bonus makes every score NaN).
Number = Annotated[float, BeforeValidator(_not_a_boolean), AllowInfNan(False)]
#: A whole number in a config file, not a boolean either.
Whole = Annotated[int, BeforeValidator(_not_a_boolean)]


def _refuse(problems: list[str]) -> None:
    """One ValueError naming every value out of range (a file's typo would otherwise change
    what the checks find without a word); pydantic reports it as the file's one-line error."""
    if problems:
        raise ValueError("; ".join(problems))


def _at_least(section: object, minimum: float, *names: str) -> list[str]:
    return [f"{name} must be at least {minimum} (got {value})"
            for name in names if (value := getattr(section, name)) < minimum]


def _within(section: object, low: float, high: float, *names: str) -> list[str]:
    return [f"{name} must be within {low}-{high} (got {value})"
            for name in names if not low <= (value := getattr(section, name)) <= high]


@dataclass(frozen=True)
class MatchConfig:
    """How titles and mentions are matched to papers.

    Scores are rapidfuzz's 0-100. A candidate is accepted at ``title_accept`` or above, after
    the evidence adjustments, and only when no other candidate comes within
    ``ambiguity_margin`` of it (two similar papers must not swallow each other's records).
    """

    #: Full-title similarity (rapidfuzz ``ratio`` over normalized titles) that links.
    title_accept: Number = 90.0
    #: Titles shorter than this (normalized characters) link only on an exact key: a short
    #: title has too few characters for a typo score to mean anything.
    min_fuzzy_length: Whole = 20
    #: A truncated title (ending "..." or a prefix) must keep at least this many words and
    #: match the start of the candidate at ``prefix_accept``.
    prefix_min_words: Whole = 4
    #: ... scoring at least this (0-100) against the candidate's start: stricter than a whole
    #: title, since a cut title has fewer characters to be wrong in.
    prefix_accept: Number = 95.0
    #: A title cut at the colon ("OmniSIFT" for "OmniSIFT: ...") must be a distinctive name:
    #: at least this many characters, or containing a digit or a capital past its first
    #: letter ("Survey" is a word, not a name).
    colon_min_length: Whole = 10
    #: A fuzzy title match may differ in a word only if that word has a spelling this close
    #: (rapidfuzz ``ratio``) in the other title: a typo, not a different word.
    typo_word_floor: Number = 70.0
    #: Evidence: shared author surnames add, disjoint non-empty author lists subtract.
    author_bonus: Number = 4.0
    #: Points taken when both author lists are known and share no surname: enough to drop a
    #: borderline title below ``title_accept``, not enough to veto an exact one.
    author_penalty: Number = 8.0
    #: Evidence: dates (publication or listing) within this many days add, farther than
    #: ``date_far_days`` subtract.
    date_near_days: Whole = 10
    #: Days apart beyond which dates weigh against a link (a re-listing months later is rare),
    #: and refuse even an exact title unless an author is shared: a title alone, that far
    #: from every day the paper is known by, may be another paper's of the same name.
    date_far_days: Whole = 120
    #: Points added for near dates: a nudge, since near days are common among different papers.
    date_bonus: Number = 2.0
    #: A title that is not the paper's own (cut at the colon, truncated, similar, or its
    #: start) links only to a paper listed or published within this many days of the item,
    #: when both days are known: a list re-lists the papers of its days, and a near title
    #: far from them is another paper's. An exact title is held to ``date_far_days``
    #: instead, and a shared author lifts that (a look back that names authors links).
    weak_title_days: Whole = 10
    #: Points taken for far dates: more than the author penalty, as far apart is rarer.
    #: Together with ``author_penalty`` more than ``100 - title_accept``: disjoint authors
    #: and far dates refuse any title by score alone.
    date_penalty: Number = 10.0
    #: Two candidates within this many points of each other: neither is linked.
    ambiguity_margin: Number = 3.0
    #: Blocking: candidates come from the rarest words of a title, at most this many words
    #: and this many candidates; words carried by more than ``common_word_share`` of all
    #: papers are too common to block on.
    block_words: Whole = 3
    #: Candidates scored per lookup at most: bounds a lookup's cost.
    max_candidates: Whole = 200
    #: Share (0-1) of all papers above which a word is too common to block on.
    common_word_share: Number = 0.05
    #: ... and no word whose posting list is longer than this is read whole: the bound that
    #: keeps a lookup's cost flat as the number of papers grows.
    max_posting: Whole = 2000
    #: ... before which a title's first and last this many words are looked up directly (a
    #: truncated title keeps its start, a title with one typo one of its ends).
    end_words: Whole = 3
    #: A mention ("WideSeek-R1" in prose) links to a paper listed or published within this
    #: many days of the mention, when the mention's day is known; a title cut at the colon
    #: ("Glance", "SAGE") takes, of the papers carrying that name, the one listed or
    #: published in this many days up to the item's (or the day after), and a plain word is
    #: a name only then. A digest lists the papers of its day and the few before it.
    mention_days: Whole = 7

    def __post_init__(self) -> None:
        """Refuse values no matching can mean (a file's typo of ``-10`` for ``10`` would
        otherwise refuse every near title quietly): days, points and margins are not
        negative, scores lie in 0-100, the candidate and posting bounds and the prefix's
        words are at least 1 (the block and end word counts at least 0: none), a share
        lies in (0, 1]."""
        problems = [f"{name} must be at least 0 (got {value})" for name, value in vars(self).items()
                    if name.endswith(("_days", "_bonus", "_penalty", "_margin", "_length")) and value < 0]
        problems += _within(self, 0, 100, "title_accept", "prefix_accept", "typo_word_floor")
        problems += _at_least(self, 1, "prefix_min_words", "max_candidates", "max_posting")
        problems += _at_least(self, 0, "block_words", "end_words")
        if not 0 < self.common_word_share <= 1:
            problems.append(f"common_word_share must be within (0, 1] (got {self.common_word_share})")
        _refuse(problems)


DEFAULT = MatchConfig()


@dataclass(frozen=True)
class ClaimConfig:
    """Thresholds of the ``numeric_claim`` check."""

    #: A relative difference up to this is ``info`` (a rounding: 167 vs 170 is 1.8%).
    info_max: Number = 0.02
    #: Up to this it is a ``warning``; above, an ``error``.
    warning_max: Number = 0.10
    #: Above this, the numbers are taken to be different claims and not compared.
    max_difference: Number = 0.5
    #: How far from its figure a hedged claim ("about 40%", "roughly 3x") reaches, as a
    #: share of it: "roughly 40%" allows 36% to 44% (38% agrees with it).
    hedge: Number = 0.1
    #: Content words on each side of a number that make its context.
    context_words: Whole = 8
    #: Context words (besides the head word) two claims must share to be compared.
    min_shared_context: Whole = 1
    #: ``extra`` keys whose text is a summary of the paper (nested lists and dicts are read).
    extra_keys: tuple[str, ...] = ("ai_summary", "key_findings", "quick_answers", "headline",
                                   "impact", "tldr", "description")

    def __post_init__(self) -> None:
        """Differences are shares of at least 0, graded in order (``info_max`` up to
        ``warning_max`` up to ``max_difference``); a context holds at least one word."""
        problems = _at_least(self, 0, "info_max", "warning_max", "max_difference", "min_shared_context", "hedge")
        problems += _at_least(self, 1, "context_words")
        if not self.info_max <= self.warning_max <= self.max_difference:
            problems.append(f"info_max <= warning_max <= max_difference must hold (got {self.info_max}, "
                            f"{self.warning_max}, {self.max_difference})")
        _refuse(problems)


#: The observation fields the furniture check can read: the text a source gives of a paper
#: (``authors`` item by item). It reads strings only, so a field of numbers, dates or the
#: ``extra`` object would be checked for nothing, and the check would be off without a word;
#: ``site``, ``url`` and ``arxiv_id`` are the tool's own labels, not scraped text.
FURNITURE_FIELDS = ("title", "authors", "abstract", "summary", "organization")


@dataclass(frozen=True)
class GarbageConfig:
    """Thresholds of the ``garbage_field`` check."""

    #: Observation fields that are checked (``authors`` item by item).
    fields: tuple[str, ...] = ("organization", "title", "authors")
    #: A whole value of at most this many ASCII letters followed by ...
    acronym_letters: Whole = 3
    #: ... at most this many digits is a name (``AI2``, ``AI21``, ``LLM360``), not furniture.
    acronym_digits: Whole = 3
    #: A value another source shows clean: page furniture stored as data, worth a look.
    severity: Severity = Severity.WARNING

    def __post_init__(self) -> None:
        """Fields are an observation's text fields (:data:`FURNITURE_FIELDS`); the acronym's
        counts are at least 0."""
        problems = [f"fields: an observation has no field {name!r}" if name not in Observation.model_fields
                    else f"fields: the furniture check reads text fields ({', '.join(FURNITURE_FIELDS)}), "
                         f"not {name!r}"
                    for name in self.fields if name not in FURNITURE_FIELDS]
        _refuse(problems + _at_least(self, 0, "acronym_letters", "acronym_digits"))


@dataclass(frozen=True)
class MissingConfig:
    """Thresholds of the ``missing`` check."""

    #: Document formats whose list of a day is complete.
    complete_formats: tuple[str, ...] = ("huggingface-daily-papers", "huggingface-date-page")
    #: A paper on a complete list this many weekdays before the other list's day (and the
    #: weekend days between: Monday's post of Friday's list) is dated late (info).
    earlier_days: Whole = 1
    #: ... and this many weekdays after it, dated early (a crawler in a zone west of UTC) (info).
    later_days: Whole = 1
    #: Sources whose lists re-list Hugging Face's (digests) or are its own (a paper's page
    #: naming the day it was listed): only their papers are expected on it. arXiv's
    #: announcements and ArxivLens's lists hold every paper of their categories, of which
    #: Hugging Face's list is a selection.
    lister_sources: tuple[str, ...] = ("digest", "huggingface")
    #: Bases of the other list's time that bound when it saw the paper tightly enough to say
    #: the complete list was fetched before (capture times and a post's publication time).
    lister_bases: tuple[TimeBasis, ...] = (TimeBasis.RESPONSE, TimeBasis.STATED_CAPTURE,
                                           TimeBasis.GIVEN, TimeBasis.PUBLISHED)
    #: The time zone whose midnight ends a source's day (an IANA name); others: UTC.
    day_zones: tuple[tuple[str, str], ...] = (("huggingface", "UTC"),)
    #: Page sizes of the list API: a page of exactly this many items may continue on another.
    page_sizes: tuple[Whole, ...] = (50, 100)
    #: A paper on a list and absent from a complete list captured after it: a real gap.
    severity: Severity = Severity.WARNING
    #: An absence the times explain (the list was captured before the paper was seen, and
    #: before its day ended), or another list dates differently.
    explained_severity: Severity = Severity.INFO
    #: A paper one fetch of a complete list carries and a later fetch of it does not.
    dropped_severity: Severity = Severity.WARNING

    def __post_init__(self) -> None:
        """Days at least 0, page sizes at least 1, zones that the time zone database knows."""
        problems = _at_least(self, 0, "earlier_days", "later_days")
        problems += [f"page_sizes must be at least 1 (got {size})" for size in self.page_sizes if size < 1]
        for source, zone in self.day_zones:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                problems.append(f"day_zones: {source}'s zone {zone!r} is not a known time zone")
        _refuse(problems)


@dataclass(frozen=True)
class QuirkConfig:
    """When per-paper findings become one about a site."""

    #: Papers with the same furniture in the same field of the same sites that make a quirk.
    #: Below it a per-paper list is still short enough to read (a day's digest of ten
    #: papers, the seeds, the demo keep theirs); a daily site crosses it within days.
    min_papers: Whole = 20
    #: Examples named in the detail.
    examples: Whole = 3

    def __post_init__(self) -> None:
        """A quirk takes at least one paper; the examples are at least 0."""
        _refuse(_at_least(self, 1, "min_papers") + _at_least(self, 0, "examples"))


@dataclass(frozen=True)
class TitleConfig:
    """How the ``title`` check tells a translation and a typo from a different title."""

    #: A script (Latin, Han, Hangul, ...) counts as a title's when it holds at least this
    #: share (0-1) of its letters: a Latin model name inside a Chinese title does not make
    #: it a Latin title, so the pair is still read as a translation.
    script_share: Number = 0.2
    #: At most this many edits (Damerau-Levenshtein, on normalized titles), and at most one
    #: per ten characters, make a typo: more is a different title. Three covers the typos
    #: seen in the samples (a dropped letter, a swapped pair) of long titles.
    typo_max_edits: Whole = 3

    def __post_init__(self) -> None:
        """A share lies in (0, 1]; edits are at least 0."""
        problems = _at_least(self, 0, "typo_max_edits")
        if not 0 < self.script_share <= 1:
            problems.append(f"script_share must be within (0, 1] (got {self.script_share})")
        _refuse(problems)


@dataclass(frozen=True)
class AbstractConfig:
    """How the ``abstract`` check grades a difference."""

    #: rapidfuzz ``ratio`` (0-100) at or above which two abstracts are near-identical
    #: (``info``): a word or a punctuation mark changed in a paragraph scores about 98-99.
    near_identical: Number = 97.0

    def __post_init__(self) -> None:
        """A score lies in 0-100."""
        _refuse(_within(self, 0, 100, "near_identical"))


@dataclass(frozen=True)
class DateConfig:
    """The time zones that explain a publication date one day off."""

    #: Hours west and east of UTC of the farthest real time zones (UTC-12:00, Baker Island;
    #: UTC+14:00, Kiritimati): a date-only value one day off a timestamp agrees when some
    #: zone in this range puts the timestamp on that day.
    west_hours: Whole = 12
    #: (east, as above)
    east_hours: Whole = 14

    def __post_init__(self) -> None:
        """Hours from UTC lie in 0-24."""
        _refuse(_within(self, 0, 24, "west_hours", "east_hours"))


@dataclass(frozen=True)
class VersionConfig:
    """When arXiv's record of a paper may be out of date for another source's text."""

    #: A source that names no version, seen more than this many days after arXiv's record
    #: was fetched, may show a version that appeared in between (arXiv announces revisions
    #: daily), so its difference from the record only informs. Two days: a list and the
    #: record fetched in one run, or a day apart, are compared as they are.
    stale_record_days: Whole = 2

    def __post_init__(self) -> None:
        """Days are at least 0."""
        _refuse(_at_least(self, 0, "stale_record_days"))


class ReconcileConfig(BaseModel):
    """The whole configuration of ``resolve``: one section per concern (see the module
    docstring). Unknown sections or keys are refused, so a typo in a file is an error, not
    a silently ignored value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    matching: MatchConfig = Field(default_factory=MatchConfig)
    titles: TitleConfig = Field(default_factory=TitleConfig)
    abstracts: AbstractConfig = Field(default_factory=AbstractConfig)
    dates: DateConfig = Field(default_factory=DateConfig)
    claims: ClaimConfig = Field(default_factory=ClaimConfig)
    garbage: GarbageConfig = Field(default_factory=GarbageConfig)
    missing: MissingConfig = Field(default_factory=MissingConfig)
    quirks: QuirkConfig = Field(default_factory=QuirkConfig)
    versions: VersionConfig = Field(default_factory=VersionConfig)

    @classmethod
    def from_toml(cls, path: str | Path) -> ReconcileConfig:
        """The defaults with the values of a TOML file (``[matching] title_accept = 92``).
        Raises ValueError with one line naming the file and the bad key or value."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"config file {path} does not exist") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"config file {path}: {exc}") from None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ValueError(f"config file {path}: {describe_validation_error(exc, 'config')}") from None


#: The defaults of every section.
DEFAULTS = ReconcileConfig()
