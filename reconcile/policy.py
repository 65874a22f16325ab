"""Which value of a field is usable and which is preferred: the one policy that merging,
matching and the checks share.

Author names are folded here too (:func:`name_key`, :func:`surname`): the matcher's
author evidence and the ``authors`` detector read "Doe, Jane", "Jane Doe Jr." and
``Jane D\\"oe`` alike.

Each field has a source precedence (DESIGN.md: arXiv for title, authors, abstract and
dates; Hugging Face for upvotes and comments; ArxivLens and digests for summaries; digests
ranked by upvotes for rank). Within the best source that has a usable value, the most
recently observed value wins, among those of the latest arXiv version any of them names. Text from a document whose mojibake could not be repaired is
not usable, nor is page furniture (:mod:`reconcile.furniture`). The detectors ask the same
questions (:func:`pick`: would the merged record take this value?), so a finding and the
merged record never disagree about which value counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from reconcile.furniture import is_page_furniture
from reconcile.models import Document, Observation, Source, TimeBasis
from reconcile.text import latex_accents_to_unicode

SOURCE_ORDER = (Source.ARXIV, Source.HUGGINGFACE, Source.ARXIVLENS, Source.DIGEST)

PRECEDENCE: dict[str, tuple[Source, ...]] = {
    "title": SOURCE_ORDER,
    "authors": SOURCE_ORDER,
    "abstract": SOURCE_ORDER,
    "published": SOURCE_ORDER,
    "upvotes": (Source.HUGGINGFACE, Source.DIGEST, Source.ARXIVLENS),
    "comments": (Source.HUGGINGFACE, Source.DIGEST),
    "organization": (Source.HUGGINGFACE, Source.ARXIVLENS, Source.DIGEST),
    "summary": (Source.ARXIVLENS, Source.DIGEST),
    "rank": (Source.DIGEST,),
}
TEXT_FIELDS = {"title", "authors", "abstract", "organization", "summary"}


def is_garbage(field: str, value: Any, source: Source | None = None) -> bool:
    """Page furniture stored as data (``·438 authors2`` as an organization): never merged.

    The test is :func:`reconcile.furniture.is_page_furniture`, by shape for a digest's
    value, only the unmistakable shapes for a first-hand source's (``source`` not a digest:
    Hugging Face's organization is a field of its API, not a card's text); the
    ``garbage_field`` detector flags the same values.
    """
    return field in ("organization", "title") and isinstance(value, str) and is_page_furniture(
        value, field, first_hand=source is not None and source != Source.DIGEST)


def usable(field: str, obs: Observation, documents: dict[int, Document]) -> bool:
    """Whether ``obs``'s value of ``field`` may stand for the paper: present, not text from a
    document whose mojibake could not be repaired, a rank only where it ranks by upvotes,
    and no page furniture."""
    value = getattr(obs, field)
    if value in (None, "", []):
        return False
    doc = documents.get(obs.document_id) if obs.document_id is not None else None
    if field in TEXT_FIELDS and doc is not None and doc.mojibake and doc.repair is None:
        return False
    if field == "rank" and obs.extra.get("rank_basis") != "upvotes":
        return False  # an editorial position says nothing about a paper's standing
    return not is_garbage(field, value, obs.source)


def time_basis(obs: Observation, documents: dict[int, Document] | None = None) -> TimeBasis | None:
    """What ``obs``'s time is: its own basis, else its document's (None when neither says)."""
    doc = documents.get(obs.document_id) if documents and obs.document_id is not None else None
    return obs.observed_at_basis or (doc.observed_at_basis if doc is not None else None)


def recency(obs: Observation, documents: dict[int, Document] | None = None) -> tuple[Any, ...]:
    """The order within one source: an observation whose time is a capture time (a
    response, a time given or stated as when it was seen) before one timed loosely (a
    file's time, a post's publication), then the latest observed; among those observed at
    the same time, by their documents' addresses and contents, then their own addresses,
    and only then the latest stored.

    Why captures first: a file's modification time is when it was copied, not when its
    counts were read, so it cannot say that its value is the newer one (a copy saved the
    morning before would win over a capture of the next day, and the merged record would
    claim the copy's time). Why addresses next: files copied or checked out together share
    one time, and which of two such captures gave a merged value must not depend on the
    order they were ingested in (ids follow that order)."""
    doc = documents.get(obs.document_id) if documents and obs.document_id is not None else None
    basis = time_basis(obs, documents)
    return (1 if basis is not None and basis.is_capture else 0,
            obs.observed_at.timestamp() if obs.observed_at else float("-inf"),
            doc.url if doc else "", doc.sha256 if doc else "", obs.url or "", obs.id or 0)


def pick(field: str, observations: Sequence[Observation], documents: dict[int, Document],
         key: Callable[[Observation], Any] | None = None) -> Observation | None:
    """The observation whose value of ``field`` the merged record takes, or None; ``key``
    orders one source's observations, by default :func:`recency`."""
    order = key or (lambda o: (not cut_list(o), recency(o, documents)) if field == "authors"
                    else recency(o, documents))
    for source in PRECEDENCE[field]:
        found = [o for o in observations if o.source == source and usable(field, o, documents)]
        if found:
            return max(latest_version(found), key=order)
    return None


def cut_list(obs: Observation) -> bool:
    """Whether ``obs``'s author list is marked as not all the names: cut with "et al." or
    "+3 more" (``extra['authors_truncated']``), or shorter than the total it states.

    Why a complete list goes first within a source (:func:`pick`): a digest seen later that
    names the first two authors and "et al." says nothing against the five names an earlier
    one listed, and a merged record that took it would say the paper has two authors."""
    return bool(obs.extra.get("authors_truncated")) or (obs.authors_total or 0) > len(obs.authors or [])


def latest_version(observations: Sequence[Observation]) -> list[Observation]:
    """``observations`` but those that name an arXiv version older than another one names:
    arXiv's record of v1, fetched (or its file saved) after its record of v2, still holds
    v1's title, authors and abstract. An observation naming no version is kept: what it
    shows may be any version, so its time orders it."""
    newest = max((o.arxiv_version for o in observations if o.arxiv_version), default=None)
    return [o for o in observations if not (o.arxiv_version and newest and o.arxiv_version < newest)]


# -- author names -----------------------------------------------------------------------------
# Letters with no accent to strip, written as names are spelt without them (Icelandic ð and
# þ as "d" and "th": Guðrún Sigurðardóttir as Gudrun Sigurdardottir, Þórunn as Thorunn).
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae",
                       "œ": "oe", "Œ": "oe", "ı": "i", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th"})
# How German and Scandinavian names are spelt without their letters: Müller as Mueller,
# Søren as Soeren, Ålund as Aalund (ß needs nothing: casefold writes it "ss" anyway).
_TRANSLITERATE = str.maketrans({"ä": "ae", "Ä": "Ae", "ö": "oe", "Ö": "Oe", "ü": "ue", "Ü": "Ue",
                                "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"})
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_NOT_WORD = re.compile(r"[^\w]+|_")

Key = tuple[str, ...]


def name_key(name: str, *, transliterated: bool = False) -> Key:
    """The words of a name with case, accents, TeX accents and punctuation folded away.

    ``Jakob G\\"unther``, ``Jakob Günther`` and ``GUNTHER, JAKOB`` give
    ``("jakob", "gunther")``.

    With ``transliterated``, ä, ö, ü, ø and å are first written as a name is spelt without
    them (``Jürgen Müller`` gives ``("juergen", "mueller")``, as ``Juergen Mueller`` does).
    Why a second key rather than folding ``ue`` to ``u`` in every key: the plain key keeps
    ``Michael`` and ``Michal`` apart, and ``Jurgen Muller`` (the accents dropped) still
    meets ``Jürgen Müller`` there; only a comparison that tries both keys pairs all three
    spellings with the one that has the umlaut. When it fails: two spellings without the
    letter (``Mueller`` and ``Muller``) meet in neither key. The default key is the one the
    matcher stores (:func:`surname`), so it is unchanged by this.
    """
    text = unicodedata.normalize("NFKC", latex_accents_to_unicode(name))
    if transliterated:
        text = text.translate(_TRANSLITERATE)
    text = text.translate(_FOLD)
    if text.count(",") == 1:
        last, first = (p.strip() for p in text.split(","))
        if first and _NOT_WORD.sub("", first).casefold() not in SUFFIXES:
            text = f"{first} {last}"
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return tuple(_NOT_WORD.sub(" ", text.casefold()).split())


@lru_cache(maxsize=1 << 16)  # pure; the same authors come back in every source of a paper
def surname(name: str) -> str | None:
    """The family name of ``name`` by :func:`name_key`: its last word, passing over a
    generational suffix ("Jane Doe Jr." -> ``doe``); None for a name with no word."""
    words = name_key(name)
    while len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    return words[-1] if words else None


def surnames(names: Iterable[str]) -> set[str]:
    """The :func:`surname` of each name: "Doe, Jane", "Jane Doe Jr." and ``J. D\\"oe`` all
    give ``doe``."""
    return {s for s in map(surname, names) if s}
