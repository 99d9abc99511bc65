"""The payment saga (booking/saga.py) against in-memory fakes of its three ports and of the
booking's store: no database, no broker, no other service (as cosmicpython's FakeRepository).

What it shows: the happy path; a declined authorisation; seats that cannot be confirmed are
compensated (void, or refund of a captured payment) and the booking is a draft again; a process
killed between two steps is finished by the recovery pass; a pay retried with the same
idempotency key authorises and captures once."""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from airline.booking.context import Access, Context
from airline.booking.domain import Booking, Leg, SeatChoice, State
from airline.booking.fares import FareRules
from airline.booking.manage import Manage
from airline.booking.passengers import Document, Passenger, PassengerType
from airline.booking.ports import (
    CAPTURED,
    Authorisation,
    FlightNow,
    Offer,
    Payment,
    Ports,
    SeatHoldRequest,
    SeatRequest,
)
from airline.booking.saga import Crash, PaymentSaga
from airline.booking.settings import BookingSettings
from airline.contracts.events import booking as booking_events
from airline.payment.client import PaymentMethod
from airline.platform.db import utcnow
from airline.platform.errors import Conflict, NotFound, ValidationFailed
from airline.platform.idempotency import IdempotencyKeyReused

CARD = PaymentMethod(
    card_number="4242424242424242", card_exp_month=12, card_exp_year=2035, card_cvc="123", card_holder="Ada Lovelace"
)
OTHER_CARD = replace(CARD, card_number="5555555555554444")


# --- the fakes ------------------------------------------------------------------------------


@dataclass
class FakeDatabase:
    """What is committed: bookings, idempotency keys, the outbox."""

    bookings: dict[str, Booking] = field(default_factory=dict)
    keys: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    events: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)
    serial: int = 0
    touched: dict[str, datetime] = field(default_factory=dict)


