"""Airports and their gates (airport service). The fleet is in routes/planes.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from airline.airport.v1 import airport_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_out
from airline.gateway.fleet import PlaneIn, SeatLayout  # noqa: F401  (re-exported: the plane models were here)
from airline.gateway.params import (
    GATE_CODE,
    AirportCodePath,
    Caller,
    GateCode,
    OpsOnly,
    airport_code,
    upper,
    upper_or_empty,
)
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Airport_ = deps.AirportService

AirportCode = Annotated[str, airport_code("SIN")]
GateCodePath = Annotated[str, Path(pattern=GATE_CODE, examples=["X1"])]
GateStatus = Literal["open", "closed", "maintenance"]
Name = Annotated[str, Field(min_length=1, max_length=120)]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2", examples=["SG"])]
TimeZone = Annotated[str, Field(min_length=1, max_length=64, description="IANA time zone", examples=["Asia/Singapore"])]


def _check_time_zone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


# --- airports ---------------------------------------------------------------------------


# coordinates go together (the airport service refuses one without the other)
Latitude = Annotated[
    float | None, Field(ge=-90, le=90, allow_inf_nan=False, description="WGS 84 degrees, north positive")
]
Longitude = Annotated[
    float | None, Field(ge=-180, le=180, allow_inf_nan=False, description="WGS 84 degrees, east positive")
]


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
                    "latitude": 1.3644,
                    "longitude": 103.9915,
                }
            ]
        },
    )
    code: AirportCode
    name: Name
    city: Name
    country: Country
    time_zone: TimeZone
    latitude: Latitude = None
    longitude: Longitude = None

    _up = field_validator("code", "country")(upper)
    _tz = field_validator("time_zone")(_check_time_zone)


class AirportPatch(BaseModel):
    """Only the fields given are changed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "Changi International"}]})
    name: Name | None = None
    city: Name | None = None
    country: Country | None = None
    time_zone: TimeZone | None = None
    latitude: Latitude = None
    longitude: Longitude = None

    _up = field_validator("country")(upper)
    _tz = field_validator("time_zone")(_check_time_zone)


class Airport(BaseModel):
    code: str = Field(examples=["SIN"])
    name: str = Field(examples=["Singapore Changi"])
    city: str = Field(examples=["Singapore"])
    country: str = Field(examples=["SG"])
    time_zone: str = Field(examples=["Asia/Singapore"])
    created_at: datetime | None = Field(default=None, examples=["2025-01-31T08:00:00Z"])
    latitude: float | None = Field(default=None, description="WGS 84 degrees, north positive", examples=[1.3644])
    longitude: float | None = Field(default=None, description="WGS 84 degrees, east positive", examples=[103.9915])

    @classmethod
    def of(cls, a: pb.Airport) -> Airport:
        return cls(
            code=a.code,
            name=a.name,
            city=a.city,
            country=a.country,
            time_zone=a.time_zone,
            created_at=timestamp_out(a, "created_at"),
            latitude=a.latitude if a.HasField("latitude") else None,
            longitude=a.longitude if a.HasField("longitude") else None,
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
