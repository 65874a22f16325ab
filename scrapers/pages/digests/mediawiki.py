"""A MediaWiki page's source (a lab wiki's daily list) as the Markdown the generic reader reads.

Read as Markdown, a wiki page has no headings (``== See also ==`` is a line of text), no
table (``{| ... |}`` rows are not pipe rows) and no links (``[https://arxiv.org/abs/...
Title]``): the only section left was a bullet, often the one under "See also", and the
paper it cites became the page's one listed item while the table's papers were cited.
Only the constructs that carry a digest's list are rewritten: headings, tables, external
and internal links, bold and italic, and bullets and numbered items; the rest is left as
it is. A wikitext parser (mwparserfromhell) would give a tree that then has to be written
out as Markdown anyway; these rules are the whole of what the reader needs.

When it fails: a cell's attributes written with a pipe inside a quoted value, nested
tables, and templates (``{{...}}``, left as they are) are not read.
"""

from __future__ import annotations

import re

# Every pattern here is linear on scraped text: no two of its parts can take the same
# characters (a heading's text as a lazy ".*?" before "\s*==" would rescan a long run of
# spaces at every step), and a link's or emphasis's text stops at the next bracket or quote.
_HEADING = re.compile(r"^(={1,6})([^=\n]+(?:=+[^=\n]+)*)\1$")
_EXTERNAL = re.compile(r"\[(https?://[^\s\[\]]+)(?:\s([^\[\]\n]*))?\]")
_INTERNAL = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]*))?\]\]")
_NOT_SHOWN = re.compile(r"^\s*(?:category|file|image|media)\s*:", re.I)
_BOLD = re.compile(r"'''([^'\n]+)'''")
_ITALIC = re.compile(r"''([^'\n]+)''")
_LIST = re.compile(r"^([*#]+)\s*(.*)$")
# A cell's attributes before its content: 'style="..." | 42'.
_ATTRIBUTE = r"[\w-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s|\"']+)"
_CELL_ATTRIBUTES = re.compile(rf"^\s*{_ATTRIBUTE}(?:\s+{_ATTRIBUTE})*\s*\|(?!\|)\s*")


def looks_like_mediawiki(text: str) -> bool:
    """Wikitext: a heading made of equals signs on both sides (``== Papers ==``) near the
    top, and a wiki table (``{|``) or an external link written the wiki's way
    (``[https://... text]``). Markdown, AsciiDoc (``https://...[text]``) and
    reStructuredText (underlined titles) have no such pair."""
    head = text[:6000]
    return (any(_HEADING.match(line.strip()) for line in head.splitlines())
            and bool(re.search(r"^\{\|", head, re.M) or _EXTERNAL.search(head)))


def _inline(text: str) -> str:
    """Links, bold and italic of one line as Markdown."""
    text = _INTERNAL.sub(lambda m: "" if _NOT_SHOWN.match(m[1]) else (m[2] if m[2] is not None else m[1]), text)
    text = _EXTERNAL.sub(lambda m: f"[{m[2].strip()}]({m[1]})" if m[2] and m[2].strip() else m[1], text)
    return _ITALIC.sub(r"*\1*", _BOLD.sub(r"**\1**", text))


def _cells(line: str, mark: str) -> list[str]:
    """The cells of a table line after its ``|`` or ``!``: split at ``||`` (or ``!!``),
    each without its attributes; a pipe inside a cell is escaped for the pipe table."""
    cells = re.split(re.escape(mark * 2) + ("|\\|\\|" if mark == "!" else ""), line[1:])
    return [_CELL_ATTRIBUTES.sub("", c).strip().replace("|", "\\|") for c in cells]


def _table(block: list[str]) -> list[str]:
    """A ``{| ... |}`` table as a pipe table: its ``!`` cells the header row, each ``|-``
    a new row, cells written one per line or several on one line."""
    header: list[str] = []
    rows: list[list[str]] = []
    row: list[str] | None = None
    in_header = False  # the header row's "!" cells, one per line or several on one
    for raw in block[1:]:
        line = raw.strip()
        if line.startswith("|}"):
            break
        if line.startswith("|-"):
            row, in_header = None, False
        elif line.startswith("|+"):
            continue  # a caption
        elif line.startswith("!") and (in_header or (not header and not rows and row is None)):
            header += _cells(_inline(line), "!")
            in_header = True
        elif line.startswith(("|", "!")):  # "!" in a row: the row's own header cell
            if row is None:
                row = []
                rows.append(row)
            row += _cells(_inline(line), line[0])
        elif row is not None and row and line:
            row[-1] += " " + _inline(line).replace("|", "\\|")  # a cell's text runs on
    out = []
    if header:
        out += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows if r]
    return out


def mediawiki_to_markdown(text: str) -> str:
    """``text`` with its wiki headings, tables, links, emphasis and lists written as Markdown."""
    lines = text.splitlines()
    out: list[str] = []
    numbers: dict[int, int] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("{|"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith("|}")), len(lines) - 1)
            out += [""] + _table(lines[i:end + 1]) + [""]
            i, numbers = end + 1, {}
            continue
        if m := _HEADING.match(line.strip()):
            out.append(f"{'#' * len(m[1])} {_inline(m[2].strip())}")
            numbers = {}
        elif m := _LIST.match(line):
            depth = len(m[1])
            indent = "   " * (depth - 1)
            if m[1][-1] == "#":
                numbers = {d: n for d, n in numbers.items() if d <= depth}
                numbers[depth] = numbers.get(depth, 0) + 1
                out.append(f"{indent}{numbers[depth]}. {_inline(m[2])}")
            else:
                out.append(f"{indent}- {_inline(m[2])}")
        else:
            if not line.strip():
                numbers = {}
            out.append(_inline(line))
        i += 1
    return "\n".join(out) + "\n"


__all__ = ["looks_like_mediawiki", "mediawiki_to_markdown"]
