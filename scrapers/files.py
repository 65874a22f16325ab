"""Saved files as input: the fetching side of ``reconcile ingest``.

A path may be a file, a directory (walked recursively, hidden entries skipped) or a
``file://`` URL. A saved file's document URL is its absolute ``file://`` URL, and its
modification time is the last resort for when its data was seen.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reconcile.models import Source

from .pages import PageResult, read_page

# Files that are never documents: recordings' manifests and editor/OS droppings.
SKIP_NAMES = {"manifest.json", ".DS_Store", "Thumbs.db"}


def path_of(arg: str) -> Path:
    """A command-line PATH argument as a filesystem path (``file://`` URLs included)."""
    if arg.startswith("file://"):
        parts = urlsplit(arg)
        return Path(unquote(parts.path))
    return Path(arg)


def iter_input_files(args: Iterable[str]) -> Iterator[Path]:
    """Every file named by the arguments, directories walked in sorted order.

    A path that does not exist is yielded as is, so the caller reports it like any other
    unreadable input instead of it vanishing.
    """
    for arg in args:
        path = path_of(arg)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name not in SKIP_NAMES:
                        yield Path(root) / name
        else:
            yield path


def read_file(path: Path, *, source: Source | None = None, site: str | None = None,
              given_at: dt.datetime | None = None) -> PageResult:
    """Read one saved file through the page parsers. Raises OSError or ``PageError``."""
    body = path.read_bytes()
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    return read_page(path.resolve().as_uri(), body, {}, source=source, site=site,
                     given_at=given_at, mtime=mtime)