class FakeRepository:
    """Reads what is committed (or staged in this transaction); writes are staged until commit."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.staged: dict[str, Booking] = {}
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}

    async def get(self, booking_id: str, *, lock: bool = False) -> Booking | None:
        b = self.staged.get(booking_id) or self.db.bookings.get(booking_id)
        return copy.deepcopy(b) if b is not None else None

    async def add(self, b: Booking) -> None:
        self.staged[b.id] = copy.deepcopy(b)

    async def save(self, b: Booking) -> None:
        self.staged[b.id] = copy.deepcopy(b)

    async def by_pnr(self, pnr: str) -> Booking | None:
        return next((copy.deepcopy(b) for b in self.db.bookings.values() if b.pnr == pnr), None)

    async def by_owner(self, owner: str, limit: int = 200) -> list[Booking]:
        return [copy.deepcopy(b) for b in self.db.bookings.values() if b.owner == owner][:limit]

    async def bookings_on(self, flight_id: str) -> list[str]:
        return sorted(b.id for b in self.db.bookings.values() if any(x.flight_id == flight_id for x in b.legs))

    async def open_ids(
        self,
        older_than: datetime | None = None,
        states: Sequence[str] = ("held", "awaiting_payment"),
        expired_by: datetime | None = None,
        limit: int = 500,
    ) -> list[str]:
        return [
            b.id
            for b in self.db.bookings.values()
            if b.state.value in states
            and (older_than is None or self.db.touched[b.id] < older_than)
            and (expired_by is None or b.expires_at < expired_by)
        ][:limit]

    async def lock_key(self, key: str) -> None:
        pass

    async def count_open(self, now: datetime, *, owner: str = "", client_key: str = "") -> int:
        return 0

    async def next_serials(self, n: int) -> list[int]:
        self.db.serial += n
        return list(range(self.db.serial - n + 1, self.db.serial + 1))

    async def replay_key(self, scope: str, key: str, request_hash: str) -> str | None:
        earlier = self.db.keys.get((scope, key)) or self.keys.get((scope, key))
        if earlier is None:
            return None
        if earlier[0] != request_hash:
            raise IdempotencyKeyReused("used for a different request", field="idempotency_key")
        return earlier[1]

    async def remember_key(self, scope: str, key: str, request_hash: str, booking_id: str) -> str:
        first = await self.replay_key(scope, key, request_hash)
        if first is not None:
            return first
        self.keys[(scope, key)] = (request_hash, booking_id)
        return booking_id

    async def notify(self, booking_id: str, kind: str, email: str, phone: str, message: str) -> None:
        pass


class FakeTransaction:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self._bookings = FakeRepository(db)
        self.events: list[tuple[str, str, str, dict[str, Any]]] = []

    @property
    def bookings(self) -> FakeRepository:
        return self._bookings

    async def emit(self, topic: str, key: str, type_: str, payload: dict[str, Any]) -> None:
        self.events.append((topic, key, type_, payload))

    async def commit(self) -> None:
        for bid, b in self._bookings.staged.items():
            self.db.bookings[bid] = b
            self.db.touched[bid] = utcnow()
        self.db.keys.update(self._bookings.keys)
        self.db.events.extend(self.events)
        self._bookings.staged, self._bookings.keys, self.events = {}, {}, []

    async def rollback(self) -> None:
        self._bookings.staged, self._bookings.keys, self.events = {}, {}, []


class FakeReservation:
    def __init__(self) -> None:
        self.holds: dict[str, str] = {}  # hold id -> "held" | "confirmed" | "released"
        self.lost: set[str] = set()  # holds someone else's booking took the seats of
        self.assigned: set[str] = set()  # booking refs with assignments

    async def hold_seats(self, request: SeatHoldRequest) -> dict[str, str]:
        self.holds[request.hold_id] = "held"
        return {s.passenger_ref: s.seat for s in request.seats}

    async def extend_hold(self, hold_id: str, not_after: datetime | None = None) -> None:
        if self.holds.get(hold_id) != "held":
            raise NotFound(f"no hold {hold_id}")

    async def release_hold(self, hold_id: str) -> None:
        if self.holds.get(hold_id) == "held":
            self.holds[hold_id] = "released"

    async def confirm_hold(self, hold_id: str, booking_ref: str) -> None:
        if hold_id in self.lost:
            raise Conflict("the seats are taken", code="seat_taken")
        self.holds[hold_id] = "confirmed"
        self.assigned.add(booking_ref)

    async def release_assignments(self, booking_ref: str) -> None:
        self.assigned.discard(booking_ref)

    async def assign_seat(self, flight_id: str, booking_ref: str, seat: SeatRequest) -> str:
        return seat.seat


class FakePayment:
    """Idempotent by key like the payment service; `answer` is the status an authorisation gets."""

    def __init__(self) -> None:
        self.payments: dict[str, Payment] = {}
        self.by_key: dict[str, str] = {}
        self.answer = "authorised"
        self.authorisations = 0
        self.captures = 0

    async def authorise(self, request: Authorisation, method: PaymentMethod) -> Payment:
        if request.idempotency_key in self.by_key:
            return self.payments[self.by_key[request.idempotency_key]]
        self.authorisations += 1
        p = Payment(
            id=str(uuid.uuid4()),
            status=self.answer,
            amount=request.amount,
            currency=request.currency,
            origin="booking",
            failure_code="card_declined" if self.answer == "failed" else "",
        )
        self.payments[p.id] = p
        self.by_key[request.idempotency_key] = p.id
        return p

    async def complete_challenge(self, payment_id: str, code: str) -> Payment:
        return self.payments[payment_id]

    async def capture(self, payment_id: str) -> Payment:
        p = self.payments[payment_id]
        if p.status == "authorised":
            self.captures += 1
            p = self.payments[payment_id] = replace(p, status="captured")
        return p

    async def void(self, payment_id: str) -> None:
        p = self.payments[payment_id]
        if p.status not in CAPTURED:
            self.payments[payment_id] = replace(p, status="voided")

    async def refund(self, payment_id: str, amount: int, reason: str, idempotency_key: str) -> None:
        self.payments[payment_id] = replace(self.payments[payment_id], status="refunded")

    async def payments_for(self, reference: str) -> list[Payment]:
        return list(self.payments.values())


class FakeFlights:
    async def offer(self, offer_id: str) -> Offer:
        raise NotFound("no offers here")

    async def flight(self, flight_id: str) -> FlightNow:
        return FlightNow("AL100", "scheduled", utcnow() + timedelta(days=10))


@dataclass
class World:
    db: FakeDatabase
    reservation: FakeReservation
    payment: FakePayment
    ctx: Context
    saga: PaymentSaga

    def access(self, bid: str) -> Access:
        return Access(booking_id=bid, manage_token=self.ctx.manage_token(bid))

    def booking(self, bid: str) -> Booking:
        return self.db.bookings[bid]

    def confirmed_events(self, bid: str) -> list[dict[str, Any]]:
        return [
            payload
            for topic, key, _, payload in self.db.events
            if topic == booking_events.BOOKING_CONFIRMED.topic and key == bid
        ]


@pytest.fixture
def world() -> World:
    db, reservation, payment = FakeDatabase(), FakeReservation(), FakePayment()

    @asynccontextmanager
    async def uow() -> AsyncIterator[FakeTransaction]:
        tx = FakeTransaction(db)
        try:
            yield tx
        finally:
            await tx.rollback()  # what is not committed is gone

    ctx = Context(BookingSettings(), Ports(reservation, payment, FakeFlights()), uow, b"m" * 32, b"f" * 32)
    return World(db, reservation, payment, ctx, PaymentSaga(ctx, Manage(ctx).finish_cancel))


def a_draft(world: World, *, flights: int = 2) -> str:
    """A held booking ready to pay: two passengers with seats held on every flight."""
    bid, now = str(uuid.uuid4()), utcnow()
    legs = [
        Leg(
            i,
            f"F{i}",
            f"AL10{i}",
            "X",
            "A",
            "UTC",
            now + timedelta(days=10 + i),
            now + timedelta(days=10 + i, hours=2),
            None,
            None,
            "scheduled",
            "",
            FareRules(1, 23, False, 0),
            hold_id=f"hold-{i}",
        )
        for i in range(flights)
    ]
    doc = Document("passport", "K1234567", "SG", date(2035, 1, 1))
    people = [
        Passenger("P1", PassengerType.ADULT, "Ada", "Lovelace", date(1985, 1, 1), doc),
        Passenger("P2", PassengerType.CHILD, "Byron", "Lovelace", date(2019, 1, 1), doc),
    ]
    world.db.bookings[bid] = Booking(
        id=bid,
        owner="",
        client_key="",
        state=State.HELD,
        step="seats",
        offer_id="offer",
        cabin_class="economy",
        trip_type="round_trip",
        adults=1,
        children=1,
        infants=0,
        currency="SGD",
        fare_total=50_000,
        expires_at=now + timedelta(minutes=15),
        legs=legs,
        passengers=people,
        contact_email="ada@example.com",
        contact_phone="+6591234567",
        seats=[
            SeatChoice(leg.flight_id, p.id, f"{3 + i}{'AB'[j]}")
            for i, leg in enumerate(legs)
            for j, p in enumerate(people)
        ],
    )
    world.db.touched[bid] = now
    for leg in legs:
        world.reservation.holds[leg.hold_id] = "held"
    return bid


# --- the saga -------------------------------------------------------------------------------


async def test_the_happy_path_confirms_seats_then_captures_then_confirms(world: World) -> None:
    bid = a_draft(world)
    view = await world.saga.pay(world.access(bid), "key-1", CARD)
    b = world.booking(bid)
    assert view["state"] == "confirmed" and b.state is State.CONFIRMED and b.step == "done"
    assert b.pnr and len(b.tickets) == 4 and all(len(t.number) == 13 for t in b.tickets)
    assert b.payment.status == "captured" and world.payment.authorisations == world.payment.captures == 1
    assert set(world.reservation.holds.values()) == {"confirmed"} and bid in world.reservation.assigned
    [event] = world.confirmed_events(bid)
    assert event["pnr"] == b.pnr and event["total"] == 50_000


async def test_a_declined_authorisation_is_a_draft_again_and_nothing_is_taken(world: World) -> None:
    bid = a_draft(world)
    world.payment.answer = "failed"
    view = await world.saga.pay(world.access(bid), "key-1", CARD)
    b = world.booking(bid)
    assert (view["state"], b.state, b.step) == ("held", State.HELD, "declined")
    assert b.payment.status == "failed" and b.payment.failure_code == "card_declined"
    assert world.payment.captures == 0 and set(world.reservation.holds.values()) == {"held"}
    assert not world.confirmed_events(bid) and b.seats  # the seats are kept for another try


async def test_a_payment_without_a_method_gives_the_booking_back(world: World) -> None:
    bid = a_draft(world)
    with pytest.raises(ValidationFailed):
        await world.saga.pay(world.access(bid), "key-1", PaymentMethod())
    assert (world.booking(bid).state, world.booking(bid).step) == (State.HELD, "payment_invalid")
    assert world.payment.authorisations == 0


@pytest.mark.parametrize("answer, voided_or_refunded", [("authorised", "voided"), ("captured", "refunded")])
async def test_seats_that_cannot_be_confirmed_are_compensated_and_the_booking_is_held_again(
    world: World, answer: str, voided_or_refunded: str
) -> None:
    bid = a_draft(world)
    world.payment.answer = answer
    world.reservation.lost.add("hold-1")  # the second flight's seats went to someone else
    with pytest.raises(Conflict) as refused:
        await world.saga.pay(world.access(bid), "key-1", CARD)
    assert refused.value.code == "seats_lost"
    b = world.booking(bid)
    assert b.state is State.HELD and b.step.startswith("seats_lost") and b.seats == []
    assert all(not leg.hold_id for leg in b.legs) and bid not in world.reservation.assigned
    [payment] = world.payment.payments.values()
    assert payment.status == voided_or_refunded and b.payment.status == voided_or_refunded
    assert world.payment.captures == 0 and not world.confirmed_events(bid)


async def test_a_capture_refused_releases_the_seats_and_voids(world: World) -> None:
    bid = a_draft(world)

    async def refuse(payment_id: str) -> Payment:
        raise Conflict("the authorisation lapsed", code="payment_state")

    world.payment.capture = refuse  # type: ignore[method-assign]
    with pytest.raises(Conflict) as refused:
        await world.saga.pay(world.access(bid), "key-1", CARD)
    assert refused.value.code == "capture_refused"
    assert world.booking(bid).state is State.HELD and bid not in world.reservation.assigned
    assert [p.status for p in world.payment.payments.values()] == ["voided"]


# --- a process killed between two steps ---------------------------------------------------------


@pytest.mark.parametrize("step", ["authorised", "seats_confirmed", "captured"])
async def test_a_crash_between_steps_is_finished_by_recovery_exactly_once(world: World, step: str) -> None:
    bid = a_draft(world)

    async def crash(at: str) -> None:
        if at == step:
            raise Crash(at)

    world.ctx.fault = crash
    with pytest.raises(Crash):
        await world.saga.pay(world.access(bid), "key-1", CARD)
    assert world.booking(bid).state is State.AWAITING_PAYMENT and not world.confirmed_events(bid)

    world.ctx.fault = None  # a fresh process
    done = await world.saga.recover(stale_after=0, now=utcnow() + timedelta(seconds=1))
    b = world.booking(bid)
    assert done["recovered"] == 1 and b.state is State.CONFIRMED and b.payment.status == "captured"
    assert world.payment.authorisations == world.payment.captures == 1
    assert len(world.confirmed_events(bid)) == 1

    await world.saga.recover(stale_after=0, now=utcnow() + timedelta(seconds=2))  # again: nothing more
    assert world.payment.captures == 1 and len(world.confirmed_events(bid)) == 1


async def test_a_crash_before_authorising_leaves_nothing_to_take_and_recovery_gives_the_draft_back(
    world: World,
) -> None:
    bid = a_draft(world)

    async def crash(at: str) -> None:
        raise Crash(at)

    world.ctx.fault = crash
    with pytest.raises(Crash):
        await world.saga.pay(world.access(bid), "key-1", CARD)
    world.ctx.fault = None
    await world.saga.recover(stale_after=0, now=utcnow() + timedelta(seconds=1))
    b = world.booking(bid)
    assert (b.state, b.step, b.payment.status) == (State.HELD, "payment_abandoned", "abandoned")
    assert world.payment.authorisations == 0


# --- a retried pay ------------------------------------------------------------------------------


async def test_a_pay_retried_with_the_same_key_authorises_and_captures_once(world: World) -> None:
    bid = a_draft(world)
    first = await world.saga.pay(world.access(bid), "key-1", CARD)
    again = await world.saga.pay(world.access(bid), "key-1", CARD)
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["state"] == "confirmed" and again["pnr"] == first["pnr"]
    assert world.payment.authorisations == world.payment.captures == 1 and len(world.confirmed_events(bid)) == 1
    with pytest.raises(ValidationFailed) as reused:  # the same key for another card is a mistake
        await world.saga.pay(world.access(bid), "key-1", OTHER_CARD)
    assert reused.value.code == "idempotency_key_reused"


async def test_a_pay_retried_after_a_crash_does_not_start_a_second_payment(world: World) -> None:
    bid = a_draft(world)

    async def crash(at: str) -> None:
        if at == "authorised":
            raise Crash(at)

    world.ctx.fault = crash
    with pytest.raises(Crash):
        await world.saga.pay(world.access(bid), "key-1", CARD)
    world.ctx.fault = None
    retried = await world.saga.pay(world.access(bid), "key-1", CARD)  # the client's retry
    assert retried["replayed"] and retried["state"] == "awaiting_payment"
    await world.saga.recover(stale_after=0, now=utcnow() + timedelta(seconds=1))
    assert world.booking(bid).state is State.CONFIRMED
    assert world.payment.authorisations == world.payment.captures == 1 and len(world.confirmed_events(bid)) == 1


async def test_paying_a_booking_whose_hold_ran_out_sends_the_passenger_back_to_the_seats(world: World) -> None:
    bid = a_draft(world)
    world.reservation.holds["hold-0"] = "released"
    with pytest.raises(Conflict) as refused:
        await world.saga.pay(world.access(bid), "key-1", CARD)
    assert refused.value.code == "hold_expired"
    b = world.booking(bid)
    assert (b.state, b.step) == (State.HELD, "hold_expired") and world.payment.authorisations == 0
    assert not b.seats_on("F0") and b.seats_on("F1") and not b.legs[0].hold_id
