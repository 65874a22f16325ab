"""Reading the fields of one digest item, whatever markup it came in: labelled counts,
``Label: value`` lines, link texts that name a link rather than a paper, titles in another
script, cleaned lead text.

Shared by the Markdown reader (:mod:`.generic`) and the card reader (:mod:`.card_items`),
so both read a count, a label or a title by the same rules. The rules all say the same
thing: a value is read only when the document states it as that value; anything less
certain is left empty.
"""

from __future__ import annotations

import re
import unicodedata

from reconcile.ids import parse_arxiv_id
from reconcile.text import collapse_whitespace

from ..base import NAME_SUFFIX

# A number, read from its first digit only: starting inside a long run of digits would
# rescan the run from every position (quadratic on a line of 10,000 digits); nor from
# after a decimal point ("2.5 upvotes" is no count of 5). A comma separates thousands
# only in groups of three ("1,234"): "1,2 upvotes" (a decimal comma) is no count of 12.
_N = r"(?<![\d,])(?<!\d\.)(\d{1,3}(?:,\d{3})++(?![,\d])|\d++(?!,\d))"
# marker name -> (pattern whose group 1 is the number, observation field it fills). A
# number is a count only when its own label is next to it: "143 upvotes", "Upvotes: 12",
# "👍 12", "12 👍" (not after another marker: "👍 41 💬 3"), "8 comments". (When it fails: a
# title that ends in a number written before a lone 👍, "Qwen 2 👍", gives that number.) A label before its number needs a colon ("Upvotes: 12"): without
# one, "143 upvotes · 8 comments" would read as "upvotes 8". Stars are usually GitHub
# stars, so a bare ⭐ is kept apart (``extra.stars``), never taken for upvotes. A label and
# its number share a line: "Pages: 14" over "Comments: 3" is no "14 comments".
COUNT_MARKERS: dict[str, tuple[re.Pattern[str], str]] = {
    "👍 N": (re.compile(rf"👍[ \t]*{_N}"), "upvotes"),
    "Upvotes: N": (re.compile(rf"\bupvotes?\b[*_]*[ \t]*[:：][ \t]*[*_]*[ \t]*{_N}", re.I), "upvotes"),
    "N upvotes": (re.compile(rf"{_N}(?:\*\*|__)?[ \t]*upvotes?\b", re.I), "upvotes"),
    "Vote: N": (re.compile(rf"\bvotes?\b[*_]*[ \t]*[:：][ \t]*[*_]*[ \t]*{_N}", re.I), "upvotes"),
    "Likes: N": (re.compile(rf"\blikes?\b[*_]*[ \t]*[:：][ \t]*[*_]*[ \t]*{_N}", re.I), "upvotes"),
    "点赞/좋아요: N": (re.compile(rf"(?:点赞|赞同|좋아요|추천수?|いいね)[ \t]*[:：]?[ \t]*{_N}"), "upvotes"),
    "评论/댓글: N": (re.compile(rf"(?:评论|評論|댓글|コメント)[ \t]*[:：]?[ \t]*{_N}"), "comments"),
    "⭐ N upvotes": (re.compile(rf"⭐[ \t]*{_N}(?=[^\n]{{0,20}}(?:upvote|vote|like|👍))", re.I), "upvotes"),
    "N comments": (re.compile(rf"{_N}(?:\*\*|__)?[ \t]*comments?\b", re.I), "comments"),
    "Comments: N": (re.compile(rf"\bcomments?\b[*_]*[ \t]*[:：][ \t]*[*_]*[ \t]*{_N}", re.I), "comments"),
    "💬 N": (re.compile(rf"💬[ \t]*{_N}"), "comments"),
    "N 👍": (re.compile(rf"{_N}[ \t]*👍"), "upvotes"),
    "N 💬": (re.compile(rf"{_N}[ \t]*💬"), "comments"),
    "⭐ N": (re.compile(rf"⭐[ \t]*{_N}"), "extra.stars"),
}

# A paper page's address written without its scheme, as posts and plain text do
# ("arxiv.org/abs/2609.01234", "hf.co/papers/..."): a paper link as if it had "https://",
# but only where the host starts there (not "myarxiv.org/abs/...", not inside another
# address's host or path).
SCHEMELESS_PAPER = (r"(?<![\w.@/\\=?&#%~+-])(?:www\.)?(?:arxiv\.org/(?:abs|pdf|html)|(?:huggingface|hf)\.co/papers)"
                    r"/(?=[^\W_])")
