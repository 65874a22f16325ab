"""An AsciiDoc page, as the Markdown the generic reader reads.

AsciiDoc writes headings with ``=`` (``= Title``, ``== See also``), links with their text
after the address (``https://arxiv.org/abs/ID[Title]``, ``link:url[Title]``), and tables
between ``|===`` lines, a cell per ``|`` and often one cell per line. Read as Markdown,
none of these was seen: a table's rows were no items (their papers were cited), and a "See
also" list under ``== See also`` was read as the day's list. Only those three are
rewritten, one line for one outside tables; attribute lines (``:revdate: ...``) and block
attributes (``[cols="1,6"]``) become empty lines; the rest is left as it is.

A table becomes a Markdown table when its cells can be laid out surely: as many columns as
its ``cols`` attribute names, else as its first line has cells; its first row is a header
when the block says ``options="header"`` or its first line stands alone (AsciiDoc's
implicit header). A table with cell specifiers (``2+|``, ``a|``) or whose cells do not
fill its rows is left as it is.

When it fails: a page whose list is an AsciiDoc ordered list (``. Item``) keeps no numbers;
a table with merged cells is not read.
"""

from __future__ import annotations

import re

_TITLE = re.compile(r"^=[ \t]+\S")
_ATTRIBUTE = re.compile(r"^:!?[A-Za-z0-9_][\w-]*!?:(?:[ \t].*)?$")
_HEADING = re.compile(r"^(={1,6})[ \t]+(\S(?:.*\S)?)[ \t]*$")
_BLOCK_ATTRIBUTES = re.compile(r"^\[[^\]\n]*\][ \t]*$")
_TABLE = re.compile(r"^\|===[ \t]*$")
_LISTING = re.compile(r"^(?:-{4,}|\.{4,})[ \t]*$")
_LINK = re.compile(r"(?:link:)?(https?://[^\s\[\]<>]+)\[([^\]\n]*)\]")
_CELL_SPEC = re.compile(r"(?:^|\s)[\d.+*<>^a-z]+\|")
_CELL = re.compile(r"(?:^|(?<=\s))\|")


def looks_like_asciidoc(text: str) -> bool:
    """An AsciiDoc page: a table's ``|===`` delimiters, or a document title (``= Title``)
    on its first line with an attribute line (``:revdate: ...``) in the lines after."""
    lines = text.lstrip("\ufeff").splitlines()
    if sum(1 for ln in lines if _TABLE.match(ln)) >= 2:
        return True
    head = [ln for ln in lines[:12] if ln.strip()]
    return bool(head) and _TITLE.match(head[0]) is not None and any(_ATTRIBUTE.match(ln) for ln in head[1:])


def _links(text: str) -> str:
    return _LINK.sub(lambda m: f"[{m[2]}]({m[1]})" if m[2].strip() else m[1], text)


def _columns(attributes: str | None, first: list[str]) -> int:
    """How many columns a table has: its ``cols`` attribute's (``"1,6,1"``, ``"3*"``,
    ``3``), else its first line's cells."""
    if attributes and (m := re.search(r"cols\s*=\s*\"?([^\"\]]*)\"?", attributes)):
        spec = m[1].strip()
        if re.fullmatch(r"\d+", spec):
            return int(spec)
        if m2 := re.fullmatch(r"(\d+)\*.*", spec):
            return int(m2[1])
        return len([c for c in spec.split(",") if c.strip()])
    return len(first)


def _table(body: list[str], attributes: str | None) -> list[str] | None:
    """A table's lines (between its delimiters) as Markdown table lines, or None when its
    cells cannot be laid out surely."""
    if any(_CELL_SPEC.search(ln) for ln in body):
        return None
    lines = [ln for ln in body]
    cells_by_line = [[c.strip() for c in _CELL.split(ln)[1:]] if ln.strip() else [] for ln in lines]
    if any(ln.strip() and not ln.lstrip().startswith("|") for ln in lines):
        return None  # a cell's text runs on to another line
    filled = [cells for cells in cells_by_line if cells]
    if not filled:
        return None
    n = _columns(attributes, filled[0])
    cells = [c for line in filled for c in line]
    if n < 2 or len(cells) % n:
        return None
    first_alone = len(cells_by_line) > 1 and len(cells_by_line[0]) == n and not cells_by_line[1]
    header = bool(attributes and re.search(r"options\s*=\s*\"?[^\"\]]*header", attributes)) or first_alone
    rows = [cells[i:i + n] for i in range(0, len(cells), n)]
    head, rows = (rows[0], rows[1:]) if header else ([""] * n, rows)
    return ["| " + " | ".join(_links(c) for c in row) + " |" for row in [head, ["---"] * n] + rows]


def asciidoc_to_markdown(text: str) -> str:
    """``text``, an AsciiDoc page, as Markdown (see the module)."""
    lines = text.lstrip("\ufeff").split("\n")
    out: list[str] = []
    attributes: str | None = None
    i, listing = 0, False
    while i < len(lines):
        line = lines[i]
        if _LISTING.match(line):
            listing = not listing
            out.append(line)
        elif listing:
            out.append(line)
        elif _TABLE.match(line):
            end = next((j for j in range(i + 1, len(lines)) if _TABLE.match(lines[j])), None)
            table = _table(lines[i + 1:end], attributes) if end is not None else None
            if table is None:
                out.append(line)
            else:
                out += [""] + table + [""]
                i = end
            attributes = None
        elif _ATTRIBUTE.match(line):
            out.append("")
        elif _BLOCK_ATTRIBUTES.match(line):
            attributes = line
            out.append("")
        elif m := _HEADING.match(line):
            out.append(f"{'#' * len(m[1])} {_links(m[2])}")
        else:
            out.append(_links(line))
            if line.strip():
                attributes = None
        i += 1
    return "\n".join(out)
