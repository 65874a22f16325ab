"""A newsletter saved as an e-mail (``.eml``): the post it carries, for the digest readers.

Newsletters arrive by mail, and a user saves the message: MIME parts, quoted-printable
soft line breaks that cut every address in two (``https://arxiv.org/ab=`` / ``s/2607.13701``),
an encoded ``Subject``. Python's :mod:`email` package reads all of that; what is left here is
choosing the part (HTML, whose links are whole elements, else plain text) and handing the
``Subject`` and ``Date`` on as a front matter's ``title`` and ``date``, which the readers
already take a list's day and a post's time from.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import logging
import re

log = logging.getLogger(__name__)

# Header lines ("Name: value", folded lines after them) up to the blank line that ends them.
_HEADERS = re.compile(rb"\A(?:[A-Za-z][\w-]{0,76}:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){3,}\r?\n")
_NAME = re.compile(rb"^([A-Za-z][\w-]{0,76}):", re.M)


# "Re:" in the languages mail clients write it (German "AW", Nordic "SV", Dutch "Antw",
# Italian "R"/"Rif"). A forward ("Fwd:", "WG:", "TR:") passes the message on: its subject
# names the forwarded list, which is the one in the body.
_REPLY = re.compile(r"^\s*(?:re|aw|sv|vs|antw|rif|r)\s*(?:\[\d+\])?\s*[:：]", re.I)


def is_email(body: bytes) -> bool:
    """Whether ``body`` is a mail message: at least three header lines, among them ``From``,
    ``Subject`` and one of ``MIME-Version``, ``Content-Type``, ``Date``, before a blank line."""
    head = _HEADERS.match(body[:16384].lstrip(b"\xef\xbb\xbf"))
    if not head:
        return False
    names = {n.lower() for n in _NAME.findall(head[0])}
    return {b"from", b"subject"} <= names and bool(names & {b"mime-version", b"content-type", b"date"})


# An mbox file's separator: a line "From <sender> <date>" at the start of the file or after
# an empty line (a "From " in a message's text is written ">From " by the mail program).
_MBOX_FROM = re.compile(rb"(?:\A|(?<=\n\n)|(?<=\r\n\r\n))From [^\r\n]*\d{4}[ \t]*\r?\n")
# A signature's separator ("-- " alone on its line): what follows is the list's furniture.
_SIGNATURE = re.compile(r"^-- ?$", re.M)


def _messages(body: bytes) -> list[bytes]:
    """The messages of an mbox file (``body`` opening with a ``From `` line), else
    ``[body]``."""
    body = body.lstrip(b"\xef\xbb\xbf")
    if not body.startswith(b"From ") or not _MBOX_FROM.match(body):
        return [body]
    starts = [m.end() for m in _MBOX_FROM.finditer(body)]
    ends = [m.start() for m in _MBOX_FROM.finditer(body)][1:] + [len(body)]
    return [body[a:b] for a, b in zip(starts, ends)]


def _read(raw: bytes) -> tuple[str, str | None, dt.datetime | None] | None:
    """A message's text (its HTML part, else its plain text part), its subject (None for a
    reply's) and when it was sent; None when it has no text part that decodes."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    part = message.get_body(preferencelist=("html", "plain"))
    if part is None:
        return None
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, ValueError) as exc:  # an unknown charset, bad bytes
        log.info("mail message part could not be decoded: %s", exc)
        return None
    if not isinstance(text, str):
        return None
    subject = " ".join(str(message.get("subject", "")).split())
    # A reply's or a forward's subject ("Re: Papers Club — 25 November") names the message it
    # answers, not this one's list: it is no title of this message's day.
    if _REPLY.match(subject):
        subject = ""
    try:
        sent = email.utils.parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError):
        sent = None
    return text, subject or None, sent if sent is not None and sent.tzinfo is not None else None


def unwrap(body: bytes) -> str | None:
    """The text of a mail message's HTML part (else its plain text part), after a front
    matter holding its subject as ``title`` and its date as ``date``; None when ``body`` is
    no mail message or has no text part that decodes.

    An mbox file of several messages (issues of a newsletter kept in one file) is their plain
    texts one after the other (:func:`_issues`)."""
    messages = [m for m in _messages(body) if is_email(m)]
    if not messages:
        return None
    if len(messages) > 1:
        return _issues([m for m in map(_read, messages) if m is not None])
    read = _read(messages[0])
    if read is None:
        return None
    text, subject, sent = read
    meta = [f"title: {subject}"] if subject else []
    if sent is not None:
        meta.append(f"date: {sent.isoformat()}")
    return ("---\n" + "\n".join(meta) + "\n---\n" if meta else "") + text


def _issues(messages: list[tuple[str, str | None, dt.datetime | None]]) -> str | None:
    """Several messages as one Markdown text: each under a heading of its subject, which
    names its day (the subject's own, else the day it was sent), without its signature.

    Why: an mbox of two issues was read as one message, every item with the first issue's
    day. Under headings naming two days, each item gets its own issue's
    (:func:`.digests.post_days.section_days`). Only plain text parts are read here: two
    HTML pages in one text are no page. None when no message has a plain text part."""
    from .digests.post_days import date_in

    out = []
    for text, subject, sent in messages:
        if text.lstrip()[:1] == "<":
            continue
        heading = subject or "Message"
        if sent is not None and date_in(heading) is None:
            heading += f" ({sent.date().isoformat()})"
        text = _SIGNATURE.split(text, maxsplit=1)[0]
        out.append(f"# {heading}\n\n{text.strip()}\n")
    return "\n".join(out) if out else None
