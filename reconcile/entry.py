"""The ``reconcile`` console script: a light module, so that Ctrl-C during the seconds the
command spends importing Scrapy and the rest is an orderly exit (130, one line) rather than
a traceback; :func:`reconcile.cli.main` does the work."""

from __future__ import annotations

import sys


def main() -> None:
    """Import the command line and run it; an interrupt while importing exits 130."""
    try:
        from reconcile.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("reconcile: aborted\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
