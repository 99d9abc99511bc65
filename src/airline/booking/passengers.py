"""Passengers as the booking keeps them: who travels (type by age on the day of travel),
their names and travel documents, the contact of the booking, and what a guest may see of
them. Pure: no I/O."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from airline.platform import names
from airline.platform.errors import ValidationFailed


class PassengerType(StrEnum):
    ADULT = "adult"
    CHILD = "child"
    INFANT = "infant"


_REPEATED_MARK = re.compile(r"([-'’.,])\1")  # "Ann--Lee" is a typing error, not a name
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_EMAIL = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_DOC_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MEALS = frozenset({"", "vegetarian", "vegan", "halal", "kosher", "gluten_free", "diabetic", "child", "infant"})


def clean_name(value: str, field_name: str) -> str:
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if not 1 <= len(value) <= 60 or not names.is_name(value, 60) or _REPEATED_MARK.search(value):
        raise ValidationFailed(
            f"{field_name} must be 1-60 letters in any script, with single spaces, hyphens, "
            "apostrophes or dots between them",
            field=field_name,
        )
    return value


def last_name_matches(typed: str, booked: str) -> bool:
    """PNR + last name: the name as written, without accents or as the passport spells it
    (platform/names.py, the same rule check-in uses)."""
    return names.names_match(" ".join(typed.split()), booked)


def parse_date(value: str, field_name: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(f"{field_name} must be a date like 1990-05-31", field=field_name) from None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def type_at(born: date, travel: date) -> PassengerType:
    """Infant under 2, child 2-11, adult 12+, on the day of travel."""
    age = age_on(born, travel)
    if age < 2:
        return PassengerType.INFANT
    if age < 12:
        return PassengerType.CHILD
    return PassengerType.ADULT


@dataclass(frozen=True)
class Document:
    type: str
    number: str
    issuing_country: str
    expiry: date

    def to_dict(self) -> dict[str, str]:
        return {
            "type": self.type,
            "number": self.number,
            "issuing_country": self.issuing_country,
            "expiry": self.expiry.isoformat(),
        }


@dataclass(frozen=True)
class Passenger:
    id: str
    type: PassengerType
    first_name: str
    last_name: str
    date_of_birth: date
    document: Document
    infant_of: str = ""
    meal: str = ""
    cancelled: bool = False  # cancelled alone after the sale (passenger_changes.py)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type.value,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "date_of_birth": self.date_of_birth.isoformat(),
            "document": self.document.to_dict(),
            "infant_of": self.infant_of,
            "meal": self.meal,
            "cancelled": self.cancelled,
        }

    @property
    def seated(self) -> bool:
        return self.type is not PassengerType.INFANT and not self.cancelled


def passenger_from_dict(d: Mapping[str, Any]) -> Passenger:
    doc = d["document"]
    return Passenger(
        d["id"],
        PassengerType(d["type"]),
        d["first_name"],
        d["last_name"],
        date.fromisoformat(d["date_of_birth"]),
        Document(doc["type"], doc["number"], doc["issuing_country"], date.fromisoformat(doc["expiry"])),
        d.get("infant_of", ""),
        d.get("meal", ""),
        bool(d.get("cancelled", False)),
    )


@dataclass(frozen=True)
class PassengerInput:
    type: str
    first_name: str
    last_name: str
    date_of_birth: str
    document_type: str
    document_number: str
    document_country: str
    document_expiry: str
    infant_of: str = ""
    meal: str = ""


def validate_passengers(
    raw: Sequence[PassengerInput], counts: Mapping[PassengerType, int], first_travel: date, last_travel: date
) -> list[Passenger]:
    """Passengers as declared -> checked passengers P1..Pn, in the order given.

    The number of each type must be the offer's; each passenger's age on the first day of
    travel must make the declared type; documents must be valid past the last day of travel;
    every infant sits on the lap of a distinct adult."""
    out: list[Passenger] = []
    for i, p in enumerate(raw, start=1):
        f = f"passengers[{i - 1}]"
        try:
            ptype = PassengerType(p.type.strip().lower())
        except ValueError:
            raise ValidationFailed(f"{f}.type must be adult, child or infant", field=f"{f}.type") from None
        first = clean_name(p.first_name, f"{f}.first_name")
        last = clean_name(p.last_name, f"{f}.last_name")
        born = parse_date(p.date_of_birth, f"{f}.date_of_birth")
        if born > first_travel:
            raise ValidationFailed(f"{f}.date_of_birth is after the flight", field=f"{f}.date_of_birth")
        actual = type_at(born, first_travel)
        if actual is not ptype:
            raise ValidationFailed(
                f"{f} is declared {ptype.value} but is {actual.value} on the day of travel "
                "(infant under 2, child 2-11, adult 12 and over)",
                field=f"{f}.type",
            )
        doc_type = p.document_type.strip().lower()
        if doc_type not in ("passport", "id"):
            raise ValidationFailed(f"{f}.document.type must be passport or id", field=f"{f}.document.type")
        number = p.document_number.strip().upper().replace(" ", "")
        if not _DOC_NUMBER.fullmatch(number):
            raise ValidationFailed(f"{f}.document.number must be 5-20 letters or digits", field=f"{f}.document.number")
        country = p.document_country.strip().upper()
        if not _COUNTRY.fullmatch(country):
            raise ValidationFailed(
                f"{f}.document.issuing_country must be an ISO country code like SG",
                field=f"{f}.document.issuing_country",
            )
        expiry = parse_date(p.document_expiry, f"{f}.document.expiry")
        if expiry <= last_travel:
            raise ValidationFailed(
                f"{f}'s travel document expires before the end of the trip", field=f"{f}.document.expiry"
            )
        meal = p.meal.strip().lower()
        if meal not in MEALS:
            raise ValidationFailed(
                f"{f}.meal must be one of {', '.join(sorted(m for m in MEALS if m))}", field=f"{f}.meal"
            )
        out.append(
            Passenger(
                f"P{i}",
                ptype,
                first,
                last,
                born,
                Document(doc_type, number, country, expiry),
                p.infant_of.strip().upper(),
                meal,
            )
        )
    have = {t: sum(1 for p in out if p.type is t) for t in PassengerType}
    for t in PassengerType:
        if have[t] != counts.get(t, 0):
            raise ValidationFailed(
                f"the offer is for {counts.get(t, 0)} {t.value}(s); {have[t]} given", field="passengers"
            )
    adults = {p.id for p in out if p.type is PassengerType.ADULT}
    laps: set[str] = set()
    for q in out:
        if q.type is PassengerType.INFANT:
            if q.infant_of not in adults:
                raise ValidationFailed(
                    f"infant {q.id} must name an adult of this booking (infant_of)", field="passengers.infant_of"
                )
            if q.infant_of in laps:
                raise ValidationFailed(
                    f"adult {q.infant_of} already has an infant on the lap", field="passengers.infant_of"
                )
            laps.add(q.infant_of)
        elif q.infant_of:
            raise ValidationFailed(
                f"only an infant has infant_of ({q.id} is {q.type.value})", field="passengers.infant_of"
            )
    return out


def validate_contact(email: str, phone: str) -> tuple[str, str]:
    email = email.strip()
    phone = phone.strip().replace(" ", "")
    if not _EMAIL.fullmatch(email) or len(email) > 254:
        raise ValidationFailed("contact.email is not an e-mail address", field="contact.email")
    if not _E164.fullmatch(phone):
        raise ValidationFailed("contact.phone must be in international format like +6591234567", field="contact.phone")
    return email, phone


# --- seats ----------------------------------------------------------------------------------


def seats_for_flight(passengers: Sequence[Passenger], choices: Mapping[str, str]) -> dict[str, str]:
    """passenger id -> seat label for one flight: exactly the seated passengers, distinct seats."""
    seated = {p.id for p in passengers if p.seated}
    given = set(choices)
    if given != seated:
        missing, extra = sorted(seated - given), sorted(given - seated)
        detail = []
        if missing:
            detail.append(f"missing a seat for {', '.join(missing)}")
        if extra:
            detail.append(f"no seat for {', '.join(extra)} (unknown or an infant)")
        raise ValidationFailed("; ".join(detail), field="seats")
    labels = [s.strip().upper() for s in choices.values()]
    if len(set(labels)) != len(labels):
        raise ValidationFailed("two passengers cannot share a seat", field="seats")
    return {pid: seat.strip().upper() for pid, seat in choices.items()}


# --- what a guest sees ----------------------------------------------------------------------


def mask_document_number(number: str) -> str:
    """Only the last 4 characters visible (what a guest with PNR + last name sees)."""
    return "*" * max(0, len(number) - 4) + number[-4:] if len(number) > 4 else "*" * len(number)


def guest_passenger(p: Mapping[str, Any]) -> dict[str, Any]:
    doc = dict(p.get("document") or {})
    if doc:
        doc["number"] = mask_document_number(str(doc.get("number", "")))
    return dict(p, date_of_birth="", document=doc)
