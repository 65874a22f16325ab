"""Jekyll daily-papers post (seed 004, blog lim4349): front matter with the post's
``date``, then ``N. **Title** - 👍 N`` items, each with an institution line (``기관:``),
a Hugging Face link, an arXiv link and ``Abstract:``.

The institution value is copied as the blog's crawler scraped it, page furniture included
(``·438 authors2``): it is kept as stated and judged by the reconciler, not here.
"""

from __future__ import annotations

import re

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, Parsed, PageError, build, front_matter, parse_date, parse_datetime, set_rank_basis

_ITEM = re.compile(r"^(\d+)\.\s+\*\*(.+?)\*\*\s+-\s+👍\s*([\d,]+)\s*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_FIELD = re.compile(r"^\s*-\s+([^:\n\[]{1,20}):\s*(.*)$", re.MULTILINE)
_INSTITUTION_LABELS = ("기관", "Institution", "Organization")


def sniff(text: str, url: str) -> bool:
    """Front matter plus ``N. **Title** - 👍 N`` items."""
    return text.lstrip("\ufeff").startswith("---") and bool(_ITEM.search(text))


def parse(text: str, url: str) -> Parsed:
    """One observation per numbered item; the post date is a publication time."""
    meta, body = front_matter(text)
    items = list(_ITEM.finditer(body))
    if not items:
        raise PageError("daily-papers post: no 'N. **Title** - 👍 N' items", body[:300])
    title_date = parse_date(meta.get("title"))
    published_at = parse_datetime(meta.get("date"))
    parsed = Parsed(site=meta.get("author") or None, published_at=published_at)
    listed_on = title_date or (parse_date(meta.get("date")) if meta.get("date") else None)
    for i, m in enumerate(items):
        block = body[m.end(): items[i + 1].start() if i + 1 < len(items) else len(body)]
        fields = {k.strip(): v.strip() for k, v in _FIELD.findall(block)}
        links = _LINK.findall(block)
        ids = [parse_arxiv_id(u) for _, u in links]
        arxiv_link = next((u for _, u in links if "arxiv.org" in u), None)
        hf_link = next((u for _, u in links if "huggingface.co" in u), None)
        aid = next((a for a in ids if a), None)
        institution = next((fields[k] for k in _INSTITUTION_LABELS if k in fields), None)
        extra = {"hf_url": hf_link} if hf_link and arxiv_link else {}
        build(parsed, m[0] + block, source=Source.DIGEST, url=arxiv_link or hf_link,
              rank=int(m[1]), title=collapse_whitespace(m[2]),
              upvotes=int(m[3].replace(",", "")),
              arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              organization=institution, abstract=fields.get("Abstract"), listed_on=listed_on,
              extra=extra)
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-jekyll-daily", Source.DIGEST, sniff, parse)
