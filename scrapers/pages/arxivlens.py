"""ArxivLens paper page, as the text a browser shows (seed 001).

Known layout, top to bottom: ``ArxivLens``, ``ArXiv <category>``, the title, the authors
shown (a comma-separated line, often cut to the first eight), ``<id> Published <Mon D,
YYYY>``, a ``Publication`` block with ``Published:`` and ``Categories:``, ``Quick Answers``
(question / answer pairs), ``Abstract``, and ``Key Findings`` with a one-line synthesis and
numbered facets (``01`` Methodology ... ``07`` Future Work). No real HTML or API response
could be recorded; every assumption about the layout is in the constants below, so a real
page can correct them in one place.
"""

from __future__ import annotations

import re

from reconcile.ids import find_arxiv_ids
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from .base import Format, PageError, Parsed, build, parse_date
from .digests.item_fields import split_authors

SITE = "arxivlens.com"
BRAND = "ArxivLens"
ID_LINE = re.compile(r"^(\S+)\s+Published\s+(.+)$")
SECTION_QUICK = "Quick Answers"
SECTION_ABSTRACT = "Abstract"
SECTION_FINDINGS = "Key Findings"
SYNTHESIS = "one-line synthesis"
FACET = re.compile(r"^0(\d)$")
FACET_NAME = re.compile(r"^([A-Z][A-Za-z ]+?)(How|What|Why|Where)\b")
PAGE_END = ("Listen to Summary", "Paper Details", "How to Cite This Paper")


def sniff(text: str, url: str) -> bool:
    """The brand on the first line, or an ArxivLens URL."""
    return "arxivlens" in url.lower() or text.lstrip().startswith(BRAND)


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines()]


def _section(lines: list[str], name: str, stops: tuple[str, ...]) -> list[str]:
    try:
        start = lines.index(name) + 1
    except ValueError:
        return []
    out = []
    for ln in lines[start:]:
        if ln.startswith(stops):
            break
        out.append(ln)
    return out


def _findings(lines: list[str]) -> tuple[str | None, dict[str, list[str]]]:
    """The one-line synthesis and the numbered facets (name -> its sentences)."""
    synthesis, facets, current = None, {}, None
    i = 0
    while i < len(lines):
        line = lines[i]
        if SYNTHESIS in line:
            synthesis = next((x for x in lines[i + 1:] if x), None)
            i += 1
        elif FACET.match(line) and i + 1 < len(lines):
            name = FACET_NAME.match(lines[i + 1])
            current = name[1] if name else lines[i + 1]
            facets[current] = []
            i += 2
            continue
        elif current and line:
            facets[current].append(line.lstrip("• ").strip())
        i += 1
    return synthesis, facets


def parse(text: str, url: str) -> Parsed:
    """One observation: the paper the page is about."""
    lines = _lines(text)
    content = [ln for ln in lines if ln]
    id_index = next((i for i, ln in enumerate(content) if ID_LINE.match(ln)
                     and find_arxiv_ids(ID_LINE.match(ln)[1])), None)
    if id_index is None or id_index < 2:
        raise PageError("ArxivLens page: no '<arXiv id> Published <date>' line", text[:300])
    head = content[:id_index]
    category_line = next((ln for ln in head if ln.startswith("ArXiv ")), None)
    # Title and author line are the two lines right above the id line; a page without an
    # author line has the category line right above the title (no title, no authors then
    # would be read from the wrong lines).
    title, author_line = head[-2], head[-1]
    if head[-2].startswith("ArXiv ") or head[-2] == category_line:
        title, author_line = head[-1], ""
    id_match = ID_LINE.match(content[id_index])
    aid = find_arxiv_ids(id_match[1])[0]
    published = parse_date(id_match[2])
    categories = next((ln.removeprefix("Categories:").strip() for ln in content
                       if ln.startswith("Categories:") and ln != "Categories:"), None)
    abstract = _section(lines, SECTION_ABSTRACT, (SECTION_FINDINGS,) + PAGE_END)
    quick = _section(lines, SECTION_QUICK, ("Paper Preview", SECTION_ABSTRACT))
    answers = {}
    pending = None
    for ln in filter(None, quick):
        if ln.endswith("?"):
            pending = ln
        elif pending:
            answers[pending] = re.sub(r"\s*More in [^→]+→\s*$", "", ln)
            pending = None
    findings = _section(lines, next((ln for ln in lines if ln.startswith(SECTION_FINDINGS)), SECTION_FINDINGS),
                        PAGE_END)
    synthesis, facets = _findings(findings)
    parsed = Parsed(site=SITE)
    # The digests' author-line reader: a suffix ("Smith, Jr.") ends a name, and "+9 more" or
    # "et al." says the list is cut, and is no name.
    authors, cut = split_authors(author_line)
    build(parsed, text[:300], source=Source.ARXIVLENS, site=SITE, url=url if "arxivlens" in url else None,
          arxiv_id=aid.id, arxiv_version=aid.version, title=collapse_whitespace(title),
          authors=authors, published=published,
          abstract=collapse_whitespace(" ".join(abstract)) or None,
          summary=synthesis,
          extra={k: v for k, v in {
              "category": category_line.removeprefix("ArXiv ").strip() if category_line else None,
              "categories": categories.split() if categories else None,
              "authors_shown": len(authors),
              "authors_truncated": cut or None,
              "quick_answers": answers or None,
              "key_findings": facets or None,
          }.items() if v})
    return parsed


FORMAT = Format("arxivlens-page-text", Source.ARXIVLENS, sniff, parse)
