"""Generic digest: the last resort for a digest post that no specific parser describes.

It reads any Markdown (or HTML, through :mod:`.markup`) that links to papers on arXiv or
Hugging Face, and relies only on what such posts share:

- Items are the sections of one kind: headings of one level, top-level numbered list
  items (``1.``, ``2)``, ``**3. Title**``), ``Paper N`` lines, or table rows. The kind is
  chosen per document: the one whose sections hold the most paper links, then the one
  whose sections are most often linked (a heading per paper beats the numbered points
  inside it), then the one whose leads hold the links (a lone item beats its heading).
- A section's paper is the first paper link of its lead, else of its body; other papers
  linked in the same section, and links outside any item, are kept as their own
  observations (``extra['cited_in']`` names the item they were found in). Ids come from
  links only, so none is invented; each paper is observed once per document.
- The title is the first of: the paper link's text when it is not a generic word
  (``[arXiv]``, ``[PDF]``, ``[논문 링크]``), a title label (``原文标题：``, ``Title:``), the
  first bold text of the lead, the lead itself without number, markers and trailing prose
  (cut at a double space, as tables do), or another link's text.
- Counts come from the markers in :data:`COUNT_MARKERS`; ``⭐`` counts as upvotes only when
  labelled so on its line, since stars are usually GitHub stars.
- Sections under one heading are a list of papers when at least half of them link one.
  In such a list a section without a paper link is a *mention*: its title is None and
  ``extra['mentioned_as']`` is the name its lead, else its text, is about
  (:func:`.newsletter.mentioned_name`); ``extra['heading']`` keeps the lead's words.
- ``listed_on`` is a date in the first heading, else in the front matter (title, then
  date), else a date line (``Posted Oct 10, 2026``), else the one date in the URL's file
  name (:mod:`.post_days`); but where the items sit under headings that name two or more
  days (a weekly recap, a changelog's ``## [date]`` over ``### Added``), each item's is the
  day its own headings name, or none; and an item that says it is another day's (a
  ``Date`` cell under a file-name day, "from the Oct 8 list") gets none.
- An Obsidian callout that links a paper (``> [!paper] [[Title]]``) is a headed section
  (:mod:`.callouts`).

When it fails: posts that put each paper in a bare paragraph get no rank and titles only
from link texts; a post ranking several lists (weekly sections) repeats ranks, each with
its ``extra['section']``; titles cut at the wrong place when a table puts title and prose in
one cell without a double space; a mention's name is a guess.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from reconcile.ids import ArxivId
from reconcile.models import Source
from reconcile.text import collapse_whitespace

from ..base import (Format, Parsed, PageError, build, front_matter, is_naive_time, parse_datetime,
                    record_read, set_rank_basis)
from .item_fields import (AUTHOR_LABELS, BOLD, COUNT_HEADERS, LABEL, MD_LINK, META_LABELS, ORG_LABELS, RANK_HEADERS, SKIP_LABELS,
                          TITLE_HEADERS, TITLE_LABELS, clean, column_rank, counts, is_generic_label, label_fields, not_the_days_list,
                          split_authors)

from . import card_items, corrections
from .asciidoc import asciidoc_to_markdown, looks_like_asciidoc
from .box_tables import box_tables_to_markdown, has_box_table
from .callouts import callouts_to_headings, has_callouts
from .chat_export import chat_to_markdown, looks_like_chat
from .headings import has_setext, looks_like_typst, setext_to_atx, typst_to_markdown
from .cards import only_in_furniture, read_cards
from .diff_blocks import diff_added_lines
from .markup import html_to_markdown, inline_html_to_markdown, looks_like_html, markdown_headings_as_html
from .mediawiki import looks_like_mediawiki, mediawiki_to_markdown
from .newsletter import mentioned_name
from .orgmode import looks_like_org, org_to_markdown
from .post_days import DATE_HEADERS, date_in, own_day, section_days, listed_on
from .post_sections import (ID_ATTRIBUTE, Section, best_sections, has_id_column, row_cells, stated_id_cells,
                            StatedUrl, inline_references, has_paper_link, paper_links, primary_links, with_scheme)
from .post_titles import labelled_title, lead_titles, next_line_title, title_from_lead, pick_title

log = logging.getLogger(__name__)

_BUILDS_ON = re.compile(r"(?:extension\s+of|extends|extending|build(?:s|ing)?\s+on|built\s+on|based\s+on"
                        r"|follow[- ]?up\s+(?:to|of|on)|successor\s+(?:to|of)|compared?\s+(?:to|with)|versus|vs\.?"
                        r"|unlike|improv(?:es|ing)\s+on|revisit(?:s|ing)|see(?:\s+also)?|cf\."
                        # Spanish, Portuguese, French, German, Italian
                        r"|extensi[óo]n\s+de|extensão\s+de|basad[oa]\s+en|basead[oa]\s+em|bas[ée]e?\s+sur"
                        r"|erweiterung\s+von|aufbauend\s+auf|basiert\s+auf|estensione\s+di|basat[oa]\s+su)\s*[:：]?\s*\[?$", re.I)
_FROM = re.compile(r"\bfrom\s*$", re.I)
_TO = re.compile(r"\s*(?:to|→|->)\s*\[", re.I)
_TITLE_LABELS, _AUTHOR_LABELS, _ORG_LABELS = TITLE_LABELS, AUTHOR_LABELS, ORG_LABELS
_SKIP_LABELS, _META_LABELS = SKIP_LABELS, META_LABELS
_generic, _clean, _fields = is_generic_label, clean, label_fields
READER = "digest-generic"


def sniff(text: str, url: str) -> bool:
    """Markdown or HTML (not JSON, XML or a feed) with at least one paper link, an id in
    a ``data-*`` attribute, or a table with a column of ids (a terminal's drawn table
    included, :mod:`.box_tables`), from anywhere but the sources' own sites."""
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("{", "[", "<?xml", "<rss", "<feed", "<rdf")):
        return False
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(("arxiv.org", "huggingface.co", "arxivlens.com")):
        return False
    return has_paper_link(text) or ID_ATTRIBUTE.search(text) is not None or has_id_column(text) \
        or (has_box_table(text) and has_id_column(box_tables_to_markdown(text)))



