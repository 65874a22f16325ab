"""Three digest formats over every sample file: the Korean daily digest (``digest-ko-daily``),
DAIR.AI's papers of the week (``digest-dair-ai``) and AtharvaDomale's daily scrape as JSON
and README (``digest-atharva-json``, ``digest-atharva-readme``).

The samples are read from ../shared at run time; only facts (counts, ids, titles, days,
numbers) are written here. Fixtures for bad input are made-up text.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import statistics
from pathlib import Path
from urllib.parse import urlsplit

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest

from reconcile.models import TimeBasis
from scrapers.pages import PageError, choose_format, read_page
from scrapers.pages.digests import atharva, dair_ai, jekyll_daily, ko_daily, newsletter, quiz, top_list

from .support import SHARED, needs_shared

pytestmark = needs_shared

MINE = (ko_daily.FORMAT, dair_ai.FORMAT, atharva.JSON_FORMAT, atharva.README_FORMAT)
MTIME = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
UTC = dt.timezone.utc


def digests() -> Path:
    return SHARED / "samples" / "digests"


def ko_dir() -> Path:
    return digests() / "ko-l-yohai-daily_papers_ko"


def dair_file() -> Path:
    [path] = (digests() / "dair-ai-ml-papers-of-the-week").glob("*.md")
    return path


def atharva_dir() -> Path:
    return digests() / "atharvadomale-daily-hf-ai-papers"


def read(path: Path, fmt):
    return fmt.parse(path.read_text("utf-8"), path.resolve().as_uri())


# --- facts per file ---------------------------------------------------------------------------

# file: (items, rank, arxiv id, title, upvotes, listed_on)
KO_FACTS = {
    "2025-05-08.md": (21, 1, "2505.02567", "Unified Multimodal Understanding and Generation Models: "
                      "Advances, Challenges, and Opportunities", 52, dt.date(2025, 5, 8)),
    "2025-05-09.md": (20, 6, "2505.05071", "FG-CLIP: Fine-Grained Visual and Textual Alignment", 10,
                      dt.date(2025, 5, 9)),
}


def test_ko_daily_facts_of_every_file():
    files = sorted(p.name for p in ko_dir().glob("*.md"))
    assert files == sorted(KO_FACTS)
    for name, (count, rank, aid, title, votes, day) in KO_FACTS.items():
        parsed = read(ko_dir() / name, ko_daily.FORMAT)
        obs = parsed.observations
        assert len(obs) == count and not parsed.problems, name
        assert [o.rank for o in obs] == list(range(1, count + 1))
        item = obs[rank - 1]
        assert (item.arxiv_id, item.title, item.upvotes) == (aid, title, votes)
        assert {o.listed_on for o in obs} == {day}
        assert all(o.arxiv_id and o.url.startswith("https://arxiv.org/abs/") for o in obs)
        votes_in_order = [o.upvotes for o in obs]
        assert votes_in_order == sorted(votes_in_order, reverse=True)
        # Positions among the day's new papers only: never compared as upvote ranks.
        assert {o.extra["rank_basis"] for o in obs} == {"position"}
        assert all(o.authors and o.summary for o in obs)
        assert sum(o.summary.count("\n") == 2 for o in obs) == count - (name == "2025-05-08.md")
        assert obs[0].summary.startswith("What's New: ")


def test_ko_daily_details():
    obs = read(ko_dir() / "2025-05-08.md", ko_daily.FORMAT).observations
    assert obs[-1].arxiv_id == "2505.04110" and obs[-1].upvotes == 0
    assert obs[-1].authors == ["David Noever", "Forrest McKee"]
    assert len(obs[0].authors) == 10
    # Both label styles (***bold-italic*** and **bold**) give plain labels.
    later = read(ko_dir() / "2025-05-09.md", ko_daily.FORMAT).observations
    assert all("*" not in o.summary.split(":")[0] for o in obs + later)


# week start: (week end, rows, rank, arxiv id, title, host of the paper link)
DAIR_FACTS = {
    dt.date(2025, 6, 23): (dt.date(2025, 6, 29), 10, 7, None, "Claude for Affective Use", "www.anthropic.com"),
    dt.date(2025, 6, 16): (dt.date(2025, 6, 22), 10, 6, "2506.09050", "ALE-Agent & ALE-Bench", "arxiv.org"),
    dt.date(2025, 6, 9): (dt.date(2025, 6, 15), 10, 4, "2506.10380", "TableRAG", "arxiv.org"),
    dt.date(2025, 6, 2): (dt.date(2025, 6, 8), 10, 10, "2505.24832", "Memorization in LLMs", "www.arxiv.org"),
    dt.date(2025, 5, 26): (dt.date(2025, 6, 1), 10, 3, "2505.22101",
                           "An Operating System for Memory-Augmented Generation in LLMs", "arxiv.org"),
    dt.date(2025, 5, 19): (dt.date(2025, 5, 25), 10, 5, None, "Generalizable AI Predicts Immunotherapy "
                           "Outcomes Across Cancers and Treatments", "www.medrxiv.org"),
    dt.date(2025, 5, 12): (dt.date(2025, 5, 18), 10, 8, "2505.05885",
                           "Cost-Efficient, Low-Latency Vector Search", "arxiv.org"),
}


def test_dair_ai_facts_of_every_week():
    parsed = read(dair_file(), dair_ai.FORMAT)
    assert not parsed.problems
    weeks = collections.defaultdict(list)
    for o in parsed.observations:
        weeks[o.listed_on].append(o)
    assert set(weeks) == set(DAIR_FACTS)  # 7 weeks: the excerpt ends before May 5 - May 11
    for start, (end, rows, rank, aid, title, host) in DAIR_FACTS.items():
        obs = weeks[start]
        assert len(obs) == rows and [o.rank for o in obs] == list(range(1, rows + 1))
        assert {(o.extra["week_start"], o.extra["week_end"], o.extra["listed_for"]) for o in obs} == {
            (start.isoformat(), end.isoformat(), "week")}
        item = obs[rank - 1]
        assert (item.arxiv_id, item.title, urlsplit(item.url).hostname) == (aid, title, host)
    obs = parsed.observations
    assert len(obs) == 70
    no_id = [o for o in obs if o.arxiv_id is None]
    assert len(no_id) == 13 and all(o.url and "arxiv.org" not in o.url for o in no_id)
    assert sum(1 for o in obs if "tweet_url" in o.extra) == 64
    assert {o.extra["rank_basis"] for o in obs} == {"position"}
    assert [o.rank for o in obs if o.extra.get("title_split") == "opener"] == [3, 4]
    assert all(o.summary and o.upvotes is None for o in obs)


# day: (items, rank, arxiv id, title, card count shown, earliest scraped_at)
JSON_FACTS = {
    "2025-12-04": (24, 1, "2511.21631", "Qwen3-VL Technical Report", "0", "2025-12-04T21:17:47"),
    "2025-12-05": (38, 14, "2512.04797", "SIMA 2: A Generalist Embodied Agent for Virtual Worlds", "0", "2025-12-05T21:45:27"),
    "2025-12-06": (38, 13, "2512.04797", "SIMA 2: A Generalist Embodied Agent for Virtual Worlds", "0", "2025-12-06T01:39:15"),
    "2025-12-07": (38, 13, "2512.04797", "SIMA 2: A Generalist Embodied Agent for Virtual Worlds", "0", "2025-12-07T01:52:46"),
    "2025-12-08": (38, 13, "2512.04797", "SIMA 2: A Generalist Embodied Agent for Virtual Worlds", "0", "2025-12-08T01:45:50"),
    "2025-12-09": (24, 11, "2512.05145", "Self-Improving VLM Judges Without Human Annotations", "0", "2025-12-09T01:44:30"),
    "2025-12-10": (29, 9, "2512.07833", "Relational Visual Similarity", "14", "2025-12-10T01:46:58"),
    "2025-12-11": (25, 10, "2512.07921", "DeepCode: Open Agentic Coding", "11.8k", "2025-12-11T01:47:36"),
    "2025-12-12": (21, 13, "2512.08296", "Towards a Science of Scaling Agent Systems", "0", "2025-12-12T01:47:07"),
    "2025-12-13": (24, 13, "2512.10938", "Stronger Normalization-Free Transformers", "0", "2025-12-13T01:41:43"),
    "2025-12-14": (25, 10, "2512.10938", "Stronger Normalization-Free Transformers", "31", "2025-12-14T01:53:13"),
    "2025-12-15": (25, 9, "2512.10938", "Stronger Normalization-Free Transformers", "47", "2025-12-15T01:51:12"),
    "2025-12-16": (21, 5, "2512.10411", "Sliding Window Attention Adaptation", "3", "2025-12-16T01:48:10"),
    "2025-12-17": (41, 3, "2512.13564", "Memory in the Age of AI Agents", "115", "2025-12-17T01:43:44"),
    "2025-12-18": (38, 14, "2512.13961", "Olmo 3", "0", "2025-12-18T01:44:00"),
    "2025-12-19": (30, 1, "2512.15431", "Step-GUI Technical Report", "1.44k", "2025-12-19T01:47:15"),
    "2025-12-20": (37, 2, "2512.16301", "Adaptation of Agentic AI", "262", "2025-12-20T01:41:55"),
    "2025-12-21": (38, 2, "2512.16301", "Adaptation of Agentic AI", "274", "2025-12-21T01:53:49"),
    "2025-12-22": (38, 2, "2512.16301", "Adaptation of Agentic AI", "293", "2025-12-22T01:52:28"),
    "2025-12-23": (22, 3, "2512.17901", "When Reasoning Meets Its Laws", "15", "2025-12-23T01:48:12"),
    "2025-12-24": (23, 18, "2512.18003", "Name That Part: 3D Part Segmentation and Naming", "0", "2025-12-24T01:46:29"),
    "2025-12-25": (18, 9, "2512.16144", "INTELLECT-3: Technical Report", "0", "2025-12-25T01:48:29"),
    "2025-12-26": (17, 13, "2512.21334", "Streaming Video Instruction Tuning", "0", "2025-12-26T01:47:41"),
    "2025-12-27": (7, 1, "2512.21218", "Latent Implicit Visual Reasoning", "0", "2025-12-27T01:45:27"),
    "2025-12-28": (7, 1, "2512.21218", "Latent Implicit Visual Reasoning", "0", "2025-12-28T01:58:36"),
    "2025-12-29": (7, 1, "2512.21218", "Latent Implicit Visual Reasoning", "0", "2025-12-29T01:56:48"),
    "2025-12-30": (14, 5, "2512.22118", "ProEdit: Inversion-based Editing From Prompts Done Right", "24", "2025-12-30T01:48:50"),
    "2025-12-31": (31, 11, "2512.23676", "Web World Models", "17", "2025-12-31T01:49:28"),
    "2026-01-01": (7, 3, "2512.23675", "End-to-End Test-Time Training for Long Context", "96", "2026-01-01T01:59:26"),
    "2026-01-02": (20, 9, "2512.24210", "GR-Dexter Technical Report", "0", "2026-01-02T01:50:23"),
    "2026-01-03": (7, 4, "2512.22630", "On the Role of Discreteness in Diffusion LLMs", "0", "2026-01-03T01:44:37"),
    "2026-01-04": (7, 4, "2512.22630", "On the Role of Discreteness in Diffusion LLMs", "0", "2026-01-04T01:59:50"),
    "2026-01-05": (7, 4, "2512.22630", "On the Role of Discreteness in Diffusion LLMs", "0", "2026-01-05T01:59:59"),
    "2026-01-06": (13, 7, "2601.00417", "Deep Delta Learning", "234", "2026-01-06T01:50:51"),
    "2026-01-07": (24, 3, "2601.01739", "K-EXAONE Technical Report", "39", "2026-01-07T01:50:17"),
    "2026-01-08": (26, 9, "2601.02780", "MiMo-V2-Flash Technical Report", "957", "2026-01-08T01:50:45"),
    "2026-01-09": (20, 2, "2601.03509", "Evolving Programmatic Skill Networks", "0", "2026-01-09T01:51:09"),
    "2026-01-10": (33, 13, "2601.05111", "Agent-as-a-Judge", "9", "2026-01-10T01:47:38"),
    "2026-01-11": (33, 12, "2601.05111", "Agent-as-a-Judge", "17", "2026-01-11T01:59:47"),
    "2026-01-12": (33, 11, "2601.05111", "Agent-as-a-Judge", "21", "2026-01-12T01:56:15"),
    "2026-01-13": (30, 16, "2601.02760", "AnyDepth: Depth Estimation Made Easy", "63", "2026-01-13T01:48:04"),
    "2026-01-14": (42, 21, "2601.06411", "Structured Episodic Event Memory", "0", "2026-01-14T01:55:05"),
    "2026-01-15": (24, 8, "2601.08584", "Ministral 3", "0", "2026-01-15T01:50:09"),
    "2026-01-16": (27, 14, "2601.09012", "TranslateGemma Technical Report", "0", "2026-01-16T01:52:19"),
    "2026-01-17": (38, 2, "2601.09668", "STEP3-VL-10B Technical Report", "152", "2026-01-17T01:46:10"),
    "2026-01-18": (38, 1, "2601.09668", "STEP3-VL-10B Technical Report", "168", "2026-01-18T01:58:28"),
    "2026-01-19": (38, 1, "2601.09668", "STEP3-VL-10B Technical Report", "172", "2026-01-19T01:56:41"),
    "2026-01-20": (22, 1, "2601.08521", "Your Group-Relative Advantage Is Biased", "0", "2026-01-20T01:51:45"),
    "2026-01-21": (11, 9, "2601.11425", "PubMed-OCR: PMC Open Access OCR Annotations", "0", "2026-01-21T01:54:38"),
    "2026-01-22": (32, 3, "2601.13029", "Think3D: Thinking with Space for Spatial Reasoning", "32", "2026-01-22T01:55:03"),
    "2026-01-23": (26, 1, "2601.12538", "Agentic Reasoning for Large Language Models", "105", "2026-01-23T01:51:23"),
    "2026-01-24": (27, 10, "2601.15621", "Qwen3-TTS Technical Report", "2.19k", "2026-01-24T01:48:31"),
    "2026-01-25": (27, 10, "2601.15621", "Qwen3-TTS Technical Report", "3.29k", "2026-01-25T02:01:53"),
    "2026-01-26": (27, 10, "2601.15621", "Qwen3-TTS Technical Report", "4.27k", "2026-01-26T02:01:16"),
    "2026-01-27": (18, 1, "2601.16725", "LongCat-Flash-Thinking-2601 Technical Report", "0", "2026-01-27T01:57:53"),
    "2026-01-28": (37, 8, "2601.18577", "Self-Refining Video Sampling", "43", "2026-01-28T01:53:53"),
    "2026-01-29": (21, 3, "2601.18692", "A Pragmatic VLA Foundation Model", "245", "2026-01-29T02:08:04"),
    "2026-01-30": (21, 16, "2601.20245", "How AI Impacts Skill Formation", "0", "2026-01-30T02:08:03"),
    "2026-01-31": (45, 9, "2601.21337", "Qwen3-ASR Technical Report", "0", "2026-01-31T02:04:25"),
}


def json_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted((atharva_dir() / "data-daily").glob("*.json"))}


def test_atharva_json_facts_of_every_file():
    assert sorted(json_files()) == sorted(JSON_FACTS)
    for day, (count, rank, aid, title, shown, first_scrape) in JSON_FACTS.items():
        parsed = read(json_files()[day], atharva.JSON_FORMAT)
        obs = parsed.observations
        assert len(obs) == count and not parsed.problems, day
        assert [o.rank for o in obs] == list(range(1, count + 1))
        item = obs[rank - 1]
        assert (item.arxiv_id, item.title, item.extra["card_count"]) == (aid, title, shown)
        assert parsed.captured_at.replace(microsecond=0) == dt.datetime.fromisoformat(first_scrape).replace(tzinfo=UTC)
        # The document names its capture day, never the list's day.
        assert {o.listed_on for o in obs} == {None}
        assert {o.extra["scraped_date"] for o in obs} == {day}
        assert all(o.upvotes is None and o.authors == [] and o.abstract is None for o in obs)
        assert all(o.extra["card_count_is"] == "github_stars" for o in obs)
        assert all(o.arxiv_id in o.extra["hf_url"] for o in obs)


def test_the_id_is_the_hugging_face_links():
    odd = [(day, o.rank, o.arxiv_id, o.url, o.extra["arxiv_page_url"])
           for day, path in json_files().items() for o in read(path, atharva.JSON_FORMAT).observations
           if "arxiv_page_url" in o.extra]
    assert [(day, rank, aid) for day, rank, aid, _, _ in odd] == [
        ("2025-12-17", 35, "2512.13330"), ("2026-01-02", 13, "2512.22905"), ("2026-01-22", 30, "2601.13677")]
    assert all(url == f"https://huggingface.co/papers/{aid}" and aid not in other for _, _, aid, url, other in odd)
    obs = read(json_files()["2025-12-17"], atharva.JSON_FORMAT).observations
    assert (obs[30].arxiv_id, obs[30].arxiv_version) == ("2512.12196", 1)


def test_card_count_values():
    assert [atharva.card_count_value(s) for s in ("0", "742", "1.44k", "11.8k", "1,204", "2M", "", "n/a")] == [
        0, 742, 1440, 11800, 1204, 2_000_000, None, None]
    obs = read(json_files()["2025-12-11"], atharva.JSON_FORMAT).observations
    assert obs[9].extra["card_count_value"] == 11800


# day: (items, rank, arxiv id, title, card count shown)
README_FACTS = {
    "2025-12-10": (29, 9, "2512.07833", "Relational Visual Similarity", "14"),
    "2025-12-25": (18, 9, "2512.16144", "INTELLECT-3: Technical Report", "0"),
    "2026-01-05": (7, 4, "2512.22630", "On the Role of Discreteness in Diffusion LLMs", "0"),
    "2026-01-29": (21, 3, "2601.18692", "A Pragmatic VLA Foundation Model", "245"),
}


def readme_files() -> dict[str, Path]:
    return {p.stem.removeprefix("README_"): p for p in sorted((atharva_dir() / "readme-snapshots").glob("*.md"))}


def test_atharva_readme_facts_of_every_file():
    assert sorted(readme_files()) == sorted(README_FACTS)
    for day, (count, rank, aid, title, shown) in README_FACTS.items():
        parsed = read(readme_files()[day], atharva.README_FORMAT)
        obs = parsed.observations
        assert len(obs) == count and not parsed.problems, day
        assert [o.rank for o in obs] == list(range(1, count + 1))
        item = obs[rank - 1]
        assert (item.arxiv_id, item.title, item.extra["card_count"]) == (aid, title, shown)
        assert parsed.published_at == dt.datetime.fromisoformat(day).replace(tzinfo=UTC)
        assert parsed.captured_at is None
        assert {o.listed_on for o in obs} == {None} and {o.extra["scraped_date"] for o in obs} == {day}


def test_readme_and_json_of_a_day_agree():
    for day, readme in readme_files().items():
        from_readme = read(readme, atharva.README_FORMAT).observations
        from_json = read(json_files()[day], atharva.JSON_FORMAT).observations
        key = ("rank", "title", "arxiv_id", "url")
        assert [o.model_dump(include=set(key)) for o in from_readme] == [
            o.model_dump(include=set(key)) for o in from_json], day
        for r, j in zip(from_readme, from_json):
            for name in ("card_count", "card_count_value", "hf_url", "pdf_url"):
                assert r.extra[name] == j.extra[name], (day, r.rank, name)
            assert r.extra["github_links"] == j.extra["github_links"][:3]
            assert r.extra.get("card_authors", []) == j.extra["card_authors"][:5]


# --- what `stars` is --------------------------------------------------------------------------


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def spearman(a: list[float], b: list[float]) -> float:
    return statistics.correlation(_ranks(a), _ranks(b))


def api_lists() -> dict[str, dict[str, dict]]:
    window = SHARED / "samples" / "hf-daily-papers-api" / "window-2025-11_2026-01"
    return {p.stem: {item["paper"]["id"]: item for item in json.loads(p.read_text("utf-8"))}
            for p in sorted(window.glob("*.json"))}


def first_captures() -> list[tuple[object, dict]]:
    """Each paper of the JSON files that an API list holds, at its first capture, with the
    API item of the earliest day that lists it."""
    api = api_lists()
    seen, pairs = set(), []
    for day, path in json_files().items():
        for obs in read(path, atharva.JSON_FORMAT).observations:
            days = [d for d, items in api.items() if obs.arxiv_id in items]
            if obs.arxiv_id in seen or not days:
                continue
            seen.add(obs.arxiv_id)
            pairs.append((obs, api[days[0]][obs.arxiv_id]))
    return pairs


def test_stars_are_github_stars_not_upvotes():
    pairs = first_captures()
    assert len(pairs) == 660
    value = lambda o: o.extra["card_count_value"]  # noqa: E731
    shown = [(o, item) for o, item in pairs if value(o) > 0]
    assert len(shown) == 309
    assert all(o.extra["github_links"] for o, _ in shown)  # a number only where there is code
    with_repo = [(o, item["paper"]["githubStars"]) for o, item in pairs if item["paper"].get("githubStars") is not None]
    assert len(with_repo) == 279
    assert sum(value(o) >= stars for o, stars in with_repo) == 279  # read ~18 h after the API
    assert sum(value(o) == stars for o, stars in with_repo) == 27
    without_repo = [o for o, item in pairs if item["paper"].get("githubStars") is None]
    assert (len(without_repo), sum(value(o) == 0 for o in without_repo)) == (381, 340)
    assert sum(value(o) == item["paper"]["upvotes"] for o, item in shown) == 12
    assert sum(value(o) == item["numComments"] for o, item in shown) == 11
    rho_stars = spearman([value(o) for o, _ in with_repo], [s for _, s in with_repo])
    rho_votes = spearman([value(o) for o, item in pairs if item["paper"].get("githubStars") is not None],
                         [item["paper"]["upvotes"] for _, item in pairs if item["paper"].get("githubStars") is not None])
    assert rho_stars > 0.8 and rho_votes < 0.6
    ratios = [value(o) / stars for o, stars in with_repo if stars]
    assert 2.0 < statistics.median(ratios) < 3.0


def test_json_files_hold_the_list_of_the_weekday_before_their_capture():
    api = api_lists()
    earlier = same = 0
    for day, path in json_files().items():
        parsed = read(path, atharva.JSON_FORMAT)
        held = collections.Counter(d for o in parsed.observations for d, items in api.items() if o.arxiv_id in items)
        [(list_day, _)] = held.most_common(1)
        captured = parsed.captured_at
        expected = captured.date() - dt.timedelta(days=1) if captured.hour < 12 else captured.date()
        while expected.weekday() >= 5:  # no lists on weekends
            expected -= dt.timedelta(days=1)
        assert list_day == expected.isoformat(), day
        earlier += list_day < day
        same += list_day == day
    assert (earlier, same) == (57, 2)


# --- sniffing, read_page, mojibake ----------------------------------------------------------


def sample_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def my_samples() -> dict[Path, str]:
    return {**{p: "digest-ko-daily" for p in ko_dir().glob("*.md")}, dair_file(): "digest-dair-ai",
            **{p: "digest-atharva-json" for p in json_files().values()},
            **{p: "digest-atharva-readme" for p in readme_files().values()}}


def test_sniffers_do_not_claim_each_others_files():
    """Ours and the four earlier digest formats are mutually exclusive on every sample, so
    their order among themselves does not matter (a catch-all must come after them)."""
    specific = (jekyll_daily.FORMAT, top_list.FORMAT, quiz.FORMAT, newsletter.FORMAT, *MINE)
    expected = my_samples()
    for path, name in expected.items():
        text = sample_text(path)
        assert [f.name for f in specific if f.sniff(text, path.as_uri())] == [name], path.name
    others = [p for root in (SHARED / "samples", SHARED / "seeds") for p in sorted(root.rglob("*"))
              if p.is_file() and p not in expected]
    assert len(others) > 50
    for path in others:
        text = sample_text(path)
        assert not [f.name for f in MINE if f.sniff(text, path.as_uri())], path


def test_registered_order_picks_our_format_for_every_sample():
    for path, name in my_samples().items():
        assert choose_format(sample_text(path), path.as_uri()).name == name, path.name


MOJIBAKE_SAMPLES = {
    "digest-ko-daily": lambda: ko_dir() / "2025-05-08.md",
    "digest-dair-ai": dair_file,
    "digest-atharva-json": lambda: json_files()["2025-12-10"],
    "digest-atharva-readme": lambda: readme_files()["2026-01-05"],
}


def _observed(result):
    return [o.model_dump(exclude={"observed_at", "site"}) for o in result.observations]


@pytest.mark.parametrize("codec", ["mac_roman", "sloppy-windows-1252", "latin-1"])
@pytest.mark.parametrize("name", sorted(MOJIBAKE_SAMPLES))
def test_mojibake_variants_give_the_same_observations(name, codec):
    path = MOJIBAKE_SAMPLES[name]()
    body = path.read_bytes()
    clean = read_page(path.as_uri(), body, {}, mtime=MTIME)
    assert clean.document.format == name and not clean.document.mojibake
    mangled = body.decode("utf-8").encode("utf-8").decode(codec).encode("utf-8")
    assert mangled != body
    result = read_page(path.as_uri(), mangled, {}, mtime=MTIME)
    assert result.document.format == name
    assert result.document.mojibake and result.document.repair == f"roundtrip:{codec}"
    assert _observed(result) == _observed(clean)


def test_read_page_times():
    path = json_files()["2026-01-05"]
    doc = read_page(path.as_uri(), path.read_bytes(), {}, mtime=MTIME).document
    assert (doc.observed_at, doc.observed_at_basis) == (
        dt.datetime(2026, 1, 5, 1, 59, 59, 631752, tzinfo=UTC), TimeBasis.STATED_CAPTURE)
    path = readme_files()["2026-01-05"]
    doc = read_page(path.as_uri(), path.read_bytes(), {}, mtime=MTIME).document
    assert (doc.observed_at, doc.observed_at_basis) == (dt.datetime(2026, 1, 5, tzinfo=UTC), TimeBasis.PUBLISHED)
    for path in (ko_dir() / "2025-05-08.md", dair_file()):
        doc = read_page(path.as_uri(), path.read_bytes(), {}, mtime=MTIME).document
        assert (doc.observed_at, doc.observed_at_basis) == (MTIME, TimeBasis.FILE_MTIME)


# --- bad input (made-up text) ---------------------------------------------------------------

KO_BAD = """## Daily Papers (2030-01-02)

