"""The fleet and plane availability (airport service): list, read, add and change planes, and
which planes are free to fly from an airport over a time window."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from airline.airport.v1 import airport_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in
from airline.gateway.fleet import Plane, PlaneIn, PlanePatch, Planes, PlaneStatus
from airline.gateway.params import (
    PLANE_ID,
    AirportCodePath,
    Caller,
    DateTimeIn,
    OpsOnly,
    airport_query,
    check_window,
    upper_or_empty,
)
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Airport_ = deps.AirportService

PlaneIdPath = Annotated[str, Path(pattern=PLANE_ID, examples=["P1"])]


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