def parse(text: str, url: str, site=None) -> Parsed:
    """Observations for every item of the post's list, citations for the other papers it
    links, and mentions for unlinked items of a list of papers. ``site``, a
    :class:`scrapers.sites.Site`, may name an HTML page's items and fields by CSS selector."""
    if looks_like_org(text):
        text = org_to_markdown(text)
    elif looks_like_chat(text):
        text = chat_to_markdown(text)
    elif looks_like_mediawiki(text):
        text = mediawiki_to_markdown(text)
    elif looks_like_asciidoc(text):
        text = asciidoc_to_markdown(text)
    elif has_box_table(text):
        text = box_tables_to_markdown(text)
    meta, body = front_matter(text)
    start = body.lstrip("\ufeff \t\r\n")
    if start[:1] in ("{", "[") and start[:2] not in ("{%", "{{", "[!") and not MD_LINK.match(start):
        raise PageError("generic digest: JSON is data, not a digest post", text[:300])
    parsed = Parsed(published_at=parse_datetime(meta.get("date")), site=card_items.self_name(meta, body),
                    published_naive=is_naive_time(meta.get("date")))
    if looks_like_html(body):
        if only_in_furniture(body):
            raise PageError("generic digest: its only paper links are in the page's sidebar, navigation or "
                            "footer: no list of its own", body[:300])
        reading = read_cards(markdown_headings_as_html(body), items=site.items if site is not None else None)
        markdown = stated_id_cells(html_to_markdown(body))
        lines = markdown.splitlines()
        best = _sections_with_papers(lines, url)
        # The cards win unless the page's sections (headings, numbered items) hold more
        # papers and no count the page states confirms the cards: a sidebar of three
        # "popular" cards beside twenty headed papers is not the day's list. Cards of the
        # list's shape set aside as page furniture (an <aside> "From the archive") count for
        # the cards here: the Markdown has lost what marked them.
        if reading is not None and (reading.confirmed or (site is not None and site.items)
                                    or len(reading.cards) + reading.set_aside >= sum(1 for s in best if s.links)):
            day, day_rule = listed_on(meta, markdown, url)
            card_items.observations(parsed, reading, day, day_rule, site)
            set_rank_basis(parsed.observations)
            return parsed
        body = markdown
    else:
        body = stated_id_cells(diff_added_lines(inline_references(inline_html_to_markdown(body))))
        if has_callouts(body):
            body = callouts_to_headings(body)
        if has_setext(body):
            body = setext_to_atx(body)
        if looks_like_typst(body):
            body = typst_to_markdown(body)
        lines = body.splitlines()
        best = _sections_with_papers(lines, url)
    if not paper_links(body):
        raise PageError("generic digest: no arXiv or Hugging Face paper link", body[:300])
    day, day_rule = listed_on(meta, body, url)
    # Sections that link a paper are the items. A section without a link is a mention of a
    # paper only where most sections under its heading link one (a list of papers); in a
    # mixed report (news and papers under one numbering) it is not about a paper at all.
    groups: dict[str | None, list[Section]] = {}
    for s in best:
        groups.setdefault(s.parent, []).append(s)
    items = [s for group in groups.values() for s in group
             if s.links or 2 * sum(1 for x in group if x.links) >= len(group)]
    # A list under a heading such as "Related work" or "Previously covered" names papers of
    # other days or other posts: its papers are cited, not listed (on this post's day,
    # with its ranks and counts), unless it is the only list there is.
    # A heading naming the list's own day is the day's list whatever its words ("Reading list
    # for 28 December 2026"): only another day's or no day's is set aside.
    def elsewhere(name: str | None) -> bool:
        return not_the_days_list(name) and not (day is not None and date_in(name) == day)

    todays = [s for s in items if not elsewhere(s.parent)
              and not (s.kind[0] == "h" and elsewhere(s.lead))]  # "## Older capsules" itself
    if any(s.links for s in todays):
        items = todays
    items = _named_in_passing(items, lines)
    items = _not_replies(items, lines)
    items = [s for s in items if not _another_days(s, lines) and not _not_a_pick(s.lead)]
    days = section_days(items, day, day_rule, lines)
    orphans = _links_not_its_own(items, lines)
    # A paper an item lists is that item's, even where an earlier item only cited it.
    listed: dict[str, object] = {_primary(s, lines[s.start]).id: None for s in items if s.links}
    seen: set[str] = set(listed)
    # Places in a section numbered again (a category's "1.") are no ranks: taken out before
    # the items are read, they neither clash with a paper's rank in the top list nor rank a
    # paper only a category lists (its place is kept as ``extra['position']``).
    ranks = [(s, _stated_rank(s, lines[s.start]), d, s.parent) for s, (d, _) in zip(items, days)]
    numbered_again = _restarted(ranks)
    places = {id(s): rank for s, rank, _, _ in ranks if id(s) in numbered_again}
    for s, (item_day, item_day_rule) in zip(items, days):
        _item(parsed, s, lines[s.start:s.end], item_day, item_day_rule, seen, listed, alone=len(items) == 1,
              placed=id(s) in places)
    for s in items:
        obs = listed.get(_primary(s, lines[s.start]).id) if id(s) in places and s.links else None
        if obs is not None and obs.rank is None and "position" not in obs.extra:
            obs.extra = {**obs.extra, "position": places[id(s)]}
    # A note correcting the list ("Correction: Aster's count was 42, not 24"): the values it
    # touches are not surely the list's.
    own_lines = {i: listed[aid] for s in items if s.links and listed.get(aid := _primary(s, lines[s.start]).id)
                 for i in range(s.start, s.end)}
    corrections.apply(parsed.observations, lines, own_lines)
    covered = {i for s in items for i in range(s.start, s.end)}
    loose = "\n".join([ln for i, ln in enumerate(lines) if i not in covered] + orphans)
    for aid, link_url, label in paper_links(loose):
        if aid.id not in seen:
            seen.add(aid.id)
            cite(parsed, aid, link_url, label, READER)
    if items and _NOT_RANKED.search("\n".join(lines[:items[0].start])):
        _positions_only(parsed.observations)
    _positions_only(_numbered_again(parsed.observations))
    set_rank_basis(parsed.observations)
    return parsed


