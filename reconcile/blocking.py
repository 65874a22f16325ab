"""Blocking: where the matcher's candidates come from (:mod:`reconcile.match` scores them).

Candidates come from blocking, never from all pairs: an exact-key table, and an inverted
index from each title word to the papers carrying it, queried with the observation's rarest
words; a title that is exactly one paper's, where no other could outscore it, is settled
without them (:meth:`reconcile.match.TitleIndex._sole_exact`). A title that links nothing
and has a word no paper carries is looked up once more as if that word were spelt right: its
spellings one edit away that papers carry, or it split in two
(:meth:`BlockingIndex._near_candidate_ids`). Each lookup costs about the size of a few small
posting lists, so matching grows close to linearly with the number of observations. The
blocks of earlier runs' papers live in the database (:func:`index_entries`, the store's
``match_blocks``) and are read as lookups need them, so a daily run does not read every
paper.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Protocol

from reconcile.config import DEFAULT, MatchConfig
from reconcile.policy import surnames
from reconcile.text import normalize_title

NUMBER = re.compile(r"\d+")
_TOKEN = re.compile(r"[^\W_]+")
# One or two Latin capitals: digits are the numbers rule's, and a Greek capital is often
# LaTeX on the other side ("$\\Sigma$-Mem"), whose command name the title key drops.
_MARK = re.compile(r"[A-Z]{1,2}")


# Words a rewording swaps freely ("using" for "via"): not evidence of another paper.
FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into of on or the through to toward towards using via vs "
    "with without".split())


@dataclass(slots=True)
class Candidate:
    """A paper as the matcher knows it. Slotted: a first run over a million observations
    holds half a million of them, and without a ``__dict__`` each is smaller."""

    paper_id: str
    title: str
    key: str
    head: str | None = None  # the normalized part before a colon, when the title has one
    numbers: frozenset[str] = frozenset()  # the digit runs of the key
    marks: frozenset[str] = frozenset()  # its short capitalised tokens (:func:`marks`)
    days: set[dt.date] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)
    # The paper under its other titles (its records' by id when they differ), each a
    # candidate of the same paper sharing these days and authors (:func:`face`).
    others: tuple[Candidate, ...] = ()

    def faces(self) -> tuple[Candidate, ...]:
        """The paper under each of its titles: this one first."""
        return (self, *self.others) if self.others else (self,)


def face(main: Candidate, title: str) -> Candidate | None:
    """``main``'s paper under another title, or None when that title's key is one it has.

    Why: arXiv's versions of a paper may carry different titles, and lists name it by the
    one of their day (as do Hugging Face's and ArxivLens's copies: the titles a paper is
    filed under are those its records by id give, :data:`reconcile.resolve._TITLED_BY_ID`). A paper filed under one title only (the first record placed in one
    run, the merged title in a later one) let an item naming it by another become a paper
    of its own, and which one did depended on the order the records came in."""
    key = normalize_title(title)
    if not key or any(f.key == key for f in main.faces()):
        return None
    return Candidate(main.paper_id, title, key, _head(title), frozenset(NUMBER.findall(key)), marks(title),
                     main.days, main.authors)


def marks(title: str) -> frozenset[str]:
    """The short capitalised tokens of a title, case-folded: a model or version suffix
    (``RL`` in "Lumen-Image-2.0-RL", ``V`` in "Kestrel-V"), a part number ("Part II").

    Why: words under three characters are too short for the typo rule to compare
    (:func:`_words_close`), yet a suffix of one or two capitals is what tells a model's
    variant from the model, so each must be present in the other title (as a word of its
    normalized key, so a lower-cased copy still has it). Lower-case letters, digits (the
    numbers rule compares those), Greek capitals and an article ("A Survey of ...") are not
    marks."""
    text = unicodedata.normalize("NFKC", title)
    return frozenset(t.casefold() for t in _TOKEN.findall(text)
                     if _MARK.fullmatch(t) and t.casefold() not in FUNCTION_WORDS)


def _ends(key: str, n: int) -> tuple[str, ...]:
    """Blocking keys for the two ends of a normalized title: its first and its last ``n``
    words (``MatchConfig.end_words``), each marked by its side ("<amber routing for",
    "sparse models>").

    Why: digests cut titles short ("Amber Routing for Sparse ...", at least
    ``prefix_min_words`` words, so the lead survives) or misspell one word (which leaves one
    end whole in a title of six words or more). Looking those ends up directly finds the
    paper however common its words are, where the rare-word blocks can drown it among
    hundreds of papers made of the same common words. A title of ``n`` words or fewer has
    no ends: it is its own exact key."""
    words = key.split()
    if len(words) <= n:
        return ()
    return ("<" + " ".join(words[:n]), " ".join(words[-n:]) + ">")


def _head(title: str) -> str | None:
    """The normalized name before a title's colon, when it has one."""
    return normalize_title(title.split(":", 1)[0]) if ":" in title else None


