"""Fares, fare rules, flight search and priced offers (flights service, FareService).

Money is always an integer amount in minor units (cents) plus an ISO 4217 currency code;
floats are refused on input and never produced.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

from airline.flights.v1 import flights_pb2 as pb
from airline.gateway import deps
from airline.gateway.convert import timestamp_out
from airline.gateway.params import AIRPORT_CODE, AirportCode, Caller, OpsOnly, upper, upper_or_empty
from airline.gateway.problems import error_responses
from airline.gateway.schemas import SELLING_STATUSES, Flight, words
from airline.gateway.security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/v1")  # full template on each route: see routes/auth.py

Fares_ = deps.FareService

CabinClass = Literal["vip", "normal"]
PassengerType = Literal["adult", "child", "infant"]
TripType = Literal["one_way", "round_trip"]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217", examples=["SGD"])]
MinorUnits = Annotated[StrictInt, Field(ge=0, le=100_000_000, description="minor units (cents)", examples=[12900])]
MAX_PASSENGERS = 9  # per search (and booking), infants included
MAX_OFFERS = 200  # per search: flights' limit (flights/domain/search.py), which also refuses more


# --- fares ------------------------------------------------------------------------------


class Fare(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "origin": "XSP",
                    "destination": "BKK",
                    "cabin_class": "normal",
                    "passenger_type": "adult",
                    "trip_type": "one_way",
                    "amount": 12900,
                    "currency": "SGD",
                }
            ]
        },
    )
    origin: AirportCode
    destination: AirportCode
    cabin_class: CabinClass
    passenger_type: PassengerType
    trip_type: TripType
    amount: MinorUnits = Field(description="per passenger per flight, in minor units")
    currency: Currency

    _up = field_validator("origin", "destination")(upper)

    @model_validator(mode="after")
    def _route(self) -> Fare:
        if self.origin == self.destination:
            raise ValueError("origin and destination must differ")
        return self

    def to_pb(self) -> pb.Fare:
        return pb.Fare(**self.model_dump())

    @classmethod
    def of(cls, f: pb.Fare) -> Fare:
        return cls.model_construct(
            origin=f.origin,
            destination=f.destination,
            cabin_class=f.cabin_class,
            passenger_type=f.passenger_type,
            trip_type=f.trip_type,
            amount=f.amount,
            currency=f.currency,
        )


class FareRules(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "origin": "XSP",
                    "destination": "BKK",
                    "cabin_class": "normal",
                    "refundable": False,
                    "change_fee": 5000,
                    "currency": "SGD",
                    "checked_bags": 1,
                    "bag_weight_kg": 23,
                    "no_show_refund": "taxes",
                    "taxes": 2500,
                }
            ]
        },
    )
    origin: AirportCode
    destination: AirportCode
    cabin_class: CabinClass
    refundable: StrictBool = False
    change_fee: MinorUnits = 0
    currency: Currency
    checked_bags: int = Field(default=0, ge=0, le=5, description="pieces per passenger (infants: none)")
    bag_weight_kg: int = Field(default=0, ge=0, le=50, description="per piece")
    no_show_refund: Literal["none", "taxes"] = Field(
        default="none", description="what a cancellation after departure gives back: nothing, or the taxes only"
    )
    taxes: MinorUnits = Field(
        default=0, description="per passenger per flight, part of the fare; at most the route and cabin's lowest fare"
    )

    _up = field_validator("origin", "destination")(upper)

    def to_pb(self) -> pb.FareRules:
        return pb.FareRules(**self.model_dump())

    @classmethod
    def of(cls, r: pb.FareRules) -> FareRules:
        return cls.model_construct(
            origin=r.origin,
            destination=r.destination,
            cabin_class=r.cabin_class,
            refundable=r.refundable,
            change_fee=r.change_fee,
            currency=r.currency,
            checked_bags=r.checked_bags,
            bag_weight_kg=r.bag_weight_kg,
            no_show_refund=r.no_show_refund or "none",
            taxes=r.taxes,
        )


class FaresIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fares: list[Fare] = Field(default_factory=list, max_length=2000)
    rules: list[FareRules] = Field(default_factory=list, max_length=2000)

    @model_validator(mode="after")
    def _something(self) -> FaresIn:
        if not self.fares and not self.rules:
            raise ValueError("give at least one fare or rule")
        keys = [(f.origin, f.destination, f.cabin_class, f.passenger_type, f.trip_type) for f in self.fares]
        if len(set(keys)) != len(keys):
            raise ValueError("a fare is given twice (same route, cabin, passenger type and trip type)")
        rule_keys = [(r.origin, r.destination, r.cabin_class) for r in self.rules]
        if len(set(rule_keys)) != len(rule_keys):
            raise ValueError("fare rules are given twice for one route and cabin")
        return self


class FaresOut(BaseModel):
    fares: list[Fare]
    rules: list[FareRules]

    @classmethod
    def of(cls, reply: pb.ListFaresResponse) -> FaresOut:
        return cls.model_construct(
            fares=[Fare.of(f) for f in reply.fares], rules=[FareRules.of(r) for r in reply.rules]
        )


@router.put(
    "/fares",
    response_model=FaresOut,
    tags=["fares"],
    summary="Create or change fares and fare rules (ops)",
    description="Each fare is keyed by route, cabin, passenger type and trip type; each rule by route "
    "and cabin. Given ones are created or replaced; others stay as they are.",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def set_fares(body: FaresIn, fares: Fares_, _: OpsOnly) -> FaresOut:
    return FaresOut.of(
        await fares.SetFares(
            pb.SetFaresRequest(fares=[f.to_pb() for f in body.fares], rules=[r.to_pb() for r in body.rules])
        )
    )


@router.get(
    "/fares",
    openapi_extra=OPTIONAL_AUTH,
    response_model=FaresOut,
    tags=["fares"],
    summary="Fares and fare rules, optionally of one route",
    responses=error_responses(422),
)
async def list_fares(
    fares: Fares_,
    _: Caller,
    origin: Annotated[str | None, Query(pattern=AIRPORT_CODE)] = None,
    destination: Annotated[str | None, Query(pattern=AIRPORT_CODE)] = None,
) -> FaresOut:
    return FaresOut.of(
        await fares.ListFares(
            pb.ListFaresRequest(origin=upper_or_empty(origin), destination=upper_or_empty(destination))
        )
    )


# --- search and offers ------------------------------------------------------------------


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    origin: AirportCode
    destination: AirportCode
    date: dt.date = Field(description="departure date, local at the origin", examples=["2026-12-01"])
    flexible_days: int = Field(default=0, ge=0, le=3, description="also search +/- this many days")
    adults: int = Field(default=1, ge=1, le=MAX_PASSENGERS)
    children: int = Field(default=0, ge=0, le=MAX_PASSENGERS)
    infants: int = Field(default=0, ge=0, le=MAX_PASSENGERS, description="on an adult's lap: at most one per adult")
    cabin_class: CabinClass = "normal"
    trip_type: TripType = "one_way"
    return_date: dt.date | None = Field(
        default=None, description="round trip: local date at the destination", examples=["2026-12-08"]
    )
    max_offers: int | None = Field(
        default=None,
        ge=1,
        le=MAX_OFFERS,
        description="at most this many offers, the cheapest first (then by departure); default 50",
    )

    _up = field_validator("origin", "destination")(upper)

    @model_validator(mode="after")
    def _consistent(self) -> SearchQuery:
        if self.origin == self.destination:
            raise ValueError("origin and destination must differ")
        if self.infants > self.adults:
            raise ValueError("each infant travels on an adult's lap: infants must not outnumber adults")
        if self.adults + self.children + self.infants > MAX_PASSENGERS:
            raise ValueError(f"at most {MAX_PASSENGERS} passengers (infants included) per search")
        if self.trip_type == "round_trip":
            if self.return_date is None:
                raise ValueError("a round trip needs return_date")
            if self.return_date < self.date:
                raise ValueError("return_date must not be before date")
        elif self.return_date is not None:
            raise ValueError("return_date is only for trip_type=round_trip")
        return self


class PriceLine(BaseModel):
    passenger_type: str = Field(examples=["adult"])
    count: int = Field(examples=[2])
    unit_amount: int = Field(description="per passenger, all legs together, minor units", examples=[25800])
    amount: int = Field(description="unit_amount * count", examples=[51600])


class TaxLine(BaseModel):
    code: str = Field(examples=["SG"])
    name: str = Field(examples=["Passenger service charge"])
    airport: str = Field(examples=["XSP"])
    passenger_type: str = Field(examples=["adult"])
    count: int = Field(description="passengers times the legs it applies to", examples=[2])
    unit_amount: int = Field(description="minor units", examples=[6500])
    amount: int = Field(description="unit_amount * count", examples=[13000])


class OfferLeg(BaseModel):
    flight: Flight
    seats_left: int = Field(description="in the offer's cabin", examples=[108])
    rules: FareRules | None = None
    fare_bucket: str = Field(default="", description="the booking class it sells in (empty: the route's fares)")


class Offer(BaseModel):
    offer_id: str = Field(description="signed: quote it to book at exactly this price")
    legs: list[OfferLeg]
    cabin_class: str = Field(examples=["normal"])
    trip_type: str = Field(examples=["round_trip"])
    adults: int = Field(examples=[2])
    children: int = Field(examples=[0])
    infants: int = Field(examples=[0])
    breakdown: list[PriceLine] = Field(description="per passenger type, fare and taxes together")
    fare_lines: list[PriceLine] = Field(default_factory=list, description="the base fares per passenger type")
    taxes: list[TaxLine] = Field(default_factory=list, description="each tax or fee on its own line")
    total: int = Field(description="minor units: sum(fare_lines) + sum(taxes) = sum(breakdown)", examples=[51600])
    currency: str = Field(examples=["SGD"])
    expires_at: dt.datetime | None = Field(default=None, examples=["2026-11-01T10:15:00Z"])

    @classmethod
    def of(cls, o: pb.Offer) -> Offer:
        return cls(
            offer_id=o.offer_id,
            legs=[
                OfferLeg(
                    flight=Flight.of(leg.flight),
                    seats_left=leg.seats_left,
                    rules=FareRules.of(leg.rules) if leg.HasField("rules") else None,
                    fare_bucket=leg.fare_bucket,
                )
                for leg in o.legs
            ],
            cabin_class=o.cabin_class,
            trip_type=o.trip_type,
            adults=o.adults,
            children=o.children,
            infants=o.infants,
            breakdown=[
                PriceLine(passenger_type=p.passenger_type, count=p.count, unit_amount=p.unit_amount, amount=p.amount)
                for p in o.breakdown
            ],
            fare_lines=[
                PriceLine(passenger_type=p.passenger_type, count=p.count, unit_amount=p.unit_amount, amount=p.amount)
                for p in o.fare_lines
            ],
            taxes=[
                TaxLine(
                    code=t.code,
                    name=t.name,
                    airport=t.airport,
                    passenger_type=t.passenger_type,
                    count=t.count,
                    unit_amount=t.unit_amount,
                    amount=t.amount,
                )
                for t in o.taxes
            ],
            total=o.total,
            currency=o.currency,
            expires_at=timestamp_out(o, "expires_at"),
        )


class Offers(BaseModel):
    offers: list[Offer]


@router.get(
    "/search",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Offers,
    tags=["search"],
    summary="Priced offers for a one-way or round trip",
    description="Each offer is priced for the whole party: `breakdown` per passenger type, `total` "
    "their sum, in minor units of `currency`; `fare_lines` are the base fares and `taxes` each tax or fee "
    "on its own line (`total` is their sum too). A flight whose cabin has booking classes sells in the "
    "cheapest open one with seats for the party (`legs[].fare_bucket`). Only flights on sale "
    f"({words(SELLING_STATUSES)}, before sales close) with at least one seat per non-infant "
    "passenger left in the cabin are offered. The answer holds the `max_offers` cheapest offers (by total, "
    "then departure; 50 unless asked): its size does not grow with the network.",
    responses=error_responses(404, 422),
)
async def search(query: Annotated[SearchQuery, Query()], fares: Fares_, _: Caller) -> Offers:
    reply = await fares.Search(
        pb.SearchRequest(
            origin=query.origin,
            destination=query.destination,
            departure_date=query.date.isoformat(),
            flexible_days=query.flexible_days,
            adults=query.adults,
            children=query.children,
            infants=query.infants,
            cabin_class=query.cabin_class,
            trip_type=query.trip_type,
            return_date=query.return_date.isoformat() if query.return_date else "",
            max_offers=query.max_offers or 0,  # 0: flights' default
        )
    )
    return Offers(offers=[Offer.of(o) for o in reply.offers])


@router.get(
    "/offers/{offer_id}",
    openapi_extra=OPTIONAL_AUTH,
    response_model=Offer,
    tags=["search"],
    summary="An offer exactly as it was priced, with its flights' current state",
    description="409 `flight_not_sellable` once a flight of the offer is cancelled, has left or its sales "
    "closed; 409 `not_enough_seats` once fewer seats are left than the offer's seated "
    "passengers; 409 `fare_bucket_closed` once the booking class a leg was priced in has closed or "
    "sold out (search again for today's price).",
    responses=error_responses(404, 409, 422),
)
async def get_offer(offer_id: Annotated[str, Path(min_length=1, max_length=4096)], fares: Fares_, _: Caller) -> Offer:
    return Offer.of(await fares.GetOffer(pb.GetOfferRequest(offer_id=offer_id)))
