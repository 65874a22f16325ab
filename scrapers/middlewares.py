"""Record and replay of responses: a downloader middleware and its manifest.

Recording (setting ``RECORD_DIR``) writes each response body as a plain file with a
readable name (``huggingface.co/api/daily_papers_date=2026-02-05.json``) and lists it in
``manifest.json``::

    {"entries": [{"url": ..., "status": 200, "content_type": "application/json",
                  "file": "huggingface.co/api/daily_papers_date=2026-02-05.json",
                  "fetched_at": "2026-02-05T09:00:00Z"}]}

The manifest is rewritten (atomically) after every response, so a crash loses at most the
response being written. A 3xx hop is listed with ``"file": null`` and a ``"location"``.

Replaying (setting ``REPLAY_DIR``) answers every request from such a directory; URLs are
compared after ``w3lib.url.canonicalize_url``, so query order does not matter. The recorded
``fetched_at`` goes into ``request.meta["fetched_at"]``: a replayed document keeps the time
it was really seen. A URL that is not in the recording raises ``IgnoreRequest`` (the
spider's errback turns it into a ``rejects`` row); it never falls through to the network.

Live responses get ``request.meta["fetched_at"]`` = now (UTC) in ``process_response``, less
the ``Age`` a cache states for its copy (:func:`copy_time`).
A response that cannot be recorded (a full disk, a read-only folder) is logged and counted
(``record/error``, and ``record/error/<why>``); the crawl goes on and ends ``partial``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import struct
import tempfile
import zlib
from gzip import GzipFile
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url

from reconcile.models import iso

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_EXTENSIONS = (("json", ".json"), ("html", ".html"), ("xml", ".xml"), ("atom", ".xml"),
               ("rss", ".xml"), ("markdown", ".md"), ("text/plain", ".txt"))
_UNSAFE = re.compile(r"[^A-Za-z0-9._=,+-]+")
_MAX_SEGMENT = 120


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def canonical(url: str) -> str:
    """The key a URL is recorded and looked up under (sorted query, normalized escapes)."""
    return canonicalize_url(url, keep_fragments=False)


def _segment(text: str) -> str:
    safe = _UNSAFE.sub("_", text).strip("._") or "_"
    if len(safe) > _MAX_SEGMENT:
        safe = f"{safe[:_MAX_SEGMENT - 9]}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"
    return safe


def recording_name(url: str, content_type: str | None) -> str:
    """A readable relative file name for a recorded response.

    ``https://huggingface.co/api/daily_papers?date=2026-02-05`` with a JSON content type
    becomes ``huggingface.co/api/daily_papers_date=2026-02-05.json``: the host is a
    directory, path segments are directories, the query joins the last segment after
    ``_``. Characters outside ``[A-Za-z0-9._=,+-]`` become ``_`` (so ``&`` and ``:`` do),
    which means two URLs can share a name; :class:`Manifest` adds a hash suffix then.
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if not segments or parts.path.endswith("/"):
        segments.append("index")
    last = segments[-1] + (f"_{parts.query}" if parts.query else "")
    names = [_segment(parts.netloc.lower() or "local")] + [_segment(s) for s in segments[:-1]]
    last_name = _segment(last)
    if not PurePosixPath(segments[-1]).suffix or parts.query:
        media = (content_type or "").lower()
        ext = next((e for key, e in _EXTENSIONS if key in media), ".bin" if media else "")
        if not last_name.endswith(ext):
            last_name += ext
    return "/".join([*names, last_name])


