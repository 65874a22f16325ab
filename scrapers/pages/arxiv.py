"""arXiv in its three machine formats: the export API (Atom), RSS, and OAI-PMH.

arXiv is trusted for title, authors, abstract, dates, versions and categories. All three
formats are XML, parsed with lxml with entity resolution, DTD loading and network access
off (a feed is untrusted input: no billion laughs, no external entities).

- API (``/api/query``): Atom entries with ``arxiv:`` extensions. Two layouts are in the
  wild: 2016 responses declare the ``opensearch``/``arxiv`` namespaces on every element and
  hard-wrap titles; 2026 responses declare them on the root. Namespace URIs are the same,
  so one reader serves both. An answer that misses ids asked for in ``id_list`` lists only
  the known ones; every id asked for and not returned is a problem. The error feed (one
  entry titled ``Error``) raises :class:`PageError` with arXiv's message.
- RSS (``rss.arxiv.org/rss/<category>``): the day's announcements; the version and the
  announce type sit in the description, authors in one ``dc:creator`` line.
- OAI-PMH (``ListRecords``, metadataPrefix ``arXiv``): records with key names and forenames,
  and a resumption token for the next page.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from reconcile.ids import arxiv_abs_url, parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace, latex_accents_to_unicode

from .base import Format, PageError, Parsed, Problem, build, comma_names, parse_datetime

SITE = "arxiv.org"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
    "arxiv": "http://arxiv.org/schemas/atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "ax": "http://arxiv.org/OAI/arXiv/",
}
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")


def parse_xml(text: str) -> etree._Element:
    """The document's root element; PageError for anything that is not well-formed XML.

    The XML declaration is dropped first: the text is already decoded, and a declared
    encoding would contradict it.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1).encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise PageError(f"not well-formed XML ({exc.msg})", text[:300]) from None
    if root is None:
        raise PageError("empty XML document", text[:300])
    return root


def _text(node: etree._Element | None, path: str) -> str | None:
    if node is None:
        return None
    found = node.find(path, NS)
    if found is None or found.text is None:
        return None
    value = collapse_whitespace(found.text)
    return value or None


def _all(node: etree._Element, path: str) -> list[str]:
    return [collapse_whitespace(e.text) for e in node.findall(path, NS) if e.text and e.text.strip()]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _date(value: str | None) -> dt.date | None:
    moment = parse_datetime(value) if value else None
    if moment:
        return moment.date()
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _authors(nodes: list[etree._Element], name_of: Any, affiliation_path: str
             ) -> tuple[list[str], dict[str, list[str]]]:
    """Author names in order (TeX accents as letters) and the affiliations of those who
    have any."""
    authors, affiliations = [], {}
    for node in nodes:
        name = name_of(node)
        if name:
            authors.append(latex_accents_to_unicode(name))
            affs = _all(node, affiliation_path)
            if affs:
                affiliations[authors[-1]] = affs
    return authors, affiliations


def _clean(extra: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in extra.items() if v not in (None, "", [], {})}


class EntryError(ValueError):
    """One entry (item, record) that cannot be read; the message is the reason."""


def _entry(parsed: Parsed, label: str, excerpt: str, read: Any) -> None:
    """Run ``read()`` (which builds one observation into ``parsed``) so that whatever goes
    wrong is a problem of this entry only, named by ``label``: an :class:`EntryError`, a
    value that does not validate, or an error nobody foresaw. The other entries are kept."""
    before = len(parsed.problems)
    try:
        read()
    except EntryError as exc:
        parsed.problems.append(Problem(f"{label}: {exc}", excerpt))
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - an odd entry is its own problem, not the page's
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        parsed.problems.append(Problem(f"{label}: unreadable entry ({reason})", excerpt))
    else:
        if len(parsed.problems) > before:  # a validation error from build(): say which entry
            problem = parsed.problems[-1]
            parsed.problems[-1] = Problem(f"{label}: {problem.reason}", problem.excerpt, problem.url)


def _required_title(node: etree._Element, path: str) -> str:
    """The entry's title; EntryError when it has none (arXiv gives every paper one, so an
    entry without it, or with markup in its place, is not a record to keep half of)."""
    title = _text(node, path)
    if title is None:
        raise EntryError("no title")
    return title


def _named(nodes: list[etree._Element], name_of: Any) -> list[etree._Element]:
    """``nodes``, every one with a name; EntryError for an author without one."""
    for n, node in enumerate(nodes, 1):
        if not name_of(node):
            raise EntryError(f"author {n} has no name")
    return nodes


