"""The booking as the gateway answers it (the `Booking` schema and its JSON from the booking
service's message) and the payment body of `POST /bookings/{id}/pay`, shared by every route
module that answers a booking or takes a payment for one (routes/bookings.py, the voluntary
changes of routes/booking_changes.py): one schema name in the OpenAPI document, one way to read
a card, an e-wallet or a voucher part. Card numbers and CVCs stay SecretStr here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from google.protobuf import json_format
from google.protobuf.message import Message
from pydantic import BaseModel, ConfigDict, Field

from airline.booking.v1 import booking_pb2 as pb
from airline.common.v1 import payment_method_pb2 as mpb
from airline.gateway.schemas import CardIn, EWalletIn, VoucherPartIn

_CARD_EXAMPLE = {
    "type": "card",
    "number": "4242 4242 4242 4242",
    "exp_month": 12,
    "exp_year": 2030,
    "cvc": "123",
    "holder": "Ada Lovelace",
}


class PayIn(BaseModel):
    """A card or e-wallet (`method`), a voucher (`voucher`: part of the total, the method pays the
    rest in the same payment), or a voucher alone when it covers the total."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"method": _CARD_EXAMPLE},
                {"method": _CARD_EXAMPLE, "voucher": {"code": "VABCD-EFGH-JKLM", "amount": 5000}},
                {"method": _CARD_EXAMPLE, "voucher": {"code": "VABCD-EFGH-JKLM"}},
                {"voucher": {"code": "VABCD-EFGH-JKLM"}},
            ]
        },
    )
    method: Annotated[CardIn | EWalletIn, Field(discriminator="type")] | None = Field(
        default=None, description="the card or e-wallet; may be left out when the voucher covers the total"
    )
    voucher: VoucherPartIn | None = Field(
        default=None,
        description="a voucher paying `amount` (left out: as much as its balance covers) of the total; "
        "the method pays the rest. Its remainder stays on the voucher (GET /vouchers/{code})",
    )


class Booking(BaseModel):
    """The booking as the booking service keeps it (see the proto for every field)."""

    model_config = ConfigDict(extra="allow")
    id: str
    state: str = Field(description="held, awaiting_payment, confirmed, cancelled or expired")
    step: str
    pnr: str | None = None
    total: int
    currency: str
    legs: list[dict[str, Any]]
    passengers: list[dict[str, Any]]
    seats: list[dict[str, Any]]
    bags: list[dict[str, Any]]
    tickets: list[dict[str, Any]]
    payment: dict[str, Any]
    manage_token: str | None = Field(default=None, description="only in the answer to POST /bookings")
    expires_at: datetime | None = None
    reaccommodation: dict[str, Any] | None = Field(
        default=None, description="the latest re-accommodation proposal (routes/reaccommodation.py)"
    )
    ancillaries: list[dict[str, Any]] = Field(
        default_factory=list, description="every EMD issued for paid ancillaries (routes/booking_ancillaries.py)"
    )


def booking_json(b: pb.Booking) -> dict[str, Any]:
    out = json_format.MessageToDict(b, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    out.pop("replayed", None)
    for key in ("pnr", "manage_token"):
        out[key] = out.get(key) or None
    for name in ("fare_total", "bag_total", "total", "refunded_amount"):
        out[name] = int(out.get(name) or 0)  # int64 is a string in proto JSON; money is an integer here
    for name in ("voucher_amount", "card_amount"):
        out["payment"][name] = int(out["payment"].get(name) or 0)
    out["payment"]["voucher_code"] = out["payment"].get("voucher_code") or None
    for bag in out.get("bags", []):
        bag["fee"] = int(bag.get("fee") or 0)
    for leg in out.get("legs", []):
        leg["change_fee"] = int(leg.get("change_fee") or 0)
    for emd in out.setdefault("ancillaries", []):
        emd["amount"] = int(emd.get("amount") or 0)
    for name in ("refund_amount", "voucher_amount"):
        if out.get("reaccommodation"):
            out["reaccommodation"][name] = int(out["reaccommodation"].get(name) or 0)
    return out


def fill_payment(message: Message, body: PayIn | None) -> None:
    """Copies the body's card or e-wallet and voucher part into a request message that has the
    pay request's `card`, `e_wallet` and `voucher` fields (PayRequest, ChangeFlightsRequest)."""
    if body is None:
        return
    m = body.method
    if isinstance(m, CardIn):
        message.card.CopyFrom(mpb.Card(**m.card_fields()))
    elif isinstance(m, EWalletIn):
        message.e_wallet.CopyFrom(mpb.EWallet(provider=m.provider, account=m.account))
    if body.voucher is not None:
        message.voucher.CopyFrom(body.voucher.part())
