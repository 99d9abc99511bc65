"""Passenger rights (booking service): what each passenger of a booking is owed for a flight the
airline cancelled or that arrived late, under the platform's compensation policy
(AIRLINE_BOOKING_COMPENSATION_POLICY), and its payout on request, once.

`GET /bookings/{id}/compensation` shows each passenger's entitlement per flight and why;
`POST /bookings/{id}/compensation` with `{"method": "voucher"}` or `{"method": "refund"}` pays
what is due (a voucher, or a refund to the card the booking was paid with, which can never
exceed what is left of that payment: 409 `refund_exceeds_payment` then, and the voucher is
the way). Repeating the claim, even concurrently, returns the same record and pays nothing
more. Who: the booking's owner, a guest with the manage token (header `X-Manage-Token`),
customer service and ops; anyone else gets 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from google.protobuf import json_format
from pydantic import BaseModel, ConfigDict, Field

from airline.booking.v1 import booking_pb2 as pb
from airline.gateway.booking_access import Bookings, OwnerOrTokenAccess
from airline.gateway.params import Caller
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")
TAG = ["bookings"]
# a claim may call payment once per passenger and flight
CLAIM_TIMEOUT = 30.0


class CompensationClaimIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"method": "voucher"}]})
    method: Literal["voucher", "refund"] = Field(
        description="voucher (airline credit), or refund to the card of the booking's payment"
    )


class CompensationItem(BaseModel):
    passenger_id: str = Field(examples=["P1"])
    passenger_name: str = ""
    flight_id: str
    flight_number: str = Field(examples=["XA101"])
    reason: Literal["cancelled", "arrival_delay"]
    explanation: str = Field(examples=["flight XA101 was cancelled by the airline (1,411 km; policy eu261)"])
    policy: str = Field(examples=["eu261"])
    distance_km: float = Field(description="great-circle distance of the flight's route")
    delay_minutes: int = Field(default=0, description="arrival delay (0 for a cancellation)")
    amount: int = Field(description="minor units of `currency`", examples=[36300])
    currency: str = Field(examples=["SGD"])
    status: Literal["due", "pending", "paid"] = Field(
        description="due: not claimed yet; pending: recorded, payout not confirmed yet (claim again to finish); paid"
    )
    method: Literal["voucher", "refund"] | None = None
    reference: str | None = Field(default=None, description="the voucher code, or the refund id, once paid")
    requested_by: str | None = Field(default=None, description="<role>:<subject>, or guest")
    claim_id: str | None = None
    claimed_at: datetime | None = None
    paid_at: datetime | None = None


class Compensation(BaseModel):
    booking_id: str
    policy: str = Field(examples=["eu261"])
    policy_description: str = ""
    currency: str = Field(examples=["SGD"])
    items: list[CompensationItem]
    total_due: int = 0
    total_paid: int = 0


def _out(c: pb.Compensation) -> Compensation:
    raw: dict[str, Any] = json_format.MessageToDict(
        c, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    for item in raw.get("items", []):
        for name in ("method", "reference", "requested_by", "claim_id"):
            if not item.get(name):
                item[name] = None
    return Compensation.model_validate(raw)


@router.get(
    "/bookings/{booking_id}/compensation",
    response_model=Compensation,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="What each passenger is owed for a cancelled or late flight, and why",
    responses=error_responses(404, 409, 503),
)
async def get_compensation(access: OwnerOrTokenAccess, bookings: Bookings, _: Caller) -> Compensation:
    return _out(await bookings.GetCompensation(pb.GetCompensationRequest(access=access)))


@router.post(
    "/bookings/{booking_id}/compensation",
    response_model=Compensation,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Claim the compensation due, as a voucher or a refund to the card (paid once)",
    responses=error_responses(404, 409, 422, 503),
)
async def claim_compensation(
    access: OwnerOrTokenAccess, body: CompensationClaimIn, bookings: Bookings, _: Caller
) -> Compensation:
    reply = await bookings.ClaimCompensation(
        pb.ClaimCompensationRequest(access=access, method=body.method), timeout=CLAIM_TIMEOUT
    )
    return _out(reply)
