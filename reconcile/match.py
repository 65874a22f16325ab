"""Matching observations to papers, tier by tier, with the reason for each link.

1. ``arxiv_id`` / ``hf_id``: an observation carrying a canonical arXiv id (any version)
   belongs to paper ``arxiv:<id>``; a Hugging Face paper id is an arXiv id.
2. ``doi``: a DOI that an arXiv record of a paper states.
3. ``title``: rapidfuzz over normalized titles (:func:`reconcile.text.normalize_title`:
   case, punctuation, whitespace, LaTeX, Unicode forms), which also accepts titles cut at
   the colon (a plain word or a name several papers carry: the one within
   ``mention_days`` of the observation's day), truncated with "..." (or stopping
   mid-phrase), or carrying a typo, with author overlap and date proximity as evidence.
   Such a title, not the paper's own, links only to a paper of days within
   ``weak_title_days`` of the observation's when both are known; an exact title within
   ``date_far_days``, or farther with a shared author.
   Numbers and short capital suffixes (:func:`marks`) must agree, and a title that is merely the start of another names
   another paper unless authors and day say otherwise (:meth:`TitleIndex._title_score`).
4. ``mention``: a name in prose ("WideSeek-R1") against papers whose title starts with it.
5. ``unmatched``: the observation becomes a paper of its own (``title:<hash>``), adopted by
   the arXiv paper when that turns up later.

Candidates come from blocking, never from all pairs (:mod:`reconcile.blocking`); a title
that is exactly one paper's, where no other could outscore it, is settled without them
(:meth:`TitleIndex._sole_exact`).

When it fails: two papers whose titles differ only in a word that is not a number (a
"survey" and a "benchmark" of the same topic) score close; the ambiguity margin then leaves
the observation unmatched rather than guessing, and titles shorter than
``min_fuzzy_length`` only match exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from reconcile.blocking import (DOI, END, FUNCTION_WORDS, HEAD, KEY, NUMBER, WORD, BlockingIndex, Candidate,
                                IndexSource, index_entries, index_fingerprint, marks, one_edit)
from reconcile.config import MatchConfig
from reconcile.models import LinkRow, Observation, Source
from reconcile.policy import surnames
from reconcile.text import normalize_title

_TRUNCATED = re.compile(r"(\.\.\.|…)\s*$")
# A title that stops on one of these stops mid-phrase: it was cut, whether or not it says so.
_OPEN_END = re.compile(r"[,:;/(&+\-–—]\s*$")


def paper_id_for_arxiv(arxiv_id: str) -> str:
    """The stable paper id of an arXiv paper."""
    return f"arxiv:{arxiv_id}"


def own_paper_id(key: str, era: int = 1) -> str:
    """The stable id of a paper known only by its normalized title (or mentioned name):
    the first of that title, or its ``era``-th when the earlier ones are too far in time
    to be the same paper (:meth:`TitleIndex.own_paper`)."""
    text = key if era == 1 else f"{key}\n{era}"
    return "title:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _id_method(obs: Observation) -> str:
    host = (urlsplit(obs.url).hostname or "") if obs.url else ""
    if obs.source == Source.HUGGINGFACE or host.endswith("huggingface.co") or host == "hf.co":
        return "hf_id"
    return "arxiv_id"


def link_by_identifier(observations: Iterable[Observation]) -> list[LinkRow]:
    """One link per observation that carries an arXiv id; the others are left out."""
    links = []
    for obs in observations:
        if obs.id is None or obs.arxiv_id is None:
            continue
        method = _id_method(obs)
        version = f" v{obs.arxiv_version}" if obs.arxiv_version else ""
        via = "Hugging Face paper id" if method == "hf_id" else "arXiv id"
        links.append(LinkRow(obs.id, paper_id_for_arxiv(obs.arxiv_id), method, 100.0, f"{via} {obs.arxiv_id}{version}"))
    return links


def observation_day(obs: Observation) -> dt.date | None:
    """The day an observation speaks of: its list's day, else the paper's publication day."""
    return obs.listed_on or obs.published


@dataclass(frozen=True)
class _Query:
    """What the title tier needs of the title being matched, computed once per lookup."""

    title: str
    key: str
    numbers: frozenset[str]
    truncated: bool  # it ends with "..." or "…"
    cut: bool  # it is marked as cut or stops mid-phrase (:func:`stops_mid_phrase`)
    words: int
    marks: frozenset[str]
    day: dt.date | None = None  # the observation's day (:func:`observation_day`)


@dataclass(frozen=True)
class _Evidence:
    """What authors and dates say of a candidate: the score change and its notes, and
    ``corroborates`` when an author is shared and the days are within ``date_near_days``.

    No shared author and days more than ``date_far_days`` apart, both known on both sides,
    take ``author_penalty + date_penalty`` (18) off, more than the 10 points by which the
    best title score (100) clears ``title_accept``: together they veto even an exact title
    (a reprint keeps an author; a new paper by other people under an old title does not).
    Far days without a shared author (``shared``) refuse an exact title too (:meth:`TitleIndex._scored`)."""

    delta: float
    notes: list[str]
    corroborates: bool
    #: Days from the observation's day to the candidate's nearest, when both are known.
    gap: int | None = None
    #: Whether an author surname is shared (both lists known).
    shared: bool = False


@dataclass(frozen=True)
class Match:
    """The paper an observation goes to, and why."""

    paper_id: str
    method: str
    score: float
    detail: str


def distinctive(name_key: str, raw: str, cfg: MatchConfig) -> bool:
    """Whether a short name can stand for a paper: it has a digit or a capital past its first
    letter (``R1``, ``FASA``, ``OmniSIFT``), or is long. A plain word ("Survey") is not."""
    return len(name_key) >= cfg.colon_min_length or any(c.isdigit() for c in raw) or \
        any(c.isupper() for c in raw[1:])


# Prefixes that turn a word into its opposite ("unsupervised", "asymmetric", "nonlinear").
_NEGATING = ("un", "non", "non-", "a", "an", "in", "im", "ir", "il", "dis", "anti")


def negates(a: str, b: str) -> bool:
    """Whether one word is the other negated: "without" of "with", "unsupervised" of
    "supervised", "asymmetric" of "symmetric". Why: such a pair is spelled alike (ratio 73,
    91, 95), so the typo rule took "Learning to Reason without Sparse Rewards" for a
    misspelt "... with Sparse Rewards", two papers saying opposite things."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and (long == short + "out" or any(long == p + short for p in _NEGATING))


