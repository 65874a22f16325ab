"""Issue 12, point 6: progress on a terminal, silence elsewhere and with ``--quiet``.

The command runs with its stderr on a pseudo-terminal (``pty``), as in an interactive shell;
every other test runs it with stderr on a pipe, where no bar may appear.
"""

from __future__ import annotations

import os
import struct
import subprocess

import pytest

fcntl = pytest.importorskip("fcntl")  # a pseudo-terminal is POSIX
pty = pytest.importorskip("pty")
termios = pytest.importorskip("termios")

from .support import reconcile_exe


def _on_a_terminal(args: list[str], cwd) -> str:
    """What ``reconcile ARGS`` writes to a terminal stderr."""
    main, secondary = pty.openpty()
    # A terminal of 24 rows and 100 columns: tqdm draws nothing on one of no size.
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        proc = subprocess.run([reconcile_exe(), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=secondary,
                              timeout=120)
        assert proc.returncode == 0
    finally:
        os.close(secondary)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return out.decode("utf-8", "replace")


def _folder(tmp_path):
    for n in range(3):
        (tmp_path / "in" / f"{n}.json").parent.mkdir(exist_ok=True)
        (tmp_path / "in" / f"{n}.json").write_text(f'[{{"arxiv_id": "3105.0000{n + 1}", "title": "Heron Note {n}"}}]')
    return str(tmp_path / "in")


def test_ingest_and_resolve_show_progress_on_a_terminal(tmp_path):
    folder = _folder(tmp_path)
    shown = _on_a_terminal(["ingest", folder, "--db", str(tmp_path / "p.db")], tmp_path)
    assert "ingest: " in shown and "file" in shown and "/s" in shown  # count, rate
    shown = _on_a_terminal(["resolve", "--db", str(tmp_path / "p.db")], tmp_path)
    assert "resolve: " in shown and "paper" in shown


def test_quiet_and_a_pipe_show_none(tmp_path):
    folder = _folder(tmp_path)
    shown = _on_a_terminal(["--quiet", "ingest", folder, "--db", str(tmp_path / "p.db")], tmp_path)
    assert "ingest: " not in shown
    piped = subprocess.run([reconcile_exe(), "ingest", folder, "--db", str(tmp_path / "q.db")], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""


def _glued(shown: str, start: str) -> list[str]:
    """Each place a line starting ``start`` does not begin a line of the terminal: written
    after a bar that was not cleared first ('ingest: 439file [00:04, ...]reconcile: ...')."""
    return [shown[max(0, i - 40):i + len(start)] for i in range(len(shown))
            if shown.startswith(start, i) and i > 0 and shown[i - 1] not in "\r\n"]


def test_a_message_during_a_bar_clears_it_first(tmp_path):
    """probe24 A7: messages printed while a bar runs go through the bar (tqdm's write), so
    each starts its own line instead of running on from the bar."""
    folder = _folder(tmp_path)
    (tmp_path / "in" / "empty.json").write_bytes(b"")
    (tmp_path / "in" / "binary.json").write_bytes(bytes(range(256)) * 4)
    shown = _on_a_terminal(["ingest", folder, "--db", str(tmp_path / "p.db")], tmp_path)
    assert "reconcile: skipped" in shown and "ingest: " in shown, shown
    assert _glued(shown, "reconcile: ") == [], shown


def test_a_crawl_line_during_the_bar_clears_it_first_and_the_bar_says_one_colon(tmp_path):
    from reconcile.cli import demo_dir

    shown = _on_a_terminal(["crawl", "huggingface", "--date", "2026-02-05", "--replay", str(demo_dir()),
                            "--db", str(tmp_path / "p.db")], tmp_path)
    assert "crawl 1 huggingface: finished" in shown and "crawl huggingface" in shown, shown
    assert _glued(shown, "crawl 1 ") == [], shown
    assert ": : " not in shown, shown
