"""Offline validation of everything under deploy/ (no cluster, no Docker engine)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import hcl2
import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.support.deploy.hclfmt import fmt_problems
from tests.support.deploy.kustomize import render
from tests.support.deploy.tools import DEPLOY, K8S_VERSION, ROOT, ensure_deploy_tools, run, tool

OVERLAYS = ["dev", "prod"]
SCHEMAS = DEPLOY / "schemas"
# Prometheus Operator kinds: no schema is kept here, so test_monitoring_resources checks them
WITHOUT_SCHEMA = {("monitoring.coreos.com", "PodMonitor"), ("monitoring.coreos.com", "PrometheusRule")}


def group_version(doc: dict[str, Any]) -> tuple[str, str]:
    api = doc["apiVersion"]
    return (api.split("/")[0], api.split("/")[1]) if "/" in api else ("", api)


def crd_schema(doc: dict[str, Any]) -> Path:
    group, version = group_version(doc)
    return SCHEMAS / group / f"{doc['kind'].lower()}_{version}.json"


def rendered(overlay: str) -> list[dict[str, Any]]:
    docs = render(DEPLOY / "k8s" / "overlays" / overlay)
    docs += render(DEPLOY / "k8s" / "monitoring")
    return docs


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_resource_of_an_overlay_validates_strictly(overlay: str) -> None:
    docs = rendered(overlay)
    assert len(docs) > 100
    problems = []
    kinds = set()
    for doc in docs:
        group, _ = group_version(doc)
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        kinds.add(doc["kind"])
        if crd_schema(doc).exists():
            errors = sorted(
                jsonschema.Draft7Validator(json.loads(crd_schema(doc).read_text())).iter_errors(doc), key=str
            )
            problems += [f"{where}: {e.json_path}: {e.message}" for e in errors]
        elif (group, doc["kind"]) in WITHOUT_SCHEMA:
            continue
        else:
            try:
                kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
            except kubernetes_validate.ValidationError as e:
                problems.append(f"{where}: {e}")
            except kubernetes_validate.SchemaNotFoundError:
                problems.append(f"{where}: no schema for {doc['apiVersion']} {doc['kind']}")
    assert not problems, "\n".join(problems)
    assert {
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "ServiceAccount",
        "Job",
        "Kafka",
        "KafkaTopic",
        "Cluster",
        "StatefulSet",
        "PeerAuthentication",
        "DestinationRule",
        "VirtualService",
    } <= kinds


def test_a_wrong_field_is_caught_by_both_validators() -> None:
    """The checks above would pass on anything if a validator accepted everything."""
    docs = rendered("prod")
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)
    topic = next(d for d in docs if d["kind"] == "KafkaTopic")
    topic["spec"]["partitions"] = "twelve"
    assert list(jsonschema.Draft7Validator(json.loads(crd_schema(topic).read_text())).iter_errors(topic))


def test_overlays_differ_where_they_should() -> None:
    dev, prod = rendered("dev"), rendered("prod")

    def image(docs: list[dict]) -> set[str]:
        return {
            c["image"]
            for d in docs
            if d["kind"] == "Deployment"
            for c in d["spec"]["template"]["spec"]["containers"]
            if "airline" in c["image"]
        }

    def replicas(docs: list[dict], name: str) -> int:
        return next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == name)["spec"]["replicas"]

    assert image(prod) == {"registry.example.com/airline/airline:0.1.0"}
    assert image(dev) == {"localhost:5000/airline:dev"}
    assert replicas(dev, "gateway") == 1 and replicas(prod, "gateway") == 3


def test_kafka_cluster_and_topics_are_durable() -> None:
    docs = rendered("prod")
    kafka = next(d for d in docs if d["kind"] == "Kafka")
    assert kafka["spec"]["kafka"]["replicas"] == 3
    assert kafka["spec"]["kafka"]["config"]["min.insync.replicas"] == 2
    topics = [d for d in docs if d["kind"] == "KafkaTopic"]
    assert topics and all(
        t["spec"]["replicas"] == 3 and t["spec"]["config"]["min.insync.replicas"] == 2 for t in topics
    )
    pg = next(d for d in docs if d["kind"] == "Cluster")
    assert pg["spec"]["instances"] == 3
    roles = {r["name"] for r in pg["spec"]["managed"]["roles"]}
    created = {
        s.split()[2] for s in pg["spec"]["bootstrap"]["initdb"]["postInitSQL"] if s.startswith("CREATE DATABASE")
    }
    assert {f"airline_{r}" for r in roles} == created  # a database and a role per service


def test_mesh_retries_only_reads() -> None:
    docs = rendered("prod")
    peer = [d for d in docs if d["kind"] == "PeerAuthentication"]
    assert any(p["metadata"]["name"] == "default" and p["spec"]["mtls"]["mode"] == "STRICT" for p in peer)
    for vs in (d for d in docs if d["kind"] == "VirtualService"):
        for route in vs["spec"]["http"]:
            regex = route.get("match", [{}])[0].get("uri", {}).get("regex", "")
            if route["retries"]["attempts"] > 0:
                methods = regex.rsplit("/(", 1)[1].rstrip(")").split("|")
                assert all(m.startswith(("Get", "List", "Search", "Find", "Count", "My")) for m in methods), route
            assert route["timeout"]
    dr = [d for d in docs if d["kind"] == "DestinationRule"]
    assert dr and all(
        d["spec"]["trafficPolicy"]["outlierDetection"] and d["spec"]["trafficPolicy"]["connectionPool"] for d in dr
    )


def test_monitoring_resources() -> None:
    docs = render(DEPLOY / "k8s" / "monitoring")
    rule = next(d for d in docs if d["kind"] == "PrometheusRule")
    source = yaml.safe_load((DEPLOY / "prometheus" / "rules" / "airline.rules.yml").read_text())
    assert rule["spec"] == source  # the Operator gets the rules that promtool tests
    monitor = next(d for d in docs if d["kind"] == "PodMonitor" and d["metadata"]["name"] == "airline")
    ports = {e["port"] for e in monitor["spec"]["podMetricsEndpoints"]}
    for deployment in (d for d in rendered("prod") if d["kind"] == "Deployment"):
        pod = deployment["spec"]["template"]
        assert all(pod["metadata"]["labels"][k] == v for k, v in monitor["spec"]["selector"]["matchLabels"].items())
        assert ports & {p["name"] for p in pod["spec"]["containers"][0]["ports"]}, deployment["metadata"]["name"]


def test_dockerfile_passes_hadolint() -> None:
    done = run(tool("hadolint"), "--failure-threshold", "info", str(DEPLOY / "Dockerfile"))
    assert done.returncode == 0, done.stdout + done.stderr
    text = (DEPLOY / "Dockerfile").read_text()
    assert "USER 10001" in text and "HEALTHCHECK" in text and text.count("FROM ") >= 3


def test_kong_config_matches_its_schema_and_the_schema_bites(tmp_path: Path) -> None:
    schema = DEPLOY / "kong" / "kong-declarative.schema.json"
    done = run(tool("check-jsonschema"), "--schemafile", str(schema), str(DEPLOY / "kong" / "kong.yaml"))
    assert done.returncode == 0, done.stdout + done.stderr
    config = yaml.safe_load((DEPLOY / "kong" / "kong.yaml").read_text())
    assert {p["name"] for p in config["plugins"]} >= {"jwt", "rate-limiting", "request-size-limiting", "cors"}
    config["consumers"][1]["jwt_secrets"][0]["secret"] = "a-literal-secret"
    bad = tmp_path / "kong.yaml"
    bad.write_text(yaml.safe_dump(config))
    refused = run(tool("check-jsonschema"), "--schemafile", str(schema), str(bad))
    assert refused.returncode == 1 and "vault" in refused.stdout


def test_prometheus_rules_config_and_alertmanager() -> None:
    prom = DEPLOY / "prometheus"
    for argv in (
        (tool("promtool"), "check", "config", str(prom / "airline-up.yml")),
        (tool("promtool"), "check", "rules", str(prom / "rules" / "airline.rules.yml")),
        (tool("promtool"), "test", "rules", str(prom / "rules" / "airline.rules.test.yml")),
        (tool("amtool"), "check-config", str(prom / "alertmanager.yml")),
    ):
        done = run(*argv)
        assert done.returncode == 0, " ".join(argv) + "\n" + done.stdout + done.stderr
    alerts = {
        r["alert"]
        for g in yaml.safe_load((prom / "rules" / "airline.rules.yml").read_text())["groups"]
        for r in g["rules"]
        if "alert" in r
    }
    assert {
        "BookingErrorRateHigh",
        "RouteLatencyP99High",
        "OutboxBacklogHigh",
        "ConsumerLagHigh",
        "SeatHoldExpiriesHigh",
    } <= alerts
    tested = (prom / "rules" / "airline.rules.test.yml").read_text()
    assert all(f"alertname: {a}" in tested for a in alerts), "every alert has a unit test"


def test_nginx_config(tmp_path: Path) -> None:
    for name in ("nginx.conf", "airline.conf"):
        (tmp_path / name).write_text((DEPLOY / "nginx" / name).read_text())
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()  # the documented layout of the prefix: logs/ and tmp/
    done = run(tool("nginx"), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"))
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_logstash_pipelines_parse_and_templates_are_json() -> None:
    from logstash_pipeline_parser import Pipeline

    for conf in sorted((DEPLOY / "logstash" / "pipeline").glob("*.conf")):
        sections = [s[0] for s in Pipeline.from_file(conf).parse()]
        assert sections == ["input", "filter", "output"], conf
    for path in (DEPLOY / "logstash" / "templates").glob("*.json"):
        template = json.loads(path.read_text())
        assert template["index_patterns"] and template["template"]["mappings"]["properties"]
    logs = (DEPLOY / "logstash" / "pipeline" / "airline-logs.conf").read_text()
    assert 'index => "airline-logs-%{+YYYY.MM.dd}"' in logs  # daily indices
    bags = (DEPLOY / "logstash" / "pipeline" / "airline-baggage-events.conf").read_text()
    assert 'document_id => "%{event_id}"' in bags  # a redelivered event is not indexed twice


def test_otel_collector_pipeline_is_wired() -> None:
    config = yaml.safe_load((DEPLOY / "otel" / "collector.yaml").read_text())
    for pipeline in config["service"]["pipelines"].values():
        for kind in ("receivers", "processors", "exporters"):
            assert all(name in config[kind] for name in pipeline[kind]), (kind, pipeline[kind])
    assert any(e.startswith("otlp/jaeger") for e in config["service"]["pipelines"]["traces"]["exporters"])


def unquote(value: Any) -> Any:
    """python-hcl2 keeps the quotes of string literals and labels; compare without them."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, dict):
        return {unquote(k): unquote(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [unquote(v) for v in value]
    return value


@functools.cache
def hcl(path: Path) -> dict[str, Any]:
    with path.open() as f:
        return unquote(hcl2.load(f))  # type: ignore[no-any-return]


def _tf_blocks(folder: Path, kind: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in folder.glob("*.tf"):
        for block in hcl(path).get(kind, []):
            out.update(block)
    return out


def test_terraform_parses_and_modules_get_exactly_their_variables() -> None:
    tf = DEPLOY / "terraform"
    files = sorted(tf.rglob("*.tf"))
    assert len(files) >= 15
    for path in files:
        hcl(path)  # syntax
    env = tf / "envs" / "example"
    modules = _tf_blocks(env, "module")
    assert set(modules) >= {"network", "cluster", "kafka", "postgres", "redis", "edge"}
    for name, call in modules.items():
        source = (env / call["source"]).resolve()
        declared = _tf_blocks(source, "variable")
        passed = set(call) - {"source", "version", "providers", "depends_on", "count", "for_each"}
        assert passed <= set(declared), f"module {name} gets undeclared {passed - set(declared)}"
        required = {v for v, spec in declared.items() if "default" not in spec}
        assert required <= passed, f"module {name} misses {required - passed}"
        assert _tf_blocks(source, "output"), f"module {name} has no outputs"
    example_vars = _tf_blocks(env, "variable")
    tfvars = hcl(env / "terraform.tfvars.example")
    missing = {v for v, s in example_vars.items() if "default" not in s} - set(tfvars) - {"redis_auth_token"}
    assert not missing, f"terraform.tfvars.example lacks {missing}"


def test_terraform_is_formatted_as_terraform_fmt_would() -> None:
    """What `terraform fmt -check` checks, offline (Debian has no terraform package; `validate`
    needs providers from the registry): tests/support/deploy/hclfmt.py. Where terraform is
    installed, `terraform fmt -check` has to agree."""
    import shutil

    tf = DEPLOY / "terraform"
    files = sorted(tf.rglob("*.tf")) + sorted(tf.rglob("*.tfvars.example"))
    assert len(files) >= 15
    problems = [problem for path in files for problem in fmt_problems(path.read_text(), str(path.relative_to(ROOT)))]
    assert not problems, "\n".join(problems)
    # and the check is not vacuous: a misindented, tabbed or misaligned copy of a real file fails
    example = (tf / "envs" / "example" / "main.tf").read_text()
    assert "  flow_log_role_arn  = " in example
    for broken in (
        example.replace("\n  ", "\n   ", 1),
        example.replace("\n  ", "\n\t", 1),
        example.replace("  flow_log_role_arn  = ", "  flow_log_role_arn = ", 1),
        example.rstrip("\n"),
    ):
        assert fmt_problems(broken), broken[:200]
    if shutil.which("terraform") is not None:
        done = run("terraform", "fmt", "-check", "-recursive", str(tf))
        assert done.returncode == 0, done.stdout + done.stderr


def test_vault_policies_parse_and_grant_reads_only() -> None:
    policies = sorted((DEPLOY / "vault" / "policies").glob("*.hcl"))
    assert policies
    for path in policies:
        for block in hcl(path)["path"]:
            for rule in block.values():
                assert rule["capabilities"] == ["read"], path


def test_grafana_dashboards_typecheck_against_grafana_schema(tmp_path: Path) -> None:
    ensure_deploy_tools()
    check = DEPLOY / "grafana" / "check"
    dashboards = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
    assert len(dashboards) >= 2
    for old in check.glob("*.ts"):
        old.unlink()
    try:
        for path in dashboards:
            name = path.stem.replace("-", "_")
            (check / f"{name}.ts").write_text(
                "import type { Dashboard } from '@grafana/schema';\n"
                f"export const {name}: Dashboard = {path.read_text()};\n"
            )
        done = run(str(check / "node_modules" / ".bin" / "tsc"), "-p", str(check))
        assert done.returncode == 0, done.stdout + done.stderr
        # and a typo is an error, so the check is not vacuous
        broken = json.loads(dashboards[0].read_text())
        broken["panels"][0]["gridPoss"] = broken["panels"][0].pop("gridPos")
        (check / "broken.ts").write_text(
            "import type { Dashboard } from '@grafana/schema';\n"
            f"export const broken: Dashboard = {json.dumps(broken)};\n"
        )
        done = run(str(check / "node_modules" / ".bin" / "tsc"), "-p", str(check))
        assert done.returncode != 0 and "gridPoss" in done.stdout
    finally:
        for old in check.glob("*.ts"):
            old.unlink()


def test_checkov_passes_dockerfile_kubernetes_and_terraform(tmp_path: Path) -> None:
    ensure_deploy_tools()
    manifests = tmp_path / "k8s.yaml"
    manifests.write_text(
        yaml.safe_dump_all(
            [
                d
                for d in rendered("prod")
                if "/" not in d["apiVersion"]
                or d["apiVersion"].split("/")[0].endswith("k8s.io")
                or d["apiVersion"].split("/")[0] in ("apps", "batch", "policy", "autoscaling")
            ]
        )
    )
    checkov = str(ROOT / ".venv-deploy" / "bin" / "checkov")
    config = str(DEPLOY / "checkov.yaml")
    for argv in (("-f", str(DEPLOY / "Dockerfile"), str(manifests)), ("-d", str(DEPLOY / "terraform"))):
        done = run(checkov, "--skip-download", "--config-file", config, *argv, timeout=170)
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
        assert "Passed checks" in done.stdout and "Failed checks: 0" in done.stdout, done.stdout[-3000:]
