"""Where the items of a decoded structured digest are: the objects that carry an arXiv id.

An *item* is an object that carries an arXiv id (:func:`own_id`): under one of
:data:`~.structured_keys.ID_KEYS`, or as an arXiv / Hugging Face URL under one of
:data:`~.structured_keys.URL_KEYS`. An object without an id of its own whose sub-object
(``paper``, ``item``, ...) has one is the item too. :func:`items_in` finds them at any
depth, in document order, each with its group's name, the day its nearest enclosing object
states and whether an enclosing key says it is not the day's list
(:func:`not_the_days_list`). Arrays of values under a ``columns`` header (or a header row)
are read as objects (:func:`rows_as_objects`); :func:`at_path` follows a site's dotted key
path to its items.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from reconcile.ids import ArxivId, parse_arxiv_id

from ..base import parse_date, split_link
from .item_fields import not_the_days_list
from .structured_keys import DAY_KEYS, ID_KEYS, PAPER_HOSTS, SUBOBJECT_KEYS, URL_KEYS

MAX_DEPTH = 12


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
            if host.endswith(PAPER_HOSTS) and (aid := parse_arxiv_id(value)):
                return aid, key, value
    return None


@dataclass
class Item:
    """One item: the object, the sub-object its id came from (or None), where it sits.

    ``group_day`` is the day stated by the nearest enclosing object (``{"date": ...,
    "papers": [...]}``, the top level included), with the key it came from; ``off_list``
    names the enclosing key or group that says its items are not the day's list
    (:data:`.item_fields.NOT_THE_DAYS_LIST`)."""

    obj: dict
    inner: dict | None
    inner_key: str | None
    section: str | None
    group_day: tuple[dt.date, str] | None = None
    off_list: str | None = None


def stated_day(obj: dict) -> tuple[dt.date, str] | None:
    """The day an object states under one of :data:`DAY_KEYS`, with the key."""
    for key in DAY_KEYS:
        if isinstance(obj.get(key), str) and (day := parse_date(obj[key])):
            return day, key
    return None


def items_in(node, section: str | None = None, depth: int = 0, group_day: tuple[dt.date, str] | None = None,
             off_list: str | None = None) -> Iterator[Item]:
    """Every item below ``node`` in document order; an item's own insides are not searched.
    Each item carries the day its nearest enclosing object states and whether an enclosing
    key says it is not the day's list (see :class:`Item`)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        table = rows_as_objects(node)
        here = off_list
        for element in (table if table is not None else node):
            if (said := block_heading(element)) is not None and off_list is None:
                # A heading block among the list's blocks is a heading over the blocks after
                # it (Slack's "Yesterday's #1 is still climbing:" over a paper's section).
                here = said if not_the_days_list(said) else None
            yield from items_in(element, section, depth + 1, group_day, here)
        return
    if not isinstance(node, dict):
        return
    if off_list is None and is_reply(node):
        off_list = "reply"
    if own_id(node):
        yield Item(node, None, None, section, group_day, off_list)
        return
    for key in SUBOBJECT_KEYS:
        if isinstance(node.get(key), dict) and own_id(node[key]):
            yield Item(node, node[key], key, section, group_day, off_list)
            return
    group_day = stated_day(node) or group_day
    name = next((node[k] for k in ("name", "category", "group", "section")
                 if isinstance(node.get(k), str) and node[k].strip()), None)
    if off_list is None and not_the_days_list(name):
        off_list = name
    columns = node.get("columns")
    for key, value in node.items():
        if isinstance(value, list) and key != "columns" and isinstance(columns, list):
            value = rows_as_objects(value, columns) or value
        if isinstance(value, (list, dict)):
            inner = name or (key if isinstance(value, list) and key not in ("papers", "data", "items", "results",
                                                                             "list", "entries", "rows") else section)
            off = off_list if off_list is not None or not not_the_days_list(key) else key
            yield from items_in(value, inner if isinstance(inner, str) else section, depth + 1, group_day, off)


# Block types that head the blocks after them: Slack's "header" and "context", Notion's
# "heading_1" to "heading_3", Editor.js's "header".
_HEADING_BLOCKS = {"header", "heading", "heading_1", "heading_2", "heading_3", "context", "title"}


def block_heading(element) -> str | None:
    """The text of a heading block (an object whose ``type`` is one of
    :data:`_HEADING_BLOCKS`, its text in its ``text`` keys at any depth), else None."""
    if not isinstance(element, dict) or str(element.get("type", "")).lower() not in _HEADING_BLOCKS:
        return None
    said: list[str] = []

    def walk(node, depth: int) -> None:
        if depth > 4 or len(said) > 20:
            return
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    said.append(value)
                else:
                    walk(value, depth + 1)
        elif isinstance(node, list):
            for value in node:
                walk(value, depth + 1)

    walk(element, 0)
    return " ".join(said)


# Keys by which a message says it answers another: Discord's "reference" (and its type
# "Reply"), Mastodon's "in_reply_to_id", Twitter's "in_reply_to_status_id", Telegram's
# "reply_to_message_id", Bluesky's "reply", Reddit's comment "parent_id" ("t1_..." or
# "t3_...", a comment's or a post's); Slack's "thread_ts" other than its own "ts". (A
# newsletter's "reply_to" is an address, a page's "parent_id" a place in a site.)
_REPLY_KEYS = ("in_reply_to_id", "in_reply_to_status_id", "reply_to_message_id")


def is_reply(obj: dict) -> bool:
    """Whether a message object answers another (:data:`_REPLY_KEYS`): its papers are the
    talk about a list, not the list.

    Why: a Discord export's reply ("#2 feels like a sequel to https://arxiv.org/abs/...")
    carries an embed of the paper it names, which was read as one of the day's list. When it
    fails: a reply that posts the day's list itself (asked for it) has its papers given no
    day and no rank."""
    if str(obj.get("type", "")).lower() == "reply":
        return True
    if isinstance(obj.get("reference"), dict) and obj["reference"].get("messageId"):
        return True
    if isinstance(obj.get("reply"), dict) and obj["reply"].get("parent"):
        return True
    if obj.get("thread_ts") and obj.get("ts") and obj["thread_ts"] != obj["ts"]:
        return True
    if isinstance(obj.get("parent_id"), str) and re.match(r"t[13]_\w+$", obj["parent_id"]):
        return True
    return any(obj.get(key) not in (None, "", 0) for key in _REPLY_KEYS)


def rows_as_objects(rows, columns=None) -> list[dict] | None:
    """A table written as arrays of values read as a list of objects, or None.

    ``columns`` names the values (``{"columns": ["arxiv_id", "title", ...], "rows": [[...],
    ...]}``); without it, the first row is the header when it names the columns
    (``[["arxiv_id", "title"], ["2601.00001", "..."]]``). Why it is safe: each row must
    have exactly as many values as there are column names, the names must be distinct strings,
    and at least one must be a key :func:`own_id` reads an id from; otherwise None and the rows
    are left alone (a list of numbers is not a table). When it fails: a table whose names are
    not keys of :data:`ALIASES` or :data:`ID_KEYS` has its values unread, as for objects.
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        return None
    if columns is None:
        columns, rows = rows[0], rows[1:]
        if not rows:
            return None
    if (not all(isinstance(c, str) for c in columns) or len(set(columns)) != len(columns)
            or not set(columns) & set(ID_KEYS + URL_KEYS) or any(len(r) != len(columns) for r in rows)):
        return None
    return [dict(zip(columns, r)) for r in rows]


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
