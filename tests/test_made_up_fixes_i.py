"""Set-i's shapes, each written here from scratch as a short made-up digest: pages of
generated sites (Hexo, Hugo, MkDocs, WordPress) with their sidebars and notes, GitHub
issues of a bot, newsletters with yesterday's and this week's lists on one page, tables of
docs exports, blog editors and terminals. Each test states what a reader must not store (a
false value), and what it may."""

from __future__ import annotations

from scrapers.pages.digests.item_fields import split_authors
from scrapers.pages.digests.markup import html_to_markdown, inline_html_to_markdown

from .test_made_up_fixes_h import D, listed, read  # a document saved under a name, its listed papers


HEXO = """\
<html><body>
<article><h1>每日论文 2031-03-14</h1>
<blockquote><p>更新：第 2 篇的点赞数后来变了；第 3 篇已撤稿。</p></blockquote>
<h2>1. Lichen Growth from Time-Lapse</h2>
<p>arXiv: <a href="https://arxiv.org/abs/3103.14001">3103.14001</a> ｜ 👍 52</p>
<h2>2. Burrow Moisture from Seismic Noise</h2>
<p>arXiv: <a href="https://arxiv.org/abs/3103.14002">3103.14002</a> ｜ 👍 31</p>
<h2>3. Quiet Ferns</h2>
<p>arXiv: <a href="https://arxiv.org/abs/3103.14003">3103.14003</a> ｜ 👍 20</p>
</article>
<aside class="sidebar"><div>热门论文</div><ul>
<li><a href="https://arxiv.org/abs/3102.07007">Old Favourite One</a> 👍 512</li>
<li><a href="https://arxiv.org/abs/3102.07008">Old Favourite Two</a> 👍 430</li>
</ul></aside>
</body></html>
"""


def test_an_ordinal_in_a_note_is_no_count_of_the_list_that_confirms_a_sidebar():
    # "第 2 篇" is "the second article": read as "2 articles" it confirmed the sidebar's two
    # popular papers as the day's list, and the headed papers became citations.
    items = listed(read(HEXO, "2031-03-14-daily.html"))
    assert set(items) == {"3103.14001", "3103.14002", "3103.14003"}
    assert items["3103.14001"].upvotes == 52 and items["3103.14001"].rank == 1


NEWSLETTER = """\
# Morning Matrix — Friday, March 14, 2031

## Yesterday's top (Thursday, March 13)

1. [Lichen Growth from Time-Lapse](https://arxiv.org/abs/3103.13001) — 52 upvotes
2. [Burrow Moisture from Seismic Noise](https://arxiv.org/abs/3103.13002) — 31 upvotes

## This week's top (March 9 – 13)

1. [Old Favourite One](https://arxiv.org/abs/3103.10007) — 140 upvotes
2. [Lichen Growth from Time-Lapse](https://arxiv.org/abs/3103.13001) — 52 upvotes
"""


def test_yesterdays_list_in_a_newsletter_takes_the_day_its_heading_names_not_the_issues():
    items = listed(read(NEWSLETTER, "2031-03-14-matrix.md"))
    assert items["3103.13001"].listed_on == D(2031, 3, 13)
    assert items["3103.13002"].listed_on == D(2031, 3, 13)
    assert items["3103.13002"].upvotes == 31


def test_the_weeks_list_beside_it_has_no_day():
    items = listed(read(NEWSLETTER, "2031-03-14-matrix.md"))
    assert items["3103.10007"].listed_on is None


def test_yesterday_without_a_day_gives_no_day():
    text = NEWSLETTER.replace(" (Thursday, March 13)", "")
    items = listed(read(text, "2031-03-14-matrix.md"))
    assert items["3103.13002"].listed_on is None


