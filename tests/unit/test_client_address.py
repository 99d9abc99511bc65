"""The client address every gateway limit counts: X-Forwarded-For read through exactly the
configured number of trusted proxy hops, and uvicorn kept from rewriting it."""

from __future__ import annotations

import pytest

from airline.gateway.client_address import resolve
from airline.gateway.limits import account_key, code_key
from airline.gateway.serve import server_config
from airline.gateway.settings import GatewaySettings
from airline.platform.settings import PlatformSettings


@pytest.mark.parametrize(
    ("peer", "chain", "hops", "client"),
    [
        # no trusted proxy: the header is ignored whatever it says
        ("203.0.113.9", ["1.2.3.4"], 0, "203.0.113.9"),
        ("203.0.113.9", [], 0, "203.0.113.9"),
        # one proxy (NGINX) appended the address it saw; forged entries to its left are ignored
        ("10.0.0.2", ["198.51.100.7"], 1, "198.51.100.7"),
        ("10.0.0.2", ["6.6.6.6", "7.7.7.7", "198.51.100.7"], 1, "198.51.100.7"),
        # two proxies (load balancer + Kong): the second from the right of [chain..., peer]
        ("10.0.0.3", ["6.6.6.6", "198.51.100.7", "10.0.0.2"], 2, "198.51.100.7"),
        # fewer entries than proxies: the left-most known entry, never a forged one beyond it
        ("10.0.0.2", [], 1, "10.0.0.2"),
        ("10.0.0.3", ["198.51.100.7"], 2, "198.51.100.7"),
        # ports and brackets are dropped, IPv6 canonicalised
        ("10.0.0.2", ["198.51.100.7:5123"], 1, "198.51.100.7"),
        ("10.0.0.2", ["[2001:DB8::0001]:443"], 1, "2001:db8::1"),
        # garbage where an address should be: the peer, not the garbage (it would be a free key)
        ("10.0.0.2", ["not-an-address"], 1, "10.0.0.2"),
        ("10.0.0.2", ["unknown"], 1, "10.0.0.2"),
    ],
)
def test_the_client_is_the_entry_trusted_hops_from_the_right(
    peer: str, chain: list[str], hops: int, client: str
) -> None:
    assert resolve(peer, chain, hops) == client


def test_a_forged_chain_cannot_choose_the_address() -> None:
    seen = {resolve("10.0.0.2", [forged, "198.51.100.7"], 1) for forged in ("1.1.1.1", "2.2.2.2", "::1")}
    assert seen == {"198.51.100.7"}


def test_uvicorn_never_rewrites_the_client_from_forwarded_headers() -> None:
    config = server_config(PlatformSettings(), GatewaySettings(), proxy_headers=True)
    assert config.proxy_headers is False


def test_limit_keys_ignore_spelling() -> None:
    assert account_key(" Ada@Example.COM ") == account_key("ada@example.com")
    assert code_key("k7qm-4xra ") == code_key("K7QM4XRA")


def test_every_limit_is_a_setting_with_a_default() -> None:
    gw = GatewaySettings()
    for name in (
        "login_failure_limit_per_account",
        "login_failure_limit_per_address",
        "signup_limit_per_address",
        "signup_limit_per_email",
        "lookup_failure_limit_per_address",
        "lookup_failure_limit_per_pnr",
        "checkin_guess_limit",
        "checkin_guess_limit_per_code",
    ):
        assert getattr(gw, name) > 0, name