# A link's text holds no "[": an unclosed "[" then stops at the next one instead of being
# scanned to the end of the text from every "[" (quadratic on a line of brackets).
# A Markdown code fence line (``` or ~~~): the lines up to the next one are code, not text to read.
FENCE = re.compile(r"^\s*(```|~~~)")
MD_LINK = re.compile(r"(!?)\[((?:[^\[\]]|(?<!!)\[[^\[\]]*\])*)\]\(\s*<?((?:https?://|" + SCHEMELESS_PAPER
                     + r")[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# Runs of spaces are taken whole (possessive "*+"): with two optional space runs side by
# side, a line of spaces would be split between them in every way (a 16,000-space line
# took 50 s).
LABEL = re.compile(r"^\s*+(?:[-*+]\s++)?[*_]*+\s*+([^\s:：*_][^:：\n]{0,24}?)\s*+[*_]*+\s*+[:：]\s*+[*_]*+\s*+(.*)$")
# A number that leads an item: "3.", "3)", "3、", "[3]", a keycap emoji ("3️⃣", "1️⃣2️⃣",
# "🔟"), the numbering of posts written for LinkedIn, Telegram and the like, or "#3" (in
# bold or not: "**#3** Title", a bot's task list, a team's log), or a place in Korean or
# Japanese ("1위 — Title", "🥇 1位：Title"), a medal before it.
KEYCAP = r"(?:\d\ufe0f?\u20e3){1,2}|\U0001F51F"
RANK = re.compile(r"^\s*+(?:\*\*|__)?\s*+(?:[🥇🥈🥉]\s*+)?(?:(\d{1,3})\s*+[.)、](?!\d)|\[(\d{1,3})\](?!\()|(" + KEYCAP + r")"
                  r"|#(\d{1,3})(?![\d\w])(?:\*\*|__)?|(\d{1,3})\s*+(?:위|位)(?!\w)(?:\*\*|__)?(?:\s*+[—–:：-])?)\s*+")
# A list item's bullet, and the box of a task list ("- [x] "), before what it says.
BULLET = re.compile(r"^\s*[-*+•]\s+(?:\[[ xX]\]\s+)?")


def rank_number(m: re.Match) -> int:
    """The number a :data:`RANK` match states."""
    if m[3] is not None:
        return 10 if m[3] == "\U0001F51F" else int(re.sub(r"\D", "", m[3]))
    return int(m[1] or m[2] or m[4] or m[5])
BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.DOTALL)
# "Titel im Original: *...*" under a bold German title: the labelled original is arXiv's.
TITLE_LABELS = {"原文标题", "英文标题", "标题", "title", "original title", "paper title", "원제", "제목",
                "논문 제목", "english title", "题目", "題目", "論文標題", "タイトル", "titel", "originaltitel",
                "titel im original", "título", "título original", "titre", "titre original", "titolo",
                "titolo originale"}
AUTHOR_LABELS = {"authors", "author", "作者", "저자", "著者"}
ORG_LABELS = {"기관", "institution", "institutions", "organization", "affiliation", "affiliations",
              "机构", "研究机构", "单位"}
SKIP_LABELS = TITLE_LABELS | AUTHOR_LABELS | ORG_LABELS | {
    "links", "link", "paper", "论文链接", "链接", "code", "pdf", "arxiv", "huggingface", "github"}
META_LABELS = SKIP_LABELS | {"published", "date", "url", "abstract", "summary", "tags", "category"}
# Words a link text is made of when it names the link, not the paper.
GENERIC_WORDS = {
    "paper", "papers", "arxiv", "abs", "pdf", "hf", "huggingface", "hugging", "face", "link", "links",
    "page", "view", "read", "full", "the", "on", "here", "more", "code", "github", "project", "website",
    "demo", "tweet", "thread", "blog", "html", "source", "abstract", "论文", "链接", "原文", "查看",
    "논문", "링크", "페이지", "원문", "hf페이지", "previous", "next", "prev", "back", "home", "top",
    "older", "newer", "index", "permalink", "details", "繁中全文", "全文", "原文链接", "论文链接",
    "untitled",  # Notion's name for a page nobody named
    "doi", "alphaxiv", "export", "openreview", "scholar", "semantic",
    "preprint", "e-print", "eprint", "camera-ready", "camera", "ready", "text", "version", "published"}
# Table column headers that say what a cell holds.
TITLE_HEADERS = {"title", "paper", "paper title", "题目", "標題", "标题", "论文", "論文", "제목", "논문", "タイトル"}
RANK_HEADERS = {"#", "no", "no.", "rank", "pos", "pos.", "position", "排名", "序号", "순위", "번호", "順位"}
COUNT_HEADERS = {"upvotes": "upvotes", "votes": "upvotes", "up": "upvotes", "👍": "upvotes", "likes": "upvotes",
                 "点赞": "upvotes", "赞": "upvotes", "좋아요": "upvotes", "추천수": "upvotes", "추천": "upvotes", "いいね": "upvotes",
                 "comments": "comments", "cmts": "comments", "💬": "comments", "评论": "comments", "評論": "comments",
                 "댓글": "comments", "コメント": "comments", "num_comments": "comments", "numcomments": "comments"}

# A medal in a rank column: its place.
MEDALS = {"🥇": 1, "🥈": 2, "🥉": 3}


def column_rank(cell: str) -> int | None:
    """The rank a rank column's cell states: a whole number from 1, or a medal alone."""
    plain = clean(cell)
    if plain.isdigit() and int(plain) >= 1:
        return int(plain)
    return MEDALS.get(cell.strip().strip("*_ "))


