"""Encoding repair and text normalisation: bytes to text, mojibake, U+FFFD, title keys.

Pure functions, no I/O. Two kinds of damage look alike and must not be confused:
*mojibake* is reversible (UTF-8 bytes read with a single-byte codec such as Mac Roman or
Windows-1252: every byte is still there, spelled as the wrong characters), while a
*U+FFFD* marks bytes a decoder already threw away. The first is repaired, exactly; the
second is only counted.
"""

from __future__ import annotations

import codecs
import functools
import html
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-*" codecs)
from ftfy.badness import badness, is_bad

log = logging.getLogger(__name__)

REPLACEMENT_CHAR = "\ufffd"

#: Codecs that UTF-8 text is most often mis-decoded with, in order of preference for ties.
MOJIBAKE_CANDIDATES: tuple[str, ...] = (
    "mac_roman", "sloppy-windows-1252", "latin-1", "sloppy-windows-1251", "cp437", "cp850",
)  # fmt: skip
#: Mis-decodings are undone at most this many times (double mojibake needs two).
MAX_ROUNDTRIPS = 3
#: Characters of unchanged context before the first change in a `Repair.sample`.
SAMPLE_CONTEXT = 15
#: Longest excerpt, on either side, in a `Repair.sample`.
SAMPLE_WIDTH = 60

# utf-32 before utf-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
# Labels that browsers (WHATWG Encoding Standard) read as windows-1252.
_READ_AS_CP1252 = {"iso8859-1", "ascii"}
_LOSSLESS_FALLBACK = "sloppy-windows-1252"
# The block that Mac Roman's "Ã" (byte 0xCC) decodes into when Latin-1 mojibake is
# wrongly re-read as Mac Roman mojibake: "cafÃ©" -> "caf\u0329".
_COMBINING_DIACRITICS = re.compile("[\u0300-\u036f]")
#: ASCII characters kept at each end of a long ASCII run before ftfy's badness is counted.
_ASCII_KEPT = 8
_LONG_ASCII_RUN = re.compile(r"[\x00-\x7f]{%d,}" % (2 * _ASCII_KEPT + 1))


def _squeeze_ascii(text: str) -> str:
    """``text`` with every ASCII run longer than ``2 * _ASCII_KEPT`` cut to its two ends,
    for ftfy's badness pattern only, so that counting it costs time in the non-ASCII part
    of the text, not in the whole.

    Why the count stays the same: ftfy's pattern is tried at every position (about 0.3 µs a
    character, so a 2 MB document spent seconds in detection, outside the parse time bound),
    but every sequence it counts holds a non-ASCII character and at most two ASCII
    characters in a row (``[a-z]\\s?[ÃÂ] ``, ``ГўВЂВ.[A-Za-z ]``), so it only ever reads the
    ends of a long ASCII run, and a text starting with ASCII still starts with it.
    When it fails: a future ftfy pattern spanning more than ``_ASCII_KEPT`` ASCII
    characters in a row would count differently (``tests/test_text.py`` compares the two
    counts on the samples and their mojibake).
    """
    if text.isascii():
        return text[:2 * _ASCII_KEPT]
    return _LONG_ASCII_RUN.sub(lambda m: m[0][:_ASCII_KEPT] + m[0][-_ASCII_KEPT:], text)


def _badness(text: str) -> int:
    """ftfy's :func:`~ftfy.badness.badness` of ``text``, counted on :func:`_squeeze_ascii`."""
    return badness(_squeeze_ascii(text))


def _is_bad(text: str) -> bool:
    """ftfy's :func:`~ftfy.badness.is_bad` of ``text``, tried on :func:`_squeeze_ascii`."""
    return is_bad(_squeeze_ascii(text))


# A U+FFFD right after "Â" or "Ã" is the mark of lossy mojibake (a UTF-8 "Á", "Í", "Ï",
# "Ð" or "Ý" whose second byte a strict windows-1252 decoder could not map): it stays.
_LOST_BYTES = re.compile("(?<![ÂÃ])\ufffd")


