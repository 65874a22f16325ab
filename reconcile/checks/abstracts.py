"""Abstracts of one paper that differ beyond whitespace.

Only the ``abstract`` field is compared (never page text or summaries kept in ``extra``),
each against the most trusted abstract (arXiv, else Hugging Face, else ArxivLens, else a
digest). Abstracts equal after collapsing whitespace (hard line wraps of arXiv's API and
Hugging Face) agree. Otherwise the first rule that fits says how they differ, comparing
the abstracts without TeX markup (:func:`loose`), which sources render differently:

1. only the markup differs, or how it was rendered (``\\textbf{Math}ematical`` /
   ``Mathematical``; ``3.5$\\times$`` / ``3.5times`` / ``3.5×``; HTML entities; Markdown
   emphasis) -- the same abstract, no finding;
2. arXiv's placeholders: arXiv's abstract pages replace what its link detector takes for a
   URL with "this http URL" / "this https URL" -- a real link, or text such as
   ``training.Our`` that merely looks like one. When the abstracts are equal once each
   placeholder stands for one word of the other abstract, it is ``info``, and the detail
   says what the placeholders stand for;
3. truncated: one (without a trailing ``...``/``…``) is the start of the other, with the
   same placeholder allowance -- ``info``;
4. near-identical: rapidfuzz ``ratio`` at least ``AbstractConfig.near_identical`` -- ``info``, with the
   first place they differ;
5. different -- ``warning``, or ``info`` when the two observations name different arXiv
   versions, or one was seen before arXiv's later version appeared (an abstract may change
   between versions; :func:`reconcile.checks.fields.version_note`).

Fails to tell a placeholder from a real difference when the placeholder stands for more
than one word; a rewritten sentence in a long abstract can stay above ``AbstractConfig.near_identical``;
and dropping TeX commands hides a difference that is all commands (``\\alpha`` against
``\\beta``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from reconcile.config import DEFAULTS, AbstractConfig
from reconcile.models import Discrepancy, Kind, Observation, Severity
from reconcile.text import collapse_whitespace, rendered_text

from .base import CheckContext
from .fields import compare_field, text_compare
from .titles import script_names, scripts


PLACEHOLDER = re.compile(r"\bthis https? URL\b")
_ELLIPSIS = re.compile(r"(?:\s*(?:\.{3,}|…))+\s*$")


def flat(text: str) -> str:
    """NFKC and collapsed whitespace: the form in which abstracts must be equal."""
    return collapse_whitespace(unicodedata.normalize("NFKC", text))


def loose(text: str) -> str:
    """The abstract in one rendering (:func:`reconcile.text.rendered_text`), the form the
    other rules compare.

    Sources render an abstract's markup differently (``\\textbf{Math}ematical`` on arXiv's
    page, ``Mathematical`` on Hugging Face; ``3.5$\\times$`` in arXiv's API, ``3.5times`` on
    Hugging Face, ``3.5×`` on a page; ``&amp;`` in HTML; ``**bold**`` in Markdown): all of
    these are one text. arXiv's "this http URL" placeholders are kept for the rules below.
    """
    return rendered_text(text)


def source_difference(trusted: str, other: str) -> tuple[str, str]:
    """Where two abstracts first differ, quoted from each source's own text (whitespace
    collapsed), not from the comparison form: the place is found in the ``loose`` forms,
    then traced back to the text each source gave."""
    a, b = loose(trusted), loose(other)
    at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    return _excerpt(collapse_whitespace(trusted), at), _excerpt(collapse_whitespace(other), at)


def _excerpt(text: str, at: int, width: int = 24) -> str:
    """The part of ``text`` around the character whose ``loose`` form starts past ``at``
    (the shortest prefix of ``text`` whose loose form is longer than ``at``, by bisection)."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        if len(loose(text[:mid])) > at:
            hi = mid
        else:
            lo = mid + 1
    start = max(0, lo - 1 - width // 3)
    return text[start:start + width]


def _pattern(text: str) -> re.Pattern[str]:
    """``text`` as a regex in which each placeholder stands for one word (or a placeholder)."""
    parts = [re.escape(p.strip()) for p in PLACEHOLDER.split(text)]
    return re.compile(r"\s*(this\ https?\ URL|\S+?)\s*".join(parts))


def placeholders_for(with_placeholder: str, other: str, *, prefix: bool = False) -> list[str] | None:
    """What each placeholder of ``with_placeholder`` stands for in ``other``, or None when
    the two differ in more than placeholders (``prefix``: ``with_placeholder`` may stop
    early). Both should be in the ``loose`` form."""
    if not PLACEHOLDER.search(with_placeholder):
        return None
    pattern = _pattern(with_placeholder)
    found = pattern.match(other) if prefix else pattern.fullmatch(other)
    return None if found is None else [g for g in found.groups() if not PLACEHOLDER.fullmatch(g)]


def _placeholder(text: str) -> str:
    found = PLACEHOLDER.search(text)
    return found[0] if found else "this http URL"


def as_written(text: str) -> str:
    """``text`` in quotes, as the source wrote it: ``repr`` doubles every backslash, so
    arXiv's ``$\\ell_1$`` was quoted as ``$\\\\ell_1$``, which no source wrote. In double
    quotes when it holds a single one and no double one, as ``repr`` does."""
    quote = '"' if "'" in text and '"' not in text else "'"
    return f"{quote}{text}{quote}"


def _quoted(words: list[str], none: str) -> str:
    return ", ".join(map(repr, words[:3])) + (f" and {len(words) - 3} more" if len(words) > 3 else "") or none


def _bare_tex(text: str) -> str:
    """``text`` as Hugging Face writes an abstract's TeX: without ``$`` and without the
    backslash before a command ("$n \\times n$" as "n times n", "$\\leq$50K" as "leq50K")."""
    return re.sub(r"\\(?=[A-Za-z])", "", text.replace("$", ""))


# The abstract arXiv shows for a withdrawn version: "This paper has been withdrawn by the
# author(s)", "Withdrawn: ...", "This submission has been withdrawn".
_WITHDRAWN = re.compile(r"^\W*(?:this\s+(?:paper|article|submission|manuscript|work)\s+(?:has\s+been|was|is)\s+"
                        r"withdrawn|withdrawn\b)", re.I)


def describe(trusted: str, other: str, who_trusted: str = "the trusted abstract",
             config: AbstractConfig = DEFAULTS.abstracts) -> tuple[Severity, str] | None:
    """How ``other`` differs from ``trusted``: (severity, phrase), or None when it does not."""
    if flat(trusted) == flat(other):
        return None
    a, b = loose(trusted), loose(other)
    if a == b:
        return None  # the same text, its markup rendered differently (issue 11)
    if loose(_bare_tex(trusted)) == loose(_bare_tex(other)):
        return None  # the same TeX, one side's with its "$" and backslashes dropped ("n times n")
    theirs, mine = source_difference(trusted, other)
    where = f"first difference: {as_written(mine)} where {who_trusted}'s has {as_written(theirs)}"
    stood = placeholders_for(b, a)
    if stood is not None:
        return Severity.INFO, (f"has arXiv's {_placeholder(b)!r} placeholder where {who_trusted}'s has "
                               f"{_quoted(stood, 'a placeholder too')}")
    stood = placeholders_for(a, b)
    if stood is not None:
        return Severity.INFO, (f"spells out {_quoted(stood, 'a placeholder')} where "
                               f"{who_trusted}'s has arXiv's {_placeholder(a)!r} placeholder")
    script_a, script_b = scripts(trusted), scripts(other)
    if script_a and script_b and script_a != script_b:
        # A translation ("ko-daily" stores its Korean abstract): not a different abstract;
        # that it says the same cannot be read here, so info.
        return Severity.INFO, f"has a translation ({script_names(script_b)} script, {who_trusted}'s {script_names(script_a)})"
    bare_a, bare_b = _ELLIPSIS.sub("", a), _ELLIPSIS.sub("", b)
    for short, long, whose in ((bare_b, bare_a, "has it truncated"),
                               (bare_a, bare_b, f"has a longer one; {who_trusted}'s is truncated")):
        if short and len(short) < len(long) and (long.startswith(short)
                                                 or placeholders_for(short, long, prefix=True) is not None):
            return Severity.INFO, f"{whose} ({len(short)} of {len(long)} characters)"
    for notice, whose in ((trusted, f"{who_trusted}'s is"), (other, "its is")):
        if _WITHDRAWN.search(notice):
            # A withdrawn paper's later version replaces its abstract by a notice: the other
            # text is the paper's earlier abstract, not a different one.
            return Severity.INFO, f"differs where {whose} a withdrawal notice ({where})"
    score = fuzz.ratio(trusted, other, processor=loose)
    if score >= config.near_identical:
        return Severity.INFO, f"has a near-identical one (similarity {score:.1f}/100; {where})"
    return Severity.WARNING, f"has a different one (similarity {score:.0f}/100; {where})"




def check_abstract(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Abstracts that differ from the trusted one beyond whitespace, saying how."""
    def with_config(trusted: str, other: str, who: str) -> tuple[Severity, str] | None:
        return describe(trusted, other, who, ctx.config.abstracts)

    return compare_field(paper_id, observations, ctx, kind=Kind.ABSTRACT, field="abstract",
                         compare=text_compare("abstract", with_config, flat))
