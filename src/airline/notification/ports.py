"""The provider ports: how the service hands a message to whoever delivers it.

An adapter returns the provider's message id, or raises TransientDeliveryError (try again
later: the provider is down, rate-limits, times out) or PermanentDeliveryError (retrying cannot
help: the address is refused, the credentials are wrong). The `idempotency_key` is the
message's own id: adapters pass it to the provider where it can deduplicate, so a send retried
after a crash does not reach the passenger twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


class DeliveryError(Exception):
    pass


class TransientDeliveryError(DeliveryError):
    """Worth retrying later."""


class PermanentDeliveryError(DeliveryError):
    """Retrying will not help; the message is marked failed."""


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    body: str
    idempotency_key: str


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    idempotency_key: str


@runtime_checkable
class SmsSender(Protocol):
    name: str
    # True when "sending" is a write to our own database (local): done inside the transaction
    # that creates the message, so the message is sent the moment it exists.
    inline: bool

    async def send(self, sms: Sms) -> str: ...


@runtime_checkable
class EmailSender(Protocol):
    name: str
    inline: bool

    async def send(self, email: Email) -> str: ...
