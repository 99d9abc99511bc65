"""Paying a bag's excess fee at the desk: the bag is claimed for the idempotency key, the
payment service authorises and captures the fee (no 3-D Secure at the desk), then the bag is
accepted with its tag; a booking cancelled meanwhile gets the money back."""

from __future__ import annotations

from airline.baggage import domain
from airline.baggage.domain import Status
from airline.baggage.service_base import KEY, BaggageServiceBase, Detail
from airline.baggage.store import BaggageRepository
from airline.payment.client import PaymentMethod
from airline.payment.v1 import payment_pb2 as ppb
from airline.platform.auth import Role, require
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class BagPayment(BaggageServiceBase):
    """The excess-fee use case of BaggageService."""

    async def pay(self, bag_id: str, idempotency_key: str, method: PaymentMethod) -> Detail:
        agent = require(Role.AGENT)
        key = (idempotency_key or "").strip()
        if not KEY.fullmatch(key):
            raise ValidationFailed(
                "an idempotency key (1-255 visible ASCII characters) is required", field="idempotency_key"
            )
        if not method.given:
            raise ValidationFailed("a payment method is required: card or e_wallet", field="method")
        # Claim the bag for this key first: two agents paying one bag with different keys
        # would otherwise charge twice.
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            bag = await repo.get(bag_id.strip(), lock=True)
            if bag is None:
                raise NotFound("no such bag", field="bag_id")
            if bag["status"] == Status.WITHDRAWN.value:
                raise domain.withdrawn_refusal()
            if bag["status"] != Status.AWAITING_PAYMENT.value:
                if bag["payment_key"] == key:
                    return await self._replay(uow, bag)
                raise Conflict("this bag is paid and accepted already", code="bag_already_paid")
            if bag["payment_key"] not in ("", key):
                raise Conflict("another payment of this bag is in progress", code="payment_in_progress")
            await repo.update(bag["id"], payment_key=key)
            await uow.commit()
        request = ppb.AuthorisePaymentRequest(
            idempotency_key=f"bag-{bag['id']}-{key}",
            reference=bag["id"],
            amount=bag["fee"],
            currency=bag["currency"],
            capture=False,
        )
        method.into(request)
        try:
            reply = await self._rpc(self.clients.payment.AuthorisePayment, request, "the payment service")
            p = reply.payment
            if p.status == "requires_action":
                # no cardholder at the desk can answer a 3-D Secure challenge in this flow
                await self._rpc(
                    self.clients.payment.VoidPayment, ppb.VoidPaymentRequest(payment_id=p.id), "the payment service"
                )
                raise Conflict(
                    "this card needs 3-D Secure, which the desk cannot do; use another card or an e-wallet",
                    code="payment_declined",
                )
            if p.status == "failed":
                raise Conflict(
                    f"the payment was declined ({p.failure_code}): {p.failure_message}", code="payment_declined"
                )
            if p.status == "authorised":
                p = await self._rpc(
                    self.clients.payment.CapturePayment,
                    ppb.CapturePaymentRequest(payment_id=p.id),
                    "the payment service",
                )
            if p.status != "captured":
                raise Conflict(f"the payment could not be taken ({p.status})", code="payment_declined")
        except (ValidationFailed, Conflict, PermissionDenied) as e:
            await self._release_key(bag["id"], key)
            raise e
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            current = await repo.get(bag["id"], lock=True)
            assert current is not None
            withdrawn = current["status"] == Status.WITHDRAWN.value
            if current["status"] != Status.AWAITING_PAYMENT.value and not withdrawn:  # a repeat got here first
                return await self._replay(uow, current)
            if not withdrawn:
                current = await repo.update(
                    current["id"],
                    tag=await self._new_tag(repo),
                    accepted_at=utcnow(),
                    status=Status.CHECKED_IN.value,
                    payment_id=p.id,
                )
                current = await self._accepted(uow, repo, current, agent, "check-in counter")
                await uow.commit()
                return Detail(current, await repo.history(current["id"]))
        # the booking was cancelled while the fee was being taken: the money goes back
        await self._rpc(
            self.clients.payment.RefundPayment,
            ppb.RefundPaymentRequest(
                payment_id=p.id,
                amount=bag["fee"],
                reason="bag withdrawn: booking cancelled",
                idempotency_key=f"bag-{bag['id']}-withdrawn",
            ),
            "the payment service",
        )
        raise domain.withdrawn_refusal()

    async def _release_key(self, bag_id: str, key: str) -> None:
        """A refused payment frees the bag for another attempt (with another key)."""
        async with self.db.uow() as uow:
            repo = BaggageRepository(uow.conn)
            bag = await repo.get(bag_id, lock=True)
            if bag is not None and bag["status"] == Status.AWAITING_PAYMENT.value and bag["payment_key"] == key:
                await repo.update(bag_id, payment_key="")
                await uow.commit()
