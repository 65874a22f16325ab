"""The ``reconcile`` console script: a light module, so that Ctrl-C during the seconds the
command spends importing Scrapy and the rest is an orderly exit (130, one line) rather than
a traceback; :func:`reconcile.cli.main` does the work."""

from __future__ import annotations

import signal
import sys


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (``kill``, ``timeout``, systemd stopping a unit, a CI job cancelled) stops a
    command as Ctrl-C does: exit 130 and one line, a report being written left whole, its
    partial file removed. ``ingest``, ``resolve`` and ``report`` died silently with 143 and
    left a partial report file behind; ``crawl`` and ``run`` (Scrapy's own handler while it
    crawls) already stopped so."""
    raise KeyboardInterrupt


def main() -> None:
    """Import the command line and run it; an interrupt while importing exits 130, and
    SIGTERM is an interrupt (:func:`_terminated`)."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        from reconcile.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("reconcile: aborted\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
