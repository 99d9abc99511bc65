"""How much CPU the idle platform burns: start `airline up`, wait for /healthz, sample every
descendant's utime+stime from /proc over a window, stop it, print CPU-seconds per second per
process and in total (issue 16's target: at most 0.02 s/s in total).

    .venv/bin/python tools/idle_cpu.py [--seconds 30] [--settle 10] [--json]

Each process is named by its command line (`serve booking`, `postgres`, `tansu`...); processes
that start or end during the window count for the part they were seen in.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(root: int) -> list[int]:
    tree = children_of()
    out, todo = [root], [root]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def platform_pids(root: int, data_dir: Path) -> list[int]:
    """`airline up` and its descendants, and the embedded PostgreSQL (pg_ctl daemonizes it, so
    its postmaster is found by its pid file) with its backends."""
    pids = descendants(root)
    try:
        postmaster = int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return pids
    return sorted(set(pids) | set(descendants(postmaster)))


def cpu_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime


def label(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    words = [a.decode(errors="replace") for a in argv if a]
    if "serve" in words:
        return "serve " + words[words.index("serve") + 1]
    if "up" in words and "airline" in words:
        return "airline up (supervisor)"
    if not words:
        return str(pid)
    name = Path(words[0]).name
    if name in ("postgres", "postgresql"):
        return "postgres: " + " ".join(words[1:])[:40] if len(words) > 1 else "postgres"
    return name


def wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"airline up exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("airline up was not healthy in time")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0, help="sampling window")
    parser.add_argument("--settle", type=float, default=10.0, help="wait after /healthz before sampling")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="idle-", dir="/tmp"))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "airline", "--data-dir", str(data_dir), "up", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(port, proc, 240)
        time.sleep(args.settle)
        before = {pid: cpu_ticks(pid) for pid in platform_pids(proc.pid, data_dir)}
        names = {pid: label(pid) for pid in before}
        time.sleep(args.seconds)
        after = {pid: cpu_ticks(pid) for pid in platform_pids(proc.pid, data_dir)}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    per: dict[str, float] = {}
    for pid, end in after.items():
        start = before.get(pid, 0) or 0
        if end is None:
            continue
        name = names.get(pid) or label(pid)
        if name.startswith("postgres"):
            name = "postgres (all)"
        per[name] = per.get(name, 0.0) + (end - start) / TICKS / args.seconds
    total = sum(per.values())
    if args.json:
        print(json.dumps({"per_process": per, "total": total}, indent=2))
    else:
        for name, value in sorted(per.items(), key=lambda kv: -kv[1]):
            print(f"{name:<32} {value:.4f} CPU-s/s")
        print(f"{'total':<32} {total:.4f} CPU-s/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
