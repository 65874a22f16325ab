"""Structured digests nobody wrote a parser for: JSON, JSON Lines, and lists of Python-repr
strings, wherever the list of papers sits in the document.

An *item* is an object that carries an arXiv id: under one of :data:`ID_KEYS`, or as an
arXiv / Hugging Face URL under one of :data:`URL_KEYS`. An object without an id of its own
whose sub-object (``paper``, ``item``, ...) has one is the item too, with the sub-object's
fields (Hugging Face's ``{"paper": {...}, "numComments": 3}``). Items are found at any depth
(top level, under ``data``/``papers``, in category groups), and a group's name is kept as
``extra['section']``.

Fields come from one typed table, :data:`ALIASES`, and nothing else: a value of the wrong
type (an upvote count written as a string, a ``comments`` that is text) is not read. The
keys that look like fields and are not sit beside it in :data:`TRAPS`, each with what it
really is. Ids written only inside an item's text (an abstract citing older work) are
citations, never items.

Python-repr lists (``["{'paper': {'id': ...}}", ...]``, what ``str(dict)`` writes) are
decoded with :func:`ast.literal_eval`, never ``eval``; one string that does not decode
rejects the whole document, so nothing is half read. A bare number, ``[]``, ``{}`` or an
object whose lists are all empty is an empty day.

Arrays of values under a ``columns`` header (or a header row) are read as objects
(:func:`rows_as_objects`). A group that states a day (``{"date": ..., "papers": [...]}``)
dates its items; a key or group named as another list (``previously_covered``,
``last_week_top``, ``related``: :func:`not_the_days_list`) gives its items no day and no
rank, and so do a chat's reply (:func:`.structured_items.is_reply`) and the blocks after a
heading block that says so (Slack's ``context`` "Yesterday's #1 is still climbing:"). A value that is not valid for its field is left empty and named in
``extra['unread']``; the item is kept (:func:`build_keeping`).

When it fails: a document that stores its papers as arrays whose columns are named
somewhere else than a ``columns`` key or a header row is not read; an id under a key not
in :data:`ID_KEYS` and not a URL is not seen; a count under an unknown key is not read.

This module decodes the document and makes each item one observation; the key table and
the typing of values are :mod:`.structured_keys`, finding the items is :mod:`.structured_items`.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import logging
import re
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from reconcile.ids import find_arxiv_ids
from reconcile.models import Observation, Source, describe_validation_error

from ..base import (Format, PageError, Parsed, Problem, is_naive_time, parse_date, parse_datetime, record_read,
                    set_rank_basis)
from .item_fields import NOT_THE_DAYS_LIST, not_the_days_list
from .post_days import names_a_span
from .structured_items import (MAX_DEPTH, Item, at_path, items_in, own_id,
                               rows_as_objects, stated_day)
from .structured_keys import (ALIASES, CAPTURE_KEYS, DAY_KEYS, ID_KEYS, NOT_LIST_SIZE, PAPER_HOSTS, SITE_KEYS,
                              SUBOBJECT_KEYS, TRAPS, URL_KEYS, Alias, count_like, social_post, typed)

# The reader's interface, with the names of its key table and item finder kept importable from here.
__all__ = ["ALIASES", "CAPTURE_KEYS", "DAY_KEYS", "FORMAT", "ID_KEYS", "MAX_DEPTH", "MAX_REPR", "NOT_LIST_SIZE",
           "NOT_THE_DAYS_LIST", "OPTIONAL_FIELDS", "PAPER_HOSTS", "READER", "SITE_KEYS", "SUBOBJECT_KEYS", "TRAPS",
           "URL_KEYS", "Alias", "Item", "at_path", "build_keeping", "decode", "items_in", "not_the_days_list",
           "own_id", "parse", "rows_as_objects", "sniff", "unrepr"]

log = logging.getLogger(__name__)

READER = "digest-structured"
MAX_REPR = 1_000_000  # characters of one Python-repr string
# A Python-repr dict: what str() of a dict writes ("{'id': '2601.00001', ...}").
_REPR = re.compile(r"\A\s*\{\s*['\"].*\}\s*\Z", re.DOTALL)


def sniff(text: str, url: str) -> bool:
    """JSON, JSON Lines or a bare number: what opens with ``{``, ``[`` or a digit."""
    head = text.lstrip("\ufeff \t\r\n")[:1]
    return head in ("{", "[") or (head.isdigit() and text.strip().isdigit())


def decode(text: str):
    """The document's value: JSON, else JSON Lines (one value a line). PageError naming
    the place otherwise."""
    body = text.lstrip("\ufeff \t\r\n")
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        first = exc
    lines = [ln for ln in body.splitlines() if ln.strip()]
    if len(lines) > 1 and lines[0].lstrip().startswith("{"):
        values = []
        for number, line in enumerate(lines, 1):
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise PageError(f"{READER}: JSON Lines line {number} is not JSON ({exc.msg})", line[:300]) from None
        return values
    raise PageError(f"{READER}: not JSON ({first.msg} at line {first.lineno} column {first.colno})", body[:300])


def unrepr(value):
    """``value`` with every list element that is a Python-repr string of a dict or list
    decoded by :func:`ast.literal_eval`. PageError when one does not decode."""
    if isinstance(value, list):
        out = []
        for element in value:
            if isinstance(element, str) and _REPR.match(element):
                if len(element) > MAX_REPR:
                    raise PageError(f"{READER}: a Python-repr string of {len(element)} characters", element[:300])
                try:
                    element = ast.literal_eval(element.strip())
                except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
                    raise PageError(f"{READER}: a list element is neither JSON nor a Python literal "
                                    f"({type(exc).__name__})", element[:300]) from None
            out.append(unrepr(element))
        return out
    if isinstance(value, dict):
        return {k: unrepr(v) for k, v in value.items()}
    return value


def _error_message(top: dict) -> str | None:
    """What an API's error answer says (``{"error": "Rate limit exceeded"}``, ``{"status":
    "processing", "message": ...}``), or None for any other object."""
    for key in ("error", "detail", "message", "status"):
        value = top.get(key)
        if isinstance(value, dict):
            value = value.get("message") or value.get("error")
        if isinstance(value, str) and value.strip() and len(top) <= 4:
            return " ".join(value.split())[:200]
    return None


def _value(item: Item, alias: Alias):
    """The first value of the alias's keys in the item (its own keys first, then its
    sub-object's) that has the alias's type, with the key path it came from, and the first
    count-like value it had to leave unread (``{"key": ..., "value": ...}``) or None. The
    publication day is the paper's own first: a ``paper`` sub-object's ``publishedAt`` is
    its publication, where the wrapper's (Hugging Face's item) is another time (that one
    shifted to US Eastern, a day early at times)."""
    unread = None
    places = [("", item.obj), (f"{item.inner_key}.", item.inner)]
    if alias.field == "published" and item.inner_key == "paper":
        places.reverse()
    for where, obj in places:
        if obj is None:
            continue
        for key in alias.keys:
            value = obj.get(key)
            read = typed(value, alias.kind, minimum=1 if alias.field == "rank" else 0)
            if read not in (None, [], ""):
                return read, f"key:{where}{key}", None
            if unread is None and alias.kind == "int" and count_like(value):
                unread = {"key": f"{where}{key}", "value": value}
    return None, None, unread


def _document_day(top, url: str) -> tuple[dt.date | None, str | None]:
    """The day of the whole list: a top-level day key, else the one date in the file name."""
    if isinstance(top, dict):
        for key in DAY_KEYS:
            if isinstance(top.get(key), str) and (day := parse_date(top[key])):
                return day, f"key:{key}"
    # A list whose own title names a month or a week ("Best of December 2026") is no day's:
    # the date in its file's name is when it was saved.
    if isinstance(top, dict) and any(isinstance(top.get(k), str) and names_a_span(top[k]) for k in ("title", "name")):
        return None, None
    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    dates = re.findall(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)", name)
    if len(dates) == 1 and (day := parse_date(dates[0])):
        return day, "filename"
    return None, None


def _empty(top) -> bool:
    """True for a value that is an empty day: a number, [], {}, or objects of empty lists."""
    if isinstance(top, (int, float)) and not isinstance(top, bool):
        return True
    if isinstance(top, list):
        return all(_empty(v) for v in top)
    if isinstance(top, dict):
        # {} or a header around empty lists ({"total_fetched": 91, "scored_papers": []});
        # an object of plain values is a record, not an empty day.
        containers = [v for v in top.values() if isinstance(v, (list, dict))]
        return not top or (bool(containers) and all(_empty(v) for v in containers))
    return False


def _configured(item: Item, site) -> tuple[dict, dict]:
    """The values of the fields the site's ``fields`` name by key (dotted within the item),
    each with the type its alias requires, and their read rules."""
    values, rules = {}, {}
    for name, key in (site.json_fields.items() if site is not None else ()):
        alias = next(a for a in ALIASES if a.field == name)
        value = item.obj
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        values[name] = typed(value, alias.kind, minimum=1 if name == "rank" else 0)
        rules[name] = f"site:{site.name} {name} key {key}" if values[name] not in (None, []) else None
    return values, rules


def _item_day(item: Item, listed, listed_rule, day, day_rule, extra: dict):
    """The day an item is listed on, with its rule, or (None, None).

    A day key of the item's own (``listed_on``, ...) wins; an item under a key that says it
    is not the day's list (:func:`not_the_days_list`) gets no other day. Otherwise the day
    of its nearest enclosing object that states one (``{"date": ..., "papers": [...]}``),
    else the document's (its top-level key, else its file name's). An item that states a
    ``date`` of its own other than that day gets none: its ``date`` may be its listing day
    or its publication day, and the enclosing day is not surely its day either; the
    item's date is kept as ``extra['item_date']``.
    """
    if listed:
        return listed, listed_rule
    if item.off_list is not None:
        return None, None
    if item.group_day is not None:
        day, day_rule = item.group_day[0], f"key:{item.group_day[1]}"
    own = next((d for obj in (item.obj, item.inner) if obj is not None and (d := stated_day(obj))), None)
    if own is not None and own[0] != day:
        extra["item_date"] = own[0].isoformat()
        return None, None
    return day, day_rule


# Observation fields a reader may leave empty when their value is not valid; the id, the
# source and the URL may not be (an item without them is no item).
OPTIONAL_FIELDS = {"title": None, "authors": [], "abstract": None, "summary": None, "published": None,
                   "listed_on": None, "upvotes": None, "comments": None, "rank": None, "organization": None,
                   "arxiv_version": None}


def build_keeping(parsed: Parsed, excerpt: str, **fields) -> None:
    """Validate one observation into ``parsed``; a field whose value is not valid is left
    empty, named with its value in ``extra['unread']`` and in a problem of the document
    (a ``rejects`` row), and the rest of the item kept.

    Why: one bad field (a title over the length limit, a count past a billion) says nothing
    about the others, which the document states as plainly; rejecting the item loses them.
    When the id, source or URL is the field that fails, or the emptied item still fails,
    the item is rejected as :func:`scrapers.pages.base.build` would, with the reason."""
    emptied = []
    for _ in range(2):
        try:
            parsed.observations.append(Observation(**fields))
            parsed.problems.extend(Problem(f"{reason}; the field left empty, the rest of the item kept", excerpt[:300])
                                   for reason in emptied)
            return
        except ValidationError as exc:
            failing = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            reason = describe_validation_error(exc, "observation")
            if not failing or not failing <= OPTIONAL_FIELDS.keys():
                parsed.problems.append(Problem(reason, excerpt[:300]))
                return
            emptied.append(reason)
            unread = dict(fields["extra"].get("unread") or {})
            for name in failing:
                unread[name] = {"value": repr(fields[name])[:120], "reason": reason[:300]}
                fields[name] = OPTIONAL_FIELDS[name]
            read = dict(fields["extra"].get("read") or {})
            read["fields"] = {k: v for k, v in (read.get("fields") or {}).items() if k not in failing}
            fields["extra"] = {**fields["extra"], "unread": unread, "read": read}
    parsed.problems.append(Problem("observation: still not valid with its bad fields left empty", excerpt[:300]))


# A tag a forum or a bot puts around a paper's title: Reddit's "[R]", an id in brackets
# ("[2612.22101] Title"), Hacker News's "[pdf]" after it.
_TITLE_TAGS = re.compile(r"^\s*\[(?:[A-Z]{1,2}|(?:arxiv:?\s*)?\d{4}\.\d{4,5}(?:v\d+)?)\]\s+|\s+[\[(](?:pdf|video)[\])]\s*$", re.I)


def untagged(title: str) -> str:
    """``title`` without a forum's or a bot's tags (:data:`_TITLE_TAGS`); a title that is
    nothing but a tag is kept as it is."""
    return _TITLE_TAGS.sub("", title).strip() or title


def parse(text: str, url: str, site=None) -> Parsed:
    """One observation per item, citations for ids its text mentions; see the module.
    ``site`` (a :class:`scrapers.sites.Site`) may name the items' key path and fields' keys
    (``json_items``, ``json_fields``)."""
    from .generic import cite
    top = unrepr(decode(text))
    if site is not None and site.json_items:
        items = [i for node in at_path(top, site.json_items) for i in items_in(node, depth=MAX_DEPTH - 1)]
    else:
        items = list(items_in(top))
    parsed = Parsed()
    if isinstance(top, dict):
        stamp = next((top[k] for k in CAPTURE_KEYS if isinstance(top.get(k), str) and parse_datetime(top[k])),
                     None)
        parsed.captured_at = parse_datetime(stamp)
        # A zone-less stamp is read as UTC, but nobody said it is: loose unless the site's
        # sites.toml entry gives its timezone (scrapers.pages._capture_time).
        parsed.captured_naive = is_naive_time(stamp)
        parsed.site = next((top[k] for k in SITE_KEYS if isinstance(top.get(k), str) and top[k].strip()), None)
    if not items:
        if _empty(top):
            parsed.empty_ok = True
            return parsed
        if isinstance(top, dict) and (said := _error_message(top)):
            raise PageError(f"{READER}: an error answer saved as data, no list: {said}", text[:300])
        raise PageError(f"{READER}: no item carries an arXiv id", text[:300])
    day, day_rule = _document_day(top, url)
    seen: set[str] = set()
    for item in items:
        aid, id_key, id_url = own_id(item.inner if item.inner is not None else item.obj)
        if aid.id in seen:
            continue
        seen.add(aid.id)
        values, rules, unread = {}, {}, {}
        for alias in ALIASES:
            values[alias.field], rules[alias.field], bad = _value(item, alias)
            if bad is not None and values[alias.field] is None:
                unread[alias.field] = bad
        if values["title"]:
            values["title"] = untagged(values["title"])
        if social_post(item.obj) or social_post(item.inner or {}):
            # A Reddit, Hacker News or Bluesky post's score, likes and comments are that
            # site's; only a key that names Hugging Face gives the paper's count.
            for name in ("upvotes", "comments"):
                if values[name] is not None and not (rules[name] or "").startswith("key:hf"):
                    values[name], rules[name] = None, None
        configured, configured_rules = _configured(item, site)
        values.update(configured)
        rules.update(configured_rules)
        extra: dict = {"section": item.section} if item.section else {}
        if unread:
            extra["unread"] = unread
        for obj in (item.obj, item.inner or {}):
            for key, (name, _) in TRAPS.items():
                if key in obj and obj[key] not in (None, "", []) and name not in extra:
                    extra[name] = obj[key]
        listed, listed_rule = _item_day(item, values["listed_on"], rules["listed_on"], day, day_rule, extra)
        if item.off_list is not None:
            # Not the day's list: its place there ranks nothing on any day's list.
            extra["not_the_days_list"] = item.off_list
            if values["rank"] is not None:
                extra["rank_in_section"] = values["rank"]
            values["rank"], rules["rank"] = None, None
        build_keeping(parsed, json.dumps(item.obj, ensure_ascii=False, default=str)[:300], source=Source.DIGEST,
                      url=id_url if id_url and "://" in id_url else f"https://arxiv.org/abs/{aid.id}",
                      arxiv_id=aid.id, arxiv_version=aid.version, title=values["title"],
                      authors=values["authors"] or [], abstract=values["abstract"], summary=values["summary"],
                      published=values["published"], listed_on=listed, upvotes=values["upvotes"],
                      comments=values["comments"], rank=values["rank"], organization=values["organization"],
                      extra=record_read(extra, READER, arxiv_id=f"key:{id_key}",
                                        **{f: rules[f] for f in values if f != "listed_on"},
                                        listed_on=listed_rule if listed else None))
        for text_value in (values["abstract"], values["summary"]):
            for cited in find_arxiv_ids(text_value or ""):
                if cited.id not in seen:
                    seen.add(cited.id)
                    cite(parsed, cited, None, None, READER, cited_in=aid.id)
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-structured", Source.DIGEST, sniff, parse)
