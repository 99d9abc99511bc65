"""Baggage at the counter (agent): a bag dropped for a passenger of a confirmed booking, and
its excess fee paid at the desk, after which the bag is accepted with its tag.

The baggage service checks the role again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from airline.baggage.v1 import baggage_pb2 as pb
from airline.common.v1 import payment_method_pb2 as mpb
from airline.gateway.bags import Bag, Baggage_
from airline.gateway.params import (
    AgentOnly,
    IdPath,
    checked_idempotency_key,
    idempotency_key_header,
    idempotent_headers,
)
from airline.gateway.problems import error_responses
from airline.gateway.schemas import CardIn, EWalletIn

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py
TAG = ["baggage"]

Agent = AgentOnly
BagIdPath = IdPath
IdemKey = Annotated[str | None, idempotency_key_header(max_length=255)]


class DropIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "booking_id": "5e0c...",
                    "passenger_id": "P1",
                    "flight_id": "0b6f...",
                    "weight_kg": "23.4",
                    "length_cm": 75,
                    "width_cm": 50,
                    "height_cm": 30,
                    "location": "counter 4",
                }
            ]
        },
    )
    booking_id: str = Field(min_length=1, max_length=64)
    passenger_id: str = Field(min_length=1, max_length=8, examples=["P1"])
    flight_id: str = Field(min_length=1, max_length=64)
    weight_kg: Decimal = Field(
        gt=0, le=100, max_digits=6, decimal_places=3, description="scale reading, kg", examples=["23.4"]
    )
    length_cm: int = Field(ge=1, le=250, examples=[75])
    width_cm: int = Field(ge=1, le=250, examples=[50])
    height_cm: int = Field(ge=1, le=250, examples=[30])
    location: str = Field(default="", max_length=60, description="where at the airport", examples=["counter 4"])


class BagPayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "method": {
                        "type": "card",
                        "number": "4242 4242 4242 4242",
                        "exp_month": 12,
                        "exp_year": 2035,
                        "cvc": "123",
                        "holder": "Ada Lovelace",
                    }
                }
            ]
        },
    )
    method: Annotated[CardIn | EWalletIn, Field(discriminator="type")]


def _answer(bag: pb.Bag, status: int = 200) -> JSONResponse:
    return JSONResponse(
        Bag.of(bag).model_dump(mode="json"),
        status_code=200 if bag.replayed else status,
        headers=idempotent_headers(bag.replayed),
    )


@router.post(
    "/bags",
    status_code=201,
    response_model=Bag,
    tags=TAG,
    summary="Drop a bag at the counter (agent)",
    description="Weighs a bag in for a passenger of a confirmed booking on one of its flights. Within the "
    "allowance (the fare's pieces and kilos plus what was bought while booking) the bag is "
    "accepted at once (`checked_in`, tag issued); beyond it, it is `awaiting_payment` with its "
    "`fee`: pay with POST /bags/{id}/payment. An `Idempotency-Key` makes a retry return the "
    "first bag.",
    responses=error_responses(401, 403, 404, 409, 422, 503),
)
async def drop_bag(body: DropIn, baggage: Baggage_, _: Agent, idempotency_key: IdemKey = None) -> JSONResponse:
    bag = await baggage.DropBag(
        pb.DropBagRequest(
            booking_id=body.booking_id,
            passenger_id=body.passenger_id,
            flight_id=body.flight_id,
            weight_kg=str(body.weight_kg),
            length_cm=body.length_cm,
            width_cm=body.width_cm,
            height_cm=body.height_cm,
            idempotency_key=idempotency_key or "",
            location=body.location,
        )
    )
    return _answer(bag, 201)


@router.post(
    "/bags/{bag_id}/payment",
    response_model=Bag,
    tags=TAG,
    summary="Pay a bag's excess fee at the desk, then accept it (agent)",
    description="Needs an `Idempotency-Key`: a retry with it pays once and returns the accepted bag. "
    "402 when the payment is declined (the bag stays awaiting_payment; try again with another "
    "key); cards that need 3-D Secure are refused at the desk.",
    responses=error_responses(400, 401, 402, 403, 404, 409, 422, 503),
)
async def pay_bag(
    bag_id: BagIdPath, body: BagPayIn, baggage: Baggage_, _: Agent, idempotency_key: IdemKey = None
) -> JSONResponse:
    # a declined payment is the service's error code payment_declined: 402 (problems.CODE_TO_HTTP)
    key = checked_idempotency_key(
        idempotency_key,
        required=True,
        missing="an Idempotency-Key header is required to pay",
        missing_code="idempotency_key_required",
        check=False,
    )
    m = body.method
    message = pb.PayBagRequest(bag_id=bag_id, idempotency_key=key)
    if isinstance(m, CardIn):
        message.card.CopyFrom(mpb.Card(**m.card_fields()))
    else:
        message.e_wallet.CopyFrom(mpb.EWallet(provider=m.provider, account=m.account))
    return _answer(await baggage.PayBag(message, timeout=30))
