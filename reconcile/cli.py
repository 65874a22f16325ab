"""The ``reconcile`` command: the composition root that wires spiders, parsers and store.

Exit codes: 0 success; 1 ``report --fail-on`` found discrepancies at that severity, or the
report is incomplete (observations not placed, papers not checked); 2 bad
usage or input, with a one-line reason on stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import click

from reconcile.models import Kind, Severity, Source
from reconcile.render import RENDERERS
from reconcile.report import build_report, crawl_health, incomplete, read_baseline
from reconcile.resolve import resolve as resolve_store
from reconcile.store import Store, StoreError, default_db_path, describe_sqlite_error, write_back
from reconcile.try_next import try_next

log = logging.getLogger(__name__)

DEMO_DAY = "2026-02-05"
DEMO_SITES = "lim4349,lim4349-data,daily-papers-ko"  # the digest sites the demo has recordings of


class InputError(click.ClickException):
    """Bad input: exit code 2 with a one-line reason."""

    exit_code = 2


_UI = {"quiet": False}


class _AroundBars:
    """Stderr while a progress bar is drawn on it: each write clears the bar first and draws
    it again after (tqdm's ``external_write_mode``, what ``tqdm.write`` does), so a message
    starts its own line instead of running on from the bar ('439file [00:04, ...]reconcile:
    skipped ...'). Everything else is the terminal's own."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text):
        from tqdm import tqdm

        with tqdm.external_write_mode(file=self._stream):
            return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextlib.contextmanager
def progress_bar(desc: str, unit: str, total: int | None = None):
    """A tqdm progress bar on stderr (count, rate, elapsed), shown only on a terminal and
    without ``--quiet``; otherwise one that draws nothing. While it is shown, whatever is
    written to stderr (``click.echo(err=True)``, the console's log lines) goes around it
    (:class:`_AroundBars`)."""
    from tqdm import tqdm

    shown = sys.stderr is not None and sys.stderr.isatty() and not _UI["quiet"]
    bar = tqdm(desc=desc, unit=unit, total=total, file=sys.stderr, disable=not shown, leave=False)
    if not shown:
        with bar:
            yield bar
        return
    terminal = sys.stderr
    console = [h for h in logging.getLogger().handlers
               if isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) is terminal]
    sys.stderr = _AroundBars(terminal)
    for handler in console:
        handler.stream = sys.stderr
    try:
        with bar:
            yield bar
    finally:
        sys.stderr = terminal
        for handler in console:
            handler.stream = terminal


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _moment(ctx, param, value):
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"expected an ISO 8601 time, got {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


#: How far after this machine's clock a given capture time may lie: another machine's clock
#: that is a few minutes ahead, not a typo of a year.
CLOCK_SKEW = dt.timedelta(minutes=10)


def _capture_moment(ctx, param, value):
    """``--observed-at``: a time, not a day. "2026-07-15" taken as its midnight would be a
    capture time the user never gave, and order a count saved that evening before one
    fetched at 09:00 (a false fall). Nor a time after now (beyond ``CLOCK_SKEW``): nothing
    was seen in the future, and a capture time of 2099 (a typo for 2026) would be later than
    every real crawl in the time-aware checks and ``report --since``."""
    if value is not None and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        raise click.BadParameter(f"{value!r} is a day, not a time: give the time it was seen, "
                                 f"such as {value.strip()}T09:00Z")
    moment = _moment(ctx, param, value)
    now = _now()
    if moment is not None and moment > now + CLOCK_SKEW:
        raise click.BadParameter(f"{value!r} is in the future (now is {now:%Y-%m-%dT%H:%MZ}, "
                                 f"{CLOCK_SKEW.seconds // 60} minutes of clock skew allowed): "
                                 "give the time the files' data was seen")
    return moment


db_option = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                         default=None, help="SQLite database [default: $RECONCILE_DB or papers.db]")


_OPENED: list[Path] = []  # the databases this command opened, to name one in an error


def _open(db_path: Path | None, *, must_exist: bool = False, read_only: bool = False) -> Store:
    """The database at ``db_path`` (else ``$RECONCILE_DB``, else ``papers.db``). Commands that
    only read (``report``) open it read-only; those that work on what is there (``resolve``,
    ``ack``) refuse a path with no database instead of creating an empty one."""
    path = db_path or default_db_path()
    _OPENED.append(path)
    try:
        return Store(path, read_only=read_only, create=not must_exist)
    except StoreError as exc:
        raise InputError(str(exc)) from None


#: Settings read from the environment, each a number of seconds (0 or more).
SECONDS_SETTINGS = ("RECONCILE_PARSE_SECONDS", "RECONCILE_BUSY_TIMEOUT")


def _check_seconds_settings() -> None:
    """Refuse, in one line, an environment setting of seconds that is not a number of seconds
    (``abc``, ``-1``, ``inf``): the readers would otherwise fall back to their default
    without a word, and an unattended job would run with a bound it was not given."""
    import math

    for name in SECONDS_SETTINGS:
        text = os.environ.get(name)
        if text is None or not text.strip():
            continue
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value >= 0):
            raise InputError(f"{name} must be a number of seconds, 0 or more (got {text!r})")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the whole log (info and up, with tracebacks) to FILE.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars, even on a terminal.")
@click.version_option(package_name="paper-reconcile")
def cli(verbose: int, log_file: Path | None, quiet: bool) -> None:
    """Collect research-paper metadata from several sources, reconcile it, flag discrepancies."""
    _UI["quiet"] = quiet
    _check_seconds_settings()
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    # The level sits on the handler: Scrapy sets its own loggers to DEBUG, and records that
    # propagate to the root are filtered by handlers, not by the root logger's level.
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter((logging.Formatter if verbose else _ConsoleFormatter)("%(levelname)s %(name)s: %(message)s"))
    if not verbose:
        handler.addFilter(_said_already)
    handlers: list[logging.Handler] = [handler]
    if log_file is not None:
        try:
            to_file = _LogFile(log_file, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the log to {log_file}: {exc.strerror or exc}") from None
        to_file.setLevel(min(level, logging.INFO))
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handlers.append(to_file)
    logging.basicConfig(level=min(level, logging.INFO) if log_file else level, handlers=handlers)


class _LogFile(logging.FileHandler):
    """``--log-file``'s handler: a write that fails (a full disk) is one line on stderr, and
    the log file is given up, not a traceback per record (logging's own ``handleError``
    printed 61 of them in one ``run``, probe27); the command then exits 2 when it would
    have exited 0, so a scheduled job knows its log is incomplete."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        if self.failed:
            return
        self.failed = True
        _UI["log_failed"] = True
        exc = sys.exc_info()[1]
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        _say(f"reconcile: error: cannot write the log to {self.baseFilename}: {why}; the log file is left as it is")
        try:
            self.close()
        except OSError:
            pass


def _said_already(record: logging.LogRecord) -> bool:
    """False for a record the terminal has shown in other words: Scrapy's robots.txt
    middleware logs each request whose robots.txt could not be fetched, right after the
    failed robots.txt request itself was logged (``-v`` and ``--log-file`` keep it)."""
    return not (record.name == "scrapy.downloadermiddlewares.robotstxt"
                and str(record.msg).startswith("Error downloading"))


class _ConsoleFormatter(logging.Formatter):
    """Leaves out the traceback of an expected network failure (a DNS error, a refused or
    lost connection, a timeout): the record's one line says what failed, and the reject row
    keeps the reason. ``-v`` and ``--log-file`` keep them whole (the record itself is not
    changed). Unexpected exceptions keep their traceback."""

    MODULES = ("twisted.internet.error", "twisted.web._newclient", "scrapy.exceptions", "OpenSSL",
               "twisted.internet.defer")

    def _expected(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        seen = set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            if type(exc).__module__.startswith(self.MODULES) or isinstance(exc, (TimeoutError, ConnectionError)):
                return True
            exc = exc.__cause__ or exc.__context__
        return False

    def format(self, record: logging.LogRecord) -> str:
        if self._expected(record):
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


# -- ingest ----------------------------------------------------------------------------------
@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--as", "as_source", type=click.Choice([s.value for s in Source]),
              help="Read every file as this source instead of detecting it.")
@click.option("--site", help="The site the files come from (digests).")
@click.option("--observed-at", callback=_capture_moment,
              help="When the data in the files was seen (ISO 8601, a time: 2026-02-05T09:00Z).")
@click.option("--sites-file", type=click.Path(dir_okay=False),
              help="The sites file whose rules read the files (default: the bundled sites.toml).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Leave out files of a directory matching GLOB, by name or path below it (repeatable).")
@db_option
def ingest(paths, as_source, site, observed_at, sites_file, exclude, db_path):
    """Read saved files (or directories, or file:// URLs) into the database."""
    from scrapers.ingest import ingest_paths

    if any(not p.strip() or (p.lower().startswith("file://") and not urlsplit(p).path) for p in paths):
        # "reconcile ingest $INBOX" (or file://$INBOX) with INBOX unset would read the folder
        # it runs in.
        raise click.UsageError("an empty PATH (an unset variable?): name a file or folder, '.' for this one")
    store = _open(db_path)
    write_back(store)  # a crawl's batch the database refused, kept beside it

    def said(path, reading) -> None:
        # Said on stderr when it can be written; the rejects table holds each all the same,
        # so a stderr that fails (a full disk) does not stop the ingest.
        for refusal in reading.refusals:
            if refusal.whole:
                _say(f"reconcile: skipped {path}: {refusal.reason}")
            else:
                _say(f"reconcile: {path}: kept the rest, rejected {refusal.reason}")

    with progress_bar("ingest", "file") as bar:
        try:
            summary = ingest_paths(store, list(paths), source=Source(as_source) if as_source else None,
                                   site=site, given_at=observed_at, sites_path=sites_file,
                                   exclude=tuple(exclude), tick=bar.update, said=said)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    stored, dupes, observations, failed = summary.stored, summary.duplicates, summary.observations, summary.failed
    nothing = not (stored or dupes or failed)
    for folder in summary.empty if not nothing else ():
        _say(f"reconcile: no files in {folder}")
    click.echo(f"ingested {_n(stored, 'document')} ({_n(observations, 'observation')}); "
               f"{dupes} already stored; {failed} rejected")
    for name, (docs, obs) in sorted(summary.formats.items(), key=lambda f: (-f[1][0], f[0])):
        click.echo(f"  {name}: {_n(docs, 'document')}, {_n(obs, 'observation')}")
    if nothing and summary.empty:
        # As when nothing could be read: the input named held nothing to read.
        raise InputError(f"no files in {', '.join(summary.empty)}")
    if failed and not stored and not dupes:
        raise InputError("nothing could be read")


# -- crawl -------------------------------------------------------------------------------------
def _spider_names() -> list[str]:
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    return sorted(SpiderLoader.from_settings(settings).list())


#: Exit code of ``crawl`` and ``run`` when a crawl failed or was partial.
EXIT_CRAWL_FAILED = 3


def _close_orphans(store: Store, own: list[int]) -> int:
    """Mark this run's crawls (``own``: the ids its crawls opened) that never closed (still
    ``running``: a shutdown while the spider was starting, a crash) as ``shutdown``; returns
    how many there were. Nothing of this run stays ``running`` after the command ends, and
    another process's crawl running beside it is left alone."""
    orphans = [c for c in store.crawls() if c.id in own and c.status == "running"]
    for crawl in orphans:
        store.finish_crawl(crawl.id, "shutdown", crawl.stats, _now())
    return len(orphans)


def _crawl_verdict(crawls: list) -> None:
    """Exit ``EXIT_CRAWL_FAILED`` with one line when a crawl did not finish cleanly."""
    bad = [f"{c.spider} {c.status}" for c in crawls if c.status != "finished"]
    if bad:
        click.echo(f"reconcile: error: {len(bad)} of {len(crawls)} crawls did not finish cleanly: "
                   f"{', '.join(bad)}", err=True)
        raise click.exceptions.Exit(EXIT_CRAWL_FAILED)


def _run_crawls(store: Store, plan: list[tuple[str, dict]], replay: Path | None, record: Path | None,
                sets: tuple[str, ...] = (), progress=None, quiet_progress: bool = False) -> list:
    """Run ``(spider, arguments)`` pairs in order into ``store``; bad input is exit code 2.
    Returns the crawls' rows, each with its status (``finished``, ``partial``, ``failed``,
    ...); a line on each one's health goes to stderr."""
    from scrapers.run import CrawlInterrupted, parse_set_options, run_crawls

    known = _spider_names()
    unknown = [name for name, _ in plan if name not in known]
    if unknown:
        raise InputError(f"unknown spider {', '.join(unknown)} (known: {', '.join(known)})")
    if replay is not None and not (replay / "manifest.json").is_file():
        raise InputError(f"no recordings in {replay} (manifest.json missing)")
    try:
        overrides = parse_set_options(list(sets))
    except ValueError as exc:
        raise InputError(str(exc)) from None
    try:
        # A database that cannot be written now (locked past the wait, read-only) would fail
        # the first crawl inside Scrapy: say so in one line before any crawl starts.
        store.check_writable()
    except StoreError as exc:
        raise InputError(str(exc)) from None
    if any(name == "arxiv" and args.get("missing") for name, args in plan):
        # The ids an arXiv crawl of --missing asks for are read inside Scrapy's start, where
        # a damaged database was two tracebacks and a crawl row written into it (probe27):
        # read here first, a damaged file is one line (main's sqlite3.DatabaseError), exit 2.
        store.arxiv_ids_to_fetch()
    own: list[int] = []
    never_opened = _NeverOpened()
    # On the terminal only, and not with -v: --log-file keeps the whole log.
    console = [h for h in logging.getLogger().handlers
               if type(h) is logging.StreamHandler and h.level >= logging.WARNING]
    for handler in console:
        handler.addFilter(never_opened)
    try:
        run_crawls(plan, db_path=store.path, settings_overrides=overrides, replay_dir=replay,
                   record_dir=record, install_root_handler=False, progress=progress, crawl_ids=own)
    except CrawlInterrupted as exc:
        # What finished is stored and the crawl's row says `shutdown`; nothing more is run.
        _close_orphans(store, own)
        click.echo(f"reconcile: {exc}", err=True)
        raise click.exceptions.Exit(130) from None
    except (ValueError, RuntimeError) as exc:
        _close_orphans(store, own)
        raise InputError(str(exc)) from None
    except (KeyboardInterrupt, click.exceptions.Abort):
        _close_orphans(store, own)
        raise
    finally:
        for handler in console:
            handler.removeFilter(never_opened)
    try:
        closed = _close_orphans(store, own)
        crawls = [c for c in store.crawls() if c.id in own]
    except sqlite3.OperationalError as exc:
        # Locked by another process past the crawl's end (its retries included): what it
        # could not write is said above, its row stays `running` until the next crawl marks
        # it interrupted. A crawl that did not finish cleanly: exit 3, not a "bad input" 2.
        kept = store.unsaved_files()
        _say(f"reconcile: error: {store.path}: could not record how the crawl ended ({exc}); "
             + (f"what it could not write is kept in {kept[0].parent}, which the next crawl, ingest or "
                "resolve writes back" if kept else
                "what it could not write is not stored: run it again when the database is free"))
        raise click.exceptions.Exit(3) from None
    if closed:
        # A shutdown came while a crawl was starting: Scrapy stopped it before it could close.
        click.echo("reconcile: crawl interrupted (shutdown) while it was starting", err=True)
        raise click.exceptions.Exit(130)
    if progress is None or quiet_progress:  # a bar draws no summary: one line per crawl
        for crawl in crawls:
            click.echo(f"crawl {crawl.id} {crawl.spider}: {crawl.status}; {crawl_health(crawl.stats)}"
                       f"{_recording_health(crawl.stats)}", err=True)
    return crawls


def _recording_health(stats: dict) -> str:
    """What the crawl line adds when responses could not be recorded (``--record`` into a
    full disk or a read-only folder): how many, and why (``record/error/<why>``)."""
    failed = stats.get("record/error", 0)
    if not failed:
        return ""
    why = sorted(((n, key.split("/", 2)[2]) for key, n in stats.items()
                  if key.startswith("record/error/") and isinstance(n, int)), key=lambda r: (-r[0], r[1]))
    reasons = ", ".join(f"{reason} {n}" for n, reason in why)
    return f"; {failed} response{'s' * (failed != 1)} not recorded" + (f" ({reasons})" if reasons else "")


class _NeverOpened(logging.Filter):
    """Leaves out, on the terminal, Scrapy's complaint that its core stats saw a spider
    close that never opened (an ``AssertionError`` in ``CoreStats.spider_closed``, with a
    traceback). It follows a crawl that could not start (its database refused the crawl's
    row: locked by another process since :meth:`Store.check_writable` asked), which
    ``run_crawls`` reports as the one line ``crawl failed: SPIDER: ...``; the traceback says
    nothing more. ``-v`` and ``--log-file`` keep it."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (isinstance(exc, AssertionError) and "CoreStats.spider_closed" in record.getMessage())


def _refuse_days_ahead(**given: str | None) -> None:
    """A usage error (exit 2) for a day no time zone has reached yet (after
    :func:`reconcile.plan.latest_day`): a typo, or a clock that is ahead. Such a crawl ends
    ``finished`` on empty lists and would become the source's last complete day, after
    which every catch-up ``run`` skipped the source until that day came."""
    from reconcile.plan import latest_day

    latest = latest_day(_now())
    for name, value in given.items():
        if value and dt.date.fromisoformat(value) > latest:
            raise click.UsageError(f"--{name} {value} is a day that has not begun anywhere yet (today is "
                                   f"{_now().date()} in UTC): a typo, or a clock that is ahead?")


@cli.command()
@click.argument("spiders", nargs=-1, required=True)
@click.option("--date", callback=_date, help="The day to crawl (YYYY-MM-DD).")
@click.option("--since", callback=_date, help="First day of a range.")
@click.option("--until", callback=_date, help="Last day of a range.")
@click.option("--ids", help="Comma-separated arXiv ids.")
@click.option("--missing", is_flag=True, help="arxiv: the ids other sources carry that arXiv was not asked for.")
@click.option("--category", help="arxiv: a category (cs.CL) for --date searches, RSS, or an OAI set.")
@click.option("--via", type=click.Choice(["api", "rss", "oai"]), help="arxiv: which interface to use.")
@click.option("--pages", is_flag=True, help="huggingface: read the HTML date pages instead of the API.")
@click.option("--sites", help="digests: comma-separated site names [default: every enabled site].")
@click.option("--replay", type=click.Path(file_okay=False, path_type=Path), help="Replay recordings from DIR.")
@click.option("--record", type=click.Path(file_okay=False, path_type=Path), help="Record responses into DIR.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting.")
@db_option
def crawl(spiders, date, since, until, ids, missing, category, via, pages, sites, replay, record, sets,
          db_path):
    """Run spiders (huggingface, arxiv, ...) and store what they find."""
    if date and (since or until):
        raise click.UsageError("--date cannot be combined with --since/--until")
    _refuse_days_ahead(date=date, since=since, until=until)
    given = {"date": date, "since": since, "until": until, "ids": ids, "missing": missing,
             "category": category, "via": via, "pages": pages, "sites": sites}
    args = {k: v for k, v in given.items() if v}
    store = _open(db_path)
    with progress_bar("crawl", "item") as bar:
        def advance(event: str, name: str, data: dict) -> None:
            if event == "start":
                bar.set_description_str(f"crawl {name}")  # set_description adds a ': ' of its own
            elif event == "item":
                bar.update()

        crawls = _run_crawls(store, [(name, dict(args)) for name in spiders], replay, record, sets,
                             progress=advance, quiet_progress=True)
    _crawl_verdict(crawls)


# -- resolve and report ---------------------------------------------------------------------
def _config(path: Path | None):
    """The reconciler's configuration: the defaults, with the values of ``path`` (TOML)."""
    from reconcile.config import DEFAULTS, ReconcileConfig

    if path is None:
        return DEFAULTS
    try:
        return ReconcileConfig.from_toml(path)
    except ValueError as exc:
        raise InputError(str(exc)) from None


config_option = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                             help="A TOML file of thresholds to change, by section (see `reconcile config --show`).")


@cli.command()
@config_option
@db_option
def resolve(config_path, db_path):
    """Match new observations to papers, merge them, and check for discrepancies."""
    config = _config(config_path)
    with progress_bar("resolve", "paper") as bar:
        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        store = _open(db_path, must_exist=True)
        write_back(store)  # a crawl's batch the database refused, kept beside it
        summary = resolve_store(store, config, progress=advance)
    methods = ", ".join(f"{n} by {m}" for m, n in sorted((summary.by_method or {}).items()))
    click.echo(f"placed {summary.linked} of {summary.new_observations} new observations"
               + (f" ({methods})" if methods else "")
               + (f"; {summary.unplaced} unplaced" if summary.unplaced else "")
               + (f"; {_n(summary.adopted, 'title-only paper')} adopted" if summary.adopted else "")
               + f"; re-checked {_n(summary.papers_touched, 'paper')}: "
               f"{_n(summary.discrepancies, 'discrepancy', 'discrepancies')}")


@cli.command("config")
@click.option("--show", is_flag=True, required=True, help="Print the effective values.")
@config_option
def config_command(show, config_path):
    """Print the reconciler's thresholds: the defaults, or with a --config file's values."""
    import json

    data = _config(config_path).model_dump(mode="json")
    for section, values in data.items():
        click.echo(f"[{section}]")
        for key, value in values.items():
            click.echo(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        click.echo("")


def write_report(store: Store, fmt: str, output: Path | None, kinds=(), min_severity="info", since=None,
                 sources=(), baseline=None, include_acknowledged=False) -> list:
    """Render a report to a file or stdout; returns the reported discrepancies."""
    data = build_report(store, [Kind(k) for k in kinds], Severity(min_severity), since=since,
                        sources=[Source(s) for s in sources], with_history=fmt == "html",
                        baseline=baseline, include_acknowledged=include_acknowledged)
    text = RENDERERS[fmt](data)
    if output:
        # A path that is not UTF-8 (the database in a Latin-1 folder) is written with its
        # bytes as "\xe9", not refused.
        save_report(output, text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
    else:
        click.echo(text, nl=False)
    return data.discrepancies


def _umask() -> int:
    """This process's umask (read by setting it, and set back)."""
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def save_report(output: Path, text: str) -> None:
    """Write a report to ``output``: a regular file (or a new one) is written beside it and
    renamed over it, so a failed write (a full disk) leaves the previous report whole; a
    symbolic link is followed, and the file it names written so. Anything else there (a
    device such as /dev/stdout, a named pipe) and a file in a folder this user may not
    write are written in place: renaming a file over them would replace the device, the
    pipe or the link instead of writing to them. A failed write is a one-line error."""
    target = Path(os.path.realpath(output))
    try:
        regular = not target.exists() or target.is_file()
        if regular and os.access(target.parent, os.W_OK):
            # A name of its own: two reports written to one path at once (a cron job beside
            # a person's) each renamed the other's half-written file over the target.
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
            partial = Path(name)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(text)
                os.chmod(partial, 0o666 & ~_umask())
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
        else:
            with open(target, "w", encoding="utf-8") as out:
                out.write(text)
    except OSError as exc:
        raise InputError(f"cannot write the report to {output}: {exc.strerror or exc}") from None


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)), default="md", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice([k.value for k in Kind]),
              help="Only this kind (repeatable).")
