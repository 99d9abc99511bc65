"""Seat maps and seat holds (reservation service, ReservationService), and the live seat map.

A hold keeps seats for the signed-in caller while they think (10 minutes by default); it
expires by itself. Confirming a hold into a seat assignment happens when a booking is paid
(the booking service does it), not here.

The live seat map is a Server-Sent Events stream: a `snapshot` (the seat map) first, then a
`seats` event for every hold, release (explicit or by expiry) and assignment on that flight:
`{type: SeatsHeld | SeatsReleased | SeatsAssigned, flight_id, seats, state: held | free | taken,
at, reason?}`. Events never say who holds a seat.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field

from airline.gateway import deps
from airline.gateway.convert import timestamp_out
from airline.gateway.live import LiveUnavailable, Subscription
from airline.gateway.params import Caller, FlightIdPath, SignedIn
from airline.gateway.problems import error_responses
from airline.gateway.schemas import SELLING_STATUSES, VISIBLE_STATUSES, words
from airline.gateway.security import OPTIONAL_AUTH
from airline.gateway.sse import Hub_, messages, snapshot_event, stream_error_responses
from airline.platform.redis import REDIS_DEGRADED
from airline.reservation.v1 import reservation_pb2 as pb
from airline.reservation.v1 import reservation_pb2_grpc as pb_grpc

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py


def reservation_service(request: Request) -> pb_grpc.ReservationServiceStub:
    return pb_grpc.ReservationServiceStub(deps.channel(request, "reservation"))


Reservation_ = Annotated[pb_grpc.ReservationServiceStub, Depends(reservation_service)]
HoldIdPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$",
        examples=["5d1c1f0e-7d0b-4f7e-9d55-0f3f5f0a9a11"],
    ),
]


def seatmap_channel(flight_id: str) -> str:
    """The Redis channel the reservation service publishes a flight's seat changes on."""
    return f"live:seatmap:{flight_id}"


# --- models -----------------------------------------------------------------------------


class SeatOut(BaseModel):
    seat: str = Field(examples=["12C"])
    cabin_class: Literal["vip", "normal"]
    row: int = Field(examples=[12])
    letter: str = Field(examples=["C"])
    position: Literal["window", "middle", "aisle"]
    exit_row: bool
    blocked: bool = Field(description="never sold")
    state: Literal["free", "held", "taken"]
    mine: bool = Field(description="held by one of your own holds")


class CabinAvailability(BaseModel):
    cabin_class: Literal["vip", "normal"]
    total: int = Field(description="sellable seats (blocked excluded)", examples=[150])
    free: int = Field(examples=[120])
    held: int = Field(examples=[4])
    taken: int = Field(examples=[26])


class SeatMap(BaseModel):
    flight_id: str
    plane_id: str = Field(examples=["P1"])
    cancelled: bool = Field(description="a cancelled flight takes no new holds")
    status: str = Field(description=f"the flight's status: {words(VISIBLE_STATUSES)}", examples=["scheduled"])
    sellable: bool = Field(
        description=f"seats can be held and bought now ({words(SELLING_STATUSES)}, before sales close with check-in)"
    )
    not_sellable_reason: str | None = Field(
        default=None, description="why not, when not sellable", examples=["flight XA101 has departed"]
    )
    holds_available: bool = Field(
        default=True,
        description="false while seat holds are unknown for the moment (their store is unreachable): "
        "`taken` seats are still the sold and assigned ones, every other seat shows `free` (one someone "
        "holds included) and holding answers 503 with Retry-After until holds are back",
    )
    holds_unavailable_reason: str | None = Field(
        default=None,
        description="why holds are unavailable, when they are",
        examples=["seat holds are unavailable for the moment; try again shortly"],
    )
    seats: list[SeatOut]
    availability: list[CabinAvailability]
    generated_at: datetime | None = None

    @classmethod
    def of(cls, m: pb.SeatMap) -> SeatMap:
        return cls(
            flight_id=m.flight_id,
            plane_id=m.plane_id,
            cancelled=m.cancelled,
            status=m.status,
            sellable=m.sellable,
            not_sellable_reason=m.not_sellable_reason or None,
            holds_available=not m.holds_unavailable_reason,
            holds_unavailable_reason=m.holds_unavailable_reason or None,
            seats=[
                SeatOut(
                    seat=s.seat,
                    cabin_class=s.cabin_class,
                    row=s.row,
                    letter=s.letter,  # type: ignore[arg-type]
                    position=s.position,
                    exit_row=s.exit_row,
                    blocked=s.blocked,  # type: ignore[arg-type]
                    state=s.state,
                    mine=s.mine,
                )
                for s in m.seats
            ],  # type: ignore[arg-type]
            availability=[
                CabinAvailability(
                    cabin_class=a.cabin_class,
                    total=a.total,
                    free=a.free,  # type: ignore[arg-type]
                    held=a.held,
                    taken=a.taken,
                )
                for a in m.availability
            ],
            generated_at=timestamp_out(m, "generated_at"),
        )


