"""Chaos Toolkit actions and probes for the airline platform (`chaos run` with this folder on
PYTHONPATH). They act on one platform's own processes only: the children of the `airline up`
supervisor whose pid is given, never a process of another platform on the same machine."""

from __future__ import annotations

import signal
import time

import httpx
import psutil


def kill_service(name: str, supervisor_pid: int) -> int:
    """SIGKILL the `airline serve <name>` child of that supervisor (a crash, no clean
    shutdown); how many were killed."""
    killed = 0
    for proc in psutil.Process(int(supervisor_pid)).children(recursive=True):
        try:
            if proc.cmdline()[-2:] == ["serve", name]:
                proc.send_signal(signal.SIGKILL)
                killed += 1
        except psutil.NoSuchProcess:
            continue
    if not killed:
        raise RuntimeError(f"`airline up` (pid {supervisor_pid}) runs no `airline serve {name}`")
    return killed


def healthy_within(base_url: str, seconds: float = 30) -> bool:
    """The gateway reports every service ready within `seconds` (/readyz; a restart is allowed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"{base_url}/readyz", timeout=2)
            services = r.json().get("services", {}) if r.status_code == 200 else {}
            if services and all(s.get("status") == "ready" for s in services.values()):
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False
