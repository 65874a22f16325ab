"""Score `reconcile ingest` on the made-up digests of tests/cases/made_up_digests.

Each document is ingested alone (copied into an empty folder) into a fresh database by the
installed command, in this process, and what it stored is compared with the truth file
beside it (`<file>.truth.json`, described in that folder's README.md). Prints, per set, a
Markdown table (documents, listed papers, false values, false items, misses, files rejected
whole) and then every false value with its file, paper, field, stored value and truth.

    .venv/bin/python benchmarks/score_made_up.py            # a few seconds
    .venv/bin/python benchmarks/score_made_up.py --misses   # also every miss

A false value is a value stored that the truth says is not the document's; a false item is
a paper stored as listed, with a day, rank or count, that the document only cites; a miss is
a value the document states and nothing was stored. A mention (an item without an id) is
not scored as an item. Titles the truth leaves out are not
scored, and neither are fields it leaves out (except `listed_on`, which takes the
document's). `tests/test_made_up_digests.py` keeps the counts from going up.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import json
import platform
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases" / "made_up_digests"
SETS = ("set-a", "set-b", "set-c", "set-d", "set-e", "set-f", "set-g", "set-h", "set-i")
# (truth key, observations column): organization is scored too, as the first measure did.
FIELDS = ("title", "upvotes", "comments", "rank", "listed_on", "authors", "organization", "stars")
COUNTED = ("upvotes", "comments", "rank", "listed_on", "stars")  # what makes a cited id a false item
COLUMNS = ("arxiv_id", "title", "authors", "organization", "upvotes", "comments", "rank", "listed_on", "extra")
MARKS = re.compile(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§,]+$")  # affiliation marks after an author's name


@dataclass
class Score:
    """What one document gave against its truth."""

    set: str
    file: str
    papers: int
    false: list[tuple] = field(default_factory=list)        # (paper, field, stored, truth)
    false_items: list[str] = field(default_factory=list)
    misses: list[tuple] = field(default_factory=list)       # (paper, field, truth)
    review: list[tuple] = field(default_factory=list)       # unscored oddities, for a reader
    rejected_whole: bool = False
    may_be_rejected: bool = False
    exit_code: int = 0
    raised: str | None = None                               # a traceback, if ingest raised


def ingest_alone(path: Path) -> tuple[list[dict], int, str | None]:
    """Ingest ``path`` alone into a fresh database with the installed command; return the
    observations stored (as rows), the exit code, and a traceback if the command raised.

    The file is copied into an empty folder first so nothing beside it (its truth file) can
    be read with it."""
    from reconcile.entry import main

    with tempfile.TemporaryDirectory(prefix="made-up-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        shutil.copy2(path, folder / path.name)
        db = Path(tmp) / "papers.db"
        err = io.StringIO()
        raised, code = None, 0
        argv = sys.argv
        sys.argv = ["reconcile", "ingest", str(folder / path.name), "--db", str(db)]
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # a traceback is the finding here, not a reason to stop scoring
            raised, code = traceback.format_exc(), 1
        finally:
            sys.argv = argv
        if raised is None and "Traceback (most recent call last)" in err.getvalue():
            raised = err.getvalue()
        return read_observations(db), code, raised


def read_observations(db: Path) -> list[dict]:
    """The observations of ``db`` in the order stored, ``extra`` decoded; none if no database."""
    if not db.exists():
        return []
    con = sqlite3.connect(db)
    try:
        rows = con.execute(f"select {', '.join(COLUMNS)} from observations order by id").fetchall()
    except sqlite3.OperationalError:
        rows = []
    finally:
        con.close()
    out = []
    for row in rows:
        obs = dict(zip(COLUMNS, row))
        obs["extra"] = json.loads(obs["extra"] or "{}")
        out.append(obs)
    return out


def stored(obs: dict, name: str):
    """A field as stored, ``None`` when empty (stars live in ``extra``, authors as JSON)."""
    if name == "stars":
        return obs["extra"].get("stars")
    if name == "authors":
        return json.loads(obs["authors"] or "[]") or None
    value = obs[name]
    return None if value in ("", None) else value


def _squash(text) -> str:
    return " ".join(str(text).split())


def agrees(name: str, allowed: list, value) -> bool:
    """Whether a stored ``value`` is one the truth allows: titles up to whitespace, authors
    when every stored name (its marks cut) is in the stated list, the rest equal."""
    if name == "authors":
        lists = [set(a) for a in allowed if isinstance(a, list)]
        return any(all(MARKS.sub("", n.strip()).strip() in names for n in value) for names in lists)
    if name == "title":
        return _squash(value) in [_squash(a) for a in allowed]
    return value in allowed


def score_document(truth: dict, observations: list[dict], text: str, *, set_name: str = "") -> Score:
    """Compare what was stored for one document with its truth (see the cases' README).

    A value stored where the truth says none (null), or other than the one (or ones) it
    allows, is false; a value the truth states plainly (or as `one_of` without
    `may_be_empty`) that was not stored is a miss, for `papers` only, not `may_be_listed`.
    A paper stored as listed (not a citation, not marked off the day's list) that the truth
    does not list, with a count, rank, day or stars, is a false item and each such value a
    false value."""
    papers, maybe = truth["papers"], truth.get("may_be_listed", {})
    res = Score(set_name, truth["file"], len(papers), may_be_rejected=truth.get("may_be_rejected", False))
    res.rejected_whole = not observations and bool(papers)
    # A mention (an item naming a paper without its id) claims no paper: it is not scored
    # as an item, only shown for review.
    res.review.extend((None, "mention", o["extra"].get("mentioned_as")) for o in observations
                      if o["arxiv_id"] is None and o["extra"].get("mention"))
    listed = {o["arxiv_id"]: o for o in observations if o["arxiv_id"] is not None
              and not o["extra"].get("citation") and not o["extra"].get("not_the_days_list")}
    marked = {o["arxiv_id"]: o for o in observations if o["extra"].get("not_the_days_list")}
    for aid, obs in list(listed.items()) + list(marked.items()):
        if aid in papers or aid in maybe:
            continue
        if aid in marked and aid not in listed:
            res.review.append((aid, "stored, marked not_the_days_list"))
            continue
        values = {f: stored(obs, f) for f in COUNTED if stored(obs, f) is not None}
        if values:
            res.false_items.append(aid)
            res.false.extend((aid, f, v, "not a listed item") for f, v in values.items())
        else:
            res.review.append((aid, "stored as listed without values", obs.get("title")))
    flat = _squash(html.unescape(text))
    for aid, spec in list(papers.items()) + list(maybe.items()):
        obs = listed.get(aid) or marked.get(aid)
        for name in FIELDS:
            value = stored(obs, name) if obs else None
            if name in spec:
                want = spec[name]
            elif name == "listed_on" and "listed_on" in truth:
                want = truth["listed_on"]
            else:
                if name == "title" and value is not None and _squash(value) not in flat:
                    res.review.append((aid, name, value, "title not verbatim in the document"))
                elif name != "title" and value is not None:
                    res.review.append((aid, name, value, "truth silent"))
                continue
            if want is None:
                if value is not None:
                    res.false.append((aid, name, value, None))
            elif isinstance(want, dict):
                if value is not None and not agrees(name, want["one_of"], value):
                    shown = want["one_of"] + ([None] if want.get("may_be_empty") else [])
                    res.false.append((aid, name, value, "one of " + json.dumps(shown, ensure_ascii=False)))
                if value is None and not want.get("may_be_empty") and aid in papers:
                    res.misses.append((aid, name, want["one_of"]))
            elif value is None:
                if aid in papers:
                    res.misses.append((aid, name, want))
            elif not agrees(name, [want], value):
                res.false.append((aid, name, value, want))
    return res


def documents(cases: Path = CASES, set_name: str | None = None) -> list[tuple[str, Path, dict]]:
    """(set, document path, truth) for every document of the corpus, sorted by set and name."""
    out = []
    for name in SETS if set_name is None else (set_name,):
        for truth_path in sorted((cases / name).glob("*.truth.json")):
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            out.append((name, truth_path.parent / truth["file"], truth))
    return out


def score_file(set_name: str, path: Path, truth: dict) -> Score:
    """Ingest one document alone and score it against ``truth``."""
    observations, code, raised = ingest_alone(path)
    res = score_document(truth, observations, path.read_text(encoding="utf-8", errors="replace"),
                         set_name=set_name)
    res.exit_code, res.raised = code, raised
    return res


def score_corpus(cases: Path = CASES) -> list[Score]:
    """Every document of the corpus scored."""
    return [score_file(s, p, t) for s, p, t in documents(cases)]


def totals(scores: list[Score]) -> dict[str, int]:
    """The table's counts over ``scores``."""
    return {
        "documents": len(scores),
        "listed papers": sum(s.papers for s in scores),
        "false values": sum(len(s.false) for s in scores),
        "false items": sum(len(s.false_items) for s in scores),
        "misses": sum(len(s.misses) for s in scores),
        "files rejected whole": sum(s.rejected_whole for s in scores),
        "raised": sum(s.raised is not None for s in scores),
    }


def _cell(value) -> str:
    return "empty" if value is None else json.dumps(value, ensure_ascii=False).replace("|", "\\|")


def render(scores: list[Score], *, misses: bool = False) -> str:
    """The Markdown report: the table per set and over all, then every false value."""
    heads = list(totals([]))
    lines = ["| set | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(heads)]
    for name in SETS:
        row = totals([s for s in scores if s.set == name])
        lines.append(f"| {name} | " + " | ".join(str(row[h]) for h in heads) + " |")
    row = totals(scores)
    lines.append("| **all** | " + " | ".join(f"**{row[h]}**" for h in heads) + " |")
    lines += ["", "False values:", "", "| set | file | paper | field | stored | truth |", "|---|---|---|---|---|---|"]
    for s in scores:
        for aid, name, value, want in s.false:
            truth = want if isinstance(want, str) and (want.startswith("one of ") or want == "not a listed item") \
                else _cell(want)
            lines.append(f"| {s.set} | {s.file} | {aid} | {name} | {_cell(value)} | {truth} |")
    rejected = [s for s in scores if s.rejected_whole]
    if rejected:
        lines += ["", "Rejected whole: " + ", ".join(
            f"{s.set}/{s.file}" + (" (allowed)" if s.may_be_rejected else "") for s in rejected)]
    for s in scores:
        if s.raised:
            lines += ["", f"Raised on {s.set}/{s.file}:", "", "```", s.raised.rstrip(), "```"]
    if misses:
        lines += ["", "Misses:", "", "| set | file | paper | field | truth |", "|---|---|---|---|---|"]
        lines += [f"| {s.set} | {s.file} | {aid} | {name} | {_cell(want)} |"
                  for s in scores for aid, name, want in s.misses]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Score the corpus and print the report; exits 0 whatever the counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=CASES, help="the corpus folder (default: %(default)s)")
    parser.add_argument("--misses", action="store_true", help="also list every miss")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scores = score_corpus(args.cases)
    print(render(scores, misses=args.misses))
    print(f"\n{len(scores)} documents in {time.perf_counter() - started:.1f} s; "
          f"Python {platform.python_version()} on {platform.machine()} {platform.system()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
