"""The four spiders as the fault matrix sees them: where each asks, what a good answer is,
and how one item of an answer goes bad.

A :class:`Source` numbers the requests of one crawl by *slot* (a day of a list, a batch of
arXiv ids, a digest site's day): slot ``key`` has its own path on the loopback server and
its own made-up papers (``2602.3KKNN``: slot KK, item NN), so whatever the crawl stored or
rejected can be traced to the slot it came from. The faults of :mod:`tests.faults` turn a
slot's good answer into a bad one; the item faults here spoil the first item of an answer
and leave the others whole.

Titles carry Latin-1 letters (``Café``, ``Señal``, ``Über``) so that a lying charset shows
in what is stored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from .loopback import Canned, daily_paper

FIRST_DAY = dt.date(2026, 1, 1)
MAX_SLOTS = 999  # three digits of the made-up ids


@dataclass(frozen=True)
class Paper:
    """A made-up paper of one slot."""

    arxiv_id: str
    title: str
    upvotes: int


def day_of(key: int) -> str:
    """The day slot ``key`` stands for."""
    return (FIRST_DAY + dt.timedelta(days=key)).isoformat()


def key_of_day(day: str) -> int:
    return (dt.date.fromisoformat(day) - FIRST_DAY).days


def papers_of(key: int, prefix: str = "2602.3", count: int = 3) -> list[Paper]:
    """The good papers of slot ``key``: ids ``<prefix>KKKN`` and Latin-1 titles."""
    assert 0 <= key <= MAX_SLOTS
    words = ("Café Routing", "Señal Graphs", "Über Sketches")
    return [Paper(f"{prefix}{key:03d}{n}", f"{words[n - 1]} of Slot {key}", 10 * key + n)
            for n in range(1, count + 1)]


def key_in_id(arxiv_id: str) -> int:
    """The slot of a made-up id (``2602.3KKKN``)."""
    return int(arxiv_id[6:9])


# A bad item: (what the server puts in it, how it changes the item). Each source has its own.
ItemFault = tuple[str, Callable[[Any], Any]]


def _set(path: str, value: Any) -> Callable[[dict], dict]:
    """An item change: set the dotted key ``path`` (``paper.upvotes``) to ``value``."""
    def change(item: dict) -> dict:
        target = item
        *parents, last = path.split(".")
        for name in parents:
            target = target[name]
        target[last] = value
        return item
    return change


def _replace(value: Any) -> Callable[[Any], Any]:
    return lambda item: value


_R = re.compile(r"/r/(\d+)/")  # the paths faults add for a slot (redirect targets)


class Source:
    """What every source shares; subclasses fill in the formats."""

    spider = ""
    content_type = "application/json; charset=utf-8"
    xml = False
    doc_format = ""  # documents.format of the slot's answers (others are follow-ups)
    # Item faults this source's reader answers by keeping the item without the bad value
    # (no reject); every other item fault rejects the item.
    lenient: frozenset[str] = frozenset()
    # Item faults whose value the model refuses (a count out of range or of the wrong kind, a
    # title too long): the item is kept without it, and a reject names it
    # (``scrapers.pages.base.build``).
    kept_without: frozenset[str] = frozenset()

    def path(self, key: int) -> str:
        """Path and query the spider asks for slot ``key``."""
        raise NotImplementedError

    def format_of(self, key: int) -> str:
        """``documents.format`` of slot ``key``'s answer."""
        return self.doc_format

    def type_of(self, key: int) -> str:
        """The Content-Type of slot ``key``'s good answer."""
        return self.content_type

    def is_xml(self, key: int) -> bool:
        """Whether slot ``key``'s answers are XML."""
        return self.xml

    def papers(self, key: int) -> list[Paper]:
        return papers_of(key)

    def document(self, papers: list[Paper]) -> str:
        """A good answer holding ``papers``."""
        raise NotImplementedError

    def items(self) -> dict[str, ItemFault]:
        """The item faults that apply to this source, by kind."""
        return {}

    def spoil(self, papers: list[Paper], change: Callable[[Any], Any]) -> str:
        """An answer whose first item went through ``change``."""
        raise NotImplementedError

    def equivalents(self) -> dict[str, str]:
        """Bodies of the content faults in this source's own terms (see tests.faults)."""
        return {}

    def args(self, keys: list[int]) -> list[str]:
        raise NotImplementedError

    def settings(self, base_url: str) -> dict[str, str]:
        raise NotImplementedError

    def prepare(self, server: Any) -> None:
        """Routes the crawl needs beside the slots (follow-up requests)."""

    def key_of(self, url: str) -> int | None:
        """The slot a stored or rejected URL belongs to."""
        m = _R.search(url)
        return int(m[1]) if m else self._key_of(url)

    def _key_of(self, url: str) -> int | None:
        m = re.search(r"2602\.3(\d{3})\d", url)
        if m:
            return int(m[1])
        m = re.search(r"(\d{4}-\d{2}-\d{2})", url)
        return key_of_day(m[1]) if m else None


