"""Exact results of three small helpers, called in-process.

``crawl_health`` (the one line per crawl that ``crawl``/``run`` print and the report's
header shows), ``read_baseline`` (``report --baseline FILE``) and
``describe_validation_error`` (the one-line reason of a reject or a bad config) were only
exercised through ``reconcile`` run in a subprocess, which mutation testing cannot see:
a one-token change to any of them survived every in-process test. These tests call them
directly on realistic inputs (Scrapy stats as the spiders and pipeline write them, JSON
reports as ``report --format json`` writes them, id files as a person writes them, and
validation errors of the real models) and pin the whole result, branch by branch.
"""

from __future__ import annotations

import json
import locale

import pytest
from pydantic import ValidationError

from reconcile.config import ReconcileConfig
from reconcile.models import Document, Observation, Severity, describe_validation_error
from reconcile.report import SCHEMA, crawl_health, read_baseline

# -- crawl_health -------------------------------------------------------------------------


def test_the_readme_example_line_comes_from_a_digests_crawls_stats():
    # What a digests crawl leaves in its stats: the pipeline counts each reject under
    # <source>/rejects/<reason>, the spider repeats it per site under
    # digest/<site>/rejects/<reason>; other three-part counters are not rejects.
    stats = {
        "start_time": "2026-02-05T06:00:00",
        "downloader/request_count": 24,
        "downloader/response_count": 20,
        "downloader/response_status_count/200": 17,
        "downloader/response_status_count/404": 3,
        "reconcile/crawl_id": 3,
        "reconcile/db": "/data/papers.db",
        "reconcile/pages/read": 6,
        "reconcile/pages/not_modified": 2,
        "reconcile/requests/failed": 4,
        "digest/lim4349/requests/post": 12,
        "digest/lim4349/rejects/http_404": 3,
        "digest/lim4349/requests/failed": 4,
        "digest/rejects/http_404": 3,
        "digest/other/rejects/download_timeouterror": 1,
        "digest/rejects/download_timeouterror": 1,
        "finish_reason": "finished",
    }
    assert crawl_health(stats) == (
        "24 requests, 20 responses, 6 pages read, 4 rejects (http_404 3, download_timeouterror 1)")


def test_a_reason_counted_by_two_sources_is_one_reason_with_their_sum():
    stats = {"downloader/request_count": 9, "downloader/response_count": 9, "reconcile/pages/read": 4,
             "huggingface/rejects/http_404": 2, "digest/rejects/http_404": 3}
    assert crawl_health(stats) == "9 requests, 9 responses, 4 pages read, 5 rejects (http_404 5)"


def test_a_single_reject_is_counted_once():
    stats = {"downloader/request_count": 1, "downloader/response_count": 1,
             "huggingface/rejects/missing_paper_id": 1}
    assert crawl_health(stats) == "1 request, 1 response, 0 pages read, 1 reject (missing_paper_id 1)"


def test_the_four_most_frequent_reasons_are_named_ties_by_name_and_all_are_counted():
    # Inserted neither in the order shown nor alphabetically; http_404 and replay_miss tie.
    stats = {
        "downloader/request_count": 40, "downloader/response_count": 33, "reconcile/pages/read": 12,
        "arxiv/rejects/invalid_observation": 1,
        "huggingface/rejects/missing_paper_id": 2,
        "digest/rejects/replay_miss": 5,
        "digest/rejects/http_404": 5,
        "digest/rejects/download_timeouterror": 7,
        "arxivlens/rejects/store_refused": 1,
    }
    assert crawl_health(stats) == (
        "40 requests, 33 responses, 12 pages read, 21 rejects "
        "(download_timeouterror 7, http_404 5, replay_miss 5, missing_paper_id 2)")


def test_a_crawl_without_rejects_has_no_parenthesis():
    stats = {"downloader/request_count": 3, "downloader/response_count": 3, "reconcile/pages/read": 3,
             "huggingface/list/complete": 1}
    assert crawl_health(stats) == "3 requests, 3 responses, 3 pages read, 0 rejects"