@click.option("--min-severity", type=click.Choice([s.value for s in Severity]), default="info",
              show_default=True)
@click.option("--since", callback=_moment,
              help="Only discrepancies with evidence observed at or after this date or time.")
@click.option("--source", "sources", multiple=True, type=click.Choice([s.value for s in Source]),
              help="Only discrepancies where this source is a side (repeatable).")
@click.option("--fail-on", type=click.Choice(["warning", "error"]),
              help="Exit 1 when a reported discrepancy is at least this severe.")
@click.option("--baseline", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Leave out findings already in FILE (an earlier JSON report, or ids one per line).")
@click.option("--include-acknowledged", is_flag=True, help="Show acknowledged findings too.")
def report(db_path, fmt, output, kinds, min_severity, since, sources, fail_on, baseline, include_acknowledged):
    """Report papers and their discrepancies (new ones only, with --baseline)."""
    store = _open(db_path, read_only=True)
    known = None
    if baseline is not None:
        try:
            known = read_baseline(baseline)
        except (ValueError, OSError) as exc:
            raise click.UsageError(str(exc).splitlines()[0]) from None
    found = write_report(store, fmt, output, kinds, min_severity, since, sources, known, include_acknowledged)
    if fail_on and any(d.severity.level >= Severity(fail_on).level for d in found):
        raise click.exceptions.Exit(1)
    if fail_on and (waiting := incomplete(store.counts())):
        # A report of findings not yet made cannot say there is nothing to alert on.
        click.echo(f"reconcile: the report is incomplete: {waiting}", err=True)
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--note", help="Why it is known (kept with the acknowledgement).")
@click.option("--remove", is_flag=True, help="Forget these acknowledgements instead.")
@db_option
def ack(ids, note, remove, db_path):
    """Acknowledge findings by id: reports leave them out until they grow more severe."""
    store = _open(db_path, must_exist=True)
    if remove:
        click.echo(f"forgot {_n(store.unacknowledge(ids), 'acknowledgement')}")
        return
    unknown = store.acknowledge(ids, note, _now())
    if unknown:
        raise click.UsageError(f"no current finding has the id {unknown[0]!r}"
                               + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""))
    click.echo(f"acknowledged {_n(len(set(ids)), 'finding')}")


