"""The check-in window is tunable at run time: a znode change reaches the settings object the
check-in use cases read on every call (a real ZooKeeper; see test_running.py for the seat-hold
TTL followed by a whole running platform)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from kazoo.client import KazooClient

from airline.checkin import domain
from airline.checkin.bootstrap import tunable_window
from airline.checkin.settings import CheckinSettings
from airline.platform.errors import Conflict


def eventually(check, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_the_check_in_window_follows_zookeeper(zookeeper: str) -> None:
    settings = CheckinSettings(_env_file=None)
    root = f"/airline-test-{time.monotonic_ns()}"
    config = tunable_window(settings, zookeeper, root)
    config.start()
    zk = KazooClient(hosts=zookeeper)
    zk.start(timeout=30)
    try:
        departure = datetime.now(UTC) + timedelta(hours=30)
        now = datetime.now(UTC)
        with pytest.raises(Conflict):  # 24 h by default: not open 30 h ahead
            domain.require_open(now, domain.window(departure, settings.opens_hours, settings.closes_minutes), "XA101")

        zk.create(f"{root}/checkin/opens_hours", b"48", makepath=True)
        assert eventually(lambda: settings.opens_hours == 48)
        domain.require_open(now, domain.window(departure, settings.opens_hours, settings.closes_minutes), "XA101")

        zk.set(f"{root}/checkin/opens_hours", b"-3")  # refused: the last good value stays
        time.sleep(0.5)
        assert settings.opens_hours == 48

        zk.create(f"{root}/checkin/gate_closes_minutes", b"25", makepath=True)
        assert eventually(lambda: settings.gate_closes_minutes == 25)
        assert domain.gate_closed_at(departure, settings.gate_closes_minutes) == departure - timedelta(minutes=25)

        zk.delete(f"{root}/checkin/opens_hours")  # back to the default
        assert eventually(lambda: settings.opens_hours == 24)
    finally:
        zk.delete(root, recursive=True)
        zk.stop()
        zk.close()
        config.stop()
