"""The event catalogue: one declaration per topic, named by the rules, payloads checked."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from airline.contracts import events
from airline.contracts.events import CATALOGUE, TOPIC_RULE, EventType, Payload, PayloadRejected, by_topic
from airline.contracts.events import flights as flight_events
from airline.contracts.events import inventory as inventory_events
from airline.platform.events import Envelope

SRC = Path(__file__).resolve().parents[2] / "src" / "airline"


def flight_snapshot(**changes: Any) -> dict[str, Any]:
    return {
        "id": "f1",
        "number": "XA101",
        "origin": "XSP",
        "destination": "BKK",
        "origin_time_zone": "Asia/Singapore",
        "destination_time_zone": "Asia/Bangkok",
        "plane_id": "P1",
        "gate": "X1",
        "status": "delayed",
        "scheduled_departure": "2026-12-01T00:00:00+00:00",
        "scheduled_arrival": "2026-12-01T02:25:00+00:00",
        "estimated_departure": "2026-12-01T01:00:00+00:00",
        "estimated_arrival": "2026-12-01T03:25:00+00:00",
        "seats": [{"cabin_class": "normal", "capacity": 150, "sold": 3, "seats_left": 147}],
        "version": 2,
        **changes,
    }


def delayed(**changes: Any) -> dict[str, Any]:
    return {
        "flight": flight_snapshot(),
        "previous_status": "scheduled",
        "reason": "late inbound",
        "delay_code": "93",
        "delay_minutes": 60,
        "previous_estimated_departure": "2026-12-01T00:00:00+00:00",
        **changes,
    }


def test_every_topic_is_declared_once_under_its_own_name() -> None:
    assert len(CATALOGUE) >= 46
    for topic, event in CATALOGUE.items():
        assert event.topic == topic
        assert TOPIC_RULE.fullmatch(topic), topic
        assert topic == f"{event.domain}.{event.name}.v{event.version}"
    types = [(e.domain, e.type) for e in CATALOGUE.values()]
    assert len(types) == len(set(types)), "one envelope type per domain and event"


def test_a_second_declaration_of_a_topic_is_refused() -> None:
    twin = EventType("flights", "flight_delayed", "FlightWasDelayed", flight_events.FlightDelayed)
    with pytest.raises(ValueError, match="declared twice"):
        events.register(twin)
    assert by_topic(twin.topic) is flight_events.FLIGHT_DELAYED


@pytest.mark.parametrize(
    ("domain", "name", "type_", "version"),
    [
        ("Flights", "flight_delayed", "FlightDelayed", 1),
        ("flights", "flight-delayed", "FlightDelayed", 1),
        ("flights", "flight_delayed", "flight_delayed", 1),
        ("flights", "flight_delayed", "FlightDelayed", 0),
    ],
)
def test_names_follow_the_rules(domain: str, name: str, type_: str, version: int) -> None:
    with pytest.raises(ValueError):
        EventType(domain, name, type_, Payload, version)


def test_the_catalogue_forms_the_topic_name() -> None:
    assert flight_events.FLIGHT_DELAYED.topic == "flights.flight_delayed.v1"
    assert EventType("flights", "flight_delayed", "FlightDelayed", Payload, 2).topic == "flights.flight_delayed.v2"


def test_an_uncatalogued_topic_is_refused() -> None:
    with pytest.raises(events.UncataloguedTopic, match="flights.flight_teleported.v1"):
        by_topic("flights.flight_teleported.v1")


def test_a_valid_payload_parses() -> None:
    got = flight_events.FLIGHT_DELAYED.validate(delayed())
    assert got.flight.id == "f1" and got.delay_minutes == 60 and got.flight.seats[0].capacity == 150


def test_a_bad_payload_is_rejected_naming_the_topic_and_the_field() -> None:
    payload = delayed()
    del payload["flight"]["number"]
    with pytest.raises(PayloadRejected, match=r"flights\.flight_delayed\.v1.*flight\.number") as caught:
        flight_events.FLIGHT_DELAYED.validate(payload)
    assert caught.value.fields == ["flight.number"]
    with pytest.raises(PayloadRejected, match="delay_minutes"):
        flight_events.FLIGHT_DELAYED.validate(delayed(delay_minutes="an hour"))
    with pytest.raises(PayloadRejected, match="items.meal-normal"):
        inventory_events.FLIGHT_LOADED.validate(
            {
                "flight_id": "f1",
                "flight_number": "XA1",
                "airport": "XSP",
                "plan_version": 1,
                "items": {"meal-normal": "lots"},
                "loaded_by": "u1",
                "loaded_at": "2026-12-01T00:00:00+00:00",
            }
        )


def test_extra_fields_are_allowed_and_kept() -> None:
    got = flight_events.FLIGHT_DELAYED.validate(delayed(new_field="later", flight=flight_snapshot(terminal="2")))
    assert got.model_extra == {"new_field": "later"}
    assert got.flight.model_extra == {"terminal": "2"}


def test_parse_reads_an_envelope() -> None:
    envelope = Envelope(type="FlightDelayed", version=1, producer="flights", key="f1", payload=delayed())
    assert flight_events.FLIGHT_DELAYED.parse(envelope).previous_status == "scheduled"
    envelope = Envelope(type="FlightDelayed", version=1, producer="flights", key="f1", payload={"flight": {}})
    with pytest.raises(PayloadRejected):
        flight_events.FLIGHT_DELAYED.parse(envelope)


def test_payload_models_are_pydantic_models_that_allow_extra_fields() -> None:
    for event in CATALOGUE.values():
        assert issubclass(event.payload, Payload), event.topic
        assert event.payload.model_config.get("extra") == "allow", event.topic
        with pytest.raises(ValidationError):
            event.payload.model_validate("not a mapping")


def topic_literals_in_src() -> list[tuple[str, str]]:
    """Every `topic_name("<domain>", "<event>")` call with literal arguments outside the catalogue."""
    found: list[tuple[str, str]] = []
    for path in sorted(SRC.rglob("*.py")):
        if "contracts" in path.relative_to(SRC).parts or path.name.endswith("_pb2.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "topic_name"
                and all(isinstance(a, ast.Constant) for a in node.args)
            ):
                args = [a.value for a in node.args]  # type: ignore[attr-defined]
                found.append((str(path.relative_to(SRC)), ".".join([*args[:2], f"v{args[2] if len(args) > 2 else 1}"])))
    return found


def test_no_service_forms_a_topic_of_its_own() -> None:
    """Every service and the gateway take their topics from the catalogue (the text-level rule,
    tests included, is test_event_catalogue_only_place.py)."""
    assert topic_literals_in_src() == []
