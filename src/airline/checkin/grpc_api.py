"""Maps checkin protos to use cases and back. Roles are checked in the use cases (agent for
the counter and the gate; online check-in by code or booking access)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc

from airline.booking.v1 import booking_pb2 as bpb
from airline.checkin.service import CheckinService
from airline.checkin.v1 import checkin_pb2 as pb
from airline.checkin.v1 import checkin_pb2_grpc as pb_grpc
from airline.platform.protobuf import timestamp


def pass_pb(x: Mapping[str, Any]) -> pb.BoardingPass:
    return pb.BoardingPass(
        id=x["pass_id"] or "",
        booking_id=x["booking_id"],
        passenger_id=x["passenger_id"],
        pnr=x["pnr"],
        first_name=x["first_name"],
        last_name=x["last_name"],
        passenger_type=x["type"],
        flight_id=x["flight_id"],
        flight_number=x["number"],
        origin=x["origin"],
        destination=x["destination"],
        departure=timestamp(x["departure"] or x["scheduled_departure"]),
        seat=x["seat"],
        sequence=x["sequence"] or 0,
        cabin_class=x["cabin_class"],
        bcbp=x["bcbp"] or "",
        e_ticket=x["e_ticket"],
        gate=x["gate"],
        checked_in_at=timestamp(x["checked_in_at"]),
        boarded_at=timestamp(x["boarded_at"]),
        infant_of=x["infant_of"],
    )


def passenger_pb(x: Mapping[str, Any]) -> pb.FlightPassenger:
    return pb.FlightPassenger(
        booking_id=x["booking_id"],
        passenger_id=x["passenger_id"],
        pnr=x["pnr"],
        first_name=x["first_name"],
        last_name=x["last_name"],
        passenger_type=x["type"],
        seat=x["seat"],
        status=x["status"],
        sequence=x["sequence"] or 0,
        checked_in_at=timestamp(x["checked_in_at"]),
        boarded_at=timestamp(x["boarded_at"]),
    )


def _access(request: Any) -> bpb.Access | None:
    if not request.HasField("access"):
        return None
    a = request.access
    return bpb.Access(booking_id=a.booking_id, manage_token=a.manage_token, pnr=a.pnr, last_name=a.last_name)


class CheckinApi(pb_grpc.CheckinServiceServicer):
    def __init__(self, service: CheckinService) -> None:
        self.service = service

    async def CheckIn(self, request: pb.CheckInRequest, context: grpc.aio.ServicerContext) -> pb.CheckInResponse:
        passes = await self.service.check_in_online(
            request.code, request.last_name, request.flight_id, _access(request)
        )
        return pb.CheckInResponse(passes=[pass_pb(x) for x in passes])

    async def GetBoardingPass(
        self, request: pb.GetBoardingPassRequest, context: grpc.aio.ServicerContext
    ) -> pb.BoardingPass:
        return pass_pb(await self.service.boarding_pass(request.id, _access(request), request.code, request.last_name))

    async def VerifyPassenger(self, request: pb.PassengerQuery, context: grpc.aio.ServicerContext) -> pb.Verification:
        v = await self.service.verify(request.flight_id, request.code, request.bcbp, request.document_number)
        x = v["leg"]
        return pb.Verification(
            booking_id=x["booking_id"],
            passenger_id=x["passenger_id"],
            pnr=x["pnr"],
            first_name=x["first_name"],
            last_name=x["last_name"],
            passenger_type=x["type"],
            seat=x["seat"],
            flight_id=x["flight_id"],
            flight_number=x["number"],
            status=x["status"],
            flight_matches=True,
            document_checked=v["document_checked"],
            document_matches=v["document_matches"],
            message=v["message"],
            infant_of=x["infant_of"],
            **({"pass": pass_pb(x)} if x["pass_id"] else {}),
        )

    async def CheckInAtCounter(self, request: pb.PassengerQuery, context: grpc.aio.ServicerContext) -> pb.BoardingPass:
        return pass_pb(
            await self.service.counter_check_in(request.flight_id, request.code, request.bcbp, request.document_number)
        )

    async def Board(self, request: pb.PassengerQuery, context: grpc.aio.ServicerContext) -> pb.BoardingPass:
        return pass_pb(await self.service.board(request.flight_id, request.code, request.bcbp))

    async def ListPassengers(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.PassengerList:
        rows = await self.service.passengers(request.flight_id)
        return pb.PassengerList(flight_id=request.flight_id.strip(), passengers=[passenger_pb(x) for x in rows])

    async def ListNoShows(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.NoShows:
        not_in, not_boarded, closed = await self.service.no_shows(request.flight_id)
        return pb.NoShows(
            flight_id=request.flight_id.strip(),
            not_checked_in=[passenger_pb(x) for x in not_in],
            checked_in_not_boarded=[passenger_pb(x) for x in not_boarded],
            gate_closed_at=timestamp(closed),
        )