# -- run and demo ---------------------------------------------------------------------------
def daily_plan(day: str, sites: str | None = None) -> list[tuple[str, dict]]:
    """What ``run`` crawls for a day: Hugging Face's list, the digest sites (``sites``, or
    every enabled one), ArxivLens, then arXiv for the ids all of them carry."""
    digests = {"date": day, **({"sites": sites} if sites else {})}
    return [("huggingface", {"date": day}), ("digests", digests), ("arxivlens", {"date": day}),
            ("arxiv", {"missing": True})]


@cli.command()
@click.option("--date", callback=_date,
              help="Crawl this day only [default: every day since each source's last complete day].")
@click.option("--max-days", type=click.IntRange(1, 366), default=7, show_default=True,
              help="Catch up at most this many days (the latest).")
@click.option("--reobserve-days", type=click.IntRange(0, 366), default=7, show_default=True,
              help="Ask Hugging Face again for the lists of this many recent days (counts grow).")
@click.option("--dry-run", is_flag=True, help="Print what would be crawled, and stop.")
@click.option("--replay", type=click.Path(file_okay=False, path_type=Path), help="Replay recordings from DIR.")
@db_option
def run(date, max_days, reobserve_days, dry_run, replay, db_path):
    """Crawl every source (catching up missed days), resolve, and print the report."""
    from reconcile import plan as planning

    _refuse_days_ahead(date=date)
    today = _now().date()
    path = db_path or default_db_path()
    if dry_run and not path.exists():  # a plan needs no database; do not make one
        marks, ahead = {}, {}
        store = None
    else:
        store = _open(db_path)
        stored = store.crawls()
        # A last complete day after today is not trusted (see reconcile.plan); `notes` says so.
        marks, ahead = planning.watermarks(stored, today), planning.marks_ahead(stored, today)
    said: list[str] = []
    if date:
        todo = daily_plan(date)
    else:
        from scrapers.sites import load_sites

        enabled = [site.name for site in load_sites(None) if site.enabled]
        todo = planning.catch_up_plan(marks, today, max_days=max_days, reobserve_days=reobserve_days,
                                      digest_sites=enabled)
        said = planning.notes(marks, ahead, today, max_days=max_days, reobserve_days=reobserve_days,
                              digest_sites=enabled)
    if dry_run:
        click.echo("\n".join([planning.describe(todo, marks), *said]))
        return
    for line in said:  # before the crawls: said even when the run is stopped
        click.echo(line, err=True)
    crawls = _run_crawls(store, todo, replay, None)
    resolve_store(store)
    write_report(store, "md", None)
    _crawl_verdict(crawls)  # after the report: what did arrive is resolved and reported