_LOOSE_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\S*)?\s*$")


# -- the export API -------------------------------------------------------------------------
def sniff_api(text: str, url: str) -> bool:
    """An Atom feed that speaks arXiv (its namespace, or arXiv ids in entry ids)."""
    head = text[:3000]
    return "<feed" in head and ("arxiv.org/schemas/atom" in head or "arxiv.org/api" in head
                                or "ArXiv Query" in head or "arXiv Query" in head)


def _asked_ids(root: etree._Element, url: str) -> list[str]:
    """The ids the request asked for, as given: from the URL, else the feed's self link."""
    query = parse_qs(urlsplit(url).query)
    if not query.get("id_list"):
        for link in root.findall("atom:link", NS):
            href = link.get("href") or ""
            if "id_list" in href:
                query = parse_qs(urlsplit(href.replace("%3D", "=").replace("%26", "&")).query)
                break
    return [part.strip() for value in query.get("id_list", []) for part in value.split(",") if part.strip()]


def parse_api(text: str, url: str) -> Parsed:
    """One observation per Atom entry, paging from opensearch, missing ids as problems."""
    root = parse_xml(text)
    if root.tag != f"{{{NS['atom']}}}feed":
        raise PageError(f"arXiv API: expected an Atom feed, got <{etree.QName(root).localname}>", text[:300])
    entries = root.findall("atom:entry", NS)
    if len(entries) == 1 and _text(entries[0], "atom:title") == "Error":
        raise PageError(f"arXiv API error: {_text(entries[0], 'atom:summary') or 'no message'}",
                        text[:300])
    # The feed's <updated> is the day of the query, at midnight US Eastern: when the answer
    # was made, to the day. It is read as the answer's publication time (a loose time),
    # which a saved file's own time is not.
    parsed = Parsed(site=SITE, empty_ok=True, published_at=parse_datetime(_text(root, "atom:updated")), paging=_clean({
        "total": _int(_text(root, "os:totalResults")),
        "start": _int(_text(root, "os:startIndex")),
        "per_page": _int(_text(root, "os:itemsPerPage")),
        "returned": len(entries),
    }))
    seen: set[str] = set()  # ids of entries that came back, read or not
    unreadable = 0
    for position, entry in enumerate(entries, 1):
        excerpt = etree.tostring(entry, encoding="unicode")[:300]
        raw_id = _text(entry, "atom:id") or ""
        aid = parse_arxiv_id(raw_id)
        loose = _LOOSE_ID.search(raw_id)
        if aid is not None or loose:
            seen.add(aid.id if aid is not None else loose[1])
        before = len(parsed.observations)
        if aid is None:
            parsed.problems.append(Problem(f"entry {position}: no arXiv id in <id>"
                                           + (f" ({raw_id[:80]!r})" if raw_id else ""), excerpt))
        else:
            _entry(parsed, f"entry {position}", excerpt, lambda: _api_entry(parsed, entry, aid, excerpt))
        unreadable += len(parsed.observations) == before
    # An id asked for and absent from a clean answer is unknown to arXiv (a problem with the
    # id's own URL, so `--missing` does not ask again). When an entry could not be read, the
    # absent ids are presumably in it: they are not called unknown, and a later crawl asks.
    if unreadable:
        return parsed
    asked_ids = _asked_ids(root, url)
    if not entries and len(asked_ids) > 1:
        # arXiv's API answers a good query with an empty feed at times: that many ids all
        # unknown is that, not news about them. The request failed; the next crawl asks again.
        raise PageError(f"arXiv API: an empty answer for the {len(asked_ids)} ids asked for "
                        "(it answers so at times); asked again at the next crawl", text[:300])
    for asked in asked_ids:
        aid = parse_arxiv_id(asked)
        if aid is None:
            parsed.problems.append(Problem(f"arXiv returned no entry for {asked!r} (not an arXiv id)"))
        elif aid.id not in seen:
            parsed.problems.append(Problem(f"arXiv returned no entry for {aid.id} (unknown id)",
                                           None, arxiv_abs_url(aid.id)))
    return parsed


