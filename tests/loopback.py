"""A tiny HTTP server on 127.0.0.1 for crawl tests: canned bodies per path and query.

Tests write the bodies themselves (:func:`daily_papers_body` builds short JSON in the shape
of Hugging Face's ``/api/daily_papers``), register them with :meth:`LoopbackServer.add`,
and count what the crawler asked for with :meth:`LoopbackServer.count`. Anything not
registered gets a 404, ``/robots.txt`` included unless a test registers one.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Canned:
    """One canned response."""

    body: bytes
    status: int = 200
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0  # seconds to wait before answering


class LoopbackServer:
    """A threaded ``http.server`` on an ephemeral port that records every request path."""

    def __init__(self) -> None:
        self.routes: dict[str, Canned] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            """Answers from ``server.routes`` and logs each path."""

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                """Serve the canned response for this path, or a 404."""
                with server._lock:
                    server.requests.append(self.path)
                canned = server.routes.get(self.path) or Canned(b"not found", 404, "text/plain")
                if canned.delay:
                    time.sleep(canned.delay)
                self.send_response(canned.status)
                self.send_header("Content-Type", canned.content_type)
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

    def add(self, path: str, body: bytes | str | list | dict, status: int = 200,
            content_type: str = "application/json; charset=utf-8", delay: float = 0.0) -> None:
        """Serve ``body`` at ``path`` (path plus query, exactly as requested), after
        ``delay`` seconds."""
        if isinstance(body, (list, dict)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Canned(body, status, content_type, delay)

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
