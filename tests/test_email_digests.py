"""Newsletters saved as e-mails (.eml): the post a message carries is read as any post.
Every message here is made up."""

from __future__ import annotations

import datetime as dt

from scrapers.pages import read_page
from scrapers.pages.email_message import is_email, unwrap

PLAIN = (
    "From: Pond Papers <news@pond.example>\n"
    "To: reader@example.org\n"
    "Subject: =?UTF-8?Q?Pond_Papers_=E2=80=94_6_May_2031?=\n"
    "Date: Tue, 06 May 2031 07:00:12 +0000\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Top papers of the day:\n\n"
    "1. Reed Beds: Sparse Roots =E2=80=94 https://arxiv.org/ab=\ns/3105.00101 =E2=80=94 =F0=9F=91=8D 84\n"
    "2. Lily Pads: Floating Tokens =E2=80=94 https://arxiv.org/abs/3105.=\n00102 =E2=80=94 =F0=9F=91=8D 59\n"
    "\n"
    "Previously: https://arxiv.org/abs/3104.00099\n"
).encode("ascii")

HTML = (
    "From: Pond Papers <news@pond.example>\n"
    "Subject: Pond Papers, 2031-05-06\n"
    "Date: Tue, 06 May 2031 07:00:12 +0000\n"
    "MIME-Version: 1.0\n"
    'Content-Type: multipart/alternative; boundary="b1"\n'
    "\n"
    "--b1\nContent-Type: text/plain; charset=UTF-8\n\nplain text, no links\n"
    "--b1\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
    '<html><body><h1>Pond Papers</h1><ol><li><a href=3D"https://arxiv.org/abs/3105.00101">Reed Beds: Sparse =\n'
    'Roots</a> 12 upvotes</li><li><a href=3D"https://arxiv.org/abs/3105.00102">Lily Pads</a> 4 upvotes</li>'
    "</ol></body></html>\n--b1--\n"
).encode("ascii")


def test_a_plain_text_newsletter_is_read_with_its_soft_line_breaks_joined():
    result = read_page("file:///mail/pond.eml", PLAIN, {})
    listed = {o.arxiv_id: o for o in result.observations if not o.extra.get("citation")}
    assert {k: (o.title, o.upvotes, o.rank, o.listed_on) for k, o in listed.items()} == {
        "3105.00101": ("Reed Beds: Sparse Roots", 84, 1, dt.date(2031, 5, 6)),
        "3105.00102": ("Lily Pads: Floating Tokens", 59, 2, dt.date(2031, 5, 6))}
    assert [o.arxiv_id for o in result.observations if o.extra.get("citation")] == ["3104.00099"]
    # Its Date is when the post was published.
    assert result.document.observed_at == dt.datetime(2031, 5, 6, 7, 0, 12, tzinfo=dt.timezone.utc)


def test_the_html_part_is_read_before_the_plain_one():
    result = read_page("file:///mail/pond.eml", HTML, {})
    assert [(o.arxiv_id, o.title, o.upvotes) for o in result.observations] == [
        ("3105.00101", "Reed Beds: Sparse Roots", 12), ("3105.00102", "Lily Pads", 4)]


def test_a_post_that_starts_with_labels_is_no_email():
    post = b"Title: Pond Papers\nDate: 2031-05-06\nFrom: the editors\n\n1. [Reed](https://arxiv.org/abs/3105.00101)\n"
    assert not is_email(post) and unwrap(post) is None
    assert is_email(PLAIN) and unwrap(PLAIN).startswith("---\ntitle: Pond Papers — 6 May 2031\ndate: 2031-05-06T07:00:12+00:00\n---\n")
