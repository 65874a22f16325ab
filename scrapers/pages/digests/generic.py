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
  date), else the one date in the URL's file name.

When it fails: posts that put each paper in a bare paragraph get no rank and titles only
from link texts; a post ranking several lists (weekly sections) repeats ranks, each with
its ``extra['section']``; titles cut at the wrong place when a table puts title and prose in
one cell without a double space; a mention's name is a guess.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from reconcile.ids import ArxivId, parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import (Format, Parsed, PageError, build, front_matter, parse_date, parse_datetime,
                    set_rank_basis)
from .markup import html_to_markdown, inline_html_to_markdown, looks_like_html
from .newsletter import mentioned_name

log = logging.getLogger(__name__)

_N = r"(\d[\d,]*)"
# marker name -> (pattern whose group 1 is the number, observation field it fills).
# Only numbers the document labels as upvotes, votes or likes are upvotes.
COUNT_MARKERS: dict[str, tuple[re.Pattern[str], str]] = {
    "👍 N": (re.compile(rf"👍\s*{_N}"), "upvotes"),
    "Upvotes: N": (re.compile(rf"\bupvotes?\b[*_]*\s*[:：]?\s*[*_]*\s*{_N}", re.I), "upvotes"),
    "N upvotes": (re.compile(rf"{_N}\s*upvotes?\b", re.I), "upvotes"),
    "Vote: N": (re.compile(rf"\bvotes?\b[*_]*\s*[:：]\s*[*_]*\s*{_N}", re.I), "upvotes"),
    "Likes: N": (re.compile(rf"\blikes?\b[*_]*\s*[:：]\s*[*_]*\s*{_N}", re.I), "upvotes"),
    "点赞/좋아요: N": (re.compile(rf"(?:点赞|赞同|좋아요|추천)\s*[:：]?\s*{_N}"), "upvotes"),
    "⭐ N upvotes": (re.compile(rf"⭐\s*{_N}(?=[^\n]{{0,20}}(?:upvote|vote|like|👍))", re.I), "upvotes"),
    "⭐ N": (re.compile(rf"⭐\s*{_N}"), "extra.stars"),
}

_PAPER_URL = re.compile(r"https?://(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf|html)|(?:huggingface|hf)\.co/papers)"
                        r"/[^\s)\]>\"'|]+", re.I)
