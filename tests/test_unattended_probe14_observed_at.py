"""Probe 14, defect 05: ``--observed-at`` after now is refused.

``ingest d.json --observed-at 2099-01-01T00:00Z`` was stored as a capture time (``given``),
later than every real crawl in the time-aware checks and ``report --since``. Nothing is
seen in the future: a time more than ``CLOCK_SKEW`` (10 minutes) after this machine's clock
is a usage error, one line, exit 2, and nothing is stored. ``ingest`` is the one command
that takes ``--observed-at``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlite_utils
from click.testing import CliRunner

from reconcile import cli as cli_module

from .support import run_reconcile

# A made-up Hugging Face daily list of one paper.
DAY = [{"paper": {"id": "3105.00301", "title": "A Made-up Study of Lantern Moths", "upvotes": 7,
                  "authors": [{"name": "Ada Quill"}]}, "numComments": 1}]


def _day_file(tmp_path):
    path = tmp_path / "day.json"
    path.write_text(json.dumps(DAY), encoding="utf-8")
    return path


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_capture_time_decades_ahead_is_one_line_exit_2_and_nothing_stored(tmp_path):
    db = tmp_path / "f.db"
    done = run_reconcile("ingest", str(_day_file(tmp_path)), "--as", "huggingface",
                         "--observed-at", "2099-01-01T00:00Z", "--db", str(db))
    assert done.returncode == 2, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "'2099-01-01T00:00Z' is in the future" in lines[0] and "10 minutes of clock skew" in lines[0]
    assert not db.exists() or sqlite_utils.Database(db)["documents"].count == 0


@pytest.mark.parametrize("ahead, accepted", [(dt.timedelta(hours=-1), True), (dt.timedelta(minutes=5), True),
                                             (dt.timedelta(minutes=20), False), (dt.timedelta(days=1), False)])
def test_a_few_minutes_of_clock_skew_are_allowed_and_no_more(tmp_path, ahead, accepted):
    """Another machine's clock a few minutes ahead is not a typo; twenty minutes is."""
    db = tmp_path / "x.db"
    moment = dt.datetime.now(dt.timezone.utc) + ahead
    result = CliRunner().invoke(cli_module.cli, ["ingest", str(_day_file(tmp_path)), "--as", "huggingface",
                                                 "--observed-at", _iso(moment), "--db", str(db)])
    if accepted:
        assert result.exit_code == 0, result.output
        doc = next(sqlite_utils.Database(db)["documents"].rows)
        assert (doc["observed_at"], doc["observed_at_basis"]) == (_iso(moment), "given")
    else:
        assert result.exit_code == 2 and "is in the future" in result.output
        assert not db.exists() or sqlite_utils.Database(db)["documents"].count == 0


def test_the_offset_counts_when_comparing_with_now(tmp_path):
    """A time given in a zone ahead of UTC is compared as the moment it names: now in
    UTC+14 is now, not fourteen hours ahead."""
    now_east = dt.datetime.now(dt.timezone(dt.timedelta(hours=14)))
    result = CliRunner().invoke(cli_module.cli, ["ingest", str(_day_file(tmp_path)), "--as", "huggingface",
                                                 "--observed-at", now_east.isoformat(timespec="seconds"),
                                                 "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.output
