"""``reconcile resolve``: place new observations, then re-merge and re-check what they touch.

Incremental by construction: only observations without a link are matched, and only the
papers those links point to (and papers that adopt a title-only paper) are merged and
checked again, from all of their observations. A second run finds nothing new and changes
nothing.

Order within a run: identifiers first, so that the papers a run's arXiv and Hugging Face
records create are there for its digests to match by title; then DOI, title and mention
matching against every known paper; an observation that matches nothing becomes a paper
of its own, which a later arXiv paper with the same title adopts (its links move, the
title-only paper is deleted).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from reconcile import checks, match, merge
from reconcile.checks import missing, quirks
from reconcile.config import DEFAULT, DEFAULTS, MatchConfig, ReconcileConfig
from reconcile.models import Kind, LinkRow, Observation, Source, TimeBasis
from reconcile.store import PlacementRow, Store, paper_rows
from reconcile.text import normalize_title

log = logging.getLogger(__name__)

# Papers merged and checked per step: their observations, documents and day lists are what a
# resolve holds in memory beyond the matcher's index.
PAPER_CHUNK = 2000
# Observations to place plus papers left to check from which a run shares its checking among
# processes (:func:`workers`): fewer make at most a chunk or two of papers, and a daily run
# (a few hundred observations) stays in one process.
PARALLEL_MIN = 2 * PAPER_CHUNK
# Papers read and indexed per step when the blocking index is rebuilt (:func:`ensure_index`).
INDEX_CHUNK = 20_000
# Identified observations whose stored papers placing reads in one query.
PLACE_BATCH = 5000

_TRUST = {Source.ARXIV: 0, Source.HUGGINGFACE: 1, Source.ARXIVLENS: 2, Source.DIGEST: 3}
#: The sources whose records are a paper's own, by its id: each title they give is one the
#: paper is found by (:func:`reconcile.blocking.face`): arXiv's versions, and Hugging Face's
#: and ArxivLens's copies of a version's title (a list of v1's day, read after arXiv's v2
#: retitled it, names it by v1's). A digest's title, even beside an id, is not: it may be
#: translated or garbled, and an id a digest gives may be wrong.
_TITLED_BY_ID = frozenset({Source.ARXIV, Source.HUGGINGFACE, Source.ARXIVLENS})


@dataclass(frozen=True)
class ResolveSummary:
    """What one ``resolve`` run did."""

    new_observations: int
    linked: int
    unplaced: int
    papers_touched: int
    discrepancies: int
    #: This run's new observations by how they were placed (``links.method``): the counts add
    #: up to ``linked``; links an adoption moved are counted in ``adopted``, not here.
    by_method: dict[str, int] | None = None
    adopted: int = 0
    #: Wall seconds of each step: ``placing`` (reading the new observations, matching,
    #: adoptions, saving the links), ``checking`` (merging, checking and writing the papers).
    seconds: dict[str, float] | None = None


def ensure_index(store: Store, config: MatchConfig = DEFAULT) -> int:
    """Rebuild the stored blocking index from every paper when it is not the index of the
    stored papers: made by a version without it, built with other keys
    (:func:`match.index_fingerprint`), holding another number of papers, or left out of
    step by a run stopped while checking (:meth:`Store.stage_index`). Returns how many
    papers it holds. Entries a failed run of this process staged are dropped first."""
    store.discard_staged_index()
    fingerprint, indexed, papers = store.index_state()
    if fingerprint == match.index_fingerprint(config) and indexed == papers:
        return indexed
    done, after = 0, ""
    with store.transaction():  # one commit: a rebuild stopped halfway leaves the old index
        while chunk := store.paper_index_rows(after, INDEX_CHUNK):
            store.stage_index([match.index_entries(row["id"], row["title"], row["published"],
                                                   json.loads(row["authors"] or "[]"), row["doi"], config,
                                                   days=json.loads(row["days"] or "[]"))
                               for row in chunk])
            done, after = done + len(chunk), chunk[-1]["id"]
        store.write_index(match.index_fingerprint(config), everything=True)
    if done:
        log.info("rebuilt the blocking index of %d papers", done)
    return done


def build_index(store: Store, config: MatchConfig = DEFAULT) -> match.TitleIndex:
    """The matcher's view of the papers already in the database: their stored blocking
    index (:func:`ensure_index`), read as lookups need it; none on a first run, whose
    lookups would only find empty blocks (a million of them cost about a minute)."""
    return match.TitleIndex(config, source=store if ensure_index(store, config) else None)


def _index_entries(papers: list, by_paper: dict[str, list[Observation]], config: MatchConfig) -> list[dict]:
    """The stored index's rows of merged papers (each lists its blocks); a paper's DOI is
    the first one its arXiv records state, its days those of its observations (each one's
    listing day, else its publication day), as placing gave a paper added in its run."""
    rows = []
    for paper in papers:
        # A paper of its own born of a mention has no title: it is filed under the name
        # mentioned, as placing filed it in its run, so a later run can find and adopt it.
        title = paper.title or next((o.extra["mentioned_as"] for o in sorted(by_paper[paper.id], key=lambda o: o.id or 0)
                                     if o.extra.get("mention") and isinstance(o.extra.get("mentioned_as"), str)), None)
        doi = next((o.extra["doi"] for o in sorted(by_paper[paper.id], key=lambda o: o.id or 0)
                    if o.source == Source.ARXIV and isinstance(o.extra.get("doi"), str)), None)
        days = {day.isoformat() for o in by_paper[paper.id] if (day := match.observation_day(o))}
        # The titles its own records give, each a title it is found by (blocking.face).
        versions = sorted({o.title for o in by_paper[paper.id] if o.source in _TITLED_BY_ID and o.title})
        rows.append(match.index_entries(paper.id, title,
                                        paper.published.isoformat() if paper.published else None,
                                        paper.authors, doi, config, days=days, others=versions))
    return rows


@dataclass
class _Placed:
    """What placing the new observations gave: a link for each placed one, how many were new,
    and the days each new observation's document lists (for :func:`_place_new`)."""

    links: list[LinkRow]
    new: int = 0
    listed: dict[int, set[dt.date]] = field(default_factory=dict)

    def saw(self, obs: PlacementRow) -> None:
        self.new += 1
        if obs.document_id is not None and obs.listed_on:
            self.listed.setdefault(obs.document_id, set()).add(obs.listed_on)


