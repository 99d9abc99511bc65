"""Composition root of the flights service."""

from __future__ import annotations

from airline.flights import consumers, tables
from airline.flights.airport_client import AirportClient
from airline.flights.baggage_client import BaggageClient
from airline.flights.fares import FareService, OfferCodec
from airline.flights.grpc_api import FareApi, FlightApi
from airline.flights.service import FlightService
from airline.flights.settings import FlightsSettings
from airline.flights.v1 import flights_pb2, flights_pb2_grpc
from airline.platform.periodic import every
from airline.platform.runtime import Runtime, ServiceDefinition, ServiceParts


def build_services(rt: Runtime, settings: FlightsSettings) -> tuple[FlightService, FareService]:
    airport = AirportClient(rt.channel("airport"))
    flights = FlightService(rt.db, airport, settings)
    flights.baggage = BaggageClient(rt.channel("baggage"))  # "departed" asks it (bag reconciliation)
    fares = FareService(
        rt.db, airport, settings, OfferCodec(rt.settings.secret("flights_offer_key"), settings.offer_ttl_seconds)
    )
    return flights, fares


async def build(rt: Runtime) -> ServiceParts:
    settings = FlightsSettings()
    flights, fares = build_services(rt, settings)
    flight_api, fare_api = FlightApi(flights), FareApi(fares)

    async def revenue_metrics() -> None:
        """Load factor, revenue per flight and today's bookings as gauges; and drafts' expired
        claims are forgotten (they count for nothing already)."""
        await fares.revenue.refresh_metrics()
        await fares.revenue.forget_expired_claims()

    async def recovery() -> None:
        """Undo creations that died half-way and retry plane releases."""
        with rt.acting_as_system():
            await flights.recover()

    return ServiceParts(
        register=[
            lambda server: flights_pb2_grpc.add_FlightServiceServicer_to_server(flight_api, server),
            lambda server: flights_pb2_grpc.add_FareServiceServicer_to_server(fare_api, server),
        ],
        full_names=[
            flights_pb2.DESCRIPTOR.services_by_name["FlightService"].full_name,
            flights_pb2.DESCRIPTOR.services_by_name["FareService"].full_name,
        ],
        # confirmed and cancelled bookings move the seats sold (seats_left in search and views)
        consumers=[rt.consumer(consumers.handlers(fares.codec.sold), session_timeout_ms=6_000)]
        if rt.settings.kafka_bootstrap_servers
        else [],
        jobs=[
            every(lambda: settings.recovery_interval_seconds, recovery, name="flights-recovery"),
            every(lambda: settings.revenue_metrics_interval_seconds, revenue_metrics, name="flights-revenue-metrics"),
        ],
    )


SERVICE = ServiceDefinition(name="flights", metadata=tables.metadata, migrations_package="airline.flights", build=build)