def _api_entry(parsed: Parsed, entry: etree._Element, aid: Any, excerpt: str) -> None:
    """One API entry as an observation (see :func:`parse_api`)."""
    authors, affiliations = _authors(_named(entry.findall("atom:author", NS), lambda a: _text(a, "atom:name")),
                                     lambda a: _text(a, "atom:name"), "arxiv:affiliation")
    primary = entry.find("arxiv:primary_category", NS)
    pdf = next((link.get("href") for link in entry.findall("atom:link", NS)
                if link.get("title") == "pdf" or link.get("type") == "application/pdf"), None)
    build(parsed, excerpt, source=Source.ARXIV, site=SITE, url=arxiv_abs_url(aid.id),
          arxiv_id=aid.id, arxiv_version=aid.version,
          title=_required_title(entry, "atom:title"), authors=authors,
          authors_total=len(authors) or None, abstract=_text(entry, "atom:summary"),
          published=_date(_text(entry, "atom:published")),
          extra=_clean({
              "updated": _text(entry, "atom:updated"),
              "published_at": _text(entry, "atom:published"),
              "primary_category": primary.get("term") if primary is not None else None,
              "categories": [c.get("term") for c in entry.findall("atom:category", NS) if c.get("term")],
              "comment": _text(entry, "arxiv:comment"),
              "journal_ref": _text(entry, "arxiv:journal_ref"),
              "doi": _text(entry, "arxiv:doi"),
              "affiliations": affiliations,
              "pdf_url": pdf,
          }))


# -- RSS ------------------------------------------------------------------------------------
_ANNOUNCE = re.compile(r"^\s*arXiv:(\S+)\s+Announce Type:\s*(\S+)\s*(?:Abstract:\s*)?", re.DOTALL)


def sniff_rss(text: str, url: str) -> bool:
    """An RSS channel that arXiv publishes: its channel header (before the first item)
    names rss.arxiv.org. A digest's feed that merely links arXiv papers in its items is not."""
    end = text.find("<item")
    header = text[: end if end >= 0 else 3000]
    return "<rss" in header and "rss.arxiv.org" in header


def _rss_day(value: str | None) -> dt.date | None:
    """The announcement day: the date of ``pubDate`` in its own time zone (US Eastern)."""
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, OverflowError):  # a year past any calendar: left unknown
        return None


def _rss_time(value: str | None) -> dt.datetime | None:
    """An RFC 822 time (the channel's ``lastBuildDate``) in UTC; None when unreadable or
    without a zone."""
    try:
        when = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, OverflowError):
        return None
    return when.astimezone(dt.timezone.utc) if when is not None and when.tzinfo is not None else None


def parse_rss(text: str, url: str) -> Parsed:
    """One observation per item; an empty channel (weekends) is a valid empty day."""
    root = parse_xml(text)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise PageError("arXiv RSS: expected <rss><channel>", text[:300])
    day = _rss_day(_text(channel, "pubDate"))
    parsed = Parsed(site=SITE, empty_ok=True,
                    published_at=_rss_time(_text(channel, "lastBuildDate") or _text(channel, "pubDate")))
    for position, item in enumerate(channel.findall("item"), 1):
        excerpt = etree.tostring(item, encoding="unicode")[:300]
        description = item.findtext("description") or ""
        announce = _ANNOUNCE.match(description)
        aid = parse_arxiv_id(announce[1]) if announce else parse_arxiv_id(_text(item, "link"))
        if aid is None:
            parsed.problems.append(Problem(f"item {position}: no arXiv id", excerpt))
            continue
        abstract = description[announce.end():] if announce else description
        creators = " ".join(_all(item, "dc:creator"))
        authors = [latex_accents_to_unicode(a) for a in comma_names(creators, and_too=True)]
        _entry(parsed, f"item {position}", excerpt, lambda: build(
            parsed, excerpt, source=Source.ARXIV, site=SITE, url=arxiv_abs_url(aid.id),
            arxiv_id=aid.id, arxiv_version=aid.version, title=_required_title(item, "title"),
            authors=authors, authors_total=len(authors) or None,
            abstract=collapse_whitespace(abstract) or None,
            listed_on=_rss_day(_text(item, "pubDate")) or day,
            extra=_clean({
                "announce_type": _text(item, "arxiv:announce_type") or (announce[2] if announce else None),
                "categories": _all(item, "category"),
                "doi": _text(item, "arxiv:DOI"),
                "journal_ref": _text(item, "arxiv:journal_reference"),
                "feed": _text(channel, "title"),
            })))
    return parsed


# -- OAI-PMH --------------------------------------------------------------------------------
def sniff_oai(text: str, url: str) -> bool:
    """An OAI-PMH response (arXiv's is the only one we read)."""
    return "<OAI-PMH" in text[:1000]


