"""Replaying dead letters: events a consumer parked (platform/consumer.py) go back to Kafka.

`airline events replay --service S [--topic T] [--since ISO] [--dry-run]` takes the service's
parked events (oldest first), writes each raw envelope into the service's own outbox and deletes
its dead_letters row in the same transaction: the relay re-publishes it (at least once) and the
consumers' processed_events make its effects happen exactly once, in this service and in any
other that handled it already. A second replay finds nothing left to replay. An envelope that
cannot be read stays parked (there is nothing to re-publish). The dead_letters table keeps its
shape in every service; each replayed row leaves a log line (id, topic, offset, event id).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from airline.platform.db import ServiceDatabase, notify_outbox
from airline.platform.events import Envelope

log = logging.getLogger(__name__)


@dataclass
class Replay:
    """What a replay did (or, dry, would do)."""

    replayed: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False


async def replay(
    db: ServiceDatabase,
    consumer: str,
    *,
    topic: str | None = None,
    since: datetime | None = None,
    dry_run: bool = False,
    limit: int = 10_000,
) -> Replay:
    dl, outbox = db.dead_letters, db.outbox
    q = sa.select(dl).where(dl.c.consumer == consumer)
    if topic:
        q = q.where(dl.c.topic == topic)
    if since is not None:
        q = q.where(dl.c.created_at >= since)
    # a concurrent replay skips the rows this one holds: each dead letter is taken once
    q = q.order_by(dl.c.id).limit(limit).with_for_update(skip_locked=True)
    out = Replay(dry_run=dry_run)
    async with db.engine.connect() as conn:
        async with conn.begin() as tx:
            rows = (await conn.execute(q)).mappings().all()
            done: list[int] = []
            for row in rows:
                seen = {
                    "id": row["id"],
                    "topic": row["topic"],
                    "partition": row["partition"],
                    "offset": row["offset"],
                    "error": row["error"],
                    "parked_at": row["created_at"].isoformat(),
                }
                try:
                    envelope = Envelope.from_json(row["raw"])
                except (ValueError, TypeError) as e:
                    out.unreadable.append({**seen, "reason": str(e)})
                    continue
                seen["event_id"] = envelope.event_id
                out.replayed.append(seen)
                if dry_run:
                    continue
                await conn.execute(
                    insert(outbox)
                    .values(
                        event_id=envelope.event_id,
                        topic=row["topic"],
                        key=envelope.key,
                        envelope=json.loads(envelope.to_json()),
                    )
                    # parked twice: sent once; already sent and kept for replay: sent again
                    .on_conflict_do_update(
                        index_elements=[outbox.c.event_id], set_={"published_at": None, "broker": None}
                    )
                )
                done.append(row["id"])
            if dry_run:
                await tx.rollback()
            else:
                if done:
                    await conn.execute(dl.delete().where(dl.c.id.in_(done)))
                    await notify_outbox(conn, db)  # the relay may run in another process
                await tx.commit()
    if not dry_run:
        if out.replayed:
            db.outbox_written.set()
        for r in out.replayed:
            log.info(
                "dead letter %s of consumer %s replayed: topic %s partition %s offset %s event %s (parked %s: %s)",
                r["id"],
                consumer,
                r["topic"],
                r["partition"],
                r["offset"],
                r["event_id"],
                r["parked_at"],
                r["error"][:200],
            )
    for r in out.unreadable:
        log.warning(
            "dead letter %s of consumer %s left parked: unreadable envelope (%s)", r["id"], consumer, r["reason"]
        )
    return out
