"""Paper links written without their scheme ("arxiv.org/abs/ID", "hf.co/papers/ID"), as social
posts and plain-text digests write them, are paper links as if they had "https://"; an
address that only contains such a host or path is not one. All texts here are made up."""

from __future__ import annotations

import re

import pytest

from scrapers.pages.base import PageError
from scrapers.pages.digests import generic
from scrapers.pages.digests.post_sections import has_paper_link, paper_links

URL = "file:///digests/2026-11-04-post.md"


def _fields(text: str) -> list[tuple]:
    parsed = generic.parse(text, URL)
    return sorted(((o.arxiv_id or "", o.arxiv_version, o.url, o.title, o.rank, o.upvotes, o.comments, o.listed_on,
                   bool(o.extra.get("citation")), o.extra.get("hf_url")) for o in parsed.observations),
                  key=repr)


def _with_https(text: str) -> str:
    return re.sub(r"(?<![\w./])((?:www\.)?(?:arxiv\.org|huggingface\.co|hf\.co)/)", r"https://\1", text)


@pytest.mark.parametrize("written, paper", [
    ("arxiv.org/abs/2611.04101", "2611.04101"),
    ("www.arxiv.org/pdf/2611.04202v2", "2611.04202v2"),
    ("arxiv.org/html/2611.04303v1", "2611.04303v1"),
    ("huggingface.co/papers/2611.04404", "2611.04404"),
    ("hf.co/papers/2611.04505", "2611.04505"),
    ("ArXiv.org/abs/2611.04606", "2611.04606"),
])
def test_a_link_without_its_scheme_is_a_paper_link(written, paper):
    for text in (f"Read this one: {written}.", f"👉 {written}", f"({written})", f"— {written} —"):
        links = paper_links(text)
        assert [str(aid) for aid, _, _ in links] == [paper], text
        assert links[0][1] == written
        assert has_paper_link(text)


@pytest.mark.parametrize("text", [
    "myarxiv.org/abs/2611.04101",
    "notarxiv.org/abs/2611.04101",
    "mirror.arxiv.org/abs/2611.04101",
    "web.archive.org/web/2026/arxiv.org/abs/2611.04101",
    "example.com/?u=arxiv.org/abs/2611.04101",
    "user@arxiv.org/abs/2611.04101",
    "myhf.co/papers/2611.04101",
    "nothuggingface.co/papers/2611.04101",
    "arxiv.org/list/cs.CL/2611.04101",
    "arxiv.org.example.com/abs/2611.04101",
])
def test_a_longer_host_or_path_is_no_paper_link(text):
    assert paper_links(text) == []
    assert not has_paper_link(text)


def test_a_post_of_schemeless_links_is_read_not_rejected():
    text = ("Three papers from the HF daily list, Nov 4 2026\n\n"
            "Cheap Reward Models for Code — arxiv.org/abs/2611.04101\n\n"
            "Sparse Video Tokenizers — hf.co/papers/2611.04202\n")
    assert generic.sniff(text, URL)
    assert {o.arxiv_id for o in generic.parse(text, URL).observations} == {"2611.04101", "2611.04202"}


def test_a_plain_post_without_any_paper_link_is_still_refused():
    text = "Nothing today: myarxiv.org/abs/2611.04101 is a mirror we do not read.\n"
    assert not generic.sniff(text, URL)
    with pytest.raises(PageError):
        generic.parse(text, URL)


LIST = """# Daily papers, 2026-11-04

1. Cheap Reward Models for Code arxiv.org/abs/2611.04101
   👍 88 · 💬 6
2. Sparse Video Tokenizers — www.arxiv.org/pdf/2611.04202v2
   👍 54
3. [Grounded Table Reasoning](arxiv.org/abs/2611.04303) · [HF](huggingface.co/papers/2611.04303)
   👍 40 · 💬 2
4. **Listening to Code Reviews** hf.co/papers/2611.04404
   👍 19

Last week we covered arxiv.org/abs/2610.28101 as well.
"""


def test_a_list_of_schemeless_links_reads_as_with_https():
    assert _with_https(LIST) != LIST
    assert _fields(LIST) == _fields(_with_https(LIST))


def test_a_list_of_schemeless_links_gives_ids_titles_ranks_and_counts():
    by_id = {row[0]: row for row in _fields(LIST)}
    assert by_id["2611.04101"][2:8] == ("https://arxiv.org/abs/2611.04101", "Cheap Reward Models for Code", 1, 88, 6,
                                        by_id["2611.04101"][7])
    assert by_id["2611.04101"][7] is not None and str(by_id["2611.04101"][7]) == "2026-11-04"
    assert by_id["2611.04202"][1:5] == (2, "https://www.arxiv.org/pdf/2611.04202v2", "Sparse Video Tokenizers", 2)
    assert by_id["2611.04303"][3:7] == ("Grounded Table Reasoning", 3, 40, 2)
    assert by_id["2611.04303"][9] == "https://huggingface.co/papers/2611.04303"
    assert by_id["2611.04404"][2:6] == ("https://hf.co/papers/2611.04404", "Listening to Code Reviews", 4, 19)
    assert by_id["2610.28101"][8] and by_id["2610.28101"][3] is None and by_id["2610.28101"][4] is None


def test_a_near_miss_host_is_not_a_paper_of_the_list():
    text = LIST.replace("hf.co/papers/2611.04404", "myhf.co/papers/2611.04404")
    rows = _fields(text)
    assert "2611.04404" not in {row[0] for row in rows}
    assert len(rows) == 5  # the fourth item is a mention: no id, no title of a paper's
