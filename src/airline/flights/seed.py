"""The seed scenario's fares and a week of round trips from X (XSP) to A, B and C, loaded
through the flights gRPC API so that every rule applies. Running it again creates nothing new
and fails nothing: fares are upserts, and only local dates without their flight are scheduled
(so a later run rolls the week forward).

Today counts too, so that a platform started at any hour has departures to show and sell: the
timetable's departures still at least an hour ahead, and, once all of today's have gone, one
out-and-back of the spare plane an hour from now (if it still leaves today)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import grpc

from airline.flights.v1 import flights_pb2 as pb
from airline.flights.v1.flights_pb2_grpc import FareServiceStub, FlightServiceStub
from airline.platform import flight_status

log = logging.getLogger(__name__)

HOME = "XSP"
HOME_TZ = "Asia/Singapore"
CURRENCY = "SGD"
DAYS = 7

# destination, normal adult one-way fare (SGD cents)
ROUTES: list[tuple[str, int]] = [("AOR", 12900), ("BKK", 21900), ("CGK", 17900)]

# plane, destination, outbound number, return number, departure (XSP local), gate, minutes,
# return gate, return departure (destination local), return minutes
SCHEDULES: list[tuple[str, str, str, str, str, str, int, str, str, int]] = [
    ("P1", "AOR", "XA101", "XA102", "08:00", "X1", 85, "A1", "15:00", 85),
    ("P2", "BKK", "XA201", "XA202", "09:00", "X2", 145, "B1", "14:30", 150),
    ("P3", "CGK", "XA301", "XA302", "10:00", "X3", 110, "C1", "14:00", 110),
]

# today's departures must leave at least this long after the seed runs: bookable, and check-in
# can open; the spare plane's out-and-back leaves then (on a quarter hour) and turns in an hour
TODAY_LEAD = timedelta(hours=1)
TURNAROUND = timedelta(hours=1)
# plane, destination, outbound number, return number, gate, return gate, minutes each way
SPARE_TODAY: tuple[str, str, str, str, str, str, int] = ("P5", "AOR", "XA151", "XA152", "X2", "A2", 85)

ROUND_TRIP_SHARE = 0.88  # per leg, of the one-way fare
CHILD_SHARE = 0.75
INFANT_SHARE = 0.10
VIP_FACTOR = 2.5


def _round(amount: float) -> int:
    return int(round(amount / 100.0)) * 100  # whole dollars


def fare_amount(one_way_adult_normal: int, cabin_class: str, passenger_type: str, trip_type: str) -> int:
    amount = float(one_way_adult_normal)
    if cabin_class == "vip":
        amount *= VIP_FACTOR
    if trip_type == "round_trip":
        amount *= ROUND_TRIP_SHARE
    amount *= {"adult": 1.0, "child": CHILD_SHARE, "infant": INFANT_SHARE}[passenger_type]
    return _round(amount)


def seed_fares() -> pb.SetFaresRequest:
    fares: list[pb.Fare] = []
    rules: list[pb.FareRules] = []
    for destination, base in ROUTES:
        for origin, dest in ((HOME, destination), (destination, HOME)):
            for cabin in ("normal", "vip"):
                for ptype in ("adult", "child", "infant"):
                    for trip in ("one_way", "round_trip"):
                        fares.append(
                            pb.Fare(
                                origin=origin,
                                destination=dest,
                                cabin_class=cabin,
                                passenger_type=ptype,
                                trip_type=trip,
                                amount=fare_amount(base, cabin, ptype, trip),
                                currency=CURRENCY,
                            )
                        )
                vip = cabin == "vip"
                rules.append(
                    pb.FareRules(
                        origin=origin,
                        destination=dest,
                        cabin_class=cabin,
                        refundable=vip,
                        change_fee=0 if vip else 5000,
                        currency=CURRENCY,
                        checked_bags=2 if vip else 1,
                        bag_weight_kg=32 if vip else 23,
                    )
                )
    return pb.SetFaresRequest(fares=fares, rules=rules)


def _runs(days: list[date]) -> list[tuple[date, int]]:
    """Consecutive dates as (first, count) runs."""
    runs: list[tuple[date, int]] = []
    for d in sorted(days):
        if runs and runs[-1][0] + timedelta(days=runs[-1][1]) == d:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((d, 1))
    return runs


@dataclass(frozen=True)
class TodayPlan:
    """What the seed flies today (local to HOME), decided from the time it runs."""

    timetable: tuple[str, ...]  # outbound numbers of SCHEDULES still at least TODAY_LEAD ahead
    spare_departure: datetime | None  # the spare out-and-back's departure, when none of those is left


def plan_today(now: datetime) -> TodayPlan:
    """`now`: an aware instant. The timetable's departures of today at least TODAY_LEAD ahead;
    when none is, the spare plane's out-and-back at the first quarter hour TODAY_LEAD ahead, if
    that is still today."""
    local = now.astimezone(ZoneInfo(HOME_TZ))
    earliest = local + TODAY_LEAD
    ahead = tuple(
        number
        for _, _, number, _, dep, *_ in SCHEDULES
        if datetime.combine(local.date(), datetime.strptime(dep, "%H:%M").time(), local.tzinfo) >= earliest
    )
    if ahead:
        return TodayPlan(ahead, None)
    quarter = earliest.replace(second=0, microsecond=0)
    quarter += timedelta(minutes=-quarter.minute % 15)
    return TodayPlan((), quarter if quarter.date() == local.date() else None)


async def _fly_spare_today(
    flight_stub: FlightServiceStub, departure: datetime, md: tuple[tuple[str, str], ...]
) -> None:
    plane, dest, number, back, gate, back_gate, minutes = SPARE_TODAY
    today = departure.date()
    existing = await flight_stub.ListFlights(pb.ListFlightsRequest(number=number, limit=1000), metadata=md)
    if any(
        datetime.fromtimestamp(f.scheduled_departure.seconds, ZoneInfo(f.origin_time_zone)).date() == today
        for f in existing.flights
    ):
        return
    out = pb.CreateFlightRequest(
        number=number, origin=HOME, destination=dest, duration_minutes=minutes, plane_id=plane, gate=gate
    )
    out.departure.FromDatetime(departure.astimezone(UTC))
    trip = pb.CreateRoundTripRequest(outbound=out, return_number=back, return_gate=back_gate)
    trip.return_departure.FromDatetime((departure + timedelta(minutes=minutes) + TURNAROUND).astimezone(UTC))
    try:
        await flight_stub.CreateRoundTrip(trip, metadata=md)
    except grpc.aio.AioRpcError as e:
        # a concurrent seed got there first, or ops already gave the plane or gate to another flight
        if e.code() not in (grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.FAILED_PRECONDITION):
            raise
        log.info("seed: no spare out-and-back today (%s)", e.details())


async def seed(
    flight_stub: FlightServiceStub, fare_stub: FareServiceStub, metadata: list[tuple[str, str]]
) -> list[str]:
    """Load fares and the coming week's flights; `metadata` must carry an ops or admin token. A
    day whose plane or gate ops already gave to another flight is left out: the days left out,
    each with the refusal."""
    md = tuple(metadata)
    skipped: list[str] = []
    await fare_stub.SetFares(seed_fares(), metadata=md)
    now = datetime.now(UTC)
    today_plan = plan_today(now)
    today = now.astimezone(ZoneInfo(HOME_TZ)).date()
    week = [today + timedelta(days=i) for i in range(1, DAYS + 1)]
    for plane, dest, number, back, dep, gate, minutes, back_gate, back_dep, back_minutes in SCHEDULES:
        wanted = ([today] if number in today_plan.timetable else []) + week
        existing = await flight_stub.ListFlights(pb.ListFlightsRequest(number=number, limit=1000), metadata=md)
        have = {
            datetime.fromtimestamp(f.scheduled_departure.seconds, ZoneInfo(f.origin_time_zone)).date()
            for f in existing.flights
            if not flight_status.is_cancelled(f.status)
        }
        request = pb.CreateScheduleRequest(
            number=number,
            origin=HOME,
            destination=dest,
            plane_id=plane,
            gate=gate,
            departure_local_time=dep,
            duration_minutes=minutes,
            return_number=back,
            return_gate=back_gate,
            return_departure_local_time=back_dep,
            return_duration_minutes=back_minutes,
        )
        for first, days in _runs([d for d in wanted if d not in have]):
            request.first_date, request.days = first.isoformat(), days
            try:
                await flight_stub.CreateSchedule(request, metadata=md)
            except grpc.aio.AioRpcError as e:
                # a concurrent seed got there first, or ops gave the plane or a gate to a flight of its
                # own on some day of the run: the run is made day by day, without the days taken
                if e.code() not in (grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.FAILED_PRECONDITION):
                    raise
                skipped += await _day_by_day(flight_stub, request, first, days, md)
    if today_plan.spare_departure is not None:
        await _fly_spare_today(flight_stub, today_plan.spare_departure, md)
    return skipped


async def _day_by_day(
    flight_stub: FlightServiceStub,
    request: pb.CreateScheduleRequest,
    first: date,
    days: int,
    md: tuple[tuple[str, str], ...],
) -> list[str]:
    """Each day of a refused run on its own; the days still refused, with why (logged)."""
    skipped: list[str] = []
    for day in (first + timedelta(days=i) for i in range(days)):
        one = pb.CreateScheduleRequest()
        one.CopyFrom(request)
        one.first_date, one.days = day.isoformat(), 1
        try:
            await flight_stub.CreateSchedule(one, metadata=md)
        except grpc.aio.AioRpcError as e:
            if e.code() == grpc.StatusCode.ALREADY_EXISTS:
                continue
            if e.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            log.warning("seed: %s on %s not scheduled: %s", request.number, day.isoformat(), e.details())
            skipped.append(f"{request.number} {day.isoformat()}: {e.details()}")
    return skipped
