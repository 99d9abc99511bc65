"""Writes the per-service deployment files from one table of facts, so that eleven services'
Deployments, Services, NetworkPolicies, Istio rules, Kafka topics, Vault policies and scrape
targets cannot disagree with each other or with the code.

    .venv/bin/python deploy/generate.py          # rewrite the generated files
    .venv/bin/python deploy/generate.py --check  # exit 1 if a committed file is stale

tests/deploy/test_drift.py runs the check, and also fails when a name in
airline.platform.settings.SERVICES has no Deployment, scrape target or NetworkPolicy.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

# deploy/ is on sys.path when this runs as a script: its sibling modules import by name.
from facts import (
    BUSY_DOMAINS,
    CALLS,
    DEPLOY,
    GATEWAY_PORT,
    IMAGE,
    NAMESPACE,
    RESOURCES,
    ROOT,
    SERVICES,
    callers_of,
    grpc_port,
    labels,
    meta,
    metrics_port,
    topics_in_code,
)
from mesh import istio_docs, monitoring_docs, prometheus_airline_up

# One secret per use, each only in the pod that needs it. Identity alone holds the token signing
# keys (the gateway and the services fetch its PUBLIC keys over gRPC) and the master from which
# every service's secret is derived; no pod holds a secret that makes another's tokens.
OWN_SECRETS: dict[str, dict[str, tuple[str, str]]] = {
    "identity": {
        "AIRLINE_IDENTITY_ADMIN_PASSWORD": ("secret/data/airline/identity/admin", "password"),
        "AIRLINE_IDENTITY_SIGNING_KEYS": ("secret/data/airline/identity/signing-keys", "pem"),
        "AIRLINE_IDENTITY_SERVICE_MASTER_KEY": ("secret/data/airline/identity/service-master", "secret"),
    },
    "booking": {"AIRLINE_BOOKING_MANAGE_KEY": ("secret/data/airline/booking/manage-key", "secret")},
    "checkin": {"AIRLINE_CHECKIN_CODE_SECRET": ("secret/data/airline/checkin/code-key", "secret")},
    "payment": {"AIRLINE_PAYMENT_IDEMPOTENCY_KEY": ("secret/data/airline/payment/idempotency-key", "secret")},
    "flights": {"AIRLINE_FLIGHTS_OFFER_KEY": ("secret/data/airline/flights/offer-key", "secret")},
}


def vault_annotations(name: str, role: str, migrations: bool = False) -> dict[str, str]:
    """Vault Agent injector: secrets land as files in /vault/secrets, named as the variables the
    settings layer reads (pydantic secrets_dir), so the code needs no Vault client."""
    files = {
        "DATABASE_URL": (f"secret/data/airline/{name}/database", "url"),
        "REDIS_URL": ("secret/data/airline/shared/redis", "url"),
    }
    if name == "gateway":
        files.pop("DATABASE_URL")
    if not migrations:
        files.update(OWN_SECRETS.get(name, {}))
        if name not in ("identity", "gateway"):
            # its proof to identity for its own `system` tokens (platform/service_auth.py)
            files["AIRLINE_SERVICE_SECRET"] = (f"secret/data/airline/{name}/service", "secret")
    out = {
        "vault.hashicorp.com/agent-inject": "true",
        "vault.hashicorp.com/role": role,
        # settings are read once at start: no sidecar to keep; a rotated secret rolls the pods
        "vault.hashicorp.com/agent-pre-populate-only": "true",
    }
    for file, (path, key) in files.items():
        out[f"vault.hashicorp.com/agent-inject-secret-{file}"] = path
        out[f"vault.hashicorp.com/agent-inject-template-{file}"] = (
            f'{{{{- with secret "{path}" -}}}}{{{{ .Data.data.{key} }}}}{{{{- end -}}}}'
        )
    return out


SECURITY_CONTEXT = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
    "runAsUser": 10001,
    "runAsGroup": 10001,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}


def pod_spec(name: str, container: dict[str, object]) -> dict[str, object]:
    return {
        "serviceAccountName": name,
        "securityContext": {"runAsNonRoot": True, "fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
        "topologySpreadConstraints": [
            {
                "maxSkew": 1,
                "topologyKey": key,
                "whenUnsatisfiable": when,
                "labelSelector": {"matchLabels": {"app.kubernetes.io/name": name}},
            }
            for key, when in (
                ("topology.kubernetes.io/zone", "ScheduleAnyway"),
                ("kubernetes.io/hostname", "ScheduleAnyway"),
            )
        ],
        "terminationGracePeriodSeconds": 30,
        "containers": [container],
        "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}],
    }


def container(
    name: str, args: list[str], ports: list[dict[str, object]], env: list[dict[str, object]], probes: dict[str, object]
) -> dict[str, object]:
    return {
        "name": name,
        "image": IMAGE,
        "imagePullPolicy": "Always",
        "args": args,
        "ports": ports,
        "envFrom": [{"configMapRef": {"name": "airline-platform"}}],
        "env": env,
        "resources": RESOURCES,
        "securityContext": SECURITY_CONTEXT,
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
        **probes,
    }


def workload(
    name: str,
    args: list[str],
    port: int,
    port_name: str,
    probes: dict[str, object],
    env: list[dict[str, object]],
    extra_ports: list[dict[str, object]],
) -> list[dict[str, object]]:
    ports = [{"name": port_name, "containerPort": port, "protocol": "TCP"}, *extra_ports]
    mport = next((p["containerPort"] for p in extra_ports if p["name"] == "metrics"), port)
    mpath = "/metrics"
    pod_annotations = {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(mport),
        "prometheus.io/path": mpath,
        **vault_annotations(name, f"airline-{name}"),
    }
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(name), "automountServiceAccountToken": True},
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": meta(name),
            "spec": {
                "replicas": 2,
                "revisionHistoryLimit": 3,
                "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                "template": {
                    "metadata": {"labels": labels(name), "annotations": pod_annotations},
                    "spec": pod_spec(name, container(name, args, ports, env, probes)),
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta(name),
            "spec": {
                "selector": {"app.kubernetes.io/name": name},
                # the port name's prefix tells Istio the protocol (grpc-/http-)
                "ports": [{"name": p["name"], "port": p["containerPort"], "targetPort": p["name"]} for p in ports],
            },
        },
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": meta(name),
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": 2,
                "maxReplicas": 10,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}},
                    }
                ],
                "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}},
            },
        },
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": meta(name),
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": name}}},
        },
    ]


def egress_rules(callees: list[str]) -> list[dict[str, object]]:
    def to(selector: dict[str, object], *ports: int, namespace: str | None = None) -> dict[str, object]:
        peer: dict[str, object] = {"podSelector": selector}
        if namespace:
            peer["namespaceSelector"] = {"matchLabels": {"kubernetes.io/metadata.name": namespace}}
        return {"to": [peer], "ports": [{"protocol": "TCP", "port": p} for p in ports]}

    rules = [
        {
            "to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
            "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
        },
        to({"matchLabels": {"cnpg.io/cluster": "airline-pg"}}, 5432),
        to({"matchLabels": {"strimzi.io/cluster": "airline-kafka", "strimzi.io/kind": "Kafka"}}, 9092, 9093),
        to({"matchLabels": {"app.kubernetes.io/name": "redis"}}, 6379, 26379),
        to({"matchLabels": {"app.kubernetes.io/name": "zookeeper"}}, 2181),
        to({}, 4317, namespace="observability"),
        to({}, 15012, namespace="istio-system"),  # the sidecar's xDS and certificates
    ]
    for callee in callees:
        rules.append(to({"matchLabels": {"app.kubernetes.io/name": callee}}, grpc_port(callee)))
    return rules


def network_policy(name: str, ingress: list[dict[str, object]], callees: list[str]) -> dict[str, object]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": meta(name),
        "spec": {
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": ingress,
            "egress": egress_rules(callees),
        },
    }


def from_pods(names: list[str], port: int) -> dict[str, object]:
    return {
        "from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": n}}} for n in names],
        "ports": [{"protocol": "TCP", "port": port}],
    }


def from_namespace(namespace: str, port: int) -> dict[str, object]:
    return {
        "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}}],
        "ports": [{"protocol": "TCP", "port": port}],
    }


def service_docs(name: str) -> list[dict[str, object]]:
    port, mport = grpc_port(name), metrics_port(name)
    # grpc.health.v1 (platform/health.py): "" is readiness (the database answers; a broker or
    # Redis outage only degrades), "liveness" is the process alone, so an outage elsewhere takes
    # the pod out of its Service without restarting it
    ready = {"grpc": {"port": port, "service": ""}}
    alive = {"grpc": {"port": port, "service": "liveness"}}
    probes = {
        "startupProbe": {**alive, "periodSeconds": 2, "failureThreshold": 60},
        "readinessProbe": {**ready, "periodSeconds": 5, "failureThreshold": 2},
        "livenessProbe": {**alive, "periodSeconds": 10, "failureThreshold": 3},
    }
    env = [{"name": "AIRLINE_METRICS_PORT", "value": str(mport)}]
    docs = workload(
        name,
        ["serve", name],
        port,
        "grpc",
        probes,
        env,
        [{"name": "metrics", "containerPort": mport, "protocol": "TCP"}],
    )
    docs.append(
        network_policy(
            name, [from_pods(callers_of(name), port), from_namespace("monitoring", mport)], list(CALLS[name])
        )
    )
    return docs


def gateway_docs() -> list[dict[str, object]]:
    probes = {
        "startupProbe": {"httpGet": {"path": "/livez", "port": "http"}, "periodSeconds": 2, "failureThreshold": 60},
        # /readyz asks every service (each within AIRLINE_GATEWAY_HEALTH_TIMEOUT_SECONDS, at
        # once): a gateway whose services are not ready takes no traffic...
        "readinessProbe": {"httpGet": {"path": "/readyz", "port": "http"}, "periodSeconds": 5, "timeoutSeconds": 3},
        # ...but is not restarted for their sake: /livez asks nobody
        "livenessProbe": {"httpGet": {"path": "/livez", "port": "http"}, "periodSeconds": 10, "timeoutSeconds": 3},
    }
    env = [
        {"name": "AIRLINE_GATEWAY_HOST", "value": "0.0.0.0"},
        {"name": "AIRLINE_GATEWAY_PORT", "value": str(GATEWAY_PORT)},
        {"name": "AIRLINE_GATEWAY_INSTANCE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
    ]
    docs = workload("gateway", ["serve", "gateway"], GATEWAY_PORT, "http", probes, env, [])
    docs.append(
        network_policy(
            "gateway",
            [
                from_namespace("kong", GATEWAY_PORT),
                from_namespace("istio-system", GATEWAY_PORT),
                from_namespace("monitoring", GATEWAY_PORT),
            ],
            list(SERVICES),
        )
    )
    return docs


def migrate_job(name: str) -> dict[str, object]:
    """One Job per service: each owns its database and role, and migrates nothing else."""
    c = container(name, ["migrate", name], [], [], {})
    c["name"] = "migrate"
    spec = pod_spec(name, c)
    spec["restartPolicy"] = "OnFailure"
    spec.pop("topologySpreadConstraints")
    annotations = vault_annotations(name, f"airline-{name}", migrations=True)  # its database, no keys
    # Jobs with Istio sidecars never finish; migrations talk to PostgreSQL only
    annotations["sidecar.istio.io/inject"] = "false"
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta(f"migrate-{name}", {**labels(name), "app.kubernetes.io/component": "migrations"}),
        "spec": {
            "backoffLimit": 4,
            "ttlSecondsAfterFinished": 3600,
            "template": {"metadata": {"labels": labels(name), "annotations": annotations}, "spec": spec},
        },
    }


def platform_config() -> dict[str, object]:
    data = {
        "AIRLINE_ENV": "production",
        "AIRLINE_GRPC_BIND_HOST": "0.0.0.0",
        "KAFKA_BOOTSTRAP_SERVERS": "airline-kafka-kafka-bootstrap:9092",
        "AIRLINE_ZOOKEEPER_HOSTS": "zookeeper-0.zookeeper:2181,zookeeper-1.zookeeper:2181,zookeeper-2.zookeeper:2181",
        "AIRLINE_TRACING_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector.observability:4317",
        "AIRLINE_SECRETS_DIR": "/vault/secrets",
        "AIRLINE_LOG_JSON": "true",
    }
    for name in SERVICES:
        data[f"AIRLINE_{name.upper()}_GRPC"] = f"{name}:{grpc_port(name)}"
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": meta("airline-platform", labels("airline")),
        "data": data,
    }


def kafka_topics() -> list[dict[str, object]]:
    docs = []
    for topic in topics_in_code():
        domain = topic.split(".")[0]
        docs.append(
            {
                "apiVersion": "kafka.strimzi.io/v1beta2",
                "kind": "KafkaTopic",
                "metadata": {
                    "name": topic.replace("_", "-"),
                    "namespace": NAMESPACE,
                    "labels": {"strimzi.io/cluster": "airline-kafka"},
                },
                "spec": {
                    "topicName": topic,
                    "partitions": 12 if domain in BUSY_DOMAINS else 3,
                    "replicas": 3,
                    "config": {
                        "min.insync.replicas": 2,
                        "retention.ms": 7 * 24 * 3600 * 1000,
                        "cleanup.policy": "delete",
                    },
                },
            }
        )
    return docs


def vault_policy(name: str) -> str:
    return (
        f"# {name}: reads its own secrets (database, its own keys) and the shared Redis URL, nothing else.\n"
        f'path "secret/data/airline/{name}/*" {{\n  capabilities = ["read"]\n}}\n\n'
        'path "secret/data/airline/shared/*" {\n  capabilities = ["read"]\n}\n'
    )


def dump(docs: list[dict[str, object]]) -> str:
    header = "# GENERATED by deploy/generate.py from the code's facts: edit the generator, not this file.\n"
    return header + "".join("---\n" + yaml.safe_dump(d, sort_keys=False, width=120) for d in docs)


def outputs() -> dict[Path, str]:
    out: dict[Path, str] = {}
    base = DEPLOY / "k8s" / "base"
    out[base / "platform-config.yaml"] = dump([platform_config()])
    out[base / "services.yaml"] = dump([d for name in SERVICES for d in service_docs(name)])
    out[base / "gateway.yaml"] = dump(gateway_docs())
    out[base / "migrations.yaml"] = dump([migrate_job(name) for name in SERVICES])
    out[base / "kafka-topics.yaml"] = dump(kafka_topics())
    out[base / "istio.yaml"] = dump(istio_docs())
    prometheus_rule, alertmanager = monitoring_docs()
    out[DEPLOY / "k8s" / "monitoring" / "prometheus-rules.yaml"] = dump([prometheus_rule])
    out[DEPLOY / "k8s" / "monitoring" / "alertmanager-config.yaml"] = dump([alertmanager])
    out[DEPLOY / "prometheus" / "airline-up.yml"] = dump([prometheus_airline_up()]).replace("---\n", "", 1)
    for name in (*SERVICES, "gateway"):
        out[DEPLOY / "vault" / "policies" / f"airline-{name}.hcl"] = vault_policy(name)
    return out


def main(argv: list[str]) -> int:
    stale = []
    for path, text in outputs().items():
        if "--check" in argv:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if stale:
        print("stale generated files (run `python deploy/generate.py`):\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
