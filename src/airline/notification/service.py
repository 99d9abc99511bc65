"""Notification use cases: turn events and staff requests into messages, deliver them through
the configured adapters, and read them back. The only place a transaction begins and commits.

A message is written in the same transaction as the record of the event that caused it (the
consumer's unit of work), under a dedupe key naming the fact, so a redelivered event or a
retried request never makes a second message. Local adapters "send" inside that transaction;
real providers are called by the dispatcher after commit, with retries and backoff. A crash
between a provider's accept and our commit leaves the message queued: it is sent again with
the same idempotency key (the message id), which the provider uses to drop the duplicate.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from airline.contracts.events import baggage as bag_events
from airline.contracts.events import booking as booking_events
from airline.contracts.events import checkin as checkin_events
from airline.notification import domain, templates
from airline.notification.domain import Channel, Status
from airline.notification.ports import DeliveryError, Email, EmailSender, PermanentDeliveryError, Sms, SmsSender
from airline.notification.settings import NotificationSettings
from airline.notification.store import MessageRepository
from airline.notification.templates import Rendered
from airline.platform.db import ServiceDatabase, UnitOfWork, utcnow
from airline.platform.errors import Conflict, NotFound, ValidationFailed
from airline.platform.events import Envelope

log = logging.getLogger(__name__)

DEFAULT_PAGE = 50
MAX_PAGE = 200

Row = Mapping[str, Any]


def encode_page_token(row: Row) -> str:
    raw = json.dumps([row["created_at"].isoformat(), row["id"]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(token: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        created, message_id = json.loads(raw)
        when = datetime.fromisoformat(created)
        if when.tzinfo is None or not isinstance(message_id, str):
            raise ValueError
        return when, message_id
    except (ValueError, TypeError):
        raise ValidationFailed("page_token is not one this API gave out", field="page_token") from None


def _confirmation(p: booking_events.BookingConfirmed) -> Rendered:
    """The booking's confirmation e-mail (sent when it is confirmed, and again on request)."""
    return templates.booking_confirmed(
        pnr=p.pnr,
        flights=[f.model_dump() for f in p.flights],
        passengers=[x.model_dump() for x in p.passengers],
        total=p.total,
        currency=p.currency,
    )


