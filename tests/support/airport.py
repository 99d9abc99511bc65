"""Helpers of the airport service's gRPC tests: fresh airports and planes, commitment requests."""
from __future__ import annotations

import random
import string
import uuid
from datetime import datetime, timedelta, timezone

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from airline.airport import seed as airport_seed
from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub

Metadata = tuple[tuple[str, str], ...]


T0 = datetime(2027, 3, 1, 8, 0, tzinfo=timezone.utc)


H = timedelta(hours=1)


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


def plane_id() -> str:
    return "T" + uuid.uuid4().hex[:8].upper()


def registration() -> str:
    return "TT-" + uuid.uuid4().hex[:6].upper()


async def expect(code: grpc.StatusCode, call) -> grpc.aio.AioRpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, info.value.details()
    return info.value


async def new_airport(stub: AirportServiceStub, ops: Metadata, country: str = "ZZ") -> str:
    """A fresh airport with a random code, so tests sharing the session database never meet."""
    while True:
        code = "".join(random.choices(string.ascii_uppercase, k=3))
        # Q.. codes stand for "unknown airport" in the refusal tests (QQZ); a random one must never exist
        if code in airport_seed.SEED_AIRPORT_CODES or code.startswith("Q"):
            continue
        try:
            await stub.CreateAirport(
                pb.CreateAirportRequest(code=code, name=f"Test {code}", city="Testville", country=country, time_zone="UTC"),
                metadata=ops,
            )
            return code
        except grpc.aio.AioRpcError as e:
            if e.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise


async def new_plane(stub: AirportServiceStub, ops: Metadata, home: str, status: str = "") -> pb.Plane:
    return await stub.CreatePlane(
        pb.CreatePlaneRequest(
            id=plane_id(), registration=registration(), aircraft_type="A320-200", status=status,
            home_airport=home, layout=A320,
        ),
        metadata=ops,
    )


def commit_request(ref: str, plane: str, origin: str, dest: str, start: datetime, end: datetime) -> pb.CommitPlaneRequest:
    return pb.CommitPlaneRequest(
        reference=ref, plane_id=plane, origin=origin, destination=dest, starts_at=ts(start), ends_at=ts(end)
    )


A320 = pb.SeatLayout(
    cabins=[
        pb.Cabin(cabin_class="vip", first_row=1, last_row=2, seat_letters="AC DF"),
        pb.Cabin(cabin_class="normal", first_row=3, last_row=27, seat_letters="ABC DEF"),
    ],
    exit_rows=[12, 13],
    blocked_seats=["27A"],
)
