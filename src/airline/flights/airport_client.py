"""The airport service as the flights service needs it: airports, gates, planes and plane
commitments over gRPC, its refusals turned into this service's domain errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

import grpc

from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights.domain import AirportInfo
from airline.platform.errors import AlreadyExists, Conflict, ValidationFailed
from airline.platform.grpc import domain_error_from
from airline.platform.protobuf import timestamp


@dataclass(frozen=True)
class PlaneInfo:
    id: str
    status: str
    home_airport: str
    capacity: dict[str, int]


@dataclass(frozen=True)
class PlaneBlock:
    """One commitment: the plane flies origin -> destination over [starts_at, ends_at)."""

    reference: str
    plane_id: str
    origin: str
    destination: str
    starts_at: datetime
    ends_at: datetime


def _request(b: PlaneBlock) -> apb.CommitPlaneRequest:
    return apb.CommitPlaneRequest(
        reference=b.reference,
        plane_id=b.plane_id,
        origin=b.origin,
        destination=b.destination,
        starts_at=timestamp(b.starts_at),
        ends_at=timestamp(b.ends_at),
    )


def raise_mapped(error: grpc.aio.AioRpcError, not_found: str | None = None) -> NoReturn:
    """The airport's refusal as ours: an unknown airport or plane is bad input to a flight."""
    mapped = domain_error_from(error, "the airport service")
    if error.code() == grpc.StatusCode.NOT_FOUND:
        raise ValidationFailed(not_found or mapped.message) from None
    if isinstance(mapped, AlreadyExists):
        raise Conflict(mapped.message) from None
    raise mapped from None


class AirportClient:
    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = AirportServiceStub(channel)

    async def airport(self, code: str) -> AirportInfo:
        try:
            a = await self.stub.GetAirport(apb.GetAirportRequest(code=code))
        except grpc.aio.AioRpcError as e:
            raise_mapped(e, f"unknown airport {code}")
        return AirportInfo(a.code, a.time_zone, a.city)

    async def gates(self, airport: str) -> dict[str, str]:
        try:
            reply = await self.stub.ListGates(apb.ListGatesRequest(airport_code=airport))
        except grpc.aio.AioRpcError as e:
            raise_mapped(e, f"unknown airport {airport}")
        return {g.code: g.status for g in reply.gates}

    async def plane(self, pid: str) -> PlaneInfo:
        try:
            p = await self.stub.GetPlane(apb.GetPlaneRequest(id=pid))
        except grpc.aio.AioRpcError as e:
            raise_mapped(e, f"unknown plane {pid}")
        return PlaneInfo(p.id, p.status, p.home_airport, {c.cabin_class: c.seats for c in p.capacity})

    async def commit_planes(self, blocks: Sequence[PlaneBlock]) -> None:
        """All or none; the airport also checks the plane's journey stays connected."""
        try:
            await self.stub.CommitPlanes(apb.CommitPlanesRequest(commitments=[_request(b) for b in blocks]))
        except grpc.aio.AioRpcError as e:
            raise_mapped(e)

    async def commit_plane(self, block: PlaneBlock) -> None:
        """Create, or move (same reference, new data) one commitment."""
        try:
            await self.stub.CommitPlane(_request(block))
        except grpc.aio.AioRpcError as e:
            raise_mapped(e)

    async def release_planes(self, references: Sequence[str]) -> list[str]:
        try:
            reply = await self.stub.ReleasePlanes(apb.ReleasePlanesRequest(references=list(references)))
        except grpc.aio.AioRpcError as e:
            raise_mapped(e)
        return list(reply.released)
