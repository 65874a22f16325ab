"""Fuzzing the one document reader with mutated real documents (issue 13).

``scrapers.reading.read_document`` promises that no document, however broken, makes it
raise: a bad document is a refusal with a one-line reason, and a good part of a damaged
document is still kept. Hand-written hostile inputs (``test_hostile_input.py``) only try
what someone thought of; this test starts from the real samples and seeds in ../shared
(read at run time, never copied here) and damages them the way transfers, scrapers and
editors do: flipped bytes, a body cut at any point, two documents spliced, chunks
duplicated or deleted, deep nesting inserted, random bytes, out-of-range numbers and
impossible dates in place of real ones, the text re-encoded. Each damaged document is read
with the format sniffed, with its own format forced, with another format forced (as a crawl
of a misconfigured site does), or by a configured site's rules, and always with a response
time, so reading goes all the way to a document.

Every call is timed on the wall clock and must end within :data:`LIMIT` seconds; the parse
time bound of ``read_page`` is lowered to :data:`PARSE_BOUND` so a slow parse becomes a
refusal well within it, while decoding and encoding repair (outside that bound) are held to
the same wall-clock limit. Nothing may escape, and what comes back must be what a store can
keep: a result, or a whole-document refusal, with one-line reasons.

The seed is printed and named in every failure: ``PAPER_RECONCILE_FUZZ_SEED=<seed>``
replays a run, and ``PAPER_RECONCILE_FUZZ_CASE=<n>`` replays one case of it. CI runs
:data:`CI_CALLS` calls; ``PAPER_RECONCILE_FUZZ_FULL=1`` runs 20,000 (figures in the README).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from reconcile.models import Source
from scrapers import pages
from scrapers.reading import Reading, read_document
from scrapers.sites import load_sites

from .support import shared_dir

FULL = os.environ.get("PAPER_RECONCILE_FUZZ_FULL") == "1"
CI_CALLS = 2500  # about 30 s on the project's 2-CPU machine (1,500 took 17 s)
CALLS = 20000 if FULL else CI_CALLS
LIMIT = 2.0  # seconds of wall time one call may take
PARSE_BOUND = 0.5  # seconds read_page's own parse bound is lowered to: the rest of the 2 s is decoding and repair
INT64_MAX = 2**63 - 1  # the largest integer an SQLite INTEGER column holds
FETCHED_AT = dt.datetime(2026, 2, 5, 7, 45, 12, tzinfo=dt.timezone.utc)
#: Parser errors (an exception inside a parser, which ``read_page`` turns into a refusal, so
#: one bad value loses the whole document) found and not fixed yet, each with its strict
#: xfail test below. Any other parser error fails the run.
KNOWN_PARSER_ERRORS: tuple[str, ...] = ()

# -- the corpus ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Sample:
    """One real document: its group (the folder under samples/, or ``seeds``), path, bytes."""

    group: str
    path: Path
    body: bytes


def load_corpus(shared: Path) -> dict[str, list[Sample]]:
    """Every file under ``shared``/samples and ``shared``/seeds, grouped by top folder, so a
    case picks a group first: 245 posts of one blog must not drown the single OAI-PMH answer."""
    groups: dict[str, list[Sample]] = {}
    for top in ("samples", "seeds"):
        for path in sorted((shared / top).rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(shared / top).parts
            group = "seeds" if top == "seeds" else (rel[0] if len(rel) > 1 else "samples")
            groups.setdefault(group, []).append(Sample(group, path, path.read_bytes()))
    return groups


# -- mutations: bytes in, bytes out, and a few words saying what was done -------------------------

_NUMBER = re.compile(rb"\d+")
_DATE = re.compile(rb"\d{4}-\d{2}-\d{2}")
NUMBERS = [b"9223372036854775808", b"18446744073709551616", b"1e308", b"-1e308", b"NaN", b"Infinity", b"-1",
           b"-0", b"0x1F", b"1_000", b"99999999999999999999999999999999", b"\xd9\xa3", b"\xef\xbc\x93", b""]
DATES = [b"2026-02-30", b"2026-13-01", b"0000-00-00", b"9999-12-31", b"0001-01-01", b"2026-02-05T25:61:61Z",
         b"20260205", b"2026-2-5"]
NESTING = [(b"[", b"]"), (b'{"a":', b"}"), (b"<div>", b"</div>"), (b"<ul><li>", b"</li></ul>"), (b"> ", b""),
           (b"  - ", b""), (b"<![CDATA[", b"]]>"), (b"<entry>", b"</entry>"), (b"(", b")"), (b"**", b"**"),
           (b"[", b"](x)"), (b"<!--", b"-->"), (b"<a href='https://arxiv.org/abs/2602.04705'>", b"</a>")]
# Largest a duplication grows a document to: three times the largest sample. The 2 s bound
# is for documents of the sizes sources serve. Documents of many megabytes are for the size
# limits (32 MiB) to bound: encoding repair, before the parse bound, costs about 0.3 µs a
# character of dense non-ASCII text for each codec it tries.
GROWN = 1_000_000
BYTES_OF_NOTE = b"\x00\xff\x80\xc3\xe2\xef\xbb\xbf<>\"'{}[]\n\r\t&;#:|*_\\"


def _spot(rng: random.Random, body: bytes) -> int:
    return rng.randint(0, len(body))


def _length(rng: random.Random, body: bytes) -> int:
    """A chunk length: mostly short, sometimes a large share of the body."""
    return max(1, min(len(body) or 1, int(2 ** rng.uniform(0, 16))))


def flip(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """Flip bits or overwrite bytes at random places (disk and transfer damage)."""
    if not body:
        return bytes([rng.choice(BYTES_OF_NOTE)]), "flip of nothing"
    data = bytearray(body)
    count = rng.choice([1, 2, 4, 16, 64])
    for _ in range(count):
        at = rng.randrange(len(data))
        data[at] = data[at] ^ (1 << rng.randrange(8)) if rng.random() < 0.5 else rng.choice(BYTES_OF_NOTE)
    return bytes(data), f"flip x{count}"


def truncate(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """Cut the body at a random point (a lost connection, a full disk)."""
    at = _spot(rng, body)
    return body[:at], f"truncate at {at}"


def splice(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """The start of one document and the end of another (two downloads into one file)."""
    i, j = _spot(rng, body), _spot(rng, other)
    return body[:i] + other[j:], f"splice {i}+other[{j}:]"


def duplicate(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """A chunk of the body repeated, up to a few hundred times (a retried write)."""
    i = _spot(rng, body)
    chunk = body[i:i + _length(rng, body)] or b"x"
    times = min(rng.choice([1, 2, 10, 300]), max(1, (GROWN - len(body)) // len(chunk)))
    at = _spot(rng, body)
    return body[:at] + chunk * times + body[at:], f"duplicate {len(chunk)} bytes x{times} at {at}"


def delete(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """A chunk of the body gone."""
    i = _spot(rng, body)
    n = _length(rng, body)
    return body[:i] + body[i + n:], f"delete {n} at {i}"


def nest(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """Markup or JSON nested deep at a random point, closed or not (recursion and the
    readers' own depth)."""
    opener, closer = rng.choice(NESTING)
    depth = int(2 ** rng.uniform(0, 13))
    at = _spot(rng, body)
    tail = closer * depth if rng.random() < 0.5 else b""
    return body[:at] + opener * depth + tail + body[at:], f"nest {opener!r} x{depth} at {at}"


def noise(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """Random bytes over a region, or now and then a whole body of them."""
    if rng.random() < 0.05 or not body:
        n = int(2 ** rng.uniform(0, 16))
        return rng.randbytes(n), f"random body of {n}"
    i, n = _spot(rng, body), _length(rng, body)
    return body[:i] + rng.randbytes(n) + body[i + n:], f"noise {n} at {i}"


def numbers(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """A number or a date of the document replaced by an out-of-range one (2^63, 1e308, NaN,
    February 30th): the values a parser must refuse or leave empty rather than store."""
    pattern, values = (_DATE, DATES) if rng.random() < 0.3 else (_NUMBER, NUMBERS)
    found = list(pattern.finditer(body[:500_000]))
    if not found:
        return flip(rng, body, other)
    value = rng.choice(values)
    chosen = rng.sample(found, min(len(found), rng.choice([1, 1, 5, 50])))
    for m in sorted(chosen, key=lambda m: m.start(), reverse=True):  # from the end: spans stay put
        body = body[:m.start()] + value + body[m.end():]
    return body, f"{len(chosen)} numbers -> {value!r}"


def recode(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, str]:
    """The text in another encoding, twice encoded, or with a byte-order mark."""
    text = body.decode("utf-8", "replace")
    how = rng.choice(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "double", "bom", "mac_roman"])
    if how == "double":
        return text.encode("utf-8").decode("latin-1").encode("utf-8"), "utf-8 read as latin-1"
    if how == "bom":
        return b"\xef\xbb\xbf" + body, "bom"
    return text.encode(how, "replace"), f"re-encoded {how}"


MUTATIONS: tuple[Callable[[random.Random, bytes, bytes], tuple[bytes, str]], ...] = (
    flip, truncate, splice, duplicate, delete, nest, noise, numbers, recode)


def mutate(rng: random.Random, body: bytes, other: bytes) -> tuple[bytes, list[str]]:
    """One to three mutations in a row, mostly one."""
    done = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        body, what = rng.choice(MUTATIONS)(rng, body, other)
        done.append(what)
    return body, done


# -- one case: what is read and how -------------------------------------------------------------

URLS = ["https://huggingface.co/api/daily_papers?date=2026-02-05&limit=100",
        "https://huggingface.co/papers/date/2026-02-05", "https://huggingface.co/papers/2602.04705",
        "https://export.arxiv.org/api/query?id_list=2602.04705", "https://rss.arxiv.org/rss/cs.CL",
        "https://oaipmh.arxiv.org/oai?verb=ListRecords", "https://arxivlens.com/PaperView/Details/x",
        "https://arxivlens.com/api/papers/2602.04705",
        "https://raw.githubusercontent.com/x/y/HEAD/_posts/2026-02-05-daily-papers.md",
        "https://raw.githubusercontent.com/x/y/HEAD/data/daily-2026-02-05.json", "https://example.org/feed.xml"]
CONTENT_TYPES = ["application/json", "text/html", "application/atom+xml", "text/plain", "text/markdown",
                 "application/octet-stream"]
CHARSETS = [None, "utf-8", "latin-1", "utf-16", "shift_jis", "cp1252", "x-bogus", "utf-8; charset=koi8-r"]


@dataclasses.dataclass
class Case:
    """One call: the mutated body, where it claims to come from, how it is read."""

    number: int
    origin: str
    mutations: list[str]
    url: str
    body: bytes
    headers: dict[str, str]
    options: dict

    def describe(self) -> str:
        """What to tell a person who has to reproduce it."""
        shown = {k: getattr(v, "name", v) for k, v in self.options.items() if k != "fetched_at"}
        return (f"case {self.number}: {self.origin} {self.mutations} read as {shown} at {self.url} "
                f"with {self.headers} ({len(self.body)} bytes)")


class CaseMaker:
    """Cases from the corpus, each from its own random generator (seed and case number), so
    that any one case can be made again without the ones before it."""

    def __init__(self, corpus: dict[str, list[Sample]], seed: int) -> None:
        self.corpus, self.seed = corpus, seed
        self.groups = sorted(corpus)
        self.sites = load_sites()
        self.formats = sorted(pages.FORMATS_BY_NAME)
        self._sniffed: dict[Path, str | None] = {}

    def sniffed(self, sample: Sample) -> str | None:
        """The format the undamaged sample is read as (None when no format takes it)."""
        if sample.path not in self._sniffed:
            from reconcile.text import decode_body, repair_text

            text = repair_text(decode_body(sample.body, None)[0]).text
            try:
                self._sniffed[sample.path] = pages.choose_format(text, sample.path.as_uri()).name
            except pages.PageError:
                self._sniffed[sample.path] = None
        return self._sniffed[sample.path]

    def case(self, number: int) -> Case:
        """Case ``number`` of this seed."""
        rng = random.Random(f"{self.seed}/{number}")
        sample = rng.choice(self.corpus[rng.choice(self.groups)])
        other = rng.choice(self.corpus[rng.choice(self.groups)])
        body, done = mutate(rng, sample.body, other.body)
        url = sample.path.as_uri() if rng.random() < 0.6 else rng.choice(URLS)
        options: dict = {"fetched_at": FETCHED_AT}
        how = rng.random()
        if how < 0.35:
            pass  # sniffed, as `reconcile ingest` without --as reads a file
        elif how < 0.65:
            options["format_name"] = self.sniffed(sample) or rng.choice(self.formats)
        elif how < 0.9:
            options["format_name"] = rng.choice(self.formats)  # a site configured with the wrong format
        else:
            site = rng.choice(self.sites)  # as the digests spider reads a configured site's post
            options.update(format_name=site.format, rules=site, site=site.name)
        if "format_name" not in options and rng.random() < 0.2:
            options["source"] = rng.choice(list(Source))
        if rng.random() < 0.1:
            options["mtime"] = FETCHED_AT - dt.timedelta(days=1)
        headers: dict[str, str] = {}
        if rng.random() < 0.3:
            charset = rng.choice(CHARSETS)
            headers["Content-Type"] = rng.choice(CONTENT_TYPES) + (f"; charset={charset}" if charset else "")
        rel = f"{sample.group}/{sample.path.name}"
        return Case(number, rel, done, url, body, headers, options)


# -- the run ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """What a fuzz run saw: counts, the slowest call, and every failure with its case."""

    calls: int = 0
    results: int = 0  # a document was kept (with or without refused items)
    partial: int = 0  # ... of which some items were refused
    refused: int = 0  # the whole document was refused
    parser_errors: Counter = dataclasses.field(default_factory=Counter)  # unexpected errors inside a parser
    first_case: dict = dataclasses.field(default_factory=dict)  # parser error -> the first case that hit it
    reasons: Counter = dataclasses.field(default_factory=Counter)  # whole refusals by their first words
    seconds: float = 0.0
    slowest: tuple[float, str] = (0.0, "")
    escaped: list[str] = dataclasses.field(default_factory=list)
    slow: list[str] = dataclasses.field(default_factory=list)
    broken: list[str] = dataclasses.field(default_factory=list)  # readings a store could not keep


def problems_with(reading: object) -> list[str]:
    """Why a reading breaks the reader's contract, if it does: not a Reading; no result and
    no whole refusal; a reason that is not one line; a refusal that is not a valid reject; a
    count an SQLite INTEGER cannot hold (the store would fail the whole batch)."""
    if not isinstance(reading, Reading):
        return [f"returned {type(reading).__name__}, not a Reading"]
    found = []
    if reading.result is None and not any(r.whole for r in reading.refusals):
        found.append("no result and no whole-document refusal")
    for refusal in reading.refusals:
        if not refusal.reason or "\n" in refusal.reason:
            found.append(f"reason not one line: {refusal.reason!r:.200}")
        try:
            refusal.to_reject(reading.source, FETCHED_AT)
        except Exception as exc:  # noqa: BLE001 - a refusal the store cannot write is the finding
            found.append(f"refusal is not a valid reject: {type(exc).__name__}: {exc}"[:300])
    if reading.result is not None:
        for obs in reading.result.observations:
            for name in ("upvotes", "comments", "rank", "authors_total", "arxiv_version"):
                value = getattr(obs, name, None)
                if isinstance(value, int) and not -INT64_MAX - 1 <= value <= INT64_MAX:
                    found.append(f"{name}={value} does not fit an SQLite INTEGER")
    return found


def fuzz(read: Callable[..., object], cases, limit: float = LIMIT) -> Tally:
    """Read every case with ``read`` (``read_document``'s signature), timing each call."""
    tally = Tally()
    for case in cases:
        tally.calls += 1
        start = time.perf_counter()
        try:
            reading = read(case.url, case.body, case.headers, **case.options)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - what the test looks for
            took = time.perf_counter() - start
            tally.escaped.append(f"{type(exc).__name__}: {str(exc)[:200]} -- {case.describe()}")
            reading = None
        else:
            took = time.perf_counter() - start
        tally.seconds += took
        if took > tally.slowest[0]:
            tally.slowest = (took, case.describe())
        if took > limit:
            tally.slow.append(f"{took:.2f} s -- {case.describe()}")
        if reading is None:
            continue
        for problem in problems_with(reading):
            tally.broken.append(f"{problem} -- {case.describe()}")
        if not isinstance(reading, Reading):
            continue
        if reading.result is not None:
            tally.results += 1
            tally.partial += bool(reading.refusals)
        else:
            tally.refused += 1
        for refusal in reading.refusals:
            if refusal.key == "parser_error":
                tally.parser_errors[refusal.reason[:160]] += 1
                tally.first_case.setdefault(refusal.reason[:160], case.describe())
            elif refusal.whole:
                tally.reasons[" ".join(refusal.reason.split()[:3])] += 1
    return tally


def summary(tally: Tally, seed: int) -> str:
    """The figures of a run, as the README quotes them."""
    return (f"fuzz seed {seed}: {tally.calls} calls in {tally.seconds:.1f} s of reading; "
            f"{tally.results} results ({tally.partial} with refused items), {tally.refused} refusals; "
            f"{len(tally.parser_errors)} distinct parser errors; slowest {tally.slowest[0]:.3f} s "
            f"({tally.slowest[1][:300]}); {len(tally.escaped)} escaped, {len(tally.slow)} over {LIMIT} s, "
            f"{len(tally.broken)} broken readings")


def the_seed() -> int:
    """``$PAPER_RECONCILE_FUZZ_SEED``, else a fresh one (printed by the test)."""
    given = os.environ.get("PAPER_RECONCILE_FUZZ_SEED")
    return int(given) if given else random.SystemRandom().randrange(2**32)


def test_the_reader_survives_mutated_samples(monkeypatch, caplog):
    """No mutated real document makes the reader raise, run past 2 s, return what a store
    cannot keep, or fail inside a parser (a whole document lost to one bad value); and the
    mutations reach the parsers (some documents are still read) as well as their refusals
    (some are not), or the run proved nothing."""
    import logging

    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared (samples and seeds) is not here")
    monkeypatch.setattr(pages, "PARSE_SECONDS", PARSE_BOUND)  # read at each call, not at import
    caplog.set_level(logging.CRITICAL)  # parser errors are logged with tracebacks: tallied instead
    seed = the_seed()
    print(f"fuzz seed {seed} (PAPER_RECONCILE_FUZZ_SEED={seed} replays it), {CALLS} calls")
    maker = CaseMaker(load_corpus(shared), seed)
    only = os.environ.get("PAPER_RECONCILE_FUZZ_CASE")
    numbers = [int(only)] if only else range(CALLS)
    tally = fuzz(read_document, (maker.case(n) for n in numbers))
    print(summary(tally, seed))
    for reason, count in tally.parser_errors.most_common():
        print(f"  parser error x{count}: {reason} (first: {tally.first_case[reason][:300]})")
    where = f"(PAPER_RECONCILE_FUZZ_SEED={seed})"
    assert not tally.escaped, f"exceptions escaped the reader {where}: {tally.escaped[:5]}"
    assert not tally.slow, f"calls over {LIMIT} s {where}: {tally.slow[:5]}"
    assert not tally.broken, f"readings a store cannot keep {where}: {tally.broken[:5]}"
    new = [f"{reason} x{count} (first: {tally.first_case[reason]})"
           for reason, count in tally.parser_errors.items() if not reason.startswith(KNOWN_PARSER_ERRORS)]
    assert not new, f"parser errors {where}: {new[:5]}"
    if not only:
        assert tally.results >= tally.calls // 10, f"too few documents read: {summary(tally, seed)}"
        assert tally.refused >= tally.calls // 10, f"too few documents refused: {summary(tally, seed)}"


def test_the_fuzz_harness_catches_escapes_slow_calls_and_broken_readings():
    """The harness itself must see what it looks for: a reader that raises, one that is slow,
    and one that returns nothing to keep, each reported with its case."""
    case = Case(7, "seeds/x.txt", ["flip x1"], "file:///x.txt", b"x", {}, {"fetched_at": FETCHED_AT})

    def raising(url, body, headers, **options):
        raise RecursionError("deep")

    def slow(url, body, headers, **options):
        time.sleep(0.05)
        return Reading(url, None, [])

    tally = fuzz(raising, [case])
    assert len(tally.escaped) == 1 and "RecursionError" in tally.escaped[0] and "case 7" in tally.escaped[0]
    tally = fuzz(slow, [case], limit=0.01)
    assert len(tally.slow) == 1 and "case 7" in tally.slow[0]
    assert tally.broken == ["no result and no whole-document refusal -- " + case.describe()]


def test_mutations_change_the_document_and_replay_from_the_seed():
    """Each mutation changes what it is given (or the run would read the samples over and
    over), and a case is the same case whenever it is made from the same seed and number."""
    body = '{"date": "2026-02-05", "papers": [{"id": "2602.04705", "title": "Café × 3", "upvotes": 160}]}\n'.encode() * 4
    for mutation in MUTATIONS:
        changed = [mutation(random.Random(f"m/{i}"), body, b"<html>other</html>")[0] != body for i in range(20)]
        assert sum(changed) >= 15, mutation.__name__
    corpus = {"g": [Sample("g", Path("/x/a.json"), body)], "h": [Sample("h", Path("/x/b.md"), b"# b\n" * 50)]}
    maker = CaseMaker(corpus, 1234)
    first, again = maker.case(3), CaseMaker(corpus, 1234).case(3)
    assert (first.body, first.url, first.options, first.headers) == (again.body, again.url, again.options,
                                                                     again.headers)
    assert CaseMaker(corpus, 1235).case(3).body != first.body or CaseMaker(corpus, 1235).case(4).body != first.body


# -- what the fuzzer found, kept as regression tests (no ../shared needed) --------------------------

NOW = FETCHED_AT


def _feed(first_date: str) -> bytes:
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<rss version="2.0"><channel><title>Daily Papers</title><link>https://example.org/</link>
<description>Papers of the day</description>
<item><title>Pond Study: Reeds and Roots</title><link>https://arxiv.org/abs/2601.00001</link>
<description>Upvotes: 3</description><pubDate>{first_date}</pubDate></item>
<item><title>Frog Song: Audio at Dusk</title><link>https://arxiv.org/abs/2601.00002</link>
<description>Upvotes: 5</description><pubDate>Tue, 02 Dec 2025 21:30:47 +0000</pubDate></item>
</channel></rss>""".encode()


_CARDS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<html><body>'
          b'<div class="paper-card"><a href="https://arxiv.org/abs/2601.00001">x</a>'
          b'<h3 class="paper-card-title-en">Pond Study: Reeds and Roots</h3></div>'
          b'<div class="paper-card"><a href="https://arxiv.org/abs/2601.00002">y</a>'
          b'<h3 class="paper-card-title-en">Frog Song: Audio at Dusk</h3></div></body></html>')


def test_a_feed_item_dated_year_zero_loses_only_its_date():
    """Found by the fuzzer: feedparser reads ``0000-12-02T21:30:47Z`` as year 0, and the
    feed reader's conversion raised ``ValueError: year 0 is out of range``, so the whole feed
    became a ``parser error`` refusal. The item is kept without that time."""
    reading = read_document("https://example.org/feed.xml", _feed("0000-12-02T21:30:47Z"), {}, fetched_at=NOW)
    assert reading.result is not None, [r.reason for r in reading.refusals]
    assert [o.arxiv_id for o in reading.result.observations] == ["2601.00001", "2601.00002"]


def test_a_feed_time_with_a_year_past_any_calendar_is_no_time():
    """A year of 30 digits makes ``email.utils.parsedate_to_datetime`` raise
    ``OverflowError``, which the feed reader's time parsing did not expect."""
    from scrapers.pages.digests.feeds import _stated_time

    assert _stated_time("Tue, 02 Dec 999999999999999999999999999999 21:30:47 +0000") is None


def test_a_page_read_by_site_rules_may_start_with_an_xml_declaration():
    """Found by the fuzzer: a page with ``<?xml ... encoding="UTF-8"?>`` read by a site's CSS
    rules was refused with lxml's "Unicode strings with encoding declaration are not
    supported" (the text is already decoded); an XHTML page is a page like any other."""
    site = next(s for s in load_sites() if s.name == "hf-papers-zh-tw")
    reading = read_document("https://example.org/2026-02-05.html", _CARDS, {}, format_name=site.format,
                            rules=site, site=site.name, fetched_at=NOW)
    assert reading.result is not None, [r.reason for r in reading.refusals]
    assert [o.title for o in reading.result.observations] == ["Pond Study: Reeds and Roots",
                                                             "Frog Song: Audio at Dusk"]


def test_an_arxiv_feed_dated_past_any_calendar_is_not_a_parser_error():
    """Found by the fuzzer: arXiv's RSS channel ``pubDate`` with a year of 20 digits or more
    ends the read with ``arxiv-rss: parser error OverflowError`` (a reader bug, by its
    ``parser_error`` key) instead of a day left unknown."""
    rss = (b"<?xml version='1.0' encoding='UTF-8'?>\n<rss version=\"2.0\"><channel>"
           b"<title>cs.CL updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.CL</link>"
           b"<description>cs.CL updates</description>"
           b"<pubDate>Sat, 01 Aug 99999999999999999999999999999999 00:00:00 -0400</pubDate></channel></rss>")
    reading = read_document("https://rss.arxiv.org/rss/cs.CL", rss, {}, fetched_at=NOW)
    assert not [r for r in reading.refusals if r.key == "parser_error"], [r.reason for r in reading.refusals]


@pytest.mark.parametrize("text", [" ", "\n\n", "<!-- nothing -->", "<?xml version='1.0'?>", "\x0c"])
def test_a_page_with_no_element_is_an_empty_page(text):
    """lxml raises "Document is empty" for text with no element in it; the cards reader's
    page parser gives an empty page instead, so a reader sees no items, not an error."""
    from scrapers.pages.digests.cards import parse_html

    assert parse_html(text).tag == "html" and not parse_html(text).xpath("//a")
