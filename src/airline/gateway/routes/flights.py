"""Flights: creating a single flight and finding flights (flights service, FlightService).
Round trips and schedules are in routes/schedules.py; one flight, its lifecycle, disruptions,
overbooking policy and announcements in routes/flight_status.py.

Times go in as ISO 8601 with a time zone and come out in UTC (`...Z`), each with a `*_local`
twin in the airport's own time zone: departures (and boarding) at the origin, arrivals at the
destination.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel

from airline.flights.v1 import flights_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in
from airline.gateway.params import (
    FLIGHT_NUMBER,
    Caller,
    OpsOnly,
    airport_query,
    check_window,
    limit_query,
    upper_or_empty,
)
from airline.gateway.problems import error_responses
from airline.gateway.schemas import Flight, FlightIn
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Flights_ = deps.FlightService


class Flights(BaseModel):
    flights: list[Flight]


@router.post(
    "/flights",
    status_code=201,
    response_model=Flight,
    tags=["flights"],
    summary="Create a flight on a free plane (ops)",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def create_flight(body: FlightIn, flights: Flights_, _: OpsOnly) -> Flight:
    return Flight.of(await flights.CreateFlight(body.to_pb()))


@router.get(
    "/flights",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Flights,
    tags=["flights"],
    summary="Find flights: an airport's departures or arrivals, by number, in a time window",
    responses=error_responses(422),
)
async def list_flights(
    flights: Flights_,
    _: Caller,
    airport: Annotated[str | None, airport_query("IATA code")] = None,
    direction: Annotated[Literal["departures", "arrivals"], Query(description="with airport")] = "departures",
    from_: Annotated[
        AwareDatetime | None,
        Query(alias="from", description="scheduled time window start", examples=["2026-12-01T00:00:00Z"]),
    ] = None,
    to: Annotated[
        AwareDatetime | None, Query(description="scheduled time window end", examples=["2026-12-02T00:00:00Z"])
    ] = None,
    number: Annotated[str | None, Query(pattern=FLIGHT_NUMBER)] = None,
    limit: Annotated[int, limit_query(1000)] = 200,
) -> Flights:
    check_window(from_, to)
    request = pb.ListFlightsRequest(
        airport=upper_or_empty(airport), direction=direction, number=upper_or_empty(number), limit=limit
    )
    if from_ is not None:
        getattr(request, "from").CopyFrom(timestamp_in(from_))
    if to is not None:
        request.to.CopyFrom(timestamp_in(to))
    reply = await flights.ListFlights(request)
    return Flights(flights=[Flight.of(f) for f in reply.flights])
