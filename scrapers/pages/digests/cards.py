"""HTML digests read by their repeated structure: the cards, list items or table rows that
each name one paper.

A digest page shows the day's papers as a run of elements of one shape (``<div
class="paper">`` cards, ``<li>`` entries, ``<tr>`` rows); the rest of the page (commentary,
leaderboards, a table of contents, links in prose) also names papers, but not in that shape.
This module finds that run from the markup alone:

1. Every element's *paper references*: ``href`` links to arXiv or Hugging Face paper pages,
   ``data-*`` attributes whose whole value is an arXiv id (``data-arxiv-id="2512.21107v1"``),
   ids quoted in event attributes (``onclick="fav('2512.21107v1')"``), an element whose whole
   text is an id (``<span>2602.21193</span>``), and relative links that carry an id without
   its dot (``./papers/251221107v1-title.html``) when the same id is confirmed by another form
   somewhere in the page (five digits after a month are too common to trust alone).
2. An element that references exactly one paper while its parent references several is a
   candidate item. Candidates are grouped by their structural path: tag and first class
   of every ancestor (``div.container > div.paper``), so cards split over several buckets or
   tables still form one group.
3. The group whose size a count the page states confirms (``Top 5``, ``32 篇論文``, ``共 15
   篇``, ``선별 50편``, ``12 papers``) wins, unless a larger group holds all of its papers (then
   it was a highlight of that larger list); otherwise the group with the most papers.

Only container elements (``div``, ``li``, ``tr``, ``article``, ...) make a group: paragraphs
and headings are prose, and a page built of those is left to the Markdown reader
(:func:`read_cards` returns None). Ids outside the chosen group are citations, never items.

When it fails: a page whose day's list is smaller than another list on it and states no
count for either takes the larger list; cards that each link two papers (a paper and its
predecessor) are read by their first link; a stated count that equals the size of the
wrong list by chance picks that list.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from reconcile.ids import ArxivId, parse_arxiv_id

from ..base import split_link
from .markup import hidden_by_markup, readers_reactions, shown_words

log = logging.getLogger(__name__)

# Elements that can hold one item of a list. Paragraphs and headings are prose or section
# titles: documents made of those are the Markdown reader's.
CONTAINERS = frozenset({"div", "li", "tr", "article", "section", "dd", "details", "figure",
                        "blockquote", "aside", "td"})
_DROP = ("script", "style", "noscript", "template", "head")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_PAPER_HOSTS = ("arxiv.org", "huggingface.co", "hf.co", "alphaxiv.org", "doi.org")  # doi.org: arXiv's DOIs only
_QUOTED_ID = re.compile(r"""['"](\d{4}\.\d{4,5}(?:v\d{1,3})?)['"]""")
_DOTLESS = re.compile(r"(?:^|/)(\d{2}(?:0[1-9]|1[0-2]))(\d{5})(v\d{1,3})?(?=[-_.]|$)")
_ID_TEXT = re.compile(r"^(?:arxiv\s*:?\s*)?(\d{4}\.\d{4,5}(?:v\d{1,3})?)$", re.IGNORECASE)
# Counts a page states about its list: "Top 5", "12 papers", "共 15 篇", "32 篇論文",
# "선별 50편", "5件". Group 1 or 2 is the number. Not an ordinal ("第 2 篇", the second
# article: a note about one item), not the end of a longer number ("1,024" over a line
# break from "本文字数", a post's word count), not a number and a word on two lines.
_STATED = re.compile(
    r"\btop[\s-]?(\d{1,4})\b|(?<![\d,.第])(?<!第 )(\d{1,4})[ \t]*(?:\*\*)?[ \t]*(?:papers?\b|articles?\b|entries\b|篇|편|件|本)",
    re.IGNORECASE)
# Page furniture (see _furniture_test): tags, and words of a class or id.
_FURNITURE_TAGS = frozenset({"aside", "footer", "nav"})
_FURNITURE_WORDS = re.compile(
    r"(?:^|[-_\s])(?:sponsor(?:ed|s|ship)?|ads?|advert\w*|promo(?:ted|tion|tions|s)?|sidebar|footer)(?=$|[-_\s])",
    re.IGNORECASE)
