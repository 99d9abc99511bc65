"""Airports, gates, the fleet and plane availability (airport service)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from airline.airport.v1 import airport_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in, timestamp_out
from airline.gateway.params import (
    GATE_CODE,
    PLANE_ID,
    AirportCodePath,
    Caller,
    DateTimeIn,
    GateCode,
    OpsOnly,
    PlaneId,
    airport_code,
    airport_query,
    check_window,
    upper,
    upper_or_empty,
)
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Airport_ = deps.AirportService

AirportCode = Annotated[str, airport_code("SIN")]
GateCodePath = Annotated[str, Path(pattern=GATE_CODE, examples=["X1"])]
PlaneIdPath = Annotated[str, Path(pattern=PLANE_ID, examples=["P1"])]
GateStatus = Literal["open", "closed", "maintenance"]
PlaneStatus = Literal["active", "maintenance", "retired"]
CabinClass = Literal["vip", "normal"]
Name = Annotated[str, Field(min_length=1, max_length=120)]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2", examples=["SG"])]
TimeZone = Annotated[str, Field(min_length=1, max_length=64, description="IANA time zone", examples=["Asia/Singapore"])]
MAX_ROW = 200


def _check_time_zone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


# --- airports ---------------------------------------------------------------------------


class AirportIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "SIN",
                    "name": "Singapore Changi",
                    "city": "Singapore",
                    "country": "SG",
                    "time_zone": "Asia/Singapore",
                }
            ]
        },
    )
    code: AirportCode
    name: Name
    city: Name
    country: Country
    time_zone: TimeZone

    _up = field_validator("code", "country")(upper)
    _tz = field_validator("time_zone")(_check_time_zone)


class AirportPatch(BaseModel):
    """Only the fields given are changed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "Changi International"}]})
    name: Name | None = None
    city: Name | None = None
    country: Country | None = None
    time_zone: TimeZone | None = None

    _up = field_validator("country")(upper)
    _tz = field_validator("time_zone")(_check_time_zone)


class Airport(BaseModel):
    code: str = Field(examples=["SIN"])
    name: str = Field(examples=["Singapore Changi"])
    city: str = Field(examples=["Singapore"])
    country: str = Field(examples=["SG"])
    time_zone: str = Field(examples=["Asia/Singapore"])
    created_at: datetime | None = Field(default=None, examples=["2025-01-31T08:00:00Z"])

    @classmethod
    def of(cls, a: pb.Airport) -> Airport:
        return cls(
            code=a.code,
            name=a.name,
            city=a.city,
            country=a.country,
            time_zone=a.time_zone,
            created_at=timestamp_out(a, "created_at"),
        )


class Airports(BaseModel):
    airports: list[Airport]


@router.get(
    "/airports", openapi_extra=OPTIONAL_AUTH, response_model=Airports, tags=["airports"], summary="List airports"
)
async def list_airports(
    airport: Airport_,
    _: Caller,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="only this country")] = None,
) -> Airports:
    reply = await airport.ListAirports(pb.ListAirportsRequest(country=upper_or_empty(country)))
    return Airports(airports=[Airport.of(a) for a in reply.airports])


@router.get(
    "/airports/{code}",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Airport,
    tags=["airports"],
    summary="One airport",
    responses=error_responses(404),
)
async def get_airport(code: AirportCodePath, airport: Airport_, _: Caller) -> Airport:
    return Airport.of(await airport.GetAirport(pb.GetAirportRequest(code=code.upper())))


@router.post(
    "/airports",
    status_code=201,
    response_model=Airport,
    tags=["airports"],
    summary="Create an airport (ops)",
    responses=error_responses(401, 403, 409, 422),
)
async def create_airport(body: AirportIn, airport: Airport_, _: OpsOnly) -> Airport:
    return Airport.of(await airport.CreateAirport(pb.CreateAirportRequest(**body.model_dump())))


