"""What every booking route needs to reach the booking service: its stub and how the caller's way
to a booking (owner's token, manage token, or PNR + last name) becomes the booking service's
`Access`, built from the path's booking id, the `X-Manage-Token` header and the `pnr` /
`last_name` query. One place, so the rules of who reaches a booking are the booking service's,
passed on the same way by every route.

`BookingAccess` takes all of them; `OwnerOrTokenAccess` takes no PNR (the booking flow's steps
before and at payment, and compensation: the owner, staff, or the manage token only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Request

from airline.booking.v1 import booking_pb2 as pb
from airline.booking.v1 import booking_pb2_grpc as pb_grpc
from airline.gateway import deps
from airline.gateway.params import LastNameQuery, PnrQuery


def _bookings(request: Request) -> pb_grpc.BookingServiceStub:
    return pb_grpc.BookingServiceStub(deps.channel(request, "booking"))


Bookings = Annotated[pb_grpc.BookingServiceStub, Depends(_bookings)]
BookingIdPath = Annotated[str, Path(min_length=1, max_length=64, description="the booking id")]
ManageToken = Annotated[
    str | None,
    Header(alias="X-Manage-Token", max_length=64, description="a guest's manage token (from POST /bookings)"),
]


async def _access(
    booking_id: BookingIdPath, token: ManageToken = None, pnr: PnrQuery = None, last_name: LastNameQuery = None
) -> pb.Access:
    return pb.Access(booking_id=booking_id, manage_token=token or "", pnr=pnr or "", last_name=last_name or "")


async def _owner_or_token_access(booking_id: BookingIdPath, token: ManageToken = None) -> pb.Access:
    return pb.Access(booking_id=booking_id, manage_token=token or "")


BookingAccess = Annotated[pb.Access, Depends(_access)]
"""The booking in the path, reached by its owner, staff, the manage token or PNR + last name."""
OwnerOrTokenAccess = Annotated[pb.Access, Depends(_owner_or_token_access)]
"""The booking in the path, reached by its owner, staff or the manage token (no PNR query)."""
