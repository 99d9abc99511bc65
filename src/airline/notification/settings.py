from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from airline.platform.settings import ServiceSettings


class NotificationSettings(ServiceSettings):  # SMTP password, SMS token may arrive as files
    model_config = SettingsConfigDict(env_prefix="AIRLINE_NOTIFICATION_", extra="ignore")

    # local: messages are kept in our own table (read them with GET /api/v1/notifications)
    sms_provider: Literal["local", "http"] = "local"
    email_provider: Literal["local", "smtp"] = "local"

    # SMTP (email_provider=smtp)
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_use_tls: bool = False  # implicit TLS (port 465) instead of STARTTLS
    # a CA file to trust for the server's certificate (a private relay); empty = the system's CAs
    smtp_cert_bundle: str = ""
    smtp_from: str = "XA Airline <no-reply@airline.local>"
    smtp_timeout_seconds: float = 15.0

    # HTTPS SMS provider, Twilio-style (sms_provider=http): POST {base}/Accounts/{sid}/Messages.json
    sms_http_base_url: str = "https://api.twilio.com/2010-04-01"
    sms_http_account_sid: str = ""
    sms_http_auth_token: SecretStr | None = None
    sms_http_from: str = ""  # our sender number (E.164) or alphanumeric sender id
    sms_http_timeout_seconds: float = 10.0

    # Dispatcher: retries with exponential backoff, then the message is marked failed.
    max_attempts: int = Field(default=6, ge=1, le=50)
    retry_base_seconds: float = Field(default=2.0, gt=0)
    retry_max_seconds: float = Field(default=300.0, gt=0)
    dispatch_interval_seconds: float = Field(default=2.0, gt=0)
    dispatch_batch: int = Field(default=20, ge=1, le=500)
    # A delay, gate change or diversion is held this long before it is sent: a change the
    # airline undoes (or replaces) meanwhile sends nothing (or only the newest value).
    settle_seconds: float = Field(default=60.0, ge=0)

    @model_validator(mode="after")
    def _provider_configured(self) -> NotificationSettings:
        if self.sms_provider == "http" and (
            not self.sms_http_account_sid or self.sms_http_auth_token is None or not self.sms_http_from
        ):
            raise ValueError(
                "AIRLINE_NOTIFICATION_SMS_PROVIDER=http needs AIRLINE_NOTIFICATION_SMS_HTTP_ACCOUNT_SID, "
                "..._SMS_HTTP_AUTH_TOKEN and ..._SMS_HTTP_FROM"
            )
        if self.email_provider == "smtp" and not self.smtp_host:
            raise ValueError("AIRLINE_NOTIFICATION_EMAIL_PROVIDER=smtp needs AIRLINE_NOTIFICATION_SMTP_HOST")
        return self
