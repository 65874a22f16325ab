"""Shared fixtures: a database made from the seeds."""

from __future__ import annotations

import pytest

from .support import SHARED


@pytest.fixture
def seeds_db(tmp_path):
    """A database holding the five seeds, ingested and resolved in-process."""
    from click.testing import CliRunner

    from reconcile.cli import cli

    if SHARED is None:
        pytest.skip("../shared is not here")
    db = tmp_path / "seeds.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(SHARED / "seeds"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["resolve", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The bundled demo's database (no ../shared needed), built once for the session. Tests
    only read it; a test that changes a database copies it first."""
    from .support import run_reconcile

    folder = tmp_path_factory.mktemp("demo")
    result = run_reconcile("demo", "--db", "papers.db", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "papers.db"


@pytest.fixture
def server():
    """A loopback HTTP server on 127.0.0.1, stopped after the test."""
    from .loopback import LoopbackServer

    srv = LoopbackServer().start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's ``chromium``, installed with apt-get when missing and this is root (as on CI).

    Skips only where nothing could install it (no apt-get, not root); a failed installation
    fails the test, so CI cannot silently stop checking the HTML report in a browser.
    """
    import os
    import shutil
    import subprocess

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip("chromium is not installed and apt-get cannot install it here (needs root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        done = subprocess.run(install, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"apt-get install chromium failed:\n{done.stderr[-2000:]}"
    found = shutil.which("chromium")
    assert found, "apt-get installed chromium but it is not on PATH"
    return found
