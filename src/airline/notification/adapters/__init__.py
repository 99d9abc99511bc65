"""Provider adapters, chosen by settings in `make_senders` (the composition root calls it)."""

from __future__ import annotations

from airline.notification.ports import EmailSender, SmsSender
from airline.notification.settings import NotificationSettings


def make_senders(settings: NotificationSettings) -> tuple[SmsSender, EmailSender]:
    from airline.notification.adapters.local import LocalEmailSender, LocalSmsSender

    sms: SmsSender = LocalSmsSender()
    email: EmailSender = LocalEmailSender()
    if settings.sms_provider == "http":
        from airline.notification.adapters.http_sms import HttpSmsSender

        sms = HttpSmsSender.from_settings(settings)
    if settings.email_provider == "smtp":
        from airline.notification.adapters.smtp import SmtpEmailSender

        email = SmtpEmailSender.from_settings(settings)
    return sms, email
