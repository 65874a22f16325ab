"""Pydantic models of what the tool stores: one per table of DESIGN.md.

The models are the contract between the parsers, the store and the reconciler. They
validate on the way in (canonical arXiv ids, non-negative counts, known sources and kinds)
so a bad value is stopped where it is produced, with a message naming the field and the
value (:func:`describe_validation_error`), instead of surfacing later as a wrong report.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from enum import StrEnum
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reconcile.ids import canonical_arxiv_id


MAX_TITLE = 2000  # characters; the longest arXiv titles are under 400
MAX_NAME = 500
MAX_AUTHORS = 10000  # collaborations list a few thousand
MAX_TEXT = 100_000  # an abstract or summary; arXiv caps abstracts at 1,920 characters


class Source(StrEnum):
    """The kinds of source a record can come from."""

    ARXIV = "arxiv"
    HUGGINGFACE = "huggingface"
    ARXIVLENS = "arxivlens"
    DIGEST = "digest"


class TimeBasis(StrEnum):
    """What an ``observed_at`` time is, from the most to the least exact.

    The first three are capture times (when somebody saw the data); the others are too
    loose to order two counts by: a post's publication time can be hours off the moment its
    numbers were read, a digest we fetched repeats numbers read at some earlier time, a
    file's modification time is when it was copied, and a capture time stated without a
    time zone nobody vouches for may be the crawler's local clock (last, as it came later).
    """

    RESPONSE = "response"  # the HTTP response time of our own crawl of a first-hand source
    STATED_CAPTURE = "stated_capture"  # a capture time the document states (crawled_at)
    GIVEN = "given"  # --observed-at on the command line
    PUBLISHED = "published"  # the document's publication time
    RETRIEVED = "retrieved"  # when we fetched a digest that states no time: its numbers are older
    FILE_NAME = "file_name"  # a time stamp in the saved file's name (feed.2025-12-10T0002Z.xml)
    FILE_MTIME = "file_mtime"  # the saved file's modification time
    # A capture time the document states without a zone, from a site not known to write UTC
    # and with no ``timezone`` in sites.toml: read as UTC, it may be hours off (Korean time
    # is 9 hours ahead), so it cannot order two counts.
    STATED_NAIVE = "stated_capture_naive"

    @property
    def is_capture(self) -> bool:
        """True for times that say when the data was actually seen."""
        return self in (TimeBasis.RESPONSE, TimeBasis.STATED_CAPTURE, TimeBasis.GIVEN)


class Severity(StrEnum):
    """How much a discrepancy matters, in increasing order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def level(self) -> int:
        """0, 1, 2 for info, warning, error: for comparisons and filters."""
        return ("info", "warning", "error").index(self.value)


class Kind(StrEnum):
    """The discrepancy kinds of DESIGN.md."""

    UPVOTES = "upvotes"
    COMMENTS = "comments"
    RANK = "rank"
    TITLE = "title"
    AUTHORS = "authors"
    PUBLISHED = "published"
    ABSTRACT = "abstract"
    MOJIBAKE = "mojibake"
    REPLACEMENT_CHAR = "replacement_char"
    GARBAGE_FIELD = "garbage_field"
    NUMERIC_CLAIM = "numeric_claim"
    MISSING = "missing"


NonNegative = Annotated[int, Field(ge=0)]

MAX_COUNT = 1_000_000_000
MAX_VERSION = 1000


def finite_json(value: Any) -> Any:
    """``value`` unchanged when it holds no NaN or infinity (in any list or object below
    it); ValueError otherwise. JSON has no such numbers: stored as ``NaN`` they would make
    the ``extra`` column text that SQLite's JSON functions, Datasette and browsers refuse.
    Walks with a stack, not recursion, so a deeply nested value cannot overflow it."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError(f"{item!r} is not a finite number")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return value


Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]
"""A count an observation states (upvotes, comments, a stated author total): a true integer
from 0 to :data:`MAX_COUNT`.

