"""The two Chinese digest formats: facts per sample file, the newsletter's HTML rendering
read like its Markdown, and mojibake variants read like the clean posts.

Samples are read from ../shared at run time; only facts (ids, titles, counts, dates) are
asserted here. The small fixtures are made-up text.
"""

from __future__ import annotations

import datetime as dt

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest

from scrapers.pages import PageError, read_page
from scrapers.pages.digests import zh_llm_digest, zh_newsletter

from .support import SHARED, needs_shared

MTIME = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.timezone.utc)
NEWSLETTER = "digests/zh-hf-daily-paper-newsletter-chinese/2025-01-13_daily_paper"
LLM_DIGEST = "digests/zh-zi-yangchen-hf-daily-papers-summarizer/huggingface-daily-papers-2026-06-05.EXCERPT.md"
NEWSLETTER_IDS = ["2501.05874", "2501.05727", "2501.03841", "2501.06186", "2501.05707"]
CODECS = ("mac_roman", "sloppy-windows-1252", "latin-1")


def sample(rel: str) -> tuple[str, str]:
    """The text of a sample and its file:// URL."""
    path = SHARED / "samples" / rel
    return path.read_text(encoding="utf-8"), path.resolve().as_uri()


def dumps(observations) -> list[dict]:
    return [o.model_dump(exclude={"observed_at", "site"}) for o in observations]


# -- the newsletter -------------------------------------------------------------------------
@needs_shared
@pytest.mark.parametrize("ext", ["md", "html"])
def test_newsletter_facts(ext):
    text, url = sample(f"{NEWSLETTER}.{ext}")
    assert zh_newsletter.sniff(text, url)
    parsed = zh_newsletter.FORMAT.parse(text, url)
    obs = parsed.observations
    assert [o.arxiv_id for o in obs] == NEWSLETTER_IDS
    assert [o.rank for o in obs] == [1, 2, 3, 4, 5]
    assert obs[0].title == "VideoRAG: Retrieval-Augmented Generation over Video Corpus"
    # The original title spans two lines in the post; it is read whole.
    assert obs[2].title == ("OmniManip: Towards General Robotic Manipulation via Object-Centric "
                            "Interaction Primitives as Spatial Constraints")
    assert obs[0].extra["title_zh"].startswith("VideoRAG：")
    assert obs[0].url == "https://arxiv.org/abs/2501.05874"
    assert obs[0].extra["hf_url"] == "https://huggingface.co/papers/2501.05874"
    assert {o.listed_on for o in obs} == {dt.date(2025, 1, 13)}
    assert {o.extra["papers_total"] for o in obs} == {5}
    # No counts in this newsletter, and the translated abstract is the digest's own text.
    assert all(o.upvotes is None and o.abstract is None for o in obs)
    assert all(o.summary and "\n" not in o.summary for o in obs)
    assert {o.extra["rank_basis"] for o in obs} == {"position"}
    assert not parsed.problems


@needs_shared
def test_newsletter_html_reads_like_its_markdown():
    md_text, md_url = sample(f"{NEWSLETTER}.md")
    html_text, html_url = sample(f"{NEWSLETTER}.html")
    from_md = zh_newsletter.FORMAT.parse(md_text, md_url).observations
    from_html = zh_newsletter.FORMAT.parse(html_text, html_url).observations
    assert dumps(from_md) == dumps(from_html)
    assert len(from_md) == 5


@needs_shared
@pytest.mark.parametrize("ext", ["md", "html"])
@pytest.mark.parametrize("codec", CODECS)
def test_newsletter_mojibake_variants_equal_the_clean_post(ext, codec):
    text, url = sample(f"{NEWSLETTER}.{ext}")
    clean = read_page(url, text.encode("utf-8"), {}, mtime=MTIME)
    assert clean.document.format == "digest-zh-newsletter"
    mangled = text.encode("utf-8").decode(codec)
    assert mangled != text
    result = read_page(url, mangled.encode("utf-8"), {}, mtime=MTIME)
    assert result.document.format == "digest-zh-newsletter"
    assert result.document.mojibake and result.document.repair == f"roundtrip:{codec}"
    assert dumps(result.observations) == dumps(clean.observations)


def test_newsletter_authors_institutions_and_a_wrong_total():
    text = (
        "# Hugging Face 2031-02-03 论文日报\n\n## 📊 今日论文统计\n- 总论文数：3\n\n## 📝 论文详情\n\n"
        "### 1. 纸鹤：折叠注意力\n\n**原文标题：** Paper Cranes: Folded Attention\n\n"
        "**作者：** Ada Quill, Bo Reed、Cy Lamp\n\n**机构：** 虚构大学\n\n**摘要：**\n一段虚构的摘要。\n\n"
        "**论文链接：** [HuggingFace](https://huggingface.co/papers/3102.00001) | "
        "[arXiv](https://arxiv.org/abs/3102.00001v3)\n\n---\n\n"
        "### 2. 没有原文标题\n\n**摘要：**\n另一段。\n\n"
        "**论文链接：** [HuggingFace](https://huggingface.co/papers/3102.00002)\n"
    )
    parsed = zh_newsletter.FORMAT.parse(text, "file:///x.md")
    first, second = parsed.observations
    assert first.title == "Paper Cranes: Folded Attention"
    assert first.authors == ["Ada Quill", "Bo Reed", "Cy Lamp"]
    assert first.organization == "虚构大学"
    assert (first.arxiv_id, first.arxiv_version) == ("3102.00001", 3)
    assert first.listed_on == dt.date(2031, 2, 3)
    # Without an original title the Chinese heading is all there is.
    assert second.title == second.extra["title_zh"] == "没有原文标题"
    assert second.url == "https://huggingface.co/papers/3102.00002" and "hf_url" not in second.extra
    assert [p.reason for p in parsed.problems] == ["zh newsletter: says 3 papers but lists 2"]


