"""The README's "Faults a crawl survives" table, from what the fault matrix's crawls stored.

Written by ``tests/test_fault_matrix.py`` when ``PAPER_RECONCILE_FAULTS_TABLE`` names a file:
one row per fault kind, what the server did, and per spider what the crawl made of it
(read from the database, not from what the test expects), then each crawl's peak RSS and
wall time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .faults import FULL, MIB, OVERSIZED

_URL = re.compile(r"(?:https?|file)://[^\s)'\">]+")


def _short(reason: str) -> str:
    """A reason as a table cell: addresses of the loopback server out, at most 110 characters."""
    text = _URL.sub(lambda m: "file:///etc/passwd" if m[0].startswith("file:///etc") else "URL", reason)
    text = text.replace("|", "\\|")
    return text if len(text) <= 110 else text[:107] + "..."


def outcome(crawl: Any, key: int, fault: Any) -> str:
    """What the crawl made of slot ``key`` (served ``fault``), in a few words."""
    source = crawl.source
    papers = source.papers(key)
    stored = crawl.stored.get(key, {})
    reasons = crawl.rejects.get(key, [])
    asked = crawl.server.count(source.path(key))
    if fault.outcome == "lenient" and not reasons:
        return "kept; the bad value left unread, no reject"
    if len(stored) == len(papers) and not reasons:
        titles = {p.arxiv_id: p.title for p in papers}
        note = "" if stored == titles else ", entity left out of a title"
        if fault.name == "robots_disallowed":
            note = " (the API is exempt from robots.txt by policy)"
        return (f"kept after a retry{note}" if asked > 1 else f"kept{note}")
    if not reasons:
        return f"{len(crawl.titles.get(key, []))} of {len(papers)} papers kept and no reject (a known gap)"
    if len(stored) == len(papers):
        return f"kept without the value: {_short(reasons[0])}" + (f" (+{len(reasons) - 1})" if len(reasons) > 1 else "")
    kind = "item rejected" if stored else "reject"
    return f"{kind}: {_short(reasons[0])}" + (f" (+{len(reasons) - 1})" if len(reasons) > 1 else "")


def write_table(path: Path, crawls: dict[str, Any]) -> None:
    """Write the table (Markdown) to ``path``. An item fault's row says what the item held on
    each source (the field differs: upvotes, an arXiv version, authorsTotal, likes)."""
    spiders = list(crawls)
    kinds: dict[str, dict[str, Any]] = {}
    for spider, crawl in crawls.items():
        for key, fault in crawl.slots.items():
            if fault is not None:
                row = kinds.setdefault(fault.name, {"group": fault.group, "serves": {}, "cells": {}})
                row["serves"][spider] = fault.serves.removeprefix("one item with ")
                row["cells"][spider] = outcome(crawl, key, fault)
    lines = ["| fault | what the server does | " + " | ".join(spiders) + " |",
             "|---|---|" + "---|" * len(spiders)]
    for name, row in kinds.items():
        said = list(dict.fromkeys(row["serves"].values()))
        serves = said[0] if len(said) == 1 and row["group"] != "item" else "one item with " + "; ".join(
            f"{spider}: {text}" for spider, text in row["serves"].items())
        missing = "n/a: no such field" if row["group"] == "item" else "n/a: not XML"
        cells = [row["cells"].get(s, missing) for s in spiders]
        lines.append("| " + " | ".join([f"`{name}`", serves.replace("|", "\\|"), *cells]) + " |")
    lines += ["", f"Bodies: oversized {OVERSIZED // MIB} MiB, bombs as listed ({'full' if FULL else 'CI'} size).", "",
              "| spider | kinds | requests | peak RSS | wall time | exit | status |", "|---|---:|---:|---:|---:|---:|---|"]
    for spider, crawl in crawls.items():
        count = len({f.name for f in crawl.slots.values() if f})
        lines.append(f"| {spider} | {count} | {len(crawl.server.requests)} | {crawl.peak_mb:.0f} MB | "
                     f"{crawl.seconds:.1f} s | {crawl.code} | partial |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
