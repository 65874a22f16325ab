"""Titles of a post's items: which candidate text is a paper's title, and what around it is not.

Shared by the Markdown reader (:mod:`.generic`) and the card reader (:mod:`.card_items`).
"""

from __future__ import annotations

import re
import unicodedata

from reconcile.text import collapse_whitespace

from .item_fields import (BOLD, BULLET, LABEL, META_LABELS, EMPHASIS, RANK, clean, is_generic_label, is_latin,
                          looks_like_file, without_id)


_PROSE_START = re.compile(r"\s{2,}| — | \| |\s(?=(?:This (?:paper|work|study|report)|Introduces|Proposes"
                          r"|Presents|Investigates|Explores|Shows)\b)")


# A tag a post sets in brackets after a title: "[Oral]", "[Spotlight]", "[ICLR 2026]", "[New]".
# A venue and its year, with a word or two after it: "ICLR 2026", "NeurIPS'25 Oral".
_VENUE_TEXT = r"(?:[A-Z][A-Za-z]{1,9}\s*'?\d{2,4}|\d{4}\s+[A-Z][A-Za-z]{1,9})(?:\s+[A-Za-z]{1,12}){0,3}"
_TAG = re.compile(rf"\s*\[(?:oral|spotlight|poster|highlight|best\s+paper[^\]]{{0,20}}|new|hot|updated|v\d{{1,2}}"
                  rf"|{_VENUE_TEXT})\]$", re.I)
# A second name in brackets right after a bold title, of three words or more.
_SECOND_NAME = re.compile(r"\s*\(\s*[*_]{0,2}((?:[^()\s*_]+\s+){2,}[^()\s*_]+)[*_]{0,2}\s*\)")
_VENUE = re.compile(_VENUE_TEXT)
_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“", "‘": "’", "「": "」"}


# A place or a label a post writes before a title: "#1 — ...", "No. 2: ...", "Paper 3: ...",
# "Spotlight ★ ...", "Editor's pick: ...".
_LEAD_TAG = re.compile(r"^\s*(?:(?:#|No\.?\s*|(?:Paper|Item|Pick)\s*#?\s*)\d{1,3}\s*[—–:·.|-]"
                       r"|(?:Spotlight|Oral|New|Hot|Featured|Top\s+pick|Editor(?:'|’)?s\s+pick|Pick\s+of\s+the\s+day)"
                       r"(?:\s*[★☆⭐🏆🔥]|\s*[:—–·|]\s|\s+-\s))\s*", re.I)


def strip_lead_tag(text: str) -> str:
    """``text`` without a place or a label before it (:data:`_LEAD_TAG`)."""
    return _LEAD_TAG.sub("", text)


def _tidy(text: str) -> str:
    """A title without the post's markup around or inside it: emphasis ("*Diffusion* Models
    Can **Plan**"), emoji before or after it ("🔥 ..."), and quotes around the whole of it
    (“Do Transformers Dream?”), a tag in brackets after it ("[Oral]", "[ICLR 2026]"), a place or
    a label before it ("#1 — ", "Spotlight ★ "), words struck out. None of these is part of
    the title arXiv lists."""
    text = EMPHASIS.sub(r"\1", re.sub(r"\*\*|__", "", re.sub(r"~~[^~\n]*~~", "", text)))
    text = _TAG.sub("", _LEAD_TAG.sub("", text))
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


# A list item's bullet before its text ("* Title https://...", "+ Title"), where a line of
# plain text is read as the item (a bullet the Markdown step did not take for a list).


def lead_titles(lead: str, heading: bool) -> list[tuple[str | None, str]]:
    """Title candidates of a section's lead: its first bold text, then the lead itself
    without number, markers and trailing prose (cut at a double space, as tables do)."""
    found: list[tuple[str | None, str]] = []
    for m in BOLD.finditer(lead):
        bold = clean(RANK.sub("", m[1] or m[2]))
        if bold and not bold.endswith((":", "：")):
            if (other := _SECOND_NAME.match(lead, m.end())) and len(bold.split()) >= 3 \
                    and not _VENUE.fullmatch(other[1].strip()):
                # "**Modèles de monde pour la conduite** (*World Models for Driving*)": the
                # lead names the paper twice, one a translation; which one is arXiv's title
                # cannot be told from the words alone (both in Latin letters). No title.
                return []
            found.append((bold, "inferred:bold"))
            break
    parts = _PROSE_START.split(RANK.sub("", BULLET.sub("", _title_lines(lead))).strip(), maxsplit=1)
    text = clean(parts[0])
    if len(parts) > 1 and _broken_at_line_end(lead, parts[0]):
        # "Household Ro-" / "   bots": a title cut at a line break after a hyphen (a PDF's
        # text), whose whole ("Robots" or "Ro-bots"; "Long-Horizon") cannot be told. No
        # title from the lead.
        return found
    if len(text) <= 300:
        found.append((text, "heading" if heading else "inferred:lead"))
    return found


# A lead's first part ending in a hyphen after a letter, and the line after going on with
# a letter.
_BROKEN_WORD = re.compile(r"[^\W\d_]-$")
_WORD_GOES_ON = re.compile(r"[ \t]*\r?\n\s*([^\W\d_])")


def _broken_at_line_end(lead: str, first: str) -> bool:
    """Whether ``first``, the start of ``lead`` taken for its title, ends in a hyphen after a
    letter at a line break, the next line going on with a letter: a word cut there ("Ro-" /
    "bots"), or a compound ("Long-" / "Horizon"); either way the title goes on."""
    at = lead.find(first)
    if at < 0 or not _BROKEN_WORD.search(first):
        return False
    m = _WORD_GOES_ON.match(lead, at + len(first))
    return m is not None


def _title_lines(lead: str) -> str:
    """The lead up to its first later line that starts with a symbol (``👉 arxiv.org/...``,
    ``🔥 208 upvotes``, ``▲ 40``): such a line is the item's marker line, not the rest of
    a title wrapped onto two lines, which goes on with a letter or a digit."""
    lines = lead.split("\n")
    for i, line in enumerate(lines[1:], 1):
        first = line.lstrip()[:1]
        if first and unicodedata.category(first) == "So":
            return "\n".join(lines[:i])
    return lead


def title_from_lead(lead: str) -> tuple[str | None, str | None]:
    """The title a section's lead gives, and how it was read (kept for mentions)."""
    title, rule, _ = pick_title(lead_titles(lead, heading=False))
    return title, rule


def labelled_title(value: str) -> str:
    """The title a ``Title:`` label gives: its value without the post's markup, an emphasis
    mark the label reader leaves at its end included (``Original title: *X*`` is read as
    ``X*``: the opening mark goes with the label)."""
    return re.sub(r"(?<=\S)\s*[*_]+$", "", clean(value))


def next_line_title(rest: list[str]) -> str | None:
    """The line after a lead that names nothing (``Paper 3``, ``### 3.``) when it reads
    like a title: short, and not a metadata label, a list item, a link, a URL or a sentence
    ending in a full stop."""
    line = next((ln.strip() for ln in rest if ln.strip()), "")
    label = LABEL.match(line)
    if not line or (label and label[1].strip().lower() in META_LABELS) or "](" in line or "://" in line \
            or re.match(r"^(?:[-*+]\s|\d{1,3}[.)]\s|#|\|)", line):
        return None
    text = clean(line)
    if text.endswith(".") and not text.endswith(".."):  # a sentence ("Title still to be filled in.")
        return None
    return text if 2 <= len(text) <= 200 and not is_generic_label(text) else None

