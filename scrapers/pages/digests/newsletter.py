"""Newsletter digest (seed 002): a ``Today's Overview`` list, then ``Featured`` items
numbered ``01``..``NN``, each a headline, prose, ``Key takeaways`` and usually a
``Source: <paper title>`` line. An item without a ``Source:`` line names its paper only in
prose; it becomes a *mention*: an observation with no title and the name it was mentioned
by in ``extra['mentioned_as']``, for the matcher to place.

The day is not named in the document, so ``listed_on`` stays empty unless the caller knows.
"""

from __future__ import annotations

import re
from collections import Counter

from reconcile.ids import parse_arxiv_id
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import Format, Parsed, PageError, build, set_rank_basis

_FEATURED = re.compile(r"^Featured\s*$", re.MULTILINE)
_END = re.compile(r"^(Also Worth Noting|Today's Observation)\s*$", re.MULTILINE)
_ITEM = re.compile(r"^(\d{2})\s+(\S+)\s+(.+)$", re.MULTILINE)
_SOURCE = re.compile(r"^Source:\s*(.+?)\s*$", re.MULTILINE)
# Names of models and methods: CamelCase words, or words joined to letters/digits by hyphens.
_NAME = re.compile(r"\b(?:[A-Z][a-z]+[A-Z][A-Za-z0-9]*|[A-Z][A-Za-z0-9]*[A-Z0-9])"
                   r"(?:-[A-Za-z0-9]+)*\b")


def sniff(text: str, url: str) -> bool:
    """A ``Featured`` section whose items carry ``Source:`` lines."""
    return bool(_FEATURED.search(text)) and bool(_SOURCE.search(text))


def mentioned_name(prose: str) -> tuple[str | None, list[str]]:
    """The name an item's prose is about, and every candidate name it found.

    Candidates are model/method-shaped words (``WideSeek-R1``, ``DeepSeek-R1-671B``,
    ``OmniSIFT``). A variant counts for its stem (``WideSeek-R1-4B`` for ``WideSeek-R1``),
    and the most frequent stem wins, the earliest on ties. Fails when the prose mostly
    discusses a baseline, or names the paper only in lower case.
    """
    found = [m[0] for m in _NAME.finditer(prose) if any(c.islower() for c in m[0]) or "-" in m[0]]
    counts: Counter[str] = Counter()
    for name in found:
        stems = [f for f in found if name != f and name.startswith(f + "-")]
        counts[min(stems, key=len) if stems else name] += 1
    if not counts:
        return None, []
    order = {name: found.index(name) for name in counts}
    best = max(counts, key=lambda n: (counts[n], -order[n]))
    return best, sorted(counts, key=order.__getitem__)


def parse(text: str, url: str) -> Parsed:
    """One observation per featured item: a titled one when it has ``Source:``, else a mention."""
    start = _FEATURED.search(text)
    if not start:
        raise PageError("newsletter: no 'Featured' section", text[:300])
    end = _END.search(text, start.end())
    section = text[start.end(): end.start() if end else len(text)]
    items = list(_ITEM.finditer(section))
    if not items:
        raise PageError("newsletter: no numbered featured items", section[:300])
    parsed = Parsed()
    for i, m in enumerate(items):
        block = section[m.end(): items[i + 1].start() if i + 1 < len(items) else len(section)]
        source = _SOURCE.search(block)
        prose = block[: source.start()] if source else block
        prose = prose.split("Key takeaways:")[0]
        extra = {"headline": collapse_whitespace(m[3]), "section": m[2]}
        title = aid = None
        if source:
            title = collapse_whitespace(source[1])
            aid = parse_arxiv_id(title)
        else:
            name, candidates = mentioned_name(prose)
            extra.update(mention=True, mentioned_as=name, candidates=candidates)
        build(parsed, m[0] + block, source=Source.DIGEST, rank=int(m[1]), title=title,
              arxiv_id=aid.id if aid else None, summary=collapse_whitespace(prose) or None,
              extra=extra)
    set_rank_basis(parsed.observations)
    return parsed


FORMAT = Format("digest-newsletter", Source.DIGEST, sniff, parse)
