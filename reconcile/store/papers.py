"""Papers, links and discrepancies: what ``resolve`` derives, replaced per paper; the papers
waiting to be checked again; acknowledgements; and the reads of reports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from reconcile.models import Discrepancy, Link, LinkRow, Paper, Severity, iso

from .rows import BATCH_SIZE, chunks, from_row, placeholders, to_row, upsert
from .schema import SCHEMA


def paper_rows(papers: Sequence[Paper], discrepancies: dict[str, list[Discrepancy]]
               ) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The rows :meth:`Store.save_paper_rows` writes for these papers and findings."""
    return ([to_row(p, "papers") for p in papers],
            {pid: [to_row(d, "discrepancies") for d in found] for pid, found in discrepancies.items()})


class PapersMixin:
    """The derived tables of a :class:`~reconcile.store.Store`: ``papers``, ``links``,
    ``discrepancies``, ``pending_checks`` and ``acknowledged``."""

    def checked_with(self) -> str | None:
        """The fingerprint of the code and settings the stored findings were made with
        (:func:`reconcile.resolve.checks_fingerprint`), None when no resolve finished here."""
        row = self.db.execute("select value from match_meta where name = 'checks'").fetchone()
        return row[0] if row else None

    def set_checked_with(self, fingerprint: str) -> None:
        """Record the fingerprint the findings are now made with (in the caller's commit)."""
        with self._write():
            self.db["match_meta"].upsert({"name": "checks", "value": fingerprint}, pk="name")

    def has_papers(self) -> bool:
        """Whether any paper is stored."""
        return self.db.execute("select 1 from papers limit 1").fetchone() is not None

    def check_everything(self) -> int:
        """Put every paper in ``pending_checks`` (the checks changed); how many there are."""
        with self._write():
            self.db.execute("insert or ignore into pending_checks (paper_id) select id from papers order by id")
        return self.pending_count()

    def add_pending(self, paper_ids: Iterable[str]) -> None:
        """Mark papers as waiting to be merged and checked again (``resolve`` saves this with
        the links that touch them, so a run killed before checking them all leaves the rest
        here for the next run)."""
        self.db["pending_checks"].insert_all(({"paper_id": p} for p in sorted(set(paper_ids))),
                                             batch_size=BATCH_SIZE, ignore=True)

    def pending_papers(self) -> list[str]:
        """Papers waiting to be merged and checked again, sorted."""
        return [r[0] for r in self.db.execute("select paper_id from pending_checks order by paper_id")]

    def done_pending(self, paper_ids: Sequence[str]) -> None:
        """Unmark papers that have been merged and checked."""
        for chunk in chunks(list(paper_ids)):
            self.db.execute(f"delete from pending_checks where paper_id in ({placeholders(chunk)})", chunk)

    def save_links(self, links: Sequence[Link | LinkRow], deleted: Sequence[str] = ()) -> None:
        """Add (or move) links and drop papers that were adopted by another."""
        with self._write():
            for chunk in chunks(deleted):
                marks = placeholders(chunk)
                self.db.execute(f"delete from discrepancies where paper_id in ({marks})", chunk)
                self.db.execute(f"delete from papers where id in ({marks})", chunk)
            self._unindex(deleted)
            upsert(self.db.conn, "links", [{"observation_id": l.observation_id, "paper_id": l.paper_id,
                                             "method": l.method, "score": l.score, "detail": l.detail}
                                            for l in links], "observation_id")

    def save_papers(self, papers: Sequence[Paper], discrepancies: dict[str, list[Discrepancy]]) -> None:
        """Replace papers and the complete discrepancy lists of the re-checked paper ids."""
        self.save_paper_rows(*paper_rows(papers, discrepancies))

    def save_paper_rows(self, papers: Sequence[dict[str, Any]], discrepancies: dict[str, list[dict[str, Any]]]
                        ) -> None:
        """:meth:`save_papers` of rows made by :func:`paper_rows` (a worker process makes
        them, so the writer only writes)."""
        with self._write():
            upsert(self.db.conn, "papers", papers, "id")
            ids = list(discrepancies)
            before: dict[str, set[tuple]] = {pid: set() for pid in ids} if self._acknowledged_any() else {}
            for chunk in chunks(ids):
                marks = placeholders(chunk)
                if before:
                    for r in self.db.execute(f"select paper_id, kind, field from discrepancies "
                                             f"where paper_id in ({marks})", chunk).fetchall():
                        before[r[0]].add((r[1], r[2]))
                self.db.execute(f"delete from discrepancies where paper_id in ({marks})", chunk)
            upsert(self.db.conn, "discrepancies", [d for found in discrepancies.values() for d in found], "id")
            self._carry_acknowledgements(before)
            if before:  # some finding is acknowledged
                self._carry_document_acknowledgements([d for found in discrepancies.values() for d in found])
                self.carry_site_acknowledgements(ids)

    def move_acknowledgements(self, moves: dict[str, str], why: str) -> None:
        """Acknowledge each new finding of ``moves`` (old finding id -> the new finding that
        replaces it, the same fact under another id) as its old one was, with the old one's
        severity and a note saying ``why``; the old acknowledgements go."""
        if not moves or not self._acknowledged_any():
            return
        with self._write():
            for ack in self._rows_in("acknowledged", "id", sorted(moves)):
                new = moves[ack["id"]]
                row = next(self._rows_in("discrepancies", "id", [new]), None)
                if row is not None and next(self._rows_in("acknowledged", "id", [new]), None) is None:
                    self._carry(ack, row, why)
                self.db.execute("delete from acknowledged where id = ?", [ack["id"]])

    def carry_site_acknowledgements(self, paper_ids: Sequence[str] | None = None) -> None:
        """Acknowledge each paper's own finding of a site quirk that was acknowledged and has
        since unfolded (:func:`reconcile.checks.quirks.fold`: fewer than ``min_papers`` papers
        left in it), as the site finding was: the same fact, one paper at a time. A finding
        is the same fact when it is of the same kind and field and shares evidence (an
        observation) with the site finding; a paper that joined later has evidence of its
        own, and is reported. ``paper_ids``: only these papers' findings (those just saved).

        Why: an acknowledged quirk of 22 papers that shrank to 19 came back as 19 new
        warnings, and ``report --fail-on warning`` alerted on what was acknowledged
        (probe28). The site finding's acknowledgement stays: should the quirk grow again,
        its finding has the same id, and is acknowledged as it was."""
        if not self._acknowledged_any():
            return
        acks = self.db.execute_returning_dicts(
            "select a.* from acknowledged a left join discrepancies d on d.id = a.id "
            "where d.id is null and a.paper_id like 'site:%' order by a.id")
        wanted = None if paper_ids is None else set(paper_ids)
        with self._write():
            for ack in acks:
                evidence = sorted(set(json.loads(ack["observations"] or "[]")))
                papers = sorted({r["paper_id"] for r in self._rows_in("links", "observation_id", evidence)})
                if wanted is not None:
                    papers = [p for p in papers if p in wanted]
                for chunk in chunks(papers):
                    for row in self.db.execute_returning_dicts(
                            "select d.* from discrepancies d left join acknowledged a on a.id = d.id "
                            f"where a.id is null and d.kind = ? and d.field is ? and d.paper_id in ({placeholders(chunk)}) "
                            "order by d.id", [ack["kind"], ack["field"], *chunk]):
                        if _evidence(row) & set(evidence):
                            self._carry(ack, row, "the site quirk it was part of unfolded")

    def _carry(self, ack: dict[str, Any], finding: dict[str, Any], why: str) -> None:
        """Acknowledge ``finding`` (a ``discrepancies`` row) as ``ack`` was, noting ``why``."""
        note = f"carried from finding {ack['id']}: {why}"
        self.db["acknowledged"].insert({**_acked(finding), "id": finding["id"], "severity": ack["severity"],
                                        "at": ack["at"], "note": f"{ack['note']} ({note})" if ack["note"] else note},
                                       replace=True)

    def _carry_document_acknowledgements(self, findings: Sequence[dict[str, Any]]) -> None:
        """Acknowledge a new document's finding (mojibake, U+FFFD) as the same finding of an
        earlier capture of the same address with the same damage was: a page fetched again
        with a line changed is a new document, so its finding had a new id and came back,
        though it says what was acknowledged (probe26). The damage is the same when the
        finding is of the same kind and the repair, or the count of U+FFFD, is the same."""
        for finding in findings:
            if finding["kind"] not in _DOCUMENT_KINDS or finding["document_id"] is None:
                continue
            if next(self._rows_in("acknowledged", "id", [finding["id"]]), None) is not None:
                continue
            earlier = self.db.execute_returning_dicts(
                "select a.* from discrepancies d join acknowledged a on a.id = d.id "
                "join documents e on e.id = d.document_id join documents n on n.id = ? "
                "where d.kind = ? and d.id != ? and e.url = n.url and e.id != n.id "
                "and e.repair is n.repair and e.replacement_chars = n.replacement_chars "
                "and e.observed_at <= n.observed_at order by e.observed_at desc, e.id desc limit 1",
                [finding["document_id"], finding["kind"], finding["id"]])
            if earlier:
                ack = earlier[0]
                self._carry(ack, finding, "an earlier capture of the same address had the same damage")

    def _acknowledged_any(self) -> bool:
        return self.db["acknowledged"].exists() and self.db.execute("select 1 from acknowledged limit 1").fetchone() is not None

    # -- reading for reports --------------------------------------------------------------
    def papers(self, ids: Iterable[str] | None = None) -> list[Paper]:
        """Merged papers, by id."""
        rows = (self.db.execute_returning_dicts("select * from papers order by id") if ids is None
                else self._rows_in("papers", "id", list(set(ids))))
        return [Paper.model_validate(from_row(self._known(r, "papers"), "papers")) for r in rows]

    def discrepancies(self) -> list[Discrepancy]:
        """Every current discrepancy."""
        rows = self.db.execute_returning_dicts("select * from discrepancies order by paper_id, kind, id")
        return [Discrepancy.model_validate(from_row(self._known(r, "discrepancies"), "discrepancies")) for r in rows]

    def findings_of_kind(self, kind: str, *, sites: bool) -> list[Discrepancy]:
        """Stored findings of ``kind``: those about sites (``site:...``) or those about papers."""
        op = "like" if sites else "not like"
        rows = self.db.execute_returning_dicts(
            f"select * from discrepancies where kind = ? and paper_id {op} 'site:%' order by id", [kind])
        return [Discrepancy.model_validate(from_row(self._known(r, "discrepancies"), "discrepancies")) for r in rows]

    def replace_findings(self, upserts: Sequence[Discrepancy], delete_ids: Sequence[str]) -> None:
        """Store (or replace) ``upserts`` and delete the findings with ``delete_ids``."""
        with self._write():
            ids = list(delete_ids)
            for chunk in chunks(ids):
                self.db.execute(f"delete from discrepancies where id in ({placeholders(chunk)})", chunk)
            if upserts:
                self.db["discrepancies"].insert_all([to_row(d, "discrepancies") for d in upserts],
                                                    batch_size=BATCH_SIZE, replace=True)

    def acknowledge(self, ids: Sequence[str], note: str | None, at: dt.datetime) -> list[str]:
        """Acknowledge the findings with these ids at their current severity (a later, more
        severe finding with the same id is reported again). Returns the ids that match no
        current finding; nothing is stored when there are any."""
        ids = list(dict.fromkeys(ids))
        found = {r["id"]: r for r in self._rows_in("discrepancies", "id", ids)}
        unknown = [i for i in ids if i not in found]
        if unknown:
            return unknown
        with self._write():
            self.db["acknowledged"].insert_all(
                [{"id": i, "note": note, "at": iso(at), **_acked(found[i])} for i in ids], replace=True)
        return []

    def _carry_acknowledgements(self, before: dict[str, set[tuple]]) -> None:
        """Carry the acknowledgements of an adopted paper of its own's findings to the
        findings its adopter, among the papers just saved, now has. ``before``: each saved
        paper's (kind, field) pairs of findings before they were replaced.

        A finding's id is made of its paper's id (:func:`reconcile.checks.discrepancy_id`),
        and an adopted paper's findings are made again under its adopter's: acknowledged,
        they came back as new. An acknowledgement whose finding is gone with its paper (a
        ``title:`` paper no longer in ``papers``) goes to the one finding of the same kind
        and field (of several, the one sharing its evidence) of the paper now holding its
        evidence, with the severity it was acknowledged at (one more severe is reported
        again); not when the adopter had a finding of that kind and field before, which no
        one acknowledged. Once the adopter's findings are saved the old one is dropped,
        carried or not: an acknowledgement is carried once, when its paper is adopted, never
        kept for a later finding it was not given for."""
        orphans = self.db.execute_returning_dicts(
            "select a.* from acknowledged a left join discrepancies d on d.id = a.id "
            "where d.id is null and a.paper_id like 'title:%' "
            "and a.paper_id not in (select id from papers) order by a.id") if before else []
        for ack in orphans:
            evidence = set(json.loads(ack["observations"] or "[]"))
            papers = {r["paper_id"] for r in self._rows_in("links", "observation_id", sorted(evidence))}
            paper = papers.pop() if len(papers) == 1 else None
            if paper not in before:
                continue  # its adopter is saved in another chunk (or it has none)
            found = [] if (ack["kind"], ack["field"]) in before[paper] else self.db.execute_returning_dicts(
                "select d.* from discrepancies d left join acknowledged a on a.id = d.id "
                "where a.id is null and d.paper_id = ? and d.kind = ? and d.field is ? order by d.id",
                [paper, ack["kind"], ack["field"]])
            if len(found) > 1:
                found = [r for r in found if _evidence(r) & evidence]
            if len(found) == 1:
                self._carry(ack, found[0], f"{ack['paper_id']} was adopted")
            self.db.execute("delete from acknowledged where id = ?", [ack["id"]])

    def unacknowledge(self, ids: Sequence[str]) -> int:
        """Forget acknowledgements; returns how many there were."""
        ids = list(dict.fromkeys(ids))
        before = self.db["acknowledged"].count
        with self._write():
            for chunk in chunks(ids):
                self.db.execute(f"delete from acknowledged where id in ({placeholders(chunk)})", chunk)
        return before - self.db["acknowledged"].count

    def acknowledged(self) -> dict[str, Severity]:
        """Acknowledged finding ids, each with the severity it had when acknowledged (none in
        a database made before the table existed)."""
        if not self.db["acknowledged"].exists():
            return {}
        return {r["id"]: Severity(r["severity"]) for r in self.db["acknowledged"].rows}

    def counts(self) -> dict[str, int]:
        """Row counts of every table but the matcher's index, plus observations not yet
        placed by ``resolve`` and the files of crawls' batches the database refused, kept
        beside it to be written back (:mod:`.unsaved`)."""
        counts = {name: self.db[name].count if self.db[name].exists() else 0 for name in SCHEMA
                  if not name.startswith("match_")}
        counts["unlinked"] = self.unlinked_count()
        counts["unsaved_batches"] = len(self.unsaved_files())
        return counts

    def pending_count(self) -> int:
        """How many papers wait in ``pending_checks``."""
        return self.db.execute("select count(*) from pending_checks").fetchone()[0]


#: The kinds of finding about a document (one per document, its id made of the content's hash).
_DOCUMENT_KINDS = frozenset({"mojibake", "replacement_char"})


def _evidence(row: dict[str, Any]) -> set[int]:
    """The ids of the observations a ``discrepancies`` row's values and observation name."""
    values = json.loads(row["values"] or "[]") if isinstance(row["values"], str) else row["values"] or []
    found = {v["observation_id"] for v in values if isinstance(v, dict) and isinstance(v.get("observation_id"), int)}
    if isinstance(row.get("observation_id"), int):
        found.add(row["observation_id"])
    return found


def _acked(row: dict[str, Any]) -> dict[str, Any]:
    """An ``acknowledged`` row's copy of a ``discrepancies`` row: its severity, paper, kind,
    field and the ids of its evidence (:meth:`PapersMixin._carry_acknowledgements`)."""
    return {"severity": row["severity"], "paper_id": row["paper_id"], "kind": row["kind"], "field": row["field"],
            "observations": json.dumps(sorted(_evidence(row)))}