# Headers of a link column, beside those the readers read (a table's header row is known
# by its words when it is written as a row of data).
_LINK_HEADERS = {"link", "links", "url", "paper link", "pdf", "링크", "链接", "鏈接", "リンク"}


def header_labels(texts: list[str]) -> bool:
    """Whether a table's first row, written as a row of data (``<td>``, no ``<th>``), is
    its header all the same: words without a digit in every cell, two of them at least
    naming a column the readers know ("순위 | 추천 | 제목 | 링크", "Rank | Title | Upvotes").
    Why: a blog editor's table (Tistory, Naver, Notion's HTML) has no header cells, and
    its rows were read without columns: no rank, title or count."""
    words = [clean(t).lower() or t.strip() for t in texts]
    known = TITLE_HEADERS | RANK_HEADERS | set(COUNT_HEADERS) | AUTHOR_LABELS | _LINK_HEADERS
    return bool(words) and all(w and not any(c.isdigit() for c in w) for w in words) \
        and sum(w in known for w in words) >= 2
_LIST_LINE = re.compile(r"^\s*(?:[-*+]\s|\d{1,3}[.)]\s|#|\||" + KEYCAP + ")")


def is_generic_label(label: str | None) -> bool:
    """True when a link text names the link (``📄 arXiv``, ``HF 페이지``, ``Previous``), not
    the paper."""
    if not label:
        return True
    words = re.sub(r"[^\w\s]", " ", label.lower()).split()
    return not words or label.strip().startswith("http") or parse_arxiv_id(label) is not None \
        or all(w in GENERIC_WORDS or w.isdigit() for w in words)


# A file name or path: one token with a file extension, or slashes and no space.
_FILE_LIKE = re.compile(r"^[^\s/]*+(?:/[^\s/]*+)++$|^\S*?\.(?:md|markdown|json|jsonl|html?|xml|txt|pdf|csv|ya?ml|py)$",
                        re.IGNORECASE)


def looks_like_file(text: str | None) -> bool:
    """True when ``text`` is a file name or path (``hf-papers-html/paper_2512.15603.md``):
    a listing of files, such as a README's table of saved pages, names files, not papers.
    Why it is safe: a paper title has spaces and no file extension. Fails for a one-word
    title ending in ``.md`` or the like, which no arXiv title is."""
    return bool(text) and _FILE_LIKE.match(text.strip()) is not None


def is_latin(text: str | None, share: float = 0.7) -> bool:
    """True when at least ``share`` of the letters of ``text`` are Latin (or Greek, for
    names like π₀).

    Why: arXiv titles are written in English, so a title in Chinese, Korean or Japanese
    script is a translation or an editor's summary, not the paper's title; comparing it
    with arXiv's would only raise a false title finding. Fails for the rare paper whose
    arXiv title is itself in another script (it is then kept as a translation).
    """
    letters = [c for c in text or "" if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if ord(c) < 0x250 or 0x370 <= ord(c) < 0x400 or 0x1D00 <= ord(c) < 0x1E00
                or 0x1E00 <= ord(c) < 0x2000)
    return latin >= share * len(letters)


# A wiki link, "[[Title]]" or "[[Title|alias]]": its target is the name.
_WIKILINK = re.compile(r"\[\[([^\[\]|\n]{1,300})(?:\|[^\[\]\n]{0,300})?\]\](?!\()")
# Emphasis with one star around words ("*Diffusion* Models"), not a star after a letter ("A*").
# Not a star after "^", "_" or "\\": TeX's A^* and \\epsilon^* in a title are no emphasis.
EMPHASIS = re.compile(r"(?<![\w*^_\\])\*(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*^_\\])\*(?![\w*])")
# A link to a relative or templated address ("[Title]({{ site.baseurl }}/papers/...)"): its text.
_OTHER_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,400})\]\([^()\n]{0,400}\)")
# Template tags and attribute lists a static site generator would have replaced:
# "{{ site.baseurl }}", "{% include ... %}", "{#anchor}".
_TEMPLATE = re.compile(r"\{\{[^{}\n]{0,200}\}\}|\{%[^{}\n]{0,400}%\}|\{:?[#.][\w.-]{1,60}\}")
_BARE_URL = re.compile(r"<?(?:https?://|" + SCHEMELESS_PAPER + r")[^\s<>)\]]+>?")


