"""Composition root of the booking service: the ports over gRPC, the unit of work over the
service's database, the use cases, the event handlers and the recovery job."""

from __future__ import annotations

from airline.booking import compensation, consumers, store
from airline.booking.adapters import grpc_ports
from airline.booking.changes_ports import grpc_fares
from airline.booking.grpc_api import BookingApi
from airline.booking.reaccommodation_ports import grpc_disruption
from airline.booking.service import BookingService
from airline.booking.settings import BookingSettings
from airline.booking.v1 import booking_pb2, booking_pb2_grpc
from airline.platform.periodic import every
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts
from airline.platform.secret_files import local_secret
from airline.platform.settings import PlatformSettings


def fingerprint_key(settings: BookingSettings, platform: PlatformSettings) -> bytes:
    """The key of this service's HMACs (pay-request fingerprints, guests' addresses): as the
    settings read it (AIRLINE_BOOKING_FINGERPRINT_KEY, its _FILE or the secrets folder), or
    (local mode only) a random one kept in the data directory."""
    if settings.fingerprint_key is not None:
        value = settings.fingerprint_key.get_secret_value().strip()
    elif platform.env == "local":
        value = local_secret(platform.data_dir, "booking-fingerprint-key")
    else:
        raise RuntimeError("AIRLINE_BOOKING_FINGERPRINT_KEY (or _FILE) is required outside local mode")
    if len(value) < 16:
        raise RuntimeError("the booking fingerprint key must be at least 16 characters")
    return value.encode()


def build_service(rt: Runtime, settings: BookingSettings | None = None) -> BookingService:
    settings = settings or BookingSettings()
    compensation.load_policy(settings.compensation_policy)  # a broken policy stops the start, not a claim
    # each call's deadline follows the settings the service has at the time (tests replace them)
    ports = grpc_ports(rt.channel, rt.acting_as_system, lambda: service.settings.call_timeout_seconds)
    disruption = grpc_disruption(rt.channel, rt.acting_as_system, lambda: service.settings.call_timeout_seconds)
    service = BookingService(
        rt.db,
        settings,
        ports,
        rt.settings.secret("booking_manage_key"),
        fingerprint_key(settings, rt.settings),
        disruption,
        grpc_fares(rt.channel, rt.acting_as_system, lambda: service.settings.call_timeout_seconds),
    )
    return service


class BookingParts(ServiceParts):
    """The parts, plus the use cases (tests drive recovery and crashes through them)."""

    service: BookingService


async def build(rt: Runtime) -> ServiceParts:
    settings = BookingSettings()
    service = build_service(rt, settings)
    api = BookingApi(service)

    async def recovery() -> None:
        """Finish or compensate payment sagas a dead process left behind; expire old drafts;
        pay the compensation claims a dead request left pending."""
        await service.recover()
        await service.rights.finish_pending()
        if service.changes is not None:  # voluntary changes a dead request left half way
            with rt.acting_as_system():
                await service.changes.recover(settings.stale_payment_seconds)
        if service.ancillaries is not None:  # paid ancillaries a dead request left half way
            with rt.acting_as_system():
                await service.ancillaries.recover(settings.stale_payment_seconds)

    async def reaccommodation() -> None:
        """Re-accommodation runs the consumer recorded; proposals past their deadline applied."""
        if service.reaccommodation is not None:
            with rt.acting_as_system():
                await service.reaccommodation.work()

    # the consumer wakes the worker when a flight change recorded a run; between changes it only
    # looks for proposals past their deadline and decisions a dead request left, which wait minutes
    reaccommodation_wake = service.reaccommodation_wake
    handlers = consumers.handlers(settings, reaccommodation_wake)
    parts = BookingParts(
        register=[lambda server: booking_pb2_grpc.add_BookingServiceServicer_to_server(api, server)],
        full_names=[booking_pb2.DESCRIPTOR.services_by_name["BookingService"].full_name],
        consumers=[rt.consumer(handlers, session_timeout_ms=6_000)] if rt.settings.kafka_bootstrap_servers else [],
        jobs=[
            every(lambda: settings.recovery_interval_seconds, recovery, name="booking-recovery"),
            every(
                lambda: settings.reaccommodation_interval_seconds,
                reaccommodation,
                name="booking-reaccommodation",
                wake=reaccommodation_wake,
            ),
        ],
    )
    parts.service = service
    return parts


SERVICE = ServiceDefinition(name="booking", metadata=store.metadata, migrations_package="airline.booking", build=build)
