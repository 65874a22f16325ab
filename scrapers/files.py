"""Saved files as input: the fetching side of ``reconcile ingest``.

A path may be a file, a directory (walked recursively, links to folders followed, each
folder once; hidden entries skipped) or a ``file://`` URL. A saved file's document URL is
its absolute ``file://`` URL, and its modification time is the last resort for when its
data was seen. A file that states no site is named after where it lies and its name
without dates (:func:`site_of_path`).
"""

from __future__ import annotations

import datetime as dt
import configparser
import fnmatch
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reconcile.models import Source

from .pages import PageError, PageResult, read_page
from .sites import Site, site_for_file

# A saved document may be as large as a crawled one (DOWNLOAD_MAXSIZE in settings).
MAX_FILE_BYTES = 32 * 1024 * 1024
# Files that are never documents: recordings' manifests and editor/OS droppings.
SKIP_NAMES = {"manifest.json", ".DS_Store", "Thumbs.db"}


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def address_refusal(arg: str) -> str | None:
    """Why the command-line PATH argument ``arg`` is an address ``ingest`` cannot read, or
    None when it is a path or a ``file://`` URL of one.

    Why: read as a path, ``http://example.com/x.json`` is ``http:/example.com/x.json``, and
    was refused as a missing file, which says nothing of what went wrong; and in
    ``file://inbox/a.json`` the first name is a host, so it read ``/a.json``."""
    scheme = _SCHEME.match(arg)
    if scheme is None:
        return None
    if scheme[1].lower() != "file":
        return (f"ingest reads saved files, folders and file:// URLs, not {scheme[1].lower()}:// addresses: "
                "crawl the source with `reconcile crawl`, or save the page and ingest the file")
    host = urlsplit(arg).netloc
    if host not in ("", "localhost"):
        return (f"a file:// URL names its path after the third slash (file:///home/me/a.json); "
                f"this one names the host {host!r}")
    return None


def path_of(arg: str) -> Path:
    """A command-line PATH argument as a filesystem path (``file://`` URLs included)."""
    if arg.startswith("file://"):
        parts = urlsplit(arg)
        return Path(unquote(parts.path))
    return Path(arg)


def excluded(path: Path, top: Path, patterns: Sequence[str]) -> bool:
    """Whether ``path`` (found under the directory ``top``) matches one of the ``--exclude``
    glob patterns: by its name (``*.truth.json``), or by its path below ``top``
    (``drafts/*``, ``*/snapshots/*``)."""
    if not patterns:
        return False
    try:
        below = path.relative_to(top).as_posix()
    except ValueError:
        below = path.name
    return any(fnmatch.fnmatchcase(path.name, g) or fnmatch.fnmatchcase(below, g) for g in patterns)


def iter_input_files(args: Iterable[str], exclude: Sequence[str] = ()) -> Iterator[Path]:
    """Every file named by the arguments, directories walked in sorted order, leaving out
    hidden files and folders and what ``exclude`` matches (:func:`excluded`; a file named
    on its own is never excluded: it was asked for). Links to folders are followed
    (:func:`_walk`): each real folder is read once, and a loop of links ends.

    A path that does not exist is yielded as is, so the caller reports it like any other
    unreadable input instead of it vanishing.
    """
    for arg in args:
        path = path_of(arg)
        if path.is_dir():
            yield from _walk(path, exclude)
        else:
            yield path


