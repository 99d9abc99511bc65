"""Customer service's booking search (booking service, search.py): by PNR, a passenger's name
(accents, case and small misspellings forgiven), contact e-mail, phone, flight number and date.

cs and ops only (403 otherwise). Criteria combine with AND, at least one (422 otherwise);
`date` narrows a `flight`. The best match comes first: the PNR itself, then by the name's
similarity, then the newest. The contact is shown in full: the desk calls and writes to
passengers, and no passenger reaches this route.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from google.protobuf import json_format
from pydantic import BaseModel

from airline.booking.v1 import booking_pb2 as pb
from airline.booking.v1 import booking_pb2_grpc as pb_grpc
from airline.gateway import deps
from airline.gateway.params import CsOrOps, DateIn
from airline.gateway.problems import error_responses

router = APIRouter(prefix="/api/v1")
SEARCH_TIMEOUT = 5.0


class SearchHitPassenger(BaseModel):
    id: str
    type: str
    first_name: str
    last_name: str


class SearchHitContact(BaseModel):
    email: str
    phone: str


class SearchHitLeg(BaseModel):
    flight_id: str
    number: str
    origin: str
    destination: str
    date: str
    scheduled_departure: str


class SearchHit(BaseModel):
    id: str
    pnr: str | None
    state: str
    passengers: list[SearchHitPassenger]
    contact: SearchHitContact
    legs: list[SearchHitLeg]
    score: float
    created_at: str


class SearchHits(BaseModel):
    bookings: list[SearchHit]


def _hit(h: pb.BookingHit) -> dict[str, Any]:
    out: dict[str, Any] = json_format.MessageToDict(
        h, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    out["pnr"] = out.get("pnr") or None
    return out


@router.get(
    "/bookings/search",
    response_model=SearchHits,
    tags=["customer service"],
    summary="Search bookings (customer service): PNR, name, e-mail, phone, flight and date",
    description="`q` is a PNR or a passenger's name: names match without accents or case and with a "
    "letter or two wrong (`Nguen` finds `Nguyễn`). Criteria combine with AND; give at least one. "
    "`date` (the local departure date) narrows `flight`. The PNR itself ranks first, then the "
    "closest names, then the newest bookings.",
    responses=error_responses(401, 403, 422),
)
async def search_bookings(
    request: Request,
    _: CsOrOps,
    q: Annotated[str, Query(max_length=100, description="a PNR or a passenger's name")] = "",
    email: Annotated[str, Query(max_length=254, description="the contact e-mail (exact, any case)")] = "",
    phone: Annotated[str, Query(max_length=32, description="the contact phone (its digits compared)")] = "",
    flight: Annotated[str, Query(max_length=8, description="a flight number, e.g. SQ321")] = "",
    date: Annotated[DateIn | None, Query(description="local departure date (with flight)")] = None,
    page_size: Annotated[int, Query(ge=1, le=50)] = 20,
) -> JSONResponse:
    stub = pb_grpc.BookingServiceStub(deps.channel(request, "booking"))
    reply = await stub.SearchBookings(
        pb.SearchBookingsRequest(
            query=q,
            email=email,
            phone=phone,
            flight=flight,
            date=date.isoformat() if date is not None else "",
            page_size=page_size,
        ),
        timeout=SEARCH_TIMEOUT,
    )
    return JSONResponse({"bookings": [_hit(h) for h in reply.bookings]})
