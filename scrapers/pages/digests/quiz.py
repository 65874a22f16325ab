"""Quiz-style digest as text (seed 000): per paper a ``Paper N`` heading, the title, a
``Published: YYYY-MM-DD`` line, an arXiv ``Link:`` and five numbered summary points,
followed by a figure caption and quiz questions that are not data.

The first line names the day (``2026-02-05 Papers``). Items are numbered in the order the
digest shows them, which is a position, not a ranking by popularity.
"""

from __future__ import annotations

import re

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, Parsed, PageError, build, parse_date, set_rank_basis

_ITEM = re.compile(r"^Paper (\d+)\s*$", re.MULTILINE)
_POINT = re.compile(r"^\d\.\s+\S.*$", re.MULTILINE)


def sniff(text: str, url: str) -> bool:
    """``Paper N`` headings with ``Published:`` and ``Link:`` lines."""
    return bool(_ITEM.search(text)) and "\nLink: " in text and "\nPublished: " in text


def parse(text: str, url: str) -> Parsed:
    """One observation per ``Paper N`` block."""
    parsed = Parsed()
    first = text.strip().splitlines()[0] if text.strip() else ""
    listed_on = parse_date(first) if re.match(r"^\d{4}-\d{2}-\d{2}\b", first) else None
    starts = list(_ITEM.finditer(text))
    if not starts:
        raise PageError("quiz digest: no 'Paper N' items", text[:300])
    for i, m in enumerate(starts):
        block = text[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        title = lines[0] if lines and not lines[0].startswith(("Published:", "Link:")) else None
        published = link = None
        for ln in lines:
            if ln.startswith("Published:") and published is None:
                published = parse_date(ln)
            elif ln.startswith("Link:") and link is None:
                link = ln.removeprefix("Link:").strip()
        aid = parse_arxiv_id(link) if link else None
        # The summary is the numbered points up to the repeated title that opens the figure.
        body = block.split(title, 2)[1] if title and block.count(title) >= 1 else block
        points = [collapse_whitespace(p) for p in _POINT.findall(body)[:5]]
        build(parsed, block, source=Source.DIGEST, url=link, rank=int(m[1]),
              arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              title=collapse_whitespace(title) if title else None, published=published,
              listed_on=listed_on, summary="\n".join(points) or None,
              extra={"format_item": f"Paper {m[1]}"})
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-quiz", Source.DIGEST, sniff, parse)