def _without_lost_bytes(text: str) -> str:
    """``text`` without its U+FFFD characters, for judging whether it is mojibake.

    Why: ftfy's badness counts U+FFFD as a "bad" character, so a run of them ("\ufffd\ufffd",
    "é\ufffd") scores as mojibake; but a U+FFFD marks bytes already lost upstream (reported
    on its own, by count) or one written on purpose (a paper about tokenizers), never bytes
    spelled as the wrong characters, so nothing can be repaired. Those after "Â" or "Ã" are
    kept (see ``_LOST_BYTES``). When it fails: mojibake whose only suspicious sequence
    involves a U+FFFD other than those goes undetected.
    """
    return _LOST_BYTES.sub("", text) if REPLACEMENT_CHAR in text else text


def count_replacement_chars(text: str) -> int:
    """Count U+FFFD REPLACEMENT CHARACTERs: places where a decoder lost bytes.

    Each one stands for one or more bytes that some decoder upstream could not read.
    Unlike mojibake they cannot be repaired, only reported. The count is exact, but it
    cannot tell a lost byte from a U+FFFD that an author typed on purpose.
    """
    return text.count(REPLACEMENT_CHAR)


def decode_body(body: bytes, declared: str | None = None, stated: str | None = None) -> tuple[str, str]:
    """Decode a fetched body and return `(text, name of the codec used)`; never raises.

    `declared` is the charset the transport gives (the HTTP `Content-Type`), `stated` the one
    the document gives itself (`<meta charset>`, an XML declaration), found by the caller.

    The order, and why:

    1. A byte-order mark (UTF-8, UTF-16, UTF-32) wins: it is written on purpose and
       nothing else starts that way. Bytes that do not fit after it become U+FFFD.
    2. Bytes that decode as strict UTF-8 are UTF-8, even when `declared` says latin-1 or
       windows-1252. Servers and `<meta>` tags mislabel pages all the time, while text in
       a single-byte codec almost never happens to be valid UTF-8 (any byte >= 0x80 would
       have to fall into UTF-8's lead/continuation pattern).
    3. Otherwise the declared charset, if Python knows it and it decodes strictly. As in
       browsers, "iso-8859-1" and "ascii" are read as windows-1252.
       A UTF-8 body cut inside its final character (a truncated response) is still UTF-8:
       the cut bytes become U+FFFD.
    4. Otherwise the charset the document states, if it decodes strictly: a server that
       labels every page UTF-8 is wrong about a Korean page in EUC-KR whose `<meta>` says
       so, and windows-1252 would turn its titles into "¡°Plain¡±" and lose its counts.
       It comes after the header's, as in browsers, which let HTTP win.
    5. Otherwise windows-1252 through ftfy's "sloppy-windows-1252", which maps all 256
       bytes, so no byte is lost: `repair_text` or a human can still undo it.

    When it fails: bytes that are valid UTF-8 by accident (short, mostly-ASCII Latin-1
    text such as b"\\xc3\\xa9") are read as UTF-8; a declared multi-byte charset with a
    single bad byte falls back to windows-1252 as a whole; and the sloppy codec reads a
    literal 0x1A (SUB) byte as U+FFFD.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace"), encoding
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # Everything before the error decoded, so only the end of the body is in question.
        if exc.reason == "unexpected end of data" and not body[:exc.start].isascii():
            # A UTF-8 body cut inside its last character (a truncated response): the lost
            # bytes become U+FFFD instead of turning the whole document into cp1252.
            return body.decode("utf-8", errors="replace"), "utf-8"
    for label in (declared, stated):
        encoding = _python_codec(label)
        if encoding is not None:
            try:
                return body.decode(encoding), encoding
            except (UnicodeDecodeError, LookupError):
                log.debug("body does not decode as declared %r (%s)", label, encoding)
    return body.decode(_LOSSLESS_FALLBACK), _LOSSLESS_FALLBACK


def repair_decoded(text: str, encoding: str) -> Repair:
    """`repair_text` of a body `decode_body` read with `encoding`, where a repair of the
    windows-1252 fallback is believed only when it is what UTF-8 makes of the bytes.

    Why: the fallback means the bytes were neither UTF-8 nor in a charset anyone declared;
    read line by line, garbage of another charset (EUC-KR as windows-1252, "ÃßÃµ 14") has
    pieces that happen to be UTF-8 ("Ãµ" is the bytes of "õ"), which ftfy "repaired" into
    other garbage ("Ãßõ 14"), reported as a repaired mojibake. The fallback keeps every
    byte, so each line's bytes are known: a repair is kept when every line it changed is
    those bytes read as UTF-8 (a UTF-8 body with one bad byte elsewhere), else the text
    stays as decoded, marked as mojibake with no repair. When it fails: a line mixing UTF-8
    with another charset (a UTF-8 emoji in an EUC-KR post) is not repaired."""
    repair = repair_text(text)
    if encoding != _LOSSLESS_FALLBACK or repair.method is None:
        return repair
    before, after = text.splitlines(), repair.text.splitlines()
    if len(before) == len(after) and all(_as_utf8(old) == new for old, new in zip(before, after) if old != new):
        return repair
    return Repair(text, True, None, repair.badness_before, repair.badness_before, None)


def _as_utf8(line: str) -> str | None:
    """The bytes behind a line of the lossless fallback, read as UTF-8; None when they are not."""
    try:
        return line.encode(_LOSSLESS_FALLBACK).decode("utf-8")
    except UnicodeError:
        return None


def _python_codec(declared: str | None) -> str | None:
    """Python's name for a declared charset label, or None when Python does not know it."""
    if not declared:
        return None
    label = declared.strip().strip("\"'").strip()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in _READ_AS_CP1252 else name