#: The shortest word whose one-edit spellings are looked up when no paper carries it
#: (:meth:`TitleIndex._near_words`): a shorter one is one edit from too many real words.
_NEAR_MIN = 5
#: ... and the longest: a title in a script written without spaces is one "word" of dozens
#: of characters, whose spellings would number tens of thousands (each letter of the word
#: is a letter it could gain), and no typo rule is meant for it.
_NEAR_MAX = 30
#: In adoption, a word carried by at most this many papers, none of those tested, counts as
#: unknown: the title tested is a paper's own, which carries its own misspelling.
_NEAR_FEW = 3
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def one_edit(word: str) -> set[str]:
    """Every spelling one edit from ``word``: a letter dropped, two neighbours swapped, one
    letter changed or one added (letters and digits, and the word's own other letters).

    Why: a typo leaves a title's rarest word carried by no paper, and blocking on the
    remaining words alone can miss the paper (each of them carried by thousands). The right
    spelling is one of these, and it is a word of the index; the spellings that are not
    cost one dictionary lookup each (about 700 for a word of ten letters). A table of every
    indexed word's deletions would find the same words from the other side, but at a
    million observations it holds two million entries, and the parent's memory is the
    bound that is near."""
    letters = _ALPHABET + "".join(sorted(set(word) - set(_ALPHABET)))
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in letters)
    out.update(a + c + b for a, b in splits for c in letters)
    out.discard(word)
    return out


class IndexSource(Protocol):
    """Where a :class:`TitleIndex` reads the papers of earlier runs (:class:`reconcile.store.Store`)."""

    def index_count(self) -> int: ...
    def index_papers(self, paper_ids: Iterable[str], titled: bool = True) -> dict[str, dict]: ...
    def index_postings(self, kind: str, value: str, limit: int | None = None) -> list[str]: ...
    def index_sizes(self, kind: str, values: Iterable[str]) -> dict[str, int]: ...


# Kinds of block, as the store keeps them (``match_blocks.kind``).
KEY, HEAD, END, WORD, DOI = "key", "head", "end", "word", "doi"


def index_entries(paper_id: str, title: str | None, published: str | None, authors: list[str],
                  doi: str | None, config: MatchConfig = DEFAULT, days: Iterable[str] = (),
                  others: Iterable[str] = ()) -> dict:
    """A paper's row of the stored index: its title key, its authors as the surname keys
    the matcher compares (:func:`reconcile.policy.surnames`, folded once when stored), and
    the blocks it is filed under (``blocks``: [kind, value] pairs, the same keys
    :meth:`TitleIndex.add` files a paper under, its DOI a block of its own), from which the
    store writes ``match_blocks`` and by which it deletes them again; and the days its
    observations state (``days``: ISO days, each one's listing day, else its publication
    day), which a lookup weighs as it weighs those of a paper added in its own run; and its
    ``others`` titles (:func:`face`), filed under their blocks too. A paper without a title
    keeps a row (with no key) and only its DOI block."""
    key = normalize_title(title) if title else ""
    blocks = [(DOI, doi.lower())] if doi else []
    kept: list[str] = []
    if key:
        keys = {key}
        for text in [title, *others]:
            k = normalize_title(text)
            if not k or (text is not title and k in keys):
                continue
            if text is not title:
                keys.add(k)
                kept.append(text)
            blocks.append((KEY, k))
            head = _head(text)
            if head is not None:
                blocks.append((HEAD, head))
            blocks += [(END, end) for end in _ends(k, config.end_words)]
            blocks += [(WORD, word) for word in k.split()]
        blocks = list(dict.fromkeys(blocks))
    return {"paper_id": paper_id, "title": title, "key": key or None, "published": published,
            "authors": json.dumps(sorted(surnames(authors)), ensure_ascii=False),
            "blocks": json.dumps(blocks, ensure_ascii=False), "days": json.dumps(sorted(set(days))),
            "others": json.dumps(kept, ensure_ascii=False) if kept else None}


