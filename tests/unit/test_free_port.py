"""Ports for servers we start: outside the kernel's ephemeral range, free, never handed out twice."""

from __future__ import annotations

import socket

import pytest

from airline.platform import embedded
from airline.platform.embedded import _ephemeral_range, free_port, free_ports


def test_ports_are_outside_the_ephemeral_range_and_bindable() -> None:
    low, high = _ephemeral_range()
    ports = free_ports(50)
    assert len(set(ports)) == 50
    for port in ports:
        assert not low <= port <= high
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))  # raises if it was taken


def test_a_port_with_a_neighbour_has_both_free() -> None:
    port = free_port(neighbour=1000)
    for p in (port, port + 1000):
        with socket.socket() as s:
            s.bind(("127.0.0.1", p))
    assert port + 1000 <= 65535


def test_a_listening_port_is_never_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    # narrow the draw to 1,101 ports below the (pretended) ephemeral range and listen on half
    low = free_port()
    low = min(low, 30000)
    monkeypatch.setattr(embedded, "_LOW_PORT", low)
    monkeypatch.setattr(embedded, "_ephemeral_range", lambda: (low + 1101, 65535))
    monkeypatch.delenv("AIRLINE_PORT_SLOT", raising=False)  # every port of the narrow range, not a worker's half
    monkeypatch.setattr(embedded, "_handed_out", set())
    held: list[socket.socket] = []
    try:
        for port in range(low, low + 1101, 2):
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                s.close()
                continue
            s.listen()
            held.append(s)
        assert len(held) > 400
        taken = {s.getsockname()[1] for s in held}
        drawn = free_ports(100)
        assert all(low <= p <= low + 1100 for p in drawn)
        assert not taken & set(drawn)
    finally:
        for s in held:
            s.close()


def test_side_by_side_processes_draw_from_their_own_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "_handed_out", set())
    for slot in range(3):
        monkeypatch.setenv("AIRLINE_PORT_SLOT", f"{slot}/3")
        assert {p % 3 for p in free_ports(40)} == {slot}
    monkeypatch.setenv("AIRLINE_PORT_SLOT", "nonsense")
    assert len({p % 3 for p in free_ports(60)}) > 1  # malformed: every port
