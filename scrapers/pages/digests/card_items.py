"""Observations from the cards :mod:`.cards` found: one per card, and a citation for every
other paper the page names.

Each card's fields come from the markup first, then from the card's text read the way the
Markdown reader reads an item (:mod:`.item_fields`):

- title: an element whose class names a title (``paper-card-title-en`` before
  ``paper-card-title``), the text of the link to the paper, the cell of a column headed
  ``Title``/``题目``, a heading inside the card, a ``Title:`` label, the card's first bold
  text. A candidate in another script than the Latin one is a translation: it is kept as
  ``extra['title_translated']``, never as the title.
- rank: the number an ``<ol>`` shows on the item (its ``start``, ``reversed`` and ``<li
  value>``, as a browser numbers them), a cell under a ``#``/``Rank``
  column, or a number the card's text opens with. Cards in a ``<div>`` or ``<ul>`` are not
  ranked: their order may be by date or category.
- counts: labelled markers in the card's text ("143 upvotes", "👍 12", "8 comments"), a
  ``data-upvotes`` attribute (the count's own name only), or a cell under an ``Upvotes``
  column (cells laid out as drawn, ``colspan``/``rowspan`` included). An arrow or a
  bare number (``▲ 3``) is not a label: left empty.
- authors: an element whose class names authors, or an ``Authors:`` label; a list cut with
  ``et al.`` is marked ``extra['authors_truncated']``.

When it fails: a card whose only English text is its summary gets no title; a site that
shows comment counts under an upvote label is read as it says (``sites.toml`` can say
otherwise for that site).
"""

from __future__ import annotations

import logging
import re

import lxml.html
from cssselect import SelectorError
from lxml import etree

from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Parsed, build, first_int, record_read
from .cards import Card, CardReading, Ref, is_english_class
from .item_fields import (AUTHOR_LABELS, COUNT_HEADERS, MD_LINK, ORG_LABELS, RANK, RANK_HEADERS, TITLE_HEADERS,
                          TITLE_LABELS, clean, counts, header_labels, label_fields, not_the_days_list, rank_number, split_authors)
from .markup import html_to_markdown, list_numbers
from .post_days import DATE_HEADERS, days_under_headings, own_day

log = logging.getLogger(__name__)