TASKS = """\
## Triage — 2031-03-14

- [x] **#1** [3103.14001](https://arxiv.org/abs/3103.14001) Lichen Growth from Time-Lapse — 👍 52
- [ ] **#2** [3103.14002](https://arxiv.org/abs/3103.14002) Burrow Moisture from Seismic Noise — 👍 31
- [ ] #3 [3103.14003](https://arxiv.org/abs/3103.14003) Quiet Ferns — 👍 20
"""


def test_a_task_lists_box_and_a_hash_number_are_no_part_of_the_title_and_the_number_is_the_rank():
    items = listed(read(TASKS, "2031-03-14-triage.md"))
    assert [items[i].title for i in ("3103.14001", "3103.14002", "3103.14003")] == [
        "Lichen Growth from Time-Lapse", "Burrow Moisture from Seismic Noise", "Quiet Ferns"]
    assert [items[i].rank for i in ("3103.14001", "3103.14002", "3103.14003")] == [1, 2, 3]


def test_a_bullet_that_leads_with_a_plain_number_is_not_ranked():
    text = "# Picks — 2031-03-14\n\n- 3 ideas: [Quiet Ferns](https://arxiv.org/abs/3103.14003)\n" \
           "- [Lichen Growth from Time-Lapse](https://arxiv.org/abs/3103.14001)\n"
    items = listed(read(text, "2031-03-14-picks.md"))
    assert {o.rank for o in items.values()} == {None}


MERGED = """\
<h1>Shelf — 2031-03-14</h1>
<table>
<thead><tr><th>Area</th><th>Rank</th><th>Paper</th><th>Votes</th><th>Links</th></tr></thead>
<tbody>
<tr><td rowspan="2">Vision</td><td>1</td><td><b>Lichen Growth from Time-Lapse</b><br><i>Ada Moss, Ivo Fern et al.</i></td><td>52</td><td><a href="https://arxiv.org/abs/3103.14001">arXiv</a></td></tr>
<tr><td>3</td><td><b>Quiet Ferns</b><br><i>Ola Reed</i></td><td>20</td><td><a href="https://arxiv.org/abs/3103.14003">arXiv</a></td></tr>
<tr><td>Soil</td><td>2</td><td><b>Burrow Moisture from Seismic Noise</b></td><td>31</td><td><a href="https://arxiv.org/abs/3103.14002">arXiv</a></td></tr>
</tbody>
</table>
"""


def test_a_row_under_a_merged_cell_keeps_its_cells_under_their_headers_in_markdown():
    # Without the slot the merged "Vision" takes from it, the second row's rank was read as
    # its area, its title as its rank, and its count and paper shifted with them.
    rows = [ln for ln in html_to_markdown(MERGED).splitlines() if "3103.14003" in ln]
    assert [c.strip() for c in rows[0].strip("|").split("|")][:4] == ["", "3", "**Quiet Ferns** *Ola Reed*", "20"]


def test_a_row_under_a_merged_cell_is_read_with_its_own_values():
    items = listed(read("# Shelf\n\n" + MERGED, "2031-03-14-shelf.md"))
    assert items["3103.14003"].rank == 3 and items["3103.14003"].upvotes == 20
    assert items["3103.14003"].title == "Quiet Ferns"


def test_a_title_cell_that_opens_in_bold_is_titled_by_the_bold_words_not_the_authors_after_them():
    items = listed(read("# Shelf\n\n" + MERGED, "2031-03-14-shelf.md"))
    assert items["3103.14001"].title == "Lichen Growth from Time-Lapse"
    assert items["3103.14002"].title == "Burrow Moisture from Seismic Noise"


def test_a_markdown_title_cell_that_opens_in_bold_is_titled_by_the_bold_words():
    text = ("# Shelf — 2031-03-14\n\n| Rank | Paper | Votes | Links |\n|---|---|---|---|\n"
            "| 1 | **Lichen Growth from Time-Lapse** *Ada Moss, Ivo Fern et al.* | 52 | [arXiv](https://arxiv.org/abs/3103.14001) |\n"
            "| 2 | **Quiet Ferns** | 20 | [arXiv](https://arxiv.org/abs/3103.14003) |\n")
    items = listed(read(text, "2031-03-14-shelf.md"))
    assert items["3103.14001"].title == "Lichen Growth from Time-Lapse"
    assert items["3103.14003"].title == "Quiet Ferns"


