"""Matching observations to papers, with the reason for each link.

This first tier links by identifier only: an observation that carries a canonical arXiv id
(any version) belongs to paper ``arxiv:<id>``. A Hugging Face paper id is an arXiv id, so an
id read from a Hugging Face link is the ``hf_id`` method with the same key. Observations
without an id stay unplaced until title and mention matching place them.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from reconcile.models import Link, Observation, Source


def paper_id_for_arxiv(arxiv_id: str) -> str:
    """The stable paper id of an arXiv paper."""
    return f"arxiv:{arxiv_id}"


def _id_method(obs: Observation) -> str:
    host = (urlsplit(obs.url).hostname or "") if obs.url else ""
    if obs.source == Source.HUGGINGFACE or host.endswith("huggingface.co") or host == "hf.co":
        return "hf_id"
    return "arxiv_id"


def link_by_identifier(observations: Iterable[Observation]) -> list[Link]:
    """One link per observation that carries an arXiv id; the others are left out."""
    links = []
    for obs in observations:
        if obs.id is None or obs.arxiv_id is None:
            continue
        method = _id_method(obs)
        version = f" v{obs.arxiv_version}" if obs.arxiv_version else ""
        via = "Hugging Face paper id" if method == "hf_id" else "arXiv id"
        links.append(Link(observation_id=obs.id, paper_id=paper_id_for_arxiv(obs.arxiv_id),
                          method=method, score=100.0,
                          detail=f"{via} {obs.arxiv_id}{version}"))
    return links
