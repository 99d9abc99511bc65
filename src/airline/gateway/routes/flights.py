"""Flights: creating a single flight, finding flights, one flight, and a cabin's overbooking
policy (flights service, FlightService). Round trips and schedules are in routes/schedules.py,
the lifecycle, disruptions and announcements in routes/flight_status.py.

Times go in as ISO 8601 with a time zone and come out in UTC (`...Z`), each with a `*_local`
twin in the airport's own time zone: departures (and boarding) at the origin, arrivals at the
destination.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt

from airline.flights.v1 import flights_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in
from airline.gateway.params import (
    FLIGHT_NUMBER,
    Caller,
    FlightIdPath,
    OpsOnly,
    airport_query,
    check_window,
    upper_or_empty,
)
from airline.gateway.problems import error_responses
from airline.gateway.schemas import Flight, FlightIn
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Flights_ = deps.FlightService
CHANGE_ERRORS = error_responses(401, 403, 404, 409, 422)


class Flights(BaseModel):
    flights: list[Flight]


@router.post("/flights", status_code=201, response_model=Flight, tags=["flights"],
             summary="Create a flight on a free plane (ops)", responses=error_responses(401, 403, 404, 409, 422))
async def create_flight(body: FlightIn, flights: Flights_, _: OpsOnly) -> Flight:
    return Flight.of(await flights.CreateFlight(body.to_pb()))


@router.get("/flights", openapi_extra=OPTIONAL_AUTH, response_model=Flights, tags=["flights"],
            summary="Find flights: an airport's departures or arrivals, by number, in a time window",
            responses=error_responses(422))
async def list_flights(
    flights: Flights_, _: Caller,
    airport: Annotated[str | None, airport_query("IATA code")] = None,
    direction: Annotated[Literal["departures", "arrivals"], Query(description="with airport")] = "departures",
    from_: Annotated[AwareDatetime | None, Query(alias="from", description="scheduled time window start",
                                                 examples=["2026-12-01T00:00:00Z"])] = None,
    to: Annotated[AwareDatetime | None, Query(description="scheduled time window end",
                                              examples=["2026-12-02T00:00:00Z"])] = None,
    number: Annotated[str | None, Query(pattern=FLIGHT_NUMBER)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Flights:
    check_window(from_, to)
    request = pb.ListFlightsRequest(airport=upper_or_empty(airport), direction=direction,
                                    number=upper_or_empty(number), limit=limit)
    if from_ is not None:
        getattr(request, "from").CopyFrom(timestamp_in(from_))
    if to is not None:
        request.to.CopyFrom(timestamp_in(to))
    reply = await flights.ListFlights(request)
    return Flights(flights=[Flight.of(f) for f in reply.flights])


@router.get("/flights/{flight_id}", openapi_extra=OPTIONAL_AUTH, response_model=Flight, tags=["flights"],
            summary="One flight", responses=error_responses(404, 422))
async def get_flight(flight_id: FlightIdPath, flights: Flights_, _: Caller) -> Flight:
    return Flight.of(await flights.GetFlight(pb.GetFlightRequest(id=flight_id)))


class OverbookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"percent": 5}]})
    percent: StrictInt = Field(ge=0, le=20, description="sell up to capacity * (100 + percent) / 100 seats")


@router.put("/flights/{flight_id}/cabins/{cabin_class}/overbooking", response_model=Flight, tags=["flights"],
            summary="Set the overbooking policy of one cabin of the flight (ops)",
            description="Default 0 %. Search and offers sell up to capacity + this share; the seat map still "
                        "seats one passenger per seat.",
            responses=CHANGE_ERRORS)
async def set_overbooking(flight_id: FlightIdPath, cabin_class: Literal["vip", "normal"], body: OverbookingIn,
                          flights: Flights_, _: OpsOnly) -> Flight:
    return Flight.of(await flights.SetOverbooking(pb.SetOverbookingRequest(
        flight_id=flight_id, cabin_class=cabin_class, percent=body.percent)))