def test_a_number_written_before_the_next_emoji_marker_is_that_markers():
    text = ("# Daily papers — 2031-03-14\n\n"
            "1. [Lichen Growth from Time-Lapse](https://arxiv.org/abs/3103.14001) 1.3k 👍 41 💬\n"
            "2. [Quiet Ferns](https://arxiv.org/abs/3103.14003) 👍 20 💬 3\n")
    items = listed(read(text, "2031-03-14-daily.md"))
    assert items["3103.14001"].upvotes is None  # rounded, and 41 is the comments'
    assert items["3103.14003"].upvotes == 20 and items["3103.14003"].comments == 3


def test_a_count_in_bold_before_its_word_is_read():
    # "<strong>77</strong> upvotes" in a Hugo post comes out as "**77** upvotes".
    text = ("# Daily pick-list: 2031-03-14\n\n### 1. Lichen Growth from Time-Lapse\n\n"
            "[arXiv 3103.14001](https://arxiv.org/abs/3103.14001) · **77** upvotes · **5** comments\n")
    items = listed(read(text, "2031-03-14-picks.md"))
    assert items["3103.14001"].upvotes == 77 and items["3103.14001"].comments == 5


TOP_AND_CATEGORIES = """\
# Daily digest · 2031-03-14

## Top 3 overall

| # | Title | ID | Upvotes |
|---|---|---|---|
| 1 | Lichen Growth from Time-Lapse | [3103.14001](https://arxiv.org/abs/3103.14001) | 52 |
| 2 | Burrow Moisture from Seismic Noise | [3103.14002](https://arxiv.org/abs/3103.14002) | 31 |
| 3 | Quiet Ferns | [3103.14003](https://arxiv.org/abs/3103.14003) | 20 |

## cs.CV

| # | Title | ID | Upvotes |
|---|---|---|---|
| 1 | Burrow Moisture from Seismic Noise | [3103.14002](https://arxiv.org/abs/3103.14002) | 31 |
| 2 | Moss Counting in Drone Images | [3103.14009](https://arxiv.org/abs/3103.14009) | 9 |
"""


def test_a_category_table_numbered_again_neither_clashes_with_the_top_lists_ranks_nor_ranks_its_own():
    items = listed(read(TOP_AND_CATEGORIES, "2031-03-14-digest.md"))
    assert [items[i].rank for i in ("3103.14001", "3103.14002", "3103.14003")] == [1, 2, 3]
    assert items["3103.14009"].rank is None and items["3103.14009"].extra["position"] == 2
    assert items["3103.14009"].upvotes == 9


WRAPPED = """\
<html><body><article><h1>每日论文 | 2031.3.14</h1>
<h2>1. Lichen Growth from Time-Lapse</h2>
<p>作者：Sun Qiao（浙江大学）、Ilse Maarten（Delft Robotics Group）等</p>
<p>链接：<a href="https://link.zhihu.com/?target=https%3A//arxiv.org/abs/3103.14001">https://arxiv.org/abs/3103.14001</a></p>
<p>点赞：52</p>
<h2>2. Quiet Ferns</h2>
<p>作者：Ola Reed [Fernbank Institute]</p>
<p>链接：<a href="https://link.zhihu.com/?target=https%3A//arxiv.org/abs/3103.14003">https://arxiv.org/abs/3103.14003</a></p>
<p>点赞：20</p>
</article></body></html>
"""


def test_a_link_a_platform_wraps_in_a_redirect_is_the_papers():
    items = listed(read(WRAPPED, "2031-03-14-column.html"))
    assert set(items) == {"3103.14001", "3103.14003"}
    assert items["3103.14001"].url == "https://arxiv.org/abs/3103.14001"
    assert items["3103.14001"].upvotes == 52 and items["3103.14001"].rank == 1


