"""`make run` for real: `airline up` as a child process, from an empty data directory.

It must become healthy within 120 s, serve the seed scenario, keep data across a restart,
and leave no process behind (services, gateway, postgres, redis, tansu) after Ctrl-C or
SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import psutil
import pytest

from airline.flights.seed import SPARE_TODAY
from airline.platform.settings import SERVICES
from airline.simulate.disruption import SCENE_PLANES
from tests.support.platform import START_BUDGET_S, Platform, names, stop_stray_postgres

pytestmark = pytest.mark.e2e


async def _sql(url: str, statement: str) -> None:
    import sqlalchemy as sa

    from airline.platform.db import make_engine

    engine = make_engine(url, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text(statement))
    finally:
        await engine.dispose()


def test_airline_up_serves_the_seed_survives_restart_and_leaves_nothing(tmp_path: Path) -> None:
    platform = Platform(tmp_path / "data")
    try:
        took = platform.start()
        print(f"\nairline up: healthy {took:.1f}s after start (budget {START_BUDGET_S}s)")

        health = httpx.get(f"{platform.base}/healthz").json()
        assert set(health["services"]) == set(SERVICES)
        assert all(state == "serving" for state in health["services"].values()), health

        airports = httpx.get(f"{platform.base}/api/v1/airports").json()
        codes = {a["code"] for a in (airports["airports"] if isinstance(airports, dict) else airports)}
        assert {"XSP", "AOR", "BKK", "CGK"} <= codes  # X, A, B, C of the seed
        planes = httpx.get(f"{platform.base}/api/v1/planes").json()
        plane_ids = {p["id"] for p in (planes["planes"] if isinstance(planes, dict) else planes)}
        assert {"P1", "P2", "P3", "P4", "P5"} <= plane_ids
        gates = httpx.get(f"{platform.base}/api/v1/airports/XSP/gates").json()
        gate_codes = {g["code"] for g in (gates["gates"] if isinstance(gates, dict) else gates)}
        assert {"X1", "X2", "X3"} <= gate_codes

        # fares and a week of round trips: a passenger finds tomorrow's X -> A flight
        from datetime import date, timedelta

        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        found = httpx.get(
            f"{platform.base}/api/v1/search",
            params={"origin": "XSP", "destination": "AOR", "date": tomorrow, "flexible_days": 1, "adults": 1},
        )
        assert found.status_code == 200, found.text
        offers = found.json()["offers"]
        # the timetable's XA101 (the day before and after too), and today's spare out-and-back
        # when the seed flew one (flexible_days reaches today)
        numbers = {o["legs"][0]["flight"]["number"] for o in offers}
        assert "XA101" in numbers and numbers <= {"XA101", SPARE_TODAY[2]}, numbers
        assert all(o["total"] > 0 and o["currency"] == "SGD" for o in offers)

        # the crew roster and the onboard stock of the seed, for their staff roles
        def staff(role: str) -> dict[str, str]:
            r = httpx.post(
                f"{platform.base}/api/v1/auth/login",
                json={"email": f"{role}@airline.local", "password": f"{role}-demo-pass"},
            )
            assert r.status_code == 200, r.text
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        members = httpx.get(f"{platform.base}/api/v1/crew/members", headers=staff("ops"))
        assert members.status_code == 200, members.text
        assert {m["role"] for m in members.json()["members"]} >= {
            "captain",
            "first_officer",
            "purser",
            "flight_attendant",
        }
        stock = httpx.get(
            f"{platform.base}/api/v1/inventory/stock", params={"airport": "XSP"}, headers=staff("inventory")
        )
        assert stock.status_code == 200 and stock.json()["stock"], stock.text

        # the README's main flow, as a passenger would run it: search -> ... -> pay
        flow = subprocess.run(
            ["bash", str(Path(__file__).resolve().parents[2] / "examples" / "book-a-trip.sh")],
            env={**os.environ, "API": f"{platform.base}/api/v1"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert flow.returncode == 0, flow.stdout + flow.stderr
        assert "('confirmed', '" in flow.stdout and ", 8, 'captured')" in flow.stdout, flow.stdout

        # `airline simulate` drives the whole main flow against it with the demo staff accounts
        sim = subprocess.run(
            [sys.executable, "-m", "airline", "simulate", "--api", platform.base, "--passengers", "4", "--json"],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert sim.returncode == 0, sim.stdout + sim.stderr
        report = json.loads(sim.stdout)
        assert report["passengers"] == report["sms_codes"] == 4 and not report["problems"]
        # the door step plays on the simulation clock (on in local mode): its header crossed every
        # process, so the door closed hours before departure, and a no-show (an adult of a party
        # without a lap infant, when the random parties have one) was offloaded with their bag
        assert report["door"].startswith("closed at") and report["no_shows"] == report["offloaded"] <= 1
        assert report["boarded"] == 4 - report["no_shows"] and report["departed_refused"] == report["no_shows"]
        # and its disruption scene: a delay, a gate change, a cancellation with re-accommodation
        scene = subprocess.run(
            [sys.executable, "-m", "airline", "simulate", "--api", platform.base, "--scene", "disruption", "--json"],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert scene.returncode == 0, scene.stdout + scene.stderr
        disruption = json.loads(scene.stdout)["disruption"]
        assert disruption["cancelled"]["told"] == disruption["cancelled"]["bookings"] == disruption["proposals"] == 3
        assert disruption["delayed"]["told"] == disruption["gate_changed"]["told"] == 2

        # ops (a demo account printed by `airline up`) adds an airport before the restart
        login = httpx.post(
            f"{platform.base}/api/v1/auth/login", json={"email": "ops@airline.local", "password": "ops-demo-pass"}
        )
        assert login.status_code == 200, login.text
        created = httpx.post(
            f"{platform.base}/api/v1/airports",
            json={
                "code": "DAD",
                "name": "Da Nang International Airport",
                "city": "Da Nang",
                "country": "VN",
                "time_zone": "Asia/Ho_Chi_Minh",
            },
            headers={"Authorization": f"Bearer {login.json()['access_token']}"},
        )
        assert created.status_code == 201, created.text

        # every service process serves Prometheus metrics (on its gRPC port + 1000)
        airport_port = int(platform.env["AIRLINE_AIRPORT_GRPC"].rsplit(":", 1)[1])
        metrics = httpx.get(f"http://127.0.0.1:{airport_port + 1000}/metrics").text
        assert (
            'airline_grpc_server_requests_total{code="OK",method="/airline.airport.v1.AirportService/ListAirports",service="airport"}'
            in metrics
        )
        assert "airline_http_requests_total" in httpx.get(f"{platform.base}/metrics").text

        # the fleet now: the seed's, and the planes the disruption scene added for its flights
        fleet = httpx.get(f"{platform.base}/api/v1/planes").json()["planes"]
        assert {p["id"] for p in fleet} == plane_ids | set(SCENE_PLANES)

        left = platform.stop(signal.SIGINT)  # Ctrl-C
        assert not left, f"orphans after Ctrl-C: {names(left)}"

        took = platform.start()
        print(f"airline up (restart): healthy {took:.1f}s after start")
        again = httpx.get(f"{platform.base}/api/v1/airports/DAD")
        assert again.status_code == 200 and again.json()["city"] == "Da Nang"
        # the seed ran again and changed nothing
        planes = httpx.get(f"{platform.base}/api/v1/planes").json()
        assert len(planes["planes"] if isinstance(planes, dict) else planes) == len(fleet)

        left = platform.stop(signal.SIGTERM)
        assert not left, f"orphans after SIGTERM: {names(left)}"
    finally:
        if platform.proc is not None and platform.proc.poll() is None:
            platform.proc.send_signal(signal.SIGTERM)
            try:
                platform.proc.wait(60)
            except subprocess.TimeoutExpired:
                platform.proc.kill()
        stop_stray_postgres(platform.data_dir / "postgres")


def test_airline_up_uses_configured_servers_and_starts_none(tmp_path: Path, stack: dict[str, str]) -> None:
    """With DATABASE_URL, REDIS_URL and KAFKA_BOOTSTRAP_SERVERS set, nothing is embedded."""
    database = f"up_external_{uuid.uuid4().hex[:8]}"  # its own database: other tests keep theirs
    asyncio.run(_sql(stack["DATABASE_URL"], f'CREATE DATABASE "{database}"'))
    external = {**stack, "DATABASE_URL": stack["DATABASE_URL"].replace("/postgres?", f"/{database}?")}
    platform = Platform(tmp_path / "data", external=external)
    try:
        platform.start()
        commands = " ".join(" ".join(p.cmdline()) for p in platform.processes())
        assert "tansu" not in commands and "redis-server" not in commands and "postgres" not in commands
        assert not (platform.data_dir / "postgres").exists()
        assert "embedded" not in platform.log.read_text()
        codes = {a["code"] for a in httpx.get(f"{platform.base}/api/v1/airports").json()["airports"]}
        assert "XSP" in codes
        left = platform.stop(signal.SIGTERM)
        assert not left, f"orphans after SIGTERM: {names(left)}"
    finally:
        if platform.proc is not None and platform.proc.poll() is None:
            platform.proc.kill()
        asyncio.run(_sql(stack["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    # the configured servers are not ours to stop
    assert psutil.pid_exists(
        int((Path(stack["DATABASE_URL"].split("host=")[1]) / "postmaster.pid").read_text().split()[0])
    )