_EN_CLASS = re.compile(r"(?:^|[-_])en(?:$|[-_])|english", re.IGNORECASE)


@dataclass
class Ref:
    """One reference to a paper inside the page."""

    aid: ArxivId
    url: str | None  # an arXiv / Hugging Face URL when the reference is a link to one
    label: str | None  # the link's text
    rule: str  # how it was read: "href", "attribute:data-arxiv-id", "text", "href:dotless"


@dataclass
class Card:
    """One item of the chosen group: its element, its references in page order."""

    element: etree._Element
    refs: list[Ref] = field(default_factory=list)

    @property
    def primary(self) -> ArxivId:
        """The paper the item is about: its only one, else the first it references."""
        return self.refs[0].aid


@dataclass
class CardReading:
    """What the page's repeated structure says: the items, the rest, how it was chosen."""

    cards: list[Card]
    path: str  # the chosen group's structural path
    stated: set[int]  # the counts the page states
    confirmed: bool  # a stated count equals the number of items
    citations: list[Ref]  # references outside the items, in page order, first of each id
    set_aside: int = 0  # elements of the chosen group's shape left out as page furniture


def parse_html(text: str) -> etree._Element:
    """The page as an lxml tree without scripts, styles, comments and the elements its
    markup hides (:func:`.markup.hidden_by_markup`; their tail text stays), entities decoded.

    The text is already decoded, so a leading XML declaration is dropped (lxml refuses text
    that declares an encoding: a saved XHTML page or a feed read as a page); a page with no
    element at all (whitespace, a comment, a bare declaration) is an empty page, not an
    error.
    """
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text or "<html></html>")
    except etree.ParserError:  # "Document is empty"
        root = lxml.html.document_fromstring("<html></html>")
    etree.strip_elements(root, *_DROP, etree.Comment, with_tail=False)
    for el in [el for el in root.iter() if isinstance(el.tag, str)
               and (hidden_by_markup(el.tag, el.attrib) or readers_reactions(el.attrib))]:
        el.drop_tree()  # keeps the tail, which is the parent's text
    return root


def _own_refs(el: etree._Element) -> list[Ref]:
    """The paper references an element makes itself (not its descendants)."""
    refs: list[Ref] = []
    tag = el.tag if isinstance(el.tag, str) else ""
    for name, value in el.attrib.items():
        value = value.strip()
        if name == "href" and tag == "a":
            host = (split_link(value).hostname or "").lower().removeprefix("www.")
            if host.endswith(_PAPER_HOSTS):
                aid = parse_arxiv_id(value.rstrip(".,;"))
                if aid:
                    refs.append(Ref(aid, value, shown_words(el) or None, "href"))
            elif not host and (m := _DOTLESS.search(split_link(value).path)):
                aid = parse_arxiv_id(f"{m[1]}.{m[2]}{m[3] or ''}")
                if aid:
                    refs.append(Ref(aid, None, shown_words(el) or None, "href:dotless"))
        elif name.startswith("data-") and (aid := parse_arxiv_id(value)) and _ID_TEXT.match(value):
            refs.append(Ref(aid, None, None, f"attribute:{name}"))
        elif name.startswith("on"):
            for m in _QUOTED_ID.finditer(value):
                if aid := parse_arxiv_id(m[1]):
                    refs.append(Ref(aid, None, None, f"attribute:{name}"))
    if len(el) == 0 and el.text and (m := _ID_TEXT.match(el.text.strip())):
        if aid := parse_arxiv_id(m[1]):
            refs.append(Ref(aid, None, None, "text"))
    return refs


def _path(el: etree._Element) -> str:
    """Tag and first class of the element and each ancestor: the shape of its place."""
    parts = []
    while el is not None and isinstance(el.tag, str):
        classes = [c for c in (el.get("class") or "").split() if not any(ch.isdigit() for ch in c)]
        parts.append(el.tag + (f".{classes[0]}" if classes else ""))
        el = el.getparent()
    return " > ".join(reversed(parts))


