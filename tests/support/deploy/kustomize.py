"""Renders this repository's kustomizations without a kustomize binary (none on these machines).

It supports exactly what deploy/k8s uses (resources as files or folders, `images`, and
`patches` of JSON-patch operations with a kind/name target) and refuses anything else, so an
overlay cannot rely on a feature that this check would silently skip.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

SUPPORTED = {"apiVersion", "kind", "resources", "images", "patches"}


def load_docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def render(folder: Path) -> list[dict[str, Any]]:
    spec = yaml.safe_load((folder / "kustomization.yaml").read_text())
    unknown = set(spec) - SUPPORTED
    if unknown:
        raise ValueError(f"{folder}: kustomization fields this check cannot render: {sorted(unknown)}")
    docs: list[dict[str, Any]] = []
    for entry in spec.get("resources", []):
        target = (folder / entry).resolve()
        docs.extend(render(target) if target.is_dir() else load_docs(target))
    for patch in spec.get("patches", []):
        selector = patch["target"]
        matched = [
            d
            for d in docs
            if d["kind"] == selector["kind"] and ("name" not in selector or d["metadata"]["name"] == selector["name"])
        ]
        if not matched:
            raise ValueError(f"{folder}: patch target {selector} matches nothing")
        for doc in matched:
            for op in yaml.safe_load(patch["patch"]):
                apply_op(doc, op)
    for image in spec.get("images", []):
        found = False
        for doc in docs:
            for container in containers(doc):
                if container["image"].split(":")[0] == image["name"]:
                    container["image"] = f"{image.get('newName', image['name'])}:{image['newTag']}"
                    found = True
        if not found:
            raise ValueError(f"{folder}: image {image['name']} is used by no container")
    return copy.deepcopy(docs)


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc.get("spec", {})
    template = spec.get("template") or spec.get("jobTemplate", {}).get("spec", {}).get("template")
    if not template:
        return []
    pod = template.get("spec", {})
    return [*pod.get("initContainers", []), *pod.get("containers", [])]


def apply_op(doc: dict[str, Any], op: dict[str, Any]) -> None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].lstrip("/").split("/")]
    parent: Any = doc
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last = parts[-1]
    if op["op"] == "replace":
        if isinstance(parent, list):
            parent[int(last)] = op["value"]
        else:
            if last not in parent:
                raise ValueError(f"replace of a missing path {op['path']} in {doc['kind']}/{doc['metadata']['name']}")
            parent[last] = op["value"]
    elif op["op"] == "add":
        if isinstance(parent, list):
            parent.insert(len(parent) if last == "-" else int(last), op["value"])
        else:
            parent[last] = op["value"]
    elif op["op"] == "remove":
        del parent[int(last) if isinstance(parent, list) else last]
    else:
        raise ValueError(f"unsupported patch op {op['op']}")
