"""The report renderers by format name: Markdown, JSON and CSV from :mod:`reconcile.report`,
HTML from :mod:`reconcile.report_html`. Here rather than in ``report`` so that the two report
modules import in one direction only (``report_html`` builds on ``report``)."""

from __future__ import annotations

from collections.abc import Callable

from reconcile.report import ReportData, render_csv, render_json, render_markdown
from reconcile.report_html import render_html

RENDERERS: dict[str, Callable[[ReportData], str]] = {
    "md": render_markdown, "json": render_json, "csv": render_csv, "html": render_html,
}
