"""The booking search's input: names folded, phones to digits, criteria checked (search.py)."""

from __future__ import annotations

from datetime import date

import pytest

from airline.booking.search import DEFAULT_PAGE, criteria, fold, phone_digits
from airline.platform.errors import ValidationFailed


def test_fold_removes_accents_case_and_extra_spaces() -> None:
    assert fold("  Nguyễn   Thị  ") == "nguyen thi"
    assert fold("ÉLODIE Müller") == "elodie muller"


def test_phone_digits() -> None:
    assert phone_digits("+65 9123-4567") == "6591234567"


def test_criteria_normalised() -> None:
    c = criteria(" Ab12cd ", email=" Ada@Example.COM ", phone="+65 9123 4567", flight="sq 321", day="2030-01-02")
    assert (c.query, c.pnr, c.email, c.phone, c.flight, c.day) == (
        "Ab12cd",
        "AB12CD",
        "ada@example.com",
        "6591234567",
        "SQ321",
        date(2030, 1, 2),
    )
    assert c.page_size == DEFAULT_PAGE
    assert criteria("Nguyen Van").pnr == ""


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "q"),
        ({"query": " "}, "q"),
        ({"query": "a"}, "q"),
        ({"query": "x" * 101}, "q"),
        ({"email": "nope"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"flight": "not a flight"}, "flight"),
        ({"flight": "SQ1", "day": "2030-13-01"}, "date"),
        ({"day": "2030-01-01"}, "date"),
        ({"query": "Lovelace", "page_size": 51}, "page_size"),
    ],
)
def test_criteria_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as e:
        criteria(**kwargs)  # type: ignore[arg-type]
    assert e.value.details.get("field") == field
