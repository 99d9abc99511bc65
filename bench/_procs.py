"""CPU time of the platform's processes, read from /proc, grouped by service.

The platform is the `airline up` process and all its descendants (services, gateway, Redis, the
broker) plus the embedded PostgreSQL: pg_ctl daemonizes the postmaster, so it is found by its pid
file and its backends as its descendants. A process's CPU is utime + stime + cutime + cstime:
the last two hold the CPU of its children that exited and were reaped (PostgreSQL backends that
ended, a restarted service), so a sum over the processes alive at two instants loses nothing
that ended in between as long as its parent is in the tree.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # fields from state (field 3) on


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None:
                tree[int(fields[1])].append(int(entry))
    return tree


def descendants(roots: list[int]) -> list[int]:
    """The roots and every process below them (the /proc ppid walk)."""
    tree = _children()
    out: list[int] = []
    todo = list(roots)
    while todo:
        pid = todo.pop()
        if pid in out:
            continue
        out.append(pid)
        todo.extend(tree.get(pid, []))
    return out


def postmaster_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def platform_pids(root: int, data_dir: Path) -> list[int]:
    roots = [root]
    pm = postmaster_pid(data_dir)
    if pm is not None:
        roots.append(pm)
    return descendants(roots)


def cpu_seconds(pid: int, with_children: bool = True) -> float | None:
    fields = _stat_fields(pid)
    if fields is None:
        return None
    # utime, stime, cutime, cstime are fields 14-17 of /proc/<pid>/stat (index 11-14 here)
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def _cmdline(pid: int) -> list[str]:
    try:
        return [a.decode(errors="replace") for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if a]
    except OSError:
        return []


def group_of(pid: int) -> str:
    """The service a process belongs to, by its command line."""
    argv = _cmdline(pid)
    if not argv:
        return "other"
    if "serve" in argv and argv.index("serve") + 1 < len(argv):
        return argv[argv.index("serve") + 1]  # `python -m airline serve <service>` (gateway too)
    if "up" in argv and any("airline" in a for a in argv):
        return "supervisor"
    joined = " ".join(argv)
    name = Path(argv[0]).name
    if name.startswith("postgres") or joined.startswith("postgres:"):
        return "postgres"
    if "redis" in name:
        return "redis"
    if "tansu" in joined:
        return "broker"
    if name.startswith(("pg_ctl", "sh", "bash")):
        return "supervisor"
    return name


@dataclass
class CpuSnapshot:
    per_pid: dict[int, tuple[str, float]]

    def by_group(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for group, seconds in self.per_pid.values():
            out[group] += seconds
        return dict(out)

    def total(self) -> float:
        return sum(s for _, s in self.per_pid.values())


def snapshot(pids: list[int], groups: dict[int, str] | None = None) -> CpuSnapshot:
    out: dict[int, tuple[str, float]] = {}
    for pid in pids:
        seconds = cpu_seconds(pid)
        if seconds is not None:
            out[pid] = ((groups or {}).get(pid) or group_of(pid), seconds)
    return CpuSnapshot(out)


def platform_snapshot(root: int, data_dir: Path) -> CpuSnapshot:
    return snapshot(platform_pids(root, data_dir))


def delta(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float]:
    """CPU-seconds per group between two snapshots. A process seen only after counts whole (it
    started in between); one seen only before has its earlier time taken off, since it ended and
    its parent (in the tree: the postmaster, the supervisor) now holds all of it in cutime/cstime."""
    out: dict[str, float] = defaultdict(float)
    for pid, (group, seconds) in after.per_pid.items():
        out[group] += seconds - (before.per_pid[pid][1] if pid in before.per_pid else 0.0)
    for pid, (group, seconds) in before.per_pid.items():
        if pid not in after.per_pid:
            out[group] -= seconds
    return dict(out)


def pids_of_groups(root: int, data_dir: Path, wanted: tuple[str, ...]) -> dict[str, int]:
    """The pid of each wanted service's process (the first found)."""
    out: dict[str, int] = {}
    for pid in platform_pids(root, data_dir):
        group = group_of(pid)
        if group in wanted and group not in out:
            out[group] = pid
    return out


def machine_busy_seconds() -> float:
    """CPU-seconds every core of the machine spent busy (not idle, not waiting for I/O) since boot:
    the load's window minus the platform and the client is what other work on the machine took."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / TICKS
