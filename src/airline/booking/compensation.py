"""Passenger rights: what a compensation policy owes a passenger for a flight the airline
cancelled or that arrived late. Pure rules, no I/O except `load_policy`, which reads the
policy's JSON file once (a packaged example, `eu261` or `none`, or a path).

A policy is data: distance bands (great-circle km of the flight's route, each band's upper
bound inclusive) with an amount per currency in minor units, whether a cancellation is
compensated (and the notice that exempts the airline), and the arrival delay from which a
late flight is. Amounts are per currency on purpose: a passenger is owed a fixed amount,
not one that moves with the day's exchange rate; a booking in a currency the policy does
not name cannot be compensated automatically (a clear refusal, for staff to settle).

Each flight of a booking is judged on its own (the booking keeps each leg): a cancelled leg,
or a leg whose arrival (actual, else estimated when the policy counts it) is at least the
threshold after its scheduled arrival.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from airline.platform.errors import Conflict, ValidationFailed

PACKAGED = ("eu261", "none")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


class Reason(StrEnum):
    CANCELLED = "cancelled"
    ARRIVAL_DELAY = "arrival_delay"


class Method(StrEnum):
    VOUCHER = "voucher"
    REFUND = "refund"


@dataclass(frozen=True)
class Band:
    up_to_km: float | None  # inclusive; None: every distance beyond the previous band
    amounts: Mapping[str, int]  # currency -> minor units


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    bands: tuple[Band, ...]
    cancellation: bool  # is a cancellation by the airline compensated
    cancellation_notice_days: int | None  # told at least this long before departure: nothing owed
    arrival_delay_minutes: int | None  # None: no delay is compensated
    count_estimated_arrival: bool  # an announced arrival counts before the flight has landed
    infants: bool  # lap infants (no seat, no public fare) are compensated too

    def amount(self, distance_km: float, currency: str) -> int:
        """The band's amount for this distance, in `currency` (Conflict if the policy names none)."""
        for band in self.bands:
            if band.up_to_km is None or distance_km <= band.up_to_km:
                if currency not in band.amounts:
                    raise Conflict(
                        f"the compensation policy {self.name} has no amount in {currency}: customer service "
                        "settles this claim",
                        code="compensation_currency",
                    )
                return band.amounts[currency]
        return 0


@dataclass(frozen=True)
class FlightFacts:
    """One leg as the owner of flight status tells it now, with its route's distance."""

    flight_id: str
    number: str
    status: str
    scheduled_departure: datetime
    scheduled_arrival: datetime
    actual_arrival: datetime | None
    estimated_arrival: datetime | None
    distance_km: float | None  # None: an airport has no coordinates
    cancelled_at: datetime | None = None  # when the cancellation was announced, if known


@dataclass(frozen=True)
class Entitlement:
    flight_id: str
    number: str
    reason: Reason
    distance_km: float
    delay_minutes: int
    amount: int
    currency: str
    explanation: str


def arrival_delay(f: FlightFacts, count_estimated: bool) -> timedelta | None:
    arrival = f.actual_arrival or (f.estimated_arrival if count_estimated else None)
    return None if arrival is None else arrival - f.scheduled_arrival


def entitlement(policy: Policy, f: FlightFacts, currency: str) -> Entitlement | None:
    """What one passenger is owed for flight `f` under `policy` (None: nothing)."""
    reason: Reason | None = None
    delay_minutes = 0
    if f.status == "cancelled":
        notice = None if f.cancelled_at is None else f.scheduled_departure - f.cancelled_at
        exempt = (
            policy.cancellation_notice_days is not None
            and notice is not None
            and notice >= timedelta(days=policy.cancellation_notice_days)
        )
        if policy.cancellation and not exempt:
            reason = Reason.CANCELLED
    elif policy.arrival_delay_minutes is not None:
        late = arrival_delay(f, policy.count_estimated_arrival)
        if late is not None and late >= timedelta(minutes=policy.arrival_delay_minutes):
            reason, delay_minutes = Reason.ARRIVAL_DELAY, int(late.total_seconds() // 60)
    if reason is None:
        return None
    if f.distance_km is None:
        raise Conflict(
            f"the distance of flight {f.number} is not known (its airports have no coordinates)",
            code="distance_unknown",
        )
    amount = policy.amount(f.distance_km, currency)
    if amount <= 0:
        return None
    why = (
        f"flight {f.number} was cancelled by the airline"
        if reason is Reason.CANCELLED
        else f"flight {f.number} arrived {delay_minutes // 60} h {delay_minutes % 60:02d} min late"
    )
    return Entitlement(
        f.flight_id,
        f.number,
        reason,
        round(f.distance_km, 1),
        delay_minutes,
        amount,
        currency,
        f"{why} ({round(f.distance_km):,} km; policy {policy.name})",
    )


def method(value: str) -> Method:
    try:
        return Method(value.strip().lower())
    except ValueError:
        raise ValidationFailed("method must be voucher or refund", field="method") from None


# --- the policy as data ---------------------------------------------------------------------


def _int_or_none(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{key} must be a whole number >= 0 or null")
    return value


def _bands(raw: Sequence[Any]) -> tuple[Band, ...]:
    bands: list[Band] = []
    previous = 0.0
    for i, b in enumerate(raw):
        up_to = b.get("up_to_km")
        if up_to is not None and (not isinstance(up_to, int | float) or up_to <= previous):
            raise ValueError(f"band {i}: up_to_km must increase from band to band")
        if bands and bands[-1].up_to_km is None:
            raise ValueError(f"band {i}: no band may follow the open-ended one")
        amounts = b.get("amounts") or {}
        if not isinstance(amounts, dict) or not all(
            isinstance(c, str) and _CURRENCY.fullmatch(c) and isinstance(a, int) and not isinstance(a, bool) and a >= 0
            for c, a in amounts.items()
        ):
            raise ValueError(f"band {i}: amounts are ISO currency -> minor units (whole, >= 0)")
        bands.append(Band(None if up_to is None else float(up_to), dict(amounts)))
        previous = float(up_to) if up_to is not None else previous
    return tuple(bands)


def parse_policy(raw: Mapping[str, Any]) -> Policy:
    """A policy from its JSON form; ValueError naming what is wrong."""
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError("name must be 1-64 lower-case letters, digits, '.', '_' or '-'")
    bands = raw.get("bands", [])
    if not isinstance(bands, list):
        raise ValueError("bands must be a list")
    return Policy(
        name=name,
        description=str(raw.get("description", "")),
        bands=_bands(bands),
        cancellation=bool(raw.get("cancellation", False)),
        cancellation_notice_days=_int_or_none(raw, "cancellation_notice_days"),
        arrival_delay_minutes=_int_or_none(raw, "arrival_delay_minutes"),
        count_estimated_arrival=bool(raw.get("count_estimated_arrival", False)),
        infants=bool(raw.get("infants", False)),
    )


@lru_cache(maxsize=8)
def load_policy(choice: str) -> Policy:
    """`eu261` or `none` (shipped in booking/policies/), or the path of a JSON file of that form."""
    choice = choice.strip()
    if choice in PACKAGED:
        text = (resources.files("airline.booking") / "policies" / f"{choice}.json").read_text(encoding="utf-8")
    else:
        text = Path(choice).read_text(encoding="utf-8")
    try:
        return parse_policy(json.loads(text))
    except (ValueError, AttributeError, TypeError) as e:
        raise ValueError(f"compensation policy {choice}: {e}") from e
