"""The matcher's blocking index as stored (``match_papers``, ``match_blocks``,
``match_meta``): looked up block by block (:class:`reconcile.blocking.IndexSource`), staged and
written once per run."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from .rows import chunks, placeholders
from .schema import SCHEMA


class MatchIndexMixin:
    """The matcher's blocking index in a :class:`~reconcile.store.Store`."""

    # -- the matcher's blocking index -----------------------------------------------------
    def index_count(self) -> int:
        """How many papers the blocking index finds by title: each has one ``key`` block,
        counted in the blocks' key order (at 1M, 0.05 s warm against 0.21 s for reading
        every row of ``match_papers``, whose rows list their blocks)."""
        return self.db.execute("select count(*) from match_blocks where kind = 'key'").fetchone()[0]

    def index_state(self) -> tuple[str | None, int, int]:
        """The fingerprint the index was built with (``match_meta``), how many papers it
        holds and how many the ``papers`` table holds: ``resolve`` rebuilds it when these
        say it is not the index of these papers."""
        row = self.db.execute("select value from match_meta where name = 'fingerprint'").fetchone()
        indexed = self.db.execute("select count(*) from match_papers").fetchone()[0]
        papers = self.db.execute("select count(*) from papers").fetchone()[0]
        return (row[0] if row else None), indexed, papers

    def index_papers(self, paper_ids: Iterable[str], titled: bool = True) -> dict[str, dict[str, Any]]:
        """The indexed papers with these ids that have a title (or, ``titled`` false, any):
        title, key, publication day, authors and days (JSON)."""
        out = {}
        where = "key is not null and " if titled else ""
        for chunk in chunks(sorted(set(paper_ids))):
            for row in self.db.execute_returning_dicts(
                    f"select paper_id, title, key, published, authors, days, others from match_papers "
                    f"where {where}paper_id in ({placeholders(chunk)})", chunk):
                out[row["paper_id"]] = row
        return out

    def index_postings(self, kind: str, value: str, limit: int | None = None) -> list[str]:
        """The papers a block holds, in paper id order (the order a bounded read keeps)."""
        sql = "select paper_id from match_blocks where kind = ? and value = ? order by paper_id"
        args: list[Any] = [kind, value]
        if limit is not None:
            sql += " limit ?"
            args.append(limit)
        return [r[0] for r in self.db.execute(sql, args)]

    def index_sizes(self, kind: str, values: Iterable[str]) -> dict[str, int]:
        """How many papers each of these blocks holds (absent blocks are left out)."""
        out: dict[str, int] = {}
        for chunk in chunks(sorted(set(values))):
            out.update(self.db.execute(
                f"select value, count(*) from match_blocks where kind = ? and value in ({placeholders(chunk)}) "
                f"group by value", [kind, *chunk]).fetchall())
        return out

    def title_only_papers(self) -> list[str]:
        """Every indexed paper known only by its title (``title:...``), by id."""
        return [r[0] for r in self.db.execute(
            "select paper_id from match_papers where paper_id >= 'title:' and paper_id < 'title;' "
            "and key is not null order by paper_id")]

    def stage_index(self, rows: Sequence[dict[str, Any]]) -> None:
        """Hold these papers' rows of ``match_papers`` (each lists its blocks) in this
        connection's temporary storage until :meth:`write_index` writes everything staged
        at once; each paper once. Until then the stored index is marked out of step (its
        fingerprint is removed in the caller's commit), so a run stopped in between leaves
        an index the next ``resolve`` rebuilds, never a stale one.

        Why not write each chunk's blocks as it comes: a chunk's blocks fall all over the
        key order, so every commit rewrote most pages of the blocks' B-tree. At 1M
        observations the parent spent 104 s inserting them chunk by chunk and 70 s in its
        commits (py-spy); staged, it spends 7 s staging the rows, 29 s writing the rows and
        their blocks, and 19 s in commits."""
        with self._write():
            self._staging()
            self.db.execute("delete from match_meta where name = 'fingerprint'")
            columns = list(SCHEMA["match_papers"]["columns"])
            self.db.conn.executemany(
                f"insert into temp.staged_match_papers ({', '.join(columns)}) "
                f"values ({', '.join('?' * len(columns))})",
                [tuple(row[c] for c in columns) for row in rows])

    def write_index(self, fingerprint: str, *, everything: bool = False) -> None:
        """Write what :meth:`stage_index` holds: replace what the index held for those papers
        (``everything``: the whole index, a rebuild), their blocks in key order, and record
        the fingerprint it was built with (:func:`reconcile.match.index_fingerprint`)."""
        with self._write():
            self._staging()
            if everything:
                self.db.execute("delete from match_blocks")
                self.db.execute("delete from match_papers")
            else:
                self._unindex([r[0] for r in self.db.execute(
                    "select paper_id from temp.staged_match_papers order by paper_id")])
            columns = ", ".join(SCHEMA["match_papers"]["columns"])
            self.db.execute(f"insert into match_papers ({columns}) "
                            f"select {columns} from temp.staged_match_papers order by paper_id")
            self.db.execute("insert or ignore into match_blocks (kind, value, paper_id) "
                            "select json_extract(b.value, '$[0]'), json_extract(b.value, '$[1]'), s.paper_id "
                            "from temp.staged_match_papers s, json_each(s.blocks) b order by 1, 2, 3")
            self.discard_staged_index()
            self.db["match_meta"].upsert({"name": "fingerprint", "value": fingerprint}, pk="name")

    def discard_staged_index(self) -> None:
        """Forget what :meth:`stage_index` holds (a run that failed before writing it)."""
        self._staging()
        self.db.execute("delete from temp.staged_match_papers")

    def _staging(self) -> None:
        """The temporary table of :meth:`stage_index`: this connection's own, gone with it."""
        columns = ", ".join(f"{c} text" + (" primary key" if c == "paper_id" else "")
                            for c in SCHEMA["match_papers"]["columns"])
        self.db.execute(f"create temp table if not exists staged_match_papers ({columns})")

    def _unindex(self, paper_ids: Sequence[str]) -> None:
        """Drop these papers from the index: each one's blocks, by the keys its row lists
        (``match_papers.blocks``, written with them), then its row."""
        for chunk in chunks(paper_ids):
            marks = placeholders(chunk)
            keys = [(kind, value, paper_id)
                    for paper_id, listed in self.db.execute(
                        f"select paper_id, blocks from match_papers where paper_id in ({marks})", chunk)
                    for kind, value in json.loads(listed or "[]")]
            self.db.conn.executemany("delete from match_blocks where kind = ? and value = ? and paper_id = ?",
                                     sorted(keys))
            self.db.execute(f"delete from match_papers where paper_id in ({marks})", chunk)