def clean(text: str) -> str:
    """Lead text as plain words: no images, markers, emphasis, emoji, generic links or bare
    URLs; words struck out (``~~Retrieval~~ Rewriting Heads``: the title as corrected)."""
    text = re.sub(r"~~[^~\n]*~~", "", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = _WIKILINK.sub(r"\1", text)
    text = MD_LINK.sub(lambda m: "" if m[1] or is_generic_label(m[2]) else m[2], text)
    text = _BARE_URL.sub("", text)
    text = _OTHER_LINK.sub(r"\1", _TEMPLATE.sub("", text))
    for name, (pattern, _) in COUNT_MARKERS.items():  # the counts, not a marker's words inside a title
        text = pattern.sub(lambda m: "" if _is_count(m.string, m, name) else m[0], text)
    text = re.sub(r"\*\*|__|`|<[^>]+>", "", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("So", "Cf")
                   and c not in "\ufe0e\ufe0f\u20e3")
    text = re.sub(r"[(（\[]\s*[)）\]]", "", text)
    return collapse_whitespace(text).strip(" -–—|·•:：,")


def label_fields(lines: list[str]) -> dict[str, str]:
    """``Label: value`` lines of an item, label lower-cased -> value; a value goes on over
    the lines that follow it up to a blank line, a list item or another label."""
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = LABEL.match(line)
        if not m or m[1].strip().lower() in out:
            continue
        value = [m[2].strip()]
        for nxt in lines[i + 1:]:
            if not nxt.strip() or LABEL.match(nxt) or _LIST_LINE.match(nxt):
                break
            value.append(nxt.strip())
        out[m[1].strip().lower()] = " ".join(v for v in value if v)
    return out


# What after a count's marker says it is no count, on its line: a word of any script
# ("Comment: 12 pages, 5 figures" is arXiv's comment field; "Why 3 Comments Beat 1,000
# Likes" is a title) other than the label of another count ("Upvotes: 17 Comments: 3"),
# "and", or a counter suffix ("좋아요 12개"); a decimal part ("2.5").
_COUNT_WORDS = r"(?:upvotes?|votes?|likes?|comments?|点赞|赞同|评论|評論|좋아요|추천수?|댓글|いいね|コメント)"
_NOT_A_COUNT_AFTER = re.compile(
    rf"\.\d|[ \t]*+(?!(?:{_COUNT_WORDS}|and|or)(?![a-z])|[개회명个次条件回])[^\W\d_]", re.I)
# A count that a word of summing follows or precedes is a sum over the list, not one
# item's: "Stats for today: 👍 230 total across all papers · 💬 41 comments overall",
# "Total upvotes: 230".
_SUM_WORDS = r"(?:(?:in[ \t]+)?total|totals|overall|altogether|combined|across|in[ \t]+all|合计|总计|總計|共计|总共|합계|전체|合計)"
_SUM_AFTER = re.compile(rf"[ \t]*+(?:{_COUNT_WORDS}[ \t]*+)?\(?{_SUM_WORDS}(?![a-z])", re.I)
# What right after a number says it is not a count as stated: a share ("87%"), a bound
# ("99+"), a ratio ("8/10", "12 / 40"), a change ("45 → 52"), or more digits after a
# space or an apostrophe ("1 234", "1'050": thousands written apart, whose first group
# alone would be read).
# Thousands are also written apart with a thin or a figure space, and in Arabic with U+066C
# (U+066B is its decimal point: "١٫٢ ألف" is 1.2 thousand); a range ("120–130", "40-45")
# states no one count either.
_APART = "\u00a0\u202f\u2009\u2007\u200a'’\u066c\u066b"
_NOT_EXACT_AFTER = re.compile(rf"[ {_APART}]\d|[ \t]*+(?:%|\+|/[ \t]*+\d|→|->|=>|⇒|➔|➜|➝|➞|⟶|⟹|⇨|»|>>"
                              r"|[-–—~][ \t]*+\d|(?:to|or)[ \t]++\d)")
# What right before a number says the same: a sign ("+12 upvotes" is a change), an
# approximation ("~40", "≈ 25"), or digits written apart before it ("2 345 upvotes").
_NOT_EXACT_BEFORE = re.compile(rf"(?:[+\u2212±]|[~≈∼][ \t]*+|\d[ {_APART}]"
                               r"|(?<![\w.:/])\d{1,6}(?:[ \t]*[-–—~][ \t]*|[ \t]+(?:and|to|or)[ \t]+))$")
# Words in the count's own clause (back to a separator on its line) that say the count is
# another thing's or another time's: another site's thread ("Reddit thread: 45 comments",
# "HN comments: 88", "Tweet likes: 300"), a past value ("yesterday: 30 upvotes", "was
# 190", "last week"), a change ("momentum: +12"), a bound ("nearly 100", "at least 30"), or
# other papers ("builds on 2 papers with 40 upvotes").
_ELSEWHERE = re.compile(
    r"(?<![^\W\d_])(?:reddit|hn|hacker[ \t]*+news|twitter|tweets?|x\.com|github|repo|discord|mastodon|bluesky"
    r"|linkedin|youtube|yt|blog|poll|polls|newsletter|substack|facebook|instagram|threads|weibo|zhihu|bilibili"
    r"|telegram|slack|readers?|subscribers?|views?|downloads?|citations?|retweets?|reposts?|shares?|between"
    r"|lobsters|lobste\.rs|thread|site|r/\w+|forum|community|vote[ \t]+in"
    r"|yesterday|last|previously|prev|previous|earlier|was|were|momentum|change|delta|gained|gain|Δ"
    r"|another|additional|extra|added"
    r"|nearly|almost|roughly|around|approx|approximately|about|over|under|least|most|than|up[ \t]+to"
    r"|papers|others)"
    r"(?![^\W\d_])", re.I)
# Where the clause before a count starts: a separator, or the end of a title's markup
# ("**Deep Delta Learning** - 👍 14": the title's words are not the count's clause).
_CLAUSE_END = re.compile(r".*(?:[·|•;,(\[\])*_\"”—–]| -)", re.S)
_OF_ELSEWHERE_AFTER = re.compile(r"[ \t]*+\([ \t]*+(?:on[ \t]+)?(?:reddit|hn|hacker[ \t]*+news|twitter|x|github|linkedin"
                                 r"|discord|youtube|mastodon|bluesky|threads|telegram|slack|blog|poll|newsletter"
                                 r"|facebook|instagram|weibo|zhihu|bilibili)\b", re.I)
# Another reaction and its count right after a thumbs-up's: GitHub's, Discord's or a chat's
# reactions bar, not the paper's upvotes.
_REACTIONS_AFTER = re.compile(r"[ \t]*+(?:[·|,][ \t]*+)?(?:👎|🎉|❤️?|🚀|👀|😄|😕|😂|😮|😢|🙏|💯|🥳)[\ufe0f]?[ \t]*+\d")
# A boost or a heart with its count beside a count: the counters under a social post.
_SOCIAL_BAR = re.compile(r"(?:🔁|🔄|♻️|♥|♡|❤️?)[\ufe0f]?[ \t]*+\d")
# Words before a star that make it a rating, not GitHub's stars ("Rating: ⭐ 4").
_RATING = re.compile(r"(?<![^\W\d_])(?:rating|rated|score|grade|difficulty|stars?\s+out\s+of|meter|must-read"
                     r"|hype|verdict|our\s+pick)(?![^\W\d_])", re.I)
_SUM_BEFORE = re.compile(rf"(?<![a-z]){_SUM_WORDS}[ \t:：]*+$", re.I)


# A number before its label ("50 comments") is no count when a word that leads into a
# phrase comes right before it: "Learning from 50 Comments", "Beyond 100 Upvotes" are
# titles. (Not every word: a card's text runs its title into its counts, "Sparse Roots 143
# upvotes", and "with 12 upvotes" states a count.)
_RUNS_ON = re.compile(r"(?<![^\W\d_])(?:from|of|to|for|than|over|under|beyond|about|into|by|at|per|on|in|vs|"
                      r"after|before|past|the|a|an|our|their|its|first|last|top)[ \t]*+$", re.I)
_NUMBER_FIRST = frozenset({"N upvotes", "N comments", "N 👍", "N 💬"})


def _symbol_before(text: str, start: int, end: int) -> bool:
    """Whether the last thing before ``end`` (spaces and a variation selector aside, not
    before ``start``) is a symbol such as an emoji marker: a number after one is its."""
    before = text[start:end].rstrip(" \t\ufe0f")
    return bool(before) and unicodedata.category(before[-1]) == "So"
# After an emoji marker's number, another emoji marker that no number follows: the number
# is that one's, written before it ("1.3k 👍 41 💬": 41 comments, the upvotes rounded), not
# the first marker's ("👍 41 💬 3" is read as usual).
_NEXT_MARKERS_NUMBER = re.compile(r"[ \t]*+(?:[·|,][ \t]*+)?(?:👍|💬|⭐|▲|🔥)[\ufe0f]?(?![ \t~*_]*+\d)")


def _is_count(text: str, m: re.Match, name: str) -> bool:
    """Whether the match of marker ``name`` in ``text`` states one item's count (see above)."""
    # Only the few characters before it are looked at: the words that matter are right
    # there, and scanning back to the line's start for every marker of a long line would
    # be quadratic (a hostile line of 20,000 markers).
    window = max(0, m.start() - 40)
    line_start = text.rfind("\n", window, m.start()) + 1 or window
    if name in _NUMBER_FIRST and _RUNS_ON.search(text, line_start, m.start()):
        return False
    number_start, number_end = m.span(1)
    if _NOT_EXACT_AFTER.match(text, number_end) or _NOT_EXACT_BEFORE.search(text, max(0, number_start - 12), number_start):
        return False
    if name in ("👍 N", "💬 N") and _NEXT_MARKERS_NUMBER.match(text, m.end()):
        return False
    if name in ("N 👍", "N 💬") and _symbol_before(text, line_start, m.start(1)):
        return False  # "❤️ 5 👍 3", "👍 41 💬 3": the number is the symbol's before it
    if name == "👍 N" and _REACTIONS_AFTER.match(text, m.end()):
        return False  # a reactions bar ("👍 7 🎉 1 ❤️ 2"): the readers' reactions to a post
    if name in ("👍 N", "💬 N") and _SOCIAL_BAR.search(text, line_start, min(len(text), m.end() + 40)):
        return False  # a post's own counters ("♥ 12 · 🔁 3 · 💬 2"): a toot's or a tweet's
    if COUNT_MARKERS[name][1] == "extra.stars":  # stars are GitHub's by nature, unless a rating's
        if _RATING.search(text, line_start, m.start()):
            return False
    else:
        clause = text[line_start:m.start()]
        before = ""
        if cut := _CLAUSE_END.match(clause):
            clause, before = clause[cut.end():], clause[:cut.end()]
        # The two words right before the count: further back they are a title's words
        # ("MHR: Momentum Human Rig 👍 7" is no change of momentum).
        if _ELSEWHERE.search(" ".join(clause.split()[-2:])) or _OF_ELSEWHERE_AFTER.match(text, m.end()):
            return False
        # A dash or a bracket hangs the count on the words before it ("Reader poll — Votes:
        # 37", "on YouTube (1,204 comments)", "vote in our Discord — 👍 12"): those words
        # say whose count it is, when nothing but its label follows them.
        if before[-1:] in "—–(" and len(clause.split()) <= 1 and _ELSEWHERE.search(
                " ".join(re.sub(r"\[[^\]]*\]\([^)]*\)|\S*(?:://|[\])])\S*", " ", before[:-1]).replace("(", " ").split()[-2:])):
            return False
    return not (_NOT_A_COUNT_AFTER.match(text, m.end()) or _SUM_AFTER.match(text, m.end())
                or _SUM_BEFORE.search(text, line_start, m.start()))


def _link_titles_blanked(text: str) -> str:
    """``text`` with the texts of its links blanked out where they are more than a count
    marker: a link text such as "Why 3 Comments Beat 1,000 Likes" names the paper; a link
    text "👍 12" is a count."""

    def link(m: re.Match) -> str:
        label = m[2]
        rest = label
        for pattern, _ in COUNT_MARKERS.values():
            rest = pattern.sub("", rest)
        if re.sub(r"[\W\d_]", "", rest):  # words beside any marker: a title or a phrase
            return m[0].replace(label, " " * len(label), 1)
        return m[0]

    return MD_LINK.sub(link, text)


def counts(text: str) -> tuple[dict, dict]:
    """The labelled counts of an item's text, and the marker each came from.

    Every marker of :data:`COUNT_MARKERS` is looked for everywhere; a number one marker
    took is not read again by another. When the item states two different numbers for one
    field ("12 upvotes" and later "Upvotes: 15"), the field is ambiguous and left empty.
    Not read: a marker in a link text that is a title, a marker that a word follows
    ("Comment: 12 pages", "3 Comments Beat") or, its number first, that runs on from the
    words before it ("Learning from 50 Comments"), a number that is not whole, and a sum
    over the list ("230 total", "41 comments overall", "Total upvotes: 230").
    """
    text = _link_titles_blanked(text)
    values: dict[str, set[int]] = {}
    rules: dict[str, str] = {}
    for name, (pattern, target) in COUNT_MARKERS.items():
        taken = []
        for m in pattern.finditer(text):
            if not _is_count(text, m, name):
                continue
            values.setdefault(target, set()).add(int(m[1].replace(",", "")))
            rules.setdefault(target, name)
            taken.append(m.span())
        if taken:  # blanked once per marker, not once per number (a line of 20,000 was quadratic)
            parts, last = [], 0
            for start, end in taken:
                parts += [text[last:start], " " * (end - start)]
                last = end
            text = "".join(parts) + text[last:]
    found = {k: next(iter(v)) for k, v in values.items() if len(v) == 1}
    return found, {k: f"marker:{rules[k]}" for k in found}


# The paper's own id set apart at a title's start or end: "[2604.22010v3] Title",
# "arXiv:2604.22010 — Title", "Title (arXiv:2604.22010v1)". A label of the entry, not
# words of the title (compared with arXiv's, it would be a false title finding).
_ID = r"(?:arxiv\s*[:：]?\s*)?\d{4}\.\d{4,5}(?:v\d{1,3})?"
_ID_FIRST = re.compile(rf"^\s*(?:\[\s*{_ID}\s*\]|\(\s*{_ID}\s*\)|{_ID}(?=\s*[:：|\-–—]))\s*[:：|\-–—]?\s*(?=\S)", re.I)
_ID_LAST = re.compile(rf"(?<=\S)\s*[\-–—|]?\s*(?:\[\s*{_ID}[^\]]*\]|\(\s*{_ID}[^)]*\))\s*$", re.I)


# A label before a title ("Paper: Spatial Reasoning ...", "论文: ..."): the entry's field
# name, not the paper's words.
_TITLE_LABEL_FIRST = re.compile(r"^\s*(?:paper|title|paper\s+title|论文|標題|标题|논문)\s*[:：]\s*(?=\S)", re.I)


def without_id(title: str | None) -> str | None:
    """``title`` without an arXiv id set apart at its start or end (see above), nor a
    ``Paper:`` label before it."""
    if not title:
        return title
    return _ID_LAST.sub("", _ID_FIRST.sub("", _TITLE_LABEL_FIRST.sub("", title)))


_GOES_ON = re.compile(r"\bet\s+al\b\.?|…|\.\.\.|\+\s*\d+\s*(?:more|others?)\b|\s\+\s*\d+\s*$"
                      r"|(?:,?\s*and\s+)?\b\d+\s+(?:more|others?|other\s+authors|co-?authors)\b"
                      r"|,?\s*and\s+others\s*$|\s+외(?:\s*\d+\s*[명인])?\s*$|(?:\s*等|\s+등)(?:\s*\d+\s*[人명])?\s*$"
                      r"|\s*(?:ほか|他)\s*(?:\d+\s*名)?\s*$", re.I)
# An affiliation legend after the names: "¹MIT ²Google Research *corresponding author".
_LEGEND = re.compile(r"(?:^|\s)[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*[^\W\d_].*$", re.S)
# Marks on a name: superscript or glued affiliation numbers ("Li¹", "Duarte2,3" from
# <sup>2,3</sup>), the corresponding author's star, daggers; and an address beside it.
# An address is tried only where its local part starts (not after a letter of it): tried at
# every letter of a word, a 30,000-letter word took seconds, and a page with one took the
# reader past its time limit, which rejected the whole document.
_NAME_MARKS = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§¶]+|(?<=[^\W\d_])\d{1,2}(?:\s*,\s*\d{1,2})*(?![\w.])"
                         r"|\(?\s*<?(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+>?\s*\)?")
