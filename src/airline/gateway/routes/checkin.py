"""Check-in: online check-in with the 8-character code (or the booking), boarding passes with
an IATA BCBP barcode as QR (PNG, SVG), and the agent's counter and gate: verify, check in,
board, the flight's passenger list and its no-shows.

Wrong codes are counted in Redis per client address (behind the trusted proxy hops), per
signed-in account and per code; after `AIRLINE_GATEWAY_CHECKIN_GUESS_LIMIT` failures of one
client (`..._GUESS_LIMIT_PER_CODE` of one code) in a window the client gets 429 + Retry-After,
so codes and last names cannot be guessed at speed (gateway/limits.py)."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

import grpc
import segno
from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from airline.checkin.v1 import checkin_pb2 as pb
from airline.checkin.v1 import checkin_pb2_grpc as pb_grpc
from airline.gateway import deps, limits
from airline.gateway.client_address import client_address
from airline.gateway.convert import timestamp_out
from airline.gateway.params import AgentOnly, Caller, FlightIdPath
from airline.gateway.problems import error_responses
from airline.gateway.security import OPTIONAL_AUTH
from airline.platform.auth import Principal

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py
TAG: list[str | Any] = ["checkin"]
T = TypeVar("T")


GUESS_CODES = ("unknown_code", "unknown_pass")


async def guarded(
    request: Request,
    principal: Principal | None,
    call: Callable[[], Awaitable[T]],
    code: str | None = None,
    pnr: str | None = None,
) -> T:
    """Run a backend call that takes a code or a pass: refuse a client that guessed wrong too
    often (429), count its wrong guesses (per address, per signed-in account, per code, and per
    PNR when a PNR + last name opened the booking). A revoked or expired code is a 410
    (problems.CODE_TO_HTTP)."""
    lim = limits.limits(request)
    checks: list[limits.Check] = [(lim.guess_address, f"ip:{client_address(request)}")]
    if principal is not None:
        checks.append((lim.guess_address, f"sub:{principal.subject}"))
    if code:
        checks.append((lim.guess_code, limits.code_key(code)))
    if pnr:
        checks += limits.lookup_checks(request, pnr)
    async with limits.failures_counted(
        checks, "wrong check-in codes or names from this client", {grpc.StatusCode.NOT_FOUND}, GUESS_CODES
    ):
        return await call()


def checkin_service(request: Request) -> pb_grpc.CheckinServiceStub:
    return pb_grpc.CheckinServiceStub(deps.channel(request, "checkin"))


Checkin = Annotated[pb_grpc.CheckinServiceStub, Depends(checkin_service)]
Agent = AgentOnly
PassIdPath = Annotated[
    str,
    Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$", examples=["5d0c7f5e-8a3b-4a0e-9d55-1f2e3c4b5a69"]),
]
Code = Annotated[
    str,
    Field(min_length=1, max_length=20, description="the 8-character check-in code from the SMS", examples=["K7QM4XRA"]),
]
ManageToken = Annotated[
    str | None,
    Header(alias="X-Manage-Token", max_length=64, description="a guest's manage token (from POST /bookings)"),
]
Status = Literal["booked", "checked_in", "boarded", "offloaded", "cancelled"]


class CheckInIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"code": "K7QM4XRA", "last_name": "Lovelace"},
                {"booking_id": "0f6b3c1e-6a53-4d0b-9a43-6a3f8d2b1c7e", "flight_id": "b9c5e7a2-..."},
            ]
        },
    )
    code: Code | None = None
    last_name: Annotated[str | None, Field(max_length=100, examples=["Lovelace"])] = None
    flight_id: Annotated[
        str | None, Field(max_length=64, description="default: the next flight whose check-in is open")
    ] = None
    booking_id: Annotated[
        str | None,
        Field(
            max_length=64,
            description="instead of a code: every passenger of the "
            "booking (its owner, X-Manage-Token, or PNR + last_name)",
        ),
    ] = None
    pnr: Annotated[str | None, Field(max_length=10)] = None


class BoardingPass(BaseModel):
    id: str = Field(examples=["5d0c7f5e-8a3b-4a0e-9d55-1f2e3c4b5a69"])
    booking_id: str
    passenger_id: str = Field(examples=["P1"])
    pnr: str = Field(examples=["TEB4C9"])
    first_name: str
    last_name: str
    passenger_type: Literal["adult", "child", "infant"]
    infant_of: str = Field(description="for an infant: the passenger id of the adult carrying them")
    flight_id: str
    flight_number: str = Field(examples=["XA101"])
    origin: str = Field(examples=["XSP"])
    destination: str = Field(examples=["AOR"])
    departure: datetime | None = Field(description="the flight's departure when checked in (estimated if delayed)")
    gate: str
    seat: str = Field(description="empty for an infant (on a lap)", examples=["12A"])
    cabin_class: str = Field(examples=["normal"])
    sequence: int = Field(description="check-in sequence number on this flight", examples=[7])
    e_ticket: str
    bcbp: str = Field(
        description="IATA BCBP (Resolution 792) barcode text, what the QR code holds",
        examples=["M1LOVELACE/ADA        ETEB4C9 XSPAORXA 0101 335Y012A0007 100"],
    )
    checked_in_at: datetime | None
    boarded_at: datetime | None
    qr_png: str = Field(description="the QR code as PNG", examples=["/api/v1/boarding-passes/5d0c.../qr.png"])
    qr_svg: str = Field(description="the QR code as SVG")

    @classmethod
    def of(cls, p: pb.BoardingPass) -> BoardingPass:
        return cls(
            id=p.id,
            booking_id=p.booking_id,
            passenger_id=p.passenger_id,
            pnr=p.pnr,
            first_name=p.first_name,
            last_name=p.last_name,
            passenger_type=p.passenger_type,
            infant_of=p.infant_of,  # type: ignore[arg-type]
            flight_id=p.flight_id,
            flight_number=p.flight_number,
            origin=p.origin,
            destination=p.destination,
            departure=timestamp_out(p, "departure"),
            gate=p.gate,
            seat=p.seat,
            cabin_class=p.cabin_class,
            sequence=p.sequence,
            e_ticket=p.e_ticket,
            bcbp=p.bcbp,
            checked_in_at=timestamp_out(p, "checked_in_at"),
            boarded_at=timestamp_out(p, "boarded_at"),
            qr_png=f"/api/v1/boarding-passes/{p.id}/qr.png",
            qr_svg=f"/api/v1/boarding-passes/{p.id}/qr.svg",
        )


class CheckInOut(BaseModel):
    passes: list[BoardingPass]


class PassengerQuery(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"flight_id": "b9c5e7a2-...", "code": "K7QM4XRA", "document_number": "K1234567"},
                {"flight_id": "b9c5e7a2-...", "bcbp": "M1LOVELACE/ADA        ETEB4C9 XSPAORXA 0101 335Y012A0007 100"},
            ]
        },
    )
    flight_id: Annotated[str, Field(min_length=1, max_length=64, description="the flight at this counter or gate")]
    code: Code | None = None
    bcbp: Annotated[str | None, Field(max_length=400, description="the scanned QR code's text")] = None
    document_number: Annotated[str | None, Field(max_length=40, description="the document the agent sees")] = None


class Verification(BaseModel):
    booking_id: str
    passenger_id: str
    pnr: str
    first_name: str
    last_name: str
    passenger_type: Literal["adult", "child", "infant"]
    infant_of: str
    seat: str
    flight_id: str
    flight_number: str
    status: Status
    flight_matches: bool = Field(description="always true: another flight's code or pass is refused with 409")
    document_checked: bool
    document_matches: bool
    message: str = Field(examples=["the document matches the booking"])
    boarding_pass: BoardingPass | None

    @classmethod
    def of(cls, v: pb.Verification) -> Verification:
        return cls(
            booking_id=v.booking_id,
            passenger_id=v.passenger_id,
            pnr=v.pnr,
            first_name=v.first_name,
            last_name=v.last_name,
            passenger_type=v.passenger_type,
            infant_of=v.infant_of,  # type: ignore[arg-type]
            seat=v.seat,
            flight_id=v.flight_id,
            flight_number=v.flight_number,
            status=v.status,  # type: ignore[arg-type]
            flight_matches=v.flight_matches,
            document_checked=v.document_checked,
            document_matches=v.document_matches,
            message=v.message,
            boarding_pass=BoardingPass.of(getattr(v, "pass")) if v.HasField("pass") else None,
        )


class FlightPassenger(BaseModel):
    booking_id: str
    passenger_id: str
    pnr: str
    first_name: str
    last_name: str
    passenger_type: Literal["adult", "child", "infant"]
    seat: str
    status: Status
    sequence: int | None
    checked_in_at: datetime | None
    boarded_at: datetime | None

    @classmethod
    def of(cls, x: pb.FlightPassenger) -> FlightPassenger:
        return cls(
            booking_id=x.booking_id,
            passenger_id=x.passenger_id,
            pnr=x.pnr,
            first_name=x.first_name,
            last_name=x.last_name,
            passenger_type=x.passenger_type,
            seat=x.seat,
            status=x.status,  # type: ignore[arg-type]
            sequence=x.sequence or None,
            checked_in_at=timestamp_out(x, "checked_in_at"),
            boarded_at=timestamp_out(x, "boarded_at"),
        )


class FlightPassengers(BaseModel):
    flight_id: str
    passengers: list[FlightPassenger]


class NoShows(BaseModel):
    flight_id: str
    gate_closed_at: datetime | None
    not_checked_in: list[FlightPassenger] = Field(description="confirmed, never checked in")
    checked_in_not_boarded: list[FlightPassenger] = Field(description="checked in but did not board")


def _query(body: PassengerQuery) -> pb.PassengerQuery:
    return pb.PassengerQuery(
        flight_id=body.flight_id, code=body.code or "", bcbp=body.bcbp or "", document_number=body.document_number or ""
    )


@router.post(
    "/checkin",
    response_model=CheckInOut,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="Check in online: the code + last name, or a booking",
    description="With `code` + `last_name`: that passenger. With `booking_id` (its owner's token, "
    "`X-Manage-Token`, or `pnr` + `last_name`): every passenger of the booking. For `flight_id`, else "
    "the next flight whose check-in has not closed. Opens 24 h and closes 1 h before the current "
    "departure (409 says when). A passenger without a seat gets one. Twice gives the same passes. "
    "Unknown code: 404 (wrong guesses are counted; too many: 429). Revoked or expired code: 410.",
    responses=error_responses(404, 409, 410, 422, 429),
)
async def check_in(
    body: CheckInIn, request: Request, svc: Checkin, caller: Caller, token: ManageToken = None
) -> CheckInOut:
    req = pb.CheckInRequest(code=body.code or "", last_name=body.last_name or "", flight_id=body.flight_id or "")
    if body.booking_id and not body.code:
        req.access.CopyFrom(
            pb.BookingAccess(
                booking_id=body.booking_id, manage_token=token or "", pnr=body.pnr or "", last_name=body.last_name or ""
            )
        )
    reply = await guarded(
        request, caller, lambda: svc.CheckIn(req), body.code, body.pnr if body.booking_id and not body.code else None
    )
    return CheckInOut(passes=[BoardingPass.of(p) for p in reply.passes])


async def _pass(
    request: Request,
    svc: pb_grpc.CheckinServiceStub,
    caller: Principal | None,
    pass_id: str,
    code: str | None,
    last_name: str | None,
    token: str | None,
    pnr: str | None,
) -> pb.BoardingPass:
    req = pb.GetBoardingPassRequest(id=pass_id, code=code or "", last_name=last_name or "")
    if not code:
        req.access.CopyFrom(pb.BookingAccess(manage_token=token or "", pnr=pnr or "", last_name=last_name or ""))
    return await guarded(
        request, caller, lambda: svc.GetBoardingPass(req), code, pnr if not code and last_name else None
    )


PassCode = Annotated[str | None, Query(max_length=20, description="the passenger's check-in code (with last_name)")]
LastName = Annotated[str | None, Query(max_length=100)]
Pnr = Annotated[str | None, Query(max_length=10)]
PASS_DOC = (
    "Readable by the booking's owner, with `X-Manage-Token`, with `pnr` + `last_name`, with the "
    "passenger's `code` + `last_name`, or by staff (agent, cs, ops); anyone else gets 404."
)


@router.get(
    "/boarding-passes/{pass_id}",
    response_model=BoardingPass,
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    summary="A boarding pass",
    description=PASS_DOC,
    responses=error_responses(404, 410, 429),
)
async def get_pass(
    pass_id: PassIdPath,
    request: Request,
    svc: Checkin,
    caller: Caller,
    code: PassCode = None,
    last_name: LastName = None,
    pnr: Pnr = None,
    token: ManageToken = None,
) -> BoardingPass:
    return BoardingPass.of(await _pass(request, svc, caller, pass_id, code, last_name, token, pnr))


def _qr_image(p: pb.BoardingPass, kind: str) -> Response:
    """The pass's BCBP text as a QR code; error level M survives a scratched phone screen, and
    boarding passes are never micro QR. Private: it opens the passenger's check-in."""
    out = io.BytesIO()
    extra = {"title": f"Boarding pass {p.flight_number} {p.last_name}"} if kind == "svg" else {}
    segno.make(p.bcbp, error="m", micro=False).save(out, kind=kind, scale=5, border=4, **extra)
    return Response(
        out.getvalue(),
        media_type={"png": "image/png", "svg": "image/svg+xml"}[kind],
        headers={"Cache-Control": "private, no-store"},
    )


