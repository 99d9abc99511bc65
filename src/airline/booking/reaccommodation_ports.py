"""What re-accommodation needs from flights (a flight's live facts, the departures from an
airport) and reservation (free seats per cabin, the booking's assignments on a flight, seats
chosen by the seat rules, giving one flight's seats back), as a port and its gRPC adapter.

AssignSeats is tried once (a seat assignment that timed out may have happened): the caller
asks ListAssignments first on every retry, so a retry finds its own seats instead of taking more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import grpc

from airline.booking.adapters import _Calls, _seat, _ts
from airline.booking.domain import Leg
from airline.booking.fares import FareRules
from airline.booking.ports import SeatRequest
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.auth import Principal
from airline.reservation.v1 import reservation_pb2 as rpb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub


@dataclass(frozen=True)
class FlightFacts:
    id: str
    number: str
    origin: str
    destination: str
    origin_time_zone: str
    status: str
    status_reason: str
    scheduled_departure: datetime
    scheduled_arrival: datetime
    estimated_departure: datetime | None
    estimated_arrival: datetime | None
    version: int = 0
    diverted_to: str = ""  # where a diverted flight landed (or will): its passengers leave from there

    @property
    def departure(self) -> datetime:
        return self.estimated_departure or self.scheduled_departure

    @property
    def arrival(self) -> datetime:
        return self.estimated_arrival or self.scheduled_arrival


def leg_of(f: FlightFacts, rules: FareRules, position: int = 0) -> Leg:
    """A flight a booking moves to, as its leg: the flight's live facts, the fare rules the
    booking kept (a move, by the airline or asked for, never changes what the fare allows)."""
    return Leg(
        position,
        f.id,
        f.number,
        f.origin,
        f.destination,
        f.origin_time_zone,
        f.scheduled_departure,
        f.scheduled_arrival,
        f.estimated_departure,
        f.estimated_arrival,
        f.status,
        f.status_reason,
        rules,
    )


class DisruptionPort(Protocol):
    async def flight(self, flight_id: str) -> FlightFacts: ...

    async def departures(self, airport: str, start: datetime, end: datetime) -> list[FlightFacts]: ...

    async def free_seats(self, flight_id: str) -> dict[str, int]:
        """Free (unsold, unheld) seats per cabin."""
        ...

    async def assigned(self, flight_id: str, booking_ref: str) -> dict[str, str]:
        """passenger ref -> seat of the booking's assignments on the flight."""
        ...

    async def assign(self, flight_id: str, booking_ref: str, seats: Sequence[SeatRequest]) -> dict[str, str]:
        """Seats chosen by the seat rules, the party together (Conflict `no_seats` when no room)."""
        ...

    async def release(self, booking_ref: str, flight_id: str) -> None: ...


def _facts(f: Any) -> FlightFacts:
    scheduled = _ts(f, "scheduled_departure") or datetime.now(UTC)
    return FlightFacts(
        id=f.id,
        number=f.number,
        origin=f.origin,
        destination=f.destination,
        origin_time_zone=f.origin_time_zone,
        status=f.status,
        status_reason=f.status_reason,
        scheduled_departure=scheduled,
        scheduled_arrival=_ts(f, "scheduled_arrival") or scheduled,
        estimated_departure=_ts(f, "estimated_departure"),
        estimated_arrival=_ts(f, "estimated_arrival"),
        version=int(f.version),
        diverted_to=f.diverted_to,
    )


class GrpcDisruption(_Calls):
    def __init__(
        self,
        flights: FlightServiceStub,
        reservation: ReservationServiceStub,
        system: Callable[[], AbstractContextManager[Principal]],
        timeout: Callable[[], float],
    ) -> None:
        super().__init__(system, timeout)
        self.flights = flights
        self.reservation = reservation

    async def flight(self, flight_id: str) -> FlightFacts:
        return _facts(await self.call(self.flights.GetFlight, fpb.GetFlightRequest(id=flight_id), idempotent=True))

    async def departures(self, airport: str, start: datetime, end: datetime) -> list[FlightFacts]:
        request = fpb.ListFlightsRequest(airport=airport, direction="departures", limit=1000)
        getattr(request, "from").FromDatetime(start.astimezone(UTC).replace(tzinfo=None))
        request.to.FromDatetime(end.astimezone(UTC).replace(tzinfo=None))
        reply = await self.call(self.flights.ListFlights, request, idempotent=True)
        return [_facts(f) for f in reply.flights]

    async def free_seats(self, flight_id: str) -> dict[str, int]:
        reply = await self.call(
            self.reservation.CountAvailable, rpb.CountAvailableRequest(flight_id=flight_id), idempotent=True
        )
        return {a.cabin_class: int(a.free) for a in reply.availability}

    async def assigned(self, flight_id: str, booking_ref: str) -> dict[str, str]:
        reply = await self.call(
            self.reservation.ListAssignments,
            rpb.ListAssignmentsRequest(flight_id=flight_id, booking_ref=booking_ref),
            idempotent=True,
        )
        return {a.passenger_ref: a.seat for a in reply.assignments}

    async def assign(self, flight_id: str, booking_ref: str, seats: Sequence[SeatRequest]) -> dict[str, str]:
        reply = await self.call(
            self.reservation.AssignSeats,
            rpb.AssignSeatsRequest(flight_id=flight_id, booking_ref=booking_ref, seats=[_seat(s) for s in seats]),
            idempotent=False,
        )
        return {a.passenger_ref: a.seat for a in reply.assignments}

    async def release(self, booking_ref: str, flight_id: str) -> None:
        await self.call(
            self.reservation.ReleaseAssignments,
            rpb.ReleaseAssignmentsRequest(booking_ref=booking_ref, flight_id=flight_id),
            idempotent=True,
        )


def grpc_disruption(
    channel: Callable[[str], grpc.aio.Channel],
    system: Callable[[], AbstractContextManager[Principal]],
    timeout: Callable[[], float],
) -> GrpcDisruption:
    return GrpcDisruption(
        FlightServiceStub(channel("flights")), ReservationServiceStub(channel("reservation")), system, timeout
    )
