"""A real SMTP server (aiosmtpd, STARTTLS, AUTH) for the notification adapter tests."""

from __future__ import annotations

import email as email_lib
from dataclasses import dataclass
from typing import Any

from aiosmtpd.smtp import AuthResult, Session
from aiosmtpd.smtp import Envelope as SmtpEnvelope

from airline.notification.adapters.smtp import SmtpEmailSender

SMTP_USER, SMTP_PASSWORD = "mailer", "mailer-secret-123"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email_lib.message.Message] = []

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: SmtpEnvelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.endswith("@refused.example"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: SmtpEnvelope) -> str:
        assert session.ssl is not None, "the adapter sent mail before STARTTLS"
        self.messages.append(email_lib.message_from_bytes(envelope.content))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def authenticate(server: Any, session: Session, envelope: SmtpEnvelope, mechanism: str, auth_data: Any) -> AuthResult:
    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    port: int
    ca_file: str
    mailbox: Mailbox


def smtp_sender(server: SmtpServer, **overrides: Any) -> SmtpEmailSender:
    options: dict[str, Any] = dict(
        sender="XA Airline <no-reply@airline.test>",
        user=SMTP_USER,
        password=SMTP_PASSWORD,
        starttls=True,
        timeout=5.0,
        cert_bundle=server.ca_file,
    )
    return SmtpEmailSender("127.0.0.1", server.port, **(options | overrides))
