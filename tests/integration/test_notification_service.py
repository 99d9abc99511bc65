"""The notification service, running: events produced onto the real broker become messages
(exactly one per fact), SendMessage is idempotent under concurrent identical calls, roles are
checked by the service itself, and the dispatcher retries a real SMTP server that is down."""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from airline.contracts.events import baggage as baggage_events
from airline.contracts.events import booking as booking_events
from airline.contracts.events import checkin as checkin_events
from airline.notification.adapters.local import LocalSmsSender
from airline.notification.adapters.smtp import SmtpEmailSender
from airline.notification.service import NotificationService
from airline.notification.settings import NotificationSettings
from airline.notification.store import messages
from airline.notification.v1 import notification_pb2 as pb
from airline.notification.v1 import notification_pb2_grpc as pb_grpc
from airline.platform.auth import Role
from airline.platform.db import ServiceDatabase, make_engine
from airline.platform.events import Envelope
from airline.platform.migrations import upgrade
from airline.platform.runtime import RunningService, definition_of
from airline.platform.settings import PlatformSettings
from tests.support.http import free_port
from tests.support.notification import PHONE, checkin_event, publish
from tests.support.smtp import SmtpServer, smtp_sender


@pytest.fixture
async def notification(services: dict[str, RunningService]) -> AsyncIterator[pb_grpc.NotificationServiceStub]:
    async with grpc.aio.insecure_channel(services["notification"].target) as channel:
        yield pb_grpc.NotificationServiceStub(channel)


async def messages_for(
    stub: pb_grpc.NotificationServiceStub, md: Any, reference: str, count: int, timeout: float = 60
) -> list[pb.Message]:
    """The messages of `reference`, once there are at least `count` of them (events take a group join)."""
    deadline = time.monotonic() + timeout
    while True:
        reply = await stub.ListMessages(pb.ListMessagesRequest(reference=reference, page_size=200), metadata=md)
        if len(reply.messages) >= count or time.monotonic() > deadline:
            return list(reply.messages)
        await asyncio.sleep(0.2)


async def test_a_checkin_code_event_sends_exactly_one_sms(
    notification: pb_grpc.NotificationServiceStub, settings: PlatformSettings, as_role: Any
) -> None:
    booking = str(uuid.uuid4())
    first = checkin_event(booking, "p1", "7KQ2M9XA")
    # the same event redelivered, the same fact re-emitted under a new event id (a producer that
    # crashed after publishing), then a second passenger's code, which comes last on the partition
    again = checkin_event(booking, "p1", "7KQ2M9XA")
    second = checkin_event(booking, "p2", "9ZZ4K2QB", phone="+65 8123 4567")
    await publish(settings, checkin_events.CODE_ISSUED.topic, first, first, again, second)

    md = as_role(Role.CS)
    got = await messages_for(notification, md, booking, 2)
    deadline = time.monotonic() + 60
    while not any("9ZZ4K2QB" in m.body for m in got) and time.monotonic() < deadline:
        got = await messages_for(notification, md, booking, 2, timeout=1)
    got = await messages_for(notification, md, booking, 2, timeout=1)
    assert sorted((m.recipient, m.kind, m.channel, m.status) for m in got) == [
        ("+6581234567", "checkin_code", "sms", "sent"),
        (PHONE, "checkin_code", "sms", "sent"),
    ]
    ada = next(m for m in got if m.recipient == PHONE)
    assert "7KQ2M9XA" in ada.body and "K7Q2XA" in ada.body and ada.body.startswith("Ada,")
    assert ada.provider == "local" and ada.provider_id.startswith("local-sms-") and ada.attempts == 1
    assert ada.template == "checkin_code.v1" and ada.HasField("sent_at")
    assert (await notification.GetMessage(pb.GetMessageRequest(id=ada.id), metadata=md)) == ada


async def test_an_event_with_a_malformed_phone_is_kept_as_failed_not_lost(
    notification: pb_grpc.NotificationServiceStub, settings: PlatformSettings, as_role: Any
) -> None:
    booking = str(uuid.uuid4())
    await publish(settings, checkin_events.CODE_ISSUED.topic, checkin_event(booking, "p1", "5TR8QK2M", phone="0812"))
    [failed] = await messages_for(notification, as_role(Role.OPS), booking, 1)
    assert failed.status == "failed" and failed.attempts == 0 and failed.recipient == "0812"
    assert "E.164" in failed.last_error and "5TR8QK2M" in failed.body