@router.patch(
    "/airports/{code}",
    response_model=Airport,
    tags=["airports"],
    summary="Change an airport (ops)",
    responses=error_responses(401, 403, 404, 422),
)
async def update_airport(code: AirportCodePath, body: AirportPatch, airport: Airport_, _: OpsOnly) -> Airport:
    fields = {k: v for k, v in body.model_dump().items() if v is not None}
    return Airport.of(await airport.UpdateAirport(pb.UpdateAirportRequest(code=code.upper(), **fields)))


# --- gates ------------------------------------------------------------------------------


class GateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"code": "X1", "status": "open"}]})
    code: GateCode
    status: GateStatus = "open"

    _up = field_validator("code")(upper)


class GatePatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "maintenance"}]})
    status: GateStatus


class Gate(BaseModel):
    airport_code: str = Field(examples=["SIN"])
    code: str = Field(examples=["X1"])
    status: str = Field(examples=["open"])

    @classmethod
    def of(cls, g: pb.Gate) -> Gate:
        return cls(airport_code=g.airport_code, code=g.code, status=g.status)


class Gates(BaseModel):
    gates: list[Gate]


@router.get(
    "/airports/{code}/gates",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Gates,
    tags=["gates"],
    summary="The gates of an airport",
    responses=error_responses(404),
)
async def list_gates(code: AirportCodePath, airport: Airport_, _: Caller) -> Gates:
    reply = await airport.ListGates(pb.ListGatesRequest(airport_code=code.upper()))
    return Gates(gates=[Gate.of(g) for g in reply.gates])


@router.post(
    "/airports/{code}/gates",
    status_code=201,
    response_model=Gate,
    tags=["gates"],
    summary="Add a gate (ops)",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def create_gate(code: AirportCodePath, body: GateIn, airport: Airport_, _: OpsOnly) -> Gate:
    return Gate.of(
        await airport.CreateGate(pb.CreateGateRequest(airport_code=code.upper(), code=body.code, status=body.status))
    )


@router.patch(
    "/airports/{code}/gates/{gate}",
    response_model=Gate,
    tags=["gates"],
    summary="Open, close or take a gate into maintenance (ops)",
    responses=error_responses(401, 403, 404, 422),
)
async def update_gate(
    code: AirportCodePath, gate: GateCodePath, body: GatePatch, airport: Airport_, _: OpsOnly
) -> Gate:
    return Gate.of(
        await airport.UpdateGate(pb.UpdateGateRequest(airport_code=code.upper(), code=gate.upper(), status=body.status))
    )


# --- planes -----------------------------------------------------------------------------


class Cabin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cabin_class: CabinClass = Field(examples=["vip"])
    first_row: int = Field(ge=1, le=MAX_ROW, examples=[1])
    last_row: int = Field(ge=1, le=MAX_ROW, examples=[2])
    seat_letters: str = Field(
        pattern=r"^[A-Z]+( [A-Z]+)*$",
        max_length=20,
        description="seat letters left to right, a space for each aisle",
        examples=["AC DF"],
    )

    @model_validator(mode="after")
    def _rows_and_letters(self) -> Cabin:
        if self.first_row > self.last_row:
            raise ValueError("first_row must not be after last_row")
        letters = self.seat_letters.replace(" ", "")
        if len(set(letters)) != len(letters):
            raise ValueError(f"seat_letters {self.seat_letters!r} name a seat twice")
        return self


class SeatLayout(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "cabins": [
                        {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
                        {"cabin_class": "normal", "first_row": 10, "last_row": 34, "seat_letters": "ABC DEF"},
                    ],
                    "exit_rows": [12, 13],
                    "blocked_seats": ["27A"],
                }
            ]
        },
    )
    cabins: list[Cabin] = Field(min_length=1, max_length=10)
    exit_rows: list[Annotated[int, Field(ge=1, le=MAX_ROW)]] = Field(default_factory=list, max_length=MAX_ROW)
    blocked_seats: list[Annotated[str, Field(pattern=r"^[1-9][0-9]{0,2}[A-Z]$")]] = Field(
        default_factory=list, max_length=2000, examples=[["27A"]]
    )

    @model_validator(mode="after")
    def _no_seat_twice(self) -> SeatLayout:
        # Two cabins sharing a row would put the same seat (say 3A) on the plane twice.
        ordered = sorted(self.cabins, key=lambda c: c.first_row)
        for before, after in zip(ordered, ordered[1:]):
            if after.first_row <= before.last_row:
                raise ValueError(
                    f"cabins overlap at rows {after.first_row}-{min(before.last_row, after.last_row)}: "
                    "a seat would exist twice"
                )
        if len(set(self.blocked_seats)) != len(self.blocked_seats):
            raise ValueError("blocked_seats lists a seat twice")
        return self

    def to_pb(self) -> pb.SeatLayout:
        return pb.SeatLayout(
            cabins=[pb.Cabin(**c.model_dump()) for c in self.cabins],
            exit_rows=self.exit_rows,
            blocked_seats=self.blocked_seats,
        )