def _folder_key(path: str) -> tuple[int, int] | None:
    """The identity of the folder ``path`` names (device and inode, links followed), or None
    when it cannot be read."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _walk(top: Path, exclude: Sequence[str]) -> Iterator[Path]:
    """The files below the folder ``top``, depth first, names in sorted order, following
    links to folders.

    Why: a link to a folder is how a folder kept elsewhere is put in an inbox; ``os.walk``
    alone skips it without a word while it reads a linked file. A link is read as the folder
    it names, under the link's name (so the hidden and ``exclude`` rules see the path below
    ``top``), with two guards: a link to a folder inside ``top`` is not followed, since that
    folder is read (or left out) under its own name; and every folder is read once, by its
    identity (device and inode), so a link to an ancestor, two folders linking to each other
    or two links to one folder end after the first visit. Which of two links to one outside
    folder reads it is the first in walking order, which is sorted, so the same tree gives
    the same files in the same order every time. A folder that cannot be listed (no
    permission) is yielded itself, so that the caller refuses it with the reason in
    ``rejects`` (:func:`read_file`) instead of it vanishing, as ``os.walk`` alone leaves it.
    """
    inside = os.path.realpath(top)
    visited = {_folder_key(str(top))}
    unlisted: list[OSError] = []
    for root, dirs, files in os.walk(top, followlinks=True, onerror=unlisted.append):
        while unlisted:
            failed = unlisted.pop(0)
            if failed.filename:
                yield Path(failed.filename)
        keep = []
        for name in sorted(dirs):
            folder = os.path.join(root, name)
            if name.startswith(".") or excluded(Path(folder), top, exclude):
                continue
            if os.path.islink(folder):
                target = os.path.realpath(folder)
                if target == inside or target.startswith(inside.rstrip(os.sep) + os.sep):
                    continue  # read under its own name, or left out there
            key = _folder_key(folder)
            if key is None or key in visited:
                continue
            visited.add(key)
            keep.append(name)
        dirs[:] = keep
        for name in sorted(files):
            if (not name.startswith(".") and name not in SKIP_NAMES
                    and not excluded(Path(root) / name, top, exclude)):
                yield Path(root) / name
    for failed in unlisted:  # the last folders walked could not be listed
        if failed.filename:
            yield Path(failed.filename)


# Folder names that say what kind of file lies there, not whose it is.
_GENERIC_FOLDERS = {"posts", "_posts", "data", "docs", "doc", "archive", "archives", "daily", "weekly",
                    "papers", "json", "md", "html", "output", "out", "content", "site", "public", "dist",
                    "build", "reports", "report", "digests", "feeds", "files", "tmp", "downloads", "_data",
                    # folders that hold captures of the same lists over time (issue 11)
                    "snapshots", "snapshot", "history", "captures", "capture", "versions", "cache",
                    "raw", "backup", "backups"}
_DATED_FOLDER = re.compile(r"^(?=[^\n]*\d\d)[\d_.-]+$")  # digits and separators, two digits in a row
_REMOTE = re.compile(r"[:/]([^/:]+)/([^/]+?)(?:\.git)?/?$")


# What a snapshot's file name adds to the list's name: dates, time stamps, commit hashes,
# Unix times, versions.
_SNAPSHOT_PARTS = re.compile(
    r"(?<!\d)\d{9,10}(?!\d)"  # a Unix time
    r"|(?<!\d)\d{4}-?\d{2}-?\d{2}(?:T\d{2}:?\d{2}(?::?\d{2})?Z?)?(?!\d)"  # a date, with its time
    r"|(?<!\d)(?:19|20)\d{2}(?:[-_]{1,2}\d{2})?(?!\d)"  # a year, a year and month
    r"|(?<![0-9A-Za-z])(?=[0-9a-f]{0,40}\d)(?=[0-9a-f]{0,40}[a-f])[0-9a-f]{7,40}(?![0-9A-Za-z])"  # a hash
    r"|\bv\d{1,3}\b|\b(?:first|second|final|latest)[-_ ]version\b")


def list_name(filename: str) -> str:
    """A file's name without what changes from one snapshot of a list to the next:
    ``daily-2025-12-18.20251218T031433Z.json`` and ``daily-2025-12-18.json`` are both
    ``daily``; ``000_3d879ec46469ad72.txt`` is ``000``."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    stem = _SNAPSHOT_PARTS.sub(" ", stem)
    return re.sub(r"[\s._-]{2,}", "-", stem).strip(" ._-")


def site_of_path(path: Path) -> str | None:
    """The site a saved file belongs to, from where it lies and what its name says once
    dates, time stamps and hashes are taken out.

    The place is, inside a git working tree, the ``owner/name`` of its ``origin`` remote
    (else the tree's folder name); elsewhere the nearest folder whose name is neither a
    date (``2026-02-25``, ``04``) nor a kind of content (``data``, ``posts``). Why: snapshots
    of one list saved over time (``daily-2025-12-18.json``, ``daily-2025-12-18.2025121
    8T031433Z.json``) must be one site's history, while different lists saved side by side
    in one folder must not be one site. Fails for two sites whose files share a folder and
    a name pattern, which need ``--site``. A name's bytes that are not UTF-8 are written
    ``\\xe9``.
    """
    folder = path.resolve().parent
    place = None
    for candidate in (folder, *folder.parents):
        git = candidate / ".git"
        if git.is_dir():
            config = configparser.ConfigParser(strict=False, interpolation=None)
            try:
                config.read(git / "config", encoding="utf-8")
            except (configparser.Error, OSError, UnicodeDecodeError):
                pass
            m = _REMOTE.search(config.get('remote "origin"', "url", fallback=""))
            place = f"{m[1]}/{m[2]}" if m else candidate.name
            break
    if place is None:
        place = next((c.name for c in (folder, *folder.parents) if c.name and not _DATED_FOLDER.match(c.name)
                      and c.name.lower() not in _GENERIC_FOLDERS), None)
    name = list_name(path.name)
    site = "/".join(part for part in (place, name) if part) or None
    # A name that is not UTF-8 (a Latin-1 folder, "caf\xe9") comes with surrogate escapes,
    # which no database text may hold: its bytes are written as "\xe9".
    return site.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") if site else None


