"""DAIR.AI "ML Papers of the Week" (dair-ai/ML-Papers-of-the-Week ``README.md``): one
table per week under ``## Top ML Papers of the Week (June 23 - June 29) - 2025``::

    | **Paper**  | **Links** |
    | ------------- | ------------- |
    | 1) Paper Name  Description ... <br>● point <br>● point | [Paper](url), [Tweet](url) |

One observation per numbered row: ``rank`` is the row's ``N)`` within its week (an
editorial order, ``rank_basis`` ``position``); ``listed_on`` is the first day of the week
the heading states, with ``extra['week_start']``/``week_end`` and ``listed_for: "week"``
so nobody takes a weekly pick for a daily list. The heading's year is the year of the
week's last day (``December 30 - January 5) - 2025`` starts in 2024). A heading without a
year (the 2023 tables) leaves ``listed_on`` empty.

The paper's name and its description share the first cell, separated by two or more
spaces (older tables bold the name: ``**Name** - description``). Two rows of 2025-05-26
have a single space there, so the first double space falls inside the description; the
text before it is therefore searched first for how descriptions begin (``Introduces``,
``Proposes``, ``This paper``..., ``extra['title_split'] = "opener"``). Fails for a name
that itself holds such a word after its first one, or a one-space row whose description
begins differently; a row with no name at all is a problem, not a guessed title. The description, ``<br>``
turned into line breaks, is the digest's ``summary``.

The ``Paper`` link is the observation's ``url``. It goes to arXiv for most rows, and to
blogs, PDFs on CDNs, medRxiv or GitHub for others: an arXiv id is taken only from arXiv or
Hugging Face links, every other URL is kept without one. The ``Tweet`` link is in
``extra['tweet_url']``. Fails (``PageError``) when the text has no numbered row under a
week heading.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, PageError, Parsed, Problem, build, parse_date, set_rank_basis, split_link

log = logging.getLogger(__name__)

_WEEK = re.compile(r"^#{2,3}[ \t]*Top ML Papers of the Week[ \t]*\(([^)\n]*)\)[ \t]*(?:-[ \t]*(\d{4}))?[ \t]*$",
                   re.MULTILINE)
_ROW = re.compile(r"^\|[ \t]*(\d+)\)[ \t]*(.*)$", re.MULTILINE)
_LINK = re.compile(r"\[([^\[\]]*)\]\((\S+?)\)")  # no "[" in a link text: linear on "[[[["
_BOLD_NAME = re.compile(r"^\*\*(.+?)\*\*\s*[-–:]?\s*(.*)$", re.DOTALL)
# How DAIR.AI descriptions begin, for rows whose name and description are one space apart.
_OPENER = re.compile(r"\s(?=(?:Introduces|Proposes|Presents|Investigates|Explores|"
                     r"This (?:paper|work|study|survey|report)|The authors|"
                     r"It (?:proposes|introduces|presents))\b)")
_ID_HOSTS = ("arxiv.org", "huggingface.co")


def sniff(text: str, url: str) -> bool:
    """A ``Top ML Papers of the Week (...)`` heading and ``| N) ...`` table rows."""
    return bool(_WEEK.search(text)) and bool(_ROW.search(text))


def week_days(label: str, year: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of ``June 23 - June 29`` in ``year`` (the last day's year)."""
    start, sep, end = label.partition("-")
    if not sep or not year:
        return None, None
    end_day = parse_date(f"{end.strip()} {year}")
    start_day = parse_date(f"{start.strip()} {year}")
    if start_day and end_day and start_day > end_day:
        start_day = parse_date(f"{start.strip()} {int(year) - 1}")
    return start_day, end_day


def split_name(cell: str) -> tuple[str | None, str, str | None]:
    """``(name, description, how)``: how the first cell was split, or name None."""
    bold = _BOLD_NAME.match(cell)
    if bold:
        return bold[1].strip(), bold[2], "bold"
    parts = re.split(r"[ \t]{2,}", cell.strip(), maxsplit=1)
    # A description that begins one space after the name runs on to a later double space.
    opener = _OPENER.search(parts[0])
    if opener and opener.start() > 0:
        return parts[0][: opener.start()].strip(), cell.strip()[opener.end():], "opener"
    if len(parts) == 2:
        return parts[0], parts[1], None
    return None, cell, None


def _id_of(link: str | None):
    host = (split_link(link).hostname or "") if link else ""
    if any(host == h or host.endswith("." + h) for h in _ID_HOSTS):
        return parse_arxiv_id(link)
    return None


def parse(text: str, url: str) -> Parsed:
    """One observation per numbered row of each week's table."""
    weeks = list(_WEEK.finditer(text))
    if not weeks:
        raise PageError("DAIR.AI papers of the week: no 'Top ML Papers of the Week (...)' heading", text[:300])
    parsed = Parsed()
    for w, week in enumerate(weeks):
        section = text[week.end(): weeks[w + 1].start() if w + 1 < len(weeks) else len(text)]
        start_day, end_day = week_days(week[1], week[2])
        label = collapse_whitespace(week[1]) + (f" {week[2]}" if week[2] else "")
        for row in _ROW.finditer(section):
            line = row[2].rstrip().removesuffix("|").rstrip()
            first, sep, links_cell = line.rpartition("|")
            if not sep:
                first, links_cell = line, ""
            name, description, how = split_name(first.strip())
            if not name:
                parsed.problems.append(Problem(f"week {label}, row {row[1]}: no paper name before its description",
                                               row[0][:300]))
                continue
            links = _LINK.findall(links_cell)
            paper = next((u for lab, u in links if lab.strip().lower() == "paper"), None)
            paper = paper or next((u for lab, u in links if "tweet" not in lab.lower()), None)
            tweet = next((u for lab, u in links if "tweet" in lab.lower()), None)
            aid = _id_of(paper)
            extra = {"week": label, "week_start": start_day.isoformat() if start_day else None,
                     "week_end": end_day.isoformat() if end_day else None, "listed_for": "week"}
            if tweet:
                extra["tweet_url"] = tweet
            others = [u for _, u in links if u not in (paper, tweet)]
            if others:
                extra["other_links"] = others
            if how:
                extra["title_split"] = how
            points = [collapse_whitespace(p) for p in re.split(r"<br\s*/?>", description)]
            build(parsed, row[0], source=Source.DIGEST, url=paper, rank=int(row[1]),
                  title=collapse_whitespace(name), arxiv_id=aid.id if aid else None,
                  arxiv_version=aid.version if aid else None, listed_on=start_day,
                  summary="\n".join(p for p in points if p) or None, extra=extra)
    if not parsed.observations and not parsed.problems:
        raise PageError("DAIR.AI papers of the week: no '| N) ...' rows under the week headings",
                        text[weeks[0].start(): weeks[0].start() + 300])
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-dair-ai", Source.DIGEST, sniff, parse)
