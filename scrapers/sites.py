"""The digest sites the ``digests`` spider crawls: a TOML file, validated with pydantic.

Sites are configuration, not code. The bundled file is ``scrapers/sites.toml`` (found
beside this module, whatever the working directory); the ``DIGEST_SITES_FILE`` setting
names another file, which replaces it (copy the bundled one to keep its sites). Each
``[[sites]]`` table names a site, the parser that reads its posts (``format``, a name of
:data:`scrapers.pages.FORMATS_BY_NAME`) and how its posts are found:

- ``feed``: an RSS/Atom URL; each entry's link is a post;
- ``index`` + ``post_link``: a page, and a regular expression its post links match (the
  group named ``url`` is the link when the pattern has one, else the whole match; a group
  named ``date``, else a ``YYYY-MM-DD`` or ``YYYY/MM/DD`` in the link, dates the post);
- ``url_pattern``: a post URL per day, ``{date}`` (``YYYY-MM-DD``), ``{yyyy}``, ``{mm}``
  and ``{dd}`` filled for each day asked;
- ``start``: post URLs fetched as they are on every crawl (a README rewritten in place);
  alone, or beside one of the three above.

Optional: ``delay`` (seconds between two requests to the site), ``enabled`` (default true),
``hosts`` (hosts other than those of its own URLs that its feed or index may link posts on:
links found in a page are followed only over http(s) and only to these hosts).

What heuristics cannot settle about a site's documents is said here too, and the readers
use it for the site's crawled posts and for saved files ``files`` matches:

- ``files``: glob patterns (``*hf-papers-zh-tw*``) of saved files' paths that belong to the
  site, so ``reconcile ingest`` knows them; a site with ``files`` and ``enabled = false`` is
  only read, never crawled, and needs no way to find posts.
- ``counts``: what a count the site labels ``upvotes`` or ``comments`` really is:
  ``upvotes``, ``comments``, ``stars`` (GitHub stars) or ``none`` (not a count to compare:
  kept in ``extra`` as stated, never as a count).
- ``items`` and ``fields``: CSS selectors of an HTML page's items, and within an item of
  its ``title``, ``upvotes``, ``comments``, ``rank`` and ``authors``; ``json_items`` and
  ``json_fields`` say the same of JSON documents, as a dotted key path
  (``categories.*.papers``) and keys within an item (``meta.english``).
- ``timezone``: the IANA zone of the times the site writes without an offset.
Every error is one line naming the file, the site and the key. Format names are checked by
:func:`check_formats` when a crawl starts, not when the file is read, so the file can name
parsers that are registered later.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import string
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cssselect import GenericTranslator, SelectorError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

BUNDLED_SITES_FILE = Path(__file__).resolve().with_name("sites.toml")
DISCOVERY = ("feed", "index", "url_pattern")  # the ways to find posts; one per site
PLACEHOLDERS = ("date", "yyyy", "mm", "dd")
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_URL = re.compile(r"(https?|file)://\S+")
_DATE_IN_URL = re.compile(r"(\d{4})[-/](\d{2})[-/](\d{2})")
_JSON_PATH = re.compile(r"[\w$-]+(?:\.(?:[\w$-]+|\*))*")
CountLabel = Literal["upvotes", "comments"]
CountMeaning = Literal["upvotes", "comments", "stars", "none"]
ItemField = Literal["title", "upvotes", "comments", "rank", "authors"]


def _check_url(value: str | None) -> str | None:
    if value is not None and not _URL.fullmatch(value):
        raise ValueError(f"expected an http(s):// or file:// URL, got {value!r}")
    return value


class Site(BaseModel):
    """One digest site: its name, its posts' format, and how its posts are found."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="lower case letters, digits, '.', '-', '_'; used in stats keys")
    format: str = Field(min_length=1, description="a parser name of scrapers.pages.FORMATS_BY_NAME")
    feed: str | None = None
    index: str | None = None
    post_link: str | None = None
    url_pattern: str | None = None
    start: list[str] = Field(default_factory=list)
    delay: float | None = Field(default=None, ge=0)
    enabled: bool = True
    hosts: list[str] = Field(default_factory=list, description="other hosts its posts may be linked on")
    files: list[str] = Field(default_factory=list, description="glob patterns of saved files of this site")
    counts: dict[CountLabel, CountMeaning] = Field(default_factory=dict)
    items: str | None = Field(default=None, min_length=1)
    fields: dict[ItemField, str] = Field(default_factory=dict)
    json_items: str | None = Field(default=None, min_length=1)
    json_fields: dict[ItemField, str] = Field(default_factory=dict)
    timezone: str | None = None

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r} (an IANA name such as 'Asia/Seoul')") from None
        return value

    @field_validator("items", "fields")
    @classmethod
    def _selectors(cls, value):
        for selector in ([value] if isinstance(value, str) else (value or {}).values()):
            try:
                GenericTranslator().css_to_xpath(selector)
            except SelectorError as exc:
                raise ValueError(f"{selector!r} is not a CSS selector ({exc})") from None
        return value

    @field_validator("json_items", "json_fields")
    @classmethod
    def _key_paths(cls, value):
        for path in ([value] if isinstance(value, str) else (value or {}).values()):
            if not _JSON_PATH.fullmatch(path):
                raise ValueError(f"{path!r} is not a dotted key path (keys and '*' joined by '.')")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.fullmatch(value):
            raise ValueError(f"{value!r}: use lower case letters, digits, '.', '-' and '_'")
        return value

    @field_validator("feed", "index")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _check_url(value)

    @field_validator("start")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        for url in value:
            _check_url(url)
        return value

    @field_validator("post_link")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression ({exc})") from None
        return value

    @field_validator("url_pattern")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            names = [field for _, field, _, _ in string.Formatter().parse(value) if field is not None]
        except ValueError as exc:
            raise ValueError(f"not a URL pattern ({exc})") from None
        unknown = [n for n in names if n not in PLACEHOLDERS]
        if unknown:
            raise ValueError(f"unknown placeholder {{{unknown[0]}}} (known: "
                             + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS) + ")")
        if not names:
            raise ValueError("needs {date}, or {yyyy}, {mm} and {dd}, to make a URL per day")
        _check_url(value.format(date="2026-01-01", yyyy="2026", mm="01", dd="01"))
        return value

    @model_validator(mode="after")
    def _one_way(self) -> Site:
        given = [key for key in DISCOVERY if getattr(self, key) is not None]
        if len(given) > 1:
            raise ValueError(f"{given[1]}: give one of {', '.join(DISCOVERY)}, not {' and '.join(given)}")
        if self.index is not None and self.post_link is None:
            raise ValueError("post_link: index needs post_link, the pattern its post links match")
        if self.post_link is not None and self.index is None:
            raise ValueError("post_link: goes with index")
        if not given and not self.start and not (self.files and not self.enabled):
            raise ValueError(f"give one of {', '.join(DISCOVERY)} (or start URLs) to find its posts"
                             " (a site only read from saved files: files, and enabled = false)")
        return self

    @property
    def discovery(self) -> str | None:
        """How posts are found: ``feed``, ``index``, ``url_pattern``, or None (start only)."""
        return next((key for key in DISCOVERY if getattr(self, key) is not None), None)

    def post_url(self, day: dt.date) -> str:
        """The ``url_pattern`` filled for ``day``."""
        if self.url_pattern is None:
            raise ValueError(f"site {self.name!r} has no url_pattern")
        return self.url_pattern.format(date=day.isoformat(), yyyy=f"{day.year:04d}",
                                       mm=f"{day.month:02d}", dd=f"{day.day:02d}")

    def post_links(self, text: str) -> list[tuple[str, dt.date | None]]:
        """The post links ``post_link`` finds in an index page, in page order without
        repeats, each with its date when the link (or the group ``date``) states one."""
        if self.post_link is None:
            return []
        found: dict[str, dt.date | None] = {}
        for m in re.finditer(self.post_link, text):
            groups = m.groupdict()
            link = (groups["url"] if "url" in groups else m.group(0)) or ""
            link = link.strip()
            if link and link not in found:
                found[link] = date_in(groups.get("date")) or date_in(link)
        return list(found.items())


