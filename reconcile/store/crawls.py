"""Crawls and rejects: a crawl's row from its start to its end (and the rows of crawls whose
process died), and the input that could not be read, with the reason."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reconcile.models import Crawl, Reject, iso

from .rows import BATCH_SIZE, from_row, to_row


def crawl_process_stats() -> dict[str, Any]:
    """What a crawl's row says of its process while it runs: pid, host and, where Linux
    says it, when the process started (:func:`process_start`), so that a row left
    ``running`` by a killed process can be told from a crawl still at work."""
    stats: dict[str, Any] = {"reconcile/pid": os.getpid(), "reconcile/host": socket.gethostname()}
    started = process_start(os.getpid())
    if started is not None:
        stats["reconcile/started"] = started
    return stats


def process_start(pid: int) -> str | None:
    """When process ``pid`` started, as this boot's id and the clock ticks since boot
    (``/proc/<pid>/stat``'s 22nd field), or None where /proc does not say.

    Why: a pid names a process only while it lives; in a container every run is pid 1 (or
    the same few), and after a reboot pids start over, so a dead crawl's pid was alive
    again (the next crawl's own) and its row stayed ``running`` for good (probe27)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()  # after "pid (comm) ": field 3 is fields[0]
    return f"{boot}:{fields[19]}" if len(fields) > 19 else None


def crawl_process_gone(stats: dict[str, Any]) -> bool:
    """Whether the process a ``running`` crawl's row names (:func:`crawl_process_stats`)
    is gone: on this host, with no such pid, or with that pid but another process (one
    that started at another time than the row says, :func:`process_start`; or this very
    process, for a row that does not say when its process started, since this process's
    own rows say it). A row from another host, or from a version that did not record its
    process, is not judged (False)."""
    pid = stats.get("reconcile/pid")
    if stats.get("reconcile/host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        pass
    started = stats.get("reconcile/started")
    if isinstance(started, str):
        live = process_start(pid)
        return live is not None and live != started
    return pid == os.getpid() and process_start(pid) is not None


class CrawlsMixin:
    """The ``crawls`` and ``rejects`` tables of a :class:`~reconcile.store.Store`."""

    def start_crawl(self, crawl: Crawl) -> int:
        """Insert a crawl row and return its id."""
        with self._write():
            return self.db["crawls"].insert(to_row(crawl, "crawls")).last_pk

    def close_dead_crawls(self, now: dt.datetime) -> int:
        """Mark ``interrupted`` the crawls still ``running`` whose process is gone
        (:func:`crawl_process_gone`): killed before it could close its row. Returns how many."""
        dead = [c for c in self.crawls() if c.status == "running" and crawl_process_gone(c.stats)]
        for crawl in dead:
            self.finish_crawl(crawl.id, "interrupted", crawl.stats, now)
        return len(dead)

    def finish_crawl(self, crawl_id: int, status: str, stats: dict[str, Any],
                     finished_at: dt.datetime) -> None:
        """Record how a crawl ended, with its stats."""
        with self._write():
            self.db["crawls"].update(crawl_id, {
                "status": status, "finished_at": iso(finished_at),
                "stats": json.dumps(stats, default=str, sort_keys=True),
            })

    def add_rejects(self, rejects: Sequence[Reject]) -> None:
        """Store rejected input with its reason."""
        if not rejects:
            return
        rows = [to_row(r, "rejects") for r in rejects]
        for row in rows:
            row.pop("id", None)
        with self._write():
            # Outside a crawl (``reconcile ingest``), an input already rejected for the same
            # reason is not stored again: ingesting the same files again adds nothing. A
            # crawl keeps its own rows, its history of what each run could not read.
            known = {(r["url"], r["source"], r["reason"]) for r in self.db.execute_returning_dicts(
                "select url, source, reason from rejects where crawl_id is null")} if any(
                row.get("crawl_id") is None for row in rows) else set()
            fresh = [row for row in rows if row.get("crawl_id") is not None
                     or (row.get("url"), row.get("source"), row.get("reason")) not in known]
            self.db["rejects"].insert_all(fresh, batch_size=BATCH_SIZE)

    def rejects(self) -> list[Reject]:
        """Every reject, oldest first."""
        return [Reject.model_validate(self._known(r, "rejects"))
                for r in self.db.execute_returning_dicts("select * from rejects order by id")]

    def crawls(self) -> list[Crawl]:
        """Every crawl, oldest first."""
        return [Crawl.model_validate(from_row(self._known(r, "crawls"), "crawls"))
                for r in self.db.execute_returning_dicts("select * from crawls order by id")]
