"""Flights: creation (single, round trip, recurring schedule), the flight lifecycle and
disruptions, and the announcements they cause (flights service, FlightService).

Times go in as ISO 8601 with a time zone and come out in UTC (`...Z`), each with a `*_local`
twin in the airport's own time zone: departures (and boarding) at the origin, arrivals at the
destination.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    computed_field,
    field_validator,
    model_validator,
)

from airline.flights.v1 import flights_pb2 as pb
from airline.flights.v1 import flights_pb2_grpc as pb_grpc
from airline.gateway import deps
from airline.gateway.convert import timestamp_in, timestamp_out
from airline.gateway.problems import ApiProblem, error_responses
from airline.gateway.security import OPTIONAL_AUTH, optional_principal, require_roles
from airline.platform.auth import Principal, Role

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py


def flight_service(request: Request) -> pb_grpc.FlightServiceStub:
    return pb_grpc.FlightServiceStub(deps.channel(request, "flights"))


Flights_ = Annotated[pb_grpc.FlightServiceStub, Depends(flight_service)]
OpsOnly = Annotated[Principal, Depends(require_roles(Role.OPS))]
AgentOrOps = Annotated[Principal, Depends(require_roles(Role.AGENT, Role.OPS))]
Caller = Annotated[Principal | None, Depends(optional_principal)]

AirportCode = Annotated[
    str, Field(pattern=r"^[A-Za-z]{3}$", description="IATA airport code (3 letters)", examples=["XSP"])
]
FlightNumber = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9]{2}[0-9]{1,4}[A-Za-z]?$",
               description="airline designator + 1-4 digits (+ optional suffix)", examples=["XA101"])
]
GateCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,8}$", examples=["X1"])]
PlaneId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$", examples=["P1"])]
FlightIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                   examples=["0b6f8a52-3c1d-4e7a-9f10-2d4c6b8e0a13"])]
Duration = Annotated[int, Field(ge=1, le=20 * 60, description="block time in minutes", examples=[95])]
Reason = Annotated[str, Field(min_length=1, max_length=300, examples=["late inbound aircraft"])]
LocalTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM, 24 h",
                                 examples=["08:00"])]
FlightStatus = Literal["scheduled", "delayed", "boarding", "departed", "arrived", "cancelled", "diverted"]
LifecycleStatus = Literal["boarding", "departed", "arrived"]


def _upper(value: str | None) -> str | None:
    return value.upper() if value is not None else None


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local(value: datetime | None, zone_name: str | None) -> datetime | None:
    zone = _zone(zone_name)
    if value is None or zone is None:
        return None
    return value.astimezone(zone)


# --- responses --------------------------------------------------------------------------


class CabinSeats(BaseModel):
    cabin_class: str = Field(examples=["normal"])
    capacity: int = Field(description="seats in the cabin", examples=[150])
    sold: int = Field(description="seats of confirmed bookings", examples=[42])
    overbooking_percent: int = Field(default=0, description="ops' policy: sell up to capacity + this %",
                                     examples=[0])
    seats_left: int = Field(default=0, description="capacity * (100 + overbooking_percent) / 100 - sold, at least 0",
                            examples=[108])

    @computed_field(description="the same as seats_left", examples=[108])  # type: ignore[prop-decorator]
    @property
    def available(self) -> int:
        return self.seats_left


class Flight(BaseModel):
    """One flight. UTC times end in `Z`; each `*_local` field is the same instant in the
    origin's (departure, boarding) or destination's (arrival) time zone."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(examples=["0b6f8a52-3c1d-4e7a-9f10-2d4c6b8e0a13"])
    number: str = Field(examples=["XA101"])
    origin: str = Field(examples=["XSP"])
    destination: str = Field(examples=["BKK"])
    origin_time_zone: str = Field(examples=["Asia/Singapore"])
    destination_time_zone: str = Field(examples=["Asia/Bangkok"])
    plane_id: str = Field(examples=["P1"])
    gate: str | None = Field(default=None, examples=["X1"])
    status: str = Field(examples=["scheduled"],
                        description="scheduled | delayed | boarding | departed | arrived | cancelled | diverted")
    scheduled_departure: datetime | None = Field(default=None, examples=["2026-12-01T00:00:00Z"])
    scheduled_arrival: datetime | None = Field(default=None, examples=["2026-12-01T02:25:00Z"])
    estimated_departure: datetime | None = Field(default=None, examples=["2026-12-01T00:00:00Z"])
    estimated_arrival: datetime | None = Field(default=None, examples=["2026-12-01T02:25:00Z"])
    actual_departure: datetime | None = Field(default=None, examples=[None])
    actual_arrival: datetime | None = Field(default=None, examples=[None])
    boarding_starts: datetime | None = Field(default=None, examples=["2026-11-30T23:20:00Z"])
    seats: list[CabinSeats] = Field(default_factory=list)
    diverted_to: str | None = Field(default=None, examples=[None])
    delay_code: str | None = Field(default=None, examples=[None])
    status_reason: str | None = Field(default=None, examples=[None])
    round_trip_id: str | None = Field(default=None, examples=[None])
    schedule_id: str | None = Field(default=None, examples=[None])
    version: int = Field(default=0, description="increases with every change", examples=[1])
    created_at: datetime | None = Field(default=None, examples=["2026-10-01T09:30:00Z"])

    @field_validator("gate", "diverted_to", "delay_code", "status_reason", "round_trip_id", "schedule_id",
                     mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator("scheduled_departure", "scheduled_arrival", "estimated_departure", "estimated_arrival",
                     "actual_departure", "actual_arrival", "boarding_starts", "created_at", mode="before")
    @classmethod
    def _empty_time_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator("scheduled_departure", "scheduled_arrival", "estimated_departure", "estimated_arrival",
                     "actual_departure", "actual_arrival", "boarding_starts", "created_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # the contract says UTC; a naive value is UTC
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    @computed_field(examples=["2026-12-01T08:00:00+08:00"])  # type: ignore[prop-decorator]
    @property
    def scheduled_departure_local(self) -> datetime | None:
        return _local(self.scheduled_departure, self.origin_time_zone)

    @computed_field(examples=["2026-12-01T09:25:00+07:00"])  # type: ignore[prop-decorator]
    @property
    def scheduled_arrival_local(self) -> datetime | None:
        return _local(self.scheduled_arrival, self.destination_time_zone)

    @computed_field(examples=["2026-12-01T08:00:00+08:00"])  # type: ignore[prop-decorator]
    @property
    def estimated_departure_local(self) -> datetime | None:
        return _local(self.estimated_departure, self.origin_time_zone)

    @computed_field(examples=["2026-12-01T09:25:00+07:00"])  # type: ignore[prop-decorator]
    @property
    def estimated_arrival_local(self) -> datetime | None:
        return _local(self.estimated_arrival, self.destination_time_zone)

    @computed_field(examples=[None])  # type: ignore[prop-decorator]
    @property
    def actual_departure_local(self) -> datetime | None:
        return _local(self.actual_departure, self.origin_time_zone)

    @computed_field(examples=[None])  # type: ignore[prop-decorator]
    @property
    def actual_arrival_local(self) -> datetime | None:
        return _local(self.actual_arrival, self.destination_time_zone)

    @computed_field(examples=["2026-12-01T07:20:00+08:00"])  # type: ignore[prop-decorator]
    @property
    def boarding_starts_local(self) -> datetime | None:
        return _local(self.boarding_starts, self.origin_time_zone)

    @classmethod
    def of(cls, f: pb.Flight) -> "Flight":
        return cls(
            id=f.id, number=f.number, origin=f.origin, destination=f.destination,
            origin_time_zone=f.origin_time_zone, destination_time_zone=f.destination_time_zone,
            plane_id=f.plane_id, gate=f.gate, status=f.status,
            scheduled_departure=timestamp_out(f, "scheduled_departure"),
            scheduled_arrival=timestamp_out(f, "scheduled_arrival"),
            estimated_departure=timestamp_out(f, "estimated_departure"),
            estimated_arrival=timestamp_out(f, "estimated_arrival"),
            actual_departure=timestamp_out(f, "actual_departure"),
            actual_arrival=timestamp_out(f, "actual_arrival"),
            boarding_starts=timestamp_out(f, "boarding_starts"),
            seats=[CabinSeats(cabin_class=s.cabin_class, capacity=s.capacity, sold=s.sold,
                              overbooking_percent=s.overbooking_percent, seats_left=s.seats_left) for s in f.seats],
            diverted_to=f.diverted_to, delay_code=f.delay_code, status_reason=f.status_reason,
            round_trip_id=f.round_trip_id, schedule_id=f.schedule_id, version=f.version,
            created_at=timestamp_out(f, "created_at"),
        )


class Flights(BaseModel):
    flights: list[Flight]


class CreatedFlights(BaseModel):
    flights: list[Flight]
    round_trip_id: str | None = Field(default=None, examples=["7d3c1f0e-5a2b-4c8d-9e6f-1a2b3c4d5e6f"])
    schedule_id: str | None = Field(default=None, examples=[None])

    @classmethod
    def of(cls, reply: pb.CreateFlightsResponse) -> "CreatedFlights":
        return cls(flights=[Flight.of(f) for f in reply.flights],
                   round_trip_id=reply.round_trip_id or None, schedule_id=reply.schedule_id or None)


class Announcement(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(examples=["5c0e2d8a-1b3f-4a6c-8d9e-0f1a2b3c4d5e"])
    flight_id: str = Field(examples=["0b6f8a52-3c1d-4e7a-9f10-2d4c6b8e0a13"])
    flight_number: str = Field(examples=["XA101"])
    airport: str = Field(description="where it is announced (the departure airport)", examples=["XSP"])
    kind: str = Field(description="delay | cancellation | diversion | gate_change | boarding | go_to_gate | "
                                  "final_call | free_text", examples=["delay"])
    message: str = Field(examples=["Flight XA101 to BKK is delayed to 09:30 (late inbound aircraft)."])
    created_at: datetime | None = Field(default=None, examples=["2026-12-01T00:05:00Z"])

    @field_validator("created_at", mode="before")
    @classmethod
    def _empty_time_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)

    @classmethod
    def of(cls, a: pb.Announcement) -> "Announcement":
        return cls(id=a.id, flight_id=a.flight_id, flight_number=a.flight_number, airport=a.airport, kind=a.kind,
                   message=a.message, created_at=timestamp_out(a, "created_at"))


class Announcements(BaseModel):
    announcements: list[Announcement]


# --- requests ---------------------------------------------------------------------------


class FlightIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "number": "XA101", "origin": "XSP", "destination": "BKK", "departure": "2026-12-01T08:00:00+08:00",
            "duration_minutes": 145, "plane_id": "P1", "gate": "X1",
        }]},
    )
    number: FlightNumber
    origin: AirportCode
    destination: AirportCode
    departure: AwareDatetime = Field(description="scheduled departure, with a time zone",
                                     examples=["2026-12-01T08:00:00+08:00"])
    duration_minutes: Duration
    plane_id: PlaneId
    gate: GateCode = Field(description="a gate at the origin")

    _up = field_validator("number", "origin", "destination", "gate")(_upper)

    @model_validator(mode="after")
    def _two_airports(self) -> "FlightIn":
        if self.origin == self.destination:
            raise ValueError("origin and destination must differ")
        return self

    def to_pb(self) -> pb.CreateFlightRequest:
        return pb.CreateFlightRequest(
            number=self.number, origin=self.origin, destination=self.destination,
            departure=timestamp_in(self.departure), duration_minutes=self.duration_minutes,
            plane_id=self.plane_id, gate=self.gate,
        )


class RoundTripIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "outbound": {"number": "XA101", "origin": "XSP", "destination": "BKK",
                         "departure": "2026-12-01T08:00:00+08:00", "duration_minutes": 145, "plane_id": "P1",
                         "gate": "X1"},
            "return_number": "XA102", "return_departure": "2026-12-01T11:30:00+07:00",
            "return_duration_minutes": 0, "return_gate": "B1",
        }]},
    )
    outbound: FlightIn
    return_number: FlightNumber
    return_departure: AwareDatetime = Field(examples=["2026-12-01T11:30:00+07:00"])
    return_duration_minutes: int = Field(default=0, ge=0, le=20 * 60, description="0: same as the outbound")
    return_gate: GateCode = Field(description="a gate at the outbound's destination")

    _up = field_validator("return_number", "return_gate")(_upper)

    @model_validator(mode="after")
    def _return_after_outbound(self) -> "RoundTripIn":
        landed = self.outbound.departure + timedelta(minutes=self.outbound.duration_minutes)
        if self.return_departure < landed:
            raise ValueError("return_departure must not be before the outbound arrives")
        if self.return_number == self.outbound.number:
            raise ValueError("return_number must differ from the outbound number")
        return self


class ScheduleIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "number": "XA101", "origin": "XSP", "destination": "BKK", "plane_id": "P1", "gate": "X1",
            "departure_local_time": "08:00", "duration_minutes": 145, "first_date": "2026-12-01", "days": 30,
            "weekdays": [1, 3, 5], "return_number": "XA102", "return_gate": "B1",
            "return_departure_local_time": "12:00", "return_duration_minutes": 145,
        }]},
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

    _up = field_validator("number", "origin", "destination", "gate", "return_number", "return_gate")(_upper)

    @model_validator(mode="after")
    def _consistent(self) -> "ScheduleIn":
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
            number=self.number, origin=self.origin, destination=self.destination, plane_id=self.plane_id,
            gate=self.gate, departure_local_time=self.departure_local_time, duration_minutes=self.duration_minutes,
            first_date=self.first_date.isoformat(), days=self.days, weekdays=self.weekdays,
            return_number=self.return_number or "", return_gate=self.return_gate or "",
            return_departure_local_time=self.return_departure_local_time or "",
            return_duration_minutes=self.return_duration_minutes,
        )


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "boarding"}]})
    status: LifecycleStatus
    at: AwareDatetime | None = Field(default=None, description="when it happened; default now")


class GateChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"gate": "X2", "reason": "gate X1 closed"}]})
    gate: GateCode
    reason: str = Field(default="", max_length=300)

    _up = field_validator("gate")(_upper)


class DelayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"new_departure": "2026-12-01T09:30:00+08:00", "delay_code": "93",
                                         "reason": "late inbound aircraft"}]},
    )
    new_departure: AwareDatetime
    new_arrival: AwareDatetime | None = Field(default=None, description="default: shifted by the same delay")
    delay_code: str = Field(pattern=r"^[0-9]{2}$", description="IATA delay code", examples=["93"])
    reason: Reason

    @model_validator(mode="after")
    def _arrival_after_departure(self) -> "DelayIn":
        if self.new_arrival is not None and self.new_arrival <= self.new_departure:
            raise ValueError("new_arrival must be after new_departure")
        return self


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "technical fault"}]})
    reason: Reason


class DivertIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"diverted_to": "CGK", "reason": "weather at destination",
                                         "estimated_arrival": "2026-12-01T11:10:00+07:00"}]},
    )
    diverted_to: AirportCode
    reason: Reason
    estimated_arrival: AwareDatetime | None = None

    _up = field_validator("diverted_to")(_upper)


# --- routes -----------------------------------------------------------------------------

CREATE_ERRORS = error_responses(401, 403, 404, 409, 422)
CHANGE_ERRORS = error_responses(401, 403, 404, 409, 422)


