"""The provider ports' contract, run against every adapter that can run here: the local
adapters, the SMTP adapter against a real SMTP server (aiosmtpd, with STARTTLS and login, on a
free port), and the HTTPS-SMS adapter against a small local HTTP server speaking the
Twilio-style API it is written for (form POST, basic auth, JSON reply with a sid)."""

from __future__ import annotations

import asyncio
import base64
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import pytest
import uvicorn
from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from airline.notification.adapters.http_sms import HttpSmsSender
from airline.notification.adapters.local import LocalEmailSender, LocalSmsSender
from airline.notification.adapters.smtp import SmtpEmailSender
from airline.notification.ports import (
    Email,
    EmailSender,
    PermanentDeliveryError,
    Sms,
    SmsSender,
    TransientDeliveryError,
)
from tests.support.http import free_port
from tests.support.smtp import SmtpServer, smtp_sender

SID, TOKEN = "AC0123456789", "sms-token-456"
REFUSED_EMAIL = "nobody@refused.invalid"
REFUSED_PHONE = "+999"  # not E.164: every provider refuses it


# ---------------------------------------------------------------- a real SMTP server


# ---------------------------------------------------------------- a Twilio-style HTTP server


@dataclass
class SmsProvider:
    base_url: str
    received: list[dict[str, str]] = field(default_factory=list)
    by_key: dict[str, str] = field(default_factory=dict)
    fail_with: int = 0


def sms_provider_app(state: SmsProvider) -> FastAPI:
    app = FastAPI()

    @app.post("/2010-04-01/Accounts/{sid}/Messages.json")
    async def create_message(sid: str, request: Request, idempotency_key: str = Header("")) -> JSONResponse:
        # the form is parsed by hand: a provider's wire format, no multipart library needed
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode(), keep_blank_values=True).items()}
        To, From, Body = form.get("To", ""), form.get("From", ""), form.get("Body", "")  # noqa: N806
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if sid != SID or request.headers.get("authorization") != expected:
            return JSONResponse({"code": 20003, "message": "Authenticate"}, status_code=401)
        if state.fail_with:
            return JSONResponse({"message": "try later"}, status_code=state.fail_with)
        if not (To.startswith("+") and To[1:].isdigit() and 8 <= len(To) <= 16):
            return JSONResponse(
                {"code": 21211, "message": f"The 'To' number {To} is not a valid phone number."}, status_code=400
            )
        if idempotency_key in state.by_key:
            return JSONResponse({"sid": state.by_key[idempotency_key], "status": "queued"}, status_code=201)
        message_sid = "SM" + uuid.uuid4().hex
        state.by_key[idempotency_key] = message_sid
        state.received.append({"To": To, "From": From, "Body": Body})
        return JSONResponse({"sid": message_sid, "status": "queued"}, status_code=201)

    return app


