"""The ports over gRPC: each call runs as this service (role system) through platform.grpc.call:
a deadline on every attempt, a refusal back as the platform's domain error. Reads and writes
the callee makes idempotent by a key (an idempotency key, a hold id) are retried when the callee
did not answer; the other writes (capture, void, a seat assignment, a 3-D Secure code) are
tried once, because one that timed out may have happened; so is the authorisation (why at
GrpcPayment.authorise)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import grpc

from airline.airport.v1 import airport_pb2 as apb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.booking.domain import Leg
from airline.booking.fares import FareRules
from airline.booking.ports import Authorisation, FlightNow, Held, Offer, Payment, Ports, SeatHoldRequest, SeatRequest
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FareServiceStub, FlightServiceStub
from airline.payment.client import PaymentMethod
from airline.payment.v1 import payment_pb2 as ppb
from airline.payment.v1.payment_pb2_grpc import PaymentServiceStub
from airline.platform.auth import Principal
from airline.platform.errors import Conflict
from airline.platform.grpc import call
from airline.reservation.v1 import reservation_pb2 as rpb
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub

# An authorisation may wait on a card processor: longer than the other calls.
AUTHORISE_TIMEOUT = 20.0


def _ts(message: Any, name: str) -> datetime | None:
    if not message.HasField(name):
        return None
    return getattr(message, name).ToDatetime(tzinfo=UTC)  # type: ignore[no-any-return]


class _Calls:
    def __init__(self, system: Callable[[], AbstractContextManager[Principal]], timeout: Callable[[], float]) -> None:
        self._system = system
        self._timeout = timeout

    async def call(self, method: Any, request: Any, *, idempotent: bool, timeout: float | None = None) -> Any:
        with self._system():
            return await call(method, request, deadline=timeout or self._timeout(), idempotent=idempotent)


def _seat(s: SeatRequest) -> rpb.SeatRequest:
    return rpb.SeatRequest(
        seat=s.seat, passenger_ref=s.passenger_ref, passenger_type=s.passenger_type, cabin_class=s.cabin_class
    )


class GrpcReservation(_Calls):
    def __init__(
        self,
        stub: ReservationServiceStub,
        system: Callable[[], AbstractContextManager[Principal]],
        timeout: Callable[[], float],
    ) -> None:
        super().__init__(system, timeout)
        self.stub = stub

    async def hold_seats(self, request: SeatHoldRequest) -> Held:
        message = rpb.HoldSeatsRequest(
            flight_id=request.flight_id,
            owner=request.owner,
            hold_id=request.hold_id,
            seats=[_seat(s) for s in request.seats],
            account=request.account,
            seat_at_airport=request.seat_at_airport,
        )
        message.not_after.FromDatetime(request.not_after.astimezone(UTC).replace(tzinfo=None))
        # a hold id makes a repeated hold the same hold
        hold = await self.call(self.stub.HoldSeats, message, idempotent=bool(request.hold_id))
        return Held({s.passenger_ref: s.seat for s in hold.seats}, _ts(hold, "expires_at"))

    async def extend_hold(self, hold_id: str, not_after: datetime | None = None) -> datetime | None:
        message = rpb.ExtendHoldRequest(hold_id=hold_id)
        if not_after is not None:
            message.not_after.FromDatetime(not_after.astimezone(UTC).replace(tzinfo=None))
        hold = await self.call(self.stub.ExtendHold, message, idempotent=True)
        return _ts(hold, "expires_at")

    async def release_hold(self, hold_id: str) -> None:
        await self.call(self.stub.ReleaseHold, rpb.ReleaseHoldRequest(hold_id=hold_id), idempotent=True)

    async def confirm_hold(self, hold_id: str, booking_ref: str) -> None:
        # the hold id is the key: a confirmed hold answers a repeat with the assignments it made
        await self.call(
            self.stub.ConfirmHold, rpb.ConfirmHoldRequest(hold_id=hold_id, booking_ref=booking_ref), idempotent=True
        )

    async def release_assignments(self, booking_ref: str, passenger_refs: Sequence[str] = ()) -> int | None:
        request = rpb.ReleaseAssignmentsRequest(booking_ref=booking_ref, passenger_refs=list(passenger_refs))
        reply = await self.call(self.stub.ReleaseAssignments, request, idempotent=True)
        return len(reply.assignments)

    async def assign_seat(self, flight_id: str, booking_ref: str, seat: SeatRequest) -> str:
        reply = await self.call(
            self.stub.AssignSeats,
            rpb.AssignSeatsRequest(flight_id=flight_id, booking_ref=booking_ref, seats=[_seat(seat)]),
            idempotent=False,
        )
        return str(reply.assignments[0].seat) if reply.assignments else ""


def _payment(p: ppb.Payment) -> Payment:
    return Payment(
        id=p.id,
        status=p.status,
        amount=p.amount,
        currency=p.currency,
        origin=p.origin,
        next_action=p.next_action,
        failure_code=p.failure_code,
        failure_message=p.failure_message,
        voucher_amount=p.voucher_amount,
        voucher_code=p.voucher_code,
    )


class GrpcPayment(_Calls):
    def __init__(
        self,
        stub: PaymentServiceStub,
        system: Callable[[], AbstractContextManager[Principal]],
        timeout: Callable[[], float],
    ) -> None:
        super().__init__(system, timeout)
        self.stub = stub

    async def authorise(self, request: Authorisation, method: PaymentMethod) -> Payment:
        message = ppb.AuthorisePaymentRequest(
            idempotency_key=request.idempotency_key,
            reference=request.reference,
            amount=request.amount,
            currency=request.currency,
            capture=request.capture,
            on_behalf_of=request.on_behalf_of,
        )
        method.into(message)
        # tried once although keyed: a retry while the first attempt is still at the card network
        # is refused as `idempotency_in_progress`, which the saga would take for a refusal and send
        # the booking back to held with a live authorisation; one attempt lets the saga's own
        # unknown-outcome path (recovery asks payment what happened) decide instead
        reply = await self.call(self.stub.AuthorisePayment, message, idempotent=False, timeout=AUTHORISE_TIMEOUT)
        return _payment(reply.payment)

    async def complete_challenge(self, payment_id: str, code: str) -> Payment:
        return _payment(
            await self.call(
                self.stub.CompleteChallenge,
                ppb.CompleteChallengeRequest(payment_id=payment_id, code=code),
                idempotent=False,
            )
        )

    async def capture(self, payment_id: str) -> Payment:
        return _payment(
            await self.call(
                self.stub.CapturePayment, ppb.CapturePaymentRequest(payment_id=payment_id), idempotent=False
            )
        )

    async def void(self, payment_id: str) -> None:
        await self.call(self.stub.VoidPayment, ppb.VoidPaymentRequest(payment_id=payment_id), idempotent=False)

    async def refund(self, payment_id: str, amount: int, reason: str, idempotency_key: str) -> str | None:
        reply = await self.call(
            self.stub.RefundPayment,
            ppb.RefundPaymentRequest(
                payment_id=payment_id, amount=amount, reason=reason, idempotency_key=idempotency_key
            ),
            idempotent=True,
        )
        return str(reply.refund.id) or None

    async def issue_voucher(self, amount: int, currency: str, reason: str, idempotency_key: str) -> str:
        voucher = await self.call(
            self.stub.IssueVoucher,
            ppb.IssueVoucherRequest(amount=amount, currency=currency, reason=reason, idempotency_key=idempotency_key),
            idempotent=True,  # the key makes a repeat the same voucher
        )
        return str(voucher.code)

    async def payments_for(self, reference: str) -> list[Payment]:
        reply = await self.call(self.stub.ListPayments, ppb.ListPaymentsRequest(reference=reference), idempotent=True)
        return [_payment(p) for p in reply.payments]


def _leg(position: int, leg: Any) -> Leg:
    f, r = leg.flight, leg.rules
    scheduled_departure, scheduled_arrival = _ts(f, "scheduled_departure"), _ts(f, "scheduled_arrival")
    assert scheduled_departure is not None and scheduled_arrival is not None
    rules = FareRules(
        r.checked_bags, r.bag_weight_kg, r.refundable, r.change_fee, r.no_show_refund.strip().lower(), max(0, r.taxes)
    )
    return Leg(
        position,
        f.id,
        f.number,
        f.origin,
        f.destination,
        f.origin_time_zone or "UTC",
        scheduled_departure,
        scheduled_arrival,
        _ts(f, "estimated_departure"),
        _ts(f, "estimated_arrival"),
        f.status,
        f.status_reason,
        rules,
    )


class GrpcFlights(_Calls):
    def __init__(
        self,
        fares: FareServiceStub,
        flights: FlightServiceStub,
        system: Callable[[], AbstractContextManager[Principal]],
        timeout: Callable[[], float],
    ) -> None:
        super().__init__(system, timeout)
        self.fares, self.flights = fares, flights

    async def offer(self, offer_id: str, booking_id: str = "", claim_until: datetime | None = None) -> Offer:
        message = fpb.GetOfferRequest(offer_id=offer_id, booking_id=booking_id)
        if claim_until is not None:
            message.claim_expires_at.FromDatetime(claim_until.astimezone(UTC).replace(tzinfo=None))
        # a read, or a claim the booking id makes the same claim when repeated
        o = await self.call(self.fares.GetOffer, message, idempotent=True)
        return Offer(
            o.cabin_class,
            o.trip_type,
            o.adults,
            o.children,
            o.infants,
            o.currency,
            o.total,
            [_leg(i, leg) for i, leg in enumerate(o.legs)],
        )

    async def release_claims(self, booking_id: str) -> None:
        request = fpb.ReleaseBucketClaimsRequest(booking_id=booking_id)
        await self.call(self.fares.ReleaseBucketClaims, request, idempotent=True)

    async def extend_claims(self, booking_id: str, claim_until: datetime) -> None:
        message = fpb.ExtendBucketClaimsRequest(booking_id=booking_id)
        message.claim_expires_at.FromDatetime(claim_until.astimezone(UTC).replace(tzinfo=None))
        await self.call(self.fares.ExtendBucketClaims, message, idempotent=True)

    async def flight(self, flight_id: str) -> FlightNow:
        f = await self.call(self.flights.GetFlight, fpb.GetFlightRequest(id=flight_id), idempotent=True)
        return FlightNow(
            f.number,
            f.status,
            _ts(f, "estimated_departure") or _ts(f, "scheduled_departure"),
            _ts(f, "scheduled_arrival"),
            _ts(f, "estimated_arrival"),
            _ts(f, "actual_arrival"),
            _ts(f, "cancelled_at"),
        )


class GrpcAirport(_Calls):
    def __init__(
        self,
        stub: AirportServiceStub,
        system: Callable[[], AbstractContextManager[Principal]],
        timeout: Callable[[], float],
    ) -> None:
        super().__init__(system, timeout)
        self.stub = stub

    async def distance_km(self, origin: str, destination: str) -> float | None:
        request = apb.GetRouteDistanceRequest(origin=origin, destination=destination)
        try:
            reply = await self.call(self.stub.GetRouteDistance, request, idempotent=True)
        except Conflict as e:
            if e.code == "coordinates_missing":
                return None
            raise
        return float(reply.distance_km)


def grpc_ports(
    channel: Callable[[str], grpc.aio.Channel],
    system: Callable[[], AbstractContextManager[Principal]],
    timeout: Callable[[], float],
) -> Ports:
    return Ports(
        reservation=GrpcReservation(ReservationServiceStub(channel("reservation")), system, timeout),
        payment=GrpcPayment(PaymentServiceStub(channel("payment")), system, timeout),
        flights=GrpcFlights(
            FareServiceStub(channel("flights")), FlightServiceStub(channel("flights")), system, timeout
        ),
        airport=GrpcAirport(AirportServiceStub(channel("airport")), system, timeout),
    )
