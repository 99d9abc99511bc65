"""Helpers of the airport service's gRPC tests: fresh airports and planes, commitment requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from airline.airport.v1 import airport_pb2 as pb
from airline.airport.v1.airport_pb2_grpc import AirportServiceStub
from tests.support.factories import airport_code, plane_id, registration

Metadata = tuple[tuple[str, str], ...]


T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


H = timedelta(hours=1)


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


async def expect(code: grpc.StatusCode, call) -> grpc.aio.AioRpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == code, info.value.details()
    return info.value


async def new_airport(stub: AirportServiceStub, ops: Metadata, country: str = "ZZ") -> str:
    """A fresh airport (a factory code), so tests sharing the session database never meet."""
    code = airport_code()
    await stub.CreateAirport(
        pb.CreateAirportRequest(code=code, name=f"Test {code}", city="Testville", country=country, time_zone="UTC"),
        metadata=ops,
    )
    return code


async def new_plane(stub: AirportServiceStub, ops: Metadata, home: str, status: str = "") -> pb.Plane:
    return await stub.CreatePlane(
        pb.CreatePlaneRequest(
            id=plane_id(),
            registration=registration(),
            aircraft_type="A320-200",
            status=status,
            home_airport=home,
            layout=A320,
        ),
        metadata=ops,
    )


def commit_request(
    ref: str, plane: str, origin: str, dest: str, start: datetime, end: datetime
) -> pb.CommitPlaneRequest:
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
