"""The manifests follow the code: a service added to SERVICES, a topic added to the code, or a
caller added to a bootstrap shows up here until deploy/ says the same."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import yaml

from airline.contracts.events import all_topics
from airline.contracts.events import booking as booking_events
from airline.contracts.events import flights as flight_events
from airline.platform.settings import DEFAULT_GRPC_PORTS, SERVICES
from tests.support.deploy.kustomize import load_docs
from tests.support.deploy.tools import DEPLOY, ROOT

BASE = DEPLOY / "k8s" / "base"


def kinds(kind: str) -> dict[str, dict[str, Any]]:
    docs = [d for path in BASE.glob("*.yaml") if path.name != "kustomization.yaml" for d in load_docs(path)]
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_generated_files_are_current() -> None:
    done = subprocess.run([sys.executable, str(DEPLOY / "generate.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_service_has_a_deployment_scrape_target_and_network_policy() -> None:
    deployments, policies, services = kinds("Deployment"), kinds("NetworkPolicy"), kinds("Service")
    jobs = yaml.safe_load((DEPLOY / "prometheus" / "airline-up.yml").read_text())["scrape_configs"]
    targets = {j["job_name"]: j["static_configs"][0]["targets"][0] for j in jobs}
    missing = []
    for name in (*SERVICES, "gateway"):
        for what, found in (("Deployment", deployments), ("NetworkPolicy", policies), ("Service", services)):
            if name not in found:
                missing.append(f"{name}: no {what}")
        if name not in targets:
            missing.append(f"{name}: no scrape target in deploy/prometheus/airline-up.yml")
    assert not missing, "\n".join(missing)
    for name in SERVICES:
        # the port `airline up` gives a service's metrics (gRPC port + 1000), and the pod's
        assert targets[name] == f"127.0.0.1:{DEFAULT_GRPC_PORTS[name] + 1000}"
        pod = deployments[name]["spec"]["template"]
        ports = {p["name"]: p["containerPort"] for p in pod["spec"]["containers"][0]["ports"]}
        assert ports == {"grpc": DEFAULT_GRPC_PORTS[name], "metrics": DEFAULT_GRPC_PORTS[name] + 1000}
        assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(ports["metrics"])
        assert pod["spec"]["containers"][0]["args"] == ["serve", name]


def test_every_service_has_a_migration_job_and_istio_rules() -> None:
    jobs, rules = (
        kinds("Job"),
        {(d["kind"], d["metadata"]["name"]) for path in [BASE / "istio.yaml"] for d in load_docs(path)},
    )
    for name in SERVICES:
        assert jobs[f"migrate-{name}"]["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate", name]
        assert {("DestinationRule", name), ("VirtualService", name), ("PeerAuthentication", name)} <= rules


def test_every_topic_in_the_code_has_a_kafka_topic() -> None:
    # The catalogue is the only place a topic is formed (tests/unit/test_event_catalogue_only_place.py).
    in_code = set(all_topics())
    assert {booking_events.BOOKING_CONFIRMED.topic, flight_events.FLIGHT_CANCELLED.topic} <= in_code
    declared = {t["spec"]["topicName"]: t for t in kinds("KafkaTopic").values()}
    assert in_code and in_code <= set(declared), sorted(in_code - set(declared))
    for topic in declared.values():
        assert topic["spec"]["partitions"] in (3, 12)


def callers_in_code() -> dict[str, set[str]]:
    """Which services each service's bootstrap opens a channel to (`rt.channel("x")`)."""
    calls: dict[str, set[str]] = {}
    for name in SERVICES:
        folder = ROOT / "src" / "airline" / name
        text = "".join(p.read_text() for p in folder.glob("*.py"))
        calls[name] = set(re.findall(r'channel\("([a-z]+)"\)', text))
        if name != "identity":  # every runtime asks identity for its public keys (platform/runtime.py)
            calls[name].add("identity")
    return calls


def test_network_policies_admit_exactly_the_callers_in_the_code() -> None:
    policies = kinds("NetworkPolicy")
    calls = callers_in_code()
    for name in SERVICES:
        ingress = policies[name]["spec"]["ingress"]
        grpc_rule = next(r for r in ingress if r["ports"][0]["port"] == DEFAULT_GRPC_PORTS[name])
        admitted = {p["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for p in grpc_rule["from"]}
        expected = {"gateway"} | {caller for caller, callees in calls.items() if name in callees}
        # deploy/facts.py (CALLS) may know callers whose code is not merged yet, never fewer
        assert expected <= admitted, f"{name}: {sorted(expected - admitted)} call it but are not admitted"
        egress_ports = {p["port"] for r in policies[name]["spec"]["egress"] for p in r["ports"]}
        for callee in calls[name]:
            assert DEFAULT_GRPC_PORTS[callee] in egress_ports, f"{name} may not reach {callee}"
    # every process verifies tokens with identity's public keys and gets its system token there
    assert set(SERVICES) - {"identity"} <= {
        p["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
        for r in policies["identity"]["spec"]["ingress"]
        for p in r["from"]
        if "podSelector" in p
    }, "every service may reach identity (GetJwks, IssueServiceToken)"


def test_probes_ask_readiness_and_liveness_apart() -> None:
    """A service's readiness is gRPC health "" (its database), its liveness the process alone;
    the gateway's are /readyz and /livez (platform/health.py, gateway/health.py)."""
    from airline.gateway.health import router
    from airline.platform.health import LIVENESS

    deployments = kinds("Deployment")
    for name in SERVICES:
        pod = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        assert pod["readinessProbe"]["grpc"] == {"port": DEFAULT_GRPC_PORTS[name], "service": ""}, name
        for probe in ("livenessProbe", "startupProbe"):
            assert pod[probe]["grpc"] == {"port": DEFAULT_GRPC_PORTS[name], "service": LIVENESS}, (name, probe)
    gateway = deployments["gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert {"/readyz", "/livez"} <= {route.path for route in router.routes}  # type: ignore[attr-defined]
    kong = (DEPLOY / "kong" / "kong.yaml").read_text()
    assert "http_path: /readyz" in kong
    assert "/readyz" in (DEPLOY / "nginx" / "airline.conf").read_text()