def _numbered_again(observations) -> list:
    """The items of a day whose numbering starts again under a later heading, whose numbers
    are places in their section, not ranks of the day's list: every section's, but the
    first one's when its heading names it the day's top ("## Top 3", "Today's picks") and
    the later ones are more ("## Honourable mentions" numbered from 1 again). By category
    ("### Vision" 1, 2, then "### Language" 1), no section ranks the day. A weekly recap's
    days each keep theirs (each its own day), and so do sections of items without a day
    (an archive of weekly lists, one under each heading)."""
    again = _restarted([(o, o.rank, o.listed_on, o.extra.get("section")) for o in observations])
    return [o for o in observations if id(o) in again]


def _restarted(entries: list[tuple[object, int | None, object, str | None]]) -> set[int]:
    """The ids of the entries, (item, rank, day, section) in the document's order, that
    :func:`_numbered_again` finds numbered again: for the items' observations, and for the
    sections before they are read, so that a paper a category lists again (its place there
    "1.") does not make its rank in the day's top list a conflict, and a paper only a
    category lists gets no rank from its place there."""
    again: set[int] = set()
    for day in dict.fromkeys(d for _, r, d, _ in entries if r is not None and d is not None):
        highest = 0
        sections: dict = {}
        for item, rank, d, section in entries:
            if rank is not None and d == day:
                sections.setdefault(section, []).append((item, rank))
        restarted = []
        for ranked in sections.values():
            if highest and min(r for _, r in ranked) <= highest:
                restarted += ranked  # numbered again, not on from the sections before ("4." after "3.")
            else:
                highest = max(r for _, r in ranked)
        if restarted:
            first_name, first = next(iter(sections.items()))
            again |= {id(item) for item, _ in restarted + ([] if _DAYS_TOP.search(first_name or "") else first)}
    return again


