"""Korean daily digest of Hugging Face papers (l-yohai/daily_papers_ko, ``paper_logs/YYYY/MM/DD.md``).

The file opens with ``## Daily Papers (YYYY-MM-DD)``; then, per paper::

    ### [Title](https://arxiv.org/abs/ID)
    ![](thumbnail)                      (or "[Watch Video]url" and a <video> tag)
    Vote: N
    Authors: A, B, C
    - ***What's New***: ...             (Korean GPT summary; labels are **bold** or ***bold-italic***)
    - ***Technical Details***: ...
    - ***Performance Highlights***: ...

Why ``Vote`` is a Hugging Face upvote count: the repository's ``request.py`` (read at
commit 00502a7) fetches ``huggingface.co/papers?date=<today>`` and reads each article
card's ``div.leading-none``, the card's upvote counter, into ``vote``; ``main.py`` writes
it as ``Vote: {vote}``. So it is kept as ``upvotes``, as read when the page was fetched
(the file states no time). No Hugging Face list of these days is among the samples to
compare the numbers with.

The heading's day is ``get_today()`` in UTC, the same day the script asked the list for
(``?date=``), so it is ``listed_on``; a file without the heading falls back to the day in
its path (``2025/05/08.md`` or ``2025-05-08.md``).

``rank`` is the item's position. The list is in the page's order (most votes first) but
the script skips every paper whose title it logged on an earlier day, so a position is not
Hugging Face's rank of the day: ``rank_basis`` is ``position``, never ``upvotes``.

``Authors:`` is kept as shown (it is scraped from the paper page and its order is not the
paper's: ``extra['authors_order_unknown']``, so another order is no finding above info; an
Oxford "..., and Name" is the name). The bullet points are the digest's own summary. Fails (``PageError``) when no
``### [Title](link)`` item is found; an item with an empty title is a problem, the others
are kept.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, PageError, Parsed, Problem, build, first_int, parse_date, set_rank_basis
from .item_fields import split_authors

log = logging.getLogger(__name__)

_HEADING = re.compile(r"^#{1,3}\s*Daily Papers\s*\((\d{4}-\d{2}-\d{2})\)\s*$", re.MULTILINE)
# Greedy title: a title holding "]" still ends at the line's last "](".
_ITEM = re.compile(r"^###[ \t]+\[(.*)\]\((https?://[^\s)]+)\)[ \t]*$", re.MULTILINE)
_VOTE = re.compile(r"^Vote:[ \t]*(.*)$", re.MULTILINE)
_AUTHORS = re.compile(r"^Authors:[ \t]*(.*)$", re.MULTILINE)
_BULLET = re.compile(r"^-[ \t]+(.+)$", re.MULTILINE)
_LABEL = re.compile(r"^\*{1,3}([^*]+?)\*{1,3}\s*:\s*")
_PATH_DAY = re.compile(r"(\d{4})[/-](\d{2})[/-](\d{2})(?:\.md)?$")


def sniff(text: str, url: str) -> bool:
    """``### [Title](link)`` items with ``Vote: N`` lines."""
    return bool(_ITEM.search(text)) and bool(re.search(r"^Vote:[ \t]*\d", text, re.MULTILINE))


def listed_day(text: str, url: str):
    """The day from the ``Daily Papers (DAY)`` heading, else from the file's path."""
    heading = _HEADING.search(text)
    if heading:
        return parse_date(heading[1])
    m = _PATH_DAY.search(unquote(urlsplit(url).path))
    return parse_date(f"{m[1]}-{m[2]}-{m[3]}") if m else None


def summary_of(block: str) -> str | None:
    """The item's bullet points as ``Label: text`` lines, the bold markers dropped."""
    lines = []
    for bullet in _BULLET.findall(block):
        bullet = _LABEL.sub(lambda m: m[1].strip() + ": ", bullet.strip())
        lines.append(collapse_whitespace(bullet))
    return "\n".join(line for line in lines if line) or None


def parse(text: str, url: str) -> Parsed:
    """One observation per ``### [Title](link)`` item, in the file's order."""
    items = list(_ITEM.finditer(text))
    if not items:
        raise PageError("ko daily digest: no '### [Title](link)' items", text[:300])
    listed_on = listed_day(text, url)
    parsed = Parsed()
    for i, m in enumerate(items):
        block = text[m.end(): items[i + 1].start() if i + 1 < len(items) else len(text)]
        title = collapse_whitespace(m[1])
        if not title:
            parsed.problems.append(Problem(f"item {i + 1}: no title in its '### [...](link)' heading",
                                           (m[0] + block)[:300]))
            continue
        aid = parse_arxiv_id(m[2])
        vote = _VOTE.search(block)
        authors = _AUTHORS.search(block)
        names, partial = split_authors(authors[1]) if authors else ([], False)
        extra = {"authors_order_unknown": True} if authors else {}
        if partial:
            extra["authors_truncated"] = True
        if vote and first_int(vote[1]) is None:
            extra["vote_text"] = vote[1].strip()
        build(parsed, m[0] + block, source=Source.DIGEST, url=m[2], rank=i + 1,
              arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              title=title, listed_on=listed_on,
              upvotes=first_int(vote[1]) if vote else None,
              authors=names,
              summary=summary_of(block), extra=extra)
    set_rank_basis(parsed.observations)
    for obs in parsed.observations:
        # Papers logged on earlier days are left out, so positions are not the day's ranks.
        obs.extra = {**obs.extra, "rank_basis": "position"}
    return parsed


FORMAT = Format("digest-ko-daily", Source.DIGEST, sniff, parse)
