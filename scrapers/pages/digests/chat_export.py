"""A chat saved as text (WhatsApp's "Export chat"), as the Markdown the generic reader reads.

An exported chat is one line per message, each opening with its time and its author
(``22/12/2026, 08:01 - Mira: Morning all!``, or ``[22/12/2026, 08:01:05] Mira: ...`` as
iPhones write it); a message of several lines goes on, without a time, on the lines after.
Read as Markdown, a numbered list in one message ran on into every later message (one
paper's title swallowed the replies under it), and the day of the file's name was given to
a list posted the day before.

Each message becomes a paragraph of its own (``**Mira** (08:01):`` and its text), so that a
list ends with its message. The chat's heading names its day when every message is of one
day (``# Chat of 2026-12-22``), else its first and last days (a span, which is no list's
day), and then each day's messages go under a heading of their day: a list's items get the
day of the message that holds them. A day is written as a date (``2026-12-22``) only when
the export's order of day and month is sure: one of the first two numbers of some message
is over 12 (``22/12`` is a day first; ``12/22`` a month first). Otherwise it is written as
the export has it (``05/06/2026``), which the readers take for no sure day.

When it fails: an export whose every day is 12 or less (the first twelve days of a month)
names no day; a message whose text itself opens with what looks like a time and a name
starts a new message.
"""

from __future__ import annotations

import re

# A message's first line: its time (day, month and year in numbers, in either order; a 12-
# or 24-hour clock) and its author, then its text. Android writes "D/M/Y, H:MM - Name: text",
# iOS "[D/M/Y, H:MM:SS] Name: text". A line of the app's own ("Messages are end-to-end
# encrypted") has no author.
_MESSAGE = re.compile(r"^\u200e?\[?(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4}),?[ \t]+(\d{1,2}:\d{2})(?::\d{2})?"
                      r"(?:[ \t\u202f]*[AaPp]\.?[Mm]\.?)?(?:\][ \t]+|[ \t]+[-–][ \t]+)"
                      r"(?:([^:\n]{1,80}?):[ \t])?(.*)$")


def looks_like_chat(text: str) -> bool:
    """Whether ``text`` is an exported chat: its first line and at least one other open with
    a message's time and author (:data:`_MESSAGE`)."""
    lines = [ln for ln in text.lstrip("\ufeff").splitlines() if ln.strip()]
    if not lines or not _MESSAGE.match(lines[0]):
        return False
    return sum(1 for ln in lines[:400] if _MESSAGE.match(ln)) >= 2


def _order(messages: list[re.Match]) -> str | None:
    """``"dm"`` or ``"md"`` when the export's order of day and month is sure, else None."""
    first_over = any(int(m[1]) > 12 for m in messages)
    second_over = any(int(m[2]) > 12 for m in messages)
    if first_over == second_over:  # neither is sure, or both are (not one export's)
        return None
    return "dm" if first_over else "md"


def _day(m: re.Match, order: str | None) -> str:
    """A message's day as ``YYYY-MM-DD`` when the order of day and month is known, else as
    the export writes it (``05/06/2026``, which the readers take for no sure day)."""
    raw = f"{m[1]}/{m[2]}/{m[3]}"
    if order is None:
        return raw
    day, month = (int(m[1]), int(m[2])) if order == "dm" else (int(m[2]), int(m[1]))
    year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return raw
    return f"{year:04d}-{month:02d}-{day:02d}"


def chat_to_markdown(text: str) -> str:
    """The chat ``text`` as Markdown: one paragraph per message, under a heading naming the
    chat's day or its first and last (a span, which is no list's day), and under one heading
    per day when it spans several (see the module)."""
    lines = text.lstrip("\ufeff").splitlines()
    found = [m for ln in lines if (m := _MESSAGE.match(ln))]
    order = _order(found)
    days = list(dict.fromkeys(_day(m, order) for m in found))
    out = [f"# Chat of {days[0]}" if len(days) == 1 else f"# Chat of {days[0]} to {days[-1]}", ""]
    current = None
    for line in lines:
        m = _MESSAGE.match(line)
        if m is None:
            out.append(line)
            continue
        day = _day(m, order)
        if len(days) > 1 and day != current:
            out += ["", f"## {day}", ""]
            current = day
        author = f"**{m[5].strip()}** ({m[4]}): " if m[5] else f"({m[4]}) "
        out += ["", author + m[6]]
    return "\n".join(out) + "\n"
