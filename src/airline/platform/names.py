"""People's names as the real world writes them, and as machines must read them.

A name is accepted and stored exactly as given, in any script (王, Nguyễn, Müller, O'Brien,
शर्मा, Юлия). Where a machine needs A-Z — the BCBP barcode's name field, matching the last
name a passenger types against the booked one — it is transliterated the way a passport's
machine-readable zone is (ICAO Doc 9303 Part 3 §6, which IATA's ticket and BCBP names follow):
the ICAO-specific replacements first (Ä→AE, Ö→OE, Ü→UE, ß→SS, Æ→AE, Ø→OE, Å→AA, Þ→TH,
the ICAO Cyrillic table, …), then any other script through anyascii (王→WANG, ễ→E).
Apostrophes are dropped (O'Brien → OBRIEN); hyphens and other separators become a space.

Matching forgives what a passenger cannot know: the same name typed with or without its
accents, as it is written or as the passport's MRZ spells it (Müller, Mueller and Muller all
match a booked Müller; Wang matches a booked 王).
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

MAX_LENGTH = 60

# ICAO Doc 9303 Part 3, section 6 (transliteration of multinational Latin-based characters,
# and the recommended Cyrillic table); what is not here is left to anyascii.
_ICAO_LATIN = {
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    "Ö": "OE",
    "Ø": "OE",
    "Ü": "UE",
    "ß": "SS",
    "Þ": "TH",
    "Ð": "D",
    "Đ": "D",
    "Ĳ": "IJ",
    "Œ": "OE",
    "Ł": "L",
    "Ħ": "H",
    "ı": "I",
    "Ŋ": "N",
    "ĸ": "K",
    "ẞ": "SS",
}
_ICAO_CYRILLIC = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Е": "E",
    "Ё": "E",
    "Ж": "ZH",
    "З": "Z",
    "И": "I",
    "Й": "I",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
    # Ukrainian, Belarusian, Serbian, Macedonian letters of the same table
    "Є": "IE",
    "І": "I",
    "Ї": "I",
    "Ґ": "G",
    "Ў": "U",
    "Ђ": "D",
    "Ј": "J",
    "Љ": "LJ",
    "Њ": "NJ",
    "Ћ": "C",
    "Џ": "DZ",
    "Ѓ": "G",
    "Ќ": "K",
    "Ѕ": "DZ",
}
_ICAO = {**_ICAO_LATIN, **_ICAO_CYRILLIC}
_ICAO.update({k.lower(): v for k, v in list(_ICAO.items()) if k.lower() != k})

APOSTROPHES = "'’ʼ‘`´"
_SEPARATORS = re.compile(r"[^A-Z]+")
_ALLOWED_PUNCTUATION = set(APOSTROPHES) | {" ", "-", "‐", "‑", ".", ","}


def _transliterate(value: str, icao: bool) -> str:
    """Upper-case A-Z words separated by single spaces."""
    value = unicodedata.normalize("NFC", value)
    for mark in APOSTROPHES:
        value = value.replace(mark, "")
    if icao:
        value = "".join(_ICAO.get(ch, ch) for ch in value)
    # anyascii writes a CJK name syllable by syllable ("WangXiaoMing"); upper-casing joins them
    return " ".join(_SEPARATORS.split(anyascii(value).upper())).strip()


def transliterate(value: str) -> str:
    """The name in upper-case A-Z and spaces, as ICAO 9303 (and so a BCBP) writes it."""
    return _transliterate(value, icao=True)


def bcbp_name(last: str, first: str, width: int = 20) -> str:
    """The BCBP name field (IATA Resolution 792): `LAST/FIRST` in A-Z and spaces, cut to the
    field's `width`; the last name is kept whole first."""
    return f"{transliterate(last)}/{transliterate(first)}"[:width]


def match_key(name: str) -> str:
    """What a typed last name is compared by: A-Z only, no spaces (Nguyễn and NGUYEN, O'Brien
    and OBRIEN, 王 and WANG give one key). `names_match` also accepts the ICAO spelling."""
    return _transliterate(name, icao=False).replace(" ", "")


def _keys(name: str) -> set[str]:
    return {k for k in (match_key(name), transliterate(name).replace(" ", "")) if k}


def names_match(typed: str, booked: str) -> bool:
    """True when a typed name is the booked one, written in its own script, without accents
    or as its passport's MRZ spells it (Müller = Muller = Mueller)."""
    return bool(_keys(typed) & _keys(booked))


def is_name(value: str, max_length: int = MAX_LENGTH) -> bool:
    """A person's name in any script: letters (with their combining marks), separated by single
    spaces, hyphens, apostrophes, dots or commas; at least one letter that transliterates to
    A-Z, so every name can be printed on a boarding pass and matched at check-in."""
    value = unicodedata.normalize("NFC", value)
    if not value or value != value.strip() or len(value) > max_length or "  " in value:
        return False
    has_letter = False
    for ch in value:
        category = unicodedata.category(ch)
        if category.startswith("L"):
            has_letter = True
        elif category.startswith("M"):
            if not has_letter:
                return False  # a combining mark needs a letter to sit on
        elif ch not in _ALLOWED_PUNCTUATION:
            return False
    return has_letter and bool(match_key(value))