# A heading that names its list the day's top: "Top 3", "Today's picks", "Paper of the day".
_DAYS_TOP = re.compile(r"\btop\b|\btoday(?:'s|’s)?\b|\bof\s+the\s+day\b", re.I)


# An item of the list that is no pick of the day: a paid slot ("**Sponsored:** [...]"), or
# a paper struck out or withdrawn ("~~[Title](...)~~ — withdrawn by the authors").
_PAID = re.compile(r"^\W*(?:\d{1,3}[.)]\s*)?\W*(?:sponsored|sponsor|advertisement|ad|promoted|promotion|paid|partner"
                   r"(?:\s+(?:content|paper|slot))?)\b\W{0,4}[:：—–|-]", re.I)
_STRUCK = re.compile(r"~~\s*\[[^\]]*\]\([^)]*\)\s*~~")
_WITHDRAWN = re.compile(r"\b(?:withdrawn|retracted)\b", re.I)
# An item that says it is an earlier post's: "From the archive: [...]", "Previously: [...]".
_ARCHIVED = re.compile(r"^\W*(?:\d{1,3}[.)]\s*)?\W*(?:from the archives?|previously|last week|earlier)\b\W{0,4}[:：—–-]",
                       re.I)


def _not_a_pick(lead: str) -> bool:
    """Whether an item's lead says it is a paid slot or a struck-out, withdrawn paper (in
    its own words, not its title's): its paper is cited, not listed (no day, rank or count
    of the list)."""
    return bool(_PAID.match(lead) or _STRUCK.search(lead) or _ARCHIVED.match(lead)
                or _WITHDRAWN.search(re.sub(r"\[[^\]]*\]\([^)]*\)|\*\*[^*]+\*\*", "", lead)))


# What a post says of its list's order before the list, when the order is no ranking.
_NOT_RANKED = re.compile(r"\b(?:(?:listed|sorted|ordered|arranged)\s+(?:alphabetically|by\s+(?:[\w-]+\s+){0,2}?(?:title|name|date|time"
                         r"|arxiv\s+id|id|submission|category|topic|author))|in\s+(?:no\s+particular|random|alphabetical)"
                         r"\s+order|not\s+(?:ranked|by\s+(?:popularity|upvotes|votes)))", re.I)


def _positions_only(observations) -> None:
    """The numbers of a list the post says is not ranked ("Listed alphabetically, not by
    popularity", "Sorted by submission date"): positions, kept in ``extra['position']``,
    not ranks."""
    for obs in observations:
        if obs.rank is None:
            continue
        read = {k: v for k, v in obs.extra.get("read", {}).get("fields", {}).items() if k != "rank"}
        obs.extra = {**obs.extra, "position": obs.rank,
                     "read": {**obs.extra.get("read", {}), "fields": read}}
        obs.rank = None


def _sections_with_papers(lines: list[str], url: str) -> list[Section]:
    """The sections of the post's list (:func:`.post_sections.best_sections`) but those whose
    only papers are what another paper builds on (:func:`_only_what_it_builds_on`): they
    are no items, and their lines, not covered by any, are read for citations."""
    return [s for s in best_sections(lines, url) if not _only_what_it_builds_on(s, lines[s.start])]


_TIMESTAMP = re.compile(r"[\[(]?\b\d{1,2}:\d{2}(?::\d{2})?\b[\])]?")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_LETTER = re.compile(r"[^\W\d_]")


def _before_link(line: str) -> str | None:
    """What a list item's first line says before its first paper link, without the list's
    marker and timestamps ("[44:05]"); None when the line links no paper."""
    links = paper_links(line)
    if not links:
        return None
    _, url, label = links[0]
    at = line.find(f"[{label}]({url}") if label else -1
    at = at if at >= 0 else line.find(url)
    return _TIMESTAMP.sub(" ", _LIST_MARKER.sub("", line[:at])) if at >= 0 else None


def _named_in_passing(items: list[Section], lines: list[str]) -> list[Section]:
    """``items`` without the list items that link one paper only, and name it in the course
    of a sentence, in a list whose every other linked item (two at least) opens with its
    paper's link. (In "An extension of [A](...): [B](...)" B is the item's.)

    Why: a podcast's chapters ("[04:10] [Title](...) — 👍 31") list the episode's papers,
    and a chapter such as "[44:05] A caller asks about [Title](...)" is about something
    else (a question) that mentions a paper: the paper is not one of the list's, and taken
    for an item it got the list's day. Such an item's link is cited (its lines are read as
    the post's loose text). A sentence is two words or more that run on into the link
    ("question about [..."); a label ("Top pick: [...") is not one. When it fails: a list
    that writes one of its papers into a sentence ("This week's winner is [Title](...)")
    while the others open with their links loses that paper to a citation."""
    listed = [s for s in items if s.kind in (("n",), ("b",)) and s.links]
    before = {id(s): _before_link(lines[s.start]) for s in listed}
    opens = {i: b is not None and not _LETTER.search(b) for i, b in before.items()}

    def in_a_sentence(s: Section) -> bool:
        said = before.get(id(s))
        return (said is not None and len(re.findall(r"[^\W\d_]+", said)) >= 2
                and re.search(r"[^\W\d_]\s*$", said) is not None)

    passing = {id(s) for s in listed if in_a_sentence(s) and len({aid.id for aid, _, _ in s.links}) == 1
               and sum(1 for x in listed if x is not s) >= 2 and all(opens[id(x)] for x in listed if x is not s)}
    return [s for s in items if id(s) not in passing]


