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
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
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

    @classmethod
    def of(cls, body: bytes | str | list | dict, status: int = 200,
           content_type: str = "application/json; charset=utf-8", delay: float = 0.0,
           headers: dict[str, str] | None = None) -> Canned:
        """A canned response from text, bytes, or a JSON-able list or dict."""
        if isinstance(body, (list, dict)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return cls(body, status, content_type, delay, dict(headers or {}))


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
        self.httpd.shutdown()
        self.httpd.server_close()

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
            headers: dict[str, str] | None = None) -> None:
        """Serve ``body`` at ``path`` (path plus query, exactly as requested), after
        ``delay`` seconds, with extra ``headers``."""
        self.routes[path] = Canned.of(body, status, content_type, delay, headers)

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
