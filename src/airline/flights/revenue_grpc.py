"""The revenue rules' RPCs of FareService (buckets, taxes, the revenue report): protos to use
cases and back; role checks per RPC."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from airline.flights.domain.buckets import Bucket, selling_bucket
from airline.flights.domain.taxes import Tax, new_tax
from airline.flights.revenue import CabinLadder
from airline.flights.v1 import flights_pb2 as pb
from airline.platform.auth import Role, require
from airline.platform.protobuf import optional_time, timestamp

if TYPE_CHECKING:
    from airline.flights.fares import FareService


def cabin_buckets_pb(c: CabinLadder) -> pb.CabinBuckets:
    selling = selling_bucket(c.states, 1)
    return pb.CabinBuckets(
        flight_id=c.flight.id,
        cabin_class=c.cabin_class.value,
        selling=selling.code if selling else "",
        buckets=[
            pb.FareBucket(
                code=s.bucket.code,
                adult_amount=s.bucket.adult_amount,
                child_amount=s.bucket.child_amount,
                infant_amount=s.bucket.infant_amount,
                currency=s.bucket.currency,
                authorised=s.bucket.authorised,
                open=s.bucket.open,
                close_at_load_percent=s.bucket.close_at_load_percent,
                close_days_before=s.bucket.close_days_before,
                sold=s.sold,
                available=s.available,
                selling_open=s.open,
                claimed=s.claimed,
            )
            for s in c.states
        ],
    )


def tax_pb(t: Tax) -> pb.Tax:
    return pb.Tax(
        airport=t.airport,
        passenger_type=t.passenger_type.value,
        code=t.code,
        name=t.name,
        amount=t.amount,
        currency=t.currency,
        applies_on=t.applies_on,
    )


def _tax(t: pb.Tax, where: str) -> Tax:
    return new_tax(t.airport, t.passenger_type, t.code, t.name or t.code, t.amount, t.currency, t.applies_on, where)


class RevenueRpcs:
    service: FareService

    async def SetBuckets(self, request: pb.SetBucketsRequest, context: grpc.aio.ServicerContext) -> pb.CabinBuckets:
        require(Role.OPS)
        ladder = [
            Bucket(
                b.code,
                b.adult_amount,
                b.child_amount,
                b.infant_amount,
                b.currency,
                b.authorised,
                b.open,
                b.close_at_load_percent,
                b.close_days_before,
            )
            for b in request.buckets
        ]
        return cabin_buckets_pb(await self.service.revenue.set_buckets(request.flight_id, request.cabin_class, ladder))

    async def ListBuckets(
        self, request: pb.ListBucketsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListBucketsResponse:
        require(Role.OPS, Role.AGENT)
        cabins = await self.service.revenue.buckets(request.flight_id)
        return pb.ListBucketsResponse(cabins=[cabin_buckets_pb(c) for c in cabins])

    async def ReleaseBucketClaims(
        self, request: pb.ReleaseBucketClaimsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReleaseBucketClaimsResponse:
        require(Role.SYSTEM)
        return pb.ReleaseBucketClaimsResponse(released=await self.service.release_claims(request.booking_id))

    async def ExtendBucketClaims(
        self, request: pb.ExtendBucketClaimsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ExtendBucketClaimsResponse:
        require(Role.SYSTEM)
        until = optional_time(request, "claim_expires_at")
        return pb.ExtendBucketClaimsResponse(extended=await self.service.extend_claims(request.booking_id, until))

    async def SetTaxes(self, request: pb.SetTaxesRequest, context: grpc.aio.ServicerContext) -> pb.ListTaxesResponse:
        require(Role.OPS)
        taxes = [_tax(t, f"taxes[{i}]") for i, t in enumerate(request.taxes)]
        remove = [_tax(t, f"remove[{i}]") for i, t in enumerate(request.remove)]
        return pb.ListTaxesResponse(taxes=[tax_pb(t) for t in await self.service.revenue.set_taxes(taxes, remove)])

    async def ListTaxes(self, request: pb.ListTaxesRequest, context: grpc.aio.ServicerContext) -> pb.ListTaxesResponse:
        return pb.ListTaxesResponse(taxes=[tax_pb(t) for t in await self.service.revenue.taxes(request.airport)])

    async def RevenueReport(
        self, request: pb.RevenueReportRequest, context: grpc.aio.ServicerContext
    ) -> pb.RevenueReportResponse:
        require(Role.OPS)
        r = await self.service.revenue.report(optional_time(request, "from"), optional_time(request, "to"))
        return pb.RevenueReportResponse(
            **{"from": timestamp(r["from"])},
            to=timestamp(r["to"]),
            flights=[
                pb.FlightRevenue(
                    flight_id=f["flight_id"],
                    number=f["number"],
                    origin=f["origin"],
                    destination=f["destination"],
                    status=f["status"],
                    scheduled_departure=timestamp(f["scheduled_departure"]),
                    cabin_class=f["cabin_class"],
                    capacity=f["capacity"],
                    sold=f["sold"],
                    sellable=f["sellable"],
                    load_factor_percent=f["load_factor_percent"],
                    bookings=f["bookings"],
                    revenue=[pb.MoneyAmount(currency=m["currency"], amount=m["amount"]) for m in f["revenue"]],
                )
                for f in r["flights"]
            ],
            days=[pb.DayBookings(**d) for d in r["days"]],
            totals=[pb.MoneyAmount(**m) for m in r["totals"]],
        )
