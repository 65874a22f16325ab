"""arXiv and Hugging Face paper identifiers and their canonical form, by arXiv's scheme.

A canonical arXiv id carries no version, no URL and no ``arXiv:`` prefix. arXiv's
identifier scheme (https://info.arxiv.org/help/arxiv_identifier.html) has two styles:

- new style ``YYMM.NNNN`` for April 2007 (0704) to December 2014 (1412) and ``YYMM.NNNNN``
  from January 2015 (1501), with a real month: ``2602.04705``;
- old style ``archive(.SUBJ)/YYMMNNN`` from August 1991 (9108) to March 2007 (0703), where
  the archive is one of arXiv's (``hep-th``, ``math``, ...) and the subject class
  (``math.GT``) is a classification, not part of the paper's identity: arXiv's API answers
  ``math/0309136`` for ``math.GT/0309136``, so the canonical form drops it.

Accepted around an id: an ``arXiv:`` prefix, a version (``v2``, kept apart), arXiv's own
DOI ``10.48550/arXiv.<id>`` (with or without ``doi.org``), the addresses
``arxiv.org``/``www.``/``export.``/``browse.arxiv.org`` ``/abs|pdf|html|format/<id>`` with a
version, ``.pdf``, query string or fragment, ``huggingface.co/papers/<id>`` (Hugging
Face paper ids are arXiv ids) and ``alphaxiv.org/abs|overview/<id>`` (alphaXiv's pages are
named by the arXiv id of the paper they discuss; its translated pages, ``/zh/overview/``,
are not taken). Anything else is not an arXiv id.
"""

from __future__ import annotations

import datetime as dt

import re
from dataclasses import dataclass

# arXiv's archives of old-style ids (their subject classes, such as math.GT, come after a dot).
ARCHIVES = frozenset({
    "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn",
    "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex",
    "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th",
    "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "q-fin", "quant-ph", "solv-int", "stat",
    "supr-con",
})

# The shapes; the era rules (which years take four digits, which five) are checked after.
_NEW = r"(?P<new>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})"
_OLD = r"(?P<old>(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[a-z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})"
_VERSION = r"(?:v(?P<version>[1-9]\d{0,3}))?"
_ID = rf"(?:{_NEW}|{_OLD}){_VERSION}"

