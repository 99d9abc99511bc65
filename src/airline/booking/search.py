"""Customer service's search: bookings by PNR, a passenger's name, contact e-mail or phone,
flight number and departure date. Staff only (cs, ops; admin counts for either).

Names are matched forgivingly: the migration 0009 keeps, per booking, every passenger's first
and last name folded (unaccented, lower case) in a column PostgreSQL computes from the
`passengers` JSONB (`search_names`, GENERATED ... STORED: one fact, `passengers`, and nothing
to keep in step by hand) with a trigram GIN index. A query's name is folded by the same SQL
function and matched with pg_trgm's word similarity (`<%`, threshold 0.6 by default), so
"nguyen" finds "Nguyễn" and "Nguen" finds "Nguyen". A query that is also a valid PNR matches
that booking exactly, and it ranks first (score 2; a name's score is at most 1).

Criteria combine with AND; at least one is needed. The contact is shown unmasked: the desk
calls and writes to passengers, and only cs/ops reach this.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from airline.platform.auth import Role, require
from airline.platform.db import ServiceDatabase
from airline.platform.errors import ValidationFailed

MAX_PAGE = 50
DEFAULT_PAGE = 20
_PNR = re.compile(r"^[A-Z0-9]{6}$")
_FLIGHT = re.compile(r"^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def fold(text: str) -> str:
    """What a name is compared as: no accents, lower case, single spaces. The database's own
    `booking.fold` (unaccent) does the matching; this one checks input in Python."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def phone_digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


@dataclass(frozen=True)
class Criteria:
    query: str = ""
    pnr: str = ""  # the query, when it is shaped like a PNR
    email: str = ""
    phone: str = ""
    flight: str = ""
    day: date | None = None
    page_size: int = DEFAULT_PAGE


def criteria(
    query: str = "", email: str = "", phone: str = "", flight: str = "", day: str = "", page_size: int = 0
) -> Criteria:
    """The search's input checked and normalised; ValidationFailed names the field at fault."""
    q = " ".join(query.split())
    if len(q) > 100:
        raise ValidationFailed("q is at most 100 characters", field="q")
    if q and len(fold(q).replace(" ", "")) < 2:
        raise ValidationFailed("q needs at least 2 letters or digits", field="q")
    pnr = q.upper() if _PNR.match(q.upper()) else ""
    mail = email.strip().lower()
    if mail and not _EMAIL.match(mail):
        raise ValidationFailed("email is not an e-mail address", field="email")
    digits = phone_digits(phone)
    if phone.strip() and not 6 <= len(digits) <= 15:
        raise ValidationFailed("phone needs 6 to 15 digits", field="phone")
    number = flight.strip().upper().replace(" ", "")
    if number and not _FLIGHT.match(number):
        raise ValidationFailed("flight is a flight number such as SQ321", field="flight")
    when: date | None = None
    if day.strip():
        try:
            when = date.fromisoformat(day.strip())
        except ValueError:
            raise ValidationFailed("date is YYYY-MM-DD", field="date") from None
        if not number:
            raise ValidationFailed("date narrows a flight: give flight too", field="date")
    if not (q or mail or digits or number):
        raise ValidationFailed("give at least one of q, email, phone, flight", field="q")
    size = page_size or DEFAULT_PAGE
    if not 1 <= size <= MAX_PAGE:
        raise ValidationFailed(f"page_size is 1 to {MAX_PAGE}", field="page_size")
    return Criteria(q, pnr, mail, digits, number, when, size)


_LEGS = sa.text(
    """
    SELECT booking_id, flight_id, number, origin, destination, scheduled_departure,
           (scheduled_departure AT TIME ZONE origin_time_zone)::date AS day
    FROM booking.booking_legs WHERE booking_id = ANY(:ids) ORDER BY booking_id, position
    """
)


