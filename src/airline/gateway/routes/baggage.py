"""Baggage: bag drop at the counter (agent), the excess fee, tags, tracking scans, the live bag
status, per-flight manifests and search (staff: agent, ops, cs), and a passenger's own bags.

The baggage service checks every role again; a passenger sees only the bags of their own
booking (signed in as its owner, or with the PNR + a passenger's last name), anyone else's
bag is 404.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, ConfigDict, Field

from airline.baggage.v1 import baggage_pb2 as pb
from airline.baggage.v1 import baggage_pb2_grpc as pb_grpc
from airline.common.v1 import payment_method_pb2 as mpb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in, timestamp_out
from airline.gateway.live import Subscription, bag_channel
from airline.gateway.params import (
    AIRPORT_CODE,
    AgentOnly,
    Caller,
    IdPath,
    InWindow,
    PageSize,
    checked_idempotency_key,
    idempotency_key_header,
    idempotent_headers,
    page_token_query,
)
from airline.gateway.problems import ApiProblem, error_responses
from airline.gateway.schemas import CardIn, EWalletIn
from airline.gateway.security import OPTIONAL_AUTH, require_roles
from airline.gateway.sse import Hub_, follow, messages, snapshot_event, stream_error_responses
from airline.platform.auth import Principal, Role

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py
TAG = ["baggage"]


def baggage_service(request: Request) -> pb_grpc.BaggageServiceStub:
    return pb_grpc.BaggageServiceStub(deps.channel(request, "baggage"))


Baggage_ = Annotated[pb_grpc.BaggageServiceStub, Depends(baggage_service)]
Agent = AgentOnly
Staff = Annotated[Principal, Depends(require_roles(Role.AGENT, Role.OPS, Role.CS))]

TagPath = Annotated[
    str, Path(pattern=r"^0[0-9]{9}$", description="the 10-digit licence plate", examples=["0738000123"])
]
BagIdPath = IdPath
Pnr = Annotated[str | None, Query(min_length=6, max_length=6, description="a guest: the booking's PNR")]
LastName = Annotated[str | None, Query(min_length=1, max_length=60, description="a guest: a passenger's last name")]
IdemKey = Annotated[str | None, idempotency_key_header(max_length=255)]


class DropIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "booking_id": "5e0c...",
                    "passenger_id": "P1",
                    "flight_id": "0b6f...",
                    "weight_kg": "23.4",
                    "length_cm": 75,
                    "width_cm": 50,
                    "height_cm": 30,
                    "location": "counter 4",
                }
            ]
        },
    )
    booking_id: str = Field(min_length=1, max_length=64)
    passenger_id: str = Field(min_length=1, max_length=8, examples=["P1"])
    flight_id: str = Field(min_length=1, max_length=64)
    weight_kg: Decimal = Field(
        gt=0, le=100, max_digits=6, decimal_places=3, description="scale reading, kg", examples=["23.4"]
    )
    length_cm: int = Field(ge=1, le=250, examples=[75])
    width_cm: int = Field(ge=1, le=250, examples=[50])
    height_cm: int = Field(ge=1, le=250, examples=[30])
    location: str = Field(default="", max_length=60, description="where at the airport", examples=["counter 4"])


class BagPayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "method": {
                        "type": "card",
                        "number": "4242 4242 4242 4242",
                        "exp_month": 12,
                        "exp_year": 2035,
                        "cvc": "123",
                        "holder": "Ada Lovelace",
                    }
                }
            ]
        },
    )
    method: Annotated[CardIn | EWalletIn, Field(discriminator="type")]


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


class Bag(BaseModel):
    id: str
    tag: str | None = Field(description="10-digit licence plate; null until accepted", examples=["0738000123"])
    status: str = Field(
        description="awaiting_payment, checked_in, screened, loaded, unloaded, on_belt, claimed, mishandled",
        examples=["checked_in"],
    )
    booking_id: str
    pnr: str = Field(examples=["TEB4C9"])
    passenger_id: str = Field(examples=["P1"])
    passenger_name: str = Field(examples=["Ada Lovelace"])
    flight_id: str
    flight_number: str = Field(examples=["XA101"])
    origin: str = Field(examples=["XSP"])
    destination: str = Field(examples=["AOR"])
    plane_id: str = Field(examples=["P1"])
    plane_registration: str = Field(examples=["9V-XAA"])
    weight_g: int = Field(examples=[23400])
    weight_kg: float = Field(examples=[23.4])
    length_cm: int
    width_cm: int
    height_cm: int
    fee: int = Field(description="excess fee, minor units; 0 within the allowance", examples=[4500])
    currency: str = Field(examples=["SGD"])
    fee_reasons: list[str] = Field(examples=[["extra_piece", "overweight_2kg"]])
    payment_id: str
    created_at: datetime | None
    accepted_at: datetime | None

    @classmethod
    def of(cls, b: pb.Bag) -> Bag:
        return cls(
            id=b.id,
            tag=b.tag or None,
            status=b.status,
            booking_id=b.booking_id,
            pnr=b.pnr,
            passenger_id=b.passenger_id,
            passenger_name=f"{b.first_name} {b.last_name}",
            flight_id=b.flight_id,
            flight_number=b.flight_number,
            origin=b.origin,
            destination=b.destination,
            plane_id=b.plane_id,
            plane_registration=b.plane_registration,
            weight_g=b.weight_g,
            weight_kg=b.weight_g / 1000,
            length_cm=b.length_cm,
            width_cm=b.width_cm,
            height_cm=b.height_cm,
            fee=b.fee,
            currency=b.currency,
            fee_reasons=list(b.fee_reasons),
            payment_id=b.payment_id,
            created_at=timestamp_out(b, "created_at"),
            accepted_at=timestamp_out(b, "accepted_at"),
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


def _answer(bag: pb.Bag, status: int = 200) -> JSONResponse:
    return JSONResponse(
        Bag.of(bag).model_dump(mode="json"),
        status_code=200 if bag.replayed else status,
        headers=idempotent_headers(bag.replayed),
    )


@router.post(
    "/bags",
    status_code=201,
    response_model=Bag,
    tags=TAG,
    summary="Drop a bag at the counter (agent)",
    description="Weighs a bag in for a passenger of a confirmed booking on one of its flights. Within the "
    "allowance (the fare's pieces and kilos plus what was bought while booking) the bag is "
    "accepted at once (`checked_in`, tag issued); beyond it, it is `awaiting_payment` with its "
    "`fee`: pay with POST /bags/{id}/payment. An `Idempotency-Key` makes a retry return the "
    "first bag.",
    responses=error_responses(401, 403, 404, 409, 422, 503),
)
async def drop_bag(body: DropIn, baggage: Baggage_, _: Agent, idempotency_key: IdemKey = None) -> JSONResponse:
    bag = await baggage.DropBag(
        pb.DropBagRequest(
            booking_id=body.booking_id,
            passenger_id=body.passenger_id,
            flight_id=body.flight_id,
            weight_kg=str(body.weight_kg),
            length_cm=body.length_cm,
            width_cm=body.width_cm,
            height_cm=body.height_cm,
            idempotency_key=idempotency_key or "",
            location=body.location,
        )
    )
    return _answer(bag, 201)


@router.post(
    "/bags/{bag_id}/payment",
    response_model=Bag,
    tags=TAG,
    summary="Pay a bag's excess fee at the desk, then accept it (agent)",
    description="Needs an `Idempotency-Key`: a retry with it pays once and returns the accepted bag. "
    "402 when the payment is declined (the bag stays awaiting_payment; try again with another "
    "key); cards that need 3-D Secure are refused at the desk.",
    responses=error_responses(400, 401, 402, 403, 404, 409, 422, 503),
)
async def pay_bag(
    bag_id: BagIdPath, body: BagPayIn, baggage: Baggage_, _: Agent, idempotency_key: IdemKey = None
) -> JSONResponse:
    # a declined payment is the service's error code payment_declined: 402 (problems.CODE_TO_HTTP)
    key = checked_idempotency_key(
        idempotency_key,
        required=True,
        missing="an Idempotency-Key header is required to pay",
        missing_code="idempotency_key_required",
        check=False,
    )
    m = body.method
    message = pb.PayBagRequest(bag_id=bag_id, idempotency_key=key)
    if isinstance(m, CardIn):
        message.card.CopyFrom(mpb.Card(**m.card_fields()))
    else:
        message.e_wallet.CopyFrom(mpb.EWallet(provider=m.provider, account=m.account))
    return _answer(await baggage.PayBag(message, timeout=30))


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