# A bracketed affiliation after a name, one level of brackets inside it: "Ana Li (1)",
# "Bo Chen (MIT)", and arXiv's legend "((1) MIT, (2) ETH)" after the names; a nickname
# glued to the surname ("Xuewei (Tony)Qi", in a real digest) leaves the two names apart.
# Full-width brackets as Chinese and Japanese posts write them ("Sun Qiao（浙江大学）"), and
# square ones after a name ("Mira Castell [Ebbridge University]"; a list written whole in
# square brackets, "[Ana Li, Bo Chen]", is not one).
_BRACKETED = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)|\s*（[^（）]*）|(?<=[^\W\d_])\s*\[[^\[\]]*\]")
# A sentence after the names that is another field ("Ana Ruiz, Tomas Berg. Reddit
# discussion: 64 comments."): a full stop after a word (not an initial) and a label.
_SENTENCE_AFTER = re.compile(r"(?<=[^\W\d_]{2})\.\s+(?=[^,:：]{0,40}[:：])")
# Words of a heading, key or group name that say its papers are not the day's list: earlier
# lists (previously covered, last week, yesterday, archive; 先週, 前回, 昨日, 上周, 지난주),
# other papers (related, see also, references, cited, builds on), papers taken off a list
# (a changelog's "Removed", "Deprecated"). Shared by the Markdown and the structured readers.
_WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
NOT_THE_DAYS_LIST = re.compile(
    r"\b(?:previous(?:ly)?|prev|earlier|older|archived?|archives|history|yesterday(?:'s|’s)?"
    r"|last (?:week|month|issue|time|edition|post|newsletter|digest|" + _WEEKDAYS + r")(?:'s|’s)?"
    r"|this (?:week|month|year)(?:'s|’s)?|(?:week|month)(?:'s|’s)|weekly|monthly|of the (?:week|month)"
    r"|past (?:weeks?|months?|issues?|picks|papers)|related|see also|also see"
    r"|references?|cited|citations?|builds? on|further reading|reading list|prior work|background"
    r"|in case you missed|removed|deprecated|also on (?:our|the) (?:blog|site)|more from (?:the|our) (?:blog|site|archive)"
    r"|from the archive|hall of fame|all[- ]time|of all time|(?:most|top) (?:upvoted|read|popular|liked|viewed)"
    r" (?:in|of) (?:\d{4}|the year|all time)|(?:top|best) (?:of|in) (?:\d{4}|the year)"
    r"|top of (?:the )?(?:week|month|year)|^(?:reader |\d+ )?comments?$|^discussion$|you (?:may|might) also like"
    r"|popular posts"
    # Russian, German, French, Spanish, Portuguese, Italian: "earlier", "last issue", "previous".
    r"|ранее|прошл\w*|предыдущ\w*|недел\w*|letzte[nrs]?|früher\w*|vorherig\w*|vergangen\w*|woche"
    r"|précédent\w*|dernier numéro|semaine dernière|cette semaine|anterior(?:es)?|semana pasada|semana passada"
    r"|esta semana|precedent[ei]|settimana scorsa|questa settimana"
    # "see also" and "read also": German, French, Spanish, Portuguese, Italian, Russian, Arabic
    r"|siehe auch|weitere lektüre|à lire aussi|a lire aussi|voir aussi|lire aussi|ver también|véase también"
    r"|veja também|leia também|vedi anche|leggi anche|см\.? также|читайте также|icymi)\b"
    r"|اقرأ أيضا|اقرأ أيضًا|انظر أيضا"
    r"|往期|相关|参考|이전|관련|関連|過去|先週|前回|昨日|上周|昨天|지난주|어제|本周|今週|이번 주"
    r"|あわせて読みたい|合わせて読みたい|こちらもおすすめ|延伸閱讀|延伸阅读|相關文章|함께 읽을|같이 읽을")