def parse_oai(text: str, url: str) -> Parsed:
    """One observation per record of metadataPrefix ``arXiv``; the resumption token as paging."""
    root = parse_xml(text)
    answered = parse_datetime(_text(root, "oai:responseDate"))
    error = root.find("oai:error", NS)
    if error is not None:
        code = error.get("code") or "error"
        if code == "noRecordsMatch":
            return Parsed(site=SITE, empty_ok=True, captured_at=answered, paging={"resumption_token": None})
        raise PageError(f"OAI-PMH error {code}: {collapse_whitespace(error.text or '')}", text[:300])
    records = root.find("oai:ListRecords", NS)
    if records is None:
        records = root.find("oai:GetRecord", NS)
    if records is None:
        raise PageError("OAI-PMH: no ListRecords or GetRecord", text[:300])
    token = records.find("oai:resumptionToken", NS)
    # <responseDate> is when the repository answered, in UTC as the protocol requires: a
    # capture time the document states.
    parsed = Parsed(site=SITE, empty_ok=True, captured_at=answered, paging=_clean({
        "resumption_token": (token.text or "").strip() or None if token is not None else None,
        "complete_list_size": _int(token.get("completeListSize")) if token is not None else None,
        "cursor": _int(token.get("cursor")) if token is not None else None,
    }))
    for position, record in enumerate(records.findall("oai:record", NS), 1):
        excerpt = etree.tostring(record, encoding="unicode")[:300]
        header = record.find("oai:header", NS)
        if header is not None and header.get("status") == "deleted":
            continue
        meta = record.find("oai:metadata/ax:arXiv", NS)
        if meta is None and record.find("oai:metadata/*", NS) is not None and not parsed.observations \
                and all(r.find("oai:metadata/ax:arXiv", NS) is None for r in records.findall("oai:record", NS)):
            other = etree.QName(record.find("oai:metadata/*", NS)).localname
            raise PageError(f"OAI-PMH: records in metadata format {other!r}, not 'arXiv' (metadataPrefix=arXiv)",
                            text[:300])
        if meta is None:
            parsed.problems.append(Problem(f"record {position}: no arXiv metadata (metadataPrefix arXiv)",
                                           excerpt))
            continue
        aid = parse_arxiv_id(_text(meta, "ax:id"))
        if aid is None:
            parsed.problems.append(Problem(f"record {position}: no arXiv id", excerpt))
            continue
        _entry(parsed, f"record {position}", excerpt, lambda: _oai_record(parsed, meta, header, aid, excerpt))
    return parsed


def _oai_record(parsed: Parsed, meta: etree._Element, header: etree._Element | None, aid: Any,
                excerpt: str) -> None:
    """One OAI-PMH record as an observation (see :func:`parse_oai`)."""
    def name_of(a: etree._Element) -> str:
        return " ".join(p for p in (_text(a, "ax:forenames"), _text(a, "ax:keyname"), _text(a, "ax:suffix")) if p)

    authors, affiliations = _authors(_named(meta.findall("ax:authors/ax:author", NS), name_of), name_of,
                                     "ax:affiliation")
    categories = (_text(meta, "ax:categories") or "").split()
    build(parsed, excerpt, source=Source.ARXIV, site=SITE, url=arxiv_abs_url(aid.id),
          arxiv_id=aid.id, title=_required_title(meta, "ax:title"), authors=authors,
          authors_total=len(authors) or None, abstract=_text(meta, "ax:abstract"),
          published=_date(_text(meta, "ax:created")),
          extra=_clean({
              "updated": _text(meta, "ax:updated"),
              "primary_category": categories[0] if categories else None,
              "categories": categories,
              "comment": _text(meta, "ax:comments"),
              "journal_ref": _text(meta, "ax:journal-ref"),
              "doi": _text(meta, "ax:doi"),
              "license": _text(meta, "ax:license"),
              "affiliations": affiliations,
              "datestamp": _text(header, "oai:datestamp"),
          }))


FORMAT_API = Format("arxiv-api", Source.ARXIV, sniff_api, parse_api)
FORMAT_RSS = Format("arxiv-rss", Source.ARXIV, sniff_rss, parse_rss)
FORMAT_OAI = Format("arxiv-oai-pmh", Source.ARXIV, sniff_oai, parse_oai)
FORMATS = (FORMAT_API, FORMAT_RSS, FORMAT_OAI)
