"""py-spy record against some platform processes for the duration of a load (bench/booking.py
--profile DIR): one speedscope JSON per process (open it at https://www.speedscope.app or with
the speedscope npm package offline) and a text summary of the hottest functions (top.txt)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path


def py_spy() -> str | None:
    here = Path(sys.executable).with_name("py-spy")
    return str(here) if here.exists() else shutil.which("py-spy")


class Profiler:
    """Started before the load, stopped (SIGINT: py-spy writes its file) after it."""

    def __init__(self, out_dir: Path, targets: dict[str, int], rate: int = 100) -> None:
        self.out_dir = out_dir
        self.targets = targets
        self.rate = rate
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.problem: str | None = None

    def start(self) -> None:
        exe = py_spy()
        if exe is None:
            self.problem = "py-spy is not installed (pip install -c requirements.lock py-spy)"
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for name, pid in self.targets.items():
            out = self.out_dir / f"{name}.speedscope.json"
            cmd = [exe, "record", "--pid", str(pid), "--rate", str(self.rate), "--nonblocking"]
            cmd += ["--format", "speedscope", "--output", str(out)]
            log = open(self.out_dir / f"{name}.py-spy.log", "wb")
            self.procs[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        time.sleep(1.0)
        dead = {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}
        if dead:
            logs = "; ".join(f"{n}: {_first_error(self.out_dir / f'{n}.py-spy.log')}" for n in dead)
            self.problem = f"py-spy could not attach (ptrace not permitted?): {logs}"
            self.stop()

    def stop(self) -> list[Path]:
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in self.procs.values():
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)
        files = [self.out_dir / f"{n}.speedscope.json" for n in self.procs]
        self.procs = {}
        written = [f for f in files if f.exists()]
        if written:
            (self.out_dir / "top.txt").write_text("\n".join(summary(f) for f in written))
        return written


def summary(path: Path, top: int = 25) -> str:
    """The functions with the most sampled time at the top of the stack (self) and anywhere in it
    (total), of a py-spy speedscope file. Weights are seconds of wall clock of threads py-spy
    did not judge idle: a thread that is runnable but waits for a core (a busy machine) counts
    where it stands, typically in a syscall such as a socket write."""
    doc = json.loads(path.read_text())
    frames = doc["shared"]["frames"]
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    ours: Counter[str] = Counter()  # inclusive, the platform's own functions only
    samples = 0
    for profile in doc["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=False):
            samples += weight
            names = [_name(frames[i]) for i in stack]
            if names:
                own[names[-1]] += weight
            for name in {_name(frames[i], line=False) for i in stack}:
                total[name] += weight
            for name in {_name(frames[i], False) for i in stack if "/airline/" in frames[i].get("file", "")}:
                ours[name] += weight
    lines = [f"== {path.name}: {samples:.1f} s of non-idle thread time sampled (wall clock)"]
    for title, counter in (("self", own), ("total (inclusive)", total), ("airline code, inclusive", ours)):
        lines.append(f"-- {title}")
        lines += [f"{100 * n / samples:5.1f}%  {name}" for name, n in counter.most_common(top)] if samples else []
    return "\n".join(lines) + "\n"


def _name(frame: dict[str, object], line: bool = True) -> str:
    where = Path(str(frame.get("file", "?"))).name
    return f"{frame['name']} ({where}:{frame.get('line', 0)})" if line else f"{frame['name']} ({where})"


def _first_error(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith(("error", "permission"))]
    return (errors or lines or ["no output"])[0][:200]