@router.post("/flights", status_code=201, response_model=Flight, tags=["flights"],
             summary="Create a flight on a free plane (ops)", responses=CREATE_ERRORS)
async def create_flight(body: FlightIn, flights: Flights_, _: OpsOnly) -> Flight:
    return Flight.of(await flights.CreateFlight(body.to_pb()))


@router.post("/flights/round-trips", status_code=201, response_model=CreatedFlights, tags=["flights"],
             summary="Create an outbound and return flight on one plane, both or neither (ops)",
             responses=CREATE_ERRORS)
async def create_round_trip(body: RoundTripIn, flights: Flights_, _: OpsOnly) -> CreatedFlights:
    return CreatedFlights.of(await flights.CreateRoundTrip(pb.CreateRoundTripRequest(
        outbound=body.outbound.to_pb(), return_number=body.return_number,
        return_departure=timestamp_in(body.return_departure),
        return_duration_minutes=body.return_duration_minutes, return_gate=body.return_gate,
    )))


@router.post("/schedules", status_code=201, response_model=CreatedFlights, tags=["flights"],
             summary="Create a recurring schedule: all of its flights or none (ops)",
             responses=CREATE_ERRORS)
async def create_schedule(body: ScheduleIn, flights: Flights_, _: OpsOnly) -> CreatedFlights:
    return CreatedFlights.of(await flights.CreateSchedule(body.to_pb()))


@router.get("/flights", openapi_extra=OPTIONAL_AUTH, response_model=Flights, tags=["flights"],
            summary="Find flights: an airport's departures or arrivals, by number, in a time window",
            responses=error_responses(422))
async def list_flights(
    flights: Flights_, _: Caller,
    airport: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="IATA code")] = None,
    direction: Annotated[Literal["departures", "arrivals"], Query(description="with airport")] = "departures",
    from_: Annotated[AwareDatetime | None, Query(alias="from", description="scheduled time window start",
                                                 examples=["2026-12-01T00:00:00Z"])] = None,
    to: Annotated[AwareDatetime | None, Query(description="scheduled time window end",
                                              examples=["2026-12-02T00:00:00Z"])] = None,
    number: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{2}[0-9]{1,4}[A-Za-z]?$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Flights:
    if from_ is not None and to is not None and to <= from_:
        raise ApiProblem(422, "`to` must be after `from`", "validation_failed")
    request = pb.ListFlightsRequest(airport=(airport or "").upper(), direction=direction,
                                    number=(number or "").upper(), limit=limit)
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


@router.post("/flights/{flight_id}/status", response_model=Flight, tags=["flights"],
             summary="Boarding, departed or arrived (ops)",
             description="A step the lifecycle does not allow (e.g. arrived -> boarding) is a 409.",
             responses=CHANGE_ERRORS)
