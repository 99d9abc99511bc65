"""Composition root of the checkin service."""
from __future__ import annotations

import hashlib

from airline.booking.v1.booking_pb2_grpc import BookingServiceStub
from airline.checkin import store
from airline.checkin.grpc_api import CheckinApi
from airline.checkin.service import CheckinService, Clients
from airline.checkin.settings import CheckinSettings
from airline.checkin.v1 import checkin_pb2, checkin_pb2_grpc
from airline.flights.v1.flights_pb2_grpc import FlightServiceStub
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts, jwt_secret
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub


def code_key(rt: Runtime, settings: CheckinSettings) -> bytes:
    """The HMAC key of stored codes: its own secret, else one derived from the JWT secret
    (which local mode generates and production requires)."""
    if settings.code_secret is not None:
        return settings.code_secret.get_secret_value().encode()
    return hashlib.sha256(("checkin-code:" + jwt_secret(rt.settings)).encode()).digest()


class CheckinParts(ServiceParts):
    """The parts, plus the use cases (tests move its clock)."""

    service: CheckinService


async def build(rt: Runtime) -> ServiceParts:
    settings = CheckinSettings()
    clients = Clients(FlightServiceStub(rt.channel("flights")), ReservationServiceStub(rt.channel("reservation")),
                      BookingServiceStub(rt.channel("booking")))
    service = CheckinService(rt.db, settings, clients, rt.acting_as_system, code_key(rt, settings))
    api = CheckinApi(service)
    parts = CheckinParts(
        register=[lambda server: checkin_pb2_grpc.add_CheckinServiceServicer_to_server(api, server)],
        full_names=[checkin_pb2.DESCRIPTOR.services_by_name["CheckinService"].full_name],
        # confirmations issue the codes; cancellations and seat changes keep them true
        consumers=[rt.consumer(service.handlers(), session_timeout_ms=6_000)] if rt.settings.kafka_bootstrap_servers else [],
    )
    parts.service = service
    return parts


SERVICE = ServiceDefinition(name="checkin", metadata=store.metadata, migrations_package="airline.checkin", build=build)
