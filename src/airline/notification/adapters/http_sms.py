"""SMS through an HTTPS provider with a Twilio-style API: a form POST of To, From and Body to
`{base}/Accounts/{sid}/Messages.json` with HTTP basic auth (account sid, auth token); the reply's
`sid` is the provider's message id.

A 4xx (bad number, bad credentials) is permanent; 429, 5xx and network errors are transient.
The message's idempotency key goes along as `Idempotency-Key`, for providers that honour it.
"""

from __future__ import annotations

import httpx

from airline.notification.ports import PermanentDeliveryError, Sms, TransientDeliveryError
from airline.notification.settings import NotificationSettings


class HttpSmsSender:
    name = "http"
    inline = False

    def __init__(
        self,
        base_url: str,
        account_sid: str,
        auth_token: str,
        sender: str,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/Accounts/{account_sid}/Messages.json"
        self.auth = httpx.BasicAuth(account_sid, auth_token)
        self.sender = sender
        self.timeout = timeout
        self.transport = transport

    @classmethod
    def from_settings(cls, s: NotificationSettings) -> HttpSmsSender:
        assert s.sms_http_auth_token is not None  # the settings validator guarantees it
        return cls(
            s.sms_http_base_url,
            s.sms_http_account_sid,
            s.sms_http_auth_token.get_secret_value(),
            s.sms_http_from,
            timeout=s.sms_http_timeout_seconds,
        )

    async def send(self, sms: Sms) -> str:
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
                r = await client.post(
                    self.url,
                    auth=self.auth,
                    data={"To": sms.to, "From": self.sender, "Body": sms.body},
                    headers={"Idempotency-Key": sms.idempotency_key},
                )
        except httpx.HTTPError as e:
            raise TransientDeliveryError(f"cannot reach the SMS provider: {e!r}") from e
        if r.status_code == 429 or r.status_code >= 500:
            raise TransientDeliveryError(f"the SMS provider answered {r.status_code}; try again later")
        if r.status_code >= 400:
            raise PermanentDeliveryError(f"the SMS provider refused the message ({r.status_code}): {r.text[:300]}")
        try:
            sid = r.json()["sid"]
        except (ValueError, KeyError, TypeError) as e:
            raise TransientDeliveryError(f"the SMS provider answered without a message sid: {r.text[:300]}") from e
        return str(sid)
