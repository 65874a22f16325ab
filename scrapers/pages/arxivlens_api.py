"""ArxivLens's JSON API (``/api/v1``): a day's list, one paper, and one paper's key findings.

No answer of this API could be recorded. Its shapes come from a third-party client's
TypeScript types and PRD (RedGhoul/arxivlenscli, summarised in the shared samples'
``arxivlens/STRUCTURE_NOTES.md``): ``/papers/by-date/{date}?page=&limit=`` answers
``{papers: [item], pagination: {total, page, limit}}``; ``/papers/{identifier}`` answers
``{paper: item + {summary, journalRef, doi, updated}}``; ``/papers/{id}/key-findings``
answers 200 ``{status, generatedAt, llmModelVersion, findings: {...}}`` or, while the
findings are generated, 202 ``{status: "processing", message, retryCount, updatedAt}``.
Every assumption about names is in :data:`API` below, so a real answer can correct it in
one place.

The parsers are tolerant: a missing field is a missing value, never an error, and an item
is kept when it has an arXiv id or a title. They fail (a reject) when the body is not JSON,
is an error object, or lacks the container its format needs (``papers``, ``paper``,
``findings``), and when key findings are not ready yet. ``twoLineSummary``, the AI
summary, is the observation's ``summary``; the detail's ``summary`` is taken as the paper's
abstract (arXiv's own name for it, and the client shows it under "Abstract").

A key-findings answer states no paper id: it is taken from the URL (``/papers/<id>/key-findings``,
or the ``#arxiv=`` fragment), and for a saved file from the bundled recordings' own file name
(``.../arxivlens.com/api/v1/papers/<id>-key-findings.json``), so ``reconcile ingest`` of a
recording reads it too.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from .base import Format, PageError, Parsed, Problem, build, json_refusal, parse_date, parse_datetime

log = logging.getLogger(__name__)

SITE = "arxivlens.com"


@dataclass(frozen=True)
class ApiShape:
    """Every name this module assumes ArxivLens's API uses (none checked against a real
    answer; see the module docstring for where they come from)."""

    api_prefix: str = "/api/v1"
    # by-date list: {"papers": [...], "pagination": {"total", "page", "limit"}}
    papers: str = "papers"
    pagination: str = "pagination"
    total: str = "total"
    page: str = "page"
    limit: str = "limit"
    # one paper: {"paper": {...}, "similarPapers": [...]} (similar papers are not read)
    paper: str = "paper"
    # a paper, in a list or alone
    arxiv_id: str = "paperId"  # "2301.00001"
    internal_id: str = "id"  # ArxivLens's own integer id
    slug: str = "genSlug"  # names the paper in its page URL, and in the client's API calls
    title: str = "title"
    ai_summary: str = "twoLineSummary"
    abstract: str = "summary"  # only in a paper's own answer
    categories: str = "categories"  # one string, "cs.AI cs.CL"
    arxiv_link: str = "arxivLink"
    pdf_link: str = "pdfLink"
    published: str = "published"
    updated: str = "updated"
    journal_ref: str = "journalRef"
    doi: str = "doi"
    thumbnail: str = "thumbnailUrl"
    origin: str = "source"  # where ArxivLens got the paper ("arxiv")
    authors: str = "authors"  # [{"name", "genSlug"}]; plain strings are read too
    author_name: str = "name"
    # A stated author count: no known type has one, these are guesses.
    authors_total: tuple[str, ...] = ("authorsTotal", "totalAuthors", "authorCount", "authorsCount")
    # An author entry that stands for the rest ("et al.", "+12 more", "and 12 more").
    more_authors: str = r"(?i)^(?:et\.? al\.?|(?:and |\+ ?)?(\d+) more(?: authors?)?)$"
    # key findings
    status: str = "status"
    ready_status: tuple[str, ...] = ("completed", "complete", "ready", "success", "done")
    findings: str = "findings"
    generated_at: str = "generatedAt"
    model: str = "llmModelVersion"
    message: str = "message"
    retry_count: str = "retryCount"
    # an error answer
    error_keys: tuple[str, ...] = ("error", "message")
    # Which field names a paper in /papers/{identifier} and /papers/{identifier}/key-findings:
    # the arXiv id (the PRD writes {paperId}); the client itself passes genSlug.
    path_identifier: str = "paperId"
    page_path: str = "/PaperView/Details/{slug}"  # a paper's page on the site


API = ApiShape()
_MORE = re.compile(API.more_authors)
_FRAGMENT_ID = re.compile(r"(?:^|&)arxiv=([^&]+)")


# -- URLs -----------------------------------------------------------------------------------
def api_base(base_url: str) -> str:
    """The API root under a site address (``ARXIVLENS_BASE_URL``)."""
    return base_url.rstrip("/") + API.api_prefix


def by_date_url(base_url: str, day: str, page: int = 1, limit: int = 50) -> str:
    """The address of one page of a day's list."""
    return f"{api_base(base_url)}/papers/by-date/{day}?page={page}&limit={limit}"


