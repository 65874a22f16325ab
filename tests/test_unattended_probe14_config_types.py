"""Probe 14, defect 04: a value of the wrong type in ``resolve --config`` is refused.

Pydantic's lax mode read TOML's ``true`` as 1 and ``false`` as 0: ``title_accept = true``
made the title threshold 1 out of 100 (every title links) and ``ambiguity_margin = false``
turned the ambiguity rule off, with exit 0. A number field now refuses a boolean, and
neither ``nan`` nor ``inf`` passes; the error is the usual one line naming the key and the
value, exit 2. (An integer where a decimal goes, and a quoted number, still read as the
number they spell: no meaning changes there.)
"""

from __future__ import annotations

import json

import pytest
import sqlite_utils

from reconcile.config import ReconcileConfig

from .support import run_reconcile

BAD = [
    ("[matching]\ntitle_accept = true\n",
     "config.matching.title_accept: Input should be a number, not the boolean true", "True"),
    ("[matching]\nambiguity_margin = false\n", "config.matching.ambiguity_margin", "False"),
    ("[matching]\ndate_far_days = true\n", "config.matching.date_far_days", "True"),
    ("[quirks]\nmin_papers = false\n", "config.quirks.min_papers", "False"),
    ("[missing]\npage_sizes = [true, 50]\n", "config.missing.page_sizes.0", "True"),
    ("[matching]\nauthor_bonus = nan\n", "config.matching.author_bonus", "nan"),
    ("[abstracts]\nnear_identical = inf\n", "config.abstracts.near_identical", "inf"),
]


@pytest.mark.parametrize("text, key, given", BAD)
def test_a_value_of_the_wrong_type_is_refused_naming_key_and_value(tmp_path, text, key, given):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        ReconcileConfig.from_toml(path)
    message = str(refused.value)
    assert "\n" not in message and key in message and f"(got {given})" in message


def test_numbers_of_the_right_type_still_read(tmp_path):
    """An integer where a decimal goes is a number (``title_accept = 92``), as is a quoted
    number; lists of whole numbers, enums and zone pairs read as before."""
    path = tmp_path / "c.toml"
    path.write_text("[matching]\ntitle_accept = 92\nauthor_bonus = 2.5\ndate_far_days = 100\n"
                    "date_bonus = \"1.5\"\n"
                    "[missing]\npage_sizes = [50]\nday_zones = [[\"huggingface\", \"UTC\"]]\n"
                    "lister_bases = [\"response\"]\n[garbage]\nseverity = \"error\"\n", encoding="utf-8")
    config = ReconcileConfig.from_toml(path)
    assert config.matching.title_accept == 92.0 and isinstance(config.matching.title_accept, float)
    assert (config.matching.author_bonus, config.matching.date_far_days, config.matching.date_bonus) == (
        2.5, 100, 1.5)
    assert config.missing.page_sizes == (50,) and config.garbage.severity.value == "error"


def test_config_show_and_resolve_refuse_a_boolean_in_one_line_with_exit_2(tmp_path):
    """The tester's file: both commands said nothing and went on with 1.0 and 0."""
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[matching]\ntitle_accept = true\ndate_far_days = true\nambiguity_margin = false\n",
                   encoding="utf-8")
    shown = run_reconcile("config", "--show", "--config", str(cfg))
    assert shown.returncode == 2 and shown.stdout == ""
    assert len(shown.stderr.strip().splitlines()) == 1
    for key in ("title_accept", "date_far_days", "ambiguity_margin"):
        assert f"config.matching.{key}" in shown.stderr

    # A database with something to resolve, so that only the config can refuse.
    day = tmp_path / "day.json"
    day.write_text(json.dumps([{"paper": {"id": "3105.00201", "title": "A Made-up Paper on Pond Ecology",
                                          "upvotes": 3, "authors": [{"name": "Ada Quill"}]},
                                "numComments": 0}]), encoding="utf-8")
    db = tmp_path / "x.db"
    assert run_reconcile("ingest", str(day), "--as", "huggingface", "--db", str(db)).returncode == 0
    resolved = run_reconcile("resolve", "--config", str(cfg), "--db", str(db))
    assert resolved.returncode == 2, resolved.stdout
    assert resolved.stderr.startswith("reconcile: error: config file") and "title_accept" in resolved.stderr
    assert len(resolved.stderr.strip().splitlines()) == 1
    assert sqlite_utils.Database(db)["links"].count == 0  # nothing was resolved with the bad values
