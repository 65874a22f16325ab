"""Jekyll daily-papers post (seed 004, blog lim4349): front matter, then a ranked list.

What the blog's generator writes (``_posts/DATE-daily-papers.md``, earlier
``DATE-daily-papers-<epoch>.md`` and ``DATE-daily-papers-summary.md``; all read the same)::

    ---
    title: Hugging Face Daily Papers - 2026-01-05      <- the day listed (``listed_on``)
    date: 2026-01-05 09:15:00 +0900                    <- publication time, not a capture time
    author: lim4349                                    <- the site
    ---
    총 **10개**의 논문이 수집되었습니다.                    <- the count it says it lists
    1. **Title, sometimes wrapped
      onto an indented second line** - 👍 86          <- rank, title, likes
       - 기관: Sea AI Lab                               <- institution, absent when empty
       - [HF 페이지](https://huggingface.co/papers/ID)
       - [논문 링크](https://arxiv.org/abs/ID)
       - Abstract: ...

Layout variants found in the blog's history (2025-11-02 .. 2026-02-05):

- items whose title wraps onto an indented line (the crawler kept arXiv's hard line breaks);
  the title is read across the wrap and its whitespace collapsed;
- items without a ``기관`` line (the crawler found no institution);
- the first "summary" post (2025-11-02) has no ``기관`` lines at all;
- ``Abstract:`` values that are the Hugging Face page's text (``Papers arxiv:ID Title
  Published on ... Upvote N ...``), sometimes wrapped over several lines (2025-11-02,
  2025-12-18, 2026-01-18). That is page furniture, not the paper's abstract: it goes to
  ``extra['page_text']`` and ``abstract`` stays empty;
- a post whose front matter ``date`` is a day after its title's day (2025-12-11):
  ``listed_on`` follows the title, ``published_at`` the front matter.

The ``👍`` number is the crawler's ``likes`` field, read from Hugging Face's paper counts, so
it is kept as upvotes; the list is ordered by it. A count that is not surely a whole number
as written (``1.2k``, a European ``1.024``, ``99+``) leaves ``upvotes`` empty and its text in
``extra['likes_text']`` (:func:`~scrapers.pages.base.first_int`); an item with no ``👍`` at
all is kept without upvotes. The item is never dropped for its count. The institution value
is copied as the crawler scraped it, page furniture included (``·438 authors2``): kept as
stated and judged by the reconciler, not here. A numbered bold line that is not an item of
this shape (``N. **Title** - ⭐ 5``) is reported as a problem, and so is a post whose stated
count (``총 **N개**``) disagrees with the items read, so an item shape this parser does not
know shows up instead of vanishing. Fails on a post with no ``N. **Title**`` item at all
(then nothing is read and the post is rejected).
"""

from __future__ import annotations

import logging
import re

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import (Format, PageError, Parsed, Problem, build, first_int, front_matter, parse_date,
                    parse_datetime, set_rank_basis)

log = logging.getLogger(__name__)

# ``N. **Title** - 👍 N``; the title may continue on indented lines that are not ``- `` fields.
# A continuation line's indent is taken whole (possessive ``[ \t]++``): otherwise each
# indented line could split its spaces between the indent and the text in two ways, and a
# post whose title never closes would be tried in 2^lines ways (a 734-byte post hung).
# The ``- 👍 N`` tail is optional and its value any text up to the line's end: the count is
# read apart (:func:`likes`), so an item whose count is "1.2k" is kept, not skipped.
_ITEM = re.compile(r"^(\d+)\.[ \t]+\*\*([^\n]+?(?:\n[ \t]++(?!-[ \t])[^\n]+?)*?)\*\*"
                   r"(?:[ \t]+-[ \t]+👍[ \t]*([^\n]*?))?[ \t]*$", re.MULTILINE)
# Where any numbered bold line starts: one that is not an item's start is an unknown shape.
_ITEM_START = re.compile(r"^\d+\.[ \t]+\*\*", re.MULTILINE)
_LINK = re.compile(r"\[([^\[\]]*)\]\((https?://[^)\s]+)\)")  # no "[" in a link text: linear
_FIELD_START = re.compile(r"^[ \t]*-[ \t]+(.*)$")
_FIELD = re.compile(r"([^:\[\]]{1,20}):[ \t]*(.*)", re.DOTALL)
_STATED_COUNT = re.compile(r"총\s*\*\*\s*(\d+)\s*개\s*\*\*")
_INSTITUTION_LABELS = ("기관", "Institution", "Organization")
# The Hugging Face paper page's own text, which early crawls stored instead of the abstract.
_PAGE_TEXT = re.compile(r"^Papers\s+arxiv:\s*\S+")
_PLACEHOLDERS = {"Join the discussion on this paper page"}


