"""Scrapy settings of paper-reconcile: politeness, sources, storage, record and replay.

Every value here can be overridden per run: ``scrapy crawl NAME -s NAME=VALUE``,
``reconcile crawl --set NAME=VALUE``, or ``settings_overrides`` of
:func:`scrapers.run.run_crawls`. Each source's address is a setting so tests can point a
spider at a loopback server.

Stats counters written by this project are shaped ``<source>/<event>/<reason>``:
``huggingface/observations/stored``, ``huggingface/documents/duplicate``,
``huggingface/rejects/missing_paper_id``, ``replay/miss``, ``record/saved``.
"""

BOT_NAME = "paper_reconcile"

SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# --- who we are, and how politely we ask --------------------------------------------------
USER_AGENT = "paper-reconcile/0.1 (+https://github.com/paper-reconcile/paper-reconcile)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0  # seconds between two requests to one site (tests set 0)
# Per-site slots where a source asks for more than the default. arXiv's API terms: one
# request every 3 seconds on one connection, so no jitter that could shorten the gap.
DOWNLOAD_SLOTS = {
    "export.arxiv.org": {"concurrency": 1, "delay": 3.0, "jitter": 0},
}
AUTOTHROTTLE_ENABLED = False
DOWNLOAD_TIMEOUT = 60

# Retries. 429 and 503 are retried, but Scrapy's RetryMiddleware retries at once and does
# not read Retry-After. Honouring Retry-After with backoff is not implemented yet; when it
# is, it replaces "scrapy.downloadermiddlewares.retry.RetryMiddleware" (priority 550) in
# DOWNLOADER_MIDDLEWARES below.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- sources --------------------------------------------------------------------------------
HUGGINGFACE_BASE_URL = "https://huggingface.co"
ARXIV_API_URL = "https://export.arxiv.org/api/query"
ARXIVLENS_BASE_URL = "https://arxivlens.com"

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
DOWNLOADER_MIDDLEWARES = {
    "scrapers.middlewares.RecordReplayMiddleware": 585,
}

FEED_EXPORT_ENCODING = "utf-8"
