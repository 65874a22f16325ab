"""Chinese digest written by an LLM (hf-daily-papers-summarizer): an introduction, a
``今日整体研究趋势`` section of numbered trends (no papers), then under
``重点论文深度解读`` one item per paper:
``#### N. **[Title](https://huggingface.co/papers/ID)** (👍 N)`` followed by bullets
``**研究机构/作者**：…`` (institutions/authors), ``**核心痛点与创新点**：…`` (the digest's
summary) and ``**潜在影响力**：…`` (its view of the impact).

The numbers are the Hugging Face list's upvotes (👍), so ``upvotes`` is set and the ranks
follow them. The day is named by the file (``huggingface-daily-papers-YYYY-MM-DD.md``),
or by a date in a heading when a post has one. The institution line is kept as stated,
except the model's own placeholder for "not given" (``未显式提供`` …), which is no data
and goes to ``extra['affiliation_note']``.

When it fails: the text is written by a model, so a post may drift from the template;
an item whose heading lost its link or its 👍 is not an item here (the generic digest
parser can still read such a post).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, Parsed, PageError, build, parse_date, set_rank_basis

log = logging.getLogger(__name__)

_ITEM = re.compile(
    r"^#{2,5}\s*(\d+)[.、]\s*\*{0,2}\[(.+?)\]\((https?://[^)\s]+)\)\*{0,2}\s*"
    r"[(（]\s*👍\s*([\d,]+)\s*[)）]\s*$", re.MULTILINE)
_HEADING_DATE = re.compile(r"^#{1,3}\s.*?(\d{4}-\d{2}-\d{2})", re.MULTILINE)
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
# Indentation on the bullet's own line only: "^\s*" under MULTILINE would run across every
# blank line below, from every line start (quadratic on a page of blank lines).
_FIELD = re.compile(r"^[ \t]*+[-*+][ \t]+\*\*(.+?)\*\*[ \t]*[：:][ \t]*(.*)$", re.MULTILINE)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_AFFILIATION_LABELS = ("研究机构/作者", "研究机构", "机构", "作者")
_SUMMARY_LABELS = ("核心痛点与创新点", "核心内容", "摘要")
_IMPACT_LABELS = ("潜在影响力", "影响")
# The model's ways of saying it was not given: "not explicitly provided", "see the paper".
_PLACEHOLDERS = ("未显式提供", "未提供", "未知", "请参阅", "N/A")


def sniff(text: str, url: str) -> bool:
    """``#### N. **[Title](paper link)** (👍 N)`` items in a Chinese text."""
    return bool(_ITEM.search(text)) and len(_HAN.findall(text[:5000])) >= 20


def _listed_on(text: str, url: str):
    """The day from a heading, else from the file name in the URL (one date only)."""
    m = _HEADING_DATE.search(text)
    if m:
        return parse_date(m[1])
    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    dates = _FILE_DATE.findall(name)
    return parse_date(dates[0]) if len(dates) == 1 else None


def _first(fields: dict[str, str], labels: tuple[str, ...]) -> str | None:
    return next((fields[k] for k in labels if fields.get(k)), None)


def _plain(text: str | None) -> str | None:
    """Text without Markdown emphasis (``**ZipSplat**`` -> ``ZipSplat``)."""
    return collapse_whitespace(re.sub(r"\*\*|__", "", text)) or None if text else None


def parse(text: str, url: str) -> Parsed:
    """One observation per numbered paper heading."""
    items = list(_ITEM.finditer(text))
    if not items:
        raise PageError("zh LLM digest: no '#### N. **[Title](link)** (👍 N)' items", text[:300])
    listed_on = _listed_on(text, url)
    parsed = Parsed()
    for i, m in enumerate(items):
        block = text[m.end(): items[i + 1].start() if i + 1 < len(items) else len(text)]
        block = re.split(r"^(?:---|#{1,3}\s)", block, maxsplit=1, flags=re.MULTILINE)[0]
        fields = {collapse_whitespace(k): collapse_whitespace(v) for k, v in _FIELD.findall(block)}
        aid = parse_arxiv_id(m[3])
        affiliation = _first(fields, _AFFILIATION_LABELS)
        extra = {}
        if affiliation and any(p in affiliation for p in _PLACEHOLDERS):
            extra["affiliation_note"] = affiliation
            affiliation = None
        impact = _first(fields, _IMPACT_LABELS)
        if impact:
            extra["impact"] = impact
        build(parsed, m[0] + block, source=Source.DIGEST, url=m[3], rank=int(m[1]),
              title=collapse_whitespace(m[2]), upvotes=int(m[4].replace(",", "")),
              arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              organization=affiliation, summary=_plain(_first(fields, _SUMMARY_LABELS)),
              listed_on=listed_on, extra=extra)
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-zh-llm", Source.DIGEST, sniff, parse)