class SitesFile(BaseModel):
    """The whole file: a list of ``[[sites]]`` tables."""

    model_config = ConfigDict(extra="forbid")

    sites: list[dict[str, Any]] = Field(default_factory=list)


def date_in(text: str | None) -> dt.date | None:
    """The first ``YYYY-MM-DD`` or ``YYYY/MM/DD`` in ``text`` that is a calendar day."""
    for m in _DATE_IN_URL.finditer(text or ""):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
    return None


def _site_error(path: Path, label: str, exc: ValidationError) -> str:
    """The first validation error of one site, as ``FILE: site NAME: KEY: message``."""
    error = exc.errors(include_url=False)[0]
    key = ".".join(str(p) for p in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = f"unknown key (known: {', '.join(Site.model_fields)})"
    elif error["type"] == "missing":
        message = "missing"
    if not key and ": " in message and message.split(": ", 1)[0] in Site.model_fields:
        key, message = message.split(": ", 1)
    where = f"{key}: " if key else ""
    return f"{path}: site {label}: {where}{message}"


def _read_sites_file(path: Path) -> str:
    """The text of a sites file. The bundled one is read through the import system, as
    package data: inside a zipped egg (how scrapyd runs a deployed project) its path names
    no file on disk, and only the egg's loader can read it."""
    if path == BUNDLED_SITES_FILE:
        return resources.files(__package__).joinpath(BUNDLED_SITES_FILE.name).read_text(encoding="utf-8")
    return path.read_text(encoding="utf-8")


def load_sites(path: str | Path | None = None) -> list[Site]:
    """The sites of ``path`` (the bundled file when None), in file order.

    Raises ValueError with one line naming the file, the site and the key: a file that is
    missing or not TOML, an unknown key, a site with no way or two ways to find its posts,
    a bad URL, pattern or regular expression, two sites of one name.
    """
    path = Path(path) if path is not None else BUNDLED_SITES_FILE
    try:
        data = tomllib.loads(_read_sites_file(path))
    except FileNotFoundError:
        raise ValueError(f"sites file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"sites file {path} cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not TOML ({exc})") from None
    try:
        tables = SitesFile.model_validate(data).sites
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        key = ".".join(str(p) for p in error["loc"])
        if error["type"] == "extra_forbidden":
            raise ValueError(f"{path}: unknown top-level key {key!r} (expected [[sites]] tables)") from None
        raise ValueError(f"{path}: {key}: {error['msg']} (expected [[sites]] tables)") from None
    sites: list[Site] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, 1):
        name = table.get("name")
        label = repr(name) if isinstance(name, str) else f"#{number}"
        try:
            site = Site.model_validate(table)
        except ValidationError as exc:
            raise ValueError(_site_error(path, label, exc)) from None
        if site.name in seen:
            raise ValueError(f"{path}: site {label}: name: duplicate site name")
        seen.add(site.name)
        sites.append(site)
    if not sites:
        raise ValueError(f"{path}: no [[sites]] tables")
    return sites


def sites_file(settings: Any) -> Path:
    """The sites file a crawl uses: the ``DIGEST_SITES_FILE`` setting, else the bundled one."""
    named = settings.get("DIGEST_SITES_FILE") if settings is not None else None
    return Path(named).expanduser() if named else BUNDLED_SITES_FILE


def check_formats(sites: Iterable[Site], known: Iterable[str], path: str | Path | None = None) -> None:
    """ValueError (one line) for the first site whose ``format`` is not a known parser."""
    names = list(known)
    for site in sites:
        if site.format not in names:
            where = f"{path}: " if path else ""
            raise ValueError(f"{where}site {site.name!r}: format: unknown format {site.format!r} "
                             f"(known: {', '.join(names)})")


def site_for_file(sites: Iterable[Site], path: str | Path) -> Site | None:
    """The first site one of whose ``files`` patterns matches the saved file's path."""
    text = Path(path).as_posix()
    for site in sites:
        if any(fnmatch.fnmatchcase(text, pattern) for pattern in site.files):
            return site
    return None


def select_sites(sites: list[Site], names: list[str] | None) -> list[Site]:
    """The sites named (disabled ones included: naming a site asks for it), else every
    enabled site; ValueError naming the unknown ones."""
    if not names:
        return [s for s in sites if s.enabled]
    by_name = {s.name: s for s in sites}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ValueError(f"unknown site {', '.join(repr(n) for n in unknown)} "
                         f"(known: {', '.join(by_name)})")
    return [by_name[n] for n in names]
