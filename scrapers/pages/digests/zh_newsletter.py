"""Chinese daily newsletter (hf-daily-paper-newsletter-chinese), in Markdown or its HTML
rendering: a title heading ``Hugging Face YYYY-MM-DD 论文日报``, a statistics list
(``总论文数：N``, the number of papers), then under ``论文详情`` one ``### N. <Chinese
title>`` section per paper with ``**原文标题：**`` (the original English title),
``**摘要：**`` (the abstract translated into Chinese) and ``**论文链接：**`` with a Hugging
Face and an arXiv link.

The HTML file is the same post rendered by a site generator, so it is turned back into
Markdown (:mod:`.markup`) and read by the same code: both files give the same
observations. The numbering is the newsletter's order, not upvotes; the post shows no
counts, so ``upvotes`` stays empty. The translated abstract is the digest's own text
(``summary``), not the paper's abstract. Author and institution lines (``作者``, ``机构``)
are read when a post has them; an author line that says it goes on (``et al.``, ``等``,
``等人``, ``+3 more``) gives the names before the marker and ``extra['authors_truncated']``.

When it fails: a post without ``原文标题`` lines keeps the Chinese heading as its title
(``extra['title_zh']`` is then the same text); a post whose heading has no date gets no
``listed_on``.
"""

from __future__ import annotations

import logging
import re

from reconcile.ids import parse_arxiv_id
from reconcile.models import MAX_NAME, Source
from reconcile.text import collapse_whitespace

from ..base import Format, Parsed, PageError, Problem, build, parse_date, set_rank_basis
from .item_fields import split_authors
from .markup import html_to_markdown, looks_like_html

log = logging.getLogger(__name__)

_DAY = re.compile(r"^#\s.*?(\d{4}-\d{2}-\d{2})\s*论文日报", re.MULTILINE)
_ITEM = re.compile(r"^###\s+(\d+)[.、]\s*(.+?)\s*$", re.MULTILINE)
_END = re.compile(r"^##\s", re.MULTILINE)
_LABEL = re.compile(r"^\*\*\s*([^*\n]+?)\s*[：:]\s*\*\*[ \t]*", re.MULTILINE)
_LINK = re.compile(r"\[([^\[\]]*)\]\((https?://[^)\s]+)\)")  # no "[" in a link text: linear
_TOTAL = re.compile(r"总论文数\s*[：:]\s*(\d+)")
# Chinese for "et al." after the last name: "Pieter Claes 等", "张三、李四等人", "等 12 位作者".
_ET_AL_ZH = re.compile(r"\s*+等(?:人|\s*+\d+\s*+[位名]?(?:作者|人))?[\s。.]*+$")
_WORD_RUN = re.compile(r"[\w.+-]++")
_AUTHOR_LABELS = ("作者",)
_ORG_LABELS = ("机构", "作者单位", "单位", "研究机构")


def sniff(text: str, url: str) -> bool:
    """The ``论文日报`` title with ``原文标题`` labels (in Markdown or HTML)."""
    head = text[:3000]
    return "论文日报" in head and "原文标题" in text


def _fields(block: str) -> dict[str, str]:
    """``**标签：** value`` paragraphs of one item, label -> value (value up to the next
    label or blank line)."""
    labels = list(_LABEL.finditer(block))
    fields = {}
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(block)
        value = block[m.end():end].strip()
        # The value is its first paragraph; the abstract's starts on the line after the label.
        paragraphs = [p for p in re.split(r"\n\s*\n", value) if p.strip()]
        fields[m[1]] = paragraphs[0].split("\n---")[0].strip() if paragraphs else ""
    return fields


def _authors(line: str) -> tuple[list[str], bool]:
    """The names of an author line, and whether it says the list goes on.

    The generic reader's :func:`.item_fields.split_authors` reads the names (commas, ``、``,
    semicolons, affiliation marks) and the markers it knows (``et al.``, ``…``, ``+3
    more``); the Chinese ``等`` / ``等人`` after the last name is this post's own "et al.",
    so it is taken off first. Why it matters: left on, ``Pieter Claes 等`` is a name no
    other source has (a false "not in arXiv's list"), and a list that is cut reads as a
    complete one. When it fails: a name that truly ends in 等 loses it (none seen).

    A line with a run of letters longer than any name is kept as one name, which the item's
    validation refuses (as it would refuse the name it holds, however split): the generic
    reader would look for an address in that run from each of its positions, a time that
    grows with the square of its length."""
    rest = _ET_AL_ZH.sub("", line)
    if any(len(run[0]) > MAX_NAME for run in _WORD_RUN.finditer(rest)):
        return [rest], rest != line
    names, partial = split_authors(rest)
    return names, partial or rest != line


def parse(text: str, url: str) -> Parsed:
    """One observation per ``### N.`` section; HTML is read as its Markdown."""
    if looks_like_html(text):
        text = html_to_markdown(text)
    day = _DAY.search(text)
    listed_on = parse_date(day[1]) if day else None
    items = list(_ITEM.finditer(text))
    if not items:
        raise PageError("zh newsletter: no '### N. title' sections", text[:300])
    total = _TOTAL.search(text[: items[0].start()])
    parsed = Parsed()
    for i, m in enumerate(items):
        end = items[i + 1].start() if i + 1 < len(items) else len(text)
        block = text[m.end():end]
        stop = _END.search(block)  # the sections after the last paper (word cloud, audio)
        block = block[: stop.start()] if stop else block
        fields = _fields(block)
        links = _LINK.findall(fields.get("论文链接", "") or block)
        arxiv_link = next((u for _, u in links if "arxiv.org" in u and parse_arxiv_id(u)), None)
        hf_link = next((u for _, u in links if "huggingface.co" in u and parse_arxiv_id(u)), None)
        aid = parse_arxiv_id(arxiv_link) or parse_arxiv_id(hf_link)
        title_zh = collapse_whitespace(m[2])
        title = collapse_whitespace(fields.get("原文标题", "")) or title_zh
        authors, cut = next((_authors(collapse_whitespace(fields[k]))
                             for k in _AUTHOR_LABELS if fields.get(k)), ([], False))
        org = next((collapse_whitespace(fields[k]) for k in _ORG_LABELS if fields.get(k)), None)
        extra = {"title_zh": title_zh}
        if cut:
            extra["authors_truncated"] = True
        if hf_link and arxiv_link:
            extra["hf_url"] = hf_link
        if total:
            extra["papers_total"] = int(total[1])
        build(parsed, m[0] + block, source=Source.DIGEST, url=arxiv_link or hf_link,
              rank=int(m[1]), title=title, listed_on=listed_on,
              arxiv_id=aid.id if aid else None, arxiv_version=aid.version if aid else None,
              summary=collapse_whitespace(fields.get("摘要", "")) or None,
              authors=[a for a in authors if a], organization=org, extra=extra)
    if total and int(total[1]) != len(items):
        parsed.problems.append(Problem(
            f"zh newsletter: says {total[1]} papers but lists {len(items)}", total[0]))
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-zh-newsletter", Source.DIGEST, sniff, parse)
