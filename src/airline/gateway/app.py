"""The gateway's composition root: `create_app(settings)` wires the FastAPI app.

Browsers talk only to this app; it reaches services only over gRPC (one channel per service,
opened by the lifespan and shared by every request).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from airline.gateway import health
from airline.gateway.limits import Limits, pnr_lookup_guard
from airline.gateway.live import LiveFeed, LiveHub
from airline.gateway.middleware import GatewayMiddleware, install_request_id_logging
from airline.gateway.problems import PROBLEM_JSON, install_problem_handlers
from airline.gateway.reason import document_reason_header
from airline.gateway.routes import (
    airports,
    auth,
    bag_drop,
    baggage,
    booking_ancillaries,
    booking_changes,
    booking_history,
    booking_passengers,
    booking_search,
    bookings,
    checkin,
    compensation,
    crew,
    crew_roster,
    departure,
    fares,
    flight_status,
    flights,
    inventory,
    live,
    notifications,
    payments,
    planes,
    reaccommodation,
    revenue,
    schedules,
    seats,
)
from airline.gateway.security import OPTIONAL_AUTH_MARKER
from airline.gateway.settings import GatewaySettings
from airline.gateway.web import default_web_dir, mount_web
from airline.platform.auth import TokenVerifier
from airline.platform.grpc import make_channel
from airline.platform.reason import HEADER as REASON_HEADER
from airline.platform.redis import connect_redis
from airline.platform.runtime_config import RuntimeConfig, Tunable
from airline.platform.service_auth import IdentityKeys
from airline.platform.settings import SERVICES, PlatformSettings

log = logging.getLogger(__name__)

API = "/api/v1"
VERSION = "1.0.0"
DESCRIPTION = """\
The public API of the airline platform: passengers search, book and check in; airport, crew,
operations, customer-service and inventory staff do their work.

**Auth**: `POST /api/v1/auth/login` returns a bearer token; send it as
`Authorization: Bearer <token>` (the *Authorize* button here does that for you).
Routes marked *(ops)* need the `ops` role; `admin` may do what any staff role may.

**Errors** are RFC 9457 problem details (`application/problem+json`) with a `request_id`
(also in the `X-Request-ID` response header; send your own to correlate) and, where the
service gave one, a machine-readable `code`.