@dataclass(frozen=True)
class Repair:
    """What `repair_text` found and did.

    `text` is the repaired text, or the input unchanged. `mojibake` says whether ftfy's
    badness heuristic saw mojibake in the input, repaired or not (U+FFFD characters alone
    are not mojibake, nor is a line that quotes mojibake beside the right text: see
    `repair_text`). `method` says how it
    was repaired ("roundtrip:mac_roman", "roundtrip:latin-1>roundtrip:mac_roman",
    "ftfy:lines", "roundtrip:mac_roman:lines", ...), None when nothing changed.
    `sample` is a short (before, after) excerpt around the first change, for reports.
    """

    text: str
    mojibake: bool
    method: str | None
    badness_before: int
    badness_after: int
    sample: tuple[str, str] | None


def repair_text(text: str, candidates: Sequence[str] = MOJIBAKE_CANDIDATES) -> Repair:
    """Detect UTF-8 text that was decoded with another codec, and repair it exactly.

    Detection is ftfy's badness: a count of character sequences that real text almost
    never contains but mojibake always does ("Ã©", "√©", "ì\\x9d¼"). Text with none is
    returned unchanged, which is what keeps clean text in any script (and emoji, maths,
    "Dirk Wübben", "São Paulo") safe.

    Why not just ftfy: `ftfy.fix_text` decides line by line, so a line with no suspicious
    sequence of its own stays broken (a Mac Roman "üëç" is a 👍 it leaves alone), and
    `ftfy.fix_encoding` takes the first codec that decodes, without comparing, plus lossy
    guesses. Here the whole document is tried first: for each candidate codec, encode the
    text with it and decode as UTF-8, both strictly. A round trip that loses nothing and
    strictly lowers the badness is strong evidence, because random text practically never
    re-encodes into valid UTF-8; and it repairs every spot at once, innocent-looking ones
    included, byte for byte. The best candidate wins (lowest badness, then fewest combining
    diacritics, then the order of `candidates`). It is repeated up to `MAX_ROUNDTRIPS`
    times for text mis-decoded twice; after a first proven layer, a further one need only
    not raise the badness. A round trip may not lower the number of U+FFFD: the sloppy
    codecs encode U+FFFD as byte 0x1A, which would hide lost bytes behind a control char.
    (It may raise it: a mis-decoded U+FFFD, "Ô∏Ω" in Mac Roman, restores to U+FFFD.)

    When no whole-document round trip works (only some lines are mojibake, or a byte was
    lost), each line that looks bad is repaired on its own, by round trip or else by
    `ftfy.fix_encoding` (encoding fixes only: quotes, entities, widths and line breaks are
    left alone); other lines stay byte-identical. method then names each way used, comma
    separated, with ":lines" ("ftfy:lines", "roundtrip:latin-1:lines,ftfy:lines").

    What is not mojibake: U+FFFD characters (badness counts them, but they are lost bytes,
    counted by `count_replacement_chars`, or written on purpose): a text whose badness
    comes from them alone is returned unchanged with mojibake False. And a line whose ftfy
    repair only produces characters the line already holds correctly decoded ("turns café
    into cafÃ©", an abstract quoting mojibake) is left alone and is no evidence.

    When it fails: mojibake without a suspicious sequence goes undetected ("S√£o Paulo"
    alone has badness 0); a line mixing one character decoded right and wrongly ("Jürgen
    and JÃ¼rgen") reads as a quotation and is neither repaired nor reported; bytes that were lost before we saw them stay lost; and a short
    text may round-trip through a wrong codec that happens to yield equally clean text.
    """
    before = _badness(text)
    if before == 0:
        return Repair(text, False, None, 0, 0, None)
    if REPLACEMENT_CHAR in text and _badness(_without_lost_bytes(text)) == 0:
        log.debug("badness %d from U+FFFD only: lost bytes, not mojibake", before)
        return Repair(text, False, None, before, before, None)
    fixed, steps = _roundtrips(text, candidates, before)
    method = ">".join(steps) if steps else None
    suspicious = True
    if not steps:
        fixed, method, suspicious = _repair_lines(text, candidates)
    if fixed == text and not suspicious:
        log.debug("badness %d from quoted mojibake only: not repaired", before)
        return Repair(text, False, None, before, before, None)
    if fixed == text:
        log.debug("mojibake detected (badness %d) but not repaired", before)
        return Repair(text, True, None, before, before, None)
    after = _badness(fixed)
    log.debug("mojibake repaired by %s (badness %d -> %d)", method, before, after)
    return Repair(fixed, True, method, before, after, _first_change(text, fixed))