async def test_a_confirmed_booking_gets_one_email_and_no_sms(
    notification: pb_grpc.NotificationServiceStub, settings: PlatformSettings, as_role: Any
) -> None:
    booking = str(uuid.uuid4())
    payload = {
        "booking_id": booking,
        "pnr": "Q8W2ER",
        "cabin_class": "normal",
        "trip_type": "one_way",
        "total": 25000,
        "currency": "SGD",
        "flights": [
            {
                "flight_id": "f1",
                "number": "XA101",
                "origin": "XSP",
                "destination": "SIN",
                "scheduled_departure": "2026-12-01T06:05:00+00:00",
            }
        ],
        "passengers": [
            {
                "id": "p1",
                "type": "adult",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "flights": [{"flight_id": "f1", "seat": "3A", "e_ticket": "123"}],
            },
            {
                "id": "p2",
                "type": "adult",
                "first_name": "Charles",
                "last_name": "Babbage",
                "flights": [{"flight_id": "f1", "seat": "3B", "e_ticket": "124"}],
            },
        ],
        "bags": [],
        "contact": {"email": "ada@example.com", "phone": PHONE},
        "meals": [],
    }
    event = Envelope(type="BookingConfirmed", version=1, producer="booking", key=booking, payload=payload)
    redelivered_fact = Envelope(type="BookingConfirmed", version=1, producer="booking", key=booking, payload=payload)
    await publish(settings, booking_events.BOOKING_CONFIRMED.topic, event, event, redelivered_fact)
    got = await messages_for(notification, as_role(Role.OPS), booking, 1)
    await asyncio.sleep(1.0)  # the duplicates come after on the same partition: give them time to (not) land
    got = await messages_for(notification, as_role(Role.OPS), booking, 1, timeout=0)
    # the check-in service reacts to the same fact with one code per passenger (its own SMS,
    # kind checkin_code); the confirmation itself is one e-mail and no SMS
    got = [m for m in got if m.kind != "checkin_code"]
    assert [(m.channel, m.recipient, m.kind, m.subject, m.status) for m in got] == [
        ("email", "ada@example.com", "booking_confirmed", "Booking Q8W2ER confirmed", "sent")
    ]
    assert "Ada Lovelace (seats 3A)" in got[0].body and "Charles Babbage (seats 3B)" in got[0].body


async def test_a_disruption_goes_by_sms_and_email(
    notification: pb_grpc.NotificationServiceStub, settings: PlatformSettings, as_role: Any
) -> None:
    booking = str(uuid.uuid4())
    text = "Your flight XA101 XSP-SIN (booking K7Q2XA) is cancelled: technical fault."
    event = Envelope(
        type="PassengersNotified",
        version=1,
        producer="booking",
        key=booking,
        payload={
            "booking_id": booking,
            "pnr": "K7Q2XA",
            "flight_id": "f1",
            "kind": "flight_cancelled",
            "email": "ada@example.com",
            "phone": PHONE,
            "message": text,
        },
    )
    await publish(settings, booking_events.PASSENGERS_NOTIFIED.topic, event, event)
    got = await messages_for(notification, as_role(Role.ADMIN), booking, 2)
    assert sorted((m.channel, m.recipient, m.kind) for m in got) == [
        ("email", "ada@example.com", "flight_disruption"),
        ("sms", PHONE, "flight_disruption"),
    ]
    assert all(text in m.body for m in got)
    assert next(m for m in got if m.channel == "email").subject == "Important: your flight (booking K7Q2XA)"


async def test_a_mishandled_bag_texts_its_owner_when_a_phone_is_known(
    notification: pb_grpc.NotificationServiceStub, settings: PlatformSettings, as_role: Any
) -> None:
    bag = f"bag-{uuid.uuid4().hex[:8]}"
    refs = [str(uuid.uuid4()) for _ in range(3)]

    def tracked(reference: str, status: str, phone: str | None) -> Envelope:
        return Envelope(
            type="BagTracked",
            version=1,
            producer="baggage",
            key=bag,
            payload={
                "bag_id": bag,
                "tag": "0157123456",
                "booking_id": reference,
                "status": status,
                "place": {"airport": "SIN", "location": "baggage hall"},
                "at": "2026-12-01T08:00:00+00:00",
                "flight_id": "f1",
                "flight_number": "XA101",
                "seq": 1,
                "event_id": str(uuid.uuid4()),
                "recorded_by": "agent-1",
                "role": "agent",
                **({"phone": phone} if phone else {}),
            },
        )

    # same key, so the last one (the SMS) is handled after the two that must send nothing
    await publish(
        settings,
        baggage_events.BAG_TRACKED.topic,
        tracked(refs[0], "loaded", PHONE),
        tracked(refs[1], "mishandled", None),
        tracked(refs[2], "mishandled", PHONE),
    )
    md = as_role(Role.OPS)
    got = await messages_for(notification, md, refs[2], 1)
    assert [(m.channel, m.recipient, m.kind) for m in got] == [("sms", PHONE, "bag_mishandled")]
    assert "0157123456" in got[0].body and "SIN baggage hall" in got[0].body
    for quiet in refs[:2]:
        assert await messages_for(notification, md, quiet, 1, timeout=0) == []


