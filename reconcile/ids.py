"""arXiv and Hugging Face paper identifiers and their canonical form.

A canonical arXiv id carries no version, no URL and no ``arXiv:`` prefix: ``2602.04705`` for
new-style ids (``YYMM.NNNN`` from 2007, ``YYMM.NNNNN`` from 2015) and ``hep-th/9901001`` for
old-style ids (archive, optional subject class, ``YYMMNNN``). The version (``v2``) is kept
apart. Hugging Face paper ids are arXiv ids, so ``huggingface.co/papers/<id>`` parses too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# New style: YYMM.NNNN(N), month 01-12. Old style: archive(.SUBJ)/YYMMNNN.
_NEW = r"(?P<new>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})"
_OLD = r"(?P<old>[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})"
_VERSION = r"(?:v(?P<version>\d+))?"
_ID = rf"(?:{_NEW}|{_OLD}){_VERSION}"

_BARE = re.compile(rf"^(?:arxiv:)?\s*{_ID}$", re.IGNORECASE)
# An id inside a URL or running text: after an arXiv/HF path segment or an arXiv: prefix,
# or standing alone between non-id characters.
_PREFIX = (
    r"(?:arxiv\.org/(?:abs|pdf|html|format)/|huggingface\.co/papers/|hf\.co/papers/"
    r"|oai:arxiv\.org:|arxiv:\s*)"
)
_IN_URL = re.compile(rf"{_PREFIX}{_ID}(?:\.pdf)?", re.IGNORECASE)
# A whole URL or reference: scheme and host optional, query or fragment allowed after the id.
_WHOLE_URL = re.compile(
    rf"^(?:https?://)?(?:www\.|export\.)?{_PREFIX}{_ID}(?:\.pdf)?/?(?:[?#].*)?$", re.IGNORECASE
)
_IN_TEXT = re.compile(rf"(?<![\w./-]){_NEW}{_VERSION}(?![\w.])")


@dataclass(frozen=True)
class ArxivId:
    """A canonical arXiv id and the version it was given with (None when unversioned)."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def _from_match(m: re.Match[str]) -> ArxivId:
    new, old, version = m.group("new"), m.group("old"), m.group("version")
    if old is not None:
        archive, _, number = old.partition("/")
        # Archives are lower case; the optional subject class (math.GT) keeps its case.
        head, dot, subject = archive.partition(".")
        canonical = f"{head.lower()}{dot}{subject.upper()}/{number}"
    else:
        canonical = new
    return ArxivId(canonical, int(version) if version else None)


def parse_arxiv_id(text: str | None) -> ArxivId | None:
    """Parse one identifier in any form the sources use, or return None.

    Accepts bare ids with or without version, the ``arXiv:`` prefix, and arXiv
    ``/abs/``, ``/pdf/`` (with or without ``.pdf``) and Hugging Face ``/papers/`` URLs.
    Fails (returns None) on ids whose month is not 01-12, on five-digit numbers before
    2015 it does not check (``0808.05394`` parses; arXiv itself answers that it does not
    exist), and on free text: use :func:`find_arxiv_ids` for that.
    """
    if not text:
        return None
    text = text.strip()
    m = _BARE.match(text)
    if m:
        return _from_match(m)
    m = _WHOLE_URL.match(text)
    return _from_match(m) if m else None


def canonical_arxiv_id(text: str) -> str:
    """The canonical id of ``text``; raises ValueError naming the value when it is not one."""
    parsed = parse_arxiv_id(text)
    if parsed is None:
        raise ValueError(f"not an arXiv identifier: {text!r}")
    return parsed.id


def is_canonical_arxiv_id(text: str) -> bool:
    """True when ``text`` is already canonical (no version, prefix or URL)."""
    parsed = parse_arxiv_id(text)
    return parsed is not None and parsed.version is None and parsed.id == text


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
    for m in _IN_URL.finditer(text):
        spans.append((m.start(), _from_match(m)))
    for m in _IN_TEXT.finditer(text):
        spans.append((m.start(), ArxivId(m.group("new"), int(m.group("version")) if m.group("version") else None)))
    for _, aid in sorted(spans, key=lambda s: s[0]):
        found.setdefault(aid.id, aid)
    return list(found.values())


def arxiv_abs_url(arxiv_id: str) -> str:
    """The arXiv abstract page of a canonical id."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def huggingface_paper_url(arxiv_id: str) -> str:
    """The Hugging Face paper page of a canonical id (new-style ids only have one)."""
    return f"https://huggingface.co/papers/{arxiv_id}"
