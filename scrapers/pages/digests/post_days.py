"""The day of a post's list (``listed_on``): where a post names it, and where it does not surely.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote, urlsplit


from ..base import MONTHS, calendar_day, parse_date
from .item_fields import FENCE, clean

from .post_sections import HEADING, Section, has_paper_link


_DATE_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# A year of an era: Japan's Reiwa (令和8年 is 2026) and Heisei, the Republic of China's
# Minguo (民國115年 is 2026); the year counts from the era's first.
_DATE_ERA = re.compile(r"(令和|平成|民國|民国)\s*(\d{1,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ERA_START = {"令和": 2018, "平成": 1988, "民國": 1911, "民国": 1911}
# A line that states when the list was made: "Last update: 2026-02-13", "更新日期：...".
_DATE_LINE = re.compile(r"^\W{0,6}(?:(last\s+update[d]?|updated(?:\s+on)?|更新(?:日期|时间)?)|date|日期"
                        r"|published(?:\s+on)?|posted(?:\s+on)?|listed(?:\s+on)?)\s*[:：]\s*(.{6,40})$", re.I)
# Words of a heading that names a span of days, not the day of a list: "Top papers since
# 2026-06-08", "Weekly recap (2026-06-22 to 2026-06-26)", "Last week's papers".
# ("Heron Weekly", "the weekly pick" name a publication, not a span.)
_SPAN_WORDS = re.compile(r"\b(?:since|until|through|thru|(?:this|past|of\s+the)\s+(?:week|month)|week\s+of"
                         r"|week(?:'s|’s)|month(?:'s|’s)|recap|yesterday(?:'s|’s)?|last|past\s+\d+\s+days|weekend"
                         # "yesterday" in Spanish, Portuguese, Italian, Dutch, Russian
                         r"|ayer|ontem|ieri|gisteren|вчера)\b", re.I)
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


# Month names of the languages digests are written in besides English (German, French,
# Spanish, Portuguese, Italian, Dutch, Russian in the genitive and nominative, Arabic as
# written in Egypt and the Gulf): a day written "20. Dezember 2026", "21 décembre 2026",
# "24 de dezembro de 2026", "23 декабря 2026", "٢٣ ديسمبر ٢٠٢٦".
_FOREIGN_MONTHS = {name: n for n, names in enumerate((
    "januar janvier enero janeiro gennaio januari января январь يناير",
    "februar février fevrier febrero fevereiro febbraio februari февраля февраль فبراير",
    "märz maerz mars marzo março marco maart марта март مارس",
    "april avril abril aprile апреля апрель أبريل ابريل",
    "mai mayo maio maggio mei мая май مايو",
    "juni juin junio junho giugno июня июнь يونيو",
    "juli juillet julio julho luglio июля июль يوليو",
    "august août aout agosto augustus августа август أغسطس اغسطس",
    "september septembre septiembre setiembre setembro settembre сентября сентябрь سبتمبر",
    "oktober octobre octubre outubro ottobre october октября октябрь أكتوبر اكتوبر",
    "november novembre noviembre novembro ноября ноябрь نوفمبر",
    "dezember décembre decembre diciembre dezembro dicembre december декабря декабрь ديسمبر",
), 1) for name in names.split()}
_FOREIGN_NAME = "|".join(sorted(map(re.escape, _FOREIGN_MONTHS), key=len, reverse=True))
_FOREIGN_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s+(?:de\s+)?({_FOREIGN_NAME})\.?,?\s+(?:de\s+)?(\d{{4}})(?!\d)", re.I)
# A year first, then month and day, in numbers: "2026/12/21", "2026.12.22" (never day first).
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
# Arabic-Indic and Persian digits, as an Arabic page writes a date.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


def date_in(text: str | None) -> dt.date | None:
    """A calendar date in ``text``: ISO, English month names, 2026年2月5日 or 2026년 2월 5일,
    a Japanese or Chinese era's year, a year first in numbers (``2026/12/21``,
    ``2026.12.22``), a month named in another language (:data:`_FOREIGN_MONTHS`), or numbers
    with a four-digit year whose order of day and month is sure (:func:`numeric_day`)."""
    if not text:
        return None
    text = text.translate(_DIGITS)
    if era := _DATE_ERA.search(text):
        return calendar_day(_ERA_START[era[1]] + int(era[2]), era[3], era[4])
    m = _DATE_CJK.search(text)
    if m:
        return calendar_day(m[1], m[2], m[3])
    if found := parse_date(text):
        return found
    if m := _YEAR_FIRST.search(text):
        return calendar_day(m[1], m[2], m[3])
    if m := _FOREIGN_DATE.search(text):
        return calendar_day(m[3], _FOREIGN_MONTHS[m[2].casefold()], m[1])
    return numeric_day(text)


# A heading that names a day this reader cannot read: a day, a word that may be a month's
# name and a year ("20 Dez. 2026", "Dic 20, 2026"; not "Week 24, 2026"), or a month and day
# in CJK without a year ("12月22日"): the file's name is not its day.
_NOT_A_MONTH = (r"(?!(?:week|woche|semaine|semana|settimana|issue|edition|episode|folge|ausgabe|number|part"
                r"|vol|volume|no|nr|num|kw|day|days|top|best|papers?)\b)")
_UNREAD_DATE = re.compile(rf"(?<!\d)\d{{1,2}}\.?\s*{_NOT_A_MONTH}[^\W\d_]{{3,12}}\.?,?\s+20\d\d(?!\d)"
                          rf"|(?<!\d)20\d\d\s*[/.,-]?\s*{_NOT_A_MONTH}[^\W\d_]{{3,12}}\.?\s*\d{{1,2}}(?!\d)"
                          rf"|\b{_NOT_A_MONTH}[^\W\d_]{{3,12}}\.?\s+\d{{1,2}},?\s+20\d\d(?!\d)"
                          r"|(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")


def numeric_day(text: str) -> dt.date | None:
    """The day of the first date written in numbers (``24.09.2026``, ``13/8/2026``) when
    which number is the day is sure: one of the two is over 12, or both are the same
    (``05.05.2026``). ``03/04/2026`` is March 4 in one country and April 3 in another, and
    ``24.09.26`` may be 2024-09-26: None."""
    m = _NUMERIC_DATE.search(text)
    if not m or not re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}", m[0]):
        return None
    a, b, year = (int(x) for x in re.split(r"[/.]", m[0]))
    if a == b or (a > 12) != (b > 12):
        day, month = (a, b) if a >= b else (b, a)
        return calendar_day(str(year), str(month), str(day))
    return None


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
    if names_a_span(first) or names_a_span(meta.get("title")):
        return None, None
    # The prose before the list may say it covers a week ("the three papers of the week,
    # Monday to Friday", "2026-W17 · 2026-04-19 ~ 2026-04-25") under a heading naming one
    # day; its dates are not counted (a "Published:" and an "Updated:" line are two).
    intro = _intro(body)
    if intro and (_INTRO_SPAN.search(intro) or _SPAN_FORMS.search(intro)):
        return None, None
    day, rule = _found_day(first, meta, body, url)
    if day is not None and rule in ("filename", "document:date line") and (named := _days_before_items(body)) \
            and day not in named:
        # A heading over the list names another day ("## Papers from 2026-12-04" in a post
        # filed under the 5th), or the intro links Hugging Face's list of another day: the
        # file's name or the post's own date is not surely the list's day.
        return None, None
    # A heading naming a weekday and no date ("Thursday's papers") names that day's list: a
    # date found further down (the Friday it was posted) that falls on another weekday is
    # the post's, not its list's.
    for text in (first, meta.get("title")):
        if day is not None and text and not date_in(text) and (named := _weekdays_named(text)) \
                and day.weekday() not in named:
            return None, None
    # A heading naming a day without its year ("Daily papers — 13 June") takes the year of
    # the day found further down only when that day is the one it names; otherwise the
    # post names two days.
    if first and not date_in(first) and (short := _MONTH_DAY.search(first)) and day is not None:
        month = MONTHS.get(short[1][:3].lower() if short[1] else short[4][:3].lower())
        if (month, int(short[2] or short[3])) != (day.month, day.day):
            return None, None
    return day, rule


def names_other_day(text: str | None, day: dt.date) -> bool:
    """Whether ``text`` (a heading, a title, a feed entry's title) names a day that is not
    surely ``day``: another full date; a month and day without a year that are not
    ``day``'s ("the papers of 23 December" of an episode out on the 24th, "12月22日" of a
    post filed under the 23rd); or a day in a form not read here ("20 Dez. 2026",
    :data:`_UNREAD_DATE`). (A span is not asked: "week 27" in a title is an issue.)"""
    if not text:
        return False
    if (found := date_in(text)) is not None:
        return found != day
    if short := _MONTH_DAY.search(text):
        month = MONTHS.get((short[1] or short[4])[:3].lower())
        return (month, int(short[2] or short[3])) != (day.month, day.day)
    m = _UNREAD_DATE.search(text.translate(_DIGITS))
    if m is None:
        return False
    return (int(m[1]), int(m[2])) != (day.month, day.day) if m[1] and m[2] else True


def names_a_span(text: str | None) -> bool:
    """Whether a heading or title names a span of days, more than one day, or a day in a
    form whose order of day and month is not sure, rather than one day: "since 2026-06-08",
    "last week", "weekly recap", "2026-W29", "20–24 July 2026", "Best of July 2026"."""
    return bool(text) and bool(
        _SPAN_WORDS.search(text) or _SPAN_FORMS.search(text)
        or (_MONTH_YEAR.search(text) and not _ANY_DATE.search(text))
        or len(set(_ANY_DATE.findall(text))) > 1
        or (_NUMERIC_DATE.search(text) and not date_in(text)))


_WEEKDAY = re.compile(r"\b(mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?(?:'s|’s)?\b", re.I)
_WEEKDAY_NUMBER = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _weekdays_named(text: str) -> set[int]:
    """The weekdays (Monday 0) a heading names in full or as "Thu"."""
    return {_WEEKDAY_NUMBER[m[1][:3].lower()] for m in _WEEKDAY.finditer(text)
            if len(m[0]) > 3 or m[0][:1].isupper()}


_HF_DAY_LINK = re.compile(r"huggingface\.co/papers(?:\?date=|/date/)(\d{4}-\d{2}-\d{2})")


def _days_before_items(body: str) -> set[dt.date]:
    """The days the headings before a post's first list item name, and the days of the
    Hugging Face day lists its intro links (``huggingface.co/papers?date=D``)."""
    days: set[dt.date] = set()
    for line in body.splitlines()[:80]:
        stripped = line.strip()
        if re.match(r"^(?:[-*+]\s|\d{1,3}[.)]\s|\|)", stripped) and has_paper_link(stripped):
            break
        if (m := HEADING.match(stripped)) and not has_paper_link(m[2]) and (day := date_in(m[2])):
            days.add(day)
        days.update(d for d in (parse_date(x) for x in _HF_DAY_LINK.findall(stripped)) if d)
    return days


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
    """The first day a post names: its heading, front matter, a date line (``Date: ...``,
    or a byline such as ``Posted Oct 10, 2026, 11:45 PM PDT``), its file name.

    The file name's day is a fallback for a post that states none: where a date line
    states a day this reader cannot place (``Posted Oct 10 at 11:45 PM``, no year;
    ``Date: 10/03/2026``) and it is not the file name's, no day is given. (A post written
    late at night is saved under the next day's date by a crawler keeping UTC.)"""
    for text, rule in ((first, "heading"), (meta.get("title"), "front_matter:title"),
                       (meta.get("date"), "front_matter:date")):
        if found := date_in(text):
            return found, rule
    updated, unsure = None, []
    for line in body.splitlines()[:60]:
        if has_paper_link(line):
            break  # a date line after it is an item's ("Date: ..." of an arXiv mailing's entry)
        m = _DATE_LINE.match(clean(line))
        stated, is_update = (m[2], bool(m[1])) if m else ((p[1], False) if (p := _POSTED.match(clean(line))) else
                                                             (None, False))
        if stated and (found := date_in(stated)):
            if not is_update:
                return found, "document:date line"
            updated = updated or found
        elif stated and not is_update:
            unsure.append(stated)
    if updated:
        return updated, "document:date line"
    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", name)
    day = parse_date(dates[0]) if len(dates) == 1 else None
    if day is None or not all(_may_be(day, text) for text in unsure):
        return None, None
    # A heading or title naming a day this reader cannot read ("Sonntag, 20 Dez. 2026",
    # "12月22日" of a post filed under the 23rd): the file's name is not surely the list's day.
    if names_other_day(first, day) or names_other_day(meta.get("title"), day):
        return None, None
    return day, "filename"