def not_the_days_list(name: str | None) -> bool:
    """True when a heading, key or group name says its papers are not the day's list.

    Why: a digest that adds "Previously covered", ``related``, ``see_also`` or
    ``last_week_top`` beside its day's list names those papers as earlier or other lists';
    giving them the document's day and their place as a rank would put them on a list they
    are not on. The name is split into words (``last_week_top``, ``seeAlso``) and lowercased.
    When it fails: a name in another language than those listed, or an unusual one
    (``oldies``), is taken for the day's list; a day's list named with one of the words
    (``related_to_agents``) loses its day and ranks, which leaves them empty, not false."""
    if not isinstance(name, str):
        return False
    words = " ".join(re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower().replace("_", " ").replace("-", " ").split())
    return bool(NOT_THE_DAYS_LIST.search(words))


# A name's suffix after a comma, and initials standing alone (after their surname).
_SUFFIX = NAME_SUFFIX
_INITIALS = re.compile(r"(?:[A-Z]\.\s*-?\s*){1,4}")
# A line that gives no names: "see paper", "N/A", "Authors: see arXiv".
_NO_NAMES = re.compile(r"^(?:authors?\s*[:：]\s*)?(?:see\b.*|n/?a|none|unknown|tbd|anonymous|various)\.?$", re.I)