_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_][\w.]{0,63})(?:@[\w.-]+)?")


def _not_replies(items: list[Section], lines: list[str]) -> list[Section]:
    """``items`` without the replies of a thread saved as headed posts ("### @lumen@host ·
    07:03" over each toot or tweet): a post headed by another account than the one heading
    most of them, whose text opens by addressing that account ("@lumen the second one is
    basically [Glyph Graphs](...)"), answers the thread; the paper it links is cited, not
    one of the thread's list. When it fails: a reply that does not open with the handle it
    answers is read as one of the list's posts."""
    authors = {id(s): m[1].lower() for s in items if s.kind[0] == "h" and (m := _HANDLE.search(s.lead))}
    if len(authors) < 2:
        return items
    counts: dict[str, int] = {}
    for a in authors.values():
        counts[a] = counts.get(a, 0) + 1
    main, n = max(counts.items(), key=lambda kv: kv[1])
    if 2 * n <= len(authors):
        return items

    def reply(s: Section) -> bool:
        if authors.get(id(s), main) == main:
            return False
        text = next((ln.strip() for ln in lines[s.start + 1:s.end] if ln.strip()), "")
        m = _HANDLE.match(text)
        return m is not None and m[1].lower() == main
    return [s for s in items if not reply(s)]


def _another_days(s: Section, lines: list[str]) -> bool:
    """Whether a section whose lead links no paper names its paper in its body after words
    that say it is another day's ("## Bonus" over "Last week's pick [Title](...) is still
    climbing", "先週紹介した [Title](...) は..."): the same test as a card's words before its
    link (:func:`.item_fields.not_the_days_list`). Such a section is no item; its link is
    cited. Only the words on the link's line before it are read, and only where the lead
    links nothing: a lead's own words are often the title, which may hold such a word
    ("Background Matting ..."). When it fails: a section whose paper is introduced as
    "yesterday's sleeper, today's top paper" loses it to a citation."""
    if not s.links or paper_links(s.lead):
        return False
    aid = _primary(s, lines[s.start]).id
    for line in lines[s.start + 1:s.end]:
        links = [(u, label) for x, u, label in paper_links(line) if x.id == aid]
        if links:
            url, label = links[0]
            at = line.find(f"[{label}]({url}") if label else -1
            at = at if at >= 0 else line.find(url)
            return at > 0 and not_the_days_list(line[:at])
    return False


def _links_not_its_own(items: list[Section], lines: list[str]) -> list[str]:
    """The lines of list items whose papers are not theirs, taken from them: in a numbered
    or bulleted list whose every other linked item links its paper on its first line, an
    item whose first line links none names an unlinked paper (a mention), and a link on a
    line run on after it ("3. Open Problems ... (no arXiv link yet) / Bonus: yesterday's
    winner is still climbing — https://arxiv.org/abs/...") is another paper's, cited."""
    listed = [s for s in items if s.kind in (("n",), ("b",))]

    def first_line(s: Section) -> str:  # with the next when a link's text runs on to it
        text = lines[s.start]
        return text + " " + lines[s.start + 1] if text.count("[") > text.count("]") and s.start + 1 < s.end else text

    first = {id(s): bool(paper_links(first_line(s))) for s in listed}
    taken: list[str] = []
    for s in listed:
        others = [first[id(x)] for x in listed if x is not s and x.links]
        if s.links and not first[id(s)] and len(others) >= 2 and all(others):
            taken += [ln for ln in lines[s.start + 1:s.end] if paper_links(ln)]
            s.links = []
    return taken


def _primary(s: Section, first_line: str) -> ArxivId:
    """The paper a linked section lists: its lead's first paper link, else its body's; but
    not a paper the lead (a table row: the row) names as what the item builds on ("An
    extension of [Flow Matching](2210.02747): [Discrete Flow Matching](2606.06202)", "| see
    [KV Paging](2309.06180) | [2606.22404](...) |") when it links another."""
    text = first_line if s.kind == ("row",) else s.lead
    links = primary_links(paper_links(s.lead) or s.links)
    for aid, url, label in links:
        if not _named_as_base(text, url, label) or all(x.id == aid.id for x, _, _ in links):
            return aid
    return links[0][0]


