"""platform/names.py: any script accepted as given; A-Z for barcodes and name matching."""

from __future__ import annotations

import re

import pytest

from airline.platform.names import bcbp_name, is_name, match_key, names_match, transliterate


@pytest.mark.parametrize(
    ("last", "first", "field"),
    [
        ("王", "小明", "WANG/XIAOMING"),
        ("Nguyễn", "Thị Minh", "NGUYEN/THI MINH"),
        ("Müller", "Jürgen", "MUELLER/JUERGEN"),  # ICAO 9303: Ü -> UE
        ("O'Brien", "Seán", "OBRIEN/SEAN"),  # apostrophes dropped
        ("Smith-Jones", "Ann", "SMITH JONES/ANN"),  # hyphens a space
        ("Ødegård", "Åse", "OEDEGAARD/AASE"),  # Ø -> OE, Å -> AA
        ("Straße", "Æsa", "STRASSE/AESA"),  # ß -> SS, Æ -> AE
        ("Щукина", "Юлия", "SHCHUKINA/IULIIA"),  # the ICAO Cyrillic table
        ("Wolfeschlegelsteinhausen", "Hubert", "WOLFESCHLEGELSTEINHA"),  # cut to the field's 20
    ],
)
def test_bcbp_name_is_icao_a_to_z(last: str, first: str, field: str) -> None:
    assert bcbp_name(last, first) == field
    assert re.fullmatch(r"[A-Z /]*", bcbp_name(last, first))


@pytest.mark.parametrize(
    "name",
    [
        "王",
        "Nguyễn",
        "Müller",
        "O'Brien",
        "شرما",
        "शर्मा",
        "김민준",
        "Ελένη",
        "Юлия",
        "Mary-Jane",
        "D’Angelo",
        "St. John",
        "Ng",
        "ชัยวัฒน์",
    ],
)
def test_names_in_any_script_are_names(name: str) -> None:
    assert is_name(name)
    assert re.fullmatch(r"[A-Z ]+", transliterate(name))


@pytest.mark.parametrize("value", ["", " Ada", "Ada ", "Ada  Byron", "R2D2", "<script>", "😀", "Ada\n", "́a", "--"])
def test_what_is_not_a_name(value: str) -> None:
    assert not is_name(value)


@pytest.mark.parametrize(
    ("typed", "booked"),
    [
        ("王", "王"),
        ("Wang", "王"),
        ("nguyen", "Nguyễn"),
        ("NGUYỄN", "Nguyễn"),
        ("Mueller", "Müller"),
        ("Muller", "Müller"),
        ("Müller", "Mueller"),
        ("obrien", "O'Brien"),
        ("O’Brien", "O'Brien"),
        ("smith jones", "Smith-Jones"),
        ("Oedegaard", "Ødegård"),
    ],
)
def test_a_typed_name_matches_its_booked_spelling(typed: str, booked: str) -> None:
    assert names_match(typed, booked)


@pytest.mark.parametrize(("typed", "booked"), [("Li", "王"), ("Miller", "Müller"), ("", "Ada"), ("", "")])
def test_a_different_name_does_not_match(typed: str, booked: str) -> None:
    assert not names_match(typed, booked)


def test_match_key_is_a_to_z_without_spaces() -> None:
    assert match_key("Nguyễn Văn") == "NGUYENVAN"
    assert match_key("王") == "WANG"