def test_affiliations_in_full_width_or_square_brackets_are_no_part_of_a_name():
    assert split_authors("Sun Qiao（浙江大学）、Ilse Maarten（Delft Robotics Group）等") == (["Sun Qiao", "Ilse Maarten"], True)
    assert split_authors("Mira Castell [Ebbridge University], Joon-ho Seo [Tidewater Labs], et al.") == (
        ["Mira Castell", "Joon-ho Seo"], True)
    assert split_authors("[Ana Li, Bo Chen]") == (["Ana Li", "Bo Chen"], False)


def test_a_wrapped_links_authors_lose_their_affiliations():
    items = listed(read(WRAPPED, "2031-03-14-column.html"))
    assert items["3103.14001"].authors == ["Sun Qiao", "Ilse Maarten"]
    assert items["3103.14003"].authors == ["Ola Reed"]


DOCS_EXPORT = """\
# 组内论文日报 2031-03-14

<table>
<colgroup><col width="60"><col width="320"><col width="120"><col width="100"></colgroup>
<tbody>
<tr><td><b>#</b></td><td><b>论文</b></td><td><b>arXiv</b></td><td><b>赞</b></td></tr>
<tr><td>1</td><td>Lichen Growth from Time-Lapse</td><td>3103.14001</td><td>52</td></tr>
<tr><td>2</td><td>Quiet Ferns</td><td>3103.14003</td><td>20</td></tr>
</tbody>
</table>

- [ ] 组会前读完
"""


def test_an_html_table_in_markdown_is_read_as_a_table_with_its_bold_first_row_as_header():
    items = listed(read(DOCS_EXPORT, "2031-03-14-export.md"))
    assert set(items) == {"3103.14001", "3103.14003"}
    assert items["3103.14003"].title == "Quiet Ferns"
    assert items["3103.14003"].rank == 2 and items["3103.14003"].upvotes == 20


def test_a_bold_first_row_is_a_tables_header():
    md = html_to_markdown(DOCS_EXPORT.split("\n", 2)[2])
    assert md.splitlines()[0] == "| **#** | **论文** | **arXiv** | **赞** |"
    assert md.splitlines()[1].startswith("| --- |")


def test_a_column_of_bare_ids_headed_paper_names_its_rows_papers():
    text = ("# Tuesday papers — 2031-03-14\n\n| Upvotes | Title | Paper |\n|--:|---|---|\n"
            "| 52 | Lichen Growth from Time-Lapse | 3103.14001 |\n| 20 | Quiet Ferns | 3103.14003 |\n")
    items = listed(read(text, "2031-03-14-export.md"))
    assert items["3103.14003"].title == "Quiet Ferns" and items["3103.14003"].upvotes == 20


def test_an_html_table_in_a_markdown_file_becomes_a_pipe_table_not_run_together_cells():
    md = inline_html_to_markdown(DOCS_EXPORT)
    assert "| 2 | Quiet Ferns | 3103.14003 | 20 |" in md.splitlines()


EMOJI_COLUMNS = """\
# 1 月 14 日论文热榜 2031-03-14

| 排名 | 论文 | 👍 | 💬 | 作者 |
| --- | --- | --- | --- | --- |
| 1 | [Lichen Growth from Time-Lapse](https://arxiv.org/abs/3103.14001) | 52 | 4 | Ada Moss 等 |
| 2 | [Quiet Ferns](https://arxiv.org/abs/3103.14003) | 20 | 1 | Ola Reed, Ivo Fern |
"""


def test_a_column_headed_by_an_emoji_gives_its_count_and_an_authors_column_its_names():
    items = listed(read(EMOJI_COLUMNS, "2031-03-14-hot.md"))
    assert items["3103.14001"].upvotes == 52 and items["3103.14001"].comments == 4
    assert items["3103.14001"].authors == ["Ada Moss"] and items["3103.14001"].extra.get("authors_truncated")
    assert items["3103.14003"].authors == ["Ola Reed", "Ivo Fern"]