def demo_dir() -> Path:
    """The recordings bundled with the package for the demo day."""
    import scrapers

    return Path(scrapers.__file__).parent / "recordings" / DEMO_DAY


@cli.command()
@db_option
def demo(db_path):
    """Run offline on the bundled recordings of 2026-02-05 and print the report."""
    store = _open(db_path)
    bundle = demo_dir()
    plan = daily_plan(DEMO_DAY, DEMO_SITES)
    steps = len(plan) + 2
    click.echo(f"paper-reconcile demo: {DEMO_DAY}, replayed offline from the recordings in {bundle}", err=True)
    _run_crawls(store, plan, bundle, None, progress=CrawlProgress(steps))
    click.echo(f"[{steps - 1}/{steps}] resolve    matching, merging, checking ...", err=True)
    summary = resolve_store(store)
    click.echo(f"{'':>{len(str(steps)) * 2 + 3}} {_n(summary.linked, 'observation')} placed, "
               f"{_n(summary.papers_touched, 'paper')} re-checked, "
               f"{_n(summary.discrepancies, 'discrepancy', 'discrepancies')} on them", err=True)
    report_path = store.path.with_name(store.path.stem + "-report.md")
    html_path = report_path.with_suffix(".html")
    click.echo(f"[{steps}/{steps}] report     {report_path.name}, {html_path.name}", err=True)
    write_report(store, "md", report_path)
    write_report(store, "html", html_path)
    click.echo(report_path.read_text(encoding="utf-8"))
    db = store.path.resolve()
    click.echo(f"Database: {db}\nReport:   {report_path.resolve()}\nHTML:     {html_path.resolve()}\n\n"
               + try_next(store.path))


