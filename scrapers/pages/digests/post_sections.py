"""The sections of a Markdown post (headings, numbered and bulleted items, table rows), its
paper links, and which sections are the post's list of papers (see :mod:`.generic`).
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from reconcile.ids import ArxivId, parse_arxiv_id

from .item_fields import BULLET, FENCE, KEYCAP, MD_LINK, RANK, SCHEMELESS_PAPER, clean, rank_number

from .post_titles import lead_titles, pick_title

log = logging.getLogger(__name__)


_PAPER_URL = re.compile(r"(?:https?://(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf|html)|(?:huggingface|hf)\.co/papers"
                        r"|alphaxiv\.org/(?:abs|overview))/|" + SCHEMELESS_PAPER + r")"
                        r"[^\s)\[\]<>\"'|]+", re.I)  # "[" ends it: AsciiDoc's https://arxiv.org/abs/ID[Title]
# An id the text states without a link: "arXiv:2606.03101", "[arXiv 2606.03303]", a badge
# image's "img.shields.io/badge/arXiv-2606.04202-red". The word "arXiv" must lead it: a bare
# number such as "2606.03101" could be a version, a date or anything else.
_STATED_ID = re.compile(r"(?<![\w.])arxiv(?:\s*[:：]\s*|\s+|-)(\d{4}\.\d{4,5}(?:v\d{1,3})?)(?![\d])", re.I)
ID_ATTRIBUTE = re.compile(r"\bdata-[\w-]{1,40}\s*=\s*[\"'](?:arxiv:)?\d{4}\.\d{4,5}(?:v\d{1,3})?[\"']", re.I)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^ {0,3}(?:\*\*|__)?(?:\d{1,3}[.)]\s|" + KEYCAP + r")\s*\S")
_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
# A list item's marker and the spaces after it: where its text starts.
_ITEM_MARKER = re.compile(r"^ {0,3}(?:\d{1,3}[.)]|[-*+])[ \t]+")
_PAPER_N = re.compile(r"^\s*(?:Paper|Item|Article|论文|논문)\s*#?\s*(\d{1,3})\s*[:.]?\s*$", re.I)
_ROW_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
_BULLET = re.compile(r"^ ?[-*+]\s+\S")
_RULE_LINE = re.compile(r"^ ?(?:[-*_]\s*){3,}$")


@dataclass
class Section:
    kind: tuple                 # ("h", level), ("n",) numbered, ("b",) bullet, ("p",) "Paper N", ("row",)
    start: int                  # line index of the section's first line
    end: int = 0                # line index after its last line
    lead: str = ""              # heading text, numbered item's first paragraph, row's first cell
    rank: int | None = None
    parent: str | None = None   # the heading above it
    links: list = field(default_factory=list)  # [(ArxivId, url, text)] in order
    columns: list = field(default_factory=list)  # a table row's column headers, lower case


class StatedUrl(str):
    """The canonical arXiv URL of an id a text states without linking it (``arXiv:2606.03101``).
    A link names its paper more surely: an item's paper is its first link, else the first
    id it states (:func:`primary_links`)."""


def paper_links(text: str) -> list[tuple[ArxivId, str, str | None]]:
    """Every arXiv / Hugging Face paper link in ``text``: (id, url, link text or None for a
    bare URL), in order. Images and thumbnail hosts are not paper links. An id the text
    states after the word arXiv, outside a paper link, is one too, with a :class:`StatedUrl`
    and no text: a badge image (``img.shields.io/badge/arXiv-2606.04202``) or an
    ``arXiv:2606.03101`` in a line names the paper as surely as a link to it."""
    found, taken, linked = [], [], []
    for m in MD_LINK.finditer(text):
        taken.append(m.span())
        url = m[3]
        aid = parse_arxiv_id(url)
        if aid is None and (target := redirect_target(url)):
            aid, url = parse_arxiv_id(target), target
        if aid and not m[1]:
            found.append((m.start(), aid, url, m[2]))
            linked.append(m.span())
    starts = [a for a, _ in taken]
    for m in _PAPER_URL.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and taken[i][0] <= m.start() < taken[i][1]:
            continue  # inside a Markdown link already read
        aid = parse_arxiv_id(m[0].rstrip(".,;"))
        if aid:
            found.append((m.start(), aid, m[0].rstrip(".,;"), None))
            linked.append(m.span())
    for m in _STATED_ID.finditer(text):
        if any(a <= m.start() < b for a, b in linked):
            continue  # the text of a paper's link ("[arXiv:2606.03101](https://arxiv.org/...)")
        aid = parse_arxiv_id(m[1])
        if aid:
            found.append((m.start(), aid, StatedUrl(f"https://arxiv.org/abs/{m[1]}"), None))
    return [(aid, url, label) for _, aid, url, label in sorted(found, key=lambda f: f[0])]


def redirect_target(url: str) -> str | None:
    """The paper URL a redirecting link carries in its query, decoded
    (``https://link.zhihu.com/?target=https%3A//arxiv.org/abs/ID``, a mail's
    ``...safelinks...?url=https%3A%2F%2Farxiv.org%2Fabs%2FID&data=...``,
    ``google.com/url?q=...``), else None.

    Why: a platform that wraps outgoing links (Zhihu, CSDN, mail scanners) leaves every
    paper of a post behind such a link; read as it is, the post links no paper at all and
    is refused whole. Only a value that is itself a paper's URL is taken."""
    if "?" not in url:
        return None
    for _, value in parse_qsl(urlsplit(url).query):
        if value.startswith(("http://", "https://")) and parse_arxiv_id(value):
            return value
    return None


