"""Composition root of the baggage service."""

from __future__ import annotations

from airline.airport.v1 import airport_pb2_grpc
from airline.baggage import store
from airline.baggage.grpc_api import BaggageApi
from airline.baggage.service import BaggageService, Clients
from airline.baggage.settings import BaggageSettings
from airline.baggage.v1 import baggage_pb2, baggage_pb2_grpc
from airline.booking.v1 import booking_pb2_grpc
from airline.flights.v1 import flights_pb2_grpc
from airline.payment.v1 import payment_pb2_grpc
from airline.platform.periodic import every
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts


async def build(rt: Runtime) -> ServiceParts:
    clients = Clients(
        booking=booking_pb2_grpc.BookingServiceStub(rt.channel("booking")),
        flights=flights_pb2_grpc.FlightServiceStub(rt.channel("flights")),
        airport=airport_pb2_grpc.AirportServiceStub(rt.channel("airport")),
        payment=payment_pb2_grpc.PaymentServiceStub(rt.channel("payment")),
    )
    settings = BaggageSettings()
    service = BaggageService(rt.db, settings, clients, rt.acting_as_system)
    api = BaggageApi(service)
    return ServiceParts(
        register=[lambda server: baggage_pb2_grpc.add_BaggageServiceServicer_to_server(api, server)],
        full_names=[baggage_pb2.DESCRIPTOR.services_by_name["BaggageService"].full_name],
        # a cancelled booking's bags are withdrawn
        consumers=[rt.consumer(service.handlers(), session_timeout_ms=6_000)]
        if rt.settings.kafka_bootstrap_servers
        else [],
        jobs=[
            every(
                settings.cleanup_interval_seconds, service.forget_old_keys, name="baggage-forget-old-keys", jitter=0.1
            )
        ],
    )


SERVICE = ServiceDefinition(name="baggage", metadata=store.metadata, migrations_package="airline.baggage", build=build)