async def test_send_message_is_idempotent_under_concurrent_identical_calls(
    notification: pb_grpc.NotificationServiceStub, as_role: Any
) -> None:
    md = as_role(Role.OPS, subject=f"ops-{secrets.token_hex(4)}")
    reference = f"REF{secrets.token_hex(4)}"
    request = pb.SendMessageRequest(
        channel="sms",
        recipient="+65 9123 4567",
        kind="flight_disruption",
        params={
            "flight_number": "XA101",
            "status": "delayed",
            "new_departure": "2026-12-01T06:05:00Z",
            "time_zone": "Asia/Singapore",
        },
        reference=reference,
        idempotency_key=str(uuid.uuid4()),
    )
    replies = await asyncio.gather(*(notification.SendMessage(request, metadata=md) for _ in range(12)))
    assert len({r.id for r in replies}) == 1
    assert replies[0].status == "sent" and replies[0].recipient == PHONE
    assert "14:05 local time" in replies[0].body
    listed = await messages_for(notification, md, reference, 1, timeout=0)
    assert [m.id for m in listed] == [replies[0].id]
    # the same key for another message is a client bug, not a second send
    changed = pb.SendMessageRequest()
    changed.CopyFrom(request)
    changed.params["status"] = "cancelled"
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await notification.SendMessage(changed, metadata=md)
    assert e.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    # another caller's identical key is another message
    other = await notification.SendMessage(request, metadata=as_role(Role.OPS))
    assert other.id != replies[0].id


@pytest.mark.parametrize(
    "change,says",
    [
        ({"recipient": "91234567"}, "E.164"),
        ({"channel": "email", "recipient": "not-an-address"}, "not an e-mail address"),
        ({"kind": "weather"}, "kind"),
        ({"channel": "fax"}, "channel"),
        ({"params": {"text": ""}}, "params.text"),
        ({"kind": "checkin_code"}, "params.code"),
    ],
)
async def test_send_message_refuses_bad_input(
    notification: pb_grpc.NotificationServiceStub, as_role: Any, change: dict[str, Any], says: str
) -> None:
    fields: dict[str, Any] = {"channel": "sms", "recipient": PHONE, "kind": "generic", "params": {"text": "hi"}}
    reference = f"BAD{secrets.token_hex(4)}"
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await notification.SendMessage(
            pb.SendMessageRequest(**(fields | change), reference=reference), metadata=as_role(Role.OPS)
        )
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert says in (e.value.details() or "")
    assert await messages_for(notification, as_role(Role.OPS), reference, 1, timeout=0) == []