class Manifest:
    """The ``manifest.json`` of a recording directory: entries keyed by canonical URL."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.entries: dict[str, dict[str, Any]] = {}

    @classmethod
    def load(cls, root: str | Path, *, required: bool) -> Manifest:
        """Read ``root/manifest.json``; a missing one is an error only when ``required``."""
        manifest = cls(root)
        path = manifest.root / MANIFEST
        if not path.is_file():
            if required:
                raise ValueError(f"no {MANIFEST} in replay directory {manifest.root}")
            return manifest
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["entries"]
            for entry in entries:
                manifest.entries[canonical(entry["url"])] = dict(entry)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"unreadable {path}: {exc}") from None
        return manifest

    def get(self, url: str) -> dict[str, Any] | None:
        """The entry recorded for ``url``, or None."""
        return self.entries.get(canonical(url))

    def body_path(self, entry: dict[str, Any]) -> Path | None:
        """The recorded body file of an entry, refusing names that leave the directory."""
        if not entry.get("file"):
            return None
        path = (self.root / entry["file"]).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise IgnoreRequest(f"replay {self.root}: file {entry['file']!r} is outside it")
        return path

    def inside(self, name: str) -> bool:
        """True when ``name`` stays inside the directory (no ``..``, no absolute path)."""
        return (self.root / name).resolve().is_relative_to(self.root.resolve())

    def _file_for(self, url: str, content_type: str | None) -> str:
        key = canonical(url)
        if key in self.entries and self.entries[key].get("file"):
            if self.inside(self.entries[key]["file"]):
                return self.entries[key]["file"]
            # A manifest found in the folder may name any path; recording never writes
            # outside the folder: the entry gets a name of our own instead.
            log.warning("record %s: manifest names %r for %s, outside the folder; not used",
                        self.root, self.entries[key]["file"], url)
        name = recording_name(url, content_type)
        used = {e.get("file") for k, e in self.entries.items() if k != key}
        if name in used:
            stem, dot, ext = name.rpartition(".")
            suffix = hashlib.sha1(key.encode()).hexdigest()[:8]
            name = f"{stem}-{suffix}.{ext}" if dot and "/" not in ext else f"{name}-{suffix}"
        return name

    def record(self, url: str, status: int, content_type: str | None, body: bytes | None,
               fetched_at: dt.datetime, location: str | None = None) -> dict[str, Any]:
        """Write a body (when given) and its entry, then rewrite the manifest atomically."""
        entry: dict[str, Any] = {"url": url, "status": status, "content_type": content_type,
                                 "file": None, "fetched_at": iso(fetched_at)}
        if location is not None:
            entry["location"] = location
        if body is not None:
            entry["file"] = self._file_for(url, content_type)
            if not self.inside(entry["file"]):  # cannot happen with our own names; refuse anyway
                raise OSError(f"refusing to write {entry['file']!r} outside {self.root}")
            _write_atomic(self.root / entry["file"], body)
        self.entries[canonical(url)] = entry
        manifest = {"entries": list(self.entries.values())}
        _write_atomic(self.root / MANIFEST,
                      json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")
        return entry


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class RecordReplayMiddleware:
    """Downloader middleware: replay from ``REPLAY_DIR``, record into ``RECORD_DIR``, and
    stamp every response with ``request.meta["fetched_at"]``."""

    def __init__(self, crawler: Any, replay_dir: str | None, record_dir: str | None) -> None:
        if replay_dir and record_dir:
            raise ValueError("REPLAY_DIR and RECORD_DIR cannot both be set")
        self.stats = crawler.stats
        self.replay = Manifest.load(replay_dir, required=True) if replay_dir else None
        self.recording = Manifest.load(record_dir, required=False) if record_dir else None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RecordReplayMiddleware:
        """Build from the ``REPLAY_DIR`` and ``RECORD_DIR`` settings."""
        return cls(crawler, crawler.settings.get("REPLAY_DIR") or None,
                   crawler.settings.get("RECORD_DIR") or None)

    def process_request(self, request: Request) -> Response | None:
        """In replay, answer from the recording or raise ``IgnoreRequest``."""
        if self.replay is None:
            return None
        entry = self.replay.get(request.url)
        if entry is None:
            if urlsplit(request.url).path == "/robots.txt":
                # Not recorded: answer "no robots.txt" so nothing is fetched and nothing
                # is forbidden; robots.txt rules read a 404 as "everything allowed".
                self.stats.inc_value("replay/robots_txt_absent")
                return Response(request.url, status=404, body=b"", request=request)
            self.stats.inc_value("replay/miss")
            raise IgnoreRequest(f"not in replay {self.replay.root}: {request.url}")
        path = self.replay.body_path(entry)
        try:
            body = path.read_bytes() if path else b""
        except OSError as exc:
            self.stats.inc_value("replay/file_missing")
            raise IgnoreRequest(f"replay {self.replay.root}: cannot read {entry['file']} "
                                f"for {request.url} ({exc.strerror})") from None
        headers = Headers()
        if entry.get("content_type"):
            headers["Content-Type"] = entry["content_type"]
        if entry.get("location"):
            headers["Location"] = entry["location"]
        fetched_at = entry.get("fetched_at")
        if fetched_at:
            request.meta["fetched_at"] = dt.datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
        request.meta["replayed"] = True
        self.stats.inc_value("replay/hit")
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=int(entry.get("status") or 200), headers=headers,
                   body=body, request=request)

    def process_response(self, request: Request, response: Response) -> Response:
        """Stamp live responses with the current time, and record them when asked."""
        if request.meta.get("replayed"):
            return response
        now = copy_time(_utcnow(), response.headers.get("Age"))
        if response.headers.get("Age") is not None:
            self.stats.inc_value("http/cached_copy")
        # Always overwrite for live responses: a retried or redirected request carries the
        # previous attempt's meta, and the document must get this response's time.
        request.meta["fetched_at"] = now
        if self.recording is not None:
            self._record(request, response, now)
        return response

    def _record(self, request: Request, response: Response, now: dt.datetime) -> None:
        content_type = response.headers.get("Content-Type")
        content_type = content_type.decode("latin-1") if content_type else None
        try:
            self.recording.record(response.url, response.status, content_type, response.body, now)
            hops = request.meta.get("redirect_urls") or []
            reasons = request.meta.get("redirect_reasons") or []
            targets = [*hops[1:], response.url]
            for hop, reason, target in zip(hops, reasons, targets):
                if isinstance(reason, int):  # a 3xx; meta refreshes were recorded as pages
                    self.recording.record(hop, reason, None, None, now, location=target)
        except OSError as exc:
            # Counted, and the crawl goes on (what it fetched is still stored); the count
            # makes the crawl ``partial`` (scrapers.pipelines.crawl_status), so ``crawl
            # --record`` exits 3 instead of 0 with the recording asked for missing.
            self.stats.inc_value("record/error")
            self.stats.inc_value(f"record/error/{record_error_key(exc)}")
            log.error("cannot record %s into %s: %s", response.url, self.recording.root, exc)
            return
        self.stats.inc_value("record/saved")


_MAX_AGE = 10 * 365 * 86400  # seconds; a larger Age is no cache's statement but noise


def copy_time(received: dt.datetime, age: bytes | str | None) -> dt.datetime:
    """When the content of a response received at ``received`` was the origin's answer:
    ``received`` less its ``Age`` header (the seconds a cache says it held the copy).

    Why: a CDN may answer with a copy days old (``Age: 259200``, ``X-Cache: Hit``); timed as
    received, its older counts were a later capture, so counts "fell" (``error`` findings),
    the stale count won the merge, and a copy from mid-day made the day's list complete.
    ``Age`` is counted on the cache's own clock, so it holds whatever ours says. ``Date``
    and ``Last-Modified`` are not used: ``Date`` is the server's clock, not ours (skewed
    servers, a test clock moved forward), and ``Last-Modified`` only says the content
    is no older than it. An ``Age`` that is not a whole number of seconds from 0 to ten
    years is ignored (RFC 9111 §5.1); the time is never later than ``received``.
    When it fails: a cache that sends no ``Age`` is timed as fresh."""
    if isinstance(age, bytes):
        age = age.decode("latin-1")
    text = (age or "").strip()
    if not text.isdigit() or int(text) > _MAX_AGE:
        return received
    return received - dt.timedelta(seconds=int(text))


def record_error_key(exc: OSError) -> str:
    """A stats key for why a response could not be recorded: the system's words for the
    error (``No space left on device`` -> ``no_space_left_on_device``), else the
    exception's name."""
    words = re.findall(r"[a-z0-9]+", (exc.strerror or "").lower())
    return "_".join(words)[:48].strip("_") or type(exc).__name__.lower()


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Settings naming the sources' addresses: a redirect may lead to any of their hosts.
_ADDRESS_SETTINGS = ("HUGGINGFACE_BASE_URL", "ARXIV_API_URL", "ARXIV_RSS_URL", "ARXIV_OAI_URL",
                     "ARXIVLENS_BASE_URL")