def _place(store: Store, index: match.TitleIndex) -> _Placed:
    """Links for every new observation: identifiers, then DOI, title, mention, or its own.

    The observations are streamed from the store (:meth:`Store.placement_rows`), the
    identified ones first, by source in the order of :data:`_TRUST` (the first record of a
    paper gives the matcher its title), then the others oldest first, mentions last: the
    order and the links of placing them all from one list, without holding them all. The
    two reads are separate queries, so both stop at the newest observation stored when
    placing began: an arXiv record a crawl stores meanwhile is not missed by the first read
    while the digest items that name it are placed by the second; both wait for the next run."""
    placed = _Placed([])
    upto = store.last_observation_id()
    identified = store.placement_rows(identified=True, sources=sorted(_TRUST, key=_TRUST.__getitem__), upto=upto)
    while batch := list(itertools.islice(identified, PLACE_BATCH)):
        index.preload(match.paper_id_for_arxiv(o.arxiv_id) for o in batch)
        for obs in batch:
            placed.saw(obs)
            [link] = match.link_by_identifier([obs])
            placed.links.append(link)
            index.add(link.paper_id, obs.title, days=[match.observation_day(obs)], authors=obs.authors,
                      doi=obs.extra.get("doi") if obs.source == Source.ARXIV else None,
                      version=obs.source in _TITLED_BY_ID)
    mentions = []
    for obs in store.placement_rows(identified=False, upto=upto):
        placed.saw(obs)
        if obs.extra.get("mention"):
            mentions.append(obs)  # a few per digest: placed once every title is
        else:
            _place_one(obs, index, placed.links)
    for obs in mentions:
        _place_one(obs, index, placed.links)
    return placed


