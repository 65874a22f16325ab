"""Hugging Face daily papers: the ``/api/daily_papers?date=D`` JSON list.

Each item wraps a ``paper`` object. Two schemas are in the wild: the 2024 one (top-level
``mediaUrl``, no ``submittedOnDailyAt``, no AI fields) and the current one. Facts come from
``paper`` first: ``paper.publishedAt`` is the publication time. The item's top-level
``publishedAt`` is, in the current schema, that time shifted by the US Eastern offset while
still marked ``Z`` (a sample: ``paper.publishedAt`` 2026-07-28T00:00Z, the item's
2026-07-27T20:00Z, ``submittedOnDailyAt`` 2026-07-31), so it says nothing of the listing
day; only in the 2024 schema is it the listing time.

:func:`read_daily_item` reads one item; the date pages (``/papers/date/D``) embed items of
the same shape, so :mod:`scrapers.pages.huggingface_html` reads them with it too.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from reconcile.ids import huggingface_paper_url, parse_arxiv_id
from reconcile.models import Observation, Source
from reconcile.text import collapse_whitespace

from .base import Format, PageError, Parsed, Problem, build, json_refusal, parse_date, parse_datetime

SITE = "huggingface.co"


def sniff(text: str, url: str) -> bool:
    """A JSON list whose items carry a ``paper`` object (an empty list is an empty day),
    or any body from the API path."""
    if "/api/daily_papers" in url:
        return True
    head = text.lstrip()[:2000]
    return (head.startswith("[") and '"paper"' in head) or head.rstrip() == "[]"


def _name(obj: Any, *keys: str) -> str | None:
    if not isinstance(obj, dict):
        return None
    for key in keys:
        if isinstance(obj.get(key), str) and obj[key].strip():
            return obj[key].strip()
    return None


def _requested_date(url: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get("date")
    return values[0] if values else None


class ItemError(ValueError):
    """One item that cannot be read; the message is the reason, without the item's label."""


def _typed(value: Any, kinds: type | tuple[type, ...], what: str) -> Any:
    """``value`` when it is missing (None) or of ``kinds``; ItemError naming ``what`` and the
    type it has otherwise. ``bool`` is no number here, though Python calls it an int."""
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if value is None or (isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool))):
        return value
    expected = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
    raise ItemError(f"{what} is {_KIND_NAMES.get(type(value), type(value).__name__)} "
                    f"{json.dumps(value, ensure_ascii=False, default=str)[:60]}, not {expected}")


_KIND_NAMES = {str: "text", int: "a whole number", float: "a decimal number", bool: "true/false", list: "a list",
               dict: "an object"}


def read_daily_item(parsed: Parsed, item: Any, position: int | None = None, *,
                    requested_day: str | None = None,
                    extra: dict[str, Any] | None = None) -> Observation | None:
    """Read one daily-papers item (``{"paper": {...}, "numComments": ..., ...}``) into
    ``parsed``: its observation, or a :class:`Problem` saying why it was skipped.

    Works on every container of that shape: the API list, the ``dailyPapers`` of a date
    page, and a paper page's ``paper`` wrapped as an item. ``position`` is the item's
    1-based place in its list (None for a lone paper page; problems then say ``paper``);
    ``requested_day`` is the day the URL asked for, the listing day when the paper does not
    state ``submittedOnDailyAt``; ``extra`` adds page-specific facts.

    Fails (a problem, the rest of the page kept) when ``paper.id`` is missing or not an
    arXiv id. A field of another type than the API's (a title that is a number, authors
    that are an object, a date in epoch milliseconds) is left empty with a problem naming
    it, as is a value that does not validate (a count that is negative or over
    ``MAX_COUNT``, :func:`scrapers.pages.base.build`): the paper is on the day's list all
    the same, and its id, title and counts are good data beside the bad. Anything else that
    goes wrong while reading the item is that item's problem too, never the page's. Returns
    the observation, or None.
    """
    label = f"item {position}" if position is not None else "paper"
    excerpt = json.dumps(item, ensure_ascii=False, default=str)[:300]
    before, kept_before = len(parsed.problems), len(parsed.observations)
    try:
        _read_item(parsed, item, excerpt, position, requested_day, extra)
    except ItemError as exc:
        parsed.problems.append(Problem(f"{label}: {exc}", excerpt))
        return None
    except (RecursionError, MemoryError):
        raise  # the page as a whole is too deep or too big: read_page says so
    except Exception as exc:  # noqa: BLE001 - an odd item is its own problem, not the page's
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        parsed.problems.append(Problem(f"{label}: unreadable item ({reason})", excerpt))
        return None
    kept = len(parsed.observations) > kept_before
    for i in range(before, len(parsed.problems)):  # a validation error: say which item it was about
        problem = parsed.problems[i]
        parsed.problems[i] = Problem(f"{label}: {problem.reason}", problem.excerpt, problem.url)
    return parsed.observations[-1] if kept else None


