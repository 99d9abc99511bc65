"""Shared by the flights unit tests: one flight (XA101, Singapore to Alor Setar) and the times
around it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from airline.flights.domain import CabinClass, CabinSeats, Flight, FlightStatus

S = FlightStatus
T0 = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)
BOARDING = timedelta(minutes=40)
TURNAROUND = timedelta(minutes=45)


def flight(status: FlightStatus = S.SCHEDULED, **kw: object) -> Flight:
    f = Flight(
        id="f1",
        number="XA101",
        origin="XSP",
        destination="AOR",
        origin_time_zone="Asia/Singapore",
        destination_time_zone="Asia/Kuala_Lumpur",
        destination_city="Alor Setar",
        plane_id="P1",
        gate="X1",
        status=status,
        scheduled_departure=T0,
        scheduled_arrival=T0 + 90 * M,
        estimated_departure=T0,
        estimated_arrival=T0 + 90 * M,
        boarding_starts=T0 - BOARDING,
        departure_local_date=date(2027, 3, 1),
        seats=(CabinSeats(CabinClass.VIP, 8, 2), CabinSeats(CabinClass.NORMAL, 150, 0)),
    )
    return replace(f, **kw)  # type: ignore[arg-type]