def test_empty_stats_read_as_zeros():
    # A crawl killed before Scrapy wrote any counter.
    assert crawl_health({}) == "0 requests, 0 responses, 0 pages read, 0 rejects"


def test_replayed_responses_count_as_requests_when_the_downloader_counted_fewer():
    # A replayed response is answered before the downloader counts its request.
    assert crawl_health({"downloader/request_count": 2, "downloader/response_count": 12,
                         "reconcile/pages/read": 12}) == "12 requests, 12 responses, 12 pages read, 0 rejects"
    assert crawl_health({"downloader/response_count": 5}) == "5 requests, 5 responses, 0 pages read, 0 rejects"


def test_requests_without_any_response_are_shown_as_such():
    assert crawl_health({"downloader/request_count": 7, "reconcile/requests/failed": 7,
                         "digest/rejects/dns_lookup_failed": 7}) == (
        "7 requests, 0 responses, 0 pages read, 7 rejects (dns_lookup_failed 7)")


# -- read_baseline ------------------------------------------------------------------------

ERNIE_UPVOTES = "3f2a9c0d4b1e8a77"
ERNIE_GARBAGE = "0b9e1d2c3a4f5e6d"
SITE_QUIRK = "c4d5e6f708192a3b"


def json_report(papers, **extra):
    """A report as ``report --format json`` writes it (the fields read_baseline ignores
    included), each paper given as (id, title, [(finding id, kind, severity), ...])."""
    doc = {
        "schema": SCHEMA, "generated_at": "2026-02-05T09:00:00Z", "database": "papers.db",
        "filters": {"kinds": [], "min_severity": "info", "since": None, "sources": [], "baseline": False,
                    "known_not_shown": 0},
        "counts": {"papers": 11}, "crawls": [], "summary": {},
        "papers": [{
            "id": pid, "arxiv_id": pid.removeprefix("arxiv:"), "title": title, "upvotes": 194,
            "upvotes_observed_at": "2026-02-05T00:15:00Z", "sources": ["huggingface", "digest"],
            "discrepancies": [{"id": fid, "kind": kind, "field": kind, "severity": sev, "detail": None,
                               "document_id": 1, "observation_id": 2, "values": []}
                              for fid, kind, sev in findings],
        } for pid, title, findings in papers],
    }
    doc.update(extra)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write(tmp_path, text, name="baseline"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_json_report_gives_each_finding_id_at_its_severity(tmp_path):
    path = write(tmp_path, json_report([
        ("arxiv:2602.04705", "ERNIE 5.0 Technical Report",
         [(ERNIE_UPVOTES, "upvotes", "info"), (ERNIE_GARBAGE, "garbage_field", "warning")]),
        ("arxiv:2602.01111", "A paper without findings", []),
        ("site:lim4349", "Site lim4349", [(SITE_QUIRK, "mojibake", "error")]),
    ]), "yesterday.json")
    known = read_baseline(path)
    assert known == {ERNIE_UPVOTES: Severity.INFO, ERNIE_GARBAGE: Severity.WARNING, SITE_QUIRK: Severity.ERROR}
    assert list(known) == [ERNIE_UPVOTES, ERNIE_GARBAGE, SITE_QUIRK]
    assert all(type(s) is Severity for s in known.values())


def test_a_json_report_without_papers_is_an_empty_baseline(tmp_path):
    assert read_baseline(write(tmp_path, json_report([]))) == {}


def test_a_json_report_may_start_with_blank_lines(tmp_path):
    report = json_report([("arxiv:2602.04705", "ERNIE", [(ERNIE_UPVOTES, "upvotes", "warning")])])
    path = write(tmp_path, "\n\n  \t" + report)
    assert read_baseline(path) == {ERNIE_UPVOTES: Severity.WARNING}


def test_a_byte_order_mark_is_not_part_of_a_baseline(tmp_path):
    """An editor or PowerShell may save either kind of baseline with a UTF-8 byte-order mark;
    it was read as part of the text, so a JSON report became a bad id."""
    report = json_report([("arxiv:2602.04705", "ERNIE", [(ERNIE_UPVOTES, "upvotes", "warning")])])
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + report.encode("utf-8"))
    assert read_baseline(path) == {ERNIE_UPVOTES: Severity.WARNING}
    path.write_bytes(b"\xef\xbb\xbf" + f"{ERNIE_UPVOTES}\n".encode("utf-8"))
    assert read_baseline(path) == {ERNIE_UPVOTES: None}


