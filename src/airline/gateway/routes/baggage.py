"""Baggage: tracking scans (agent), the live bag status, per-flight manifests and search
(staff: agent, ops, cs), a bag's printable tag, and a passenger's own bags. The bag drop and
its excess fee are in routes/bag_drop.py.

The baggage service checks every role again; a passenger sees only the bags of their own
booking (signed in as its owner, or with the PNR + a passenger's last name), anyone else's
bag is 404.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, ConfigDict, Field

from airline.baggage.v1 import baggage_pb2 as pb
from airline.gateway.bags import Bag, Baggage_
from airline.gateway.convert import timestamp_in, timestamp_out
from airline.gateway.live import Subscription, bag_channel
from airline.gateway.params import AIRPORT_CODE, AgentOnly, Caller, IdPath, InWindow, PageSize, page_token_query
from airline.gateway.problems import ApiProblem, error_responses
from airline.gateway.security import OPTIONAL_AUTH, require_roles
from airline.gateway.sse import Hub_, follow, messages, snapshot_event, stream_error_responses
from airline.platform.auth import Principal, Role

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py
TAG = ["baggage"]

Agent = AgentOnly
Staff = Annotated[Principal, Depends(require_roles(Role.AGENT, Role.OPS, Role.CS))]

TagPath = Annotated[
    str, Path(pattern=r"^0[0-9]{9}$", description="the 10-digit licence plate", examples=["0738000123"])
]
Pnr = Annotated[str | None, Query(min_length=6, max_length=6, description="a guest: the booking's PNR")]
LastName = Annotated[str | None, Query(min_length=1, max_length=60, description="a guest: a passenger's last name")]


class EventIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"status": "loaded", "airport": "XSP", "location": "X2 hold", "event_id": "scanner-7-000123"}]
        },
    )
    status: Literal["screened", "loaded", "unloaded", "on_belt", "claimed", "mishandled"]
    airport: str = Field(pattern=AIRPORT_CODE, examples=["XSP"])
    location: str = Field(default="", max_length=60, examples=["X2 hold"])
    at: Annotated[datetime, InWindow] | None = Field(
        default=None, description="when scanned (with a time zone); now if left out"
    )
    event_id: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="the scanner's id of this scan: a repeat with the same id changes nothing",
    )


class Place(BaseModel):
    airport: str = Field(examples=["XSP"])
    location: str = Field(examples=["X2 hold"])


class TrackingEvent(BaseModel):
    seq: int = Field(description="1, 2, ... in the bag's order", examples=[2])
    status: str = Field(examples=["screened"])
    place: Place
    at: datetime | None
    recorded_by: str
    role: str = Field(examples=["agent"])
    event_id: str

    @classmethod
    def of(cls, e: pb.TrackingEvent) -> TrackingEvent:
        return cls(
            seq=e.seq,
            status=e.status,
            place=Place(airport=e.airport, location=e.location),
            at=timestamp_out(e, "at"),
            recorded_by=e.recorded_by,
            role=e.role,
            event_id=e.event_id,
        )


class BagDetail(Bag):
    history: list[TrackingEvent]

    @classmethod
    def of_detail(cls, d: pb.BagDetail) -> BagDetail:
        return cls(**Bag.of(d.bag).model_dump(), history=[TrackingEvent.of(e) for e in d.history])


class BagPage(BaseModel):
    bags: list[Bag]
    next_page_token: str | None = Field(description="pass as page_token for the next page; null at the end")


class ManifestLine(BaseModel):
    tag: str
    bag_id: str
    passenger_name: str
    passenger_id: str
    pnr: str
    weight_g: int
    status: str


class Manifest(BaseModel):
    flight_id: str
    flight_number: str = Field(examples=["XA101"])
    plane_id: str = Field(examples=["P1"])
    plane_registration: str
    count: int = Field(description="accepted bags", examples=[2])
    total_weight_g: int = Field(examples=[41700])
    total_weight_kg: float = Field(examples=[41.7])
    not_loaded: list[str] = Field(description="tags of the bags not (yet) in the hold")
    bags: list[ManifestLine]


class BagSnapshot(BaseModel):
    bag: BagDetail
    generated_at: datetime


@router.get(
    "/bags",
    response_model=BagPage,
    tags=TAG,
    summary="Search bags (agent, ops, cs)",
    description="By tag, last-name prefix (case-insensitive), flight, status; newest first.",
    responses=error_responses(401, 403, 422),
)
async def search_bags(
    baggage: Baggage_,
    _: Staff,
    tag: Annotated[str | None, Query(pattern=r"^0[0-9]{9}$")] = None,
    name: Annotated[str | None, Query(min_length=1, max_length=60, description="last-name prefix")] = None,
    flight_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    page_size: PageSize = 50,
    page_token: Annotated[str | None, page_token_query(400)] = None,
) -> BagPage:
    reply = await baggage.ListBags(
        pb.ListBagsRequest(
            tag=tag or "",
            name=name or "",
            flight_id=flight_id or "",
            status=status or "",
            page_size=page_size,
            page_token=page_token or "",
        )
    )
    return BagPage(bags=[Bag.of(b) for b in reply.bags], next_page_token=reply.next_page_token or None)


@router.get(
    "/baggage/lookup",
    response_model=BagPage,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="A guest's bags: the booking's PNR and a passenger's last name",
    responses=error_responses(404, 422),
)
async def lookup_bags(
    baggage: Baggage_,
    _: Caller,
    pnr: Annotated[str, Query(min_length=6, max_length=6)],
    last_name: Annotated[str, Query(min_length=1, max_length=60)],
) -> BagPage:
    reply = await baggage.ListBookingBags(pb.ListBookingBagsRequest(pnr=pnr, last_name=last_name))
    return BagPage(bags=[Bag.of(b) for b in reply.bags], next_page_token=None)


@router.get(
    "/bookings/{booking_id}/bags",
    response_model=BagPage,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="The bags of a booking (its owner, staff, or a guest with pnr + last_name)",
    responses=error_responses(401, 403, 404, 422),
)
async def booking_bags(
    booking_id: IdPath, baggage: Baggage_, _: Caller, pnr: Pnr = None, last_name: LastName = None
) -> BagPage:
    reply = await baggage.ListBookingBags(
        pb.ListBookingBagsRequest(booking_id=booking_id, pnr=pnr or "", last_name=last_name or "")
    )
    return BagPage(bags=[Bag.of(b) for b in reply.bags], next_page_token=None)


@router.get(
    "/flights/{flight_id}/baggage",
    response_model=Manifest,
    tags=TAG,
    summary="The flight's baggage manifest (agent, ops, cs)",
    description="The accepted bags (tag, owner, weight, status), their count and total weight, and which "
    "are not loaded yet.",
    responses=error_responses(401, 403, 404, 422),
)
async def manifest(flight_id: IdPath, baggage: Baggage_, _: Staff) -> Manifest:
    m = await baggage.GetManifest(pb.GetManifestRequest(flight_id=flight_id))
    return Manifest(
        flight_id=m.flight_id,
        flight_number=m.flight_number,
        plane_id=m.plane_id,
        plane_registration=m.plane_registration,
        count=m.count,
        total_weight_g=m.total_weight_g,
        total_weight_kg=m.total_weight_g / 1000,
        not_loaded=list(m.not_loaded),
        bags=[
            ManifestLine(
                tag=b.tag,
                bag_id=b.bag_id,
                passenger_name=b.passenger_name,
                passenger_id=b.passenger_id,
                pnr=b.pnr,
                weight_g=b.weight_g,
                status=b.status,
            )
            for b in m.bags
        ],
    )


@router.get(
    "/bags/{tag}",
    response_model=BagDetail,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="A bag and its tracking history (staff, the booking's owner, or pnr + last_name)",
    responses=error_responses(401, 403, 404, 422),
)
async def get_bag(tag: TagPath, baggage: Baggage_, _: Caller, pnr: Pnr = None, last_name: LastName = None) -> BagDetail:
    d = await baggage.GetBag(pb.GetBagRequest(tag=tag, pnr=pnr or "", last_name=last_name or ""))
    return BagDetail.of_detail(d)


@router.get(
    "/bags/{tag}/tag.svg",
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    response_class=Response,
    summary="The printable bag tag (SVG, Interleaved 2 of 5 barcode)",
    responses={
        200: {"content": {"image/svg+xml": {}}, "description": "the tag"},
        **error_responses(401, 403, 404, 409, 422),
    },
)
async def tag_svg(tag: TagPath, baggage: Baggage_, _: Caller, pnr: Pnr = None, last_name: LastName = None) -> Response:
    image = await baggage.PrintTag(pb.GetBagRequest(tag=tag, pnr=pnr or "", last_name=last_name or ""))
    return Response(
        image.svg,
        media_type="image/svg+xml",
        headers={"Content-Disposition": f'inline; filename="bag-{image.tag}.svg"'},
    )


@router.post(
    "/bags/{tag}/events",
    response_model=BagDetail,
    tags=TAG,
    summary="Record a tracking scan (agent)",
    description="Order rules: screened after check-in, loaded after screened, unloaded after loaded, "
    "on_belt after unloaded, claimed only from the belt; mishandled from any open state (the "
    "passenger's contact gets an SMS). A repeat of an `event_id` changes nothing.",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def record_event(tag: TagPath, body: EventIn, baggage: Baggage_, _: Agent) -> BagDetail:
    request = pb.RecordEventRequest(
        tag=tag, status=body.status, airport=body.airport.upper(), location=body.location, event_id=body.event_id
    )
    if body.at is not None:
        if body.at.tzinfo is None:
            raise ApiProblem(422, "at must carry a time zone", "validation_failed")
        request.at.CopyFrom(timestamp_in(body.at))
    return BagDetail.of_detail(await baggage.RecordEvent(request))


# --- live ----------------------------------------------------------------------------------


class BagFeed:
    def __init__(self, sub: Subscription, snapshot: BagSnapshot, tag: str) -> None:
        self.sub, self.snapshot, self.tag = sub, snapshot, tag
        self.seq = max((e.seq for e in snapshot.bag.history), default=0)

    async def events(self) -> AsyncIterator[ServerSentEvent]:
        yield snapshot_event(self.snapshot)
        async for message in messages(self.sub):
            if message.get("event") != "bag" or message.get("tag") != self.tag:
                continue
            seq = int(message.get("seq") or 0)
            if seq <= self.seq:  # already in the snapshot (or a redelivery)
                continue
            self.seq = seq
            yield ServerSentEvent(event="bag", id=message.get("id"), data=message["data"])


async def bag_feed(
    tag: TagPath, live: Hub_, baggage: Baggage_, _: Caller, pnr: Pnr = None, last_name: LastName = None
) -> AsyncIterator[BagFeed]:
    async with AsyncExitStack() as stack:
        sub = await follow(stack, live, [bag_channel(tag)])
        # read after subscribing, so that no scan falls between the snapshot and the stream
        d = await baggage.GetBag(pb.GetBagRequest(tag=tag, pnr=pnr or "", last_name=last_name or ""))
        yield BagFeed(sub, BagSnapshot(bag=BagDetail.of_detail(d), generated_at=datetime.now(UTC)), tag)


@router.get(
    "/bags/{tag}/live",
    response_class=EventSourceResponse,
    openapi_extra=OPTIONAL_AUTH,
    tags=["baggage", "live"],
    summary="Follow a bag live (Server-Sent Events)",
    description="A `text/event-stream`: first `snapshot` (`{bag, generated_at}`, the bag with its history), "
    "then a `bag` event per tracking scan, in order (`{seq, status, place, at, ...}`). Staff, the "
    "booking's owner, or a guest with `pnr` + `last_name`.",
    responses=stream_error_responses(401, 403, 404, 422, 503),
)
async def bag_live(feed: Annotated[BagFeed, Depends(bag_feed)]) -> AsyncIterable[ServerSentEvent]:
    async for event in feed.events():
        yield event