def split_authors(text: str | None) -> tuple[list[str], bool]:
    """Author names of a labelled line, and whether the line says the list goes on
    (``et al.``, ``…``, ``+3 more``, ``and 12 others``): a cut list is partial and says
    nothing about the count.

    Names are stripped of affiliation marks (``Ana Li¹``, ``Rafael Duarte2,3`` where the
    page had ``<sup>2,3</sup>``, a corresponding author's ``*``, ``Ana Li (1)`` and
    ``Bo Chen (MIT)`` in brackets, as arXiv's own author lines write them, with the legend
    ``((1) MIT, (2) ETH)`` after them) and addresses, and an
    affiliation legend after them (``¹MIT ²Google``) is not read as names: compared with
    arXiv's list, each would be a false author finding. A line that names nobody ("see
    paper") gives no names. Fails for a name that truly ends in a digit, which none does."""
    if not text:
        return [], False
    text = _SENTENCE_AFTER.split(_LEGEND.sub("", clean(text)), maxsplit=1)[0]
    if _NO_NAMES.match(text.strip()):
        return [], False
    partial = bool(_GOES_ON.search(text))
    text = _NAME_MARKS.sub("", _GOES_ON.sub("", re.sub(r" {2,}", " ", _BRACKETED.sub(" ", text))))
    if re.search(r"[;；]", text):  # "Byrne, Lorcan; Aktas, Zeynep": surname first, by semicolons
        names = []
        for part in re.split(r"\s*[;；]\s*|\s+(?:and|&)\s+", text):
            part = part.strip(" .")
            m = re.fullmatch(r"([^,]+),\s*([^,]+)", part)
            names.append(f"{m[2].strip()} {m[1].strip()}" if m and not _SUFFIX.fullmatch(m[2].strip(" .")) else part)
        return [n for n in names if n and not _SITE_NAME.fullmatch(n)], partial
    names: list[str] = []
    text = text.strip().removeprefix("[").removesuffix("]")  # a list written as one: "[Ana Li, Bo Chen]"
    for part in re.split(r"\s*[,，、]\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+", text):  # ", and": an Oxford comma
        part = part.strip()
        if not part.strip(" ."):
            continue
        if names and _SUFFIX.fullmatch(part.strip(" .")):  # "Mateo Quispe, Jr."
            names[-1] = f"{names[-1]} {part}"
        elif names and _INITIALS.fullmatch(part) and not _INITIALS.fullmatch(names[-1]) and " " not in names[-1]:
            names[-1] = f"{part} {names[-1]}"  # "Byrne, L.": a surname, then its initials
        else:
            names.append(part.strip(" ."))
    return [n for n in names if not _SITE_NAME.fullmatch(n)], partial


# A site, not a person: Ghost's bookmark cards put "arXiv.org" in their author element.
_SITE_NAME = re.compile(r"(?i:arxiv(?:\.org)?|hugging\s*face|huggingface\.co|alphaxiv|papers\s+with\s+code"
                        r"|github|[\w-]+(?:\.[\w-]+)*\.(?:org|com|net|io|ai|co|dev|edu))")


__all__ = ["FENCE", "EMPHASIS", "NOT_THE_DAYS_LIST", "not_the_days_list", "TITLE_HEADERS", "RANK_HEADERS", "COUNT_HEADERS", "COUNT_MARKERS", "MD_LINK", "LABEL", "RANK", "BOLD", "TITLE_LABELS", "AUTHOR_LABELS",
           "ORG_LABELS", "SKIP_LABELS", "META_LABELS", "GENERIC_WORDS", "is_generic_label", "is_latin",
           "clean", "label_fields", "counts", "split_authors", "without_id"]