@router.get(
    "/boarding-passes/{pass_id}/qr.png",
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    response_class=Response,
    summary="The boarding pass's QR code (PNG)",
    description=PASS_DOC,
    responses={200: {"content": {"image/png": {}}, "description": "the QR code"}, **error_responses(404, 410, 429)},
)
async def pass_png(
    pass_id: PassIdPath,
    request: Request,
    svc: Checkin,
    caller: Caller,
    code: PassCode = None,
    last_name: LastName = None,
    pnr: Pnr = None,
    token: ManageToken = None,
) -> Response:
    return _qr_image(await _pass(request, svc, caller, pass_id, code, last_name, token, pnr), "png")


@router.get(
    "/boarding-passes/{pass_id}/qr.svg",
    tags=TAG,
    openapi_extra=OPTIONAL_AUTH,
    response_class=Response,
    summary="The boarding pass's QR code (SVG)",
    description=PASS_DOC,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "the QR code"}, **error_responses(404, 410, 429)},
)
async def pass_svg(
    pass_id: PassIdPath,
    request: Request,
    svc: Checkin,
    caller: Caller,
    code: PassCode = None,
    last_name: LastName = None,
    pnr: Pnr = None,
    token: ManageToken = None,
) -> Response:
    return _qr_image(await _pass(request, svc, caller, pass_id, code, last_name, token, pnr), "svg")


