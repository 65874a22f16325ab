"""Exact strings and numbers of the text helpers behind the ``abstract``, ``numeric_claim``
and ``garbage_field`` findings.

The detector tests (test_checks_fields.py, test_checks_garbage_claims.py) check that a
finding is raised and roughly what it says; this file pins what the finding quotes and
measures: the excerpt around the first difference of two abstracts (its width, and where
the bisection over the ``loose`` form lands), the placeholder named when none is found,
how a claim's unit is written, a claim's precision (the step of a decimal number), and
the detail given for an organization that is only a count or only a UI label. Made-up
text throughout.
"""

from __future__ import annotations

import datetime as dt

import pytest

from reconcile.checks.abstracts import _excerpt, _placeholder, check_abstract
from reconcile.checks.base import CheckContext
from reconcile.checks.claims import _fmt, check_numeric_claims, extract_claims
from reconcile.checks.garbage import check_garbage
from reconcile.models import Observation, Severity, Source

T0 = dt.datetime(2026, 2, 5, 14, 0, tzinfo=dt.timezone.utc)
CTX = CheckContext(documents={})

PLAIN = "Glowworms hum softly under wet ferns while the moths keep a slow count of every lamp."


def obs(id_: int, source: Source = Source.DIGEST, site: str | None = "blog", **fields) -> Observation:
    return Observation(id=id_, source=source, site=site, observed_at=T0, arxiv_id="2602.00001", **fields)


# --- abstracts: the excerpt around the first difference -----------------------------------

@pytest.mark.parametrize("at, expected", [
    (0, "Glowworms hum softly und"),  # at the start: the window is clamped to the text's start
    (12, "worms hum softly under w"),  # 24 characters, the difference 8 (width // 3) in
    # A difference at a space: a prefix ending in a space loses it in the loose form, so
    # the shortest prefix longer than 9 ends after the "h" -- the same window as at 10.
    (9, "owworms hum softly under"),
    (10, "owworms hum softly under"),
    (86, "ery lamp."),  # past the end: the last characters, from 9 before the end
])
def test_excerpt_is_24_characters_starting_8_before_the_difference(at, expected):
    assert _excerpt(PLAIN, at) == expected


def test_excerpt_of_marked_up_text_is_found_by_its_loose_form_and_quoted_as_written():
    marked = "The \\textbf{glow}worms hum softly under wet ferns while moths keep count."
    # loose: "The glowworms hum ..."; position 14 is the "h" of "hum", 23 in the source.
    assert _excerpt(marked, 14) == "w}worms hum softly under"
    assert _excerpt(marked, 15) == "}worms hum softly under "


def test_near_identical_abstract_quotes_each_sources_own_text_around_the_difference():
    arxiv = ("The \\textbf{glow}worms hum softly under wet ferns while moths keep count of every "
             "lamp in the valley.")
    other = "The glowworms hym softly under wet ferns while moths keep count of every lamp in the valley."
    [found] = check_abstract("arxiv:2602.00001", [obs(1, Source.ARXIV, "arxiv.org", abstract=arxiv),
                                                  obs(2, Source.HUGGINGFACE, "huggingface.co", abstract=other)],
                             CTX)
    assert found.severity == Severity.INFO
    assert found.detail.endswith(
        "near-identical one (similarity 98.9/100; first difference: 'wworms hym softly under ' "
        "where arxiv.org's has '}worms hum softly under ')")


# --- abstracts: the placeholder named -----------------------------------------------------

def test_placeholder_is_the_one_found_else_this_http_url():
    # check_abstract only asks for the placeholder of a text known to have one, so the
    # fallback is reached only by calling the helper.
    assert _placeholder("Code at this https URL today.") == "this https URL"
    assert _placeholder("Code at a lantern today.") == "this http URL"


# --- claims: how a unit is written --------------------------------------------------------

def test_a_unit_without_a_display_name_is_written_as_itself():
    assert _fmt("kg", "weight") == "kg weight"
    assert _fmt("x", "speedup") == "× speedup"
    assert _fmt("n", "lamp") == "count of lamp"