_MD_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?(https?://[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^ {0,3}(?:\*\*|__)?(\d{1,3})[.)]\s+\S")
_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PAPER_N = re.compile(r"^\s*(?:Paper|Item|Article|论文|논문)\s*#?\s*(\d{1,3})\s*[:.]?\s*$", re.I)
_ROW_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
_RANK = re.compile(r"^\s*(?:\*\*|__)?\s*(\d{1,3})\s*[.)、](?!\d)\s*")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.DOTALL)
_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?[*_]*\s*([^\s:：*_][^:：\n]{0,24}?)\s*[*_]*\s*[:：]\s*[*_]*\s*(.*)$")
_DATE_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# Where a lead's title ends and its prose begins: a double space (tables), a dash or pipe
# between spaces, or a sentence opening the way English summaries open.
_PROSE_START = re.compile(r"\s{2,}| — | \| |\s(?=(?:This (?:paper|work|study|report)|Introduces|Proposes"
                          r"|Presents|Investigates|Explores|Shows)\b)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TITLE_LABELS = {"原文标题", "英文标题", "标题", "title", "original title", "paper title", "원제", "제목", "논문 제목"}
_AUTHOR_LABELS = {"authors", "author", "作者", "저자"}
_ORG_LABELS = {"기관", "institution", "institutions", "organization", "affiliation", "affiliations",
               "机构", "研究机构", "单位"}
_SKIP_LABELS = _TITLE_LABELS | _AUTHOR_LABELS | _ORG_LABELS | {
    "links", "link", "paper", "论文链接", "链接", "code", "pdf", "arxiv", "huggingface", "github"}
_META_LABELS = _SKIP_LABELS | {"published", "date", "url", "abstract", "summary", "tags", "category"}
# Words a link text is made of when it names the link, not the paper.
_GENERIC_WORDS = {
    "paper", "papers", "arxiv", "abs", "pdf", "hf", "huggingface", "hugging", "face", "link", "links",
    "page", "view", "read", "full", "the", "on", "here", "more", "code", "github", "project", "website",
    "demo", "tweet", "thread", "blog", "html", "source", "abstract", "论文", "链接", "原文", "查看",
    "논문", "링크", "페이지", "원문", "hf페이지"}


@dataclass
class _Section:
    kind: tuple                 # ("h", level), ("n",) numbered, ("p",) "Paper N", ("row",)
    start: int                  # line index of the section's first line
    end: int = 0                # line index after its last line
    lead: str = ""              # heading text, numbered item's first paragraph, row's first cell
    rank: int | None = None
    parent: str | None = None   # the heading above it
    links: list = field(default_factory=list)  # [(ArxivId, url, text)] in order


def paper_links(text: str) -> list[tuple[ArxivId, str, str | None]]:
    """Every arXiv / Hugging Face paper link in ``text``: (id, url, link text or None for a
    bare URL), in order. Images and thumbnail hosts are not paper links."""
    found, taken = [], []
    for m in _MD_LINK.finditer(text):
        taken.append(m.span())
        aid = parse_arxiv_id(m[3])
        if aid and not m[1]:
            found.append((m.start(), aid, m[3], m[2]))
    for m in _PAPER_URL.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        aid = parse_arxiv_id(m[0].rstrip(".,;"))
        if aid:
            found.append((m.start(), aid, m[0].rstrip(".,;"), None))
    return [(aid, url, label) for _, aid, url, label in sorted(found, key=lambda f: f[0])]


def has_paper_link(text: str) -> bool:
    """True when ``text`` holds at least one arXiv or Hugging Face paper URL."""
    return any(parse_arxiv_id(m[0].rstrip(".,;")) for m in _PAPER_URL.finditer(text))


def sniff(text: str, url: str) -> bool:
    """Markdown or HTML (not JSON, XML or a feed) with at least one paper link, from
    anywhere but the sources' own sites."""
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("{", "[", "<?xml", "<rss", "<feed", "<rdf")):
        return False
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(("arxiv.org", "huggingface.co", "arxivlens.com")):
        return False
    return has_paper_link(text)


def _generic(label: str | None) -> bool:
    """True when a link text names the link (``📄 arXiv``, ``HF 페이지``), not the paper."""
    if not label:
        return True
    words = re.sub(r"[^\w\s]", " ", label.lower()).split()
    return not words or label.strip().startswith("http") or parse_arxiv_id(label) is not None \
        or all(w in _GENERIC_WORDS or w.isdigit() for w in words)


def _clean(text: str) -> str:
    """Lead text as plain words: no images, markers, emphasis, emoji or generic links."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = _MD_LINK.sub(lambda m: "" if m[1] or _generic(m[2]) else m[2], text)
    for pattern, _ in COUNT_MARKERS.values():
        text = pattern.sub("", text)
    text = re.sub(r"\*\*|__|`|<[^>]+>", "", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("So", "Cf")
                   and c not in "\ufe0e\ufe0f\u20e3")
    text = re.sub(r"[(（\[]\s*[)）\]]", "", text)
    return collapse_whitespace(text).strip(" -–—|·•:：,")


def _title_from_lead(lead: str) -> tuple[str | None, str | None]:
    """The title a section's lead gives, and where it came from (``bold`` or ``lead``)."""
    for m in _BOLD.finditer(lead):
        bold = _clean(_RANK.sub("", m[1] or m[2]))
        if bold and not bold.endswith((":", "：")) and not _generic(bold):
            return bold, "bold"
    text = _PROSE_START.split(_RANK.sub("", lead).strip(), maxsplit=1)[0]
    text = _clean(text)
    return (text, "lead") if 2 <= len(text) <= 300 and not _generic(text) else (None, None)


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
    in_code = False
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
        elif _NUMBERED.match(line):
            lead = [line]
            for nxt in lines[i + 1:]:
                if not nxt.strip() or re.match(r"^\s*(?:[-*+]\s|\d{1,3}[.)]\s|#|\||!\[)", nxt):
                    break
                lead.append(nxt)
            found.append(_Section(("n",), i, lead="\n".join(lead)))
        elif (m := _ROW.match(line)) and not _ROW_RULE.match(line):
            if i + 1 < len(lines) and _ROW_RULE.match(lines[i + 1]):
                continue  # a header row
            found.append(_Section(("row",), i, lead=m[1].split("|")[0]))
    for s in found:
        r = _RANK.match(s.lead)
        if s.rank is None and r and int(r[1]) >= 1:
            s.rank = int(r[1])
    return found


