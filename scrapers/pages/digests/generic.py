"""Generic digest: the last resort for a digest post that no specific parser describes.

It reads any Markdown (or HTML, through :mod:`.markup`) that links to papers on arXiv or
Hugging Face, and relies only on what such posts share:

- Items are the sections of one kind: headings of one level, top-level numbered list
  items (``1.``, ``2)``, ``**3. Title**``), ``Paper N`` lines, or table rows. The kind is
  chosen per document: the one whose sections hold the most paper links, then the one
  whose sections are most often linked (a heading per paper beats the numbered points
  inside it), then the one whose leads hold the links (a lone item beats its heading).
- A section's paper is the first paper link of its lead, else of its body; other papers
  linked in the same section, and links outside any item, are kept as their own
  observations (``extra['cited_in']`` names the item they were found in). Ids come from
  links only, so none is invented; each paper is observed once per document.
- The title is the first of: the paper link's text when it is not a generic word
  (``[arXiv]``, ``[PDF]``, ``[논문 링크]``), a title label (``原文标题：``, ``Title:``), the
  first bold text of the lead, the lead itself without number, markers and trailing prose
  (cut at a double space, as tables do), or another link's text.
- Counts come from the markers in :data:`COUNT_MARKERS`; ``⭐`` counts as upvotes only when
  labelled so on its line, since stars are usually GitHub stars.
- Sections under one heading are a list of papers when at least half of them link one.
  In such a list a section without a paper link is a *mention*: its title is None and
  ``extra['mentioned_as']`` is the name its lead, else its text, is about
  (:func:`.newsletter.mentioned_name`); ``extra['heading']`` keeps the lead's words.
- ``listed_on`` is a date in the first heading, else in the front matter (title, then
  date), else the one date in the URL's file name; but where the items sit under headings
  that name two or more days (a weekly recap), each item's is its own heading's day, or
  none.

When it fails: posts that put each paper in a bare paragraph get no rank and titles only
from link texts; a post ranking several lists (weekly sections) repeats ranks, each with
its ``extra['section']``; titles cut at the wrong place when a table puts title and prose in
one cell without a double space; a mention's name is a guess.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from reconcile.ids import ArxivId, parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import (Format, Parsed, PageError, build, calendar_day, front_matter, is_naive_time, parse_date, parse_datetime,
                    record_read, set_rank_basis)
from . import card_items
from .cards import read_cards
from .item_fields import (AUTHOR_LABELS, BOLD, COUNT_HEADERS, COUNT_MARKERS, LABEL, MD_LINK, META_LABELS,
                          ORG_LABELS, EMPHASIS, RANK, RANK_HEADERS, SKIP_LABELS, TITLE_HEADERS, TITLE_LABELS, clean, counts, is_generic_label, is_latin, label_fields, looks_like_file,
                          split_authors, without_id)
from .markup import html_to_markdown, inline_html_to_markdown, looks_like_html
from .newsletter import mentioned_name

log = logging.getLogger(__name__)

_PAPER_URL = re.compile(r"https?://(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf|html)|(?:huggingface|hf)\.co/papers"
                        r"|alphaxiv\.org/(?:abs|overview))"
                        r"/[^\s)\]<>\"'|]+", re.I)
_ID_ATTRIBUTE = re.compile(r"\bdata-[\w-]{1,40}\s*=\s*[\"'](?:arxiv:)?\d{4}\.\d{4,5}(?:v\d{1,3})?[\"']", re.I)
_MD_LINK = MD_LINK
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^ {0,3}(?:\*\*|__)?(\d{1,3})[.)]\s+\S")
_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PAPER_N = re.compile(r"^\s*(?:Paper|Item|Article|论文|논문)\s*#?\s*(\d{1,3})\s*[:.]?\s*$", re.I)
_ROW_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
_BULLET = re.compile(r"^ ?[-*+]\s+\S")
_RULE_LINE = re.compile(r"^ ?(?:[-*_]\s*){3,}$")
_RANK = RANK
_BOLD = BOLD
_LABEL = LABEL
_DATE_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# A line that states when the list was made: "Last update: 2026-02-13", "更新日期：...".
_DATE_LINE = re.compile(r"^\W{0,6}(?:(last\s+update[d]?|updated(?:\s+on)?|更新(?:日期|时间)?)|date|日期"
                        r"|published(?:\s+on)?|posted(?:\s+on)?|listed(?:\s+on)?)\s*[:：]\s*(.{6,40})$", re.I)
# Words of a heading that names a span of days, not the day of a list: "Top papers since
# 2026-06-08", "Weekly recap (2026-06-22 to 2026-06-26)", "Last week's papers".
# ("Heron Weekly", "the weekly pick" name a publication, not a span.)
_SPAN_WORDS = re.compile(r"\b(?:since|until|through|thru|(?:this|past|of\s+the)\s+(?:week|month)|week\s+of"
                         r"|week(?:'s|’s)|month(?:'s|’s)|recap|yesterday(?:'s|’s)?|last|past\s+\d+\s+days)\b", re.I)
# Every way a heading may name a day, to count them: ISO, month names, CJK, and numeric
# forms whose order of day and month cannot be told (03/04/2026, 04.03.2026).
_ANY_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
                       r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
                       r"|\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", re.I)
# Where a lead's title ends and its prose begins: a double space (tables), a dash or pipe
# between spaces, or a sentence opening the way English summaries open.
_PROSE_START = re.compile(r"\s{2,}| — | \| |\s(?=(?:This (?:paper|work|study|report)|Introduces|Proposes"
                          r"|Presents|Investigates|Explores|Shows)\b)")
_FENCE = re.compile(r"^\s*(```|~~~)")
# Words right before a link that make its paper the one an item builds on, not the item.
_BUILDS_ON = re.compile(r"(?:extension\s+of|extends|extending|build(?:s|ing)?\s+on|built\s+on|based\s+on"
                        r"|follow[- ]?up\s+(?:to|of|on)|successor\s+(?:to|of)|compared?\s+(?:to|with)|versus|vs\.?"
                        r"|unlike|improv(?:es|ing)\s+on|revisit(?:s|ing)|see\s+also|cf\.)\s*[:：]?\s*\[?$", re.I)
# Headings over lists that are not the day's: other posts' or other days' papers.
_NOT_THE_DAYS = re.compile(
    r"\b(?:related|previously|see\s+also|further\s+reading|reading\s+list|references|archives?|earlier"
    r"|last\s+(?:week|month|issue|time)|yesterday|past\s+(?:issues?|picks|papers)|prior\s+work|background"
    r"|in\s+case\s+you\s+missed|older)\b|往期|相关|参考|이전|관련|関連|過去", re.I)
_TITLE_LABELS, _AUTHOR_LABELS, _ORG_LABELS = TITLE_LABELS, AUTHOR_LABELS, ORG_LABELS
_SKIP_LABELS, _META_LABELS = SKIP_LABELS, META_LABELS
_generic, _clean, _fields = is_generic_label, clean, label_fields
READER = "digest-generic"


@dataclass
class _Section:
    kind: tuple                 # ("h", level), ("n",) numbered, ("b",) bullet, ("p",) "Paper N", ("row",)
    start: int                  # line index of the section's first line
    end: int = 0                # line index after its last line
    lead: str = ""              # heading text, numbered item's first paragraph, row's first cell
    rank: int | None = None
    parent: str | None = None   # the heading above it
    links: list = field(default_factory=list)  # [(ArxivId, url, text)] in order
    columns: list = field(default_factory=list)  # a table row's column headers, lower case


def paper_links(text: str) -> list[tuple[ArxivId, str, str | None]]:
    """Every arXiv / Hugging Face paper link in ``text``: (id, url, link text or None for a
    bare URL), in order. Images and thumbnail hosts are not paper links."""
    found, taken = [], []
    for m in _MD_LINK.finditer(text):
        taken.append(m.span())
        aid = parse_arxiv_id(m[3])
        if aid and not m[1]:
            found.append((m.start(), aid, m[3], m[2]))
    starts = [a for a, _ in taken]
    for m in _PAPER_URL.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and taken[i][0] <= m.start() < taken[i][1]:
            continue  # inside a Markdown link already read
        aid = parse_arxiv_id(m[0].rstrip(".,;"))
        if aid:
            found.append((m.start(), aid, m[0].rstrip(".,;"), None))
    return [(aid, url, label) for _, aid, url, label in sorted(found, key=lambda f: f[0])]


def has_paper_link(text: str) -> bool:
    """True when ``text`` holds at least one arXiv or Hugging Face paper URL."""
    return any(parse_arxiv_id(m[0].rstrip(".,;")) for m in _PAPER_URL.finditer(text))


def sniff(text: str, url: str) -> bool:
    """Markdown or HTML (not JSON, XML or a feed) with at least one paper link, or an id in
    a ``data-*`` attribute, from anywhere but the sources' own sites."""
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("{", "[", "<?xml", "<rss", "<feed", "<rdf")):
        return False
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(("arxiv.org", "huggingface.co", "arxivlens.com")):
        return False
    return has_paper_link(text) or _ID_ATTRIBUTE.search(text) is not None


