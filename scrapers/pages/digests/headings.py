"""Headings the Markdown readers do not see, written as ATX (``#``) headings: setext
headings, and Typst's (with its links written as Markdown's).

Setext headings ("Title" over a line of ``===`` or ``---``):

The Markdown readers find headings by their ``#`` (:data:`.post_sections.HEADING`); a post
that underlines its headings, as CommonMark allows, had none: its title's day was not read
(the file's name was taken) and a list under an underlined "Older lists" heading was read
as the day's. Each setext heading becomes ``# Title`` (``===``) or ``## Title`` (``---``),
its underline an empty line, so line numbers are kept: one line for one.

When it fails: a line of ``---`` right under a paragraph meant as a rule, not a heading,
makes that paragraph a heading, as CommonMark itself reads it; a line under a list item,
a table row, a quote or a heading is left alone (CommonMark does not read those as headings).
"""

from __future__ import annotations

import re

from .item_fields import FENCE

_UNDERLINE = re.compile(r"^ {0,3}(=+|-{2,})[ \t]*$")
_NOT_A_TITLE = re.compile(r"^\s*(?:#|[-*+>|]\s|\d{1,3}[.)]\s|```|~~~|<)|^\s*$|^ {4}")


def has_setext(text: str) -> bool:
    """Whether ``text`` may hold a setext heading: a line of only ``=`` or ``-`` characters."""
    return re.search(r"^ {0,3}(?:=+|-{2,})[ \t]*$", text, re.M) is not None


def setext_to_atx(text: str) -> str:
    """``text`` with each setext heading outside code blocks written with ``#``."""
    lines = text.split("\n")
    in_code = False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code or i == 0 or not (m := _UNDERLINE.match(line)):
            continue
        above = lines[i - 1]
        if _NOT_A_TITLE.match(above) or (i >= 2 and lines[i - 2].strip() and not _NOT_A_TITLE.match(lines[i - 2])):
            continue  # a list item, table row, heading or blank above; or a paragraph of several lines
        lines[i - 1] = ("# " if m[1].startswith("=") else "## ") + above.strip()
        lines[i] = ""
    return "\n".join(lines)


# Typst's headings ("== Earlier", "= Letter of 28 December"; a line ending in "=" is
# MediaWiki's) and its links: #link("https://...")[text].
_EQUALS_HEADING = re.compile(r"^(={1,6})[ \t]+(\S(?:.*\S)?)[ \t]*$")
_TYPST_LINK = re.compile(r'#link\("([^"\s]{1,2000})"\)\[([^\]\n]{0,500})\]')
_TYPST = re.compile(r'^#(?:set|show|let|import)\b|#link\("', re.M)


def looks_like_typst(text: str) -> bool:
    """Whether ``text`` is Typst markup: a ``#set``/``#show``/``#let``/``#import`` line or
    a ``#link("...")``. (AsciiDoc's "== Title" is rewritten before, by :mod:`.asciidoc`;
    MkDocs' ``=== "Tab"`` is not read as a heading: its sections hold its lists as they are.)"""
    return _TYPST.search(text) is not None


def typst_to_markdown(text: str) -> str:
    """Typst's ``= Title`` headings written with ``#`` and its ``#link("url")[text]`` as
    ``[text](url)``; one line for one.

    Why: a Typst letter's "== Earlier" list was read as the day's (its items got the
    day, ranks and counts), and its titles kept ``#link("...")[``."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if (m := _EQUALS_HEADING.match(line)) and not m[2].endswith("="):
            lines[i] = f"{'#' * len(m[1])} {m[2]}"
    return _TYPST_LINK.sub(lambda m: f"[{m[2]}]({m[1]})", "\n".join(lines))
