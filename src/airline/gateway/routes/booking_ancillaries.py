"""Paid ancillaries after the sale (booking service, issue 15): extra checked bags and
pre-ordered meals, one EMD each, and the booking's receipt.

`GET /bookings/{id}/ancillaries` shows the bag grid (per passenger and leg: the fare's
`included_pieces`, `extra_pieces` held, `piece_price`, how many more may be bought), the meal
menu in the booking's currency, the meals ordered and whether sales are `open` (they close
AIRLINE_BOOKING_CHANGE_CLOSE_HOURS before a leg's departure, `closes_at`). `POST
/bookings/{id}/ancillaries/quote` with `{"bags": [{"flight_id", "passenger_id", "extra_pieces"}],
"meals": [{"flight_id", "passenger_id", "code"}]}` gives a signed quote bound to the booking as
it is now. `POST /bookings/{id}/ancillaries` with `{"quote_id", "payment": <the body of POST
/bookings/{id}/pay>}` pays the total at once and answers the booking, whose `ancillaries` list
every EMD; 402 when the payment is declined (nothing bought), 409 `sales_closed`,
`booking_state`, `quote_stale`, `quote_expired`, `change_in_progress`; 422 an unknown
flight, passenger or meal, too many pieces. The same quote sent again buys once. `GET
/bookings/{id}/receipt`: the fare per e-ticket, the bags and meals per EMD, the changes and the
refunds (a refund line's amount is negative). Who: as every booking route (owner,
`X-Manage-Token`, `?pnr=&last_name=`, staff; staff buying give a reason in `X-Airline-Reason`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
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
BUY_TIMEOUT = 45.0  # a purchase takes a payment
LOOK_TIMEOUT = 15.0


class AncillaryBag(BaseModel):
    flight_id: str
    passenger_id: str
    included_pieces: int
    extra_pieces: int = Field(description="held already (bought with the booking or after)")
    piece_price: int = Field(description="one more piece, minor units")
    max_extra_pieces: int = Field(description="how many more may still be bought")


class MenuMeal(BaseModel):
    code: str
    name: str
    price: int


class OrderedMeal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    flight_id: str = Field(min_length=1, max_length=64)
    passenger_id: str = Field(min_length=1, max_length=16)
    code: str = Field(min_length=1, max_length=40)


class AncillaryCatalogue(BaseModel):
    currency: str
    bags: list[AncillaryBag]
    meals: list[MenuMeal]
    meal_orders: list[OrderedMeal]
    open: bool
    closes_at: datetime | None


class AncillaryBagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    flight_id: str = Field(min_length=1, max_length=64)
    passenger_id: str = Field(min_length=1, max_length=16)
    extra_pieces: int = Field(ge=1, le=20, description="additional pieces to buy")


class AncillaryQuoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bags: list[AncillaryBagIn] = Field(default_factory=list, max_length=64)
    meals: list[OrderedMeal] = Field(default_factory=list, max_length=64)


class QuotedAncillary(BaseModel):
    kind: Literal["bag", "meal"]
    flight_id: str
    passenger_id: str
    description: str
    amount: int


class AncillaryQuote(BaseModel):
    quote_id: str
    items: list[QuotedAncillary]
    total: int
    currency: str
    expires_at: datetime


class AncillaryBuyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quote_id: str = Field(min_length=1, max_length=8000, description="from POST /bookings/{id}/ancillaries/quote")
    payment: PayIn | None = Field(default=None, description="as POST /bookings/{id}/pay")


class ReceiptLine(BaseModel):
    kind: Literal["fare", "bag", "meal", "change", "refund"]
    description: str
    document: str = Field(description='the e-ticket or EMD number, "" if none')
    amount: int = Field(description="minor units; a refund is negative")


class BookingReceipt(BaseModel):
    booking_id: str
    pnr: str
    currency: str
    lines: list[ReceiptLine]
    total_paid: int
    total_refunded: int


def _dict(message: Any) -> dict[str, Any]:
    out: dict[str, Any] = json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return out


def _ints(rows: list[dict[str, Any]], *names: str) -> None:
    for row in rows:
        for name in names:
            row[name] = int(row.get(name) or 0)


@router.get(
    "/bookings/{booking_id}/ancillaries",
    response_model=AncillaryCatalogue,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="What may be bought after the sale: extra bags per passenger and leg, the meal menu",
    responses=error_responses(404, 503),
)
async def get_ancillaries(access: BookingAccess, bookings: Bookings, _: Caller) -> JSONResponse:
    reply = await bookings.GetAncillaries(pb.AncillariesRequest(access=access), timeout=LOOK_TIMEOUT)
    out = _dict(reply)
    _ints(out["bags"], "included_pieces", "extra_pieces", "piece_price", "max_extra_pieces")
    _ints(out["meals"], "price")
    out["open"] = bool(out.get("open"))
    out["closes_at"] = out.get("closes_at") or None
    return JSONResponse(out)


@router.post(
    "/bookings/{booking_id}/ancillaries/quote",
    response_model=AncillaryQuote,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="A signed quote for extra bags and meals (it expires; bound to the booking as it is now)",
    responses=error_responses(404, 409, 422, 503),
)
async def quote_ancillaries(
    access: BookingAccess, body: AncillaryQuoteIn, bookings: Bookings, _: Caller
) -> JSONResponse:
    reply = await bookings.QuoteAncillaries(
        pb.QuoteAncillariesRequest(
            access=access,
            bags=[
                pb.BagWanted(flight_id=x.flight_id, passenger_id=x.passenger_id, extra_pieces=x.extra_pieces)
                for x in body.bags
            ],
            meals=[pb.MealOrder(flight_id=x.flight_id, passenger_id=x.passenger_id, code=x.code) for x in body.meals],
        ),
        timeout=LOOK_TIMEOUT,
    )
    out = _dict(reply)
    out["total"] = int(out.get("total") or 0)
    _ints(out["items"], "amount")
    return JSONResponse(out)


@router.post(
    "/bookings/{booking_id}/ancillaries",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Buy the quoted bags and meals: one payment, one EMD per item",
    description="402 payment declined (nothing bought); 409 sales_closed, booking_state, quote_stale, "
    "quote_expired, change_in_progress; 422 quote_invalid. The same quote again answers the booking "
    "again (bought once).",
    responses=error_responses(402, 404, 409, 422, 503),
)
async def buy_ancillaries(access: BookingAccess, body: AncillaryBuyIn, bookings: Bookings, _: Caller) -> JSONResponse:
    message = pb.BuyAncillariesRequest(access=access, quote_id=body.quote_id)
    fill_payment(message, body.payment)
    return JSONResponse(booking_json(await bookings.BuyAncillaries(message, timeout=BUY_TIMEOUT)))


@router.get(
    "/bookings/{booking_id}/receipt",
    response_model=BookingReceipt,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="The booking's receipt: fare per e-ticket, bags and meals per EMD, changes, refunds",
    responses=error_responses(404, 409, 503),
)
async def get_receipt(access: BookingAccess, bookings: Bookings, _: Caller) -> JSONResponse:
    reply = await bookings.GetReceipt(pb.ReceiptRequest(access=access), timeout=LOOK_TIMEOUT)
    out = _dict(reply)
    _ints(out["lines"], "amount")
    out["total_paid"] = int(out.get("total_paid") or 0)
    out["total_refunded"] = int(out.get("total_refunded") or 0)
    return JSONResponse(out)
