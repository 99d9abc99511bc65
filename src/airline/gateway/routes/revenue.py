"""Revenue rules (flights service, FareService): a cabin's booking classes (buckets), taxes and
fees per airport and passenger type, the show-up rate that sizes overbooking, and the ops
revenue report (load factor, fare revenue per flight, bookings per day).

Money is an integer amount in minor units plus an ISO 4217 currency code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from airline.flights.v1 import flights_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_in, timestamp_out
from airline.gateway.params import AIRPORT_CODE, AgentOrOps, AirportCode, Caller, FlightIdPath, OpsOnly, upper
from airline.gateway.problems import error_responses
from airline.gateway.schemas import Flight
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")

Fares_ = deps.FareService
Flights_ = deps.FlightService
CabinClass = Literal["vip", "normal"]
PassengerType = Literal["adult", "child", "infant"]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217", examples=["SGD"])]
MinorUnits = Annotated[StrictInt, Field(ge=0, le=100_000_000, description="minor units (cents)")]


# --- buckets ------------------------------------------------------------------------------


class BucketIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[A-Za-z]$", description="one letter", examples=["Q"])
    adult_amount: MinorUnits = Field(description="per adult per flight", examples=[9900])
    child_amount: MinorUnits = Field(examples=[7500])
    infant_amount: MinorUnits = Field(examples=[1000])
    currency: Currency
    authorised: StrictInt = Field(
        ge=0, le=10_000, description="nested: seats this bucket and every cheaper one may sell together", examples=[30]
    )
    open: StrictBool = Field(default=True, description="closing a bucket closes every cheaper one")
    close_at_load_percent: StrictInt = Field(
        default=0, ge=0, le=100, description="close at this load factor (sold / seats, %); 0 = no rule", examples=[50]
    )
    close_days_before: StrictInt = Field(
        default=0, ge=0, le=365, description="close when fewer days are left to departure; 0 = no rule", examples=[14]
    )

    _up = field_validator("code")(upper)

    def to_pb(self) -> pb.FareBucket:
        return pb.FareBucket(**self.model_dump())


class BucketsIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "cabin_class": "normal",
                    "buckets": [
                        {"code": "Y", "adult_amount": 32000, "child_amount": 24000, "infant_amount": 3200,
                         "currency": "SGD", "authorised": 180},
                        {"code": "M", "adult_amount": 18000, "child_amount": 13500, "infant_amount": 1800,
                         "currency": "SGD", "authorised": 90, "close_at_load_percent": 75, "close_days_before": 3},
                        {"code": "Q", "adult_amount": 9900, "child_amount": 7500, "infant_amount": 1000,
                         "currency": "SGD", "authorised": 30, "close_at_load_percent": 50, "close_days_before": 14},
                    ],
                }
            ]
        },
    )  # fmt: skip
    cabin_class: CabinClass = "normal"
    buckets: list[BucketIn] = Field(max_length=26, description="dearest first; empty removes the cabin's buckets")


class BucketOut(BaseModel):
    code: str
    adult_amount: int
    child_amount: int
    infant_amount: int
    currency: str
    authorised: int
    open: bool = Field(description="ops' hand")
    close_at_load_percent: int
    close_days_before: int
    sold: int = Field(description="seats sold in this bucket")
    available: int = Field(description="seats it may still sell (nested, within the cabin)")
    selling_open: bool = Field(description="open by hand and by rule, and every dearer bucket too")
    claimed: int = Field(
        default=0, description="seats draft bookings made in this bucket hold until paid or expired (not sold yet)"
    )


class CabinBucketsOut(BaseModel):
    flight_id: str
    cabin_class: str
    selling: str = Field(description="the bucket a one-seat search sells in now; empty: none open")
    buckets: list[BucketOut]

    @classmethod
    def of(cls, c: pb.CabinBuckets) -> CabinBucketsOut:
        return cls(
            flight_id=c.flight_id,
            cabin_class=c.cabin_class,
            selling=c.selling,
            buckets=[
                BucketOut(
                    code=b.code,
                    adult_amount=b.adult_amount,
                    child_amount=b.child_amount,
                    infant_amount=b.infant_amount,
                    currency=b.currency,
                    authorised=b.authorised,
                    open=b.open,
                    close_at_load_percent=b.close_at_load_percent,
                    close_days_before=b.close_days_before,
                    sold=b.sold,
                    available=b.available,
                    selling_open=b.selling_open,
                    claimed=b.claimed,
                )
                for b in c.buckets
            ],
        )


class FlightBucketsOut(BaseModel):
    cabins: list[CabinBucketsOut]


@router.put(
    "/flights/{flight_id}/fares/buckets",
    response_model=CabinBucketsOut,
    tags=["fares"],
    summary="Set one cabin's booking classes (buckets) on a flight (ops)",
    description="Buckets are given dearest first, each with a price per passenger type and a nested "
    "authorised count (seats it and every cheaper bucket may sell together; never more than the bucket "
    "above). Search prices the flight at the cheapest open bucket with seats for the party; a bucket "
    "closes by hand (`open: false`), at `close_at_load_percent` or inside `close_days_before`, and "
    "closing one closes every cheaper one. An empty list removes the buckets (the route's fares apply).",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def set_buckets(flight_id: FlightIdPath, body: BucketsIn, fares: Fares_, _: OpsOnly) -> CabinBucketsOut:
    request = pb.SetBucketsRequest(
        flight_id=flight_id, cabin_class=body.cabin_class, buckets=[b.to_pb() for b in body.buckets]
    )
    return CabinBucketsOut.of(await fares.SetBuckets(request))


@router.get(
    "/flights/{flight_id}/fares/buckets",
    response_model=FlightBucketsOut,
    tags=["fares"],
    summary="A flight's buckets per cabin with what each sold and may still sell (ops, agents)",
    responses=error_responses(401, 403, 404, 422),
)
async def list_buckets(flight_id: FlightIdPath, fares: Fares_, _: AgentOrOps) -> FlightBucketsOut:
    reply = await fares.ListBuckets(pb.ListBucketsRequest(flight_id=flight_id))
    return FlightBucketsOut(cabins=[CabinBucketsOut.of(c) for c in reply.cabins])


# --- show-up rate -------------------------------------------------------------------------


class ShowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"show_up_rate_bp": 9000}]})
    show_up_rate_bp: StrictInt = Field(
        ge=5000, le=10_000, description="share of sold passengers expected at the gate, basis points (9000 = 90 %)"
    )


@router.put(
    "/flights/{flight_id}/cabins/{cabin_class}/show-up-rate",
    response_model=Flight,
    tags=["flights"],
    summary="Size one cabin's overbooking from a show-up rate (ops)",
    description="The cabin then sells capacity + floor(capacity * (1 / rate - 1)) seats, the allowance capped "
    "at 20 % of the seats. Setting a percentage (PUT .../overbooking) clears the rate again.",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def set_show_up_rate(
    flight_id: FlightIdPath, cabin_class: CabinClass, body: ShowUpIn, flights: Flights_, _: OpsOnly
) -> Flight:
    current = await flights.GetFlight(pb.GetFlightRequest(id=flight_id))
    percent = next((c.overbooking_percent for c in current.seats if c.cabin_class == cabin_class), 0)
    request = pb.SetOverbookingRequest(
        flight_id=flight_id, cabin_class=cabin_class, percent=percent, show_up_rate_bp=body.show_up_rate_bp
    )
    return Flight.of(await flights.SetOverbooking(request))


# --- taxes --------------------------------------------------------------------------------


class TaxIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    airport: AirportCode
    passenger_type: PassengerType
    code: str = Field(pattern=r"^[A-Za-z0-9]{2,3}$", examples=["SG"])
    name: str = Field(default="", max_length=80, examples=["Passenger service charge"])
    amount: MinorUnits = Field(default=0, description="per passenger per leg", examples=[6500])
    currency: Currency
    applies_on: Literal["departure", "arrival"] = "departure"

    _up = field_validator("airport", "code")(upper)

    def to_pb(self) -> pb.Tax:
        return pb.Tax(**self.model_dump())


class TaxesIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "taxes": [
                        {"airport": "XSP", "passenger_type": "adult", "code": "SG",
                         "name": "Passenger service charge", "amount": 6500, "currency": "SGD"},
                        {"airport": "XSP", "passenger_type": "child", "code": "SG",
                         "name": "Passenger service charge", "amount": 3200, "currency": "SGD"},
                    ]
                }
            ]
        },
    )  # fmt: skip
    taxes: list[TaxIn] = Field(default_factory=list, max_length=500)
    remove: list[TaxIn] = Field(default_factory=list, max_length=500, description="by airport, type, code, applies_on")


class TaxOut(BaseModel):
    airport: str
    passenger_type: str
    code: str
    name: str
    amount: int
    currency: str
    applies_on: str


class TaxesOut(BaseModel):
    taxes: list[TaxOut]

    @classmethod
    def of(cls, reply: pb.ListTaxesResponse) -> TaxesOut:
        return cls(
            taxes=[
                TaxOut(
                    airport=t.airport,
                    passenger_type=t.passenger_type,
                    code=t.code,
                    name=t.name,
                    amount=t.amount,
                    currency=t.currency,
                    applies_on=t.applies_on,
                )
                for t in reply.taxes
            ]
        )


@router.put(
    "/taxes",
    response_model=TaxesOut,
    tags=["fares"],
    summary="Create, change or remove taxes and fees per airport and passenger type (ops)",
    description="Each tax is charged per passenger of its type on every leg departing from (or arriving "
    "at) its airport, as its own line of the offer and the receipt, in the fare's currency. Returns the "
    "taxes of the airports touched.",
    responses=error_responses(401, 403, 422),
)
async def set_taxes(body: TaxesIn, fares: Fares_, _: OpsOnly) -> TaxesOut:
    request = pb.SetTaxesRequest(taxes=[t.to_pb() for t in body.taxes], remove=[t.to_pb() for t in body.remove])
    return TaxesOut.of(await fares.SetTaxes(request))


@router.get(
    "/taxes",
    openapi_extra=OPTIONAL_AUTH,
    response_model=TaxesOut,
    tags=["fares"],
    summary="Taxes and fees, optionally of one airport",
    responses=error_responses(422),
)
async def list_taxes(
    fares: Fares_, _: Caller, airport: Annotated[str | None, Query(pattern=AIRPORT_CODE)] = None
) -> TaxesOut:
    return TaxesOut.of(await fares.ListTaxes(pb.ListTaxesRequest(airport=(airport or "").upper())))


# --- the revenue report -------------------------------------------------------------------


class Money(BaseModel):
    currency: str
    amount: int = Field(description="minor units")


class FlightRevenueOut(BaseModel):
    flight_id: str
    number: str
    origin: str
    destination: str
    status: str
    scheduled_departure: dt.datetime | None
    cabin_class: str
    capacity: int
    sold: int
    sellable: int = Field(description="capacity + overbooking allowance")
    load_factor_percent: float = Field(description="sold / capacity * 100 (above 100 when overbooked)")
    bookings: int
    revenue: list[Money] = Field(description="fare revenue of the sales standing, no taxes")


class DayOut(BaseModel):
    day: dt.date
    currency: str
    bookings: int
    seats: int
    revenue: int


class RevenueOut(BaseModel):
    from_: dt.datetime | None = Field(alias="from")
    to: dt.datetime | None
    flights: list[FlightRevenueOut]
    days: list[DayOut]
    totals: list[Money]

    model_config = ConfigDict(populate_by_name=True)


@router.get(
    "/ops/revenue",
    response_model=RevenueOut,
    response_model_by_alias=True,
    tags=["fares"],
    summary="Load factor and fare revenue per flight, bookings per day (ops, admin)",
    description="Flights departing in [from, to) (default: from a week ago, 14 days; at most 93 days) per "
    "cabin, and the sales recorded per UTC day in the same window.",
    responses=error_responses(401, 403, 422),
)
async def revenue_report(
    fares: Fares_,
    _: OpsOnly,
    from_: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    to: Annotated[AwareDatetime | None, Query()] = None,
) -> RevenueOut:
    request = pb.RevenueReportRequest()
    if to is not None:
        request.to.CopyFrom(timestamp_in(to))
    if from_ is not None:
        getattr(request, "from").CopyFrom(timestamp_in(from_))
    r = await fares.RevenueReport(request)
    return RevenueOut.model_validate(
        {
            "from": timestamp_out(r, "from"),
            "to": timestamp_out(r, "to"),
            "flights": [
                FlightRevenueOut(
                    flight_id=f.flight_id,
                    number=f.number,
                    origin=f.origin,
                    destination=f.destination,
                    status=f.status,
                    scheduled_departure=timestamp_out(f, "scheduled_departure"),
                    cabin_class=f.cabin_class,
                    capacity=f.capacity,
                    sold=f.sold,
                    sellable=f.sellable,
                    load_factor_percent=f.load_factor_percent,
                    bookings=f.bookings,
                    revenue=[Money(currency=m.currency, amount=m.amount) for m in f.revenue],
                )
                for f in r.flights
            ],
            "days": [
                DayOut(
                    day=dt.date.fromisoformat(d.day),
                    currency=d.currency,
                    bookings=d.bookings,
                    seats=d.seats,
                    revenue=d.revenue,
                )
                for d in r.days
            ],
            "totals": [Money(currency=m.currency, amount=m.amount) for m in r.totals],
        }
    )
