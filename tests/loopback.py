"""A tiny HTTP server on 127.0.0.1 for crawl tests: canned bodies per path and query.

Tests write the bodies themselves (:func:`daily_papers_body` builds short JSON in the shape
of Hugging Face's ``/api/daily_papers``), register them with :meth:`LoopbackServer.add`,
and count what the crawler asked for with :meth:`LoopbackServer.count`. Anything not
registered gets a 404, ``/robots.txt`` included unless a test registers one.

For politeness tests, :attr:`LoopbackServer.arrivals` keeps when each request arrived
(``time.monotonic()``), :meth:`LoopbackServer.add_sequence` answers one path differently on
successive requests (a 503 with ``Retry-After``, then the data), and
:meth:`LoopbackServer.route` answers every path under a prefix with a function of the
request (for APIs whose answer depends on the query).

For fault tests, a :class:`Canned` can misbehave on the wire (``fault``): reset the
connection halfway through the body, promise more bytes than it sends, close without an
answer, never answer, drip the body slowly, or stream a body generated piece by piece
(``stream``: gigabytes are never held in memory), with or without ``Content-Length``.
"""

from __future__ import annotations

import io
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Canned:
    """One canned response."""

    body: bytes
    status: int = 200
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0  # seconds to wait before answering
    headers: dict[str, str] = field(default_factory=dict)  # extra response headers
    # How the answer misbehaves on the wire (None: it does not), see FAULTS.
    fault: str | None = None
    drip: float = 0.0  # for fault "drip": seconds between two pieces of the body
    # A body made piece by piece (size in bytes, a function giving the pieces), sent instead
    # of ``body``, so a test can serve gigabytes without holding them.
    stream: tuple[int, Callable[[], Iterable[bytes]]] | None = None

    @classmethod
    def of(cls, body: bytes | str | list | dict, status: int = 200,
           content_type: str = "application/json; charset=utf-8", delay: float = 0.0,
           headers: dict[str, str] | None = None, **options: Any) -> Canned:
        """A canned response from text, bytes, or a JSON-able list or dict; ``options``
        are the wire faults (``fault``, ``drip``, ``stream``)."""
        if isinstance(body, (list, dict)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return cls(body, status, content_type, delay, dict(headers or {}), **options)


# What ``Canned.fault`` can ask for:
FAULTS = {
    "reset": "headers and half the body, then a TCP reset (RST)",
    "truncate": "a Content-Length 1,000 bytes larger than the body sent, then a close",
    "close": "the connection closed before any byte of an answer",
    "hang": "nothing at all, until the server stops",
    "stall": "the headers, then nothing, until the server stops",
    "drip": "the body a few bytes at a time, ``drip`` seconds apart",
    "no_length": "no Content-Length: the body ends when the connection closes",
    "short_length": "a Content-Length half the size of the body sent",
    "bad_length": "a Content-Length that is not a number",
}


class LoopbackServer:
    """A threaded ``http.server`` on an ephemeral port that records every request path."""

    def __init__(self) -> None:
        self.routes: dict[str, Canned] = {}
        self.sequences: dict[str, list[Canned]] = {}
        self.handlers: dict[str, Callable[[str], Canned]] = {}
        self.requests: list[str] = []
        self.arrivals: list[tuple[float, str]] = []  # (time.monotonic(), path) per request
        self.request_headers: list[tuple[str, dict[str, str]]] = []  # (path, headers) per request
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # ends the waits of "hang" and "stall"
        server = self

        class Handler(BaseHTTPRequestHandler):
            """Answers from ``server.routes`` and logs each path."""

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                """Serve the canned response for this path, or a 404."""
                with server._lock:
                    server.requests.append(self.path)
                    server.arrivals.append((time.monotonic(), self.path))
                    canned = server._answer(self.path)
                    server.request_headers.append((self.path, dict(self.headers.items())))
                if canned.delay:
                    time.sleep(canned.delay)
                etag = canned.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)  # a conditional request for an unchanged answer
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                if canned.fault or canned.stream:
                    server._misbehave(self, canned)
                    return
                self.send_response(canned.status)
                self.send_header("Content-Type", canned.content_type)
                for name, value in canned.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(canned.body)))
                self.end_headers()
                self.wfile.write(canned.body)

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False  # stop() does not wait for a delayed answer
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> LoopbackServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket (later connections are refused)."""
        self._stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _misbehave(self, handler: BaseHTTPRequestHandler, canned: Canned) -> None:
        """Send ``canned`` with its wire fault (see :data:`FAULTS`), or stream its body. A
        client that hangs up mid-way is what some faults are for: that is not an error."""
        fault, body = canned.fault, canned.body
        handler.close_connection = True
        if fault == "close":
            return
        if fault == "hang":
            self._stopping.wait()
            return
        size = canned.stream[0] if canned.stream else len(body)
        length = {"truncate": str(size + 1000), "short_length": str(max(1, size // 2)),
                  "bad_length": "twelve", "no_length": None}.get(fault or "", str(size))
        try:
            handler.send_response(canned.status)
            handler.send_header("Content-Type", canned.content_type)
            for name, value in canned.headers.items():
                if name != "Content-Length":
                    handler.send_header(name, value)
            if length is not None:
                handler.send_header("Content-Length", length)
            handler.end_headers()
            handler.wfile.flush()
            if fault == "stall":
                self._stopping.wait()
            elif fault == "reset":
                handler.wfile.write(body[:len(body) // 2])
                handler.wfile.flush()
                # SO_LINGER 0: close() sends a reset instead of the orderly FIN.
                handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                handler.rfile.close()
                handler.wfile.close()
                handler.connection.close()
                handler.rfile, handler.wfile = io.BytesIO(), io.BytesIO()  # for http.server's own flush
            elif fault == "drip":
                for start in range(0, len(body), 16):
                    if self._stopping.wait(canned.drip):
                        return
                    handler.wfile.write(body[start:start + 16])
                    handler.wfile.flush()
            elif canned.stream:
                for piece in canned.stream[1]():
                    handler.wfile.write(piece)
            else:
                handler.wfile.write(body)
        except OSError:  # the client gave up (a size limit, a timeout): as intended
            pass

    def _answer(self, path: str) -> Canned:
        """What to send for ``path``: a sequence's next answer, a canned route, a prefix
        handler (longest prefix first), else a 404. Called with the lock held."""
        sequence = self.sequences.get(path)
        if sequence:
            return sequence.pop(0) if len(sequence) > 1 else sequence[0]
        if path in self.routes:
            return self.routes[path]
        for prefix in sorted(self.handlers, key=len, reverse=True):
            if path.startswith(prefix):
                return self.handlers[prefix](path)
        return Canned(b"not found", 404, "text/plain")

    def add(self, path: str, body: bytes | str | list | dict, status: int = 200,
            content_type: str = "application/json; charset=utf-8", delay: float = 0.0,
            headers: dict[str, str] | None = None, **options: Any) -> None:
        """Serve ``body`` at ``path`` (path plus query, exactly as requested), after
        ``delay`` seconds, with extra ``headers`` and wire faults (``options``, see
        :meth:`Canned.of`)."""
        self.routes[path] = Canned.of(body, status, content_type, delay, headers, **options)

    def add_sequence(self, path: str, *answers: Canned) -> None:
        """Answer ``path`` with ``answers`` in turn; the last one repeats."""
        with self._lock:
            self.sequences[path] = list(answers)

    def route(self, prefix: str, handler: Callable[[str], Canned]) -> None:
        """Answer every path starting with ``prefix`` with ``handler(path)`` (path plus
        query), unless an exact route or a sequence is registered for that path."""
        self.handlers[prefix] = handler

    def arrival_times(self, prefix: str) -> list[float]:
        """When each request whose path starts with ``prefix`` arrived (monotonic seconds)."""
        with self._lock:
            return [t for t, p in self.arrivals if p.startswith(prefix)]

    def count(self, prefix: str) -> int:
        """How many requests had a path starting with ``prefix``."""
        with self._lock:
            return sum(1 for p in self.requests if p.startswith(prefix))


def daily_paper(arxiv_id: str | None, title: str, upvotes: int, listed_on: str,
                comments: int = 0) -> dict[str, Any]:
    """One item of a daily-papers list, in the API's current shape, with made-up text."""
    paper: dict[str, Any] = {
        "title": title,
        "summary": f"We study {title.lower()} on a toy benchmark and report made-up numbers.",
        "authors": [{"_id": "a1", "name": "Ada Example", "hidden": False},
                    {"_id": "a2", "name": "Bo Sample", "hidden": False}],
        "publishedAt": f"{listed_on}T08:00:00.000Z",
        "submittedOnDailyAt": f"{listed_on}T13:30:00.000Z",
        "upvotes": upvotes,
    }
    if arxiv_id is not None:
        paper["id"] = arxiv_id
    return {"paper": paper, "title": title, "numComments": comments,
            "publishedAt": f"{listed_on}T09:30:00.000Z"}


def daily_papers_body(listed_on: str, papers: list[tuple[str | None, str, int]]) -> list[dict]:
    """A daily-papers list: ``(arxiv id or None, title, upvotes)`` per item."""
    return [daily_paper(aid, title, upvotes, listed_on) for aid, title, upvotes in papers]
