"""The flights service's "departed" guard against a fake baggage port: a bag of an offloaded
passenger still loaded refuses it (409), so do bags loaded before the door closed (409), baggage not answering refuses it (503), an override
reason lets it pass without asking."""

from __future__ import annotations

import uuid

import pytest

from airline.flights.baggage_client import BagReconciliation
from airline.flights.service import FlightService
from airline.platform.errors import Conflict, Unavailable


class FakeBaggage:
    def __init__(
        self, still_loaded: list[str] | None = None, down: bool = False, loaded: int = 0, door_closed: bool = True
    ) -> None:
        self.still_loaded = still_loaded or []
        self.down = down
        self.loaded = loaded
        self.door_closed = door_closed
        self.asked: list[str] = []

    async def reconciliation(self, flight_id: str) -> BagReconciliation:
        self.asked.append(flight_id)
        if self.down:
            raise Unavailable("the baggage service did not answer")
        return BagReconciliation(self.still_loaded, self.door_closed, self.loaded)


def flights_with(baggage: FakeBaggage | None) -> FlightService:
    svc = object.__new__(FlightService)  # the guard needs no database, airport or settings
    if baggage is not None:
        svc.baggage = baggage  # type: ignore[attr-defined]
    return svc


FLIGHT = str(uuid.uuid4())


async def test_a_loaded_bag_of_an_offloaded_passenger_refuses_departed() -> None:
    baggage = FakeBaggage(["0738000001"])
    with pytest.raises(Conflict) as e:
        await flights_with(baggage)._bags_reconciled(FLIGHT, "")
    assert e.value.code == "offloaded_bags_loaded" and "0738000001" in e.value.message
    assert baggage.asked == [FLIGHT]


async def test_loaded_bags_before_the_door_closed_refuse_departed_unless_overridden() -> None:
    with pytest.raises(Conflict) as e:
        await flights_with(FakeBaggage(loaded=3, door_closed=False))._bags_reconciled(FLIGHT, "")
    assert e.value.code == "door_not_closed" and "3 bag(s)" in e.value.message
    await flights_with(FakeBaggage(loaded=3, door_closed=True))._bags_reconciled(FLIGHT, "")  # closed: they fly
    await flights_with(FakeBaggage(loaded=0, door_closed=False))._bags_reconciled(FLIGHT, "")  # nothing aboard
    await flights_with(FakeBaggage(loaded=3, door_closed=False))._bags_reconciled(FLIGHT, "door jammed, manual count")


async def test_baggage_down_refuses_departed_unless_overridden() -> None:
    with pytest.raises(Unavailable) as e:
        await flights_with(FakeBaggage(down=True))._bags_reconciled(FLIGHT, "")
    assert e.value.code == "bags_unknown" and "override" in e.value.message
    down = FakeBaggage(down=True)
    await flights_with(down)._bags_reconciled(FLIGHT, "bag inaccessible, cleared by duty manager")
    assert down.asked == []  # the override is the decision: baggage is not asked


async def test_reconciled_bags_or_no_baggage_port_let_the_flight_leave() -> None:
    await flights_with(FakeBaggage())._bags_reconciled(FLIGHT, "")
    await flights_with(None)._bags_reconciled(FLIGHT, "")
