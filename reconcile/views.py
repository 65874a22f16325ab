"""The SQL views and the full-text index that the store keeps beside its tables.

Only SQL text lives here; :mod:`reconcile.store` creates the views and the index (it stays
the only module that talks to SQLite). The views answer the two questions people ask most
in Datasette or ``sqlite-utils``: "what do we know about this paper" (``paper_overview``)
and "how did its upvote count move" (``upvote_history``).

They are kept cheap on purpose: every per-paper figure is a correlated subquery on an
indexed column (``links.paper_id``, ``discrepancies.paper_id``), so filtering a view by
paper reads only that paper's rows instead of aggregating the whole database first. (The
unary ``+`` on ``severity`` keeps SQLite from preferring the severity index, which would
read every discrepancy of that severity for each paper.)
"""

from __future__ import annotations

# Severity order, worst first, spelled once for every query that ranks discrepancies.
SEVERITY_RANK_SQL = "case {col} when 'error' then 2 when 'warning' then 1 when 'info' then 0 end"

PAPER_OVERVIEW = """select
  p.id, p.arxiv_id, p.title, p.published, p.upvotes, p.upvotes_observed_at, p.comments,
  coalesce(json_array_length(p.sources), 0) as source_count, p.sources,
  (select count(*) from links l where l.paper_id = p.id) as observations,
  (select count(*) from discrepancies d where d.paper_id = p.id) as discrepancies,
  (select d.severity from discrepancies d where d.paper_id = p.id
   order by """ + SEVERITY_RANK_SQL.format(col="d.severity") + """ desc limit 1) as worst_severity,
  (select count(*) from discrepancies d where d.paper_id = p.id and +d.severity = 'error') as errors,
  (select count(*) from discrepancies d where d.paper_id = p.id and +d.severity = 'warning') as warnings,
  (select count(*) from discrepancies d where d.paper_id = p.id and +d.severity = 'info') as infos
from papers p"""

# Every observation that carries an upvote count, with the paper it was placed in and how
# exact its time is (``observed_at_basis``): a count read from a post's publication
# time cannot be ordered against a capture as firmly as two response times can.
UPVOTE_HISTORY = """select
  l.paper_id, coalesce(p.arxiv_id, o.arxiv_id) as arxiv_id, p.title,
  o.observed_at, o.observed_at_basis, o.source, o.site, o.upvotes, o.comments,
  o.id as observation_id, o.document_id
from links l
  join observations o on o.id = l.observation_id
  left join papers p on p.id = l.paper_id
where o.upvotes is not null
order by l.paper_id, o.observed_at, o.id"""

VIEWS: dict[str, str] = {
    "paper_overview": PAPER_OVERVIEW,
    "upvote_history": UPVOTE_HISTORY,
}

# Full-text search over merged papers: sqlite-utils names the index ``papers_fts`` and keeps
# it in step with triggers on insert, update (upserts) and delete (adoption). Porter stemming
# lets "reasoning" find "reason"; it only knows English suffixes.
FTS_TABLE = "papers"
FTS_COLUMNS = ("title", "abstract")
FTS_TOKENIZE = "porter"
