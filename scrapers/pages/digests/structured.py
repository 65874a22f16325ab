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

When it fails: a document that stores its papers as arrays of values (columns named once,
elsewhere) has no objects to read; an id under a key not in :data:`ID_KEYS` and not a URL
is not seen; a count under an unknown key is not read.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from reconcile.ids import ArxivId, find_arxiv_ids, parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import (Format, PageError, Parsed, build, parse_date, parse_datetime, record_read, set_rank_basis,
                    split_link)

log = logging.getLogger(__name__)

READER = "digest-structured"
ID_KEYS = ("arxiv_id", "arxivId", "arxiv", "arxiv_no", "paper_id", "paperId", "id", "entry_id", "arxiv_number")
URL_KEYS = ("url", "abs", "abs_url", "link", "pdf", "pdf_url", "arxiv_url", "hf_url", "paper_url", "html_url",
            "huggingface_url")
SUBOBJECT_KEYS = ("paper", "item", "entry", "article", "data")
MAX_DEPTH = 12
MAX_REPR = 1_000_000  # characters of one Python-repr string


@dataclass(frozen=True)
class Alias:
    """Where one observation field is read from, and the type its value must have."""

    field: str
    keys: tuple[str, ...]
    kind: str  # "text", "int", "authors", "day", "time"
    note: str = ""


ALIASES: tuple[Alias, ...] = (
    Alias("title", ("title", "paper_title", "title_en", "english_title", "en_title"), "text",
          "the paper's title as written; a translated or summarised title is not it (TRAPS)"),
    Alias("authors", ("authors", "author_names", "author_list"), "authors",
          "a list of names, of {'name': ...} objects, or one comma-separated string"),
    Alias("abstract", ("abstract",), "text"),
    Alias("summary", ("summary", "tldr", "ai_summary"), "text",
          "arXiv's own records call the abstract 'summary': kept as a summary, never compared as one"),
    Alias("upvotes", ("upvotes", "upvote", "upvote_count", "num_upvotes", "votes", "likes"), "int",
          "an integer only: '12' as text is not read"),
    Alias("comments", ("numComments", "num_comments", "comments_count", "comment_count", "comments"), "int",
          "an integer only: a 'comments' that is text is arXiv's author comment"),
    Alias("rank", ("rank",), "int", "only an explicit rank: the order of a list is not one"),
    Alias("published", ("publishedAt", "published_at", "published", "published_date", "submitted"), "day",
          "arXiv's publication date, not the day of the list"),
    Alias("listed_on", ("submittedOnDailyAt", "listed_on", "list_date", "listed_at"), "day",
          "the day the list put the paper on"),
    Alias("organization", ("organization", "affiliation"), "text"),
)
# Keys that look like fields and are not, with what they are. Their values are kept in
# ``extra`` under the name on the right, never as the field they resemble.
TRAPS: dict[str, tuple[str, str]] = {
    "score": ("score", "a relevance score (an LLM's or a search engine's), not upvotes"),
    "relevance": ("score", "a relevance score, not upvotes"),
    "relevance_score": ("score", "a relevance score, not upvotes"),
    "stars": ("stars", "GitHub stars of the paper's code, not upvotes"),
    "githubStars": ("stars", "GitHub stars of the paper's code, not upvotes"),
    "github_stars": ("stars", "GitHub stars of the paper's code, not upvotes"),
    "comment": ("arxiv_comment", "arXiv's author comment ('12 pages, 5 figures'), not a comment count"),
    "translation_title": ("title_translated", "a translation of the title, not the title"),
    "translated_title": ("title_translated", "a translation of the title, not the title"),
    "chinese_title": ("title_translated", "a one-sentence summary in Chinese, not the title"),
    "title_zh": ("title_translated", "a translation of the title"),
    "title_cn": ("title_translated", "a translation of the title"),
    "title_ko": ("title_translated", "a translation of the title"),
    "title_ja": ("title_translated", "a translation of the title"),
}
# Document-level keys that are not a count of its list: total_fetched counts the entries a
# crawler fetched before filtering, total_count a stated total that may differ.
NOT_LIST_SIZE = ("total_fetched", "total_count", "count", "total")
DAY_KEYS = ("push_date", "date", "day", "listed_on", "list_date")
CAPTURE_KEYS = ("crawled_at", "fetched_at", "captured_at", "scraped_at")
SITE_KEYS = ("site", "source_site", "repository")
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


def own_id(obj: dict) -> tuple[ArxivId, str, str | None] | None:
    """The arXiv id an object carries itself: (id, key, URL when it came from one)."""
    for key in ID_KEYS:
        value = obj.get(key)
        if isinstance(value, str) and (aid := parse_arxiv_id(value)):
            return aid, key, value if "/" in value else None
    for key in URL_KEYS:
        value = obj.get(key)
        if isinstance(value, str):
            host = (split_link(value).hostname or "").lower()
            if host.endswith(("arxiv.org", "huggingface.co", "hf.co")) and (aid := parse_arxiv_id(value)):
                return aid, key, value
    return None


@dataclass
class Item:
    """One item: the object, the sub-object its id came from (or None), where it sits."""

    obj: dict
    inner: dict | None
    inner_key: str | None
    section: str | None


