"""Probe 14, defects 07 and 08: the project's own settings are checked before a crawl starts.

A base URL without a scheme, or empty, ended as crawl status ``start_error`` with exit 3 (as
if the source were down) after 41 lines of tracebacks; ``DOWNLOAD_TIMEOUT=-1`` as a Twisted
"Unhandled error in Deferred"; ``DOWNLOAD_MAXSIZE=10k`` with tracebacks before its one line.
An ``ftp://`` address at a server that never greets hung the crawl: Scrapy's FTP handler
applies no ``DOWNLOAD_TIMEOUT``, SIGTERM waited on it, only SIGKILL ended it, and the row
stayed ``running``. Now each is one line naming the setting and its value, exit 2, and no
crawl row; and Scrapy's FTP handler is off, so ``scrapy crawl -s`` (which skips the check)
ends such a request at once as a reject.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading

import pytest

from scrapers import run as crawl_run

from .support import ROOT, clean_env, crawl_rows, rows, run_reconcile

BAD = [
    ("HUGGINGFACE_BASE_URL", "127.0.0.1:9"),
    ("HUGGINGFACE_BASE_URL", ""),
    ("HUGGINGFACE_BASE_URL", "ftp://127.0.0.1:21"),
    ("ARXIV_API_URL", "file:///etc/passwd"),
    ("ARXIV_OAI_URL", "https://"),
    ("ARXIVLENS_BASE_URL", "http://example.org:99999"),
    ("ARXIV_RSS_URL", " https://rss.example.org/rss/"),
    ("DOWNLOAD_TIMEOUT", "-1"),
    ("DOWNLOAD_TIMEOUT", "0"),
    ("DOWNLOAD_TIMEOUT", "nan"),
    ("DOWNLOAD_DELAY", "abc"),
    ("ARXIV_DELAY", "-3"),
    ("RETRY_AFTER_MAX", "inf"),
    ("DOWNLOAD_MAXSIZE", "10k"),
    ("DOWNLOAD_MAXSIZE", "-1"),
    ("DOWNLOAD_WARNSIZE", "1.5"),
    ("RETRY_TIMES", "two"),
    ("MAX_PAGES", ""),
    ("CONCURRENT_REQUESTS_PER_DOMAIN", "0"),
]


@pytest.mark.parametrize("name, value", BAD)
def test_a_bad_setting_is_one_line_naming_it_and_its_value(name, value):
    with pytest.raises(ValueError) as refused:
        crawl_run.check_settings(crawl_run.build_settings(settings_overrides={name: value}))
    message = str(refused.value)
    assert "\n" not in message and message.startswith(f"setting {name}={value!r}: expected ")


@pytest.mark.parametrize("overrides", [
    {},  # the defaults of scrapers.settings
    {"HUGGINGFACE_BASE_URL": "http://127.0.0.1:8000", "ARXIV_API_URL": "http://[::1]:9/api/query",
     "ARXIVLENS_BASE_URL": "https://localhost"},
    {"DOWNLOAD_TIMEOUT": "2.5", "DOWNLOAD_DELAY": "0", "ARXIV_DELAY": "0.6", "RETRY_BACKOFF_BASE": 0.1},
    {"DOWNLOAD_MAXSIZE": "100000", "DOWNLOAD_WARNSIZE": 0, "RETRY_TIMES": "0", "MAX_PAGES": " 3 ",
     "RECONCILE_BATCH_SIZE": 4, "HUGGINGFACE_PAGE_SIZE": "0", "CONCURRENT_REQUESTS": "1"},
])
def test_good_settings_pass(overrides):
    crawl_run.check_settings(crawl_run.build_settings(settings_overrides=overrides))


@pytest.mark.parametrize("setting", ["HUGGINGFACE_BASE_URL=127.0.0.1:9", "HUGGINGFACE_BASE_URL=",
                                     "DOWNLOAD_TIMEOUT=-1", "DOWNLOAD_MAXSIZE=10k"])
def test_the_testers_settings_are_one_line_exit_2_and_no_crawl_row(tmp_path, setting):
    db = tmp_path / "s.db"
    done = run_reconcile("crawl", "huggingface", "--date", "2026-02-05", "--set", setting,
                         "--set", "RETRY_TIMES=0", "--set", "ROBOTSTXT_OBEY=false", "--set", "DOWNLOAD_DELAY=0",
                         "--db", str(db), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    name, _, value = setting.partition("=")
    assert done.stderr.strip().splitlines() == [
        next(line for line in done.stderr.splitlines() if line.startswith("reconcile: error: "))]
    assert f"setting {name}={value!r}" in done.stderr and "Traceback" not in done.stderr
    assert crawl_rows(db) == []


class SilentServer:
    """A TCP listener that accepts connections and never says a word (no FTP greeting, no
    HTTP answer): the peer that hung an ftp:// crawl."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture()
def silent():
    server = SilentServer()
    yield server
    server.close()


def _run_bounded(args: list[str], cwd, seconds: float) -> subprocess.CompletedProcess | None:
    """Run ``args``; None if it is still running after ``seconds`` (then it is killed, with
    its process group: a crawl that ignores SIGTERM must not outlive the test)."""
    proc = subprocess.Popen(args, cwd=cwd, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def test_an_ftp_address_at_a_silent_server_is_refused_before_the_crawl(tmp_path, silent):
    from .support import reconcile_exe

    db = tmp_path / "s.db"
    done = _run_bounded([reconcile_exe(), "crawl", "huggingface", "--date", "2026-02-05",
                         "--set", f"HUGGINGFACE_BASE_URL=ftp://127.0.0.1:{silent.port}",
                         "--set", "DOWNLOAD_TIMEOUT=5", "--set", "RETRY_TIMES=0", "--db", str(db)], tmp_path, 60)
    assert done is not None, "the crawl hung on the ftp:// address"
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert f"setting HUGGINGFACE_BASE_URL='ftp://127.0.0.1:{silent.port}'" in done.stderr
    assert crawl_rows(db) == []


def test_scrapy_crawl_with_an_ftp_address_ends_at_once_as_a_reject(tmp_path, silent):
    """``scrapy crawl -s`` and scrapyd do not pass through ``reconcile crawl``'s check: with
    the FTP handler off, the request fails at once instead of waiting on the silent server."""
    db = tmp_path / "s.db"
    done = _run_bounded([sys.executable, "-m", "scrapy", "crawl", "huggingface", "-a", "date=2026-02-05",
                         "-s", f"HUGGINGFACE_BASE_URL=ftp://127.0.0.1:{silent.port}", "-s", "DOWNLOAD_TIMEOUT=5",
                         "-s", "RETRY_TIMES=0", "-s", f"RECONCILE_DB={db}", "-s", "LOG_LEVEL=ERROR"], ROOT, 60)
    assert done is not None, "the crawl hung on the ftp:// address"
    assert [row["status"] for row in crawl_rows(db)] == ["failed"]
    reasons = [row["reason"] for row in rows(db, "select reason from rejects")]
    assert len(reasons) == 1 and "Unsupported URL scheme 'ftp'" in reasons[0]
