"""Paid ancillaries after the sale (issue 15, item 1), pure: extra bag pieces and pre-ordered
meals for a passenger on a leg of a confirmed booking, their prices, the sales window and the
EMD numbers. No I/O (ancillaries_service.py runs the quote and the purchase).

- A bag piece costs what an extra piece cost at booking (fares.BagPrices.per_piece, setting
  AIRLINE_BOOKING_EXTRA_BAG_PRICE); a passenger may hold at most BagPrices.max_pieces extra
  pieces per leg, those bought with the booking included. An infant on a lap has no allowance
  and buys none.
- The meal menu is a setting, per currency: AIRLINE_BOOKING_MEAL_MENU, JSON
  `{"SGD": [{"code": "nasi-lemak", "name": "Nasi lemak", "price": 1500}, ...], ...}` (prices in
  minor units of that currency; ops change it there, read at start). A booking whose currency
  the menu does not list has no meals to buy. An infant on a lap gets no meal.
- Sales close as changes do: AIRLINE_BOOKING_CHANGE_CLOSE_HOURS before the leg's departure
  (`sales_closed`), never once it has left.
- An EMD number is 13 digits like an e-ticket's: the airline's 3-digit code, the form code 8
  (an EMD) and a 9-digit serial from its own sequence, so it never equals an e-ticket number
  (their 10-digit serials would need to pass 8 000 000 000 first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from airline.booking.fares import BagPrices
from airline.platform.errors import Conflict, ValidationFailed

BAG = "bag"
MEAL = "meal"
EMD_FORM = "8"

DEFAULT_MENU: dict[str, list[dict[str, Any]]] = {
    cur: [
        {"code": "nasi-lemak", "name": "Nasi lemak with sambal", "price": price[0]},
        {"code": "chicken-rice", "name": "Hainanese chicken rice", "price": price[1]},
        {"code": "vegetarian-curry", "name": "Vegetable curry with rice", "price": price[2]},
    ]
    for cur, price in {"SGD": (1500, 1600, 1400), "USD": (1100, 1200, 1000), "EUR": (1000, 1100, 900)}.items()
}

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Meal:
    code: str
    name: str
    price: int

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "price": self.price}


def menu(raw: Mapping[str, Sequence[Mapping[str, Any]]], currency: str) -> dict[str, Meal]:
    """The meals sold in `currency` (the setting as read); a malformed line is a setting error."""
    out: dict[str, Meal] = {}
    for line in raw.get(currency.strip().upper(), ()):
        code, name, price = (
            str(line.get("code", "")).strip().lower(),
            str(line.get("name", "")).strip(),
            line.get("price"),
        )
        if not _CODE.fullmatch(code) or not name or not isinstance(price, int) or price <= 0 or code in out:
            raise ValueError(f"meal menu line {dict(line)!r} of {currency}: code, name and a positive price")
        out[code] = Meal(code, name, price)
    return out


def closes_at(departure: datetime, close_hours: float) -> datetime:
    return departure - timedelta(hours=close_hours)


def is_open(departure: datetime, departed: bool, now: datetime, close_hours: float) -> bool:
    return not departed and now < closes_at(departure, close_hours)


def require_open(number: str, departure: datetime, departed: bool, now: datetime, close_hours: float) -> None:
    if not is_open(departure, departed, now, close_hours):
        raise Conflict(
            f"flight {number} leaves in less than {close_hours:g} h or has left: its ancillaries are no longer sold",
            code="sales_closed",
        )


def bag_price(pieces: int, held: int, prices: BagPrices, *, infant: bool) -> int:
    """What `pieces` more extra pieces cost for a passenger holding `held` extra pieces already."""
    if infant:
        raise ValidationFailed("an infant on a lap has no baggage allowance to add to", field="bags.passenger_id")
    if pieces < 1:
        raise ValidationFailed("extra_pieces is at least 1", field="bags.extra_pieces")
    if held + pieces > prices.max_pieces:
        raise ValidationFailed(
            f"at most {prices.max_pieces} extra pieces per passenger and flight ({held} held already)",
            field="bags.extra_pieces",
            code="too_many_pieces",
        )
    return pieces * prices.per_piece


def max_more(held: int, prices: BagPrices, *, infant: bool) -> int:
    return 0 if infant else max(0, prices.max_pieces - held)


def meal_price(code: str, meals: Mapping[str, Meal], *, infant: bool) -> Meal:
    if infant:
        raise ValidationFailed("an infant on a lap gets no meal", field="meals.passenger_id")
    found = meals.get(code.strip().lower())
    if found is None:
        raise ValidationFailed(f"no meal {code!r} on the menu", field="meals.code", code="unknown_meal")
    return found


def bag_description(pieces: int, number: str) -> str:
    return f"{pieces} extra checked bag{'s' if pieces != 1 else ''}, flight {number}"


def meal_description(meal: Meal, number: str) -> str:
    return f"Meal: {meal.name}, flight {number}"


def emd_number(prefix: str, serial: int) -> str:
    """13 digits: the airline's code, the EMD form code and a 9-digit serial."""
    if not re.fullmatch(r"[0-9]{3}", prefix):
        raise ValueError("the airline prefix is 3 digits")
    if not 0 < serial < 10**9:
        raise ValueError("the EMD serial is out of range")
    return f"{prefix}{EMD_FORM}{serial:09d}"


def refund_on_cancel(amount: int, *, flown: bool, in_full: bool, refundable: bool, no_show: bool) -> int:
    """What cancelling the booking gives back of one EMD: nothing for a flight that has flown;
    all of it when the sale is refunded in full (the airline cancelled) or the leg's fare is
    refundable and the passenger did not miss it; nothing otherwise (a non-refundable fare
    keeps what was bought with it, as it keeps its fare)."""
    if amount <= 0 or flown:
        return 0
    if in_full or (refundable and not no_show):
        return amount
    return 0