# A byline that says when the post went up, without a colon: "Posted Oct 10, 2026, 11:45
# PM PDT by ...", "Published 3 March 2026". A day must follow the word (not "Posted by").
_POSTED = re.compile(rf"^\W{{0,6}}(?:posted|published)(?:\s+on)?\s+(\d{{4}}-\d{{2}}-\d{{2}}.*|{_M}\s+\d{{1,2}}\b.*"
                     rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}.*|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b.*)$", re.I)


def _may_be(day: dt.date, text: str) -> bool:
    """Whether a date line's text that names no full date may still name ``day``: it names
    no day at all, or a month and day (``Oct 10``) that are ``day``'s, or numbers whose
    order of day and month is unsure (``10/03/2026``) one order of which is ``day``'s."""
    if m := _NUMERIC_DATE.search(text):
        a, b = (int(x) for x in re.findall(r"\d+", m[0])[:2])
        return (day.month, day.day) in ((a, b), (b, a))
    if m := _MONTH_DAY.search(text):
        month = MONTHS.get((m[1] or m[4])[:3].lower())
        return (month, int(m[2] or m[3])) == (day.month, day.day)
    return True


def section_days(items: list[Section], day: dt.date | None, day_rule: str | None,
                 lines: list[str] | None = None) -> list[tuple[dt.date | None, str | None]]:
    """The day of each item: the document's, unless the items sit under headings that name
    two or more days (a weekly recap, "## Monday, 2026-03-16"); then the day its own
    headings name, or none when they name none (the document's day is the day it was
    written, not surely the day that item was listed).

    An item's headings are all those it sits under, nearest first (with ``lines``; else its
    nearest one): a changelog's "## [2026-10-06]" over "### Added" over the items names
    their day two levels up. When it fails: a date in a heading that is no day of a list
    (a conference's, a deadline's) is taken for one when another heading names another."""
    if lines is None:
        chains = [[(s.parent, s.parent)] if s.parent else [] for s in items]
    else:
        headings = _headings(lines)
        chains = [_own_words(s) + heading_chain(headings, s.start, s.kind[1] if s.kind[0] == "h" else 7) for s in items]
    return days_under_headings(chains, day, day_rule)