# The first line of a CSV report (reconcile.report), and the JSON report's schema.
_CSV_REPORT = b"paper_id,arxiv_id,title,kind,field,severity,values,detail"
_JSON_REPORT = re.compile(r'^\s*\{\s*"schema"\s*:\s*"paper-reconcile/report/')


def not_a_source(body: bytes) -> str | None:
    """What a file is when it is this tool's own output or a database rather than a
    document about papers: an SQLite database, or a paper-reconcile report (Markdown, HTML,
    JSON or CSV); None for anything else.

    Why: ``reconcile ingest .`` in the folder where ``demo`` or ``report`` wrote is natural,
    and read as digests, a report's paper links became observations (its text a digest
    site's, "UTF-8" a paper of its own), and an older ``papers.db`` a document whose bytes
    were counted as 68 lost characters, a false warning. Each is refused in ``rejects``."""
    if body.startswith(b"SQLite format 3\x00"):
        return "an SQLite database"
    head = body[:8192].lstrip(b"\xef\xbb\xbf")
    if (head.startswith(b"# paper-reconcile report") or b"<title>paper-reconcile report</title>" in head
            or head.startswith(_CSV_REPORT) or _JSON_REPORT.match(head.decode("utf-8", "replace"))):
        return "a paper-reconcile report"
    return None


_SIDE_FILES = ("-wal", "-shm", "-journal", ".resolve.lock")


def _beside_a_database(path: Path) -> str | None:
    """Whether ``path`` is a side file of an SQLite database beside it (its write-ahead log,
    shared memory, journal, or ``resolve``'s lock): part of the database, not a document."""
    for suffix in _SIDE_FILES:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            try:
                with open(path.with_name(path.name[: -len(suffix)]), "rb") as db:
                    if db.read(16) == b"SQLite format 3\x00":
                        return "a side file of the SQLite database beside it"
            except OSError:
                return None
    return None


def read_file(path: Path, *, source: Source | None = None, site: str | None = None,
              given_at: dt.datetime | None = None, sites: list[Site] | None = None) -> PageResult:
    """Read one saved file through the page parsers. Raises OSError or ``PageError``.

    ``sites`` are the configured sites: the one ``site`` names, else the first whose
    ``files`` patterns match the path, says how the file is read (:mod:`scrapers.sites`).
    """
    status = path.stat()
    if stat.S_ISDIR(status.st_mode):
        os.listdir(path)  # a folder met here could not be listed: raises why (no permission)
        raise PageError("a folder that could not be listed: not read")
    if not stat.S_ISREG(status.st_mode):
        # A pipe would be waited on forever, a device (/dev/zero) read without end.
        raise PageError("not a regular file (a pipe, a device or a socket): not read")
    if status.st_size > MAX_FILE_BYTES:
        raise PageError(f"file of {status.st_size:,} bytes is over the {MAX_FILE_BYTES // 2**20} MiB a document may have")
    with path.open("rb") as handle:
        body = handle.read(MAX_FILE_BYTES + 1)  # a file that grew since its size was read
    if len(body) > MAX_FILE_BYTES:
        raise PageError(f"file of more than {MAX_FILE_BYTES // 2**20} MiB: over what a document may have")
    refused = not_a_source(body) or _beside_a_database(path)
    if refused:
        raise PageError(f"{refused}, not a source: not read")
    mtime = dt.datetime.fromtimestamp(status.st_mtime, dt.timezone.utc)
    rules = next((s for s in sites or () if s.name == site), None) or site_for_file(sites or (), path.resolve())
    return read_page(path.resolve().as_uri(), body, {}, source=source, site=site,
                     given_at=given_at, mtime=mtime, fallback_site=site_of_path(path), rules=rules)
