"""The lim4349 blog crawler's JSON (``_data/papers/daily-DATE.json``), which its daily posts
(:mod:`.jekyll_daily`) are rendered from::

    {"date": "2026-01-05", "crawled_at": "2026-01-05T03:46:51.067660", "total_papers": 10,
     "papers": [{"title": ..., "url": "https://huggingface.co/papers/ID", "published": ...,
                 "likes": 86, "institution": "Sea AI Lab", "paper_link": "https://arxiv.org/abs/ID",
                 "code_link": "...", "abstract": ..., "tags": [], "description": ...}, ...]}

One observation per paper. ``rank`` is the paper's position in ``papers``: that is the order
the blog publishes (by likes, most first). ``likes`` is what the post shows as ``👍``; the
values are Hugging Face upvote counts as the crawler read them, so they are kept as
``upvotes`` (compared with Hugging Face's own API they mostly grow with the crawl time, but
some crawls read lower counts or 0 for every paper, which is for the checks to flag).
``institution`` is kept as stated, scraped page furniture included (``·438 authors2``).
``listed_on`` is ``date``.

``crawled_at`` is naive; the crawler ran in UTC. Every earlier version of these files was
checked against the time of the commit that wrote it (2025-11-02 .. 2026-01-31): in all of
them ``crawled_at`` lies within one second of the commit's UTC time (``04:00:05.79`` for a
commit at ``04:00:05Z``), never nine hours off as Korean time would be. It is the document's
stated capture time (``Parsed.captured_at``), read as UTC. Other crawlers write JSON of the
same shape (any object with ``crawled_at`` and ``papers`` is read here), and their clocks
may be local (a Korean crawler's 10:30 is 01:30Z): a zone-less ``crawled_at`` of a document
that is not lim4349's (by its site name or address, ``UTC_SITES``) and whose site sets no
``timezone`` is a loose time (``TimeBasis.STATED_NAIVE``), not a capture time. The one file whose commit is far
from its ``crawled_at`` (2025-11-04, rewritten at 13:17Z without recrawling) keeps the
``crawled_at`` of its 02:27Z crawl: the field dates the crawl, not the file.

Not kept: ``published`` (the crawler's own timestamp, the same for every paper, seconds
before ``crawled_at``: not the paper's publication date; kept as ``extra['crawler_published']``),
``description`` (the first 500 characters of ``abstract``) and ``tags`` (always empty).
An ``abstract`` that is the Hugging Face page's furniture (``Join the discussion on this
paper page``, ``Papers arxiv:ID ...``) goes to ``extra['page_text']`` instead.

``total_papers`` disagreeing with the length of ``papers`` is reported as a problem and the
papers are kept. Fails (the document is rejected) when the text is not a JSON object or
``papers`` is not a list.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import (Format, PageError, Parsed, Problem, build, is_naive_time, parse_date, parse_datetime,
                    set_rank_basis)
from .jekyll_daily import not_an_abstract

log = logging.getLogger(__name__)

_KEYS = re.compile(r'"crawled_at"\s*:')
#: The site whose zone-less ``crawled_at`` was checked to be UTC (against its commit times):
#: a document is taken to be its when its site name or address holds this. Any other
#: crawler's JSON of this shape writes its own clock, whose zone nobody stated.
UTC_SITES = ("lim4349",)
_PAPERS = re.compile(r'"papers"\s*:')


def sniff(text: str, url: str) -> bool:
    """A JSON object that states ``crawled_at`` near its start and whose own ``papers`` is a
    list. Why parse it: a recap that nests its days (``{"crawled_at": ..., "days": [{"date":
    ..., "papers": [...]}]}``) names ``papers`` too, and taken here it was rejected whole
    ("'papers' is NoneType"); it is the structured reader's."""
    head = text.lstrip("\ufeff \t\r\n")
    if not (head.startswith("{") and _KEYS.search(head[:2000]) and _PAPERS.search(head)):
        return False
    try:
        data = json.loads(head)
    except ValueError:
        return True  # broken JSON of this shape: parse() says why, as a reject
    return isinstance(data, dict) and isinstance(data.get("papers"), list)