@router.post(
    "/checkin/verify",
    response_model=Verification,
    tags=TAG,
    summary="Agent: who is this passenger (code or scanned pass) for this flight?",
    description="Answers name, PNR, type, seat, booking and passenger id and status; compares the "
    "`document_number` if given. A code or pass of another flight: 409 `wrong_flight`.",
    responses=error_responses(401, 403, 404, 409, 410, 422, 429),
)
async def verify(body: PassengerQuery, request: Request, svc: Checkin, agent: Agent) -> Verification:
    return Verification.of(await guarded(request, agent, lambda: svc.VerifyPassenger(_query(body)), body.code))


@router.post(
    "/checkin/check-in",
    response_model=BoardingPass,
    tags=TAG,
    summary="Agent: check the passenger in at the counter",
    description="Same window as online (`AIRLINE_CHECKIN_COUNTER_CLOSES_MINUTES`); a `document_number` "
    "that differs from the booking's is refused (409 `document_mismatch`). Twice gives the "
    "same pass.",
    responses=error_responses(401, 403, 404, 409, 410, 422, 429),
)
async def counter_check_in(body: PassengerQuery, request: Request, svc: Checkin, agent: Agent) -> BoardingPass:
    return BoardingPass.of(await guarded(request, agent, lambda: svc.CheckInAtCounter(_query(body)), body.code))


