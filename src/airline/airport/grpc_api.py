"""Maps airport protos to use cases and back; role checks per RPC."""

from __future__ import annotations

import grpc

from airline.airport.domain import Airport, CabinSpec, Commitment, Gate, Plane, SeatLayout, parse_layout
from airline.airport.service import AirportService
from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1 import airport_pb2_grpc as pb_grpc
from airline.platform.auth import Role, require
from airline.platform.protobuf import required_time, timestamp


def layout_from_pb(layout: pb.SeatLayout) -> SeatLayout:
    return parse_layout(
        [CabinSpec(c.cabin_class, c.first_row, c.last_row, c.seat_letters) for c in layout.cabins],
        list(layout.exit_rows),
        list(layout.blocked_seats),
    )


def airport_pb(a: Airport) -> pb.Airport:
    return pb.Airport(
        code=a.code,
        name=a.name,
        city=a.city,
        country=a.country,
        time_zone=a.time_zone,
        created_at=timestamp(a.created_at),
        latitude=a.latitude,
        longitude=a.longitude,
    )


def _coordinates(request: pb.CreateAirportRequest | pb.UpdateAirportRequest) -> tuple[float | None, float | None]:
    return (
        request.latitude if request.HasField("latitude") else None,
        request.longitude if request.HasField("longitude") else None,
    )


def gate_pb(g: Gate) -> pb.Gate:
    return pb.Gate(airport_code=g.airport_code, code=g.code, status=g.status.value)


def layout_pb(layout: SeatLayout) -> pb.SeatLayout:
    return pb.SeatLayout(
        cabins=[
            pb.Cabin(
                cabin_class=c.cabin_class.value, first_row=c.first_row, last_row=c.last_row, seat_letters=c.seat_letters
            )
            for c in layout.cabins
        ],
        exit_rows=list(layout.exit_rows),
        blocked_seats=list(layout.blocked_seats),
    )


def plane_pb(p: Plane) -> pb.Plane:
    return pb.Plane(
        id=p.id,
        registration=p.registration,
        aircraft_type=p.aircraft_type,
        status=p.status.value,
        home_airport=p.home_airport,
        layout=layout_pb(p.layout),
        capacity=[pb.CabinCapacity(cabin_class=k.value, seats=v) for k, v in p.capacity.items()],
        created_at=timestamp(p.created_at),
    )


def commitment_pb(c: Commitment) -> pb.PlaneCommitment:
    return pb.PlaneCommitment(
        reference=c.reference,
        plane_id=c.plane_id,
        origin=c.origin,
        destination=c.destination,
        starts_at=timestamp(c.starts_at),
        ends_at=timestamp(c.ends_at),
    )


