"""Re-accommodation (booking service, issue 14): when the airline cancels, diverts or retimes a
flight, each affected booking gets a proposal on a later flight with its seats reserved.

Ops: `POST /flights/{id}/reaccommodation` runs it now for the flight (its pending runs, or a
new one: bookings with a proposal already are left as they are, so running twice changes
nothing) and answers the status; `GET /flights/{id}/reaccommodation` (ops, cs) shows every
affected booking with its priority rank, proposal or unplaced reason, and state.

Passengers ("Manage booking"): `GET /bookings/{id}` shows the proposal (`reaccommodation`);
`POST /bookings/{id}/reaccommodation/accept` with `{"option": n}` (0, the default, is the
proposal; n an alternative, its seats assigned from what is free now) moves the booking:
new e-tickets and seats on the new flights, the old ones given back;
`POST /bookings/{id}/reaccommodation/decline` with `{"take": "refund"}` (all of it back to the
card) or `{"take": "voucher"}` (worth AIRLINE_BOOKING_REACCOMMODATION_VOUCHER_BONUS_PERCENT
more) cancels the booking; `{"take": "keep"}` (a retimed flight only) stays on it. The same
answer twice gives the same result; another answer after one is 409
`reaccommodation_answered`. Who: the owner, a guest with the manage token (`X-Manage-Token`),
customer service and ops; a guest with `?pnr=&last_name=` may accept, keep or take the refund
to the card (as cancelling allows), never the voucher; anyone else gets 404.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from google.protobuf import json_format
from pydantic import BaseModel, ConfigDict, Field

from airline.booking.v1 import booking_pb2 as pb
from airline.gateway.booking_access import BookingAccess, Bookings
from airline.gateway.params import Caller, OpsOnly
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH, require_roles
from airline.platform.auth import Principal, Role

router = APIRouter(prefix="/api/v1")
# a run reserves seats for every affected booking; an answer may refund and release seats
RUN_TIMEOUT = 60.0
ANSWER_TIMEOUT = 30.0

OpsOrCs = Annotated[Principal, Depends(require_roles(Role.OPS, Role.CS))]
FlightIdPath = Annotated[str, Path(min_length=1, max_length=64, description="the flight id")]
_MONEY = ("refund_amount", "voucher_amount")


class ReaccommodationAcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"option": 0}]})
    option: int = Field(default=0, ge=0, le=20, description="0 = the proposal, n = alternative n")


class ReaccommodationDeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"take": "refund"}]})
    take: Literal["refund", "voucher", "keep"] = Field(
        description="refund: everything back to the card paid with; voucher: airline credit worth more; "
        "keep: stay on a retimed flight at its new time (the booking is unchanged)"
    )


class ReaccommodationStatus(BaseModel):
    flight_id: str
    run_state: Literal["none", "pending", "done"]
    last_error: str = ""
    counts: dict[str, int] = Field(description="bookings per state")
    bookings: list[dict[str, Any]] = Field(description="each affected booking, by priority rank")


def _proposal(raw: dict[str, Any]) -> dict[str, Any]:
    for name in _MONEY:
        raw[name] = int(raw.get(name) or 0)
    return raw


def _status(s: pb.ReaccommodationStatus) -> ReaccommodationStatus:
    raw = json_format.MessageToDict(s, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    raw["bookings"] = [_proposal(b) for b in raw.get("bookings", [])]
    return ReaccommodationStatus.model_validate(raw)


def _booking(b: pb.Booking) -> dict[str, Any]:
    out = json_format.MessageToDict(b, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    out.pop("replayed", None)
    out["manage_token"] = None
    for name in ("fare_total", "bag_total", "total", "refunded_amount"):
        out[name] = int(out.get(name) or 0)
    if out.get("reaccommodation"):
        out["reaccommodation"] = _proposal(out["reaccommodation"])
    return out


@router.post(
    "/flights/{flight_id}/reaccommodation",
    response_model=ReaccommodationStatus,
    tags=["flights"],
    summary="Run re-accommodation for a disrupted flight now (ops)",
    responses=error_responses(401, 403, 404, 503),
)
async def run_reaccommodation(flight_id: FlightIdPath, bookings: Bookings, _: OpsOnly) -> ReaccommodationStatus:
    reply = await bookings.RunReaccommodation(pb.ReaccommodationFlightRequest(flight_id=flight_id), timeout=RUN_TIMEOUT)
    return _status(reply)


@router.get(
    "/flights/{flight_id}/reaccommodation",
    response_model=ReaccommodationStatus,
    tags=["flights"],
    summary="A flight's re-accommodation: affected bookings, ranks, proposals, states (ops, cs)",
    responses=error_responses(401, 403),
)
async def reaccommodation_status(flight_id: FlightIdPath, bookings: Bookings, _: OpsOrCs) -> ReaccommodationStatus:
    return _status(await bookings.GetReaccommodationStatus(pb.ReaccommodationFlightRequest(flight_id=flight_id)))


@router.post(
    "/bookings/{booking_id}/reaccommodation/accept",
    tags=["bookings"],
    openapi_extra=OPTIONAL_AUTH,
    summary="Accept the re-accommodation proposal, or one of its alternatives",
    responses=error_responses(404, 409, 422, 503),
)
async def accept_reaccommodation(
    access: BookingAccess, bookings: Bookings, _: Caller, body: ReaccommodationAcceptIn | None = None
) -> dict[str, Any]:
    request = pb.AcceptReaccommodationRequest(access=access, option=(body or ReaccommodationAcceptIn()).option)
    return _booking(await bookings.AcceptReaccommodation(request, timeout=ANSWER_TIMEOUT))


@router.post(
    "/bookings/{booking_id}/reaccommodation/decline",
    tags=["bookings"],
    openapi_extra=OPTIONAL_AUTH,
    summary="Decline the re-accommodation: a full refund, or a voucher worth more",
    responses=error_responses(404, 409, 422, 503),
)
async def decline_reaccommodation(
    access: BookingAccess, body: ReaccommodationDeclineIn, bookings: Bookings, _: Caller
) -> dict[str, Any]:
    request = pb.DeclineReaccommodationRequest(access=access, take=body.take)
    return _booking(await bookings.DeclineReaccommodation(request, timeout=ANSWER_TIMEOUT))