# --- claims: a number's precision ---------------------------------------------------------

@pytest.mark.parametrize("sentence, claim", [
    ("LanternNet reaches 40.0% recall on GlowBench.", ("40.0%", 40.0, 0.1, "%", "recall")),
    ("A 2.375x speedup for LanternNet.", ("2.375x", 2.375, 0.001, "x", "speedup")),
    ("It stores 4.85M fireflies.", ("4.85M", 4.85e6, 1e4, "n", "firefly")),
    ("It uses 1,250.5K lamps.", ("1,250.5K", 1250500.0, 100.0, "n", "lamp")),
    ("A 170× gap in lamps.", ("170×", 170.0, 1.0, "x", "gap")),
    ("About 2 billion moths.", ("2 billion", 2e9, 1e9, "n", "moth")),
])
def test_a_claims_step_is_one_unit_of_its_last_written_digit(sentence, claim):
    [found] = extract_claims(sentence)
    text, value, step, unit, head = claim
    assert (found.text, found.unit, found.head) == (text, unit, head)
    assert found.value == pytest.approx(value, rel=1e-12)
    assert found.step == pytest.approx(step, rel=1e-12)


def test_a_number_within_half_a_step_of_the_other_is_the_same_claim():
    # 2.1x covers 2.05 to 2.15 (step 0.1): 2.05x agrees with it, no finding; 2.0x does not.
    same = [obs(1, site="one", summary="LanternNet gives a 2.1x speedup on GlowBench."),
            obs(2, site="two", summary="LanternNet gives a 2.05x speedup on GlowBench.")]
    assert check_numeric_claims("p", same, CTX) == []
    apart = [obs(1, site="one", summary="LanternNet gives a 2.0x speedup on GlowBench."),
             obs(2, site="two", summary="LanternNet gives a 2.1x speedup on GlowBench.")]
    [found] = check_numeric_claims("p", apart, CTX)
    assert (found.severity, found.detail) == (Severity.WARNING, "× speedup: 2.0x (one) vs 2.1x (two), 4.8% apart")


# --- garbage: a bare count or a UI label --------------------------------------------------

@pytest.mark.parametrize("value", ["2.37k", "·1,204", "Upvote 34", "42 stars"])
def test_an_organization_that_is_only_a_count_or_only_a_ui_label_is_called_furniture(value):
    [found] = check_garbage("p", [obs(1, organization=value)], CTX)
    assert found.severity == Severity.WARNING
    assert found.detail == f"organization {value!r} is page furniture (a count or a UI label), not an organization"


def test_title_describe_names_the_trusted_title_when_no_source_is_given():
    from reconcile.checks.titles import describe as describe_title

    severity, phrase = describe_title("Quiet Lanterns", "Quiet Lanterns for Counting Fireflies in the Dark")
    assert severity == Severity.INFO
    # Which of the two is whole cannot be told (a title cut, or words added after it).
    assert phrase == ("has a longer one, the trusted title's being its start (14 of 49 characters): "
                      "'Quiet Lanterns for Counting Fireflies in the Dark'")


def test_title_describe_sees_a_trusted_title_cut_with_an_ellipsis():
    from reconcile.checks.titles import describe as describe_title

    severity, phrase = describe_title("Quiet Lanterns for Counting…", "Quiet Lanterns for Counting Fireflies",
                                      "arxiv.org")
    assert (severity, phrase) == (Severity.INFO, "has a longer one; arxiv.org's is truncated with an ellipsis "
                                                 "(27 of 37 characters): 'Quiet Lanterns for Counting Fireflies'")


def test_rendered_text_drops_backslashes_left_by_tex():
    from reconcile.text import rendered_text

    assert rendered_text("a \\\\ b and 5\\% more") == "a b and 5% more"