def items_in(node, section: str | None = None, depth: int = 0) -> Iterator[Item]:
    """Every item below ``node`` in document order; an item's own insides are not searched."""
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for element in node:
            yield from items_in(element, section, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if own_id(node):
        yield Item(node, None, None, section)
        return
    for key in SUBOBJECT_KEYS:
        if isinstance(node.get(key), dict) and own_id(node[key]):
            yield Item(node, node[key], key, section)
            return
    name = next((node[k] for k in ("name", "category", "group", "section")
                 if isinstance(node.get(k), str) and node[k].strip()), None)
    for key, value in node.items():
        if isinstance(value, (list, dict)):
            inner = name or (key if isinstance(value, list) and key not in ("papers", "data", "items", "results",
                                                                             "list", "entries") else section)
            yield from items_in(value, inner if isinstance(inner, str) else section, depth + 1)


def _value(item: Item, alias: Alias):
    """The first value of the alias's keys in the item (its own keys first, then its
    sub-object's) that has the alias's type, with the key path it came from."""
    for where, obj in (("", item.obj), (f"{item.inner_key}.", item.inner)):
        if obj is None:
            continue
        for key in alias.keys:
            value = obj.get(key)
            read = _typed(value, alias.kind)
            if read not in (None, [], ""):
                return read, f"key:{where}{key}"
    return None, None


def _typed(value, kind: str):
    if kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
    if kind == "text":
        return collapse_whitespace(value) if isinstance(value, str) else None
    if kind == "day":
        if not isinstance(value, str):
            return None
        moment = parse_datetime(value)
        return moment.date() if moment else parse_date(value)
    if kind == "authors":
        if isinstance(value, str):
            return [a.strip() for a in re.split(r"\s*[,;]\s*|\s+and\s+", value) if a.strip()]
        if isinstance(value, list):
            names = [a if isinstance(a, str) else a.get("name") if isinstance(a, dict) else None for a in value]
            return [collapse_whitespace(n) for n in names if isinstance(n, str) and n.strip()]
    return None


def _document_day(top, url: str) -> tuple[dt.date | None, str | None]:
    """The day of the whole list: a top-level day key, else the one date in the file name."""
    if isinstance(top, dict):
        for key in DAY_KEYS:
            if isinstance(top.get(key), str) and (day := parse_date(top[key])):
                return day, f"key:{key}"
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


def at_path(node, path: str) -> list:
    """The values a dotted key path names: ``categories.*.papers`` is every ``papers`` list
    of every element of ``categories``, flattened into one list of items."""
    nodes = [node]
    for part in path.split("."):
        nxt = []
        for value in nodes:
            if part == "*":
                nxt += value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else []
            elif isinstance(value, dict) and part in value:
                nxt.append(value[part])
        nodes = nxt
    return [x for v in nodes for x in (v if isinstance(v, list) else [v])]


def _configured(item: Item, site) -> tuple[dict, dict]:
    """The values of the fields the site's ``fields`` name by key (dotted within the item),
    each with the type its alias requires, and their read rules."""
    values, rules = {}, {}
    for name, key in (site.json_fields.items() if site is not None else ()):
        alias = next(a for a in ALIASES if a.field == name)
        value = item.obj
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        values[name] = _typed(value, alias.kind)
        rules[name] = f"site:{site.name} {name} key {key}" if values[name] not in (None, []) else None
    return values, rules


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
        parsed.captured_at = next((t for k in CAPTURE_KEYS if isinstance(top.get(k), str)
                                   and (t := parse_datetime(top[k]))), None)
        parsed.site = next((top[k] for k in SITE_KEYS if isinstance(top.get(k), str) and top[k].strip()), None)
    if not items:
        if _empty(top):
            parsed.empty_ok = True
            return parsed
        raise PageError(f"{READER}: no item carries an arXiv id", text[:300])
    day, day_rule = _document_day(top, url)
    seen: set[str] = set()
    for item in items:
        aid, id_key, id_url = own_id(item.inner if item.inner is not None else item.obj)
        if aid.id in seen:
            continue
        seen.add(aid.id)
        values, rules = {}, {}
        for alias in ALIASES:
            values[alias.field], rules[alias.field] = _value(item, alias)
        configured, configured_rules = _configured(item, site)
        values.update(configured)
        rules.update(configured_rules)
        extra: dict = {"section": item.section} if item.section else {}
        for obj in (item.obj, item.inner or {}):
            for key, (name, _) in TRAPS.items():
                if key in obj and obj[key] not in (None, "", []) and name not in extra:
                    extra[name] = obj[key]
        listed, listed_rule = (values["listed_on"], rules["listed_on"]) if values["listed_on"] else (day, day_rule)
        build(parsed, json.dumps(item.obj, ensure_ascii=False, default=str)[:300], source=Source.DIGEST,
              url=id_url if id_url and "://" in id_url else f"https://arxiv.org/abs/{aid.id}",
              arxiv_id=aid.id, arxiv_version=aid.version, title=values["title"], authors=values["authors"] or [],
              abstract=values["abstract"], summary=values["summary"], published=values["published"],
              listed_on=listed, upvotes=values["upvotes"], comments=values["comments"], rank=values["rank"],
              organization=values["organization"],
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