class CrawlProgress:
    """A line per crawl as it starts and as it ends, on stderr: which spider, with which
    arguments, and what it brought in (items, responses, rejects, time)."""

    def __init__(self, steps: int) -> None:
        self.steps, self.step, self.started = steps, 0, {}

    def __call__(self, event: str, name: str, data: dict) -> None:
        """``scrapers.run.run_crawls`` progress callback."""
        width = len(str(self.steps))
        if event == "item":
            return
        if event == "start":
            self.step += 1
            self.started[name] = _now()
            args = " ".join(f"{k}={v}" for k, v in data.items())
            click.echo(f"[{self.step:>{width}}/{self.steps}] {name:<10} {args} ...", err=True)
            return
        seconds = (_now() - self.started.get(name, _now())).total_seconds()

        def total(part: str) -> int:
            return sum(v for k, v in data.items() if part in k and isinstance(v, int))

        from scrapers.pipelines import crawl_status

        status = crawl_status(data.get("finish_reason", "finished"), bool(data.get("reconcile/store/error")), data)
        click.echo(f"{'':>{width * 2 + 3}} {_n(total('/documents/stored'), 'new document')} with "
                   f"{_n(total('/observations/stored'), 'observation')}, {total('/documents/duplicate')} already "
                   f"stored, {_n(total('/rejects/'), 'reject')}; "
                   f"{_n(data.get('downloader/response_count', 0), 'response')}, {status} in {seconds:.1f} s",
                   err=True)


