"""The event catalogue: every topic, its envelope `type`, version and payload schema, once.

Producers emit `<module>.<EVENT>.topic` (the outbox refuses an uncatalogued topic and a
payload the schema rejects); consumers subscribe to the same constant and read the payload
with `<EVENT>.parse(envelope)`.

    from airline.contracts.events import flights as flight_events
    flight_events.FLIGHT_DELAYED.topic  # "flights.flight_delayed.v1"
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from airline.contracts.events import (
    airport,
    baggage,
    booking,
    checkin,
    crew,
    flights,
    identity,
    inventory,
    payment,
    reservation,
)
from airline.contracts.events.base import TOPIC_RULE, EventType, Payload, PayloadRejected, UncataloguedTopic

__all__ = [
    "CATALOGUE",
    "TOPIC_RULE",
    "EventType",
    "Payload",
    "PayloadRejected",
    "UncataloguedTopic",
    "all_topics",
    "by_topic",
    "catalogued",
    "register",
]

DOMAIN_MODULES: tuple[ModuleType, ...] = (
    airport,
    baggage,
    booking,
    checkin,
    crew,
    flights,
    identity,
    inventory,
    payment,
    reservation,
)

CATALOGUE: dict[str, EventType[Any]] = {}


def register(event: EventType[Any]) -> EventType[Any]:
    """Add an event type; a topic is declared once (a second, different declaration fails)."""
    known = CATALOGUE.get(event.topic)
    if known is not None and known != event:
        raise ValueError(f"topic {event.topic} is declared twice ({known.type}, {event.type})")
    CATALOGUE[event.topic] = event
    return event


def by_topic(topic: str) -> EventType[Any]:
    try:
        return CATALOGUE[topic]
    except KeyError:
        raise UncataloguedTopic(
            f"topic {topic!r} is not in the event catalogue (declare it in airline.contracts.events)"
        ) from None


def all_topics() -> list[str]:
    return sorted(CATALOGUE)


@contextmanager
def catalogued(*events: EventType[Any]) -> Iterator[None]:
    """Tests' own event types, catalogued for the block only."""
    added = [e for e in events if e.topic not in CATALOGUE]
    for e in events:
        register(e)
    try:
        yield
    finally:
        for e in added:
            CATALOGUE.pop(e.topic, None)


for _module in DOMAIN_MODULES:
    for _value in vars(_module).values():
        if isinstance(_value, EventType):
            register(_value)