_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“", "‘": "’", "「": "」"}


def _tidy(text: str) -> str:
    """A title without the post's markup around or inside it: emphasis ("*Diffusion* Models
    Can **Plan**"), emoji before or after it ("🔥 ..."), and quotes around the whole of it
    (“Do Transformers Dream?”). None of these is part of the title arXiv lists."""
    text = EMPHASIS.sub(r"\1", re.sub(r"\*\*|__", "", text))
    while text and (unicodedata.category(text[0]) in ("So", "Cf") or text[0] in "\ufe0f "):
        text = text[1:]
    while text and (unicodedata.category(text[-1]) in ("So", "Cf") or text[-1] in "\ufe0f "):
        text = text[:-1]
    if len(text) > 2 and _QUOTES.get(text[0]) == text[-1] and text.count(text[-1]) == 1 + (text[0] == text[-1]):
        text = text[1:-1].strip()
    return text


def pick_title(candidates: list[tuple[str | None, str]]) -> tuple[str | None, str | None, str | None]:
    """The first candidate that reads as a paper title, its rule, and the first candidate
    in another script (a translation, kept apart: it is not the paper's title).

    ``candidates`` are (text, rule) in order of trust. A text that names a link
    (``arXiv``, ``Previous``) or is too short or too long to be a title is skipped.
    """
    translated = None
    for text, rule in candidates:
        text = _tidy(without_id(collapse_whitespace(text or "").strip()))
        if not (2 <= len(text) <= 400) or is_generic_label(text) or looks_like_file(text):
            continue
        if not is_latin(text):
            translated = translated or text
            continue
        return text, rule, translated
    return None, None, translated


