"""What crew asks the flights and airport services over gRPC: the adapter behind the service's
flight and plane lookups (wired in bootstrap.py)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from airline.crew.domain import FlightInfo
from airline.platform.grpc import call


class Directory:
    """What crew asks the flights and airport services (reads: retried when unanswered)."""

    def __init__(self, flights_stub: Any, airport_stub: Any, deadline: float = 5.0) -> None:
        self.flights = flights_stub
        self.airport = airport_stub
        self.deadline = deadline

    async def plane(self, plane_id: str) -> tuple[str, int]:
        from airline.airport.v1 import airport_pb2 as apb

        p = await call(
            self.airport.GetPlane,
            apb.GetPlaneRequest(id=plane_id),
            deadline=self.deadline,
            idempotent=True,
            who="the airport service",
            not_found=f"unknown plane {plane_id}",
        )
        return p.aircraft_type, sum(c.seats for c in p.capacity)

    async def flight(self, flight_id: str) -> FlightInfo:
        from airline.flights.v1 import flights_pb2 as fpb

        f = await call(
            self.flights.GetFlight,
            fpb.GetFlightRequest(id=flight_id),
            deadline=self.deadline,
            idempotent=True,
            who="the flights service",
            not_found=f"no flight {flight_id}",
        )
        aircraft_type, seats = await self.plane(f.plane_id)
        utc = UTC
        return FlightInfo(
            f.id,
            f.number,
            f.origin,
            f.diverted_to or f.destination,
            f.estimated_departure.ToDatetime(tzinfo=utc),
            f.estimated_arrival.ToDatetime(tzinfo=utc),
            aircraft_type,
            seats,
            f.status,
        )