def _roundtrips(text: str, candidates: Sequence[str], current: int | None = None) -> tuple[str, list[str]]:
    """Apply the best lossless round trip repeatedly; return the text and the steps.

    The first step must lower the badness. Later ones need only not raise it: once one
    layer of mojibake is proven, a second lossless layer is evidence enough, and the
    inner layer of double mojibake often has badness 0 ("S√£o" inside "S‚àö¬£o").
    ``current`` is the text's badness when the caller knows it (each count reads the
    whole text).
    """
    steps: list[str] = []
    for _ in range(MAX_ROUNDTRIPS):
        best = _best_roundtrip(text, candidates, may_tie=bool(steps), current=current)
        if best is None:
            break
        codec, text, current = best
        steps.append(f"roundtrip:{codec}")
    return text, steps


def _best_roundtrip(
    text: str, candidates: Sequence[str], may_tie: bool = False, current: int | None = None
) -> tuple[str, str, int] | None:
    """The (codec, text, badness) of the best strict round trip that lowers badness, or
    None; ``current`` is the badness of ``text`` when known."""
    if current is None:
        current = _badness(text)
    lost = count_replacement_chars(text)
    best: tuple[tuple[int, int, int], str, str] | None = None
    for order, codec in enumerate(candidates):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if fixed == text or count_replacement_chars(fixed) < lost:
            continue
        score = _badness(fixed)
        if score > current or (score == current and not may_tie):
            continue
        key = (score, len(_COMBINING_DIACRITICS.findall(fixed)), order)
        if best is None or key < best[0]:
            best = (key, codec, fixed)
    return None if best is None else (best[1], best[2], best[0][0])


def _repair_lines(text: str, candidates: Sequence[str]) -> tuple[str, str | None, bool]:
    """Repair each bad line on its own; other lines stay byte-identical. Returns the text,
    the method, and whether a bad line that is not a quotation (`_quotes_mojibake`) and
    not U+FFFD alone (`_without_lost_bytes`) was seen.

    Splits on "\\n" only: `str.splitlines` would also split on U+0085, which is what a
    Latin-1 decoder makes of the UTF-8 continuation byte 0x85. A line that occurs again
    (a page's repeated furniture) gets the first one's repair without the work: a repair
    costs up to a millisecond, and a page may repeat a line thousands of times.
    """
    lines = text.split("\n")
    methods: list[str] = []
    repaired: dict[str, str] = {}  # each bad line seen: its repair (itself when none helped)
    suspicious = False
    for i, line in enumerate(lines):
        if line in repaired:
            lines[i] = repaired[line]
            continue
        if not _is_bad(line):
            continue
        repaired[line] = line
        if _TALKS_ABOUT_ENCODING.search(line):
            # "Reading the body as text shows mojibake (e.g. 'Dirk WÃ¼bben')": a line about
            # encodings quotes damaged text on purpose; "repairing" it would change its words.
            log.debug("line speaks of encodings and quotes mojibake, left alone: %.60r", line)
            continue
        fixed, steps = _roundtrips(line, candidates)
        how = ">".join(steps)
        if not steps:
            fixed, how = ftfy.fix_encoding(line), "ftfy"
            if _quotes_mojibake(line, fixed):
                log.debug("line quotes mojibake beside the right text, left alone: %.60r", line)
                continue
        if _is_bad(_without_lost_bytes(line)):
            suspicious = True
        lower = _badness(fixed) < _badness(line)
        if lower and count_replacement_chars(fixed) >= count_replacement_chars(line):
            lines[i] = repaired[line] = fixed
            if f"{how}:lines" not in methods:
                methods.append(f"{how}:lines")
    return "\n".join(lines), (",".join(methods) or None), suspicious


