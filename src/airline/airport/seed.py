"""The seed scenario's airports, gates and fleet, loaded through the airport gRPC API so that
every rule applies. Running it again changes nothing (ALREADY_EXISTS is skipped)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import grpc

from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub

T = TypeVar("T")

HOME = "XSP"  # airport X of the story

# code, name, city, country, IANA time zone, gates
SEED_AIRPORTS: list[tuple[str, str, str, str, str, list[str]]] = [
    ("XSP", "Seletar Airport", "Singapore", "SG", "Asia/Singapore", ["X1", "X2", "X3"]),
    ("AOR", "Sultan Abdul Halim Airport", "Alor Setar", "MY", "Asia/Kuala_Lumpur", ["A1", "A2"]),
    ("BKK", "Suvarnabhumi Airport", "Bangkok", "TH", "Asia/Bangkok", ["B1", "B2"]),
    ("CGK", "Soekarno-Hatta International Airport", "Jakarta", "ID", "Asia/Jakarta", ["C1", "C2"]),
]
# WGS 84 degrees (south and west negative): the routes' distances, for compensation bands
SEED_COORDINATES: dict[str, tuple[float, float]] = {
    "XSP": (1.4169, 103.8678),
    "AOR": (6.1897, 100.3981),
    "BKK": (13.6900, 100.7501),
    "CGK": (-6.1256, 106.6559),
}
SEED_AIRPORT_CODES = [a[0] for a in SEED_AIRPORTS]
SEED_GATES = {a[0]: a[5] for a in SEED_AIRPORTS}

A320_LAYOUT = pb.SeatLayout(
    cabins=[
        pb.Cabin(cabin_class="vip", first_row=1, last_row=2, seat_letters="AC DF"),
        pb.Cabin(cabin_class="normal", first_row=3, last_row=27, seat_letters="ABC DEF"),
    ],
    exit_rows=[12, 13],
)
A321_LAYOUT = pb.SeatLayout(
    cabins=[
        pb.Cabin(cabin_class="vip", first_row=1, last_row=3, seat_letters="AC DF"),
        pb.Cabin(cabin_class="normal", first_row=4, last_row=33, seat_letters="ABC DEF"),
    ],
    exit_rows=[14, 15],
)
# id, registration, aircraft type, layout
SEED_PLANES: list[tuple[str, str, str, pb.SeatLayout]] = [
    ("P1", "9V-XA1", "A320-200", A320_LAYOUT),
    ("P2", "9V-XA2", "A320-200", A320_LAYOUT),
    ("P3", "9V-XA3", "A320-200", A320_LAYOUT),
    ("P4", "9V-XA4", "A321neo", A321_LAYOUT),
    ("P5", "9V-XA5", "A321neo", A321_LAYOUT),
]
SEED_PLANE_IDS = [p[0] for p in SEED_PLANES]
# sellable seats per cabin, as the service computes them (no blocked seats in the seed)
SEED_CAPACITY = {"A320-200": {"vip": 2 * 4, "normal": 25 * 6}, "A321neo": {"vip": 3 * 4, "normal": 30 * 6}}


async def _skip_existing(call: Awaitable[T]) -> T | None:
    try:
        return await call
    except grpc.aio.AioRpcError as e:
        if e.code() != grpc.StatusCode.ALREADY_EXISTS:
            raise
        return None


async def seed(stub: AirportServiceStub, metadata: list[tuple[str, str]]) -> None:
    """Create the seed airports, gates and planes; `metadata` must carry an ops or admin token."""
    md = tuple(metadata)
    for code, name, city, country, zone, gates in SEED_AIRPORTS:
        lat, lon = SEED_COORDINATES[code]
        created = await _skip_existing(
            stub.CreateAirport(
                pb.CreateAirportRequest(
                    code=code, name=name, city=city, country=country, time_zone=zone, latitude=lat, longitude=lon
                ),
                metadata=md,
            )
        )
        if created is None:  # seeded before airports had coordinates: give them now
            await stub.UpdateAirport(pb.UpdateAirportRequest(code=code, latitude=lat, longitude=lon), metadata=md)
        for gate in gates:
            await _skip_existing(stub.CreateGate(pb.CreateGateRequest(airport_code=code, code=gate), metadata=md))
    for pid, registration, aircraft_type, layout in SEED_PLANES:
        await _skip_existing(
            stub.CreatePlane(
                pb.CreatePlaneRequest(
                    id=pid, registration=registration, aircraft_type=aircraft_type, home_airport=HOME, layout=layout
                ),
                metadata=md,
            )
        )
