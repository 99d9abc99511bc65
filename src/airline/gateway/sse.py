"""The Server-Sent Events plumbing every live route shares: the process's live hub, following
channels (the snapshot alone when live updates are down), the first `snapshot` event, and how a stream
route documents its errors.

Each stream subscribes *before* it reads its snapshot over gRPC, so that no change falls
between the two; a stream that may have missed something ends, and the browser's EventSource
reconnects (after `RETRY_MS`) to a fresh snapshot.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.sse import ServerSentEvent
from pydantic import BaseModel

from airline.gateway.live import LiveHub, LiveUnavailable, Subscription, SubscriptionLost
from airline.gateway.problems import PROBLEM_JSON
from airline.platform.redis import REDIS_DEGRADED

RETRY_MS = 2000  # how long a browser waits before reconnecting a stream that ended


def hub(request: Request) -> LiveHub:
    return request.app.state.live_hub  # type: ignore[no-any-return]


Hub_ = Annotated[LiveHub, Depends(hub)]


async def follow(stack: AsyncExitStack, live: LiveHub, channels: list[str]) -> Subscription:
    """Subscribe for the life of `stack`. When live updates are down (Redis unreachable) the
    subscription comes already lost: the stream sends its snapshot and ends, and the browser
    reconnects after `RETRY_MS` to a fresh one, so a follower keeps seeing the state (polled)
    instead of a stream of 503s, and is live again once Redis is back."""
    try:
        return await stack.enter_async_context(live.subscribe(channels))
    except LiveUnavailable:
        REDIS_DEGRADED.labels("gateway", "live").inc()
        unfollowed = Subscription(channels, 1)
        unfollowed.lose()
        return unfollowed


def snapshot_event(snapshot: BaseModel, *, by_alias: bool = False, with_id: bool = True) -> ServerSentEvent:
    """A stream's first event: the current state, and how long to wait before reconnecting."""
    return ServerSentEvent(
        event="snapshot",
        id=f"snapshot-{uuid.uuid4()}" if with_id else None,
        retry=RETRY_MS,
        raw_data=snapshot.model_dump_json(by_alias=by_alias),
    )


async def messages(sub: Subscription) -> AsyncIterator[dict[str, Any]]:
    """The live messages of a subscription until it is lost (then the stream ends)."""
    while True:
        try:
            yield await sub.next()
        except SubscriptionLost:
            return


def stream_error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error responses of a stream route (error_responses would document them as event streams)."""
    return {
        s: {
            "description": HTTPStatus(s).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }
