"""Reading observations: those ``resolve`` has not placed yet (:class:`PlacementRow`), those
of papers, of documents and of days, and the arXiv ids still to fetch."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from reconcile.models import Document, Link, Observation, Source, TimeBasis, iso

from .rows import CAPTURES, chunks, from_row, placeholders


class PlacementRow(NamedTuple):
    """An observation as placing reads it (:mod:`reconcile.match`, :mod:`reconcile.resolve`):
    the columns it needs, under an observation's attribute names, in a plain tuple. Not the
    abstract, summary or counts, which only merging and checking need.

    Why not an :class:`Observation`: a first run reads every observation, and validating
    them again took 29 µs and 2.4 KB each (measured at 10k; about 30 s at a million). They
    are not validated again because the store wrote each row from a validated observation
    (dates as ISO days, lists and objects as JSON); merging and checking still read whole,
    validated observations."""

    id: int
    document_id: int | None
    source: Source
    site: str | None
    url: str | None
    arxiv_id: str | None
    arxiv_version: int | None
    title: str | None
    authors: list[str]
    published: dt.date | None
    listed_on: dt.date | None
    extra: dict[str, Any]


class ObservationsMixin:
    """Reading observations, with their links and documents, from a
    :class:`~reconcile.store.Store`."""

    def _rows_in(self, table: str, column: str, values: list[Any], where: str = "") -> Iterator[dict]:
        for chunk in chunks(values):
            marks = placeholders(chunk)
            sql = f"select * from [{table}] where [{column}] in ({marks}){where}"
            yield from self.db.execute_returning_dicts(sql, chunk)

    def _observation(self, row: dict[str, Any]) -> Observation:
        return Observation.model_validate(from_row(self._known(row, "observations"), "observations"))

    _UNLINKED = "from observations o left join links l on l.observation_id = o.id where l.observation_id is null"

    def unlinked_observations(self) -> list[Observation]:
        """Observations that ``resolve`` has not placed yet, oldest first."""
        return [self._observation(r) for r in self.db.execute_returning_dicts(f"select o.* {self._UNLINKED} "
                                                                              "order by o.id")]

    def has_unlinked(self) -> bool:
        """Whether any observation is left to place. Asked of those with and without an arXiv
        id apart, so that each question reads the arXiv id index, not the table (scanning
        the table took 3.9 s at a million observations, against 0.2 s)."""
        return any(self.db.execute(f"select 1 {self._UNLINKED} and o.arxiv_id is {which} limit 1").fetchone()
                   for which in ("null", "not null"))

    def last_observation_id(self) -> int:
        """The id of the newest observation stored (0 when there is none)."""
        return self.db.execute("select coalesce(max(id), 0) from observations").fetchone()[0]

    def placement_rows(self, *, identified: bool | None = None, sources: Sequence[Source] = (),
                       upto: int | None = None, batch: int = 5000) -> Iterator[PlacementRow]:
        """The observations ``resolve`` has not placed yet, as placing reads them
        (:class:`PlacementRow`), streamed ``batch`` rows at a time: a first run over a
        million observations does not hold them all (0.9 KB each).

        ``identified``: only those carrying an arXiv id (True), only those without (False),
        or all. ``upto``: only those with an id up to it (observations stored later are left
        for the next run). Oldest first, or with ``sources``, the rows of each source in that
        order, oldest first within each (the others last)."""
        where = {None: "", True: " and o.arxiv_id is not null", False: " and o.arxiv_id is null"}[identified]
        # ``+o.id``: by the arXiv id index, not a scan of the table's rowid range (0.1 s
        # against 0.3 s at a million observations).
        where += "" if upto is None else f" and +o.id <= {int(upto)}"
        order = "".join(f"when ? then {rank} " for rank in range(len(sources)))
        order = f"case o.source {order}else {len(sources)} end, o.id" if sources else "o.id"
        columns = ", ".join(f"o.[{c}]" for c in PlacementRow._fields)
        date = dt.date.fromisoformat
        cursor = self.db.execute(f"select {columns} {self._UNLINKED}{where} order by {order}",
                                 [str(s) for s in sources])
        while rows := cursor.fetchmany(batch):
            for i, doc, source, site, url, aid, version, title, authors, published, listed, extra in rows:
                yield PlacementRow(i, doc, Source(source), site, url, aid, version, title, json.loads(authors or "[]"),
                                   date(published) if published else None, date(listed) if listed else None,
                                   json.loads(extra or "{}"))

    def observations_of_papers(self, paper_ids: Iterable[str], links: dict[int, tuple] | None = None
                               ) -> dict[str, list[Observation]]:
        """Every linked observation of each paper, in insertion order; with ``links``, each
        one's link is put there too: observation id -> (method, score, detail)."""
        result: dict[str, list[Observation]] = {}
        ids = list(set(paper_ids))
        for chunk in chunks(ids):
            marks = placeholders(chunk)
            sql = (f"select l.paper_id as _paper, l.method as _method, l.score as _score, l.detail as _detail, "
                   f"o.* from links l join observations o on o.id = l.observation_id "
                   f"where l.paper_id in ({marks}) order by o.id")
            for row in self.db.execute_returning_dicts(sql, chunk):
                paper = row.pop("_paper")
                link = (row.pop("_method"), row.pop("_score"), row.pop("_detail"))
                if links is not None:
                    links[row["id"]] = link
                result.setdefault(paper, []).append(self._observation(row))
        first = self.first_captures({o.document_id for group in result.values() for o in group if o.document_id})
        for group in result.values():
            for i, obs in enumerate(group):
                earlier = first.get(obs.document_id) if obs.document_id is not None else None
                if earlier is not None and obs.observed_at is not None and earlier[0] < obs.observed_at:
                    group[i] = obs.model_copy(update={"observed_at": earlier[0], "observed_at_basis": earlier[1]})
        return result

    def last_captures(self, document_ids: Iterable[int]) -> dict[int, tuple[dt.datetime, TimeBasis]]:
        """Each document's latest capture, where it has sightings: when its content was last
        seen as it is (:meth:`first_captures`' other end). The document's own time counts
        too: a list captured at 01:00 and ingested first has its 20:00 capture as a
        sighting, and its latest capture is 01:00, as when the 20:00 one came first."""
        found = self._captures(document_ids, "max")
        for chunk in chunks(sorted(found)):
            for doc_id, when, basis in self.db.execute(
                    f"select id, observed_at, observed_at_basis from documents where id in ({placeholders(chunk)}) "
                    f"and observed_at_basis in ({placeholders(CAPTURES)})", [*chunk, *CAPTURES]).fetchall():
                own = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
                if own > found[doc_id][0]:
                    found[doc_id] = (own, TimeBasis(basis))
        return found

    def first_captures(self, document_ids: Iterable[int]) -> dict[int, tuple[dt.datetime, TimeBasis]]:
        """Each document's earliest capture among its sightings, where it has one.

        Why the checks and the merge time an observation by its document's first capture:
        an unchanged list captured at 20:00 and at 01:00 is stored once, timed by the file
        ingested first, the other a sighting; so the same two files gave an upvote finding
        timed 20:00 (a fall, warning) or 01:00 (a rise, info) by the order they came in.
        Timed by the first capture, as a crawl that runs in time order stores it, both
        orders give one answer."""
        return self._captures(document_ids, "min")

    def _captures(self, document_ids: Iterable[int], which: str) -> dict[int, tuple[dt.datetime, TimeBasis]]:
        found: dict[int, tuple[dt.datetime, TimeBasis]] = {}
        for chunk in chunks(sorted(set(document_ids))):
            for doc_id, when, basis in self.db.execute(
                    f"select document_id, {which}(observed_at), observed_at_basis from sightings where document_id in "
                    f"({placeholders(chunk)}) and observed_at_basis in ({placeholders(CAPTURES)}) "
                    f"group by document_id", [*chunk, *CAPTURES]).fetchall():
                found[doc_id] = (dt.datetime.fromisoformat(when.replace("Z", "+00:00")), TimeBasis(basis))
        return found

    def observations_by_id(self, ids: Iterable[int]) -> dict[int, Observation]:
        """The stored observations with these ids, by id."""
        return {r["id"]: self._observation(r) for r in self._rows_in("observations", "id", sorted(set(ids)))}

    def links_by_paper(self, paper_ids: Iterable[str]) -> dict[str, list[Link]]:
        """The links of each paper."""
        result: dict[str, list[Link]] = {}
        for row in self._rows_in("links", "paper_id", list(set(paper_ids))):
            result.setdefault(row["paper_id"], []).append(Link.model_validate(self._known(row, "links")))
        return result

    def arxiv_ids_to_fetch(self, now: dt.datetime | None = None) -> list[str]:
        """arXiv ids that observations carry but arXiv has not been asked for yet.

        An id counts as asked for once an ``arxiv`` observation carries it, or once arXiv
        answered twice, in two crawls (or two ingests), that it has no such paper (``rejects``
        rows of source ``arxiv`` whose url is the id's abstract page), or once it answered so
        in the last day (``now``, default the clock). Why twice: arXiv's API answers a good
        query with an empty feed at times, and one such answer would leave the paper without
        arXiv's record for good; why a day apart: a crawl stopped and run again at once must
        not ask again what its first part was just told.
        """
        now = now or dt.datetime.now(dt.timezone.utc)
        sql = """
            select distinct o.arxiv_id from observations o
            where o.arxiv_id is not null and o.source != 'arxiv'
              and not exists (select 1 from observations a
                              where a.arxiv_id = o.arxiv_id and a.source = 'arxiv')
              and not exists (select 1 from rejects r where r.source = 'arxiv'
                              and r.url = 'https://arxiv.org/abs/' || o.arxiv_id and r.at > ?)
              and (select count(distinct coalesce(r.crawl_id, r.at)) from rejects r where r.source = 'arxiv'
                   and r.url = 'https://arxiv.org/abs/' || o.arxiv_id) < 2
            order by o.arxiv_id"""
        return [row[0] for row in self.db.execute(sql, [iso(now - dt.timedelta(days=1))]).fetchall()]

    # -- resolution -------------------------------------------------------------------
    def day_list_parts(self, formats: Sequence[str], days: Iterable[str]
                       ) -> tuple[dict[int, Document], dict[int, list[Observation]], dict[int, str]]:
        """The documents of the given formats that list papers on the given days
        (``YYYY-MM-DD``), their observations by document, and each observation's paper."""
        days = sorted(set(days))
        if not days or not formats:
            return {}, {}, {}
        fmarks, dmarks = placeholders(formats), placeholders(days)
        ids = [r[0] for r in self.db.execute(
            f"select distinct d.id from documents d join observations o on o.document_id = d.id "
            f"where d.format in ({fmarks}) and o.listed_on in ({dmarks})", [*formats, *days]).fetchall()]
        documents = self.documents(ids)
        by_doc: dict[int, list[Observation]] = {}
        paper_of: dict[int, str] = {}
        for chunk in chunks(ids):
            marks = placeholders(chunk)
            for row in self.db.execute_returning_dicts(
                    f"select o.*, l.paper_id as _paper from observations o left join links l "
                    f"on l.observation_id = o.id where o.document_id in ({marks})", chunk):
                paper = row.pop("_paper")
                obs = self._observation(row)
                by_doc.setdefault(obs.document_id, []).append(obs)
                if paper:
                    paper_of[obs.id] = paper
        return documents, by_doc, paper_of

    def documents_of_papers(self, paper_ids: Iterable[str]) -> set[int]:
        """The documents whose observations are linked to these papers."""
        found: set[int] = set()
        for chunk in chunks(sorted(set(paper_ids))):
            found.update(r[0] for r in self.db.execute(
                f"select distinct o.document_id from links l join observations o on o.id = l.observation_id "
                f"where l.paper_id in ({placeholders(chunk)})", chunk))
        return found

    def papers_of_documents(self, document_ids: Iterable[int]) -> dict[int, list[str]]:
        """The papers each document's observations are linked to, sorted."""
        ids = sorted(set(document_ids))
        found: dict[int, set[str]] = {}
        for chunk in chunks(ids):
            marks = placeholders(chunk)
            for doc, paper in self.db.execute(
                    f"select o.document_id, l.paper_id from observations o join links l "
                    f"on l.observation_id = o.id where o.document_id in ({marks})", chunk).fetchall():
                found.setdefault(doc, set()).add(paper)
        return {doc: sorted(papers) for doc, papers in found.items()}

    def ranked_lists(self, document_ids: Iterable[int]) -> dict[int, list[tuple]]:
        """The ranked items of each document: ``(rank, upvotes, paper, day)`` for every
        observation with a rank, its paper the linked one (else its arXiv id, else its
        title), ``day`` its ``listed_on`` (a weekly recap ranks each day's list apart)."""
        ids = sorted(set(document_ids))
        found: dict[int, list[tuple]] = {}
        for chunk in chunks(ids):
            marks = placeholders(chunk)
            for doc, rank, upvotes, paper, day in self.db.execute(
                    f"select o.document_id, o.rank, o.upvotes, coalesce(l.paper_id, o.arxiv_id, o.title), o.listed_on "
                    f"from observations o left join links l on l.observation_id = o.id "
                    f"where o.document_id in ({marks}) and o.rank is not null", chunk).fetchall():
                found.setdefault(doc, []).append((rank, upvotes, paper or "", day))
        return found

    def papers_listed_on(self, days: Iterable[str]) -> set[str]:
        """Every paper some observation lists on one of the days."""
        days = sorted(set(days))
        if not days:
            return set()
        marks = placeholders(days)
        return {r[0] for r in self.db.execute(
            f"select distinct l.paper_id from observations o join links l on l.observation_id = o.id "
            f"where o.listed_on in ({marks})", days).fetchall()}

    def paper_index_rows(self, after: str = "", limit: int = -1) -> list[dict[str, Any]]:
        """What the matcher needs of the papers, in id order (those with an id above
        ``after``, at most ``limit``): id, title, authors, publication day, the days its
        observations state (``days``, JSON: each one's listing day, else its publication
        day) and the first DOI its arXiv records state."""
        return self.db.execute_returning_dicts(
            "select p.id, p.title, p.authors, p.published, "
            "(select json_group_array(distinct coalesce(o.listed_on, o.published)) from links l "
            " join observations o on o.id = l.observation_id where l.paper_id = p.id "
            " and coalesce(o.listed_on, o.published) is not null) as days, "
            "(select json_extract(o.extra, '$.doi') from links l join observations o on o.id = l.observation_id "
            " where l.paper_id = p.id and o.source = 'arxiv' and json_extract(o.extra, '$.doi') is not null "
            " order by o.id limit 1) as doi from papers p where p.id > ? order by p.id limit ?", [after, limit])

    def unlinked_count(self) -> int:
        """How many observations ``resolve`` has not placed yet."""
        return self.db.execute(f"select count(*) {self._UNLINKED}").fetchone()[0]

    def recent_unlinked_count(self) -> int:
        """How many observations came after the newest linked one, read from ids alone: the
        unlinked ones but any older ones (never placeable, or stored while a resolve ran).
        Enough to judge a run's size; :meth:`unlinked_count` scans every observation (0.2 s
        at a million)."""
        return self.db.execute("select count(*) from observations where id > "
                               "coalesce((select max(observation_id) from links), 0)").fetchone()[0]
