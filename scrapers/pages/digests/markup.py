"""HTML posts read as Markdown, so one digest parser serves both renderings of a post.

Many digests publish the same post twice: the Markdown in a repository and the HTML a
site generator (or a feed) made of it. Rather than a second parser per format, the HTML is
turned back into Markdown with ``markdownify`` (BeautifulSoup underneath) and read by the
Markdown parser. The options are chosen so the Markdown looks like what people write by
hand: ``#`` headings (not underlined ones), ``-`` bullets, ``**bold**``, links kept as
``[text](url)``, ordered lists keep their numbering (``<ol start="3">`` gives ``3.``),
tables become pipe tables, and ``*``/``_`` in text are not backslash-escaped (titles such
as ``Self_Play`` must survive).

Markdown files often carry a few HTML tags of their own (``<details><summary><b>1.
Title</b></summary>``, ``<br/>``): :func:`inline_html_to_markdown` rewrites those few
tags in place instead of running the whole file through an HTML parser, which would
collapse the Markdown's line structure. :func:`looks_like_html` decides which of the two a
text needs.

What a reader is not shown is not read: ``<script>``, ``<style>``, ``<noscript>`` and
``<template>`` content, and elements hidden by the markup itself (:func:`hidden_by_markup`).
Ordered lists are numbered as a browser numbers them (:func:`list_numbers`: ``start``,
``reversed``, ``<li value>``), not by position.

When it fails: layout that carries meaning only through CSS (a rank shown by a background
image, an element hidden by a stylesheet's class rule) is lost or read as if shown.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter, re_line_with_content

from .item_fields import FENCE, header_labels

log = logging.getLogger(__name__)

_OPTIONS = {
    "heading_style": "ATX",
    "bullets": "-",
    "strong_em_symbol": "*",
    "escape_asterisks": False,
    "escape_underscores": False,
    "escape_misc": False,
    "autolinks": False,
}
# Elements whose content a browser does not show as the page's text.
_UNSHOWN = ("script", "style", "noscript", "template")
# An inline style that hides the element: "display:none", "visibility:hidden" (or
# "collapse"), alone or among other declarations, with or without "!important".
_HIDING_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!\s*important\s*)?(?:;|$)",
    re.IGNORECASE)
_INTEGER = re.compile(r"^\s*([+-]?\d{1,9})\s*$")


# What a link's shown words leave out: struck-out words (a title corrected in place), an
# icon's drawing (an <svg>'s <title> "External link"), words only a screen reader hears
# ("(opens in a new tab)") and a badge beside the title ("NEW").
_NOT_TITLE_TAGS = frozenset({*_UNSHOWN, "del", "s", "strike", "svg"})
_NOT_TITLE_CLASSES = frozenset({"sr-only", "visually-hidden", "screen-reader-text", "screenreader-only", "a11y-hidden",
                                "badge", "tag-new", "label-new"})


def _not_title_classes(classes: set[str]) -> bool:
    """Whether an element's classes (lower case) say it is no part of a link's words:
    :data:`_NOT_TITLE_CLASSES`, or a theme's own screen-reader class
    (VuePress's ``external-link-icon-sr-only``)."""
    return bool(classes & _NOT_TITLE_CLASSES) or any(c.endswith("sr-only") for c in classes)


def shown_words(el) -> str:
    """The words an element shows as its own text (an lxml element): its text and its
    descendants' but those of :data:`_NOT_TITLE_TAGS`, elements hidden by their markup or
    classed as screen-reader text or a badge; soft hyphens and other invisible format
    characters dropped."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        classes = {c.lower() for c in (node.get("class") or "").split()} if tag else set()
        if tag and (tag in _NOT_TITLE_TAGS or _not_title_classes(classes) or hidden_by_markup(tag, node.attrib)):
            if node.tail and node is not el:
                parts.append(node.tail)
            return
        if tag and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    text = "".join(c for c in "".join(parts) if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def readers_reactions(attrs) -> bool:
    """True for an element classed ``reaction(s)``: a chat export's or a forum's reactions to
    the post itself (Telegram's ``<div class="reactions">👍 26 ❤ 4</div>``), which read as
    "👍 26" would pass for the paper's upvotes. They count the post's readers, not the
    paper's, so they are not read. So is a comment section (``id="comments"``, Giscus,
    Disqus, utterances): readers' words under the post, not the post's list."""
    classes = attrs.get("class") or ""
    names = [n.lower() for n in (classes.split() if isinstance(classes, str) else list(classes))]
    ident = str(attrs.get("id") or "").lower()
    return (any(name in ("reaction", "reactions") for name in names)
            or ident in _COMMENT_SECTIONS or ident == "comments" or any(name in _COMMENT_SECTIONS for name in names))


# A class "comments" alone is not one: cards write their comment count in such a span.
_COMMENT_SECTIONS = frozenset({"comment-section", "comments-section", "giscus", "disqus_thread", "disqus",
                               "utterances", "post-comments", "comment-list", "commentlist",
                               # Hacker News's thread of an item's page
                               "comment-tree"})


def hidden_by_markup(tag: str, attrs) -> bool:
    """True when an element's own markup hides it from a reader: a ``hidden`` attribute, or
    an inline ``style`` with ``display:none`` / ``visibility:hidden``. ``attrs`` is the
    element's attribute mapping (lxml's ``attrib`` or BeautifulSoup's ``attrs``).

    Why: pages keep stale or alternative values in hidden elements (yesterday's count, a
    cached number, a placeholder filled in by script); a reader never sees them, so they
    are not what the page states. ``aria-hidden`` is not hiding: it keeps visible text (an
    icon such as 👍) from screen readers only. ``<html>`` and ``<body>`` are never taken as
    hidden: pages hide them while scripts load (anti-flicker snippets) and then show them.
    When it fails: an element hidden by a stylesheet rule or a class (``class="hidden"``) is
    read, and so is an element a script shows at once (a collapsed section shown on load).
    """
    if tag in ("html", "body"):
        return False
    return "hidden" in attrs or bool(_HIDING_STYLE.search(attrs.get("style") or ""))


def _integer(value) -> int | None:
    m = _INTEGER.match(value) if isinstance(value, str) else None
    return int(m[1]) if m else None


def list_numbers(start: str | None, reversed_: bool, values: list[str | None]) -> list[int]:
    """The numbers a browser shows on the items of an ``<ol>``: ``start`` (an attribute
    value or None), whether the list is ``reversed``, and each ``<li>``'s ``value``
    attribute (or None), in order.

    Why: HTML numbers an item by its ``value`` when it has one, else one past (or, reversed,
    one before) the item before it; the first item without a ``value`` takes ``start``,
    which is the number of items for a reversed list and 1 otherwise. A rank read by
    position alone reads a countdown (``<ol reversed>``: 5, 4, 3, 2, 1) backwards. When it
    fails: a stylesheet's counters (``counter-reset``, ``list-style: none`` with numbers
    drawn by CSS) are not seen.
    """
    first = _integer(start)
    if first is None:
        first = len(values) if reversed_ else 1
    step = -1 if reversed_ else 1
    numbers: list[int] = []
    for i, value in enumerate(values):
        own = _integer(value)
        numbers.append(own if own is not None else first if i == 0 else numbers[-1] + step)
    return numbers


class _Converter(MarkdownConverter):
    """markdownify's converter with list items numbered as a browser numbers them."""

    def convert_li(self, el, text, parent_tags):
        """An ``<li>`` of an ``<ol>`` gets the number :func:`list_numbers` gives it; a
        number below 1 gets a ``-`` bullet instead (Markdown cannot show ``-1.``, and a
        rank below 1 is no rank). Other items are markdownify's."""
        parent = el.parent
        if parent is None or parent.name != "ol":
            return super().convert_li(el, text, parent_tags)
        text = (text or "").strip()
        if not text:
            return "\n"
        items = parent.find_all("li", recursive=False)
        numbers = list_numbers(parent.get("start"), parent.has_attr("reversed"),
                               [li.get("value") for li in items])
        number = next((n for li, n in zip(items, numbers) if li is el), None)
        bullet = f"{number}. " if number is not None and number >= 1 else "- "
        indent = " " * len(bullet)
        text = re_line_with_content.sub(lambda m: indent + m[1] if m[1] else "", text)
        return f"{bullet}{text[len(bullet):]}\n"

