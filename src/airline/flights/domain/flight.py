"""The flight aggregate: its cabins and seats, and the snapshot every flight event carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from airline.flights.domain.values import hhmm
from airline.platform import flight_status as flight_rules
from airline.platform.errors import ValidationFailed
from airline.platform.flight_status import FlightStatus


class CabinClass(StrEnum):
    VIP = "vip"
    NORMAL = "normal"


def cabin_class(value: str, field_name: str = "cabin_class") -> CabinClass:
    try:
        return CabinClass(value.strip().lower())
    except ValueError:
        raise ValidationFailed(f"{field_name} must be vip or normal, got {value!r}", field=field_name) from None


MAX_OVERBOOKING_PERCENT = 20


def overbooking_percent(value: int) -> int:
    if not 0 <= value <= MAX_OVERBOOKING_PERCENT:
        raise ValidationFailed(f"percent must be 0 to {MAX_OVERBOOKING_PERCENT}, got {value}", field="percent")
    return value


MIN_SHOW_UP_BP = 5_000  # 50 %: below that a show-up figure is a typo, not a forecast


def show_up_rate_bp(value: int) -> int:
    """Basis points (9200 = 92 % of the sold passengers show up); 0 = not set."""
    if value != 0 and not MIN_SHOW_UP_BP <= value <= 10_000:
        raise ValidationFailed(
            f"show_up_rate_bp must be 0 (not set) or {MIN_SHOW_UP_BP} to 10000 (basis points), got {value}",
            field="show_up_rate_bp",
        )
    return value


def overbooking_allowance(capacity: int, percent: int, show_up_bp: int) -> int:
    """Seats sold past the cabin's capacity. With a show-up rate r: floor(capacity * (1/r - 1)),
    capped by the overbooking policy's maximum (MAX_OVERBOOKING_PERCENT of the seats); without
    one, ops' percentage as before: floor(capacity * percent / 100)."""
    cap = max(capacity, 0)
    if show_up_bp > 0:
        return min(cap * (10_000 - show_up_bp) // show_up_bp, cap * MAX_OVERBOOKING_PERCENT // 100)
    return cap * percent // 100


@dataclass(frozen=True)
class CabinSeats:
    cabin_class: CabinClass
    capacity: int
    sold: int = 0
    overbooking_percent: int = 0
    show_up_rate_bp: int = 0  # 0: the percentage decides the allowance

    @property
    def allowance(self) -> int:
        return overbooking_allowance(self.capacity, self.overbooking_percent, self.show_up_rate_bp)

    @property
    def sellable(self) -> int:
        """What may be sold: the seats plus the overbooking allowance."""
        return self.capacity + self.allowance

    @property
    def left(self) -> int:
        return max(0, self.sellable - self.sold)


@dataclass(frozen=True)
class Flight:
    id: str
    number: str
    origin: str
    destination: str
    origin_time_zone: str
    destination_time_zone: str
    plane_id: str
    gate: str
    status: FlightStatus
    scheduled_departure: datetime
    scheduled_arrival: datetime
    estimated_departure: datetime
    estimated_arrival: datetime
    boarding_starts: datetime
    departure_local_date: date
    seats: tuple[CabinSeats, ...] = ()
    origin_city: str = ""
    destination_city: str = ""
    actual_departure: datetime | None = None
    actual_arrival: datetime | None = None
    diverted_to: str = ""
    delay_code: str = ""
    status_reason: str = ""
    round_trip_id: str = ""
    schedule_id: str = ""
    version: int = 1
    created_at: datetime | None = None
    cancelled_at: datetime | None = None  # when ops cancelled it (the notice passengers got)

    def cabin(self, cls: CabinClass) -> CabinSeats | None:
        return next((c for c in self.seats if c.cabin_class is cls), None)

    def seats_left(self, cls: CabinClass) -> int:
        c = self.cabin(cls)
        return c.left if c is not None else 0

    def gate_window(self) -> tuple[datetime, datetime]:
        return self.boarding_starts, self.estimated_departure

    def local_departure(self) -> str:
        return hhmm(self.estimated_departure, self.origin_time_zone)

    def why_not_sellable(self, now: datetime, close_minutes: float) -> str | None:
        return flight_rules.why_not_sellable(
            self.number, self.status.value, self.estimated_departure, now, close_minutes
        )


@dataclass(frozen=True)
class AirportInfo:
    code: str
    time_zone: str
    city: str


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def flight_payload(flight: Flight) -> dict[str, Any]:
    """The full snapshot every flight event carries."""
    return {
        "id": flight.id,
        "number": flight.number,
        "origin": flight.origin,
        "destination": flight.destination,
        "origin_time_zone": flight.origin_time_zone,
        "destination_time_zone": flight.destination_time_zone,
        "origin_city": flight.origin_city,
        "destination_city": flight.destination_city,
        "plane_id": flight.plane_id,
        "gate": flight.gate,
        "status": flight.status.value,
        "scheduled_departure": _iso(flight.scheduled_departure),
        "scheduled_arrival": _iso(flight.scheduled_arrival),
        "estimated_departure": _iso(flight.estimated_departure),
        "estimated_arrival": _iso(flight.estimated_arrival),
        "actual_departure": _iso(flight.actual_departure),
        "actual_arrival": _iso(flight.actual_arrival),
        "cancelled_at": _iso(flight.cancelled_at),
        "boarding_starts": _iso(flight.boarding_starts),
        "departure_local_date": flight.departure_local_date.isoformat(),
        "seats": [
            {
                "cabin_class": c.cabin_class.value,
                "capacity": c.capacity,
                "sold": c.sold,
                "overbooking_percent": c.overbooking_percent,
                "seats_left": c.left,
            }
            for c in flight.seats
        ],
        "diverted_to": flight.diverted_to,
        "delay_code": flight.delay_code,
        "status_reason": flight.status_reason,
        "round_trip_id": flight.round_trip_id,
        "schedule_id": flight.schedule_id,
        "version": flight.version,
    }
