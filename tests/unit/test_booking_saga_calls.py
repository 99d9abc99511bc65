"""What a pay costs and what the sale order guarantees, against the in-memory fakes of
test_booking_saga.py: the calls to other services and the transactions of a clean pay (holds
that outlive the payment are not extended, flights are asked at once), and, with `sale` on, the
seats confirmed before one authorise-and-capture call: a decline gives the seats back, seats
lost take no money, and a process killed at any step is finished or compensated by recovery."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from airline.booking.domain import State
from airline.booking.ports import Authorisation, Payment, Ports
from airline.booking.saga import Crash
from airline.payment.client import PaymentMethod
from airline.platform.db import utcnow
from airline.platform.errors import Conflict
from tests.unit.test_booking_saga import CARD, FakePayment, World, a_draft, world

__all__ = ["world"]  # the fixture, shared


class Counted:
    """Counts the calls made through a port (one entry per call, by method name)."""

    def __init__(self, inner: Any, calls: list[str]) -> None:
        self._inner, self._calls = inner, calls

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self._calls.append(name)
            return await attr(*args, **kwargs)

        return counted


class SalePayment(FakePayment):
    """Takes `capture` like the payment service: a sale comes back captured."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Authorisation] = []

    async def authorise(self, request: Authorisation, method: PaymentMethod) -> Payment:
        self.requests.append(request)
        p = await super().authorise(request, method)
        if request.capture and p.status == "authorised":
            self.captures += 1
            p = self.payments[p.id] = replace(p, status="captured")
        return p


def counting(w: World, *, sale: bool = False) -> tuple[list[str], list[int]]:
    """Every call the saga makes to another service, and every transaction it opens."""
    calls: list[str] = []
    txs: list[int] = []
    if sale:
        w.payment = SalePayment()
        w.ctx.settings = w.ctx.settings.model_copy(update={"sale": True})
        seats = w.reservation

        async def release_assignments(booking_ref: str) -> int:  # says how many, as reservation does
            had = booking_ref in seats.assigned
            seats.assigned.discard(booking_ref)
            return int(had)

        seats.release_assignments = release_assignments  # type: ignore[method-assign]
    ports = w.ctx.ports
    w.ctx.ports = Ports(Counted(ports.reservation, calls), Counted(w.payment, calls), Counted(ports.flights, calls))
    transaction: Callable[[], Any] = w.ctx.uow
    w.ctx.reader = transaction  # reads need no transaction: not counted

    @asynccontextmanager
    async def counted() -> AsyncIterator[Any]:
        txs.append(1)
        async with transaction() as tx:
            yield tx

    w.ctx.uow = counted
    return calls, txs


def lasting_holds(w: World, bid: str, minutes: int = 10) -> None:
    """The holds end after the payment (as reservation said when they were made)."""
    b = w.booking(bid)
    b.legs = [replace(leg, hold_expires_at=utcnow() + timedelta(minutes=minutes)) for leg in b.legs]


# --- authorise, seats, capture (the default) --------------------------------------------------


async def test_a_clean_pay_asks_flights_authorises_confirms_and_captures_in_two_transactions(world: World) -> None:
    bid = a_draft(world, flights=1)
    lasting_holds(world, bid)
    calls, txs = counting(world)
    view = await world.saga.pay(world.access(bid), "key-1", CARD)
    assert view["state"] == "confirmed" and view["pnr"]
    assert calls == ["flight", "authorise", "confirm_hold", "capture"]  # no ExtendHold
    assert len(txs) == 2  # Pay's (lock, key, attempt) and the confirmation


async def test_only_a_hold_ending_before_the_payment_is_done_is_extended(world: World) -> None:
    bid = a_draft(world)
    lasting_holds(world, bid)
    b = world.booking(bid)
    b.legs = [b.legs[0], replace(b.legs[1], hold_expires_at=utcnow() + timedelta(seconds=30))]
    calls, _ = counting(world)
    await world.saga.pay(world.access(bid), "key-1", CARD)
    assert calls.count("extend_hold") == 1 and calls.count("confirm_hold") == 2


