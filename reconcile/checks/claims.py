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
(``54%`` and ``53.7%``). The severity follows the relative difference |a - b| / max(|a|,
|b|) (see :class:`ClaimConfig`); beyond ``max_difference`` two numbers are taken to be
different claims that happen to share a key, not one claim told twice.

Abstracts are compared with summaries, not with each other: two abstracts that differ are
the ``abstract`` check's business.

When it fails: a claim worded differently (``53.7% activated parameters`` against
``53.7% of parameters activated``: ``activated`` vs ``parameter``) is not compared, so a
difference there goes unseen; numbers written as words (``ten times``) or without a unit
(``5 benchmarks``) are not claims; a source that gives two values for one key is skipped
as ambiguous; a typo that changes a number tenfold (``17x`` for ``170x``) exceeds
``max_difference`` and is not flagged; and two different claims that share unit, head word
and a context word, with numbers within ``max_difference``, are flagged wrongly.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from reconcile.config import DEFAULTS, ClaimConfig
from reconcile.models import Discrepancy, Kind, Observation, Severity, Source, Value, iso
from reconcile.text import collapse_whitespace

from .base import CheckContext, discrepancy_id, value_of

log = logging.getLogger(__name__)



_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9,
          "t": 1e12, "trillion": 1e12}
_UNIT_NAMES = {"x": "×", "%": "%", "n": ""}
# A number that starts a token: not after a letter, digit, hyphen, dot, slash or underscore
# (which would make it part of a name such as R1-671B or Qwen2.5).
_CLAIM = re.compile(
    r"(?<![\w.\-/+])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?"
    r"(?:(?P<mult>(?:[xX]|\s?×)(?!\w)|-?(?i:fold)\b)"
    r"|(?P<pct>\s?%|\s+(?i:percent)\b)"
    r"|(?P<mag>\s?(?:[kKMBT](?!\w)|(?i:thousand|million|billion|trillion)\b)))"
    r"(?!-[A-Z]|[.,]\d)")
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=\S)|\n+")
_STOP = frozenset("""
a an the of in on at to by for from with and or than as is are was were be been its it this
that these those their our we they up down over under about around nearly almost roughly only
just about approximately some while whereas into onto per vs versus via more fewer less lower
higher greater smaller larger bigger original overall total all each both same
""".split())


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
        found.append(Claim(m[0].strip(), value, step, unit, head, context, sentence))
    return found


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


def _sides(observations: Sequence[Observation], config: ClaimConfig) -> list[_Side]:
    """One side per source, site and kind of text (the first observation of each stands for it)."""
    sides: dict[tuple, _Side] = {}
    # The earliest capture within a source and site stands for it (a later capture of the
    # same text leaves the evidence as it was), ties by address: not by ingest order.
    ordered = sorted(observations, key=lambda o: (o.source.value, o.site or "", iso(o.observed_at) or "",
                                                  o.url or "", o.id or 0))
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


def check_numeric_claims(paper_id: str, observations: Sequence[Observation], ctx: CheckContext,
                         config: ClaimConfig | None = None) -> list[Discrepancy]:
    """Claims of the same key whose numbers differ between two sources' texts.

    One finding per key (unit and head word), with the sentence of every side involved in a
    disagreement as evidence and the severity of the largest difference.
    """
    config = config or ctx.config.claims
    sides = _sides(observations, config)
    pairs: dict[tuple[str, str], list[tuple[_Side, Claim, _Side, Claim, float]]] = defaultdict(list)
    for a, b in combinations(sides, 2):
        if a.kind == b.kind == "abstract":
            continue
        for key in a.claims.keys() & b.claims.keys():
            ca, cb = _one_value(a.claims[key]), _one_value(b.claims[key])
            if ca is None or cb is None or agree(ca, cb):
                continue
            if len((ca.context & cb.context)) < config.min_shared_context:
                continue
            diff = relative_difference(ca.value, cb.value)
            if diff <= config.max_difference:
                pairs[key].append((a, ca, b, cb, diff))
    found = []
    for key, found_pairs in sorted(pairs.items()):
        worst = max(found_pairs, key=lambda p: p[4])
        seen: dict[int, tuple[_Side, Claim]] = {}
        for a, ca, b, cb, _ in found_pairs:
            seen.setdefault(id(a), (a, ca))
            seen.setdefault(id(b), (b, cb))
        values: list[Value] = [value_of(side.obs, claim.sentence, ctx.documents) for side, claim in seen.values()]
        a, ca, b, cb, diff = worst
        more = len(found_pairs) - 1
        detail = (f"{_fmt(*key)}: {ca.text} ({a.name}) vs {cb.text} ({b.name}), {diff:.1%} apart"
                  + (f" (and {more} more pair{'s' * (more > 1)})" if more else ""))
        found.append(Discrepancy(
            id=discrepancy_id(paper_id, Kind.NUMERIC_CLAIM, *key), paper_id=paper_id,
            kind=Kind.NUMERIC_CLAIM, field="summary", severity=claim_severity(diff, config),
            values=values, detail=detail))
    return found
