"""The fault matrix's catalogue: every way a server answers badly, and what a crawl must make
of it.

A :class:`Fault` says what the server does (``serves``, the words of the README's table),
builds the answers it gives to one slot's path in turn (:attr:`Fault.answers`: the last one
repeats, so ``[429, good]`` is a retry that works and ``[500]`` a server that never
recovers), and says what must come of it: ``kept`` (every paper of the slot stored, after
a retry or as sent), ``reject`` (nothing of the slot stored, one ``rejects`` row whose reason
matches :attr:`Fault.reason`), ``item`` (the first item rejected, the others stored),
``field`` (every item stored, the first without the value the model refused, and one
``rejects`` row naming it) or ``lenient`` (every item stored, the first without the value it
could not read, no reject). Some kinds
end differently on some sources (``outcomes``): arXiv's API is exempt from robots.txt by
policy, for one, and libxml2 refuses a billion laughs outright where feedparser reads the
feed without expanding it.

The entity attacks are served to the JSON sources too, as the nearest equivalent: the
DOCTYPE in front of the JSON, which must be read as "not JSON" and never expanded (two XML
kinds mean nothing there and are left out: ``for_json``). :func:`item_faults` adds each
source's own item faults (``tests.fault_sources``).
"""

from __future__ import annotations

import email.utils
import os
import random
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .fault_sources import Source
from .loopback import Canned

FULL = os.environ.get("PAPER_RECONCILE_FAULTS_FULL") == "1"
MIB = 1024 * 1024
BOMB_SIZE = (10 * 1024 if FULL else 1024) * MIB  # bytes a decompression bomb inflates to
OVERSIZED = (500 if FULL else 64) * MIB  # bytes of the oversized bodies
TIMEOUT = 3  # DOWNLOAD_TIMEOUT of the matrix crawls, seconds (a loaded 2-CPU CI runner still answers in time)
PASSWD = "root:x:0:0"  # what /etc/passwd starts with: must never reach the database

Answers = Callable[[Source, int, Any], list[Canned]]


@dataclass(frozen=True)
class Fault:
    """One kind of bad answer."""

    name: str
    group: str
    serves: str
    answers: Answers
    outcome: str = "reject"  # "kept", "reject", "item", "field" or "lenient"
    reason: str = ""  # a regular expression the reject's reason must contain (re.search)
    only: str = ""  # "xml" or "json": the slots it goes to (digests have both); "" any
    outcomes: dict[str, tuple[str, str]] = field(default_factory=dict)  # spider -> (outcome, reason)
    for_json: bool = True  # an "xml" kind that still means something where JSON is expected

    def expected(self, spider: str) -> tuple[str, str]:
        """What must come of this fault on ``spider``'s crawl: (outcome, reason pattern)."""
        return self.outcomes.get(spider, (self.outcome, self.reason))


def good(source: Source, key: int, encoding: str = "utf-8", **options: Any) -> Canned:
    """Slot ``key``'s good answer."""
    body = source.document(source.papers(key)).encode(encoding)
    return Canned.of(body, content_type=source.type_of(key), **options)


def status(code: int, **headers: str) -> Canned:
    return Canned.of(f"error {code}", code, "text/plain", headers=headers)


def _then_good(*first: Canned) -> Answers:
    return lambda source, key, server: [*first, good(source, key)]


def _always(answer: Canned) -> Answers:
    return lambda source, key, server: [answer]


def _wire(fault: str, then_good: bool = False, **options: Any) -> Answers:
    def answers(source: Source, key: int, server: Any) -> list[Canned]:
        bad = good(source, key, fault=fault, **options)
        return [bad, good(source, key)] if then_good else [bad]
    return answers