def sniff(text: str, url: str) -> bool:
    """Front matter plus ``N. **Title** - 👍 N`` items (at least one with its ``👍``: a numbered
    bold list alone is any Jekyll post's)."""
    return (text.lstrip("\ufeff").startswith("---")
            and any(m[3] is not None for m in _ITEM.finditer(text)))


def not_an_abstract(value: str | None) -> bool:
    """True for what the blog's crawler stored as an abstract when it did not find one: the
    Hugging Face page's header text (``Papers arxiv:ID ...``) or its discussion placeholder.

    Works because both are fixed page furniture; fails (keeps it as an abstract) if Hugging
    Face changes those words.
    """
    value = collapse_whitespace(value or "")
    return bool(_PAGE_TEXT.match(value)) or value in _PLACEHOLDERS


def item_fields(block: str) -> dict[str, str]:
    """The ``- Label: value`` lines of one item, each with its indented continuation lines
    (whitespace collapsed). Link lines have no label and are left to :data:`_LINK`."""
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in block.splitlines():
        start = _FIELD_START.match(line)
        if start:
            m = _FIELD.fullmatch(start[1])
            current = None
            if m and m[1].strip() not in fields:
                current = fields[m[1].strip()] = [m[2]]
        elif not line.strip():
            current = None
        elif current is not None:
            current.append(line)
    return {key: collapse_whitespace(" ".join(parts)) for key, parts in fields.items()}


def likes(value: str | None) -> tuple[int | None, dict[str, str]]:
    """The ``👍`` count as upvotes, and ``extra`` keeping its text when it is no exact count.

    "1,536" is 1536; "1.2k", "1.024" (a European thousands separator, or a decimal) and "99+"
    state no exact count, so upvotes stay empty rather than guessed, and the text is kept
    (``likes_text``) so the reader of the row sees what the post said.
    """
    value = (value or "").strip()
    count = first_int(value)
    return count, ({"likes_text": value} if value and count is None else {})


def unread_items(body: str, items: list[re.Match]) -> list[Problem]:
    """A problem for every numbered bold line that starts no item read: an item whose title
    never closes or whose ``**Title**`` is followed by something other than ``- 👍 N``
    would otherwise vanish without a word."""
    starts = {m.start() for m in items}
    return [Problem("daily-papers post: a numbered line is not a 'N. **Title** - 👍 N' item; "
                    "not read", body[line.start():].split("\n", 1)[0][:300])
            for line in _ITEM_START.finditer(body) if line.start() not in starts]


def _institution(block: str) -> str | None:
    """The institution line's value exactly as stated (only its ends stripped)."""
    for line in block.splitlines():
        start = _FIELD_START.match(line)
        m = _FIELD.fullmatch(start[1]) if start else None
        if m and m[1].strip() in _INSTITUTION_LABELS:
            return m[2].strip()
    return None


def parse(text: str, url: str) -> Parsed:
    """One observation per numbered item; the post date is a publication time."""
    meta, body = front_matter(text)
    items = list(_ITEM.finditer(body))
    if not items:
        raise PageError("daily-papers post: no 'N. **Title** - 👍 N' items", body[:300])
    parsed = Parsed(site=meta.get("author") or None, published_at=parse_datetime(meta.get("date")))
    listed_on = parse_date(meta.get("title")) or parse_date(meta.get("date"))
    for m in items:
        # An item ends where the next numbered line starts, read or not: the lines of an item
        # this parser cannot read are not the one above's (its links would lend it an id).
        end = _ITEM_START.search(body, m.end())
        block = body[m.end(): end.start() if end else len(body)]
        fields = item_fields(block)
        links = [u for _, u in _LINK.findall(block)]
        arxiv_link = next((u for u in links if "arxiv.org" in u), None)
        hf_link = next((u for u in links if "huggingface.co" in u), None)
        # The arXiv link first: it is the one that can carry a version.
        aid = next((a for a in map(parse_arxiv_id, [arxiv_link, hf_link, *links]) if a), None)
        upvotes, extra = likes(m[3])
        if hf_link and arxiv_link:
            extra["hf_url"] = hf_link
        abstract = fields.get("Abstract")
        if abstract and not_an_abstract(abstract):
            extra["page_text"], abstract = abstract, None
        build(parsed, m[0] + block, source=Source.DIGEST, url=arxiv_link or hf_link,
              rank=int(m[1]), title=collapse_whitespace(m[2]), upvotes=upvotes,
              arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              organization=_institution(block), abstract=abstract or None, listed_on=listed_on,
              extra=extra)
    parsed.problems.extend(unread_items(body, items))
    stated = _STATED_COUNT.search(body[: items[0].start()])
    if stated and int(stated[1]) != len(items):
        parsed.problems.append(Problem(
            f"daily-papers post says {stated[1]} papers but {len(items)} items were read", stated[0]))
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-jekyll-daily", Source.DIGEST, sniff, parse)
