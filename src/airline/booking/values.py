"""The booking's small value objects: a seat chosen, an extra bag bought, an e-ticket, and the
payment as last reported (domain.py's Booking holds them; the store maps them to JSON)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class SeatChoice:
    flight_id: str
    passenger_id: str
    seat: str

    def to_dict(self) -> dict[str, str]:
        return {"flight_id": self.flight_id, "passenger_id": self.passenger_id, "seat": self.seat}


@dataclass(frozen=True)
class ExtraBag:
    flight_id: str
    passenger_id: str
    extra_pieces: int
    overweight_kg: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "flight_id": self.flight_id,
            "passenger_id": self.passenger_id,
            "extra_pieces": self.extra_pieces,
            "overweight_kg": self.overweight_kg,
        }


@dataclass(frozen=True)
class Ticket:
    passenger_id: str
    flight_id: str
    number: str

    def to_dict(self) -> dict[str, str]:
        return {"passenger_id": self.passenger_id, "flight_id": self.flight_id, "number": self.number}


@dataclass(frozen=True)
class PaymentRecord:
    """The booking's payment as last reported, and a cancellation's decision (for its retries)."""

    payment_id: str = ""
    status: str = ""
    next_action: str = ""
    failure_code: str = ""
    failure_message: str = ""
    cancel_refund: int | None = None
    no_show: bool = False
    # How the captured payment was split: what a voucher paid (its code masked to the last four
    # characters: the code is a bearer credential) and what the card or e-wallet paid.
    voucher_amount: int = 0
    card_amount: int = 0
    voucher_code: str = ""
    # passengers cancelled alone (passenger_changes.py): what they had paid, what they got back
    passenger_shares: int = 0
    passenger_refunds: int = 0
    # refunds of this payment that staff made by hand (POST /payments/{id}/refund), not the booking
    staff_refunds: int = 0

    @property
    def refunds_before_cancel(self) -> int:
        """What the fare's payment gave back before a cancellation: to passengers cancelled
        alone, and by staff's hand."""
        return self.passenger_refunds + self.staff_refunds

    def shown(self) -> dict[str, Any]:
        return {
            "payment_id": self.payment_id,
            "status": self.status,
            "next_action": self.next_action,
            "failure_code": self.failure_code,
            "failure_message": self.failure_message,
            "voucher_amount": self.voucher_amount,
            "card_amount": self.card_amount,
            "voucher_code": self.voucher_code,
        }

    def to_dict(self) -> dict[str, Any]:
        plan = {} if self.cancel_refund is None else {"cancel_refund": self.cancel_refund, "no_show": self.no_show}
        alone = {"passenger_shares": self.passenger_shares, "passenger_refunds": self.passenger_refunds}
        staff = {"staff_refunds": self.staff_refunds} if self.staff_refunds else {}
        return self.shown() | plan | (alone if self.passenger_shares else {}) | staff

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PaymentRecord:
        refund = d.get("cancel_refund")
        return cls(
            str(d.get("payment_id", "")),
            str(d.get("status", "")),
            str(d.get("next_action", "")),
            str(d.get("failure_code", "")),
            str(d.get("failure_message", "")),
            None if refund is None else int(refund),
            bool(d.get("no_show", False)),
            int(d.get("voucher_amount", 0)),
            int(d.get("card_amount", 0)),
            str(d.get("voucher_code", "")),
            int(d.get("passenger_shares", 0)),
            int(d.get("passenger_refunds", 0)),
            int(d.get("staff_refunds", 0)),
        )

    def paid_with(self, amount: int, voucher_amount: int, voucher_code: str) -> PaymentRecord:
        """The split of a payment of `amount` (the voucher part, the rest by card)."""
        masked = "****" + voucher_code[-4:] if voucher_code else ""
        return replace(self, voucher_amount=voucher_amount, card_amount=amount - voucher_amount, voucher_code=masked)