def _place_one(obs: PlacementRow, index: match.TitleIndex, links: list[LinkRow]) -> None:
    """Place an observation without an identifier: by DOI, title or mention, else as a paper
    of its own (unless it has nothing to name it by: it stays unplaced, and the report
    counts it)."""
    found = index.match(obs)
    if found:
        links.append(LinkRow(obs.id, found.paper_id, found.method, found.score, found.detail))
        index.add(found.paper_id, None, days=[match.observation_day(obs)], authors=obs.authors)
        return
    name = obs.title or obs.extra.get("mentioned_as") or ""
    key = normalize_title(name)
    if not key:
        return
    paper_id, gap = index.own_paper(obs, key)
    why = "" if gap is None else f" (not the one of its title {gap} days away)"
    links.append(LinkRow(obs.id, paper_id, "unmatched", 0.0,
                         f"no known paper matched; a paper of its own{why} until a source with an identifier names it"))
    index.add(paper_id, name, days=[match.observation_day(obs)], authors=obs.authors)


def _adoption_candidates(index: match.TitleIndex, arxiv_papers: set[str], title_papers: set[str]) -> list[str]:
    """The title-only papers worth testing for adoption by this run's arXiv papers.

    Blocking runs from whichever side is smaller. A daily run brings a few dozen arXiv papers
    while title-only papers accumulate, so each arXiv paper's blocked candidates are searched
    for title-only ones; a first, bulk run over a large backlog brings hundreds of thousands
    of arXiv papers and few or no title-only papers from earlier runs, so those are simply
    all tested (blocking from every arXiv paper there would cost as much as placing them
    all again, for nothing)."""
    if len(title_papers) <= len(arxiv_papers):
        return sorted(title_papers)
    found: set[str] = set()
    for pid in sorted(arxiv_papers):
        cand = index.candidate(pid)
        for one in cand.faces() if cand is not None else ():  # under each of its titles
            found.update(p for p in index.candidate_ids(one.key) if p in title_papers)
            if one.head:  # a paper of its own born of a mention is filed under the bare name
                found.update(p for p in index.candidate_ids(one.head) if p in title_papers)
    return sorted(found)


def _adoptions(index: match.TitleIndex, arxiv_papers: set[str], existing_title_papers: set[str],
               untitled: Callable[[list[str]], set[str]] = lambda ids: set()) -> dict[str, match.Match]:
    """Title-only papers (from earlier runs) that this run's arXiv papers turn out to be: the
    title-only paper's title must match one of them by the title tier's rules, on the first
    of its days (``match_papers.days``, the days its observations state) as the day of the
    title, and its authors, as when its first item was placed: a name before a colon that is
    a plain word ("Lumine") links only near its day, a title that only starts another only
    with an author shared.

    A paper of its own born of a mention (``untitled`` gives those among the candidates: no
    observation of theirs has a title) is tested by the mention tier's rules instead, as
    its items would have been placed had the arXiv paper come first: the one paper whose
    name before the colon it is, near its day, and one of this run's arXiv papers."""
    adopted: dict[str, match.Match] = {}
    if not arxiv_papers or not existing_title_papers:
        return adopted
    candidates = _adoption_candidates(index, arxiv_papers, existing_title_papers)
    mentioned = untitled(candidates) if candidates else set()
    for paper_id in candidates:
        other = index.candidate(paper_id)
        if other is None:
            continue
        day = min(other.days, default=None)
        if paper_id in mentioned:
            probe = Observation(source=Source.DIGEST, listed_on=day,
                                extra={"mention": True, "mentioned_as": other.title})
            found = index.match_mention(probe, other.title)
            found = found if found is not None and found.paper_id in arxiv_papers else None
        else:
            # Its authors too (the surname keys its observations gave), as its items had
            # when they were placed: a shared author is what links a title that only
            # starts another, or one listed months away.
            probe = Observation(source=Source.DIGEST, title=other.title, listed_on=day, authors=sorted(other.authors))
            found = index.match_title(probe, other.title, among=arxiv_papers)
        if found:
            adopted[paper_id] = found
    return adopted


