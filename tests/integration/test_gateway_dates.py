"""Every date and date-time the gateway takes outside flights (crew availability, bag scans,
gate timelines, live boards, …) is checked against platform/date_window.py: year 9999 or 0001
is a 422 naming the field, never a 5xx. Found by walking the OpenAPI document, so a new route
with a date is covered without being listed here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.factories import HOME
from tests.support.http import auth

pytestmark = pytest.mark.usefixtures("seed_airports")

# the flights / fares / bookings / payments / seats routes check their dates in their own services
OTHERS = {"flights", "fares", "search", "bookings", "payments", "seats"}
ABSURD = {
    "date": ["9999-12-31", "0001-01-01", "1899-12-31"],
    "date-time": ["9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z", "2101-01-01T00:00:00+14:00"],
}


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        return resolve(spec, node)
    return schema


def date_format(spec: dict[str, Any], schema: dict[str, Any]) -> str | None:
    schema = resolve(spec, schema)
    for option in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        option = resolve(spec, option)
        if option.get("type") == "string" and option.get("format") in ABSURD:
            return str(option["format"])
    return None


def body_date_fields(
    spec: dict[str, Any], schema: dict[str, Any], path: tuple[str, ...] = (), depth: int = 0
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path of keys, format) of every date field in a request body, nested objects included."""
    if depth > 4:
        return
    schema = resolve(spec, schema)
    for option in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        option = resolve(spec, option)
        if option.get("type") == "array" and "items" in option:
            yield from body_date_fields(spec, option["items"], (*path, "0"), depth + 1)
        for name, prop in option.get("properties", {}).items():
            fmt = date_format(spec, prop)
            if fmt:
                yield (*path, name), fmt
            else:
                yield from body_date_fields(spec, prop, (*path, name), depth + 1)


def nest(keys: tuple[str, ...], value: str) -> dict[str, Any]:
    out: Any = value
    for key in reversed(keys):
        out = [out] if key == "0" else {key: out}  # "0": the first item of an array
    return out  # type: ignore[no-any-return]


def filled(path: str) -> str:
    """A path with its parameters filled (an airport that exists; ids that need not)."""
    return re.sub(r"\{([^}]+)\}", lambda m: HOME if m.group(1) == "code" else "x1", path)


def cases(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, str, Any, str]]:
    """(method, path, where, field, value, expected error field) per date input and absurd value."""
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if OTHERS & set(op.get("tags", [])):
                continue
            for p in op.get("parameters", []):
                fmt = date_format(spec, p.get("schema", {}))
                if fmt and p["in"] == "query":
                    for value in ABSURD[fmt]:
                        yield method, path, "query", p["name"], value, f"query.{p['name']}"
            content = op.get("requestBody", {}).get("content", {})
            schema = (content.get("application/json") or {}).get("schema")
            if schema:
                for keys, fmt in body_date_fields(spec, schema):
                    for value in ABSURD[fmt]:
                        yield method, path, "body", ".".join(keys), nest(keys, value), "body." + ".".join(keys)


async def test_absurd_dates_outside_flights_are_422_naming_the_field(
    api: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    spec = (await api.get("/api/v1/openapi.json")).json()
    found = list(cases(spec))
    assert len({(m, p) for m, p, *_ in found}) >= 3, f"the walk found too few date inputs: {found}"
    admin = auth(tokens["admin"])
    failures = []
    for method, path, where, field, value, error_field in found:
        url = filled(path)
        # the other query parameters a route requires get a sane value, so only the date is wrong
        params: dict[str, Any] = {}
        op = spec["paths"][path][method]
        for p in op.get("parameters", []):
            if p["in"] != "query" or not p.get("required"):
                continue
            fmt = date_format(spec, p.get("schema", {}))
            params[p["name"]] = {"date": "2030-01-01", "date-time": "2030-01-01T00:00:00Z"}.get(fmt or "", "x")
        if where == "query":
            params[field] = value
            r = await api.request(method.upper(), url, params=params, headers=admin)
        else:
            r = await api.request(method.upper(), url, params=params, json=value, headers=admin)
        named = r.status_code == 422 and any(
            e.get("field", "").endswith(error_field.split(".", 1)[1]) for e in r.json().get("errors", [])
        )
        if not named:
            failures.append(f"{method.upper()} {path} {field}={value!r}: {r.status_code} {r.text[:200]}")
    assert not failures, "\n".join(failures)
