"""The day of a post's list (``listed_on``): where a post names it, and where it does not surely.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote, urlsplit


from ..base import MONTHS, calendar_day, parse_date
from .item_fields import clean

from .post_sections import HEADING, Section, has_paper_link


_DATE_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# A line that states when the list was made: "Last update: 2026-02-13", "更新日期：...".
_DATE_LINE = re.compile(r"^\W{0,6}(?:(last\s+update[d]?|updated(?:\s+on)?|更新(?:日期|时间)?)|date|日期"
                        r"|published(?:\s+on)?|posted(?:\s+on)?|listed(?:\s+on)?)\s*[:：]\s*(.{6,40})$", re.I)
# Words of a heading that names a span of days, not the day of a list: "Top papers since
# 2026-06-08", "Weekly recap (2026-06-22 to 2026-06-26)", "Last week's papers".
# ("Heron Weekly", "the weekly pick" name a publication, not a span.)
_SPAN_WORDS = re.compile(r"\b(?:since|until|through|thru|(?:this|past|of\s+the)\s+(?:week|month)|week\s+of"
                         r"|week(?:'s|’s)|month(?:'s|’s)|recap|yesterday(?:'s|’s)?|last|past\s+\d+\s+days)\b", re.I)
# Other forms of a span: an ISO week ("2026-W29"), a week by number ("week 29"), a weekly or
# monthly list ("Weekly top papers", "Monthly highlights"; "the weekly pick", "Heron weekly
# digest" name a publication), a range of days ("20–24 July 2026",
# "July 13-19").
_M = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_SPAN_FORMS = re.compile(r"\b\d{4}-?W\d{2}\b|\bweek\s*#?\d{1,2}\b"
                         r"|\b(?:weekly|monthly)\s+(?:top|best|papers?|highlights?|round-?ups?|favou?rites"
                         r"|recap|summary)\b"
                         rf"|\b\d{{1,2}}\s*[-–—]\s*\d{{1,2}}\s+{_M}|\b{_M}\s+\d{{1,2}}\s*[-–—]\s*\d{{1,2}}\b", re.I)
# A month and its year without a day ("Best of July 2026"): a month's list.
_MONTH_YEAR = re.compile(rf"\b{_M}\s+\d{{4}}\b", re.I)
# Words of the prose before a list that say it covers a span (not "Last update: ...", nor
# "This week we pair..."): "the papers of the week", "the week's totals", "Monday to Friday".
_INTRO_SPAN = re.compile(r"\b(?:of\s+the\s+(?:week|month)\b|(?:week|month)(?:'s|’s)\s+(?:totals?|papers|list|top|best|picks)"
                         r"|monday\s+(?:to|through|-)\s+friday\b)", re.I)
# A day written in numbers only, whose order of day and month cannot be told.
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")
# A month and a day without a year: "13 June", "June 13".
_MONTH_DAY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
                        r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
                        re.I)
# Every way a heading may name a day, to count them: ISO, month names, CJK, and numeric
# forms whose order of day and month cannot be told (03/04/2026, 04.03.2026).
_ANY_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
                       r"(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct"
                       r"|nov|dec)[a-z]*\b"
                       r"|\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", re.I)
# Where a lead's title ends and its prose begins: a double space (tables), a dash or pipe
# between spaces, or a sentence opening the way English summaries open.


def date_in(text: str | None) -> dt.date | None:
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
    "last week", "weekly recap", "2026-W29", "20–24 July 2026", "Best of July 2026"), more than one day ("issue of 2026-06-12, covering the papers
    of 2026-06-11"), or a day in a form whose order of day and month is not sure
    ("03/04/2026"), or when the prose before the list says it covers a span ("the papers of
    the week"): the post then does not say which day its list is of, and a date found
    further down (its publication, the file's name) would be a guess. A heading that links a
    paper is that paper's (its title may hold a date) and is passed over. A "Published:"
    line wins over an "Updated:" one (a fix to a post does not move its list's day). A
    heading naming a day without its year is that day only when the day found further down
    agrees."""
    first = next((m[2] for ln in body.splitlines() if (m := HEADING.match(ln)) and not has_paper_link(m[2])), None)
    for text, rule in ((first, "heading"), (meta.get("title"), "front_matter:title")):
        if text and (_SPAN_WORDS.search(text) or _SPAN_FORMS.search(text)
                     or (_MONTH_YEAR.search(text) and not _ANY_DATE.search(text))
                     or len(set(_ANY_DATE.findall(text))) > 1
                     or (_NUMERIC_DATE.search(text) and not date_in(text))):
            return None, None
    # The prose before the list may say it covers a week ("the three papers of the week,
    # Monday to Friday", "2026-W17 · 2026-04-19 ~ 2026-04-25") under a heading naming one
    # day; its dates are not counted (a "Published:" and an "Updated:" line are two).
    intro = _intro(body)
    if intro and (_INTRO_SPAN.search(intro) or _SPAN_FORMS.search(intro)):
        return None, None
    day, rule = _found_day(first, meta, body, url)
    # A heading naming a day without its year ("Daily papers — 13 June") takes the year of
    # the day found further down only when that day is the one it names; otherwise the
    # post names two days.
    if first and not date_in(first) and (short := _MONTH_DAY.search(first)) and day is not None:
        month = MONTHS.get(short[1][:3].lower() if short[1] else short[4][:3].lower())
        if (month, int(short[2] or short[3])) != (day.month, day.day):
            return None, None
    return day, rule


def _intro(body: str) -> str | None:
    """The prose before a post's list (after its first heading, before the first item,
    heading, table or paper link), where a post says what its list covers ("the three
    papers of the week ... Monday to Friday"); at most 600 characters."""
    lines: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if HEADING.match(line):
            if lines:
                break
            continue
        if re.match(r"^(?:[-*+]\s|\d{1,3}[.)]\s|\|)", stripped) or has_paper_link(line):
            break
        lines.append(stripped)
    text = " ".join(x for x in lines if x)[:600]
    return text or None


def _found_day(first: str | None, meta: dict[str, str], body: str, url: str) -> tuple[dt.date | None, str | None]:
    """The first day a post names: its heading, front matter, a date line, its file name."""
    for text, rule in ((first, "heading"), (meta.get("title"), "front_matter:title"),
                       (meta.get("date"), "front_matter:date")):
        if found := date_in(text):
            return found, rule
    updated = None
    for line in body.splitlines()[:60]:
        if (m := _DATE_LINE.match(clean(line))) and (found := date_in(m[2])):
            if not m[1]:
                return found, "document:date line"
            updated = updated or found
    if updated:
        return updated, "document:date line"
    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", name)
    return (parse_date(dates[0]), "filename") if len(dates) == 1 and parse_date(dates[0]) else (None, None)


def section_days(items: list[Section], day: dt.date | None, day_rule: str | None
                  ) -> list[tuple[dt.date | None, str | None]]:
    """The day of each item: the document's, unless the items sit under headings that name
    two or more days (a weekly recap, "## Monday, 2026-03-16"); then the day its own
    heading names, or none when its heading names none (the document's day is the day it
    was written, not surely the day that item was listed)."""
    days = {x.parent: date_in(x.parent) for x in items if x.parent}
    if len({d for d in days.values() if d}) < 2:
        return [(day, day_rule)] * len(items)
    return [(own, "heading:section") if (own := days.get(s.parent)) else (None, None) for s in items]