def index_fingerprint(config: MatchConfig = DEFAULT) -> str:
    """What a stored index depends on beyond the papers: the keys' form and ``end_words``.
    A stored index with another fingerprint is rebuilt. (v3: rows list their blocks; v4:
    and their days; v5: surnames fold Icelandic ð and þ, :func:`reconcile.policy.name_key`;
    v6: a paper of its own born of a mention is filed under the name mentioned; v7: a paper
    is filed under the other titles its own records give too, :func:`face`.)"""
    return f"v7;end_words={config.end_words}"


def _stored_candidate(paper_id: str, row: dict) -> Candidate:
    """A paper as the stored index holds it (:meth:`IndexSource.index_papers`)."""
    title, key, published = row["title"] or "", row["key"] or "", row["published"]
    cand = Candidate(paper_id, title, key, _head(title), frozenset(NUMBER.findall(key)), marks(title))
    # Its observations' days, as placing gave it in its own run (an index written before
    # v4 held only the publication day: rebuilt, see index_fingerprint).
    days = json.loads(row.get("days") or "[]") or ([published] if published else [])
    cand.days.update(dt.date.fromisoformat(d) for d in days)
    cand.authors.update(json.loads(row["authors"] or "[]"))  # surname keys, as stored
    for text in json.loads(row.get("others") or "[]"):
        other = face(cand, text)
        if other is not None:
            cand.others += (other,)
    return cand


