"""E-mail over SMTP (aiosmtplib), with STARTTLS or implicit TLS and login when configured.

The Message-ID is derived from the idempotency key: a message re-sent after a crash carries the
same Message-ID, which mail systems use to drop duplicates.
"""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from airline.notification.ports import Email, PermanentDeliveryError, TransientDeliveryError
from airline.notification.settings import NotificationSettings

_NAMESPACE = uuid.UUID("0c3e8e7a-1d55-4b3e-8f61-3f0f5d2b7a44")


class SmtpEmailSender:
    name = "smtp"
    inline = False

    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender: str,
        user: str = "",
        password: str = "",
        starttls: bool = True,
        use_tls: bool = False,
        timeout: float = 15.0,
        cert_bundle: str = "",
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.user = user
        self.password = password
        self.starttls = starttls
        self.use_tls = use_tls
        self.timeout = timeout
        self.cert_bundle = cert_bundle

    @classmethod
    def from_settings(cls, s: NotificationSettings) -> SmtpEmailSender:
        return cls(
            s.smtp_host,
            s.smtp_port,
            sender=s.smtp_from,
            user=s.smtp_user,
            password=s.smtp_password.get_secret_value() if s.smtp_password else "",
            starttls=s.smtp_starttls and not s.smtp_use_tls,
            use_tls=s.smtp_use_tls,
            timeout=s.smtp_timeout_seconds,
            cert_bundle=s.smtp_cert_bundle,
        )

    def message_id(self, key: str) -> str:
        domain = self.sender.rsplit("@", 1)[-1].rstrip(">") or "airline.local"
        return f"<{uuid.uuid5(_NAMESPACE, key)}@{domain}>"

    async def send(self, email: Email) -> str:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = email.to
        msg["Subject"] = email.subject
        msg["Date"] = formatdate(usegmt=True)
        msg["Message-ID"] = self.message_id(email.idempotency_key)
        msg.set_content(email.body)
        try:
            await aiosmtplib.send(
                msg,
                hostname=self.host,
                port=self.port,
                username=self.user or None,
                password=self.password or None,
                start_tls=self.starttls,
                use_tls=self.use_tls,
                timeout=self.timeout,
                cert_bundle=self.cert_bundle or None,
            )
        except aiosmtplib.SMTPRecipientsRefused as e:
            # every recipient refused: permanent when the server said 5xx for all of them
            codes = [err.code for err in e.recipients]
            if codes and all(500 <= c < 600 for c in codes):
                first = e.recipients[0]
                raise PermanentDeliveryError(
                    f"the SMTP server refused {email.to} ({first.code}): {first.message}"
                ) from e
            raise TransientDeliveryError(f"the SMTP server deferred {email.to}") from e
        except aiosmtplib.SMTPAuthenticationError as e:
            raise PermanentDeliveryError(f"SMTP login refused ({e.code}): check the SMTP user and password") from e
        except aiosmtplib.SMTPResponseException as e:
            if 500 <= e.code < 600:
                raise PermanentDeliveryError(f"the SMTP server refused the message ({e.code}): {e.message}") from e
            raise TransientDeliveryError(f"the SMTP server deferred the message ({e.code}): {e.message}") from e
        except (
            aiosmtplib.SMTPConnectError,
            aiosmtplib.SMTPTimeoutError,
            aiosmtplib.SMTPServerDisconnected,
            OSError,
        ) as e:  # the server is down, slow or dropped us: try again later
            raise TransientDeliveryError(f"cannot reach the SMTP server {self.host}:{self.port}: {e}") from e
        except aiosmtplib.SMTPException as e:
            # anything else is the server and our settings disagreeing (e.g. AUTH offered only
            # after STARTTLS, which is off): retrying cannot help until someone fixes the settings
            raise PermanentDeliveryError(f"the SMTP server and our settings do not fit: {e}") from e
        return str(msg["Message-ID"])
