"""Titles of one paper that differ beyond case, punctuation and whitespace, and how.

Every title is compared with the most trusted one (arXiv, else Hugging Face, else
ArxivLens, else a digest; see :mod:`reconcile.checks.fields`). Titles whose
:func:`reconcile.text.normalize_title` keys are equal differ only in case, punctuation,
whitespace, Unicode forms or LaTeX accents: not a discrepancy. Otherwise the first rule
that fits says how they differ:

1. a translation: the titles are mostly in different scripts (Hangul or CJK against
   Latin, ...) -- ``info``, a digest's translated title is not an error;
2. cut at the colon: one equals the other's part before (or after) its ``:`` -- ``info``;
3. truncated: one, without a trailing ``...``/``…``, is a prefix of the other -- ``info``;
4. a typo: a few edits apart (Damerau-Levenshtein over normalized titles) -- ``warning``;
5. otherwise different -- ``warning``, with the similarity.

A warning drops to ``info`` when the two observations name different arXiv versions, or
when one names none and was seen before arXiv's later version appeared (its ``updated``
time), as a title may change between versions (:func:`reconcile.checks.fields.version_note`). Mentions (``extra.mention``) carry no title and are
ignored. A translation that keeps most of its words in Latin script is one when it writes
words in a script the trusted title has none of (Hangul, CJK, kana, Cyrillic, ...;
:func:`_words_in_another_script`). Fails to explain a truncated title that also has a typo
(a plain difference), a translation into a Latin-script language (a difference), and script
detection has nothing to go on for titles of digits and symbols only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from reconcile.config import DEFAULTS, TitleConfig
from reconcile.models import Discrepancy, Kind, Observation, Severity, Source
from reconcile.text import REPLACEMENT_CHAR, collapse_whitespace, normalize_title, rendered_text

from .base import CheckContext
from .evidence import name_of
from .fields import compare_field, text_compare


_ELLIPSIS = re.compile(r"(?:\s*(?:\.{3,}|…))+\s*$")
_COLON = re.compile(r"[:：]")
_LATIN = frozenset({"LATIN"})


def scripts(text: str, share: float = DEFAULTS.titles.script_share) -> frozenset[str]:
    """The scripts that hold at least ``share`` of the letters of ``text`` (``TitleConfig.script_share``).

    The script of a letter is the first word of its Unicode name (LATIN, HANGUL, CJK,
    HIRAGANA, CYRILLIC, ...), after NFKC so full-width Latin counts as Latin. An ASCII text's
    letters are all Latin, so it is answered without naming each one (most titles are).
    """
    if text.isascii():
        return _LATIN if share <= 1 and any(c.isalpha() for c in text) else frozenset()
    counts = _letters(text)
    total = sum(counts.values())
    return frozenset(s for s, n in counts.items() if total and n / total >= share)


# Scripts a title may hold without being translated: Greek letters are symbols in English
# titles ("α-Fold"); Latin is the trusted titles' own.
_SYMBOL_SCRIPTS = frozenset({"LATIN", "GREEK"})


def _words_in_another_script(trusted: str, other: str) -> frozenset[str]:
    """The scripts ``other`` writes at least two letters in, of which ``trusted`` has none,
    other than Latin and Greek: "WideScan-R2: Multi-Agent RL로 Broad Search 확장" is a
    Korean translation that keeps its English terms, whose Hangul is under
    ``script_share`` of its letters, so :func:`scripts` sees a Latin title. Why two
    letters: one stray character is not a translation. When it fails: a title that
    quotes a word in another script the trusted one transliterates is called a
    translation, which is ``info``, never hiding a warning of a different paper's title
    (the matcher linked the two)."""
    if other.isascii():
        return frozenset()
    mine, theirs = _letters(trusted), _letters(other)
    return frozenset(s for s, n in theirs.items() if n >= 2 and s not in _SYMBOL_SCRIPTS and not mine[s])


def _letters(text: str) -> Counter[str]:
    """How many letters of ``text`` each script holds, after NFKC."""
    return Counter(unicodedata.name(c, "?").split()[0] for c in unicodedata.normalize("NFKC", text) if c.isalpha())


def script_names(found: frozenset[str]) -> str:
    """Script names for a finding: "Hangul", "CJK/Latin"."""
    return "/".join(s if len(s) <= 3 else s.capitalize() for s in sorted(found))


def _cut_at_colon(short: str, long: str) -> str | None:
    """"before"/"after" when ``short`` is ``long``'s part before/after its first colon."""
    parts = _COLON.split(long, maxsplit=1)
    if len(parts) < 2:
        return None
    key = normalize_title(short)
    if key and key == normalize_title(parts[0]):
        return "before"
    if key and key == normalize_title(parts[1]):
        return "after"
    return None


