"""Date inputs of the gateway: outside 1900-2100 a validation error (422), never an overflow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import TypeAdapter, ValidationError

from airline.gateway.convert import DateIn, DateTimeIn, timestamp_in
from airline.gateway.problems import ApiProblem


@pytest.mark.parametrize(
    "value",
    ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+01:00", "1899-12-31T23:59:59Z", "2101-01-01T00:00:00+14:00"],
)
def test_an_absurd_date_time_is_a_validation_error(value: str) -> None:
    with pytest.raises(ValidationError, match="between 1900-01-01 and 2100-12-31"):
        TypeAdapter(DateTimeIn).validate_python(value)


def test_dates_inside_the_window_pass() -> None:
    assert TypeAdapter(DateTimeIn).validate_python("2030-05-01T10:00:00+08:00").year == 2030
    assert TypeAdapter(DateIn).validate_python("1900-01-01").year == 1900
    with pytest.raises(ValidationError):
        TypeAdapter(DateIn).validate_python("2101-01-01")


def test_timestamp_in_refuses_what_would_overflow() -> None:
    with pytest.raises(ApiProblem) as e:
        timestamp_in(datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))))
    assert e.value.status_code == 422
    assert timestamp_in(datetime(2030, 1, 1, tzinfo=UTC)).seconds > 0
