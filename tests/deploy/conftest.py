"""What the deploy checks run for real: ZooKeeper (Debian, started with QuorumPeerMain on
127.0.0.1 only), a local OTLP receiver, and ONE `airline up` (embedded default, temp data dir)
configured to watch that ZooKeeper and export spans to that receiver; every running check
shares it. Package scope: all of it stops when tests/deploy is done, before the rest of the
suite runs."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.deploy.processes import OtlpReceiver, free_port, stop
from tests.support.platform import Platform, stop_stray_postgres

ZOOKEEPER_JAR = Path("/usr/share/java/zookeeper.jar")


@pytest.fixture(scope="package")
def zookeeper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ZooKeeper server, standalone, listening on 127.0.0.1 only."""
    assert ZOOKEEPER_JAR.exists(), "the Debian zookeeper package is missing (tools/system-packages.txt)"
    folder = tmp_path_factory.mktemp("zookeeper")
    port = free_port()
    (folder / "data").mkdir()
    config = folder / "zoo.cfg"
    config.write_text(
        # ZooKeeper's default tick: a 500 ms tick bounds sessions to 10 s, whose reads a busy
        # machine missed while the JVM was starting
        "tickTime=2000\n"
        f"dataDir={folder / 'data'}\n"
        f"clientPort={port}\n"
        "clientPortAddress=127.0.0.1\n"
        "admin.enableServer=false\n"
        "4lw.commands.whitelist=ruok\n"
    )
    log = open(folder / "zookeeper.log", "w")
    proc = subprocess.Popen(
        [
            "java",
            "-Xmx256m",
            "-cp",
            f"/etc/zookeeper/conf:{ZOOKEEPER_JAR}",
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            str(config),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (folder / "zookeeper.log").read_text()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"ruok")
                    if s.recv(4) == b"imok":
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "ZooKeeper did not start in 30 s"
            time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="package")
def otlp_receiver() -> Iterator[OtlpReceiver]:
    receiver = OtlpReceiver()
    yield receiver
    receiver.server.stop(grace=None)


@pytest.fixture(scope="package")
def platform(
    zookeeper: str, otlp_receiver: OtlpReceiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    """`make run` as a user would start it, plus the production knobs under test."""
    running = Platform(tmp_path_factory.mktemp("deploy-up") / "data")
    running.env.update(
        {
            "AIRLINE_ZOOKEEPER_HOSTS": zookeeper,
            "AIRLINE_TRACING_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_receiver.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "200",
        }
    )
    try:
        took = running.start()
        print(f"\nairline up for the deploy checks: healthy in {took:.1f}s")
        yield running
    finally:
        if running.proc is not None and running.proc.poll() is None:
            running.proc.send_signal(signal.SIGTERM)
            try:
                running.proc.wait(60)
            except subprocess.TimeoutExpired:
                running.proc.kill()
        stop_stray_postgres(running.data_dir / "postgres")