def stated_counts(root: etree._Element) -> set[int]:
    """Counts the page states about its lists: in headings, and in short blocks of text
    (a subtitle, a meta line, a summary line). Prose paragraphs are not read: a number in a
    sentence is rarely the size of a list on the page."""
    found: set[int] = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        text = el.text_content()
        if len(text) > 200 and el.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
            continue
        for m in _STATED.finditer(text[:300]):
            number = int(m[1] or m[2])
            if number >= 1:
                found.add(number)
    return found


def _furniture_mark(el: etree._Element) -> bool:
    """True when an element says it is page furniture: ``<aside>``, ``<footer>``, ``<nav>``,
    or a class or id naming a sponsor, an ad, a promotion, a sidebar or a footer."""
    return el.tag in _FURNITURE_TAGS or bool(_FURNITURE_WORDS.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def _furniture_test(members: list[etree._Element]):
    """A test of whether a candidate item sits in page furniture: inside an element
    :func:`_furniture_mark` marks, or wrapping one (a table row whose only cell is ``<td
    class="sponsor">``). ``members`` are the page's candidates: a mark on an element that
    holds all of them frames the whole page (``<body class="with-sidebar">``) and marks
    nothing.

    Why: a sponsor block, a footer's "yesterday's top paper" or an ``<aside>`` "from the
    archive" card often has the shape of the day's cards (a row of the same table, an
    ``<article class="card">``), and its count is not a count of that day. Taken out of the
    items, its paper is a citation. When it fails: a page that puts its day's list in an
    ``<aside>`` or a ``sidebar`` while other cards sit outside it reads those others; a
    sponsor block marked only by its text ("PRESENTED BY") is read as an item.
    """
    common: set[int] = {id(a) for a in members[0].iterancestors()} if members else set()
    for el in members[1:]:
        common &= {id(a) for a in el.iterancestors()}

    def in_furniture(el: etree._Element) -> bool:
        chain = [el, *(a for a in el.iterancestors() if id(a) not in common)]
        lone = el
        while len(kids := [k for k in lone if isinstance(k.tag, str)]) == 1:
            lone = kids[0]
            chain.append(lone)
        return any(_furniture_mark(x) for x in chain)

    return in_furniture


def only_in_furniture(text: str) -> bool:
    """True when the page links papers and every element that does sits inside an
    ``<aside>``, a ``<nav>`` or a ``<footer>``: the page has no list of its own.

    Why: a blog's "not found" page (answered 200) carries the site's "Trending papers"
    sidebar, which was read as the site's list of the day, with ranks and counts (a paper
    seen nowhere else got the sidebar's 310 as its count), and the day's real post was
    never fetched again (probe29). Only the tags count, not a class naming a sidebar: a
    ``<body class="with-sidebar">`` frames the whole page. When it fails: a page that puts
    its whole list in an ``<aside>`` is read as having none."""
    root = parse_html(text)
    members = [el for el in root.iter() if isinstance(el.tag, str) and any(
        r.rule != "href:dotless" for r in _own_refs(el))]
    return bool(members) and all(
        any(a.tag in _FURNITURE_TAGS for a in (el, *el.iterancestors())) for el in members)


def read_cards(text: str, items: str | None = None) -> CardReading | None:
    """The page's items by its repeated structure, or None when no group of at least two
    container elements, each naming one paper, exists. ``items``, a CSS selector a site's
    configuration gives, names the items instead: every element it selects that references
    a paper is one."""
    root = parse_html(text)
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    own = {el: _own_refs(el) for el in elements}
    confirmed_ids = {r.aid.id for refs in own.values() for r in refs if r.rule != "href:dotless"}
    for el, refs in own.items():
        own[el] = [r for r in refs if r.rule != "href:dotless" or r.aid.id in confirmed_ids]
    if items:
        return _reading(root.cssselect(items), elements, own, f"css:{items}", set(), True)
    ids: dict[etree._Element, set[str]] = {}
    for el in reversed(elements):  # every element after all of its descendants
        found = {r.aid.id for r in own[el]}
        for child in el:
            if isinstance(child.tag, str):
                found |= ids[child]
        ids[el] = found
    groups: dict[str, list[etree._Element]] = {}
    for el in elements:
        parent = el.getparent()
        if el.tag in CONTAINERS and len(ids[el]) == 1 and (parent is None or len(ids[parent]) > 1):
            groups.setdefault(_path(el), []).append(el)
    in_furniture = _furniture_test([el for els in groups.values() for el in els])
    for path in list(groups):
        if kept := [el for el in groups[path] if not in_furniture(el)]:
            groups[path] = kept
        else:
            del groups[path]
    # Other elements of a group's shape are items too: a card that also cites a predecessor
    # (its paper is the first it references), the one row of a one-row table (whose parent
    # names no other paper). An element that holds members of the group, or sits inside
    # one, is not.
    order = {id(el): i for i, el in enumerate(elements)}
    members = {path: {id(m) for m in els} for path, els in groups.items()}
    for el in elements:
        if el.tag in CONTAINERS and ids[el] and (path := _path(el)) in groups:
            inside = members[path]
            if id(el) not in inside and not in_furniture(el) \
                    and not any(id(d) in inside for d in el.iterdescendants()) \
                    and not any(id(a) in inside for a in el.iterancestors()):
                groups[path].append(el)
                inside.add(id(el))
    candidates = {p: sorted(els, key=lambda e: order[id(e)]) for p, els in groups.items()
                  if sum(1 for e in els if len(ids[e]) == 1) >= 2}
    if not candidates:
        return None
    stated = stated_counts(root)

    def papers(path: str) -> set[str]:
        return set().union(*(ids[e] for e in candidates[path] if len(ids[e]) == 1))

    sizes = {path: len({_refs_in(e, own)[0].aid.id for e in els}) for path, els in candidates.items()}

    def size(path: str) -> int:
        return sizes[path]

    def rank(path: str) -> tuple[int, int]:
        return size(path), -order[id(candidates[path][0])]

    largest = max(candidates, key=rank)
    confirmed = [p for p in candidates if size(p) in stated]
    chosen, is_confirmed = largest, size(largest) in stated
    if confirmed:
        best = max(confirmed, key=rank)
        if not (size(largest) > size(best) and papers(best) <= papers(largest)):
            chosen, is_confirmed = best, True
    log.debug("cards: %d items at %s (stated %s)", len(candidates[chosen]), chosen, sorted(stated))
    reading = _reading(candidates[chosen], elements, own, chosen, stated, is_confirmed)
    shape = chosen.rsplit(" > ", 1)[-1]
    reading.set_aside = sum(1 for el in elements if ids[el] and _path(el).rsplit(" > ", 1)[-1] == shape
                            and in_furniture(el))
    return reading


def _reading(chosen: list, elements: list, own: dict, path: str, stated: set[int],
             confirmed: bool) -> CardReading:
    """The reading of a page whose items are ``chosen``: a card per item that references a
    paper (each paper once), a citation for every other paper the page references."""
    cards, seen = [], set()
    for el in chosen:
        refs = _refs_in(el, own)
        if refs and refs[0].aid.id not in seen:
            seen.add(refs[0].aid.id)
            cards.append(Card(el, refs))
    inside = {id(x) for c in cards for x in c.element.iter()}
    citations, cited = [], set(seen)
    for el in elements:
        if id(el) in inside:
            continue
        for ref in own[el]:
            if ref.aid.id not in cited:
                cited.add(ref.aid.id)
                citations.append(ref)
    return CardReading(cards, path, stated, confirmed, citations)


def _refs_in(el: etree._Element, own: dict) -> list[Ref]:
    """One reference per paper inside ``el``, in page order; for each paper the one that
    links to it when there is such a link (it carries the URL and the link text)."""
    best: dict[str, Ref] = {}
    for x in el.iter():
        for ref in own.get(x, ()):
            kept = best.get(ref.aid.id)
            if kept is None or (kept.url is None and ref.url):
                best[ref.aid.id] = ref
    return list(best.values())


def is_english_class(el: etree._Element) -> bool:
    """True when an element's class or lang marks it as the English version (``title-en``)."""
    return bool(_EN_CLASS.search(el.get("class") or "")) or (el.get("lang") or "").lower().startswith("en")


__all__ = ["Card", "CardReading", "Ref", "CONTAINERS", "parse_html", "read_cards", "stated_counts",
           "is_english_class"]
