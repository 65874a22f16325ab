"""Obsidian callouts that hold a paper, as the headed sections the generic reader reads.

A daily note kept in Obsidian may give each paper a callout: a block quote whose first
line names its kind and title (``> [!paper] [[Title]]``) over the paper's fields, often
Dataview's inline fields (``> arxiv:: [2609.19101](...)``, ``> upvotes:: 45``). Read as
Markdown, the quoted lines start no item: the callouts of a note ran together into one
section under the note's heading, the first paper's title kept the ``> [!paper]`` marker,
the others became citations of it, and a link in a later list (a task, "finish review of
[...]") was taken for the day's list instead. Each callout that links a paper is written
as a heading one level below the heading it sits under, its lines unquoted and its
``key:: value`` fields as ``key: value`` labels. A callout that links no paper (``> [!note]
Source``) is left as it is. Line numbers are kept: one line for one.

When it fails: a callout quoting a paper in passing (``> [!quote]`` of a sentence that
links one) becomes an item of its own, and where it is the only one it competes with the
post's list as a kind of section of its own (one such heading loses to a list of two).
"""

from __future__ import annotations

import re

from .post_sections import HEADING, has_paper_link
from .item_fields import FENCE

_CALLOUT = re.compile(r"^\s{0,3}>\s*\[!([\w-]{1,30})\][+-]?[ \t]*(.*?)\s*$")
_QUOTED = re.compile(r"^\s{0,3}>\s?")
# A Dataview inline field, "upvotes:: 45": a label as Markdown writes it, "upvotes: 45".
_FIELD = re.compile(r"^(\s*[^\W\d_][\w -]{0,30}?)::[ \t]")


def has_callouts(text: str) -> bool:
    """Whether ``text`` holds an Obsidian callout (``> [!kind] ...``) on a line of its own."""
    return re.search(r"^\s{0,3}>\s*\[![\w-]{1,30}\]", text, re.M) is not None


def callouts_to_headings(text: str) -> str:
    """``text`` with each callout that links a paper written as a heading over its lines."""
    lines = text.split("\n")
    out: list[str] = []
    level, in_code, i = 1, False, 0
    while i < len(lines):
        line = lines[i]
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and (h := HEADING.match(line)):
            level = len(h[1])
        elif not in_code and (m := _CALLOUT.match(line)) and m[2]:
            end = i + 1
            while end < len(lines) and _QUOTED.match(lines[end]):
                end += 1
            body = [_FIELD.sub(r"\1: ", _QUOTED.sub("", x, count=1)) for x in lines[i + 1:end]]
            if has_paper_link("\n".join([m[2], *body])):
                out += [f"{'#' * min(level + 1, 6)} {m[2]}", *body]
                i = end
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


__all__ = ["callouts_to_headings", "has_callouts"]