def test_an_authors_column_of_numbers_gives_no_names():
    text = ("# Reading list — 2031-03-14\n\n| Paper | Authors | Pages |\n|---|---|---|\n"
            "| [Quiet Ferns](https://arxiv.org/abs/3103.14003) | 7 | 24 |\n"
            "| [Lichen Growth from Time-Lapse](https://arxiv.org/abs/3103.14001) | 3 | 12 |\n")
    items = listed(read(text, "2031-03-14-list.md"))
    assert items["3103.14003"].authors == []


EDITOR_TABLE = """\
<html><body><h1>[논문 리뷰] 2031. 3. 14. 데일리 페이퍼</h1>
<table border="1"><tbody>
<tr><td>순위</td><td>추천</td><td>제목</td><td>링크</td></tr>
<tr><td>1</td><td>52</td><td>Lichen Growth from Time-Lapse</td><td><a href="https://arxiv.org/abs/3103.14001">3103.14001</a></td></tr>
<tr><td>2</td><td>20</td><td>Quiet Ferns</td><td><a href="https://arxiv.org/abs/3103.14003">3103.14003</a></td></tr>
</tbody></table></body></html>
"""


def test_a_first_row_of_header_words_in_td_cells_heads_the_table():
    items = listed(read(EDITOR_TABLE, "2031-03-14-review.html"))
    assert items["3103.14003"].title == "Quiet Ferns"
    assert items["3103.14003"].rank == 2 and items["3103.14003"].upvotes == 20
    md = html_to_markdown(EDITOR_TABLE)
    assert "| 순위 | 추천 | 제목 | 링크 |" in md.splitlines()


def test_a_medal_in_a_rank_column_is_its_place():
    text = ("# Today: 2031-03-14\n\n| Rank | Title | Upvotes | Links |\n|:--:|---|:--:|---|\n"
            "| 🥇 | **Lichen Growth from Time-Lapse** | 52 | [📄 arXiv](https://arxiv.org/abs/3103.14001) |\n"
            "| 🥈 | **Quiet Ferns** | 20 | [📄 arXiv](https://arxiv.org/abs/3103.14003) |\n")
    items = listed(read(text, "2031-03-14-readme.md"))
    assert items["3103.14001"].rank == 1 and items["3103.14003"].rank == 2


TERMINAL = """\
$ papers show --date 2031-03-14
            Daily papers · 2031-03-14
┏━━━━━┳━━━━━━━━━━━━┳━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Pos ┃ Paper      ┃  Up  ┃ Cmts ┃ Title                    ┃
┡━━━━━╇━━━━━━━━━━━━╇━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│   1 │ 3103.14001 │   52 │    4 │ Lichen Growth from       │
│     │            │      │      │ Time-Lapse               │
│   2 │ 3103.14003 │   20 │    0 │ Quiet Ferns              │
└─────┴────────────┴──────┴──────┴──────────────────────────┘
2 of 31 shown
"""


def test_a_table_drawn_with_box_characters_is_read_with_its_wrapped_cells_joined():
    items = listed(read(TERMINAL, "2031-03-14-terminal.txt"))
    assert set(items) == {"3103.14001", "3103.14003"}
    assert items["3103.14001"].title == "Lichen Growth from Time-Lapse"
    assert (items["3103.14001"].rank, items["3103.14001"].upvotes, items["3103.14001"].comments) == (1, 52, 4)
    assert items["3103.14003"].listed_on == D(2031, 3, 14)


