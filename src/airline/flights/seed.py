"""The seed scenario's fares and a week of round trips from X (XSP) to A, B and C, loaded
through the flights gRPC API so that every rule applies. Running it again creates nothing new
and fails nothing: fares are upserts, and only local dates without their flight are scheduled
(so a later run rolls the week forward)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import grpc

from airline.flights.v1 import flights_pb2 as pb
from airline.flights.v1.flights_pb2_grpc import FareServiceStub, FlightServiceStub
from airline.platform import flight_status

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


async def seed(flight_stub: FlightServiceStub, fare_stub: FareServiceStub, metadata: list[tuple[str, str]]) -> None:
    """Load fares and the coming week's flights; `metadata` must carry an ops or admin token."""
    md = tuple(metadata)
    await fare_stub.SetFares(seed_fares(), metadata=md)
    tomorrow = datetime.now(ZoneInfo(HOME_TZ)).date() + timedelta(days=1)
    wanted = [tomorrow + timedelta(days=i) for i in range(DAYS)]
    for plane, dest, number, back, dep, gate, minutes, back_gate, back_dep, back_minutes in SCHEDULES:
        existing = await flight_stub.ListFlights(pb.ListFlightsRequest(number=number, limit=1000), metadata=md)
        have = {
            datetime.fromtimestamp(f.scheduled_departure.seconds, ZoneInfo(f.origin_time_zone)).date()
            for f in existing.flights
            if not flight_status.is_cancelled(f.status)
        }
        for first, days in _runs([d for d in wanted if d not in have]):
            try:
                await flight_stub.CreateSchedule(
                    pb.CreateScheduleRequest(
                        number=number,
                        origin=HOME,
                        destination=dest,
                        plane_id=plane,
                        gate=gate,
                        departure_local_time=dep,
                        duration_minutes=minutes,
                        first_date=first.isoformat(),
                        days=days,
                        return_number=back,
                        return_gate=back_gate,
                        return_departure_local_time=back_dep,
                        return_duration_minutes=back_minutes,
                    ),
                    metadata=md,
                )
            except grpc.aio.AioRpcError as e:
                # a concurrent seed (or a hand-made flight) got there first: nothing to add
                if e.code() != grpc.StatusCode.ALREADY_EXISTS:
                    raise
