"""Adapters of the payment ports. `CARD_PROCESSORS` / `WALLET_PROVIDERS` name every adapter
(settings pick one by name; the contract tests run against each)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from airline.payment.adapters.sandbox import SandboxCardProcessor, SandboxWallet
from airline.payment.ports import CardProcessor, WalletProvider

CARD_PROCESSORS: dict[str, Callable[[AsyncEngine, str], CardProcessor]] = {
    "sandbox": lambda engine, challenge_code: SandboxCardProcessor(engine, challenge_code)
}
WALLET_PROVIDERS: dict[str, Callable[[AsyncEngine], WalletProvider]] = {"sandbox": lambda engine: SandboxWallet(engine)}