def _named_as_base(text: str, url: str, label: str | None) -> bool:
    """Whether ``text`` names the paper it links at ``url`` as what an item builds on or is
    compared with ("builds on [GaitNet](...)", "vs [X](...)"), not as the item's own."""
    at = text.find(f"[{label}]({url}") if label else -1
    at = at if at >= 0 else text.find(url)
    if at < 0:
        return False
    end = text.find(")", at) + 1
    # "From [Point Clouds](2512.30101) to [Point Cloud Video](2608.10101)": the first
    # is where the item's paper comes from.
    from_to = _FROM.search(text[max(0, at - 20):at]) and _TO.match(text, end)
    return bool(from_to or _BUILDS_ON.search(text[max(0, at - 60):at]))


def _only_what_it_builds_on(s: Section, first_line: str) -> bool:
    """Whether every paper ``s`` links is named in its lead (a row: its line) as what an
    item builds on, so that it links no paper of its own.

    Why: a table that gives each paper a second row for its fields ("Ona Pell · 💬 5 ·
    builds on [GaitNet](...)", the number cell spanning both rows) leaves that row with one
    link, the earlier paper's, which would become a listed item with the row's counts. It
    is cited instead, and the row is no item. When it fails: an item whose own link is
    written after such words ("based on [its code](...)") loses its paper to a citation."""
    text = first_line if s.kind == ("row",) else s.lead
    return bool(s.links) and len(paper_links(text)) == len(s.links) and all(
        _named_as_base(text, url, label) for _, url, label in s.links)


def _again(obs, found: dict, rules: dict, rank: int | None, rank_rule: str | None) -> None:
    """A paper listed a second time in one post (a top list, then its category): the
    second listing fills what the first left empty; a count the two state differently is
    not surely either, and is left empty."""
    read = obs.extra.get("read", {}).get("fields", {})
    fields = {name: (found.get(name), rules.get(name)) for name in ("upvotes", "comments")}
    fields["rank"] = (rank, rank_rule)
    changed = dict(read)
    for name, (value, rule) in fields.items():
        old = getattr(obs, name)
        if value is None or value == old:
            continue
        if old is None:
            setattr(obs, name, value)
            changed[name] = rule
        else:
            setattr(obs, name, None)
            changed.pop(name, None)
            obs.extra = {**obs.extra, "conflicting": {**obs.extra.get("conflicting", {}), name: sorted([old, value])}}
    obs.extra = record_read({**obs.extra, "read": {**obs.extra.get("read", {}), "fields": {}}}, READER, **changed)


def cite(parsed: Parsed, aid: ArxivId, link_url: str | None, label: str | None, reader: str,
         **extra) -> None:
    """An observation of a paper the document links outside its list's items (commentary,
    a table of benchmarks, a citation inside an item): it says the paper was named, nothing
    more. No title (a link text in prose is often a nickname), no day, rank or counts."""
    build(parsed, label or link_url or aid.id, source=Source.DIGEST,
          url=with_scheme(link_url) if link_url else f"https://arxiv.org/abs/{aid.id}",
          arxiv_id=aid.id, arxiv_version=aid.version,
          extra=record_read({"citation": True, **extra, **({"link_text": label} if label else {})}, reader))


def _own_lines_counts(block: list[str], paper_id: str) -> tuple[dict, dict]:
    """The counts of the lines of ``block`` from the first one linking ``paper_id`` up to
    the next one linking another paper (or a blank line after them)."""
    mine: list[str] = []
    for line in block:
        ids = {aid.id for aid, _, _ in paper_links(line)}
        if mine and ((ids and paper_id not in ids) or not line.strip()):
            break
        if mine or paper_id in ids:
            mine.append(line)
    return counts("\n".join(mine))


def _names_another_page(title: str, lead: str) -> bool:
    """Whether ``title`` is the text of a link in ``lead`` to a page that is not a paper."""
    for m in MD_LINK.finditer(lead):
        if not m[1] and not paper_links(m[0]) and m[2].strip() and _clean(m[2]) and _clean(m[2]) in title:
            return not is_generic_label(m[2])
    return False


def _disagree(heading: str | None, labels: list[str]) -> bool:
    """Whether the first link text that reads as a title names something else than
    ``heading``: neither holds the other, letters and digits compared."""
    label, _, _ = pick_title([(x, "link_text") for x in labels])
    if not heading or not label:
        return False
    a, b = (re.sub(r"[\W_]+", "", x).casefold() for x in (heading, _clean(label)))
    return bool(a and b) and a not in b and b not in a


