"""Deploying to scrapyd and running a spider there, end to end on loopback.

A real scrapyd (from this environment) listens on 127.0.0.1 in a temporary directory; the
project is deployed with scrapyd-client's ``scrapyd-deploy`` exactly as a user would, from a
copy of the repository whose ``scrapy.cfg`` gains one more target (the repository's own file
is left alone); ``schedule.json`` then runs the ``huggingface`` and ``digests`` spiders on the
recorded demo day with ``setting=REPLAY_DIR=...`` and ``setting=RECONCILE_DB=...``. The
database must hold what the page parser reads from the recording, and finished ``crawls`` rows.
"""

from __future__ import annotations

import configparser
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from reconcile.cli import DEMO_SITES
from reconcile.models import Source
from reconcile.store import Store
from scrapers.middlewares import Manifest
from scrapers.pages import read_page

from .support import ROOT, clean_env

PROJECT = "paper_reconcile"
DAY = "2026-02-05"
RECORDINGS = ROOT / "scrapers" / "recordings" / DAY
HF_URL = f"https://huggingface.co/api/daily_papers?date={DAY}&limit=100"
JOB_TIMEOUT = 120  # seconds for the scheduled crawls to finish (they take about 2 s each)
START_TIMEOUT = 30  # seconds for scrapyd to answer daemonstatus.json

# Talk to loopback directly, whatever proxy the environment names.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def api(base: str, endpoint: str, params: list[tuple[str, str]] | None = None, *,
        post: bool = False) -> dict:
    """Call a scrapyd JSON endpoint; GET with a query string, or POST a form."""
    data = urllib.parse.urlencode(params or []).encode() if post else None
    url = base + endpoint + ("" if post or not params else "?" + urllib.parse.urlencode(params))
    with _OPENER.open(urllib.request.Request(url, data=data), timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, chars: int = 4000) -> str:
    """The end of a log file, or a note that it does not exist."""
    return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.is_file() else f"({path} missing)"


def isolated_env(tmp: Path) -> dict[str, str]:
    """The environment of scrapyd and scrapyd-deploy: no inherited Scrapy settings, database
    or proxy; HOME in the test's directory, so no ``~/.scrapyd.conf`` or ``~/.netrc`` of
    the developer's applies; temporary build directories inside the test's directory."""
    env = clean_env()
    (tmp / "home").mkdir(exist_ok=True)
    (tmp / "tmp").mkdir(exist_ok=True)
    env.update(HOME=str(tmp / "home"), TMPDIR=str(tmp / "tmp"))
    return env


@pytest.fixture
def scrapyd(tmp_path):
    """A scrapyd on 127.0.0.1 in ``tmp_path/scrapyd``: ``(base URL, its directory, env)``.

    Stopped (with the crawls it started: its own process group) when the test ends.
    """
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        "items_dir =\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "jobs_to_keep = 5\n"
        "poll_interval = 0.5\n"
        "max_proc = 1\n",
        encoding="utf-8")
    env = isolated_env(tmp_path)
    log = home / "scrapyd.log"
    proc = subprocess.Popen([sys.executable, "-m", "scrapyd", f"--logfile={log}",
                             f"--pidfile={home / 'twistd.pid'}"],
                            cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"scrapyd exited with {proc.returncode}:\n{tail(log)}")
            try:
                if api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"scrapyd did not answer on {base} within {START_TIMEOUT} s:\n{tail(log)}")
            time.sleep(0.2)
        yield base, home, env
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)