READER = "digest-generic"
# A count attribute names the count and nothing else: "data-upvotes", "data-vote-count",
# "data-num-comments". A longer name says whose or which count it is ("data-prev-upvotes",
# "data-tweet-likes", "data-upvotes-yesterday"): another count than this paper's now.
_COUNT_ATTRIBUTE = re.compile(r"^data-(?:num[-_]?)?(upvotes?|votes?|likes?|comments?)(?:[-_]?count)?$", re.I)
# How a card's id was read, as a read rule (a link to the paper needs no note).
_ID_RULES = {"href": None, "href:dotless": "inferred:id without its dot in a link", "text": "document:id as text"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SITE_META = re.compile(r"<meta\s[^>]{0,200}?property=[\"']og:site_name[\"'][^>]{0,200}?content=[\"']([^\"']{1,80})",
                        re.I)
_CANONICAL = re.compile(r"<link\s[^>]{0,200}?rel=[\"']canonical[\"'][^>]{0,200}?href=[\"']https?://([^/\"']{1,100})",
                        re.I)


def self_name(meta: dict[str, str], body: str) -> str | None:
    """The name a page gives itself: ``og:site_name``, the host of its canonical link, or a
    ``site`` key of its front matter. None when it states none (the caller then names the
    site from ``--site`` or where the file came from)."""
    for key in ("site", "site_name"):
        if meta.get(key):
            return meta[key]
    head = body[:20000]
    if m := _SITE_META.search(head):
        return collapse_whitespace(m[1])
    if m := _CANONICAL.search(head):
        return m[1].lower()
    return None


def _text(el: etree._Element) -> str:
    return collapse_whitespace(el.text_content() or "")


def _cell_title(cell: etree._Element) -> str:
    """The title a table's title cell gives: the bold words that open it when more follow
    ("<b>Title</b><br><i>Authors</i>", as the Markdown reader reads "**Title** *Authors*"),
    else its text."""
    whole = _text(cell)
    first = next((k for k in cell if isinstance(k.tag, str)), None)
    if first is None or first.tag not in ("b", "strong") or (cell.text or "").strip():
        return whole
    bold = _text(first)
    return bold if bold and whole.startswith(bold) and whole[len(bold):].strip() else whole


def _markdown(el: etree._Element) -> list[str]:
    """The card as Markdown lines; a table row as one line of cells."""
    if el.tag == "tr":
        cells = [html_to_markdown(lxml.html.tostring(td, encoding="unicode")).strip().replace("\n", " ")
                 for td in el if isinstance(td.tag, str)]
        return [" | ".join(cells)]
    return [ln for ln in html_to_markdown(lxml.html.tostring(el, encoding="unicode")).splitlines()]


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (not those of tables nested in its cells), in order."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _span(cell: etree._Element, name: str) -> int:
    value = (cell.get(name) or "").strip()
    return min(int(value), 1000) if value.isdigit() and int(value) >= 1 else 1


def _grid(table: etree._Element) -> dict[etree._Element, list[tuple[etree._Element | None, bool]]]:
    """Each row's slots, one per column of the table as drawn: the cell that covers the
    slot, and whether that cell is this row's own one-by-one cell.

    Why: ``colspan``/``rowspan`` shift every later cell of a row, so matching a row's
    cells to the header's by position pairs the ``Upvotes`` header with the comments
    column. Laying the cells out as a browser does (a cell takes the first free slots of
    its row; a ``rowspan`` keeps slots of the rows below) puts each cell under its header.
    When it fails: ``rowspan="0"`` (to the end of the group) is read as 1.
    """
    grid: dict[etree._Element, list[tuple[etree._Element | None, bool]]] = {}
    taken: dict[tuple[int, int], tuple[etree._Element, bool]] = {}
    width: dict[int, int] = {}
    for r, tr in enumerate(_rows(table)):
        col = 0
        for cell in (c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")):
            while (r, col) in taken:
                col += 1
            wide, tall = _span(cell, "colspan"), _span(cell, "rowspan")
            for dr in range(tall):
                for dc in range(wide):
                    taken[(r + dr, col + dc)] = (cell, dr == 0 and wide == 1 and tall == 1)
                width[r + dr] = max(width.get(r + dr, 0), col + wide)
            col += wide
        grid[tr] = [taken.pop((r, c), (None, False)) for c in range(width.pop(r, 0))]
    return grid


def _bold_labels(tr: etree._Element) -> bool:
    """Whether every cell of a table's row is bold and nothing else, or its words are a
    header's (:func:`.item_fields.header_labels`): the header row of a table written
    without ``<th>`` (Feishu, Lark, Yuque: ``<td><b>arXiv</b></td>``; a blog editor's
    "순위 | 추천 | 제목"), as :func:`.markup.html_to_markdown` reads it too."""
    cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
    return bool(cells) and (all((b := next(c.iter("b", "strong"), None)) is not None and _text(b)
                                and _text(b) == _text(c) for c in cells) or header_labels([_text(c) for c in cells]))


def _layout(row: etree._Element, grids: dict) -> tuple[list[str], list[etree._Element | None]]:
    """A table row's columns and cells, as drawn (see :func:`_grid`; ``grids`` keeps each
    table's grid for the next row of the same table).

    Columns: the lower-cased header text over each column ([] when the table has no header
    row). A header cell that spans several columns heads none of them ("Paper" over a
    number and a title names neither alone); one that spans rows heads its column.
    Cells: the row's cell in each column, None where that cell spans other rows or
    columns: a merged cell (a day over two rows, a note across columns) labels a group of
    cells, it is not a value of this row's field.
    """
    table = next(row.iterancestors("table"), None)
    if table is None:
        return [], [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
    if table not in grids:
        grid = _grid(table)
        header = next((tr for tr in grid if any(c.tag == "th" for c in tr)), None)
        if header is None and grid and _bold_labels(first := next(iter(grid))):
            header = first
        columns = [_text(cell).lower() if cell is not None and _span(cell, "colspan") == 1 else ""
                   for cell, _ in grid[header]] if header is not None else []
        grids[table] = (grid, columns)
    grid, columns = grids[table]
    return columns, [cell if own else None for cell, own in grid.get(row, [])]


def _section(el: etree._Element) -> str | None:
    """The text of the nearest heading before the card."""
    for node in (el, *el.iterancestors()):
        for sib in node.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                continue
            if sib.tag in _HEADINGS:
                return clean(_text(sib)) or None
            inner = [h for h in sib.iter(*_HEADINGS)]
            if inner:
                return clean(_text(inner[-1])) or None
    return None


def _heading_chains(cards: list[Card]) -> list[list[tuple[int, str]]]:
    """The headings each card sits under, nearest first, as (place in the page, text): of
    the headings before it in the page, the nearest, then each of a higher level than the
    one before (``<h2>Tuesday, September 29, 2026</h2><ol>...`` over its cards; an ``<h1>``
    over both days)."""
    if not cards:
        return []
    root = cards[0].element.getroottree().getroot()
    order, headings = {}, []
    for i, x in enumerate(root.iter()):
        order[x] = i
        if isinstance(x.tag, str) and x.tag in _HEADINGS:
            headings.append((i, int(x.tag[1]), clean(_text(x))))
    chains = []
    for card in cards:
        at, level, chain = order.get(card.element, 0), 7, []
        for i, lvl, text in reversed(headings):
            if i < at and lvl < level and text:
                chain.append((i, text))
                level = lvl
        chains.append(chain)
    return chains


def _classed(el: etree._Element, word: str) -> list[etree._Element]:
    """Descendants whose class names ``word`` (``paper-card-title``), excluding ``sub<word>``."""
    found = []
    for x in el.iter():
        classes = (x.get("class") or "").lower() if isinstance(x.tag, str) else ""
        if word in classes and f"sub{word}" not in classes:
            found.append(x)
    return found


def _rank(card: Card, first_line: str, columns: list[str], cells: list) -> tuple[int | None, str | None]:
    el = card.element
    parent = el.getparent()
    if el.tag == "li" and parent is not None and parent.tag == "ol":
        items = [c for c in parent if c.tag == "li"]
        numbers = list_numbers(parent.get("start"), parent.get("reversed") is not None,
                               [li.get("value") for li in items])
        number = numbers[items.index(el)]
        return (number, "numbering") if number >= 1 else (None, None)
    if el.tag == "tr":
        for header, cell in zip(columns, cells):
            if cell is not None and header in RANK_HEADERS and _text(cell).isdigit() and int(_text(cell)) >= 1:
                return int(_text(cell)), f"column:{header}"
        return None, None
    m = RANK.match(first_line)
    return (rank_number(m), "numbering") if m and rank_number(m) >= 1 else (None, None)


def _counts(card: Card, text: str, columns: list[str], cells: list) -> tuple[dict, dict]:
    """Labelled counts from the card's text, its attributes and its columns; a field two of
    them state differently is ambiguous and left empty."""
    found, rules = counts(text)
    stated: dict[str, set[int]] = {k: {v} for k, v in found.items()}
    for x in card.element.iter():
        for name, value in (x.attrib.items() if isinstance(x.tag, str) else ()):
            if (m := _COUNT_ATTRIBUTE.match(name)) and value.strip().isdigit():
                target = "comments" if m[1].lower().startswith("comment") else "upvotes"
                stated.setdefault(target, set()).add(int(value))
                rules.setdefault(target, f"attribute:{name}")
    if card.element.tag == "tr":
        for header, cell in zip(columns, cells):
            value = _text(cell).replace(",", "") if cell is not None else ""
            if header in COUNT_HEADERS and value.isdigit():
                stated.setdefault(COUNT_HEADERS[header], set()).add(int(value))
                rules.setdefault(COUNT_HEADERS[header], f"column:{header}")
    out = {k: next(iter(v)) for k, v in stated.items() if len(v) == 1}
    return out, {k: rules[k] for k in out}


def _title_candidates(card: Card, ref: Ref, lines: list[str], columns: list[str], cells: list) -> list:
    el = card.element
    titled = sorted(_classed(el, "title"), key=lambda x: not is_english_class(x))
    candidates: list[tuple[str | None, str]] = [(_text(x), "attribute:class") for x in titled]
    if ref.label and ref.rule.startswith("href"):
        candidates.append((ref.label, "link_text"))
    if el.tag == "tr":
        candidates += [(_cell_title(cell), f"column:{header}") for header, cell in zip(columns, cells)
                       if cell is not None and header in TITLE_HEADERS]
    candidates += [(_text(h), "heading") for h in el.iter(*_HEADINGS)]
    fields = label_fields(lines)
    from .post_titles import labelled_title, lead_titles  # the same rules as the Markdown reader
    candidates += [(labelled_title(fields[k]), f"label:{k}") for k in fields if k in TITLE_LABELS]
    candidates += lead_titles(lines[0] if lines else "", heading=False)
    return candidates


def _configured(card: Card, site) -> dict[str, tuple[str, str]]:
    """The text of each field the site's ``fields`` selectors name in this card, with its
    read rule; a selector that matches nothing gives nothing."""
    out = {}
    for name, selector in (site.fields.items() if site is not None else ()):
        try:
            found = card.element.cssselect(selector)
        except (SelectorError, etree.XPathError):  # validated as CSS; some still fail on a page
            continue
        if found:
            out[name] = (_text(found[0]), f"site:{site.name} {name} selector")
    return out


def observations(parsed: Parsed, reading: CardReading, day, day_rule: str | None, site=None) -> None:
    """Append one observation per card and one citation per other paper to ``parsed``.
    ``site`` (a :class:`scrapers.sites.Site`) may name fields by CSS selector: those win."""
    from .generic import cite
    from .post_titles import pick_title
    seen: set[str] = set()
    grids: dict = {}  # each table's grid, laid out once
    # A page of two days ("<h2>Tuesday, September 29</h2>" over one list, "Wednesday" over
    # the next) gives each card its own heading's day, as the Markdown reader does.
    chains = _heading_chains(reading.cards)
    days = days_under_headings(chains, day, day_rule)
    # A card whose nearest heading says its list is not the day's ("<h2>Previously
    # covered</h2>" over an <ol>) is cited, as the Markdown reader does with an item's
    # heading; unless every card's does: the heading then names the page, not one list.
    # (The page's first heading is its title, "this week's top five", not a list's.)
    first = min((chain[-1][0] for chain in chains if chain), default=None)
    elsewhere = [bool(chain) and chain[0][0] != first and not_the_days_list(chain[0][1]) for chain in chains]
    if all(elsewhere):
        elsewhere = [False] * len(elsewhere)
    for card, other_list, (day, day_rule) in zip(reading.cards, elsewhere, days):
        ref = card.refs[0]
        lines = [ln for ln in _markdown(card.element) if ln.strip()]
        text = "\n".join(lines)
        lead = next((text[max(0, text.rfind("\n", 0, m.start()) + 1):m.start()] for m in MD_LINK.finditer(text)
                     if ref.url and m[3] == ref.url), "")
        if not_the_days_list(lead) or other_list:
            # "Previous edition's top paper: [Title](...)": a card of the list's shape whose
            # own words before its link say its paper is another day's. Cited, with no day,
            # rank or counts (the link's own text, a title, is not read for those words).
            for other in card.refs:
                if other.aid.id not in seen:
                    seen.add(other.aid.id)
                    cite(parsed, other.aid, other.url, other.label, READER)
            continue
        columns, cells = _layout(card.element, grids) if card.element.tag == "tr" else ([], [])
        configured = _configured(card, site)
        title, title_rule, translated = pick_title(
            ([configured["title"]] if "title" in configured else [])
            + _title_candidates(card, ref, lines, columns, cells))
        rank, rank_rule = _rank(card, lines[0] if lines else "", columns, cells)
        found, count_rules = _counts(card, text, columns, cells)
        for name in ("rank", "upvotes", "comments"):
            if name in configured:
                value = first_int(configured[name][0])
                if name == "rank":
                    rank, rank_rule = (value, configured[name][1]) if value else (None, None)
                else:
                    found.pop(name, None)
                    count_rules.pop(name, None)
                    if value is not None:
                        found[name], count_rules[name] = value, configured[name][1]
        fields = label_fields(lines)
        author_el = next(iter(_classed(card.element, "author")), None)
        author_key = next((k for k in fields if k in AUTHOR_LABELS), None)
        # An "Authors" column of names (not of how many there are), as the Markdown reader reads it.
        author_cell = next((cell for header, cell in zip(columns, cells) if cell is not None
                            and header in AUTHOR_LABELS and re.search(r"[^\W\d_]", _text(cell))), None)
        authors, partial = split_authors(configured["authors"][0] if "authors" in configured else
                                         _text(author_el) if author_el is not None else
                                         _text(author_cell) if author_cell is not None else fields.get(author_key))
        org_key = next((k for k in fields if k in ORG_LABELS), None)
        summary_el = next((x for w in ("summary", "abstract", "tldr") for x in _classed(card.element, w)), None)
        stated = next((_text(cell) for header, cell in zip(columns, cells)
                       if cell is not None and header in DATE_HEADERS), None)
        # A row dated otherwise, a card saying it came "from the Oct 8 list": not this day's.
        day, day_rule, extra = own_day(day, day_rule, text, stated)
        if section := _section(card.element):
            extra["section"] = section
        if translated:
            extra["title_translated"] = translated
        if partial:
            extra["authors_truncated"] = True
        if "extra.stars" in found:
            extra["stars"] = found["extra.stars"]
        hf = next((r.url for r in card.refs if r.aid.id == ref.aid.id and r.url and "arxiv.org" not in r.url), None)
        url = ref.url or f"https://arxiv.org/abs/{ref.aid.id}"
        if hf and hf != url:
            extra["hf_url"] = hf
        seen.add(ref.aid.id)
        build(parsed, text, source=Source.DIGEST, url=url, arxiv_id=ref.aid.id, arxiv_version=ref.aid.version,
              listed_on=day, title=title, rank=rank, upvotes=found.get("upvotes"), comments=found.get("comments"),
              authors=authors, organization=collapse_whitespace(fields[org_key]) if org_key else None,
              summary=_text(summary_el) if summary_el is not None else None,
              extra=record_read(extra, READER, arxiv_id=_ID_RULES.get(ref.rule, ref.rule), title=title_rule,
                                rank=rank_rule, upvotes=count_rules.get("upvotes"),
                                comments=count_rules.get("comments"),
                                authors=(configured["authors"][1] if "authors" in configured else
                                         "attribute:class" if author_el is not None else
                                         "column:authors" if author_cell is not None else f"label:{author_key}")
                                if authors else None, listed_on=day_rule if day else None))
        for other in card.refs[1:]:
            if other.aid.id not in seen:
                seen.add(other.aid.id)
                cite(parsed, other.aid, other.url, other.label, READER, cited_in=ref.aid.id)
    for ref in reading.citations:
        if ref.aid.id not in seen:
            seen.add(ref.aid.id)
            cite(parsed, ref.aid, ref.url, ref.label, READER)


__all__ = ["observations", "self_name"]
