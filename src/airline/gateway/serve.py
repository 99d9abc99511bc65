"""How the gateway process serves HTTP (`airline serve gateway`, started by `airline up` too).

uvicorn's `proxy_headers` (on by default, trusting 127.0.0.1) would replace the client's
address with the right-most X-Forwarded-For entry before the app sees the request; behind a
local proxy (NGINX, a sidecar) that lets any client choose its address per request and
escape every limit. The gateway reads X-Forwarded-For itself, trusting exactly
`AIRLINE_GATEWAY_TRUSTED_PROXY_HOPS` hops (gateway/client_address.py), so uvicorn must leave
the peer address alone.
"""

from __future__ import annotations

from typing import Any

import uvicorn

from airline.gateway.app import create_app
from airline.gateway.settings import GatewaySettings
from airline.platform.settings import PlatformSettings


def server_config(settings: PlatformSettings, gw: GatewaySettings, **overrides: object) -> uvicorn.Config:
    options: dict[str, object] = {
        "host": gw.host,
        "port": gw.port,
        "log_config": None,
        "timeout_graceful_shutdown": 5,
        "proxy_headers": False,
        "forwarded_allow_ips": "",
    }
    options.update(overrides)
    options["proxy_headers"] = False  # never overridable: see the module docstring
    return uvicorn.Config(create_app(settings, gw), **options)  # type: ignore[arg-type]


def serve(settings: PlatformSettings, gw: GatewaySettings | None = None) -> None:
    gw = gw or GatewaySettings()
    if gw.workers == 1:
        uvicorn.Server(server_config(settings, gw)).run()
        return
    # Several processes: uvicorn imports the app in each worker, which builds it from the
    # environment (worker_app); the parent only supervises them.
    uvicorn.run(
        "airline.gateway.serve:worker_app",
        factory=True,
        workers=gw.workers,
        host=gw.host,
        port=gw.port,
        log_config=None,
        timeout_graceful_shutdown=5,
        proxy_headers=False,
        forwarded_allow_ips="",
    )


def worker_app() -> Any:
    """One gateway worker's app, with its own logging and tracing (settings from the environment)."""
    from airline.platform.logging import setup_logging
    from airline.platform.tracing import setup_tracing

    settings = PlatformSettings()
    setup_logging("gateway", settings.log_level, settings.log_json)
    setup_tracing("gateway", settings.tracing_exporter)
    return create_app(settings, GatewaySettings())