def _lead_titles(lead: str, heading: bool) -> list[tuple[str | None, str]]:
    """Title candidates of a section's lead: its first bold text, then the lead itself
    without number, markers and trailing prose (cut at a double space, as tables do)."""
    found: list[tuple[str | None, str]] = []
    for m in _BOLD.finditer(lead):
        bold = _clean(_RANK.sub("", m[1] or m[2]))
        if bold and not bold.endswith((":", "：")):
            found.append((bold, "inferred:bold"))
            break
    text = _clean(_PROSE_START.split(_RANK.sub("", lead).strip(), maxsplit=1)[0])
    if len(text) <= 300:
        found.append((text, "heading" if heading else "inferred:lead"))
    return found


def _title_from_lead(lead: str) -> tuple[str | None, str | None]:
    """The title a section's lead gives, and how it was read (kept for mentions)."""
    title, rule, _ = pick_title(_lead_titles(lead, heading=False))
    return title, rule


def _next_line_title(rest: list[str]) -> str | None:
    """The line after a lead that names nothing (``Paper 3``, ``### 3.``) when it reads
    like a title: short, and not a metadata label, a list item, a link or a URL."""
    line = next((ln.strip() for ln in rest if ln.strip()), "")
    label = _LABEL.match(line)
    if not line or (label and label[1].strip().lower() in _META_LABELS) or "](" in line or "://" in line \
            or re.match(r"^(?:[-*+]\s|\d{1,3}[.)]\s|#|\|)", line):
        return None
    text = _clean(line)
    return text if 2 <= len(text) <= 200 and not _generic(text) else None


def _sections(lines: list[str]) -> list[_Section]:
    """Every heading, top-level numbered item and table row, with its lead text."""
    found: list[_Section] = []
    in_code, columns = False, []
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        if m := _HEADING.match(line):
            found.append(_Section(("h", len(m[1])), i, lead=m[2]))
        elif m := _PAPER_N.match(line):
            found.append(_Section(("p",), i, lead=line.strip(), rank=int(m[1])))
        elif _NUMBERED.match(line) or (_BULLET.match(line) and not _RULE_LINE.match(line)):
            lead = [line]
            for nxt in lines[i + 1:]:
                if not nxt.strip() or re.match(r"^\s*(?:[-*+]\s|\d{1,3}[.)]\s|#|\||!\[)", nxt):
                    break
                lead.append(nxt)
            found.append(_Section(("n",) if _NUMBERED.match(line) else ("b",), i, lead="\n".join(lead)))
        elif (m := _ROW.match(line)) and not _ROW_RULE.match(line):
            if i + 1 < len(lines) and _ROW_RULE.match(lines[i + 1]):
                columns = [_clean(c).lower() for c in _cells(line)]
                continue  # a header row
            found.append(_Section(("row",), i, lead=_cells(line)[0], columns=columns))
    for s in found:
        r = _RANK.match(s.lead)
        if s.rank is None and r and int(r[1] or r[2]) >= 1:
            s.rank = int(r[1] or r[2])
    return found