class HoldSeat(BaseModel):
    seat: str = Field(pattern=r"^[0-9]{1,3}[A-Za-z]$", examples=["12C"])
    passenger_ref: str = Field(
        min_length=1, max_length=64, description="the passenger this seat is for", examples=["pax-1"]
    )
    passenger_type: Literal["adult", "child", "infant"] = Field(
        default="adult", description="infants sit on an adult's lap and get no seat; children not in exit rows"
    )
    cabin_class: Literal["vip", "normal"] = Field(description="the passenger's fare class: the seat's cabin must match")


class HoldIn(BaseModel):
    seats: list[HoldSeat] = Field(min_length=1, max_length=9, description="all of them are held, or none")
    hold_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$",
        description="your own id for this hold: repeating the request returns the same hold",
    )


class HoldOut(BaseModel):
    hold_id: str
    flight_id: str
    seats: list[HoldSeat]
    expires_at: datetime | None = Field(description="the seats are free again after this")
    created_at: datetime | None = None
    not_after: datetime | None = Field(default=None, description="no extension goes past this (the booking's expiry)")

    @classmethod
    def of(cls, h: pb.Hold) -> HoldOut:
        return cls(
            hold_id=h.hold_id,
            flight_id=h.flight_id,
            seats=[
                HoldSeat(
                    seat=s.seat,
                    passenger_ref=s.passenger_ref,
                    passenger_type=s.passenger_type,  # type: ignore[arg-type]
                    cabin_class=s.cabin_class,
                )
                for s in h.seats
            ],  # type: ignore[arg-type]
            expires_at=timestamp_out(h, "expires_at"),
            created_at=timestamp_out(h, "created_at"),
            not_after=timestamp_out(h, "not_after"),
        )


class Released(BaseModel):
    hold_id: str
    released: list[str] = Field(description="seats that were freed", examples=[["12C", "12D"]])


# --- routes -------------------------------------------------------------------------------


@router.get(
    "/flights/{flight_id}/seats",
    openapi_extra=OPTIONAL_AUTH,
    response_model=SeatMap,
    tags=["seats"],
    summary="A flight's seat map: every seat with its class, position, exit row and state",
    description="Held seats never say who holds them; `mine` marks the caller's own holds. While seat "
    "holds are unavailable (`holds_available` false) the map still answers with the taken seats.",
    responses=error_responses(404, 422, 503),
)
async def seat_map(flight_id: FlightIdPath, reservation: Reservation_, _: Caller) -> SeatMap:
    return SeatMap.of(await reservation.GetSeatMap(pb.GetSeatMapRequest(flight_id=flight_id)))


@router.post(
    "/flights/{flight_id}/holds",
    status_code=201,
    response_model=HoldOut,
    tags=["seats"],
    summary="Hold seats while you think (signed in)",
    description="All seats or none: a seat someone else holds or has is a 409 naming it; a flight that "
    "no longer sells (cancelled, left, or past sales close) is a 409 `flight_not_sellable`; "
    "more seats held on one flight than one account may hold at once (9 by default) is a "
    "429 `seat_hold_limit`. The hold expires by itself (see `expires_at`). While seat holds are "
    "unavailable for the moment: 503 `seat_holds_unavailable` with Retry-After.",
    responses=error_responses(401, 404, 409, 422, 429, 503),
)
async def hold_seats(flight_id: FlightIdPath, body: HoldIn, reservation: Reservation_, _: SignedIn) -> HoldOut:
    return HoldOut.of(
        await reservation.HoldSeats(
            pb.HoldSeatsRequest(
                flight_id=flight_id,
                hold_id=body.hold_id or "",
                seats=[
                    pb.SeatRequest(
                        seat=s.seat,
                        passenger_ref=s.passenger_ref,
                        passenger_type=s.passenger_type,
                        cabin_class=s.cabin_class,
                    )
                    for s in body.seats
                ],
            )
        )
    )