class BlockingIndex:
    """The blocking half of :class:`reconcile.match.TitleIndex`: the papers known so far,
    the blocks they are filed under (in memory for this run's, read from a ``source`` for
    earlier runs'), and the bounded lookups that give a title its candidates."""

    def __init__(self, config: MatchConfig = DEFAULT, source: IndexSource | None = None) -> None:
        self.config = config
        self.source = source
        self.papers: dict[str, Candidate] = {}  # the candidates known so far: read or added
        # Posting lists of the papers added here are dicts used as ordered sets (paper id ->
        # None): iterating a set of strings follows their hashes, which PYTHONHASHSEED
        # changes from run to run, and the lookups below cut postings to a bound, so set
        # order would change which candidates survive, and so the links. Insertion order is
        # the order papers were added.
        self.by_key: dict[str, dict[str, None]] = defaultdict(dict)
        self.by_prefix: dict[str, dict[str, None]] = defaultdict(dict)  # the part before a colon
        self.by_word: dict[str, dict[str, None]] = defaultdict(dict)
        # The first and the last few words of a title: a truncated title keeps its lead, a
        # title with one typo keeps its lead or its tail.
        self.by_ends: dict[str, dict[str, None]] = defaultdict(dict)
        self.by_doi: dict[str, str] = {}
        self._added = 0  # papers added here (not stored), less those removed
        self._stored_total = source.index_count() if source is not None else 0
        self._absent: set[str] = set()  # ids the source does not hold (as a paper with a title)
        self._gone: set[str] = set()  # stored papers removed in this run
        self._gone_words: Counter[str] = Counter()
        self._blocks: dict[tuple[str, str, int | None], list[str]] = {}  # stored postings read
        self._word_sizes: dict[str, int] = {}  # stored posting lengths read
        self._full: dict[tuple[str, str, int], list[str]] = {}  # full blocks' first papers (_posting)
        self._faced = False  # whether a paper known here has other titles (Candidate.others)

    def __len__(self) -> int:
        return self._stored_total + self._added

    # -- the stored papers ------------------------------------------------------------------
    def preload(self, paper_ids: Iterable[str]) -> None:
        """Read these stored papers in one go (a run's identified papers, before adding them)."""
        if self.source is None:
            return
        wanted = [p for p in dict.fromkeys(paper_ids) if p not in self.papers and p not in self._absent
                  and p not in self._gone]
        if not wanted:
            return
        rows = self.source.index_papers(wanted)
        for pid in wanted:
            row = rows.get(pid)
            if row is None:
                self._absent.add(pid)
                continue
            cand = self.papers[pid] = _stored_candidate(pid, row)
            self._faced = self._faced or bool(cand.others)

    def _any_candidate(self, paper_id: str) -> Candidate | None:
        """:meth:`candidate`, or a stored paper without a title (made of mentions only),
        which no block holds: read for its days and authors, not kept."""
        cand = self.candidate(paper_id)
        if cand is None and self.source is not None and paper_id not in self._gone:
            row = self.source.index_papers([paper_id], titled=False).get(paper_id)
            cand = _stored_candidate(paper_id, row) if row is not None else None
        return cand

    def candidate(self, paper_id: str) -> Candidate | None:
        """The paper as the matcher knows it (read from the source when stored), or None."""
        self.preload([paper_id])
        return self.papers.get(paper_id)

    def _stored(self, kind: str, value: str, limit: int | None = None) -> list[str]:
        """The stored papers of a block, without those removed in this run."""
        if self.source is None:
            return []
        # Read enough to have ``limit`` left once this run's removals are dropped.
        read = None if limit is None else limit + (self._gone_words[value] if kind == WORD else len(self._gone))
        if (kind, value, read) not in self._blocks:
            self._blocks[kind, value, read] = self.source.index_postings(kind, value, read)
        found = [p for p in self._blocks[kind, value, read] if p not in self._gone]
        return found if limit is None else found[:limit]

    def _posting(self, kind: str, table: dict[str, dict[str, None]], value: str,
                 limit: int | None = None) -> list[str]:
        """A block: its stored papers, then those added here (at most ``limit``). The list
        may be shared with later calls: not to be changed."""
        found = self._stored(kind, value, limit)
        own = table.get(value)
        if not own or (limit is not None and len(found) >= limit):
            return found if limit is None else found[:limit]
        # Only as many of this run's papers as the bound leaves room for: a common word's
        # posting holds tens of thousands.
        room = None if limit is None else limit - len(found)
        if not found:
            if room is None or len(own) < room:
                return list(itertools.islice(own, room))
            # A full block: papers added later go after the bound, so its first ``room``
            # stay the same until one is removed (which forgets these). Kept, not copied
            # again: at a million observations copying them was a tenth of placing.
            full = self._full.get((kind, value, room))
            if full is None:
                full = self._full[kind, value, room] = list(itertools.islice(own, room))
            return full
        seen = set(found)
        return found + list(itertools.islice((p for p in own if p not in seen), room))

    def _word_size(self, word: str) -> int:
        """How many papers carry a word: stored (less those removed) and added here."""
        return self._word_sizes.get(word, 0) - self._gone_words[word] + len(self.by_word.get(word, ()))

    def _read_word_sizes(self, words: Iterable[str]) -> None:
        if self.source is None:
            return
        unread = [w for w in words if w not in self._word_sizes]
        if unread:
            sizes = self.source.index_sizes(WORD, unread)
            self._word_sizes.update({w: sizes.get(w, 0) for w in unread})

    def _unknown(self, word: str, among: set[str] | None) -> bool:
        """Whether no paper carries ``word``, or, ``among`` given, no paper of those: then at
        most :data:`_NEAR_FEW` carry it (a misspelling others made too), none of them among."""
        size = self._word_size(word)
        if not size or among is None:
            return not size
        return size <= _NEAR_FEW and not any(p in among for p in self._posting(WORD, self.by_word, word, _NEAR_FEW))

    def _near_words(self, words: list[str]) -> dict[str, list[str]]:
        """For each of ``words``, the words of the index one edit away (:func:`one_edit`),
        in order: stored ones read in one query, this run's from memory. Nothing is cached
        of the spellings no paper carries, so memory does not grow with them."""
        edits = {w: one_edit(w) for w in words}
        variants = set().union(*edits.values())
        if self.source is not None and self._stored_total > 0:
            self._word_sizes.update(self.source.index_sizes(WORD, variants))
        carried = {v for v in variants if v in self._word_sizes or v in self.by_word}
        return {w: sorted(v for v in edits[w] & carried if self._word_size(v) > 0) for w in words}

    def _near_candidate_ids(self, key: str, seen: set[str], among: set[str] | None = None) -> list[str]:
        """Candidates for a title with a word no paper carries (:data:`_NEAR_MIN` to
        :data:`_NEAR_MAX` letters), as if that word were spelt right: each spelling of it one edit away that
        papers carry, or it split in two ("zeroshot" for "zero shot"), gives a corrected
        title, looked up by its exact title, colon and end blocks; then the papers sharing
        most of the rarest words, the corrected spellings among them; none of ``seen`` (the
        first lookup's). Empty when no word is missing. Among some papers only (``among``:
        adoption, where the title tested is a paper's own), a word is also missing when the
        few papers that carry it are none of those.

        Why a second lookup and not part of every one: it costs about 700 spellings per
        missing word, and a title whose words are all known, or that links without it,
        does not need it (:meth:`_scored` asks only when the first lookup links nothing)."""
        cfg = self.config
        words = key.split()
        unique = list(dict.fromkeys(words))
        missing = [w for w in unique if _NEAR_MIN <= len(w) <= _NEAR_MAX and self._unknown(w, among)]
        if not missing:
            return []
        near = self._near_words(missing)
        fixes = [(w, fix) for w in missing
                 for fix in [*near[w], *(f"{w[:i]} {w[i:]}" for i in range(1, len(w)))]]
        bound, ends = cfg.max_candidates, set(_ends(key, cfg.end_words))
        blocks: dict[tuple[str, str], None] = {}
        for w, fix in fixes:
            fixed = " ".join(fix if x == w else x for x in words)
            blocks.update({(KEY, fixed): None, (HEAD, fixed): None})
            # An end the first lookup read is left out: its papers are among those seen.
            blocks.update({(END, e): None for e in _ends(fixed, cfg.end_words) if e not in ends})
        tables = {KEY: self.by_key, HEAD: self.by_prefix, END: self.by_ends}
        stored: dict[str, dict[str, int]] = {}
        if self.source is not None and self._stored_total > 0:  # which blocks the store has, in one query each
            stored = {kind: self.source.index_sizes(kind, [v for k, v in blocks if k == kind]) for kind in tables}
        found: dict[str, None] = {}
        for kind, value in blocks:
            if tables[kind].get(value) or value in stored.get(kind, ()):
                for paper_id in self._posting(kind, tables[kind], value, bound + len(seen)):
                    if paper_id not in seen and len(found) < bound:
                        found.setdefault(paper_id)
        spelt = {v: self._word_size(v) for w in missing for v in near[w]}
        if not spelt:  # the word blocks would be the first lookup's, ranked the same: more of them is no help
            return list(found)
        return self._by_words(found, {**{w: n for w in unique if (n := self._word_size(w))}, **spelt}, seen)

    def _doi(self, doi: str) -> str | None:
        """The paper a DOI names: a stored one first, as an index built from every stored
        paper would have filed it before this run's."""
        if self.source is not None:
            stored = self.source.index_postings(DOI, doi, 1)
            if stored:
                return stored[0]
        return self.by_doi.get(doi)

    # -- adding and removing ----------------------------------------------------------------
    def add(self, paper_id: str, title: str | None, *, days: Iterable[dt.date | None] = (),
            authors: Iterable[str] = (), doi: str | None = None, version: bool = False) -> None:
        """Make a paper findable by its title (and DOI); calling again adds evidence, and,
        ``version`` (the title of one of its arXiv records), files it under that title too
        when it is another (:func:`face`)."""
        if doi:
            self.by_doi.setdefault(doi.lower(), paper_id)
        cand = self.candidate(paper_id)
        if cand is None:
            if not title:
                return
            key = normalize_title(title)
            if not key:
                return
            cand = self.papers[paper_id] = Candidate(paper_id, title, key, _head(title),
                                                     frozenset(NUMBER.findall(key)), marks(title))
            self._absent.discard(paper_id)
            self._gone.discard(paper_id)
            self._file(cand)
        elif version and title:
            other = face(cand, title)
            if other is not None:
                cand.others += (other,)
                self._faced = True
                self._file(other)
        cand.days.update(d for d in days if d)
        cand.authors.update(surnames(authors))

    def _file(self, cand: Candidate) -> None:
        """File a paper under the blocks of one of its titles (each counts in ``len``, as
        each is a ``key`` block of the stored index)."""
        paper_id = cand.paper_id
        self._added += 1
        self.by_key[cand.key][paper_id] = None
        if cand.head is not None:
            self.by_prefix[cand.head][paper_id] = None
        for word in dict.fromkeys(cand.key.split()):
            self.by_word[word][paper_id] = None
        for end in _ends(cand.key, self.config.end_words):
            self.by_ends[end][paper_id] = None

    def remove(self, paper_id: str) -> None:
        """Forget a paper (it was adopted by another)."""
        cand = self.candidate(paper_id)
        if cand is None:
            return
        del self.papers[paper_id]
        self._full.clear()
        if paper_id not in self.by_key.get(cand.key, ()):  # a stored paper
            self._gone.add(paper_id)
            self._gone_words.update(list(dict.fromkeys(w for f in cand.faces() for w in f.key.split())))
            self._stored_total -= len(cand.faces())
            return
        for one in cand.faces():
            self._added -= 1
            self.by_key[one.key].pop(paper_id, None)
            if one.head is not None:
                self.by_prefix[one.head].pop(paper_id, None)
            for word in dict.fromkeys(one.key.split()):
                self.by_word[word].pop(paper_id, None)
            for end in _ends(one.key, self.config.end_words):
                self.by_ends[end].pop(paper_id, None)

    # -- candidates -----------------------------------------------------------------------
    def candidates(self, key: str, among: set[str] | None = None) -> list[Candidate]:
        """The blocked candidates of a title key (:meth:`candidate_ids`), only those ``among``
        these paper ids when given (only those are read from the store)."""
        found = self.candidate_ids(key)
        if among is not None:
            found = [p for p in found if p in among]
        self.preload(found)
        return self.faces_of(found)

    def faces_of(self, paper_ids: Iterable[str]) -> list[Candidate]:
        """These (loaded) papers under each of their titles, in order."""
        papers = self.papers
        if not self._faced:  # no paper known here has another title: the hot path
            return [papers[p] for p in paper_ids]
        return [f for p in paper_ids for f in papers[p].faces()]

    def candidate_ids(self, key: str) -> list[str]:
        """Papers whose title is exactly ``key``, whose name before the colon is ``key``, or
        whose title starts or ends with the same words (looked up directly: see
        :func:`_ends`), then papers sharing the title's rarest words: at most
        ``block_words`` words, each with a posting list under ``max_posting`` papers (and
        ``common_word_share`` of all), so a lookup costs a bounded number of steps however
        many papers there are.

        The exact lookups come first because the word blocks are ranked only by how many
        chosen words a paper shares: among many papers made of common words (hundreds of
        thousands of titles), the paper with the very same title could tie with hundreds of
        others and fall outside ``max_candidates``, and a second paper with the same title
        must be seen for the ambiguity rule to refuse both."""
        cfg = self.config
        # Each read only up to the bound: no more of any one block can be among the first.
        bound = cfg.max_candidates
        direct = [self._posting(KEY, self.by_key, key, bound), self._posting(HEAD, self.by_prefix, key, bound),
                  *(self._posting(END, self.by_ends, end, bound) for end in _ends(key, cfg.end_words))]
        # A lead as common as "a survey of" is read only up to the bound, like a word.
        found = dict.fromkeys(itertools.islice(itertools.chain.from_iterable(direct), cfg.max_candidates))
        if len(found) >= cfg.max_candidates:
            return list(found)  # the exact lookups fill the bound: no word block is read
        unique = list(dict.fromkeys(key.split()))
        self._read_word_sizes(unique)
        return self._by_words(found, {w: n for w in unique if (n := self._word_size(w))})

    def _by_words(self, found: dict[str, None], size: dict[str, int], seen: set[str] = frozenset()) -> list[str]:
        """``found``, then the papers sharing most of the rarest of these words (``size``:
        how many papers carry each), up to ``max_candidates`` in all, none of ``seen``."""
        cfg = self.config
        words = sorted(size, key=lambda w: (size[w], w))
        if words:
            limit = min(cfg.max_posting, max(1, int(cfg.common_word_share * len(self))))
            chosen = [w for w in words if size[w] <= limit][: cfg.block_words]
            if not chosen:  # only common words: the rarest one, cut to the bound
                chosen = words[:1]
            counts = Counter()
            for word in chosen:
                counts.update(self._posting(WORD, self.by_word, word, cfg.max_posting))
            # Counter.most_common's order (most shared words first, ties in the order met),
            # by one sort in C rather than heapq.nlargest's Python loop over thousands.
            ranked = sorted(counts.items(), key=itemgetter(1), reverse=True)[: cfg.max_candidates + len(seen)]
            for paper_id, _ in ranked:
                if len(found) >= cfg.max_candidates:
                    break
                if paper_id not in seen:
                    found.setdefault(paper_id)
        return list(found)