def _where(words_a: list[str], words_b: list[str]) -> str:
    """Where a typo is: the words of ``words_b`` that stand in for words of ``words_a``,
    aligned in order ("'endto' for 'end to'": a word break moved, which words missing from
    the other title would show as "'endto' for 'to'"), at most two places; nothing when one
    side only adds or drops words."""
    ops = SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes()
    spans = [(words_b[j1:j2], words_a[i1:i2]) for op, i1, i2, j1, j2 in ops if op != "equal"]
    if not spans or any(not b or not a for b, a in spans):
        return ""
    spans = spans[:2]
    return f" ({' '.join(w for b, _ in spans for w in b)!r} for {' '.join(w for _, a in spans for w in a)!r})"


def _rendered(title: str) -> str:
    """A title's comparison key before normalizing: its markup rendered
    (:func:`reconcile.text.rendered_text`) and a sub- or superscript as its characters
    (``$\\pi_0$`` and ``π₀``, ``$\\tau^2$`` and ``τ²``: NFKC writes those as ``π0``, ``τ2``)."""
    return rendered_text(title)


def _breaks(key: str) -> frozenset[int]:
    """Where a normalized title breaks between words, as offsets in its letters alone."""
    found, at = set(), 0
    for word in key.split()[:-1]:
        at += len(word)
        found.add(at)
    return frozenset(found)


# A tag a post sets in brackets before a title: "[NeurIPS 2026] ...", "(Oral) ...".
_LEAD_TAG = re.compile(r"^\s*[\[(【][^\])】]{1,40}[\])】](?:\s*[:：—–-]\s*|\s+)")
_GREEK = re.compile(r"[\u0391-\u03a9\u03b1-\u03c9\u03d1\u03d5\u03f5]")
_MID_ELLIPSIS = re.compile(r"\s*(?:\.{3,}|…)\s*")


def _greek_named(text: str) -> str:
    """``text`` with each Greek letter written as its name (β as "beta", Δ as "delta")."""
    return _GREEK.sub(lambda m: f" {_letter_name(m[0])} ", text)


def _letter_name(letter: str) -> str:
    words = unicodedata.name(letter).split()  # "GREEK SMALL LETTER BETA", "GREEK PHI SYMBOL"
    return (words[words.index("LETTER") + 1] if "LETTER" in words else words[-2]).lower()


