"""Numbers attached to the same claim that differ between sources (``numeric_claim``).

Digests retell a paper's results, and the numbers drift: the newsletter of 2026-02-05 says
WideSeek-R1 has "a 167x parameter gap" to DeepSeek-R1-671B, the quiz digest "170× fewer
parameters" (671B / 4B is 167.75, so one of them rounded).

How: each sentence of a source's ``summary``, ``abstract`` and summary-like ``extra`` text
is searched for numbers with a unit: a multiplier (``167x``, ``170×``, ``10-fold``), a
percentage (``40.0%``, ``25 percent``) or a magnitude (``4.85M``, ``671B``, ``20k``,
``2 billion``). A number that is part of a name (``DeepSeek-R1-671B``, ``Qwen2.5-7B``) is
not a claim. Each claim is keyed by its unit and its head word: the first content word
after the number (``170× fewer parameters`` -> ``parameter``; ``40.0% item F1`` ->
``item``), or, when nothing follows, the last content word before it (``reduces latency by
40%`` -> ``latency``). Two sources' claims of the same key are compared when they also share
a content word of their context (the paper's name, the benchmark) and each source gives
one value for the key.

Numbers written differently are equal (``170x``/``170×``, ``40%``/``40.0 %``, ``4.85M``/
``4,850K``), and a number that is the other rounded to its own precision agrees with it
(``54%`` and ``53.7%``).

A bound is not an exact figure (:func:`bound_of`). "over 2x", "more than 2x", "at least 2x",
">2x" say the value is 2 or more; "up to 2x", "at most", "under", "less than", "<" say it is
2 or less; "about", "around", "roughly", "~", "≈" say it is near 2 (within
``ClaimConfig.hedge``), "nearly" and "almost" near 2 and not above it. A figure the other
source's bound allows is no discrepancy ("over 2x faster" and "3.1x faster" agree); a figure
it excludes is reported as ``info`` at most, because a writer who hedges may hedge loosely.
This is safe in the direction that matters: it only removes or lowers findings. It fails
when a bound word belongs to something else ("over 2 of 3 runs") or a writer's "about" is
far looser than ``hedge``: then a true difference is shown as ``info`` or not at all.

Two claims that name what they are compared with ("3.1x faster than beam search", "1.8x
faster than speculative decoding") are one claim only if those baselines share a content
word (:func:`baseline_of`); two different baselines are two different claims, not compared.
This fails when one baseline is named two ways ("than beam search" and "than the BS
decoder"): a true difference is then missed, never invented. Where only one of the two
names a baseline ("than beam search" against none; "than before" names none), that they
are one claim is a guess, and the finding is ``info``. Two claims whose clauses hold
different words mixing letters and digits ("on A100 GPUs" and "on H100 GPUs", "top-1" and
"top-5") are different claims (:func:`qualifiers_of`), and so are a number of what the
paper is compared with ("beats a general model with 13B parameters") and one that is not. The severity follows the relative difference |a - b| / max(|a|,
|b|) (see :class:`ClaimConfig`); beyond ``max_difference`` two numbers are taken to be
different claims that happen to share a key, not one claim told twice.

Abstracts are compared with summaries, not with each other: two abstracts that differ are
the ``abstract`` check's business.

When it fails: a claim worded differently (``53.7% activated parameters`` against
``53.7% of parameters activated``: ``activated`` vs ``parameter``) is not compared, so a
difference there goes unseen; numbers written as words (``ten times``) or without a unit
(``5 benchmarks``) are not claims; a source that gives two values for one key is skipped
as ambiguous (the pairing of its values with the other's is a guess); a typo that changes a number tenfold (``17x`` for ``170x``) exceeds
``max_difference`` and is not flagged; and two different claims that share unit, head word
and a context word, with numbers within ``max_difference``, are flagged wrongly (unless
both name their baselines, which then differ).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

from reconcile.config import DEFAULTS, ClaimConfig
from reconcile.models import Discrepancy, Kind, Observation, Severity, Source, Value, iso
from reconcile.policy import latest_version, recency
from reconcile.text import collapse_whitespace

from .base import CheckContext, discrepancy_id, value_of
from .evidence import cap, guessed_link, heuristic, stale_record
from .fields import version_note

log = logging.getLogger(__name__)



_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9,
          "t": 1e12, "trillion": 1e12}
_UNIT_NAMES = {"x": "×", "%": "%", "n": ""}
# A number that starts a token: not after a letter, digit, hyphen, dot, slash or underscore
# (which would make it part of a name such as R1-671B or Qwen2.5).
_CLAIM = re.compile(
    r"(?<![\w.\-/+])(?<!\d,)(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?"
    r"(?:(?P<mult>(?:[xX]|\s?×)(?!\w)|-?(?i:fold)\b)"
    r"|(?P<pct>\s?%|\s+(?i:percent)\b)"
    r"|(?P<mag>\s?(?:[kKMBT](?!\w)|(?i:thousand|million|billion|trillion)\b)))"
    r"(?!-[A-Z]|[.,]\d)")
_WORD = re.compile(r"[^\W_]+")
# A number's neighbour that makes it one end of a range: "30 to 40%", "10–15%", "between 3x
# and 5x", "30% to 40%".
_RANGE_BEFORE = re.compile(r"\d(?:[.,]\d+)?\s*(?:%|x|×|percent)?\s*(?:to|–|—|-|~|and)\s*$|\bbetween\s*$", re.I)
_RANGE_AFTER = re.compile(r"\s*(?:to|–|—|~)\s*\d", re.I)
# Words and signs just before a number that make it a bound, and which way (see bound_of).
_BOUNDS = (
    ("at least", re.compile(r"(?:\b(?:over|more than|greater than|higher than|at least|above|exceeding|"
                            r"in excess of|upwards of|no less than|no fewer than)|[>≥]|>=)\s*$", re.I)),
    ("at most", re.compile(r"(?:\b(?:up to|at most|under|less than|fewer than|below|no more than|"
                           r"as (?:much|many|high|large|fast) as)|[<≤]|<=)\s*$", re.I)),
    ("nearly", re.compile(r"\b(?:nearly|almost|just under|close to)\s*$", re.I)),
    ("about", re.compile(r"(?:\b(?:about|around|roughly|approximately|approx\.|some|circa|ca\.|"
                         r"an estimated)|[~≈∼])\s*$", re.I)),
)
# What a claim is compared with: "faster than beam search", "a gain over the baseline".
_BASELINE = re.compile(r"^[^.;:!?,]{0,40}?\b(?:than|over|vs\.?|versus|against|compared (?:to|with)|"
                       r"relative to)\s+(?P<what>[^,;:.!?()]+)", re.I)
_BASELINE_END = re.compile(r"\b(?:and|on|in|at|across|while|with|for|when|using|under|by|but|which|"
                           r"whereas)\b", re.I)
# A word mixing letters and digits that qualifies a claim ("on A100 GPUs", "top-1 accuracy",
# "GPT-4"): two claims whose qualifiers differ are about different things.
_QUALIFIER = re.compile(r"(?<![\w.,-])(?=[\w.-]*\d)(?=[\w.-]*[^\W\d_])[^\W_]+(?:[-.][^\W_]+)*")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?(?:[kKmMbBtTxX]|bn)?")  # "7B", "20k", "3x": a figure, not a qualifier
_CLAUSE_END = re.compile(r"[,;:!?()]|\.(?!\d)|\b(?:and|while|whereas|but|which)\b", re.I)
# A number that gives what is compared with, not the paper's own: "beats a general model
# with 13B parameters", "than a model of 70B".
_OF_BASELINE = re.compile(r"\b(?:beats?|beating|outperform(?:s|ing)?|surpass(?:es|ing)?|than|vs\.?|versus|against)"
                          r"\s+(?:[^\W\d_][\w-]*\s+){0,4}(?:with|of|having)\s*$", re.I)
_VAGUE_BASELINE = frozenset(w[:-1] if w.endswith("s") else w for w in """before baseline baselines prior previous existing conventional
standard default sota state-of-the-art art method methods approach approaches model models work works
alternative alternatives competitor competitors counterpart counterparts state""".split())
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=\S)|\n+")
_STOP = frozenset("""
a an the of in on at to by for from with and or than as is are was were be been its it this
that these those their our we they up down over under about around nearly almost roughly only
just about approximately some while whereas into onto per vs versus via more fewer less lower
higher greater smaller larger bigger original overall total all each both same
""".split())


#: Words right beside a number that say which quantity it is (see :func:`wording_of`).
_SENSE = frozenset({"by", "to", "of", "at", "fewer", "less", "lower", "more", "higher", "smaller", "larger"})


@dataclass(frozen=True)
class Claim:
    """One number with a unit, as a sentence states it."""

    text: str  # as written: "170×"
    value: float  # in base units: 4.85M -> 4850000.0
    step: float  # the precision it is written to, in base units: 40.0% -> 0.1
    unit: str  # "x", "%" or "n" (a magnitude count)
    head: str  # the word the number is about
    context: frozenset[str]
    sentence: str
    bound: str = "exact"  # "exact", "at least", "at most", "nearly" or "about" (see bound_of)
    baseline: frozenset[str] = frozenset()  # content words of what it is compared with
    bound_word: str = ""  # as written: "over"
    qualifiers: frozenset[str] = frozenset()  # words of its clause mixing letters and digits: "a100"
    of_baseline: bool = False  # the number is what it is compared with: "beats a model with 13B"
    # Its sentence without it: the content words, and every other number ("the 3B model").
    wording: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())

    @property
    def written(self) -> str:
        """The figure as written, with its bound word: "over 2x"."""
        return f"{self.bound_word} {self.text}" if self.bound_word else self.text

    @property
    def key(self) -> tuple[str, str]:
        return (self.unit, self.head)


def _stem(word: str) -> str:
    word = word.casefold()
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _content(words: list[str]) -> list[str]:
    return [_stem(w) for w in words if w.casefold() not in _STOP and not w.isdigit()
            and (len(w) > 2 or not w.isascii())]


def sentences(text: str) -> list[str]:
    """The sentences of ``text``: split after ``.!?`` and their CJK forms, and at line breaks."""
    return [collapse_whitespace(s) for s in _SENTENCE_END.split(text or "") if s.strip()]


def extract_claims(sentence: str, config: ClaimConfig = DEFAULTS.claims) -> list[Claim]:
    """Every number-with-unit claim of one sentence, keyed by unit and head word."""
    found = []
    for m in _CLAIM.finditer(sentence):
        if _RANGE_BEFORE.search(sentence, max(0, m.start() - 24), m.start()) or _RANGE_AFTER.match(sentence, m.end()):
            continue  # an end of a range ("30 to 40%", "10–15%"): the source stated neither figure
        digits = m["num"].replace(",", "")
        dec = m["dec"] or ""
        value = float(f"{digits}.{dec}" if dec else digits)
        step = 10.0 ** -len(dec)
        if m["mult"]:
            unit = "x"
        elif m["pct"]:
            unit = "%"
        else:
            unit, scale = "n", _SCALE[m["mag"].strip().casefold()]
            value, step = value * scale, step * scale
        after = _content(_WORD.findall(sentence[m.end():]))
        before = _content(_WORD.findall(sentence[:m.start()]))
        if after and not re.match(r"\s*[,;:)\]—–]", sentence[m.end():]):
            head = after[0]
        elif before:
            head = before[-1]
        elif after:
            head = after[0]
        else:
            continue
        context = frozenset(before[-config.context_words:] + after[:config.context_words]) - {head}
        bound, word = bound_of(sentence[:m.start()])
        found.append(Claim(m[0].strip(), value, step, unit, head, context, sentence, bound,
                           baseline_of(sentence[m.end():]), word, qualifiers_of(sentence, m.start(), m.end()),
                           bool(_OF_BASELINE.search(sentence[max(0, m.start() - 80):m.start()])),
                           wording_of(sentence, m.start(), m.end())))
    return found


_ANY_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def wording_of(sentence: str, start: int, end: int) -> tuple[frozenset[str], frozenset[str]]:
    """The sentence of the number at ``start:end`` without it: its content words, and the
    other numbers it states. Two claims whose sentences state the same other numbers, the
    words of one among the other's ("MadeUpNet decodes 3.1x faster than beam search" and
    "On ToyBench, MadeUpNet decodes 2.5x faster than beam search"), are one statement told
    with two numbers; any other pair is paired by a shared head and context word, which is a
    guess (:func:`_grade`): "the 3B model reaches 61%" and "the 7B model reaches 68%"."""
    text = f"{sentence[:start]} {sentence[end:]}"
    # The words that say which quantity a number is, though they are stop words elsewhere:
    # "cuts it by 40%" (a change) and "cuts it to 60%" (the level it reaches), "40% fewer"
    # and "60% of": the same fact in two numbers, not one number told twice.
    before = _WORD.findall(sentence[max(0, start - 20):start])[-1:]
    after = _WORD.findall(sentence[end:end + 20])[:1]
    sense = {f"~{w.casefold()}" for w in before + after if w.casefold() in _SENSE}
    return frozenset(_content(_WORD.findall(text))) | sense, frozenset(_ANY_NUMBER.findall(text))


def qualifiers_of(sentence: str, start: int, end: int) -> frozenset[str]:
    """The words mixing letters and digits in the clause of the number at ``start:end``
    ("2.5x faster than beam search on A100 GPUs" -> {"a100"}; "81.2% top-1 accuracy" ->
    {"top-1"}), casefolded. Why: the head word and context words drop digits, so "top-1"
    and "top-5", "on A100" and "on H100" looked like one claim told twice."""
    before = _CLAUSE_END.split(sentence[:start])[-1]
    after = _CLAUSE_END.split(sentence[end:], maxsplit=1)[0]
    return frozenset(w.casefold() for w in _QUALIFIER.findall(before + " " + after)
                     if not _AMOUNT.fullmatch(w))


def bound_of(before: str) -> tuple[str, str]:
    """Whether the number after ``before`` is a bound: ``("at least", "over")``,
    ``("at most", "up to")``, ``("nearly", "almost")``, ``("about", "roughly")``, or
    ``("exact", "")``.

    Why: "over 2x faster" says the speed-up is 2 or more, so "3.1x" elsewhere does not
    contradict it. Only the words right before the number count, so "improves over the
    baseline by 2x" is exact. When it fails: a bound word that belongs to something else
    ("over 2x" in "2x over the budget" is not affected; "a gain of over" is) makes an exact
    figure a bound, which can only hide or lower a finding.
    """
    tail = before[-30:]
    for bound, pattern in _BOUNDS:
        m = pattern.search(tail)
        if m:
            return bound, m.group(0).strip()
    return "exact", ""


def baseline_of(after: str) -> frozenset[str]:
    """The content words of what a claim is compared with, from the text after its number:
    "faster than beam search on four benchmarks" -> {"beam", "search"}; empty when it names
    none. The name ends at a clause word ("and", "on", "while", ...) or punctuation."""
    m = _BASELINE.match(after)
    if not m:
        return frozenset()
    what = _BASELINE_END.split(m["what"], maxsplit=1)[0]
    words = frozenset(_content(_WORD.findall(what)))
    # "than before", "over the baseline", "than prior methods" name nothing in particular.
    return frozenset() if words <= _VAGUE_BASELINE else words


def interval(claim: Claim, config: ClaimConfig = DEFAULTS.claims) -> tuple[float, float]:
    """The values ``claim`` allows: its rounding interval for an exact figure, a half line
    for a bound, ``hedge`` either side for "about" (below only, for "nearly")."""
    low, high = claim.value - claim.step / 2, claim.value + claim.step / 2
    spread = abs(claim.value) * config.hedge
    if claim.bound == "at least":
        return low, float("inf")
    if claim.bound == "at most":
        return float("-inf"), high
    if claim.bound == "nearly":
        return min(low, claim.value - spread), high
    if claim.bound == "about":
        return min(low, claim.value - spread), max(high, claim.value + spread)
    return low, high


def compatible(a: Claim, b: Claim, config: ClaimConfig = DEFAULTS.claims) -> bool:
    """The two figures can both be true: equal, one the other rounded (:func:`agree`), or a
    bound the other figure satisfies (their intervals meet)."""
    if agree(a, b) or _binary_k(a, b) or _binary_k(b, a):
        return True
    if a.bound == b.bound == "exact":
        return False  # two exact figures agree only as agree() says
    (a_low, a_high), (b_low, b_high) = interval(a, config), interval(b, config)
    slack = 1e-9 * max(abs(a.value), abs(b.value), 1)
    return a_low <= b_high + slack and b_low <= a_high + slack


def different_baselines(a: Claim, b: Claim) -> bool:
    """Both claims name what they are compared with, and the names share no word: "3.1x
    faster than beam search" and "1.8x faster than speculative decoding" are two claims.
    So are two whose clauses qualify them differently ("on A100 GPUs", "on H100 GPUs";
    "top-1", "top-5": neither's qualifiers hold the other's), and a number that gives what
    the paper is compared with ("beats a general model with 13B parameters") against one
    that does not ("our model with 7B parameters")."""
    if a.of_baseline != b.of_baseline:
        return True
    if a.qualifiers and b.qualifiers and not (a.qualifiers <= b.qualifiers or b.qualifiers <= a.qualifiers):
        return True
    return bool(a.baseline and b.baseline and not a.baseline & b.baseline)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def texts(obs: Observation, config: ClaimConfig = DEFAULTS.claims) -> dict[str, list[str]]:
    """The text an observation says about the paper: ``{"abstract": [...], "summary": [...]}``."""
    summary = [obs.summary] if obs.summary else []
    for key in config.extra_keys:
        summary.extend(_strings(obs.extra.get(key)))
    return {"abstract": [obs.abstract] if obs.abstract else [], "summary": summary}


def _binary_k(a: Claim, b: Claim) -> bool:
    """``a`` written with K, M or G counted in powers of 1,024 is ``b``: "128K tokens" is a
    context of 131,072, which another source writes "131K"; "64K" is "65.5K"."""
    letter = re.search(r"[kKMG]\s*$", a.text.strip())
    if not letter or a.unit != b.unit:
        return False
    power = {"k": 1, "K": 1, "M": 2, "G": 3}[letter[0].strip()]
    binary = a.value * (1.024 ** power)
    return abs(binary - b.value) <= max(a.step * 1.024 ** power, b.step) / 2 + 1e-9 * max(binary, 1)


_LESS = frozenset({"~fewer", "~less", "~lower", "~smaller"})
_LEVEL = frozenset({"~of", "~to"})
# A verb that makes "by 40%" a cut: "cuts latency by 40%", "reduces memory by 40%".
_CUT_VERB = re.compile(r"\b(?:cut|reduc|shrink|shrank|decreas|lower|sav|drop|trim|slash|halv)\w*", re.I)


def _is_cut(c: Claim) -> bool:
    """A percentage that says how much less: "40% fewer", "40% less", "cuts it by 40%"."""
    sense = c.wording[0]
    return bool(sense & _LESS) or ("~by" in sense and bool(_CUT_VERB.search(c.sentence)))


def as_cut(cut: Claim, level: Claim) -> Claim | None:
    """``level`` told as the cut it makes, when ``cut`` is a cut ("40% fewer tokens", "cuts
    latency by 40%") and ``level`` the share that is left ("60% of the tokens", "cuts
    latency to 60%"): "to 60%" is a cut of 40%. None otherwise.

    Why: the two are one fact in two numbers, and compared as written they were reported
    as 33% apart; told so, 40% and 60% agree, and 45% fewer against 60% of is the 5 points
    between 45% and 40%. Only cuts: "improves it by 40%" and "to 60%" are not one fact."""
    if cut.unit != "%" or level.unit != "%" or not _is_cut(cut) or _is_cut(level):
        return None
    if not level.wording[0] & _LEVEL or not 0 <= level.value <= 100:
        return None
    return replace(level, value=100 - level.value, text=f"{level.text} (a cut of {100 - level.value:g}%)")


_WRITTEN_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def rounded_to(round_claim: Claim, other: Claim) -> bool:
    """Whether ``round_claim`` is a round figure ("20x", "40%", "100x": a whole number
    ending in zeros) that ``other`` rounds to at its last nonzero digit, and is within a
    tenth of: 18.7x is "20x" to one significant figure, 38.5% is "40%".

    Why: a writer who says "20x" may mean about 20; read as exact to the unit, it was 6.5%
    from 18.7x and a warning. Told so, the difference may inform, never warn (the figures
    are not said to agree: "170x" against 167x, the digests' own example, is still shown)."""
    written = _WRITTEN_NUMBER.search(round_claim.text)
    if written is None or "." in written[0] or round_claim.unit != other.unit:
        return False
    digits = written[0].replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    if not zeros or zeros == len(digits):
        return False
    step = round_claim.step * 10 ** zeros
    gap = abs(round_claim.value - other.value)
    # Strictly inside half a step (35% is not surely "40%"), and within a tenth of it: a
    # figure one significant digit stands for may be far off ("20x" for 15x), too far to
    # be the same figure rounded with care.
    return gap < step / 2 and gap <= 0.1 * abs(round_claim.value)


def agree(a: Claim, b: Claim) -> bool:
    """The same number: equal, or one is the other rounded to its own precision."""
    return abs(a.value - b.value) <= max(a.step, b.step) / 2 + 1e-9 * max(abs(a.value), abs(b.value), 1)


def relative_difference(a: float, b: float) -> float:
    """|a - b| / max(|a|, |b|); 0 for two zeros."""
    top = max(abs(a), abs(b))
    return abs(a - b) / top if top else 0.0


def claim_severity(difference: float, config: ClaimConfig = DEFAULTS.claims) -> Severity:
    """info up to ``info_max``, warning up to ``warning_max``, error above."""
    if difference <= config.info_max:
        return Severity.INFO
    return Severity.WARNING if difference <= config.warning_max else Severity.ERROR


@dataclass
class _Side:
    obs: Observation
    kind: str  # "abstract" or "summary"
    claims: dict[tuple[str, str], list[Claim]]

    @property
    def name(self) -> str:
        where = self.obs.site or self.obs.source.value
        return f"{where} {self.kind}" if self.obs.source != Source.DIGEST or self.kind == "abstract" else where


def _sides(observations: Sequence[Observation], config: ClaimConfig,
           documents: dict | None = None) -> list[_Side]:
    """One side per source, site and kind of text (the first observation of each stands for it)."""
    sides: dict[tuple, _Side] = {}
    # An arXiv record of an older version than another names says what that version said:
    # its numbers are not the paper's now (v1's 12% against v2's 15%), as for the merge.
    observations = latest_version(observations)
    # The earliest capture within a source and site stands for it (a later capture of the
    # same text leaves the evidence as it was), ties by address: not by ingest order.
    ordered = sorted(observations, key=lambda o: (o.source.value, o.site or "", iso(o.observed_at) or "",
                                                  o.url or "", recency(o, documents)))
    for obs in ordered:
        for kind, parts in texts(obs, config).items():
            key = (obs.source.value, obs.site or "", kind)
            if key in sides or not parts:
                continue
            claims: dict[tuple[str, str], list[Claim]] = defaultdict(list)
            for part in parts:
                for sentence in sentences(part):
                    for claim in extract_claims(sentence, config):
                        claims[claim.key].append(claim)
            if claims:
                sides[key] = _Side(obs, kind, dict(claims))
    return list(sides.values())


def _one_value(claims: list[Claim]) -> Claim | None:
    """The claim a side makes for a key, or None when it gives two different numbers."""
    first = claims[0]
    return first if all(agree(first, c) for c in claims[1:]) else None


def _fmt(unit: str, head: str) -> str:
    return f"{_UNIT_NAMES.get(unit, unit)} {head}".strip() if unit != "n" else f"count of {head}"


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def _versions(a: _Side, b: _Side, ctx: CheckContext) -> list[str]:
    """Why the two texts may be of different arXiv versions, when one is arXiv's record and
    the other names no version: the other was seen (or, a list of an earlier day, most
    likely written) before arXiv's record says its version appeared
    (:func:`reconcile.checks.fields.version_note`), or was seen days after the record was
    fetched (:func:`reconcile.checks.evidence.stale_record`). Numbers change between
    versions (v1's 12%, v2's 15%): a text of v1 is not wrong about v1. (A record older than a version
    another observation names is not compared at all: :func:`_sides`.)"""
    why = []
    for record, other in ((a, b), (b, a)):
        if record.obs.source != Source.ARXIV or other.obs.source == Source.ARXIV:
            continue
        note = version_note(record.obs, other.obs)
        if note:
            why.append(f"{other.name}: {note}, and numbers can change between versions")
        elif (stale := stale_record(record.obs, other.obs, ctx)):
            why.append(stale)
    return why


def _grade(ca: Claim, a: _Side, cb: Claim, b: _Side, diff: float,
           config: ClaimConfig, ctx: CheckContext) -> tuple[Severity, Severity, list[str]]:
    """The severity one pair may carry, the severity of its difference, and why the two
    differ: a bound the other figure breaks is a loose statement, not a wrong number, so
    it is ``info`` at most; so is a claim of an item the matcher only guessed is the paper's
    (:func:`reconcile.checks.evidence.guessed_link`), and one of a text that may be of
    another arXiv version than the record it is compared with (:func:`_versions`)."""
    why = [f"{side.name}'s \"{c.written}\" is a bound, not an exact figure"
           for side, c in ((a, ca), (b, cb)) if c.bound != "exact"]
    why += _versions(a, b, ctx)
    why += [w for w in (guessed_link(a.obs, ctx), guessed_link(b.obs, ctx)) if w]
    why += [f"{side.name}'s \"{c.written}\" is a round figure, and {other.text} rounded to it is {c.text}"
            for side, c, other in ((a, ca, cb), (b, cb, ca)) if rounded_to(c, other)]
    # A text a generic reader took for the summary ("tldr", "notes" in JSON it met for the
    # first time) may not be the paper's summary at all.
    why += [w for side in (a, b) if (w := heuristic(side.obs, side.kind))]
    if bool(ca.baseline) != bool(cb.baseline):
        # "3.1x faster than beam search" and "1.8x faster": the second may be compared with
        # something else; that they are one claim is a guess.
        named, other = (a, b) if ca.baseline else (b, a)
        why.append(f"only {named.name} says what it is compared with, {other.name} does not")
    (words_a, numbers_a), (words_b, numbers_b) = ca.wording, cb.wording
    if numbers_a != numbers_b or not (words_a <= words_b or words_b <= words_a):
        # "The 3B model reaches 61%" and "the 7B model reaches 68%", "improves it by 40%" and
        # "reaches 52%": a shared head and context word pair them, which is a heuristic read.
        why.append("the two sentences are worded differently or state other numbers, so that "
                   "they make one claim is a guess")
    severity = claim_severity(diff, config)
    return (Severity.INFO if why else severity), severity, why


def check_numeric_claims(paper_id: str, observations: Sequence[Observation], ctx: CheckContext,
                         config: ClaimConfig | None = None) -> list[Discrepancy]:
    """Claims of the same key whose numbers differ between two sources' texts.

    One finding per key (unit and head word), with the sentence of every side involved in a
    disagreement as evidence and the severity of the largest difference.
    """
    config = config or ctx.config.claims
    sides = _sides(observations, config, ctx.documents)
    pairs: dict[tuple[str, str], list[tuple[_Side, Claim, _Side, Claim, float]]] = defaultdict(list)
    for a, b in combinations(sides, 2):
        if a.kind == b.kind == "abstract":
            continue
        for key in a.claims.keys() & b.claims.keys():
            ca, cb = _one_value(a.claims[key]), _one_value(b.claims[key])
            if ca is not None and cb is not None:
                cb = as_cut(ca, cb) or cb
                ca = as_cut(cb, ca) or ca
            if ca is None or cb is None or compatible(ca, cb, config):
                continue
            if len((ca.context & cb.context)) < config.min_shared_context:
                continue
            if different_baselines(ca, cb):
                continue
            diff = relative_difference(ca.value, cb.value)
            if diff <= config.max_difference:
                pairs[key].append((a, ca, b, cb, diff))
    found = []
    for key, found_pairs in sorted(pairs.items()):
        graded = [(_grade(ca, a, cb, b, diff, config, ctx), (a, ca, b, cb, diff)) for a, ca, b, cb, diff in found_pairs]
        (_, severity, why), (a, ca, b, cb, diff) = max(graded, key=lambda g: (_RANK[g[0][0]], g[1][4]))
        seen: dict[int, tuple[_Side, Claim]] = {}
        for pa, pca, pb, pcb, _ in found_pairs:
            seen.setdefault(id(pa), (pa, pca))
            seen.setdefault(id(pb), (pb, pcb))
        values: list[Value] = [value_of(side.obs, claim.sentence, ctx.documents) for side, claim in seen.values()]
        more = len(found_pairs) - 1
        detail = (f"{_fmt(*key)}: {ca.written} ({a.name}) vs {cb.written} ({b.name}), {diff:.1%} apart"
                  + (f" (and {more} more pair{'s' * (more > 1)})" if more else ""))
        severity, detail = cap(severity, detail, why)
        found.append(Discrepancy(
            id=discrepancy_id(paper_id, Kind.NUMERIC_CLAIM, *key), paper_id=paper_id,
            kind=Kind.NUMERIC_CLAIM, field="summary", severity=severity,
            values=values, detail=detail))
    return found
