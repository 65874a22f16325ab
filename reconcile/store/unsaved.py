"""What a crawl fetched and the database refused, kept in a file beside the database until
the database takes it.

A crawl keeps a batch the database refuses and writes it with the next one; at its end it
retries with a doubling wait. When the database still refuses (another process holds it past
every retry, a full disk that has since been freed), the pages were already fetched, and
fetching them again is another capture: a day's counts have moved, a post has changed. So
the batch is written to ``<db>.unsaved/crawl-<id>-<time>-<pid>.jsonl`` (one JSON object a
line: the crawl, then each document with its observations, then each reject), and the next
command that writes to that database (``crawl``, ``run``, ``ingest``, ``resolve``) writes it
back before its own work and removes the file.

Writing back is idempotent: a document already stored (same address and content) is not
stored again, and a reject of the file's crawl with the same address, reason and time is
not either, so a command killed between its commit and the file's removal does not double
anything. A line that is no longer valid (a file edited by hand, cut short by a crash of
the disk) is a ``rejects`` row naming the file and the line; the valid lines are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from reconcile.models import Crawl, Document, Observation, Reject, describe_validation_error, iso

log = logging.getLogger(__name__)

SUFFIX = ".unsaved"


def unsaved_folder(db_path: Path) -> Path:
    """The folder beside the database ``db_path`` that holds what crawls could not write."""
    return db_path.with_name(db_path.name + SUFFIX)


@dataclass
class WrittenBack:
    """What :meth:`UnsavedMixin.write_back_unsaved` wrote: documents stored (not stored
    before), rejects, the files written and removed, and the lines refused."""

    documents: int = 0
    rejects: int = 0
    files: list[Path] = field(default_factory=list)
    refused: int = 0


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # no directory handles (Windows): the rename is what there is
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class UnsavedMixin:
    """Keep a refused batch in a file, and write such files back (module docstring)."""

    def keep_unsaved(self, crawl: Crawl, documents: Sequence[tuple[Document, Sequence[Observation]]],
                     rejects: Sequence[Reject]) -> Path:
        """Write ``documents`` and ``rejects`` of ``crawl`` (its row's id and start) to a new
        file of :func:`unsaved_folder`; returns its path. The file appears whole or not at
        all (a temporary name, synced, then renamed). Raises OSError when it cannot be
        written (the disk that refused the database may refuse this file too)."""
        folder = unsaved_folder(self.path)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"crawl-{crawl.id}-{stamp}-{os.getpid()}.jsonl"
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                head = {"id": crawl.id, "spider": crawl.spider, "started_at": iso(crawl.started_at)}
                out.write(json.dumps({"crawl": head}, sort_keys=True) + "\n")
                for document, observations in documents:
                    out.write(json.dumps({"document": document.model_dump(mode="json"),
                                          "observations": [o.model_dump(mode="json") for o in observations]},
                                         sort_keys=True, ensure_ascii=False) + "\n")
                for reject in rejects:
                    out.write(json.dumps({"reject": reject.model_dump(mode="json")}, sort_keys=True,
                                         ensure_ascii=False) + "\n")
                out.flush()
                os.fsync(out.fileno())
            target = folder / name
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_folder(folder)
        return target

    def unsaved_files(self) -> list[Path]:
        """The files of refused batches waiting to be written back, oldest first."""
        folder = unsaved_folder(self.path)
        try:
            return sorted(p for p in folder.glob("crawl-*.jsonl") if p.is_file())
        except OSError:
            return []

    def write_back_unsaved(self) -> WrittenBack:
        """Write every waiting file back into the database, each in one transaction, and
        remove it. A database that refuses raises (sqlite3.OperationalError) and leaves the
        file for the next command; a file that cannot be read is logged and left."""
        done = WrittenBack()
        for path in self.unsaved_files():
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:  # another command wrote it back meanwhile
                continue
            except OSError as exc:
                log.warning("could not read %s (%s): left for the next run", path, exc)
                continue
            crawl_id, pairs, rejects, refused = self._read_unsaved(path, text)
            with self.transaction():
                # Inside the write lock: two commands writing the same file back one after
                # the other see each other's rows.
                known = self._known_rejects(crawl_id)
                rejects = [r for r in rejects if (r.url, r.reason, iso(r.at)) not in known]
                ids = self.add_documents(pairs, crawl_id) if pairs else []
                self.add_rejects(rejects)
            path.unlink(missing_ok=True)
            done.files.append(path)
            done.documents += sum(1 for i in ids if i is not None)
            done.rejects += len(rejects)
            done.refused += refused
        if done.files:
            with contextlib.suppress(OSError):  # not empty (a file of another crawl), gone
                unsaved_folder(self.path).rmdir()
        return done

    def _read_unsaved(self, path: Path, text: str) -> tuple[int | None, list, list[Reject], int]:
        """A waiting file's crawl id (when this database's crawl of that id started when the
        file says), documents and rejects; a line that is not valid is a reject of its own."""
        crawl_id: int | None = None
        pairs: list[tuple[Document, list[Observation]]] = []
        rejects: list[Reject] = []
        bad: list[Reject] = []
        now = dt.datetime.now(dt.timezone.utc)
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if "crawl" in record:
                    head = record["crawl"]
                    row = self.db.execute("select started_at from crawls where id = ?", [head.get("id")]).fetchone()
                    crawl_id = head["id"] if row is not None and row[0] == head.get("started_at") else None
                elif "document" in record:
                    pairs.append((Document.model_validate(record["document"]),
                                  [Observation.model_validate(o) for o in record.get("observations") or []]))
                elif "reject" in record:
                    rejects.append(Reject.model_validate(record["reject"]))
                else:
                    raise ValueError("a line of no known kind")
            except ValidationError as exc:
                bad.append(self._bad_line(path, number, describe_validation_error(exc), now))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                bad.append(self._bad_line(path, number, str(exc) or type(exc).__name__, now))
        for reject in rejects:
            reject.crawl_id = crawl_id
        for document, observations in pairs:
            document.crawl_id = crawl_id
        return crawl_id, pairs, rejects + bad, len(bad)

    @staticmethod
    def _bad_line(path: Path, number: int, why: str, now: dt.datetime) -> Reject:
        log.warning("%s line %d cannot be written back: %s", path, number, why)
        return Reject(url=path.resolve().as_uri(), reason=f"unsaved batch line {number} is not valid: {why}", at=now)

    def _known_rejects(self, crawl_id: int | None) -> set[tuple]:
        if crawl_id is None:
            return set()
        return {(r[0], r[1], r[2]) for r in self.db.execute(
            "select url, reason, at from rejects where crawl_id = ?", [crawl_id]).fetchall()}


def write_back(store) -> WrittenBack | None:
    """:meth:`UnsavedMixin.write_back_unsaved` for a command about to write to ``store``,
    said in a log line; a database that refuses leaves the files for the next command
    (said too) and returns None: the command goes on and meets the refusal itself."""
    if store.read_only or not store.unsaved_files():
        return None
    try:
        done = store.write_back_unsaved()
    except sqlite3.Error as exc:  # locked, full, damaged, or a value it refuses: the file stays
        log.warning("could not write back the batches kept in %s (%s): left for the next run",
                    unsaved_folder(store.path), exc)
        return None
    if done.files:
        log.warning("wrote back %d documents and %d rejects that a crawl could not write to %s (kept in %s)",
                    done.documents, done.rejects, store.path, ", ".join(str(p) for p in done.files))
    return done
