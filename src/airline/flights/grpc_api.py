"""Maps flights protos to use cases and back; role checks per RPC."""

from __future__ import annotations

from collections.abc import Sequence

import grpc

from airline.flights import domain
from airline.flights.domain import Fare, FareRules, Flight, Offer, PriceLine
from airline.flights.events import Announcement
from airline.flights.fares import FareService, FareSpec, RulesSpec
from airline.flights.revenue_grpc import RevenueRpcs
from airline.flights.service import FlightService
from airline.flights.v1 import flights_pb2 as pb
from airline.flights.v1 import flights_pb2_grpc as pb_grpc
from airline.platform.auth import Role, require
from airline.platform.protobuf import fields_to_message, optional_time, timestamp


def flight_pb(f: Flight) -> pb.Flight:
    return pb.Flight(
        **fields_to_message(pb.Flight, f),
        seats=[
            pb.CabinSeats(
                cabin_class=c.cabin_class.value,
                capacity=c.capacity,
                sold=c.sold,
                overbooking_percent=c.overbooking_percent,
                seats_left=c.left,
                show_up_rate_bp=c.show_up_rate_bp,
                overbooking_allowance=c.allowance,
            )
            for c in f.seats
        ],
    )


def announcement_pb(a: Announcement) -> pb.Announcement:
    return pb.Announcement(
        id=a.id,
        flight_id=a.flight_id,
        flight_number=a.flight_number,
        airport=a.airport,
        kind=a.kind,
        message=a.message,
        created_at=timestamp(a.created_at),
    )


def fare_pb(f: Fare) -> pb.Fare:
    return pb.Fare(
        origin=f.origin,
        destination=f.destination,
        cabin_class=f.cabin_class.value,
        passenger_type=f.passenger_type.value,
        trip_type=f.trip_type.value,
        amount=f.amount,
        currency=f.currency,
    )


def rules_pb(r: FareRules) -> pb.FareRules:
    return pb.FareRules(
        origin=r.origin,
        destination=r.destination,
        cabin_class=r.cabin_class.value,
        refundable=r.refundable,
        change_fee=r.change_fee,
        currency=r.currency,
        checked_bags=r.checked_bags,
        bag_weight_kg=r.bag_weight_kg,
        no_show_refund=r.no_show_refund,
        taxes=r.taxes,
    )


def price_lines_pb(lines: Sequence[PriceLine]) -> list[pb.PriceLine]:
    return [
        pb.PriceLine(
            passenger_type=line.passenger_type.value, count=line.count, unit_amount=line.unit_amount, amount=line.amount
        )
        for line in lines
    ]


def offer_pb(o: Offer) -> pb.Offer:
    return pb.Offer(
        offer_id=o.offer_id,
        legs=[
            pb.OfferLeg(
                flight=flight_pb(leg.flight),
                seats_left=leg.seats_left,
                rules=rules_pb(leg.rules),
                fare_bucket=leg.bucket,
            )
            for leg in o.legs
        ],
        cabin_class=o.cabin_class.value,
        trip_type=o.trip_type.value,
        adults=o.passengers.adults,
        children=o.passengers.children,
        infants=o.passengers.infants,
        breakdown=price_lines_pb(o.price.lines),
        total=o.price.total,
        currency=o.price.currency,
        expires_at=timestamp(o.expires_at),
        fare_lines=price_lines_pb(o.fare_lines),
        taxes=[
            pb.TaxLine(
                code=t.code,
                name=t.name,
                airport=t.airport,
                passenger_type=t.passenger_type.value,
                count=t.count,
                unit_amount=t.unit_amount,
                amount=t.amount,
            )
            for t in o.taxes
        ],
    )