class RedirectRefused(IgnoreRequest):
    """A redirect that is not followed; ``stats_key`` names why (crawl stats, reject keys)."""

    def __init__(self, message: str, stats_key: str) -> None:
        super().__init__(message)
        self.stats_key = stats_key


class RedirectGuardMiddleware:
    """A redirect that must not be followed becomes a reject that says why.

    * To the URL asked for, or back to one this chain already passed (a loop): Scrapy would
      follow it, find the request a duplicate and drop it without a word.
    * To anything but http(s) (``file:///etc/passwd``, ``data:``, ``ftp:``): Scrapy does not
      follow those either, but passes the 3xx on, to end as a bare "HTTP 302".
    * To a URL this crawl asked for itself (``date=2026-03-26`` sent to ``date=2026-03-29``,
      which the crawl also asks): Scrapy's duplicate filter dropped the followed request
      without a word, and the URL asked had neither a document nor a reject. A redirect
      that is followed is fetched whatever the filter says (``dont_filter``), so a URL the
      crawl asks for later is not dropped as its duplicate either; the spider judges what
      came back (:mod:`scrapers.spiders.huggingface` refuses another day's list).
    * To another host: a server must not send the crawler where nobody configured it to go
      (a cloud metadata address, an admin page on the local network, a stranger's site).
      Allowed are the host asked (its subdomains and parents, so ``www.`` and
      ``export.arxiv.org`` -> ``arxiv.org`` pass), the hosts of the sources' address settings
      and ``REDIRECT_ALLOWED_HOSTS``, and the hosts the spider names for the request
      (``spider.redirect_hosts(request)``: a digest site's configured hosts).

    Placed after Scrapy's redirect middleware (a higher number), so it sees the 3xx first.
    When it fails: a site that really moved to another domain ends as a reject naming the
    new host, to be added to its configuration.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.hosts = {urlsplit(settings.get(name) or "").hostname for name in _ADDRESS_SETTINGS} - {None}
        self.hosts |= {h.lower() for h in settings.getlist("REDIRECT_ALLOWED_HOSTS")}
        self.asked: set[str] = set()  # canonical URLs the spider asked for (not redirect hops)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectGuardMiddleware:
        """Read the allowed hosts from the settings."""
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        """Remember the URLs the spider asks for, so a redirect to one of them is known."""
        if not request.meta.get("redirect_urls"):
            self.asked.add(canonical(request.url))

    def process_response(self, request: Request, response: Response) -> Response:
        """Raise ``IgnoreRequest`` (a reject) for a redirect that must not be followed."""
        location = response.headers.get("Location")
        if response.status not in _REDIRECTS or not location or request.meta.get("dont_redirect"):
            return response
        status, url = response.status, response.url
        target = urljoin(url, location.decode("latin-1").strip())
        shown = target if len(target) <= 200 else target[:197] + "..."
        if canonical(target) == canonical(url):
            raise RedirectRefused(f"HTTP {status} redirect to itself for {url}", "redirect_to_itself")
        if canonical(target) in {canonical(u) for u in request.meta.get("redirect_urls") or ()}:
            raise RedirectRefused(f"HTTP {status} redirect loop: {url} sends back to {shown}", "redirect_loop")
        parts = urlsplit(target)
        if parts.scheme.lower() not in ("http", "https"):
            raise RedirectRefused(f"HTTP {status} redirect to {shown} refused: only http(s) is followed, for {url}",
                                  "redirect_refused_scheme")
        host = (parts.hostname or "").lower()
        if not self._allowed(host, request):
            raise RedirectRefused(f"HTTP {status} redirect to {shown} refused: another host than "
                                  f"{urlsplit(url).hostname}, for {url}", "redirect_refused_host")
        if canonical(target) in self.asked:
            raise RedirectRefused(f"HTTP {status} redirect to {shown}, a URL this crawl asks for itself: "
                                  f"{url} was not read", "redirect_to_asked")
        request.dont_filter = True  # Scrapy's redirect copies it: the hop is fetched, not dropped
        return response

    def _allowed(self, host: str, request: Request) -> bool:
        spider = self.crawler.spider
        named = spider.redirect_hosts(request) if hasattr(spider, "redirect_hosts") else set()
        own = {urlsplit(u).hostname for u in (request.url, *(request.meta.get("redirect_urls") or ()))}
        for known in (own | self.hosts | set(named)) - {None, ""}:
            if host == known or host.endswith("." + known) or known.endswith("." + host) and "." in host:
                return True
        return False


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression (with its ``DOWNLOAD_MAXSIZE`` limit), letting go of what a
    refused body inflated to at once.

    Scrapy stops a gzip bomb at ``DOWNLOAD_MAXSIZE`` and raises ``IgnoreRequest`` *from* the
    error of its inflating loop, whose frame holds everything inflated so far. That chain
    lives as long as the failure does, and Scrapy goes on downloading while failures wait for
    their errbacks: measured, four bombs in a row held 32 MiB each at once (100 MB of
    interpreter became 240 MB). Raised again here outside the ``except`` (no cause, no
    context), the refusal carries its message and nothing else.
    """

    def process_response(self, request: Request, response: Response) -> Response:  # type: ignore[override]
        """Decompress, or raise a bare ``IgnoreRequest`` for a body over the limit or cut
        short (:class:`BodyIncomplete`)."""
        try:
            return super().process_response(request=request, response=response)
        except IgnoreRequest as exc:
            message = str(exc)
        except _StreamCut as exc:
            raise BodyIncomplete(f"connection lost before the body was complete ({exc}) for {response.url}") from None
        raise IgnoreRequest(message)

    @staticmethod
    def _decode(body: bytes, encoding: bytes, max_size: int) -> bytes:
        """Scrapy's decoders, but ``deflate`` fed in pieces (:func:`inflate_in_pieces`) and
        ``gzip`` refused when cut short (:func:`gunzip_whole`)."""
        if encoding == b"deflate":
            return inflate_in_pieces(body, max_size)
        if encoding in (b"gzip", b"x-gzip"):
            return gunzip_whole(body, max_size)
        if encoding == b"br":
            return unbrotli_whole(body, max_size)
        return HttpCompressionMiddleware._decode(body, encoding, max_size)


