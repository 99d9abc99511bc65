"""Container HEALTHCHECK for every command of the image: liveness, not readiness. A service
answers its gRPC health "liveness" (platform/health.py), the gateway GET /livez; an outage of the
database, Redis or the broker behind them is their readiness (/readyz, gRPC health ""), and a
container marked unhealthy for it would be restarted for nothing."""

from __future__ import annotations

import sys
import urllib.request
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

        url = f"http://127.0.0.1:{GatewaySettings().port}/livez"
        with urllib.request.urlopen(url, timeout=2) as reply:
            return 0 if reply.status == 200 else 1
    import asyncio

    from airline.platform.grpc import check_health
    from airline.platform.health import LIVENESS

    port = PlatformSettings(env="local").grpc_port(name)
    return 0 if asyncio.run(check_health(f"127.0.0.1:{port}", timeout=2, service=LIVENESS)) else 1


if __name__ == "__main__":
    sys.exit(main())
