"""A post's corrections of its own list: the values they touch are left empty.

A post fixed after it went up often keeps its list as it was and adds a note:
"**Correction, 11:20:** Aster's count was 42, not 24, and #2 and #3 were swapped", or a
parenthesis after one count, "👍 12 (update: it's 21, we misread the page)". The list's
values are then the ones the post itself says were wrong. Applying the note would take
reading its sentences; what is read here is only which values it touches, and those are
left empty (their old values kept in ``extra['corrected']``), not guessed:

- a note is a paragraph that opens with a label (``Correction:``, ``Erratum:``,
  ``Update:``, ``Edit:``, in bold or not, with a time or date before the colon), or a
  parenthesis in an item opening so (``(update: ...)``);
- it is read clause by clause; a clause touches the items it names (by their title, or the
  name before the title's colon, "Aster"), the items whose rank it names (``#2``), and the
  item a parenthesis or a note inside the item's lines stands in;
- of an item it touches, a count the clause states ("24") is left empty; where it states
  numbers none of which is one of the item's counts, both counts are (which one it
  corrects is not said); where it speaks of places (``#2``, "rank", "swapped", "place"),
  the rank is.

When it fails: a note that names an item by another name than its title (a nickname, "the
bird paper") touches nothing, and the old value stays; a note that only adds to an item
("Update: Birch's code is out", no number) leaves it as it is, as it should.
"""

from __future__ import annotations

import re

# A note's label at the start of a paragraph (after a list marker, emphasis, a quote),
# with anything up to its colon ("Correction, 11:20:", "Update (Dec 29):").
_LABEL = r"(?:corrections?|corrected|erratum|errata|update[ds]?|edit(?:ed)?)"
_NOTE = re.compile(rf"^[\W_]{{0,6}}{_LABEL}\b(?:[^:：\n]|:\d){{0,40}}?[:：](?!\d)\W*(.*)$", re.I)
_INLINE = re.compile(rf"[(\[]\s*{_LABEL}\s*[:：,]\s*([^)\]\n]{{1,300}})[)\]]", re.I)
_CLAUSE = re.compile(r"[.;:!?](?:\s|$)|,\s*(?:and|but)\s")
_RANK_REF = re.compile(r"(?:#|\bno\.\s*|\bnumber\s+)(\d{1,3})\b", re.I)
_PLACE_WORDS = re.compile(r"\b(?:rank(?:ed|ing|s)?|place[ds]?|position|swapped|switched|order|spot)\b", re.I)
# Dates and times are no counts: "2026-12-29", "29/12/2026", "11:20".
_NOT_A_COUNT = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,4}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}:\d{2}|\b(?:19|20)\d{2}\b")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[,\u202f\u00a0 ]\d{3})*(?![\w])")


def notes(lines: list[str]) -> list[tuple[int, str]]:
    """Each correction note of ``lines`` as (its first line, its text after the label): a
    labelled paragraph (with the lines it runs on to), and every labelled parenthesis."""
    found: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if m := _NOTE.match(line.strip()):
            text = [m[1]]
            for more in lines[i + 1:]:
                if not more.strip() or _NOTE.match(more.strip()) or re.match(r"^\s*(?:[-*+]|\d{1,3}[.)]|#)\s", more):
                    break
                text.append(more.strip())
            found.append((i, " ".join(text)))
        found += [(i, m[1]) for m in _INLINE.finditer(line)]
    return found


def _names(obs) -> list[str]:
    """The names a note may call an item by: its title, and the name before its colon."""
    title = (obs.title or "").strip()
    if not title:
        return []
    names = [title]
    head = title.split(":", 1)[0].strip()
    if head != title and len(head) >= 3:
        names.append(head)
    return names


def _named(clause: str, obs) -> str | None:
    """The name of ``obs`` that ``clause`` says, as a word of its own; else None."""
    for name in _names(obs):
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", clause, re.I):
            return name
    return None


def apply(observations: list, lines: list[str], own_lines: dict[int, object]) -> None:
    """Leave empty the values of ``observations`` (a post's listed items) that the post's
    correction notes touch (see the module). ``own_lines`` maps a line to the item it is a
    line of, so that a note inside an item touches that item."""
    listed = [o for o in observations if o.arxiv_id and not o.extra.get("citation")]
    for at, note in notes(lines):
        for clause in (c for c in _CLAUSE.split(note) if c and c.strip()):
            refs = {int(n) for n in _RANK_REF.findall(clause)}
            touched: dict[int, tuple[object, str | None]] = {}
            if (own := own_lines.get(at)) is not None:
                touched[id(own)] = (own, None)
            for obs in listed:
                if (name := _named(clause, obs)) is not None:
                    touched[id(obs)] = (obs, name)
                elif obs.rank is not None and obs.rank in refs:
                    touched.setdefault(id(obs), (obs, None))
            rest = _RANK_REF.sub(" ", clause)
            places = bool(refs) or _PLACE_WORDS.search(rest) is not None
            for obs, name in touched.values():
                said = _NOT_A_COUNT.sub(" ", rest.replace(name, " ") if name else rest)
                numbers = {int(re.sub(r"\D", "", n)) for n in _NUMBER.findall(said)}
                fields = [f for f in ("upvotes", "comments") if getattr(obs, f) is not None and getattr(obs, f) in numbers]
                if numbers and not fields:
                    fields = ["upvotes", "comments"]
                if places:
                    fields.append("rank")
                _leave_empty(obs, fields)


def _leave_empty(obs, fields: list[str]) -> None:
    """``obs`` with ``fields`` empty, their old values in ``extra['corrected']``."""
    old = {f: getattr(obs, f) for f in fields if getattr(obs, f) is not None}
    if not old:
        return
    for f in old:
        setattr(obs, f, None)
    read = obs.extra.get("read", {})
    how = {k: v for k, v in read.get("fields", {}).items() if k not in old}
    obs.extra = {**obs.extra, "corrected": {**obs.extra.get("corrected", {}), **old},
                 "read": {**read, "fields": how}}