def project_copy(tmp: Path, scrapyd_url: str) -> Path:
    """A copy of what building the project needs, with a ``[deploy:loopback]`` target for
    the test's scrapyd beside the repository's own ``[deploy]``."""
    view = tmp / "project"
    view.mkdir()
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy2(ROOT / name, view / name)
    for package in ("reconcile", "scrapers"):
        shutil.copytree(ROOT / package, view / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    config = configparser.ConfigParser()
    config.read(view / "scrapy.cfg", encoding="utf-8")
    assert config["deploy"]["project"] == PROJECT, "scrapy.cfg [deploy] names another project"
    with (view / "scrapy.cfg").open("a", encoding="utf-8") as handle:
        handle.write(f"\n[deploy:loopback]\nurl = {scrapyd_url}\nproject = {PROJECT}\n")
    return view


def expected_from_recording():
    """What the Hugging Face parser reads from the recorded response of the demo day,
    stamped with the recorded response time, as the replay does."""
    manifest = Manifest.load(RECORDINGS, required=True)
    entry = manifest.get(HF_URL)
    assert entry is not None, f"{HF_URL} is not in {RECORDINGS / 'manifest.json'}"
    fetched_at = dt.datetime.fromisoformat(entry["fetched_at"].replace("Z", "+00:00"))
    body = manifest.body_path(entry).read_bytes()
    return read_page(HF_URL, body, {"Content-Type": entry["content_type"]}, source=Source.HUGGINGFACE,
                     fetched_at=fetched_at)


def test_deploy_to_scrapyd_and_run_replayed_crawls(scrapyd, tmp_path):
    base, home, env = scrapyd
    view = project_copy(tmp_path, base)

    # Build the egg and upload it: scrapyd-deploy, the way the README tells users to.
    deploy = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", "loopback", "--version", "1",
                             "--debug"], cwd=view, env=env, capture_output=True, text=True, timeout=300)
    assert deploy.returncode == 0, f"scrapyd-deploy failed:\n{deploy.stdout[-3000:]}\n{deploy.stderr[-3000:]}"
    answer = json.loads(deploy.stdout.strip().splitlines()[-1])  # scrapyd's addversion.json answer
    assert answer.get("status") == "ok", f"scrapyd refused the egg: {answer}"
    assert (answer["project"], answer["version"]) == (PROJECT, "1"), answer

    # The egg scrapyd keeps holds the code, the package data the spiders read, and the entry
    # point that names the settings module (without it scrapyd cannot start a crawl).
    with zipfile.ZipFile(home / "eggs" / PROJECT / "1.egg") as egg:
        names = set(egg.namelist())
        entry_points = configparser.ConfigParser()
        entry_points.read_string(egg.read("EGG-INFO/entry_points.txt").decode("utf-8"))
    assert {"scrapers/settings.py", "scrapers/spiders/huggingface.py", "scrapers/spiders/digests.py",
            "scrapers/sites.toml", "reconcile/store/__init__.py"} <= names
    assert entry_points["scrapy"]["settings"] == "scrapers.settings"
    spiders = api(base, "listspiders.json", [("project", PROJECT)])
    assert set(spiders["spiders"]) == {"arxiv", "arxivlens", "digests", "huggingface"}, spiders

    # Schedule: spider arguments, and Scrapy settings as scrapyd's setting=NAME=VALUE. The
    # digests spider reads the bundled sites.toml, which inside the egg is no file on disk.
    db = tmp_path / "scrapyd.db"
    settings = [("setting", f"REPLAY_DIR={RECORDINGS}"), ("setting", f"RECONCILE_DB={db}"),
                ("setting", "DOWNLOAD_DELAY=0")]
    jobs = {}
    for spider, args in (("huggingface", [("date", DAY)]), ("digests", [("date", DAY), ("sites", DEMO_SITES)])):
        scheduled = api(base, "schedule.json", [("project", PROJECT), ("spider", spider), *args, *settings],
                        post=True)
        assert scheduled["status"] == "ok", scheduled
        jobs[spider] = scheduled["jobid"]
    logs = {spider: home / "logs" / PROJECT / spider / f"{job}.log" for spider, job in jobs.items()}

    def evidence() -> str:
        # A crawl that dies before Scrapy logs (a bad egg, an error in a spider's settings)
        # leaves its traceback in scrapyd's own log, not in the job's.
        return "".join(f"\n{spider} job log:\n{tail(path)}" for spider, path in logs.items()) + \
            f"\nscrapyd log:\n{tail(home / 'scrapyd.log')}"

    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        listed = api(base, "listjobs.json", [("project", PROJECT)])
        if {j["id"] for j in listed["finished"]} >= set(jobs.values()):
            break
        if time.monotonic() > deadline:
            pytest.fail(f"jobs not finished after {JOB_TIMEOUT} s: {listed}{evidence()}")
        time.sleep(0.5)

    for path in logs.values():
        log_text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        assert "Traceback" not in log_text and "] ERROR:" not in log_text, evidence()
    assert db.is_file(), f"the crawls wrote no database{evidence()}"

    expected = expected_from_recording()
    recorded_digests = {e["url"] for e in Manifest.load(RECORDINGS, required=True).entries.values()
                        if urllib.parse.urlsplit(e["url"]).hostname == "raw.githubusercontent.com"}
    store = Store(db)
    try:
        crawls = {crawl.spider: crawl for crawl in store.crawls()}
        assert list(crawls) == ["huggingface", "digests"], evidence()
        assert all(c.status == "finished" for c in crawls.values()), (crawls, evidence())
        assert crawls["huggingface"].args == {"date": DAY}
        assert crawls["digests"].args == {"date": DAY, "sites": DEMO_SITES.split(",")}
        hf_stats, digest_stats = crawls["huggingface"].stats, crawls["digests"].stats
        assert hf_stats["huggingface/documents/stored"] == 1
        assert hf_stats["huggingface/observations/stored"] == len(expected.observations)
        assert digest_stats["digest/documents/stored"] == len(recorded_digests) > 0
        for stats in (hf_stats, digest_stats):
            assert "replay/miss" not in stats  # everything came from the recording
        assert store.rejects() == []

        documents = list(store.documents().values())
        hf_doc, = [d for d in documents if d.source == Source.HUGGINGFACE]
        assert (hf_doc.url, hf_doc.sha256, hf_doc.observed_at, hf_doc.observed_at_basis) == \
            (HF_URL, expected.document.sha256, expected.document.observed_at, "response")
        assert {d.url for d in documents if d.source == Source.DIGEST} == recorded_digests

        # Nothing is resolved yet, so every stored observation is still unplaced.
        stored = store.unlinked_observations()
        assert len(stored) == store.counts()["observations"]
        hf_stored = [o for o in stored if o.source == Source.HUGGINGFACE]
        assert {o.listed_on.isoformat() for o in hf_stored} == {DAY}
        ignore = {"id", "document_id", "crawl_id"}
        assert sorted((o.model_dump(exclude=ignore) for o in hf_stored), key=lambda o: o["arxiv_id"]) == \
            sorted((o.model_dump(exclude=ignore) for o in expected.observations), key=lambda o: o["arxiv_id"])
        assert len(stored) - len(hf_stored) == digest_stats["digest/observations/stored"] > 0
    finally:
        store.close()