class AirportApi(pb_grpc.AirportServiceServicer):
    def __init__(self, service: AirportService) -> None:
        self.service = service

    # -- anyone

    async def ListAirports(
        self, request: pb.ListAirportsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListAirportsResponse:
        return pb.ListAirportsResponse(
            airports=[airport_pb(a) for a in await self.service.list_airports(request.country)]
        )

    async def GetAirport(self, request: pb.GetAirportRequest, context: grpc.aio.ServicerContext) -> pb.Airport:
        return airport_pb(await self.service.get_airport(request.code))

    async def GetRouteDistance(
        self, request: pb.GetRouteDistanceRequest, context: grpc.aio.ServicerContext
    ) -> pb.RouteDistance:
        origin, destination, km = await self.service.route_distance(request.origin, request.destination)
        return pb.RouteDistance(origin=origin, destination=destination, distance_km=km)

    async def ListGates(self, request: pb.ListGatesRequest, context: grpc.aio.ServicerContext) -> pb.ListGatesResponse:
        return pb.ListGatesResponse(gates=[gate_pb(g) for g in await self.service.list_gates(request.airport_code)])

    async def ListPlanes(
        self, request: pb.ListPlanesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPlanesResponse:
        planes = await self.service.list_planes(request.status, request.home_airport)
        return pb.ListPlanesResponse(planes=[plane_pb(p) for p in planes])

    async def GetPlane(self, request: pb.GetPlaneRequest, context: grpc.aio.ServicerContext) -> pb.Plane:
        return plane_pb(await self.service.get_plane(request.id))

    async def ListAvailablePlanes(
        self, request: pb.ListAvailablePlanesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPlanesResponse:
        planes = await self.service.available_planes(
            request.airport_code, required_time(request, "from"), required_time(request, "to")
        )
        return pb.ListPlanesResponse(planes=[plane_pb(p) for p in planes])

    # -- ops / admin

    async def CreateAirport(self, request: pb.CreateAirportRequest, context: grpc.aio.ServicerContext) -> pb.Airport:
        require(Role.OPS)
        return airport_pb(
            await self.service.create_airport(
                request.code, request.name, request.city, request.country, request.time_zone, *_coordinates(request)
            )
        )

    async def UpdateAirport(self, request: pb.UpdateAirportRequest, context: grpc.aio.ServicerContext) -> pb.Airport:
        require(Role.OPS)
        return airport_pb(
            await self.service.update_airport(
                request.code, request.name, request.city, request.country, request.time_zone, *_coordinates(request)
            )
        )

    async def CreateGate(self, request: pb.CreateGateRequest, context: grpc.aio.ServicerContext) -> pb.Gate:
        require(Role.OPS)
        return gate_pb(await self.service.create_gate(request.airport_code, request.code, request.status))

    async def UpdateGate(self, request: pb.UpdateGateRequest, context: grpc.aio.ServicerContext) -> pb.Gate:
        require(Role.OPS)
        return gate_pb(await self.service.update_gate(request.airport_code, request.code, request.status))

    async def CreatePlane(self, request: pb.CreatePlaneRequest, context: grpc.aio.ServicerContext) -> pb.Plane:
        require(Role.OPS)
        plane = await self.service.create_plane(
            request.id,
            request.registration,
            request.aircraft_type,
            request.status,
            request.home_airport,
            layout_from_pb(request.layout),
        )
        return plane_pb(plane)

    async def UpdatePlane(self, request: pb.UpdatePlaneRequest, context: grpc.aio.ServicerContext) -> pb.Plane:
        require(Role.OPS)
        # A JSON client may send an empty layout object meaning "no change"; replace_layout
        # says explicitly that the layout given (even an invalid empty one) is meant.
        replace = request.replace_layout or (request.HasField("layout") and len(request.layout.cabins) > 0)
        plane = await self.service.update_plane(
            request.id,
            request.registration,
            request.aircraft_type,
            request.status,
            request.home_airport,
            layout_from_pb(request.layout) if replace else None,
        )
        return plane_pb(plane)

    async def CommitPlane(
        self, request: pb.CommitPlaneRequest, context: grpc.aio.ServicerContext
    ) -> pb.PlaneCommitment:
        require(Role.OPS, Role.SYSTEM)
        commitment = await self.service.commit_plane(
            request.reference,
            request.plane_id,
            request.origin,
            request.destination,
            required_time(request, "starts_at"),
            required_time(request, "ends_at"),
        )
        return commitment_pb(commitment)

    async def CommitPlanes(
        self, request: pb.CommitPlanesRequest, context: grpc.aio.ServicerContext
    ) -> pb.CommitPlanesResponse:
        require(Role.OPS, Role.SYSTEM)
        saved = await self.service.commit_planes(
            [
                (
                    c.reference,
                    c.plane_id,
                    c.origin,
                    c.destination,
                    required_time(c, "starts_at"),
                    required_time(c, "ends_at"),
                )
                for c in request.commitments
            ]
        )
        return pb.CommitPlanesResponse(commitments=[commitment_pb(c) for c in saved])

    async def ReleasePlanes(
        self, request: pb.ReleasePlanesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReleasePlanesResponse:
        require(Role.OPS, Role.SYSTEM)
        return pb.ReleasePlanesResponse(released=await self.service.release_planes(list(request.references)))

    async def ReleasePlane(
        self, request: pb.ReleasePlaneRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReleasePlaneResponse:
        require(Role.OPS, Role.SYSTEM)
        return pb.ReleasePlaneResponse(released=await self.service.release_plane(request.reference))
