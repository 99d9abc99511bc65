"""Per-request access to what the app's lifespan opened (gRPC channels, limiters), and the stubs
of the services that several route modules call.

The stub providers are `async def` although they never await: FastAPI runs a plain `def`
dependency in a worker thread, a hop that cost more than building the stub on every request.
"""

from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import Depends, Request

from airline.airport.v1 import airport_pb2_grpc
from airline.flights.v1 import flights_pb2_grpc
from airline.identity.v1 import identity_pb2_grpc


def channel(request: Request, service: str) -> grpc.aio.Channel:
    return request.app.state.channels[service]  # type: ignore[no-any-return]


async def identity(request: Request) -> identity_pb2_grpc.IdentityServiceStub:
    return identity_pb2_grpc.IdentityServiceStub(channel(request, "identity"))


async def airport(request: Request) -> airport_pb2_grpc.AirportServiceStub:
    return airport_pb2_grpc.AirportServiceStub(channel(request, "airport"))


async def flights(request: Request) -> flights_pb2_grpc.FlightServiceStub:
    return flights_pb2_grpc.FlightServiceStub(channel(request, "flights"))


async def fares(request: Request) -> flights_pb2_grpc.FareServiceStub:
    return flights_pb2_grpc.FareServiceStub(channel(request, "flights"))


AirportService = Annotated[airport_pb2_grpc.AirportServiceStub, Depends(airport)]
FlightService = Annotated[flights_pb2_grpc.FlightServiceStub, Depends(flights)]
FareService = Annotated[flights_pb2_grpc.FareServiceStub, Depends(fares)]