def test_title_describe_tells_a_dropped_plural_from_a_cut_and_claims_no_cut_it_cannot_see():
    from reconcile.checks.titles import describe as describe_title

    severity, phrase = describe_title("Quiet Lanterns Count Fireflies", "Quiet Lanterns Count Firefly", "arxiv.org")
    assert severity == Severity.WARNING and phrase.startswith("has a typo")
    severity, phrase = describe_title("Quiet Lanterns Count Fireflies", "Quiet Lanterns Count Fireflies (ICML 2031)",
                                      "arxiv.org")
    assert severity == Severity.INFO
    assert phrase.startswith("has a longer one, arxiv.org's being its start (30 of 40 characters)")
    assert "truncated" not in phrase


def test_abstract_describe_calls_a_translation_a_translation():
    from reconcile.checks.abstracts import describe as describe_abstract

    severity, phrase = describe_abstract(
        "Small models count fireflies by their blinking, with 40% fewer errors than before.",
        "작은 모델은 반딧불이의 깜빡임으로 수를 세며, 오류가 40% 줄었습니다.", "arxiv.org")
    assert (severity, phrase) == (Severity.INFO, "has a translation (Hangul script, arxiv.org's Latin)")


def test_title_describe_renders_tex_scripts_as_their_characters():
    """"$\\pi_0$" and "π0", "$\\tau^2$" and "τ²" are one title rendered two ways."""
    from reconcile.checks.titles import describe as describe_title

    assert describe_title(r"$\pi_0$: A Flow Model for Robots", "π0: A Flow Model for Robots") is None
    assert describe_title(r"$\tau^2$-Bench: Tool Agents", "τ²-Bench: Tool Agents") is None
    assert describe_title(r"$\ell_1$-Sparse Coding of Images", "ℓ1-Sparse Coding of Images") is None
    assert describe_title(r"$\pi_0$: A Flow Model for Robots", "π1: A Flow Model for Robots") is not None


def test_a_translated_title_that_keeps_its_english_terms_is_a_translation():
    """"...RL로 Broad Search 확장" keeps most letters Latin, so it was "a different title"
    (warning); its Hangul words say a digest translated it."""
    from reconcile.checks.titles import describe as describe_title

    severity, phrase = describe_title("FireFly-R2: Scaling Broad Search with Multi-Agent RL",
                                      "FireFly-R2: Multi-Agent RL로 Broad Search 확장", "arxiv.org")
    assert severity == Severity.INFO and phrase.startswith("has a translation that keeps some words (Hangul script")
    # One stray letter is no translation; Greek letters are symbols in English titles.
    assert describe_title("FireFly: Counting Lights", "FireFly: Counting Lighs 가", "arxiv.org")[1].startswith("has a different title")
    assert describe_title("αβ-Fly: Counting Lights", "Fly: Counting Lights αβ", "arxiv.org")[0] == Severity.WARNING


@pytest.mark.parametrize("tex, rendered", [
    (r"an $\ell_1$ penalty", "an ℓ1 penalty"),
    (r"an $\ell_{1}$ penalty", "an ℓ₁ penalty"),
    (r"in $\mathcal{O}(n\log n)$ time", "in O(n log n) time"),
    (r"4 bits --- the ``W4A8'' set", "4 bits — the “W4A8” set"),
    (r"pages 3--5", "pages 3–5"),
    (r"uses $\sim$10M parameters", "uses ~10M parameters"),
])
def test_abstracts_that_differ_only_in_tex_are_the_same(tex, rendered):
    """Each pair was a warning ("a different one"): TeX's subscripts, named operators,
    dashes, quotes and \\sim against their rendered forms."""
    from reconcile.checks.abstracts import describe as describe_abstract

    text = "Made-up results on fireflies: {} for every model we tried, and more."
    assert describe_abstract(text.format(tex), text.format(rendered), "arxiv.org") is None


def test_an_abstract_difference_quotes_tex_as_written():
    """repr() doubled each backslash: "$\\\\ell_1$", which no source wrote."""
    from reconcile.checks.abstracts import describe as describe_abstract

    _, phrase = describe_abstract(r"Fireflies blink: we use an $\ell_1$ penalty and count them all night long.",
                                  "Fireflies blink: we use an ℓ2 penalty and count them all night long.", "arxiv.org")
    assert r"'n $\ell_1$ penalty and c'" in phrase
