"""Voluntary changes (booking service, issue 15): move a leg of a confirmed booking to another
flight on the same route, priced by the fare rules kept when it was booked.

`GET /bookings/{id}/changes/options?leg=0&date=2026-12-24` lists the flights of that day with
seats for the whole party in the booking's cabin, each priced (`change_fee` for the party,
`fare_difference` = today's fare minus what was paid for the leg, `total_due`, and `residual`:
what comes back as a voucher when the new fare is cheaper and the rule allows). `POST
/bookings/{id}/changes/quote` with `{"legs": [{"leg": 0, "flight_id": "..."}]}` gives a signed
quote bound to the booking as it is now (it expires: `expires_at`). `POST /bookings/{id}/changes`
with `{"quote_id": "...", "payment": <the body of POST /bookings/{id}/pay>}` (no payment when
`total_due` is 0) takes the seats and the money and answers the booking with its new legs,
seats and e-tickets; 402 when the payment is declined (nothing changed), 409 `change_closed`
inside the closing window, `quote_stale` if the booking changed since the quote,
`booking_state` unless confirmed, `change_in_progress` while another change or a cancellation
of the booking runs. The same quote sent again answers the booking again and charges nothing
more. Who: as every booking route (owner, `X-Manage-Token`, `?pnr=&last_name=`, staff; staff
give a reason in `X-Airline-Reason`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from google.protobuf import json_format
from pydantic import BaseModel, ConfigDict, Field

from airline.booking.v1 import booking_pb2 as pb
from airline.gateway.booking_access import BookingAccess, Bookings
from airline.gateway.booking_schema import Booking, PayIn, booking_json, fill_payment
from airline.gateway.params import Caller
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")
TAG = ["bookings"]
# a change asks flights and reservation, takes a payment and assigns seats
CHANGE_TIMEOUT = 45.0
LOOK_TIMEOUT = 15.0

_MONEY = ("change_fee", "fare_difference", "total_due", "residual", "residual_voucher")


class ChangeOption(BaseModel):
    flight_id: str
    number: str
    scheduled_departure: datetime
    scheduled_arrival: datetime
    seats_left: int
    change_fee: int = Field(description="minor units, for the whole party")
    fare_difference: int = Field(description="today's fare minus what was paid for the leg (negative: cheaper)")
    total_due: int = Field(description="change_fee + max(0, fare_difference)")
    residual: int = Field(description="what comes back as a voucher when the new fare is cheaper (0: forfeited)")
    currency: str


class ChangeOptions(BaseModel):
    leg: int
    options: list[ChangeOption]


class LegChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    leg: int = Field(ge=0, le=20, description="0-based position of the leg in the booking")
    flight_id: str = Field(min_length=1, max_length=64)


class ChangeQuoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    legs: list[LegChangeIn] = Field(min_length=1, max_length=8)


class QuotedLeg(BaseModel):
    leg: int
    from_flight_id: str
    flight_id: str
    number: str
    scheduled_departure: datetime


class ChangeQuote(BaseModel):
    quote_id: str
    legs: list[QuotedLeg]
    change_fee: int
    fare_difference: int
    total_due: int
    residual_voucher: int
    currency: str
    expires_at: datetime


class ChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quote_id: str = Field(min_length=1, max_length=8000, description="from POST /bookings/{id}/changes/quote")
    payment: PayIn | None = Field(default=None, description="as POST /bookings/{id}/pay; none when total_due is 0")


def _money(raw: dict[str, Any]) -> dict[str, Any]:
    for name in _MONEY:
        if name in raw:
            raw[name] = int(raw.get(name) or 0)
    return raw


def _dict(message: Any) -> dict[str, Any]:
    out: dict[str, Any] = json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return out


@router.get(
    "/bookings/{booking_id}/changes/options",
    response_model=ChangeOptions,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Flights a leg may change to on a date, priced by the fare rules kept at booking",
    responses=error_responses(404, 409, 422, 503),
)
async def change_options(
    access: BookingAccess,
    bookings: Bookings,
    _: Caller,
    leg: Annotated[int, Query(ge=0, le=20, description="0-based position of the leg")],
    date: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD, local at the leg's origin")],
) -> JSONResponse:
    reply = await bookings.GetChangeOptions(
        pb.ChangeOptionsRequest(access=access, leg=leg, date=date), timeout=LOOK_TIMEOUT
    )
    out = _dict(reply)
    out["leg"] = int(out.get("leg") or 0)
    out["options"] = [_money(o) for o in out.get("options", [])]
    return JSONResponse(out)


@router.post(
    "/bookings/{booking_id}/changes/quote",
    response_model=ChangeQuote,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="A signed quote for changing legs of the booking (it expires; bound to the booking as it is now)",
    responses=error_responses(404, 409, 422, 503),
)
async def quote_change(access: BookingAccess, body: ChangeQuoteIn, bookings: Bookings, _: Caller) -> JSONResponse:
    reply = await bookings.QuoteChange(
        pb.QuoteChangeRequest(access=access, legs=[pb.LegChange(leg=x.leg, flight_id=x.flight_id) for x in body.legs]),
        timeout=LOOK_TIMEOUT,
    )
    out = _money(_dict(reply))
    for x in out.get("legs", []):
        x["leg"] = int(x.get("leg") or 0)
    return JSONResponse(out)


@router.post(
    "/bookings/{booking_id}/changes",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Change flights by a quote: seats, payment of total_due, new e-tickets",
    description="402 payment declined (nothing changed); 409 change_closed, quote_stale, quote_expired, "
    "booking_state, change_in_progress, no_seats; 422 quote_invalid. The same quote again answers "
    "the booking again (one charge, one move).",
    responses=error_responses(402, 404, 409, 422, 503),
)
async def change_flights(access: BookingAccess, body: ChangeIn, bookings: Bookings, _: Caller) -> JSONResponse:
    message = pb.ChangeFlightsRequest(access=access, quote_id=body.quote_id)
    fill_payment(message, body.payment)
    return JSONResponse(booking_json(await bookings.ChangeFlights(message, timeout=CHANGE_TIMEOUT)))
