"""The lim4349 blog: its Jekyll daily-papers posts (``digest-jekyll-daily``) and the crawler
JSON they are rendered from (``digest-daily-json``).

The samples are read from ../shared at run time (``samples/blog-lim4349``, with the commit of
every file in ``samples/PROVENANCE.md``); facts (ids, titles, counts, dates) are asserted
here, never prose. Fixtures at the end are made-up text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest

from reconcile.models import TimeBasis
from scrapers.pages import PageError, read_page
from scrapers.pages.digests import daily_json, jekyll_daily

from .support import SHARED, needs_shared, seed_path

BLOG = SHARED / "samples" / "blog-lim4349" if SHARED else Path("/nonexistent")
MTIME = dt.datetime(2032, 3, 1, 12, 0, tzinfo=dt.timezone.utc)  # after every time the made-up files state
UTC = dt.timezone.utc

# The commit that re-rendered every older post (and renamed them to DATE-daily-papers-<epoch>)
# without touching any crawler JSON: no JSON was written in it.
RERENDER = "5adb6531"
# Posts with no JSON written in the same commit, and why.
NO_SAME_COMMIT_JSON = {
    "posts-superseded/2025-11-02-daily-papers-summary.md":
        "first post (commit 91cd0fef); the JSON it was rendered from was not kept",
    "posts-superseded/2025-12-25-daily-papers-1766666955.md": f"re-rendered in {RERENDER}",
    **{f"posts/{name}.md": f"re-rendered in {RERENDER}" for name in """
        2025-11-03-daily-papers-1762174155 2025-11-04-daily-papers-1762260555
        2025-11-05-daily-papers-1762346955 2025-11-06-daily-papers-1762433355
        2025-11-07-daily-papers-1762519755 2025-11-10-daily-papers-1762778955
        2025-11-11-daily-papers-1762865355 2025-11-12-daily-papers-1762951755
        2025-11-13-daily-papers-1763038155 2025-11-14-daily-papers-1763124555
        2025-11-17-daily-papers-1763383755 2025-11-18-daily-papers-1763470155
        2025-11-19-daily-papers-1763556555 2025-11-20-daily-papers-1763642955
        2025-11-21-daily-papers-1763729355 2025-11-24-daily-papers-1763988555
        2025-11-25-daily-papers-1764074955 2025-11-26-daily-papers-1764161355
        2025-11-27-daily-papers-1764247755 2025-11-28-daily-papers-1764334155
        2025-12-01-daily-papers-1764593355 2025-12-02-daily-papers-1764679755
        2025-12-03-daily-papers-1764766155 2025-12-04-daily-papers-1764852555
        2025-12-05-daily-papers-1764938955 2025-12-08-daily-papers-1765198155
        2025-12-09-daily-papers-1765284555 2025-12-10-daily-papers-1765370955
        2025-12-11-daily-papers-1765457355 2025-12-12-daily-papers-1765543755
        2025-12-15-daily-papers-1765802955 2025-12-16-daily-papers-1765889355
        2025-12-17-daily-papers-1765975755 2025-12-18-daily-papers-1766062155
        2025-12-19-daily-papers-1766148555 2025-12-22-daily-papers-1766407755
        2025-12-23-daily-papers-1766494155 2025-12-24-daily-papers-1766580555""".split()},
}


# -- helpers ----------------------------------------------------------------------------------

def provenance() -> dict[str, str]:
    """blog-lim4349 file (relative to the blog folder) -> the commit it was copied from."""
    rows = {}
    for line in (SHARED / "samples" / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| blog-lim4349/(\S+) \| [^|]+ \| [^|]+ \| ([0-9a-f]{40}) \|", line)
        if m:
            rows[m[1]] = m[2]
    return rows


def all_posts() -> list[str]:
    """Every post of the sample, relative to the blog folder."""
    return sorted(str(p.relative_to(BLOG)) for d in ("posts", "posts-superseded")
                  for p in (BLOG / d).glob("*.md"))


def read_post(rel: str):
    return jekyll_daily.FORMAT.parse((BLOG / rel).read_text(encoding="utf-8"), (BLOG / rel).as_uri())


def read_json(rel: str):
    return daily_json.FORMAT.parse((BLOG / rel).read_text(encoding="utf-8"), (BLOG / rel).as_uri())


def same_commit_json(rel: str, commits: dict[str, str]) -> str | None:
    """The crawler JSON written in the post's commit: HEAD ``data/`` when its commit is the
    post's, else the snapshot carrying the commit's first 8 characters."""
    commit = commits[rel]
    day = Path(rel).name[:10]
    head = f"data/daily-{day}.json"
    if commits.get(head) == commit:
        return head
    snaps = sorted(BLOG.glob(f"snapshots/daily-{day}.*.{commit[:8]}.json"))
    assert len(snaps) <= 1
    return str(snaps[0].relative_to(BLOG)) if snaps else None


def papers(parsed) -> list[tuple]:
    """What post and JSON must agree on, paper by paper."""
    return [(o.rank, o.title, o.upvotes, o.arxiv_id) for o in parsed.observations]


def dumps(result) -> list[dict]:
    return [o.model_dump(exclude={"observed_at", "site"}) for o in result.observations]


# -- every post ------------------------------------------------------------------------------

@needs_shared
def test_every_post_is_read_whole():
    posts = all_posts()
    assert len(posts) == 88  # 76 kept, 12 superseded: three filename schemes
    total, placeholders = 0, []
    for rel in posts:
        body = (BLOG / rel).read_bytes()
        result = read_page((BLOG / rel).as_uri(), body, {}, mtime=MTIME)
        assert result.document.format == "digest-jekyll-daily", rel
        obs = result.observations
        if result.problems:  # a crawl's 0 likes for every paper: no counts (scrapers.pages)
            assert [p.reason for p in result.problems] == [
                f"every one of its {len(obs)} items says 0 upvotes, a crawl's placeholder rather than counts: "
                "left empty"], rel
            placeholders.append(Path(rel).name[:10])
        # else the stated count (총 **N개**) matches the items read
        assert result.document.site == "lim4349"
        assert result.document.observed_at_basis == TimeBasis.PUBLISHED
        assert [o.rank for o in obs] == list(range(1, len(obs) + 1)), rel
        assert {o.listed_on for o in obs} == {dt.date.fromisoformat(Path(rel).name[:10])}, rel
        assert all(o.arxiv_id and o.title for o in obs), rel
        assert all(o.upvotes is not None for o in obs) != bool(result.problems), rel
        assert all("\n" not in o.title and "**" not in o.title for o in obs), rel
        total += len(obs)
    assert total == 815
    assert placeholders == ["2025-11-05", "2025-11-07"]


@needs_shared
def test_wrapped_titles_and_garbage_institutions_are_read_as_stated():
    obs = read_post("posts/2025-11-03-daily-papers-1762174155.md").observations
    assert len(obs) == 10
    assert (obs[1].rank, obs[1].arxiv_id, obs[1].upvotes) == (2, "2510.27492", 37)
    assert obs[1].title == "ThinkMorph: Emergent Properties in Multimodal Interleaved Chain-of-Thought Reasoning"
    assert obs[0].organization == "Sea AI Lab"
    assert obs[1].organization == "·8 authors"
    assert obs[1].extra["hf_url"] == "https://huggingface.co/papers/2510.27492"
    assert obs[1].url == "https://arxiv.org/abs/2510.27492"
    assert obs[0].abstract and obs[0].abstract.startswith("Reinforcement learning (RL) fine-tuning")
    garbage = read_post("posts/2025-12-27-daily-papers-1766845201.md").observations
    assert [o.organization for o in garbage[:4]] == [
        "UC Berkeley3", "Google2", "The University of Sydney592", "·5 authors93"]


@needs_shared
def test_item_without_institution_line():
    obs = read_post("posts/2025-11-18-daily-papers-1763470155.md").observations
    assert [o.rank for o in obs if o.organization is None] == [5]
    assert obs[4].title.startswith("GroupRank") and obs[4].upvotes == 37


@needs_shared
def test_first_summary_post_page_text_is_not_an_abstract():
    parsed = read_post("posts-superseded/2025-11-02-daily-papers-summary.md")
    obs = parsed.observations
    assert len(obs) == 10
    assert [o.upvotes for o in obs][:3] == [904, 825, 47]
    assert obs[3].title == "OmniX: From Unified Panoramic Generation and Perception to Graphics-Ready 3D Scenes"
    assert all(o.organization is None and o.abstract is None for o in obs)
    assert obs[3].extra["page_text"].startswith("Papers arxiv:2510.26800 OmniX")
    assert "\n" not in obs[3].extra["page_text"]  # its wrapped lines are joined
    # Later posts carried the same page text where the crawler found no abstract.
    assert all(o.abstract is None and "page_text" in o.extra
               for o in read_post("posts/2026-01-18-daily-papers.md").observations)


@needs_shared
def test_title_day_is_the_listing_day_and_front_matter_date_the_publication():
    parsed = read_post("posts/2025-12-11-daily-papers-1765457355.md")  # front matter says 12-12
    assert {o.listed_on for o in parsed.observations} == {dt.date(2025, 12, 11)}
    assert parsed.published_at == dt.datetime(2025, 12, 12, 0, 15, tzinfo=UTC)
    assert parsed.captured_at is None


@needs_shared
def test_seed_004_post_has_ten_papers_and_no_problems():
    path = seed_path("004")
    result = read_page(path.resolve().as_uri(), path.read_bytes(), {}, mtime=MTIME)
    assert result.document.format == "digest-jekyll-daily"
    assert len(result.observations) == 10 and result.problems == []
    assert result.observations[1].title == "FASA: Frequency-aware Sparse Attention"


# -- post against the JSON of the same commit -------------------------------------------------

@needs_shared
def test_every_post_agrees_with_the_json_of_its_commit():
    commits = provenance()
    unpaired, compared = {}, 0
    for rel in all_posts():
        json_rel = same_commit_json(rel, commits)
        if json_rel is None:
            unpaired[rel] = commits[rel][:8]
            continue
        post, crawl = read_post(rel), read_json(json_rel)
        assert crawl.problems == [], json_rel
        assert papers(post) == papers(crawl), (rel, json_rel)
        # And beyond the four: institution, abstract, links, day.
        for p, j in zip(post.observations, crawl.observations):
            assert (p.organization, p.abstract, p.extra.get("page_text"), p.extra.get("hf_url"), p.listed_on) == \
                   (j.organization, j.abstract, j.extra.get("page_text"), j.extra.get("hf_url"), j.listed_on), rel
        compared += 1
    assert compared == 48
    assert set(unpaired) == set(NO_SAME_COMMIT_JSON)
    assert {c for r, c in unpaired.items() if "2025-11-02" not in r} == {RERENDER}


@needs_shared
def test_rerendered_posts_agree_with_the_json_in_force_and_the_first_with_none():
    # Commit 5adb6531 re-rendered old posts from the JSON files as they then stood: HEAD
    # data/ for 2025-11-03 .. 2025-12-24, the first crawl of 2025-12-25 for the post it
    # renamed that day (HEAD 2025-12-25 is a later crawl with 10 papers).
    for rel, why in NO_SAME_COMMIT_JSON.items():
        if RERENDER not in why:
            continue
        day = Path(rel).name[:10]
        source = ("snapshots/daily-2025-12-25.20251225T032008Z.980292bb.json" if rel.startswith("posts-superseded")
                  else f"data/daily-{day}.json")
        assert papers(read_post(rel)) == papers(read_json(source)), rel
    # The first post was rendered from a crawl no stored version of the JSON matches.
    summary = papers(read_post("posts-superseded/2025-11-02-daily-papers-summary.md"))
    versions = [*sorted(BLOG.glob("snapshots/daily-2025-11-02.*.json")), BLOG / "data/daily-2025-11-02.json"]
    assert len(versions) == 2
    for path in versions:
        assert papers(read_json(str(path.relative_to(BLOG)))) != summary
    assert summary[2][2:] == (47, "2510.26787")  # third by 👍 in the post; the JSON has 98 third


# -- the crawler JSON -------------------------------------------------------------------------

@needs_shared
def test_json_is_read_with_its_crawl_time_as_capture_time():
    path = BLOG / "data/daily-2025-11-18.json"
    result = read_page(path.as_uri(), path.read_bytes(), {}, mtime=MTIME)
    doc = result.document
    assert doc.format == "digest-daily-json"
    assert doc.observed_at == dt.datetime(2025, 11, 18, 14, 22, 32, 403890, tzinfo=UTC)
    assert doc.observed_at_basis == TimeBasis.STATED_CAPTURE
    obs = result.observations
    assert len(obs) == 10 and result.problems == []
    assert [o.rank for o in obs] == list(range(1, 11))
    assert (obs[0].arxiv_id, obs[0].upvotes, obs[0].organization) == ("2511.13612", 99, "·28 authors")
    assert obs[0].extra["code_link"] == "https://prime-rl.github.io/P1/"
    assert obs[0].extra["hf_url"] == "https://huggingface.co/papers/2511.13612"
    assert "code_link" not in obs[2].extra  # stated as ""
    assert obs[4].organization is None  # institution ""
    assert {o.listed_on for o in obs} == {dt.date(2025, 11, 18)}
    assert {o.published for o in obs} == {None}  # the crawler's "published" is its own clock
    assert {o.extra["rank_basis"] for o in obs} == {"upvotes"}


@needs_shared
def test_every_json_version_is_read_and_crawled_at_is_utc():
    files = sorted(BLOG.glob("data/*.json")) + sorted(BLOG.glob("snapshots/*.json"))
    assert len(files) == 157
    far = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert daily_json.sniff(text, path.as_uri()) and not jekyll_daily.sniff(text, path.as_uri())
        parsed = daily_json.FORMAT.parse(text, path.as_uri())
        assert parsed.problems == [], path.name
        assert len(parsed.observations) == json.loads(text)["total_papers"]
        m = re.search(r"\.(\d{8}T\d{6})Z\.([0-9a-f]{8})\.json$", path.name)
        if m:  # a snapshot: its name carries the commit's UTC time
            committed = dt.datetime.strptime(m[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            if abs((committed - parsed.captured_at).total_seconds()) > 1:
                far.append(path.name)
    # All but one within a second of their commit: crawled_at is UTC. The exception is a
    # rewrite half a day later that kept the crawl's time.
    assert far == ["daily-2025-11-04.20251104T131720Z.962e388e.json"]
    crawl = daily_json.FORMAT.parse((BLOG / "snapshots/daily-2026-01-29.20260129T040005Z.8b6788d2.json")
                                    .read_text(encoding="utf-8"), "x")
    assert crawl.captured_at == dt.datetime(2026, 1, 29, 4, 0, 5, 796124, tzinfo=UTC)


@needs_shared
def test_json_placeholders_and_counts_as_stated():
    first = read_json("data/daily-2025-11-02.json").observations
    assert all(o.abstract is None and o.organization is None for o in first)
    assert {o.extra["page_text"] for o in first} == {"Join the discussion on this paper page"}
    zero = read_json("data/daily-2025-11-05.json").observations
    assert [o.upvotes for o in zero] == [0] * 10  # a crawl that read no likes: kept, for the checks


# -- mojibake ---------------------------------------------------------------------------------

@needs_shared
@pytest.mark.parametrize("codec", ["mac_roman", "sloppy-windows-1252", "latin-1"])
@pytest.mark.parametrize("rel", [
    "posts-superseded/2025-11-02-daily-papers-summary.md",
    "posts/2025-11-03-daily-papers-1762174155.md",
    "posts/2025-11-18-daily-papers-1763470155.md",
    "posts/2025-12-27-daily-papers-1766845201.md",
    "posts/2026-01-31-daily-papers.md",
])
def test_mojibake_posts_give_the_clean_observations(rel, codec):
    text = (BLOG / rel).read_text(encoding="utf-8")
    clean = read_page("file:///post.md", text.encode("utf-8"), {}, mtime=MTIME)
    mangled = text.encode("utf-8").decode(codec)
    assert mangled != text
    result = read_page("file:///post.md", mangled.encode("utf-8"), {}, mtime=MTIME)
    assert result.document.format == "digest-jekyll-daily"
    assert result.document.mojibake and result.document.repair == f"roundtrip:{codec}"
    assert not clean.document.mojibake
    assert dumps(result) == dumps(clean)
    assert result.problems == clean.problems == []


# -- bad input (made-up documents) ------------------------------------------------------------

FRONT = "---\ntitle: Made-up Daily Papers - 2030-01-02\ndate: 2030-01-02 09:15:00 +0900\nauthor: someone\n---\n"


def test_post_with_front_matter_but_no_items_is_rejected_in_one_line():
    text = FRONT + "\n# Made-up Daily Papers\n\n총 **2개**의 논문이 수집되었습니다.\n\nNo list today.\n"
    assert not jekyll_daily.sniff(text, "file:///p.md")
    with pytest.raises(PageError) as err:
        jekyll_daily.FORMAT.parse(text, "file:///p.md")
    assert "\n" not in err.value.reason and "no 'N. **Title** - 👍 N' items" in err.value.reason
    with pytest.raises(PageError):
        read_page("file:///p.md", text.encode(), {}, format_name="digest-jekyll-daily", mtime=MTIME)


def test_made_up_post_wrapped_title_missing_institution_and_count_mismatch():
    text = FRONT + (
        "\n총 **3개**의 논문이 수집되었습니다.\n\n"
        "1. **Counting Ducks With\n  Wrapped Titles** - 👍 1,204\n"
        "   - 기관: Duck Lab·3 authors1\n"
        "   - [HF 페이지](https://huggingface.co/papers/2601.00001)\n"
        "   - [논문 링크](https://arxiv.org/abs/2601.00001v2)\n"
        "   - Abstract: We count ducks.\n  Then we count them again.\n\n"
        "2. **A Goose Without Institution** - 👍 7\n"
        "   - [HF 페이지](https://huggingface.co/papers/2601.00002)\n"
        "   - Abstract: Papers arxiv:2601.00002 A Goose Published on Jan 1 Upvote 3\n")
    parsed = jekyll_daily.FORMAT.parse(text, "file:///p.md")
    first, second = parsed.observations
    assert (first.rank, first.title, first.upvotes) == (1, "Counting Ducks With Wrapped Titles", 1204)
    assert (first.arxiv_id, first.arxiv_version, first.organization) == ("2601.00001", 2, "Duck Lab·3 authors1")
    assert first.abstract == "We count ducks. Then we count them again."
    assert (second.organization, second.abstract, second.url) == (None, None, "https://huggingface.co/papers/2601.00002")
    assert second.arxiv_id == "2601.00002" and "hf_url" not in second.extra
    assert second.extra["page_text"].startswith("Papers arxiv:2601.00002")
    assert [p.reason for p in parsed.problems] == ["daily-papers post says 3 papers but 2 items were read"]
    assert parsed.site == "someone" and parsed.published_at == dt.datetime(2030, 1, 2, 0, 15, tzinfo=UTC)


def _crawl(**overrides) -> str:
    data = {"date": "2030-01-02", "crawled_at": "2030-01-02T03:04:05.123456", "total_papers": 3,
            "papers": [
                {"title": "Counting Ducks", "url": "https://huggingface.co/papers/2601.00001", "likes": 9,
                 "institution": "Duck Lab", "paper_link": "https://arxiv.org/abs/2601.00001",
                 "code_link": "https://example.org/ducks", "abstract": "We count ducks."},
                {"url": "https://huggingface.co/papers/2601.00002", "likes": 5},
                {"title": "A Goose\n  On Two Lines", "url": "https://huggingface.co/papers/2601.00003",
                 "likes": True, "paper_link": "", "abstract": ""},
            ]}
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def test_json_paper_without_title_is_a_problem_and_the_rest_kept():
    parsed = daily_json.FORMAT.parse(_crawl(), "file:///daily-2030-01-02.json")
    assert [p.reason for p in parsed.problems] == [
        "paper 2 has no title", "paper 3's likes (left empty; the item is kept): True is not a whole count"]
    first, third = parsed.observations
    assert (first.rank, first.arxiv_id, first.upvotes, first.organization) == (1, "2601.00001", 9, "Duck Lab")
    assert first.extra == {"hf_url": "https://huggingface.co/papers/2601.00001",
                           "code_link": "https://example.org/ducks", "rank_basis": "position"}
    assert (third.rank, third.title, third.arxiv_id, third.upvotes) == (3, "A Goose On Two Lines", "2601.00003", None)
    assert third.url == "https://huggingface.co/papers/2601.00003"
    assert parsed.captured_at == dt.datetime(2030, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    assert {o.listed_on for o in parsed.observations} == {dt.date(2030, 1, 2)}


@pytest.mark.parametrize("likes", ["1.2k", 3.5, "86", -0.0])
def test_json_likes_that_are_no_whole_count_are_a_problem_and_the_paper_kept(likes):
    # "1.2k" is a rounded count, 3.5 no count: left empty, as before, but said (a rejects
    # row and a line on stderr), not dropped without a word (probe26).
    papers = [{"title": "Counting Ducks", "url": "https://huggingface.co/papers/2601.00001", "likes": likes}]
    parsed = daily_json.FORMAT.parse(_crawl(papers=papers, total_papers=1), "file:///x.json")
    [obs] = parsed.observations
    assert obs.upvotes is None and obs.arxiv_id == "2601.00001"
    assert [p.reason for p in parsed.problems] == [
        f"paper 1's likes (left empty; the item is kept): {likes!r} is not a whole count"]


def test_json_total_papers_disagreeing_is_a_problem_and_papers_kept():
    parsed = daily_json.FORMAT.parse(_crawl(total_papers=5), "file:///x.json")
    assert "daily JSON: total_papers is 5 but papers holds 3" in [p.reason for p in parsed.problems]
    assert len(parsed.observations) == 2


@pytest.mark.parametrize("text, reason", [
    (_crawl(papers={"title": "Counting Ducks"}), "daily JSON: 'papers' is dict, not a list"),
    (_crawl(papers=None), "daily JSON: 'papers' is NoneType, not a list"),
    ('{"crawled_at": "2030-01-02T03:04:05", "papers": [', "daily JSON: not JSON"),
    ('["crawled_at", "papers"]', "daily JSON: not a JSON object"),
])
def test_unreadable_json_is_rejected_in_one_line(text, reason):
    with pytest.raises(PageError) as err:
        daily_json.FORMAT.parse(text, "file:///x.json")
    assert err.value.reason.startswith(reason) and "\n" not in err.value.reason


@pytest.mark.parametrize("url, site, zone, basis, hour", [
    # Another crawler's JSON of lim4349's shape: its zone-less clock (10:30) may be local
    # (Korean time, 01:30Z), so the time is kept as read but is loose.
    ("file:///saved/kr-crawler/daily-2030-01-02.json", None, None, TimeBasis.STATED_NAIVE, 10),
    # lim4349's own (by its site name or address): checked to be UTC.
    ("file:///saved/kr-crawler/daily-2030-01-02.json", "lim4349-data", None, TimeBasis.STATED_CAPTURE, 10),
    ("https://raw.githubusercontent.com/lim4349/lim4349.github.io/HEAD/_data/papers/daily-2030-01-02.json",
     None, None, TimeBasis.STATED_CAPTURE, 10),
    # A site whose sites.toml entry names its zone.
    ("file:///saved/kr-crawler/daily-2030-01-02.json", None, "Asia/Seoul", TimeBasis.STATED_CAPTURE, 1),
])
def test_a_zone_less_crawl_time_is_a_capture_time_only_where_its_zone_is_known(url, site, zone, basis, hour):
    from scrapers.sites import Site
    rules = Site(name="kr-crawler", format="digest-daily-json", files=["*.json"], enabled=False,
                 timezone=zone) if zone else None
    body = _crawl(crawled_at="2030-01-02T10:30:00").encode()
    doc = read_page(url, body, {}, mtime=MTIME, site=site, rules=rules).document
    assert doc.observed_at_basis == basis and not basis.is_capture == (basis == TimeBasis.STATED_NAIVE)
    assert doc.observed_at == dt.datetime(2030, 1, 2, hour, 30, tzinfo=UTC)
    # A crawl time with its zone is a capture time wherever it comes from.
    zoned = read_page(url, _crawl(crawled_at="2030-01-02T10:30:00+09:00").encode(), {}, mtime=MTIME).document
    assert (zoned.observed_at_basis, zoned.observed_at.hour) == (TimeBasis.STATED_CAPTURE, 1)


def test_json_without_crawl_time_says_so():
    body = _crawl(crawled_at=None).encode()
    parsed = daily_json.FORMAT.parse(body.decode(), "file:///x.json")
    assert parsed.captured_at is None
    assert parsed.problems[0].reason == "daily JSON: crawled_at None is not a time"
    result = read_page("file:///x.json", body, {}, mtime=MTIME)  # sniffed: crawled_at is still a key
    assert result.document.format == "digest-daily-json"
    assert result.document.observed_at_basis == TimeBasis.FILE_MTIME


def test_sniffers_do_not_overlap():
    crawl = _crawl()
    post = FRONT + "1. **Counting Ducks** - 👍 9\n"
    assert daily_json.sniff(crawl, "x") and not jekyll_daily.sniff(crawl, "x")
    assert jekyll_daily.sniff(post, "x") and not daily_json.sniff(post, "x")
    assert not daily_json.sniff('[{"paper": {"id": "2601.00001"}}]', "x")  # Hugging Face's API
    assert read_page("file:///x.json", crawl.encode(), {}, mtime=MTIME).document.format == "digest-daily-json"


def test_a_recap_that_nests_its_days_is_not_the_daily_json():
    """A made-up weekly recap with ``crawled_at`` and ``papers`` inside each of its days was
    sniffed as the daily JSON and rejected whole ("'papers' is NoneType"): its own top level
    holds no list of papers. It is the structured reader's, which reads each day's papers."""
    recap = json.dumps({"crawled_at": "2031-05-08T02:30:00Z", "days": [
        {"date": "2031-05-06", "papers": [{"id": "3105.00101", "title": "Made-Up Merging", "upvotes": 60, "rank": 1}]},
        {"date": "2031-05-07", "papers": [{"id": "3105.00202", "title": "Made-Up Retrieval", "upvotes": 40, "rank": 1}]},
    ]})
    assert not daily_json.sniff(recap, "file:///x/week-19.json")
    result = read_page("file:///x/week-19.json", recap.encode(), {})
    assert result.document.format == "digest-structured"
    assert sorted((o.arxiv_id, str(o.listed_on), o.upvotes) for o in result.observations) == [
        ("3105.00101", "2031-05-06", 60), ("3105.00202", "2031-05-07", 40)]
    # The daily shape, and a broken file of that shape (a reject that says why), stay its.
    assert daily_json.sniff('{"crawled_at": "2031-05-06T01:00:00", "papers": []}', "x")
    assert daily_json.sniff('{"crawled_at": "2031-05-06T01:00:00", "papers": [', "x")