_MD_LINK_TEXT = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)")


def _own_words(s: Section) -> list[tuple[object, str]]:
    """A heading item's own words outside its paper's link ("## Day 22 — [Title](...)"),
    as the first of its chain: an advent calendar's or a recap's headings name each item's
    day there, not in a heading above it. Only a heading that links its paper is read so:
    the rest of it is then no title (a title may hold numbers that look like a day)."""
    if s.kind[0] != "h" or not has_paper_link(s.lead):
        return []
    words = clean(_MD_LINK_TEXT.sub(" ", s.lead.splitlines()[0]))
    return [(("own", s.start), words)] if words else []


def days_under_headings(chains: list[list[tuple[object, str]]], day: dt.date | None, day_rule: str | None
                        ) -> list[tuple[dt.date | None, str | None]]:
    """The day of each item from the headings it sits under (``chains``: each item's
    headings, nearest first, as (which heading, its text)), for the Markdown reader and the
    HTML cards alike: the document's day, unless the items' headings name two or more
    days; then the first day its own headings name (``heading:section``), or none.

    A heading over every item (the page's title, "Weekly recap (published 2031-03-22)")
    names the document's day, not one item's: it is not read here."""
    common = set.intersection(*({key for key, _ in chain} for chain in chains)) if chains else set()
    own = [next((found for key, text in chain if key not in common and (found := date_in(text))), None)
           for chain in chains]
    # Headings that name days in a form not read here ("Mon 21/12", "Day 22"): two or more
    # of them make the post one of several days all the same, and their items' days unknown.
    named = {text for chain in chains for key, text in chain if key not in common and _names_a_day(text)}
    if len({d for d in own if d}) < 2 and len(named) < 2:
        found = [(day, day_rule)] * len(chains)
    else:
        found = [(d, "heading:section") if d else (None, None) for d in own]
    # A heading over some of the items that says they are of another day or of a span
    # ("Yesterday's top (Tuesday, January 12)", "This week's top" in a newsletter of the
    # 13th) gives them that day, or none.
    # (Not one over every item: as above, it names the page's list, which listed_on read.)
    other = [next((_other_days(text, day) for key, text in chain if not _own_key(key) and key not in common
                   and _other_days(text, day) is not None), None) for chain in chains]
    return [f if o is None else (o, "heading:section") if o else (None, None) for f, o in zip(found, other)]


