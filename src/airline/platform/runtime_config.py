"""Runtime-tunable settings, changed without a restart, from ZooKeeper.

A tunable is one znode holding a number as text, e.g.

    /airline/config/reservation/seat_hold_ttl_seconds   -> b"300"

Each process watches the znodes of its own service. A value that does not parse or is out of
bounds is refused (logged, the last good value stays), and a deleted znode means "back to the
settings default". With no ZooKeeper configured (the embedded default, `airline up`), every
tunable simply is its settings value: the code reads tunables the same way in both topologies.

Known tunables (the service that reads each one wires it in its composition root):

    reservation/seat_hold_ttl_seconds      seat-hold TTL of the next hold (reservation)
    gateway/login_rate_limit               login attempts per client IP per window (gateway)
    gateway/login_rate_window_seconds      that window (gateway)
    checkin/opens_hours, checkin/closes_minutes, checkin/counter_closes_minutes,
    checkin/gate_closes_minutes            the check-in window and gate close (checkin;
        AIRLINE_CHECKIN_OPENS_HOURS etc. are the defaults)
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

Number = int | float


@dataclass(frozen=True)
class Tunable:
    name: str
    default: Number
    minimum: Number
    maximum: Number
    kind: type = int

    def parse(self, raw: bytes | None) -> Number:
        """The value a znode's bytes stand for; ValueError with a reason when refused."""
        text = (raw or b"").decode("utf-8", "replace").strip()
        if not text:
            return self.default
        try:
            value: Number = self.kind(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a {self.kind.__name__}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"{value} is outside [{self.minimum}, {self.maximum}]")
        return value


class RuntimeConfig:
    """The current values of one service's tunables; watched in ZooKeeper when `hosts` is set."""

    def __init__(
        self, service: str, tunables: Iterable[Tunable], hosts: str | None = None, root: str = "/airline/config"
    ) -> None:
        self.service = service
        self.tunables = {t.name: t for t in tunables}
        self.hosts = hosts
        self.root = root.rstrip("/")
        self._values: dict[str, Number] = {name: t.default for name, t in self.tunables.items()}
        self._listeners: dict[str, list[Callable[[Number], None]]] = {}
        self._lock = threading.Lock()
        self._client = None

    def path(self, name: str) -> str:
        return f"{self.root}/{self.service}/{name}"

    def get(self, name: str) -> Number:
        return self._values[name]

    def getter(self, name: str) -> Callable[[], Number]:
        if name not in self.tunables:
            raise KeyError(f"{self.service} has no tunable {name!r}")
        return lambda: self._values[name]

    def on_change(self, name: str, listener: Callable[[Number], None]) -> None:
        """Call `listener(value)` now and after every accepted change of `name`."""
        self._listeners.setdefault(name, []).append(listener)
        listener(self._values[name])

    # ------------------------------------------------------------------ ZooKeeper

    def start(self) -> None:
        """Connect in the background and watch every tunable; never blocks on ZooKeeper, so a
        service starts (on its defaults) while ZooKeeper is down, and follows once it is up."""
        if not self.hosts or self._client is not None:
            return
        from kazoo.client import KazooClient
        from kazoo.retry import KazooRetry

        client = KazooClient(
            hosts=self.hosts,
            connection_retry=KazooRetry(max_tries=-1, max_delay=10),
            command_retry=KazooRetry(max_tries=3),
            read_only=True,
        )
        self._client = client
        connected = client.start_async()

        def watch_all() -> None:
            connected.wait()
            for name in self.tunables:
                client.DataWatch(self.path(name), self._watcher(name))
            log.info("runtime config: watching %s/%s/* in ZooKeeper %s", self.root, self.service, self.hosts)

        client.handler.spawn(watch_all)

    def stop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.stop()
                client.close()
            except Exception:  # already disconnected: nothing left to release
                log.debug("runtime config: ZooKeeper client stop failed", exc_info=True)

    def _watcher(self, name: str) -> Callable[[bytes | None, object], bool]:
        tunable = self.tunables[name]

        def changed(data: bytes | None, stat: object) -> bool:
            if self._client is None:
                return False  # stopped: end this watch
            try:
                value = tunable.default if stat is None else tunable.parse(data)
            except ValueError as e:
                log.warning(
                    "runtime config: refused %s = %r (%s); keeping %s", self.path(name), data, e, self._values[name]
                )
                return True
            self._set(name, value)
            return True

        return changed

    def _set(self, name: str, value: Number) -> None:
        with self._lock:
            old, self._values[name] = self._values[name], value
        if old != value:
            log.info("runtime config: %s = %s (was %s)", self.path(name), value, old)
        for listener in self._listeners.get(name, ()):
            try:
                listener(value)
            except Exception:
                log.exception("runtime config: applying %s failed", self.path(name))