class BodyIncomplete(IgnoreRequest):
    """A compressed body that ends before its end-of-stream marker: a download cut short
    whose Content-Length (if any) matched what was sent, so nothing below caught it."""

    stats_key = "body_incomplete"


class _StreamCut(ValueError):
    """Raised by the decoders for a stream cut short; the message says which and how much."""


def gunzip_whole(data: bytes, max_size: int) -> bytes:
    """A ``gzip`` body inflated as Scrapy's ``gunzip`` does (in chunks, stopped past
    ``max_size``, a bad CRC or trailing junk forgiven once something was read), except that a
    stream ending before its end-of-stream marker raises :class:`_StreamCut`.

    Why: Scrapy returns "as much data as possible", so a post cut at half its compressed
    bytes (a proxy that closed early, a Content-Length that matched the cut) was read as the
    whole page: 1 item of 8, the crawl ``finished``, the site's days moved on. ``GzipFile``
    tells a cut stream (``EOFError``) from a damaged one (``OSError``)."""
    from scrapy.utils._compression import _CHUNK_SIZE, _check_max_size

    stream, out, size = GzipFile(fileobj=BytesIO(data)), BytesIO(), 0
    while True:
        try:
            chunk = stream.read1(_CHUNK_SIZE)
        except EOFError:
            raise _StreamCut(f"gzip stream ended before its end-of-stream marker, after {len(data)} "
                             f"compressed bytes") from None
        except (OSError, struct.error):
            if size:
                break
            raise
        if not chunk:
            break
        size += len(chunk)
        _check_max_size(size, max_size)
        out.write(chunk)
    return out.getvalue()