def _words_close(key: str, other: str, floor: float) -> bool:
    """Every word of ``key`` missing from ``other`` has a near spelling there: a typo, not
    another word (``Qwen3-TTS`` against ``Qwen3-ASR`` swaps a name and is refused).

    The near spelling is looked for among the words of ``other`` that ``key`` lacks, the
    other side of the same edit: a word both titles share is already accounted for, and
    taking it would let "Tundra Routing ... under ..." pass for "Dune Routing ... under ..."
    because "tundra" is spelled like "under". Only when ``other`` has no word of its own (a
    repeated word typed twice, "deep deap learning") are all its words tried. A word
    negated in the other (:func:`negates`) is another word, however alike."""
    mine, theirs = set(key.split()), set(other.split())
    if any(negates(w, t) for w in mine - theirs for t in theirs - mine):
        return False
    changed = theirs - mine or theirs
    # Words under three characters (a Greek letter, a stray "a") are too short to tell.
    return all(any(fuzz.ratio(w, t, processor=None) >= floor for t in changed)
               for w in mine - theirs if len(w) >= 3 and w not in FUNCTION_WORDS)


def stops_mid_phrase(title: str, key: str) -> bool:
    """Whether a title without a "..." mark was still cut: it ends on a function word
    ("... Language Models for") or on punctuation that opens what follows (",", ":", "-").

    A title that merely is the start of another, longer one ("Scaling Laws for Neural
    Language Models" and "... of Code") names its own paper: a prefix counts as a cut only
    when it is marked or stops where no title would."""
    words = key.split()
    return bool(_OPEN_END.search(title)) or (bool(words) and words[-1] in FUNCTION_WORDS)


