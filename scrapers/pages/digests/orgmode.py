"""An Org-mode file (Emacs's outline notes) as the Markdown the generic reader reads.

A reading list kept in Org mode holds papers as headings (``** TODO [[url][Title]]``) with
their fields in a property drawer (``:UPVOTES: 41``). Read as Markdown, a heading's
``TODO`` and its whole drawer became the title, and a paper cited in a later section
became a listed item. Only the constructs that carry a digest's fields are rewritten:
``#+TITLE``/``#+DATE`` (a front matter), headings without their TODO keyword and tags,
links, and drawers (as ``- Key: value`` lines); the rest is left as it is. A parsing
library (orgparse) would give a tree of nodes that then has to be written out as Markdown
anyway; these four rules are the whole of what the reader needs.
"""

from __future__ import annotations

import re

_KEYWORD = re.compile(r"^#\+(TITLE|DATE)\s*:\s*(.*?)\s*$", re.I | re.M)
_HEADING = re.compile(r"^(\*{1,6})\s+(?:(?:TODO|DONE|NEXT|WAITING|HOLD|CANCELLED|READ|TOREAD)\s+)?(.*?)"
                      r"(?:\s+:[\w@#%:]+:)?\s*$")
_LINK = re.compile(r"\[\[([^\[\]\n]+)\](?:\[([^\[\]\n]+)\])?\]")
_DRAWER = re.compile(r"^\s*:(PROPERTIES|LOGBOOK|END):\s*$", re.I)
_PROPERTY = re.compile(r"^\s*:([\w-]+):\s*(.*?)\s*$")
_ORG_DATE = re.compile(r"[<\[](\d{4}-\d{2}-\d{2})[^>\]]*[>\]]")


def looks_like_org(text: str) -> bool:
    """An Org file: a ``#+TITLE``/``#+DATE`` keyword, or a heading made of stars followed
    by an Org link, near its top."""
    head = text[:4000]
    return bool(re.search(r"^#\+(?:TITLE|DATE|AUTHOR)\s*:", head, re.I | re.M)
                or re.search(r"^\*{1,6}\s+(?:\w+\s+)?\[\[https?://", head, re.M))


def org_to_markdown(text: str) -> str:
    """``text`` with its Org headings, links, drawers and keywords written as Markdown."""
    meta = {k.lower(): _ORG_DATE.sub(r"\1", v) for k, v in _KEYWORD.findall(text)}
    out = []
    for line in _KEYWORD.sub("", text).splitlines():
        if _DRAWER.match(line):
            continue
        line = _LINK.sub(lambda m: f"[{m[2]}]({m[1]})" if m[2] else m[1], line)
        if m := _HEADING.match(line):
            out.append(f"{'#' * len(m[1])} {m[2]}")
        elif (p := _PROPERTY.match(line)) and not line.lstrip().startswith("- "):
            out.append(f"- {p[1].replace('_', ' ').capitalize()}: {p[2]}")
        else:
            out.append(line)
    front = "".join(f"{k}: {v}\n" for k, v in meta.items() if v)
    return (f"---\n{front}---\n" if front else "") + "\n".join(out) + "\n"