def paper_url(base_url: str, identifier: str) -> str:
    """The address of one paper's answer."""
    return f"{api_base(base_url)}/papers/{quote(identifier, safe='')}"


def findings_url(base_url: str, identifier: str, arxiv_id: str | None = None) -> str:
    """The address of one paper's key findings; when ``identifier`` is not the arXiv id,
    the id rides in the fragment (``#arxiv=ID``: never sent) so the answer can be tied to
    its paper."""
    url = f"{paper_url(base_url, identifier)}/key-findings"
    if arxiv_id and identifier != arxiv_id:
        url += f"#arxiv={quote(arxiv_id, safe='')}"
    return url


def paper_identifier(fields: dict[str, Any]) -> str | None:
    """What names a paper in the API's paths (:attr:`ApiShape.path_identifier`), from an
    observation's ``arxiv_id`` and ``extra["slug"]``; the other one when it is missing."""
    arxiv_id, slug = fields.get("arxiv_id"), (fields.get("extra") or {}).get("slug")
    first, second = (arxiv_id, slug) if API.path_identifier == API.arxiv_id else (slug, arxiv_id)
    return first or second


# -- reading ----------------------------------------------------------------------------------
def _load(text: str, want: str) -> Any:
    """The JSON of an answer; PageError when it is not JSON or is an error object (an
    ``error`` or ``message`` without the ``want`` key, and without a ``status``: the key
    findings' "processing" answer has a message too)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise json_refusal(text, exc, "the JSON answer", "ArxivLens API: ") from None
    if isinstance(data, dict) and want not in data and API.status not in data:
        for key in API.error_keys:
            if isinstance(data.get(key), str) and data[key].strip():
                raise PageError(f"ArxivLens API error: {collapse_whitespace(data[key])}", text[:300])
    return data


def _text(value: Any) -> str | None:
    return collapse_whitespace(value) or None if isinstance(value, str) else None


# Inline markup a text field may carry if the API renders it ("<p>We probe <i>parsers</i></p>").
_MARKUP = re.compile(r"</?(?:p|i|b|em|strong|br|sub|sup|span|a|div|code)\b[^>]*>", re.I)


def _prose(value: Any) -> str | None:
    """A text field's words: :func:`_text`, with inline HTML tags (and the entities they
    come with) read as the text they show, so a summary rendered as HTML is not a different
    abstract from arXiv's plain one."""
    text = _text(value)
    if text is None or not _MARKUP.search(text):
        return text
    return collapse_whitespace(html.unescape(_MARKUP.sub(" ", text)).replace(" ,", ",").replace(" .", ".")) or None


class ItemError(ValueError):
    """One paper object that cannot be read; the message is the reason."""


_KINDS = {str: "text", int: "a whole number", float: "a decimal number", bool: "true/false", list: "a list", dict: "an object",
          type(None): "null"}


def _typed(item: dict[str, Any], key: str, *kinds: type) -> Any:
    """``item[key]`` when it is missing, null or of ``kinds``; ItemError naming the key and
    what it holds otherwise. ``bool`` is no number here, though Python calls it an int."""
    value = item.get(key)
    if value is None or (isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)):
        return value
    shown = json.dumps(value, ensure_ascii=False, default=str)[:60]
    raise ItemError(f"{key} is {_KINDS.get(type(value), type(value).__name__)} {shown}, not "
                    + " or ".join(_KINDS.get(k, k.__name__) for k in kinds))