# "Yesterday" in a heading: in English, Spanish, Portuguese, Italian, Dutch, Russian.
_YESTERDAY = re.compile(r"\b(?:yesterday(?:'s|’s)?|ayer|ontem|ieri|gisteren|вчера)\b", re.I)


def _own_key(key) -> bool:
    """Whether a chain's key is an item's own words (:func:`_own_words`), not a heading."""
    return isinstance(key, tuple) and key[:1] == ("own",)


def _other_days(text: str, day: dt.date | None) -> dt.date | bool | None:
    """What a heading over a page's items says of their day when it is not the page's: the
    day it names beside "yesterday" ("Yesterday's top (Tuesday, January 12)", a day
    without its year taken in the week before ``day``), False when its words name a span
    ("This week's top", "Since Monday") or "yesterday" without a day, None when it says
    neither. (A heading of an archive by week, "2031 — Week 24", over rows dated each, is
    not read: its rows' dates say their days.)

    Why: a newsletter puts yesterday's list and the week's on one page under its own date;
    that date is neither list's day. When it fails: a heading that uses a span word in
    another sense ("Last but not least") leaves its items without a day."""
    if _SPAN_WORDS.search(_YESTERDAY.sub(" ", text)):
        return False
    if not _YESTERDAY.search(text):
        return None
    found = date_in(text)
    if found is None and day is not None and (m := _MONTH_DAY.search(text)):
        month = MONTHS.get((m[1] or m[4])[:3].lower())
        found = next((d for back in range(1, 8) if (d := day - dt.timedelta(days=back)).month == month
                      and d.day == int(m[2] or m[3])), None)
    return found or False