def _cells(row: str) -> list[str]:
    """The cells of a pipe-table row, without the outer pipes; ``\\|`` is a pipe inside a cell
    ("Pipes \\| Filters: ..."), not a column's end."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


def _segment(sections: list[_Section], kind: tuple, n_lines: int,
             lines: list[str] | None = None) -> list[_Section]:
    """The sections of ``kind``, each ending where the next one of its kind, or a heading
    that is not inside it, starts; ``parent`` is the heading above."""
    level = kind[1] if kind[0] == "h" else 7
    chosen, parent = [], None
    for s in sections:
        if s.kind[0] == "h" and s.kind[1] < level:
            parent = _clean(s.lead)
        if s.kind == kind:
            chosen.append(_Section(s.kind, s.start, lead=s.lead, rank=s.rank, parent=parent, columns=s.columns))
    stops = sorted({s.start for s in sections if s.kind == kind or (s.kind[0] == "h" and s.kind[1] <= level)})
    for s in chosen:
        i = bisect.bisect_right(stops, s.start)
        s.end = stops[i] if i < len(stops) else n_lines
    if kind in (("n",), ("b",)) and lines is not None:
        # A list item ends before a table that starts after a blank line: the table is a
        # block of its own, not the item's text.
        for s in chosen:
            s.end = next((i for i in range(s.start + 2, s.end)
                          if _ROW.match(lines[i]) and not lines[i][:1].isspace() and not lines[i - 1].strip()),
                         s.end)
        _end_lists(chosen, lines)
    elif kind == ("row",) and lines is not None:
        # A row is its line: what follows the table ("Discussion on Reddit: 45 comments.")
        # is not the last row's.
        for s in chosen:
            s.end = next((i for i in range(s.start + 1, s.end) if not _ROW.match(lines[i])), s.end)
    return chosen


def _detached(s: _Section, lines: list[str]) -> int | None:
    """The first line of ``s`` that starts a paragraph of its own: not indented, after a
    blank line."""
    return next((i for i in range(s.start + 1, s.end)
                 if lines[i].strip() and not lines[i][:1].isspace() and not lines[i - 1].strip()), None)


def _end_lists(chosen: list[_Section], lines: list[str]) -> None:
    """End the last item of each list before a paragraph of its own after it, unless the
    other items have such paragraphs too.

    A list item runs to the next item, so the last one would take the post's closing words
    ("Thanks for reading! Last Friday's issue drew 312 upvotes") as its summary and counts.
    Where no other item has a paragraph of its own after a blank line, the post does not
    write summaries that way, and the paragraph after the last item is not its. Where the
    others do (an item, a blank line, its summary unindented), the last paragraph cannot be
    told from a summary and stays the last item's."""
    last = {id(s) for s, nxt in zip(chosen, chosen[1:] + [None])
            if nxt is None or nxt.parent != s.parent or any(_HEADING.match(ln) for ln in lines[s.end:nxt.start])}
    if any(_detached(s, lines) is not None for s in chosen if id(s) not in last):
        return
    for s in chosen:
        if id(s) in last and (cut := _detached(s, lines)) is not None:
            s.end = cut


def _date_in(text: str | None) -> dt.date | None:
    """A calendar date in ``text``: ISO, English month names, 2026年2月5日 or 2026년 2월 5일."""
    if not text:
        return None
    m = _DATE_CJK.search(text)
    return calendar_day(m[1], m[2], m[3]) if m else parse_date(text)


def listed_on(meta: dict[str, str], body: str, url: str) -> tuple[dt.date | None, str | None]:
    """The day of the list and how it was read: a date in the first heading, else in the
    front matter (title, then date), else a "Last update: D" line near the top, else the
    one date in the URL's file name.

    None when the first heading or the title names a span of days ("since 2026-06-08",
    "last week", "weekly recap"), more than one day ("issue of 2026-06-12, covering the papers
    of 2026-06-11"), or a day in a form whose order of day and month is not sure
    ("03/04/2026"): the post then does not say which day its list is of, and a date found
    further down (its publication, the file's name) would be a guess. A heading that links a
    paper is that paper's (its title may hold a date) and is passed over. A "Published:"
    line wins over an "Updated:" one (a fix to a post does not move its list's day)."""
    first = next((m[2] for ln in body.splitlines() if (m := _HEADING.match(ln)) and not has_paper_link(m[2])), None)
    for text, rule in ((first, "heading"), (meta.get("title"), "front_matter:title")):
        if text and (_SPAN_WORDS.search(text) or len(set(_ANY_DATE.findall(text))) > 1
                     or (_ANY_DATE.search(text) and not _date_in(text))):
            return None, None
    for text, rule in ((first, "heading"), (meta.get("title"), "front_matter:title"),
                       (meta.get("date"), "front_matter:date")):
        if found := _date_in(text):
            return found, rule
    updated = None
    for line in body.splitlines()[:60]:
        if (m := _DATE_LINE.match(_clean(line))) and (found := _date_in(m[2])):
            if not m[1]:
                return found, "document:date line"
            updated = updated or found
    if updated:
        return updated, "document:date line"
    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", name)
    return (parse_date(dates[0]), "filename") if len(dates) == 1 and parse_date(dates[0]) else (None, None)


