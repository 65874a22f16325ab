"""The scheduling examples in docs/scheduling/ (cron, systemd, GitHub Actions) stay true.

Every ``reconcile`` command in them is parsed by the real click command line (an option that
does not exist, or a value it refuses, fails here), and each scheduler's own format is checked
for what makes the schedule work: cron's five fields and its ``%``, the timer's OnCalendar and
Persistent=true, the workflow's triggers, cache round trip and artifact.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import click
import pytest
import yaml

from reconcile.cli import cli

from .support import ROOT

DOCS = ROOT / "docs" / "scheduling"
SERVICE = "paper-reconcile.service"
TIMER = "paper-reconcile.timer"
WORKFLOW = "github-actions-daily.yml"
DB = "/var/lib/paper-reconcile/papers.db"  # the database path the brief and the README give

# Shell variables the examples use, with a value of the shape they hold at run time. A
# variable not listed here fails the test: its command could not be checked.
SAMPLE_VALUES = {"DAY": "2026-02-05"}

_OPERATORS = {"&&", "||", ";", "|", "&"}
_REDIRECTIONS = {">", ">>", "<", ">&", "&>"}
_VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


# -- helpers ---------------------------------------------------------------------------------
def shell_commands(script: str) -> list[tuple[list[str], list[str]]]:
    """The simple commands of a shell snippet: ``(argv, files written by redirection)``.

    Enough shell for the examples: ``&&``, ``||``, ``;`` and ``|`` separate commands,
    ``>``/``>>``/``2>`` redirect (the target is not an argument), ``\\`` continues a line,
    ``#`` starts a comment. Quotes are removed as the shell would; variables stay as written.
    """
    commands: list[tuple[list[str], list[str]]] = []
    for line in script.replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)\d+(?=>)", r"\1", line)  # `2> log` redirects like `> log`
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        argv: list[str] = []
        outputs: list[str] = []
        tokens = iter(lexer)
        for token in tokens:
            if token in _OPERATORS:
                if argv:
                    commands.append((argv, outputs))
                argv, outputs = [], []
            elif token in _REDIRECTIONS:
                target = next(tokens, "")
                if token != "<":
                    outputs.append(target)
            else:
                argv.append(token)
        if argv:
            commands.append((argv, outputs))
    return commands


def expand(token: str) -> str:
    """``token`` with ``$NAME`` / ``${NAME}`` replaced by :data:`SAMPLE_VALUES`."""
    def value(match: re.Match) -> str:
        name = match[1] or match[2]
        if name not in SAMPLE_VALUES:
            pytest.fail(f"shell variable ${name} in {token!r} has no sample value in SAMPLE_VALUES")
        return SAMPLE_VALUES[name]

    return _VARIABLE.sub(value, token)


def is_reconcile(argv: list[str]) -> bool:
    """Whether a command runs the ``reconcile`` console script (by name or by path)."""
    return bool(argv) and PurePosixPath(argv[0]).name == "reconcile"


def parse_reconcile(args: list[str]) -> tuple[str, dict]:
    """Parse ``reconcile ARGS`` with the real command line without running anything.

    Returns the subcommand's name and its parsed parameters; raises click's UsageError (an
    unknown command or option, a missing value) or BadParameter (a value refused by a type or
    a callback, such as a malformed ``--date``).
    """
    group_ctx = cli.make_context("reconcile", list(args), resilient_parsing=False)
    names = [i for i, arg in enumerate(args) if not arg.startswith("-")]
    if not names:
        raise click.UsageError("no command given")
    index = names[0]
    command = cli.get_command(group_ctx, args[index])
    if command is None:
        raise click.UsageError(f"no such command {args[index]!r}")
    ctx = command.make_context(args[index], list(args[index + 1:]), parent=group_ctx,
                               resilient_parsing=False)
    return args[index], ctx.params


def reconcile_commands(script: str) -> list[tuple[list[str], str, dict, list[str]]]:
    """Every ``reconcile`` command of a shell snippet, parsed: ``(argv, subcommand,
    parameters, redirection targets)``; a command that does not parse fails the test."""
    found = []
    for argv, outputs in shell_commands(script):
        if not is_reconcile(argv):
            continue
        args = [expand(a) for a in argv[1:]]
        try:
            name, params = parse_reconcile(args)
        except click.ClickException as exc:
            pytest.fail(f"`{shlex.join(argv)}` does not parse: {exc.format_message()}")
        found.append((argv, name, params, outputs))
    return found


def unit_file(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A systemd unit file as ``{section: [(key, value), ...]}``; keys may repeat (ExecStart)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").replace("\\\n", " ").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        assert current is not None and "=" in line, f"{path.name}: not a key=value line: {raw!r}"
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def values(section: list[tuple[str, str]], key: str) -> list[str]:
    """Every value of ``key`` in a unit file section, in order."""
    return [v for k, v in section if k == key]


_CRON_FIELD = {0: (0, 59), 1: (0, 23), 2: (1, 31), 3: (1, 12), 4: (0, 7)}


def check_cron_schedule(fields: list[str]) -> None:
    """Assert five cron time fields, each ``*``, numbers, ranges, lists and ``/`` steps
    within the field's bounds (names such as ``mon`` are not used in the examples)."""
    assert len(fields) == 5, f"cron schedule needs five fields, got {fields}"
    for position, field in enumerate(fields):
        low, high = _CRON_FIELD[position]
        for part in field.split(","):
            base, _, step = part.partition("/")
            assert not step or step.isdigit() and int(step) > 0, f"bad step in {field!r}"
            if base == "*":
                continue
            bounds = base.split("-")
            assert len(bounds) <= 2 and all(b.isdigit() for b in bounds), f"bad cron field {field!r}"
            assert all(low <= int(b) <= high for b in bounds), f"{field!r} outside {low}-{high}"


