"""The gateway's access log (issue 16): by default only failed and slow requests are formatted
(a JSON line per request was most of the middleware's cost); `all` and `off` as configured;
metrics count every request either way."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from airline.gateway.middleware import GatewayMiddleware
from airline.platform.metrics import HTTP_REQUESTS


async def ok(request: object) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def missing(request: object) -> PlainTextResponse:
    return PlainTextResponse("no", status_code=404)


def app(mode: str) -> GatewayMiddleware:
    inner = Starlette(routes=[Route("/ok", ok), Route("/missing", missing)])
    return GatewayMiddleware(inner, instance="t", access_log=mode)


async def logged(mode: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="airline.gateway.access"):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app(mode)), base_url="http://t") as c:
            assert (await c.get("/ok", headers={"X-Request-ID": "r-1"})).headers["X-Request-ID"] == "r-1"
            assert (await c.get("/missing")).status_code == 404
    return [r.getMessage().split()[1] for r in caplog.records if r.name == "airline.gateway.access"]


async def test_access_log_modes(caplog: pytest.LogCaptureFixture) -> None:
    before = HTTP_REQUESTS.labels("GET", "/ok", "200")._value.get()
    assert await logged("errors", caplog) == ["/missing"]
    assert await logged("all", caplog) == ["/ok", "/missing"]
    assert await logged("off", caplog) == []
    assert HTTP_REQUESTS.labels("GET", "/ok", "200")._value.get() == before + 3


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        app("verbose")