# Words of a line that speaks of text encodings: its damaged text is quoted, not damage.
_TALKS_ABOUT_ENCODING = re.compile(r"\b(?:mojibake|mis-?decoded|decoded\s+as|encoding|garbled|double[- ]encoded"
                                   r"|utf-?8|latin-?1|cp-?1252|windows-1252|mac\s*roman)\b", re.I)


def _quotes_mojibake(line: str, fixed: str) -> bool:
    """Whether ftfy's repair ``fixed`` of ``line`` only produces non-ASCII characters that
    ``line`` already holds: "turns café into cafÃ©" quotes mojibake next to the right text
    (a paper about encodings), and "repairing" it would change the author's words.

    A produced character is one that occurs more often in ``fixed`` than in ``line``; a
    repair that produces none (a lossy "Ã\ufffd" turned into "\ufffd") is not a quotation.
    When it fails: a line that mixes the same character decoded right and wrongly
    ("Jürgen and JÃ¼rgen", text pasted from two sources) is taken for a quotation.
    """
    if fixed == line:
        return False
    produced = {c for c in set(fixed) if not c.isascii() and fixed.count(c) > line.count(c)}
    return bool(produced) and all(c in line for c in produced)


def _first_change(before: str, after: str) -> tuple[str, str]:
    """Short excerpts of `before` and `after` around the first place they differ."""
    old_lines, new_lines = before.split("\n"), after.split("\n")
    if len(old_lines) == len(new_lines):  # always so: repairs never add or drop a "\n"
        before, after = next((o, n) for o, n in zip(old_lines, new_lines) if o != n)
    shorter = min(len(before), len(after))
    prefix = next((i for i in range(shorter) if before[i] != after[i]), shorter)
    suffix = 0
    while suffix < shorter - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - SAMPLE_CONTEXT)

    def excerpt(s: str) -> str:
        end = min(max(len(s) - suffix + SAMPLE_CONTEXT, start + 20), start + SAMPLE_WIDTH)
        return s[start:end]

    return excerpt(before), excerpt(after)


def collapse_whitespace(text: str) -> str:
    """Turn every run of whitespace into one space, and strip the ends.

    For titles and names with hard line wraps, tabs or NBSPs from HTML. Uses Python's
    notion of whitespace (str.split), which covers NBSP, U+2028, ideographic space and
    friends. It does not cover zero-width characters (U+200B is a format character), so
    "a\\u200bb" stays as it is.
    """
    return " ".join(text.split())


# LaTeX accent commands -> combining marks; NFKC then composes "\\"{u}" into "ü".
_LATEX_ACCENTS = dict(zip(
    "\"'`^~=.cvuHkr",
    "\u0308\u0301\u0300\u0302\u0303\u0304\u0307\u0327\u030c\u0306\u030b\u0328\u030a",
))  # fmt: skip
# LaTeX letter commands; the dotless \i and \j become plain letters so they can be accented.
_LATEX_LETTERS = dict(
    ss="ß", o="ø", O="Ø", aa="å", AA="Å", ae="æ", AE="Æ", oe="œ", OE="Œ",
    l="ł", L="Ł", i="i", j="j",
)  # fmt: skip
_LATEX_ACCENT_RE = re.compile(
    r"""\\(?:(["'`^~=.])\s*|([cvuHkr])(?=[\s{]))\s*\{?\s*([A-Za-z])\}?"""
)
_LATEX_LETTER_RE = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])\s*(?:\{\})?")
_BRACED_LETTER_RE = re.compile(r"\{(\\(?:ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)|\\['\"`^~=.][^{}\s]{1,3})\}")
_LATEX_COMMAND_RE = re.compile(r"\\[A-Za-z]+\*?")
_LATEX_ESCAPE_RE = re.compile(r"\\(.)")


