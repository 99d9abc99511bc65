"""The facts every generated deployment file is made from: services, ports, who calls whom,
topics (from the event catalogue) and RPCs (from proto/). deploy/generate.py writes the files."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from airline.contracts.events import all_topics  # noqa: E402
from airline.platform.settings import DEFAULT_GRPC_PORTS  # noqa: E402

DEPLOY = ROOT / "deploy"
NAMESPACE = "airline"
IMAGE = "airline"  # the overlays pin registry and tag (kustomize `images`)
GATEWAY_PORT = 8000
METRICS_OFFSET = 1000  # as under `airline up`: a service's metrics listen on its gRPC port + 1000

# Every service the manifests know, including those whose code is still being merged: a pod
# whose code is absent would crash-loop, so the overlays list what each environment deploys.
SERVICES = tuple(DEFAULT_GRPC_PORTS)

# Who calls whom over gRPC (read from each bootstrap.py; the gateway calls every service).
# NetworkPolicies and Istio AuthorizationPolicies open a service's port to these callers only.
CALLS: dict[str, tuple[str, ...]] = {
    "flights": ("airport", "baggage"),  # baggage: bag reconciliation before "departed"
    "reservation": ("flights", "airport"),
    "booking": ("flights", "reservation", "payment", "airport"),  # airport: route distances (passenger rights)
    "crew": ("flights", "airport"),
    "checkin": ("flights", "reservation", "booking", "baggage", "airport"),  # the load sheet's bags and type
    "baggage": ("airport", "booking", "flights", "payment"),
    "notification": (),
    "identity": (),
    "airport": (),
    "payment": (),
    "inventory": (),
}
# ... and every one calls identity: its public keys verify tokens (GetJwks), and it issues each
# service's own `system` token (IssueServiceToken); platform/service_auth.py.
CALLS = {name: callees if name == "identity" else (*callees, "identity") for name, callees in CALLS.items()}

# Topics whose aggregates are many and busy (one key per flight, booking, payment, bag) get 12
# partitions: enough for up to 12 consumers of a group in parallel (HPA max 10), divisible by
# 1, 2, 3, 4 and 6 so that a group's members get even shares, and chosen once, because adding
# partitions later moves keys to other partitions and breaks per-aggregate order while old
# events drain. Reference-data topics (airports, users, crew, stock) are low volume: 3.
BUSY_DOMAINS = {"flights", "reservation", "booking", "payment", "checkin", "baggage", "notification"}

# Calls safe to retry at the mesh: reads only. A retried write could apply twice (payments,
# holds), so writes get a timeout and no retry; the client's own idempotency keys cover those.
IDEMPOTENT_PREFIXES = ("Get", "List", "Search", "Find", "Count", "My")

RESOURCES = {"requests": {"cpu": "100m", "memory": "192Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}}


def grpc_port(name: str) -> int:
    return DEFAULT_GRPC_PORTS[name]


def metrics_port(name: str) -> int:
    return DEFAULT_GRPC_PORTS[name] + METRICS_OFFSET


def callers_of(name: str) -> list[str]:
    return ["gateway", *sorted(c for c, callees in CALLS.items() if name in callees)]


def topics_in_code() -> list[str]:
    """Every topic of the event catalogue (the one place topics are declared)."""
    return all_topics()


def rpc_services() -> dict[str, list[tuple[str, list[str]]]]:
    """Per service: (full gRPC service name, method names), read from proto/."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for proto in sorted((ROOT / "proto" / "airline").glob("*/v1/*.proto")):
        text = proto.read_text()
        package = re.search(r"^package\s+([\w.]+);", text, re.M).group(1)  # type: ignore[union-attr]
        for svc, body in re.findall(r"service\s+(\w+)\s*\{(.*?)\n\}", text, re.S):
            methods = re.findall(r"rpc\s+(\w+)\s*\(", body)
            out.setdefault(proto.parent.parent.name, []).append((f"{package}.{svc}", methods))
    return out


def labels(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "airline"}


def meta(name: str, kind_labels: dict[str, str] | None = None, **extra: object) -> dict[str, object]:
    return {"name": name, "namespace": NAMESPACE, "labels": kind_labels or labels(name), **extra}