@pytest.fixture
def ascii_locale():
    """The C locale for the test: text opened without an explicit encoding is ASCII."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def test_a_json_report_is_read_as_utf8_whatever_the_locale(tmp_path, ascii_locale):
    # Reports keep titles as they are (ensure_ascii=False): a Chinese digest's title is UTF-8.
    path = write(tmp_path, json_report([("arxiv:2602.04705", "ERNIE 5.0 技术报告 — résumé",
                                         [(ERNIE_UPVOTES, "upvotes", "info")])]))
    assert read_baseline(path) == {ERNIE_UPVOTES: Severity.INFO}


def test_an_id_file_is_read_as_utf8_whatever_the_locale(tmp_path, ascii_locale):
    path = write(tmp_path, f"{ERNIE_UPVOTES}  # 赞数不一致, vu le 5 février\n")
    assert read_baseline(path) == {ERNIE_UPVOTES: None}


def refusal(path):
    """The message of the ValueError (the CLI prints its first line) that refuses ``path``."""
    with pytest.raises(ValueError) as info:
        read_baseline(path)
    assert info.type is ValueError
    assert info.value.__cause__ is None
    return str(info.value)


def test_a_baseline_that_is_not_utf8_is_refused_naming_the_file(tmp_path):
    """A report saved as UTF-16 (PowerShell's ``>``) was refused with the codec's message
    alone, which names neither the file nor what a baseline is."""
    path = tmp_path / "utf16.json"
    path.write_bytes('{"papers": []}'.encode("utf-16"))
    assert refusal(path) == (f"{path}: not UTF-8 (byte 0xff at offset 0); a baseline is a JSON report "
                             "of this tool or a text file of finding ids")


def test_a_file_that_is_not_json_though_it_starts_with_a_brace_is_refused(tmp_path):
    path = write(tmp_path, "{papers: []}\n")
    with pytest.raises(ValueError) as info:
        read_baseline(path)
    assert info.value.__suppress_context__  # the JSON parser's traceback is not chained on
    assert refusal(path) == (f"{path}: not a JSON report of this tool (JSONDecodeError: Expecting property "
                             "name enclosed in double quotes: line 1 column 2 (char 1))")


def test_json_without_papers_is_refused_naming_the_missing_key(tmp_path):
    path = write(tmp_path, json.dumps({"schema": SCHEMA, "findings": []}))
    assert refusal(path) == f"{path}: not a JSON report of this tool (KeyError: 'papers')"


def test_a_finding_without_an_id_is_refused(tmp_path):
    path = write(tmp_path, json.dumps({"papers": [{"id": "arxiv:2602.04705",
                                                   "discrepancies": [{"severity": "info"}]}]}))
    assert refusal(path) == f"{path}: not a JSON report of this tool (KeyError: 'id')"


def test_papers_of_the_wrong_type_are_refused(tmp_path):
    path = write(tmp_path, json.dumps({"papers": None}))
    assert refusal(path) == f"{path}: not a JSON report of this tool (TypeError: 'NoneType' object is not iterable)"
    path = write(tmp_path, json.dumps({"papers": ["arxiv:2602.04705"]}), "ids-as-json")
    assert refusal(path) == (f"{path}: not a JSON report of this tool "
                             "(TypeError: string indices must be integers, not 'str')")


def test_an_unknown_severity_is_refused(tmp_path):
    path = write(tmp_path, json_report([("arxiv:2602.04705", "ERNIE", [(ERNIE_UPVOTES, "upvotes", "critical")])]))
    assert refusal(path) == f"{path}: not a JSON report of this tool (ValueError: 'critical' is not a valid Severity)"


def test_a_json_refusal_is_cut_at_300_characters(tmp_path):
    severity = "s" * 400
    path = write(tmp_path, json_report([("arxiv:2602.04705", "ERNIE", [(ERNIE_UPVOTES, "upvotes", severity)])]))
    whole = f"{path}: not a JSON report of this tool (ValueError: {severity!r} is not a valid Severity)"
    message = refusal(path)
    assert len(message) == 300
    assert message == whole[:300]


def test_an_id_file_gives_each_id_without_a_severity(tmp_path):
    path = write(tmp_path, (
        "# findings read on 2026-02-05\n"
        "\n"
        f"{ERNIE_UPVOTES}\n"
        f"   {ERNIE_GARBAGE}   # garbage institution # reported upstream\n"
        "\t# indented comment\n"
        f"{SITE_QUIRK}#no space before the comment\r\n"
        f"{ERNIE_UPVOTES}\n"  # a repeat is one id
        "   \n"
    ), "known.txt")
    known = read_baseline(path)
    assert known == {ERNIE_UPVOTES: None, ERNIE_GARBAGE: None, SITE_QUIRK: None}
    assert list(known) == [ERNIE_UPVOTES, ERNIE_GARBAGE, SITE_QUIRK]


def test_an_empty_or_comment_only_id_file_is_an_empty_baseline(tmp_path):
    assert read_baseline(write(tmp_path, "", "empty.txt")) == {}
    assert read_baseline(write(tmp_path, "# nothing known yet\n\n", "comments.txt")) == {}


def test_an_id_in_capitals_is_refused_naming_it(tmp_path):
    path = write(tmp_path, f"{ERNIE_UPVOTES}\n{ERNIE_GARBAGE.upper()}\n")
    assert refusal(path) == f"{path}: '0B9E1D2C3A4F5E6D' is not a finding id (16 hex digits)"


def test_the_first_line_that_is_not_an_id_is_the_one_named(tmp_path):
    path = write(tmp_path, f"{ERNIE_UPVOTES}\n{ERNIE_UPVOTES[:15]}\narxiv:2602.04705\n{ERNIE_GARBAGE}0\n")
    assert refusal(path) == f"{path}: '3f2a9c0d4b1e8a7' is not a finding id (16 hex digits)"


def test_an_id_with_more_digits_is_refused(tmp_path):
    path = write(tmp_path, f"{ERNIE_GARBAGE}0  # 17 digits\n")
    assert refusal(path) == f"{path}: '0b9e1d2c3a4f5e6d0' is not a finding id (16 hex digits)"


def test_a_csv_report_given_as_a_baseline_is_refused_naming_its_first_40_characters(tmp_path):
    path = write(tmp_path, "paper_id,arxiv_id,title,kind,field,severity,values,detail\n"
                           "arxiv:2602.04705,2602.04705,ERNIE,upvotes,upvotes,info,[],\n", "report.csv")
    assert refusal(path) == f"{path}: 'paper_id,arxiv_id,title,kind,field,sever' is not a finding id (16 hex digits)"


def test_a_json_list_is_not_a_report_and_is_read_as_ids(tmp_path):
    path = write(tmp_path, json.dumps([ERNIE_UPVOTES]))
    assert refusal(path) == f"{path}: '[\"3f2a9c0d4b1e8a77\"]' is not a finding id (16 hex digits)"


# -- describe_validation_error ------------------------------------------------------------


def validation_error(build) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        build()
    return info.value


def test_a_reason_names_the_field_the_rule_and_the_value():
    exc = validation_error(lambda: Observation(source="digest", upvotes=-3))
    assert describe_validation_error(exc, "observation") == (
        "observation.upvotes: Input should be greater than or equal to 0 (got -3)")


def test_without_a_name_the_prefix_is_the_models_name_in_lower_case():
    exc = validation_error(lambda: Observation(source="huggingface", rank=0))
    assert describe_validation_error(exc) == "observation.rank: Input should be greater than or equal to 1 (got 0)"


def test_the_given_name_wins_over_the_models_and_a_nested_field_is_dotted():
    exc = validation_error(lambda: ReconcileConfig.model_validate({"matching": {"title_acept": 92}}))
    assert describe_validation_error(exc, "config") == (
        "config.matching.title_acept: Unexpected keyword argument (got 92)")
    assert describe_validation_error(exc) == (
        "reconcileconfig.matching.title_acept: Unexpected keyword argument (got 92)")


def test_an_item_of_a_list_is_named_by_its_index():
    exc = validation_error(lambda: Observation(source="digest", authors=["Yu Sun", 3]))
    assert describe_validation_error(exc, "observation") == (
        "observation.authors.1: Input should be a valid string (got 3)")


def test_an_error_about_the_whole_input_is_at_the_root():
    exc = validation_error(lambda: Observation.model_validate(["2602.04705", 194]))
    assert describe_validation_error(exc, "observation") == (
        "observation.(root): Input should be a valid dictionary or instance of Observation "
        "(got ['2602.04705', 194])")


def test_a_validators_own_message_loses_pydantics_value_error_prefix():
    exc = validation_error(lambda: Observation(source="arxiv", arxiv_id="2602.04705v2"))
    assert describe_validation_error(exc, "observation") == (
        "observation.arxiv_id: arXiv id must be canonical ('2602.04705'), got '2602.04705v2' "
        "(got '2602.04705v2')")


def test_every_failing_field_is_named_in_one_line():
    exc = validation_error(lambda: Observation(source="digest", upvotes=-3, comments="12 comments"))
    assert describe_validation_error(exc, "observation") == (
        "observation.upvotes: Input should be greater than or equal to 0 (got -3); "
        "observation.comments: Input should be a valid integer (got '12 comments')")


def test_a_value_of_80_characters_is_shown_whole():
    value = "1" + "2" * 77  # its repr, quotes included, is 80 characters
    exc = validation_error(lambda: Observation(source="digest", upvotes=value))
    assert describe_validation_error(exc, "observation") == (
        f"observation.upvotes: Input should be a valid integer (got '{value}')")


def test_a_value_of_81_characters_is_cut_to_60_and_its_length():
    value = "1" + "2" * 78  # its repr is 81 characters
    exc = validation_error(lambda: Observation(source="digest", upvotes=value))
    assert describe_validation_error(exc, "observation") == (
        "observation.upvotes: Input should be a valid integer (got '1" + "2" * 58 + "... (81 characters))")


def test_a_huge_title_does_not_become_a_huge_reason():
    title = "Scraped page text " * 200  # 3,600 characters, over the 2,000 a title may have
    exc = validation_error(lambda: Observation(source="digest", title=title))
    line = describe_validation_error(exc, "observation")
    shown = repr(title)[:60]
    assert line == (f"observation.title: String should have at most 2000 characters "
                    f"(got {shown}... (3602 characters))")


def test_a_reason_is_one_line_and_runs_of_spaces_in_the_value_shown_are_collapsed():
    exc = validation_error(lambda: Document(url="https://lim4349.github.io/post", source="digest", format="html",
                                            observed_at="2026-02-05T00:00:00Z", observed_at_basis="response",
                                            sha256="not\na   hash"))
    assert describe_validation_error(exc, "document") == (
        "document.sha256: String should match pattern '^[0-9a-f]{64}$' (got 'not\\na hash')")
