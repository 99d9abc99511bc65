"""The local default: "delivering" keeps the message in the service's own messages table,
where developers, staff and tests read it (GET /api/v1/notifications). Nothing leaves the
machine. The provider id is derived from the idempotency key, so a repeated send of the same
message gets the same id, like a provider that deduplicates."""

from __future__ import annotations

import uuid

from airline.notification.domain import email as valid_email
from airline.notification.domain import phone as valid_phone
from airline.notification.ports import Email, PermanentDeliveryError, Sms
from airline.platform.errors import ValidationFailed

_NAMESPACE = uuid.UUID("5b0f3c1e-6f0a-4c55-9a51-7d3c2f2a9e10")


def _id(prefix: str, key: str) -> str:
    return f"{prefix}-{uuid.uuid5(_NAMESPACE, key)}"


class LocalSmsSender:
    name = "local"
    inline = True

    async def send(self, sms: Sms) -> str:
        try:
            valid_phone(sms.to)
        except ValidationFailed as e:
            raise PermanentDeliveryError(e.message) from None
        if not sms.body:
            raise PermanentDeliveryError("an SMS needs a body")
        return _id("local-sms", sms.idempotency_key)


class LocalEmailSender:
    name = "local"
    inline = True

    async def send(self, email: Email) -> str:
        try:
            valid_email(email.to)
        except ValidationFailed as e:
            raise PermanentDeliveryError(e.message) from None
        if not email.body:
            raise PermanentDeliveryError("an e-mail needs a body")
        return _id("local-email", email.idempotency_key)