Why strict: a count given as text (``"12"``), a boolean (``true``) or a float (``1e308``,
``NaN``, ``12.5``) is a source that changed its schema or a scraper that read the wrong
thing; pydantic's lax mode would silently turn ``"12"`` into 12 and ``true`` into 1.
Rejecting that one observation, with the field and value named, keeps the rest of the
document and leaves a ``rejects`` row to look at.

Why a billion: SQLite stores integers in 8 bytes, so 2**63 and above cannot be written at
all (Python's ``sqlite3`` raises ``OverflowError``, and one such value once failed a whole
batch of a crawl), and the HTML report and Datasette hand numbers to JavaScript, exact only
below 2**53. No real count comes near either limit: the most upvoted Hugging Face papers
have a few thousand upvotes and the longest author lists a few thousand names. A billion is
far above every real value and far below both limits, so a count over it is a fault of the
source, not data.
"""

Rank = Annotated[int, Field(strict=True, ge=1, le=MAX_COUNT)]
"""A 1-based place in a list, bounded and strict like :data:`Count`."""

Version = Annotated[int, Field(strict=True, ge=1, le=MAX_VERSION)]
"""An arXiv version number (``v1`` is 1). Papers with more than a few dozen versions are
rare; a thousand is far beyond any, and anything larger is a misread id."""


def utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC; naive times are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


@functools.lru_cache(maxsize=4096)
def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` and whole seconds, as every time in the database.

    Cached: the checks sort observations by it, and a document's observations share one
    time (at 100k observations the conversions were 9% of the checking workers' time).
    Equal datetimes give equal strings (equal instants in any zone are one instant, and
    a naive time never equals an aware one), so the cache cannot change an answer."""
    if value is None:
        return None
    return utc(value).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)

    @field_validator("observed_at", "started_at", "finished_at", "at", "upvotes_observed_at",
                     mode="after", check_fields=False)
    @classmethod
    def _utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        return None if value is None else utc(value)


class Document(_Model):
    """One fetched response or saved file, after decoding and encoding repair."""

    id: int | None = None
    url: str = Field(min_length=1)
    source: Source
    site: str | None = None
    format: str = Field(min_length=1, description="the parser that read it")
    observed_at: dt.datetime
    observed_at_basis: TimeBasis
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    content_type: str | None = None
    encoding: str | None = None
    mojibake: bool = False
    repair: str | None = None
    repair_sample: dict[str, str] | None = None
    replacement_chars: NonNegative = 0
    crawl_id: int | None = None
    # The validators the server sent (ETag, Last-Modified), for a conditional re-fetch.
    etag: Annotated[str, Field(max_length=500)] | None = None
    last_modified: Annotated[str, Field(max_length=100)] | None = None