### [](https://arxiv.org/abs/3001.00001)

Vote: 9

Authors: Ann Example

- **What's New**: made-up text

### [A Made-Up Paper About Widgets](https://arxiv.org/abs/3001.00002)

Vote: 3

Authors: Bo Sample, Cy Test

- ***What's New***: more made-up text
"""

DAIR_BAD = """## Top ML Papers of the Week (December 30 - January 5) - 2031
| **Paper**  | **Links** |
| ------------- | ------------- |
| 1) Widget Nets  Proposes widgets. | [Paper](https://arxiv.org/abs/3101.00001), [Tweet](https://x.com/a/status/1) |
| 2)   | [Paper](https://arxiv.org/abs/3101.00002) |
| 3) **Gadget Bench** - A made-up benchmark. | [Paper](https://example.org/gadget.pdf) |
"""

README_BAD = """**Last Updated:** March 03, 2030
[![Papers Today](https://img.shields.io/badge/Papers%20Today-3-blue)](data/latest.json)

<details>
<summary><b>1. N/A</b> ⭐ 5</summary>

**🔗 Links:** [🤗 HuggingFace](https://huggingface.co/papers/3003.00001)

</details>

<details>
<summary><b>2. Made-Up Sprockets</b> ⭐ 2.5k</summary>

**🔗 Links:** [🤗 HuggingFace](https://huggingface.co/papers/3003.00002) • [📄 arXiv](https://arxiv.org/abs/3003.00002)

> No abstract available.

</details>
"""


def one_line(reasons):
    assert reasons and all(r and "\n" not in r for r in reasons)
    return reasons


def test_ko_bad_input():
    parsed = ko_daily.FORMAT.parse(KO_BAD, "file:///x/2030/01/02.md")
    assert [o.title for o in parsed.observations] == ["A Made-Up Paper About Widgets"]
    assert parsed.observations[0].rank == 2 and parsed.observations[0].upvotes == 3
    assert parsed.observations[0].listed_on == dt.date(2030, 1, 2)
    assert "no title" in one_line([p.reason for p in parsed.problems])[0]
    with pytest.raises(PageError, match="no '### \\[Title\\]\\(link\\)' items") as err:
        ko_daily.FORMAT.parse("## Daily Papers (2030-01-02)\n\nnothing today\n", "file:///x.md")
    one_line([err.value.reason])
    # Without the heading, the day comes from the path.
    no_heading = KO_BAD.split("\n", 1)[1]
    assert ko_daily.FORMAT.parse(no_heading, "file:///logs/2030/01/03.md").observations[0].listed_on == dt.date(2030, 1, 3)


def test_dair_bad_input():
    parsed = dair_ai.FORMAT.parse(DAIR_BAD, "file:///x.md")
    obs = parsed.observations
    assert [(o.rank, o.title, o.arxiv_id) for o in obs] == [
        (1, "Widget Nets", "3101.00001"), (3, "Gadget Bench", None)]
    assert obs[1].url == "https://example.org/gadget.pdf" and obs[1].extra["title_split"] == "bold"
    # The year is the week's last day's: the week began in the year before.
    assert obs[0].listed_on == dt.date(2030, 12, 30) and obs[0].extra["week_end"] == "2031-01-05"
    assert "row 2" in one_line([p.reason for p in parsed.problems])[0]
    with pytest.raises(PageError) as err:
        dair_ai.FORMAT.parse(DAIR_BAD.split("| **Paper**")[0], "file:///x.md")
    one_line([err.value.reason])


def test_atharva_json_bad_input():
    items = [{"title": None, "paper_url": "https://huggingface.co/papers/3003.00001", "stars": "1", "details": {}},
             {"title": "Made-Up Sprockets", "paper_url": "https://huggingface.co/papers/3003.00002", "stars": "2.5k",
              "details": {"scraped_at": "2030-03-03T01:02:03.5"}}, "not an item"]
    parsed = atharva.JSON_FORMAT.parse(json.dumps(items), "file:///x.json")
    [obs] = parsed.observations
    assert (obs.rank, obs.title, obs.arxiv_id, obs.extra["card_count_value"]) == (2, "Made-Up Sprockets", "3003.00002", 2500)
    assert parsed.captured_at == dt.datetime(2030, 3, 3, 1, 2, 3, 500000, tzinfo=UTC)
    reasons = one_line([p.reason for p in parsed.problems])
    assert len(reasons) == 2 and "no title" in reasons[0] and "not an object" in reasons[1]
    for text in ("[]", '{"title": "x"}', "[{"):
        with pytest.raises(PageError) as err:
            atharva.JSON_FORMAT.parse(text, "file:///x.json")
        one_line([err.value.reason])


def test_atharva_readme_bad_input():
    parsed = atharva.README_FORMAT.parse(README_BAD, "file:///README.md")
    [obs] = parsed.observations
    assert (obs.rank, obs.title, obs.arxiv_id, obs.extra["card_count_value"]) == (2, "Made-Up Sprockets", "3003.00002", 2500)
    assert "page_prose_excerpt" not in obs.extra
    reasons = one_line([p.reason for p in parsed.problems])
    assert "no title" in reasons[0] and "says 3 papers today but lists 2" in reasons[1]
    with pytest.raises(PageError) as err:
        atharva.README_FORMAT.parse("# Daily HuggingFace AI Papers\n\nnothing\n", "file:///README.md")
    one_line([err.value.reason])


def test_read_page_rejects_a_document_of_the_format_without_papers():
    with pytest.raises(PageError, match="empty list"):
        read_page("file:///x.json", b"[]", {}, format_name="digest-atharva-json", mtime=MTIME)
    with pytest.raises(PageError):
        read_page("file:///x.md", b"## Daily Papers (2030-01-02)\n", {}, format_name="digest-ko-daily", mtime=MTIME)


KO_ROUNDED = """## Daily Papers (2030-01-03)

### [Widgets at Scale](https://arxiv.org/abs/3001.00003)

Vote: 1.2k

Authors: Bo Sample, Cy Test, and Di Trial

- **What's New**: made-up text
"""


def test_ko_daily_rounded_vote_and_oxford_and_order_are_not_false_values():
    """``Vote: 1.2k`` states no exact count (it was stored as 1); ", and Di Trial" names Di
    Trial; the list's order is not the paper's, so another order only informs."""
    from reconcile.checks.authors import describe
    from reconcile.models import Observation, Severity, Source

    (item,) = ko_daily.FORMAT.parse(KO_ROUNDED, "file:///2030/01/03.md").observations
    assert item.upvotes is None and item.extra["vote_text"] == "1.2k"
    assert item.authors == ["Bo Sample", "Cy Test", "Di Trial"]
    arxiv = Observation(source=Source.ARXIV, arxiv_id="3001.00003", authors=["Cy Test", "Bo Sample", "Di Trial"])
    assert [s for s, _ in describe(arxiv, item)] == [Severity.INFO]
