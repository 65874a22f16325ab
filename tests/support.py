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
