"""The Jekyll daily-papers reader keeps every item, whatever its ``👍`` count says.

A count that is not an exact whole number as written ("1.2k", a European "2.048", "99+")
leaves ``upvotes`` empty and its text in ``extra['likes_text']``: never guessed, never a
reason to drop the item. A numbered bold line of a shape the reader does not know is a
problem (a reject row) while the items beside it are kept. All posts here are made up.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from click.testing import CliRunner

from reconcile.cli import cli
from scrapers.pages import read_page
from scrapers.pages.digests import jekyll_daily

from .support import rows

FRONT = ("---\ntitle: Hugging Face Daily Papers - 2031-03-04\ndate: 2031-03-04 08:00:00 +0900\n"
         "author: someone\n---\n\n# Made-up Daily Papers\n\n")
MTIME = dt.datetime(2031, 3, 5, 12, 0, tzinfo=dt.timezone.utc)


def item(rank: int, title: str, arxiv_id: str, tail: str) -> str:
    """One made-up item: ``N. **Title**`` + ``tail``, then its fields and links."""
    return (f"{rank}. **{title}**{tail}\n"
            f"   - 기관: Pond Lab\n"
            f"   - [HF 페이지](https://huggingface.co/papers/{arxiv_id})\n"
            f"   - [논문 링크](https://arxiv.org/abs/{arxiv_id})\n"
            f"   - Abstract: A made-up abstract about {title.lower()}.\n\n")


def post(stated: int, *items: str) -> str:
    return FRONT + f"총 **{stated}개**의 논문이 수집되었습니다.\n\n" + "".join(items)


def test_counts_that_are_not_exact_keep_the_item_with_upvotes_empty():
    text = post(5,
                item(1, "Herons Who Count", "3103.00011", " - 👍 1.2k"),
                item(2, "Egrets at Scale", "3103.00012", " - 👍 2.048"),
                item(3, "A Thousand Swans", "3103.00013", " - 👍 1,536"),
                item(4, "Grebes Beyond Limits", "3103.00014", " - 👍 99+"),
                item(5, "Plain Coots", "3103.00015", " - 👍 12"))
    parsed = jekyll_daily.FORMAT.parse(text, "file:///p.md")
    got = [(o.rank, o.arxiv_id, o.title, o.upvotes, o.extra.get("likes_text")) for o in parsed.observations]
    assert got == [(1, "3103.00011", "Herons Who Count", None, "1.2k"),
                   (2, "3103.00012", "Egrets at Scale", None, "2.048"),
                   (3, "3103.00013", "A Thousand Swans", 1536, None),
                   (4, "3103.00014", "Grebes Beyond Limits", None, "99+"),
                   (5, "3103.00015", "Plain Coots", 12, None)]
    assert parsed.problems == []
    # Empty counts mean the numbering cannot be shown to rank by upvotes.
    assert {o.extra["rank_basis"] for o in parsed.observations} == {"position"}


def test_an_item_without_any_count_is_kept_without_upvotes():
    text = post(2,
                item(1, "Loons Underwater", "3103.00021", " - 👍 40"),
                item(2, "Silent Cormorants", "3103.00022", ""))
    parsed = jekyll_daily.FORMAT.parse(text, "file:///p.md")
    assert [(o.title, o.upvotes, "likes_text" in o.extra) for o in parsed.observations] == [
        ("Loons Underwater", 40, False), ("Silent Cormorants", None, False)]
    assert parsed.problems == []


def test_a_numbered_line_of_another_shape_is_a_problem_and_lends_no_links():
    # Item 1 has no arXiv or HF link of its own: the unread item's links must not give it an id.
    first = "1. **Gulls Without Links** - 👍 30\n   - 기관: Pond Lab\n\n"
    text = post(3, first,
                item(2, "Starred Terns", "3103.00032", " - ⭐ 25"),
                item(3, "Puffins Again", "3103.00033", " - 👍 9"))
    parsed = jekyll_daily.FORMAT.parse(text, "file:///p.md")
    assert [(o.title, o.arxiv_id, o.upvotes) for o in parsed.observations] == [
        ("Gulls Without Links", None, 30), ("Puffins Again", "3103.00033", 9)]
    reasons = [p.reason for p in parsed.problems]
    assert reasons == ["daily-papers post: a numbered line is not a 'N. **Title** - 👍 N' item; not read",
                       "daily-papers post says 3 papers but 2 items were read"]
    assert parsed.problems[0].excerpt == "2. **Starred Terns** - ⭐ 25"


def test_ingest_stores_every_item_and_a_reject_for_the_unread_line(tmp_path):
    folder = tmp_path / "_posts"
    folder.mkdir()
    (folder / "2031-03-04-daily-papers.md").write_text(post(
        3,
        item(1, "Herons Who Count", "3103.00041", " - 👍 1.2k"),
        item(2, "Egrets at Scale", "3103.00042", " - 👍 1.024"),
        item(3, "A Thousand Swans", "3103.00043", " - 👍 1,536")), encoding="utf-8")
    (folder / "2031-03-05-daily-papers.md").write_text(post(
        2,
        item(1, "Loons Underwater", "3103.00051", " - 👍 8"),
        item(2, "Starred Terns", "3103.00052", " - ⭐ 5")), encoding="utf-8")
    for path in folder.iterdir():  # saved after the days they name, as a real post is
        os.utime(path, (1960000000, 1960000000))
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    got = rows(db, "select arxiv_id, upvotes, json_extract(extra, '$.likes_text') as text "
                   "from observations order by arxiv_id")
    assert [(r["arxiv_id"], r["upvotes"], r["text"]) for r in got] == [
        ("3103.00041", None, "1.2k"), ("3103.00042", None, "1.024"), ("3103.00043", 1536, None),
        ("3103.00051", 8, None)]
    reasons = sorted(r["reason"] for r in rows(db, "select reason from rejects"))
    assert len(reasons) == 2 and all("\n" not in r for r in reasons)
    assert any("not a 'N. **Title** - 👍 N' item" in r for r in reasons)


def test_a_numbered_bold_list_without_any_thumbs_up_is_not_this_format():
    text = FRONT + "1. **First point**\n2. **Second point**\n"
    assert not jekyll_daily.sniff(text, "file:///p.md")
    assert jekyll_daily.sniff(text + "3. **A Paper** - 👍 1.2k\n", "file:///p.md")
    result = read_page("file:///p.md", (text + "3. **A Paper** - 👍 1.2k\n").encode(), {}, mtime=MTIME)
    assert result.document.format == "digest-jekyll-daily"


def test_a_title_that_never_closes_is_read_in_linear_time():
    text = FRONT + "1. **An Open Title" + "\n   more words" * 3000 + "\n2. **Closed** - 👍 1.2k\n"
    start = time.monotonic()
    parsed = jekyll_daily.FORMAT.parse(text, "file:///p.md")
    assert time.monotonic() - start < 5
    assert [(o.title, o.upvotes) for o in parsed.observations] == [("Closed", None)]
    assert [p.excerpt for p in parsed.problems] == ["1. **An Open Title"]