def with_scheme(url: str) -> str:
    """A paper link's address as a URL: ``https://`` before one written without its scheme
    (``arxiv.org/abs/2609.01234``)."""
    return url if "://" in url[:12] else f"https://{url}"


def primary_links(links: list) -> list:
    """``links`` without the stated ids when it holds a link: the ones an item's paper is
    chosen from."""
    return [x for x in links if not isinstance(x[1], StatedUrl)] or links


def has_paper_link(text: str) -> bool:
    """True when ``text`` holds at least one arXiv or Hugging Face paper URL, or an id it
    states after the word arXiv."""
    return (any(parse_arxiv_id(m[0].rstrip(".,;")) for m in _PAPER_URL.finditer(text))
            or any(parse_arxiv_id(m[1]) for m in _STATED_ID.finditer(text)))


def _sections(lines: list[str]) -> list[Section]:
    """Every heading, top-level numbered item and table row, with its lead text."""
    found: list[Section] = []
    in_code, columns = False, []
    content_col = None  # where the text of the list item above starts ("1. " -> column 3)
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and indent == 0 and not _NUMBERED.match(line) and not _BULLET.match(line):
            content_col = None  # the list above has ended
        if m := HEADING.match(line):
            found.append(Section(("h", len(m[1])), i, lead=m[2]))
        elif (_NUMBERED.match(line) or _BULLET.match(line)) and content_col is not None and 0 < content_col <= indent:
            continue  # a list nested in the item above (CommonMark): that item's own lines
        elif m := _PAPER_N.match(line):
            found.append(Section(("p",), i, lead=line.strip(), rank=int(m[1])))
        elif _NUMBERED.match(line) or (_BULLET.match(line) and not _RULE_LINE.match(line)):
            lead = [line]
            for nxt in lines[i + 1:]:
                if not nxt.strip() or re.match(r"^\s*(?:[-*+]\s|\d{1,3}[.)]\s|#|\||!\[|" + KEYCAP + ")", nxt):
                    break
                lead.append(nxt)
            found.append(Section(("n",) if _NUMBERED.match(line) else ("b",), i, lead="\n".join(lead)))
            marker = _ITEM_MARKER.match(line)
            content_col = marker.end() if marker else None
        elif (m := _ROW.match(line)) and not _ROW_RULE.match(line):
            if i + 1 < len(lines) and _ROW_RULE.match(lines[i + 1]):
                # A header that is an emoji ("👍", "💬") is its own name: clean() drops it.
                columns = [(clean(c) or c.strip()).lower() for c in row_cells(line)]
                continue  # a header row
            found.append(Section(("row",), i, lead=row_cells(line)[0], columns=columns))
    for s in found:
        # A bulleted item is ranked only by a "#3" that leads it ("- **#3** Title",
        # "- [x] #3 ..."): a bullet is no number, and "- 3. Title" is rare enough to be a
        # title's own words.
        bulleted = s.kind == ("b",)
        r = RANK.match(BULLET.sub("", s.lead) if bulleted else s.lead)
        if s.rank is None and r and rank_number(r) >= 1 and (r[4] or not bulleted):
            s.rank = rank_number(r)
    return found