def adopted_link(link: LinkRow, adopter: match.Match) -> LinkRow:
    """The link of an observation of an adopted paper of its own to the paper adopting it:
    as sure as the weaker of its two steps, how it joined the paper of its own and how that
    paper was adopted.

    The observation that made the paper of its own (``unmatched``: its title, or the name
    it mentions, is the paper's) is linked as the adoption is. One that joined it by a name
    it mentions stays a ``mention``; one that joined it by a title that is not exactly the
    paper's keeps saying so (its detail never claims the exact title), though the paper was
    adopted by an exact one. Why: the checks read the link's method and detail to tell a
    guessed link (:func:`reconcile.checks.evidence.guessed_link`), and the same files must
    give the same findings in one run or in many: a typo'd title that joined the paper of
    its own, and a mention, were told as exact after a later run's adoption, so their
    findings rose from ``info`` to ``warning`` or ``error``."""
    if link.method == "unmatched":  # as the adoption matched it: its own title or name
        return LinkRow(link.observation_id, adopter.paper_id, adopter.method, adopter.score, adopter.detail)
    method = "mention" if "mention" in (link.method, adopter.method) else link.method
    exact = match.EXACT_TITLE in (link.detail or "") and match.EXACT_TITLE in (adopter.detail or "")
    way = f"adopted: {adopter.detail}" if exact or match.EXACT_TITLE not in (adopter.detail or "") \
        else "adopted with the paper of its own, by the same title"
    joined = (link.detail or link.method).replace(match.EXACT_TITLE, "the same title") if not exact else link.detail
    return LinkRow(link.observation_id, adopter.paper_id, method, min(link.score, adopter.score),
                   f"{way}; it had joined that paper by {link.method}: {joined}")


def relinked(link: LinkRow, adopter: match.Match, obs: Observation | None, index: match.TitleIndex) -> LinkRow:
    """The link of an observation of an adopted paper of its own to the paper adopting it.

    An item with a title is matched again, by its own title, against the adopter alone: the
    link it would have had had the adopter been known when it was placed, as one run of the
    same files gives. Why not the adoption's own link: a paper of its own is adopted by one
    title (its name in the index, whichever of its items' titles that is), and each item's
    link said how that title matched, not how its own did; a typo'd title that made the paper
    was told as exact, and an exact one that joined a typo'd paper as fuzzy, so findings
    were errors in one order of runs and ``info`` in another. A mention, and a title that
    does not match the adopter on its own (it joined the paper through another item's
    title), are linked by :func:`adopted_link`. A mention is placed again by the mention
    tier's rules, and linked so when they name the adopter."""
    found = None
    if obs is not None and obs.extra.get("mention"):
        name = obs.extra.get("mentioned_as")
        found = index.match_mention(obs, name) if isinstance(name, str) and name else None
    elif obs is not None and obs.title and link.method != "mention":
        found = index.match_title(obs, obs.title, among={adopter.paper_id})
    if found is not None and found.paper_id == adopter.paper_id:
        return LinkRow(link.observation_id, found.paper_id, found.method, found.score, found.detail)
    return adopted_link(link, adopter)


