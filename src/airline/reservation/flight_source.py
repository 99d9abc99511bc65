"""What reservation knows of a flight, and its port to the flights and airport services.

FlightFacts is what the flights service says (an answer or one of its events); FlightInfo is
this service's copy with the seats; FlightSource asks the other services over gRPC (reads,
retried when unanswered: platform.grpc.call).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from airline.airport.domain import SeatLayout
from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform import flight_status
from airline.platform.errors import ValidationFailed
from airline.platform.grpc import call
from airline.reservation.domain import FlightSeat

FLIGHT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class FlightFacts:
    """What the flights service says about a flight (its answer, or one of its events)."""

    flight_id: str
    plane_id: str
    number: str
    status: str
    departure: datetime | None  # expected (estimated) departure
    version: int

    @classmethod
    def of_event(cls, flight: dict[str, Any]) -> FlightFacts:
        departure = flight.get("estimated_departure") or flight.get("scheduled_departure")
        return cls(
            flight["id"],
            flight.get("plane_id") or "",
            flight.get("number") or flight["id"],
            flight["status"],
            datetime.fromisoformat(departure) if departure else None,
            int(flight.get("version") or 0),
        )


@dataclass(frozen=True)
class FlightInfo:
    flight_id: str
    plane_id: str
    cancelled: bool
    seats: dict[str, FlightSeat]
    number: str = ""
    status: str | None = None  # None: never heard of (treated as sellable only by the flights service's word)
    departure: datetime | None = None
    version: int | None = None  # the flights service's version of the status kept (None: none kept)

    def why_not_sellable(self, now: datetime, close_minutes: float) -> str | None:
        """None when seats may be held, paid for or changed now (platform/flight_status.py)."""
        if self.cancelled:
            return f"flight {self.number or self.flight_id} is cancelled"
        if self.status is None:
            return None
        return flight_status.why_not_sellable(
            self.number or self.flight_id, self.status, self.departure, now, close_minutes
        )

    @property
    def closed(self) -> bool:
        """Left or cancelled: no more seat changes whatever the time."""
        return self.cancelled or (self.status is not None and flight_status.is_closed(self.status))


def flight_id_of(value: str) -> str:
    value = value.strip()
    if not FLIGHT_ID.fullmatch(value):
        raise ValidationFailed("flight_id is required (letters, digits, - and _)", field="flight_id")
    return value


class FlightSource:
    """The flights and airport services as this one needs them: a flight's plane and status, and
    the plane's seat layout. Read as the service itself (role system)."""

    def __init__(
        self,
        flights: FlightServiceStub,
        airport: AirportServiceStub,
        acting_as_system: Callable[[], ContextManager[Any]],
        deadline: float = 5.0,
    ) -> None:
        self.flights = flights
        self.airport = airport
        self.acting_as_system = acting_as_system
        self.deadline = deadline

    async def _get(self, flight_id: str) -> fpb.Flight:
        with self.acting_as_system():
            return await call(
                self.flights.GetFlight,
                fpb.GetFlightRequest(id=flight_id),
                deadline=self.deadline,
                idempotent=True,
                who="the flights service",
                not_found=f"flight {flight_id} does not exist",
            )

    async def flight(self, flight_id: str) -> FlightFacts:
        f = await self._get(flight_id)
        departure = f.estimated_departure if f.HasField("estimated_departure") else f.scheduled_departure
        return FlightFacts(
            flight_id,
            f.plane_id,
            f.number or flight_id,
            f.status or flight_status.FlightStatus.SCHEDULED.value,
            departure.ToDatetime(tzinfo=UTC) if departure.seconds else None,
            f.version,
        )

    async def overbooking_allowance(self, flight_id: str, cabin_class: str) -> int:
        """How many passengers the flights service sells past the cabin's seats (its overbooking
        allowance, asked now: ops may change the policy at any time)."""
        f = await self._get(flight_id)
        return max((c.overbooking_allowance for c in f.seats if c.cabin_class == cabin_class), default=0)

    async def layout(self, plane_id: str) -> SeatLayout:
        with self.acting_as_system():
            p = await call(
                self.airport.GetPlane,
                apb.GetPlaneRequest(id=plane_id),
                deadline=self.deadline,
                idempotent=True,
                who="the airport service",
                not_found=f"plane {plane_id} does not exist",
            )
        return SeatLayout.from_dict(
            {
                "cabins": [
                    {
                        "cabin_class": c.cabin_class,
                        "first_row": c.first_row,
                        "last_row": c.last_row,
                        "seat_letters": c.seat_letters,
                    }
                    for c in p.layout.cabins
                ],
                "exit_rows": list(p.layout.exit_rows),
                "blocked_seats": list(p.layout.blocked_seats),
            }
        )