# -- Hugging Face -------------------------------------------------------------------------------

class Huggingface(Source):
    """``/api/daily_papers?date=D``: one day per slot."""
    # A field of another shape (a title that is a number, authors as an object, a date as a
    # number) is left empty too, as is a value kept in extra that JSON cannot hold.
    kept_without = frozenset({"count_2_63", "count_2_64_comments", "count_1e308", "count_nan", "count_infinity",
                              "count_negative", "count_as_string", "count_as_bool", "count_fraction", "title_too_long",
                              "title_as_int", "summary_as_int", "authors_as_dict", "author_name_as_list",
                              "date_as_number", "extra_nan"})

    spider = "huggingface"
    doc_format = "huggingface-daily-papers"

    def path(self, key: int) -> str:
        return f"/api/daily_papers?date={day_of(key)}&limit=100"

    def _items(self, papers: list[Paper], day: str) -> list[dict]:
        return [daily_paper(p.arxiv_id, p.title, p.upvotes, day) for p in papers]

    def document(self, papers: list[Paper]) -> str:
        return json.dumps(self._items(papers, day_of(key_in_id(papers[0].arxiv_id))), ensure_ascii=False)

    def spoil(self, papers: list[Paper], change: Callable[[Any], Any]) -> str:
        items = self._items(papers, day_of(key_in_id(papers[0].arxiv_id)))
        items[0] = change(items[0])
        return json.dumps(items, ensure_ascii=False)  # NaN and Infinity as JavaScript writes them

    def items(self) -> dict[str, ItemFault]:
        return {
            "count_2_63": ("upvotes 2^63", _set("paper.upvotes", 2 ** 63)),
            "count_2_64_comments": ("numComments 2^64", _set("numComments", 2 ** 64)),
            "count_1e308": ("upvotes 1e308", _set("paper.upvotes", 1e308)),
            "count_nan": ("upvotes NaN", _set("paper.upvotes", float("nan"))),
            "count_infinity": ("upvotes Infinity", _set("paper.upvotes", float("inf"))),
            "count_negative": ("upvotes -1", _set("paper.upvotes", -1)),
            "count_as_string": ('upvotes "12" (a string)', _set("paper.upvotes", "12")),
            "count_as_bool": ("upvotes true", _set("paper.upvotes", True)),
            "count_fraction": ("upvotes 12.5", _set("paper.upvotes", 12.5)),
            "title_as_int": ("title 12345 (a number)", lambda i: _set("title", 12345)(_set("paper.title", 12345)(i))),
            "summary_as_int": ("summary 7 (a number)", _set("paper.summary", 7)),
            "authors_as_dict": ('authors {"name": ...} (an object)', _set("paper.authors", {"name": "Ada Example"})),
            "author_name_as_list": ("an author's name a list", _set("paper.authors", [{"name": ["Ada", "Example"]}])),
            "paper_as_list": ("paper a list", _set("paper", ["2602.39991", "A Title"])),
            "id_as_float": ("paper.id 2602.3 (a float)", lambda i: _set("paper.id", float(i["paper"]["id"]))(i)),
            "id_as_int": ("paper.id 2602 (an integer)", _set("paper.id", 2602)),
            "id_garbage": ('paper.id "not-an-id"', _set("paper.id", "not-an-id")),
            "date_as_number": ("publishedAt 1738000000 (a number)", _set("paper.publishedAt", 1738000000)),
            "item_not_object": ('the item a string', _replace("just text")),
            "title_too_long": ("a title of 5,000 characters", _set("paper.title", "Long " * 1000)),
            "extra_nan": ("githubStars NaN (a field kept in extra)", _set("paper.githubStars", float("nan"))),
        }

    def equivalents(self) -> dict[str, str]:
        return {
            "wrong_shape": json.dumps({"papers": [], "note": "an object where a list belongs"}),
            "wrong_shape_scalar": "42",
            "json_null": "null",
            "html_without_data": ("<!doctype html><html><head><title>Daily Papers - Hugging Face</title></head>"
                                  "<body><main><h1>Daily Papers</h1><p>Loading…</p></main></body></html>"),
        }

    def args(self, keys: list[int]) -> list[str]:
        return ["--since", day_of(min(keys)), "--until", day_of(max(keys))]

    def settings(self, base_url: str) -> dict[str, str]:
        return {"HUGGINGFACE_BASE_URL": base_url}


