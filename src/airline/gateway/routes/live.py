"""Live flight status as Server-Sent Events: one flight, or an airport's waiting-hall board.

Each stream starts with a `snapshot` event (the current state, read over gRPC after the live
subscription is in place, so nothing falls between the two), then sends `flight` events (the
flight's full state after each change, with the event type, e.g. FlightDelayed) and
`announcement` events, each with the event id as its SSE `id`. An idle stream gets a `: ping`
comment every 15 s. When the gateway cannot vouch for the stream any more (Redis link lost,
client too slow) the stream ends and the browser's EventSource reconnects to a fresh snapshot.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field

from airline.airport.v1 import airport_pb2
from airline.flights.v1 import flights_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in
from airline.gateway.live import Subscription, airport_channel, flight_channel
from airline.gateway.params import AirportCodePath, Caller, FlightIdPath
from airline.gateway.schemas import Announcement, Flight
from airline.gateway.security import OPTIONAL_AUTH
from airline.gateway.sse import Hub_, follow, messages, snapshot_event, stream_error_responses

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Flights_ = deps.FlightService
Airport_ = deps.AirportService
BOARD_HOURS = 24
BOARD_LOOKBACK_HOURS = 12  # a late (delayed) flight scheduled earlier still belongs on the board
ANNOUNCEMENTS = 50

STREAM_DOC = (
    "A `text/event-stream`. Events: `snapshot` (first, always), `flight` "
    "(`{type, occurred_at, previous_status, details, flight}`), `announcement`; an idle stream gets a "
    "`: ping` comment every 15 s. Reconnecting (EventSource does it by itself) starts with a new snapshot."
)


class FlightSnapshot(BaseModel):
    flight: Flight
    announcements: list[Announcement]
    generated_at: datetime


class BoardSnapshot(BaseModel):
    airport: str = Field(examples=["XSP"])
    time_zone: str = Field(examples=["Asia/Singapore"])
    direction: Literal["departures", "arrivals"]
    from_: datetime = Field(serialization_alias="from", description="window of scheduled times shown")
    to: datetime
    flights: list[Flight]
    announcements: list[Announcement]
    generated_at: datetime


@dataclass
class Feed:
    """One client's stream: its subscription, its snapshot and what it already sent."""

    sub: Subscription
    snapshot: BaseModel
    keep: Any  # (message) -> bool: whether this stream shows a live message at all
    versions: dict[str, int] = field(default_factory=dict)
    announcements: set[str] = field(default_factory=set)

    def fresh(self, message: dict[str, Any]) -> bool:
        if message.get("event") == "announcement":
            if message.get("id") in self.announcements:
                return False
            self.announcements.add(str(message.get("id")))
            return True
        flight_id, version = str(message.get("flight_id")), int(message.get("version") or 0)
        if version <= self.versions.get(flight_id, -1):
            return False  # already in the snapshot, or older than what was sent
        self.versions[flight_id] = version
        return True

    async def events(self) -> AsyncIterator[ServerSentEvent]:
        yield snapshot_event(self.snapshot, by_alias=True)
        async for message in messages(self.sub):
            if self.keep(message) and self.fresh(message):
                yield ServerSentEvent(event=message["event"], id=message.get("id"), data=message["data"])


async def flight_feed(flight_id: FlightIdPath, live: Hub_, flights: Flights_, _: Caller) -> AsyncIterator[Feed]:
    async with AsyncExitStack() as stack:
        sub = await follow(stack, live, [flight_channel(flight_id)])
        flight = Flight.of(await flights.GetFlight(pb.GetFlightRequest(id=flight_id)))
        reply = await flights.ListAnnouncements(pb.ListAnnouncementsRequest(flight_id=flight_id, limit=ANNOUNCEMENTS))
        announcements = [Announcement.of(a) for a in reply.announcements]
        snapshot = FlightSnapshot(flight=flight, announcements=announcements, generated_at=datetime.now(UTC))
        yield Feed(
            sub,
            snapshot,
            keep=lambda m: m.get("flight_id") == flight_id,
            versions={flight.id: flight.version},
            announcements={a.id for a in announcements},
        )


