"""Truths about what is and is not mojibake (probe12 V09, V10, V21), on made-up text.

U+FFFD characters are lost bytes (or written on purpose), never mojibake; and a line that
quotes mojibake beside the correctly decoded text is the author's words, not damage.
"""

from __future__ import annotations

import pytest

from reconcile.text import repair_text

F = "\ufffd"


@pytest.mark.parametrize("text", [
    f"오늘의 요약: {F * 6} 핵심 포인트",                 # lost bytes, in a run
    f"A byte-level tokenizer yields {F} and {F}{F} sequences.",  # written on purpose
    f"Résumé {F}{F} of the day\nsecond line",
    f"é{F} and {F}é",
])
def test_replacement_chars_alone_are_not_mojibake(text):
    result = repair_text(text)
    assert result.mojibake is False
    assert result.method is None
    assert result.text == text
    assert result.sample is None


@pytest.mark.parametrize(("text", "clean"), [
    ("Un cafÃ© crème", "Un café crème"),
    ("ì¼ê°„ ë…¼ë¬¸ ìš”ì•½", None),
    (f"Dirk WÃ¼bben {F}{F} lost", "Dirk Wübben " + F * 2 + " lost"),
])
def test_real_mojibake_is_still_detected(text, clean):
    result = repair_text(text)
    assert result.mojibake is True
    if clean is not None:
        assert result.text == clean


def test_quoted_mojibake_is_left_alone():
    text = ("Reading UTF-8 as windows-1252 turns naïve into naÃ¯ve and an en dash – into â€“.\n"
            "We measure how often it happens.")
    result = repair_text(text)
    assert result.text == text
    assert result.mojibake is False
    assert result.method is None


def test_quoting_line_stays_while_a_damaged_line_is_repaired():
    text = "Reading it wrongly turns naïve into naÃ¯ve.\nAuthor: Zoë MÃ¼ller"
    result = repair_text(text)
    assert result.mojibake is True
    assert result.text == "Reading it wrongly turns naïve into naÃ¯ve.\nAuthor: Zoë Müller"