async def update_status(flight_id: FlightIdPath, body: StatusIn, flights: Flights_, _: OpsOnly) -> Flight:
    request = pb.UpdateStatusRequest(flight_id=flight_id, status=body.status)
    if body.at is not None:
        request.at.CopyFrom(timestamp_in(body.at))
    return Flight.of(await flights.UpdateStatus(request))


@router.post("/flights/{flight_id}/gate", response_model=Flight, tags=["flights"],
             summary="Move the flight to another gate at its origin (ops)", responses=CHANGE_ERRORS)
async def change_gate(flight_id: FlightIdPath, body: GateChangeIn, flights: Flights_, _: OpsOnly) -> Flight:
    return Flight.of(await flights.ChangeGate(pb.ChangeGateRequest(flight_id=flight_id, gate=body.gate,
                                                                   reason=body.reason)))


@router.post("/flights/{flight_id}/delay", response_model=Flight, tags=["flights"],
             summary="Delay the flight (ops)", responses=CHANGE_ERRORS)
async def delay_flight(flight_id: FlightIdPath, body: DelayIn, flights: Flights_, _: OpsOnly) -> Flight:
    request = pb.DelayFlightRequest(flight_id=flight_id, new_departure=timestamp_in(body.new_departure),
                                    delay_code=body.delay_code, reason=body.reason)
    if body.new_arrival is not None:
        request.new_arrival.CopyFrom(timestamp_in(body.new_arrival))
    return Flight.of(await flights.DelayFlight(request))


@router.post("/flights/{flight_id}/cancel", response_model=Flight, tags=["flights"],
             summary="Cancel the flight (ops)", responses=CHANGE_ERRORS)
async def cancel_flight(flight_id: FlightIdPath, body: CancelIn, flights: Flights_, _: OpsOnly) -> Flight:
    return Flight.of(await flights.CancelFlight(pb.CancelFlightRequest(flight_id=flight_id, reason=body.reason)))


@router.post("/flights/{flight_id}/divert", response_model=Flight, tags=["flights"],
             summary="Divert the flight to another airport (ops)", responses=CHANGE_ERRORS)
async def divert_flight(flight_id: FlightIdPath, body: DivertIn, flights: Flights_, _: OpsOnly) -> Flight:
    request = pb.DivertFlightRequest(flight_id=flight_id, diverted_to=body.diverted_to, reason=body.reason)
    if body.estimated_arrival is not None:
        request.estimated_arrival.CopyFrom(timestamp_in(body.estimated_arrival))
    return Flight.of(await flights.DivertFlight(request))


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


class AnnouncementIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kind": "go_to_gate"}, {"kind": "final_call"},
        {"kind": "free_text", "text": "Passengers of XA101 with small children may board first at gate X2."},
    ]})
    kind: Literal["go_to_gate", "final_call", "free_text"] = Field(
        description="go_to_gate and final_call name the flight's gate; free_text says `text`")
    text: str = Field(default="", max_length=300, description="free_text only: 3-300 characters")


@router.post("/flights/{flight_id}/announcements", status_code=201, response_model=Announcement, tags=["flights"],
             summary="Make a waiting-hall announcement for the flight (agent, ops)",
             description="Shown on the departure airport's boards and pushed to "
                         "`/api/v1/airports/{code}/departures/live` like every announcement.",
             responses=error_responses(401, 403, 404, 409, 422))
async def make_announcement(flight_id: FlightIdPath, body: AnnouncementIn, flights: Flights_,
                            _: AgentOrOps) -> Announcement:
    reply = await flights.MakeAnnouncement(pb.MakeAnnouncementRequest(flight_id=flight_id, kind=body.kind,
                                                                      text=body.text))
    return Announcement.of(reply)


@router.get("/announcements", openapi_extra=OPTIONAL_AUTH, response_model=Announcements, tags=["flights"],
            summary="Announcements (delays, gate changes, boarding...) by airport or flight",
            responses=error_responses(422))
async def list_announcements(
    flights: Flights_, _: Caller,
    airport: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="where announced")] = None,
    flight_id: Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] = None,
    since: Annotated[AwareDatetime | None, Query(examples=["2026-12-01T00:00:00Z"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Announcements:
    request = pb.ListAnnouncementsRequest(airport=(airport or "").upper(), flight_id=flight_id or "", limit=limit)
    if since is not None:
        request.since.CopyFrom(timestamp_in(since))
    reply = await flights.ListAnnouncements(request)
    return Announcements(announcements=[Announcement.of(a) for a in reply.announcements])