def test_an_html_tables_authors_column_gives_the_rows_authors():
    text = """<html><body><h1>2031-03-14</h1><table>
<thead><tr><th>#</th><th>Paper</th><th>Authors</th><th>Upvotes</th></tr></thead><tbody>
<tr><td>1</td><td><a href="https://arxiv.org/abs/3103.14001">Lichen Growth from Time-Lapse</a></td><td>Ada Moss, Ivo Fern, et al.</td><td>52</td></tr>
<tr><td>2</td><td><a href="https://arxiv.org/abs/3103.14003">Quiet Ferns</a></td><td>Ola Reed</td><td>20</td></tr>
</tbody></table></body></html>"""
    items = listed(read(text, "2031-03-14-archive.html"))
    assert items["3103.14001"].authors == ["Ada Moss", "Ivo Fern"] and items["3103.14001"].extra["authors_truncated"]
    assert items["3103.14003"].authors == ["Ola Reed"]


VUEPRESS = """\
<html><body><main><h1 id="d"><a class="header-anchor" href="#d" aria-hidden="true">#</a> 2031-03-14</h1>
<h2 id="_1-lichen"><a class="header-anchor" href="#_1-lichen" aria-hidden="true">#</a> 1. Lichen Growth from Time-Lapse</h2>
<ul><li>arXiv: <a href="https://arxiv.org/abs/3103.14001">3103.14001<span><svg class="external-link-icon"><path d="M1"></path></svg><span class="external-link-icon-sr-only">open in new window</span></span></a></li>
<li>Upvotes: 52</li></ul>
<h2 id="_2-ferns"><a class="header-anchor" href="#_2-ferns" aria-hidden="true">#</a> 2. Quiet Ferns</h2>
<ul><li>arXiv: <a href="https://arxiv.org/abs/3103.14003">3103.14003<span><svg class="external-link-icon"><path d="M1"></path></svg><span class="external-link-icon-sr-only">open in new window</span></span></a></li>
<li>Upvotes: 20</li></ul>
</main></body></html>
"""


def test_a_headings_anchor_and_a_links_screen_reader_words_are_no_part_of_what_they_say():
    md = html_to_markdown(VUEPRESS)
    assert "## 1. Lichen Growth from Time-Lapse" in md.splitlines()
    assert "[3103.14001](https://arxiv.org/abs/3103.14001)" in md
    items = listed(read(VUEPRESS, "2031-03-14-notes.html"))
    assert (items["3103.14003"].rank, items["3103.14003"].title, items["3103.14003"].upvotes) == (2, "Quiet Ferns", 20)


def test_a_place_written_in_korean_or_japanese_is_the_rank_and_not_the_title():
    text = ("# 오늘의 논문 2031-03-14\n\n## 🥇 1위 — Lichen Growth from Time-Lapse\n"
            "- 🔗 [arxiv.org/abs/3103.14001](https://arxiv.org/abs/3103.14001)\n- 👍 52\n\n"
            "## 🥈 2위 — Quiet Ferns\n- 🔗 [arxiv.org/abs/3103.14003](https://arxiv.org/abs/3103.14003)\n- 👍 20\n")
    items = listed(read(text, "2031-03-14-velog.md"))
    assert (items["3103.14001"].rank, items["3103.14001"].title) == (1, "Lichen Growth from Time-Lapse")
    assert (items["3103.14003"].rank, items["3103.14003"].title) == (2, "Quiet Ferns")


def test_an_emoji_marker_after_its_number_is_read_and_not_after_another_markers_number():
    text = ("# Daily papers — 2031-03-14\n\n"
            "1. [Lichen Growth from Time-Lapse](https://arxiv.org/abs/3103.14001) 87 👍 · 6 💬\n"
            "2. [Quiet Ferns](https://arxiv.org/abs/3103.14003) 👍 20 💬 3\n"
            "3. [Burrow Moisture from Seismic Noise](https://arxiv.org/abs/3103.14002) 12👍\n")
    items = listed(read(text, "2031-03-14-daily.md"))
    assert (items["3103.14001"].upvotes, items["3103.14001"].comments) == (87, 6)
    assert (items["3103.14003"].upvotes, items["3103.14003"].comments) == (20, 3)
    assert items["3103.14002"].upvotes == 12