def _abridged(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` with words left out where it has an ellipsis inside it
    ("Compressing … for Efficient Agents"): each of its parts, in order, is a whole run of
    ``long``'s words, the first at its start and the last at its end."""
    parts = [normalize_title(p) for p in _MID_ELLIPSIS.split(short.strip())]
    if len(parts) < 2 or not all(parts):
        return False
    whole = normalize_title(long)
    if not (whole.startswith(parts[0] + " ") and whole.endswith(" " + parts[-1])):
        return False
    at = len(parts[0])
    for part in parts[1:-1]:
        at = whole.find(f" {part} ", at)
        if at < 0:
            return False
        at += len(part) + 1
    return at <= len(whole) - len(parts[-1]) - 1


def describe(trusted: str, other: str, who_trusted: str = "the trusted title",
             config: TitleConfig = DEFAULTS.titles) -> tuple[Severity, str] | None:
    """How ``other`` differs from ``trusted``: (severity, phrase), or None when it does not."""
    if trusted == other:
        return None  # the common case, before any normalizing
    a, b = collapse_whitespace(trusted), collapse_whitespace(other)
    key_a, key_b = normalize_title(a), normalize_title(b)
    if key_a == key_b or normalize_title(_rendered(a)) == normalize_title(_rendered(b)):
        return None  # the same title, or its markup rendered differently (``$\\times$``, ``×``, ``$\\pi_0$``, ``π0``)
    if normalize_title(_greek_named(_rendered(a))) == normalize_title(_greek_named(_rendered(b))):
        return None  # a Greek letter spelt out: ``$\\beta$-Routing`` and "Beta-Routing"
    if key_a.replace(" ", "") == key_b.replace(" ", ""):
        breaks_a, breaks_b = _breaks(key_a), _breaks(key_b)
        if breaks_a <= breaks_b or breaks_b <= breaks_a:
            # Words joined or split where the other breaks them, nothing moved: a spelling
            # ("Auto-encoders" and "Autoencoders", "Fact-Checking" and "FactChecking") as
            # often as a slip ("Endto-End"), which only a dictionary tells; info. A break
            # moved into a word ("Shortt-erm") is a typo, below.
            where = _where(key_a.split(), key_b.split())
            return Severity.INFO, f"has the same letters, words joined or split{where}: {b!r}"
    script_a, script_b = scripts(a, config.script_share), scripts(b, config.script_share)
    if script_a and script_b and script_a != script_b:
        return Severity.INFO, (f"has a translation ({script_names(script_b)} script, {who_trusted}'s "
                               f"{script_names(script_a)}): {b!r}")
    added = _words_in_another_script(a, b)
    if added:
        return Severity.INFO, (f"has a translation that keeps some words ({script_names(added)} script "
                               f"beside {who_trusted}'s): {b!r}")
    for short, long, whose in ((b, a, "has it"), (a, b, f"has a longer one; {who_trusted}'s is")):
        side = _cut_at_colon(short, long)
        if side:
            return Severity.INFO, f"{whose} cut at the colon (only the part {side} it): {b!r}"
    bare_a, bare_b = normalize_title(_ELLIPSIS.sub("", a)), normalize_title(_ELLIPSIS.sub("", b))
    if bare_b and bare_a.startswith(bare_b) and len(bare_b) < len(bare_a) and (
            _ELLIPSIS.search(b) or bare_a[len(bare_b)] == " " or len(bare_a) - len(bare_b) > 2):
        # Cut at a word's end, or marked, or short of more than a plural's letter or two
        # ("Model" for "Models" is a typo, below).
        ellipsis = " with an ellipsis" if _ELLIPSIS.search(b) else ""
        return Severity.INFO, f"has it truncated{ellipsis} ({len(bare_b)} of {len(bare_a)} characters): {b!r}"
    if bare_a and bare_b.startswith(bare_a) and len(bare_a) < len(bare_b):
        if _ELLIPSIS.search(a):
            return Severity.INFO, (f"has a longer one; {who_trusted}'s is truncated with an ellipsis "
                                   f"({len(bare_a)} of {len(bare_b)} characters): {b!r}")
        # Which one is whole cannot be told: a venue or a note added ("... (ICML 2026)"),
        # or the trusted title cut.
        return Severity.INFO, (f"has a longer one, {who_trusted}'s being its start ({len(bare_a)} of "
                               f"{len(bare_b)} characters): {b!r}")
    for tagged, plain, whose in ((b, a, "has"), (a, b, f"has it without the tag {who_trusted}'s has;")):
        if (tag := _LEAD_TAG.match(tagged)) and normalize_title(tagged[tag.end():]) == normalize_title(plain):
            return Severity.INFO, f"{whose} a tag before the title ({tag[0].strip()!r}): {b!r}"
    for short, long, whose in ((b, a, "has it"), (a, b, f"has a longer one; {who_trusted}'s is")):
        if _abridged(short, long):
            return Severity.INFO, f"{whose} abridged, words left out at an ellipsis: {b!r}"
    lost = f" (it holds {b.count(REPLACEMENT_CHAR)} U+FFFD: bytes lost upstream)" if REPLACEMENT_CHAR in b else ""
    edits = DamerauLevenshtein.distance(a, b, processor=normalize_title)
    if edits <= min(config.typo_max_edits, max(1, max(len(key_a), len(key_b)) // 10)):
        where = _where(key_a.split(), key_b.split())
        return Severity.WARNING, f"has a typo, {edits} edit{'s' * (edits > 1)} away{where}{lost}: {b!r}"
    score = fuzz.ratio(a, b, processor=normalize_title)
    return Severity.WARNING, f"has a different title (similarity {score:.0f}/100){lost}: {b!r}"




def check_title(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Titles that differ from the trusted one beyond case and punctuation, saying how."""
    def with_config(trusted: str, other: str, who: str) -> tuple[Severity, str] | None:
        return describe(trusted, other, who, ctx.config.titles)

    return compare_field(paper_id, observations, ctx, kind=Kind.TITLE, field="title",
                         compare=text_compare("title", with_config, normalize_title))


#: An item linked by the id it gives, whose title is less like every title the paper's
#: first-hand records give than this (``fuzz.ratio`` of the normalized titles, out of 100),
#: and not a cut, a translation or a typo of one of them, names another paper by its title.
ANOTHER_PAPER = 50

#: The link methods that take an item's own identifier.
ID_METHODS = frozenset({"arxiv_id", "hf_id", "doi"})


def own_title_disagrees(observations: Iterable[Observation], links: dict[int, tuple]) -> dict[int, str]:
    """The digest items of one paper linked by their id whose own title names another
    paper (observation id -> why): a title unlike every first-hand title of the paper
    (arXiv's versions, Hugging Face's, ArxivLens's), below :data:`ANOTHER_PAPER`, that is
    not the paper's title cut, translated, tagged or mistyped (:func:`describe`).

    Why: an item's id is what it states, but an item that gives one paper's title under
    another's id (a mistyped digit, two links of one item that disagree) is not surely
    about the paper its id names. Taken at its id, its count became the other paper's
    merged count and its listing a ``missing`` warning against a list that carries the
    paper its title names (probe28). Its values are left out of the merge
    (:func:`reconcile.merge.merge`), and findings resting on it only inform
    (:func:`reconcile.checks.evidence.guessed_link`); the ``title`` finding that shows the two titles stands.
    When it fails: a digest that retitles papers in its own words (in the same script)
    has its items taken for another paper's, so their counts only inform."""
    observations = list(observations)
    trusted = sorted({o.title for o in observations if o.source != Source.DIGEST and o.title})
    found: dict[int, str] = {}
    if not trusted:
        return found
    for obs in observations:
        if obs.source != Source.DIGEST or not obs.title or obs.id is None:
            continue
        if links.get(obs.id, (None,))[0] not in ID_METHODS:
            continue
        best = 0.0
        for title in trusted:
            told = describe(title, obs.title)
            if told is None or not told[1].startswith("has a different title"):
                break  # the paper's title, or one of its cuts, translations or typos
            best = max(best, fuzz.ratio(title, obs.title, processor=normalize_title))
        else:
            if best < ANOTHER_PAPER:
                found[obs.id] = (f"{name_of(obs)}'s own title for it, {obs.title!r}, is not the paper's "
                                 f"(similarity {best:.0f}/100): the id it gives may name another paper")
    return found
