"""The deploy parts that run on this machine, run: Prometheus scrapes every process of
`airline up`; NGINX balances two gateway replicas, streams SSE and answers 429 past its
limit; a ZooKeeper change reaches the running reservation service; spans reach an OTLP
receiver."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import yaml

from airline.platform.settings import SERVICES
from tests.support.deploy.processes import OtlpReceiver, free_port, gateway_env, grpc_port, stop
from tests.support.deploy.tools import DEPLOY, tool
from tests.support.platform import Platform

pytestmark = pytest.mark.e2e


def wait_for(check, timeout: float, what: str, interval: float = 0.3):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{what} within {timeout}s; last: {last!r}")


# ------------------------------------------------------------------------------- Prometheus


def test_prometheus_scrapes_every_process_of_airline_up(platform: Platform, tmp_path: Path) -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "airline-up.yml").read_text())
    config["global"]["scrape_interval"] = "1s"
    config["global"]["evaluation_interval"] = "1s"
    # the kept config names every service of the platform; this checkout runs those in SERVICES
    config["scrape_configs"] = [j for j in config["scrape_configs"] if j["job_name"] in {*SERVICES, "gateway"}]
    for job in config["scrape_configs"]:
        name = job["job_name"]
        # the kept config names `airline up`'s default ports; this run chose free ones
        port = platform.port if name == "gateway" else grpc_port(platform, name) + 1000
        job["static_configs"][0]["targets"] = [f"127.0.0.1:{port}"]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    shutil.copytree(DEPLOY / "prometheus" / "rules", tmp_path / "rules")
    port = free_port()
    log = open(tmp_path / "prometheus.log", "w")
    proc = subprocess.Popen(
        [
            tool("prometheus"),
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api/v1"
    try:

        def all_up() -> list[dict[str, object]] | None:
            assert proc.poll() is None, (tmp_path / "prometheus.log").read_text()[-3000:]
            try:
                targets = httpx.get(f"{api}/targets", timeout=2).json()["data"]["activeTargets"]
            except (httpx.HTTPError, ValueError, KeyError):
                return None
            return targets if targets and all(t["health"] == "up" for t in targets) else None

        targets = wait_for(all_up, 30, "every target up")
        jobs = {t["labels"]["job"] for t in targets}
        assert jobs == {*SERVICES, "gateway"}
        assert len(targets) == len(SERVICES) + 1
        rules = httpx.get(f"{api}/rules").json()["data"]["groups"]
        assert {g["name"] for g in rules} == {"airline-recording", "airline-slo"}
        up = httpx.get(f"{api}/query", params={"query": "sum(up)"}).json()["data"]["result"]
        assert float(up[0]["value"][1]) == len(targets)
    finally:
        stop(proc)
        log.close()


# ------------------------------------------------------------------------------- NGINX


@pytest.fixture(scope="module")
def two_gateways(platform: Platform) -> Iterator[list[int]]:
    """Two more gateway replicas against the same services, Redis and Kafka as `airline up`'s."""
    base_env = gateway_env(platform)
    ports, procs = [free_port(), free_port()], []
    logs = Path(tempfile.mkdtemp(prefix="airline-gateways-"))
    try:
        for i, port in enumerate(ports):
            env = {
                **base_env,
                "AIRLINE_GATEWAY_HOST": "127.0.0.1",
                "AIRLINE_GATEWAY_PORT": str(port),
                "AIRLINE_GATEWAY_INSTANCE": f"replica-{i + 1}",
            }
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "airline", "serve", "gateway"],
                    env=env,
                    stdout=open(logs / f"gateway-{i}.log", "w"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for port, proc in zip(ports, procs):

            def ready(port: int = port, proc: subprocess.Popen[bytes] = proc) -> bool:
                assert proc.poll() is None, "a gateway replica exited"
                try:
                    return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
                except httpx.HTTPError:
                    return False

            wait_for(ready, 30, f"gateway on {port} healthy")
        yield ports
    finally:
        for proc in procs:
            stop(proc)
        shutil.rmtree(logs, ignore_errors=True)


@pytest.fixture(scope="module")
def nginx(two_gateways: list[int]) -> Iterator[str]:
    # its own prefix in /tmp, readable by the unprivileged workers nginx switches to as root
    prefix = Path(tempfile.mkdtemp(prefix="airline-nginx-"))
    prefix.chmod(0o755)
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir()
        (prefix / sub).chmod(0o777)
    port = free_port()
    site = (DEPLOY / "nginx" / "airline.conf").read_text()
    site = site.replace("server 127.0.0.1:8001 ", f"server 127.0.0.1:{two_gateways[0]} ")
    site = site.replace("server 127.0.0.1:8002 ", f"server 127.0.0.1:{two_gateways[1]} ")
    site = site.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")
    assert str(two_gateways[1]) in site and str(port) in site
    (prefix / "airline.conf").write_text(site)
    shutil.copy(DEPLOY / "nginx" / "nginx.conf", prefix / "nginx.conf")
    argv = [tool("nginx"), "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    checked = subprocess.run([*argv, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    proc = subprocess.Popen(
        [*argv, "-g", "daemon off;"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:

        def answers() -> bool:
            assert proc.poll() is None, (prefix / "logs" / "error.log").read_text()
            return _answers(url)

        wait_for(answers, 10, "nginx answering")
        yield url
    finally:
        stop(proc)
        shutil.rmtree(prefix, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_nginx_spreads_requests_over_both_replicas(nginx: str) -> None:
    seen = []
    for _ in range(12):
        r = httpx.get(f"{nginx}/api/v1/airports", timeout=5)
        assert r.status_code == 200, r.text
        seen.append(r.headers["X-Instance"])
    assert set(seen) == {"replica-1", "replica-2"}, seen
    assert min(seen.count("replica-1"), seen.count("replica-2")) >= 3, seen


def test_nginx_streams_server_sent_events(nginx: str) -> None:
    with httpx.stream("GET", f"{nginx}/api/v1/airports/XSP/departures/live", timeout=10) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["X-Accel-Buffering"] == "no"
        assert r.headers["X-Instance"] in {"replica-1", "replica-2"}
        started = time.monotonic()
        lines = []
        for line in r.iter_lines():
            lines.append(line)
            if line.startswith("data:") and "XSP" in line:
                break
        # the snapshot arrives at once while the stream stays open (nothing waits for a buffer to fill)
        assert time.monotonic() - started < 5, lines
        assert any(line.startswith("event:") for line in lines), lines


def test_nginx_limit_req_answers_429_past_the_limit(nginx: str) -> None:
    async def burst() -> list[int]:
        limits = httpx.Limits(max_connections=30)  # under limit_conn: only limit_req may refuse
        async with httpx.AsyncClient(base_url=nginx, limits=limits, timeout=10) as client:
            replies = await asyncio.gather(*(client.get("/api/v1/no-such-route") for _ in range(200)))
        return [r.status_code for r in replies]

    started = time.monotonic()
    statuses = asyncio.run(burst())
    elapsed = time.monotonic() - started
    assert set(statuses) <= {404, 429}, statuses
    # 20 r/s with a burst of 40: at most that many reach the gateways (404), the rest get 429
    allowed = 40 + 20 * elapsed + 2
    assert 20 <= statuses.count(404) <= allowed, (statuses.count(404), elapsed)
    assert statuses.count(429) >= 200 - allowed and statuses.count(429) > 0, (statuses.count(429), elapsed)
    time.sleep(2.5)  # the limit refills at 20/s
    assert httpx.get(f"{nginx}/api/v1/airports", timeout=5).status_code == 200


# ------------------------------------------------------------------------------- ZooKeeper


def test_seat_hold_ttl_follows_zookeeper_without_a_restart(platform: Platform, zookeeper: str) -> None:
    from kazoo.client import KazooClient

    base = platform.base
    login = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": "passenger@airline.local", "password": "passenger-demo-pass"}
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    flights = httpx.get(f"{base}/api/v1/flights", params={"number": "XA101"}).json()["flights"]
    flight_id = flights[-1]["id"]
    seats = httpx.get(f"{base}/api/v1/flights/{flight_id}/seats", headers=headers).json()["seats"]
    free = [s["seat"] for s in seats if s["state"] == "free" and s["cabin_class"] == "normal" and not s["exit_row"]]
    reservation_pid = next(p.pid for p in platform.processes() if p.cmdline()[-2:] == ["serve", "reservation"])

    def hold_ttl(seat: str) -> float:
        r = httpx.post(
            f"{base}/api/v1/flights/{flight_id}/holds",
            headers=headers,
            json={"seats": [{"seat": seat, "passenger_ref": "pax-1", "cabin_class": "normal"}]},
        )
        assert r.status_code == 201, r.text
        hold = r.json()
        httpx.delete(f"{base}/api/v1/holds/{hold['hold_id']}", headers=headers)
        expires, created = (datetime.fromisoformat(hold[k]) for k in ("expires_at", "created_at"))
        return (expires - created).total_seconds()

    assert hold_ttl(free[0]) == 600  # the settings default, ZooKeeper has no znode yet

    zk = KazooClient(hosts=zookeeper)
    zk.start(timeout=30)
    path = "/airline/config/reservation/seat_hold_ttl_seconds"
    try:
        zk.create(path, b"90", makepath=True)
        seat = iter(free[1:])
        assert wait_for(lambda: hold_ttl(next(seat)) == 90, 10, "the new TTL applied")

        zk.set(path, b"not a number")  # refused: the last good value stays
        time.sleep(1)
        assert hold_ttl(next(seat)) == 90

        zk.set(path, b"45")
        assert wait_for(lambda: hold_ttl(next(seat)) == 45, 10, "the second TTL applied")

        zk.delete(path)  # back to the settings default
        assert wait_for(lambda: hold_ttl(next(seat)) == 600, 10, "the default back")
    finally:
        if zk.exists(path):
            zk.delete(path)
        zk.stop()
        zk.close()
    # the same process all along: applied without a restart
    assert next(p.pid for p in platform.processes() if p.cmdline()[-2:] == ["serve", "reservation"]) == reservation_pid


def test_gateway_login_limit_follows_zookeeper(platform: Platform, zookeeper: str) -> None:
    from kazoo.client import KazooClient

    zk = KazooClient(hosts=zookeeper)
    zk.start(timeout=30)
    path = "/airline/config/gateway/login_rate_limit"
    wrong = {"email": "nobody@airline.local", "password": "wrong-password-123"}
    try:
        zk.create(path, b"0", makepath=True)  # 0 = no limit
        time.sleep(1)
        assert all(httpx.post(f"{platform.base}/api/v1/auth/login", json=wrong).status_code == 401 for _ in range(3))
        zk.set(path, b"2")

        def limited() -> bool:
            return httpx.post(f"{platform.base}/api/v1/auth/login", json=wrong).status_code == 429

        assert wait_for(limited, 10, "the login limit applied")
    finally:
        zk.delete(path)
        zk.stop()
        zk.close()
    # the default (30 a minute) is back: the next minute window lets logins through again


# ------------------------------------------------------------------------------- OTLP


def test_spans_are_exported_over_otlp(platform: Platform, otlp_receiver: OtlpReceiver) -> None:
    r = httpx.get(f"{platform.base}/api/v1/airports/XSP")
    assert r.status_code == 200
    trace_id = r.headers["X-Trace-Id"]

    def both_sides() -> set[str]:
        names = {service for service, _, tid in otlp_receiver.spans() if tid == trace_id}
        return names if {"gateway", "airport"} <= names else set()

    names = wait_for(both_sides, 15, "the gateway's and the airport service's spans of one trace")
    assert {"gateway", "airport"} <= names


# ------------------------------------------------------------------------------- chaos (last: it crashes a service)


def test_chaos_experiment_a_crashed_service_comes_back(platform: Platform, tmp_path: Path) -> None:
    experiment = DEPLOY / "chaos" / "service-crash.json"
    assert platform.proc is not None
    env = {
        **os.environ,
        "AIRLINE_API_BASE": platform.base,
        "AIRLINE_UP_PID": str(platform.proc.pid),
        "PYTHONPATH": str(DEPLOY / "chaos"),
    }
    before = {p.pid for p in platform.processes() if p.cmdline()[-2:] == ["serve", "flights"]}
    chaos = [tool("chaos"), "--no-version-check", "--log-file", str(tmp_path / "chaos.log")]
    # in tmp_path: chaostoolkit writes its log and journal into the working directory by default
    checked = subprocess.run(
        [*chaos, "validate", str(experiment)], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    journal = tmp_path / "journal.json"
    done = subprocess.run(
        [*chaos, "run", "--journal-path", str(journal), str(experiment)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    import json

    result = json.loads(journal.read_text())
    assert result["status"] == "completed" and result["steady_states"]["after"]["steady_state_met"], result["status"]
    assert result["run"][0]["output"] == 1  # one flights process was killed...
    after = {p.pid for p in platform.processes() if p.cmdline()[-2:] == ["serve", "flights"]}
    assert after and not after & before  # ...and a new one serves in its place
