"""Composition root of the booking service."""
from __future__ import annotations

import asyncio
import logging

from airline.booking import store
from airline.booking.grpc_api import BookingApi
from airline.booking.service import FLIGHT_CANCELLED, FLIGHT_DELAYED, BookingService, Clients
from airline.booking.settings import BookingSettings
from airline.booking.v1 import booking_pb2, booking_pb2_grpc
from airline.flights.v1.flights_pb2_grpc import FareServiceStub
from airline.payment.v1.payment_pb2_grpc import PaymentServiceStub
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub

log = logging.getLogger(__name__)


def build_service(rt: Runtime, settings: BookingSettings | None = None) -> BookingService:
    clients = Clients(
        fares=FareServiceStub(rt.channel("flights")),
        reservation=ReservationServiceStub(rt.channel("reservation")),
        payment=PaymentServiceStub(rt.channel("payment")),
    )
    return BookingService(rt.db, settings or BookingSettings(), clients, rt.acting_as_system, rt.settings.secret("booking_manage_key"))


class BookingParts(ServiceParts):
    """The parts, plus the use cases (tests drive recovery and crashes through them)."""

    service: BookingService


async def build(rt: Runtime) -> ServiceParts:
    settings = BookingSettings()
    service = build_service(rt, settings)
    api = BookingApi(service)

    async def recovery(stop: asyncio.Event) -> None:
        """Finish or compensate payment sagas a dead process left behind; expire old drafts."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=settings.recovery_interval_seconds)
                return
            except asyncio.TimeoutError:
                pass
            try:
                await service.recover()
            except Exception as e:  # a service or the database may be down: next round
                log.warning("booking recovery pass failed, will retry: %s", e)

    consumers = [rt.consumer(
        {FLIGHT_CANCELLED: service.on_flight_cancelled, FLIGHT_DELAYED: service.on_flight_delayed},
        session_timeout_ms=6_000,
    )] if rt.settings.kafka_bootstrap_servers else []
    parts = BookingParts(
        register=[lambda server: booking_pb2_grpc.add_BookingServiceServicer_to_server(api, server)],
        full_names=[booking_pb2.DESCRIPTOR.services_by_name["BookingService"].full_name],
        consumers=consumers,
        jobs=[recovery],
    )
    parts.service = service
    return parts


SERVICE = ServiceDefinition(
    name="booking", metadata=store.metadata, migrations_package="airline.booking", build=build
)