def by_name(commands: list[tuple[list[str], str, dict, list[str]]], name: str) -> list[dict]:
    """The parameters of the commands that run subcommand ``name``."""
    return [params for _, cmd, params, _ in commands if cmd == name]


def check_daily_pair(commands: list[tuple[list[str], str, dict, list[str]]], where: str) -> None:
    """A schedule runs ``reconcile run`` and then an HTML ``report --fail-on error`` on the
    database the run wrote (the first of each is checked)."""
    names = [cmd for _, cmd, _, _ in commands]
    assert "run" in names and "report" in names, f"{where}: expected run and report, got {names}"
    assert names.index("run") < names.index("report"), f"{where}: report before run"
    run, report = by_name(commands, "run")[0], by_name(commands, "report")[0]
    assert run["db_path"] is not None and run["db_path"] == report["db_path"], \
        f"{where}: run writes {run['db_path']}, report reads {report['db_path']}"
    assert (report["fmt"], report["fail_on"]) == ("html", "error"), where
    assert report["output"] is not None and report["output"].suffix == ".html", where


# -- the checker itself can fail -------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["run", "--no-such-option"],
    ["run", "--date", "tomorrow"],
    ["report", "--format", "pdf"],
    ["report", "--fail-on", "info"],
    ["schedule-everything"],
    ["--db", "x.db"],
])
def test_parse_reconcile_refuses_what_the_command_line_refuses(args):
    with pytest.raises(click.UsageError):
        parse_reconcile(args)


def test_parse_reconcile_reads_a_valid_command():
    name, params = parse_reconcile(["report", "--db", "a.db", "--format", "html", "--output", "r.html",
                                    "--fail-on", "error"])
    assert name == "report"
    assert (str(params["db_path"]), params["fmt"], str(params["output"]), params["fail_on"]) == \
        ("a.db", "html", "r.html", "error")


def test_shell_commands_split_operators_and_redirections():
    script = 'cd /d && /x/reconcile run --db a.db > run.md 2> run.log || echo "a; b > c"'
    assert shell_commands(script) == [(["cd", "/d"], []),
                                      (["/x/reconcile", "run", "--db", "a.db"], ["run.md", "run.log"]),
                                      (["echo", "a; b > c"], [])]


# -- the files -------------------------------------------------------------------------------
def test_the_scheduling_files_are_there():
    for name in ("README.md", "crontab", SERVICE, TIMER, WORKFLOW):
        assert (DOCS / name).is_file(), f"docs/scheduling/{name} is missing"


def test_readme_commands_parse():
    text = (DOCS / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, flags=re.S)
    commands = [c for block in blocks for c in reconcile_commands(block)]
    assert commands, "docs/scheduling/README.md shows no reconcile command"
    check_daily_pair(commands, "docs/scheduling/README.md")
    assert all(str(params["db_path"]) == DB for _, _, params, _ in commands)


def test_crontab_line():
    entries = []
    for line in (DOCS / "crontab").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if re.match(r"^[A-Za-z_]\w*\s*=", line):  # an environment line (MAILTO=...)
            continue
        entries.append(line)
    assert len(entries) == 1, f"expected one crontab entry, got {entries}"
    fields = entries[0].split(None, 5)
    check_cron_schedule(fields[:5])
    command = fields[5]
    # cron turns an unescaped % into a newline: the rest of the line would become stdin.
    assert not re.search(r"(?<!\\)%", command), "unescaped % in the crontab command"
    commands = reconcile_commands(command)
    check_daily_pair(commands, "crontab")
    assert str(by_name(commands, "run")[0]["db_path"]) == DB
    # cron's PATH is /usr/bin:/bin: the console script needs its full path.
    assert all(argv[0].startswith("/") for argv, _, _, _ in commands)