def _strip_latex(title: str) -> str:
    """Replace LaTeX letters and accents by characters; drop commands, braces and `$`.

    Letters first, so that the dotless `\\i` in `\\'{\\i}` becomes an "i" to accent.
    """
    title = _LATEX_LETTER_RE.sub(lambda m: _LATEX_LETTERS[m.group(1)], title)
    title = _LATEX_ACCENT_RE.sub(
        lambda m: m.group(3) + _LATEX_ACCENTS[m.group(1) or m.group(2)], title
    )
    title = _LATEX_COMMAND_RE.sub(" ", title)
    title = _LATEX_ESCAPE_RE.sub(r"\1", title)
    return title.replace("{", "").replace("}", "").replace("$", "")


def latex_accents_to_unicode(text: str) -> str:
    """``Jakob G\\"unther`` -> ``Jakob Günther``: LaTeX accents and letters as characters.

    arXiv's feeds spell names and titles the way authors typed them into TeX. Only accent
    and letter commands are replaced (and the result NFC-composed); other markup is left
    alone, since in a title ``$\\alpha$`` means something. Fails on accents over braced
    groups of more than one letter and on macros an author defined.
    """
    if "\\" not in text:
        return text
    # "Stanis{\l}aw", "{\'\i}": braces around one letter's command go with it.
    text = _BRACED_LETTER_RE.sub(lambda m: m[1] + ("{}" if m[1][1:].isalpha() else ""), text)
    text = _LATEX_LETTER_RE.sub(lambda m: _LATEX_LETTERS[m.group(1)], text)
    text = _LATEX_ACCENT_RE.sub(lambda m: m.group(3) + _LATEX_ACCENTS[m.group(1) or m.group(2)], text)
    return unicodedata.normalize("NFC", text)


def _keep_for_matching(char: str) -> str:
    """Letters, marks and digits stay; format chars vanish; everything else is a gap."""
    category = unicodedata.category(char)
    if category[0] in "LMN":
        return char
    return "" if category == "Cf" else " "


class _MatchingTable(dict):
    """A ``str.translate`` table that decides each code point once, on first sight, with
    :func:`_keep_for_matching`: the per-character work moves from a Python loop to C."""

    def __missing__(self, code: int) -> str:
        self[code] = _keep_for_matching(chr(code))
        return self[code]


_MATCHING_TABLE = _MatchingTable()


@functools.lru_cache(maxsize=1 << 16)
def normalize_title(title: str) -> str:
    """A key for matching titles across sources: same paper, same key.

    HTML entities decoded (``&#39;`` from a scraped page), NFKC (ligatures, full-width and
    compatibility forms become plain letters), LaTeX
    accents become letters and other LaTeX markup goes, casefold (so "Straße" and
    "STRASSE" agree), punctuation and symbols (Unicode P* and S*, emoji included) become
    spaces, and whitespace collapses. Letters, combining marks and digits of any script
    are kept, so Korean, Chinese or accented titles keep their meaning.

    When it fails: titles that differ only in punctuation, symbols or case collide
    ("Re-thinking" and "Re thinking"), which is intended; so do titles that differ only
    in a maths formula that was all symbols. LaTeX commands are dropped with their names,
    so "$\\alpha$-divergence" and "α-divergence" do not match. Accents are kept, so
    "Müller" and "Muller" stay different keys; fuzzy matching has to bridge those.
    """
    text = unicodedata.normalize("NFKC", _strip_latex(html.unescape(title))).casefold()
    return collapse_whitespace(text.translate(_MATCHING_TABLE))