def row_cells(row: str) -> list[str]:
    """The cells of a pipe-table row, without the outer pipes; ``\\|`` is a pipe inside a cell
    ("Pipes \\| Filters: ..."), not a column's end."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


# Column headers that name a column of arXiv ids ("arxiv_id", "arXiv ID", "Paper id").
_ID_HEADERS = {"arxiv id", "arxiv", "arxiv no.", "arxiv number", "id", "paper id", "paper"}
# A table's id cell and its header, as the generic reader's sniff looks for them in a page
# that links no paper: a pandas table, a CSV turned into Markdown, a docs export whose
# header row is a row of bold cells (<td><b>arXiv</b></td>). ("Paper" heads titles more
# often than ids; only a cell that is an id and nothing else is read as one.)
_ID_HEADER = r"(?:arxiv[ _-]?(?:id|no\.|number)?|paper(?:[ _-]?id)?|id)"
_ID_HEADER_CELL = re.compile(rf"<t[hd]\b[^>]*>\s*(?:<(?:b|strong)>\s*)?{_ID_HEADER}\s*(?:</(?:b|strong)>\s*)?</t[hd]>"
                             rf"|^\|(?:[^|\n]*\|)*?\s*(?:\*\*)?{_ID_HEADER}(?:\*\*)?\s*\|", re.I | re.M)
_ID_CELL = re.compile(r"<td\b[^>]*>\s*\d{4}\.\d{4,5}(?:v\d{1,3})?\s*</td>|\|[ \t]*\d{4}\.\d{4,5}(?:v\d{1,3})?[ \t]*(?=\|)")


def has_id_column(text: str) -> bool:
    """Whether ``text`` (HTML or Markdown) may hold a table with a column of arXiv ids."""
    return _ID_HEADER_CELL.search(text) is not None and _ID_CELL.search(text) is not None


def stated_id_cells(text: str) -> str:
    """``text`` with each cell of a table's id column (:data:`_ID_HEADERS`) that is an
    arXiv id and nothing else written ``arXiv:ID``: the table states its rows' papers as
    surely as a link would (a notebook's pandas table, a CSV). A cell in another column, or
    one that holds more than an id, is left as it is: a bare number elsewhere may be a
    version or a count."""
    lines = text.split("\n")
    columns: set[int] = set()
    for i, line in enumerate(lines):
        if not _ROW.match(line):
            columns = set()
            continue
        if i + 1 < len(lines) and _ROW_RULE.match(lines[i + 1]):
            columns = {j for j, c in enumerate(row_cells(line))
                       if re.sub(r"[_-]", " ", clean(c).lower()) in _ID_HEADERS}
            continue
        if not columns or _ROW_RULE.match(line):
            continue
        cells = row_cells(line)
        if any(j < len(cells) and parse_arxiv_id(cells[j]) and re.fullmatch(r"[\w./-]+", cells[j]) for j in columns):
            lines[i] = "| " + " | ".join(
                f"arXiv:{parse_arxiv_id(c).id}" if j in columns and parse_arxiv_id(c) and re.fullmatch(r"[\w./-]+", c)
                else c.replace("|", "\\|") for j, c in enumerate(cells)) + " |"
    return "\n".join(lines)


def _segment(sections: list[Section], kind: tuple, n_lines: int,
             lines: list[str] | None = None) -> list[Section]:
    """The sections of ``kind``, each ending where the next one of its kind, or a heading
    that is not inside it, starts; ``parent`` is the heading above."""
    level = kind[1] if kind[0] == "h" else 7
    chosen, parent = [], None
    for s in sections:
        if s.kind[0] == "h" and s.kind[1] < level:
            parent = clean(s.lead)
        if s.kind == kind:
            chosen.append(Section(s.kind, s.start, lead=s.lead, rank=s.rank, parent=parent, columns=s.columns))
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


def _detached(s: Section, lines: list[str]) -> int | None:
    """The first line of ``s`` that starts a paragraph of its own: not indented, after a
    blank line."""
    return next((i for i in range(s.start + 1, s.end)
                 if lines[i].strip() and not lines[i][:1].isspace() and not lines[i - 1].strip()), None)


def _end_lists(chosen: list[Section], lines: list[str]) -> None:
    """End the last item of each list before a paragraph of its own after it, unless the
    other items have such paragraphs too.

    A list item runs to the next item, so the last one would take the post's closing words
    ("Thanks for reading! Last Friday's issue drew 312 upvotes") as its summary and counts.
    Where no other item has a paragraph of its own after a blank line, the post does not
    write summaries that way, and the paragraph after the last item is not its. Where the
    others do (an item, a blank line, its summary unindented), the last paragraph cannot be
    told from a summary and stays the last item's."""
    last = {id(s) for s, nxt in zip(chosen, chosen[1:] + [None])
            if nxt is None or nxt.parent != s.parent or any(HEADING.match(ln) for ln in lines[s.end:nxt.start])}
    if any(_detached(s, lines) is not None for s in chosen if id(s) not in last):
        return
    for s in chosen:
        if id(s) in last and (cut := _detached(s, lines)) is not None:
            s.end = cut


def best_sections(lines: list[str], url: str) -> list[Section]:
    """The sections of the kind that holds the post's list: the kind whose sections link the
    most papers, then the one most often linked (a heading per paper beats the numbered
    points inside it), then the one whose leads give titles, then whose leads hold links."""
    sections = _sections(lines)
    best: list[Section] = []
    best_score: tuple = (0, 0.0, 0, 0, 0)
    scored = []
    for kind in sorted({s.kind for s in sections}):
        segs = _segment(sections, kind, len(lines), lines)
        for s in segs:
            s.links = paper_links("\n".join(lines[s.start:s.end]))
        linked = sum(1 for s in segs if s.links)
        titled = sum(1 for s in segs if s.links and pick_title(lead_titles(s.lead, s.kind[0] == "h")
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


def _fields_not_items(best: list[Section], scored: list[tuple[list[Section], tuple]]) -> list[Section]:
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
_PLAIN_NOTE_DEF = re.compile(r"^ {0,3}\[(\d{1,3})\][ \t]+<?(https?://[^\s>]+)>?[ \t]*$", re.M)
_REF_USE = re.compile(r"(?<!\])\[([^\[\]\n]{1,400})\][ ]?\[([^\[\]\n]{0,100})\]")


def inline_references(text: str) -> str:
    """Markdown's reference links (``[Title][1]`` with ``[1]: https://arxiv.org/abs/...``
    below) written inline, and the definitions used blanked (the lines stay, so sections
    keep their lines): the readers look for inline links only, and every item of a post
    written this way would lose its title, counts and rank. A footnote whose whole text is
    one link (``[^1]: https://arxiv.org/abs/...``) is that link where it is referred to,
    named ``link`` (the item's own words give its title); a footnote that says more is
    left as it is (its links are citations). A plain-text newsletter's numbered notes
    (``Title [1]`` with a line ``[1] https://arxiv.org/abs/...`` at the bottom, the way
    mail clients and text browsers write links) are read the same way as footnotes."""
    refs = {m[1].strip().casefold(): m[2] for m in _REF_DEF.finditer(text) if not m[1].startswith("^")}
    notes = {m[1].casefold(): m[2] or m[3] for m in _NOTE_DEF.finditer(text)}
    if not refs and not notes:
        if plain := {m[1]: m[2] for m in _PLAIN_NOTE_DEF.finditer(text)}:
            return _plain_notes(text, plain)
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


def _plain_notes(text: str, notes: dict[str, str]) -> str:
    """``text`` with each ``[N]`` that a line ``[N] URL`` defines written as a link to URL
    where it is used (never at a line's start: that is a definition, or a rank), and the
    definitions used blanked."""
    used: set[str] = set()

    def note(m: re.Match) -> str:
        used.add(m[1])
        return f" [link]({notes[m[1]]})"

    text = re.sub(r"(?<!^)(?<![\[\]])\[(\d{1,3})\](?![(\[:])", lambda m: note(m) if m[1] in notes else m[0],
                  text, flags=re.M)
    return _PLAIN_NOTE_DEF.sub(lambda m: "" if m[1] in used else m[0], text)


def _second_list(best: list[Section], scored: list[tuple[list[Section], tuple]]) -> list[Section]:
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