def _authors(item: dict[str, Any]) -> tuple[list[str], int | None, bool]:
    """The authors shown, the total the answer states (or a ``+N more`` entry implies),
    and whether the list is cut short. ItemError when the list, an entry or a stated total
    has the wrong type (an object for the list, a list for a name, ``"12"`` for a count)."""
    names: list[str] = []
    more: int | None = None
    cut = False
    for n, entry in enumerate(_typed(item, API.authors, list) or [], 1):
        if isinstance(entry, dict):
            name = _typed(entry, API.author_name, str)
        elif isinstance(entry, str):
            name = entry
        else:
            raise ItemError(f"{API.authors}[{n}] is {_KINDS.get(type(entry), type(entry).__name__)}, "
                            "not an object or text")
        name = _text(name)
        if not name:
            continue
        marker = _MORE.match(name)
        if marker:
            cut = True
            if marker[1]:
                more = (more or 0) + int(marker[1])
            continue
        names.append(name)
    stated = next((value for k in API.authors_total if (value := _typed(item, k, int)) is not None), None)
    total = stated if stated is not None else (len(names) + more if more is not None else None)
    if total is not None and total > len(names):
        cut = True
    return names, total, cut


def _page_url(url: str, slug: Any) -> str | None:
    """The paper's page on the site the answer came from."""
    if not isinstance(slug, str) or not slug.strip():
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{API.page_path.format(slug=slug.strip())}"


def read_paper(parsed: Parsed, item: Any, url: str, *, label: str, extra: dict[str, Any] | None = None) -> None:
    """One paper object into ``parsed``: an observation, or a problem (named by ``label``)
    when it is not an object, has neither an arXiv id nor a title, has a field of the wrong
    type (a number for the title or ``paperId``, an object for the authors), holds a value
    that does not validate (a stated author total over ``MAX_COUNT``), or cannot be read for
    any other reason. A problem is this paper's only: the rest of the answer is kept."""
    excerpt = json.dumps(item, ensure_ascii=False, default=str)[:300]
    before = len(parsed.problems)
    try:
        _read_paper(parsed, item, url, excerpt, extra)
    except ItemError as exc:
        parsed.problems.append(Problem(f"{label}: {exc}", excerpt))
        return
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - an odd paper is its own problem, not the answer's
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        parsed.problems.append(Problem(f"{label}: unreadable paper ({reason})", excerpt))
        return
    if len(parsed.problems) > before:  # a value that did not validate: say which item
        problem = parsed.problems[-1]
        parsed.problems[-1] = Problem(f"{label}: {problem.reason}", problem.excerpt)


def _read_paper(parsed: Parsed, item: Any, url: str, excerpt: str, extra: dict[str, Any] | None) -> None:
    if not isinstance(item, dict):
        raise ItemError("not an object")
    raw_id = _typed(item, API.arxiv_id, str)
    link = _typed(item, API.arxiv_link, str)
    aid = parse_arxiv_id(raw_id) if raw_id else None
    linked = parse_arxiv_id(link) if link else None
    if aid is not None and aid.version is None and linked is not None and linked.id == aid.id:
        aid = linked  # the id without a version, its link to arXiv with one ("abs/...v2")
    aid = aid or linked
    title = _text(_typed(item, API.title, str))
    if aid is None and title is None:
        raise ItemError(f"no {API.arxiv_id} or {API.title}")
    for key in (API.ai_summary, API.abstract, API.published, API.slug):
        _typed(item, key, str)
    names, total, cut = _authors(item)
    categories = _typed(item, API.categories, str, list)
    facts = {
        "arxivlens_id": item.get(API.internal_id),
        "slug": item.get(API.slug),
        "paper_id": raw_id if raw_id and aid is None else None,
        "categories": categories.split() if isinstance(categories, str) else categories,
        "arxiv_link": link,
        "pdf_link": item.get(API.pdf_link),
        "updated": item.get(API.updated),
        "journal_ref": item.get(API.journal_ref),
        "doi": item.get(API.doi),
        "thumbnail": item.get(API.thumbnail),
        "origin": item.get(API.origin),
        "authors_shown": len(names) if names else None,
        "authors_truncated": True if cut else None,
        **(extra or {}),
    }
    published = item.get(API.published)
    moment = parse_datetime(published)
    build(parsed, excerpt, source=Source.ARXIVLENS, site=SITE, url=_page_url(url, item.get(API.slug)),
          arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
          title=title, authors=names, authors_total=total,
          abstract=_prose(item.get(API.abstract)), summary=_prose(item.get(API.ai_summary)),
          published=moment.date() if moment else parse_date(published),
          extra={k: v for k, v in facts.items() if v not in (None, "", [], {})})


