"""Tables a terminal draws with box characters (rich's, tabulate's "fancy_grid") as Markdown
pipe tables, so that the generic reader reads their rows as it reads a README's.
(reStructuredText's ``+---+`` grid tables are read as reStructuredText, not here.)

A table is a run of row lines (cells between ``│``/``┃``/``║``) and rule lines. Its first row is its header; the rule after it becomes the pipe
table's separator, and the other rules (borders, lines between rows) are dropped. A row
whose first cell is empty and that names no paper goes on the row above it: a cell too
long for its column wraps onto the next line ("Sparse Autoencoders for Protein Language" /
"Models"), and each of its cells is joined to the one above. When it fails: a table whose
first column is empty by design (no rank, a blank index) has every row joined into the
first one; a cell that wraps a word at a hyphen keeps a space inside it.
"""

from __future__ import annotations

import re

from reconcile.ids import find_arxiv_ids

_BOX_RULE = re.compile(r"^\s*[┏┓┗┛┡┩╇┳┻┼├┤└┘┌┐╞╡╪═━─┬┴╔╗╚╝╠╣╦╩╬╭╮╰╯]{3,}\s*$")
_BOX_ROW = re.compile(r"^\s*[│┃║].*[│┃║]\s*$")
_BOX_BAR = re.compile(r"\s*[│┃║]\s*")


def has_box_table(text: str) -> bool:
    """Whether ``text`` draws a table with box characters."""
    lines = text.splitlines()
    return any(_BOX_RULE.match(ln) for ln in lines) and any(_BOX_ROW.match(ln) for ln in lines)


def _cells(line: str) -> list[str] | None:
    """The cells of a row line, or None when the line is no row."""
    return _BOX_BAR.split(line.strip())[1:-1] if _BOX_ROW.match(line) else None


def box_tables_to_markdown(text: str) -> str:
    """``text`` with its drawn tables written as pipe tables (see the module's docstring);
    every other line as it was."""
    out: list[str] = []
    rows: list[list[str]] | None = None  # the table being read, header first

    def flush() -> None:
        if rows:
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out.extend("| " + " | ".join(r) + " |" for r in rows[1:])
            out.append("")

    for line in text.splitlines():
        rule = _BOX_RULE.match(line)
        cells = None if rule else _cells(line)
        if rule:
            rows = rows if rows is not None else []
            continue
        if cells is not None and rows is not None:
            if rows and len(rows) > 1 and not cells[0] and len(cells) == len(rows[-1]) and not find_arxiv_ids(line):
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
            else:
                rows.append(cells)
            continue
        if rows is not None:
            flush()
            rows = None
        out.append(line)
    if rows is not None:
        flush()
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


__all__ = ["has_box_table", "box_tables_to_markdown"]