@pytest.mark.parametrize("role", [Role.PASSENGER, Role.AGENT, Role.CREW, Role.INVENTORY])
async def test_only_admin_ops_cs_and_system_read_messages(
    notification: pb_grpc.NotificationServiceStub, as_role: Any, role: Role
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await notification.ListMessages(pb.ListMessagesRequest(), metadata=as_role(role))
    assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await notification.GetMessage(pb.GetMessageRequest(id=str(uuid.uuid4())), metadata=as_role(role))
    assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
    for reader in (Role.ADMIN, Role.OPS, Role.CS, Role.SYSTEM):
        await notification.ListMessages(pb.ListMessagesRequest(page_size=1), metadata=as_role(reader))


async def test_only_ops_admin_and_system_send(notification: pb_grpc.NotificationServiceStub, as_role: Any) -> None:
    request = pb.SendMessageRequest(channel="sms", recipient=PHONE, kind="generic", params={"text": "hi"})
    for role in (Role.CS, Role.AGENT, Role.PASSENGER):
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await notification.SendMessage(request, metadata=as_role(role))
        assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await notification.SendMessage(request)
    assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
    for role in (Role.ADMIN, Role.SYSTEM):
        assert (await notification.SendMessage(request, metadata=as_role(role))).status == "sent"


async def test_list_pages_newest_first_and_filters(notification: pb_grpc.NotificationServiceStub, as_role: Any) -> None:
    md = as_role(Role.OPS)
    reference = f"PG{secrets.token_hex(4)}"
    sent = []
    for i in range(5):
        channel, to = ("email", "ada@example.com") if i % 2 else ("sms", PHONE)
        sent.append(
            await notification.SendMessage(
                pb.SendMessageRequest(
                    channel=channel, recipient=to, kind="generic", params={"text": f"message {i}"}, reference=reference
                ),
                metadata=md,
            )
        )
    seen, token = [], ""
    while True:
        page = await notification.ListMessages(
            pb.ListMessagesRequest(reference=reference, page_size=2, page_token=token), metadata=md
        )
        assert len(page.messages) <= 2
        seen += [m.id for m in page.messages]
        token = page.next_page_token
        if not token:
            break
    assert seen == [m.id for m in reversed(sent)]
    emails = await notification.ListMessages(pb.ListMessagesRequest(reference=reference, channel="email"), metadata=md)
    assert [m.id for m in emails.messages] == [sent[3].id, sent[1].id]
    by_phone = await notification.ListMessages(
        pb.ListMessagesRequest(reference=reference, recipient="+65 9123-4567", status="sent"), metadata=md
    )
    assert len(by_phone.messages) == 3
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await notification.ListMessages(pb.ListMessagesRequest(page_token="forged"), metadata=md)
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await notification.GetMessage(pb.GetMessageRequest(id=str(uuid.uuid4())), metadata=md)
    assert e.value.code() == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------- the dispatcher, against real SMTP


@pytest.fixture
async def scratch_notification_db(scratch_database: str) -> AsyncIterator[ServiceDatabase]:  # noqa: F811
    """A database of its own: the running service's dispatcher (local adapters) must not pick up
    the messages this test queues for SMTP."""
    d = definition_of("notification")
    await asyncio.to_thread(upgrade, d.migrations_package, scratch_database, d.metadata.schema)
    engine = make_engine(scratch_database, pool_size=2)
    try:
        yield ServiceDatabase(engine, d.metadata, producer="notification")
    finally:
        await engine.dispose()


async def test_the_dispatcher_retries_a_down_smtp_server_then_delivers_once(
    scratch_notification_db: ServiceDatabase,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    settings = NotificationSettings(_env_file=None, max_attempts=3, retry_base_seconds=1.0, retry_max_seconds=1.0)
    down = SmtpEmailSender("127.0.0.1", free_port(), sender="x@airline.test", timeout=2.0)
    service = NotificationService(scratch_notification_db, settings, LocalSmsSender(), down)
    row = await service.send(
        "ops-1",
        "email",
        "ada@example.com",
        "generic",
        {"subject": "Lost property", "text": "We found your umbrella."},
        "",
        "k1",
    )
    assert row["status"] == "queued" and row["attempts"] == 0  # a remote provider is not called in the transaction

    assert await service.dispatch_due() == 1
    async with scratch_notification_db.engine.connect() as conn:
        after = (await conn.execute(sa.select(messages).where(messages.c.id == row["id"]))).mappings().one()
    assert after["status"] == "queued" and after["attempts"] == 1 and "cannot reach" in after["last_error"]
    assert await service.dispatch_due() == 0  # backing off: not due yet

    # the server is back: the next due pass delivers it, once
    service.email = smtp_sender(smtp_server)
    before = len(smtp_server.mailbox.messages)
    await asyncio.sleep(1.1)
    assert await service.dispatch_due() == 1
    assert await service.dispatch_due() == 0
    async with scratch_notification_db.engine.connect() as conn:
        sent = (await conn.execute(sa.select(messages).where(messages.c.id == row["id"]))).mappings().one()
    assert sent["status"] == "sent" and sent["attempts"] == 2 and sent["provider"] == "smtp"
    delivered = smtp_server.mailbox.messages[before:]
    assert [m["Subject"] for m in delivered] == ["Lost property"]
    assert delivered[0]["Message-ID"] == sent["provider_id"]


async def test_the_dispatcher_gives_up_on_a_refused_address_and_after_max_attempts(
    scratch_notification_db: ServiceDatabase,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    settings = NotificationSettings(_env_file=None, max_attempts=2, retry_base_seconds=0.01, retry_max_seconds=0.01)
    service = NotificationService(scratch_notification_db, settings, LocalSmsSender(), smtp_sender(smtp_server))
    refused = await service.send("ops-1", "email", "nobody@refused.example", "generic", {"text": "hi"}, "", "")
    await service.dispatch_due()
    service.email = SmtpEmailSender("127.0.0.1", free_port(), sender="x@airline.test", timeout=2.0)
    flaky = await service.send("ops-1", "email", "ada@example.com", "generic", {"text": "hi"}, "", "")
    for _ in range(3):
        await service.dispatch_due()
        await asyncio.sleep(0.05)
    async with scratch_notification_db.engine.connect() as conn:
        rows = {r["id"]: r for r in (await conn.execute(sa.select(messages))).mappings()}
    assert rows[refused["id"]]["status"] == "failed" and rows[refused["id"]]["attempts"] == 1
    assert "550" in rows[refused["id"]]["last_error"]
    assert rows[flaky["id"]]["status"] == "failed" and rows[flaky["id"]]["attempts"] == 2
    assert rows[flaky["id"]]["last_error"].startswith("gave up after 2 attempts")
