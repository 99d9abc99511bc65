"""Container HEALTHCHECK for every command of the image: gRPC health for a service, a TCP
connect for the gateway (its /healthz asks every service, which is readiness, not liveness)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path


def main() -> int:
    argv = Path("/proc/1/cmdline").read_bytes().split(b"\0")
    args = [a.decode() for a in argv if a]
    if "serve" not in args:
        return 0  # migrate or seed: a one-off that ends by itself
    name = args[args.index("serve") + 1]
    from airline.platform.settings import PlatformSettings

    if name == "gateway":
        from airline.gateway.settings import GatewaySettings

        with socket.create_connection(("127.0.0.1", GatewaySettings().port), timeout=2):
            return 0
    import asyncio

    from airline.platform.grpc import check_health

    port = PlatformSettings(env="local").grpc_port(name)
    return 0 if asyncio.run(check_health(f"127.0.0.1:{port}", timeout=2)) else 1


if __name__ == "__main__":
    sys.exit(main())
