"""A newsletter saved as an e-mail (``.eml``): the post it carries, for the digest readers.

Newsletters arrive by mail, and a user saves the message: MIME parts, quoted-printable
soft line breaks that cut every address in two (``https://arxiv.org/ab=`` / ``s/2607.13701``),
an encoded ``Subject``. Python's :mod:`email` package reads all of that; what is left here is
choosing the part (HTML, whose links are whole elements, else plain text) and handing the
``Subject`` and ``Date`` on as a front matter's ``title`` and ``date``, which the readers
already take a list's day and a post's time from.
"""

from __future__ import annotations

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


def unwrap(body: bytes) -> str | None:
    """The text of a mail message's HTML part (else its plain text part), after a front
    matter holding its subject as ``title`` and its date as ``date``; None when ``body`` is
    no mail message or has no text part that decodes."""
    if not is_email(body):
        return None
    message = email.message_from_bytes(body.lstrip(b"\xef\xbb\xbf"), policy=email.policy.default)
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
    meta = []
    subject = " ".join(str(message.get("subject", "")).split())
    # A reply's or a forward's subject ("Re: Papers Club — 25 November") names the message it
    # answers, not this one's list: it is no title of this message's day.
    if subject and not _REPLY.match(subject):
        meta.append(f"title: {subject}")
    try:
        sent = email.utils.parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError):
        sent = None
    if sent is not None and sent.tzinfo is not None:
        meta.append(f"date: {sent.isoformat()}")
    return ("---\n" + "\n".join(meta) + "\n---\n" if meta else "") + text