def _read_item(parsed: Parsed, item: Any, excerpt: str, position: int | None, requested_day: str | None,
               extra: dict[str, Any] | None) -> None:
    paper = item.get("paper") if isinstance(item, dict) else None
    if not isinstance(paper, dict) or not paper.get("id"):
        raise ItemError("missing paper.id")
    aid = parse_arxiv_id(_typed(paper["id"], str, "paper.id"))
    if aid is None:
        raise ItemError(f"paper.id {paper['id']!r} is not an arXiv id")
    # A field of another type than the API's (the API changed one field's shape) is left
    # empty with a problem naming it; the paper is on the day's list all the same, and its
    # id, title and counts are kept. Authors given as names alone (["Ana Roe", ...]) are
    # names; an organization given as its name is that name.
    refused: list[str] = []

    def typed(value: Any, kinds: type | tuple[type, ...], what: str) -> Any:
        try:
            return _typed(value, kinds, what)
        except ItemError as exc:
            refused.append(str(exc))
            return None

    title = typed(paper.get("title"), str, "paper.title") or typed(item.get("title"), str, "title")
    summary = typed(paper.get("summary"), str, "paper.summary") or typed(item.get("summary"), str, "summary")
    authors = typed(paper.get("authors"), list, "paper.authors") or []
    authors = [{"name": a} if isinstance(a, str) else a for a in authors]
    authors = [a for n, a in enumerate(authors, 1) if typed(a, dict, f"paper.authors[{n}]") is not None
               and typed(a.get("name"), str, f"paper.authors[{n}].name") is not None]
    dates = {name: typed(holder.get(key), str, name)
             for holder, key, name in ((paper, "publishedAt", "paper.publishedAt"),
                                       (paper, "submittedOnDailyAt", "paper.submittedOnDailyAt"),
                                       (item, "publishedAt", "publishedAt"))}
    paper = {**paper, "publishedAt": dates["paper.publishedAt"], "submittedOnDailyAt": dates["paper.submittedOnDailyAt"]}
    item = {**item, "publishedAt": dates["publishedAt"], "paper": paper}
    if refused:  # one line for the item, naming each field left empty
        parsed.problems.append(Problem(f"{'; '.join(refused)} (left empty; the item is kept)", excerpt))
    org = paper.get("organization") or item.get("organization")
    if isinstance(org, str) and org.strip():
        org = {"fullname": org.strip()}
    submitter = paper.get("submittedOnDailyBy") or item.get("submittedBy")
    listed = paper.get("submittedOnDailyAt")
    schema = "2024" if "mediaUrl" in item and not listed else "current"
    listed_from = "submittedOnDailyAt"
    if not listed and requested_day:
        listed, listed_from = requested_day, "request"
    # The item's own publishedAt is the listing time only in the 2024 schema; in the current
    # one it is the paper's publication shifted to US Eastern, a day before it at times:
    # an item of that schema that lost submittedOnDailyAt has no stated listing day.
    if not listed and item.get("publishedAt") and schema == "2024":
        listed, listed_from = item["publishedAt"], "item.publishedAt"
    facts = {
        "position": position,
        "listed_on_from": listed_from if listed else None,
        "hidden_authors": [a.get("name") for a in authors if a.get("hidden")],
        "submitter": _name(submitter, "user", "name"),
        "organization_id": _name(org, "name"),
        "github_repo": paper.get("githubRepo"),
        "github_stars": paper.get("githubStars"),
        "project_page": paper.get("projectPage"),
        "ai_summary": paper.get("ai_summary"),
        "ai_keywords": paper.get("ai_keywords"),
        "schema": schema,
        **(extra or {}),
    }
    build(
        parsed, excerpt,
        source=Source.HUGGINGFACE, site=SITE, url=huggingface_paper_url(aid.id),
        arxiv_id=aid.id, arxiv_version=aid.version,
        title=collapse_whitespace(title) if title else None,
        authors=(names := [name for a in authors if a.get("name") and (name := collapse_whitespace(a["name"]))]),
        authors_total=len(names) or None,  # a blank name is no author
        abstract=summary.strip() or None if summary else None,
        published=_date_of(paper.get("publishedAt")),
        listed_on=_date_of(listed),
        upvotes=paper.get("upvotes"),
        comments=item.get("numComments"),
        organization=_name(org, "fullname", "name"),
        extra={k: v for k, v in facts.items() if v not in (None, [], "")},
    )


