"""The canned queries ``reconcile serve`` offers in Datasette, as SQL with named parameters.

Datasette passes a parameter left blank in its form as an empty string, so "optional" here
means: blank is the default, and the SQL says what blank stands for.
"""

from __future__ import annotations

from typing import Any

from reconcile.models import Source
from reconcile.views import SEVERITY_RANK_SQL

_RANK = SEVERITY_RANK_SQL.format(col="d.severity")
_WANTED = SEVERITY_RANK_SQL.format(col="lower(trim(:severity))")

OPEN_DISCREPANCIES = f"""select d.severity, d.kind, d.paper_id, p.arxiv_id, p.title, d.field, d.detail,
  d."values", d.document_id, d.observation_id, d.id
from discrepancies d left join papers p on p.id = d.paper_id
where (trim(:kind) = '' or d.kind = trim(:kind))
  and {_RANK} >= coalesce({_WANTED}, 0)
order by {_RANK} desc, d.kind, d.paper_id, d.id"""

# Accepts a paper id as stored (arxiv:2602.04705, title:...) or a bare arXiv id; the arxiv:
# prefix in any case. An equality on paper_id keeps the view's index on links.paper_id usable.
UPVOTE_HISTORY = """select h.source, h.site, h.observed_at, h.observed_at_basis, h.upvotes,
  h.upvotes - lag(h.upvotes) over (partition by h.source, h.site
                                   order by h.observed_at, h.observation_id) as change,
  h.comments, h.paper_id, h.title, h.observation_id, h.document_id
from upvote_history h
where h.paper_id in (trim(:paper), 'arxiv:' || trim(:paper),
                     case when lower(substr(trim(:paper), 1, 6)) = 'arxiv:'
                          then 'arxiv:' || substr(trim(:paper), 7) end)
order by h.source, h.site, h.observed_at, h.observation_id"""


def source_coverage_sql() -> str:
    """The ``source_coverage`` query: one row per paper some source listed on ``:day``, with
    a column per source counting its observations of the paper for that day.

    An observation counts when it lists the paper on that day, or when it belongs to no
    day's list at all (an arXiv record, an ArxivLens page): those sources keep no daily
    list, so "saw it" is the most they can say. A zero in a column is a gap in coverage;
    the least-covered papers come first.
    """
    columns = "".join(f"  sum(o.source = '{s.value}') as [{s.value}],\n" for s in Source)
    return f"""with listed as (
  select distinct l.paper_id from observations o join links l on l.observation_id = o.id
  where o.listed_on = trim(:day)
)
select listed.paper_id, p.arxiv_id, p.title,
  count(distinct case when o.listed_on = trim(:day) then o.source end) as listed_by,
{columns}  group_concat(distinct case when o.source = 'digest' and o.listed_on = trim(:day) then o.site end)
    as digest_sites
from listed
  join links l on l.paper_id = listed.paper_id
  join observations o on o.id = l.observation_id and (o.listed_on = trim(:day) or o.listed_on is null)
  left join papers p on p.id = listed.paper_id
group by listed.paper_id
order by listed_by, listed.paper_id"""


def canned_queries() -> dict[str, dict[str, Any]]:
    """Datasette ``queries`` metadata: title, description, SQL and parameters of each."""
    return {
        "open_discrepancies": {
            "title": "Open discrepancies, worst first",
            "description": "Every current discrepancy, errors first. severity: the least severe to "
                           "show (info, warning or error; blank = all). kind: only this kind "
                           "(upvotes, title, mojibake, ...; blank = every kind).",
            "sql": OPEN_DISCREPANCIES,
            "params": ["severity", "kind"],
        },
        "upvote_history": {
            "title": "Upvote history of a paper",
            "description": "Every upvote count observed for one paper, by source and site, over time; "
                           "change is the difference from the same site's previous count. paper: "
                           "arxiv:2602.04705 or 2602.04705.",
            "sql": UPVOTE_HISTORY,
            "params": ["paper"],
        },
        "source_coverage": {
            "title": "Which sources saw each paper of a day",
            "description": "One row per paper some source listed on day (YYYY-MM-DD): per source, how "
                           "many of its observations saw the paper that day (arXiv and ArxivLens: any "
                           "record of it); listed_by counts the sources that listed it. Least-covered "
                           "first: a 0 is a gap.",
            "sql": source_coverage_sql(),
            "params": ["day"],
        },
    }