@router.get(
    "/holds/{hold_id}",
    response_model=HoldOut,
    tags=["seats"],
    summary="One of your holds",
    responses=error_responses(401, 403, 404, 503),
)
async def get_hold(hold_id: HoldIdPath, reservation: Reservation_, _: SignedIn) -> HoldOut:
    return HoldOut.of(await reservation.GetHold(pb.GetHoldRequest(hold_id=hold_id)))


@router.post(
    "/holds/{hold_id}/extend",
    response_model=HoldOut,
    tags=["seats"],
    summary="Keep your seats longer (a full hold time from now, within the hold's limit)",
    responses=error_responses(401, 403, 404, 409, 503),
)
async def extend_hold(hold_id: HoldIdPath, reservation: Reservation_, _: SignedIn) -> HoldOut:
    return HoldOut.of(await reservation.ExtendHold(pb.ExtendHoldRequest(hold_id=hold_id)))


@router.delete(
    "/holds/{hold_id}",
    response_model=Released,
    tags=["seats"],
    summary="Give your held seats back",
    responses=error_responses(401, 403, 404, 503),
)
async def release_hold(hold_id: HoldIdPath, reservation: Reservation_, _: SignedIn) -> Released:
    reply = await reservation.ReleaseHold(pb.ReleaseHoldRequest(hold_id=hold_id))
    return Released(hold_id=hold_id, released=list(reply.released))


# Without live updates (their Redis is unreachable) a seat map stream sends its snapshot and
# ends: the browser reconnects after this long to a fresh one, so the map keeps up, slowly.
UNFOLLOWED_RETRY_MS = 10_000


@dataclass
class SeatFeed:
    sub: Subscription | None  # None: live updates are down, the snapshot alone
    snapshot: SeatMap
    flight_id: str

    async def events(self) -> AsyncIterator[ServerSentEvent]:
        if self.sub is None:
            yield ServerSentEvent(event="snapshot", retry=UNFOLLOWED_RETRY_MS, raw_data=self.snapshot.model_dump_json())
            return
        yield snapshot_event(self.snapshot, with_id=False)
        async for message in messages(self.sub):
            if message.get("flight_id") == self.flight_id:
                yield ServerSentEvent(event="seats", data=message)


async def seat_feed(
    flight_id: FlightIdPath, live: Hub_, reservation: Reservation_, _: Caller
) -> AsyncIterator[SeatFeed]:
    async with AsyncExitStack() as stack:
        # subscribed before the snapshot is read, so that no change falls between the two
        sub: Subscription | None = None
        try:
            sub = await stack.enter_async_context(live.subscribe([seatmap_channel(flight_id)]))
        except LiveUnavailable:
            REDIS_DEGRADED.labels("gateway", "seat_map_live").inc()
        snapshot = SeatMap.of(await reservation.GetSeatMap(pb.GetSeatMapRequest(flight_id=flight_id)))
        yield SeatFeed(sub, snapshot, flight_id)


@router.get(
    "/flights/{flight_id}/seats/live",
    response_class=EventSourceResponse,
    openapi_extra=OPTIONAL_AUTH,
    tags=["live"],
    summary="Follow a flight's seat map live (Server-Sent Events)",
    description="Events: `snapshot` (the seat map, first), then `seats` "
    "(`{type: SeatsHeld|SeatsReleased|SeatsAssigned, flight_id, seats, state, at, reason?}`) "
    "for every hold, release (explicit or expiry) and assignment. Reconnecting starts with a "
    "new snapshot. While live updates are down the stream sends the snapshot alone and ends "
    "(the browser reconnects to a fresh one after its `retry`).",
    responses=stream_error_responses(404, 422, 503),
)
async def seat_map_live(feed: Annotated[SeatFeed, Depends(seat_feed)]) -> AsyncIterable[ServerSentEvent]:
    async for event in feed.events():
        yield event