# -- arXiv --------------------------------------------------------------------------------------

ATOM = ('<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">')


def atom_entry(paper: Paper, *, version: str = "v1", title: str | None = None, authors: str | None = None,
               raw_id: str | None = None) -> str:
    """One arXiv API entry (2026 layout) with made-up text; keywords spoil a part of it."""
    ident = raw_id if raw_id is not None else f"<id>http://arxiv.org/abs/{paper.arxiv_id}{version}</id>"
    title = title if title is not None else f"<title>{escape(paper.title)}</title>"
    authors = authors if authors is not None else "<author><name>Ada Example</name></author><author><name>Bo Sample</name></author>"
    return (f"<entry>{ident}{title}<updated>2026-01-05T10:00:00Z</updated>"
            f"<summary>We count imaginary ducks for {paper.arxiv_id} &amp; report made-up numbers.</summary>"
            f"<published>2026-01-05T09:00:00Z</published>"
            f'<category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>'
            f'<arxiv:primary_category term="cs.CL"/>{authors}</entry>')


def atom_feed(entries: list[str], ids: list[str]) -> str:
    """An arXiv API answer for ``id_list`` = ``ids``."""
    return (f"<?xml version='1.0' encoding='UTF-8'?>\n{ATOM}<id>https://arxiv.org/api/made-up</id>"
            f"<title>arXiv Query: id_list={','.join(ids)}</title><updated>2026-01-05T12:00:00Z</updated>"
            f'<link href="https://arxiv.org/api/query?id_list={",".join(ids)}" type="application/atom+xml"/>'
            f"<opensearch:itemsPerPage>{len(ids)}</opensearch:itemsPerPage>"
            f"<opensearch:totalResults>{len(ids)}</opensearch:totalResults>"
            f"<opensearch:startIndex>0</opensearch:startIndex>{''.join(entries)}</feed>\n")


