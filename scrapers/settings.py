"""Scrapy settings of paper-reconcile: politeness, sources, storage, record and replay.

Every value here can be overridden per run: ``scrapy crawl NAME -s NAME=VALUE``,
``reconcile crawl --set NAME=VALUE``, or ``settings_overrides`` of
:func:`scrapers.run.run_crawls`. Each source's address is a setting so tests can point a
spider at a loopback server.

Stats counters written by this project are shaped ``<source>/<event>/<reason>``:
``huggingface/observations/stored``, ``huggingface/documents/duplicate``,
``huggingface/rejects/missing_paper_id``, ``replay/miss``, ``record/saved``; Scrapy's own
``retry/*`` counters gain ``retry/after/<status>`` and ``retry/backoff_seconds``.
"""

BOT_NAME = "paper_reconcile"

SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# --- who we are, and how politely we ask --------------------------------------------------
USER_AGENT = "paper-reconcile/0.1 (+https://github.com/paper-reconcile/paper-reconcile)"
ROBOTSTXT_OBEY = True
# arXiv's export API, OAI-PMH and RSS are fetched under arXiv's API terms (ARXIV_DELAY, one
# connection), not gated by its robots.txt, which disallows them while its robots page points
# programs to them; true gates them by robots.txt like everything else.
ARXIV_API_OBEY_ROBOTSTXT = False

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0  # seconds between two requests to one site (tests set 0)
# arXiv (API, RSS and OAI-PMH hosts alike) is not a per-host entry here: the arxiv spider
# sends all its requests through one download slot, "arxiv", with concurrency 1, no
# jitter and ARXIV_DELAY between requests (see scrapers.spiders.arxiv), so overriding
# ARXIV_DELAY is enough.
DOWNLOAD_SLOTS = {}
AUTOTHROTTLE_ENABLED = False
DOWNLOAD_TIMEOUT = 60
# A digest page or an API answer is kilobytes to a few megabytes (the largest sample is under
# 500 kB; an arXiv OAI-PMH page of 1,000 records a few MB): a body, or a compressed body once
# inflated, over 32 MiB is cancelled and becomes a reject, instead of Scrapy's 1 GiB. Measured
# with tests/test_fault_matrix.py: the interpreter and Scrapy take 100 MB, and a crawl meeting
# a gzip bomb, a deflate and a brotli bomb and two oversized bodies peaks near 140 MB. A body
# just under the limit that is read costs several times its size (decoded text, repaired
# text, parsed objects): a lower limit bounds that too.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
# No FTP: every source is http(s), and Scrapy's FTP handler applies no DOWNLOAD_TIMEOUT, so
# an ftp:// address at a server that never greets hangs the crawl and holds a graceful
# shutdown (SIGTERM) open. An ftp:// request fails at once ("Unsupported URL scheme") and
# is a reject; `reconcile crawl` refuses an ftp:// address setting before the crawl starts
# (scrapers.run.check_settings); this covers `scrapy crawl -s` and scrapyd.
DOWNLOAD_HANDLERS = {"ftp": None}

