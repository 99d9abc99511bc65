"""Tables of the notification schema and the repository over them.

One row per message. `dedupe_key` is UNIQUE: an event handled twice, or a SendMessage retried
with the same idempotency key, finds the first row instead of making a second message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from airline.platform.db import service_metadata

SCHEMA = "notification"
metadata = service_metadata(SCHEMA)

_now = sa.func.now()

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("recipient", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("template", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False, server_default=""),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("reference", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.Text, nullable=False, server_default="queued"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("provider", sa.Text, nullable=False, server_default=""),
    sa.Column("provider_id", sa.Text, nullable=False, server_default=""),
    sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    sa.Column("dedupe_key", sa.Text, nullable=False),
    sa.Column("requested_by", sa.Text, nullable=False, server_default=""),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    # a held flight-change message: its group (contact, flight, kind of change), the flight's
    # version after the change, and the changed fact after and before it (domain.why_not_send)
    sa.Column("hold_group", sa.Text, nullable=False, server_default=""),
    sa.Column("change_sequence", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("change_value", sa.Text, nullable=False, server_default=""),
    sa.Column("change_previous", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("dedupe_key", name="messages_dedupe_key_unique"),
    sa.CheckConstraint("channel in ('sms','email')", name="messages_channel_known"),
    sa.CheckConstraint("status in ('queued','sent','failed','superseded')", name="messages_status_known"),
    sa.CheckConstraint("attempts >= 0", name="messages_attempts_not_negative"),
    sa.Index("messages_created", "created_at", "id"),
    sa.Index("messages_reference", "reference", "created_at"),
    sa.Index("messages_recipient", "recipient", "created_at"),
    # the dispatcher's work list stays small: only what is still queued
    sa.Index("messages_due", "next_attempt_at", postgresql_where=sa.text("status = 'queued'")),
    sa.Index("messages_hold_group", "hold_group", "change_sequence", postgresql_where=sa.text("hold_group <> ''")),
)


class MessageRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, values: dict[str, Any]) -> Mapping[str, Any] | None:
        """The new row, or None when a message with this dedupe key exists already."""
        row = (
            (
                await self.conn.execute(
                    insert(messages)
                    .values(**values)
                    .on_conflict_do_nothing(index_elements=["dedupe_key"])
                    .returning(*messages.c)
                )
            )
            .mappings()
            .first()
        )
        return row

    async def by_dedupe_key(self, key: str) -> Mapping[str, Any] | None:
        return (await self.conn.execute(sa.select(messages).where(messages.c.dedupe_key == key))).mappings().first()

    async def get(self, message_id: str, *, lock: bool = False) -> Mapping[str, Any] | None:
        q = sa.select(messages).where(messages.c.id == message_id)
        if lock:
            q = q.with_for_update()
        return (await self.conn.execute(q)).mappings().first()

    async def update(self, message_id: str, **values: Any) -> Mapping[str, Any]:
        return (
            (
                await self.conn.execute(
                    messages.update().where(messages.c.id == message_id).values(**values).returning(*messages.c)
                )
            )
            .mappings()
            .one()
        )

    async def claim_due(self, now: datetime, limit: int) -> list[Mapping[str, Any]]:
        """Queued messages whose time has come, locked so that a second dispatcher (another
        replica) skips them instead of sending them too."""
        q = (
            sa.select(messages)
            .where(messages.c.status == "queued", messages.c.next_attempt_at <= now)
            .order_by(messages.c.next_attempt_at, messages.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.conn.execute(q)).mappings().all())

    async def held_group(self, group: str) -> list[Mapping[str, Any]]:
        """The messages of one hold group (one contact, flight and kind of change), oldest change first."""
        q = (
            sa.select(messages)
            .where(messages.c.hold_group == group)
            .order_by(messages.c.change_sequence, messages.c.id)
        )
        return list((await self.conn.execute(q)).mappings().all())

    async def supersede_held(self, groups: list[str], why: str) -> int:
        """Mark the still-held, never-tried messages of these hold groups superseded."""
        result = await self.conn.execute(
            messages.update()
            .where(messages.c.hold_group.in_(groups), messages.c.status == "queued", messages.c.attempts == 0)
            .values(status="superseded", last_error=why)
        )
        return result.rowcount or 0

    async def list(
        self,
        *,
        channel: str,
        recipient: str,
        kind: str,
        reference: str,
        status: str,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Mapping[str, Any]]:
        q = sa.select(messages)
        for column, value in (
            ("channel", channel),
            ("recipient", recipient),
            ("kind", kind),
            ("reference", reference),
            ("status", status),
        ):
            if value:
                q = q.where(messages.c[column] == value)
        if after is not None:
            # keyset paging, newest first: strictly older than the last row of the previous page
            q = q.where(
                sa.tuple_(messages.c.created_at, messages.c.id) < sa.tuple_(sa.literal(after[0]), sa.literal(after[1]))
            )
        q = q.order_by(messages.c.created_at.desc(), messages.c.id.desc()).limit(limit)
        return list((await self.conn.execute(q)).mappings().all())
