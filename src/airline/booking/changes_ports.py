"""What a voluntary change needs from flights beyond re-accommodation's port
(reaccommodation_ports.DisruptionPort: a flight's facts, the departures of a day, free seats,
seats assigned by the seat rules, one flight's seats given back): today's fares of a route, as
flights sells them (ListFares), and its gRPC adapter."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

import grpc

from airline.booking.adapters import _Calls
from airline.flights.v1 import flights_pb2 as fpb
from airline.flights.v1.flights_pb2_grpc import FareServiceStub
from airline.platform.auth import Principal


@dataclass(frozen=True)
class FareLine:
    cabin_class: str
    passenger_type: str
    trip_type: str
    amount: int  # per passenger per flight, minor units
    currency: str


class FaresPort(Protocol):
    async def fares(self, origin: str, destination: str) -> list[FareLine]: ...


class GrpcFares(_Calls):
    def __init__(
        self,
        stub: FareServiceStub,
        system: Callable[[], AbstractContextManager[Principal]],
        timeout: Callable[[], float],
    ) -> None:
        super().__init__(system, timeout)
        self.stub = stub

    async def fares(self, origin: str, destination: str) -> list[FareLine]:
        reply = await self.call(
            self.stub.ListFares, fpb.ListFaresRequest(origin=origin, destination=destination), idempotent=True
        )
        return [
            FareLine(f.cabin_class, f.passenger_type, f.trip_type, int(f.amount), f.currency)
            for f in reply.fares
            if f.origin == origin and f.destination == destination
        ]


def grpc_fares(
    channel: Callable[[str], grpc.aio.Channel],
    system: Callable[[], AbstractContextManager[Principal]],
    timeout: Callable[[], float],
) -> GrpcFares:
    return GrpcFares(FareServiceStub(channel("flights")), system, timeout)