def _context(store: Store, by_paper: dict[str, list[Observation]],
             config: ReconcileConfig = DEFAULTS, links: dict[int, tuple] | None = None) -> checks.CheckContext:
    """The documents of the papers to check, the complete day lists of their days, the
    ranked items of every list that ranks one of them, and how each observation is linked."""
    doc_ids = {o.document_id for group in by_paper.values() for o in group if o.document_id is not None}
    days = {o.listed_on.isoformat() for group in by_paper.values() for o in group if o.listed_on}
    days |= {(dt.date.fromisoformat(d) - dt.timedelta(days=1)).isoformat() for d in days}
    list_docs, list_obs, paper_of = store.day_list_parts(config.missing.complete_formats, days)
    documents = store.documents(doc_ids)
    documents.update(list_docs)
    ranked = store.ranked_lists({o.document_id for group in by_paper.values() for o in group
                                 if o.document_id is not None and o.rank is not None})
    damaged = store.papers_of_documents(d.id for d in documents.values()
                                        if d.id is not None and (d.mojibake or d.replacement_chars))
    day_lists = missing.build_day_lists(list_docs.values(), list_obs, paper_of, config.missing,
                                        store.latest_sightings(list_docs))
    return checks.CheckContext(documents, day_lists, ranked, damaged, config, links or {})


def last_seen(observations: list[Observation], last: dict[int, tuple[dt.datetime, TimeBasis]]) -> list[Observation]:
    """The observations as the merge times them: by their document's latest capture
    (:meth:`Store.last_captures`), when it is later than the time they carry (the first).

    Why: the merge takes the latest value, and a document is as new as the last time its
    content was seen. One address read as A (50) at 08:00, B (48) at 12:00 and A again at
    16:00 keeps A once, its 16:00 fetch a sighting: timed by its first capture the paper
    said 48 "as of 12:00", though 50 was seen at 16:00 (probe26). The checks keep the first
    capture, when the value was first seen, which orders a history whatever order the
    files came in."""
    out = []
    for obs in observations:
        seen = last.get(obs.document_id) if obs.document_id is not None else None
        if seen is not None and obs.observed_at is not None and seen[0] > obs.observed_at:
            obs = obs.model_copy(update={"observed_at": seen[0], "observed_at_basis": seen[1]})
        out.append(obs)
    return out


def _merge_and_check(store: Store, paper_ids: list[str],
                     config: ReconcileConfig = DEFAULTS) -> tuple[list, dict[str, list], list[dict]]:
    """Merge and check these papers from all their stored observations: the rows of the
    papers and of each paper's complete list of findings (:meth:`Store.save_paper_rows`)
    and their entries of the blocking index (:meth:`Store.stage_index`), to save. Only
    reads, so it runs outside the write transaction (or in a worker process) and other
    processes write meanwhile."""
    links: dict[int, tuple] = {}
    by_paper = store.observations_of_papers(paper_ids, links)
    ctx = _context(store, by_paper, config, links)
    last = store.last_captures({o.document_id for group in by_paper.values() for o in group if o.document_id})
    ctx.seen_again = last
    papers, found = [], {}
    for paper_id in paper_ids:
        observations = by_paper.get(paper_id)
        if not observations:
            continue
        found[paper_id] = checks.check_paper(paper_id, observations, ctx)
        # An item whose own title names another paper gives the paper no value (evidence.py).
        papers.append(merge.merge(paper_id, last_seen(observations, last), ctx.documents,
                                  exclude=ctx.disagreeing.keys()))
    return (*paper_rows(papers, found), _index_entries(papers, by_paper, config.matching))