# A heading that names a day, read or not: a date, a weekday with a number ("Mon 21/12"), a
# day and month in numbers, "Day 22".
_DAYISH = re.compile(r"(?<!\d)\d{1,2}[/.]\d{1,2}(?![\d/.])|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+\d"
                     r"|\bday\s+\d{1,3}\b", re.I)


def _names_a_day(text: str) -> bool:
    """Whether a heading names a day, in a form read here or not (:data:`_DAYISH`)."""
    return bool(date_in(text) or _DAYISH.search(text) or _UNREAD_DATE.search(text.translate(_DIGITS)))


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """Every heading of a Markdown text outside code blocks: (line, level, text)."""
    found, in_code = [], False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and (m := HEADING.match(line)):
            found.append((i, len(m[1]), clean(m[2])))
    return found


def heading_chain(headings: list[tuple[int, int, str]], start: int, level: int = 7) -> list[tuple[int, str]]:
    """The headings a line at ``start`` sits under, nearest first, as (line, text): each of
    a higher level (fewer ``#``) than the one before it, the first above ``level`` (the
    item's own heading level, 7 for a list item or a row)."""
    chain = []
    for i, lvl, text in reversed(headings):
        if i < start and lvl < level:
            chain.append((i, text))
            level = lvl
    return chain


# Headers of a table's column that gives each row a day: "| Date | Paper | ... |".
DATE_HEADERS = {"date", "day", "listed", "listed on", "added", "日期", "日付", "날짜"}
_DAY_FORM = (rf"\d{{4}}-\d{{2}}-\d{{2}}|{_M}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
             rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}(?:\s+\d{{4}})?")
# An item's own words naming the list it came from: "from the Oct 8 list", "on the
# 2026-10-08 digest", "Oct 8's list", "listed on 8 October".
_LIST_DAY = re.compile(rf"\b(?:(?:from|on|in)\s+(?:the\s+)?({_DAY_FORM})(?:'s|’s)?\s+(?:list|digest|edition|issue|daily)\b"
                       rf"|({_DAY_FORM})(?:'s|’s)\s+(?:list|digest|edition|issue)\b"
                       rf"|listed\s+(?:on\s+)?({_DAY_FORM}))", re.I)


def own_day(day: dt.date | None, day_rule: str | None, text: str, stated: str | None = None
            ) -> tuple[dt.date | None, str | None, dict]:
    """An item's day, given the day around it (``day``) and what the item says of its own:
    ``stated``, the cell under a ``Date`` column, where the day around it is only the file
    name's; else its words naming the list it came from ("from the Oct 8 list"). With what
    to keep in its ``extra``.

    An item that names another day than the one around it gets none, its own kept as
    ``extra['item_date']`` (a full date) or ``extra['list_day_stated']`` (a day without its
    year): a row's date may be the paper's publication, not its listing, and a day without
    its year is not placed here; either way the day around it is not surely the item's. A
    post that states its list's day itself ("Last update: 2026-02-13" over rows dated by
    arXiv) keeps it for its dated rows: the rows' dates are then another thing than it.
    When it fails: a list whose every row is dated by publication, on the list's own day,
    keeps its day (they agree); a date in words this reader does not know is not seen."""
    if day_rule != "filename":
        stated = None
    if not stated:
        m = _LIST_DAY.search(text)
        stated = next((g for g in m.groups() if g), None) if m else None
    if not stated or day is None:
        return day, day_rule, {}
    if found := date_in(stated):
        return (day, day_rule, {}) if found == day else (None, None, {"item_date": found.isoformat()})
    if m := _MONTH_DAY.search(stated):
        month = MONTHS.get((m[1] or m[4])[:3].lower())
        if (month, int(m[2] or m[3])) != (day.month, day.day):
            return None, None, {"list_day_stated": clean(m[0])}
    return day, day_rule, {}