def _statement(c: Criteria) -> tuple[sa.TextClause, dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {"limit": c.page_size}
    score = "0.0"
    if c.query:
        # planned for its value (plan_cache_mode, below): fold(:q) is then a constant, folded
        # once, and pg_trgm estimates how many names match it (an index scan, not a seq scan)
        params["q"] = c.query
        name = "booking.fold(:q) <% b.search_names"
        score = "word_similarity(booking.fold(:q), b.search_names)"
        if c.pnr and any(ch.isdigit() for ch in c.pnr):  # no name has a digit: the PNR only
            params["pnr"] = c.pnr
            where.append("b.pnr = :pnr")
            score = "2.0"
        elif c.pnr:
            params["pnr"] = c.pnr
            where.append(f"(b.pnr = :pnr OR {name})")
            score = f"CASE WHEN b.pnr = :pnr THEN 2.0 ELSE {score} END"
        else:
            where.append(name)
    if c.email:
        params["email"] = c.email
        where.append("lower(b.contact_email) = :email")
    if c.phone:
        params["phone"] = c.phone
        where.append("b.contact_phone <> '' AND regexp_replace(b.contact_phone, '[^0-9]', '', 'g') = :phone")
    if c.flight:
        params["flight"] = c.flight
        legs = "l.number = :flight"
        if c.day is not None:
            # the index narrows by UTC instant (a local date spans UTC-12..UTC+14); the
            # origin's time zone decides
            start = datetime(c.day.year, c.day.month, c.day.day)
            params |= {"day": c.day, "lo": start - timedelta(hours=14), "hi": start + timedelta(hours=38)}
            legs += (
                " AND l.scheduled_departure >= CAST(:lo AS timestamp) AT TIME ZONE 'UTC'"
                " AND l.scheduled_departure < CAST(:hi AS timestamp) AT TIME ZONE 'UTC'"
                " AND (l.scheduled_departure AT TIME ZONE l.origin_time_zone)::date = :day"
            )
        where.append(f"b.id IN (SELECT l.booking_id FROM booking.booking_legs l WHERE {legs})")
    sql = f"""
        SELECT b.id, b.pnr, b.state, b.passengers, b.contact_email, b.contact_phone, b.created_at,
               {score} AS score
        FROM booking.bookings b
        WHERE {" AND ".join(where)}
        ORDER BY score DESC, b.created_at DESC, b.id
        LIMIT :limit
    """  # noqa: S608 - the fragments are constants; every value is a bound parameter
    return sa.text(sql), params


def _leg(row: Any) -> dict[str, Any]:
    return {
        "flight_id": row.flight_id,
        "number": row.number,
        "origin": row.origin,
        "destination": row.destination,
        "date": row.day.isoformat(),
        "scheduled_departure": row.scheduled_departure.isoformat(),
    }


def _hit(row: Any, legs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "pnr": row.pnr or "",
        "state": row.state,
        "passengers": [
            {
                "id": p.get("id", ""),
                "type": p.get("type", ""),
                "first_name": p.get("first_name", ""),
                "last_name": p.get("last_name", ""),
            }
            for p in row.passengers or []
        ],
        "contact": {"email": row.contact_email, "phone": row.contact_phone},
        "legs": legs,
        "score": round(float(row.score), 4),
        "created_at": row.created_at.isoformat(),
    }


class Search:
    def __init__(self, db: ServiceDatabase) -> None:
        self.db = db

    async def search(self, c: Criteria) -> list[dict[str, Any]]:
        require(Role.CS, Role.OPS)
        statement, params = _statement(c)
        async with self.db.engine.connect() as conn, conn.begin():
            # a generic plan of the prepared statement knows no name (it guesses 1% match); and
            # the trigram index's cost is overestimated, so PostgreSQL scans every booking
            # (83 ms at 20,000 bookings, 8 ms by the index). Every criterion has its index.
            await conn.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
            await conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
            rows = (await conn.execute(statement, params)).all()
            ids = [r.id for r in rows]
            legs: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
            if ids:
                for leg in await conn.execute(_LEGS, {"ids": ids}):
                    legs[leg.booking_id].append(_leg(leg))
        return [_hit(r, legs[r.id]) for r in rows]
