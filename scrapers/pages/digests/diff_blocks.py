"""A diff shown in a post (a pull request adding the day's list) read for the lines it adds.

A post that is a pull request adding the day's list to a file holds the list in a fenced
diff: the lines it adds (``+1. [Title](...) — 👍 37``) are the post's items, while the
context lines around them (`` 1. [Yesterday's paper](...) — 👍 14``) and the lines it
removes are another day's list, or what the list no longer says. Read as Markdown, the
whole fence is code: no item was found in it, and the post's one heading took the first
link of the diff, a context line's, as its listed paper. Here the added lines of such a fence are
written out as the post's own Markdown (without their ``+``), and the other lines stay
in a fence of their own, where their links are citations.

When it fails: a diff that adds lines to a file that is not a list (code naming a paper in
a comment) gives those lines as the post's text; only a diff whose added lines link a
paper is rewritten, so such a fence is read as before unless it links one.
"""

from __future__ import annotations

import re

from .post_sections import has_paper_link

# The opening fence of a diff: labelled diff or patch, or opening on a diff's own header.
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)")
_DIFF_START = re.compile(r"^(?:@@ -\d|diff --git |--- \S|Index: )")


def _is_added(line: str) -> bool:
    """A line the diff adds: ``+`` first, not the ``+++ b/file`` header."""
    return line.startswith("+") and not line.startswith("+++ ")


def _rewritten(opening: str, fence: str, block: list[str]) -> list[str]:
    """A diff's lines: each run of added lines as the post's text, the other runs fenced."""
    out: list[str] = []
    run: list[str] = []
    for line in block + [None]:
        if line is not None and not _is_added(line):
            run.append(line)
            continue
        if run:
            out += [opening] + run + [fence]
            run = []
        if line is not None:
            out.append(line[1:])
    return out


def diff_added_lines(text: str) -> str:
    """``text`` with each fenced diff whose added lines link a paper written as described
    above; other text, and other fences, as they are."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        fence = m[1]
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(fence)
                    and not lines[j].strip().strip(fence[0])), len(lines))
        block = lines[i + 1:end]
        first = next((ln for ln in block if ln.strip()), "")
        is_diff = m[2].lower() in ("diff", "patch") or bool(_DIFF_START.match(first))
        if is_diff and has_paper_link("\n".join(ln for ln in block if _is_added(ln))):
            out += _rewritten(lines[i], fence, block)
        else:
            out += lines[i:end + 1]
        i = end + 1
    return "\n".join(out)


__all__ = ["diff_added_lines"]
