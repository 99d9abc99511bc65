"""`airline simulate --scene week` (issue 18): the seed's week at a base of its own, rostered in
one run and played in compressed time on the simulation clock; its summary must match what the
flights and baggage databases recorded. (Its own file, so the test run's two workers share the
end-to-end scenes.)"""

from __future__ import annotations

import asyncpg

from airline.platform.settings import PlatformSettings
from airline.simulate import Actors, simulate_week


async def test_the_seed_week_is_rostered_and_flown_in_compressed_time(
    gateway_url: str, tokens: dict[str, str], settings: PlatformSettings, seed_world: None
) -> None:
    """`airline simulate --scene week`: the seed's 42 flights and crew at a base of its own, one
    roster run crews them all legally, and every flight's day is played at its time: checked in,
    boarded, the door closed (a no-show a day offloaded with their bag, "departed" refused until
    it is out), departed, arrived, bags on the belt."""
    summary = await simulate_week(
        gateway_url, Actors(ops=tokens["ops"], agent=tokens["agent"], admin=tokens["admin"]), passengers=1, seed=3
    )
    print("\n" + summary.text())
    assert summary.problems == []
    assert summary.flights == 42 and summary.departed == summary.arrived == 42
    assert summary.roster_short == 0 and summary.flights_crewed == 42 and summary.crew_violations == 0
    assert summary.roster_kept == 0 and summary.roster_proposed == 42 * 7  # one run crewed it all
    assert summary.members_rostered >= 4 + 4 + 3 + 12  # each home every night (else a problem)
    assert summary.duties_checked == 42 * 7  # captain, first officer, purser and 4 attendants (158 seats)
    assert summary.passengers == 21 and summary.boarded == 42 - 7  # one each way, a no-show a day
    assert summary.offloaded == 7 and summary.bags_flagged == summary.bags_unloaded >= 7
    assert summary.departed_refused == 7 and summary.apis_records == summary.manifest_boarded == summary.boarded
    assert summary.bags_flown == summary.bags - summary.bags_unloaded

    url = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")  # type: ignore[union-attr]
    db = await asyncpg.connect(url)
    try:  # what the services recorded: the week's flights arrived, every flown bag claimed
        flights = await db.fetch(
            "select status from flights.flights where origin = $1 or destination = $1", summary.base
        )
        assert len(flights) == 42 and {f["status"] for f in flights} == {"arrived"}
        bags = await db.fetch(
            "select b.status from baggage.bags b where b.origin = $1 or b.destination = $1", summary.base
        )
        assert len(bags) == summary.bags
        assert sum(b["status"] == "claimed" for b in bags) == summary.bags_flown
        assert sum(b["status"] == "unloaded" for b in bags) == summary.bags_unloaded
    finally:
        await db.close()
