"""The keys a structured digest's objects are read by, and the type each value must have.

Which keys carry an item's arXiv id (:data:`ID_KEYS`, :data:`URL_KEYS`), which hold its
sub-object (:data:`SUBOBJECT_KEYS`), which name a field and with what type
(:data:`ALIASES`, one typed table and nothing else), which look like fields and are not
(:data:`TRAPS`), and which state the document's day, capture time and site. :func:`typed`
is the only coercion: a value of the wrong type (an upvote count written as a string, a
``comments`` that is text) is not read, never converted.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconcile.models import MAX_COUNT
from reconcile.text import collapse_whitespace

from ..base import parse_date, parse_datetime
from .item_fields import split_authors

ID_KEYS = ("arxiv_id", "arxivId", "arxiv", "arxiv_no", "paper_id", "paperId", "id", "entry_id", "arxiv_number",
           "doi")
URL_KEYS = ("url", "abs", "abs_url", "link", "pdf", "pdf_url", "arxiv_url", "hf_url", "paper_url", "html_url",
            "huggingface_url")
# Hosts whose paper pages are named by the arXiv id (alphaXiv's /abs/ and /overview/ too).
PAPER_HOSTS = ("arxiv.org", "huggingface.co", "hf.co", "alphaxiv.org")
SUBOBJECT_KEYS = ("paper", "item", "entry", "article", "data")


@dataclass(frozen=True)
class Alias:
    """Where one observation field is read from, and the type its value must have."""

    field: str
    keys: tuple[str, ...]
    kind: str  # "text", "int", "authors", "day", "time"
    note: str = ""


ALIASES: tuple[Alias, ...] = (
    Alias("title", ("title", "paper_title", "title_en", "english_title", "en_title"), "text",
          "the paper's title as written; a translated or summarised title is not it (TRAPS)"),
    Alias("authors", ("authors", "author_names", "author_list"), "authors",
          "a list of names, of {'name': ...} objects, or one comma-separated string"),
    Alias("abstract", ("abstract",), "text"),
    Alias("summary", ("summary", "tldr", "ai_summary"), "text",
          "arXiv's own records call the abstract 'summary': kept as a summary, never compared as one"),
    Alias("upvotes", ("hf_upvotes", "hfUpvotes", "upvotes", "upvote", "upvote_count", "num_upvotes", "votes",
                      "likes"), "int",
          "an integer only: '12' as text is not read; a key naming Hugging Face comes first"),
    Alias("comments", ("hf_comments", "hfComments", "numComments", "num_comments", "comments_count",
                       "comment_count", "comments"), "int",
          "an integer only: a 'comments' that is text is arXiv's author comment"),
    Alias("rank", ("rank",), "int", "only an explicit rank: the order of a list is not one"),
    Alias("published", ("publishedAt", "published_at", "published", "published_date", "submitted"), "day",
          "arXiv's publication date, not the day of the list"),
    Alias("listed_on", ("submittedOnDailyAt", "listed_on", "list_date", "listed_at"), "day",
          "the day the list put the paper on"),
    Alias("organization", ("organization", "affiliation"), "text"),
)
# Keys that look like fields and are not, with what they are. Their values are kept in
# ``extra`` under the name on the right, never as the field they resemble.
TRAPS: dict[str, tuple[str, str]] = {
    "score": ("score", "a relevance score (an LLM's or a search engine's), not upvotes"),
    "relevance": ("score", "a relevance score, not upvotes"),
    "relevance_score": ("score", "a relevance score, not upvotes"),
    "stars": ("stars", "GitHub stars of the paper's code, not upvotes"),
    "githubStars": ("stars", "GitHub stars of the paper's code, not upvotes"),
    "github_stars": ("stars", "GitHub stars of the paper's code, not upvotes"),
    "comment": ("arxiv_comment", "arXiv's author comment ('12 pages, 5 figures'), not a comment count"),
    "translation_title": ("title_translated", "a translation of the title, not the title"),
    "translated_title": ("title_translated", "a translation of the title, not the title"),
    "chinese_title": ("title_translated", "a one-sentence summary in Chinese, not the title"),
    "title_zh": ("title_translated", "a translation of the title"),
    "title_cn": ("title_translated", "a translation of the title"),
    "title_ko": ("title_translated", "a translation of the title"),
    "title_ja": ("title_translated", "a translation of the title"),
}
# Keys that make an object a post of a social site or forum (Reddit, Hacker News, Mastodon,
# Bluesky, a bot's log of its posts), whose votes, likes and comments are that site's: a
# Hugging Face count is read there only from a key that names Hugging Face (hf_upvotes).
SOCIAL_KEYS = ("subreddit", "objectID", "favourites_count", "reblogs_count", "likeCount", "repostCount",
               "post_uri", "reposts", "retweet_count", "favorite_count")


def social_post(obj: dict) -> bool:
    """Whether an item's object is a post of a social site or forum (:data:`SOCIAL_KEYS`)."""
    return any(key in obj for key in SOCIAL_KEYS)


# Document-level keys that are not a count of its list: total_fetched counts the entries a
# crawler fetched before filtering, total_count a stated total that may differ.
NOT_LIST_SIZE = ("total_fetched", "total_count", "count", "total")
DAY_KEYS = ("push_date", "date", "day", "listed_on", "list_date")
CAPTURE_KEYS = ("crawled_at", "fetched_at", "captured_at", "scraped_at")
SITE_KEYS = ("site", "source_site", "repository")


def count_like(value) -> bool:
    """A value written as a count that is not a valid one: a number (negative, fractional,
    too large, a rank of 0) or digits as text. Text that is not digits is another field
    (``"comments": "12 pages"`` is arXiv's author comment) and is not reported."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().lstrip("+-").isdigit())


def typed(value, kind: str, minimum: int = 0):
    """``value`` when it has the kind's type, else None. An ``int`` must be a true integer
    from ``minimum`` (1 for a rank) to :data:`MAX_COUNT`: a negative count, ``12.5``, a
    rank of 0 or ``"41"`` is not what the field means, so it is left empty, never coerced."""
    if kind == "int":
        return (value if isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= MAX_COUNT
                else None)
    if kind == "text":
        return collapse_whitespace(value) if isinstance(value, str) else None
    if kind == "day":
        if not isinstance(value, str):
            return None
        moment = parse_datetime(value)
        return moment.date() if moment else parse_date(value)
    if kind == "authors":
        if isinstance(value, str):  # the Markdown readers' rules: no "et al." as a name, no marks
            return split_authors(value)[0]
        if isinstance(value, list):
            names = [a if isinstance(a, str) else a.get("name") if isinstance(a, dict) else None for a in value]
            return [collapse_whitespace(n) for n in names if isinstance(n, str) and n.strip()]
    return None
