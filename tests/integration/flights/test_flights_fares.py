"""Fares and search in the flights service, through its real gRPC server, the real airport
service, PostgreSQL and the broker."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import grpc
import jwt

from airline.airport import seed as airport_seed
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from airline.flights import seed as flights_seed
from airline.flights.domain import DEFAULT_OFFERS
from airline.flights.v1 import flights_pb2 as pb
from airline.flights.v1.flights_pb2_grpc import FareServiceStub, FlightServiceStub
from airline.platform.auth import Role
from airline.platform.runtime import RunningService
from airline.platform.settings import PlatformSettings
from tests.support.factories import unknown_airport_code
from tests.support.flights import INVALID, H, M, Metadata, World, dt, expect, flight_request, schedule_request

# ---------------------------------------------------------------- fares and search


async def test_set_fares_validates_everything_and_writes_all_or_nothing(
    fares: FareServiceStub, world: World, ops: Metadata, as_role
) -> None:  # type: ignore[no-untyped-def]
    x, a = await world.airport(), await world.airport()

    def fare(amount: int = 10000, currency: str = "SGD", **kw: str) -> pb.Fare:
        base = dict(origin=x, destination=a, cabin_class="normal", passenger_type="adult", trip_type="one_way")
        return pb.Fare(**{**base, **kw}, amount=amount, currency=currency)

    good, unknown = fare(), unknown_airport_code()
    cases = [
        ([good, fare(amount=-1, passenger_type="child")], "amount"),
        ([good, fare(currency="sgd", passenger_type="child")], "currency"),
        ([good, fare(currency="MYR", passenger_type="child")], "one currency"),
        ([good, fare(passenger_type="senior")], "passenger_type"),
        ([good, fare(cabin_class="first")], "cabin_class"),
        ([good, fare(trip_type="multi")], "trip_type"),
        ([good, fare(destination=x)], "differ"),
        ([good, fare(destination=unknown)], f"unknown airport {unknown}"),
        ([good, good], "twice"),
    ]
    for items, message in cases:
        assert message in await expect(INVALID, fares.SetFares(pb.SetFaresRequest(fares=items), metadata=ops))
    assert not (await fares.ListFares(pb.ListFaresRequest(origin=x))).fares
    await expect(
        grpc.StatusCode.PERMISSION_DENIED,
        fares.SetFares(pb.SetFaresRequest(fares=[good]), metadata=as_role(Role.PASSENGER)),
    )

    rules = pb.FareRules(
        origin=x,
        destination=a,
        cabin_class="normal",
        refundable=False,
        change_fee=5000,
        currency="SGD",
        checked_bags=1,
        bag_weight_kg=23,
    )
    reply = await fares.SetFares(pb.SetFaresRequest(fares=[good], rules=[rules]), metadata=ops)
    rules.no_show_refund = "none"  # the default no-show rule, stated
    assert list(reply.fares) == [good] and list(reply.rules) == [rules]
    # a later batch must keep the route's currency...
    assert "one currency" in await expect(
        INVALID, fares.SetFares(pb.SetFaresRequest(fares=[fare(currency="MYR", passenger_type="child")]), metadata=ops)
    )
    # ...unless it moves all of it
    moved = [fare(currency="MYR"), fare(currency="MYR", passenger_type="child")]
    await fares.SetFares(
        pb.SetFaresRequest(
            fares=moved, rules=[pb.FareRules(**{**{f.name: v for f, v in rules.ListFields()}, "currency": "MYR"})]
        ),
        metadata=ops,
    )
    listed = await fares.ListFares(pb.ListFaresRequest(origin=x, destination=a))
    assert {(f.passenger_type, f.currency) for f in listed.fares} == {("adult", "MYR"), ("child", "MYR")}
    assert [r.currency for r in listed.rules] == ["MYR"]


async def test_search_round_trip_vip_is_priced_from_the_fare_table(
    fl: FlightServiceStub, fares: FareServiceStub, ap: AirportServiceStub, as_role, settings: PlatformSettings
) -> None:  # type: ignore[no-untyped-def]
    admin = list(as_role(Role.ADMIN))
    await airport_seed.seed(ap, admin)
    left_out = await flights_seed.seed(fl, fares, admin)
    # idempotent: creates nothing more, and leaves out the same days (those another flight of this
    # session's simulations took the seed's plane or gate on)
    assert await flights_seed.seed(fl, fares, admin) == left_out
    assert all(" is taken by " in why or "plane" in why for why in left_out), left_out
    today = datetime.now(ZoneInfo("Asia/Singapore")).date()
    tomorrow = today + timedelta(days=1)
    for out, back in (("XA101", "XA102"), ("XA201", "XA202"), ("XA301", "XA302")):
        skipped = {date.fromisoformat(why.split()[1].rstrip(":")) for why in left_out if why.startswith(f"{out} ")}
        week = [d for d in (tomorrow + timedelta(days=i) for i in range(7)) if d not in skipped]
        for num in (out, back):
            listed = (await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights
            days = sorted(dt(f.scheduled_departure).astimezone(ZoneInfo(f.origin_time_zone)).date() for f in listed)
            # the week from tomorrow, and today when the departure was still an hour ahead
            assert days[-len(week) :] == week and days[: -len(week)] in ([], [today]), num
    # the spare plane's out-and-back flies at most once a day, however often the seed runs
    spare = (await fl.ListFlights(pb.ListFlightsRequest(number=flights_seed.SPARE_TODAY[2]))).flights
    spare_days = [dt(f.scheduled_departure).astimezone(ZoneInfo(f.origin_time_zone)).date() for f in spare]
    assert len(spare_days) == len(set(spare_days)) and set(spare_days) <= {today}

    # the test's own fare table for the route, both directions
    table = {
        ("XSP", "AOR"): {"adult": 31000, "child": 23300, "infant": 3100},
        ("AOR", "XSP"): {"adult": 29000, "child": 21700, "infant": 2900},
    }
    await fares.SetFares(
        pb.SetFaresRequest(
            fares=[
                pb.Fare(
                    origin=o,
                    destination=d,
                    cabin_class="vip",
                    passenger_type=p,
                    trip_type="round_trip",
                    amount=amount,
                    currency="SGD",
                )
                for (o, d), amounts in table.items()
                for p, amount in amounts.items()
            ]
        ),
        metadata=as_role(Role.OPS),
    )

    request = pb.SearchRequest(
        origin="XSP",
        destination="AOR",
        departure_date=tomorrow.isoformat(),
        adults=2,
        children=1,
        infants=1,
        cabin_class="vip",
        trip_type="round_trip",
        return_date=tomorrow.isoformat(),
    )
    offers = (await fares.Search(request)).offers  # anyone: no token
    # other tests (the simulator among them) may fly the same route tomorrow: find the seed's own pair
    seed_offers = [o for o in offers if [leg.flight.number for leg in o.legs] == ["XA101", "XA102"]]
    assert len(seed_offers) == 1, [[leg.flight.number for leg in o.legs] for o in offers]
    offer = seed_offers[0]
    out, back = offer.legs
    assert (
        dt(out.flight.estimated_departure).astimezone(ZoneInfo(out.flight.origin_time_zone)).strftime("%H:%M")
        == "08:00"
    )
    assert out.seats_left == 8 and back.seats_left == 8  # seed A320: 8 VIP seats, none sold
    counts = {"adult": 2, "child": 1, "infant": 1}
    unit = {p: table[("XSP", "AOR")][p] + table[("AOR", "XSP")][p] for p in counts}
    assert [(line.passenger_type, line.count, line.unit_amount, line.amount) for line in offer.breakdown] == [
        (p, n, unit[p], unit[p] * n) for p, n in counts.items()
    ]
    assert offer.total == sum(unit[p] * n for p, n in counts.items()) == 2 * 60000 + 45000 + 6000
    assert (offer.currency, offer.cabin_class, offer.trip_type, offer.adults, offer.children, offer.infants) == (
        "SGD",
        "vip",
        "round_trip",
        2,
        1,
        1,
    )
    assert out.rules.refundable and out.rules.checked_bags == 2 and out.rules.bag_weight_kg == 32
    assert offer.expires_at.seconds > datetime.now(UTC).timestamp() + 1700

    # the offer comes back exactly as priced, even after the fares change
    await fares.SetFares(
        pb.SetFaresRequest(
            fares=[
                pb.Fare(
                    origin="XSP",
                    destination="AOR",
                    cabin_class="vip",
                    passenger_type="adult",
                    trip_type="round_trip",
                    amount=99900,
                    currency="SGD",
                )
            ]
        ),
        metadata=as_role(Role.OPS),
    )
    again = await fares.GetOffer(pb.GetOfferRequest(offer_id=offer.offer_id))
    assert (again.total, list(again.breakdown)) == (offer.total, list(offer.breakdown))
    assert [leg.flight.id for leg in again.legs] == [out.flight.id, back.flight.id]
    repriced = [
        o
        for o in (await fares.Search(request)).offers
        if [leg.flight.id for leg in o.legs] == [out.flight.id, back.flight.id]
    ]
    assert [o.total for o in repriced] == [offer.total - 2 * 31000 + 2 * 99900]

    # tampered and expired offers are refused
    header, body, signature = offer.offer_id.split(".")
    forged = jwt.encode(
        {**jwt.decode(offer.offer_id, options={"verify_signature": False}), "total": 1}, "x" * 48, algorithm="HS256"
    )
    assert "not a valid offer" in await expect(INVALID, fares.GetOffer(pb.GetOfferRequest(offer_id=forged)))
    assert "not a valid offer" in await expect(
        INVALID, fares.GetOffer(pb.GetOfferRequest(offer_id=f"{header}.{body}x.{signature}"))
    )
    secret = settings.secret("flights_offer_key")
    expired = jwt.encode(
        {
            **jwt.decode(offer.offer_id, secret, algorithms=["HS256"], audience="flights-offer"),
            "exp": int(datetime.now(UTC).timestamp()) - 10,
        },
        secret,
        algorithm="HS256",
    )
    assert "expired" in await expect(INVALID, fares.GetOffer(pb.GetOfferRequest(offer_id=expired)))
    # an access token is not an offer (another audience)
    access = as_role(Role.ADMIN)[0][1].split(" ")[1]
    await expect(INVALID, fares.GetOffer(pb.GetOfferRequest(offer_id=access)))


async def test_the_seed_leaves_out_only_the_days_ops_gave_its_gate_to_another_flight(
    fl: FlightServiceStub, world: World, ops: Metadata
) -> None:
    """A schedule run refused for one day (its gate taken by a flight ops made) is made day by day:
    every other day is scheduled, the taken day is named with the refusal, and a second pass adds
    nothing and still names it."""
    x, a = await world.airport(zone="Asia/Singapore"), await world.airport(zone="Asia/Singapore")
    plane, other = await world.plane(x), await world.plane(x)
    first = datetime.now(ZoneInfo("Asia/Singapore")).date() + timedelta(days=20)
    taken = first + timedelta(days=2)
    await fl.CreateFlight(
        flight_request(x, a, other, datetime(taken.year, taken.month, taken.day, 1, 50, tzinfo=UTC), gate="G1"),
        metadata=ops,
    )  # 09:50 local at G1: the schedule's 10:00 boarding overlaps it
    request = schedule_request(x, a, plane, first, 4, out=("G1", "10:00"), back=("G2", "14:00"))
    await expect(grpc.StatusCode.FAILED_PRECONDITION, fl.CreateSchedule(request, metadata=ops))
    for _ in range(2):
        left_out = await flights_seed._day_by_day(fl, request, first, 4, tuple(ops))
        assert len(left_out) == 1 and left_out[0].startswith(f"{request.number} {taken.isoformat()}: "), left_out
        assert " is taken by " in left_out[0]
    for num in (request.number, request.return_number):
        listed = (await fl.ListFlights(pb.ListFlightsRequest(number=num))).flights
        days = sorted(dt(f.scheduled_departure).astimezone(ZoneInfo(f.origin_time_zone)).date() for f in listed)
        assert days == [first + timedelta(days=i) for i in (0, 1, 3)], num


async def test_search_filters_and_input(
    fl: FlightServiceStub, fares: FareServiceStub, world: World, ops: Metadata
) -> None:
    x = await world.airport("Asia/Singapore")
    a = await world.airport("Asia/Kuala_Lumpur")
    await fares.SetFares(
        pb.SetFaresRequest(
            fares=[
                pb.Fare(
                    origin=x,
                    destination=a,
                    cabin_class=c,
                    passenger_type=p,
                    trip_type="one_way",
                    amount=1000 * (i + 1),
                    currency="SGD",
                )
                for c in ("vip", "normal")
                for i, p in enumerate(("adult", "child", "infant"))
            ]
        ),
        metadata=ops,
    )
    day = (datetime.now(ZoneInfo("Asia/Singapore")) + timedelta(days=90)).date()
    at = lambda d, h: datetime(d.year, d.month, d.day, h, tzinfo=ZoneInfo("Asia/Singapore"))  # noqa: E731
    f0 = await fl.CreateFlight(flight_request(x, a, await world.plane(x), at(day, 8)), metadata=ops)
    f1 = await fl.CreateFlight(flight_request(x, a, await world.plane(x), at(day + timedelta(days=1), 8)), metadata=ops)
    f2 = await fl.CreateFlight(flight_request(x, a, await world.plane(x), at(day + timedelta(days=2), 8)), metadata=ops)
    cancelled = await fl.CreateFlight(flight_request(x, a, await world.plane(x), at(day, 12)), metadata=ops)
    await fl.CancelFlight(pb.CancelFlightRequest(flight_id=cancelled.id, reason="x"), metadata=ops)

    def search(**kw: object) -> pb.SearchRequest:
        base: dict[str, object] = dict(
            origin=x, destination=a, departure_date=day.isoformat(), adults=1, cabin_class="normal", trip_type="one_way"
        )
        return pb.SearchRequest(**{**base, **kw})  # type: ignore[arg-type]

    ids = lambda reply: [o.legs[0].flight.id for o in reply.offers]  # noqa: E731
    assert ids(await fares.Search(search())) == [f0.id]
    assert ids(await fares.Search(search(flexible_days=1))) == [f0.id, f1.id]
    assert ids(await fares.Search(search(departure_date=(day + timedelta(days=1)).isoformat(), flexible_days=1))) == [
        f0.id,
        f1.id,
        f2.id,
    ]
    # 9 seats: more than the 8 VIP seats (infants sit on laps and need none)
    assert ids(await fares.Search(search(cabin_class="vip", adults=5, children=4))) == []
    assert ids(await fares.Search(search(cabin_class="vip", adults=4, children=4, infants=1))) == [f0.id]
    one = (await fares.Search(search(adults=2, children=1, infants=1))).offers[0]
    assert one.total == 2 * 1000 + 2000 + 3000
    # no round-trip fares: round trips are not offered
    assert not (
        await fares.Search(search(trip_type="round_trip", return_date=(day + timedelta(days=3)).isoformat()))
    ).offers

    for kw, message in [
        ({"adults": 0}, "adult"),
        ({"adults": 1, "infants": 2}, "infant"),
        ({"adults": 5, "children": 5}, "at most 9"),
        ({"cabin_class": "first"}, "cabin_class"),
        ({"trip_type": "round_trip"}, "return_date"),
        ({"trip_type": "round_trip", "return_date": (day - timedelta(days=1)).isoformat()}, "return_date"),
        ({"departure_date": "tomorrow"}, "departure_date"),
        ({"flexible_days": 4}, "flexible_days"),
        ({"destination": x}, "differ"),
    ]:
        assert message in await expect(INVALID, fares.Search(search(**kw)))


async def test_search_among_thousands_of_flights_answers_max_offers_and_leaves_out_the_nearly_full(
    fares: FareServiceStub, world: World, ops: Metadata, services: dict[str, RunningService]
) -> None:
    from airline.flights import store

    x, a = await world.airport("Asia/Singapore"), await world.airport("Asia/Kuala_Lumpur")
    await fares.SetFares(
        pb.SetFaresRequest(
            fares=[
                pb.Fare(
                    origin=o,
                    destination=d,
                    cabin_class="normal",
                    passenger_type=p,
                    trip_type=t,
                    amount=10000,
                    currency="SGD",
                )
                for o, d in ((x, a), (a, x))
                for p in ("adult", "child", "infant")
                for t in ("one_way", "round_trip")
            ]
        ),
        metadata=ops,
    )
    # 60 days x 12 flights a day each way, written straight to the table (creation has its own tests)
    first = (datetime.now(ZoneInfo("Asia/Singapore")) + timedelta(days=100)).date()
    rows, cabins = [], []
    for day in range(60):
        d = first + timedelta(days=day)
        for i in range(12):
            for origin, dest, zone_ in ((x, a, "Asia/Singapore"), (a, x, "Asia/Kuala_Lumpur")):
                dep = datetime(d.year, d.month, d.day, 6 + i, 0, tzinfo=ZoneInfo(zone_)).astimezone(UTC)
                fid = str(uuid.uuid4())
                rows.append(
                    dict(
                        id=fid,
                        number=f"TP{len(rows) % 9999 + 1}",
                        origin=origin,
                        destination=dest,
                        origin_time_zone=zone_,
                        destination_time_zone="UTC",
                        plane_id="P1",
                        gate=f"B{len(rows)}",
                        status="scheduled",
                        scheduled_departure=dep,
                        scheduled_arrival=dep + H,
                        estimated_departure=dep,
                        estimated_arrival=dep + H,
                        boarding_starts=dep - 40 * M,
                        departure_local_date=d,
                    )
                )
                cabins += [
                    dict(flight_id=fid, cabin_class="normal", capacity=150, sold=min(150, i * 14)),
                    dict(flight_id=fid, cabin_class="vip", capacity=8, sold=0),
                ]
    db = services["flights"].runtime.db
    async with db.uow() as uow:
        await uow.conn.execute(store.flights.insert(), rows)
        await uow.conn.execute(store.flight_cabins.insert(), cabins)
        await uow.commit()
    assert len(rows) >= 1000

    day = first + timedelta(days=30)
    request = pb.SearchRequest(
        origin=x,
        destination=a,
        departure_date=day.isoformat(),
        flexible_days=3,
        adults=2,
        children=1,
        cabin_class="normal",
        trip_type="round_trip",
        return_date=(day + timedelta(days=2)).isoformat(),
    )
    await fares.Search(request)  # warm up
    started = time.perf_counter()
    reply = await fares.Search(request)
    elapsed = time.perf_counter() - started
    print(f"\nsearch over {len(rows)} flights, 3 days either side: {elapsed * 1000:.0f} ms")  # a figure, not a claim
    assert len(reply.offers) == DEFAULT_OFFERS  # the cheapest, of 7 x 11 outbounds by about as many returns
    # the busiest flights (sold out down to < 3 seats) are left out
    assert all(leg.seats_left >= 3 for o in reply.offers for leg in o.legs)
    one_way = pb.SearchRequest(
        origin=x,
        destination=a,
        departure_date=day.isoformat(),
        flexible_days=3,
        adults=1,
        cabin_class="normal",
        trip_type="one_way",
    )
    one_way.max_offers = 200
    every = (await fares.Search(one_way)).offers
    assert len(every) == 7 * 11  # the 17:00 flights are sold out
    one_way.max_offers = 0  # the default: the cheapest 50, by departure at one price
    cheapest = (await fares.Search(one_way)).offers
    assert [o.legs[0].flight.id for o in cheapest] == [o.legs[0].flight.id for o in every[:DEFAULT_OFFERS]]