def _segment(sections: list[_Section], kind: tuple, n_lines: int) -> list[_Section]:
    """The sections of ``kind``, each ending where the next one of its kind, or a heading
    that is not inside it, starts; ``parent`` is the heading above."""
    level = kind[1] if kind[0] == "h" else 7
    chosen, parent = [], None
    for s in sections:
        if s.kind[0] == "h" and s.kind[1] < level:
            parent = _clean(s.lead)
        if s.kind == kind:
            chosen.append(_Section(s.kind, s.start, lead=s.lead, rank=s.rank, parent=parent))
    stops = sorted({s.start for s in sections if s.kind == kind or (s.kind[0] == "h" and s.kind[1] <= level)})
    for s in chosen:
        s.end = next((b for b in stops if b > s.start), n_lines)
    return chosen


def _fields(lines: list[str]) -> dict[str, str]:
    """``Label: value`` lines of a section, label lower-cased -> value; a value goes on
    over the lines that follow it up to a blank line, a list item or another label."""
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = _LABEL.match(line)
        if not m or m[1].strip().lower() in out:
            continue
        value = [m[2].strip()]
        for nxt in lines[i + 1:]:
            if not nxt.strip() or _LABEL.match(nxt) or re.match(r"^\s*(?:[-*+]\s|\d{1,3}[.)]\s|#|\|)", nxt):
                break
            value.append(nxt.strip())
        out[m[1].strip().lower()] = " ".join(v for v in value if v)
    return out


def _counts(text: str) -> dict:
    """``upvotes`` and ``extra.stars`` from the first matching marker of each kind, in the
    order of :data:`COUNT_MARKERS`; a number one marker took is not read again by another."""
    found: dict = {}
    for pattern, target in COUNT_MARKERS.values():
        m = pattern.search(text)
        if m and target not in found:
            found[target] = int(m[1].replace(",", ""))
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return found


def _listed_on(meta: dict[str, str], body: str, url: str) -> dt.date | None:
    """A date in the first heading, else the front matter, else the URL's file name."""
    def date_in(text: str | None) -> dt.date | None:
        if not text:
            return None
        m = _DATE_CJK.search(text)
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])) if m else parse_date(text)
        except ValueError:
            return None
    first = next((m[2] for ln in body.splitlines() if (m := _HEADING.match(ln))), None)
    found = date_in(first) or date_in(meta.get("title")) or date_in(meta.get("date"))
    if found:
        return found
    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", name)
    return parse_date(dates[0]) if len(dates) == 1 else None


def parse(text: str, url: str) -> Parsed:
    """Observations for every paper linked in the post, and mentions for unlinked items."""
    meta, body = front_matter(text)
    if body.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        raise PageError("generic digest: JSON is data, not a digest post", text[:300])
    body = html_to_markdown(body) if looks_like_html(body) else inline_html_to_markdown(body)
    if not paper_links(body):
        raise PageError("generic digest: no arXiv or Hugging Face paper link", body[:300])
    lines = body.splitlines()
    sections = _sections(lines)
    best: list[_Section] = []
    best_score: tuple = (0, 0.0, 0)
    for kind in sorted({s.kind for s in sections}):
        segs = _segment(sections, kind, len(lines))
        for s in segs:
            s.links = paper_links("\n".join(lines[s.start:s.end]))
        linked = sum(1 for s in segs if s.links)
        score = (linked, linked / len(segs), sum(1 for s in segs if paper_links(s.lead)))
        if score > best_score:
            best, best_score = segs, score
    log.debug("%s: items are %s sections (score %s)", url, best[0].kind if best else None, best_score)
    parsed = Parsed(published_at=parse_datetime(meta.get("date")))
    listed_on = _listed_on(meta, body, url)
    seen: set[str] = set()
    # A run of sections under one heading is a list of papers when at least half of them
    # link one; otherwise (numbered points, quiz questions) its links are read as loose.
    groups: dict[str | None, list[_Section]] = {}
    for s in best:
        groups.setdefault(s.parent, []).append(s)
    items = [s for group in groups.values() if 2 * sum(1 for s in group if s.links) >= len(group)
             for s in group]
    for s in items:
        _item(parsed, s, lines[s.start:s.end], listed_on, seen)
    covered = {i for s in items for i in range(s.start, s.end)}
    loose = "\n".join(ln for i, ln in enumerate(lines) if i not in covered)
    for aid, link_url, label in paper_links(loose):
        if aid.id not in seen:
            seen.add(aid.id)
            build(parsed, label or link_url, source=Source.DIGEST, url=link_url, arxiv_id=aid.id,
                  arxiv_version=aid.version, listed_on=listed_on,
                  title=None if _generic(label) else collapse_whitespace(label),
                  extra={"title_source": "link"} if not _generic(label) else {})
    set_rank_basis(parsed.observations)
    return parsed