def _board_feed(direction: Literal["departures", "arrivals"]) -> Any:
    async def board_feed(
        code: AirportCodePath, live: Hub_, flights: Flights_, airport: Airport_, _: Caller
    ) -> AsyncIterator[Feed]:
        code = code.upper()
        async with AsyncExitStack() as stack:
            sub = await follow(stack, live, [airport_channel(code)])
            place = await airport.GetAirport(airport_pb2.GetAirportRequest(code=code))  # 404 if unknown
            now = datetime.now(UTC)
            try:
                midnight = now.astimezone(ZoneInfo(place.time_zone)).replace(hour=0, minute=0, second=0, microsecond=0)
            except (ZoneInfoNotFoundError, ValueError):
                midnight = now
            start = min(midnight.astimezone(UTC), now - timedelta(hours=BOARD_LOOKBACK_HOURS))
            end = now + timedelta(hours=BOARD_HOURS)
            request = pb.ListFlightsRequest(airport=code, direction=direction, to=timestamp_in(end), limit=1000)
            getattr(request, "from").CopyFrom(timestamp_in(start))
            listed = [Flight.of(f) for f in (await flights.ListFlights(request)).flights]
            announcements: list[Announcement] = []
            if direction == "departures":
                reply = await flights.ListAnnouncements(
                    pb.ListAnnouncementsRequest(
                        airport=code,
                        since=timestamp_in(now - timedelta(hours=BOARD_LOOKBACK_HOURS)),
                        limit=ANNOUNCEMENTS,
                    )
                )
                announcements = [Announcement.of(a) for a in reply.announcements]
            snapshot = BoardSnapshot(
                airport=code,
                time_zone=place.time_zone,
                direction=direction,
                from_=start,
                to=end,
                flights=listed,
                announcements=announcements,
                generated_at=now,
            )

            def keep(message: dict[str, Any]) -> bool:
                if message.get("event") == "announcement":
                    return direction == "departures" and message.get("airport") == code
                if direction == "departures":
                    return message.get("origin") == code
                return code in (message.get("destination"), message.get("diverted_to"))

            yield Feed(
                sub,
                snapshot,
                keep=keep,
                versions={f.id: f.version for f in listed},
                announcements={a.id for a in announcements},
            )

    return board_feed


@router.get(
    "/flights/{flight_id}/live",
    response_class=EventSourceResponse,
    openapi_extra=OPTIONAL_AUTH,
    tags=["live"],
    summary="Follow one flight live (Server-Sent Events)",
    description="The snapshot is `{flight, announcements, generated_at}`. " + STREAM_DOC,
    responses=stream_error_responses(404, 422, 503),
)
async def flight_live(feed: Annotated[Feed, Depends(flight_feed)]) -> AsyncIterable[ServerSentEvent]:
    async for event in feed.events():
        yield event


@router.get(
    "/airports/{code}/departures/live",
    response_class=EventSourceResponse,
    openapi_extra=OPTIONAL_AUTH,
    tags=["live"],
    summary="The waiting-hall board: an airport's departures and announcements, live",
    description="The snapshot is `{airport, time_zone, direction, from, to, flights, announcements, "
    "generated_at}`: "
    f"departures scheduled from the start of the local day (or {BOARD_LOOKBACK_HOURS} h ago) "
    f"to {BOARD_HOURS} h ahead, and the last {BOARD_LOOKBACK_HOURS} h of announcements. " + STREAM_DOC,
    responses=stream_error_responses(404, 422, 503),
)
async def departures_live(feed: Annotated[Feed, Depends(_board_feed("departures"))]) -> AsyncIterable[ServerSentEvent]:
    async for event in feed.events():
        yield event


@router.get(
    "/airports/{code}/arrivals/live",
    response_class=EventSourceResponse,
    openapi_extra=OPTIONAL_AUTH,
    tags=["live"],
    summary="An airport's arrivals board, live (incl. flights diverted here)",
    description="Like the departures board, for arrivals (no announcements: they are made at the "
    "departure airport). " + STREAM_DOC,
    responses=stream_error_responses(404, 422, 503),
)
async def arrivals_live(feed: Annotated[Feed, Depends(_board_feed("arrivals"))]) -> AsyncIterable[ServerSentEvent]:
    async for event in feed.events():
        yield event