def _text(value: Any) -> str | None:
    """A string field's value, or None when it is missing, not a string or blank."""
    return value.strip() or None if isinstance(value, str) else None


def _paper(parsed: Parsed, rank: int, paper: Any, listed_on) -> None:
    """One paper of ``papers`` as an observation, or a problem saying why it cannot be."""
    excerpt = json.dumps(paper, ensure_ascii=False)[:300]
    if not isinstance(paper, dict):
        parsed.problems.append(Problem(f"paper {rank} is not an object", excerpt))
        return
    title = _text(paper.get("title"))
    if title is None:
        parsed.problems.append(Problem(f"paper {rank} has no title", excerpt))
        return
    arxiv_link, hf_url = _text(paper.get("paper_link")), _text(paper.get("url"))
    by_arxiv, by_hf = parse_arxiv_id(arxiv_link), parse_arxiv_id(hf_url)
    aid = by_arxiv or by_hf
    if by_arxiv and by_hf and by_arxiv.id != by_hf.id:
        # Its two links name two papers: which one the item is about is not sure, so it
        # gives no id and is placed by its title (probe28: the arXiv link was taken, and
        # the other paper's title and count went to it).
        parsed.problems.append(Problem(f"paper {rank}'s links name two papers ({by_arxiv.id} and {by_hf.id}): "
                                       "its id is left empty, the item is kept", excerpt))
        aid = None
    likes = paper.get("likes")
    if likes is not None and (isinstance(likes, bool) or not isinstance(likes, int)):
        # "1.2k" (a rounded count), 3.5, "86": not the whole count the format writes; left
        # empty, and said, not dropped without a word (probe26).
        parsed.problems.append(Problem(f"paper {rank}'s likes (left empty; the item is kept): {likes!r} is not a "
                                       "whole count", excerpt))
        likes = None
    extra: dict[str, Any] = {}
    if hf_url:
        extra["hf_url"] = hf_url
    if _text(paper.get("code_link")):
        extra["code_link"] = paper["code_link"].strip()
    if _text(paper.get("published")):
        extra["crawler_published"] = paper["published"].strip()
    abstract = _text(paper.get("abstract"))
    if abstract and not_an_abstract(abstract):
        extra["page_text"], abstract = abstract, None
    institution = paper.get("institution")
    build(parsed, excerpt, source=Source.DIGEST, url=arxiv_link or hf_url, rank=rank,
          title=collapse_whitespace(title), arxiv_id=aid.id if aid else None,
          arxiv_version=aid.version if aid else None,
          upvotes=likes,
          organization=institution.strip() if isinstance(institution, str) else None,
          abstract=collapse_whitespace(abstract) if abstract else None, listed_on=listed_on,
          extra=extra)


def parse(text: str, url: str) -> Parsed:
    """One observation per paper; ``crawled_at`` (naive, UTC) is the capture time."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        raise PageError(f"daily JSON: not JSON ({exc})", text[:300]) from None
    if not isinstance(data, dict):
        raise PageError("daily JSON: not a JSON object", text[:300])
    papers = data.get("papers")
    if not isinstance(papers, list):
        raise PageError(f"daily JSON: 'papers' is {type(papers).__name__}, not a list", text[:300])
    crawled_at = data.get("crawled_at") if isinstance(data.get("crawled_at"), str) else None
    parsed = Parsed(captured_at=parse_datetime(crawled_at), captured_naive=is_naive_time(crawled_at),
                    utc_sites=UTC_SITES)
    if parsed.captured_at is None:
        parsed.problems.append(Problem(f"daily JSON: crawled_at {data.get('crawled_at')!r} is not a time"))
    listed_on = parse_date(data["date"]) if isinstance(data.get("date"), str) else None
    total = data.get("total_papers")
    if total != len(papers):
        parsed.problems.append(Problem(f"daily JSON: total_papers is {total!r} but papers holds {len(papers)}"))
    for rank, paper in enumerate(papers, 1):
        _paper(parsed, rank, paper, listed_on)
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-daily-json", Source.DIGEST, sniff, parse)