def _drip(seconds: float) -> Answers:
    """The good body in 16-byte pieces, ``seconds`` in all."""
    def answers(source: Source, key: int, server: Any) -> list[Canned]:
        size = len(source.document(source.papers(key)).encode())
        return [good(source, key, fault="drip", drip=seconds / max(1, size // 16))]
    return answers


def _redirect(location: Callable[[Source, int, Any], str], code: int = 302) -> Answers:
    def answers(source: Source, key: int, server: Any) -> list[Canned]:
        where = location(source, key, server)
        return [Canned.of("", code, "text/plain", headers={"Location": where} if where else {})]
    return answers


def _loop(source: Source, key: int, server: Any) -> str:
    back = server.base_url + source.path(key)
    server.add(f"/r/{key}/loop", "", 302, "text/plain", headers={"Location": back})
    return f"{server.base_url}/r/{key}/loop"


def _chain(source: Source, key: int, server: Any) -> str:
    def hop(path: str) -> Canned:
        n = int(path.rsplit("/", 1)[1]) + 1
        return Canned.of("", 302, "text/plain", headers={"Location": f"/r/{key}/chain/{n}"})
    server.route(f"/r/{key}/chain/", hop)
    return f"/r/{key}/chain/1"


def _moved(host: str) -> Callable[[Source, int, Any], str]:
    def location(source: Source, key: int, server: Any) -> str:
        server.routes[f"/r/{key}/moved"] = good(source, key)
        return f"http://{host}:{server.port}/r/{key}/moved"
    return location


def _zeros(size: int) -> Iterator[bytes]:
    piece = b"\0" * MIB
    for _ in range(size // MIB):
        yield piece


_BOMBS: dict[str, bytes] = {}


def bomb(encoding: str) -> bytes:
    """:data:`BOMB_SIZE` zero bytes compressed with ``encoding`` (``gzip``, ``deflate``,
    ``br``), made once per process.

    Compressing a gigabyte takes seconds, so the deflate stream is one compressed MiB of
    zeros repeated: each piece ends with a full flush (byte-aligned, no back references
    across pieces), so the pieces concatenate into one valid stream, closed by an empty
    final block; only the checksum walks all the bytes."""
    if encoding in _BOMBS:
        return _BOMBS[encoding]
    if encoding == "br":
        import brotli
        _BOMBS[encoding] = brotli.compress(b"\0" * min(BOMB_SIZE, 256 * MIB), quality=5)
        return _BOMBS[encoding]
    zero = b"\0" * MIB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(zero) + packer.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    pieces = BOMB_SIZE // MIB
    if encoding == "gzip":
        crc = 0
        for _ in range(pieces):
            crc = zlib.crc32(zero, crc)
        data = (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + piece * pieces + end
                + crc.to_bytes(4, "little") + (BOMB_SIZE % 2 ** 32).to_bytes(4, "little"))
    else:
        adler = 1
        for _ in range(pieces):
            adler = zlib.adler32(zero, adler)
        data = b"\x78\xda" + piece * pieces + end + adler.to_bytes(4, "big")
    _BOMBS[encoding] = data
    return data


def _bomb(encoding: str) -> Answers:
    return lambda source, key, server: [Canned.of(bomb(encoding), content_type=source.type_of(key),
                                                  headers={"Content-Encoding": encoding})]


def _oversized(with_length: bool) -> Answers:
    return lambda source, key, server: [Canned.of(b"", content_type=source.type_of(key),
                                                  fault=None if with_length else "no_length",
                                                  stream=(OVERSIZED, lambda: _zeros(OVERSIZED)))]


def _body(text: str | bytes, content_type: str | None = None) -> Answers:
    """A fixed body (a JSON source's version; see :func:`_content` for per-source ones)."""
    data = text.encode() if isinstance(text, str) else text
    return lambda source, key, server: [Canned.of(data, content_type=content_type or source.type_of(key))]


def _content(name: str, default: str) -> Answers:
    """The source's own body for content fault ``name`` (``Source.equivalents``), else ``default``."""
    return lambda source, key, server: [Canned.of(source.equivalents().get(name, default).encode(),
                                                  content_type=source.type_of(key))]


def _encoded(encoding: str, declared: str | None, prefix: bytes = b"", mangle: bool = False) -> Answers:
    def answers(source: Source, key: int, server: Any) -> list[Canned]:
        text = source.document(source.papers(key))
        body = text.encode("utf-8").decode("cp1252", "replace").encode("utf-8") if mangle else text.encode(encoding)
        media = source.type_of(key).split(";")[0]
        return [Canned.of(prefix + body, content_type=f"{media}; charset={declared}" if declared else media)]
    return answers


LAUGHS = '<!ENTITY a "ha">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
QUADRATIC = '<!ENTITY j "' + "x" * 50_000 + '">'
XXE = '<!ENTITY j SYSTEM "file:///etc/passwd">'
EXPANDED = ("hahaha", "xxxxxxxxxx", PASSWD)  # what an expanded entity would leave in a title


def _with_doctype(text: str, doctype: str, reference: str = "", times: int = 1) -> str:
    """``text`` with ``doctype`` after its XML declaration (at the start when it has none)
    and ``reference`` put ``times`` times into its first title (after the first "Slot")."""
    head, sep, rest = text.partition("?>")
    text = head + sep + "\n" + doctype + rest if sep and head.lstrip().startswith("<?xml") else doctype + "\n" + text
    return text.replace("Slot", "Slot " + reference * times, 1) if reference else text


def _entities(declarations: str, times: int = 1) -> Answers:
    """The good answer declaring ``declarations`` (the entity ``j``) in its DOCTYPE and
    using ``&j;`` in its first title ``times`` times."""
    def answers(source: Source, key: int, server: Any) -> list[Canned]:
        text = _with_doctype(source.document(source.papers(key)), f"<!DOCTYPE x [{declarations}]>", "&j;", times)
        return [Canned.of(text, content_type=source.type_of(key))]
    return answers


def _external_dtd(source: Source, key: int, server: Any) -> list[Canned]:
    server.add(f"/r/{key}/evil.dtd", '<!ENTITY j SYSTEM "file:///etc/passwd">', content_type="application/xml-dtd")
    doctype = f'<!DOCTYPE x SYSTEM "{server.base_url}/r/{key}/evil.dtd">'
    return [Canned.of(_with_doctype(source.document(source.papers(key)), doctype), content_type=source.type_of(key))]


def _undefined_entity(source: Source, key: int, server: Any) -> list[Canned]:
    text = source.document(source.papers(key)).replace("Slot", "Slot&nbsp;", 1)
    return [Canned.of(text, content_type=source.type_of(key))]


def _garbage(source: Source, key: int, server: Any) -> list[Canned]:
    return [Canned.of(random.Random(key).randbytes(4096), content_type=source.type_of(key))]


def _robots(source: Source, key: int, server: Any) -> list[Canned]:
    server.disallowed.append(source.path(key))
    return [good(source, key)]


def _retry_at_soon(source: Source, key: int, server: Any) -> list[Canned]:
    """A 429 whose Retry-After is an HTTP date 3 s after the answers are set up (the crawl
    asks a few seconds later, so it waits up to that long), then the data."""
    return [status(429, **{"Retry-After": email.utils.formatdate(time.time() + 3, usegmt=True)}), good(source, key)]


GAVE_UP = r"with Retry-After \d+ s, longer than RETRY_AFTER_MAX"
NOT_READ = (r"not valid JSON|an HTML page|not JSON|not a JSON|no papers|not well-formed|not a known|nested too deeply|expected|"
            r"no '\w+'|not a list|not an RSS or Atom feed")
TIMED_OUT = r"took longer than|timed out|TimeoutError"

FAULTS: list[Fault] = [
    # -- asked to wait, or failed for now -------------------------------------------------------
    Fault("429_retry_after_seconds", "retry", "429 with Retry-After: 1, then the data",
          _then_good(status(429, **{"Retry-After": "1"})), "kept"),
    Fault("429_retry_after_http_date", "retry", "429 with Retry-After as an HTTP date a few seconds ahead, then the data",
          _retry_at_soon, "kept"),
    Fault("429_retry_after_past_date", "retry", "429 with Retry-After a date in the past, then the data",
          _then_good(status(429, **{"Retry-After": "Thu, 01 Jan 2026 00:00:00 GMT"})), "kept"),
    Fault("429_retry_after_huge", "retry", "429 with Retry-After: 86400 (a day)",
          _always(status(429, **{"Retry-After": "86400"})), reason=GAVE_UP),
    Fault("429_retry_after_far_date", "retry", "429 with Retry-After: Fri, 31 Dec 9999 23:59:59 GMT",
          _always(status(429, **{"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"})), reason=GAVE_UP),
    Fault("429_retry_after_enormous", "retry", "429 with Retry-After: 400 nines (too big for a float)",
          _always(status(429, **{"Retry-After": "9" * 400})), reason=GAVE_UP),
    Fault("429_retry_after_negative", "retry", "429 with Retry-After: -5, then the data",
          _then_good(status(429, **{"Retry-After": "-5"})), "kept"),
    Fault("429_retry_after_garbage", "retry", "429 with Retry-After: soon, then the data",
          _then_good(status(429, **{"Retry-After": "soon"})), "kept"),
    Fault("429_retry_after_fraction", "retry", "429 with Retry-After: 0.5, then the data",
          _then_good(status(429, **{"Retry-After": "0.5"})), "kept"),
    Fault("429_always", "retry", "429 without Retry-After, every time", _always(status(429)), reason=r"^HTTP 429 for "),
    Fault("503_retry_after_then_ok", "retry", "503 with Retry-After: 1, then the data",
          _then_good(status(503, **{"Retry-After": "1"})), "kept"),
    Fault("500_then_ok", "retry", "500 once, then the data", _then_good(status(500)), "kept"),
    Fault("502_then_ok", "retry", "502 once, then the data", _then_good(status(502)), "kept"),
    Fault("504_then_ok", "retry", "504 once, then the data", _then_good(status(504)), "kept"),
    Fault("500_always", "http", "500 every time", _always(status(500)), reason=r"^HTTP 500 for "),
    Fault("502_always", "http", "502 every time", _always(status(502)), reason=r"^HTTP 502 for "),
    Fault("503_always", "http", "503 every time", _always(status(503)), reason=r"^HTTP 503 for "),
    Fault("504_always", "http", "504 every time", _always(status(504)), reason=r"^HTTP 504 for "),
    Fault("404", "http", "404 Not Found", _always(status(404)), reason=r"^HTTP 404 for "),
    Fault("403", "http", "403 Forbidden", _always(status(403)), reason=r"^HTTP 403 for "),
    # -- the connection misbehaves ------------------------------------------------------------
    Fault("reset_mid_body", "wire", "half the body, then a TCP reset, every time", _wire("reset"),
          reason=r"connection (was )?(reset|lost)"),
    Fault("reset_once", "wire", "half the body and a TCP reset once, then the data", _wire("reset", True), "kept"),
    Fault("truncated_body", "wire", "Content-Length 1,000 bytes more than the body sent, every time",
          _wire("truncate"), reason=r"shorter than|lost|truncated"),
    Fault("truncated_once", "wire", "a truncated body once, then the data", _wire("truncate", True), "kept"),
    Fault("closed_without_answer", "wire", "the connection closed before any answer", _wire("close"),
          reason=r"closed|lost|reset"),
    Fault("never_answers", "wire", "accepts the connection and never answers", _wire("hang"), reason=TIMED_OUT),
    Fault("headers_then_silence", "wire", "sends the headers, then nothing", _wire("stall"), reason=TIMED_OUT),
    Fault("slow_drip_over_timeout", "wire", f"the body 16 bytes at a time over {3 * TIMEOUT} s (the timeout is {TIMEOUT} s)",
          _drip(3 * TIMEOUT), reason=TIMED_OUT),
    Fault("slow_drip_within_timeout", "wire", "the body 16 bytes at a time over 0.5 s", _drip(0.5), "kept"),
    Fault("content_length_short", "wire", "Content-Length half the body's size",
          _wire("short_length"), reason=NOT_READ),
    Fault("content_length_garbage", "wire", "Content-Length: twelve", _wire("bad_length"),
          reason=r"non-decimal|Content-Length"),
    Fault("no_content_length", "wire", "no Content-Length; the body ends when the connection closes",
          _wire("no_length"), "kept"),
    # -- redirects ------------------------------------------------------------------------------
    Fault("redirect_loop", "redirect", "302 to a second URL, which redirects back", _redirect(_loop),
          reason=r"redirect loop"),
    Fault("redirect_chain_endless", "redirect", "302 to a new URL every time (1, 2, 3, ...)", _redirect(_chain),
          reason=r"redirect"),
    Fault("redirect_to_itself", "redirect", "302 to the URL asked for",
          _redirect(lambda s, k, srv: srv.base_url + s.path(k)), reason=r"redirect to itself"),
    Fault("redirect_to_file", "redirect", "302 to file:///etc/passwd",
          _redirect(lambda s, k, srv: "file:///etc/passwd"), reason=r"redirect to file:///etc/passwd refused"),
    Fault("redirect_to_data_url", "redirect", "302 to a data: URL holding a document",
          _redirect(lambda s, k, srv: "data:application/json,%5B%5D"), reason=r"redirect to data:.* refused"),
    Fault("redirect_to_other_host", "redirect", "302 to the same path on another host name (localhost)",
          _redirect(_moved("localhost")), reason=r"redirect to .*localhost.* refused: another host"),
    Fault("redirect_same_host", "redirect", "301 to another path of the same host, which has the data",
          _redirect(_moved("127.0.0.1"), 301), "kept"),
    Fault("redirect_without_location", "redirect", "302 without a Location", _redirect(lambda s, k, srv: ""),
          reason=r"^HTTP 302 for "),
    # -- size ------------------------------------------------------------------------------------
    Fault("gzip_bomb", "size", "Content-Encoding: gzip, 1 MB that inflates to 1 GiB of zeros (10 GiB in the full run)",
          _bomb("gzip"), reason=r"DOWNLOAD_MAXSIZE"),
    Fault("deflate_bomb", "size", "Content-Encoding: deflate, the same bomb", _bomb("deflate"), reason=r"DOWNLOAD_MAXSIZE"),
    Fault("brotli_bomb", "size", "Content-Encoding: br, 256 MiB of zeros", _bomb("br"), reason=r"DOWNLOAD_MAXSIZE"),
    Fault("oversized_with_length", "size", "a 64 MiB body (500 MB in the full run) with its Content-Length",
          _oversized(True), reason=r"DOWNLOAD_MAXSIZE|max size|larger than"),
    Fault("oversized_streamed", "size", "the same body without Content-Length", _oversized(False),
          reason=r"DOWNLOAD_MAXSIZE|max size|larger than"),
    # -- the body is not what was asked for -------------------------------------------------------
    Fault("invalid_json", "content", "JSON cut in the middle (XML: not well-formed)",
          _content("invalid_json", '[{"paper": {"id": "2602.39999", "title": "Cut'), only="json", reason=NOT_READ),
    Fault("wrong_shape", "content", "JSON of the wrong shape (an object where a list belongs, or the reverse)",
          _content("wrong_shape", '{"unexpected": true}'), only="json", reason=NOT_READ),
    Fault("wrong_shape_scalar", "content", "a bare number, 42", _content("wrong_shape_scalar", "42"),
          only="json", reason=NOT_READ),
    Fault("json_null", "content", "null", _content("json_null", "null"), only="json", reason=NOT_READ),
    Fault("deeply_nested", "content", "100,000 nested arrays (XML: elements)",
          _content("deeply_nested", "[" * 100_000 + "]" * 100_000), only="json", reason=NOT_READ),
    Fault("deeply_nested_object", "content", "100,000 nested objects, never closed (XML: elements)",
          _content("deeply_nested_object", '{"a":' * 100_000), only="json", reason=NOT_READ),
    Fault("empty_body", "content", "200 with an empty body", _body(""), reason=r"empty|no papers|not|expected"),
    Fault("whitespace_body", "content", "200 with only whitespace", _body(" \r\n\t " * 10),
          reason=r"empty|no papers|not|expected"),
    Fault("html_error_page", "content", "200 with an HTML error page where data was expected",
          _body("<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"
                "<hr><center>nginx</center></body></html>", "text/html; charset=utf-8"), reason=NOT_READ),
    Fault("html_without_data", "content", "the site's page layout without its data",
          _content("html_without_data", "<html><body>nothing here</body></html>"), only="json", reason=NOT_READ),
    Fault("binary_garbage", "content", "4 KiB of random bytes", _garbage, reason=NOT_READ),
    # -- XML attacks (served to JSON sources too, where they must read as not JSON) ----------------
    Fault("xml_billion_laughs", "xml", "billion laughs: ten levels of entities (10^9 'ha') used in a title",
          _entities(LAUGHS), "kept", only="xml",
          outcomes={"arxiv": ("reject", r"^not well-formed XML \(Maximum entity amplification")}),
    Fault("xml_quadratic_blowup", "xml", "one 50 kB entity used 20,000 times in a title (1 GB expanded)",
          _entities(QUADRATIC, 20_000), "kept", only="xml",
          outcomes={"arxiv": ("reject", r"^not a known arxiv format"),  # the DOCTYPE hides the feed from the sniffer
                    "digests": ("field", r"title: String should have at most 2000")}),  # "&j;" kept as text
    Fault("xml_external_entity", "xml", "an external entity SYSTEM file:///etc/passwd used in a title",
          _entities(XXE), "kept", only="xml", reason="not expanded"),
    Fault("xml_external_dtd", "xml", "the good answer with a DOCTYPE naming a DTD on the server",
          _external_dtd, "kept", only="xml", for_json=False),
    Fault("xml_undefined_entity", "xml", "the good answer with an HTML entity (&nbsp;) XML does not define",
          _undefined_entity, only="xml", reason=NOT_READ, for_json=False,
          outcomes={"digests": ("kept", "")}),  # feedparser reads it as HTML's no-break space
    # -- charsets ----------------------------------------------------------------------------------
    Fault("utf8_declared_latin1", "charset", "UTF-8 body, header says charset=iso-8859-1",
          _encoded("utf-8", "iso-8859-1"), "kept"),
    Fault("latin1_declared_utf8", "charset", "Latin-1 body, header says charset=utf-8",
          _encoded("latin-1", "utf-8"), "kept"),
    Fault("latin1_undeclared", "charset", "Latin-1 body, no charset", _encoded("latin-1", None), "kept"),
    Fault("utf16le_bom", "charset", "UTF-16 LE with a BOM, header says charset=utf-8",
          _encoded("utf-16-le", "utf-8", b"\xff\xfe"), "kept"),
    Fault("utf16be_bom", "charset", "UTF-16 BE with a BOM, no charset", _encoded("utf-16-be", None, b"\xfe\xff"), "kept"),
    Fault("utf16_no_bom_declared", "charset", "UTF-16 LE without a BOM, header says charset=utf-16le",
          _encoded("utf-16-le", "utf-16le"), "kept"),
    Fault("utf16_no_bom_undeclared", "charset", "UTF-16 LE without a BOM, no charset",
          _encoded("utf-16-le", None), reason=r"UTF-16|NUL|not|no papers"),
    Fault("utf8_bom", "charset", "UTF-8 with a BOM", _encoded("utf-8", "utf-8", b"\xef\xbb\xbf"), "kept"),
    Fault("unknown_charset", "charset", "header says charset=x-made-up", _encoded("utf-8", "x-made-up"), "kept"),
    Fault("double_encoded_utf8", "charset", "UTF-8 read as cp1252 and encoded again (CafÃ©)",
          _encoded("utf-8", "utf-8", mangle=True), "kept"),
    # -- politeness -----------------------------------------------------------------------------------
    Fault("robots_disallowed", "robots", "robots.txt disallows the path", _robots,
          reason=r"^Forbidden by robots.txt",
          outcomes={"arxiv": ("kept", "")}),  # arXiv's API is exempt by policy (README)
]


def item_faults(source: Source) -> list[Fault]:
    """The source's item faults as :class:`Fault` kinds: the first item spoiled, the rest whole."""
    found = []
    for name, (serves, change) in source.items().items():
        def answers(src: Source, key: int, server: Any, change=change) -> list[Canned]:
            text = src.spoil(src.papers(key), change)
            return [Canned.of(text.encode(), content_type=src.type_of(key))]
        outcome = "lenient" if name in source.lenient else "field" if name in source.kept_without else "item"
        found.append(Fault(f"item_{name}", "item", f"one item with {serves}", answers, outcome, only="json"))
    return found