def workers() -> int:
    """How many processes merge and check a large run: the CPUs this process may use, at
    most 4 (the parent writes what they return, one SQLite writer)."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, min(len(usable), 4))


_worker_store: Store | None = None


def _start_worker(path: str, parent: int) -> None:
    """A worker's start: it leaves an interrupt (Ctrl-C reaches the whole process group, and
    systemd sends SIGTERM to the whole unit) to the parent, which stops the pool; it dies
    with the parent, so a parent killed by SIGTERM or SIGKILL leaves no worker behind
    holding the resolve lock; and it opens its own read-only connection."""
    global _worker_store
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # sent to the whole unit by systemd: the parent's to handle
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before that took hold
        os._exit(1)
    _worker_store = Store(path, read_only=True)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere nothing (a worker then ends when the pool's pipe to it breaks)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        log.debug("prctl is not available: a worker may outlive a killed parent")


def _merge_and_check_in_worker(paper_ids: list[str], config: ReconcileConfig) -> tuple:
    assert _worker_store is not None, "the worker's store was not opened"
    return _merge_and_check(_worker_store, paper_ids, config)


def _ready() -> None:
    """A task that does nothing: submitted once per worker, it makes the pool start them."""


class _Checkers:
    """Merges and checks chunks of papers (:func:`_merge_and_check`): in this process, or
    with ``processes`` > 1 in that many worker processes, each with its own read-only
    connection. Merging and checking only read rows stored before they start, links and
    observations, never the papers or findings earlier chunks wrote, so the result does not
    depend on which process did what or when.

    The workers are started on entry, at the start of a run, while this process is small:
    started after placing (a million observations and the matcher's index held here), each
    would begin with all of that mapped, and every page its garbage collector touched would
    be copied (at 100k a worker's peak RSS was 529 MiB forked after placing, with the
    collector frozen, and 138 MiB forked before). They are forked where the platform can (Linux): a spawned worker re-runs the
    caller's main module, which a script without a ``__main__`` guard cannot survive. A
    forked worker inherits this process's SQLite connection but never uses it (it opens its
    own, and leaves with os._exit, so the inherited one is not even closed there)."""

    def __init__(self, store: Store, config: ReconcileConfig, processes: int) -> None:
        self.store, self.config, self.processes = store, config, processes
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Checkers:
        if self.processes > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self.pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_start_worker,
                                            initargs=(str(self.store.path), os.getpid()))
            for started in [self.pool.submit(_ready) for _ in range(self.processes)]:
                started.result()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def run(self, chunks: list[list[str]]) -> Iterator[tuple[list[str], tuple]]:
        """Each chunk with what :func:`_merge_and_check` gives for it, in order. At most two
        chunks per worker are in flight, so a run's memory does not grow with its size
        while this process writes what they return."""
        if self.pool is None or len(chunks) <= 1:
            for chunk in chunks:
                yield chunk, _merge_and_check(self.store, chunk, self.config)
            return
        pending: list[tuple[list[str], Future]] = []
        upcoming = iter(chunks)
        for chunk in itertools.islice(upcoming, 2 * self.processes):
            pending.append((chunk, self.pool.submit(_merge_and_check_in_worker, chunk, self.config)))
        while pending:
            chunk, future = pending.pop(0)
            result = future.result()
            for more in itertools.islice(upcoming, 1):
                pending.append((more, self.pool.submit(_merge_and_check_in_worker, more, self.config)))
            yield chunk, result


def fold_site_quirks(store: Store, config: ReconcileConfig = DEFAULTS, rechecked: Collection[str] = (),
                     gone: Collection[str] = ()) -> int:
    """Fold per-paper ``garbage_field`` findings of a site's recurring quirk into one finding
    about the site (:mod:`reconcile.checks.quirks`), the papers ``rechecked`` this run
    placed by their new findings and those ``gone`` (adopted) left out; returns how many
    fewer findings there are. The papers of a site finding unfolded (shrunk below
    ``min_papers``) wait in ``pending_checks``, in the same commit, to be checked again."""
    per_paper = store.findings_of_kind(Kind.GARBAGE_FIELD.value, sites=False)
    existing = store.findings_of_kind(Kind.GARBAGE_FIELD.value, sites=True)
    folded = quirks.fold(per_paper, existing, config.quirks, set(rechecked), set(gone))
    store.replace_findings(folded.upserts, folded.deleted)
    store.add_pending(folded.unfold)
    store.move_acknowledgements(folded.superseded, "a site joined the quirk")
    # Papers of an unfolded quirk that this run checked already keep their findings:
    # acknowledged as the quirk was (the others are when they are checked again).
    store.carry_site_acknowledgements()
    new_sites = len({d.id for d in folded.upserts} - {d.id for d in existing})
    return len(folded.deleted) - new_sites


@dataclass
class _Placement:
    """What placing the new observations gave: a link for each placed one (adoptions
    applied), the stored links an adoption moves, the adopted papers, how many observations
    were new, and the papers to merge and check again."""

    links: list[LinkRow]
    moved: list[LinkRow]
    adopted: dict[str, match.Match]
    new: int
    touched: list[str]


def _place_new(store: Store, config: ReconcileConfig) -> _Placement:
    """Place every unlinked observation (:class:`_Placement`)."""
    if not store.has_unlinked():
        return _Placement([], [], {}, 0, [])
    index = build_index(store, config.matching)
    title_papers_before = set(store.title_only_papers())
    placed = _place(store, index)
    links = placed.links
    arxiv_papers = {l.paper_id for l in links if l.paper_id.startswith("arxiv:")}
    adopted = _adoptions(index, arxiv_papers, title_papers_before,
                         lambda ids: {p.id for p in store.papers(ids) if not p.title})

    # Links that move: those stored for adopted papers, and this run's links to them.
    # The papers listed beside an adopted one: their findings may name it ("tied with
    # title:..."), and it is gone; they are checked again to name its adopter instead.
    beside = {p for papers in store.papers_of_documents(store.documents_of_papers(adopted)).values()
              for p in papers} if adopted else set()
    stored = [LinkRow(l.observation_id, l.paper_id, l.method, l.score, l.detail)
              for group in store.links_by_paper(adopted).values() for l in group] if adopted else []
    observed = store.observations_by_id([l.observation_id for l in stored + links if l.paper_id in adopted])
    moved = [relinked(l, adopted[l.paper_id], observed.get(l.observation_id), index) for l in stored]
    links = [relinked(l, adopted[l.paper_id], observed.get(l.observation_id), index) if l.paper_id in adopted
             else l for l in links]
    for old in adopted:
        index.remove(old)

    touched = {l.paper_id for l in links + moved} | (beside - set(adopted))
    # A new complete list of day D (Hugging Face's) can make papers that other lists of D
    # (or of D+1: digests post the next morning) carry "missing": re-check those too.
    complete = set(config.missing.complete_formats)
    new_docs = store.documents(placed.listed)
    list_days = {d for doc, days in placed.listed.items() if new_docs[doc].format in complete for d in days}
    recheck_days = {d + dt.timedelta(days=k) for d in list_days for k in (0, 1)}
    touched |= store.papers_listed_on(d.isoformat() for d in recheck_days) - set(adopted)
    return _Placement(links, moved, adopted, placed.new, sorted(touched))


#: Modules of ``reconcile`` that make no finding: the command line and the outputs.
_NOT_CHECKS = frozenset({"cli.py", "report.py", "report_html.py", "render.py", "serve.py", "views.py", "queries.py",
                         "plan.py", "entry.py", "__main__.py"})


def checks_fingerprint(config: ReconcileConfig = DEFAULTS) -> str:
    """What the findings depend on beyond the data: this package's code (every module of
    ``reconcile``, the checks and what they use) and the settings. A database whose findings
    were made with another fingerprint has every paper checked again (:func:`_resolve`)."""
    digest = hashlib.sha256(config.model_dump_json().encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        if path.name in _NOT_CHECKS:
            continue
        digest.update(path.relative_to(Path(__file__).parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def resolve(store: Store, config: ReconcileConfig | MatchConfig = DEFAULTS,
            progress: Callable[[int, int], None] | None = None, processes: int | None = None) -> ResolveSummary:
    """Link new observations, then merge and check the papers they touch.
    ``progress(done, total)``, when given, is called as each chunk of papers is checked.
    ``processes``: how many processes merge and check (:class:`_Checkers`); by default
    :func:`workers` when there are at least :data:`PARALLEL_MIN` observations to place and
    papers left to check, else one.

    Commits in steps that a crash cannot leave half-applied, so a long run does not hold
    the write lock for its whole length and a killed run loses only its current step:

    1. the links of every new observation (adoptions applied) together with the list of
       papers they touch, in ``pending_checks``;
    2. each chunk of :data:`PAPER_CHUNK` papers merged and checked (read outside any
       transaction, so other processes write meanwhile), saved together with removing them
       from ``pending_checks``; the last chunk also writes the blocking index entries of
       every chunk (:meth:`Store.stage_index`) and folds the sites' recurring quirks. A
       large run merges and checks its chunks in worker processes, and this one writes
       them in order.

    A run finds what an earlier, interrupted run left in ``pending_checks`` and finishes it
    (the links of step 1 are stored, so those observations are no longer new); merging and
    checking read only stored rows, so the result is the one an uninterrupted run gives.
    An index left out of step by such a run is rebuilt from the papers first
    (:func:`ensure_index`).

    One ``resolve`` runs on a database at a time (:meth:`Store.exclusive`): a second waits.
    """
    if isinstance(config, MatchConfig):  # only the matching section given
        config = ReconcileConfig(matching=config)
    with store.exclusive("resolve"):
        return _resolve(store, config, progress, processes)


def _resolve(store: Store, config: ReconcileConfig, progress: Callable[[int, int], None] | None,
             processes: int | None) -> ResolveSummary:
    if processes is None:
        processes = workers() if store.recent_unlinked_count() + store.pending_count() >= PARALLEL_MIN else 1
    started = time.perf_counter()
    ensure_index(store, config.matching)  # before placing, and before finishing a stopped run's checks
    checks = checks_fingerprint(config)
    if store.checked_with() != checks and store.has_papers():
        # Findings made by other code or settings (an upgrade, another --config) are not what
        # these would make: every paper is checked again, so the same data and settings give
        # the same findings whatever ran before.
        with store.transaction():
            again = store.check_everything()
        log.warning("the checks' code or settings changed since this database was last resolved: "
                    "checking all %d papers again", again)
    with _Checkers(store, config, processes) as checkers:
        placement = _place_new(store, config)
        if placement.links or placement.adopted:
            with store.transaction():
                store.save_links(placement.links + placement.moved, deleted=sorted(placement.adopted))
                store.add_pending(placement.touched)
        # This run's new observations only: the links an adoption moves were placed before.
        methods = Counter(link.method for link in placement.links)
        new, placed, adopted = placement.new, len(placement.links), len(placement.adopted)
        gone = set(placement.adopted)
        del placement  # the links and the index are saved: not held while checking
        touched = store.pending_papers()
        if not touched and not new:
            return ResolveSummary(0, 0, 0, 0, 0, {})
        placed_at = time.perf_counter()
        found: set[str] = set()
        folded = 0
        checked: set[str] = set()
        rounds = [touched]
        while rounds:
            # A second round checks the papers of a site finding the first one unfolded.
            touched = rounds.pop()
            checked |= set(touched)
            done = 0
            chunks = [touched[start:start + PAPER_CHUNK] for start in range(0, len(touched), PAPER_CHUNK)] or [[]]
            for chunk, (papers, findings, index_rows) in checkers.run(chunks):
                done += len(chunk)
                with store.transaction():
                    store.save_paper_rows(papers, findings)
                    store.stage_index(index_rows)  # written once, by the last chunk's commit
                    store.done_pending(chunk)
                    if done == len(touched):
                        store.write_index(match.index_fingerprint(config.matching))
                        folded += fold_site_quirks(store, config, checked, gone)
                        store.set_checked_with(checks)
                found |= {d["id"] for f in findings.values() for d in f}  # a document's finding counts once
                if progress is not None:
                    progress(done, len(touched))
            if (again := store.pending_papers()):
                rounds.append(again)
        touched = sorted(checked)
    total = len(found) - folded
    seconds = {"placing": placed_at - started, "checking": time.perf_counter() - placed_at}
    log.info("resolved %d new observations into %d papers (%s), %d adopted, %d discrepancies; placing %.1f s, "
             "checking %.1f s in %d process(es)", placed, len(touched), dict(methods), adopted, total,
             seconds["placing"], seconds["checking"], processes)
    return ResolveSummary(new, placed, new - placed, len(touched), total, dict(methods), adopted, seconds)