@router.post(
    "/boarding",
    response_model=BoardingPass,
    tags=TAG,
    summary="Agent at the gate: board the passenger (scanned pass or code)",
    description="The passenger must be checked in for this flight; a second scan is refused "
    '(409 `already_boarded`, "already boarded at HH:MM").',
    responses=error_responses(401, 403, 404, 409, 410, 422, 429),
)
async def board(body: PassengerQuery, request: Request, svc: Checkin, agent: Agent) -> BoardingPass:
    return BoardingPass.of(await guarded(request, agent, lambda: svc.Board(_query(body)), body.code))


@router.get(
    "/flights/{flight_id}/passengers",
    response_model=FlightPassengers,
    tags=TAG,
    summary="Agent: the flight's confirmed passengers and their check-in status",
    responses=error_responses(401, 403, 422),
)
async def flight_passengers(flight_id: FlightIdPath, svc: Checkin, agent: Agent) -> FlightPassengers:
    reply = await svc.ListPassengers(pb.FlightQuery(flight_id=flight_id))
    return FlightPassengers(flight_id=reply.flight_id, passengers=[FlightPassenger.of(x) for x in reply.passengers])


@router.get(
    "/flights/{flight_id}/no-shows",
    response_model=NoShows,
    tags=TAG,
    summary="Agent: who did not board (after gate close)",
    description="After gate close (`AIRLINE_CHECKIN_GATE_CLOSES_MINUTES` before departure) or once the "
    "flight has departed; before that 409 `gate_open`.",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def no_shows(flight_id: FlightIdPath, svc: Checkin, agent: Agent) -> NoShows:
    r = await svc.ListNoShows(pb.FlightQuery(flight_id=flight_id))
    return NoShows(
        flight_id=r.flight_id,
        gate_closed_at=timestamp_out(r, "gate_closed_at"),
        not_checked_in=[FlightPassenger.of(x) for x in r.not_checked_in],
        checked_in_not_boarded=[FlightPassenger.of(x) for x in r.checked_in_not_boarded],
    )
