"""The event envelope every Kafka message carries (DESIGN.md: how services talk)."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

ENVELOPE_VERSION = 1


def topic_name(domain: str, event: str, version: int = 1) -> str:
    """`<domain>.<event>.v<version>`, e.g. airport.plane_status_changed.v1."""
    return f"{domain}.{event}.v{version}"


@dataclass(frozen=True)
class Envelope:
    type: str  # past-tense fact, e.g. "PlaneStatusChanged"
    version: int
    producer: str
    key: str  # the aggregate id; Kafka's message key
    payload: dict[str, Any]
    trace: dict[str, str] = field(default_factory=dict)  # W3C traceparent/tracestate
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), separators=(",", ":"), default=str).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> Envelope:
        data = json.loads(raw)
        missing = {"event_id", "type", "version", "producer", "key", "payload"} - data.keys()
        if missing:
            raise ValueError(f"not an event envelope: missing {sorted(missing)}")
        return cls(
            type=data["type"],
            version=int(data["version"]),
            producer=data["producer"],
            key=data["key"],
            payload=data["payload"],
            trace=data.get("trace") or {},
            event_id=data["event_id"],
            occurred_at=data["occurred_at"],
        )
