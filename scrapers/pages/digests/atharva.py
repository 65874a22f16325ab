"""AtharvaDomale/Daily-HuggingFace-AI-Papers: a daily scrape of ``huggingface.co/papers``
saved as JSON (``data/daily/DATE.json``, format ``digest-atharva-json``) and rendered into
the repository's ``README.md`` (``digest-atharva-readme``).

JSON: a list of ``{title, paper_url, authors, stars, details{title, abstract,
arxiv_page_url, pdf_url, github_links, metadata, page_url, scraped_at}, scraped_date}``,
one per card of the listing page, in the page's order. README: per paper
``<details><summary><b>N. Title</b> ⭐ STARS</summary>``, an optional ``👥 Authors`` line
(first five, ``_+N more_``), ``🔗 Links`` (Hugging Face, arXiv, PDF), ``💻 Code`` (first
three) and a ``> `` quote of ``details.abstract`` cut to 247 characters plus ``...``.

``stars`` is NOT an upvote count. ``scraper.py`` reads it from the card's ``a.flex span``;
on these cards that is the GitHub star count of the paper's code repository, abbreviated
the GitHub way (``1.44k``), ``0`` when the card shows no repository. Compared with the
Hugging Face API lists of the same days (window 2025-11..2026-01; 660 papers of these files
are in them, each at its first capture): all 309 non-zero values belong to papers whose
saved ``github_links`` are non-empty; of the 279 papers for which the API states
``githubStars``, all 279 have ``stars >= githubStars`` (27 equal; the API was read around
07:45 UTC, this scrape about 18 hours later, and young repositories gain stars fast;
median ratio 2.45), Spearman 0.85 against ``githubStars`` but 0.52 against ``upvotes``;
``stars`` equals ``upvotes`` for only 12 of the 309 non-zero values; 340 of the 381
papers without ``githubStars`` in the API show ``0`` (the others had a repository linked
later: every non-zero value comes with a GitHub link). So it is kept as
``extra['card_count']`` (the text shown), ``card_count_value`` (the number, ``1.44k`` ->
1440) and ``card_count_is: "github_stars"``; ``upvotes`` stays empty.

Other fields that are not what their names say, measured on the same papers:
``authors`` is the card's avatar list (at most five; author names mixed with Hugging Face
user names, the submitter's among them): of the 269 non-empty lists 1 is the start of the
API's author list, and of the 108 whose every entry is an API author 102 are in reverse
order, so it is ``extra['card_authors']``, not ``authors``. ``details.abstract`` is the
page's first ``div.prose``: the abstract for 151 of 660 papers, a submitter's note, TL;DR
or project link for 482, so it is ``extra['page_prose']``, not ``abstract``.

Days and times: ``scraped_at`` is the runner's naive clock (GitHub Actions, UTC); the
earliest one of a file is ``Parsed.captured_at``. ``scraped_date`` is the capture day, not
the list's: compared with the API lists, the 57 files crawled at ~02:00 UTC hold the list
of the weekday before (weekend and Monday files repeat Friday's), the 2 crawled at ~21:30
UTC the same day's list. The document never names the list's day, so ``listed_on`` stays
empty and ``scraped_date`` is in ``extra``. The README states only ``Last Updated:
<day>``: a publication day (midnight UTC), not a capture time.

The arXiv id is the Hugging Face link's (``paper_url``): ``details.arxiv_page_url`` is the
last ``/abs/`` link on the paper page and names another paper for 3 items (kept then in
``extra['arxiv_page_url']``). ``rank`` is the card's position (README: its ``N.``),
``rank_basis`` ``position``. An item without a title is a problem; the rest are kept. A
README whose ``Papers Today`` badge disagrees with its items is reported as a problem.
Fails when the JSON is not a list of objects, or the text has no items at all.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, PageError, Parsed, Problem, build, parse_date, parse_datetime, set_rank_basis

log = logging.getLogger(__name__)

CARD_COUNT_IS = "github_stars"
_NO_TITLE = {"", "N/A", "None"}
_COUNT = re.compile(r"^\s*([\d.,]+)\s*([kKmM]?)\s*$")
_STARS_KEY = re.compile(r'"stars"\s*:\s*"')
_SUMMARY = re.compile(r"<summary>\s*<b>\s*(\d+)\.[ \t]*(.*?)\s*</b>\s*⭐[ \t]*([^<\s]*)\s*</summary>", re.DOTALL)
_LINK = re.compile(r"\[([^\[\]]*)\]\((\S+?)\)")  # no "[" in a link text: linear on "[[[["
_AUTHORS = re.compile(r"^\*\*👥 Authors:\*\*[ \t]*(.*)$", re.MULTILINE)
_MORE = re.compile(r"(?<!\s)\s*+_\+(\d+) more_\s*$")
_QUOTE = re.compile(r"^>[ \t]?(.*)$", re.MULTILINE)
_UPDATED = re.compile(r"\*\*Last Updated:\*\*[ \t]*(.+)$", re.MULTILINE)
_TODAY_COUNT = re.compile(r"Papers%20Today-(\d+)-")


def card_count_value(shown: str | None) -> int | None:
    """The number a card shows: ``742`` -> 742, ``1.44k`` -> 1440, ``1,204`` -> 1204."""
    m = _COUNT.match(shown or "")
    if not m:
        return None
    try:
        number = float(m[1].replace(",", ""))
    except ValueError:
        return None
    return round(number * {"": 1, "k": 1_000, "m": 1_000_000}[m[2].lower()])


def _card_extra(shown: Any) -> dict[str, Any]:
    shown = str(shown).strip() if shown is not None else None
    return {"card_count": shown, "card_count_value": card_count_value(shown),
            "card_count_is": CARD_COUNT_IS}


def paper_id_and_url(hf_url: str | None, arxiv_url: str | None) -> tuple[Any, str | None, dict[str, str]]:
    """The paper's id (from its Hugging Face link, which names the card's paper), the URL
    to keep, and ``{"arxiv_page_url": ...}`` when the arXiv link names another paper.

    ``scraper.py`` keeps the last ``/abs/`` link of the paper page, which for 3 of the
    1,519 sample items is a paper cited in the abstract or a comment, not the paper itself.
    """
    hf_id, arxiv_id = parse_arxiv_id(hf_url), parse_arxiv_id(arxiv_url)
    if hf_id and arxiv_id and hf_id.id != arxiv_id.id:
        return hf_id, hf_url, {"arxiv_page_url": arxiv_url}
    return arxiv_id or hf_id, arxiv_url or hf_url, {}  # the arXiv link may hold a version


# --- JSON -----------------------------------------------------------------------------------


def sniff_json(text: str, url: str) -> bool:
    """A JSON list whose first item has ``paper_url`` and a string ``stars``."""
    head = text.lstrip("\ufeff \t\r\n")[:4000]
    return head.startswith("[") and '"paper_url"' in head and bool(_STARS_KEY.search(head))


def parse_json(text: str, url: str) -> Parsed:
    """One observation per item of the list, ranked by position."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise PageError(f"atharva JSON: not JSON ({exc.msg} at line {exc.lineno})", text[:300]) from None
    if not isinstance(data, list):
        raise PageError(f"atharva JSON: a {type(data).__name__}, not a list of papers", text[:300])
    if not data:
        raise PageError("atharva JSON: an empty list (the scraper found no cards)", text[:300])
    parsed = Parsed()
    times = []
    for rank, item in enumerate(data, 1):
        excerpt = json.dumps(item, ensure_ascii=False)[:300]
        if not isinstance(item, dict):
            parsed.problems.append(Problem(f"item {rank}: a {type(item).__name__}, not an object", excerpt))
            continue
        details = item.get("details") if isinstance(item.get("details"), dict) else {}
        title = collapse_whitespace(str(item.get("title") or details.get("title") or ""))
        if title in _NO_TITLE:
            parsed.problems.append(Problem(f"item {rank}: no title", excerpt))
            continue
        scraped_at = parse_datetime(details.get("scraped_at"))
        if scraped_at:
            times.append(scraped_at)
        hf_url = item.get("paper_url")
        aid, link, odd = paper_id_and_url(hf_url, details.get("arxiv_page_url"))
        extra = {**_card_extra(item.get("stars")), **odd, "hf_url": hf_url, "pdf_url": details.get("pdf_url"),
                 "github_links": list(details.get("github_links") or []),
                 "card_authors": list(item.get("authors") or []),
                 "page_prose": collapse_whitespace(details.get("abstract") or "") or None,
                 "scraped_at": details.get("scraped_at"), "scraped_date": item.get("scraped_date")}
        if details.get("error"):
            extra["page_error"] = str(details["error"])[:200]
        build(parsed, excerpt, source=Source.DIGEST, url=link, rank=rank, title=title,
              arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              extra={k: v for k, v in extra.items() if v is not None})
    parsed.captured_at = min(times) if times else None
    set_rank_basis(parsed.observations)
    return parsed


