"""The generated Istio rules (mTLS, connection pools, read-only retries) and monitoring files
(Prometheus scrape targets of `airline up`, the Operator's rules and Alertmanager routes)."""

from __future__ import annotations

import re

import yaml
from facts import DEPLOY, GATEWAY_PORT, IDEMPOTENT_PREFIXES, NAMESPACE, SERVICES, grpc_port, metrics_port, rpc_services


def istio_docs() -> list[dict[str, object]]:
    docs: list[dict[str, object]] = [
        {
            "apiVersion": "security.istio.io/v1",
            "kind": "PeerAuthentication",
            "metadata": {"name": "default", "namespace": NAMESPACE},
            "spec": {"mtls": {"mode": "STRICT"}},
        }
    ]
    rpcs = rpc_services()
    for name in SERVICES:
        host = f"{name}.{NAMESPACE}.svc.cluster.local"
        # Prometheus scrapes from outside the mesh: only the metrics port accepts plain text
        docs.append(
            {
                "apiVersion": "security.istio.io/v1",
                "kind": "PeerAuthentication",
                "metadata": {"name": name, "namespace": NAMESPACE},
                "spec": {
                    "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                    "mtls": {"mode": "STRICT"},
                    "portLevelMtls": {str(metrics_port(name)): {"mode": "PERMISSIVE"}},
                },
            }
        )
        docs.append(
            {
                "apiVersion": "networking.istio.io/v1",
                "kind": "DestinationRule",
                "metadata": {"name": name, "namespace": NAMESPACE},
                "spec": {
                    "host": host,
                    "trafficPolicy": {
                        "tls": {"mode": "ISTIO_MUTUAL"},
                        "connectionPool": {
                            "tcp": {"maxConnections": 200, "connectTimeout": "2s"},
                            "http": {
                                "http2MaxRequests": 1000,
                                "maxRequestsPerConnection": 0,
                                "maxConcurrentStreams": 256,
                            },
                        },
                        "outlierDetection": {
                            "consecutive5xxErrors": 5,
                            "consecutiveGatewayErrors": 3,
                            "interval": "10s",
                            "baseEjectionTime": "30s",
                            "maxEjectionPercent": 50,
                        },
                        "loadBalancer": {"simple": "LEAST_REQUEST"},
                    },
                },
            }
        )
        routes = []
        for full_name, methods in rpcs.get(name, []):
            reads = [m for m in methods if m.startswith(IDEMPOTENT_PREFIXES)]
            if reads:
                routes.append(
                    {
                        "name": f"{full_name.rsplit('.', 1)[1].lower()}-reads",
                        "match": [{"uri": {"regex": f"/{re.escape(full_name)}/({'|'.join(reads)})"}}],
                        "route": [{"destination": {"host": host, "port": {"number": grpc_port(name)}}}],
                        "timeout": "5s",
                        "retries": {
                            "attempts": 3,
                            "perTryTimeout": "1.5s",
                            "retryOn": "unavailable,resource-exhausted,reset,connect-failure",
                        },
                    }
                )
        routes.append(
            {
                "name": "writes-no-retry",
                "route": [{"destination": {"host": host, "port": {"number": grpc_port(name)}}}],
                "timeout": "5s",
                "retries": {"attempts": 0},
            }
        )
        docs.append(
            {
                "apiVersion": "networking.istio.io/v1",
                "kind": "VirtualService",
                "metadata": {"name": name, "namespace": NAMESPACE},
                "spec": {"hosts": [host], "http": routes},
            }
        )
    return docs


def prometheus_airline_up() -> dict[str, object]:
    """Scrape targets of `airline up` on its default ports (tests rewrite the ports they chose)."""
    jobs = [
        {
            "job_name": name,
            "metrics_path": "/metrics",
            "static_configs": [{"targets": [f"127.0.0.1:{metrics_port(name)}"], "labels": {"service": name}}],
        }
        for name in SERVICES
    ]
    jobs.append(
        {
            "job_name": "gateway",
            "metrics_path": "/metrics",
            "static_configs": [{"targets": [f"127.0.0.1:{GATEWAY_PORT}"], "labels": {"service": "gateway"}}],
        }
    )
    return {
        "global": {"scrape_interval": "15s", "evaluation_interval": "15s"},
        "rule_files": ["rules/*.rules.yml"],
        "scrape_configs": jobs,
    }


def monitoring_docs() -> tuple[dict[str, object], dict[str, object]]:
    """The rules and Alertmanager routes Prometheus uses under `airline up`, as the Operator's
    resources: one source, tested once with promtool."""
    rules = yaml.safe_load((DEPLOY / "prometheus" / "rules" / "airline.rules.yml").read_text())
    prometheus_rule = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "airline-slo", "namespace": NAMESPACE, "labels": {"release": "kube-prometheus-stack"}},
        "spec": rules,
    }
    alertmanager = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "alertmanager-kube-prometheus-stack-alertmanager", "namespace": "monitoring"},
        "type": "Opaque",
        "stringData": {"alertmanager.yaml": (DEPLOY / "prometheus" / "alertmanager.yml").read_text()},
    }
    return prometheus_rule, alertmanager
