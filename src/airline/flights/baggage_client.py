"""The baggage service as the flights service needs it before "departed": which bags of
passengers offloaded at door close are still loaded, and whether bags are loaded before the
door closed (a bag never flies without its passenger)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import grpc

from airline.baggage.v1 import baggage_pb2 as gpb
from airline.baggage.v1.baggage_pb2_grpc import BaggageServiceStub
from airline.platform.grpc import call

DEADLINE_SECONDS = 5.0


@dataclass(frozen=True)
class BagReconciliation:
    still_loaded: list[str]  # tags of offloaded passengers' bags still in the hold
    door_closed: bool
    loaded_bags: int = 0  # bags in the hold, whoever's


class BaggagePort(Protocol):
    async def reconciliation(self, flight_id: str) -> BagReconciliation: ...


class BaggageClient:
    """Over gRPC; a baggage service that does not answer raises Unavailable (nothing changed)."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.stub = BaggageServiceStub(channel)

    async def reconciliation(self, flight_id: str) -> BagReconciliation:
        r = await call(
            self.stub.GetReconciliation,
            gpb.GetManifestRequest(flight_id=flight_id),
            deadline=DEADLINE_SECONDS,
            idempotent=True,
            who="the baggage service",
        )
        return BagReconciliation(list(r.still_loaded), r.door_closed, r.loaded_bags)
