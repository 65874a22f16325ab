"""Test helpers: where ../shared is, seeds, and running the real `reconcile` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    """``$PAPER_RECONCILE_SHARED``, else the ``shared`` folder beside the repository."""
    path = Path(os.environ.get("PAPER_RECONCILE_SHARED") or ROOT.parent / "shared")
    return path if path.is_dir() else None


SHARED = shared_dir()
needs_shared = pytest.mark.skipif(SHARED is None, reason="../shared (seeds and samples) is not here")


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (``"004"``)."""
    if SHARED is None:
        pytest.skip("../shared is not here")
    matches = sorted((SHARED / "seeds").glob(f"{prefix}_*"))
    assert matches, f"no seed {prefix}"
    return matches[0]


def reconcile_exe() -> str:
    """The installed ``reconcile`` script of this interpreter's environment."""
    exe = Path(sys.executable).with_name("reconcile")
    return str(exe) if exe.exists() else shutil.which("reconcile") or "reconcile"


def run_reconcile(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``reconcile`` command in a subprocess (crawls need a fresh reactor)."""
    full_env = {k: v for k, v in os.environ.items() if k != "RECONCILE_DB"}
    full_env.update(env or {})
    return subprocess.run([reconcile_exe(), *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=300)


def clean_env() -> dict[str, str]:
    """The environment for a crawl in a subprocess: no Scrapy settings, database or proxy
    inherited from the developer's shell."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("SCRAPY_") and k != "RECONCILE_DB" and "proxy" not in k.lower()}


def run_crawls_subprocess(crawls: list[tuple[str, dict]], db: Path, cwd: Path,
                          overrides: dict[str, str]) -> None:
    """``scrapers.run.run_crawls`` in a fresh interpreter (a Twisted reactor starts once per
    process), from ``cwd``; fails the test with the end of stderr if the run fails."""
    code = ("from scrapers.run import run_crawls\n"
            f"run_crawls({crawls!r}, db_path={str(db)!r}, settings_overrides={overrides!r})\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]


def crawl_with_store_refusing(method: str, db: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """``reconcile crawl huggingface`` of the recorded demo day into ``db``, in a process whose
    ``Store.<method>`` raises "database is locked" (another process holds the database);
    ``method`` may name several, comma-separated."""
    recordings = ROOT / "scrapers" / "recordings" / "2026-02-05"
    code = ("import sqlite3\n"
            "from reconcile import store\n"
            "def refused(self, *args, **kwargs):\n"
            "    raise sqlite3.OperationalError('database is locked')\n"
            + "".join(f"store.Store.{name} = refused\n" for name in method.split(",")) +
            "from reconcile.cli import main\n"
            f"main(['crawl', 'huggingface', '--date', '2026-02-05', '--replay', {str(recordings)!r}, "
            f"*{list(args)!r}, '--db', {str(db)!r}])\n")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                          timeout=180)


def rows(db: Path, sql: str, *params) -> list[dict]:
    """Every row of a query on the database at ``db``, as dicts."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def crawl_rows(db: Path) -> list[dict]:
    """The ``crawls`` rows, their ``args`` and ``stats`` decoded."""
    import json

    found = rows(db, "select * from crawls order by id")
    for row in found:
        row["args"], row["stats"] = json.loads(row["args"]), json.loads(row["stats"] or "{}")
    return found