class CabinOut(BaseModel):
    cabin_class: str = Field(examples=["vip"])
    first_row: int = Field(examples=[1])
    last_row: int = Field(examples=[2])
    seat_letters: str = Field(examples=["AC DF"])


class SeatLayoutOut(BaseModel):
    """A plane's layout as the airport service stores it (input rules are not re-checked on output)."""

    cabins: list[CabinOut]
    exit_rows: list[int] = Field(examples=[[12, 13]])
    blocked_seats: list[str] = Field(examples=[["27A"]])

    @classmethod
    def of(cls, layout: pb.SeatLayout) -> SeatLayoutOut:
        return cls(
            cabins=[
                CabinOut(
                    cabin_class=c.cabin_class, first_row=c.first_row, last_row=c.last_row, seat_letters=c.seat_letters
                )
                for c in layout.cabins
            ],
            exit_rows=list(layout.exit_rows),
            blocked_seats=list(layout.blocked_seats),
        )


class PlaneIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "P1",
                    "registration": "9V-XAA",
                    "aircraft_type": "A320-200",
                    "status": "active",
                    "home_airport": "SIN",
                    "layout": {
                        "cabins": [
                            {"cabin_class": "vip", "first_row": 1, "last_row": 2, "seat_letters": "AC DF"},
                            {"cabin_class": "normal", "first_row": 10, "last_row": 34, "seat_letters": "ABC DEF"},
                        ],
                        "exit_rows": [12, 13],
                        "blocked_seats": ["27A"],
                    },
                }
            ]
        },
    )
    id: PlaneId
    registration: Annotated[str, Field(min_length=1, max_length=16, examples=["9V-XAA"])]
    aircraft_type: Annotated[str, Field(min_length=1, max_length=40, examples=["A320-200"])]
    status: PlaneStatus = "active"
    home_airport: AirportCode
    layout: SeatLayout

    _up = field_validator("home_airport")(upper)


