"""Search and offers: who travels, what they ask for, the price of a combination of flights,
and the signed claims that let an offer be given back exactly as priced."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from airline.flights.domain.fares import Fare, FareRules, PassengerType, TripType, trip_type
from airline.flights.domain.flight import CabinClass, Flight, cabin_class
from airline.flights.domain.values import airport_code, local_date, window_date
from airline.platform.errors import Conflict, ValidationFailed

MAX_FLEXIBLE_DAYS = 3
# A search answers the cheapest offers only: its answer does not grow with the network.
DEFAULT_OFFERS = 50
MAX_OFFERS = 200
MAX_PASSENGERS = 9
# A connection shorter than this between the outbound's arrival and the return is not offered.
MIN_RETURN_GAP = timedelta(hours=1)


@dataclass(frozen=True)
class Passengers:
    adults: int
    children: int
    infants: int

    @property
    def seated(self) -> int:
        return self.adults + self.children  # infants sit on a lap

    def counts(self) -> list[tuple[PassengerType, int]]:
        return [
            (t, n)
            for t, n in (
                (PassengerType.ADULT, self.adults),
                (PassengerType.CHILD, self.children),
                (PassengerType.INFANT, self.infants),
            )
            if n > 0
        ]


def passengers(adults: int, children: int, infants: int) -> Passengers:
    if adults < 1:
        raise ValidationFailed("at least one adult must travel", field="adults")
    if children < 0 or infants < 0:
        raise ValidationFailed("children and infants cannot be negative", field="children")
    if infants > adults:
        raise ValidationFailed(
            f"each infant travels on an adult's lap: {infants} infants need at least {infants} adults, got {adults}",
            field="infants",
        )
    total = adults + children + infants
    if total > MAX_PASSENGERS:
        raise ValidationFailed(f"at most {MAX_PASSENGERS} passengers per booking, got {total}", field="adults")
    return Passengers(adults, children, infants)


@dataclass(frozen=True)
class SearchQuery:
    origin: str
    destination: str
    departure_date: date
    flexible_days: int
    passengers: Passengers
    cabin_class: CabinClass
    trip_type: TripType
    return_date: date | None
    max_offers: int = DEFAULT_OFFERS

    def outbound_dates(self) -> tuple[date, date]:
        f = timedelta(days=self.flexible_days)
        return self.departure_date - f, self.departure_date + f

    def return_dates(self) -> tuple[date, date]:
        assert self.return_date is not None
        f = timedelta(days=self.flexible_days)
        return self.return_date - f, self.return_date + f


def search_query(
    origin: str,
    destination: str,
    departure_date: str,
    flexible_days: int,
    adults: int,
    children: int,
    infants: int,
    cls: str,
    ttype: str,
    return_date: str,
    max_offers: int = 0,
) -> SearchQuery:
    o, d = airport_code(origin, "origin"), airport_code(destination, "destination")
    if o == d:
        raise ValidationFailed("origin and destination must differ", field="destination")
    if not 0 <= flexible_days <= MAX_FLEXIBLE_DAYS:
        raise ValidationFailed(
            f"flexible_days must be 0 to {MAX_FLEXIBLE_DAYS}, got {flexible_days}", field="flexible_days"
        )
    if not 0 <= max_offers <= MAX_OFFERS:
        raise ValidationFailed(f"max_offers must be 1 to {MAX_OFFERS}, got {max_offers}", field="max_offers")
    pax = passengers(adults, children, infants)
    outbound = window_date(local_date(departure_date, "departure_date"), "departure_date")
    trip = trip_type(ttype or "one_way")
    back: date | None = None
    if trip is TripType.ROUND_TRIP:
        if not return_date.strip():
            raise ValidationFailed("return_date is required for a round trip", field="return_date")
        back = window_date(local_date(return_date, "return_date"), "return_date")
        if back < outbound:
            raise ValidationFailed("return_date must not be before departure_date", field="return_date")
    elif return_date.strip():
        raise ValidationFailed("return_date is only for round trips (trip_type round_trip)", field="return_date")
    return SearchQuery(
        o, d, outbound, flexible_days, pax, cabin_class(cls or "normal"), trip, back, max_offers or DEFAULT_OFFERS
    )


@dataclass(frozen=True)
class PriceLine:
    passenger_type: PassengerType
    count: int
    unit_amount: int
    amount: int


@dataclass(frozen=True)
class Price:
    lines: tuple[PriceLine, ...]
    total: int
    currency: str


@dataclass(frozen=True)
class TaxLine:
    """A tax or fee of an offer on its own line (see domain.taxes)."""

    code: str
    name: str
    airport: str
    passenger_type: PassengerType
    count: int  # passengers times the legs it applies to
    unit_amount: int
    amount: int  # unit_amount * count


@dataclass(frozen=True)
class LegFare:
    """What one flight of an offer sells at: its booking class ("" = the route's fares) and the
    base fare per travelling passenger type."""

    flight_id: str
    bucket: str
    units: tuple[tuple[PassengerType, int], ...]

    def revenue(self, pax: Passengers) -> int:
        per = dict(self.units)
        return sum(per.get(t, 0) * n for t, n in pax.counts())


def price(leg_fares: Sequence[Mapping[PassengerType, Fare]], pax: Passengers) -> Price | None:
    """Per passenger type: the sum over the legs of that leg's fare, times the count. None
    when a leg lacks a fare for a travelling passenger type, or the legs' currencies differ."""
    currencies = {f.currency for fares in leg_fares for t, _ in pax.counts() if (f := fares.get(t)) is not None}
    if len(currencies) != 1:
        return None
    lines: list[PriceLine] = []
    for ptype, count in pax.counts():
        unit = 0
        for fares in leg_fares:
            fare = fares.get(ptype)
            if fare is None:
                return None
            unit += fare.amount
        lines.append(PriceLine(ptype, count, unit, unit * count))
    return Price(tuple(lines), sum(line.amount for line in lines), currencies.pop())


def combine_round_trips(outbound: Sequence[Flight], returns: Sequence[Flight]) -> list[tuple[Flight, Flight]]:
    """Pairs where the return leaves at least MIN_RETURN_GAP after the outbound arrives."""
    return [(o, r) for o in outbound for r in returns if r.estimated_departure >= o.estimated_arrival + MIN_RETURN_GAP]


@dataclass(frozen=True)
class OfferLegView:
    flight: Flight
    seats_left: int
    rules: FareRules
    bucket: str = ""


@dataclass(frozen=True)
class Offer:
    offer_id: str
    legs: tuple[OfferLegView, ...]
    cabin_class: CabinClass
    trip_type: TripType
    passengers: Passengers
    price: Price
    expires_at: datetime
    fare_lines: tuple[PriceLine, ...] = ()  # base fares per passenger type (price.lines are all in)
    taxes: tuple[TaxLine, ...] = ()


def offer_claims(
    flights: Sequence[Flight],
    query_pax: Passengers,
    cls: CabinClass,
    trip: TripType,
    p: Price,
    rules: Sequence[FareRules],
    expires_at: datetime,
    fare_lines: Sequence[PriceLine] = (),
    taxes: Sequence[TaxLine] = (),
    legs: Sequence[LegFare] = (),
) -> dict[str, Any]:
    """What an offer id carries (signed): enough to give the offer back exactly as priced, and
    the booking class and base fare of each flight (the sale records them)."""
    return {
        "flights": [f.id for f in flights],
        "pax": [query_pax.adults, query_pax.children, query_pax.infants],
        "cabin_class": cls.value,
        "trip_type": trip.value,
        "breakdown": [[line.passenger_type.value, line.count, line.unit_amount, line.amount] for line in p.lines],
        "total": p.total,
        "currency": p.currency,
        "rules": [r.to_dict() for r in rules],
        "fare_lines": [[x.passenger_type.value, x.count, x.unit_amount, x.amount] for x in fare_lines],
        "taxes": [[t.code, t.name, t.airport, t.passenger_type.value, t.count, t.unit_amount, t.amount] for t in taxes],
        "legs": [[leg.flight_id, leg.bucket, {t.value: u for t, u in leg.units}] for leg in legs],
        "exp": int(expires_at.timestamp()),
    }


@dataclass(frozen=True)
class PricedOffer:
    flight_ids: tuple[str, ...]
    passengers: Passengers
    cabin_class: CabinClass
    trip_type: TripType
    price: Price
    rules: tuple[FareRules, ...]
    expires_at: datetime
    fare_lines: tuple[PriceLine, ...] = ()
    taxes: tuple[TaxLine, ...] = ()
    legs: tuple[LegFare, ...] = ()

    def bucket(self, flight_id: str) -> str:
        return next((leg.bucket for leg in self.legs if leg.flight_id == flight_id), "")


def offer_from_claims(claims: Mapping[str, Any]) -> PricedOffer:
    """The offer back from its claims; offers signed before buckets and taxes carry none."""
    adults, children, infants = claims["pax"]
    lines = tuple(PriceLine(PassengerType(t), int(c), int(u), int(a)) for t, c, u, a in claims["breakdown"])
    fare_lines = tuple(
        PriceLine(PassengerType(t), int(c), int(u), int(a)) for t, c, u, a in claims.get("fare_lines") or ()
    )
    taxes = tuple(
        TaxLine(str(code), str(name), str(ap), PassengerType(t), int(c), int(u), int(a))
        for code, name, ap, t, c, u, a in claims.get("taxes") or ()
    )
    legs = tuple(
        LegFare(str(fid), str(bucket), tuple((PassengerType(t), int(u)) for t, u in dict(units).items()))
        for fid, bucket, units in claims.get("legs") or ()
    )
    return PricedOffer(
        flight_ids=tuple(claims["flights"]),
        passengers=Passengers(int(adults), int(children), int(infants)),
        cabin_class=CabinClass(claims["cabin_class"]),
        trip_type=TripType(claims["trip_type"]),
        price=Price(lines, int(claims["total"]), claims["currency"]),
        rules=tuple(FareRules.from_dict(r) for r in claims["rules"]),
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        fare_lines=fare_lines or lines,
        taxes=taxes,
        legs=legs,
    )


def check_bookable(
    flights: Sequence[Flight], cls: CabinClass, seated: int, now: datetime, close_minutes: float
) -> None:
    """An offer may still be booked: every flight on sale, with a seat for every seated passenger."""
    for f in flights:
        why = f.why_not_sellable(now, close_minutes)
        if why is not None:
            raise Conflict(
                f"{why}: this offer can no longer be booked, search again", code="flight_not_sellable", field="offer_id"
            )
    for f in flights:
        left = f.seats_left(cls)
        if left < seated:
            raise Conflict(
                f"flight {f.number} has {left} {cls.value} seat(s) left, this offer needs {seated}: search again",
                code="not_enough_seats",
                field="offer_id",
            )
