"""Composition root of the booking service."""
from __future__ import annotations

import asyncio
import logging
import secrets
from pathlib import Path

from airline.booking import store
from airline.booking.grpc_api import BookingApi
from airline.booking.service import FLIGHT_CANCELLED, FLIGHT_DELAYED, BookingService, Clients
from airline.booking.settings import BookingSettings
from airline.booking.v1 import booking_pb2, booking_pb2_grpc
from airline.flights.v1.flights_pb2_grpc import FareServiceStub, FlightServiceStub
from airline.payment.v1.payment_pb2_grpc import PaymentServiceStub
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts
from airline.platform.settings import PlatformSettings
from airline.reservation.v1.reservation_pb2_grpc import ReservationServiceStub

log = logging.getLogger(__name__)


def fingerprint_key(settings: BookingSettings, platform: PlatformSettings) -> bytes:
    """The key of this service's HMACs (pay-request fingerprints, guests' addresses): from
    AIRLINE_BOOKING_FINGERPRINT_KEY, or the file AIRLINE_BOOKING_FINGERPRINT_KEY_FILE names, or
    (local mode only) a random one kept in the data directory."""
    if settings.fingerprint_key is not None:
        value = settings.fingerprint_key.get_secret_value().strip()
    elif settings.fingerprint_key_file is not None:
        value = Path(settings.fingerprint_key_file).read_text().strip()
    elif platform.env == "local":
        path = Path(platform.data_dir) / "secrets" / "booking-fingerprint-key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        value = path.read_text().strip()
    else:
        raise RuntimeError("AIRLINE_BOOKING_FINGERPRINT_KEY (or _FILE) is required outside local mode")
    if len(value) < 16:
        raise RuntimeError("the booking fingerprint key must be at least 16 characters")
    return value.encode()


def build_service(rt: Runtime, settings: BookingSettings | None = None) -> BookingService:
    settings = settings or BookingSettings()
    clients = Clients(
        fares=FareServiceStub(rt.channel("flights")),
        reservation=ReservationServiceStub(rt.channel("reservation")),
        payment=PaymentServiceStub(rt.channel("payment")),
        flights=FlightServiceStub(rt.channel("flights")),
    )
    return BookingService(rt.db, settings, clients, rt.acting_as_system, rt.settings.secret("booking_manage_key"),
                          fingerprint_key(settings, rt.settings))


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
