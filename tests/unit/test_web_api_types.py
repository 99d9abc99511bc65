"""The UI's API types (web/packages/ui/src/api/schema.d.ts) are exactly what openapi-typescript
makes of the gateway's OpenAPI document today (run `make web-types` if not); the UI's typecheck
(`make web-check`) then fails where a screen no longer fits the API."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("openapi_dump", ROOT / "tools" / "openapi_dump.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_openapi_dump_is_deterministic_json() -> None:
    tool = _tool()
    first, second = tool.dump(), tool.dump()
    assert first == second
    doc = json.loads(first)
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/bookings/{booking_id}" in doc["paths"]
    assert not [p for p in doc["paths"] if not p.startswith("/api/v1/") and p not in ("/livez", "/readyz", "/healthz")]


def test_committed_web_types_match_the_api(tmp_path: Path) -> None:
    tool = _tool()
    fresh = tool.typescript(tmp_path / "schema.d.ts").read_text(encoding="utf-8")
    assert "export interface components" in fresh and "        Booking: {" in fresh
    committed = tool.SCHEMA_TS
    assert committed.exists(), f"{committed} is missing: run `make web-types`"
    assert committed.read_text(encoding="utf-8") == fresh, (
        f"{committed.relative_to(ROOT)} differs from the gateway's OpenAPI document: run `make web-types` "
        "and fix what `make web-check` (the UI typecheck) then reports"
    )