def unbrotli_whole(data: bytes, max_size: int) -> bytes:
    """A ``br`` body inflated in chunks as Scrapy does (stopped past ``max_size``), except
    that a stream the input ends inside raises :class:`_StreamCut`, where Scrapy's returned
    what it had (see :func:`gunzip_whole`)."""
    import brotli
    from scrapy.utils._compression import _CHUNK_SIZE, _check_max_size

    inflater, out = brotli.Decompressor(), BytesIO()
    chunk = inflater.process(data, output_buffer_limit=_CHUNK_SIZE)
    while chunk:
        _check_max_size(out.tell() + len(chunk), max_size)
        out.write(chunk)
        chunk = b"" if inflater.is_finished() else inflater.process(b"", output_buffer_limit=_CHUNK_SIZE)
    if not inflater.is_finished():
        raise _StreamCut(f"brotli stream ended before its end-of-stream marker, after {len(data)} compressed bytes")
    return out.getvalue()


_PIECE = 64 * 1024


def inflate_in_pieces(data: bytes, max_size: int) -> bytes:
    """A ``deflate`` body (zlib-wrapped, or raw as some servers send it) inflated 64 KiB at a
    time, stopped past ``max_size`` with Scrapy's own size error.

    Why not Scrapy's: it hands the whole compressed rest back to zlib for every 64 KiB it
    inflates, a fresh copy each time; a 10 MB bomb cost 10 MB per step (70 MB more than a
    gzip bomb of the same size) and copied gigabytes. Fed a piece of input at a time, no
    copy is larger than a piece. Input that ends before the stream's end (a cut download)
    raises :class:`_StreamCut`, where Scrapy's returned what it had inflated."""
    from scrapy.utils._compression import _DecompressionMaxSizeExceeded  # what Scrapy's caller catches

    view = memoryview(data)
    try:
        inflater = zlib.decompressobj()
        out = [inflater.decompress(view[:_PIECE], _PIECE)]
    except zlib.error:
        inflater = zlib.decompressobj(-15)
        out = [inflater.decompress(view[:_PIECE], _PIECE)]
    size, start = len(out[0]), _PIECE
    while not inflater.eof:
        if inflater.unconsumed_tail:
            piece = inflater.decompress(inflater.unconsumed_tail, _PIECE)
        elif start < len(data):
            piece = inflater.decompress(view[start:start + _PIECE], _PIECE)
            start += _PIECE
        else:  # the input ended before the stream did: a download cut short
            raise _StreamCut(f"deflate stream ended before its end-of-stream marker, after {len(data)} "
                             "compressed bytes")
        size += len(piece)
        if max_size and size > max_size:
            raise _DecompressionMaxSizeExceeded(size, max_size)
        out.append(piece)
    return b"".join(out)


