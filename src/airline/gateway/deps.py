"""Per-request access to what the app's lifespan opened (gRPC channels, limiters)."""
from __future__ import annotations

import grpc
from fastapi import Request

from airline.airport.v1 import airport_pb2_grpc
from airline.identity.v1 import identity_pb2_grpc


def channel(request: Request, service: str) -> grpc.aio.Channel:
    return request.app.state.channels[service]  # type: ignore[no-any-return]


def identity(request: Request) -> identity_pb2_grpc.IdentityServiceStub:
    return identity_pb2_grpc.IdentityServiceStub(channel(request, "identity"))


def airport(request: Request) -> airport_pb2_grpc.AirportServiceStub:
    return airport_pb2_grpc.AirportServiceStub(channel(request, "airport"))