class Arxiv(Source):
    """The export API by ``id_list``, three ids (one slot) per request."""
    kept_without = frozenset({"title_too_long"})

    spider = "arxiv"
    content_type = "application/atom+xml; charset=utf-8"
    xml = True
    doc_format = "arxiv-api"

    def path(self, key: int) -> str:
        ids = ",".join(p.arxiv_id for p in self.papers(key))
        return f"/api/query?id_list={ids}&start=0&max_results=3"

    def document(self, papers: list[Paper]) -> str:
        return atom_feed([atom_entry(p) for p in papers], [p.arxiv_id for p in papers])

    def spoil(self, papers: list[Paper], change: Callable[[Any], Any]) -> str:
        entries = [change(papers[0])] + [atom_entry(p) for p in papers[1:]]
        return atom_feed(entries, [p.arxiv_id for p in papers])

    def items(self) -> dict[str, ItemFault]:
        return {
            "count_2_63": ("version v9223372036854775808 (2^63) in the entry's id",
                           lambda p: atom_entry(p, version=f"v{2 ** 63}")),
            "count_1e308": ("version v1e308", lambda p: atom_entry(p, version="v1e308")),
            "count_nan": ("version vNaN", lambda p: atom_entry(p, version="vNaN")),
            "count_negative": ("version v-1", lambda p: atom_entry(p, version="v-1")),
            "title_as_int": ("a title of markup, no text (<title><b>..</b></title>)",
                             lambda p: atom_entry(p, title="<title><b>Bold</b></title>")),
            "authors_as_dict": ("an author whose <name> holds elements, not text",
                                lambda p: atom_entry(p, authors="<author><name><first>Ada</first></name></author>")),
            "id_garbage": ("<id>not-an-id</id>", lambda p: atom_entry(p, raw_id="<id>not-an-id</id>")),
            "id_missing": ("an entry without <id>", lambda p: atom_entry(p, raw_id="")),
            "title_too_long": ("a title of 5,000 characters",
                               lambda p: atom_entry(p, title=f"<title>{'Long ' * 1000}</title>")),
        }

    def equivalents(self) -> dict[str, str]:
        return {
            "invalid_json": "<?xml version='1.0'?>\n" + ATOM + "<entry><id>http://arxiv.org/abs/2602.39999",
            "wrong_shape": "<?xml version='1.0'?>\n<response><papers><paper>2602.39999</paper></papers></response>",
            "wrong_shape_scalar": "42",
            "deeply_nested": "<?xml version='1.0'?>\n" + ATOM + "<a>" * 100_000 + "</a>" * 100_000 + "</feed>",
            "deeply_nested_object": "<?xml version='1.0'?>\n" + "<a x='1'>" * 100_000,
            "html_without_data": ("<!doctype html><html><head><title>arXiv.org e-Print archive</title></head>"
                                  "<body><h1>arXiv</h1><p>Search is temporarily unavailable.</p></body></html>"),
        }

    def args(self, keys: list[int]) -> list[str]:
        return ["--ids", ",".join(p.arxiv_id for k in keys for p in self.papers(k))]

    def settings(self, base_url: str) -> dict[str, str]:
        return {"ARXIV_API_URL": base_url + "/api/query", "ARXIV_DELAY": "0", "ARXIV_PAGE_SIZE": "3"}


# -- ArxivLens ----------------------------------------------------------------------------------

def lens_item(paper: Paper) -> dict:
    """A paper in ArxivLens's list shape, made up."""
    return {"id": 9000 + int(paper.arxiv_id[-4:]), "title": paper.title, "paperId": paper.arxiv_id,
            "twoLineSummary": f"A made-up summary of {paper.title}.", "categories": "cs.CL",
            "genSlug": f"slot-paper-{paper.arxiv_id}", "arxivLink": f"https://arxiv.org/abs/{paper.arxiv_id}",
            "published": "2026-01-05T17:00:00Z",
            "authors": [{"name": "Ada Example", "genSlug": "ada"}, {"name": "Zoë Müller", "genSlug": "zoe"}]}