class NotModified(IgnoreRequest):
    """The server answered 304 to a conditional request: the last stored answer stands."""

    stats_key = "not_modified"


class ConditionalRequestMiddleware:
    """Re-fetches ask whether the answer changed (``If-None-Match`` / ``If-Modified-Since``
    from the ``etag`` and ``last_modified`` of the latest stored document of that URL); a
    304 ends the request as :class:`NotModified`, which adds nothing (no document, no
    reject) and counts as a page read. Why: ``run`` asks Hugging Face again for a week of
    lists every day, and most of them have not changed. A server that ignores the headers
    answers in full, and an unchanged body is still stored once (by its content hash).
    ``CONDITIONAL_REQUESTS = False`` turns it off."""

    def __init__(self, db_path: Path | None, enabled: bool, stats: Any) -> None:
        self.db_path, self.enabled, self.stats = db_path, enabled, stats
        self._conn = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRequestMiddleware:
        """Read the database path and the switch from the settings."""
        from reconcile.store import default_db_path

        path = crawler.settings.get("RECONCILE_DB") or default_db_path()
        return cls(Path(path), crawler.settings.getbool("CONDITIONAL_REQUESTS", True), crawler.stats)

    def _validators(self, url: str) -> tuple[str | None, str | None]:
        import sqlite3

        if self._conn is None:
            if self.db_path is None or not self.db_path.is_file():
                return None, None
            try:
                self._conn = sqlite3.connect(f"{self.db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5,
                                             check_same_thread=False)
            except sqlite3.Error:
                self.db_path = None
                return None, None
        try:
            row = self._conn.execute("select etag, last_modified from documents where url = ? "
                                     "order by id desc limit 1", [url]).fetchone()
        except sqlite3.Error:  # an older database without the columns, or locked: ask in full
            return None, None
        return (row[0], row[1]) if row else (None, None)

    def process_request(self, request: Request) -> None:
        """Add the validators of the last stored answer of this URL, if any."""
        if not self.enabled or request.method != "GET" or request.meta.get("dont_conditional"):
            return None
        etag, modified = self._validators(request.url)
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if modified:
            request.headers.setdefault("If-Modified-Since", modified)
        if etag or modified:
            self.stats.inc_value("conditional/asked")
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        """A 304 ends the request: nothing new to read."""
        if response.status == 304 and (request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since")):
            self.stats.inc_value("conditional/not_modified")
            raise NotModified(f"not modified since the last fetch: {request.url}")
        return response
