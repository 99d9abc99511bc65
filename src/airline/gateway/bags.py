"""What the baggage route modules share (routes/bag_drop.py, routes/baggage.py): the baggage
service's stub and a bag as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, Field

from airline.baggage.v1 import baggage_pb2 as pb
from airline.baggage.v1 import baggage_pb2_grpc as pb_grpc
from airline.gateway import deps
from airline.gateway.convert import timestamp_out


def baggage_service(request: Request) -> pb_grpc.BaggageServiceStub:
    return pb_grpc.BaggageServiceStub(deps.channel(request, "baggage"))


Baggage_ = Annotated[pb_grpc.BaggageServiceStub, Depends(baggage_service)]


class Bag(BaseModel):
    id: str
    tag: str | None = Field(description="10-digit licence plate; null until accepted", examples=["0738000123"])
    status: str = Field(
        description=(
            "awaiting_payment, checked_in, screened, loaded, unloaded, on_belt, claimed, mishandled,"
            " withdrawn (booking cancelled), rerouted (booking moved to another flight)"
        ),
        examples=["checked_in"],
    )
    booking_id: str
    pnr: str = Field(examples=["TEB4C9"])
    passenger_id: str = Field(examples=["P1"])
    passenger_name: str = Field(examples=["Ada Lovelace"])
    flight_id: str
    flight_number: str = Field(examples=["XA101"])
    origin: str = Field(examples=["XSP"])
    destination: str = Field(examples=["AOR"])
    plane_id: str = Field(examples=["P1"])
    plane_registration: str = Field(examples=["9V-XAA"])
    weight_g: int = Field(examples=[23400])
    weight_kg: float = Field(examples=[23.4])
    length_cm: int
    width_cm: int
    height_cm: int
    fee: int = Field(description="excess fee, minor units; 0 within the allowance", examples=[4500])
    currency: str = Field(examples=["SGD"])
    fee_reasons: list[str] = Field(examples=[["extra_piece", "overweight_2kg"]])
    payment_id: str
    created_at: datetime | None
    accepted_at: datetime | None

    @classmethod
    def of(cls, b: pb.Bag) -> Bag:
        return cls(
            id=b.id,
            tag=b.tag or None,
            status=b.status,
            booking_id=b.booking_id,
            pnr=b.pnr,
            passenger_id=b.passenger_id,
            passenger_name=f"{b.first_name} {b.last_name}",
            flight_id=b.flight_id,
            flight_number=b.flight_number,
            origin=b.origin,
            destination=b.destination,
            plane_id=b.plane_id,
            plane_registration=b.plane_registration,
            weight_g=b.weight_g,
            weight_kg=b.weight_g / 1000,
            length_cm=b.length_cm,
            width_cm=b.width_cm,
            height_cm=b.height_cm,
            fee=b.fee,
            currency=b.currency,
            fee_reasons=list(b.fee_reasons),
            payment_id=b.payment_id,
            created_at=timestamp_out(b, "created_at"),
            accepted_at=timestamp_out(b, "accepted_at"),
        )