def _day_in_path(url: str) -> str | None:
    m = re.search(r"/by-date/(\d{4}-\d{2}-\d{2})", urlsplit(url).path)
    return m[1] if m else None


def parse_list(text: str, url: str) -> Parsed:
    """A day's list: one observation per paper; ``paging`` holds total, page, limit and
    how many items this page returned. An empty day is a document without observations."""
    data = _load(text, API.papers)
    items = data.get(API.papers) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise PageError(f"ArxivLens by-date answer: no {API.papers!r} list", text[:300])
    parsed = Parsed(site=SITE, empty_ok=not items)
    day = _day_in_path(url)
    for position, item in enumerate(items, 1):
        read_paper(parsed, item, url, label=f"item {position}",
                   extra={"position": position, "by_date": day})
    pagination = data.get(API.pagination)
    pagination = pagination if isinstance(pagination, dict) else {}
    parsed.paging = {k: v for k, v in {
        "total": pagination.get(API.total), "page": pagination.get(API.page),
        "limit": pagination.get(API.limit), "returned": len(items)}.items()
        if isinstance(v, int) and not isinstance(v, bool)}
    return parsed


def parse_paper(text: str, url: str) -> Parsed:
    """One paper's answer: one observation (a bare paper object is read too)."""
    data = _load(text, API.paper)
    item = data.get(API.paper) if isinstance(data, dict) and API.paper in data else data
    if not isinstance(item, dict) or not ({API.arxiv_id, API.title, API.slug} & item.keys()):
        raise PageError(f"ArxivLens paper answer: no {API.paper!r} object", text[:300])
    parsed = Parsed(site=SITE)
    read_paper(parsed, item, url, label="paper")
    return parsed


# The file names recordings give a key-findings answer: the bundled ones
# (``arxivlens.com/api/v1/papers/<id>-key-findings.json``, listed in the manifest under
# ``/papers/<id>/key-findings``) and ``crawl --record``'s (``.../papers/<id>/key-findings.json``,
# ``scrapers.middlewares.recording_name``): only inside a folder named for ArxivLens's API,
# and only a new-style id written bare (an old-style id's "/" cannot be in a file name).
_RECORDED_FINDINGS = re.compile(r"/[^/]*arxivlens[^/]*" + re.escape(API.api_prefix)
                                + r"/papers/(\d{4}\.\d{4,5}(?:v\d+)?)[-/]key-findings\.json$")


def recorded_findings_id(url: str):
    """The arXiv id in the file name of a saved key-findings answer, for ``reconcile ingest``
    of a recording: a ``file:`` path ending in an ArxivLens folder's
    ``api/v1/papers/<id>-key-findings.json`` (or ``<id>/key-findings.json``, as ``crawl
    --record`` names it) whose ``<id>`` is an arXiv id, else None. The
    answer itself names no paper, and the recording's name is the only place the id is
    kept. Only that exact form is read: an id is never guessed from any other file name
    (``notes-2602.04705.json`` or ``findings/2602.04705.json`` name no paper for sure)."""
    parts = urlsplit(url)
    m = _RECORDED_FINDINGS.search(unquote(parts.path)) if parts.scheme == "file" else None
    return parse_arxiv_id(m[1]) if m else None


def _id_of_findings(data: dict[str, Any], url: str):
    """The paper the findings are about: an id in the answer, else the path's
    identifier when it is an arXiv id, else a recording's file name
    (:func:`recorded_findings_id`), else the ``#arxiv=`` fragment."""
    stated = data.get(API.arxiv_id)
    if isinstance(stated, str) and parse_arxiv_id(stated):
        return parse_arxiv_id(stated)
    parts = urlsplit(url)
    m = re.search(r"/papers/([^/]+)/key-findings/?$", parts.path)
    if m and parse_arxiv_id(unquote(m[1])):
        return parse_arxiv_id(unquote(m[1]))
    recorded = recorded_findings_id(url)
    if recorded:
        return recorded
    frag = _FRAGMENT_ID.search(parts.fragment)
    return parse_arxiv_id(unquote(frag[1])) if frag else None