class PlanePatch(BaseModel):
    """Only the fields given are changed; a given layout replaces the whole layout."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "maintenance"}]})
    registration: Annotated[str | None, Field(min_length=1, max_length=16)] = None
    aircraft_type: Annotated[str | None, Field(min_length=1, max_length=40)] = None
    status: PlaneStatus | None = None
    home_airport: AirportCode | None = None
    layout: SeatLayout | None = None

    _up = field_validator("home_airport")(upper)


class Plane(BaseModel):
    id: str = Field(examples=["P1"])
    registration: str = Field(examples=["9V-XAA"])
    aircraft_type: str = Field(examples=["A320-200"])
    status: str = Field(examples=["active"])
    home_airport: str = Field(examples=["SIN"])
    layout: SeatLayoutOut
    capacity: dict[str, int] = Field(
        description="sellable seats per cabin class (blocked seats excluded)", examples=[{"vip": 8, "normal": 150}]
    )
    created_at: datetime | None = Field(default=None, examples=["2025-01-31T08:00:00Z"])

    @classmethod
    def of(cls, p: pb.Plane) -> Plane:
        return cls(
            id=p.id,
            registration=p.registration,
            aircraft_type=p.aircraft_type,
            status=p.status,
            home_airport=p.home_airport,
            layout=SeatLayoutOut.of(p.layout),
            capacity={c.cabin_class: c.seats for c in p.capacity},
            created_at=timestamp_out(p, "created_at"),
        )


class Planes(BaseModel):
    planes: list[Plane]


@router.get("/planes", openapi_extra=OPTIONAL_AUTH, response_model=Planes, tags=["planes"], summary="The fleet")
async def list_planes(
    airport: Airport_,
    _: Caller,
    status: Annotated[PlaneStatus | None, Query(description="only planes in this status")] = None,
    home_airport: Annotated[str | None, airport_query("only planes based here")] = None,
) -> Planes:
    reply = await airport.ListPlanes(
        pb.ListPlanesRequest(status=status or "", home_airport=upper_or_empty(home_airport))
    )
    return Planes(planes=[Plane.of(p) for p in reply.planes])


@router.get(
    "/planes/{plane_id}",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Plane,
    tags=["planes"],
    summary="One plane",
    responses=error_responses(404),
)
async def get_plane(plane_id: PlaneIdPath, airport: Airport_, _: Caller) -> Plane:
    return Plane.of(await airport.GetPlane(pb.GetPlaneRequest(id=plane_id)))


@router.post(
    "/planes",
    status_code=201,
    response_model=Plane,
    tags=["planes"],
    summary="Add a plane (ops)",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def create_plane(body: PlaneIn, airport: Airport_, _: OpsOnly) -> Plane:
    return Plane.of(
        await airport.CreatePlane(
            pb.CreatePlaneRequest(
                id=body.id,
                registration=body.registration,
                aircraft_type=body.aircraft_type,
                status=body.status,
                home_airport=body.home_airport,
                layout=body.layout.to_pb(),
            )
        )
    )


@router.patch(
    "/planes/{plane_id}",
    response_model=Plane,
    tags=["planes"],
    summary="Change a plane (ops)",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def update_plane(plane_id: PlaneIdPath, body: PlanePatch, airport: Airport_, _: OpsOnly) -> Plane:
    request = pb.UpdatePlaneRequest(
        id=plane_id,
        registration=body.registration or "",
        aircraft_type=body.aircraft_type or "",
        status=body.status or "",
        home_airport=body.home_airport or "",
    )
    if body.layout is not None:
        request.layout.CopyFrom(body.layout.to_pb())
        request.replace_layout = True
    return Plane.of(await airport.UpdatePlane(request))


@router.get(
    "/airports/{code}/available-planes",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Planes,
    tags=["planes"],
    summary="Planes free to fly from this airport over [from, to)",
    description="Active planes at the airport at `from` and not committed to any flight in [from, to). "
    "Both times are ISO 8601 with a time zone.",
    responses=error_responses(404, 422),
)
async def available_planes(
    code: AirportCodePath,
    airport: Airport_,
    _: Caller,
    from_: Annotated[DateTimeIn, Query(alias="from", examples=["2025-03-01T08:00:00Z"])],
    to: Annotated[DateTimeIn, Query(examples=["2025-03-01T14:00:00Z"])],
) -> Planes:
    check_window(from_, to)
    reply = await airport.ListAvailablePlanes(
        pb.ListAvailablePlanesRequest(airport_code=code.upper(), **{"from": timestamp_in(from_)}, to=timestamp_in(to))
    )
    return Planes(planes=[Plane.of(p) for p in reply.planes])
