"""``reconcile serve``: Datasette over the database, with bundled metadata and canned queries.

Datasette is optional (the ``[web]`` extra): this module imports it only inside
:func:`prepare`, so ``reconcile`` works without it and says how to install it when asked
to serve. The database is served in Datasette's normal (mutable) mode, not as immutable:
scheduled crawls keep writing to it while people browse.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from importlib import resources
from pathlib import Path
from typing import Any

from reconcile.queries import canned_queries
from reconcile.store import Store, StoreError, no_database
from reconcile.try_next import install_web

log = logging.getLogger(__name__)

METADATA_RESOURCE = "datasette.json"


class ServeError(Exception):
    """A reason not to start the server, in one line."""


def build_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for a database served under the name ``database`` (the file's stem):
    titles, descriptions of every table, view and column, facets, sortable columns, the
    papers' full-text search, and the canned queries of :mod:`reconcile.queries`."""
    bundled = json.loads(resources.files("reconcile").joinpath(METADATA_RESOURCE).read_text("utf-8"))
    section = bundled.pop("database")
    section["queries"] = canned_queries()
    return {**bundled, "databases": {database: section}}


def _check_port(host: str, port: int) -> None:
    """Fail early, in one line, when the address cannot be listened on: uvicorn would log the
    error and exit with 1, which the command line reserves for ``report --fail-on``. Binds
    the way uvicorn does (IPv6 when the host has a colon, SO_REUSEADDR)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def prepare(db_path: Path, host: str, port: int) -> Any:
    """Check everything that can fail before serving and return the Datasette instance.

    The database must exist (serving must not create an empty one by a typo) and is only
    read: it is checked through a read-only :class:`~reconcile.store.Store`, and a file this
    process may not write is served as immutable, so a database in a read-only place can be
    browsed. Raises :class:`ServeError`.
    """
    try:
        from datasette.app import Datasette  # requires uvicorn, which run() uses
    except ImportError:
        raise ServeError(f"Datasette is not installed: {install_web()}") from None
    if not db_path.is_file():
        raise ServeError(no_database(db_path))
    try:
        Store(db_path, read_only=True).close()
    except StoreError as exc:
        raise ServeError(str(exc)) from None
    _check_port(host, port)
    if os.access(db_path, os.W_OK) and os.access(db_path.parent, os.W_OK):
        return Datasette([str(db_path)], metadata=build_metadata(db_path.stem))
    return Datasette([], immutables=[str(db_path)], metadata=build_metadata(db_path.stem))


def run(datasette: Any, host: str, port: int) -> None:
    """Serve until interrupted. Ctrl-C or SIGTERM makes uvicorn finish the requests in flight
    and stop; after Ctrl-C this returns normally (exit 0), while SIGTERM, which uvicorn
    re-raises once stopped, ends the process by that signal as a service manager expects."""
    import uvicorn

    asyncio.run(datasette.invoke_startup())
    try:
        uvicorn.run(datasette.app(), host=host, port=port, log_level="info", lifespan="on", workers=1)
    except KeyboardInterrupt:  # uvicorn re-raises the signal it handled once it has stopped
        pass
    log.info("stopped serving on %s:%s", host, port)


def database_url(db_path: Path, host: str, port: int) -> str:
    """The address of the database's page once served."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{db_path.stem}"
