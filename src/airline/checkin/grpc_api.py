"""Maps checkin protos to use cases and back. Roles are checked in the use cases (agent for
the counter and the gate; online check-in by code or booking access)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc

from airline.booking.v1 import booking_pb2 as bpb
from airline.checkin import departure_rules as rules
from airline.checkin import upgrade_rules
from airline.checkin.service import CheckinService
from airline.checkin.v1 import checkin_pb2 as pb
from airline.checkin.v1 import checkin_pb2_grpc as pb_grpc
from airline.platform.protobuf import timestamp


def pass_pb(x: Mapping[str, Any]) -> pb.BoardingPass:
    return pb.BoardingPass(
        id=x["pass_id"] or "",
        booking_id=x["booking_id"],
        passenger_id=x["passenger_id"],
        pnr=x["pnr"],
        first_name=x["first_name"],
        last_name=x["last_name"],
        passenger_type=x["type"],
        flight_id=x["flight_id"],
        flight_number=x["number"],
        origin=x["origin"],
        destination=x["destination"],
        departure=timestamp(x["departure"] or x["scheduled_departure"]),
        seat=x["seat"],
        sequence=x["sequence"] or 0,
        cabin_class=x["cabin_class"],
        bcbp=x["bcbp"] or "",
        e_ticket=x["e_ticket"],
        gate=x["gate"],
        checked_in_at=timestamp(x["checked_in_at"]),
        boarded_at=timestamp(x["boarded_at"]),
        infant_of=x["infant_of"],
    )


def passenger_pb(x: Mapping[str, Any]) -> pb.FlightPassenger:
    return pb.FlightPassenger(
        booking_id=x["booking_id"],
        passenger_id=x["passenger_id"],
        pnr=x["pnr"],
        first_name=x["first_name"],
        last_name=x["last_name"],
        passenger_type=x["type"],
        seat=x["seat"],
        status=x["status"],
        sequence=x["sequence"] or 0,
        checked_in_at=timestamp(x["checked_in_at"]),
        boarded_at=timestamp(x["boarded_at"]),
        cabin_class=x["cabin_class"],
        upgrade_requested_at=timestamp(x["upgrade_requested_at"]),
        upgraded_from_seat=x["upgraded_from_seat"],
        fare_per_seat=x["fare_per_seat"],
        fare_currency=x["fare_currency"],
    )


def _access(request: Any) -> bpb.Access | None:
    if not request.HasField("access"):
        return None
    a = request.access
    return bpb.Access(booking_id=a.booking_id, manage_token=a.manage_token, pnr=a.pnr, last_name=a.last_name)


class CheckinApi(pb_grpc.CheckinServiceServicer):
    def __init__(self, service: CheckinService) -> None:
        self.service = service

    async def CheckIn(self, request: pb.CheckInRequest, context: grpc.aio.ServicerContext) -> pb.CheckInResponse:
        passes = await self.service.check_in_online(
            request.code, request.last_name, request.flight_id, _access(request)
        )
        return pb.CheckInResponse(passes=[pass_pb(x) for x in passes])

    async def GetBoardingPass(
        self, request: pb.GetBoardingPassRequest, context: grpc.aio.ServicerContext
    ) -> pb.BoardingPass:
        return pass_pb(await self.service.boarding_pass(request.id, _access(request), request.code, request.last_name))

    async def VerifyPassenger(self, request: pb.PassengerQuery, context: grpc.aio.ServicerContext) -> pb.Verification:
        v = await self.service.verify(request.flight_id, request.code, request.bcbp, request.document_number)
        x = v["leg"]
        return pb.Verification(
            booking_id=x["booking_id"],
            passenger_id=x["passenger_id"],
            pnr=x["pnr"],
            first_name=x["first_name"],
            last_name=x["last_name"],
            passenger_type=x["type"],
            seat=x["seat"],
            flight_id=x["flight_id"],
            flight_number=x["number"],
            status=x["status"],
            flight_matches=True,
            document_checked=v["document_checked"],
            document_matches=v["document_matches"],
            message=v["message"],
            infant_of=x["infant_of"],
            **({"pass": pass_pb(x)} if x["pass_id"] else {}),
        )

    async def CheckInAtCounter(self, request: pb.PassengerQuery, context: grpc.aio.ServicerContext) -> pb.BoardingPass:
        return pass_pb(
            await self.service.counter_check_in(request.flight_id, request.code, request.bcbp, request.document_number)
        )

    async def Board(self, request: pb.PassengerQuery, context: grpc.aio.ServicerContext) -> pb.BoardingPass:
        return pass_pb(await self.service.board(request.flight_id, request.code, request.bcbp))

    async def ListPassengers(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.PassengerList:
        rows = await self.service.passengers(request.flight_id)
        return pb.PassengerList(flight_id=request.flight_id.strip(), passengers=[passenger_pb(x) for x in rows])

    async def ListNoShows(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.NoShows:
        not_in, not_boarded, closed = await self.service.no_shows(request.flight_id)
        return pb.NoShows(
            flight_id=request.flight_id.strip(),
            not_checked_in=[passenger_pb(x) for x in not_in],
            checked_in_not_boarded=[passenger_pb(x) for x in not_boarded],
            gate_closed_at=timestamp(closed),
        )

    # ------------------------------------------------------------ departure control

    async def CloseDoor(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.DoorClosed:
        d = await self.service.close_door(request.flight_id)
        return pb.DoorClosed(
            flight_id=d.flight_id,
            closed_at=timestamp(d.closed_at),
            closed_by=d.closed_by,
            offloaded=[passenger_pb(x) for x in d.offloaded],
            already_closed=d.already_closed,
        )

    async def GetDepartureManifest(
        self, request: pb.FlightQuery, context: grpc.aio.ServicerContext
    ) -> pb.DepartureManifest:
        m = await self.service.final_manifest(request.flight_id)
        f = m.flight
        return pb.DepartureManifest(
            flight_id=f.id,
            flight_number=f.number,
            origin=f.origin,
            destination=f.destination,
            departure=timestamp(f.departure),
            door_closed=m.door is not None,
            door_closed_at=timestamp(m.door["closed_at"] if m.door else None),
            passengers=[manifest_passenger_pb(x) for x in m.legs],
            boarded=counts_pb(rules.counts(m.boarded)),
            offloaded=counts_pb(rules.counts(m.offloaded)),
            special_meals=[pb.MealCount(meal=k, count=n) for k, n in rules.special_meals(m.boarded)],
        )

    async def GetLoadSheet(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.LoadSheet:
        v = await self.service.load_sheet(request.flight_id)
        s = v.sheet
        return pb.LoadSheet(
            flight_id=v.flight.id,
            flight_number=v.flight.number,
            plane_id=v.plane_id,
            aircraft_type=v.aircraft_type,
            passengers=counts_pb(s.passengers),
            bags=s.bags,
            passenger_kg=s.passenger_kg,
            bag_kg=s.bag_kg,
            cargo_kg=s.cargo_kg,
            total_payload_kg=s.total_payload_kg,
            max_payload_kg=s.max_payload_kg,
            compartments=[
                pb.LoadCompartment(
                    name=c.name,
                    passengers=c.passengers,
                    bags=c.bags,
                    passenger_kg=c.passenger_kg,
                    bag_kg=c.bag_kg,
                    cargo_kg=c.cargo_kg,
                    total_kg=c.total_kg,
                    limit_kg=c.limit_kg,
                    over_limit=c.over_limit,
                )
                for c in s.compartments
            ],
            within_limits=s.within_limits,
            warnings=s.warnings,
            basis=v.basis,
            final=v.final,
        )

    async def ListGateLists(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.GateLists:
        return gate_lists_pb(request.flight_id, await self.service.gate_lists(request.flight_id))

    async def RecordVolunteer(self, request: pb.VolunteerRequest, context: grpc.aio.ServicerContext) -> pb.GateLists:
        lists = await self.service.record_volunteer(
            request.flight_id, request.booking_id, request.passenger_id, request.volunteer
        )
        return gate_lists_pb(request.flight_id, lists)

    async def ClearStandby(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.StandbyCleared:
        r = await self.service.clear_standby(request.flight_id)
        return pb.StandbyCleared(
            flight_id=r.flight_id,
            released_seats=r.released_seats,
            cleared=[passenger_pb(x) for x in r.cleared],
            still_standby=[passenger_pb(x) for x in r.still_standby],
        )

    async def RecordUpgradeRequest(
        self, request: pb.UpgradeListRequest, context: grpc.aio.ServicerContext
    ) -> pb.GateLists:
        lists = await self.service.record_upgrade_request(
            request.flight_id, request.booking_id, request.passenger_id, request.listed
        )
        return gate_lists_pb(request.flight_id, lists)

    async def ClearUpgrades(self, request: pb.FlightQuery, context: grpc.aio.ServicerContext) -> pb.UpgradesCleared:
        r = await self.service.clear_upgrades(request.flight_id)
        return pb.UpgradesCleared(
            flight_id=r.flight_id,
            released_seats=r.released_seats,
            upgraded=[passenger_pb(x) for x in r.upgraded],
            still_listed=[passenger_pb(x) for x in r.still_listed],
            priority=upgrade_rules.PRIORITY,
        )


def manifest_passenger_pb(x: Mapping[str, Any]) -> pb.ManifestPassenger:
    return pb.ManifestPassenger(
        booking_id=x["booking_id"],
        passenger_id=x["passenger_id"],
        pnr=x["pnr"],
        first_name=x["first_name"],
        last_name=x["last_name"],
        passenger_type=x["type"],
        status=x["status"],
        seat=x["seat"],
        cabin_class=x["cabin_class"],
        infant_of=x["infant_of"],
        meal=x["meal"],
        date_of_birth=x["date_of_birth"],
        nationality=x["document_country"],
        document_type=x["document_type"],
        document_number=x["document_number"],
        document_expiry=x["document_expiry"],
        volunteer=x["volunteer"],
    )


def counts_pb(c: rules.Counts) -> pb.PassengerCounts:
    return pb.PassengerCounts(adults=c.adults, children=c.children, infants=c.infants, total=c.total)


def gate_lists_pb(flight_id: str, lists: list[rules.CabinList]) -> pb.GateLists:
    return pb.GateLists(
        flight_id=flight_id.strip(),
        priority=rules.PRIORITY,
        cabins=[
            pb.CabinGateList(
                cabin_class=c.cabin_class,
                seats=c.seats,
                passengers=c.passengers,
                over=c.over,
                volunteers=[passenger_pb(x) for x in c.volunteers],
                denied_boarding_candidates=[passenger_pb(x) for x in c.candidates],
                standby=[passenger_pb(x) for x in c.standby],
                upgrades=[passenger_pb(x) for x in c.upgrades],
            )
            for c in lists
        ],
    )
