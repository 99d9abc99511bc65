"""How a payer pays by card or e-wallet, in one place: read from any request's `method` oneof
(card | e_wallet, the shared airline.common.v1 messages) and its voucher part (a
VoucherPart: the voucher pays part or all, the card the rest) and written into the payment
service's AuthorisePayment request. Booking and baggage pass it on; the payment service's own
AuthoriseCommand carries it too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from airline.common.v1 import payment_method_pb2 as mpb
from airline.payment.v1 import payment_pb2 as ppb


@dataclass(frozen=True)
class PaymentMethod:
    card_number: str = field(default="", repr=False)  # in memory only: never in a log line
    card_exp_month: int = 0
    card_exp_year: int = 0
    card_cvc: str = field(default="", repr=False)
    card_holder: str = ""
    wallet_provider: str = ""
    wallet_account: str = ""
    voucher_code: str = field(default="", repr=False)  # a bearer credential: never in a log line
    voucher_amount: int | None = None  # None: as much as the voucher covers

    @classmethod
    def of(cls, request: Any, voucher_field: str = "") -> PaymentMethod:
        """From any request with a `method` oneof of `card` / `e_wallet` (empty if neither),
        and its VoucherPart field `voucher_field` if it has one."""
        which = request.WhichOneof("method")
        voucher: dict[str, Any] = {}
        if voucher_field and request.HasField(voucher_field):
            part = getattr(request, voucher_field)
            voucher = {"voucher_code": part.code, "voucher_amount": part.amount if part.HasField("amount") else None}
        if which == "card":
            c = request.card
            return cls(
                card_number=c.number,
                card_exp_month=c.exp_month,
                card_exp_year=c.exp_year,
                card_cvc=c.cvc,
                card_holder=c.holder,
                **voucher,
            )
        if which == "e_wallet":
            return cls(wallet_provider=request.e_wallet.provider, wallet_account=request.e_wallet.account, **voucher)
        return cls(**voucher)

    @property
    def given(self) -> bool:
        return bool(self.card_number or self.wallet_provider or self.voucher_code)

    def into(self, request: ppb.AuthorisePaymentRequest) -> ppb.AuthorisePaymentRequest:
        """Set the payment service's method fields of `request` (a card wins over a wallet)."""
        if self.card_number:
            request.card.CopyFrom(
                mpb.Card(
                    number=self.card_number,
                    exp_month=self.card_exp_month,
                    exp_year=self.card_exp_year,
                    cvc=self.card_cvc,
                    holder=self.card_holder,
                )
            )
        elif self.wallet_provider:
            request.e_wallet.CopyFrom(mpb.EWallet(provider=self.wallet_provider, account=self.wallet_account))
        if self.voucher_code:
            request.voucher_part.CopyFrom(mpb.VoucherPart(code=self.voucher_code, amount=self.voucher_amount))
        return request