def _section_days(items: list[_Section], day: dt.date | None, day_rule: str | None
                  ) -> list[tuple[dt.date | None, str | None]]:
    """The day of each item: the document's, unless the items sit under headings that name
    two or more days (a weekly recap, "## Monday, 2026-03-16"); then the day its own
    heading names, or none when its heading names none (the document's day is the day it
    was written, not surely the day that item was listed)."""
    days = {x.parent: _date_in(x.parent) for x in items if x.parent}
    if len({d for d in days.values() if d}) < 2:
        return [(day, day_rule)] * len(items)
    return [(own, "heading:section") if (own := days.get(s.parent)) else (None, None) for s in items]


def parse(text: str, url: str, site=None) -> Parsed:
    """Observations for every item of the post's list, citations for the other papers it
    links, and mentions for unlinked items of a list of papers. ``site``, a
    :class:`scrapers.sites.Site`, may name an HTML page's items and fields by CSS selector."""
    meta, body = front_matter(text)
    start = body.lstrip("\ufeff \t\r\n")
    if start[:1] in ("{", "[") and start[:2] not in ("{%", "{{", "[!") and not _MD_LINK.match(start):
        raise PageError("generic digest: JSON is data, not a digest post", text[:300])
    parsed = Parsed(published_at=parse_datetime(meta.get("date")), site=card_items.self_name(meta, body),
                    published_naive=is_naive_time(meta.get("date")))
    if looks_like_html(body):
        reading = read_cards(body, items=site.items if site is not None else None)
        markdown = html_to_markdown(body)
        lines = markdown.splitlines()
        best = _best_sections(lines, url)
        # The cards win unless the page's sections (headings, numbered items) hold more
        # papers and no count the page states confirms the cards: a sidebar of three
        # "popular" cards beside twenty headed papers is not the day's list. Cards of the
        # list's shape set aside as page furniture (an <aside> "From the archive") count for
        # the cards here: the Markdown has lost what marked them.
        if reading is not None and (reading.confirmed or (site is not None and site.items)
                                    or len(reading.cards) + reading.set_aside >= sum(1 for s in best if s.links)):
            day, day_rule = listed_on(meta, markdown, url)
            card_items.observations(parsed, reading, day, day_rule, site)
            set_rank_basis(parsed.observations)
            return parsed
        body = markdown
    else:
        body = _inline_references(inline_html_to_markdown(body))
        lines = body.splitlines()
        best = _best_sections(lines, url)
    if not paper_links(body):
        raise PageError("generic digest: no arXiv or Hugging Face paper link", body[:300])
    day, day_rule = listed_on(meta, body, url)
    # Sections that link a paper are the items. A section without a link is a mention of a
    # paper only where most sections under its heading link one (a list of papers); in a
    # mixed report (news and papers under one numbering) it is not about a paper at all.
    groups: dict[str | None, list[_Section]] = {}
    for s in best:
        groups.setdefault(s.parent, []).append(s)
    items = [s for group in groups.values() for s in group
             if s.links or 2 * sum(1 for x in group if x.links) >= len(group)]
    # A list under a heading such as "Related work" or "Previously covered" names papers of
    # other days or other posts: its papers are cited, not listed (on this post's day,
    # with its ranks and counts), unless it is the only list there is.
    todays = [s for s in items if not (s.parent and _NOT_THE_DAYS.search(s.parent))]
    if any(s.links for s in todays):
        items = todays
    days = _section_days(items, day, day_rule)
    # A paper an item lists is that item's, even where an earlier item only cited it.
    listed: dict[str, object] = {_primary(s).id: None for s in items if s.links}
    seen: set[str] = set(listed)
    for s, (item_day, item_day_rule) in zip(items, days):
        _item(parsed, s, lines[s.start:s.end], item_day, item_day_rule, seen, listed)
    covered = {i for s in items for i in range(s.start, s.end)}
    loose = "\n".join(ln for i, ln in enumerate(lines) if i not in covered)
    for aid, link_url, label in paper_links(loose):
        if aid.id not in seen:
            seen.add(aid.id)
            cite(parsed, aid, link_url, label, READER)
    set_rank_basis(parsed.observations)
    return parsed


def _best_sections(lines: list[str], url: str) -> list[_Section]:
    """The sections of the kind that holds the post's list: the kind whose sections link the
    most papers, then the one most often linked (a heading per paper beats the numbered
    points inside it), then the one whose leads give titles, then whose leads hold links."""
    sections = _sections(lines)
    best: list[_Section] = []
    best_score: tuple = (0, 0.0, 0, 0, 0)
    scored = []
    for kind in sorted({s.kind for s in sections}):
        segs = _segment(sections, kind, len(lines), lines)
        for s in segs:
            s.links = paper_links("\n".join(lines[s.start:s.end]))
        linked = sum(1 for s in segs if s.links)
        titled = sum(1 for s in segs if s.links and pick_title(_lead_titles(s.lead, s.kind[0] == "h")
                                                              + [(x[2], "") for x in paper_links(s.lead)])[0])
        # On a tie the list that starts first wins: a post opens with the day's list, and
        # a "Previously covered" list after it is not the day's.
        first = next((s.start for s in segs if s.links), len(lines))
        score = (linked, linked / len(segs), titled, sum(1 for s in segs if paper_links(s.lead)), -first)
        scored.append((segs, score))
        if score > best_score:
            best, best_score = segs, score
    best = _second_list(_fields_not_items(best, scored), scored)
    log.debug("%s: items are %s sections (score %s)", url, best[0].kind if best else None, best_score)
    return best


