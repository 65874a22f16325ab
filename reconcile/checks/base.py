"""What every detector shares: stable ids, the evidence of one value, and how to say who
said it and when."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reconcile.config import DEFAULTS, ReconcileConfig
from reconcile.models import Discrepancy, Document, Kind, Observation, Value, iso


@dataclass
class CheckContext:
    """What a detector may need beyond one paper's observations.

    ``documents`` are the documents the observations came from. ``day_lists`` maps a day to
    the complete lists of that day (:class:`reconcile.checks.missing.DayList`, built by
    ``build_day_lists``), for the ``missing`` check. ``ranked_lists`` maps a document to its
    ranked items, ``(rank, upvotes, paper, day)``, for the ``rank`` check. ``document_papers``
    maps a document with encoding damage to every paper it carries, so that damage is one
    finding per document (:mod:`reconcile.checks.encoding`). ``config`` holds every
    detector's thresholds (:class:`reconcile.config.ReconcileConfig`). ``links`` says how
    each observation was linked to its paper.
    """

    documents: dict[int, Document]
    day_lists: dict[dt.date, list] = field(default_factory=dict)
    ranked_lists: dict[int, list[tuple]] = field(default_factory=dict)  # (rank, upvotes, paper, day)
    document_papers: dict[int, list[str]] = field(default_factory=dict)
    config: ReconcileConfig = DEFAULTS
    #: How each observation is linked to its paper: observation id -> (method, score,
    #: detail) of its ``links`` row (:func:`reconcile.checks.evidence.guessed_link`).
    links: dict[int, tuple[str, float, str | None]] = field(default_factory=dict)
    #: Items linked by their id whose own title names another paper: observation id -> why
    #: (:func:`reconcile.checks.titles.own_title_disagrees`, filled per paper).
    disagreeing: dict[int, str] = field(default_factory=dict)
    #: Documents seen again unchanged after they were stored: document id -> (its latest
    #: capture time, that time's basis) (:meth:`reconcile.store.Store.last_captures`).
    seen_again: dict[int, tuple] = field(default_factory=dict)


Detector = Callable[[str, Sequence[Observation], CheckContext], list[Discrepancy]]


REPAIRS = {
    "mac_roman": "Mac Roman", "sloppy-windows-1252": "Windows-1252", "latin-1": "Latin-1",
    "sloppy-windows-1251": "Windows-1251", "cp437": "code page 437", "cp850": "code page 850",
}


def discrepancy_id(paper_id: str, kind: Kind, *parts: object) -> str:
    """A stable id: the same finding on the same paper gets the same id on every run."""
    key = "|".join([paper_id, kind.value, *map(str, parts)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def value_of(obs: Observation, value: object, documents: dict[int, Document]) -> Value:
    """One side of a discrepancy: the value with its source, site, time and time basis."""
    doc = documents.get(obs.document_id) if obs.document_id is not None else None
    return Value(source=obs.source, site=obs.site, value=value, observed_at=obs.observed_at,
                 observed_at_basis=obs.observed_at_basis or (doc.observed_at_basis if doc else None),
                 observation_id=obs.id)


def when(v: Value) -> str:
    basis = v.observed_at_basis.value.replace("_", " ") if v.observed_at_basis else "unknown time"
    return f"{basis} {iso(v.observed_at)}" if v.observed_at else basis


def who(v: Value) -> str:
    return f"{v.source.value}/{v.site}" if v.site else v.source.value