class FlightApi(pb_grpc.FlightServiceServicer):
    def __init__(self, service: FlightService) -> None:
        self.service = service

    # -- ops / admin

    async def CreateFlight(self, request: pb.CreateFlightRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        require(Role.OPS)
        flight = await self.service.create_flight(
            request.number,
            request.origin,
            request.destination,
            optional_time(request, "departure"),
            request.duration_minutes,
            request.plane_id,
            request.gate,
        )
        return flight_pb(flight)

    async def CreateRoundTrip(
        self, request: pb.CreateRoundTripRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateFlightsResponse:
        require(Role.OPS)
        out = request.outbound
        created = await self.service.create_round_trip(
            out.number,
            out.origin,
            out.destination,
            optional_time(out, "departure"),
            out.duration_minutes,
            out.plane_id,
            out.gate,
            request.return_number,
            optional_time(request, "return_departure"),
            request.return_duration_minutes,
            request.return_gate,
        )
        return pb.CreateFlightsResponse(
            flights=[flight_pb(f) for f in created.flights], round_trip_id=created.round_trip_id
        )

    async def CreateSchedule(
        self, request: pb.CreateScheduleRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateFlightsResponse:
        require(Role.OPS)
        spec = domain.schedule_spec(
            request.number,
            request.origin,
            request.destination,
            request.plane_id,
            request.gate,
            request.departure_local_time,
            request.duration_minutes,
            request.first_date,
            request.days,
            list(request.weekdays),
            request.return_number,
            request.return_gate,
            request.return_departure_local_time,
            request.return_duration_minutes,
        )
        created = await self.service.create_schedule(spec)
        return pb.CreateFlightsResponse(
            flights=[flight_pb(f) for f in created.flights], schedule_id=created.schedule_id
        )

    async def UpdateStatus(self, request: pb.UpdateStatusRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        require(Role.OPS)
        return flight_pb(
            await self.service.update_status(
                request.flight_id, request.status, optional_time(request, "at"), request.override_reason
            )
        )

    async def ChangeGate(self, request: pb.ChangeGateRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        require(Role.OPS)
        return flight_pb(await self.service.change_gate(request.flight_id, request.gate, request.reason))

    async def DelayFlight(self, request: pb.DelayFlightRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        require(Role.OPS)
        flight = await self.service.delay(
            request.flight_id,
            optional_time(request, "new_departure"),
            optional_time(request, "new_arrival"),
            request.delay_code,
            request.reason,
        )
        return flight_pb(flight)

    async def CancelFlight(self, request: pb.CancelFlightRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        require(Role.OPS)
        return flight_pb(await self.service.cancel(request.flight_id, request.reason))

    async def DivertFlight(self, request: pb.DivertFlightRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        require(Role.OPS)
        flight = await self.service.divert(
            request.flight_id, request.diverted_to, request.reason, optional_time(request, "estimated_arrival")
        )
        return flight_pb(flight)

    async def ChangePlane(self, request: pb.ChangePlaneRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        require(Role.OPS)
        return flight_pb(await self.service.change_plane(request.flight_id, request.plane_id, request.reason))

    async def SetOverbooking(self, request: pb.SetOverbookingRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        require(Role.OPS)
        return flight_pb(
            await self.service.set_overbooking(
                request.flight_id, request.cabin_class, request.percent, request.show_up_rate_bp
            )
        )

    # -- anyone

    async def GetFlight(self, request: pb.GetFlightRequest, context: grpc.aio.ServicerContext) -> pb.Flight:
        return flight_pb(await self.service.get(request.id))

    async def ListFlights(
        self, request: pb.ListFlightsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListFlightsResponse:
        flights = await self.service.list(
            request.airport,
            request.direction,
            optional_time(request, "from"),
            optional_time(request, "to"),
            request.number,
            request.limit,
        )
        return pb.ListFlightsResponse(flights=[flight_pb(f) for f in flights])

    async def MakeAnnouncement(
        self, request: pb.MakeAnnouncementRequest, context: grpc.aio.ServicerContext
    ) -> pb.Announcement:
        require(Role.AGENT, Role.OPS)
        return announcement_pb(await self.service.make_announcement(request.flight_id, request.kind, request.text))

    async def ListAnnouncements(
        self, request: pb.ListAnnouncementsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListAnnouncementsResponse:
        items = await self.service.announcements(
            request.airport, request.flight_id, optional_time(request, "since"), request.limit
        )
        return pb.ListAnnouncementsResponse(announcements=[announcement_pb(a) for a in items])


class FareApi(RevenueRpcs, pb_grpc.FareServiceServicer):
    def __init__(self, service: FareService) -> None:
        self.service = service

    async def SetFares(self, request: pb.SetFaresRequest, context: grpc.aio.ServicerContext) -> pb.ListFaresResponse:
        require(Role.OPS)
        fares, rules = await self.service.set_fares(
            [
                FareSpec(f.origin, f.destination, f.cabin_class, f.passenger_type, f.trip_type, f.amount, f.currency)
                for f in request.fares
            ],
            [
                RulesSpec(
                    r.origin,
                    r.destination,
                    r.cabin_class,
                    r.refundable,
                    r.change_fee,
                    r.currency,
                    r.checked_bags,
                    r.bag_weight_kg,
                    r.no_show_refund,
                    r.taxes,
                )
                for r in request.rules
            ],
        )
        return pb.ListFaresResponse(fares=[fare_pb(f) for f in fares], rules=[rules_pb(r) for r in rules])

    async def ListFares(self, request: pb.ListFaresRequest, context: grpc.aio.ServicerContext) -> pb.ListFaresResponse:
        fares, rules = await self.service.list_fares(request.origin, request.destination)
        return pb.ListFaresResponse(fares=[fare_pb(f) for f in fares], rules=[rules_pb(r) for r in rules])

    async def Search(self, request: pb.SearchRequest, context: grpc.aio.ServicerContext) -> pb.SearchResponse:
        query = domain.search_query(
            request.origin,
            request.destination,
            request.departure_date,
            request.flexible_days,
            request.adults,
            request.children,
            request.infants,
            request.cabin_class,
            request.trip_type,
            request.return_date,
            request.max_offers,
        )
        return pb.SearchResponse(offers=[offer_pb(o) for o in await self.service.search(query)])

    async def GetOffer(self, request: pb.GetOfferRequest, context: grpc.aio.ServicerContext) -> pb.Offer:
        if request.booking_id:
            require(Role.SYSTEM)  # a claim takes seats: only the booking service makes drafts
        claim_until = optional_time(request, "claim_expires_at")
        return offer_pb(await self.service.get_offer(request.offer_id, request.booking_id, claim_until))
