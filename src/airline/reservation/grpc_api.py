"""Maps reservation protos to use cases and back (role checks live in the use cases)."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc

from airline.platform.protobuf import optional_time, timestamp
from airline.reservation.domain import Assignment, CabinAvailability, Hold, SeatRequest
from airline.reservation.seat_maps import SeatMap
from airline.reservation.service import ReservationService
from airline.reservation.v1 import reservation_pb2 as pb
from airline.reservation.v1 import reservation_pb2_grpc as pb_grpc


def seat_request_pb(s: SeatRequest) -> pb.SeatRequest:
    return pb.SeatRequest(
        seat=s.seat,
        passenger_ref=s.passenger_ref,
        passenger_type=s.passenger_type.value,
        cabin_class=s.cabin_class.value,
    )


def hold_pb(h: Hold) -> pb.Hold:
    return pb.Hold(
        hold_id=h.hold_id,
        flight_id=h.flight_id,
        owner=h.owner,
        seats=[seat_request_pb(s) for s in h.seats],
        expires_at=timestamp(h.expires_at),
        created_at=timestamp(h.created_at),
        not_after=timestamp(h.not_after),
    )


def availability_pb(a: CabinAvailability) -> pb.CabinAvailability:
    return pb.CabinAvailability(cabin_class=a.cabin_class.value, total=a.total, free=a.free, held=a.held, taken=a.taken)


def assignment_pb(a: Assignment) -> pb.Assignment:
    return pb.Assignment(
        flight_id=a.flight_id,
        seat=a.seat,
        passenger_ref=a.passenger_ref,
        passenger_type=a.passenger_type.value,
        cabin_class=a.cabin_class.value,
        booking_ref=a.booking_ref,
        hold_id=a.hold_id or "",
        assigned_at=timestamp(a.assigned_at),
    )


def seat_map_pb(m: SeatMap) -> pb.SeatMap:
    return pb.SeatMap(
        flight_id=m.flight.flight_id,
        plane_id=m.flight.plane_id or "",
        cancelled=m.flight.cancelled,
        status=m.flight.status or "",
        sellable=m.sellable,
        not_sellable_reason=m.not_sellable_reason or "",
        holds_unavailable_reason=m.holds_unavailable_reason or "",
        seats=[
            pb.Seat(
                seat=v.seat.seat,
                cabin_class=v.seat.cabin_class.value,
                row=v.seat.row,
                letter=v.seat.letter,
                position=v.seat.position,
                exit_row=v.seat.exit_row,
                blocked=v.seat.blocked,
                state=v.state.value,
                mine=v.mine,
            )
            for v in m.seats
        ],
        availability=[availability_pb(a) for a in m.availability],
        generated_at=timestamp(datetime.now(UTC)),
    )


def _raw(seats: list[pb.SeatRequest]) -> list[tuple[str, str, str, str]]:
    return [(s.seat, s.passenger_ref, s.passenger_type, s.cabin_class) for s in seats]


def _assignments(found: list[Assignment]) -> pb.AssignmentsResponse:
    return pb.AssignmentsResponse(assignments=[assignment_pb(a) for a in found])


class ReservationApi(pb_grpc.ReservationServiceServicer):
    def __init__(self, service: ReservationService) -> None:
        self.service = service

    async def GetSeatMap(self, request: pb.GetSeatMapRequest, context: grpc.aio.ServicerContext) -> pb.SeatMap:
        return seat_map_pb(await self.service.seat_map(request.flight_id))

    async def CountAvailable(
        self, request: pb.CountAvailableRequest, context: grpc.aio.ServicerContext
    ) -> pb.CountAvailableResponse:
        found = await self.service.count_available(request.flight_id)
        return pb.CountAvailableResponse(
            flight_id=request.flight_id.strip(),
            availability=[availability_pb(a) for a in found.cabins],
            holds_unavailable_reason=found.holds_unavailable_reason or "",
        )

    async def HoldSeats(self, request: pb.HoldSeatsRequest, context: grpc.aio.ServicerContext) -> pb.Hold:
        not_after = request.not_after.ToDatetime(tzinfo=UTC) if request.HasField("not_after") else None
        # a seat at the airport: overbooking places instead of seats (airport_places.py)
        use = self.service.hold_places if request.seat_at_airport else self.service.hold_seats
        return hold_pb(
            await use(
                request.flight_id,
                _raw(list(request.seats)),
                request.owner,
                request.hold_id,
                request.ttl_seconds,
                request.account,
                not_after,
            )
        )

    async def GetHold(self, request: pb.GetHoldRequest, context: grpc.aio.ServicerContext) -> pb.Hold:
        return hold_pb(await self.service.get_hold(request.hold_id))

    async def ExtendHold(self, request: pb.ExtendHoldRequest, context: grpc.aio.ServicerContext) -> pb.Hold:
        not_after = optional_time(request, "not_after")
        return hold_pb(await self.service.extend_hold(request.hold_id, request.ttl_seconds, not_after))

    async def ReleaseHold(
        self, request: pb.ReleaseHoldRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReleaseHoldResponse:
        return pb.ReleaseHoldResponse(released=await self.service.release_hold(request.hold_id))

    async def ConfirmHold(
        self, request: pb.ConfirmHoldRequest, context: grpc.aio.ServicerContext
    ) -> pb.AssignmentsResponse:
        return _assignments(await self.service.confirm_hold(request.hold_id, request.booking_ref))

    async def AssignSeats(
        self, request: pb.AssignSeatsRequest, context: grpc.aio.ServicerContext
    ) -> pb.AssignmentsResponse:
        return _assignments(
            await self.service.assign_seats(request.flight_id, request.booking_ref, _raw(list(request.seats)))
        )

    async def ReleaseAssignments(
        self, request: pb.ReleaseAssignmentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.AssignmentsResponse:
        return _assignments(
            await self.service.release_assignments(
                request.booking_ref, request.flight_id, passenger_refs=list(request.passenger_refs)
            )
        )

    async def ListAssignments(
        self, request: pb.ListAssignmentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.AssignmentsResponse:
        return _assignments(await self.service.list_assignments(request.flight_id, request.booking_ref))
