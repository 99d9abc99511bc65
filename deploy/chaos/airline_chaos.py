"""Chaos Toolkit actions and probes for the airline platform (`chaos run` with this folder on
PYTHONPATH). They act on one platform's own processes only, found by their command line."""
from __future__ import annotations

import signal
import time

import httpx
import psutil


def kill_service(name: str) -> int:
    """SIGKILL every `airline serve <name>` process (a crash, no clean shutdown); their pids."""
    killed = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if cmdline[-2:] == ["serve", name] and "airline" in " ".join(cmdline):
            proc.send_signal(signal.SIGKILL)
            killed.append(proc.info["pid"])
    if not killed:
        raise RuntimeError(f"no `airline serve {name}` process to kill")
    return len(killed)


def healthy_within(base_url: str, seconds: float = 30) -> bool:
    """The gateway reports every service serving within `seconds` (a restart is allowed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False
