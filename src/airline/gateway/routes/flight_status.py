"""One flight: its state, its lifecycle as ops report it (boarding, departed, arrived), its
disruptions (gate change, delay, cancellation, diversion), a cabin's overbooking policy and the
waiting-hall announcements (flights service, FlightService). Which step may follow which is the flights service's to decide
(platform/flight_status.py): a step it refuses is a 409."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from airline.flights.v1 import flights_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in
from airline.gateway.params import (
    ID,
    AgentOrOps,
    AirportCode,
    Caller,
    FlightIdPath,
    GateCode,
    OpsOnly,
    PlaneId,
    Reason,
    airport_query,
    limit_query,
    upper,
    upper_or_empty,
)
from airline.gateway.problems import error_responses
from airline.gateway.schemas import Announcement, Flight, ReportedStep
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Flights_ = deps.FlightService
CHANGE_ERRORS = error_responses(401, 403, 404, 409, 422)


class Announcements(BaseModel):
    announcements: list[Announcement]


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "boarding"}]})
    status: ReportedStep
    at: AwareDatetime | None = Field(default=None, description="when it happened; default now")
    override_reason: str = Field(
        default="",
        max_length=300,
        description="departed only: depart although a bag of a passenger offloaded at door close is still "
        "loaded (or baggage cannot be asked); kept as the flight's status_reason and in FlightDeparted",
    )


class GateChangeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"gate": "X2", "reason": "gate X1 closed"}]}
    )
    gate: GateCode
    reason: str = Field(default="", max_length=300)

    _up = field_validator("gate")(upper)


class DelayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"new_departure": "2026-12-01T09:30:00+08:00", "delay_code": "93", "reason": "late inbound aircraft"}
            ]
        },
    )
    new_departure: AwareDatetime
    new_arrival: AwareDatetime | None = Field(default=None, description="default: shifted by the same delay")
    delay_code: str = Field(pattern=r"^[0-9]{2}$", description="IATA delay code", examples=["93"])
    reason: Reason

    @model_validator(mode="after")
    def _arrival_after_departure(self) -> DelayIn:
        if self.new_arrival is not None and self.new_arrival <= self.new_departure:
            raise ValueError("new_arrival must be after new_departure")
        return self


class CancelFlightIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "technical fault"}]})
    reason: Reason


class DivertIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "diverted_to": "CGK",
                    "reason": "weather at destination",
                    "estimated_arrival": "2026-12-01T11:10:00+07:00",
                }
            ]
        },
    )
    diverted_to: AirportCode
    reason: Reason
    estimated_arrival: AwareDatetime | None = None

    _up = field_validator("diverted_to")(upper)


@router.get(
    "/flights/{flight_id}",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Flight,
    tags=["flights"],
    summary="One flight",
    responses=error_responses(404, 422),
)
async def get_flight(flight_id: FlightIdPath, flights: Flights_, _: Caller) -> Flight:
    return Flight.of(await flights.GetFlight(pb.GetFlightRequest(id=flight_id)))


@router.post(
    "/flights/{flight_id}/status",
    response_model=Flight,
    tags=["flights"],
    summary="Boarding, departed or arrived (ops)",
    description='A step the lifecycle does not allow (e.g. arrived -> boarding) is a 409. "departed" is '
    "refused (409 `door_not_closed`) while bags are loaded and the door has not closed (nobody knows yet who "
    "did not board), (409 `offloaded_bags_loaded`) while a bag of a passenger offloaded at door close is still "
    "loaded, and (503 `bags_unknown`) when baggage cannot be asked, unless `override_reason` is given.",
    responses=CHANGE_ERRORS,
)
async def update_status(flight_id: FlightIdPath, body: StatusIn, flights: Flights_, _: OpsOnly) -> Flight:
    request = pb.UpdateStatusRequest(flight_id=flight_id, status=body.status, override_reason=body.override_reason)
    if body.at is not None:
        request.at.CopyFrom(timestamp_in(body.at))
    return Flight.of(await flights.UpdateStatus(request))


@router.post(
    "/flights/{flight_id}/gate",
    response_model=Flight,
    tags=["flights"],
    summary="Move the flight to another gate at its origin (ops)",
    responses=CHANGE_ERRORS,
)
async def change_gate(flight_id: FlightIdPath, body: GateChangeIn, flights: Flights_, _: OpsOnly) -> Flight:
    return Flight.of(
        await flights.ChangeGate(pb.ChangeGateRequest(flight_id=flight_id, gate=body.gate, reason=body.reason))
    )


@router.post(
    "/flights/{flight_id}/delay",
    response_model=Flight,
    tags=["flights"],
    summary="Delay the flight (ops)",
    responses=CHANGE_ERRORS,
)
async def delay_flight(flight_id: FlightIdPath, body: DelayIn, flights: Flights_, _: OpsOnly) -> Flight:
    request = pb.DelayFlightRequest(
        flight_id=flight_id,
        new_departure=timestamp_in(body.new_departure),
        delay_code=body.delay_code,
        reason=body.reason,
    )
    if body.new_arrival is not None:
        request.new_arrival.CopyFrom(timestamp_in(body.new_arrival))
    return Flight.of(await flights.DelayFlight(request))


@router.post(
    "/flights/{flight_id}/cancel",
    response_model=Flight,
    tags=["flights"],
    summary="Cancel the flight (ops)",
    responses=CHANGE_ERRORS,
)
async def cancel_flight(flight_id: FlightIdPath, body: CancelFlightIn, flights: Flights_, _: OpsOnly) -> Flight:
    return Flight.of(await flights.CancelFlight(pb.CancelFlightRequest(flight_id=flight_id, reason=body.reason)))


@router.post(
    "/flights/{flight_id}/divert",
    response_model=Flight,
    tags=["flights"],
    summary="Divert the flight to another airport (ops)",
    responses=CHANGE_ERRORS,
)
async def divert_flight(flight_id: FlightIdPath, body: DivertIn, flights: Flights_, _: OpsOnly) -> Flight:
    request = pb.DivertFlightRequest(flight_id=flight_id, diverted_to=body.diverted_to, reason=body.reason)
    if body.estimated_arrival is not None:
        request.estimated_arrival.CopyFrom(timestamp_in(body.estimated_arrival))
    return Flight.of(await flights.DivertFlight(request))


class ChangePlaneIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"plane_id": "P4", "reason": "technical fault on P1"}]}
    )
    plane_id: PlaneId
    reason: str = Field(default="", max_length=300)

    _up = field_validator("plane_id")(upper)


@router.post(
    "/flights/{flight_id}/plane",
    response_model=Flight,
    tags=["flights"],
    summary="Swap the flight's aircraft (ops)",
    description="The flight flies another plane, free for its time window. Seats whose number exists "
    "on the new plane are kept, the other passengers are reseated by the seat rules, and when the new "
    "plane has fewer seats the bookings that no longer fit are re-accommodated (reason aircraft_swap) by "
    "the documented priority. 422 for an unknown plane, 409 for a busy or inactive plane or a flight "
    "that is no longer scheduled or delayed.",
    responses=CHANGE_ERRORS,
)
async def change_plane(flight_id: FlightIdPath, body: ChangePlaneIn, flights: Flights_, _: OpsOnly) -> Flight:
    request = pb.ChangePlaneRequest(flight_id=flight_id, plane_id=body.plane_id, reason=body.reason)
    return Flight.of(await flights.ChangePlane(request))


class OverbookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"percent": 5}]})
    percent: StrictInt = Field(ge=0, le=20, description="sell up to capacity * (100 + percent) / 100 seats")


@router.put(
    "/flights/{flight_id}/cabins/{cabin_class}/overbooking",
    response_model=Flight,
    tags=["flights"],
    summary="Set the overbooking policy of one cabin of the flight (ops)",
    description="Default 0 %. Search and offers sell up to capacity + this share; the seat map still "
    "seats one passenger per seat.",
    responses=CHANGE_ERRORS,
)
async def set_overbooking(
    flight_id: FlightIdPath, cabin_class: Literal["vip", "normal"], body: OverbookingIn, flights: Flights_, _: OpsOnly
) -> Flight:
    return Flight.of(
        await flights.SetOverbooking(
            pb.SetOverbookingRequest(flight_id=flight_id, cabin_class=cabin_class, percent=body.percent)
        )
    )


class AnnouncementIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"kind": "go_to_gate"},
                {"kind": "final_call"},
                {"kind": "free_text", "text": "Passengers of XA101 with small children may board first at gate X2."},
            ]
        },
    )
    kind: Literal["go_to_gate", "final_call", "free_text"] = Field(
        description="go_to_gate and final_call name the flight's gate; free_text says `text`"
    )
    text: str = Field(default="", max_length=300, description="free_text only: 3-300 characters")


@router.post(
    "/flights/{flight_id}/announcements",
    status_code=201,
    response_model=Announcement,
    tags=["flights"],
    summary="Make a waiting-hall announcement for the flight (agent, ops)",
    description="Shown on the departure airport's boards and pushed to "
    "`/api/v1/airports/{code}/departures/live` like every announcement.",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def make_announcement(
    flight_id: FlightIdPath, body: AnnouncementIn, flights: Flights_, _: AgentOrOps
) -> Announcement:
    reply = await flights.MakeAnnouncement(
        pb.MakeAnnouncementRequest(flight_id=flight_id, kind=body.kind, text=body.text)
    )
    return Announcement.of(reply)


@router.get(
    "/announcements",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Announcements,
    tags=["flights"],
    summary="Announcements (delays, gate changes, boarding...) by airport or flight",
    responses=error_responses(422),
)
async def list_announcements(
    flights: Flights_,
    _: Caller,
    airport: Annotated[str | None, airport_query("where announced")] = None,
    flight_id: Annotated[str | None, Query(min_length=1, max_length=64, pattern=ID)] = None,
    since: Annotated[AwareDatetime | None, Query(examples=["2026-12-01T00:00:00Z"])] = None,
    limit: Annotated[int, limit_query(500)] = 100,
) -> Announcements:
    request = pb.ListAnnouncementsRequest(airport=upper_or_empty(airport), flight_id=flight_id or "", limit=limit)
    if since is not None:
        request.since.CopyFrom(timestamp_in(since))
    reply = await flights.ListAnnouncements(request)
    return Announcements(announcements=[Announcement.of(a) for a in reply.announcements])