def _item(parsed: Parsed, s: _Section, block: list[str], listed_on, seen: set[str]) -> None:
    """The observations of one section: its paper, papers it cites, or a mention."""
    text = "\n".join(block)
    fields = _fields(block[1:] if s.kind[0] != "row" else block)
    counts = {**_counts(text), **_counts(s.lead)}  # the lead's own markers first
    extra: dict = {"section": s.parent} if s.parent else {}
    if "extra.stars" in counts:
        extra["stars"] = counts["extra.stars"]
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
        build(parsed, text, source=Source.DIGEST, rank=s.rank, listed_on=listed_on, summary=summary,
              extra={**extra, "mention": True, "mentioned_as": name, "candidates": candidates,
                     **({"heading": heading} if heading else {})})
        return
    lead_links = paper_links(s.lead)
    primary = (lead_links or s.links)[0][0]
    title, source = None, None
    own = [label for aid, _, label in s.links if aid.id == primary.id and not _generic(label)]
    label_title = next((fields[k] for k in fields if k in _TITLE_LABELS and fields[k]), None)
    if lead_links and not _generic(lead_links[0][2]):
        title, source = lead_links[0][2], "link"
    elif label_title:
        title, source = _clean(label_title), "label"
    else:
        title, source = _title_from_lead(s.lead)
        if title is None and own:
            title, source = own[0], "link"
        if title is None:
            title, source = _next_line_title(block[len(s.lead.splitlines()):]), "next_line"
    urls = [u for aid, u, _ in s.links if aid.id == primary.id]
    arxiv_url = next((u for u in urls if "arxiv.org" in u), None)
    if arxiv_url and any("huggingface.co" in u or "hf.co" in u for u in urls):
        extra["hf_url"] = next(u for u in urls if "huggingface.co" in u or "hf.co" in u)
    authors = next((fields[k] for k in fields if k in _AUTHOR_LABELS), None)
    org = next((fields[k] for k in fields if k in _ORG_LABELS), None)
    if primary.id not in seen:
        seen.add(primary.id)
        build(parsed, text, source=Source.DIGEST, url=arxiv_url or urls[0], rank=s.rank,
              arxiv_id=primary.id, arxiv_version=primary.version, listed_on=listed_on,
              title=collapse_whitespace(title) if title else None, upvotes=counts.get("upvotes"),
              authors=[a for a in re.split(r"\s*[,，、;；]\s*", _clean(authors)) if a] if authors else [],
              organization=collapse_whitespace(org) if org else None, summary=summary,
              extra={**extra, **({"title_source": source} if source else {})})
    for aid, link_url, label in s.links:
        if aid.id not in seen:
            seen.add(aid.id)
            build(parsed, label or link_url, source=Source.DIGEST, url=link_url, arxiv_id=aid.id,
                  arxiv_version=aid.version, listed_on=listed_on,
                  title=None if _generic(label) else collapse_whitespace(label),
                  extra={"cited_in": primary.id, **({"section": s.parent} if s.parent else {})})


FORMAT = Format("digest-generic", Source.DIGEST, sniff, parse)
