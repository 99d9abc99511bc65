"""The client's address, as every limit of the gateway counts it.

Behind proxies the TCP peer is the last proxy, and X-Forwarded-For is a chain that each proxy
extends with the address it received the request from. Only the entries our own proxies
wrote can be trusted: with `trusted_proxy_hops` = N (AIRLINE_GATEWAY_TRUSTED_PROXY_HOPS),
the client is the entry N places from the right of [X-Forwarded-For..., peer]; whatever a
client wrote to the left of that is ignored, so it cannot pick a fresh address per request.
With N = 0 (the default) the header is ignored and the peer is the client.
"""

from __future__ import annotations

import ipaddress

from fastapi import Request


def forwarded_chain(request: Request) -> list[str]:
    values = request.headers.getlist("x-forwarded-for")
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def resolve(peer: str, chain: list[str], trusted_hops: int) -> str:
    """Pure: the client address from the peer, the X-Forwarded-For chain and the trusted hops."""
    if trusted_hops <= 0:
        return _canonical(peer) or peer
    full = [*chain, peer]
    # fewer entries than proxies: the request did not come through all of them; the leftmost
    # entry is the best we know (it was written by one of ours or is the peer itself)
    candidate = full[-(trusted_hops + 1)] if len(full) > trusted_hops else full[0]
    return _canonical(candidate) or _canonical(peer) or peer


def _canonical(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.9:5123
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    hops = request.app.state.gateway_settings.trusted_proxy_hops
    return resolve(peer, forwarded_chain(request), hops)
