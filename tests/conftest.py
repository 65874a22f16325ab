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


@pytest.fixture
def server():
    """A loopback HTTP server on 127.0.0.1, stopped after the test."""
    from .loopback import LoopbackServer

    srv = LoopbackServer().start()
    yield srv
    srv.stop()