# --- README ---------------------------------------------------------------------------------


def sniff_readme(text: str, url: str) -> bool:
    """``<summary><b>N. Title</b> ⭐ N</summary>`` items."""
    return bool(_SUMMARY.search(text))


def _links(block: str, label: str) -> list[str]:
    line = next((ln for ln in block.splitlines() if label in ln), "")
    return [u for _, u in _LINK.findall(line)]


def parse_readme(text: str, url: str) -> Parsed:
    """One observation per ``<details>`` item; ``Last Updated`` as the publication day."""
    items = list(_SUMMARY.finditer(text))
    if not items:
        raise PageError("atharva README: no '<summary><b>N. Title</b> ⭐ N</summary>' items", text[:300])
    updated = _UPDATED.search(text)
    day = parse_date(updated[1]) if updated else None
    parsed = Parsed(published_at=dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
                    if day else None)
    for i, m in enumerate(items):
        end = text.find("</details>", m.end())
        block = text[m.end(): end if end != -1 else (items[i + 1].start() if i + 1 < len(items) else len(text))]
        title = collapse_whitespace(m[2])
        if title in _NO_TITLE:
            parsed.problems.append(Problem(f"item {m[1]}: no title", (m[0] + block)[:300]))
            continue
        links = dict((label.strip(), u) for label, u in _LINK.findall(
            next((ln for ln in block.splitlines() if "Links:" in ln), "")))
        hf_url = next((u for lab, u in links.items() if "HuggingFace" in lab), None)
        arxiv_url = next((u for lab, u in links.items() if "arXiv" in lab), None)
        pdf_url = next((u for lab, u in links.items() if "PDF" in lab), None)
        aid, link, odd = paper_id_and_url(hf_url, arxiv_url)
        extra: dict[str, Any] = {**_card_extra(m[3]), **odd, "hf_url": hf_url, "pdf_url": pdf_url,
                                 "github_links": _links(block, "Code:")}
        authors = _AUTHORS.search(block)
        if authors:
            more = _MORE.search(authors[1])
            shown = authors[1][: more.start()] if more else authors[1]
            extra["card_authors"] = [a.strip() for a in shown.split(",") if a.strip()]
            if more:
                extra["card_authors_more"] = int(more[1])
        prose = " ".join(q.strip() for q in _QUOTE.findall(block)).strip()
        if prose and prose != "No abstract available.":
            extra["page_prose_excerpt"] = collapse_whitespace(prose)
        if day:
            extra["scraped_date"] = day.isoformat()
        build(parsed, m[0] + block, source=Source.DIGEST, url=link, rank=int(m[1]),
              title=title, arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              extra={k: v for k, v in extra.items() if v is not None})
    stated = _TODAY_COUNT.search(text)
    if stated and int(stated[1]) != len(items):
        parsed.problems.append(Problem(f"the README says {stated[1]} papers today but lists {len(items)}"))
    set_rank_basis(parsed.observations)
    return parsed


JSON_FORMAT = Format("digest-atharva-json", Source.DIGEST, sniff_json, parse_json)
README_FORMAT = Format("digest-atharva-readme", Source.DIGEST, sniff_readme, parse_readme)
FORMATS = (JSON_FORMAT, README_FORMAT)
