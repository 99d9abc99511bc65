"""Round trips and recurring schedules: several flights created together, all or none
(flights service, FlightService)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from airline.flights.v1 import flights_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in
from airline.gateway.params import AirportCode, Duration, FlightNumber, GateCode, LocalTime, OpsOnly, PlaneId, upper
from airline.gateway.problems import error_responses
from airline.gateway.schemas import FLIGHT_EXAMPLE, Flight, FlightIn

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Flights_ = deps.FlightService
CREATE_ERRORS = error_responses(401, 403, 404, 409, 422)


class CreatedFlights(BaseModel):
    flights: list[Flight]
    round_trip_id: str | None = Field(default=None, examples=["7d3c1f0e-5a2b-4c8d-9e6f-1a2b3c4d5e6f"])
    schedule_id: str | None = Field(default=None, examples=[None])

    @classmethod
    def of(cls, reply: pb.CreateFlightsResponse) -> CreatedFlights:
        return cls(
            flights=[Flight.of(f) for f in reply.flights],
            round_trip_id=reply.round_trip_id or None,
            schedule_id=reply.schedule_id or None,
        )


class RoundTripIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "outbound": FLIGHT_EXAMPLE,
                    "return_number": "XA102",
                    "return_departure": "2026-12-01T11:30:00+07:00",
                    "return_duration_minutes": 0,
                    "return_gate": "B1",
                }
            ]
        },
    )
    outbound: FlightIn
    return_number: FlightNumber
    return_departure: AwareDatetime = Field(examples=["2026-12-01T11:30:00+07:00"])
    return_duration_minutes: int = Field(default=0, ge=0, le=20 * 60, description="0: same as the outbound")
    return_gate: GateCode = Field(description="a gate at the outbound's destination")

    _up = field_validator("return_number", "return_gate")(upper)

    @model_validator(mode="after")
    def _return_after_outbound(self) -> RoundTripIn:
        landed = self.outbound.departure + timedelta(minutes=self.outbound.duration_minutes)
        if self.return_departure < landed:
            raise ValueError("return_departure must not be before the outbound arrives")
        if self.return_number == self.outbound.number:
            raise ValueError("return_number must differ from the outbound number")
        return self


class ScheduleIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    **{k: v for k, v in FLIGHT_EXAMPLE.items() if k != "departure"},
                    "departure_local_time": "08:00",
                    "first_date": "2026-12-01",
                    "days": 30,
                    "weekdays": [1, 3, 5],
                    "return_number": "XA102",
                    "return_gate": "B1",
                    "return_departure_local_time": "12:00",
                    "return_duration_minutes": 145,
                }
            ]
        },
    )
    number: FlightNumber
    origin: AirportCode
    destination: AirportCode
    plane_id: PlaneId
    gate: GateCode
    departure_local_time: LocalTime = Field(description="in the origin's time zone")
    duration_minutes: Duration
    first_date: date = Field(description="local date at the origin", examples=["2026-12-01"])
    days: int = Field(ge=1, le=366, description="how many days from first_date", examples=[30])
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        default_factory=list, max_length=7, description="ISO 1=Mon..7=Sun; empty = every day", examples=[[1, 3, 5]]
    )
    return_number: FlightNumber | None = None
    return_gate: GateCode | None = None
    return_departure_local_time: LocalTime | None = Field(default=None, description="in the destination's time zone")
    return_duration_minutes: int = Field(default=0, ge=0, le=20 * 60, description="0: same as the outbound")

    _up = field_validator("number", "origin", "destination", "gate", "return_number", "return_gate")(upper)

    @model_validator(mode="after")
    def _consistent(self) -> ScheduleIn:
        if self.origin == self.destination:
            raise ValueError("origin and destination must differ")
        if len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError("weekdays lists a day twice")
        given = [self.return_number, self.return_gate, self.return_departure_local_time]
        if any(v is not None for v in given) and not all(v is not None for v in given):
            raise ValueError("a return leg needs return_number, return_gate and return_departure_local_time")
        if self.return_number is not None and self.return_number == self.number:
            raise ValueError("return_number must differ from number")
        return self

    def to_pb(self) -> pb.CreateScheduleRequest:
        return pb.CreateScheduleRequest(
            number=self.number,
            origin=self.origin,
            destination=self.destination,
            plane_id=self.plane_id,
            gate=self.gate,
            departure_local_time=self.departure_local_time,
            duration_minutes=self.duration_minutes,
            first_date=self.first_date.isoformat(),
            days=self.days,
            weekdays=self.weekdays,
            return_number=self.return_number or "",
            return_gate=self.return_gate or "",
            return_departure_local_time=self.return_departure_local_time or "",
            return_duration_minutes=self.return_duration_minutes,
        )


@router.post(
    "/flights/round-trips",
    status_code=201,
    response_model=CreatedFlights,
    tags=["flights"],
    summary="Create an outbound and return flight on one plane, both or neither (ops)",
    responses=CREATE_ERRORS,
)
async def create_round_trip(body: RoundTripIn, flights: Flights_, _: OpsOnly) -> CreatedFlights:
    return CreatedFlights.of(
        await flights.CreateRoundTrip(
            pb.CreateRoundTripRequest(
                outbound=body.outbound.to_pb(),
                return_number=body.return_number,
                return_departure=timestamp_in(body.return_departure),
                return_duration_minutes=body.return_duration_minutes,
                return_gate=body.return_gate,
            )
        )
    )


@router.post(
    "/schedules",
    status_code=201,
    response_model=CreatedFlights,
    tags=["flights"],
    summary="Create a recurring schedule: all of its flights or none (ops)",
    responses=CREATE_ERRORS,
)
async def create_schedule(body: ScheduleIn, flights: Flights_, _: OpsOnly) -> CreatedFlights:
    return CreatedFlights.of(await flights.CreateSchedule(body.to_pb()))
