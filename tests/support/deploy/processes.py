"""Processes the deploy checks run: ports, stopping, an OTLP receiver, the gateway's environment."""

from __future__ import annotations

import signal
import subprocess
import threading
from concurrent import futures

import grpc

from airline.platform.embedded import free_port  # noqa: F401 (the deploy checks import it from here)
from tests.support.platform import Platform


def stop(proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 15) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


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
