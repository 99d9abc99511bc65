"""What an event type is: topic, envelope `type`, version and the schema of its payload.

Payload models allow extra fields, so a producer may add one without breaking a consumer;
removing or retyping a field a consumer relies on fails validation (in the producer's tests).
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from airline.platform.events import Envelope, topic_name

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
TOPIC_RULE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$")


class Payload(BaseModel):
    """Base of every payload model: unknown fields pass (adding one is not a breaking change)."""

    model_config = ConfigDict(extra="allow")


P = TypeVar("P", bound=Payload)


class PayloadRejected(ValueError):
    """A payload its consumers' schema rejects (names the topic and the fields)."""

    def __init__(self, topic: str, error: ValidationError) -> None:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or '(payload)'}: {e['msg']}" for e in error.errors()
        )
        super().__init__(f"payload of {topic} rejected: {problems}")
        self.topic = topic
        self.fields = [".".join(str(part) for part in e["loc"]) for e in error.errors()]


class UncataloguedTopic(LookupError):
    """A topic no catalogue entry declares."""


@dataclass(frozen=True)
class EventType(Generic[P]):
    domain: str
    name: str  # snake_case, e.g. flight_delayed
    type: str  # the envelope's `type`: a PascalCase past-tense fact, e.g. FlightDelayed
    payload: builtins.type[P]  # (`type` is the field above)
    version: int = 1

    def __post_init__(self) -> None:
        if not _SNAKE.match(self.domain) or not _SNAKE.match(self.name):
            raise ValueError(f"event domain and name must be snake_case: {self.domain!r}, {self.name!r}")
        if not _PASCAL.match(self.type):
            raise ValueError(f"event type must be PascalCase: {self.type!r}")
        if self.version < 1:
            raise ValueError(f"event version must be at least 1: {self.version}")

    @property
    def topic(self) -> str:
        return topic_name(self.domain, self.name, self.version)

    def validate(self, payload: Mapping[str, Any]) -> P:
        """The payload as its model, or PayloadRejected naming the topic and the field."""
        try:
            return self.payload.model_validate(dict(payload))
        except ValidationError as e:
            raise PayloadRejected(self.topic, e) from None

    def parse(self, envelope: Envelope) -> P:
        """For consumers: the envelope's payload as this event's model."""
        return self.validate(envelope.payload)
