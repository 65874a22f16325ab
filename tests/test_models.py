"""Model validation: bad values are stopped with the field and the value named."""

import datetime as dt

import pytest
from pydantic import ValidationError

from reconcile.models import Observation, Severity, TimeBasis, describe_validation_error, iso


def test_error_names_field_and_value():
    with pytest.raises(ValidationError) as info:
        Observation(source="digest", upvotes=-3)
    line = describe_validation_error(info.value, "observation")
    assert line.startswith("observation.upvotes:")
    assert "(got -3)" in line and "\n" not in line


def test_arxiv_id_must_be_canonical():
    with pytest.raises(ValidationError) as info:
        Observation(source="arxiv", arxiv_id="2602.04705v2")
    line = describe_validation_error(info.value)
    assert "arxiv_id" in line and "'2602.04705v2'" in line
    with pytest.raises(ValidationError, match="not an arXiv identifier"):
        Observation(source="arxiv", arxiv_id="abc")
    assert Observation(source="arxiv", arxiv_id="hep-th/9901001").arxiv_id == "hep-th/9901001"


def test_unknown_source_and_field_are_refused():
    with pytest.raises(ValidationError, match="source"):
        Observation(source="twitter")
    with pytest.raises(ValidationError, match="likes"):
        Observation(source="digest", likes=3)


def test_blank_text_is_none_and_times_are_utc():
    obs = Observation(source="digest", title="  ", observed_at="2026-02-05T09:15:00+09:00")
    assert obs.title is None
    assert obs.observed_at == dt.datetime(2026, 2, 5, 0, 15, tzinfo=dt.timezone.utc)
    assert iso(obs.observed_at) == "2026-02-05T00:15:00Z"


def test_capture_bases_and_severity_levels():
    assert {b for b in TimeBasis if b.is_capture} == {TimeBasis.RESPONSE, TimeBasis.STATED_CAPTURE,
                                                      TimeBasis.GIVEN}
    assert [s.level for s in (Severity.INFO, Severity.WARNING, Severity.ERROR)] == [0, 1, 2]