def test_newsletter_without_items_is_an_error():
    text = "# Hugging Face 2031-02-03 论文日报\n\n**原文标题：** nothing numbered\n"
    assert zh_newsletter.sniff(text, "file:///x.md")
    with pytest.raises(PageError, match="no '### N. title' sections"):
        zh_newsletter.FORMAT.parse(text, "file:///x.md")


# -- the LLM-written digest -----------------------------------------------------------------
@needs_shared
def test_llm_digest_facts():
    text, url = sample(LLM_DIGEST)
    assert zh_llm_digest.sniff(text, url)
    obs = zh_llm_digest.FORMAT.parse(text, url).observations
    assert [(o.rank, o.arxiv_id, o.upvotes) for o in obs] == [
        (1, "2606.05102", 13), (2, "2606.03773", 10), (3, "2606.05259", 9)]
    assert obs[0].title == "ZipSplat: Fewer Gaussians, Better Splats"
    assert obs[2].title == "VideoKR: Towards Knowledge- and Reasoning-Intensive Video Understanding"
    assert obs[1].url == "https://huggingface.co/papers/2606.03773"
    # The day comes from the file name in the URL.
    assert {o.listed_on for o in obs} == {dt.date(2026, 6, 5)}
    # "Not given" placeholders are no institution.
    assert all(o.organization is None and o.extra["affiliation_note"] for o in obs)
    assert all(o.summary and "**" not in o.summary and o.extra["impact"] for o in obs)
    assert {o.extra["rank_basis"] for o in obs} == {"upvotes"}


@needs_shared
def test_llm_digest_day_needs_a_dated_name_or_heading():
    text, _ = sample(LLM_DIGEST)
    obs = zh_llm_digest.FORMAT.parse(text, "https://example.org/digest.md").observations
    assert {o.listed_on for o in obs} == {None}
    two_dates = "https://example.org/2026-06-01_to_2026-06-05.md"
    assert {o.listed_on for o in zh_llm_digest.FORMAT.parse(text, two_dates).observations} == {None}
    dated = "## 2031-01-02 论文速递\n\n" + text
    obs = zh_llm_digest.FORMAT.parse(dated, "https://example.org/digest.md").observations
    assert {o.listed_on for o in obs} == {dt.date(2031, 1, 2)}


def test_llm_digest_keeps_a_stated_institution():
    text = ("作为虚构的示例，这里是今天的论文解读，内容全部是编造的，仅用于测试解析器。\n\n"
            "#### 1. **[Lantern Nets: Glowing Gradients](https://huggingface.co/papers/3101.00042)** (👍 1,204)\n"
            "*   **研究机构/作者**：虚构研究院\n"
            "*   **核心痛点与创新点**：提出了 **Lantern** 方法。\n")
    assert zh_llm_digest.sniff(text, "file:///x.md")
    (obs,) = zh_llm_digest.FORMAT.parse(text, "file:///x.md").observations
    assert (obs.upvotes, obs.organization, obs.summary) == (1204, "虚构研究院", "提出了 Lantern 方法。")
    assert "affiliation_note" not in obs.extra


@needs_shared
@pytest.mark.parametrize("codec", CODECS)
def test_llm_digest_mojibake_variants_equal_the_clean_post(codec):
    text, url = sample(LLM_DIGEST)
    clean = read_page(url, text.encode("utf-8"), {}, mtime=MTIME)
    assert clean.document.format == "digest-zh-llm"
    result = read_page(url, text.encode("utf-8").decode(codec).encode("utf-8"), {}, mtime=MTIME)
    assert result.document.format == "digest-zh-llm"
    assert result.document.mojibake and result.document.repair == f"roundtrip:{codec}"
    assert dumps(result.observations) == dumps(clean.observations)


def test_llm_digest_without_items_is_an_error():
    with pytest.raises(PageError, match="no '#### N."):
        zh_llm_digest.FORMAT.parse("#### 1. **没有链接** (👍 3)\n", "file:///x.md")


# -- which format takes which file ---------------------------------------------------------
@needs_shared
def test_each_chinese_sniffer_takes_only_its_own_files():
    newsletter_md, _ = sample(f"{NEWSLETTER}.md")
    newsletter_html, _ = sample(f"{NEWSLETTER}.html")
    llm, _ = sample(LLM_DIGEST)
    assert not zh_llm_digest.sniff(newsletter_md, "") and not zh_llm_digest.sniff(newsletter_html, "")
    assert not zh_newsletter.sniff(llm, "")
    others = [p for p in (SHARED / "samples").rglob("*.md") if "zh-" not in str(p)]
    others += sorted((SHARED / "seeds").glob("*"))
    assert others
    for path in others:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not zh_newsletter.sniff(text, path.as_uri()), path
        assert not zh_llm_digest.sniff(text, path.as_uri()), path


@needs_shared
def test_registered_before_generic_the_chinese_formats_win():
    for rel, name in ((f"{NEWSLETTER}.md", "digest-zh-newsletter"),
                      (f"{NEWSLETTER}.html", "digest-zh-newsletter"),
                      (LLM_DIGEST, "digest-zh-llm")):
        text, url = sample(rel)
        assert read_page(url, text.encode("utf-8"), {}, mtime=MTIME).document.format == name