# Lines that open with a block-level HTML tag, and lines that are Markdown syntax.
_HTML_LINE = re.compile(
    r"^\s*</?(?:html|head|body|article|section|main|header|footer|nav|div|p|h[1-6]|ul|ol|li"
    r"|table|thead|tbody|tr|td|th|blockquote|pre|hr|br|figure|img|a|strong|em|span|dl|dt|dd)\b",
    re.IGNORECASE)
_MARKDOWN_LINE = re.compile(r"^(?:#{1,6}\s|\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+\S|\s*\|.*\|\s*$)|\]\(")
_DOCUMENT_START = re.compile(r"\A\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                             re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML document or fragment rather than Markdown.

    A ``<!DOCTYPE html>``/``<html>`` start decides at once. Otherwise lines that open with a
    block-level tag are counted against lines of Markdown syntax (``#`` headings, list
    items, pipe tables, ``](`` links): HTML wins when it has such lines and at least twice
    as many as Markdown. That keeps a README that wraps its Markdown in a ``<div>`` or
    folds items into ``<details>`` on the Markdown side. Fails for HTML written on one
    line after a Markdown preamble, which then reads as Markdown with inline tags.
    """
    if not text or "<" not in text:
        return False
    if _DOCUMENT_START.match(text):
        return True
    html_lines = markdown_lines = 0
    for line in text.splitlines():
        if _HTML_LINE.match(line):
            html_lines += 1
        elif _MARKDOWN_LINE.search(line):
            markdown_lines += 1
    return html_lines > 0 and html_lines >= 2 * markdown_lines


_SELF_LINK = re.compile(r"^#")
_ANCHOR_MARKS = {"", "#", "¶", "§", "🔗", "⚓", "⚓︎", "link"}


def html_to_markdown(html_text: str) -> str:
    """The Markdown of an HTML document or fragment (see the module docstring for the
    options); what a reader is not shown is left out. Blank-line runs are squeezed to one
    blank line, and lines lose trailing spaces, so two renderings of one post compare equal
    after parsing."""
    # lxml's parser, not Python's html.parser, which rescans from every unclosed start tag
    # (a page of 8,000 "<a href=" took 7 s).
    soup = BeautifulSoup(html_text, "lxml")
    for tag in soup.find_all(lambda t: t.name in _UNSHOWN or hidden_by_markup(t.name, t.attrs)
                             or readers_reactions(t.attrs)):
        if not tag.decomposed:  # not inside one removed before
            tag.decompose()
    for anchor in soup.find_all("a", href=_SELF_LINK):
        # A heading's link to itself ("#", "¶", or nothing, as VuePress, MkDocs, Hexo and
        # Hugo write it): page furniture before the heading's words, which hid its number
        # ("[#](#_1-title) 1. Title") and its title.
        if anchor.get_text(strip=True) in _ANCHOR_MARKS and not anchor.decomposed:
            anchor.decompose()
    for link in soup.find_all("a"):
        # A link's words as it shows them (see shown_words): an icon's drawing and words
        # only a screen reader hears ("2701.05101open in new window") are not its text.
        for inner in link.find_all(lambda t: t.name == "svg" or _not_title_classes({c.lower() for c in t.get("class") or []})):
            if not inner.decomposed:
                inner.decompose()
    for table in soup.find_all("table"):
        _rowspans_as_empty_cells(soup, table)
        _bold_first_row_as_header(table)
    markdown = _Converter(**_OPTIONS).convert_soup(soup)
    lines = [ln.rstrip() for ln in markdown.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _span(cell, name: str) -> int:
    value = str(cell.get(name) or "").strip()
    return min(int(value), 1000) if value.isdigit() and int(value) >= 1 else 1


def _rowspans_as_empty_cells(soup, table) -> None:
    """Give every row of ``table`` the cells a ``rowspan`` above takes from it, empty.

    Why: a Markdown table has no merged cells, and markdownify writes a row without the
    slots a cell above covers, so every later cell of that row moves one column left ("|
    4 | **Title** | 22 |" under "| Area | Rank | Paper | Votes |"): its rank is read as
    its area, its title as its rank. An empty cell keeps each under its header; the merged
    cell's text stays in its first row only (a group's label, as the HTML cards read it,
    not a value of each row). ``colspan`` markdownify writes itself. When it fails:
    ``rowspan="0"`` (to the end of the group) is read as 1."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    taken: dict[tuple[int, int], int] = {}  # (row, column) covered from above -> its width
    for r, tr in enumerate(rows):
        col = 0
        for cell in tr.find_all(("td", "th"), recursive=False):
            while (r, col) in taken:
                cell.insert_before(_empty_cell(soup, taken[(r, col)]))
                col += taken.pop((r, col))
            wide, tall = _span(cell, "colspan"), _span(cell, "rowspan")
            for below in range(r + 1, r + tall):
                taken[(below, col)] = wide
            col += wide
        while (r, col) in taken:
            tr.append(_empty_cell(soup, taken[(r, col)]))
            col += taken.pop((r, col))


def _bold_first_row_as_header(table) -> None:
    """Make the first row of ``table`` its header when the table has none and every cell
    of that row is bold and nothing else (``<td><b>arXiv</b></td>``, as Feishu, Lark and
    Yuque export a table) or its words are a header's (:func:`.item_fields.header_labels`):
    markdownify otherwise writes an empty header above it, and the row of labels is read
    as a row of data, its columns named by nothing."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    if not rows or table.find("th"):
        return
    cells = rows[0].find_all("td", recursive=False)
    bold = [c.find(("b", "strong")) for c in cells]
    if cells and (all(b is not None and b.get_text(strip=True) and b.get_text(strip=True) == c.get_text(strip=True)
                      for b, c in zip(bold, cells)) or header_labels([c.get_text(" ", strip=True) for c in cells])):
        for cell in cells:
            cell.name = "th"


def _empty_cell(soup, wide: int):
    """An empty ``<td>`` of ``soup``, ``wide`` columns wide."""
    cell = soup.new_tag("td")
    if wide > 1:
        cell["colspan"] = str(wide)
    return cell


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(\S(?:.*?\S)?)(?:[ \t]+#+)?[ \t]*$")
_RAW_OPEN = re.compile(r"<(pre|script|style|textarea)\b", re.IGNORECASE)
_RAW_CLOSE = re.compile(r"</(pre|script|style|textarea)\s*>", re.IGNORECASE)


def markdown_headings_as_html(text: str) -> str:
    """``text``, a Markdown page that holds HTML (a notebook saved as Markdown, whose tables
    are pandas' ``<table class="dataframe">``), with its Markdown headings written as HTML
    headings (``## Last week`` as ``<h2>Last week</h2>``), one line for one; an HTML page
    (its first line a tag) is returned as it is.

    Why: the cards of such a page are read from its HTML, where a Markdown heading is plain
    text: a table under "## For comparison: last week's top three" was read as the day's
    list, because no heading was seen over it. Lines in code blocks, ``<pre>``, scripts and
    styles are left alone (a ``# comment`` there is no heading)."""
    first = next((ln for ln in text.lstrip("\ufeff").splitlines() if ln.strip()), "")
    if first.lstrip().startswith("<"):
        return text
    lines = text.split("\n")
    fenced = raw = False
    for i, line in enumerate(lines):
        if FENCE.match(line) and not raw:
            fenced = not fenced
        elif raw:
            raw = not _RAW_CLOSE.search(line)
        elif not fenced and (m := _RAW_OPEN.search(line)) and not _RAW_CLOSE.search(line, m.end()):
            raw = True
        elif not fenced and (m := _MD_HEADING.match(line)):
            lines[i] = f"<h{len(m[1])}>{html.escape(m[2], quote=False)}</h{len(m[1])}>"
    return "\n".join(lines)


# The link's text may hold other tags but not another link: an anchor that never closes
# then stops at the next one instead of being scanned to the end of the text for every
# quote after it (which made a page of unclosed anchors cubic).
_ANCHOR = re.compile(r"<a\b[^<>]*?\bhref\s*=\s*([\"'])([^\"'<>]*)\1[^<>]*>((?:[^<]|<(?!/?a\b))*)</a\s*>",
                     re.IGNORECASE)
# A tag's attributes stop at the next "<" as well as at its ">": a tag that never closes is
# then given up at the next tag, not scanned to the end of the text from every "<" before.
_IMAGE = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"\b(alt|src)\s*=\s*([\"'])([^\"'<>]*)\2", re.IGNORECASE)
_BOLD = re.compile(r"</?(?:b|strong)\b[^<>]*>", re.IGNORECASE)
_ITALIC = re.compile(r"</?(?:i|em)\b[^<>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|details|summary|li|tr|center)\b[^<>]*>", re.IGNORECASE)

_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def _without_comments(text: str) -> str:
    """``text`` without ``<!-- ... -->`` comments; an unclosed one runs to the end, as in a
    browser. Found with ``str.find`` in one pass: a pattern would rescan the rest of the
    text from every unclosed ``<!--`` (quadratic on a page of them)."""
    out, start = [], 0
    while (i := text.find("<!--", start)) != -1:
        out.append(text[start:i])
        j = text.find("-->", i + 4)
        if j == -1:
            return "".join(out)
        start = j + 3
    out.append(text[start:])
    return "".join(out)


def _image(m: re.Match) -> str:
    """An ``<img>`` as Markdown's ``![alt](src)``, which keeps what its text states (a badge's
    ``alt="arXiv:2606.04404"``); an image without alt text is dropped, as before."""
    attributes = {a.lower(): html.unescape(v) for a, _, v in _ATTRIBUTE.findall(m[0])}
    alt = attributes.get("alt", "").strip().replace("[", "(").replace("]", ")")
    return f"![{alt}]({attributes.get('src', '')})" if alt else ""


# An HTML table in a Markdown file (a README's, a docs export's): written as a pipe table,
# its rows stay rows; with its tags dropped, each row's cells ran together into one line.
_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


def inline_html_to_markdown(text: str) -> str:
    """Markdown with its stray HTML tags rewritten: ``<a href>`` -> ``[text](url)``,
    ``<table>`` -> a pipe table (:func:`html_to_markdown`; not one that holds another),
    ``<img alt src>`` -> ``![alt](src)``, ``<b>``/``<strong>`` -> ``**``, ``<i>``/``<em>`` -> ``*``, ``<br>`` and block tags ->
    line breaks (spaces inside a pipe-table row, which must stay one line), comments and
    every other tag dropped, entities decoded.

    The Markdown around the tags is left as it is. Fails on tags that span lines with a
    ``>`` inside an attribute value (rare in hand-written Markdown).
    """
    if "<" not in text and "&" not in text:
        return text
    text = _without_comments(text)
    text = _TABLE.sub(lambda m: m[0] if "<table" in m[0][6:].lower() else f"\n{html_to_markdown(m[0])}\n", text)
    text = _ANCHOR.sub(lambda m: f"[{_ANY_TAG.sub('', m[3]).strip()}]({html.unescape(m[2])})", text)
    text = _IMAGE.sub(_image, text)
    text = _BOLD.sub("**", text)
    text = _ITALIC.sub("*", text)
    # A pipe-table row must stay one line: there a break becomes a space.
    text = "\n".join(_BREAK.sub(" " if line.lstrip().startswith("|") else "\n", line)
                     for line in text.split("\n"))
    text = _ANY_TAG.sub("", text)
    # A Markdown file rarely holds entities on purpose; "&amp;" in a URL means "&".
    text = html.unescape(text)
    return re.sub(r"[ \t]+\n", "\n", text)


__all__ = ["looks_like_html", "html_to_markdown", "inline_html_to_markdown", "hidden_by_markup", "readers_reactions",
           "list_numbers"]