def _marks_kept(mine: frozenset[str], key: str, other_key: str) -> bool:
    """Every mark of one title (whose key is ``key``) is a word of the other's key, or a
    letter dropped from a word of three letters that only the other has: "LL-as-a-Judge"
    is a typo of "LLM-as-a-Judge", which the typo rule then weighs like any other word
    (:func:`_words_close`); "Part I" is not "Part II", nor "-V" "-VL"."""
    theirs = set(other_key.split())
    missing = mine - theirs
    if not missing:
        return True
    own = theirs - set(key.split())
    return all(any(len(w) == len(m) + 1 == 3 and Levenshtein.distance(m, w) == 1 for w in own)
               for m in missing)


#: The title tier's reason for an equal key: :meth:`TitleIndex._best` lets it beat a close
#: non-exact candidate, and a link whose detail holds it is no guess
#: (:func:`reconcile.checks.evidence.guessed_link`).
EXACT_TITLE = "same normalized title"


def title_key(title: str) -> str:
    """The normalized form a title is matched by, with a trailing "..." or "…" dropped."""
    return normalize_title(_TRUNCATED.sub("", title))


def _starts_with_name(title: str, name: str) -> bool:
    """``title`` is ``name`` followed by a space and a word: not a longer compound
    (``LongCat-Image``) and not a version (``SAM 3``)."""
    if not title.startswith(name + " "):
        return False
    rest = title[len(name) + 1:].lstrip()
    return bool(rest) and not rest[0].isdigit() and rest[0] not in ":-"


