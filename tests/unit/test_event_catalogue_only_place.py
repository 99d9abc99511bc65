"""The event catalogue is the only place a topic name is written (the issue's acceptance: each
topic name string is found in exactly one place). Everywhere else in src/ and tests/ a topic is
`<catalogue module>.<EVENT>.topic`: no `topic_name(...)` call and no literal
`"<domain>.<event>.v<n>"` string outside `src/airline/contracts/events/`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from airline.contracts.events import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_DIR = ROOT / "src" / "airline" / "contracts" / "events"
DOMAINS = sorted({event.domain for event in CATALOGUE.values()})
# a topic of a catalogued domain anywhere in a string (a SQL text, a message), not a module path
TOPIC_IN_TEXT = re.compile(rf"(?<![\w.])(?:{'|'.join(DOMAINS)})\.[a-z][a-z0-9_]*\.v[0-9]+(?![\w.])")

# Tests of the mechanism itself, which must spell a topic out (path -> what it may spell).
ALLOWED: dict[str, set[str]] = {
    # how the catalogue forms a name, and an uncatalogued topic refused by name
    "tests/unit/test_event_catalogue.py": {
        "flights.flight_delayed.v1",
        "flights.flight_delayed.v2",
        "flights.flight_teleported.v1",
    },
    # the outbox refuses a topic the catalogue does not declare
    "tests/integration/test_event_contracts.py": {"inventory.plan_guessed.v1"},
    # the definition of topic_name, tested on its own
    "tests/unit/test_platform_settings_and_events.py": {"topic_name(", "airport.plane_status_changed.v1"},
}


def offences(path: Path, source: str) -> list[tuple[int, str]]:
    """(line, what) of every topic_name call and topic string in one module's source."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "topic_name":
                found.append((node.lineno, "topic_name("))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.extend(
                (node.lineno + node.value[: hit.start()].count("\n"), hit.group())
                for hit in TOPIC_IN_TEXT.finditer(node.value)
            )
    return sorted(found)


def scanned() -> list[Path]:
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    return sorted(p for p in files if CATALOGUE_DIR not in p.parents and "_pb2" not in p.name)


def test_no_topic_is_named_outside_the_catalogue() -> None:
    wrong: list[str] = []
    for path in scanned():
        where = path.relative_to(ROOT).as_posix()
        if where in ("src/airline/platform/events.py", "tests/unit/test_event_catalogue_only_place.py"):
            continue  # topic_name's definition, and this rule's own exceptions
        for line, what in offences(path, path.read_text()):
            if what not in ALLOWED.get(where, set()):
                wrong.append(f"{where}:{line}: {what}")
    assert wrong == [], "use the event catalogue (airline.contracts.events) instead:\n" + "\n".join(wrong)


def test_the_scan_finds_a_topic_name_call_and_a_topic_string() -> None:
    topic = ".".join(("flights", "flight_delayed", "v1"))
    source = (
        "from airline.platform.events import topic_name\n"
        "A = topic_name('booking', 'booking_confirmed')\n"
        "def f(events):\n"
        f"    return events.topic_name('x', 'y'), '{topic}'\n"
        f'SQL = """select 1 from outbox\n where topic = \'{topic}\'"""\n'
        "NOT_A_TOPIC = ('airline.flights.v1', 'flights.v1', 'unknown_domain.thing.v1',\n"
        "               'a.flights.flight_delayed.v1x')\n"
    )
    assert offences(Path("m.py"), source) == [(2, "topic_name("), (4, topic), (4, "topic_name("), (6, topic)]


def test_the_scan_covers_the_services_and_the_tests() -> None:
    where = {p.relative_to(ROOT).as_posix() for p in scanned()}
    assert {
        "src/airline/gateway/live.py",
        "src/airline/booking/consumers.py",
        "tests/support/booking.py",
        "tests/integration/test_events_in_any_order.py",
    } <= where
    assert not any(w.startswith("src/airline/contracts/events/") for w in where)
