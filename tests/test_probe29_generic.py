"""A page whose only paper links sit in its sidebar, navigation or footer has no list of its
own (probe29 s05: a blog's "not found" page answered 200 with a "Trending papers" sidebar was
read as the site's list of the day). The pages are written here."""

from __future__ import annotations

import datetime as dt

import pytest

from scrapers.pages import PageError, read_page

SIDEBAR = """<aside class="sidebar"><h2>Trending papers</h2><ol>
<li><a href="https://arxiv.org/abs/2703.11111">Sparse Routers for Tiny Agents</a> &mdash; &#9650; 20 upvotes</li>
<li><a href="https://arxiv.org/abs/2702.99999">An Old Paper on Teapots</a> &mdash; &#9650; 310 upvotes</li>
</ol></aside>"""


def _page(main: str) -> bytes:
    return (f"<!doctype html><html><head><title>Probe Papers Blog</title></head><body>"
            f"<main>{main}</main>{SIDEBAR}<footer><a href='https://arxiv.org/abs/2703.15555'>Our paper</a></footer>"
            f"</body></html>").encode()


def test_a_not_found_page_with_a_trending_sidebar_is_no_list():
    with pytest.raises(PageError, match="only paper links are in the page's sidebar, navigation or footer"):
        read_page("https://blog.example/2027-03-31.html",
                  _page("<h1>404: we could not find that page</h1><p>Try the archive.</p>"))


def test_a_post_beside_the_sidebar_is_read_without_it():
    post = ("<article><h1>Daily papers of 2027-03-30</h1><ol>"
            "<li><a href='https://arxiv.org/abs/2703.13333'>Toy Diffusion over Imaginary Graphs</a> &#9650; 12 upvotes</li>"
            "<li><a href='https://arxiv.org/abs/2703.14444'>Fictional Scaling Laws of Spoons</a> &#9650; 8 upvotes</li>"
            "</ol></article>")
    result = read_page("https://blog.example/2027-03-30.html", _page(post),
                       fetched_at=dt.datetime(2027, 3, 31, tzinfo=dt.timezone.utc))
    listed = {o.arxiv_id for o in result.observations if o.rank is not None}
    assert listed == {"2703.13333", "2703.14444"}
    assert all(o.upvotes != 310 for o in result.observations)