@pytest.fixture(scope="module")
async def sms_provider() -> AsyncIterator[SmsProvider]:
    port = free_port()
    state = SmsProvider(f"http://127.0.0.1:{port}/2010-04-01")
    server = uvicorn.Server(uvicorn.Config(sms_provider_app(state), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield state
    finally:
        server.should_exit = True
        await task


def http_sender(provider: SmsProvider, token: str = TOKEN, base_url: str | None = None) -> HttpSmsSender:
    return HttpSmsSender(base_url or provider.base_url, SID, token, "+6580000000", timeout=3.0)


# ---------------------------------------------------------------- the contract


@dataclass
class Harness:
    """An adapter, and (for a remote provider) what the provider received."""

    sender: Any
    received: Callable[[], list[dict[str, str]]] | None = None
    unreachable: Any = None  # the same adapter pointed at a port nobody listens on
    wrong_credentials: Any = None


@pytest.fixture(params=["local", "http"])
def sms_harness(request: pytest.FixtureRequest) -> Harness:
    if request.param == "local":
        return Harness(LocalSmsSender())
    provider: SmsProvider = request.getfixturevalue("sms_provider")
    provider.fail_with = 0
    return Harness(
        http_sender(provider),
        lambda: [dict(m) for m in provider.received],
        unreachable=http_sender(provider, base_url=f"http://127.0.0.1:{free_port()}/2010-04-01"),
        wrong_credentials=http_sender(provider, token="wrong-token"),
    )


@pytest.fixture(params=["local", "smtp"])
def email_harness(request: pytest.FixtureRequest) -> Harness:
    if request.param == "local":
        return Harness(LocalEmailSender())
    server: SmtpServer = request.getfixturevalue("smtp_server")

    def received() -> list[dict[str, str]]:
        return [
            {
                "To": m["To"],
                "Subject": m["Subject"],
                "Message-ID": m["Message-ID"],
                "Body": m.get_payload(decode=True).decode().replace("\r\n", "\n").strip(),
            }
            for m in server.mailbox.messages
        ]

    return Harness(
        smtp_sender(server),
        received,
        unreachable=SmtpEmailSender("127.0.0.1", free_port(), sender="x@airline.test", timeout=2.0),
        wrong_credentials=smtp_sender(server, password="wrong-password"),
    )


def _key() -> str:
    return str(uuid.uuid4())


async def test_an_sms_is_accepted_with_a_provider_id(sms_harness: Harness) -> None:
    assert isinstance(sms_harness.sender, SmsSender)
    body = f"Your check-in code is {secrets.token_hex(4).upper()}."
    before = len(sms_harness.received()) if sms_harness.received else 0
    provider_id = await sms_harness.sender.send(Sms("+6591234567", body, _key()))
    assert isinstance(provider_id, str) and provider_id
    if sms_harness.received:
        assert sms_harness.received()[before:] == [{"To": "+6591234567", "From": "+6580000000", "Body": body}]


async def test_an_email_is_accepted_with_a_provider_id(email_harness: Harness) -> None:
    assert isinstance(email_harness.sender, EmailSender)
    subject = f"Booking {secrets.token_hex(3).upper()} confirmed"
    before = len(email_harness.received()) if email_harness.received else 0
    provider_id = await email_harness.sender.send(Email("ada@example.com", subject, "Flights:\n  - XA101\n", _key()))
    assert isinstance(provider_id, str) and provider_id
    if email_harness.received:
        got = email_harness.received()[before:]
        assert got == [
            {"To": "ada@example.com", "Subject": subject, "Message-ID": provider_id, "Body": "Flights:\n  - XA101"}
        ]


async def test_a_resent_sms_keeps_its_provider_id(sms_harness: Harness) -> None:
    """A send repeated after a crash (same idempotency key) is the same message to the provider."""
    key = _key()
    first = await sms_harness.sender.send(Sms("+6591234567", "Gate X2 now boarding.", key))
    again = await sms_harness.sender.send(Sms("+6591234567", "Gate X2 now boarding.", key))
    other = await sms_harness.sender.send(Sms("+6591234567", "Gate X2 now boarding.", _key()))
    assert first == again and other != first


async def test_a_resent_email_keeps_its_provider_id(email_harness: Harness) -> None:
    key = _key()
    first = await email_harness.sender.send(Email("ada@example.com", "Hello", "Body", key))
    again = await email_harness.sender.send(Email("ada@example.com", "Hello", "Body", key))
    other = await email_harness.sender.send(Email("ada@example.com", "Hello", "Body", _key()))
    assert first == again and other != first


async def test_a_refused_phone_number_is_a_permanent_error(sms_harness: Harness) -> None:
    with pytest.raises(PermanentDeliveryError):
        await sms_harness.sender.send(Sms(REFUSED_PHONE, "hello", _key()))


async def test_a_refused_address_is_a_permanent_error(email_harness: Harness) -> None:
    # local refuses what cannot be an address; the SMTP server refuses this mailbox with 550
    to = REFUSED_EMAIL if email_harness.received is None else "nobody@refused.example"
    with pytest.raises(PermanentDeliveryError):
        await email_harness.sender.send(Email(to, "Hello", "Body", _key()))


@pytest.mark.parametrize("port", ["sms", "email"])
async def test_remote_providers_tell_down_from_refused(port: str, request: pytest.FixtureRequest) -> None:
    """Unreachable is worth retrying; wrong credentials are not."""
    if port == "sms":
        provider: SmsProvider = request.getfixturevalue("sms_provider")
        provider.fail_with = 0
        sender: Any = http_sender(provider)
        message: Any = Sms("+6591234567", "hello", _key())
        unreachable = http_sender(provider, base_url=f"http://127.0.0.1:{free_port()}/2010-04-01")
        wrong = http_sender(provider, token="wrong-token")
    else:
        server: SmtpServer = request.getfixturevalue("smtp_server")
        sender = smtp_sender(server)
        message = Email("ada@example.com", "Hello", "Body", _key())
        unreachable = SmtpEmailSender("127.0.0.1", free_port(), sender="x@airline.test", timeout=2.0)
        wrong = smtp_sender(server, password="wrong-password")
    with pytest.raises(TransientDeliveryError):
        await unreachable.send(message)
    with pytest.raises(PermanentDeliveryError):
        await wrong.send(message)
    assert await sender.send(message)  # the same message goes through once the provider is right


@pytest.mark.parametrize(
    "status,error", [(503, TransientDeliveryError), (429, TransientDeliveryError), (500, TransientDeliveryError)]
)
async def test_an_sms_provider_that_is_overloaded_is_retried_later(
    sms_provider: SmsProvider, status: int, error: type[Exception]
) -> None:
    sms_provider.fail_with = status
    try:
        with pytest.raises(error):
            await http_sender(sms_provider).send(Sms("+6591234567", "hello", _key()))
    finally:
        sms_provider.fail_with = 0


async def test_smtp_needs_starttls_before_login(smtp_server: SmtpServer) -> None:
    """Without STARTTLS the server refuses the login: the adapter never sends a password in clear,
    and reports the refusal as permanent (a configuration error, not an outage)."""
    with pytest.raises(PermanentDeliveryError):
        await smtp_sender(smtp_server, starttls=False).send(Email("ada@example.com", "Hello", "Body", _key()))