class TitleIndex(BlockingIndex):
    """Papers by exact title key, by title word, and by DOI: the blocking structures.

    With a ``source`` (the store), the papers of earlier runs are read from its stored
    index as lookups need them, block by block, in paper id order, and this run's papers
    are held in memory after them: the candidates, and so the links, are those an index
    built from every stored paper in id order would give, without reading every paper.
    Without one, every paper is added here."""

    # -- scoring --------------------------------------------------------------------------
    def _title_score(self, query: _Query, cand: Candidate, fuzzy: float | None) -> tuple[float, str, bool]:
        """The title tier's score of one candidate (0 when no rule accepts it), its reason,
        and whether the link needs the corroboration of authors and day (:meth:`_evidence`);
        ``fuzzy`` is its plain similarity when that passed the fuzzy floor, computed in bulk
        beforehand.

        A title that is the start of the candidate's is a cut when it says so ("...") or
        stops mid-phrase or mid-word; a prefix ending on a whole content word may be another
        paper ("Scaling Laws for Neural Language Models" and "... of Code"), so it links
        only when a shared author and a near day say it is the same one.

        A title with the same letters in the same order is the same title with a word break
        dropped or added ("LLMbased" for "LLM-based", "Zeroshot" for "Zero-shot"): the typo
        rule would refuse it, as "llm" has no near spelling among the other title's words.
        Its marks need no test ("FrankenShowVL" has the "VL" of "FrankenShow-VL": the same
        letters), its numbers do ("Qwen25" is not "Qwen2.5")."""
        cfg, key = self.config, query.key
        if key == cand.key:
            return 100.0, EXACT_TITLE, False
        numbers_kept = query.numbers <= cand.numbers and _marks_kept(query.marks, key, cand.key)
        starts = cand.key.startswith(key)
        cut = query.truncated or (starts and (query.cut or cand.key[len(key):len(key) + 1] != " "))
        long_enough = query.words >= cfg.prefix_min_words and numbers_kept
        if cut and long_enough:
            ratio = fuzz.ratio(key, cand.key[: len(key)], processor=None)
            if ratio >= cfg.prefix_accept:
                return min(ratio, 99.0), f"truncated title ({query.words} words) matches the start", False
        if cand.head is not None and key == cand.head and numbers_kept and (
                distinctive(key, query.title, cfg) or self._near(query.day, cand)):
            return 97.0, "title cut at the colon", False
        if fuzzy and query.numbers == cand.numbers:
            if numbers_kept and _marks_kept(cand.marks, cand.key, key) and \
                    _words_close(key, cand.key, cfg.typo_word_floor) and _words_close(cand.key, key, cfg.typo_word_floor):
                return fuzzy, f"title similarity {fuzzy:.0f}", False
            if key.replace(" ", "") == cand.key.replace(" ", ""):  # "zeroshot", "zero-shot"
                return fuzzy, f"title similarity {fuzzy:.0f}, the same letters", False
        if starts and long_enough:
            return 99.0, f"unmarked start of the title ({query.words} words)", True
        return 0.0, "", False

    def _worth_scoring(self, query: _Query, cands: list[Candidate]) -> list[tuple[Candidate, float | None]]:
        """The candidates some rule of :meth:`_title_score` could accept, with their fuzzy
        similarity: the similarity of every candidate is computed in one rapidfuzz call
        (C speed) with the floor below which no evidence could lift a pair to
        ``title_accept``, and the cheap string tests pick the prefix and colon cases, so
        the per-candidate Python work is spent on a handful, not on every blocked paper."""
        cfg, key = self.config, query.key
        keys = [c.key for c in cands]
        fuzzy: dict[int, float] = {}
        if len(key) >= cfg.min_fuzzy_length:
            floor = cfg.title_accept - cfg.author_bonus - cfg.date_bonus
            fuzzy = {i: score for _, score, i in process.extract(
                key, keys, scorer=fuzz.ratio, processor=None, score_cutoff=floor, limit=None)}
        picked = set(fuzzy)
        if query.words >= cfg.prefix_min_words:
            if query.truncated:
                n = len(key)
                picked.update(i for _, _, i in process.extract(
                    key, [k[:n] for k in keys], scorer=fuzz.ratio, processor=None,
                    score_cutoff=cfg.prefix_accept, limit=None))
            else:  # an unmarked prefix: _title_score tells a cut from a shorter title
                picked.update(i for i, k in enumerate(keys) if k.startswith(key))
        picked.update(i for i, c in enumerate(cands) if c.head == key or c.key == key)
        return [(cands[i], fuzzy.get(i)) for i in sorted(picked)]

    def _evidence(self, obs: Observation, cand: Candidate) -> _Evidence:
        """What authors and dates say of a candidate (:class:`_Evidence`)."""
        cfg = self.config
        delta, notes = 0.0, []
        shared = near = False
        mine = surnames(obs.authors)
        if mine and cand.authors:
            if mine & cand.authors:
                shared = True
                delta += cfg.author_bonus
                notes.append("shared authors")
            else:
                delta -= cfg.author_penalty
                notes.append("no shared author")
        day, gap = observation_day(obs), None
        if day and cand.days:
            gap = min(abs((day - d).days) for d in cand.days)
            if gap <= cfg.date_near_days:
                near = True
                delta += cfg.date_bonus
                # Not the gap itself: a paper's days grow as its lists arrive, and the same
                # files linked in another order said "0 day(s)" or "1 day(s)" (probe28).
                notes.append(f"dates within {cfg.date_near_days} days")
            elif gap > cfg.date_far_days:
                delta -= cfg.date_penalty
                notes.append(f"dates {gap} days apart")
        return _Evidence(delta, notes, shared and near, gap, shared)

    def _best(self, scored: list[tuple[float, Candidate, str]], accept: float) -> Match | None:
        if not scored:
            return None
        scored.sort(key=lambda s: -s[0])
        best_score, best, why = scored[0]
        if best_score < accept:
            return None
        exact = why.startswith(EXACT_TITLE)
        # Two near-equal candidates take neither: an exact title beats a close title that is
        # not its own, nothing else. Every rival within the margin is looked at, not only the
        # runner-up: an exact title tied with another exact one must stay refused when a
        # close non-exact title happens to score between them.
        for score, rival, rival_why in scored[1:]:
            if score < best_score - self.config.ambiguity_margin:
                break
            if rival.paper_id != best.paper_id and not (exact and not rival_why.startswith(EXACT_TITLE)):
                return None
        return Match(best.paper_id, "title", round(min(best_score, 100.0), 1), why)

    def match(self, obs: Observation) -> Match | None:
        """The paper an id-less observation belongs to, by DOI, title or mention; None."""
        doi = obs.extra.get("doi")
        found = self._doi(doi.lower()) if isinstance(doi, str) else None
        if found is not None:
            return Match(found, "doi", 100.0, f"DOI {doi}")
        if obs.title:
            return self.match_title(obs, obs.title)
        name = obs.extra.get("mentioned_as")
        if obs.extra.get("mention") and isinstance(name, str) and name:
            return self.match_mention(obs, name)
        return None

    def match_title(self, obs: Observation, title: str, *, among: set[str] | None = None) -> Match | None:
        """Score the title against its blocked candidates (optionally only ``among``)."""
        key = title_key(title)
        if not key:
            return None
        if among is None:
            settled = self._sole_exact(obs, key)
            if settled is not None:
                return settled
        return self._scored(obs, title, key, among)

    def _sole_exact(self, obs: Observation, key: str) -> Match | None:
        """The link :meth:`_scored` would make, found without blocking, when the title is
        exactly one paper's and nothing else could take it; else None (score them all).

        Nothing else can take it when the observation has no authors (no author evidence
        for anyone), one paper has the key, and either the observation has no day (no date
        evidence for anyone) or that paper is near it (``date_bonus`` for it, at most as
        much for any other): that paper scores 100 plus at least what any other gets, every
        other title scores below 100 (only an equal key scores 100), and an exact title
        beats a close non-exact one (:meth:`_best`). At 100k generated observations three
        lookups in five are such titles; blocking and scoring them was most of placing."""
        cfg = self.config  # its points are never negative (MatchConfig refuses that)
        if surnames(obs.authors):
            return None
        same = self._posting(KEY, self.by_key, key)
        if len(same) != 1:
            return None
        cand = self.candidate(same[0])
        if cand is None:
            return None
        evidence = self._evidence(obs, cand)
        if observation_day(obs) is not None and (evidence.gap is None or evidence.gap > cfg.date_near_days):
            return None  # another paper near the day could outscore it
        return self._best([(100.0 + evidence.delta, cand, "; ".join([EXACT_TITLE, *evidence.notes]))], cfg.title_accept)

    def _scored(self, obs: Observation, title: str, key: str, among: set[str] | None) -> Match | None:
        """Every blocked candidate scored by the title tier's rules and the evidence."""
        truncated = bool(_TRUNCATED.search(title))
        query = _Query(title, key, frozenset(NUMBER.findall(key)), truncated,
                       truncated or stops_mid_phrase(title, key), len(key.split()), marks(title),
                       observation_day(obs))
        cands = self.candidates(key, among)
        scored, far = self._score_all(obs, query, cands)
        found = self._pick(query, scored, far)
        if found is None:
            # No link, and a word may be misspelt: the papers its right spelling blocks
            # too, scored beside the first ones (so a pair that was ambiguous stays so).
            seen = {c.paper_id for c in cands}
            more = [p for p in self._near_candidate_ids(key, seen, among) if among is None or p in among]
            if more:
                self.preload(more)
                scored_more, far_more = self._score_all(obs, query, self.faces_of(more))
                if scored_more:
                    found = self._pick(query, scored + scored_more, far | far_more)
        return found

    def _score_all(self, obs: Observation, query: _Query, cands: list[Candidate]
                   ) -> tuple[list[tuple[float, Candidate, str]], set[tuple[str, str]]]:
        """The candidates some rule accepts, scored with the evidence, and those too far in
        time for their kind of title, as (paper id, title key): refused if best, see
        :meth:`_pick` (the key tells a paper's titles apart, :func:`reconcile.blocking.face`)."""
        key = query.key
        scored: list[tuple[float, Candidate, str]] = []
        far: set[tuple[str, str]] = set()
        for cand, fuzzy in self._worth_scoring(query, cands):
            base, why, needs_support = self._title_score(query, cand, fuzzy)
            if base <= 0:
                continue
            evidence = self._evidence(obs, cand)
            if needs_support and not evidence.corroborates:
                continue
            if evidence.gap is not None and (evidence.gap > self.config.weak_title_days if cand.key != key
                                             else self._far_for_its_title(evidence)):
                far.add((cand.paper_id, cand.key))
            scored.append((base + evidence.delta, cand, "; ".join([why, *evidence.notes])))
        return scored, far

    def _far_for_its_title(self, evidence: _Evidence) -> bool:
        """Whether a paper is too far in time to be the one its own title names: listed or
        published more than ``date_far_days`` from the item's day, with no author shared."""
        return evidence.gap is not None and evidence.gap > self.config.date_far_days and not evidence.shared

    def own_paper(self, obs: Observation, key: str) -> tuple[str, int | None]:
        """The paper of its own an item that links nothing goes to (its title's key, or the
        name it mentions, is ``key``): the first paper of its own of that title that is not
        too far in time to be the same one (:meth:`_far_for_its_title`), else a new one;
        and, when it is not the first of its title, how many days away the nearest earlier
        one is.

        Why not always the first: its id is the hash of the title alone, so an item the
        matcher refused because the paper of its own title was listed months away (another
        paper of the same name, or a list looking back) would join that paper anyway, and
        the two would be checked as one. A new one is numbered (``own_paper_id``'s ``era``)
        in the order met, so the same observations give the same ids; a later item of its
        days finds it by its exact title."""
        gaps = []
        era = 1
        while (cand := self._any_candidate(own_paper_id(key, era))) is not None:
            evidence = self._evidence(obs, cand)
            if not self._far_for_its_title(evidence):
                break
            gaps.append(evidence.gap)
            era += 1
        return own_paper_id(key, era), min(gaps, default=None)

    def _pick(self, query: _Query, scored: list[tuple[float, Candidate, str]], far: set[tuple[str, str]]
              ) -> Match | None:
        """The best scored candidate (:meth:`_best`), a colon name's of the item's days."""
        # A name before a colon that several papers carry: the one of the observation's days.
        colon = [s for s in scored if s[2].startswith("title cut at the colon")]
        near = [s for s in colon if self._near(query.day, s[1])]
        if near:
            scored = [s for s in scored if s not in colon or s in near]
        found = self._best(scored, self.config.title_accept)  # sorts ``scored``, the best first
        # Not its own title and listed or published more than ``weak_title_days`` from the
        # item's day, or its own title more than ``date_far_days`` from it with no author
        # shared: refused, not dropped, so the paper still makes a name it shares ambiguous.
        return None if found is not None and (found.paper_id, scored[0][1].key) in far else found

    def _near(self, day: dt.date | None, cand: Candidate) -> bool:
        """Whether a paper was listed or published in the ``mention_days`` up to ``day`` (or
        the day after it, a time zone's difference): a list names papers of its day and the
        days before, never one that appears days later."""
        return day is not None and any(-1 <= (day - d).days <= self.config.mention_days for d in cand.days)

    def match_mention(self, obs: Observation, name: str) -> Match | None:
        """A name mentioned in prose: the one paper whose title is that name before a colon,
        listed or published near the mention's day when that is known. The name must be
        distinctive; a title merely starting with it (``SAM`` and ``SAM 3: ...``,
        ``LongCat`` and ``LongCat-Image ...``) names another paper."""
        key = normalize_title(name)
        if not key or not distinctive(key, name, self.config):
            return None
        found = set(self._posting(HEAD, self.by_prefix, key))
        if not found:  # no colon: a title that starts with the name, then a word ("ERNIE 5.0 Technical Report")
            first = key.split()[0]
            posting = self._posting(WORD, self.by_word, first)
            self.preload(posting)
            found = {p for p in posting if any(_starts_with_name(f.title, name) for f in self.papers[p].faces())}
        self.preload(found)
        day = observation_day(obs)
        if day:
            near = {p for p in found if any(abs((day - d).days) <= self.config.mention_days
                                            for d in self.papers[p].days) or not self.papers[p].days}
            found = near
        if len(found) != 1:
            return None
        pid = found.pop()
        faces = self.papers[pid].faces()  # the title that carries the name
        title = next((f.title for f in faces if f.head == key or _starts_with_name(f.title, name)), faces[0].title)
        return Match(pid, "mention", 95.0, f"mentioned as {name!r}, the name before the colon of {title!r}")


__all__ = ["DOI", "END", "EXACT_TITLE", "HEAD", "KEY", "WORD", "Candidate", "IndexSource", "Match", "TitleIndex",
           "distinctive", "index_entries", "index_fingerprint", "link_by_identifier", "marks", "negates",
           "observation_day", "one_edit", "own_paper_id", "paper_id_for_arxiv", "stops_mid_phrase", "title_key"]
