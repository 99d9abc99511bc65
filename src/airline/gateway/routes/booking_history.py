"""A booking's history and resending its confirmation (booking service, issue 15: the
customer-service desk).

`GET /bookings/{id}/history` lists every step of a booking, oldest first: what happened (a
`kind` and one sentence), when, who did it (`actor`: role and subject) and why (`reason`: the
staff's `X-Airline-Reason`, or the passenger's own cancel reason). Customer service and ops
read any booking's history; the owner, a guest with the manage token (`X-Manage-Token`) or the
PNR and a last name read their own; anyone else gets 404.

`POST /bookings/{id}/confirmation/resend` sends the booking's confirmation again to its
contact (a confirmed booking). An `Idempotency-Key` makes a retry send nothing more. cs, ops
and admin need an `X-Airline-Reason` (422 `reason_required` without it), as on every change
they make to a booking.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from google.protobuf import json_format
from pydantic import BaseModel, Field

from airline.booking.v1 import booking_pb2 as pb
from airline.gateway.booking_access import BookingAccess, Bookings
from airline.gateway.params import Caller, IdempotencyKey, checked_idempotency_key
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")
TAG = ["bookings"]
READ_TIMEOUT = 10.0


class HistoryActor(BaseModel):
    role: str = Field(examples=["cs"], description="passenger, cs, ops, admin, agent, system, or guest")
    subject: str = Field(examples=["3f1c…"], description="the user's id, the service's name, or how a guest came")


class HistoryEntry(BaseModel):
    at: datetime
    kind: str = Field(
        examples=["seat_changed"],
        description="created, passengers_set, seats_selected, draft_kept, luggage_set, payment_refunded, payment_started, payment_declined, "
        "payment_captured, confirmed, refunded, cancelled, expired, seat_changed, reaccommodated, "
        "compensation_claimed, message_sent, confirmation_resent, passenger_cancelled, name_corrected, "
        "flights_changed, … (new kinds may appear)",
    )
    summary: str = Field(examples=["P1 moved from seat 12A to 14C."])
    actor: HistoryActor
    reason: str | None = Field(default=None, examples=["passenger called: wants the aisle"])
    details: dict[str, Any] = Field(default_factory=dict, description="the step's facts (by kind)")


class BookingHistoryOut(BaseModel):
    booking_id: str
    pnr: str = Field(description="the booking reference ('' before confirmation)")
    entries: list[HistoryEntry]


class ConfirmationResent(BaseModel):
    booking_id: str
    resent: bool = True


def _whole(value: Any) -> Any:
    """JSON numbers come back from the proto's Struct as floats: 12000.0 -> 12000."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return value


def _history_json(h: pb.BookingHistory) -> dict[str, Any]:
    entries = []
    for e in h.entries:
        entries.append(
            {
                "at": e.at,
                "kind": e.kind,
                "summary": e.summary,
                "actor": {"role": e.actor.role, "subject": e.actor.subject},
                "reason": e.reason or None,
                "details": _whole(json_format.MessageToDict(e.details)) if e.HasField("details") else {},
            }
        )
    return {"booking_id": h.booking_id, "pnr": h.pnr, "entries": entries}


@router.get(
    "/bookings/{booking_id}/history",
    response_model=BookingHistoryOut,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="A booking's history: every step, who did it and why (cs, ops, or the booking's own passenger)",
    responses=error_responses(404),
)
async def booking_history(access: BookingAccess, bookings: Bookings, _: Caller) -> JSONResponse:
    reply = await bookings.GetBookingHistory(pb.GetBookingHistoryRequest(access=access), timeout=READ_TIMEOUT)
    return JSONResponse(_history_json(reply))


@router.post(
    "/bookings/{booking_id}/confirmation/resend",
    status_code=202,
    response_model=ConfirmationResent,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Send the booking's confirmation again to its contact",
    description="A confirmed booking (409 `booking_state` otherwise). An `Idempotency-Key` makes a retry "
    "send nothing more. cs, ops and admin need `X-Airline-Reason` (422 `reason_required`).",
    responses=error_responses(404, 409, 422),
)
async def resend_confirmation(
    access: BookingAccess, bookings: Bookings, _: Caller, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    key = checked_idempotency_key(idempotency_key, required=False)
    reply = await bookings.ResendConfirmation(
        pb.ResendConfirmationRequest(access=access, resend_id=key), timeout=READ_TIMEOUT
    )
    return JSONResponse({"booking_id": reply.booking_id, "resent": reply.resent}, status_code=202)