**Times** are ISO 8601; responses are in UTC, inputs must carry a time zone.
"""
TAGS = [
    {"name": "auth", "description": "Sign up, log in, who am I."},
    {"name": "users", "description": "User and staff-role administration (admin)."},
    {"name": "airports", "description": "Airports in several countries and time zones."},
    {"name": "gates", "description": "An airport's gates (ports) and their status."},
    {"name": "planes", "description": "The fleet, seat layouts and plane availability."},
    {"name": "flights", "description": "Flights, schedules, status, disruptions and announcements."},
    {"name": "fares", "description": "Fares and fare rules (money in minor units + currency)."},
    {"name": "search", "description": "Priced offers for one-way and round trips."},
    {"name": "seats", "description": "Seat maps and seat holds that expire by themselves."},
    {"name": "payments", "description": "Card, e-wallet, bank transfer and voucher payments (Idempotency-Key)."},
    {"name": "inventory", "description": "Meals, entertainment, amenities, stock and flight load plans (inventory)."},
    {"name": "baggage", "description": "Bag drop, excess fees, tags, tracking, live bag status, manifests and search."},
    {
        "name": "checkin",
        "description": "Check-in codes, online and counter check-in, boarding passes (IATA BCBP QR), verification, boarding, no-shows.",
    },
    {
        "name": "departure",
        "description": "Departure control: door close (offloads), gate lists, final manifests, APIS export, "
        "load sheet, bag reconciliation.",
    },
    {
        "name": "notifications",
        "description": "SMS and e-mail to passengers: the sent messages (the local "
        "providers' outbox) and sending one (admin, ops, cs).",
    },
    {"name": "live", "description": "Live flight status and waiting-hall boards (Server-Sent Events)."},
    {
        "name": "health",
        "description": "Liveness of the gateway (/livez) and readiness of the services and dependencies "
        "behind it, with reasons (/readyz).",
    },
]


def create_app(settings: PlatformSettings, gateway_settings: GatewaySettings | None = None) -> FastAPI:
    gw = gateway_settings or GatewaySettings()
    # the gateway holds identity's public keys only (fetched, cached, refetched on a new kid)
    identity_keys = IdentityKeys(settings.grpc_target("identity"), settings.grpc_deadline_seconds)
    verifier = TokenVerifier(identity_keys.jwks, settings.jwt_issuer)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_request_id_logging()
        channels = {name: make_channel(settings.grpc_target(name), settings.grpc_deadline_seconds) for name in SERVICES}
        redis = connect_redis(settings.redis_url) if settings.redis_url else None
        app.state.channels = channels
        app.state.redis = redis  # /readyz reports it
        app.state.limits = abuse = Limits.of(gw, redis)
        limiter = abuse.login
        # the login limit is tunable at run time (ZooKeeper), for every replica at once
        tunables = RuntimeConfig(
            "gateway",
            [
                Tunable("login_rate_limit", gw.login_rate_limit, 0, 1_000_000),
                Tunable("login_rate_window_seconds", gw.login_rate_window_seconds, 1, 86_400),
            ],
            settings.zookeeper_hosts,
            settings.runtime_config_root,
        )
        tunables.on_change("login_rate_limit", lambda v: setattr(limiter, "limit", int(v)))
        tunables.on_change("login_rate_window_seconds", lambda v: setattr(limiter, "window", int(v)))
        tunables.start()
        app.state.live_hub = hub = LiveHub(redis)
        await hub.start()
        feed = LiveFeed(hub, settings.kafka_bootstrap_servers) if settings.kafka_bootstrap_servers else None
        app.state.live_feed = feed
        if feed is not None:
            feed.start()
        try:
            yield
        finally:
            if feed is not None:
                await feed.stop()
            await hub.stop()
            for channel in channels.values():
                await channel.close()
            await app.state.identity_keys.close()
            if redis is not None:
                await redis.aclose()
            await asyncio.to_thread(tunables.stop)

    app = FastAPIOffline(
        title="Airline API",
        version=VERSION,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        openapi_url=f"{API}/openapi.json",
        docs_url=f"{API}/docs",
        redoc_url=f"{API}/redoc",
        swagger_ui_oauth2_redirect_url=f"{API}/docs/oauth2-redirect",
        static_url=f"{API}/docs-assets",
        swagger_ui_parameters={"persistAuthorization": True},
        lifespan=lifespan,
        # FastAPI's own OpenTelemetry spans would wrap (and duplicate) the gateway's SERVER span.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.verifier = verifier
    app.state.identity_keys = identity_keys
    app.state.settings = settings
    app.state.gateway_settings = gw
    install_problem_handlers(app)

    app.include_router(auth.router)
    app.include_router(airports.router)
    app.include_router(planes.router)
    app.include_router(flights.router)
    app.include_router(schedules.router)
    app.include_router(flight_status.router)
    app.include_router(fares.router)
    app.include_router(revenue.router)
    app.include_router(live.router)
    app.include_router(payments.router)
    app.include_router(seats.router)
    # a guest names a booking by PNR + last name on these routes (and on boarding passes, counted
    # by checkin's guard): failed look-ups are limited per address and per PNR
    pnr_guarded = [Depends(pnr_lookup_guard)]
    app.include_router(booking_search.router)  # before bookings: /bookings/search is no booking id
    app.include_router(bookings.router, dependencies=pnr_guarded)
    app.include_router(booking_changes.router, dependencies=pnr_guarded)
    app.include_router(booking_ancillaries.router, dependencies=pnr_guarded)
    app.include_router(booking_history.router, dependencies=pnr_guarded)
    app.include_router(booking_passengers.router, dependencies=pnr_guarded)
    app.include_router(compensation.router)
    app.include_router(reaccommodation.router)
    app.include_router(inventory.router)
    app.include_router(crew.router)
    app.include_router(crew_roster.router)
    app.include_router(bag_drop.router, dependencies=pnr_guarded)
    app.include_router(baggage.router, dependencies=pnr_guarded)
    app.include_router(checkin.router)
    app.include_router(departure.router)
    app.include_router(notifications.router)

    # /livez, /readyz and /healthz (outside /api/v1, like /metrics)
    app.include_router(health.router)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    if gw.web_dir != "":
        mount_web(app, Path(gw.web_dir) if gw.web_dir else default_web_dir())  # after every route: it takes the rest
    _problem_media_type_in_openapi(app)
    document_reason_header(app, API)  # X-Airline-Reason on the booking changes (gateway/reason.py)
    # X-Instance tells which replica answered (behind NGINX, Kong or a Service)
    app.add_middleware(
        GatewayMiddleware,
        instance=gw.instance or f"{socket.gethostname()}:{os.getpid()}",
        access_log=gw.access_log,
        sim_clock=settings.sim_clock_on,
    )
    if gw.cors_origins:
        # outermost, so that error responses carry CORS headers too and browsers can read them
        app.add_middleware(
            CORSMiddleware,
            allow_origins=gw.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID", "traceparent", "tracestate", REASON_HEADER],
            expose_headers=["X-Request-ID", "X-Trace-Id", "Retry-After", "WWW-Authenticate"],
        )
    return app


def _problem_media_type_in_openapi(app: FastAPI) -> None:
    """Document error responses as application/problem+json with the Problem schema (FastAPI
    would say application/json, and HTTPValidationError for 422)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        problem_ref = {"$ref": "#/components/schemas/Problem"}
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith(API):
                continue  # /readyz and /healthz answer 503 with their own report, not a problem
            for operation in operations.values():
                if operation.pop(OPTIONAL_AUTH_MARKER, False):
                    operation["security"] = [{}, {"bearer": []}]
                for status, response in operation.get("responses", {}).items():
                    if status[:1] not in ("4", "5"):
                        continue
                    content = response.setdefault("content", {})
                    body = content.pop("application/json", None) or {}
                    if status == "422" or "schema" not in body:
                        body = {"schema": problem_ref}
                    content[PROBLEM_JSON] = body
        schemas = schema.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            if unused in schemas and unused not in str(schema["paths"]):
                schemas.pop(unused)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