# Retries: scrapers.retry.PoliteRetryMiddleware replaces Scrapy's RetryMiddleware (see
# DOWNLOADER_MIDDLEWARES). Same rules, but 429 and 503 wait before the retry: Retry-After
# when the server sends it, else RETRY_BACKOFF_BASE * 2**(attempt-1) seconds, at most
# RETRY_BACKOFF_MAX. A Retry-After above RETRY_AFTER_MAX gives up (a rejects row saying so)
# rather than stalling the crawl.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 5.0  # seconds before the first retry of a 429/503 without Retry-After
RETRY_BACKOFF_MAX = 60.0  # seconds, cap of the exponential backoff
RETRY_AFTER_MAX = 120.0  # seconds; a longer Retry-After gives up on the request

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- sources --------------------------------------------------------------------------------
HUGGINGFACE_BASE_URL = "https://huggingface.co"
# Papers per API page asked for: the API answers 50 unless asked for more. A page of
# exactly this many is followed by the next (&p=1, ...) until a shorter one.
HUGGINGFACE_PAGE_SIZE = 100
ARXIV_API_URL = "https://export.arxiv.org/api/query"
ARXIV_RSS_URL = "https://rss.arxiv.org/rss/"  # + category, e.g. cs.CL
ARXIV_OAI_URL = "https://oaipmh.arxiv.org/oai"
ARXIV_DELAY = 3.0  # seconds between two arXiv requests (arXiv's terms: one per 3 s)
ARXIV_PAGE_SIZE = 100  # results per API page, and ids per id_list request
ARXIVLENS_BASE_URL = "https://arxivlens.com"  # the API is ARXIVLENS_BASE_URL + /api/v1
ARXIVLENS_DELAY = 2.0  # seconds between two ArxivLens requests (one at a time, one slot)
ARXIVLENS_PAGE_SIZE = 50  # papers per /papers/by-date/{date} page (its `limit`)
# Pages one listing may take in one crawl (arXiv search, OAI-PMH tokens, ArxivLens days): a
# server that keeps answering with more (a lying total, ever-new tokens) is cut off here,
# with a reject that says so. 200 arXiv pages are 20,000 results, more than a day's listing.
MAX_PAGES = 200
# Digest sites (scrapers.sites): None reads the bundled scrapers/sites.toml; a path reads
# that file instead. Each site's requests go one at a time, its `delay` apart (else
# DOWNLOAD_DELAY).
DIGEST_SITES_FILE = None
DIGEST_MAX_POSTS = 50  # posts fetched per feed or index site and crawl, in discovery order

# --- storage ----------------------------------------------------------------------------
RECONCILE_DB = None  # None: reconcile.store.default_db_path() ($RECONCILE_DB or ./papers.db)
RECONCILE_BATCH_SIZE = 50  # documents buffered before one write transaction

ITEM_PIPELINES = {
    "scrapers.pipelines.StorePipeline": 300,
}

# --- record and replay ------------------------------------------------------------------
# RECORD_DIR: save every response body, plus manifest.json, into this directory.
# REPLAY_DIR: answer every request from such a directory; nothing goes to the network.
REPLAY_DIR = None
RECORD_DIR = None

# 585 sits between HttpCompressionMiddleware (590) and MetaRefreshMiddleware (580):
# * process_request runs after RobotsTxtMiddleware (100) and before the download, so a
#   replayed response never touches the network; robots.txt requests go through the same
#   chain, and in replay a robots.txt missing from the recording is answered with an
#   empty 404 (which robots.txt rules read as "everything allowed");
# * process_response runs after decompression and before retries, so recordings hold the
#   decoded body of every attempt (the last attempt of a URL wins).
# 550 is the place of Scrapy's RetryMiddleware, which PoliteRetryMiddleware replaces: its
# process_response runs after record/replay's (so every attempt is recorded, and a replayed
# 503 is retried from the recording, never the network).
DOWNLOADER_MIDDLEWARES = {
    "scrapers.middlewares.RecordReplayMiddleware": 585,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.retry.PoliteRetryMiddleware": 550,
    "scrapers.middlewares.RedirectGuardMiddleware": 650,  # before RedirectMiddleware (600) sees a 3xx
    # Scrapy's decompression, letting go at once of what a refused gzip bomb inflated to.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "scrapers.middlewares.BoundedDecompressionMiddleware": 590,
    "scrapers.middlewares.ConditionalRequestMiddleware": 660,  # sees a 304 first
}
# Re-fetches ask If-None-Match / If-Modified-Since with the validators of the last stored
# answer of the URL; a 304 adds nothing (see scrapers.middlewares.ConditionalRequestMiddleware).
CONDITIONAL_REQUESTS = True
# A redirect is followed only to the host asked (its subdomains and parents), the hosts of the
# address settings above, the hosts a spider names (a digest site's), and these; anything else,
# and any scheme but http(s), is a reject (scrapers.middlewares.RedirectGuardMiddleware).
REDIRECT_ALLOWED_HOSTS: list[str] = []

FEED_EXPORT_ENCODING = "utf-8"
