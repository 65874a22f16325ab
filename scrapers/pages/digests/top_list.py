"""Korean top-N markdown digest (seed 003): ``# YYYY-MM-DD Daily Papers (Top N)``, then per
paper ``## N. [Title](link)``, ``**Upvotes**: N`` and sections (``### 📌 요약`` is the
summary). Links go to Hugging Face paper pages or arXiv.
"""

from __future__ import annotations

import re

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace, count_replacement_chars

from ..base import Format, Parsed, PageError, build, parse_date, set_rank_basis

_HEADING = re.compile(r"^#\s+(\d{4}-\d{2}-\d{2})\b.*$", re.MULTILINE)
_ITEM = re.compile(r"^##\s+(\d+)\.\s+\[(.+?)\]\((\S+?)\)\s*$", re.MULTILINE)
_UPVOTES = re.compile(r"^\*\*Upvotes\*\*:\s*([\d,]+)", re.MULTILINE)
_SECTION = re.compile(r"^###\s+(.*)$", re.MULTILINE)


def sniff(text: str, url: str) -> bool:
    """``## N. [Title](link)`` items with ``**Upvotes**:`` lines."""
    return bool(_ITEM.search(text)) and bool(_UPVOTES.search(text))


def _summary(block: str) -> str | None:
    sections = list(_SECTION.finditer(block))
    for i, m in enumerate(sections):
        if "요약" in m[1] or "summary" in m[1].lower():
            end = sections[i + 1].start() if i + 1 < len(sections) else len(block)
            text = block[m.end():end].split("\n---")[0]
            return collapse_whitespace(text) or None
    return None


def parse(text: str, url: str) -> Parsed:
    """One observation per ``## N.`` item."""
    parsed = Parsed()
    heading = _HEADING.search(text)
    listed_on = parse_date(heading[1]) if heading else None
    items = list(_ITEM.finditer(text))
    if not items:
        raise PageError("top-list digest: no '## N. [Title](link)' items", text[:300])
    for i, m in enumerate(items):
        block = text[m.end(): items[i + 1].start() if i + 1 < len(items) else len(text)]
        aid = parse_arxiv_id(m[3])
        votes = _UPVOTES.search(block)
        lost = count_replacement_chars(m[0] + block)
        # Counted per item, zero included, so the check flags only the papers it concerns.
        extra = {"replacement_chars": lost}
        if lost:
            line = next(ln for ln in (m[0] + block).splitlines() if "\ufffd" in ln)
            extra["replacement_context"] = line.strip()[:80]
        build(parsed, m[0] + block, source=Source.DIGEST, url=m[3], rank=int(m[1]),
              arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              title=collapse_whitespace(m[2]), listed_on=listed_on,
              upvotes=int(votes[1].replace(",", "")) if votes else None,
              summary=_summary(block),
              extra=extra)
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-top-list", Source.DIGEST, sniff, parse)