def _fields_not_items(best: list[_Section], scored: list[tuple[list[_Section], tuple]]) -> list[_Section]:
    """The headings, not the bullets inside them, when the bullets are an item's fields.

    A post that gives each paper a heading and its fields as bullets ("- arXiv: [id](...)",
    "- 추천수: 52", "- 요약: ... [older paper](...)") has more linked bullets than headings
    once one summary cites another paper, and the bullets would win: each would become an
    item, the cited paper a listed one, and the counts of the bullets without a link would
    be lost. So when at most half the bullets link a paper (they are fields, not a list of papers) and
    every heading of one level holds a linked bullet (at least two such headings), the
    headings are the items."""
    if not best or best[0].kind != ("b",) or 2 * sum(1 for s in best if s.links) > len(best):
        return best
    for segs, (linked, share, *_) in scored:
        if segs and segs[0].kind[0] == "h" and linked >= 2 and share == 1.0 and all(
                any(h.start <= b.start < h.end for b in best if b.links) for h in segs):
            return segs
    return best


_REF_DEF = re.compile(r"^ {0,3}\[([^\[\]\n]{1,100})\]:[ \t]*<?(https?://[^\s>]+)>?(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$",
                      re.M)
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]{1,40})\]:[ \t]*(?:<?(https?://[^\s>]+)>?|\[[^\[\]\n]*\]\((https?://[^)\s]+)\))[ \t]*$",
                       re.M)
_REF_USE = re.compile(r"(?<!\])\[([^\[\]\n]{1,400})\][ ]?\[([^\[\]\n]{0,100})\]")


def _inline_references(text: str) -> str:
    """Markdown's reference links (``[Title][1]`` with ``[1]: https://arxiv.org/abs/...``
    below) written inline, and the definitions used blanked (the lines stay, so sections
    keep their lines): the readers look for inline links only, and every item of a post
    written this way would lose its title, counts and rank. A footnote whose whole text is
    one link (``[^1]: https://arxiv.org/abs/...``) is that link where it is referred to,
    named ``link`` (the item's own words give its title); a footnote that says more is
    left as it is (its links are citations)."""
    refs = {m[1].strip().casefold(): m[2] for m in _REF_DEF.finditer(text) if not m[1].startswith("^")}
    notes = {m[1].casefold(): m[2] or m[3] for m in _NOTE_DEF.finditer(text)}
    if not refs and not notes:
        return text
    used: set[str] = set()

    def use(m: re.Match) -> str:
        key = (m[2] or m[1]).strip().casefold()
        if key in refs:
            used.add(key)
            return f"[{m[1]}]({refs[key]})"
        return m[0]

    def note(m: re.Match) -> str:
        used.add("^" + m[1].casefold())
        return f" [link]({notes[m[1].casefold()]})"

    text = _REF_USE.sub(use, text) if refs else text
    if notes:
        text = re.sub(r"(?<!^)\[\^([^\]\s]{1,40})\](?!:)", lambda m: note(m) if m[1].casefold() in notes else m[0],
                      text, flags=re.M)
    return _REF_DEF.sub(lambda m: "" if m[1].strip().casefold() in used else m[0], text)


def _second_list(best: list[_Section], scored: list[tuple[list[_Section], tuple]]) -> list[_Section]:
    """``best`` and a second list of another kind, when the post lists the day's papers twice.

    A post with a numbered "Top 3" and then bullets by category has two lists of one kind
    each, and only one kind would be the items: the other list's papers would be citations,
    and a top-list paper that no category repeats would lose its title and counts. A second
    kind is read as items too when its sections each link a paper, none of them overlaps a
    section of ``best`` (it is a list beside it, not fields inside its items), and at least
    half of its papers are in ``best`` (it lists the same day's papers again; a "See also"
    or "Previously covered" list shares none)."""
    if not best:
        return best
    ids = {s.links[0][0].id for s in best if s.links}
    for segs, (linked, share, *_) in scored:
        if not segs or segs[0].kind == best[0].kind or share < 1.0 or linked < 2:
            continue
        theirs = [s.links[0][0].id for s in segs]
        both = sorted(best + segs, key=lambda s: s.start)
        if 2 * sum(1 for i in theirs if i in ids) >= len(theirs) and all(
                a.end <= b.start for a, b in zip(both, both[1:])):
            return both
    return best


def _primary(s: _Section) -> ArxivId:
    """The paper a linked section lists: its lead's first paper link, else its body's; but
    not a paper the lead names as what the item builds on ("An extension of [Flow
    Matching](2210.02747): [Discrete Flow Matching](2606.06202)") when it links another."""
    links = paper_links(s.lead) or s.links
    for aid, url, label in links:
        at = s.lead.find(f"[{label}]({url}") if label else -1
        at = at if at >= 0 else s.lead.find(url)
        if at < 0 or not _BUILDS_ON.search(s.lead[max(0, at - 60):at]) or all(x.id == aid.id for x, _, _ in links):
            return aid
    return links[0][0]


def _again(obs, found: dict, rules: dict, rank: int | None, rank_rule: str | None) -> None:
    """A paper listed a second time in one post (a top list, then its category): the
    second listing fills what the first left empty; a count the two state differently is
    not surely either, and is left empty."""
    read = obs.extra.get("read", {}).get("fields", {})
    fields = {name: (found.get(name), rules.get(name)) for name in ("upvotes", "comments")}
    fields["rank"] = (rank, rank_rule)
    changed = dict(read)
    for name, (value, rule) in fields.items():
        old = getattr(obs, name)
        if value is None or value == old:
            continue
        if old is None:
            setattr(obs, name, value)
            changed[name] = rule
        else:
            setattr(obs, name, None)
            changed.pop(name, None)
            obs.extra = {**obs.extra, "conflicting": {**obs.extra.get("conflicting", {}), name: sorted([old, value])}}
    obs.extra = record_read({**obs.extra, "read": {**obs.extra.get("read", {}), "fields": {}}}, READER, **changed)


def cite(parsed: Parsed, aid: ArxivId, link_url: str | None, label: str | None, reader: str,
         **extra) -> None:
    """An observation of a paper the document links outside its list's items (commentary,
    a table of benchmarks, a citation inside an item): it says the paper was named, nothing
    more. No title (a link text in prose is often a nickname), no day, rank or counts."""
    build(parsed, label or link_url or aid.id, source=Source.DIGEST, url=link_url or f"https://arxiv.org/abs/{aid.id}",
          arxiv_id=aid.id, arxiv_version=aid.version,
          extra=record_read({"citation": True, **extra, **({"link_text": label} if label else {})}, reader))


def _own_lines_counts(block: list[str], paper_id: str) -> tuple[dict, dict]:
    """The counts of the lines of ``block`` from the first one linking ``paper_id`` up to
    the next one linking another paper (or a blank line after them)."""
    mine: list[str] = []
    for line in block:
        ids = {aid.id for aid, _, _ in paper_links(line)}
        if mine and ((ids and paper_id not in ids) or not line.strip()):
            break
        if mine or paper_id in ids:
            mine.append(line)
    return counts("\n".join(mine))


def _disagree(heading: str | None, labels: list[str]) -> bool:
    """Whether the first link text that reads as a title names something else than
    ``heading``: neither holds the other, letters and digits compared."""
    label, _, _ = pick_title([(x, "link_text") for x in labels])
    if not heading or not label:
        return False
    a, b = (re.sub(r"[\W_]+", "", x).casefold() for x in (heading, _clean(label)))
    return bool(a and b) and a not in b and b not in a


def _item(parsed: Parsed, s: _Section, block: list[str], day, day_rule, seen: set[str],
          listed: dict) -> None:
    """The observations of one section: its paper, papers it cites, or a mention."""
    text = "\n".join(block)
    fields = _fields(block[1:] if s.kind[0] != "row" else block)
    body_counts, body_rules = counts(text)
    lead_counts, lead_rules = counts(s.lead)
    found, rules = {**body_counts, **lead_counts}, {**body_rules, **lead_rules}  # the lead's own markers first
    column_titles: list[tuple[str | None, str]] = []
    rank_rule = "numbering" if s.rank is not None else None
    for header, cell in zip(s.columns, _cells(block[0]) if s.kind == ("row",) else []):
        plain = _clean(cell)
        if header in TITLE_HEADERS:
            column_titles.append((plain, f"column:{header}"))
        elif header in RANK_HEADERS and plain.isdigit() and int(plain) >= 1 and s.rank is None:
            s.rank, rank_rule = int(plain), f"column:{header}"
        elif header in COUNT_HEADERS and plain.replace(",", "").isdigit():
            found[COUNT_HEADERS[header]] = int(plain.replace(",", ""))
            rules[COUNT_HEADERS[header]] = f"column:{header}"
    extra: dict = {"section": s.parent} if s.parent else {}
    if "extra.stars" in found:
        extra["stars"] = found["extra.stars"]
    lead_rest = set(s.lead.splitlines())
    prose = [ln for ln in block if ln not in lead_rest and not (
        (m := _LABEL.match(ln)) and m[1].strip().lower() in _SKIP_LABELS)]
    summary = _clean(re.sub(r"\[([^\]]*)\]\([^)]*\)", "", "\n".join(prose))) or None
    if not s.links:
        heading, _ = _title_from_lead(s.lead)
        # The name the lead gives wins over names the prose repeats (often baselines).
        name, candidates = mentioned_name(heading or "")
        if name is None:
            name, candidates = mentioned_name(_clean(s.lead) + "\n" + (summary or ""))
        build(parsed, text, source=Source.DIGEST, rank=s.rank, listed_on=day, summary=summary,
              extra=record_read({**extra, "mention": True, "mentioned_as": name, "candidates": candidates,
                                 **({"heading": heading} if heading else {})}, READER,
                                rank=rank_rule, listed_on=day_rule if day else None))
        return
    lead_links = paper_links(s.lead)
    primary = _primary(s)
    own = [label for aid, _, label in s.links if aid.id == primary.id]
    label_key = next((k for k in fields if k in _TITLE_LABELS and fields[k]), None)
    candidates: list[tuple[str | None, str]] = list(column_titles)
    led = {aid.id for line in block if re.match(r"^[^\w\[]*\[", line) for aid, _, _ in paper_links(line)[:1]}
    # A section whose lead links no paper and whose body has several lines led by a paper's
    # link (a heading over lines such as "🥇 [Title](...) — 👍 88" that no kind of section
    # splits): the lead is the list's heading, not the first paper's title, and the body's
    # counts and prose are any of its papers'. Only the first paper's own lines are its own.
    heading_over_papers = not lead_links and len(led) > 1
    if heading_over_papers:
        found, rules = _own_lines_counts(block, primary.id)
        summary = None
    else:
        if lead_links:
            candidates.append((next(label for aid, _, label in lead_links if aid.id == primary.id)
                               if any(aid.id == primary.id for aid, _, _ in lead_links) else None, "link_text"))
        if label_key:
            candidates.append((_clean(fields[label_key]), f"label:{label_key}"))
        candidates += _lead_titles(s.lead, heading=s.kind[0] == "h")
    candidates += [(label, "link_text") for label in own]
    if not heading_over_papers:
        candidates.append((_next_line_title(block[len(s.lead.splitlines()):]), "inferred:next_line"))
    title, title_rule, translated = pick_title(candidates)
    if title_rule == "heading" and not lead_links and _disagree(title, [label for label in own if label]):
        # "## Honorable mention" over "[Token Merging for Video LLMs](...)": a heading over
        # a link to its paper whose text names the paper otherwise is a category as often as
        # a title, and which one it is cannot be told. No title.
        title, title_rule = None, None
    if translated:
        extra["title_translated"] = translated
    urls = [u for aid, u, _ in s.links if aid.id == primary.id]
    arxiv_url = next((u for u in urls if "arxiv.org" in u), None)
    if arxiv_url and any("huggingface.co" in u or "hf.co" in u for u in urls):
        extra["hf_url"] = next(u for u in urls if "huggingface.co" in u or "hf.co" in u)
    author_key = next((k for k in fields if k in _AUTHOR_LABELS), None)
    authors, partial = split_authors(fields.get(author_key))
    if partial:
        extra["authors_truncated"] = True
    org_key = next((k for k in fields if k in _ORG_LABELS), None)
    if listed.get(primary.id) is not None:
        _again(listed[primary.id], found, rules, s.rank, rank_rule)
    elif primary.id in listed:  # its first listing
        n = len(parsed.observations)
        build(parsed, text, source=Source.DIGEST, url=arxiv_url or urls[0], rank=s.rank,
              arxiv_id=primary.id, arxiv_version=primary.version, listed_on=day,
              title=title, upvotes=found.get("upvotes"), comments=found.get("comments"), authors=authors,
              organization=collapse_whitespace(fields[org_key]) if org_key else None, summary=summary,
              extra=record_read(extra, READER, title=title_rule, rank=rank_rule,
                                upvotes=rules.get("upvotes"), comments=rules.get("comments"),
                                authors=f"label:{author_key}" if authors else None,
                                organization=f"label:{org_key}" if org_key else None,
                                listed_on=day_rule if day else None))
        if len(parsed.observations) > n:
            listed[primary.id] = parsed.observations[n]
        else:  # not valid: its problem is recorded, and a later listing is not merged into it
            del listed[primary.id]
    for aid, link_url, label in s.links:
        if aid.id not in seen:
            seen.add(aid.id)
            cite(parsed, aid, link_url, label, READER, cited_in=primary.id,
                 **({"section": s.parent} if s.parent else {}))


FORMAT = Format("digest-generic", Source.DIGEST, sniff, parse)