_BARE = re.compile(rf"^(?:arxiv:)?\s*{_ID}$", re.IGNORECASE)
# An id inside a URL or running text: after an arXiv/HF path segment, arXiv's DOI prefix or
# an arXiv: prefix, or standing alone between non-id characters.
_PREFIX = (
    r"(?:(?:browse\.)?arxiv\.org/(?:abs|pdf|html|format)/|alphaxiv\.org/(?:abs|overview)/"
    r"|huggingface\.co/papers/|hf\.co/papers/"
    r"|oai:arxiv\.org:|10\.48550/arxiv\.|arxiv:\s*)"
)
_IN_URL = re.compile(rf"{_PREFIX}{_ID}(?:\.pdf)?(?!\d)", re.IGNORECASE)
# A whole URL or reference: scheme and host optional, query or fragment allowed after the id.
_WHOLE_URL = re.compile(
    rf"^(?:https?://)?(?:(?:www\.|export\.)?(?:dx\.)?(?:doi\.org/)?){_PREFIX}{_ID}(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_IN_TEXT = re.compile(rf"(?<![\w./-]){_NEW}{_VERSION}(?![\w.])")


def _new_style_ok(new: str) -> bool:
    """``YYMM.NNNN`` from 0704 to 1412, ``YYMM.NNNNN`` from 1501 (the month is checked by the
    pattern). Why: arXiv widened the number to five digits in January 2015, so a four-digit
    number after 2014 or a five-digit one before is not an id arXiv ever gave; years 91-99
    are 1991-1999, when only old-style ids existed."""
    yymm, number = new.split(".")
    if yymm >= "91":  # 1991-1999: the old scheme's years
        return False
    if len(number) == 4:
        return "0704" <= yymm <= "1412"
    return yymm >= "1501"


def _old_style_ok(archive: str, yymm: str) -> bool:
    """A known archive, and a month from 9108 to 0703 (the old scheme's life)."""
    if archive.lower() not in ARCHIVES:
        return False
    year = int(yymm[:2])
    return (year >= 91 and yymm >= "9108") or (year <= 7 and yymm <= "0703")


@dataclass(frozen=True)
class ArxivId:
    """A canonical arXiv id and the version it was given with (None when unversioned)."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def _from_match(m: re.Match[str]) -> ArxivId | None:
    """The id a match names, or None when it breaks the scheme's era rules."""
    groups = m.groupdict()
    new, old, version = groups["new"], groups.get("old"), groups["version"]
    if old is not None:
        archive = m.group("archive").lower()
        number = old.partition("/")[2]
        if not _old_style_ok(archive, number[:4]):
            return None
        canonical = f"{archive}/{number}"
    elif _new_style_ok(new):
        canonical = new
    else:
        return None
    return ArxivId(canonical, int(version) if version else None)


def parse_arxiv_id(text: str | None) -> ArxivId | None:
    """Parse one identifier in any form the sources use, or return None.

    Accepts the forms the module docstring lists. Fails (returns None) on anything that
    breaks the scheme (a month 13, four digits after 2014, five before 2015, an unknown
    archive) and on free text: use :func:`find_arxiv_ids` for that.
    """
    if not text:
        return None
    text = text.strip()
    m = _BARE.match(text)
    if m:
        return _from_match(m)
    m = _WHOLE_URL.match(text)
    return _from_match(m) if m else None


def submitted_month(arxiv_id: str) -> dt.date | None:
    """The first day of the month a canonical id was given in (``2602.04705``: 2026-02-01;
    ``math/0309136``: 2003-09-01), or None for what is not a canonical id."""
    digits = arxiv_id.partition("/")[2][:4] if "/" in arxiv_id else arxiv_id[:4]
    if len(digits) != 4 or not digits.isdigit() or not 1 <= int(digits[2:]) <= 12:
        return None
    year = int(digits[:2])
    return dt.date(1900 + year if year >= 91 else 2000 + year, int(digits[2:]), 1)


def canonical_arxiv_id(text: str) -> str:
    """The canonical id of ``text``; raises ValueError naming the value when it is not one."""
    parsed = parse_arxiv_id(text)
    if parsed is None:
        raise ValueError(f"not an arXiv identifier: {text!r}")
    return parsed.id


def find_arxiv_ids(text: str) -> list[ArxivId]:
    """Every arXiv id in running text or markup, in order of appearance, without repeats.

    URL forms and ``arXiv:`` prefixes are found anywhere; bare new-style ids only when they
    stand alone (not inside a longer number, a version string like ``1.2602.04705`` or a
    path), so a date such as ``2026.02`` or a DOI fragment is not taken for an id. Old-style
    bare ids are only taken from URLs and prefixes: in prose ``cs/0101001`` is rare and
    ``and/or 1201234`` shapes would give false hits.
    """
    found: dict[str, ArxivId] = {}
    spans: list[tuple[int, ArxivId]] = []
    for m in (*_IN_URL.finditer(text), *_IN_TEXT.finditer(text)):
        aid = _from_match(m)
        if aid is not None:
            spans.append((m.start(), aid))
    for _, aid in sorted(spans, key=lambda s: s[0]):
        found.setdefault(aid.id, aid)
    return list(found.values())


def arxiv_abs_url(arxiv_id: str) -> str:
    """The arXiv abstract page of a canonical id."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def huggingface_paper_url(arxiv_id: str) -> str:
    """The Hugging Face paper page of a canonical id (new-style ids only have one)."""
    return f"https://huggingface.co/papers/{arxiv_id}"