async def test_a_replayed_pay_makes_no_call(world: World) -> None:
    bid = a_draft(world)
    await world.saga.pay(world.access(bid), "key-1", CARD)
    calls, _ = counting(world)
    again = await world.saga.pay(world.access(bid), "key-1", CARD)
    assert again["replayed"] and again["state"] == "confirmed" and calls == []


# --- seats, then one sale -----------------------------------------------------------------------


async def test_a_sale_pays_in_two_calls_and_takes_the_money_once_the_seats_are_assigned(world: World) -> None:
    bid = a_draft(world, flights=1)
    lasting_holds(world, bid)
    calls, txs = counting(world, sale=True)
    view = await world.saga.pay(world.access(bid), "key-1", CARD)
    assert view["state"] == "confirmed" and view["pnr"] and view["payment"]["status"] == "captured"
    assert calls == ["confirm_hold", "authorise"] and len(txs) == 2
    assert isinstance(world.payment, SalePayment) and [r.capture for r in world.payment.requests] == [True]
    assert world.payment.captures == 1 and bid in world.reservation.assigned
    assert len(world.confirmed_events(bid)) == 1


async def test_a_declined_sale_gives_the_assigned_seats_back(world: World) -> None:
    bid = a_draft(world)
    calls, _ = counting(world, sale=True)
    world.payment.answer = "failed"
    view = await world.saga.pay(world.access(bid), "key-1", CARD)
    b = world.booking(bid)
    assert (view["state"], b.state, b.step) == ("held", State.HELD, "declined")
    assert b.payment.status == "failed" and b.payment.failure_code == "card_declined"
    assert bid not in world.reservation.assigned and b.seats == [] and not b.holds()
    assert calls.count("release_assignments") == 1 and world.payment.captures == 0


async def test_seats_lost_before_a_sale_take_no_money(world: World) -> None:
    bid = a_draft(world)
    counting(world, sale=True)
    world.reservation.lost.add("hold-1")
    with pytest.raises(Conflict) as refused:
        await world.saga.pay(world.access(bid), "key-1", CARD)
    assert refused.value.code == "seats_lost"
    b = world.booking(bid)
    assert b.state is State.HELD and b.seats == [] and bid not in world.reservation.assigned
    assert world.payment.payments == {} and b.payment.status == ""


@pytest.mark.parametrize("step", ["authorising", "seats_confirmed", "authorised", "captured"])
async def test_a_sale_killed_at_any_step_is_finished_or_given_back_by_recovery(world: World, step: str) -> None:
    bid = a_draft(world)
    counting(world, sale=True)

    async def crash(at: str) -> None:
        if at == step:
            raise Crash(at)

    world.ctx.fault = crash
    with pytest.raises(Crash):
        await world.saga.pay(world.access(bid), "key-1", CARD)
    assert world.booking(bid).state is State.AWAITING_PAYMENT
    world.ctx.fault = None  # a fresh process
    await world.saga.recover(stale_after=0, now=utcnow() + timedelta(seconds=1))
    b = world.booking(bid)
    if step in ("authorising", "seats_confirmed"):  # no money: held again, no seat taken
        assert (b.state, b.step) == (State.HELD, "payment_abandoned")
        assert world.payment.payments == {} and bid not in world.reservation.assigned
        if step == "seats_confirmed":
            assert b.seats == [] and not b.holds()  # the holds became assignments, now given back
        return
    assert b.state is State.CONFIRMED and b.payment.status == "captured"
    assert world.payment.authorisations == world.payment.captures == 1 and bid in world.reservation.assigned
    assert len(world.confirmed_events(bid)) == 1
    await world.saga.recover(stale_after=0, now=utcnow() + timedelta(seconds=2))  # again: nothing more
    assert world.payment.captures == 1 and len(world.confirmed_events(bid)) == 1
