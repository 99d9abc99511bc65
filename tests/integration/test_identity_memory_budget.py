"""Issue 13 item 6: a sign-up flood cannot push identity past its memory budget.

argon2id takes ~64 MiB for each hash it computes; identity runs at most
AIRLINE_IDENTITY_HASH_CONCURRENCY (default 2) at once. The real identity service runs in its
own process (`airline serve identity`) so that its peak RSS (VmHWM) is its own; 200 concurrent
sign-ups must all succeed and leave the peak under the stated budget.
Measured on the 2-core test machine: ~236 MiB bounded, ~492 MiB with the unbounded thread pool.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from airline.identity.v1 import identity_pb2 as pb
from airline.identity.v1.identity_pb2_grpc import IdentityServiceStub
from airline.platform.grpc import check_health, make_channel
from airline.platform.settings import PlatformSettings
from tests.support.http import ADMIN_PASSWORD, free_port

MEMORY_BUDGET_MIB = 320
SIGN_UPS = 200


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak RSS from /proc")
async def test_200_concurrent_sign_ups_keep_identity_under_its_memory_budget(
    migrated: PlatformSettings, tmp_path: Path
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRLINE_", "DATABASE_URL", "REDIS_URL", "KAFKA_"))}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env.update(
        PYTHONPATH=os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p),
        AIRLINE_ENV="local",
        AIRLINE_DATA_DIR=str(tmp_path),
        AIRLINE_LOG_JSON="false",
        AIRLINE_LOG_LEVEL="WARNING",
        AIRLINE_DATABASE_URL=str(migrated.database_url),
        AIRLINE_IDENTITY_GRPC=f"127.0.0.1:{port}",
        AIRLINE_IDENTITY_ADMIN_PASSWORD=ADMIN_PASSWORD,
        AIRLINE_SECRETS_DIR="",
    )
    log = open(tmp_path / "identity.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "airline", "serve", "identity"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while not await check_health(f"127.0.0.1:{port}", timeout=1.0):
            assert proc.poll() is None, (tmp_path / "identity.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "identity did not start"
            await asyncio.sleep(0.2)
        idle = peak_rss_mib(proc.pid)

        tag = secrets.token_hex(4)
        async with make_channel(f"127.0.0.1:{port}", 300.0) as channel:
            stub = IdentityServiceStub(channel)
            replies = await asyncio.gather(
                *(
                    stub.SignUp(
                        pb.SignUpRequest(
                            email=f"flood-{tag}-{i}@example.com", password="a-long-password-1", full_name=f"Flood {i}"
                        ),
                        timeout=300,
                    )
                    for i in range(SIGN_UPS)
                )
            )
        assert len({r.id for r in replies}) == SIGN_UPS, "every sign-up succeeded, none was dropped"
        peak = peak_rss_mib(proc.pid)
        print(f"identity peak RSS {peak:.0f} MiB (idle {idle:.0f} MiB) for {SIGN_UPS} concurrent sign-ups")
        assert peak < MEMORY_BUDGET_MIB, f"identity peaked at {peak:.0f} MiB, over its {MEMORY_BUDGET_MIB} MiB budget"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