def parse_findings(text: str, url: str) -> Parsed:
    """One paper's key findings: an observation with the paper's id and
    ``extra["key_findings"]``. Findings still being generated are a PageError saying so."""
    data = _load(text, API.findings)
    if not isinstance(data, dict):
        raise PageError(f"ArxivLens key findings: expected a JSON object, got {type(data).__name__}",
                        text[:300])
    findings = data.get(API.findings)
    status = data.get(API.status)
    if not isinstance(findings, dict):
        if isinstance(status, str) and status.lower() not in API.ready_status:
            retry = data.get(API.retry_count)
            detail = "; ".join(str(x) for x in (_text(data.get(API.message)),
                                                 f"retry {retry}" if retry is not None else None) if x)
            raise PageError(f"ArxivLens key findings not ready: {status}" + (f" ({detail})" if detail else ""),
                            text[:300])
        raise PageError(f"ArxivLens key findings: no {API.findings!r} object", text[:300])
    aid = _id_of_findings(data, url)
    if aid is None:
        raise PageError("ArxivLens key findings: no arXiv id in the answer or its URL", text[:300])
    kept = {k: v for k, v in findings.items() if v not in (None, "", [], {})}
    if not kept:
        raise PageError("ArxivLens key findings: every finding is empty", text[:300])
    parsed = Parsed(site=SITE)
    facts = {"key_findings": kept, "findings_status": status,
             "findings_generated_at": data.get(API.generated_at),
             "findings_model": data.get(API.model)}
    build(parsed, text[:300], source=Source.ARXIVLENS, site=SITE, arxiv_id=aid.id,
          arxiv_version=aid.version, extra={k: v for k, v in facts.items() if v not in (None, "")})
    return parsed


# -- sniffing -------------------------------------------------------------------------------
def _api_path(url: str) -> str | None:
    """The path under ``/api/v1/papers`` of an ArxivLens URL, else None."""
    parts = urlsplit(url)
    if "arxivlens" not in (parts.hostname or "") or not parts.path.startswith(API.api_prefix + "/papers"):
        return None
    return parts.path[len(API.api_prefix + "/papers"):]


def _head(text: str) -> str:
    return text.lstrip()[:3000] if text.lstrip().startswith("{") else ""


def sniff_list(text: str, url: str) -> bool:
    """An ArxivLens by-date URL, or a JSON object with ``papers`` items that carry
    ArxivLens's fields (``paperId`` and ``genSlug`` or ``twoLineSummary``)."""
    path = _api_path(url)
    if path is not None:
        return path.startswith("/by-date/")
    head = _head(text)
    return f'"{API.papers}"' in head and f'"{API.arxiv_id}"' in head and (
        f'"{API.slug}"' in head or f'"{API.ai_summary}"' in head)


def sniff_paper(text: str, url: str) -> bool:
    """An ArxivLens paper URL, or a JSON object with a ``paper`` carrying ``paperId`` and
    ``genSlug``."""
    path = _api_path(url)
    if path is not None:
        return bool(re.fullmatch(r"/[^/]+/?", path)) and not path.startswith("/by-date")
    head = _head(text)
    return f'"{API.paper}"' in head and f'"{API.arxiv_id}"' in head and f'"{API.slug}"' in head


def sniff_findings(text: str, url: str) -> bool:
    """An ArxivLens key-findings URL, or a JSON object with ``findings`` and
    ``llmModelVersion``."""
    path = _api_path(url)
    if path is not None:
        return path.rstrip("/").endswith("/key-findings")
    head = _head(text)
    return f'"{API.findings}"' in head and f'"{API.model}"' in head


LIST_FORMAT = Format("arxivlens-api-list", Source.ARXIVLENS, sniff_list, parse_list)
PAPER_FORMAT = Format("arxivlens-api-paper", Source.ARXIVLENS, sniff_paper, parse_paper)
FINDINGS_FORMAT = Format("arxivlens-api-findings", Source.ARXIVLENS, sniff_findings, parse_findings)
FORMATS = (FINDINGS_FORMAT, LIST_FORMAT, PAPER_FORMAT)