# -- serve -----------------------------------------------------------------------------------
@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="The port to listen on.")
def serve(db_path, host, port):
    """Browse the database in Datasette, with the bundled metadata and canned queries."""
    from reconcile import serve as web

    path = db_path or default_db_path()
    try:
        datasette = web.prepare(path, host, port)
    except web.ServeError as exc:
        raise InputError(str(exc)) from None
    click.echo(f"serving {path} at {web.database_url(path, host, port)} (Ctrl-C to stop)", err=True)
    web.run(datasette, host, port)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: usage errors become one line on stderr and exit code 2."""
    try:
        code = cli.main(args=argv, prog_name="reconcile", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        click.echo(f"reconcile: error: {exc.format_message()}", err=True)
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("reconcile: aborted", err=True)
        code = 130
    except sqlite3.DatabaseError as exc:  # a write refused after the open: locked past the wait, disk full
        where = _OPENED[-1] if _OPENED else default_db_path()
        _say(f"reconcile: error: {describe_sqlite_error(where, exc)}")
        code = 2
    except (OSError, UnicodeEncodeError) as exc:  # the output cannot be written: a full disk, a closed pipe
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if isinstance(exc, OSError) and exc.filename:
            _say(f"reconcile: error: {exc.filename}: {what}")
        else:
            _say(f"reconcile: error: cannot write the output: {what}")
        code = 2
    if not code and _UI.get("log_failed"):
        code = 2  # the work is done, its log is not whole (_LogFile)
    sys.exit(code or 0)


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """``1 document``, ``2 documents`` (``plural`` for a noun that does not add an s)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _say(line: str) -> None:
    """One line on stderr, if stderr can still be written (it may be the stream that failed)."""
    try:
        click.echo(line, err=True)
    except (OSError, UnicodeEncodeError, AttributeError):
        pass

