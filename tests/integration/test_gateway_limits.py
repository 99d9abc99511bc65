"""The gateway's abuse limits hold behind a real reverse proxy: NGINX in front of a gateway
served as `airline serve gateway` serves it (gateway/serve.py), trusting one proxy hop.
A client that writes its own X-Forwarded-For cannot pick a fresh address per request."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import uvicorn

from airline.gateway.serve import server_config
from airline.gateway.settings import GatewaySettings
from airline.platform.settings import PlatformSettings
from tests.support.factories import email as _email
from tests.support.http import ADMIN_EMAIL, ADMIN_PASSWORD, free_port

PROBLEM = "application/problem+json"
PNR_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # the booking service's
NGINX_SITE = """
server {{
    listen 127.0.0.1:{port};
    location / {{
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_pass http://127.0.0.1:{upstream};
    }}
}}
"""
NGINX_CONF = """
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
{site}
}}
"""


# Every test below passes its own window length: counters are keyed by limit, window and
# address, so tests sharing the session's Redis (and the address 127.0.0.1) never meet.


@asynccontextmanager
async def served_gateway(settings: PlatformSettings, gw: GatewaySettings) -> AsyncIterator[int]:
    """A gateway configured exactly as `airline serve gateway` runs it, on its own port."""
    port = free_port()
    server = uvicorn.Server(
        server_config(
            settings, gw, host="127.0.0.1", port=port, log_level="warning", log_config=uvicorn.config.LOGGING_CONFIG
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def nginx_in_front(upstream: int) -> AsyncIterator[str]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is missing: it is in tools/system-packages.txt"
    prefix = Path(tempfile.mkdtemp(prefix="airline-nginx-limits-"))
    prefix.chmod(0o755)  # nginx's workers run unprivileged when started as root
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir()
        (prefix / sub).chmod(0o777)
    port = free_port()
    (prefix / "nginx.conf").write_text(NGINX_CONF.format(site=NGINX_SITE.format(port=port, upstream=upstream)))
    argv = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    proc = subprocess.Popen(
        [*argv, "-g", "daemon off;"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            deadline = asyncio.get_running_loop().time() + 15
            while True:
                assert proc.poll() is None, (prefix / "logs" / "error.log").read_text()
                try:
                    if (await client.get("/healthz")).status_code in (200, 503):
                        break
                except httpx.HTTPError:
                    pass
                assert asyncio.get_running_loop().time() < deadline, "nginx did not answer"
                await asyncio.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(prefix, ignore_errors=True)


def assert_429(r: httpx.Response) -> dict:
    assert r.status_code == 429, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert int(r.headers["retry-after"]) >= 1
    body = r.json()
    assert body["code"] == "rate_limited"
    return body


async def test_the_login_limit_holds_with_forged_forwarded_for_chains_through_one_proxy(
    settings: PlatformSettings,
) -> None:
    gw = GatewaySettings(
        trusted_proxy_hops=1,
        login_failure_limit_per_address=3,
        login_failure_window_seconds=3602,
        login_failure_limit_per_account=1000,
    )
    async with served_gateway(settings, gw) as port, nginx_in_front(port) as url:
        async with httpx.AsyncClient(base_url=url, timeout=20) as client:
            forged = ["203.0.113.7", "198.51.100.1, 203.0.113.99", "10.0.0.1", "192.0.2.44, 192.0.2.45"]
            statuses = []
            for i, chain in enumerate(forged):
                # a different account each time: only the per-address budget can trip
                r = await client.post(
                    "/api/v1/auth/login",
                    json={"email": _email(f"nobody{i}"), "password": "wrong"},
                    headers={"X-Forwarded-For": chain},
                )
                statuses.append(r.status_code)
            assert statuses == [401, 401, 401, 429], statuses
            assert_429(r)
            # the limit counts failures only of this address: the right password is refused too
            # while it lasts (an attacker who guessed it must still wait)
            r = await client.post(
                "/api/v1/auth/login",
                json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                headers={"X-Forwarded-For": "172.16.5.5"},
            )
            assert_429(r)


async def test_failed_logins_are_limited_per_account_across_addresses(settings: PlatformSettings) -> None:
    """Wrong passwords for one account from many (really different) addresses: a second proxy
    hop is trusted here, so each forged entry is a distinct client; the account still locks."""
    gw = GatewaySettings(
        trusted_proxy_hops=2,
        login_failure_limit_per_account=3,
        login_failure_window_seconds=3603,
        login_failure_limit_per_address=1000,
    )
    email = _email("target")
    async with served_gateway(settings, gw) as port, nginx_in_front(port) as url:
        async with httpx.AsyncClient(base_url=url, timeout=20) as client:
            statuses = []
            for i in range(4):
                r = await client.post(
                    "/api/v1/auth/login",
                    json={"email": email.upper() if i % 2 else email, "password": "wrong"},
                    headers={"X-Forwarded-For": f"198.51.100.{i + 1}"},
                )
                statuses.append(r.status_code)
            assert statuses == [401, 401, 401, 429], statuses
            assert_429(r)
            # another account from the same addresses is not affected
            r = await client.post(
                "/api/v1/auth/login",
                json={"email": _email("other"), "password": "wrong"},
                headers={"X-Forwarded-For": "198.51.100.1"},
            )
            assert r.status_code == 401, r.text


async def test_sign_ups_are_limited_per_address_and_per_email(settings: PlatformSettings) -> None:
    gw = GatewaySettings(
        trusted_proxy_hops=1, signup_limit_per_address=3, signup_limit_per_email=2, signup_window_seconds=3604
    )
    async with served_gateway(settings, gw) as port, nginx_in_front(port) as url:
        async with httpx.AsyncClient(base_url=url, timeout=20) as client:

            async def sign_up(email: str, forged: str) -> httpx.Response:
                return await client.post(
                    "/api/v1/auth/signup",
                    headers={"X-Forwarded-For": forged},
                    json={"email": email, "password": "long-enough-password", "full_name": "Ann"},
                )

            email = _email("twice")
            assert (await sign_up(email, "203.0.113.1")).status_code == 201
            assert (await sign_up(email, "203.0.113.2")).status_code == 409
            assert_429(await sign_up(email, "203.0.113.3"))  # the e-mail's budget (2) is spent
            # the address's budget (3) was spent by those three, whatever the forged entries said
            assert_429(await sign_up(_email("fresh"), "203.0.113.4"))


async def test_uvicorn_leaves_the_client_address_to_the_gateway(settings: PlatformSettings) -> None:
    """Straight to the gateway (no proxy, trusted hops 0): a forged X-Forwarded-For is ignored."""
    gw = GatewaySettings(
        trusted_proxy_hops=0,
        login_failure_limit_per_address=2,
        login_failure_window_seconds=3605,
        login_failure_limit_per_account=1000,
    )
    async with served_gateway(settings, gw) as port:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
            statuses = []
            for i in range(3):
                r = await client.post(
                    "/api/v1/auth/login",
                    json={"email": _email("x"), "password": "wrong"},
                    headers={"X-Forwarded-For": f"192.0.2.{i + 1}"},
                )
                statuses.append(r.status_code)
            assert statuses == [401, 401, 429], statuses


async def test_failed_pnr_lookups_are_limited_per_address_and_per_pnr(settings: PlatformSettings) -> None:
    gw = GatewaySettings(
        trusted_proxy_hops=1,
        lookup_failure_limit_per_address=3,
        lookup_failure_limit_per_pnr=2,
        lookup_failure_window_seconds=3606,
    )
    async with served_gateway(settings, gw) as port, nginx_in_front(port) as url:
        async with httpx.AsyncClient(base_url=url, timeout=20) as client:

            async def find(pnr: str, forged: str) -> httpx.Response:
                return await client.get(
                    "/api/v1/bookings/lookup",
                    params={"pnr": pnr, "last_name": "Nobody"},
                    headers={"X-Forwarded-For": forged},
                )

            pnr = "".join(secrets.choice(PNR_ALPHABET) for _ in range(6))
            assert (await find(pnr, "203.0.113.1")).status_code == 404
            assert (await find(pnr, "203.0.113.2")).status_code == 404
            assert_429(await find(pnr, "203.0.113.3"))  # this PNR's budget (2)
            other = "".join(secrets.choice(PNR_ALPHABET) for _ in range(6))
            assert (await find(other, "203.0.113.4")).status_code == 404  # the address's 3rd failure
            assert_429(await find(other[::-1], "203.0.113.5"))  # the address's budget (3) is spent


async def test_check_in_guesses_are_limited_per_code_and_per_address(settings: PlatformSettings) -> None:
    """One code tried from many addresses (two hops trusted: each forged entry is a client of
    its own) trips the per-code budget; many codes from one address trip the address's."""
    gw = GatewaySettings(
        trusted_proxy_hops=2, checkin_guess_limit=4, checkin_guess_limit_per_code=3, checkin_guess_window_seconds=3607
    )
    async with served_gateway(settings, gw) as port, nginx_in_front(port) as url:
        async with httpx.AsyncClient(base_url=url, timeout=20) as client:

            async def guess(code: str, address: str) -> httpx.Response:
                return await client.post(
                    "/api/v1/checkin", json={"code": code, "last_name": "Guess"}, headers={"X-Forwarded-For": address}
                )

            code = "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(8))
            assert [(await guess(code, f"198.51.100.{i}")).status_code for i in (1, 2, 3)] == [404, 404, 404]
            assert_429(await guess(code.lower(), "198.51.100.4"))  # this code's budget, however it is typed
            assert (await guess(code[::-1], "198.51.100.4")).status_code == 404  # another code is not affected
            # one address: its budget (4) spans codes
            statuses = []
            for _ in range(5):
                other = "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(8))
                statuses.append((await guess(other, "192.0.2.9")).status_code)
            assert statuses == [404, 404, 404, 404, 429], statuses