# -- one text, rendered differently --------------------------------------------------------
# TeX symbol commands and the character each is rendered as. Sources show one abstract as
# TeX (arXiv's API: ``3.5$\times$``), as rendered characters (a page: ``3.5×``), as TeX with
# the markup stripped (Hugging Face: ``3.5times``), or as HTML (``&times;``).
_TEX_SYMBOLS = {
    "times": "×", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠",
    "approx": "≈", "sim": "∼", "simeq": "≃", "cdot": "·", "rightarrow": "→", "to": "→",
    "leftarrow": "←", "infty": "∞", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "epsilon": "ε", "varepsilon": "ε", "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ",
    "mu": "μ", "nu": "ν", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ", "Omega": "Ω", "ell": "ℓ", "circ": "°",
}  # fmt: skip
_TEX_SYMBOL_RE = re.compile(r"\\(" + "|".join(sorted(_TEX_SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])")
_TEX_ESCAPED_RE = re.compile(r"\\([%&_#$])")
_TEX_WRAPPER_RE = re.compile(r"\\[A-Za-z]++\*?(?=\{)")  # \textbf{...}: the command goes, its text stays
# A symbol's name left behind when a renderer dropped ``\`` and ``$`` (``3.5times``), or a
# letter x standing for × after a number (``3.5x``): after a digit, both mean ×.
_STRIPPED_TIMES_RE = re.compile(r"(?<=\d)\s?(?:times|x)(?![A-Za-z])")
# Markdown emphasis: runs of * or _ that open or close a word, not those inside one (x_1).
_EMPHASIS_RE = re.compile(r"(?<![\w*_])[*_]++(?=[^\s*_])|(?<=[^\s*_])[*_]++(?![\w*_])")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s++([.,;:!?)\]])")
_SPACE_AFTER_BRACKET_RE = re.compile(r"([(\[])\s++")
# TeX's named operators, written as their names: ``O(n\log n)`` is "O(n log n)".
_TEX_OPERATOR_RE = re.compile(r"\\(log|ln|lg|exp|sin|cos|tan|max|min|arg\s?max|arg\s?min|argmax|argmin|lim|sup|det"
                              r"|dim|deg|gcd|Pr|mod)(?![A-Za-z])")
# A sub- or superscript of a few letters or digits after a letter or digit: ``\ell_1``,
# ``\tau^{2}`` are "ℓ1", "τ2", as NFKC writes ``ℓ₁`` and ``τ²``.
_SCRIPT_RE = re.compile(r"(?<=[^\W_])[_^]\{?([^\W_]{1,3})\}?")
# TeX's and typography's ways of writing dashes and quotes, each as one character:
# ``---`` and — are one dash, ``--`` and – another; ``quoted'', “quoted” and "quoted" are one.
_TYPOGRAPHY = (("---", "—"), ("--", "–"), ("``", '"'), ("''", '"'), ("“", '"'), ("”", '"'), ("„", '"'),
               ("‘", "'"), ("’", "'"), ("∼", "~"))


def rendered_text(text: str) -> str:
    """``text`` in one rendering, so that texts that differ only in how markup was rendered
    compare equal: HTML entities decoded, TeX symbol commands as their characters
    (``$\\times$``, ``&times;``, ``×`` and, after a number, ``times`` and ``x`` are one ×),
    other TeX commands, braces, ``$`` and backslashes dropped (a named operator, ``\\log``,
    as its name; a short sub- or superscript, ``\\ell_1``, as its characters, as NFKC
    writes ``ℓ₁``), TeX's and typography's dashes and quotes as one each (``---`` and —;
    ````x''``, “x” and "x"; ``$\\sim$``, ∼ and ~), Markdown emphasis dropped, NFKC,
    whitespace collapsed (and none before closing punctuation).

    A comparison key, never shown: evidence quotes each source's own text.

    Why not a TeX-to-text library (pylatexenc): it reads ``%`` as a comment and drops the
    rest of the line ("100% of the cases" becomes "100"), which would hide real
    differences, and it raises on macros cut short, which scraped text is full of; an
    abstract is plain text with a little TeX, which this table covers. When it fails: an
    author's own macros, and symbols outside the table, stay as dropped commands, so
    ``$\\oplus$`` and ``⊕`` still differ; "3x" meaning "three times" and "3×" agree, which
    is intended.
    """
    text = html.unescape(text)
    text = _TEX_ESCAPED_RE.sub(r"\1", _TEX_SYMBOL_RE.sub(lambda m: _TEX_SYMBOLS[m[1]], text))
    text = _TEX_OPERATOR_RE.sub(lambda m: f" {m[1].replace(' ', '')} ", text)
    text = _strip_latex(_TEX_WRAPPER_RE.sub("", text)).replace("\\", "")
    for written, one in _TYPOGRAPHY:
        text = text.replace(written, one)
    text = _SCRIPT_RE.sub(r"\1", text)
    text = _STRIPPED_TIMES_RE.sub("×", unicodedata.normalize("NFKC", text))
    text = collapse_whitespace(_EMPHASIS_RE.sub("", text))
    return _SPACE_AFTER_BRACKET_RE.sub(r"\1", _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text))