def _stated_rank(s: Section, first_line: str) -> int | None:
    """The rank a section states: its numbering, else (a table's row) its rank column's."""
    if s.rank is not None or s.kind != ("row",):
        return s.rank
    return next((rank for header, cell in zip(s.columns, row_cells(first_line))
                 if header in RANK_HEADERS and (rank := column_rank(cell))), None)


def _item(parsed: Parsed, s: Section, block: list[str], day, day_rule, seen: set[str],
          listed: dict, alone: bool = False, placed: bool = False) -> None:
    """The observations of one section: its paper, papers it cites, or a mention. A
    ``placed`` section's number is its place in a section numbered again, no rank."""
    if placed:
        s.rank = None
    text = "\n".join(block)
    fields = _fields(block[1:] if s.kind[0] != "row" else block)
    body_counts, body_rules = counts(text)
    lead_counts, lead_rules = counts(s.lead)
    found, rules = {**body_counts, **lead_counts}, {**body_rules, **lead_rules}  # the lead's own markers first
    column_titles: list[tuple[str | None, str, str]] = []
    rank_rule = "numbering" if s.rank is not None else None
    stated_day = None
    by_column: dict[str, dict[str, int]] = {}  # a count field -> the columns that give it
    for header, cell in zip(s.columns, row_cells(block[0]) if s.kind == ("row",) else []):
        plain = _clean(cell)
        if header in DATE_HEADERS:
            stated_day = plain
        elif header in TITLE_HEADERS:
            # "**Title** *Authors*" (a title and its authors under a <br>, in one cell): the
            # bold words that open the cell are its title, the rest is not.
            bold = BOLD.match(cell.strip())
            if bold and _clean(cell.strip()[bold.end():]):
                plain = _clean(bold[1] or bold[2])
            column_titles.append((plain, f"column:{header}", cell))
        elif header in RANK_HEADERS and column_rank(cell) and s.rank is None and not placed:
            s.rank, rank_rule = column_rank(cell), f"column:{header}"
        elif header in COUNT_HEADERS and plain.replace(",", "").isdigit():
            by_column.setdefault(COUNT_HEADERS[header], {})[header] = int(plain.replace(",", ""))
    for name, columns in by_column.items():
        # Two columns of one count ("Upvotes" and "Likes", the likes of a post elsewhere):
        # the one named for it wins; two that are not, and disagree, give none.
        header = next((h for h in columns if h == name), None) or (next(iter(columns)) if len(set(columns.values())) == 1 else None)
        if header is None:
            found.pop(name, None)
            rules.pop(name, None)
        else:
            found[name], rules[name] = columns[header], f"column:{header}"
    extra: dict = {"section": s.parent} if s.parent else {}
    # A row dated otherwise, an item saying it came "from the Oct 8 list": not this day's.
    day, day_rule, day_extra = own_day(day, day_rule, text, stated_day)
    extra.update(day_extra)
    if "extra.stars" in found:
        extra["stars"] = found["extra.stars"]
    lead_rest = set(s.lead.splitlines())
    prose = [ln for ln in block if ln not in lead_rest and not (
        (m := LABEL.match(ln)) and m[1].strip().lower() in _SKIP_LABELS)]
    summary = _clean(re.sub(r"\[([^\]]*)\]\([^)]*\)", "", "\n".join(prose))) or None
    if not s.links:
        heading, _ = title_from_lead(s.lead)
        # The name the lead gives wins over names the prose repeats (often baselines).
        name, candidates = mentioned_name(heading or "")
        if name is None:
            name, candidates = mentioned_name(_clean(s.lead) + "\n" + (summary or ""))
        build(parsed, text, source=Source.DIGEST, rank=s.rank, listed_on=day, summary=summary,
              extra=record_read({**extra, "mention": True, "mentioned_as": name, "candidates": candidates,
                                 **({"heading": heading} if heading else {})}, READER,
                                rank=rank_rule, listed_on=day_rule if day else None))
        return
    lead_links = paper_links(s.lead)
    primary = _primary(s, block[0])
    own = [label for aid, _, label in s.links if aid.id == primary.id]
    label_key = next((k for k in fields if k in _TITLE_LABELS and fields[k]), None)
    # A title cell that links another paper ("see [KV Paging](2309.06180)") names that one.
    candidates: list[tuple[str | None, str]] = [
        (plain, rule) for plain, rule, cell in column_titles
        if all(aid.id == primary.id for aid, _, _ in paper_links(cell))]
    led = {aid.id for line in block if re.match(r"^[^\w\[]*\[", line) for aid, _, _ in paper_links(line)[:1]}
    # A section whose lead links no paper and whose body has several lines led by a paper's
    # link (a heading over lines such as "🥇 [Title](...) — 👍 88" that no kind of section
    # splits): the lead is the list's heading, not the first paper's title, and the body's
    # counts and prose are any of its papers'. Only the first paper's own lines are its own.
    # So is a page's one heading over several papers in paragraphs of their own (an issue
    # asking for three papers, a thread of posts): "# Thread archive" names none of them.
    heading_over_papers = not lead_links and (len(led) > 1 or (alone and s.kind[0] == "h" and len(
        {aid.id for aid, _, _ in s.links}) > 1 and sum(1 for p in "\n".join(block[1:]).split("\n\n")
                                                       if paper_links(p)) > 1))
    if heading_over_papers:
        found, rules = _own_lines_counts(block, primary.id)
        summary = None
    else:
        if lead_links:
            candidates.append((next(label for aid, _, label in lead_links if aid.id == primary.id)
                               if any(aid.id == primary.id for aid, _, _ in lead_links) else None, "link_text"))
        if label_key:
            candidates.append((labelled_title(fields[label_key]), f"label:{label_key}"))
        candidates += lead_titles(s.lead, heading=s.kind[0] == "h")
    candidates += [(label, "link_text") for label in own]
    if not heading_over_papers:
        candidates.append((next_line_title(block[len(s.lead.splitlines()):]), "inferred:next_line"))
    title, title_rule, translated = pick_title(candidates)
    if title_rule == "heading" and not lead_links and _disagree(title, [label for label in own if label]):
        # "## Honorable mention" over "[Token Merging for Video LLMs](...)": a heading over
        # a link to its paper whose text names the paper otherwise is a category as often as
        # a title, and which one it is cannot be told. No title.
        title, title_rule = None, None
    if title and title_rule != "link_text" and _names_another_page(title, s.lead):
        # "[Teaching robots to fold laundry](blog...) [[paper]](arxiv...)": the lead's words
        # are a link to another page (a blog post, a project), whose name is not surely the
        # paper's. No title.
        title, title_rule = None, None
    if (alone and title and not title_rule.startswith(("label:", "column:", "link_text"))
            and all(isinstance(u, StatedUrl) for aid, u, _ in s.links if aid.id == primary.id)
            and not any(aid.id == primary.id for aid, _, _ in lead_links)):
        # "# heron-toolkit ... Please cite arXiv:3105.00101": the one item of a page, whose
        # paper is an id its body states without a link, is not surely what the page's
        # heading is about (a list of headed items each stating its id is read as usual).
        title, title_rule = None, None
    if translated:
        extra["title_translated"] = translated
    urls = [u for aid, u, _ in s.links if aid.id == primary.id]
    arxiv_url = next((u for u in urls if "arxiv.org" in u), None)
    if arxiv_url and any("huggingface.co" in u or "hf.co" in u for u in urls):
        extra["hf_url"] = with_scheme(next(u for u in urls if "huggingface.co" in u or "hf.co" in u))
    author_key = next((k for k in fields if k in _AUTHOR_LABELS), None)
    authors, partial = split_authors(fields.get(author_key))
    author_rule = f"label:{author_key}"
    if not author_key and (cell := next((c for h, c in zip(s.columns, row_cells(block[0]) if s.kind == ("row",) else [])
                                         if h in _AUTHOR_LABELS), None)) and _LETTER.search(_clean(cell)):
        # An "Authors" column of names ("| 作者 |"), not of how many there are ("| 7 |").
        authors, partial = split_authors(_clean(cell))
        author_rule = "column:authors"
    if partial:
        extra["authors_truncated"] = True
    org_key = next((k for k in fields if k in _ORG_LABELS), None)
    if listed.get(primary.id) is not None:
        _again(listed[primary.id], found, rules, s.rank, rank_rule)
    elif primary.id in listed:  # its first listing
        n = len(parsed.observations)
        build(parsed, text, source=Source.DIGEST, url=with_scheme(arxiv_url or urls[0]), rank=s.rank,
              arxiv_id=primary.id, arxiv_version=primary.version, listed_on=day,
              title=title, upvotes=found.get("upvotes"), comments=found.get("comments"), authors=authors,
              organization=collapse_whitespace(fields[org_key]) if org_key else None, summary=summary,
              extra=record_read(extra, READER, title=title_rule, rank=rank_rule,
                                upvotes=rules.get("upvotes"), comments=rules.get("comments"),
                                authors=author_rule if authors else None,
                                organization=f"label:{org_key}" if org_key else None,
                                listed_on=day_rule if day else None))
        if len(parsed.observations) > n:
            listed[primary.id] = parsed.observations[n]
        else:  # not valid: its problem is recorded, and a later listing is not merged into it
            del listed[primary.id]
    for aid, link_url, label in s.links:
        if aid.id not in seen:
            seen.add(aid.id)
            cite(parsed, aid, link_url, label, READER, cited_in=primary.id,
                 **({"section": s.parent} if s.parent else {}))


FORMAT = Format("digest-generic", Source.DIGEST, sniff, parse)
