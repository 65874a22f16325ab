"""Sites configured, not coded: what a site's counts mean, where its items are, its zone."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from scrapers.files import read_file
from scrapers.sites import load_sites, site_for_file

UTC = dt.timezone.utc

SITES = """
[[sites]]
name = "heron"
format = "digest-generic"
enabled = false
files = ["*heron-papers*"]
counts = { upvotes = "none", comments = "upvotes" }
items = "section.pick"
fields = { title = ".name-en", rank = ".pos" }
timezone = "Asia/Seoul"
"""

PAGE = """<!DOCTYPE html><html><body>
<h1>Heron picks 2031-05-06</h1>
<p>Also worth a look: <a href="https://arxiv.org/abs/3105.00199">an older one</a>.</p>
<section class="pick"><span class="pos">2</span><h2 class="name">苍鹭</h2>
  <div class="name-en">Heron Wings: Gliding Gradients</div>
  <a href="https://arxiv.org/abs/3105.00101">arXiv</a> 12 upvotes · 3 comments</section>
<section class="pick"><span class="pos">1</span>
  <div class="name-en">Still Water: Calm Optimizers</div>
  <a href="https://arxiv.org/abs/3105.00102">arXiv</a> 7 upvotes</section>
</body></html>
"""


@pytest.fixture
def sites(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(SITES)
    return load_sites(path)


def test_a_site_read_only_from_files_needs_no_way_to_find_posts(sites):
    (site,) = sites
    assert site.files == ["*heron-papers*"] and not site.enabled
    assert site_for_file(sites, "/home/me/heron-papers/2031-05-06.html") is site
    assert site_for_file(sites, "/home/me/other/2031-05-06.html") is None


@pytest.mark.parametrize("line, message", [
    ('counts = { upvotes = "likes" }', "counts.upvotes"),
    ('timezone = "Mars/Olympus"', "unknown time zone"),
    ('items = "div[["', "not a CSS selector"),
    ('json_items = "a..b"', "not a dotted key path"),
    ('fields = { abstract = "p" }', "fields.abstract"),
])
def test_bad_rules_are_one_line_errors(tmp_path, line, message):
    path = tmp_path / "sites.toml"
    path.write_text(f'[[sites]]\nname = "heron"\nformat = "digest-generic"\nenabled = false\n'
                    f'files = ["*x*"]\n{line}\n')
    with pytest.raises(ValueError, match=message) as info:
        load_sites(path)
    assert "\n" not in str(info.value) and "site 'heron'" in str(info.value)


def test_the_sites_rules_read_its_page(sites, tmp_path):
    page = tmp_path / "heron-papers" / "2031-05-06.html"
    page.parent.mkdir()
    page.write_text(PAGE)
    result = read_file(page, sites=sites)
    assert result.document.site == "heron"
    by_id = {o.arxiv_id: o for o in result.observations}
    wings, water, older = by_id["3105.00101"], by_id["3105.00102"], by_id["3105.00199"]
    # The selectors name the items, their English title and their position.
    assert (wings.title, wings.rank, water.title, water.rank) == (
        "Heron Wings: Gliding Gradients", 2, "Still Water: Calm Optimizers", 1)
    assert wings.extra["read"]["fields"]["title"] == "site:heron title selector"
    # "upvotes" on this site is no count to compare; what it calls comments are upvotes.
    assert (wings.upvotes, wings.comments, wings.extra["upvotes_as_stated"]) == (3, None, 12)
    assert wings.extra["read"]["fields"]["upvotes"] == "site:heron counts comments as upvotes"
    assert (water.upvotes, water.extra["upvotes_as_stated"]) == (None, 7)
    assert older.extra["citation"] and older.listed_on is None
    # Without the site's rules the same page reads as it says.
    plain = {o.arxiv_id: o for o in read_file(page).observations}
    assert (plain["3105.00101"].upvotes, plain["3105.00101"].comments) == (12, 3)


def test_the_sites_zone_reads_times_written_without_an_offset(sites, tmp_path):
    post = tmp_path / "heron-papers" / "post.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: Heron picks\ndate: 2031-05-06 09:15:00\n---\n\n"
                    "1. [Heron Wings: Gliding Gradients](https://arxiv.org/abs/3105.00101) 👍 12\n"
                    "2. [Still Water: Calm Optimizers](https://arxiv.org/abs/3105.00102) 👍 7\n")
    saved = 1960000000  # 2032: saved after the time it states, as a real post is
    os.utime(post, (saved, saved))
    doc = read_file(post, sites=sites).document
    assert doc.observed_at == dt.datetime(2031, 5, 6, 0, 15, tzinfo=UTC)  # 09:15 in Seoul
    assert read_file(post).document.observed_at == dt.datetime(2031, 5, 6, 9, 15, tzinfo=UTC)
    post.write_text(post.read_text().replace("09:15:00", "09:15:00 +0100"))
    os.utime(post, (saved, saved))
    assert read_file(post, sites=sites).document.observed_at == dt.datetime(2031, 5, 6, 8, 15, tzinfo=UTC)


def test_the_bundled_sites_file_reads_the_zh_tw_cache_without_its_mixed_counts(tmp_path):
    sites = load_sites()
    cache = tmp_path / "hf-papers-zh-tw" / "data" / "2031-05-06" / "papers.json"
    cache.parent.mkdir(parents=True)
    cache.write_text('[{"arxiv_id": "3105.00101", "title": "Heron Wings: Gliding Gradients", "upvotes": 3}]')
    result = read_file(cache, sites=sites)
    (obs,) = result.observations
    assert (obs.upvotes, obs.extra["upvotes_as_stated"], result.document.site) == (None, 3, "hf-papers-zh-tw")


def test_a_sites_key_paths_name_a_json_documents_items_and_fields(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text('[[sites]]\nname = "heron-json"\nformat = "digest-structured"\nenabled = false\n'
                    'files = ["*heron-json*"]\njson_items = "picks.*.entries"\n'
                    'json_fields = { title = "meta.english", upvotes = "meta.hearts" }\n')
    sites = load_sites(path)
    doc = tmp_path / "heron-json" / "2031-05-06.json"
    doc.parent.mkdir()
    doc.write_text('{"featured": [{"arxiv_id": "3105.00199", "title": "Not Today"}],'
                   ' "picks": [{"entries": [{"arxiv_id": "3105.00101", "title": "苍鹭",'
                   ' "meta": {"english": "Heron Wings: Gliding Gradients", "hearts": 12}}]}]}')
    (obs,) = read_file(doc, sites=sites).observations
    assert (obs.arxiv_id, obs.title, obs.upvotes) == ("3105.00101", "Heron Wings: Gliding Gradients", 12)
    assert obs.extra["read"]["fields"]["upvotes"] == "site:heron-json upvotes key meta.hearts"
    # Without the site's rules every item is read, with the title the document gives.
    plain = {o.arxiv_id: o for o in read_file(doc).observations}
    assert set(plain) == {"3105.00199", "3105.00101"} and plain["3105.00101"].upvotes is None
