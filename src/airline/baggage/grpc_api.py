"""Maps baggage protos to use cases and back; roles are checked in the service's use cases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc

from airline.baggage import tagprint
from airline.baggage.service import Access, BaggageService, Detail, DropInput
from airline.baggage.v1 import baggage_pb2 as pb
from airline.baggage.v1 import baggage_pb2_grpc as pb_grpc
from airline.payment.client import PaymentMethod
from airline.platform.protobuf import optional_time, timestamp


def bag_pb(r: Mapping[str, Any], replayed: bool = False) -> pb.Bag:
    return pb.Bag(
        id=r["id"],
        tag=r["tag"] or "",
        status=r["status"],
        booking_id=r["booking_id"],
        pnr=r["pnr"],
        passenger_id=r["passenger_id"],
        first_name=r["first_name"],
        last_name=r["last_name"],
        flight_id=r["flight_id"],
        flight_number=r["flight_number"],
        origin=r["origin"],
        destination=r["destination"],
        plane_id=r["plane_id"],
        plane_registration=r["plane_registration"],
        weight_g=r["weight_g"],
        length_cm=r["length_cm"],
        width_cm=r["width_cm"],
        height_cm=r["height_cm"],
        fee=r["fee"],
        currency=r["currency"],
        fee_reasons=list(r["fee_reasons"]),
        payment_id=r["payment_id"],
        created_at=timestamp(r["created_at"]),
        accepted_at=timestamp(r["accepted_at"]),
        updated_at=timestamp(r["updated_at"]),
        replayed=replayed,
        seq=r["seq"],
    )


def detail_pb(d: Detail) -> pb.BagDetail:
    return pb.BagDetail(
        bag=bag_pb(d.bag, d.replayed),
        history=[
            pb.TrackingEvent(
                seq=e["seq"],
                status=e["status"],
                airport=e["airport"],
                location=e["location"],
                at=timestamp(e["at"]),
                recorded_by=e["recorded_by"],
                role=e["role"],
                event_id=e["client_event_id"],
            )
            for e in d.history
        ],
    )


def manifest_line(r: Mapping[str, Any]) -> pb.ManifestLine:
    return pb.ManifestLine(
        tag=r["tag"],
        bag_id=r["id"],
        passenger_name=f"{r['first_name']} {r['last_name']}",
        passenger_id=r["passenger_id"],
        pnr=r["pnr"],
        weight_g=r["weight_g"],
        status=r["status"],
        offload=r["offload"],
    )


class BaggageApi(pb_grpc.BaggageServiceServicer):
    def __init__(self, service: BaggageService) -> None:
        self.service = service

    async def DropBag(self, request: pb.DropBagRequest, context: grpc.aio.ServicerContext) -> pb.Bag:
        d = await self.service.drop(
            DropInput(
                booking_id=request.booking_id,
                passenger_id=request.passenger_id,
                flight_id=request.flight_id,
                weight_kg=request.weight_kg,
                length_cm=request.length_cm,
                width_cm=request.width_cm,
                height_cm=request.height_cm,
                idempotency_key=request.idempotency_key,
                location=request.location,
            )
        )
        return bag_pb(d.bag, d.replayed)

    async def PayBag(self, request: pb.PayBagRequest, context: grpc.aio.ServicerContext) -> pb.Bag:
        d = await self.service.pay(request.bag_id, request.idempotency_key, PaymentMethod.of(request))
        return bag_pb(d.bag, d.replayed)

    async def GetBag(self, request: pb.GetBagRequest, context: grpc.aio.ServicerContext) -> pb.BagDetail:
        return detail_pb(await self.service.get(request.tag, request.bag_id, Access(request.pnr, request.last_name)))

    async def RecordEvent(self, request: pb.RecordEventRequest, context: grpc.aio.ServicerContext) -> pb.BagDetail:
        return detail_pb(
            await self.service.record(
                request.tag,
                request.status,
                request.airport,
                request.location,
                optional_time(request, "at"),
                request.event_id,
            )
        )

    async def ListBags(self, request: pb.ListBagsRequest, context: grpc.aio.ServicerContext) -> pb.ListBagsResponse:
        rows, token = await self.service.search(
            tag=request.tag,
            name=request.name,
            flight_id=request.flight_id,
            status=request.status,
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListBagsResponse(bags=[bag_pb(r) for r in rows], next_page_token=token)

    async def GetManifest(self, request: pb.GetManifestRequest, context: grpc.aio.ServicerContext) -> pb.Manifest:
        m = await self.service.manifest(request.flight_id)
        return pb.Manifest(
            flight_id=m.flight_id,
            flight_number=m.flight_number,
            plane_id=m.plane_id,
            plane_registration=m.plane_registration,
            count=m.count,
            total_weight_g=m.total_weight_g,
            not_loaded=m.not_loaded,
            bags=[manifest_line(r) for r in m.bags],
        )

    async def GetReconciliation(
        self, request: pb.GetManifestRequest, context: grpc.aio.ServicerContext
    ) -> pb.Reconciliation:
        r = await self.service.reconciliation(request.flight_id)
        return pb.Reconciliation(
            flight_id=r.flight_id,
            flight_number=r.flight_number,
            door_closed=r.door_closed,
            to_offload=[manifest_line(b) for b in r.to_offload],
            still_loaded=r.still_loaded,
            flying_bags=len(r.flying),
            flying_weight_g=sum(b["weight_g"] for b in r.flying),
            ready=r.ready,
            loaded_bags=r.loaded,
        )

    async def ListBookingBags(
        self, request: pb.ListBookingBagsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListBagsResponse:
        rows = await self.service.booking_bags(request.booking_id, Access(request.pnr, request.last_name))
        return pb.ListBagsResponse(bags=[bag_pb(r) for r in rows])

    async def PrintTag(self, request: pb.GetBagRequest, context: grpc.aio.ServicerContext) -> pb.TagImage:
        d = await self.service.get(request.tag, request.bag_id, Access(request.pnr, request.last_name))
        if not d.bag["tag"]:
            from airline.platform.errors import Conflict

            raise Conflict("the bag has no tag until its excess fee is paid", code="bag_not_accepted")
        return pb.TagImage(tag=d.bag["tag"], svg=tagprint.tag_svg(d.bag))
