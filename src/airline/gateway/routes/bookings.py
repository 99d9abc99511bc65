"""Bookings (booking service): the booking flow step by step, payment, manage and cancel.

The flow a front end follows: `POST /bookings` with an offer id from `/search` -> `PUT
/bookings/{id}/passengers` -> `PUT /bookings/{id}/seats` (once per flight) -> `PUT
/bookings/{id}/luggage` -> `POST /bookings/{id}/pay`. Who may act on a booking: its owner
(the signed-in passenger who created it), customer service (any booking), or a guest with the
manage token returned once by `POST /bookings` (header `X-Manage-Token`) or, once confirmed,
with the PNR and a passenger's last name (query `pnr` + `last_name`). Anyone else gets 404.

`POST /bookings` honours an `Idempotency-Key`; `POST /bookings/{id}/pay` requires one: a retry
with the same key and body returns the first result, the same key with another body is 422.
Card numbers and CVCs are SecretStr here: they never reach a log line or an echo.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from google.protobuf import json_format
from pydantic import BaseModel, ConfigDict, Field, model_validator

from airline.booking.v1 import booking_pb2 as pb
from airline.gateway.booking_access import BookingAccess, Bookings, OwnerOrTokenAccess
from airline.gateway.booking_schema import Booking, PayIn, booking_json, fill_payment
from airline.gateway.client_address import client_address
from airline.gateway.params import Caller, IdempotencyKey, SignedIn, checked_idempotency_key, idempotent_headers
from airline.gateway.problems import PAYMENT_DECLINED_CODES, error_responses, payment_required
from airline.gateway.schemas import ChallengeIn
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")

# A payment runs several calls one after the other (authorise, confirm seats, capture); the
# other steps call one or two services each.
PAY_TIMEOUT = 30.0
STEP_TIMEOUT = 15.0


# --- bodies -----------------------------------------------------------------------------------


class CreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    offer_id: str = Field(min_length=1, max_length=8000, description="from GET /api/v1/search")


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["passport", "id"]
    number: str = Field(min_length=1, max_length=30, examples=["K1234567"])
    issuing_country: str = Field(min_length=2, max_length=2, examples=["SG"])
    expiry: str = Field(max_length=10, examples=["2032-05-31"])


class PassengerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["adult", "child", "infant"]
    first_name: str = Field(min_length=1, max_length=60, examples=["Ada"])
    last_name: str = Field(min_length=1, max_length=60, examples=["Lovelace"])
    date_of_birth: str = Field(max_length=10, examples=["1990-12-10"])
    document: DocumentIn
    infant_of: str = Field(default="", max_length=4, description="an infant's adult (P1, P2, ...)")
    meal: str = Field(default="", max_length=20, description="special meal request, e.g. vegetarian")


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=254, examples=["ada@example.com"])
    phone: str = Field(max_length=20, description="E.164", examples=["+6591234567"])


class PassengersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    passengers: list[PassengerIn] = Field(min_length=1, max_length=9)
    contact: ContactIn


class SeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    passenger_id: str = Field(min_length=1, max_length=4, examples=["P1"])
    seat: str = Field(min_length=2, max_length=4, examples=["12C"])


class SeatsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    flight_id: str = Field(min_length=1, max_length=64)
    seats: list[SeatIn] = Field(default_factory=list, max_length=9)
    seat_at_airport: bool = Field(
        default=False,
        description="No seat now for every passenger but infants: the cabin is full and sold past its seats "
        "(overbooking). Check-in gives a seat if one frees up, else the passenger is a denied-boarding "
        "candidate at the gate. Give either seats or this.",
    )

    @model_validator(mode="after")
    def _seats_or_airport(self) -> SeatsIn:
        if bool(self.seats) == self.seat_at_airport:
            raise ValueError("give seats (one per passenger but infants) or seat_at_airport: true, not both")
        return self


class BagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    flight_id: str = Field(min_length=1, max_length=64)
    passenger_id: str = Field(min_length=1, max_length=4)
    extra_pieces: int = Field(default=0, ge=0, le=10)
    overweight_kg: int = Field(default=0, ge=0, le=100)


class LuggageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bags: list[BagIn] = Field(max_length=100)


class CancelBookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500)


class SeatChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    flight_id: str = Field(min_length=1, max_length=64)
    passenger_id: str = Field(min_length=1, max_length=4)
    seat: str = Field(min_length=2, max_length=4)


# --- responses --------------------------------------------------------------------------------


class BookingList(BaseModel):
    bookings: list[Booking]


class CancelQuote(BaseModel):
    booking_id: str
    refund_amount: int = Field(description="minor units: what cancelling now gives back (fare_refund + changes_refund)")
    fare_refund: int = Field(description="of the sale, by the fare rules (nothing on a no-show)")
    changes_refund: int = Field(description="of the voluntary changes' own payments")
    currency: str = Field(examples=["SGD"])
    no_show: bool = Field(description="a flight of the booking has left: cancelling now is a no-show")
    refundable: bool = Field(description="every leg's fare is refundable")


_json = booking_json


def _answer(b: pb.Booking, status: int = 200) -> JSONResponse:
    return JSONResponse(_json(b), status_code=status, headers=idempotent_headers(b.replayed))


# --- routes -----------------------------------------------------------------------------------

TAG = ["bookings"]


@router.post(
    "/bookings",
    status_code=201,
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Start a booking from a search offer (a held draft)",
    description="Signed in: the booking is yours. Without a token: a guest booking, reached later with "
    "the `manage_token` of this answer (header `X-Manage-Token`) or the PNR and a last name. "
    "An `Idempotency-Key` makes a retry return the first booking.",
    responses=error_responses(401, 409, 422, 429, 503),
)
async def create_booking(
    body: CreateIn, request: Request, bookings: Bookings, _: Caller, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    key = checked_idempotency_key(idempotency_key, required=False)
    # the guest's address bounds the open unpaid bookings of one address (the booking service
    # keeps only a keyed digest of it)
    b = await bookings.CreateBooking(
        pb.CreateBookingRequest(offer_id=body.offer_id, idempotency_key=key, client_address=client_address(request)),
        timeout=STEP_TIMEOUT,
    )
    return _answer(b, 200 if b.replayed else 201)


@router.get("/bookings", response_model=BookingList, tags=TAG, summary="My bookings", responses=error_responses(401))
async def list_bookings(bookings: Bookings, _: SignedIn) -> JSONResponse:
    reply = await bookings.ListBookings(pb.ListBookingsRequest())
    return JSONResponse({"bookings": [_json(b) for b in reply.bookings]})


@router.get(
    "/bookings/lookup",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Find a booking by its reference (PNR) and a passenger's last name",
    responses=error_responses(404, 422),
)
async def lookup_booking(
    bookings: Bookings,
    _: Caller,
    pnr: Annotated[str, Query(min_length=6, max_length=6)],
    last_name: Annotated[str, Query(min_length=1, max_length=60)],
) -> JSONResponse:
    return _answer(await bookings.FindBooking(pb.FindBookingRequest(pnr=pnr, last_name=last_name)))


@router.get(
    "/bookings/{booking_id}",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="One booking",
    responses=error_responses(404),
)
async def get_booking(access: BookingAccess, bookings: Bookings, _: Caller) -> JSONResponse:
    return _answer(await bookings.GetBooking(pb.GetBookingRequest(access=access)))


@router.put(
    "/bookings/{booking_id}/passengers",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Passenger details and the booking's contact",
    responses=error_responses(404, 409, 422),
)
async def set_passengers(access: OwnerOrTokenAccess, body: PassengersIn, bookings: Bookings, _: Caller) -> JSONResponse:
    request = json_format.ParseDict(
        {"passengers": [p.model_dump() for p in body.passengers], "contact": body.contact.model_dump()},
        pb.SetPassengersRequest(access=access),
    )
    return _answer(await bookings.SetPassengers(request, timeout=STEP_TIMEOUT))


@router.put(
    "/bookings/{booking_id}/seats",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Seats on one flight (held until paid or expired), or a seat at the airport",
    description="A seat per passenger except infants; 409 (seat_held / seat_taken) when someone else has one of "
    "them. Or `seat_at_airport: true` when the cabin has no free seat for the party: the booking sells one of "
    "the cabin's overbooking places per passenger (shown as `seat_at_airport` in its seats), held and paid "
    "like seats; 409 seats_available while seats are free (choose them), overbooking_full when the "
    "allowance is sold.",
    responses=error_responses(404, 409, 422),
)
async def select_seats(access: OwnerOrTokenAccess, body: SeatsIn, bookings: Bookings, _: Caller) -> JSONResponse:
    request = pb.SelectSeatsRequest(
        access=access,
        flight_id=body.flight_id,
        seats=[pb.SeatChoice(flight_id=body.flight_id, passenger_id=s.passenger_id, seat=s.seat) for s in body.seats],
        seat_at_airport=body.seat_at_airport,
    )
    return _answer(await bookings.SelectSeats(request, timeout=STEP_TIMEOUT))


@router.put(
    "/bookings/{booking_id}/luggage",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Extra checked bags per passenger per flight (the fare's allowance is included)",
    responses=error_responses(404, 409, 422),
)
async def set_luggage(access: OwnerOrTokenAccess, body: LuggageIn, bookings: Bookings, _: Caller) -> JSONResponse:
    request = pb.SetLuggageRequest(
        access=access,
        bags=[
            pb.BagChoice(
                flight_id=b.flight_id,
                passenger_id=b.passenger_id,
                extra_pieces=b.extra_pieces,
                overweight_kg=b.overweight_kg,
            )
            for b in body.bags
        ],
    )
    return _answer(await bookings.SetLuggage(request, timeout=STEP_TIMEOUT))


@router.post(
    "/bookings/{booking_id}/keep",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Keep my seats: an unpaid booking's seats held longer",
    description="A draft (state held) lives `draft_keep_seconds` (10 min) longer, its seat holds with it, "
    "up to 45 minutes after it was created; the answer's `expires_at` is the new end. 409 `keep_limit` "
    "beyond that, `booking_expired` once it has ended, `hold_expired` when its seats were already released.",
    responses=error_responses(404, 409, 422),
)
async def keep_draft(access: OwnerOrTokenAccess, bookings: Bookings, _: Caller) -> JSONResponse:
    return _answer(await bookings.KeepDraft(pb.KeepDraftRequest(access=access), timeout=STEP_TIMEOUT))


def _paid_answer(b: pb.Booking, request: Request) -> JSONResponse:
    headers = idempotent_headers(b.replayed)
    if b.state == "held" and b.payment.failure_code in PAYMENT_DECLINED_CODES:
        return payment_required(
            request,
            b.payment.failure_message or "the payment was declined",
            b.payment.failure_code,
            headers,
            payment_id=b.payment.payment_id,
            booking=_json(b),
        )
    status = 202 if b.state == "awaiting_payment" else 200
    return JSONResponse(_json(b), status_code=status, headers=headers)


@router.post(
    "/bookings/{booking_id}/pay",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Pay: authorise, confirm the seats, capture -> confirmed with PNR and e-tickets",
    description="Needs an `Idempotency-Key`. 200 confirmed; 202 when the payment waits for a 3-D Secure "
    "code (`payment.next_action`; answer with POST /bookings/{id}/pay/challenge); 402 "
    "declined (the booking stays held: pay again with another key). A voucher (`voucher`) pays "
    "part of the total, the card or e-wallet the rest, in one payment (`payment.voucher_amount`, "
    "`payment.card_amount`); alone when it covers the total. 422 voucher_not_found, "
    "voucher_expired, voucher_used_up, voucher_currency_mismatch, voucher_balance_too_low, "
    "voucher_does_not_cover (no method for the rest); 402 insufficient_funds when a concurrent "
    "payment spent the voucher first.",
    responses=error_responses(400, 402, 404, 409, 422, 503),
)
async def pay(
    access: OwnerOrTokenAccess,
    body: PayIn,
    request: Request,
    bookings: Bookings,
    _: Caller,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    key = checked_idempotency_key(idempotency_key, required=True)
    message = pb.PayRequest(access=access, idempotency_key=key)
    fill_payment(message, body)
    return _paid_answer(await bookings.Pay(message, timeout=PAY_TIMEOUT), request)


@router.post(
    "/bookings/{booking_id}/pay/challenge",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Answer the payment's 3-D Secure challenge; continues the payment",
    responses=error_responses(402, 404, 409, 422, 503),
)
async def complete_payment(
    access: OwnerOrTokenAccess, body: ChallengeIn, request: Request, bookings: Bookings, _: Caller
) -> JSONResponse:
    b = await bookings.CompletePayment(pb.CompletePaymentRequest(access=access, code=body.code), timeout=PAY_TIMEOUT)
    return _paid_answer(b, request)


@router.post(
    "/bookings/{booking_id}/cancel",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Cancel (a confirmed booking is refunded per its fare rules)",
    responses=error_responses(404, 409, 503),
)
async def cancel_booking(
    access: BookingAccess, bookings: Bookings, _: Caller, body: CancelBookingIn | None = None
) -> JSONResponse:
    b = await bookings.CancelBooking(
        pb.CancelBookingRequest(access=access, reason=(body or CancelBookingIn()).reason), timeout=PAY_TIMEOUT
    )
    return _answer(b)


@router.get(
    "/bookings/{booking_id}/cancel/quote",
    response_model=CancelQuote,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="What cancelling the whole booking now would refund (as the cancel computes it)",
    description="Paid extras (EMDs) are refunded on top by their own rules. 409 when the booking is not confirmed.",
    responses=error_responses(404, 409, 503),
)
async def quote_cancel(access: BookingAccess, bookings: Bookings, _: Caller) -> CancelQuote:
    q = await bookings.QuoteCancel(pb.QuoteCancelRequest(access=access))
    return CancelQuote(
        booking_id=q.booking_id,
        refund_amount=q.refund_amount,
        fare_refund=q.fare_refund,
        changes_refund=q.changes_refund,
        currency=q.currency,
        no_show=q.no_show,
        refundable=q.refundable,
    )


@router.post(
    "/bookings/{booking_id}/seat-change",
    response_model=Booking,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Move a passenger of a confirmed booking to another free seat",
    responses=error_responses(404, 409, 422),
)
async def change_seat(access: BookingAccess, body: SeatChangeIn, bookings: Bookings, _: Caller) -> JSONResponse:
    return _answer(
        await bookings.ChangeSeat(
            pb.ChangeSeatRequest(
                access=access, flight_id=body.flight_id, passenger_id=body.passenger_id, seat=body.seat
            )
        )
    )
