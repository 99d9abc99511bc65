"""The disruption scene's gate book (`Day.gate_book`) against the real gateway and flights
service: it must see the departures that board around the scene's time, whatever else the
airport flew on other days. (It once sent a `date` the listing does not take, so it read the
airport's first 200 departures ever: on a platform some weeks old, none of today's.)

The flights fly from gates of their own at the seed's home airport, weeks ahead at random, so
other tests' flights there cannot be mistaken for them.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from airline.simulate.model import Actors, Day
from tests.support.factories import HOME, create_flight, new_gate, new_plane, some_day_ahead

pytestmark = pytest.mark.usefixtures("seed_airports")


async def test_the_gate_book_holds_the_window_s_departures_and_none_from_other_days(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ops = tokens["ops"]
    here, elsewhere = await new_gate(api, ops), await new_gate(api, ops)
    early, inside, late = [await new_plane(api, ops) for _ in range(3)]
    start = some_day_ahead(min_days=10, max_days=40)
    before = await create_flight(api, ops, plane=early, gate=elsewhere, departure=start - timedelta(days=3))
    boarding = await create_flight(api, ops, plane=inside, gate=here, departure=start + timedelta(hours=2))
    after = await create_flight(api, ops, plane=late, gate=elsewhere, departure=start + timedelta(days=3))

    day = Day(api, Actors(ops=ops, agent=tokens["agent"], admin=tokens["admin"]), 1, "BKK", seed=1, origin=HOME)
    book = await day.gate_book(start)

    assert here in book.gates and elsewhere in book.gates
    ours = [(opens, leaves, gate) for opens, leaves, gate in book.windows if gate in (here, elsewhere)]
    departure = start + timedelta(hours=2)
    assert [gate for *_, gate in ours] == [here], (
        f"only {boarding['number']} boards at our gates within the window, "
        f"not {before['number']} (3 days before) nor {after['number']} (3 days after): {ours}"
    )
    opens, leaves, _ = ours[0]
    assert opens < departure <= leaves
    assert here not in book.free(departure) and elsewhere in book.free(departure)
    assert here in book.free(start + timedelta(hours=12)), "the gate is free again once its flight has left"
