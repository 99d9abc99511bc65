"""What the deploy checks run for real: ZooKeeper (Debian, started with QuorumPeerMain on
127.0.0.1 only), a local OTLP receiver, and ONE `airline up` (embedded default, temp data dir)
configured to watch that ZooKeeper and export spans to that receiver; every running check
shares it. Package scope: all of it stops when tests/deploy is done, before the rest of the
suite runs."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from concurrent import futures
from pathlib import Path
from typing import Iterator

import grpc
import pytest

from tests.e2e.test_airline_up import Platform, _stop_stray_postgres

ZOOKEEPER_JAR = Path("/usr/share/java/zookeeper.jar")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 15) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="package")
def zookeeper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ZooKeeper server, standalone, listening on 127.0.0.1 only."""
    assert ZOOKEEPER_JAR.exists(), "the Debian zookeeper package is missing (tools/system-packages.txt)"
    folder = tmp_path_factory.mktemp("zookeeper")
    port = free_port()
    (folder / "data").mkdir()
    config = folder / "zoo.cfg"
    config.write_text(
        "tickTime=500\n"
        f"dataDir={folder / 'data'}\n"
        f"clientPort={port}\n"
        "clientPortAddress=127.0.0.1\n"
        "admin.enableServer=false\n"
        "4lw.commands.whitelist=ruok\n"
    )
    log = open(folder / "zookeeper.log", "w")
    proc = subprocess.Popen(
        ["java", "-Xmx256m", "-cp", f"/etc/zookeeper/conf:{ZOOKEEPER_JAR}",
         "org.apache.zookeeper.server.quorum.QuorumPeerMain", str(config)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
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


class OtlpReceiver:
    """A real OTLP/gRPC trace receiver (the collector's wire protocol), keeping what it gets."""

    def __init__(self) -> None:
        from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

        self.requests: list[object] = []
        self.lock = threading.Lock()
        receiver = self

        class Service(trace_service_pb2_grpc.TraceServiceServicer):
            def Export(self, request, context):  # type: ignore[no-untyped-def]  # noqa: N802
                with receiver.lock:
                    receiver.requests.append(request)
                return trace_service_pb2.ExportTraceServiceResponse()

        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Service(), self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def spans(self) -> list[tuple[str, str, str]]:
        """(service.name, span name, trace id) of every span received so far."""
        out = []
        with self.lock:
            for request in self.requests:
                for resource_spans in request.resource_spans:  # type: ignore[attr-defined]
                    attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                    for scope in resource_spans.scope_spans:
                        for span in scope.spans:
                            out.append((attributes.get("service.name", ""), span.name, span.trace_id.hex()))
        return out


@pytest.fixture(scope="package")
def otlp_receiver() -> Iterator[OtlpReceiver]:
    receiver = OtlpReceiver()
    yield receiver
    receiver.server.stop(grace=None)


@pytest.fixture(scope="package")
def platform(zookeeper: str, otlp_receiver: OtlpReceiver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """`make run` as a user would start it, plus the production knobs under test."""
    running = Platform(tmp_path_factory.mktemp("deploy-up") / "data")
    running.env.update({
        "AIRLINE_ZOOKEEPER_HOSTS": zookeeper,
        "AIRLINE_TRACING_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_receiver.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "200",
    })
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
        _stop_stray_postgres(running.data_dir / "postgres")


def grpc_port(platform: Platform, service: str) -> int:
    return int(platform.env[f"AIRLINE_{service.upper()}_GRPC"].rsplit(":", 1)[1])


def gateway_env(platform: Platform) -> dict[str, str]:
    """The environment `airline up` gave its gateway (backing servers, JWT key, addresses)."""
    import psutil

    assert platform.proc is not None
    for child in psutil.Process(platform.proc.pid).children(recursive=True):
        if child.cmdline()[-2:] == ["serve", "gateway"]:
            return dict(child.environ())
    raise AssertionError("airline up runs no gateway")


__all__ = ["OtlpReceiver", "free_port", "gateway_env", "grpc_port", "os", "stop"]