class Arxivlens(Source):
    """``/api/v1/papers/by-date/D``: one day per slot; each listed paper's answer and key
    findings are follow-ups, answered well by :meth:`prepare`."""
    kept_without = frozenset({"count_2_63", "count_negative", "title_too_long", "extra_nan"})

    spider = "arxivlens"
    doc_format = "arxivlens-api-list"

    def path(self, key: int) -> str:
        return f"/api/v1/papers/by-date/{day_of(key)}?page=1&limit=50"

    def document(self, papers: list[Paper]) -> str:
        return json.dumps({"papers": [lens_item(p) for p in papers],
                           "pagination": {"total": len(papers), "page": 1, "limit": 50}}, ensure_ascii=False)

    def spoil(self, papers: list[Paper], change: Callable[[Any], Any]) -> str:
        items = [lens_item(p) for p in papers]
        items[0] = change(items[0])
        return json.dumps({"papers": items, "pagination": {"total": 3, "page": 1, "limit": 50}},
                          ensure_ascii=False)

    def items(self) -> dict[str, ItemFault]:
        return {
            "count_2_63": ("authorsTotal 2^63", _set("authorsTotal", 2 ** 63)),
            "count_1e308": ("authorsTotal 1e308", _set("authorsTotal", 1e308)),
            "count_nan": ("authorsTotal NaN", _set("authorsTotal", float("nan"))),
            "count_negative": ("authorsTotal -1", _set("authorsTotal", -1)),
            "count_as_string": ('authorsTotal "12" (a string)', _set("authorsTotal", "12")),
            "count_as_bool": ("authorsTotal true", _set("authorsTotal", True)),
            "title_as_int": ("title 12345 (a number)", _set("title", 12345)),
            "summary_as_int": ("twoLineSummary 7 (a number)", _set("twoLineSummary", 7)),
            "authors_as_dict": ('authors {"name": ...} (an object)', _set("authors", {"name": "Ada Example"})),
            "author_name_as_list": ("an author's name a list", _set("authors", [{"name": ["Ada", "Example"]}])),
            "paper_as_list": ("the item a list", _replace(["2602.39991", "A Title"])),
            "id_as_float": ("paperId 2602.3 (a float)", lambda i: _set("paperId", float(i["paperId"]))(i)),
            "id_as_int": ("paperId 2602 (an integer)", _set("paperId", 2602)),
            "date_as_number": ("published 1738000000 (a number)", _set("published", 1738000000)),
            "item_not_object": ("the item a string", _replace("just text")),
            "title_too_long": ("a title of 5,000 characters", _set("title", "Long " * 1000)),
            "extra_nan": ("id NaN (a field kept in extra)", _set("id", float("nan"))),
        }

    def equivalents(self) -> dict[str, str]:
        return {
            "wrong_shape": json.dumps([{"paperId": "2602.39999"}]),
            "wrong_shape_scalar": "42",
            "json_null": "null",
            "html_without_data": ("<!doctype html><html><head><title>Just a moment...</title></head>"
                                  "<body><div id='challenge'>Checking your browser</div></body></html>"),
        }

    def args(self, keys: list[int]) -> list[str]:
        return ["--since", day_of(min(keys)), "--until", day_of(max(keys))]

    def settings(self, base_url: str) -> dict[str, str]:
        return {"ARXIVLENS_BASE_URL": base_url, "ARXIVLENS_DELAY": "0"}

    def prepare(self, server: Any) -> None:
        def answer(path: str) -> Canned:
            m = re.fullmatch(r"/api/v1/papers/(2602\.3\d{4})(/key-findings)?", path)
            if not m:
                return Canned(b"not found", 404, "text/plain")
            if m[2]:
                return Canned.of({"status": "completed", "generatedAt": "2026-01-05T10:00:00Z",
                                  "llmModelVersion": "toy-1", "paperId": m[1],
                                  "findings": {"methodology": f"Made-up findings of {m[1]}."}})
            paper = lens_item(Paper(m[1], f"Paper {m[1]}", 0))
            return Canned.of({"paper": {**paper, "summary": "A made-up abstract."}}, content_type="application/json")
        server.route("/api/v1/papers/2602.", answer)


# -- digests ------------------------------------------------------------------------------------

def daily_json(papers: list[Paper], day: str, spoil: Callable[[Any], Any] | None = None) -> str:
    """A made-up post in the format ``digest-daily-json``."""
    items = [{"title": p.title, "url": f"https://huggingface.co/papers/{p.arxiv_id}",
              "paper_link": f"https://arxiv.org/abs/{p.arxiv_id}", "likes": p.upvotes,
              "institution": "Toy Lab", "abstract": f"We made up an abstract about {p.title}."} for p in papers]
    if spoil is not None:
        items[0] = spoil(items[0])
    return json.dumps({"date": day, "crawled_at": f"{day}T03:00:00", "total_papers": len(items),
                       "papers": items}, ensure_ascii=False)


def paper_feed(papers: list[Paper], day: str, entries: list[str] | None = None) -> str:
    """A made-up RSS feed of papers (format ``digest-feed``)."""
    items = entries if entries is not None else [
        f"<item><title>{escape(p.title)}</title><link>https://arxiv.org/abs/{p.arxiv_id}</link>"
        f"<description>Upvotes: {p.upvotes}</description></item>" for p in papers]
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Toy Papers {day}</title>'
            f"<link>https://toy.example/</link><description>made up</description>{''.join(items)}</channel></rss>\n")