def parse(text: str, url: str) -> Parsed:
    """Read one daily-papers response; items without a usable ``paper.id`` are problems."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise json_refusal(text, exc, "the JSON list of daily papers") from None
    if isinstance(data, dict) and "error" in data:
        raise PageError(f"Hugging Face API error: {data['error']}", text[:300])
    if not isinstance(data, list):
        raise PageError(f"expected a JSON list of daily papers, got a JSON {type(data).__name__}",
                        text[:300])
    # An empty list is a day without papers (weekends): kept, not rejected.
    parsed = Parsed(site=SITE, empty_ok=not data)
    requested = _requested_date(url)
    for position, item in enumerate(data, 1):
        read_daily_item(parsed, item, position, requested_day=requested)
    _check_day(parsed, requested, text)
    _drop_repeats(parsed)
    return parsed


def _drop_repeats(parsed: Parsed) -> None:
    """Keep the first item of a paper the answer lists more than once; a problem names each
    later one. Why: one answer is one moment, so two counts of it for one paper (55, then
    46) could not be ordered in time (a warning), and the merged count was whichever came
    last. The first is kept because the list is ranked: it is the paper's place."""
    first: dict[str, Any] = {}
    kept = []
    for obs in parsed.observations:
        earlier = first.setdefault(obs.arxiv_id, obs) if obs.arxiv_id else obs
        if earlier is obs:
            kept.append(obs)
            continue
        where = (earlier.extra or {}).get("position"), (obs.extra or {}).get("position")
        counts = "" if earlier.upvotes == obs.upvotes else f", with {earlier.upvotes} and {obs.upvotes} upvotes"
        parsed.problems.append(Problem(f"item {where[1]}: listed twice ({obs.arxiv_id}, as item {where[0]}"
                                       f"{counts}); the first is kept", obs.title))
    parsed.observations[:] = kept


def _check_day(parsed: Parsed, requested: str | None, text: str) -> None:
    """:class:`PageError` when the items state listing days and none is the day asked for.

    Why: an API that ignores ``date`` (a cache keyed without the query, a changed parameter)
    answers today's list for any day; stored, it became the complete list of the day asked
    (the URL names it), and that day's papers on other lists were "missing" from it. A
    stated day is ``submittedOnDailyAt``, or the 2024 schema's item ``publishedAt``; items
    that state none are not counted, and one item of the day asked is enough.
    When it fails: a day whose every paper HF dated otherwise would be refused."""
    stated = sorted({str(o.listed_on) for o in parsed.observations
                     if o.listed_on and (o.extra or {}).get("listed_on_from") != "request"})
    if not requested or not stated or requested in stated:
        return
    days = ", ".join(stated[:3]) + (" ..." if len(stated) > 3 else "")
    raise PageError(f"Hugging Face answered another day's list: asked for {requested}, its "
                    f"{len(parsed.observations)} paper{'s' if len(parsed.observations) != 1 else ''} listed on {days}", text[:300], "another_day")


def _date_of(value: Any):
    if not isinstance(value, str):
        return None
    moment = parse_datetime(value)
    return moment.date() if moment else parse_date(value)


FORMAT = Format("huggingface-daily-papers", Source.HUGGINGFACE, sniff, parse)


def daily_papers_url(base_url: str, date: str, limit: int | None = None, page: int = 0) -> str:
    """The API address of one day's list: with ``limit``, pages of that many papers (the API
    answers 50 when not asked), page ``page`` from 0."""
    url = f"{base_url.rstrip('/')}/api/daily_papers?date={date}"
    if limit:
        url += f"&limit={limit}"
    return url + (f"&p={page}" if page else "")