def test_systemd_timer_is_daily_and_persistent():
    timer = unit_file(DOCS / TIMER)
    section = timer["Timer"]
    calendars = values(section, "OnCalendar")
    assert calendars and all(calendars), "the timer has no OnCalendar"
    assert values(section, "Persistent") == ["true"], "the timer needs Persistent=true"
    assert values(section, "Unit") in ([], [SERVICE])
    assert (DOCS / SERVICE).is_file()
    assert "timers.target" in " ".join(values(timer.get("Install", []), "WantedBy"))
    analyze = shutil.which("systemd-analyze")
    for calendar in calendars:
        if analyze:  # systemd's own parser where it is installed
            proc = subprocess.run([analyze, "calendar", calendar], capture_output=True, text=True,
                                  timeout=30)
            assert proc.returncode == 0, f"OnCalendar={calendar}: {proc.stderr.strip()}"
        else:
            assert re.fullmatch(r"(daily|\*-\*-\* \d{1,2}:\d{2}(:\d{2})?( UTC)?)", calendar), calendar


def test_systemd_service_runs_then_reports():
    service = unit_file(DOCS / SERVICE)["Service"]
    assert values(service, "Type") == ["oneshot"], "several ExecStart= lines need Type=oneshot"
    execs = values(service, "ExecStart")
    assert len(execs) >= 2
    commands = []
    for line in execs:
        line = line.lstrip("-@:+!")  # systemd's ExecStart prefixes
        found = reconcile_commands(line)
        assert len(found) == 1 and shell_commands(line) == [(found[0][0], [])], \
            f"ExecStart is not one reconcile command (systemd runs no shell): {line}"
        assert found[0][0][0].startswith("/"), f"ExecStart needs an absolute path: {line}"
        commands += found
    check_daily_pair(commands, SERVICE)
    assert [cmd for _, cmd, _, _ in commands][0] == "run"
    assert str(by_name(commands, "run")[0]["db_path"]) == DB
    # StateDirectory= creates /var/lib/<name>, owned by the service's user, for the database.
    state = values(service, "StateDirectory")
    assert state and Path(DB).parent == Path("/var/lib") / state[0]


def test_github_actions_workflow():
    workflow = yaml.safe_load((DOCS / WORKFLOW).read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "workflow_dispatch" in triggers
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert crons
    for cron in crons:
        check_cron_schedule(cron.split())

    job, = workflow["jobs"].values()
    steps = job["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    runs = [(i, step["run"]) for i, step in enumerate(steps) if "run" in step]
    for _, script in runs:
        # Expressions pasted into a script are a script-injection risk: pass them as env.
        assert "${{" not in script, f"use env: rather than ${{{{ }}}} in run: {script!r}"
    assert any(re.search(r"pip install (\S+ )*\.(\s|$)", script) for _, script in runs), \
        "the project is not installed"

    commands = [(i, c) for i, script in runs for c in reconcile_commands(script)]
    check_daily_pair([c for _, c in commands], WORKFLOW)
    run_step = next(i for i, c in commands if c[1] == "run")
    report_step = next(i for i, c in commands if c[1] == "report")
    run_argv, _, run_params, run_outputs = next(c for _, c in commands if c[1] == "run")
    db = str(run_params["db_path"])

    # The database comes back from the cache before the crawl and goes back after it, under
    # a key the next run's restore-keys find.
    restore = [i for i, u in enumerate(uses) if u.startswith("actions/cache/restore@")]
    save = [i for i, u in enumerate(uses) if u.startswith("actions/cache/save@")]
    assert len(restore) == 1 and len(save) == 1, "expected one cache restore and one cache save"
    restore_with, save_with = steps[restore[0]]["with"], steps[save[0]]["with"]
    assert restore[0] < run_step < save[0]
    assert restore_with["path"].split() == [db] == save_with["path"].split()
    prefixes = restore_with["restore-keys"].split()
    assert any(save_with["key"].startswith(p) for p in prefixes), (save_with["key"], prefixes)

    # Everything after the crawl that keeps its results runs even when a step failed (the
    # report step fails the job on discrepancies of severity error).
    upload = [i for i, u in enumerate(uses) if u.startswith("actions/upload-artifact@")]
    assert len(upload) == 1
    for i in (save[0], upload[0]):
        if i > run_step:
            condition = str(steps[i].get("if", ""))
            assert "always()" in condition or "!cancelled()" in condition, \
                f"step {steps[i].get('name')} is skipped when an earlier step fails"
    kept = set(steps[upload[0]]["with"]["path"].split())
    report_params = next(c for _, c in commands if c[1] == "report")[2]
    assert {db, str(report_params["output"]), *run_outputs} <= kept, kept
    assert report_step > run_step