class Digests(Source):
    """Two sites of one loopback server, a day each per slot: ``toy-json``
    (``digest-daily-json``, slots below ``days``) and ``toy-feed`` (an RSS feed of papers,
    ``digest-feed``, slots from ``days`` on: the XML faults' slots)."""

    spider = "digests"
    doc_format = "digest-daily-json"
    # digest-daily-json reads an arXiv id only from a link that is text: anything else is left
    # unread and the paper kept by its title. ``likes`` that are no whole number are left
    # empty, and a reject says so (they were left unread without a word before probe26).
    lenient = frozenset({"id_as_float"})
    kept_without = frozenset({"count_2_63", "count_negative", "title_too_long", "count_1e308", "count_nan",
                              "count_as_string", "count_as_bool"})

    def __init__(self, days: int = 50) -> None:
        self.days = days
        self.sites_file = ""

    def is_feed(self, key: int) -> bool:
        return key >= self.days

    def format_of(self, key: int) -> str:
        return "digest-feed" if self.is_feed(key) else self.doc_format

    def type_of(self, key: int) -> str:
        return "application/rss+xml; charset=utf-8" if self.is_feed(key) else self.content_type

    def is_xml(self, key: int) -> bool:
        return self.is_feed(key)

    def path(self, key: int) -> str:
        if self.is_feed(key):
            return f"/feed/{day_of(key - self.days)}.xml"
        return f"/digest/{day_of(key)}.json"

    def papers(self, key: int) -> list[Paper]:
        return papers_of(key - self.days, "2602.4") if self.is_feed(key) else papers_of(key)

    def _day(self, papers: list[Paper]) -> tuple[bool, str]:
        return papers[0].arxiv_id.startswith("2602.4"), day_of(key_in_id(papers[0].arxiv_id))

    def document(self, papers: list[Paper]) -> str:
        feed, day = self._day(papers)
        return paper_feed(papers, day) if feed else daily_json(papers, day)

    def spoil(self, papers: list[Paper], change: Callable[[Any], Any]) -> str:
        return daily_json(papers, self._day(papers)[1], change)

    def items(self) -> dict[str, ItemFault]:
        return {
            "count_2_63": ("likes 2^63", _set("likes", 2 ** 63)),
            "count_1e308": ("likes 1e308", _set("likes", 1e308)),
            "count_nan": ("likes NaN", _set("likes", float("nan"))),
            "count_negative": ("likes -1", _set("likes", -1)),
            "count_as_string": ('likes "12" (a string)', _set("likes", "12")),
            "count_as_bool": ("likes true", _set("likes", True)),
            "title_as_int": ("title 12345 (a number)", _set("title", 12345)),
            "paper_as_list": ("the paper a list", _replace(["2602.39991", "A Title"])),
            "id_as_float": ("paper_link 2602.3 (a float)",
                            lambda i: _set("url", 2602.3)(_set("paper_link", 2602.3)(i))),
            "title_too_long": ("a title of 5,000 characters", _set("title", "Long " * 1000)),
        }

    def equivalents(self) -> dict[str, str]:
        return {
            "wrong_shape": json.dumps({"date": "2026-01-01", "crawled_at": "2026-01-01T03:00:00",
                                       "papers": {"first": "not a list"}}),
            "wrong_shape_scalar": "42",
            "json_null": "null",
            "html_without_data": ("<!doctype html><html><head><title>Toy Digest</title></head><body>"
                                  "<nav><a href='/'>Home</a></nav><p>No posts yet.</p></body></html>"),
        }

    def args(self, keys: list[int]) -> list[str]:
        return ["--since", day_of(0), "--until", day_of(self.days - 1), "--sites", "toy-json,toy-feed"]

    def settings(self, base_url: str) -> dict[str, str]:
        return {"DIGEST_SITES_FILE": self.sites_file}

    def sites_toml(self, base_url: str) -> str:
        return (f'[[sites]]\nname = "toy-json"\nformat = "digest-daily-json"\n'
                f'url_pattern = "{base_url}/digest/{{date}}.json"\n\n'
                f'[[sites]]\nname = "toy-feed"\nformat = "digest-feed"\n'
                f'url_pattern = "{base_url}/feed/{{date}}.xml"\n')

    def _key_of(self, url: str) -> int | None:
        m = re.search(r"/(digest|feed)/(\d{4}-\d{2}-\d{2})", url) or re.search(r"2602\.([34])(\d{3})\d", url)
        if m is None:
            return None
        if m[1] in ("digest", "feed"):
            return key_of_day(m[2]) + (self.days if m[1] == "feed" else 0)
        return int(m[2]) + (self.days if m[1] == "4" else 0)
