"""One passenger of a confirmed booking after the sale (booking service, issue 15).

`POST /bookings/{id}/passengers/{passenger_id}/cancel` cancels that passenger alone (the
infant on their lap with them): their seats and e-tickets are gone, their own share of the
payment is refunded by the fare rules kept at booking (`refunded_amount` grows by it), once
however often the request is made. 409 `last_passenger` for the only passenger left (cancel the
booking instead), `unaccompanied_minor` for the last adult with children, `booking_state`
unless confirmed, `departed` once a flight has left.

`POST /bookings/{id}/passengers/{passenger_id}/name-correction` corrects a misspelt name, free:
new e-tickets for that passenger, a boarding pass already issued is reissued with the new name
(the old one no longer scans). At most 3 letters may change over the first and last name
(case and accents aside): 422 `name_change_too_large` beyond, `name_unchanged` for none.

Who: the booking's owner, a guest with the manage token (`X-Manage-Token`) or with the PNR and a
last name, customer service (staff give the reason of their change in `X-Airline-Reason`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from airline.booking.v1 import booking_pb2 as pb
from airline.gateway.booking_access import BookingAccess, Bookings
from airline.gateway.booking_schema import Booking, booking_json
from airline.gateway.params import Caller
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")
TAG = ["bookings"]
# a cancellation refunds through payment and releases seats through reservation
CANCEL_TIMEOUT = 30.0

PassengerIdPath = Annotated[
    str, Path(min_length=1, max_length=8, pattern=r"^[A-Za-z0-9]+$", description="the passenger id (P1, P2, ...)")
]


class PassengerCancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "cannot travel"}]})
    reason: str = Field(default="", max_length=500)


class NameCorrectionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"first_name": "Ada", "last_name": "Lovelace"}]}
    )
    first_name: str = Field(min_length=1, max_length=60)
    last_name: str = Field(min_length=1, max_length=60)


@router.post(
    "/bookings/{booking_id}/passengers/{passenger_id}/cancel",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Cancel one passenger (and their lap infant), refunded their share once",
    responses=error_responses(404, 409, 422, 503),
)
async def cancel_passenger(
    access: BookingAccess,
    passenger_id: PassengerIdPath,
    bookings: Bookings,
    _: Caller,
    body: PassengerCancelIn | None = None,
) -> JSONResponse:
    b = await bookings.CancelPassenger(
        pb.CancelPassengerRequest(
            access=access, passenger_id=passenger_id, reason=(body or PassengerCancelIn()).reason
        ),
        timeout=CANCEL_TIMEOUT,
    )
    return JSONResponse(booking_json(b))


@router.post(
    "/bookings/{booking_id}/passengers/{passenger_id}/name-correction",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Correct a misspelt name (at most 3 letters, free): new e-tickets",
    responses=error_responses(404, 409, 422, 503),
)
async def correct_name(
    access: BookingAccess, passenger_id: PassengerIdPath, body: NameCorrectionIn, bookings: Bookings, _: Caller
) -> JSONResponse:
    b = await bookings.CorrectName(
        pb.CorrectNameRequest(
            access=access, passenger_id=passenger_id, first_name=body.first_name, last_name=body.last_name
        )
    )
    return JSONResponse(booking_json(b))
