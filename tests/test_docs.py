"""The README and the CLI stay in step (as sqlite-utils does in its own tests/test_docs.py)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from reconcile.cli import cli

from .support import ROOT, run_reconcile

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)[1]
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_demo_then_tests():
    demo, tests = quick_start()
    assert demo.endswith("reconcile demo")
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start()[1] in ci.splitlines()


def test_every_command_is_documented_and_every_documented_command_exists():
    documented = set(re.findall(r"^reconcile (\w+)", README, re.MULTILINE))
    assert documented == set(cli.commands)


def test_every_option_is_documented():
    block = README.split("## Commands", 1)[1].split("```", 2)[1]
    for name, command in cli.commands.items():
        usage = " ".join(line for line in block.splitlines()
                         if line.startswith(f"reconcile {name} ") or line == f"reconcile {name}"
                         or (line.startswith(" ") and _owner(block, line) == name))
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in usage, f"{name} {opt} missing from the README"


def _owner(block: str, line: str) -> str | None:
    owner = None
    for current in block.splitlines():
        m = re.match(r"reconcile (\w+)", current)
        if m:
            owner = m[1]
        if current == line:
            return owner
    return None


def recipes() -> list[str]:
    """Every ``sqlite-utils`` command line in the README's bash blocks."""
    blocks = re.findall(r"```bash\n(.*?)```", README, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.startswith("sqlite-utils ")]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    where = tmp_path_factory.mktemp("recipes")
    assert run_reconcile("demo", cwd=where).returncode == 0
    return where


def test_readme_has_the_recipes_issue_6_asks_for():
    found = recipes()
    assert len(found) >= 5
    for topic in ("severity in ('warning', 'error')", "upvote_history", "paper_overview", "group by o.source", "search papers.db"):
        assert any(topic in line for line in found), topic


@pytest.mark.parametrize("recipe", recipes())
def test_every_readme_recipe_runs_against_the_demo_database(recipe, demo_dir):
    """The README's recipes are written against ``papers.db`` in the working directory, as a
    user runs them after ``reconcile demo``; each must succeed and return data."""
    exe = Path(sys.executable).with_name("sqlite-utils")
    args = shlex.split(recipe)
    done = subprocess.run([str(exe), *args[1:]], cwd=demo_dir, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    header = 2 if "--table" in args else 1
    assert len(lines) > header, done.stdout
