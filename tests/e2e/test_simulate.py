"""`airline simulate` drives the seed's main flow through the REST API; its summary must match
what the services' own databases recorded."""

from __future__ import annotations

import asyncpg

from airline.platform.settings import PlatformSettings
from airline.simulate import Actors, simulate


async def test_simulation_of_20_passengers_is_consistent_and_matches_the_databases(
    gateway_url: str, tokens: dict[str, str], settings: PlatformSettings, seed_world: None
) -> None:
    """The day with a no-show (the door step plays at gate close on the simulation clock: the
    X-Airline-Sim-Time header, carried from the gateway to every service the request reaches): they check in a bag and do not board; at door close they are
    offloaded, their bag flagged, "departed" refused until it is unloaded; manifest and APIS list
    exactly who flew; the flight's crew holds no duty breaking a rule."""
    summary = await simulate(
        gateway_url, Actors(ops=tokens["ops"], agent=tokens["agent"], admin=tokens["admin"]), passengers=20, seed=7
    )
    print("\n" + summary.text())
    assert summary.problems == []
    assert summary.passengers == 20 and summary.sms_codes == 20 and summary.boarding_passes == 20
    assert summary.no_shows == 1 and summary.boarded == 19
    assert summary.second_scans_refused == 1 and summary.late_scans_refused == 1
    # the door: the no-show offloaded, their bag(s) flagged, "departed" refused once, then unloaded
    assert summary.door.startswith("closed at") and summary.offloaded == 1
    unloaded = len(summary.offloaded_bag_tags)
    assert summary.bags_flagged == summary.bags_unloaded == unloaded >= 1 and summary.departed_refused == 1
    assert summary.manifest_boarded == summary.apis_records == 19
    # flying bags: 2 scans out, 3 in; the no-show's: 2 out, unloaded at the gate
    assert summary.bags > unloaded and summary.bag_scans == (summary.bags - unloaded) * 5 + unloaded * 3
    # crew: read before departure; the demo crew at X covers the flight (proposed or accepted:
    # captain, first officer, purser, attendants), and no held duty breaks a rule
    assert summary.crew_readiness in ("complete", "pending") and summary.crew_note == ""
    assert summary.crew_held >= 4 and summary.crew_violations == 0

    url = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")  # type: ignore[union-attr]
    db = await asyncpg.connect(url)
    try:
        ids = summary.booking_ids
        assert (
            await db.fetchval("select count(*) from booking.bookings where id = any($1) and state = 'confirmed'", ids)
            == summary.bookings
        )
        assert (
            await db.fetchval(
                "select coalesce(sum(jsonb_array_length(passengers)), 0) from booking.bookings where id = any($1)", ids
            )
            == summary.passengers
        )
        assert (
            await db.fetchval(
                "select count(*) from notification.messages where channel = 'sms' and kind = 'checkin_code' "
                "and reference = any($1)",
                ids,
            )
            == summary.sms_codes
        )
        boarded = await db.fetch(
            "select seat, pass_id, bcbp, passenger_id from checkin.legs where booking_id = any($1) and status = 'boarded'",
            ids,
        )
        assert len(boarded) == summary.boarded
        assert all(row["pass_id"] and row["bcbp"] for row in boarded)  # nobody boarded without a pass
        seats = [row["seat"] for row in boarded if row["seat"] and row["seat"] != "INF"]
        assert len(seats) == len(set(seats))  # no seat given twice
        bags = await db.fetch("select tag, weight_g, status from baggage.bags where booking_id = any($1)", ids)
        assert sorted(b["tag"] for b in bags) == sorted(summary.bag_tags)
        off = set(summary.offloaded_bag_tags)
        assert all(b["status"] == ("unloaded" if b["tag"] in off else "claimed") for b in bags)
        assert (
            await db.fetchval(
                "select count(*) from checkin.legs where booking_id = any($1) and status = 'offloaded'", ids
            )
            == summary.offloaded
        )
        assert round(sum(b["weight_g"] for b in bags) / 1000, 3) == round(summary.bag_weight_kg, 3)
        scans = await db.fetchval(
            "select count(*) from baggage.bag_events e join baggage.bags b on b.id = e.bag_id "
            "where b.booking_id = any($1) and e.status <> 'checked_in'",
            ids,
        )
        assert scans == summary.bag_scans  # no scan lost, none recorded twice
        paid = await db.fetchval("select coalesce(sum(fee), 0) from baggage.bags where booking_id = any($1)", ids)
        assert paid == summary.excess_fees
    finally:
        await db.close()


async def test_disruption_scene_tells_everyone_once_and_rehomes_the_cancelled_flight(
    gateway_url: str, tokens: dict[str, str], seed_world: None
) -> None:
    """`airline simulate --scene disruption`: a delay, a gate change and a cancellation on flights
    of its own; every booking told once per change, the cancelled ones proposed a flight,
    accepted (new tickets and seats; the old boarding pass refused, the new one boards) or
    refunded in full, and the compensation paid once."""
    summary = await simulate(
        gateway_url,
        Actors(ops=tokens["ops"], agent=tokens["agent"], admin=tokens["admin"]),
        seed=11,
        scene="disruption",
    )
    print("\n" + summary.text())
    assert summary.problems == []
    d = summary.disruption
    assert d is not None
    assert d.delayed == {"bookings": 2, "passengers": 3, "told": 2}
    assert d.gate_changed == {"bookings": 2, "passengers": 3, "told": 2}
    assert d.cancelled == {"bookings": 3, "passengers": 7, "told": 3}
    assert d.proposals == 3 and d.unplaced == 0 and d.seats_reserved == 6  # the infant on a lap
    assert d.accepted == 2 and d.declined == 1 and d.refunded > 0
    assert d.tickets_reissued >= 2  # every passenger of the accepted bookings, the infant too
    assert 2 <= d.listed_on_new_flights < d.seats_reserved  # check-in followed the move (not the declined)
    assert d.old_pass_refused == 2 and d.new_pass_boarded == 1
    # proposed + applied or refunded, and each compensated passenger: an SMS and an e-mail each
    assert d.rebooking_messages == 3 * 4 + 2 * d.passengers_compensated
    assert d.compensation_claims == 2 and d.compensation_paid == d.compensation_due > 0  # eu261
