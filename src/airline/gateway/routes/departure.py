"""Departure control for agents and ops (issue 18): close the door (who did not board is
offloaded and their bags flagged to come off), the gate lists of an overbooked cabin and the
volunteers, the standby and upgrade lists cleared at the gate, the final passenger and bag manifests, the APIS export of travel documents (JSON or
CSV), the load sheet, and the reconciliation of bags against boarded passengers."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from airline.baggage.v1 import baggage_pb2 as gpb
from airline.checkin.v1 import checkin_pb2 as pb
from airline.checkin.v1 import checkin_pb2_grpc as pb_grpc
from airline.gateway import deps
from airline.gateway.bags import Baggage_
from airline.gateway.convert import timestamp_out
from airline.gateway.departure_schema import (
    DoorClosedOut,
    GateListsOut,
    GatePassenger,
    StandbyClearedOut,
    UpgradesClearedOut,
    VolunteerIn,
    gate_lists_out,
)
from airline.gateway.params import AgentOnly, AgentOrOps, FlightIdPath
from airline.gateway.problems import error_responses

router = APIRouter(prefix="/api/v1")
TAG: list[str | Any] = ["departure"]
ERRORS = error_responses(401, 403, 404, 409, 422)
PREFIX = "/flights/{flight_id}/departure"


def checkin_stub(request: Request) -> pb_grpc.CheckinServiceStub:
    return pb_grpc.CheckinServiceStub(deps.channel(request, "checkin"))


Checkin_ = Annotated[pb_grpc.CheckinServiceStub, Depends(checkin_stub)]
PassengerIdPath = Annotated[str, Path(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9]+$")]
BookingIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


class Counts(BaseModel):
    adults: int
    children: int
    infants: int
    total: int

    @classmethod
    def of(cls, c: pb.PassengerCounts) -> Counts:
        return cls(adults=c.adults, children=c.children, infants=c.infants, total=c.total)


class ManifestPassenger(BaseModel):
    booking_id: str
    passenger_id: str
    pnr: str
    first_name: str
    last_name: str
    passenger_type: str
    status: str
    seat: str
    cabin_class: str
    infant_of: str
    special_meal: str
    volunteer: bool


class BagLine(BaseModel):
    tag: str
    passenger_name: str
    passenger_id: str
    pnr: str
    weight_kg: float
    status: str
    offload: bool

    @classmethod
    def of(cls, b: gpb.ManifestLine) -> BagLine:
        return cls(
            tag=b.tag,
            passenger_name=b.passenger_name,
            passenger_id=b.passenger_id,
            pnr=b.pnr,
            weight_kg=b.weight_g / 1000,
            status=b.status,
            offload=b.offload,
        )


class BagManifest(BaseModel):
    count: int
    total_weight_kg: float
    bags: list[BagLine]


class FinalManifest(BaseModel):
    flight_id: str
    flight_number: str
    origin: str
    destination: str
    departure: datetime | None
    door_closed: bool
    door_closed_at: datetime | None
    boarded: Counts
    offloaded: Counts
    special_meals: dict[str, int]
    passengers: list[ManifestPassenger]
    bags: BagManifest  # the bags that fly: accepted, not of an offloaded passenger


class ApisRecord(BaseModel):
    last_name: str
    first_name: str
    date_of_birth: str
    nationality: str
    document_type: str
    document_number: str
    document_expiry: str
    passenger_type: str
    seat: str
    pnr: str


class ApisExport(BaseModel):
    flight_id: str
    flight_number: str
    origin: str
    destination: str
    departure: datetime | None
    final: bool
    passengers: list[ApisRecord]


class Compartment(BaseModel):
    name: str
    passengers: int
    bags: int
    passenger_kg: int
    bag_kg: int
    cargo_kg: int
    total_kg: int
    limit_kg: int | None
    over_limit: bool


COMPARTMENT_FIELDS = ("name", "passengers", "bags", "passenger_kg", "bag_kg", "cargo_kg", "total_kg", "over_limit")


class LoadSheetOut(BaseModel):
    flight_id: str
    flight_number: str
    plane_id: str
    aircraft_type: str
    final: bool
    passengers: Counts
    bags: int
    passenger_kg: int
    bag_kg: int
    cargo_kg: int
    total_payload_kg: int
    max_payload_kg: int | None
    compartments: list[Compartment]
    within_limits: bool
    warnings: list[str]
    basis: str


class ReconciliationOut(BaseModel):
    flight_id: str
    door_closed: bool
    ready: bool
    still_loaded: list[str]
    to_offload: list[BagLine]
    flying_bags: int
    flying_weight_kg: float


@router.post(
    f"{PREFIX}/close-door",
    response_model=DoorClosedOut,
    tags=TAG,
    summary="Agent or ops: close the door; who did not board is offloaded",
    description="After gate close only (409 `gate_open` before). Every passenger not boarded (checked in or "
    "not) becomes `offloaded`, and baggage flags their bags to come off. Closing again answers the first "
    "closing (`already_closed`) and changes nothing.",
    responses=ERRORS,
)
async def close_door(flight_id: FlightIdPath, svc: Checkin_, _: AgentOrOps) -> DoorClosedOut:
    r = await svc.CloseDoor(pb.FlightQuery(flight_id=flight_id))
    return DoorClosedOut(
        flight_id=r.flight_id,
        closed_at=timestamp_out(r, "closed_at"),
        closed_by=r.closed_by,
        already_closed=r.already_closed,
        offloaded=[GatePassenger.of(x) for x in r.offloaded],
    )


@router.get(
    f"{PREFIX}/gate-lists",
    response_model=GateListsOut,
    tags=TAG,
    summary="Agent or ops: per cabin, the volunteers, denied-boarding candidates, standby and upgrade lists",
    responses=ERRORS,
)
async def gate_lists(flight_id: FlightIdPath, svc: Checkin_, _: AgentOrOps) -> GateListsOut:
    return gate_lists_out(await svc.ListGateLists(pb.FlightQuery(flight_id=flight_id)))


@router.post(
    f"{PREFIX}/standby/clear",
    response_model=StandbyClearedOut,
    tags=TAG,
    summary="Agent: clear the standby list at the gate",
    description="Once check-in has closed (409 `checkin_open` before) and before door close: the seats of "
    "passengers who never checked in are freed, then the passengers checked in on standby (at the counter, "
    "when their cabin was full) get seats in check-in order, and may board until gate close.",
    responses=ERRORS,
)
async def clear_standby(flight_id: FlightIdPath, svc: Checkin_, _: AgentOnly) -> StandbyClearedOut:
    r = await svc.ClearStandby(pb.FlightQuery(flight_id=flight_id))
    return StandbyClearedOut(
        flight_id=r.flight_id,
        released_seats=list(r.released_seats),
        cleared=[GatePassenger.of(x) for x in r.cleared],
        still_standby=[GatePassenger.of(x) for x in r.still_standby],
    )


@router.put(
    f"{PREFIX}/volunteers/{{booking_id}}/{{passenger_id}}",
    response_model=GateListsOut,
    tags=TAG,
    summary="Agent: a passenger volunteers to give up their seat (or withdraws)",
    responses=ERRORS,
)
async def volunteer(
    flight_id: FlightIdPath,
    booking_id: BookingIdPath,
    passenger_id: PassengerIdPath,
    body: VolunteerIn,
    svc: Checkin_,
    _: AgentOnly,
) -> GateListsOut:
    r = await svc.RecordVolunteer(
        pb.VolunteerRequest(
            flight_id=flight_id, booking_id=booking_id, passenger_id=passenger_id, volunteer=body.volunteer
        )
    )
    return gate_lists_out(r)


UPGRADE = f"{PREFIX}/upgrades/{{booking_id}}/{{passenger_id}}"
UPGRADE_REFUSALS = (
    "409 with `code`: `not_checked_in`, `already_boarded`, `offloaded`, `on_standby` (no seat yet), "
    "`top_cabin`, `already_upgraded`, `not_upgradable` (an infant rides with their adult; a child is not "
    "moved away from their family), `travels_with_infant` (an adult with a lap infant is never upgraded "
    "at the gate), `door_closed`; 404 for a passenger not on this flight."
)


@router.put(
    UPGRADE,
    response_model=GateListsOut,
    tags=TAG,
    summary="Agent or ops: put a checked-in passenger on the upgrade list for the next cabin up",
    description="The passenger must be checked in with a seat in a lower cabin and not boarded. Listing again "
    "keeps their place. The gate lists answer: each cabin's `upgrades` is its list in priority order (the "
    "highest fare paid per seat and flight first, then who was listed first). " + UPGRADE_REFUSALS,
    responses=ERRORS,
)
async def list_for_upgrade(
    flight_id: FlightIdPath, booking_id: BookingIdPath, passenger_id: PassengerIdPath, svc: Checkin_, _: AgentOrOps
) -> GateListsOut:
    r = await svc.RecordUpgradeRequest(
        pb.UpgradeListRequest(flight_id=flight_id, booking_id=booking_id, passenger_id=passenger_id, listed=True)
    )
    return gate_lists_out(r)


@router.delete(
    UPGRADE,
    response_model=GateListsOut,
    tags=TAG,
    summary="Agent or ops: take a passenger off the upgrade list",
    description="Harmless when they are not on it; 409 `already_upgraded` once the list was cleared into a "
    "seat of the higher cabin. The gate lists answer.",
    responses=ERRORS,
)
async def unlist_for_upgrade(
    flight_id: FlightIdPath, booking_id: BookingIdPath, passenger_id: PassengerIdPath, svc: Checkin_, _: AgentOrOps
) -> GateListsOut:
    r = await svc.RecordUpgradeRequest(
        pb.UpgradeListRequest(flight_id=flight_id, booking_id=booking_id, passenger_id=passenger_id, listed=False)
    )
    return gate_lists_out(r)


@router.post(
    f"{PREFIX}/upgrades/clear",
    response_model=UpgradesClearedOut,
    tags=TAG,
    summary="Agent or ops: clear the upgrade list at the gate",
    description="Once check-in has closed (409 `checkin_open` before) and before door close (409 `door_closed`): "
    "the seats of passengers who never checked in are freed, then the free seats of each higher cabin go to "
    "its upgrade list in priority order. Each upgraded passenger moves to the new seat in reservation, their "
    "old seat is freed (standby cleared afterwards may take it) and their boarding pass is re-issued with the "
    "new seat and compartment. No charge: an upgrade at the gate is operational. Clearing again answers who "
    "is still on the list.",
    responses=ERRORS,
)
async def clear_upgrades(flight_id: FlightIdPath, svc: Checkin_, _: AgentOrOps) -> UpgradesClearedOut:
    return UpgradesClearedOut.of(await svc.ClearUpgrades(pb.FlightQuery(flight_id=flight_id)))


@router.get(
    f"{PREFIX}/manifest",
    response_model=FinalManifest,
    tags=TAG,
    summary="Agent or ops: the passenger and bag manifests",
    description="Every passenger with status, counts by type of who boarded and who was offloaded, special "
    "meals of the boarded passengers; the bags that fly (count, weight). Final once the door is closed.",
    responses=ERRORS,
)
async def manifest(flight_id: FlightIdPath, svc: Checkin_, bags: Baggage_, _: AgentOrOps) -> FinalManifest:
    m = await svc.GetDepartureManifest(pb.FlightQuery(flight_id=flight_id))
    b = await bags.GetManifest(gpb.GetManifestRequest(flight_id=flight_id))
    flying = [x for x in b.bags if not x.offload]
    return FinalManifest(
        flight_id=m.flight_id,
        flight_number=m.flight_number,
        origin=m.origin,
        destination=m.destination,
        departure=timestamp_out(m, "departure"),
        door_closed=m.door_closed,
        door_closed_at=timestamp_out(m, "door_closed_at"),
        boarded=Counts.of(m.boarded),
        offloaded=Counts.of(m.offloaded),
        special_meals={x.meal: x.count for x in m.special_meals},
        passengers=[
            ManifestPassenger(
                booking_id=x.booking_id,
                passenger_id=x.passenger_id,
                pnr=x.pnr,
                first_name=x.first_name,
                last_name=x.last_name,
                passenger_type=x.passenger_type,
                status=x.status,
                seat=x.seat,
                cabin_class=x.cabin_class,
                infant_of=x.infant_of,
                special_meal=x.meal,
                volunteer=x.volunteer,
            )
            for x in m.passengers
        ],
        bags=BagManifest(
            count=len(flying),
            total_weight_kg=sum(x.weight_g for x in flying) / 1000,
            bags=[BagLine.of(x) for x in flying],
        ),
    )


APIS_FIELDS = list(ApisRecord.model_fields)


@router.get(
    f"{PREFIX}/apis",
    response_model=ApisExport,
    tags=TAG,
    summary="Agent or ops: APIS-style travel documents of who boarded (JSON or CSV)",
    description="One record per boarded passenger (infants included): name, date of birth, nationality (the "
    "document's issuing country), document type, number and expiry. `format=csv` gives the same records as "
    "text/csv. Final once the door is closed.",
    responses=ERRORS | {200: {"content": {"text/csv": {}}}},
)
async def apis(
    flight_id: FlightIdPath,
    svc: Checkin_,
    _: AgentOrOps,
    format: Annotated[Literal["json", "csv"], Query()] = "json",  # noqa: A002  (the public parameter's name)
) -> ApisExport | Response:
    m = await svc.GetDepartureManifest(pb.FlightQuery(flight_id=flight_id))
    records = [
        ApisRecord(
            last_name=x.last_name,
            first_name=x.first_name,
            date_of_birth=x.date_of_birth,
            nationality=x.nationality,
            document_type=x.document_type,
            document_number=x.document_number,
            document_expiry=x.document_expiry,
            passenger_type=x.passenger_type,
            seat=x.seat,
            pnr=x.pnr,
        )
        for x in m.passengers
        if x.status == "boarded"
    ]
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=APIS_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(r.model_dump() for r in records)
        name = f"apis-{m.flight_number}-{flight_id}.csv"
        return Response(
            out.getvalue(), media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )
    return ApisExport(
        flight_id=m.flight_id,
        flight_number=m.flight_number,
        origin=m.origin,
        destination=m.destination,
        departure=timestamp_out(m, "departure"),
        final=m.door_closed,
        passengers=records,
    )


@router.get(
    f"{PREFIX}/loadsheet",
    response_model=LoadSheetOut,
    tags=TAG,
    summary="Agent or ops: passengers, bags and cargo by compartment against the aircraft type's limits",
    responses=ERRORS,
)
async def loadsheet(flight_id: FlightIdPath, svc: Checkin_, _: AgentOrOps) -> LoadSheetOut:
    s = await svc.GetLoadSheet(pb.FlightQuery(flight_id=flight_id))
    return LoadSheetOut(
        flight_id=s.flight_id,
        flight_number=s.flight_number,
        plane_id=s.plane_id,
        aircraft_type=s.aircraft_type,
        final=s.final,
        passengers=Counts.of(s.passengers),
        bags=s.bags,
        passenger_kg=s.passenger_kg,
        bag_kg=s.bag_kg,
        cargo_kg=s.cargo_kg,
        total_payload_kg=s.total_payload_kg,
        max_payload_kg=s.max_payload_kg or None,
        compartments=[
            Compartment(limit_kg=c.limit_kg or None, **{k: getattr(c, k) for k in COMPARTMENT_FIELDS})
            for c in s.compartments
        ],
        within_limits=s.within_limits,
        warnings=list(s.warnings),
        basis=s.basis,
    )


@router.get(
    f"{PREFIX}/reconciliation",
    response_model=ReconciliationOut,
    tags=TAG,
    summary="Agent or ops: bags reconciled against boarded passengers",
    description="Bags of passengers offloaded at door close (`to_offload`) and which of them are still "
    'loaded (`still_loaded`): "departed" is refused until that list is empty (or ops overrides).',
    responses=ERRORS,
)
async def reconciliation(flight_id: FlightIdPath, bags: Baggage_, _: AgentOrOps) -> ReconciliationOut:
    r = await bags.GetReconciliation(gpb.GetManifestRequest(flight_id=flight_id))
    return ReconciliationOut(
        flight_id=flight_id,
        door_closed=r.door_closed,
        ready=r.ready,
        still_loaded=list(r.still_loaded),
        to_offload=[BagLine.of(x) for x in r.to_offload],
        flying_bags=r.flying_bags,
        flying_weight_kg=r.flying_weight_g / 1000,
    )
