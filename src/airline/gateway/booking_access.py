"""What every booking route needs to reach the booking service: its stub, the booking id in the
path, the guest's manage token and how the caller's way to a booking (owner's token, manage
token, or PNR + last name) becomes the booking service's `Access`. One place, so the rules of
who reaches a booking are the booking service's, passed on the same way by every route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Request

from airline.booking.v1 import booking_pb2 as pb
from airline.booking.v1 import booking_pb2_grpc as pb_grpc
from airline.gateway import deps


def _bookings(request: Request) -> pb_grpc.BookingServiceStub:
    return pb_grpc.BookingServiceStub(deps.channel(request, "booking"))


Bookings = Annotated[pb_grpc.BookingServiceStub, Depends(_bookings)]
BookingIdPath = Annotated[str, Path(min_length=1, max_length=64, description="the booking id")]
ManageToken = Annotated[
    str | None,
    Header(alias="X-Manage-Token", max_length=64, description="a guest's manage token (from POST /bookings)"),
]


def booking_access(
    booking_id: str, token: str | None, pnr: str | None = None, last_name: str | None = None
) -> pb.Access:
    return pb.Access(booking_id=booking_id, manage_token=token or "", pnr=pnr or "", last_name=last_name or "")