class NotificationService:
    def __init__(self, db: ServiceDatabase, settings: NotificationSettings, sms: SmsSender, email: EmailSender) -> None:
        self.db = db
        self.settings = settings
        self.sms = sms
        self.email = email
        # set after a commit that queued a message for a remote provider: the dispatcher runs at once
        self.wake = asyncio.Event()

    def handlers(self) -> dict[str, Any]:
        return {
            checkin_events.CODE_ISSUED.topic: self.on_checkin_code_issued,
            booking_events.BOOKING_CONFIRMED.topic: self.on_booking_confirmed,
            booking_events.CONFIRMATION_RESENT.topic: self.on_confirmation_resent,
            booking_events.PASSENGERS_NOTIFIED.topic: self.on_passengers_notified,
            bag_events.BAG_TRACKED.topic: self.on_bag_tracked,
        }

    def _sender(self, channel: str) -> SmsSender | EmailSender:
        return self.sms if channel == Channel.SMS else self.email

    # ------------------------------------------------------------ writing messages

    async def _queue(
        self,
        uow: UnitOfWork,
        rendered: Rendered,
        recipient: str,
        reference: str,
        dedupe: str,
        requested_by: str = "",
        hold: Mapping[str, Any] | None = None,
    ) -> tuple[Row, bool]:
        """The message for `dedupe` (created now, or the one that exists) and whether it is new.
        A message with `hold` (its hold group and change, see store.messages) waits the settle
        window in the queue; the dispatcher then sends it unless a later change superseded it."""
        repo = MessageRepository(uow.conn)
        invalid = ""
        try:
            to = domain.recipient(rendered.channel, recipient)
        except ValidationFailed as e:
            # an event with a malformed phone/address: kept as failed so staff see why nothing went out
            to, invalid = recipient, e.message
        sender = self._sender(rendered.channel)
        row = await repo.add(
            {
                "id": str(uuid.uuid4()),
                "channel": rendered.channel.value,
                "recipient": to,
                "kind": rendered.kind,
                "template": rendered.template,
                "subject": rendered.subject,
                "body": rendered.body,
                "reference": reference,
                "dedupe_key": dedupe,
                "requested_by": requested_by,
                "provider": sender.name,
                **({"status": Status.FAILED.value, "last_error": invalid} if invalid else {}),
                **(
                    dict(hold, next_attempt_at=utcnow() + timedelta(seconds=self.settings.settle_seconds))
                    if hold
                    else {}
                ),
            }
        )
        if row is None:
            existing = await repo.by_dedupe_key(dedupe)
            assert existing is not None
            return existing, False
        if invalid or hold:
            return row, True
        if sender.inline:
            row = await self._deliver(repo, row)
        else:
            uow.after_commit(self.wake.set)
        return row, True

    async def _deliver(self, repo: MessageRepository, row: Row) -> Row:
        """One delivery attempt; records its outcome on the row (in the caller's transaction)."""
        attempts = row["attempts"] + 1
        sender = self._sender(row["channel"])
        try:
            if row["channel"] == Channel.SMS:
                provider_id = await self.sms.send(Sms(row["recipient"], row["body"], row["id"]))
            else:
                provider_id = await self.email.send(Email(row["recipient"], row["subject"], row["body"], row["id"]))
        except PermanentDeliveryError as e:
            log.warning("message %s failed for good: %s", row["id"], e)
            return await repo.update(
                row["id"], status=Status.FAILED.value, attempts=attempts, last_error=str(e)[:1000], provider=sender.name
            )
        except Exception as e:  # transient, or an adapter bug: neither may stop the queue
            if not isinstance(e, DeliveryError):
                log.exception("adapter %s raised unexpectedly on message %s", sender.name, row["id"])
            if attempts >= self.settings.max_attempts:
                return await repo.update(
                    row["id"],
                    status=Status.FAILED.value,
                    attempts=attempts,
                    last_error=f"gave up after {attempts} attempts: {e}"[:1000],
                    provider=sender.name,
                )
            delay = domain.backoff(attempts, self.settings.retry_base_seconds, self.settings.retry_max_seconds)
            return await repo.update(
                row["id"],
                attempts=attempts,
                last_error=str(e)[:1000],
                next_attempt_at=utcnow() + delay,
                provider=sender.name,
            )
        return await repo.update(
            row["id"],
            status=Status.SENT.value,
            attempts=attempts,
            provider_id=provider_id,
            provider=sender.name,
            sent_at=utcnow(),
            last_error="",
        )

    async def dispatch_due(self) -> int:
        """Send what is due, one batch per transaction; returns how many were attempted."""
        total = 0
        while True:
            async with self.db.uow() as uow:
                repo = MessageRepository(uow.conn)
                due = await repo.claim_due(utcnow(), self.settings.dispatch_batch)
                for row in due:
                    if row["hold_group"] and await self._superseded(repo, row):
                        continue
                    await self._deliver(repo, row)
                await uow.commit()
            total += len(due)
            if len(due) < self.settings.dispatch_batch:
                return total

    async def _superseded(self, repo: MessageRepository, row: Row) -> bool:
        """A held flight-change message a later change replaced or undid is marked so, not sent
        (in the dispatcher's transaction, with the row locked: decided once)."""
        if row["attempts"] > 0:  # already tried once: it was decided then
            return False
        group = [
            domain.HeldChange(r["change_sequence"], r["change_value"], r["change_previous"], r["status"])
            for r in await repo.held_group(row["hold_group"])
            if r["id"] != row["id"]
        ]
        me = domain.HeldChange(row["change_sequence"], row["change_value"], row["change_previous"], row["status"])
        why = domain.why_not_send(me, group)
        if why:
            log.info("message %s not sent: %s", row["id"], why)
            await repo.update(row["id"], status=Status.SUPERSEDED.value, last_error=why)
        return bool(why)

    async def run_dispatcher(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=self.settings.dispatch_interval_seconds)
            except TimeoutError:
                pass
            self.wake.clear()
            if stop.is_set():
                return
            try:
                await self.dispatch_due()
            except Exception as e:  # the database may be down: next round
                log.warning("notification dispatch pass failed, will retry: %s", e)

    async def send(
        self,
        caller: str,
        channel: str,
        recipient: str,
        kind: str,
        params: Mapping[str, str],
        reference: str,
        idempotency_key: str,
    ) -> Row:
        ch = domain.channel(channel)
        to = domain.recipient(ch, recipient)
        rendered = templates.from_params(kind.strip().lower(), ch, params)
        ref = domain.reference(reference)
        key = domain.idempotency_key(idempotency_key)
        dedupe = domain.api_dedupe_key(caller, key) if key else domain.dedupe_key("api", str(uuid.uuid4()))
        async with self.db.uow() as uow:
            row, created = await self._queue(uow, rendered, to, ref, dedupe, requested_by=caller)
            if not created and (row["channel"], row["recipient"], row["kind"], row["body"], row["reference"]) != (
                ch.value,
                to,
                rendered.kind,
                rendered.body,
                ref,
            ):
                raise Conflict(
                    "this idempotency key was used for a different message",
                    code="idempotency_key_reused",
                    field="idempotency_key",
                )
            await uow.commit()
        return row

    # ------------------------------------------------------------ events in

    async def on_checkin_code_issued(self, uow: UnitOfWork, envelope: Envelope) -> None:
        p = checkin_events.CODE_ISSUED.parse(envelope)
        if not p.phone:
            log.info("check-in code for booking %s: no phone, no SMS", p.booking_id)
            return
        rendered = templates.checkin_code(
            code=p.code, pnr=p.pnr, first_name=p.first_name, flights=[f.model_dump() for f in p.flights]
        )
        dedupe = domain.dedupe_key("checkin_code", p.booking_id, p.passenger_id, p.code)
        await self._queue(uow, rendered, p.phone, p.booking_id, dedupe)

    async def on_booking_confirmed(self, uow: UnitOfWork, envelope: Envelope) -> None:
        p = booking_events.BOOKING_CONFIRMED.parse(envelope)
        if not p.contact.email:
            return
        rendered = _confirmation(p)
        # one confirmation per booking, however often the event arrives
        await self._queue(
            uow, rendered, p.contact.email, p.booking_id, domain.dedupe_key("booking_confirmed", p.booking_id)
        )

    async def on_confirmation_resent(self, uow: UnitOfWork, envelope: Envelope) -> None:
        """The confirmation again, as the booking is now: one message per resend request."""
        p = booking_events.CONFIRMATION_RESENT.parse(envelope)
        if not p.contact.email:
            return
        rendered = _confirmation(p)
        dedupe = domain.dedupe_key("confirmation_resent", p.booking_id, p.resend_id)
        await self._queue(uow, rendered, p.contact.email, p.booking_id, dedupe)

    async def on_passengers_notified(self, uow: UnitOfWork, envelope: Envelope) -> None:
        p = booking_events.PASSENGERS_NOTIFIED.parse(envelope)
        if p.flight_change is not None:
            await self._flight_change(uow, p)
            return
        for channel, to in ((Channel.SMS, p.phone), (Channel.EMAIL, p.email)):
            if not to:
                continue
            rendered = templates.flight_disruption(channel, message=p.message, pnr=p.pnr)
            dedupe = (
                domain.dedupe_key("passengers_notified", p.booking_id, p.kind, p.fact, channel.value)
                if p.fact
                else domain.dedupe_key("flight_disruption", envelope.event_id, channel.value)
            )
            await self._queue(uow, rendered, to, p.booking_id, dedupe)

    async def _flight_change(self, uow: UnitOfWork, p: booking_events.PassengersNotified) -> None:
        """One SMS and one e-mail per booking contact per change, worded here (the booking's
        language, local times); delays, gate changes and diversions are held to settle."""
        change = p.flight_change
        assert change is not None
        if change.change == domain.FINAL_CHANGE:
            # a delay or gate change still held for a cancelled flight is no news any more
            groups = [
                domain.flight_change_group(p.booking_id, p.flight_id, kind, channel)
                for kind in sorted(domain.SETTLED_CHANGES)
                for channel in Channel
            ]
            await MessageRepository(uow.conn).supersede_held(groups, "superseded: the flight was cancelled")
        for channel, to in ((Channel.SMS, p.phone), (Channel.EMAIL, p.email)):
            if not to:
                continue
            rendered = templates.flight_change(channel, change.model_dump(), pnr=p.pnr, language=p.language)
            dedupe = domain.flight_change_dedupe_key(p.booking_id, p.flight_id, change.change, change.sequence, channel)
            hold = None
            if change.change in domain.SETTLED_CHANGES:
                hold = {
                    "hold_group": domain.flight_change_group(p.booking_id, p.flight_id, change.change, channel),
                    "change_sequence": change.sequence,
                    "change_value": change.value,
                    "change_previous": change.previous,
                }
            await self._queue(uow, rendered, to, p.booking_id, dedupe, hold=hold)

    async def on_bag_tracked(self, uow: UnitOfWork, envelope: Envelope) -> None:
        p = bag_events.BAG_TRACKED.parse(envelope)
        if p.status != "mishandled" or not p.phone:
            return
        place = " ".join(x for x in (p.place.airport, p.place.location) if x)
        rendered = templates.bag_mishandled(tag=p.tag, place=place)
        dedupe = domain.dedupe_key("bag_mishandled", p.tag, envelope.event_id)
        await self._queue(uow, rendered, p.phone, p.booking_id or p.tag, dedupe)

    # ------------------------------------------------------------ reads

    async def get(self, message_id: str) -> Row:
        try:
            uuid.UUID(message_id)
        except ValueError:
            raise NotFound(f"no message {message_id}", field="id") from None
        async with self.db.uow() as uow:
            row = await MessageRepository(uow.conn).get(message_id)
        if row is None:
            raise NotFound(f"no message {message_id}", field="id")
        return row

    async def list(
        self,
        *,
        channel: str = "",
        recipient: str = "",
        kind: str = "",
        reference: str = "",
        status: str = "",
        page_size: int = 0,
        page_token: str = "",
    ) -> tuple[list[Row], str]:
        ch = domain.channel(channel).value if channel.strip() else ""
        st = domain.status(status).value if status.strip() else ""
        kind = kind.strip().lower()
        if kind and kind not in templates.KINDS:
            raise ValidationFailed(f"unknown kind {kind!r}; one of {', '.join(templates.KINDS)}", field="kind")
        if recipient.strip():
            # compare like for like: a phone typed with spaces finds the stored E.164 form
            recipient = domain.recipient(Channel.EMAIL if "@" in recipient else Channel.SMS, recipient)
        if page_size < 0 or page_size > MAX_PAGE:
            raise ValidationFailed(f"page_size must be 1 to {MAX_PAGE}", field="page_size")
        size = page_size or DEFAULT_PAGE
        after = decode_page_token(page_token) if page_token else None
        async with self.db.uow() as uow:
            rows = await MessageRepository(uow.conn).list(
                channel=ch,
                recipient=recipient.strip(),
                kind=kind,
                reference=reference.strip(),
                status=st,
                after=after,
                limit=size + 1,
            )
        token = encode_page_token(rows[size - 1]) if len(rows) > size else ""
        return rows[:size], token