class Observation(_Model):
    """What one document said about one paper, as it said it (after encoding repair)."""

    id: int | None = None
    document_id: int | None = None
    crawl_id: int | None = None
    source: Source
    site: str | None = None
    url: str | None = None
    observed_at: dt.datetime | None = None
    # How ``observed_at`` is known: its document's basis, kept on the observation so that a
    # reader of observations needs no join (None only for one built outside a document).
    observed_at_basis: TimeBasis | None = None
    arxiv_id: str | None = None
    arxiv_version: Version | None = None
    # Field limits: no paper's title runs to kilobytes or its abstract to hundreds; a longer
    # value is scraped page text, and the observation is rejected instead of stored.
    title: str | None = Field(default=None, max_length=MAX_TITLE)
    authors: list[Annotated[str, Field(max_length=MAX_NAME)]] = Field(default_factory=list, max_length=MAX_AUTHORS)
    authors_total: Count | None = None
    abstract: str | None = Field(default=None, max_length=MAX_TEXT)
    summary: str | None = Field(default=None, max_length=MAX_TEXT)
    published: dt.date | None = None
    listed_on: dt.date | None = None
    upvotes: Count | None = None
    comments: Count | None = None
    rank: Rank | None = None
    organization: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("extra")
    @classmethod
    def _json_numbers(cls, value: dict[str, Any]) -> dict[str, Any]:
        return finite_json(value)

    @field_validator("arxiv_id")
    @classmethod
    def _canonical(cls, value: str | None) -> str | None:
        if value is None:
            return None
        canonical = canonical_arxiv_id(value)
        if canonical != value:
            raise ValueError(f"arXiv id must be canonical ({canonical!r}), got {value!r}")
        return value

    @field_validator("title", "abstract", "summary", "organization", "site", "url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        return value or None


class Paper(_Model):
    """The merged record of one paper, each field traceable through ``provenance``."""

    id: str = Field(min_length=1)
    arxiv_id: str | None = None
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    abstract: str | None = None
    published: dt.date | None = None
    upvotes: NonNegative | None = None
    upvotes_observed_at: dt.datetime | None = None
    comments: NonNegative | None = None
    organization: str | None = None
    summary: str | None = None
    rank: Annotated[int, Field(ge=1)] | None = None
    sources: list[Source] = Field(default_factory=list)
    provenance: dict[str, dict[str, Any]] = Field(default_factory=dict)


class Link(_Model):
    """Why an observation belongs to a paper."""

    observation_id: int
    paper_id: str = Field(min_length=1)
    method: str = Field(min_length=1)
    score: Annotated[float, Field(ge=0, le=100)]
    detail: str | None = None


class LinkRow(NamedTuple):
    """A link as ``resolve`` makes it: the fields of :class:`Link` in a plain tuple, made
    by the matcher's own code. A first run over a million observations makes a million of
    them; as models they took about 1.6 KB each."""

    observation_id: int
    paper_id: str
    method: str
    score: float
    detail: str | None = None


class Value(_Model):
    """One side of a discrepancy: a value, who said it and when."""

    source: Source
    site: str | None = None
    value: Any
    observed_at: dt.datetime | None = None
    observed_at_basis: TimeBasis | None = None
    observation_id: int | None = None
    paper_id: str | None = None  # in a finding about a site: the paper this value is of


class Discrepancy(_Model):
    """A disagreement between sources, or a defect in one, with its evidence."""

    id: str = Field(min_length=1)
    paper_id: str = Field(min_length=1)
    document_id: int | None = None
    observation_id: int | None = None
    kind: Kind
    field: str | None = None
    severity: Severity
    values: list[Value] = Field(default_factory=list)
    detail: str = Field(min_length=1)


class Crawl(_Model):
    """One run of a spider."""

    id: int | None = None
    spider: str
    args: dict[str, Any] = Field(default_factory=dict)
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    status: str = "running"
    stats: dict[str, Any] = Field(default_factory=dict)


class Reject(_Model):
    """Input that could not be read, kept with the reason instead of being dropped."""

    id: int | None = None
    crawl_id: int | None = None
    url: str | None = None
    source: Source | None = None
    reason: str = Field(min_length=1)
    excerpt: str | None = None
    at: dt.datetime

    @field_validator("reason")
    @classmethod
    def _one_line(cls, value: str) -> str:
        """A reason is one line of at most 500 characters, whatever the input held."""
        value = " ".join(value.split())
        return value if len(value) <= 500 else value[:497] + "..."


def describe_validation_error(exc: ValidationError, what: str | None = None) -> str:
    """One line naming each failing field and the value it was given.

    Pydantic's own message spans several lines; a CLI error and a ``rejects.reason`` need
    one: ``observation.upvotes: Input should be greater than or equal to 0 (got -3)``.
    """
    prefix = f"{what or exc.title.lower()}."
    parts = []
    for error in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in error["loc"]) or "(root)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "value_error" and ("(got " in message or isinstance(error.get("input"), dict)):
            # A validator's own message that names what it got (a config section's range
            # checks: "must be within 0-100 (got 101.0)") is not given the value again, nor
            # the whole section it checked.
            parts.append(f"{prefix}{loc}: {message}")
            continue
        given = repr(error.get("input"))
        if len(given) > 80:  # a 20 MB title must not become a 20 MB reason
            given = f"{given[:60]}... ({len(given)} characters)"
        parts.append(f"{prefix}{loc}: {message} (got {given})")
    return " ".join("; ".join(parts).split())
